"""List filters (django-filter FilterSets) of the outreach app, one module per part."""
