"""Small helpers every app shares, each with its own tests (tests/test_lib_*.py).

Nothing here imports an app or a model of the portal's own; apps import from here."""
