"""Demo data of the outreach app, for `seed_demo`: one section per part, each an
idempotent function through the services the pages use, dates relative to `today`.
Figures first (the other parts pair, talk with and hear from them)."""

from __future__ import annotations

import datetime as dt

from portal.models import Unit, User

# --- figures ---


# --- pairs ---


# --- suggestions ---


# --- learning ---


def seed_demo(*, units: dict[str, Unit], logins: dict[str, User], today: dt.date) -> str:
    """``seed_demo``'s entry point (found through the app registry): each part's summary."""
    lines: list[str] = []
    # --- figures ---
    # --- pairs ---
    # --- suggestions ---
    # --- learning ---
    return "\n".join(line for line in lines if line)
