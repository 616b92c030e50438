"""Reads and checks a plan file (format: fixtures/PLAN_FORMAT.md) without touching the
database. Every problem is collected with its line and field, so the office can fix a
file in one pass; `indicators.services.plan.plan_load` writes only a file with none.

`parse.parse_plan` is the way in; `schema` says what a file may hold, `specs` what it
reads into, `reader` walks the YAML, `metrics` reads one metric and its target."""
