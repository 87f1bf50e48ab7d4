// Charts from data attributes (the Content-Security-Policy forbids inline scripts):
// <canvas data-chart="bar" data-labels='["…"]' data-values='[…]' data-label="…"
//         data-max="100" data-horizontal></canvas>
// Drawn with the vendored Chart.js (static/vendor/chartjs); the numbers are also in
// the table next to each chart, which is what screen readers and print read.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") { return; }
  // The three-colour light: on time, late, overdue (data-colours overrides).
  var lights = ["#2e7d32", "#d4a017", "#b22222"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var labels = JSON.parse(canvas.dataset.labels || "[]");
    var values = JSON.parse(canvas.dataset.values || "[]");
    var type = canvas.dataset.chart;
    var horizontal = canvas.hasAttribute("data-horizontal");
    var max = canvas.dataset.max ? Number(canvas.dataset.max) : undefined;
    var colours = canvas.dataset.colours ? JSON.parse(canvas.dataset.colours) : lights;
    new window.Chart(canvas, {
      type: type,
      data: {
        labels: labels,
        datasets: [{
          label: canvas.dataset.label || "",
          data: values,
          backgroundColor: type === "doughnut" ? colours : "#1f5f9f",
        }],
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        animation: false,
        maintainAspectRatio: false,
        plugins: { legend: { display: type === "doughnut", position: "bottom" } },
        scales: type === "doughnut" ? {} : {
          x: horizontal ? { min: 0, max: max } : {},
          y: horizontal ? {} : { min: 0, max: max },
        },
      },
    });
  });
})();
