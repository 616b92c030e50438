"""Reads and checks a plan file (format: fixtures/PLAN_FORMAT.md) without touching the
database. Every problem is collected with its line and field, so the office can fix a
file in one pass; `indicators.services.plan.plan_load` writes only a file with none."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

import yaml

from indicators.rules.pace import PACEABLE_KINDS
from indicators.rules.scoring import PARTS, Formula, Group, Part
from indicators.rules.types import Basis, Direction, Kind, Measure, PaceProfile

CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
UNIT_KINDS = {"county", "park", "department"}
GROUPS = {"counties": "county", "parks": "park", "departments": "department"}
VALUE_KINDS = {Kind.AT_MOST, Kind.AT_LEAST, Kind.EXCEED, Kind.EXACTLY, Kind.CHANGE_VS_LAST_YEAR, Kind.RANK}
DIRECTION_KINDS = {Kind.CHANGE_VS_LAST_YEAR, Kind.RELATIVE_TO, Kind.IMPROVE, Kind.KEEP}
STRETCH_KINDS = {Kind.AT_MOST: "不高于", Kind.AT_LEAST: "不低于"}


class PlanFileError(Exception):
    """The file cannot be loaded; `problems` lists every reason, one line each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class _Map(dict):
    """A YAML mapping that remembers the line of each of its keys."""

    line: int = 0
    key_lines: dict


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader, node, deep=False):
    loader.flatten_mapping(node)
    result = _Map()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.MarkedYAMLError(problem=f"重复的字段“{key}”", problem_mark=key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_timestamp(loader, node):
    # "2022-05-32" looks like a date to YAML but is none: keep the text, so that the
    # field's check reports it with its line and field instead of a crash.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return node.value


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)

# The fields each mapping may hold: anything else is a typo ("tolerence") that would
# otherwise be dropped silently.
PLAN_FIELDS = {"year", "title", "issued", "issuer", "units", "indicators", "areas", "scoring", "supervision"}
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
# Longest texts the database holds (actions/models.py, indicators/models.py).
ENTITY_CODE_LENGTH, METRIC_CODE_LENGTH = 40, 60


@dataclass
class UnitSpec:
    code: str
    name: str
    kind: str
    parent: str | None
    reports: bool
    needs_approval: bool
    cases_in_county: str | None = None


@dataclass
class IndicatorSpec:
    code: str
    name: str
    lead_unit: str
    chief_name: str
    chief_post: str


@dataclass
class TaskSpec:
    code: str
    number: int
    title: str
    text: str
    lead_indicator: str


@dataclass
class MetricSpec:
    code: str
    name: str
    indicator: str
    task: str | None
    unit: str
    measure: str
    aggregate: str
    basis: str
    scope: str
    reporters: list[str]
    kind: str
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None
    direction: str
    relative_metric: str | None
    due: date | None
    tolerance: Decimal
    pace: bool
    year_end_only: bool
    baseline: Decimal | None
    stretch: Decimal | None
    pace_profile: str
    batch_months: list[int]
    pace_from: Decimal | None
    checkpoints: list[tuple[str, date]]
    benchmarks: list[tuple[str, Decimal, str]]  # (name, value, kind)
    source: str
    reading: str
    sort_order: int
    pending: list[str] = field(default_factory=list)
    # How many of its reporters must have reported before the city value is judged
    # (rules.aggregate.coverage); None: every one of them.
    city_quorum: int | None = None


@dataclass
class AreaSpec:
    code: str
    number: int
    name: str
    goals: str
    tasks: list[TaskSpec] = field(default_factory=list)
    metrics: list[MetricSpec] = field(default_factory=list)


@dataclass
class PlanSpec:
    year: int
    title: str
    issued: date | None
    issuer: str
    units: list[UnitSpec]
    indicators: list[IndicatorSpec]
    areas: list[AreaSpec]
    scoring: dict = field(default_factory=dict)  # Formula.to_dict(); empty: the default formula
    supervision: list[dict] = field(default_factory=list)  # [{"when": …, "propose": …}], in file order


class _Reader:
    """Walks the parsed YAML, recording problems instead of stopping at the first."""

    def __init__(self):
        self.problems: list[str] = []

    def problem(self, mapping, key, path, message):
        line = getattr(mapping, "key_lines", {}).get(key) or getattr(mapping, "line", 0)
        where = f"第{line}行" if line else "文件"
        self.problems.append(f"{where} {path}.{key}: {message}" if key else f"{where} {path}: {message}")

    def fields(self, mapping, path, allowed):
        for key in mapping if isinstance(mapping, dict) else ():
            if key not in allowed:
                self.problem(mapping, key, path, f"未知的字段“{key}”(请检查拼写;可用字段见 fixtures/PLAN_FORMAT.md)")

    def get(self, mapping, key, path, *, required=True, kind=str, default=None, max_length=None):
        if not isinstance(mapping, dict):
            self.problems.append(f"{path}: 应为键值映射")
            return default
        if key not in mapping or mapping[key] is None or mapping[key] == "":
            if required:
                self.problem(mapping, None, path, f"缺少必填字段“{key}”")
            return default
        raw = mapping[key]
        try:
            value = self._convert(raw, kind)
        except (ValueError, InvalidOperation, TypeError):
            names = {str: "文本", int: "整数", Decimal: "数字", date: "日期(YYYY-MM-DD)", bool: "true 或 false", list: "列表"}
            self.problem(mapping, key, path, f"“{raw}”不是有效的{names.get(kind, kind)}")
            return default
        if max_length is not None and len(value) > max_length:
            self.problem(mapping, key, path, f"超过 {max_length} 个字(当前 {len(value)} 个字)")
            return default
        return value

    @staticmethod
    def _convert(raw, kind):
        if kind is str:
            if isinstance(raw, (dict, list)):
                raise ValueError
            if "\x00" in str(raw):  # no database stores a NUL character in text
                raise ValueError
            return str(raw).strip()
        if kind is int:
            if isinstance(raw, bool) or not isinstance(raw, int):
                raise ValueError
            return raw
        if kind is Decimal:
            if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
                raise ValueError
            value = Decimal(str(raw))
            if not value.is_finite() or abs(value) >= Decimal(10) ** 14:
                raise ValueError
            return value
        if kind is date:
            if isinstance(raw, date):
                return raw
            return date.fromisoformat(str(raw))
        if kind is bool:
            if not isinstance(raw, bool):
                raise ValueError
            return raw
        if kind is list:
            if not isinstance(raw, list):
                raise ValueError
            return raw
        raise TypeError(kind)

    def code(self, mapping, path, key="code", max_length=ENTITY_CODE_LENGTH):
        value = self.get(mapping, key, path, max_length=max_length)
        if value is not None and not CODE_RE.match(value):
            self.problem(mapping, key, path, f"编码“{value}”只能包含小写字母、数字、下划线和连字符")
        return value

    def choice(self, mapping, key, path, choices, *, required=True, default=None):
        value = self.get(mapping, key, path, required=required, default=None)
        if value is None:
            return default
        if value not in choices:
            self.problem(mapping, key, path, f"“{value}”不是可选值之一({' / '.join(sorted(choices))})")
            return default
        return value

    def items(self, mapping, key, path, *, required=True):
        value = self.get(mapping, key, path, required=required, kind=list, default=[])
        # An item is named by its place and, when it has one, its code: "metrics[5](ip_rank)".
        return [
            (f"{path}.{key}[{i}]" + (f"({item['code']})" if isinstance(item, dict) and item.get("code") else ""), item)
            for i, item in enumerate(value or [])
        ]


def parse_plan(text: str) -> PlanSpec:
    """Parse and check a plan file's text; raise PlanFileError listing every problem."""
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 (_Loader is a SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"第{mark.line + 1}行第{mark.column + 1}列" if mark else "文件"
        raise PlanFileError([f"{where}: YAML 语法错误:{exc.problem}"]) from None
    except yaml.YAMLError as exc:
        raise PlanFileError([f"YAML 语法错误:{exc}"]) from None
    if not isinstance(data, dict):
        raise PlanFileError(["文件内容应为一个方案(键值映射),请参照 fixtures/PLAN_FORMAT.md"])

    r = _Reader()
    r.fields(data, "方案", PLAN_FIELDS)
    year = r.get(data, "year", "方案", kind=int)
    if year is not None and not 2000 <= year <= 2100:
        r.problem(data, "year", "方案", "年度应在 2000 至 2100 之间")
    title = r.get(data, "title", "方案", max_length=200)
    issued = r.get(data, "issued", "方案", required=False, kind=date)
    issuer = r.get(data, "issuer", "方案", required=False, default="", max_length=100)

    units = []
    seen_units: dict[str, str] = {}
    unit_names: dict[str, str] = {}
    unit_groups: dict[str, tuple] = {}
    unit_items = r.items(data, "units", "方案")
    for path, item in unit_items:
        r.fields(item, path, UNIT_FIELDS)
        code = r.code(item, path)
        spec = UnitSpec(
            code=code,
            name=r.get(item, "name", path, max_length=100),
            kind=r.choice(item, "kind", path, UNIT_KINDS),
            parent=r.get(item, "parent", path, required=False),
            reports=r.get(item, "reports", path, required=False, kind=bool, default=True),
            needs_approval=r.get(item, "needs_approval", path, required=False, kind=bool, default=False),
            cases_in_county=r.get(item, "cases_in_county", path, required=False),
        )
        if code in seen_units:
            r.problem(item, "code", path, f"单位编码“{code}”重复")
        if spec.name and spec.name in unit_names:
            r.problem(item, "name", path, f"单位名称“{spec.name}”与 {unit_names[spec.name]} 重复")
        unit_names.setdefault(spec.name, code)
        seen_units[code] = spec.kind
        units.append(spec)
        # The scoring group the unit is ranked in when not the one of its kind (驻衡单位
        # such as 海关, 税务, 人行, 供电 beside 市直部门): merged into scoring.groups[].units.
        if (group := r.get(item, "group", path, required=False)) and code:
            unit_groups[code] = (group, path, item)
    for spec, (path, item) in zip(units, unit_items, strict=True):
        if spec.parent and spec.parent not in seen_units:
            r.problem(item, "parent", path, f"未定义的单位编码“{spec.parent}”")
        _check_cases_in_county(r, path, item, spec, seen_units)

    indicators = []
    seen_indicators: dict[str, str] = {}
    for path, item in r.items(data, "indicators", "方案"):
        r.fields(item, path, INDICATOR_FIELDS)
        code = r.code(item, path)
        spec = IndicatorSpec(
            code=code,
            name=r.get(item, "name", path, max_length=50),
            lead_unit=r.get(item, "lead_unit", path),
            chief_name=r.get(item, "chief_name", path, required=False, default="", max_length=50),
            chief_post=r.get(item, "chief_post", path, required=False, default="", max_length=100),
        )
        if code in seen_indicators:
            r.problem(item, "code", path, f"指标编码“{code}”重复")
        if spec.lead_unit and spec.lead_unit not in seen_units:
            r.problem(item, "lead_unit", path, f"未定义的单位编码“{spec.lead_unit}”")
        seen_indicators[code] = spec.lead_unit
        indicators.append(spec)

    areas = []
    seen_areas, seen_tasks, seen_metrics = set(), set(), {}
    relative_refs = []
    sort_order = 0
    for number, (path, item) in enumerate(r.items(data, "areas", "方案"), start=1):
        r.fields(item, path, AREA_FIELDS)
        code = r.code(item, path)
        if code in seen_areas:
            r.problem(item, "code", path, f"行动编码“{code}”重复")
        seen_areas.add(code)
        area = AreaSpec(
            code=code,
            number=number,
            name=r.get(item, "name", path, max_length=50),
            goals=r.get(item, "goals", path, required=False, default=""),
        )
        for tnumber, (tpath, titem) in enumerate(r.items(item, "tasks", path), start=1):
            r.fields(titem, tpath, TASK_FIELDS)
            tcode = r.code(titem, tpath)
            if tcode in seen_tasks:
                r.problem(titem, "code", tpath, f"任务编码“{tcode}”重复")
            seen_tasks.add(tcode)
            lead = r.get(titem, "lead_indicator", tpath)
            if lead and lead not in seen_indicators:
                r.problem(titem, "lead_indicator", tpath, f"未定义的指标编码“{lead}”")
            area.tasks.append(
                TaskSpec(tcode, tnumber, r.get(titem, "title", tpath, max_length=100), r.get(titem, "text", tpath), lead)
            )
        for mpath, mitem in r.items(item, "metrics", path, required=False):
            sort_order += 1
            metric = _read_metric(r, mpath, mitem, seen_units, seen_indicators, seen_tasks, sort_order)
            if metric is None:
                continue
            if metric.code in seen_metrics:
                r.problem(mitem, "code", mpath, f"指标编码“{metric.code}”重复")
            seen_metrics[metric.code] = metric
            if metric.relative_metric:
                relative_refs.append((mpath, mitem, metric))
            area.metrics.append(metric)
        areas.append(area)
    for mpath, mitem, metric in relative_refs:
        target = mitem.get("target")
        if metric.relative_metric not in seen_metrics:
            r.problem(target, "metric", f"{mpath}.target", f"未定义的指标编码“{metric.relative_metric}”")
        elif metric.relative_metric == metric.code:
            r.problem(target, "metric", f"{mpath}.target", "对比指标不能是本指标自己")

    scoring = _read_scoring(r, data, seen_units, unit_groups)
    supervision = _read_supervision(r, data)

    if r.problems:
        raise PlanFileError(r.problems)
    return PlanSpec(year, title, issued, issuer, units, indicators, areas, scoring, supervision)


def _read_supervision(r, data) -> list[dict]:
    """The `supervision:` section: the rules that propose 督办, 挂牌督办, 约谈 and 销号.
    Absent: no rule proposes anything (the office still raises orders by hand)."""
    section = data.get("supervision") if isinstance(data, dict) else None
    if section is None:
        return []
    if not isinstance(section, list):
        r.problem(data, "supervision", "方案", "应为规则列表(每条含 when、propose)")
        return []
    rules, seen = [], set()
    for i, item in enumerate(section, start=1):
        path = f"方案.supervision[{i}]"
        r.fields(item, path, SUPERVISION_RULE_FIELDS)
        when = r.choice(item, "when", path, set(SUPERVISION_RULES))
        propose = r.get(item, "propose", path)
        if when and propose and propose not in SUPERVISION_RULES[when]:
            allowed = " / ".join(sorted(SUPERVISION_RULES[when]))
            r.problem(item, "propose", path, f"“{when}”只能提出 {allowed},不能提出“{propose}”")
            continue
        if (when, propose) in seen:
            r.problem(item, "propose", path, f"规则“{when} → {propose}”重复")
        elif when and propose:
            seen.add((when, propose))
            rules.append({"when": when, "propose": propose})
    return rules


def _check_cases_in_county(r, path, item, spec, units):
    """A park's cases may be inside its county's figure (then the city total leaves the
    park out, so no case is counted twice); only a park can say so, of a county."""
    county = spec.cases_in_county
    if not county:
        return
    if spec.kind and spec.kind != "park":
        r.problem(item, "cases_in_county", path, "只有园区(kind: park)可以填写 cases_in_county")
    elif county not in units:
        r.problem(item, "cases_in_county", path, f"未定义的单位编码“{county}”")
    elif units[county] != "county":
        r.problem(item, "cases_in_county", path, f"“{county}”不是县市区(kind: county)")
    elif spec.parent and spec.parent != county:
        r.problem(item, "cases_in_county", path, f"与所属县市区 parent “{spec.parent}”不一致")


def _read_scoring(r, data, units, unit_groups=None) -> dict:
    """The `scoring:` section: parts with weights, the groups ranked separately, and how
    many units the 红黑榜 names. Absent: the default formula (indicators.rules.scoring).
    `unit_groups`: the units section's `group:` of each unit, {code: (group, path, item)}."""
    unit_groups = unit_groups or {}
    section = data.get("scoring") if isinstance(data, dict) else None
    if section is None:
        for _code, (group, upath, item) in unit_groups.items():
            r.problem(item, "group", upath, f"未定义的计分分组“{group}”(须在 scoring.groups 中定义)")
        return {}
    if not isinstance(section, dict):
        r.problem(data, "scoring", "方案", "应为键值映射(parts、groups、red_black)")
        return {}
    path = "方案.scoring"
    r.fields(section, path, SCORING_FIELDS)
    parts, groups = [], []
    seen_parts = set()
    for ppath, pitem in r.items(section, "parts", path):
        r.fields(pitem, ppath, SCORING_PART_FIELDS)
        code = r.choice(pitem, "code", ppath, set(PARTS))
        weight = r.get(pitem, "weight", ppath, kind=int)
        if weight is not None and weight <= 0:
            r.problem(pitem, "weight", ppath, "权重须为正整数")
            weight = None
        if code in seen_parts:
            r.problem(pitem, "code", ppath, f"计分项“{code}”重复")
        seen_parts.add(code)
        if code and weight:
            parts.append(Part(code, weight))
    placed: dict[str, str] = {}
    seen_groups = set()
    for gpath, gitem in r.items(section, "groups", path):
        r.fields(gitem, gpath, SCORING_GROUP_FIELDS)
        code = r.code(gitem, gpath)
        name = r.get(gitem, "name", gpath, max_length=50)
        kinds = r.get(gitem, "kinds", gpath, required=False, kind=list, default=[])
        members = r.get(gitem, "units", gpath, required=False, kind=list, default=[])
        members = [*members, *(u for u, (g, _p, _i) in unit_groups.items() if g == code and u not in members)]
        if code in seen_groups:
            r.problem(gitem, "code", gpath, f"分组编码“{code}”重复")
        seen_groups.add(code)
        for kind in kinds:
            if kind not in UNIT_KINDS:
                r.problem(gitem, "kinds", gpath, f"“{kind}”不是单位类别之一({' / '.join(sorted(UNIT_KINDS))})")
            elif f"kind:{kind}" in placed:
                r.problem(gitem, "kinds", gpath, f"单位类别“{kind}”已在分组“{placed[f'kind:{kind}']}”中")
            placed.setdefault(f"kind:{kind}", code)
        for unit in members:
            if str(unit) not in units:
                r.problem(gitem, "units", gpath, f"未定义的单位编码“{unit}”")
            elif str(unit) in placed:
                r.problem(gitem, "units", gpath, f"单位“{unit}”已在分组“{placed[str(unit)]}”中")
            placed.setdefault(str(unit), code)
        if not kinds and not members:
            r.problem(gitem, None, gpath, "分组须填写 kinds(单位类别)或 units(单位编码)")
        if code and name:
            groups.append(Group(code, name, tuple(str(k) for k in kinds), tuple(str(u) for u in members)))
    for _code, (group, upath, item) in unit_groups.items():
        if group not in seen_groups:
            r.problem(item, "group", upath, f"未定义的计分分组“{group}”(须在 scoring.groups 中定义)")
    red_black = r.get(section, "red_black", path, required=False, kind=int, default=3)
    if red_black is not None and red_black < 0:
        r.problem(section, "red_black", path, "红黑榜人数不能为负数")
    leads_scored = r.get(section, "leads_scored", path, required=False, kind=bool, default=False)
    if not parts or not groups:
        return {}
    return Formula(tuple(parts), tuple(groups), red_black if red_black is not None else 3, bool(leads_scored)).to_dict()


def _read_metric(r, path, item, units, indicators, tasks, sort_order):
    r.fields(item, path, METRIC_FIELDS)
    code = r.code(item, path, max_length=METRIC_CODE_LENGTH)
    indicator = r.get(item, "indicator", path)
    if indicator and indicator not in indicators:
        r.problem(item, "indicator", path, f"未定义的指标编码“{indicator}”")
    task = r.get(item, "task", path, required=False)
    if task and task not in tasks:
        r.problem(item, "task", path, f"未定义的任务编码“{task}”(任务须在同一行动中先列出)")
    measure = r.choice(item, "measure", path, {m.value for m in Measure})
    aggregate = r.choice(item, "aggregate", path, {"sum", "worst"}, required=measure == "count", default="")
    if aggregate and measure != "count":
        r.problem(item, "aggregate", path, "只有计数类(count)指标需要汇总方式")
        aggregate = ""
    basis = r.choice(item, "basis", path, {b.value for b in Basis}, required=False, default="month")
    scope = r.choice(item, "scope", path, {"units", "city"}, required=False, default="units")

    raw_reporters = r.get(item, "reporters", path, required=False, kind=list, default=None)
    reporters: list[str] = []
    if raw_reporters is None:
        if scope == "city":
            reporters = [indicators.get(indicator)] if indicators.get(indicator) else []
        else:
            reporters = [c for c, k in units.items() if k in ("county", "park")]
    else:
        for entry in raw_reporters:
            entry = str(entry)
            if entry in GROUPS:
                reporters += [c for c, k in units.items() if k == GROUPS[entry]]
            elif entry in units:
                reporters.append(entry)
            else:
                r.problem(item, "reporters", path, f"未定义的单位编码或分组“{entry}”")
    reporters = list(dict.fromkeys(reporters))
    if scope == "city" and len(reporters) != 1:
        r.problem(item, "reporters", path, "全市统一报送(scope: city)的指标须且只能有一个报送单位")
    if not reporters and scope == "units":
        r.problem(item, "reporters", path, "至少需要一个报送单位")

    target = item.get("target") if isinstance(item, dict) else None
    tpath = f"{path}.target"
    if not isinstance(target, dict):
        r.problem(item, "target", path, "缺少目标(target)")
        target = _Map()
    r.fields(target, tpath, TARGET_FIELDS)
    kind = r.choice(target, "kind", tpath, {k.value for k in Kind})
    value = r.get(target, "value", tpath, required=kind in VALUE_KINDS, kind=Decimal)
    low = r.get(target, "low", tpath, required=kind == Kind.RANGE, kind=Decimal)
    high = r.get(target, "high", tpath, required=kind == Kind.RANGE, kind=Decimal)
    if low is not None and high is not None and low > high:
        r.problem(target, "low", tpath, f"区间下限 {low} 大于上限 {high}")
    direction = r.choice(target, "direction", tpath, {d.value for d in Direction}, required=kind in DIRECTION_KINDS, default="")
    relative = r.get(target, "metric", tpath, required=kind == Kind.RELATIVE_TO)
    due = r.get(target, "due", tpath, required=kind == Kind.MILESTONE, kind=date)
    tolerance = r.get(target, "tolerance", tpath, required=False, kind=Decimal, default=Decimal(0))
    if tolerance is not None and tolerance < 0:
        r.problem(target, "tolerance", tpath, "预警容差不能为负数")
    pace = r.get(target, "pace", tpath, required=False, kind=bool, default=False)
    year_end_only = r.get(target, "year_end_only", tpath, required=False, kind=bool, default=False)
    baseline = r.get(item, "baseline", path, required=False, kind=Decimal)
    stretch, pace_profile, batch_months, pace_from, checkpoints = _read_judging(
        r, target, tpath, kind=kind, value=value, tolerance=tolerance, pace=pace, due=due
    )
    if pace and baseline is None and pace_from is None:
        r.problem(item, "baseline", path, "按时序进度考核(pace: true)须填写上年基数 baseline,或在目标中填写进度起点 pace_from")
    if kind == Kind.MILESTONE and measure != "milestone":
        r.problem(item, "measure", path, "里程碑目标的计量方式应为 milestone")
    if kind == Kind.RANK and measure != "rank":
        r.problem(item, "measure", path, "排名目标的计量方式应为 rank")
    if measure == "ratio" and isinstance(item, dict) and item.get("unit") not in (None, "%"):
        r.problem(item, "unit", path, "比率类指标的计量单位应为 %")

    benchmarks = []
    for bpath, bitem in r.items(item, "benchmarks", path, required=False):
        r.fields(bitem, bpath, BENCHMARK_FIELDS)
        bkind = r.choice(bitem, "kind", bpath, set(BENCHMARK_KINDS), required=False, default="other")
        name = r.get(bitem, "name", bpath, required=bkind == "other", max_length=100, default=BENCHMARK_KINDS[bkind])
        if any(b[0] == name for b in benchmarks):
            r.problem(bitem, "name", bpath, f"对标对象“{name}”重复")
        benchmarks.append((name, r.get(bitem, "value", bpath, kind=Decimal), bkind))

    pending = []
    for entry in r.get(item, "pending", path, required=False, kind=list, default=[]) or []:
        if str(entry) not in PENDING_LABELS:
            r.problem(item, "pending", path, f"“{entry}”不是可标记待核定的字段之一({' / '.join(PENDING_LABELS)})")
        elif str(entry) not in pending:
            pending.append(str(entry))

    return MetricSpec(
        code=code,
        name=r.get(item, "name", path, max_length=100),
        indicator=indicator,
        task=task,
        unit=r.get(item, "unit", path, required=False, default="", max_length=20),
        measure=measure,
        aggregate=aggregate or "",
        basis=basis,
        scope=scope,
        reporters=reporters,
        kind=kind,
        value=value,
        low=low,
        high=high,
        direction=direction or "",
        relative_metric=relative,
        due=due,
        tolerance=tolerance if tolerance is not None else Decimal(0),
        pace=bool(pace),
        year_end_only=bool(year_end_only),
        baseline=baseline,
        stretch=stretch,
        pace_profile=pace_profile,
        batch_months=batch_months,
        pace_from=pace_from,
        checkpoints=checkpoints,
        benchmarks=benchmarks,
        source=r.get(item, "source", path),
        reading=r.get(item, "reading", path, required=False, default=""),
        sort_order=sort_order,
        pending=pending,
        city_quorum=_read_quorum(r, path, item),
    )


def _read_quorum(r, path, item) -> int | None:
    """`city_quorum`: the reporters needed before the city value is judged (default all)."""
    quorum = r.get(item, "city_quorum", path, required=False, kind=int)
    if quorum is not None and quorum < 1:
        r.problem(item, "city_quorum", path, "全市判定所需报送单位数须为正整数(不填:全部报送单位)")
        return None
    return quorum


def _read_judging(r, target, tpath, *, kind, value, tolerance, pace, due):
    """The target fields that say how a figure is judged beyond its kind: the stretch
    value, the tolerance and pace of a cumulative target, a milestone's checkpoints."""
    stretch = r.get(target, "stretch", tpath, required=False, kind=Decimal)
    if stretch is not None:
        if kind not in STRETCH_KINDS:
            r.problem(target, "stretch", tpath, "力争值(stretch)只适用于 at_most / at_least 目标")
        elif value is not None and (stretch > value if kind == Kind.AT_MOST else stretch < value):
            better = "不高于" if kind == Kind.AT_MOST else "不低于"
            r.problem(target, "stretch", tpath, f"力争值 {stretch} 应优于目标值 {value}(即{better}目标值)")
    if pace and kind and kind not in PACEABLE_KINDS:
        r.problem(target, "pace", tpath, "按时序进度考核(pace: true)只适用于 at_most / at_least / exceed 目标")
    if tolerance and not pace:
        r.problem(
            target,
            "tolerance",
            tpath,
            "预警容差只适用于按时序进度考核(pace: true)的累计指标;未达到目标一律为未达标,请删除此项",
        )
    pace_from = r.get(target, "pace_from", tpath, required=False, kind=Decimal)
    profile = r.choice(target, "pace_profile", tpath, {p.value for p in PaceProfile}, required=False, default="linear")
    if not pace and ("pace_profile" in target or pace_from is not None):
        key = "pace_profile" if "pace_profile" in target else "pace_from"
        r.problem(target, key, tpath, "进度曲线和进度起点只适用于按时序进度考核(pace: true)的目标")
    batch_months: list[int] = []
    raw = r.get(target, "batch_months", tpath, required=profile == PaceProfile.BATCH, kind=list, default=[])
    for month in raw or []:
        if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
            r.problem(target, "batch_months", tpath, f"批次月份“{month}”应为 1 至 12 的整数")
        elif month in batch_months:
            r.problem(target, "batch_months", tpath, f"批次月份 {month} 重复")
        else:
            batch_months.append(month)
    if raw and profile != PaceProfile.BATCH:
        r.problem(target, "batch_months", tpath, "只有按批次推进(pace_profile: batch)的目标填写批次月份")
    checkpoints: list[tuple[str, date]] = []
    for cpath, citem in r.items(target, "checkpoints", tpath, required=False):
        r.fields(citem, cpath, CHECKPOINT_FIELDS)
        name = r.get(citem, "name", cpath, max_length=50)
        cdue = r.get(citem, "due", cpath, kind=date)
        if kind and kind != Kind.MILESTONE:
            r.problem(citem, None, cpath, "只有里程碑(milestone)目标可以设置节点")
        elif cdue is not None and due is not None and cdue > due:
            r.problem(citem, "due", cpath, f"节点日期 {cdue} 晚于完成期限 {due}")
        if name and cdue is not None:
            checkpoints.append((name, cdue))
    if len({c for c, _ in checkpoints}) != len(checkpoints):
        r.problem(target, "checkpoints", tpath, "节点名称重复")
    return stretch, profile, sorted(batch_months), pace_from, sorted(checkpoints, key=lambda c: c[1])
