"""Forms of the outreach app, one module per part (see `outreach.models`)."""
