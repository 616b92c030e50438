"""Pure domain rules of the action plan: target status, aggregation, pace and projection,
scoring, working days. Plain Python (no Django), so they are tested without a database."""
