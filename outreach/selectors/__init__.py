"""Reads of the outreach app, scoped by user, one module per part (see
`outreach.models`). Sensitive data is read only through `outreach.selectors.sensitive`."""
