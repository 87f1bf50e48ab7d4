"""Branch coverage per app, printed at the end of `make test`.

    python -m tests.coverage_by_app [--fail-under N]

Reads the `.coverage` file pytest-cov wrote (statements and branches together, as
coverage.py counts them with `branch = true`) and prints one line per app and per
engine of `portal/`. Exits non-zero when an app is below `--fail-under`.
"""

from __future__ import annotations

import argparse
import io
import sys

import coverage
from coverage.exceptions import NoDataError

AREAS = {
    "portal (core)": (["portal/*"], ["portal/documents/*", "portal/deadlines/*"]),
    "portal.documents": (["portal/documents/*"], []),
    "portal.deadlines": (["portal/deadlines/*"], []),
    "groups": (["groups/*"], []),
    "meetings": (["meetings/*"], []),
    "reports": (["reports/*"], []),
    "liaisons": (["liaisons/*"], []),
    "outreach": (["outreach/*"], []),
    "inspections": (["inspections/*"], []),
}
ALWAYS_OMITTED = ["*/migrations/*", "*/tests/*"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fail-under", type=float, default=0.0)
    args = parser.parse_args(argv)
    cov = coverage.Coverage()
    cov.load()
    print("\nBranch coverage per app (statements and branches)")
    print(f"{'app':<20} {'cover':>7}")
    low = []
    for name, (include, omit) in AREAS.items():
        try:
            percent = cov.report(include=include, omit=omit + ALWAYS_OMITTED, file=io.StringIO())
        except NoDataError:
            continue  # an app with no code yet (only its AppConfig measured as empty)
        print(f"{name:<20} {percent:>6.1f}%")
        if percent < args.fail_under:
            low.append(f"{name} {percent:.1f}% < {args.fail_under:.0f}%")
    for line in low:
        print(f"coverage too low: {line}", file=sys.stderr)
    return 1 if low else 0


if __name__ == "__main__":
    sys.exit(main())
