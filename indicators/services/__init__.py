"""Writes to the plan, the figures and the monthly reporting workflow. Views, commands
and tasks call these; nothing else writes these models.

- `plan`: a year's plan from its checked file (`plan_load`).
- `figures`: figures from a file, all or nothing (`figures_import`).
- `bulk`: the bulk INSERT/UPDATE (COPY on PostgreSQL) that `figures` writes with.
- `workflow`: a unit-month's entry, submission and corrections.
- `review`: the unit's and the office's review of a submission (one by one or in bulk)."""
