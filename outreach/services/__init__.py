"""Writes of the outreach app, one module per part (see `outreach.models`). Each is
`<entity>_<action>(*, …, by)`, keyword-only, atomic, permission checked inside,
`full_clean()` before saving (docs/architecture.md, "How a new app plugs in")."""
