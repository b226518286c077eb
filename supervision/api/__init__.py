"""API v1 of daily supervision, one module per subject."""
