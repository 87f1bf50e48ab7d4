"""The outreach app's declared workflows, one module per part; imported here so that
`tests/test_transitions_matrix.py` finds every one of them."""

# --- figures ---

# --- pairs ---
from outreach.transitions.pairs import TALK_WORKFLOW as TALK_WORKFLOW

# --- suggestions ---
from outreach.transitions.suggestions import SUGGESTION_WORKFLOW as SUGGESTION_WORKFLOW

# --- learning ---
