"""A plan file's metric: who reports it, its target and how a figure is judged against it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from indicators.planfile.reader import _Map
from indicators.planfile.schema import (
    BENCHMARK_FIELDS,
    BENCHMARK_KINDS,
    CHECKPOINT_FIELDS,
    DIRECTION_KINDS,
    GROUPS,
    METRIC_CODE_LENGTH,
    METRIC_FIELDS,
    PACE_FROM_STOCK,
    PENDING_LABELS,
    STRETCH_KINDS,
    TARGET_FIELDS,
    VALUE_KINDS,
)
from indicators.planfile.specs import MetricSpec
from indicators.rules.pace import PACEABLE_KINDS
from indicators.rules.types import Basis, Direction, Kind, Measure, PaceProfile


def _read_metric(r, path, item, units, indicators, tasks, sort_order, year=None):
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
    due = r.get(target, "due", tpath, required=False, kind=date)
    # A milestone the plan gives no date: judged at the plan year's end, a date that is
    # our reading, so 待核定 until the office confirms it.
    undated = kind == Kind.MILESTONE and due is None and year is not None
    if undated:
        due = date(year, 12, 31)
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
        r.problem(
            item,
            "baseline",
            path,
            "按时序进度考核(pace: true)须填写上年基数 baseline(进度从上年存量起算:pace_from: stock),"
            "或在目标中填写进度起点 pace_from",
        )
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
    if undated and "due" not in pending:
        pending.append("due")

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
    # `pace_from: stock`: the pace starts from last year's stock (the baseline), said in
    # so many words (科技型中小企业: last year's firms count until the year's stock arrives).
    from_stock = isinstance(target, dict) and target.get("pace_from") == PACE_FROM_STOCK
    pace_from = None if from_stock else r.get(target, "pace_from", tpath, required=False, kind=Decimal)
    profile = r.choice(target, "pace_profile", tpath, {p.value for p in PaceProfile}, required=False, default="linear")
    if not pace and ("pace_profile" in target or "pace_from" in target):
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
