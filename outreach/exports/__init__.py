"""The outreach app's Excel exports, one module per part. Each writes only what the
user may see (the caller passes the scoped queryset and what it may show) through
`portal.spreadsheets.build_xlsx`, which keeps formula-looking text as text."""
