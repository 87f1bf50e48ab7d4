"""Page latency and query counts: `python -m bench.pages --scales 0.1 1`.

For each scale: a fresh seeded database (`bench.seed`), then every registered page
(`bench.registry.bench_page`) requested `--repeat` times in process through Django's
full middleware stack, as its bench user, interleaved round by round with two floors:

- floor: a constant page in the portal's layout (session, user, navigation; no reads of
  its own), the denominator of the "× floor" ratio;
- bare: a constant response through the middleware alone, for reference.

Latency is wall-clock time (what a user waits for, less the network); "CPU ms" is the
request thread's processor time, which a busy machine inflates less: when the two differ
much, other processes were competing for the cores.

Then the query count of one more request of each page. Across scales the counts must be
equal (a list page's queries do not depend on its rows) and within the page's budget
(15 unless it says otherwise; an N+1 inside a full page is the same at every scale):
otherwise the exit status is non-zero. With `--check`, so is a list page that misses
its target at scale ≥ 1 (median under 100 ms and within 3× the floor). Latency depends
on the machine's load; query counts do not.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET_MS = 100.0
TARGET_RATIO = 3.0
WARMUP = 3


def _summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median": statistics.median(ordered), "p95": p95}


def measure_scale(scale: float, repeat: int, *, seed: bool = True) -> dict[str, Any]:
    """Seed (unless told not to) and measure, in this process."""
    from bench.seed import build, database_path, use_database

    path = database_path(scale)
    use_database(path)

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.registry import PAGES, QUERY_BUDGET, load_parts

    if seed:
        seeded = build(scale, path=path, verbose=False)
    else:
        load_parts()
        seeded = {"scale": scale, "counts": {}, "seed_seconds": 0.0}

    users = get_user_model().objects
    clients: dict[str, Client] = {}

    def client(persona: str) -> Client:
        if persona not in clients:
            clients[persona] = Client()
            clients[persona].force_login(users.get(username=persona))
        return clients[persona]

    floors = [("floor", "/__bench__/floor/"), ("bare", "/__bench__/bare/")]
    targets = [(name, "floor", url, "bench-office", QUERY_BUDGET) for name, url in floors]
    targets += [(p.name, p.kind, p.url(), p.persona, p.max_queries) for p in PAGES]

    def get(persona: str, url: str) -> Any:
        """The response, its body read (an export streams its file) and closed."""
        response: Any = client(persona).get(url)
        response.body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        )
        response.close()
        return response

    results: dict[str, dict[str, Any]] = {}
    for name, kind, url, persona, budget in targets:
        response = get(persona, url)
        if response.status_code != 200:
            raise SystemExit(f"bench page {name} ({url}) answered {response.status_code}")
        results[name] = {"kind": kind, "url": url, "persona": persona, "samples": [], "cpu": []}
        results[name]["max_queries"] = budget
        results[name]["bytes"] = len(response.body)
        for _ in range(WARMUP - 1):
            get(persona, url)
    for _ in range(repeat):
        for name, _kind, url, persona, _budget in targets:
            started, cpu_started = time.perf_counter(), time.thread_time()
            get(persona, url)
            results[name]["samples"].append((time.perf_counter() - started) * 1000)
            results[name]["cpu"].append((time.thread_time() - cpu_started) * 1000)
    for name, _kind, url, persona, _budget in targets:
        with CaptureQueriesContext(connection) as queries:
            get(persona, url)
        results[name]["queries"] = len(queries.captured_queries)
        results[name] |= _summary(results[name].pop("samples"))
        results[name]["cpu_median"] = statistics.median(results[name].pop("cpu"))
    floor = results["floor"]["median"]
    for result in results.values():
        result["ratio"] = result["median"] / floor
    return {"scale": scale, "counts": seeded["counts"], "seed_seconds": seeded["seed_seconds"]} | {
        "repeat": repeat,
        "pages": results,
    }


def run_scales(scales: list[float], repeat: int) -> list[dict[str, Any]]:
    """Each scale in its own process (settings, and so the database, are per process)."""
    runs = []
    for scale in scales:
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            subprocess.run(  # noqa: S603 - our own module, our own arguments
                [sys.executable, "-m", "bench.pages", "--worker", str(scale), "--out", out.name]
                + ["--repeat", str(repeat)],
                check=True,
                env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
            )
            runs.append(json.loads(Path(out.name).read_text(encoding="utf-8")))
    return runs


def over_budget(result: dict[str, Any]) -> bool:
    return bool(result["queries"] > result["max_queries"])


def target_verdict(result: dict[str, Any], scale: float) -> str:
    misses = []
    if over_budget(result):
        misses.append(f"> {result['max_queries']} queries")
    if result["kind"] != "list" or scale < 1:
        return "✗ " + ", ".join(misses) if misses else ""
    if result["median"] >= TARGET_MS:
        misses.append(f"≥ {TARGET_MS:.0f} ms")
    if result["ratio"] > TARGET_RATIO:
        misses.append(f"> {TARGET_RATIO:g}× floor")
    return "✗ " + ", ".join(misses) if misses else "✓"


def query_mismatches(runs: list[dict[str, Any]]) -> list[str]:
    names = runs[0]["pages"].keys()
    return [
        name
        for name in names
        if len({run["pages"][name]["queries"] for run in runs if name in run["pages"]}) > 1
    ]


def _counts(run: dict[str, Any]) -> str:
    return ", ".join(f"{count:,} {label}" for label, count in run["counts"].items())


def markdown(runs: list[dict[str, Any]]) -> str:
    lines: list[str] = []
    largest = runs[-1]
    for run in runs:
        lines += [
            f"#### Scale {run['scale']:g}: {_counts(run)} "
            f"(seeded in {run['seed_seconds']:.1f} s; {run['repeat']} requests per page)",
            "",
            "| page | kind | queries | median ms | p95 ms | CPU ms | × floor | KiB | target |",
            "|---|---|--:|--:|--:|--:|--:|--:|---|",
        ]
        for name, r in run["pages"].items():
            verdict = target_verdict(r, run["scale"])
            lines.append(
                f"| {name} | {r['kind']} | {r['queries']} | {r['median']:.1f} | {r['p95']:.1f} "
                f"| {r.get('cpu_median', 0):.1f} | {r['ratio']:.2f} | {r['bytes'] / 1024:.0f} "
                f"| {verdict} |"
            )
        lines.append("")
    if len(runs) > 1:
        header = " | ".join(f"scale {run['scale']:g}" for run in runs)
        lines += [
            "#### Queries per request, by scale",
            "",
            f"| page | {header} | same |",
            "|---|" + "--:|" * len(runs) + "---|",
        ]
        mismatched = set(query_mismatches(runs))
        for name in largest["pages"]:
            counts = " | ".join(str(run["pages"].get(name, {}).get("queries", "—")) for run in runs)
            lines.append(f"| {name} | {counts} | {'✗' if name in mismatched else '✓'} |")
        lines.append("")
    return "\n".join(lines)


def query_problems(runs: list[dict[str, Any]]) -> list[str]:
    """What a run gets wrong deterministically (whatever the machine's load)."""
    problems = [f"query count depends on rows: {name}" for name in query_mismatches(runs)]
    for name, result in runs[-1]["pages"].items():
        if over_budget(result):
            problems.append(f"{name}: {result['queries']} queries, over its budget")
    return problems


def failures(runs: list[dict[str, Any]]) -> list[str]:
    problems = [f"query count depends on rows: {name}" for name in query_mismatches(runs)]
    for run in runs:
        for name, result in run["pages"].items():
            verdict = target_verdict(result, run["scale"])
            if verdict.startswith("✗"):
                problems.append(f"scale {run['scale']:g} {name}: {verdict}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__)
    parser.add_argument("--scales", type=float, nargs="+", default=[0.1, 1.0])
    parser.add_argument("--repeat", type=int, default=30, help="requests per page and scale")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--check", action="store_true", help="fail on a missed target")
    parser.add_argument("--worker", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is not None:
        result = measure_scale(args.worker, args.repeat)
        args.out.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
        return 0
    runs = run_scales(sorted(args.scales), args.repeat)
    print(markdown(runs))
    if args.json:
        args.json.write_text(json.dumps(runs, ensure_ascii=False, indent=1), encoding="utf-8")
    problems = failures(runs) if args.check else query_problems(runs)
    for problem in problems:
        print(f"bench.pages: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
