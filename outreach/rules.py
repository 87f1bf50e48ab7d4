"""The outreach app's deadline rules (`portal.deadlines.registry`): the pairs' and key
contacts' quotas, the suggestions' answer deadlines, the learning pushes. Each part
declares its rules in its own function below; `register_rules()` runs them all from
`ready()`."""

from __future__ import annotations

# --- pairs ---


# --- suggestions ---


# --- learning ---


def register_rules() -> None:
    # --- pairs ---
    # --- suggestions ---
    # --- learning ---
    pass
