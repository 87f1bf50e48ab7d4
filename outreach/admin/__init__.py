"""The admin site's outreach pages, one module per part, imported here so that Django's
admin autodiscovery (which imports `outreach.admin`) finds them all. Sensitive rows
(`SensitiveProfile`, `OverseasRecord`) are the office's only."""

# --- figures ---

# --- pairs ---

# --- suggestions ---

# --- learning ---
