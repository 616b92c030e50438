"""What a plan file may hold: the fields of each mapping, the choices and the lengths
(fixtures/PLAN_FORMAT.md). Anything else is a problem the reader reports."""

from __future__ import annotations

import re

from indicators.rules.types import Kind

CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
UNIT_KINDS = {"county", "park", "department"}
GROUPS = {"counties": "county", "parks": "park", "departments": "department"}
VALUE_KINDS = {Kind.AT_MOST, Kind.AT_LEAST, Kind.EXCEED, Kind.EXACTLY, Kind.CHANGE_VS_LAST_YEAR, Kind.RANK}
DIRECTION_KINDS = {Kind.CHANGE_VS_LAST_YEAR, Kind.RELATIVE_TO, Kind.IMPROVE, Kind.KEEP}
STRETCH_KINDS = {Kind.AT_MOST: "不高于", Kind.AT_LEAST: "不低于"}

# The fields each mapping may hold: anything else is a typo ("tolerence") that would
# otherwise be dropped silently.
PLAN_FIELDS = {
    "year",
    "title",
    "issued",
    "issuer",
    "reporting_from",
    "units",
    "indicators",
    "areas",
    "scoring",
    "supervision",
    "deliverables",
}
UNIT_FIELDS = {"code", "name", "kind", "parent", "reports", "needs_approval", "cases_in_county", "group"}
INDICATOR_FIELDS = {"code", "name", "lead_unit", "chief_name", "chief_post"}
AREA_FIELDS = {"code", "name", "goals", "tasks", "metrics"}
TASK_FIELDS = {"code", "title", "lead_indicator", "text"}
METRIC_FIELDS = {
    "code", "name", "indicator", "task", "unit", "measure", "aggregate", "basis", "scope", "reporters",
    "target", "baseline", "benchmarks", "source", "reading", "pending", "city_quorum",
}  # fmt: skip
TARGET_FIELDS = {
    "kind", "value", "low", "high", "direction", "metric", "due", "tolerance", "pace", "year_end_only",
    "stretch", "pace_profile", "batch_months", "pace_from", "checkpoints",
}  # fmt: skip
CHECKPOINT_FIELDS = {"name", "due"}
BENCHMARK_FIELDS = {"kind", "name", "value"}
# 双对标: the named kinds of benchmark, with the name shown when the file gives none.
BENCHMARK_KINDS = {"national_best": "全国最优", "province_best": "全省最优", "hengyang_2021": "衡阳2021年", "other": "其他对标"}
SCORING_FIELDS = {"parts", "groups", "red_black", "leads_scored"}
# 督查督办: what each rule watches and what it proposes (the thresholds are the office's
# settings, not the file's). A pair not listed here is not a rule the product knows.
SUPERVISION_RULE_FIELDS = {"when", "propose"}
SUPERVISION_RULES = {
    "red_months": {"supervise", "listed"},  # a target red N months running
    "order_overdue": {"interview"},  # an order past its due date unanswered
    "green_months": {"close"},  # the target of an open order green N months running
    "deliverable_overdue": {"supervise"},  # a task-ledger deliverable past its date, not done
}
SCORING_PART_FIELDS = {"code", "weight"}
SCORING_GROUP_FIELDS = {"code", "name", "kinds", "units"}
# What a metric's `pending:` may mark as awaiting the office's confirmation (待核定).
PENDING_LABELS = {
    "lead_unit": "牵头单位",
    "reporters": "报送单位",
    "value": "目标值(含排名名次)",
    "range": "目标区间",
    "due": "完成期限",
    "tolerance": "预警容差",
    "baseline": "上年基数",
    "benchmarks": "对标值",
    "reading": "口径理解",
    "checkpoints": "节点及日期",
    "batch_months": "集中认定月份",
    "pace": "时序进度",
}
# Longest texts the database holds (actions/models.py, indicators/models/).
# `pace_from: stock`: the pace starts from the baseline (last year's stock), not from 0.
PACE_FROM_STOCK = "stock"
ENTITY_CODE_LENGTH, METRIC_CODE_LENGTH = 40, 60
