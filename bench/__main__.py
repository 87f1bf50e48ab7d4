"""`python -m bench` (`make bench`): every benchmark, reported in docs/performance.md.

1. `bench.pages` at each scale (default 0.1 and 1): latency, ratio to the floor, queries.
2. Every other benchmark module of this package, found, not listed: any `bench/<name>.py`
   that is not part of the machinery (INFRASTRUCTURE below), e.g. `bench/pdf.py` or
   `bench/reminders.py`. Each runs as `python -m bench.<name>` with
       DJANGO_SETTINGS_MODULE=bench.settings
       BENCH_SCALE=<the largest scale>   BENCH_DB=<that scale's seeded database>
       BENCH_SMOKE=1 in a smoke run (be quick: a few iterations)
   and what it prints (Markdown) goes into the report under its name; a non-zero exit
   status is reported and fails the run.
3. The report replaces the part of docs/performance.md between the `bench:begin` and
   `bench:end` markers (the rest of that file is written by hand), with the date and
   the machine.

`--smoke` (CI): tiny scales, few repeats, nothing written unless `--output` is given;
fails when a page's query count depends on the rows or a benchmark module fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import pkgutil
import platform
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import bench
from bench import pages
from bench.seed import ROOT, database_path

INFRASTRUCTURE = frozenset({"__main__", "pages", "registry", "seed", "settings", "urls"})
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
REPORT = ROOT / "docs" / "performance.md"


@dataclass
class ModuleRun:
    name: str
    returncode: int
    seconds: float
    output: str


def discover() -> list[str]:
    """The benchmark modules present: `bench/<name>.py` outside the machinery."""
    return sorted(
        module.name
        for module in pkgutil.iter_modules(bench.__path__)
        if not module.ispkg and module.name not in INFRASTRUCTURE
    )


def run_module(name: str, *, scale: float, smoke: bool, timeout: float) -> ModuleRun:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "BENCH_SCALE": f"{scale:g}",
        "BENCH_DB": str(database_path(scale)),
        "PYTHONPATH": str(ROOT),
    }
    if smoke:
        env["BENCH_SMOKE"] = "1"
    started = time.perf_counter()
    try:
        result = subprocess.run(  # noqa: S603 - a module of this package
            [sys.executable, "-m", f"bench.{name}"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        output = result.stdout.strip()
        if result.returncode != 0:
            output += f"\n\n(exit status {result.returncode})\n{result.stderr.strip()[-2000:]}"
        code = result.returncode
    except subprocess.TimeoutExpired:
        output, code = f"(stopped after {timeout:.0f} s)", -1
    return ModuleRun(name, code, time.perf_counter() - started, output)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import django

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{cpu}, {os.cpu_count()} cores; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"SQLite {sqlite3.sqlite_version}; load average {load} at the end of the run"
    )


def report(runs: list[dict[str, Any]], modules: list[ModuleRun], *, seconds: float) -> str:
    now = dt.datetime.now(ZoneInfo("Asia/Shanghai"))
    lines = [
        BEGIN,
        f"_Written by `make bench` on {now:%Y-%m-%d %H:%M} (Asia/Shanghai) in {seconds:.0f} s._",
        f"_Machine: {machine()}._",
        "",
        "### Pages (`bench.pages`)",
        "",
        pages.markdown(runs),
    ]
    for module in modules:
        status = "" if module.returncode == 0 else " — **failed**"
        lines += [
            f"### `bench.{module.name}` ({module.seconds:.0f} s){status}",
            "",
            module.output,
            "",
        ]
    if not modules:
        lines += ["_No other benchmark modules are present yet._", ""]
    lines.append(END)
    return "\n".join(lines)


def write_report(text: str, path: Path) -> None:
    current = (
        path.read_text(encoding="utf-8") if path.exists() else f"# Performance\n\n{BEGIN}\n{END}\n"
    )
    if BEGIN not in current or END not in current:
        current = current.rstrip() + f"\n\n{BEGIN}\n{END}\n"
    head, rest = current.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    path.write_text(head + text + tail, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny scales, a quick check")
    parser.add_argument("--scales", type=float, nargs="+")
    parser.add_argument("--repeat", type=int)
    parser.add_argument("--output", type=Path, help=f"default {REPORT.relative_to(ROOT)}")
    parser.add_argument("--check", action="store_true", help="also fail on a missed target")
    args = parser.parse_args(argv)
    scales = sorted(args.scales or ([0.05, 0.1] if args.smoke else [0.1, 1.0]))
    repeat = args.repeat or (5 if args.smoke else 30)
    output = args.output or (None if args.smoke else REPORT)

    started = time.perf_counter()
    runs = pages.run_scales(scales, repeat)
    print(pages.markdown(runs))
    modules = []
    for name in discover():
        print(f"bench: running bench.{name} at scale {scales[-1]:g}", file=sys.stderr)
        modules.append(
            run_module(
                name, scale=scales[-1], smoke=args.smoke, timeout=120 if args.smoke else 3600
            )
        )
        print(f"### bench.{name}\n\n{modules[-1].output}\n")
    if output is not None:
        write_report(report(runs, modules, seconds=time.perf_counter() - started), output)
        print(f"bench: wrote {output}", file=sys.stderr)

    problems = [f"bench.{m.name} failed" for m in modules if m.returncode != 0]
    problems += pages.failures(runs) if args.check else pages.query_problems(runs)
    for problem in problems:
        print(f"bench: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
