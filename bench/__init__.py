"""Benchmarks: a large realistic dataset and the latency of every main page.

- `python -m bench.seed --scale N`: a fresh SQLite database under var/bench/ filled by
  the registered seed parts (`bench.registry.seed_part`, one module per app in
  `bench/parts/`); scale 1 is a large college (200 units, 2,000 people, …).
- `python -m bench.pages --scales 0.1 1`: each registered page (`bench.registry.bench_page`)
  requested repeatedly, median and p95 latency beside the floor (a constant page through
  the same middleware), and its query count at each scale.
- `python -m bench` (`make bench`): all of the above and every other benchmark module
  found in this package (`bench/pdf.py`, `bench/reminders.py`, …), written to
  docs/performance.md.

See docs/architecture.md ("Benchmarks") for how an app adds its data and pages.
"""
