"""Each app's part of the benchmark dataset and its pages: one module per app, imported
by `bench.registry.load_parts()` (see bench/registry.py)."""
