"""Built reports (monthly dispatch, quarterly bulletin) and their archive."""
