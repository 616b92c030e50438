"""A plan file's text to a PlanSpec: the plan, its units, indicators, areas and tasks,
the scoring and the supervision rules; every problem collected in one PlanFileError."""

from __future__ import annotations

from datetime import date

import yaml

from indicators.planfile.metrics import _read_metric
from indicators.planfile.reader import _Loader, _Reader
from indicators.planfile.schema import (
    AREA_FIELDS,
    INDICATOR_FIELDS,
    PLAN_FIELDS,
    SCORING_FIELDS,
    SCORING_GROUP_FIELDS,
    SCORING_PART_FIELDS,
    SUPERVISION_RULE_FIELDS,
    SUPERVISION_RULES,
    TASK_FIELDS,
    UNIT_FIELDS,
    UNIT_KINDS,
)
from indicators.planfile.specs import AreaSpec, IndicatorSpec, PlanSpec, TaskSpec, UnitSpec
from indicators.rules.periods import PeriodError, parse_month
from indicators.rules.scoring import PARTS, Formula, Group, Part


class PlanFileError(Exception):
    """The file cannot be loaded; `problems` lists every reason, one line each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


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
    reporting_from = _read_reporting_from(r, data, year)

    units = []
    seen_units: dict[str, str] = {}
    unit_groups: dict[str, tuple] = {}
    unit_names: dict[str, str] = {}
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
            metric = _read_metric(r, mpath, mitem, seen_units, seen_indicators, seen_tasks, sort_order, year=year)
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
    from indicators.ledger.planfile import read_deliverables  # the task ledger's section

    deliverables = read_deliverables(r, data, units=seen_units, tasks=seen_tasks, year=year)

    if r.problems:
        raise PlanFileError(r.problems)
    return PlanSpec(year, title, issued, issuer, units, indicators, areas, scoring, supervision, deliverables, reporting_from)


def _read_reporting_from(r, data, year) -> date | None:
    """`reporting_from: 2022-06` (or a date): the plan's first reported month."""
    raw = data.get("reporting_from") if isinstance(data, dict) else None
    if raw is None:
        return None
    if isinstance(raw, date):
        month = raw.replace(day=1)
    else:
        try:
            month = parse_month(str(raw))
        except PeriodError as exc:
            r.problem(data, "reporting_from", "方案", str(exc))
            return None
    if year is not None and month.year != year:
        r.problem(data, "reporting_from", "方案", f"报送起始月份 {month:%Y-%m} 不在方案年度 {year} 年内")
    return month


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
