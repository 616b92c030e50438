"""docs/TARGETS.md, generated from the plan file so that it cannot drift: every target of
the plan with the plan's sentence, our reading, who reports it, when it is judged and
whether the reading is the plan's fact or still 待核定. Written by
`python manage.py targets_doc`; a test compares the file with what the plan file gives."""

from __future__ import annotations

from indicators.planfile.schema import PENDING_LABELS
from indicators.planfile.specs import MetricSpec, PlanSpec
from indicators.rules.types import Kind

KIND_NAMES = {"county": "县市区", "park": "园区", "department": "市直及驻衡单位"}


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|") or "—"


def _reporters(m: MetricSpec, spec: PlanSpec) -> str:
    names = {u.code: u.name for u in spec.units}
    by_kind: dict[str, list[str]] = {}
    for u in spec.units:
        if u.reports:
            by_kind.setdefault(u.kind, []).append(u.code)
    chosen = set(m.reporters)
    parts = []
    for kind in ("county", "park", "department"):
        codes = by_kind.get(kind, [])
        mine = [c for c in codes if c in chosen]
        if codes and len(mine) == len(codes) and kind != "department":
            parts.append(f"全部{KIND_NAMES[kind]}({len(mine)}个)")
        else:
            parts += [names[c] for c in mine]
    return "、".join(parts)


def _when(m: MetricSpec) -> str:
    if m.kind == Kind.REFERENCE:
        return "不评判(参考指标)"
    if m.year_end_only:
        return "每年12月评判一次,此前未到考核期"
    if m.pace and m.pace_profile == "batch":
        months = "、".join(f"{x}月" for x in m.batch_months)
        return f"按批次进度评判({months}),此前未到考核期"
    if m.pace:
        start = "上年存量" if m.pace_from is None else f"{m.pace_from.normalize():f}"
        return f"每月按时序进度评判(从{start}起)"
    if m.kind == Kind.MILESTONE:
        steps = ";".join(f"{name} {due.isoformat()}" for name, due in m.checkpoints)
        return f"每月评判,期限 {m.due.isoformat() if m.due else '—'}" + (f",节点:{steps}" if steps else "")
    if m.basis == "year_end":
        return "每月按报送的全年测算值评判"
    if m.basis == "ytd":
        return "每月按年初至当月累计值评判"
    return "每月评判"


def _status(m: MetricSpec) -> str:
    if not m.pending:
        return "方案原文"
    return "待核定:" + "、".join(PENDING_LABELS.get(f, f) for f in m.pending)


def targets_markdown(spec: PlanSpec) -> str:
    lines = [
        f"# {spec.year}年方案的全部目标(由方案文件生成,勿手工修改)",
        "",
        "本表由 `python manage.py targets_doc` 从 `fixtures/plan_<year>.yaml` 生成,测试核对其与方案文件一致。",
        "“口径状态”为“方案原文”的,按方案原文和口径评判;为“待核定”的,所列数值是市优化办的暂定理解,"
        "在“核定暂定值”页面核定之前,依据它们的评判显示为灰色“待核定”,不计入达标率、得分和排名"
        "(报送单位、牵头单位、对标值待核定的,不影响评判)。",
        "",
        "| 编码 | 目标 | 方案原文 | 口径 | 报送单位 | 何时评判 | 口径状态 |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for area in spec.areas:
        for m in area.metrics:
            row = [m.code, m.name, m.source, m.reading, _reporters(m, spec), _when(m), _status(m)]
            lines.append("| " + " | ".join(_cell(x) for x in row) + " |")
    return "\n".join(lines) + "\n"
