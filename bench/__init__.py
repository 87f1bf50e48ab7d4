"""Benchmarks of the portal, run as modules: `python -m bench.<name>`."""
