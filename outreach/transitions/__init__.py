"""The outreach app's declared workflows, one module per part; imported here so that
`tests/test_transitions_matrix.py` finds every one of them."""

# --- figures ---

# --- pairs ---

# --- suggestions ---

# --- learning ---
