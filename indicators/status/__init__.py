"""Statuses and completeness as stored rows, and the one service that writes them.

figure → `refresh.status_refresh` (the pure rules of indicators.rules, judged in
`compute.judge_row`) → TargetStatus (metric × unit × month, unit empty for the city),
ReportingStatus (unit × month) and StatusMonth (the month's judgement date, time computed,
dirty marker) → every page, API answer and report (`read.status_board`).

One module per job: `rows` (the types pages read), `compute` (pure: facts in, status
out), `board` (a month's facts read and judged), `write` (a month's stored rows in one
transaction), `refresh` (what is stale and why), `read` (every page's one way in),
`cache` (results kept until their months are refreshed). Import the module you need;
this package re-exports nothing."""
