"""Reads behind the pages of the reports app, one module per page family: common (shared
by all), overview, metric, unit, rankings, completeness, archive. Statuses and
completeness are the stored rows of indicators.status; every function runs a fixed
number of queries whatever the number of units, metrics and months."""
