"""Benchmark of the exports' writer: ``python -m bench.exports`` (run by ``python -m bench``).

The same rows (a register's shape: a name, a unit, two dates, a number, a note of which
one in a hundred looks like a formula) are written twice into a temporary file:

1. **raw**: openpyxl's write-only mode alone, `sheet.append(row)`;
2. **write_xlsx**: `portal.spreadsheets.write_xlsx`, the one writer every export uses
   (bold frozen header, dates with a number format, formula-like text as text).

Target: write_xlsx within ``MAX_RATIO`` (1.3×) of raw on 100,000 rows (best of the
repeats, interleaved), and flat memory: the peak traced by `tracemalloc` while writing
100,000 rows within ``MAX_MEMORY_GROWTH`` of the peak for 10,000 (the rows come from a
generator, as an export's queryset iterator does). `tracemalloc` sees Python's
allocations, not a C library's. ``BENCH_SMOKE=1`` (CI): 10,000 and 1,000 rows, one
repeat fewer. The database is not used.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

MAX_RATIO = 1.3
MAX_MEMORY_GROWTH = 1.5  # the 100,000-row peak over the 10,000-row peak
HEADERS = ["姓名", "单位", "出生日期", "登记日期", "分值", "备注"]


def rows(count: int) -> Iterator[list[Any]]:
    start = dt.date(1960, 1, 1)
    for index in range(count):
        note = f"=HYPERLINK({index})" if index % 100 == 0 else f"第{index}条备注，情况正常"
        yield [
            f"人员{index:06d}",
            f"学院{index % 200:03d}",
            start + dt.timedelta(days=index % 15000),
            dt.date(2026, 1, 1) + dt.timedelta(days=index % 365),
            index % 97,
            note,
        ]


def raw(path: Path, count: int) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("导出")
    sheet.append(HEADERS)
    for row in rows(count):
        sheet.append(row)
    workbook.save(path)


def ours(path: Path, count: int) -> None:
    from portal.spreadsheets import write_xlsx

    write_xlsx(path, title="导出", headers=HEADERS, rows=rows(count), widths=[12] * 6)


def timed(function: Any, path: Path, count: int) -> float:
    started = time.perf_counter()
    function(path, count)
    return time.perf_counter() - started


def peak(function: Any, path: Path, count: int) -> int:
    tracemalloc.start()
    try:
        function(path, count)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    smoke = os.environ.get("BENCH_SMOKE") == "1"
    large, small = (10_000, 1_000) if smoke else (100_000, 10_000)
    repeats = 2 if smoke else 3
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.xlsx"
        times: dict[str, list[float]] = {"raw": [], "write_xlsx": []}
        for _ in range(repeats):
            times["raw"].append(timed(raw, path, large))
            times["write_xlsx"].append(timed(ours, path, large))
        size = path.stat().st_size
        peaks = {count: peak(ours, path, count) for count in (small, large)}
    best = {name: min(values) for name, values in times.items()}
    ratio = best["write_xlsx"] / best["raw"]
    growth = peaks[large] / peaks[small]
    ok = ratio <= MAX_RATIO and growth <= MAX_MEMORY_GROWTH
    print(
        f"{large:,} rows × {len(HEADERS)} columns, best of {repeats}"
        + (" (smoke)" if smoke else "")
    )
    print()
    print("| writer | seconds | rows/s |")
    print("|---|---:|---:|")
    for name, seconds in best.items():
        print(f"| {name} | {seconds:.2f} | {large / seconds:,.0f} |")
    print()
    print(f"- ratio write_xlsx / raw: **{ratio:.2f}** (target ≤ {MAX_RATIO})")
    print(
        f"- peak traced memory: {peaks[small] / 2**20:.1f} MiB at {small:,} rows, "
        f"{peaks[large] / 2**20:.1f} MiB at {large:,} rows (×{growth:.2f}; "
        f"target ≤ ×{MAX_MEMORY_GROWTH})"
    )
    print(f"- file: {size / 2**20:.1f} MiB")
    if not ok:
        print("\n**FAILED**: over the target")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
