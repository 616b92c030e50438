"""Forms of the indicators app: `entry` (the monthly entry sheet, its row checks and the
Excel upload's file field), `review` (the workflow steps, corrections and the month's
dates), `baselines` (last year's values)."""
