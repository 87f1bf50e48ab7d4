"""Build the benchmark database: `python -m bench.seed --scale 1`.

A fresh SQLite file `var/bench/scale-<N>.sqlite3` (or `--db PATH`), migrated, then filled
by every registered seed part (`bench/parts/*.py`) in order, each in one transaction,
with bulk inserts. The data is deterministic for a given scale (a fixed random seed).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEED = 2026


def database_path(scale: float) -> Path:
    return ROOT / "var" / "bench" / f"scale-{scale:g}.sqlite3"


def use_database(path: Path) -> None:
    """Point Django at the bench settings and `path`; call before anything imports
    settings (the first `django.setup()` of the process)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["BENCH_DB"] = str(path)
    import django

    django.setup()


def build(scale: float, *, path: Path | None, verbose: bool = True) -> dict[str, Any]:
    """Recreate the SQLite database at `path` (or fill the empty database the settings
    name, `path` None: PostgreSQL for `bench.load`) and run every seed part; returns
    what was made."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from bench.registry import SEED_PARTS, SeedContext, load_parts

    connection.close()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter()
    load_parts()
    ctx = SeedContext(scale=scale, rng=random.Random(SEED))
    timings = {}
    for part in sorted(SEED_PARTS, key=lambda p: (p.order, p.name)):
        part_start = time.perf_counter()
        with transaction.atomic():
            part.func(ctx)
        timings[part.name] = time.perf_counter() - part_start
        if verbose:
            print(f"  {part.name}: {timings[part.name]:.1f} s", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # what `manage.py migrate` leaves to the planner otherwise
    return {
        "scale": scale,
        "database": str(path) if path is not None else "(the settings' database)",
        "counts": ctx.counts,
        "migrate_seconds": migrated - started,
        "seed_seconds": time.perf_counter() - migrated,
        "parts": timings,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.seed", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 200 units, 2,000 people")
    parser.add_argument("--db", type=Path, help="the SQLite file (default var/bench/scale-N)")
    args = parser.parse_args(argv)
    if args.scale <= 0:
        parser.error("--scale must be positive")
    path = args.db or database_path(args.scale)
    use_database(path)
    report = build(args.scale, path=path)
    counts = ", ".join(f"{count:,} {label}" for label, count in report["counts"].items())
    print(
        f"scale {args.scale:g}: {counts} in {report['seed_seconds']:.1f} s "
        f"(+ migrate {report['migrate_seconds']:.1f} s) -> {path}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
