"""Admin for the reports archive."""
