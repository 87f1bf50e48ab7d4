// Portal behaviour. Loaded as a file: the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";
  // Forms marked data-once disable their submit buttons on first submit (no double posts).
  // Forms marked data-confirm ask before they submit (e.g. deleting a draft item).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-confirm") &&
        !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-once")) { return; }
    if (form.dataset.submitted === "1") { event.preventDefault(); return; }
    form.dataset.submitted = "1";
    form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) {
      b.setAttribute("aria-disabled", "true");
      b.classList.add("disabled");
    });
  });
  // An export being prepared in the background (templates/exports/job_detail.html):
  // poll its status every 2 s, show the rows written, reload once it has finished so
  // the page shows the download (without JavaScript a meta refresh does the same).
  var box = document.querySelector("[data-export-status]");
  if (box && window.fetch) {
    var url = box.getAttribute("data-export-status");
    var label = box.querySelector("[data-export-label]");
    var bar = box.querySelector("[data-export-bar]");
    var rows = box.querySelector("[data-export-rows]");
    var poll = function () {
      window.fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          if (!data.active) { window.location.reload(); return; }
          label.textContent = data.label;
          bar.value = data.percent;
          bar.textContent = data.percent + "%";
          rows.textContent = rows.textContent.replace(/\d+\s*\/\s*\d+/, data.rows_done + " / " + data.rows_total);
          window.setTimeout(poll, 2000);
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    };
    window.setTimeout(poll, 2000);
  }
})();
