"""The indicators app's pages, one module per page group: `entry` (the entry sheet and its
workflow steps), `excel` (its Excel round trip), `month` (the office's month overview,
dates and corrections), `history` (a figure's history), `baselines` (last year's values),
`plan_loads` (the plan loads). Every view checks access through actions.access."""
