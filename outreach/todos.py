"""The outreach app's to-dos on 我的待办 (`portal.todos.provider`), one provider per part."""

from __future__ import annotations


# --- pairs ---


# --- suggestions ---


# --- learning ---
