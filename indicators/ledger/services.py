"""Writes of the task ledger: the plan file's deliverables kept in step with the file
(a load_plan hook), and a unit's monthly report on a deliverable with its evidence."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from actions.evidence import CheckedFile
from actions.models import Unit
from indicators.ledger.models import Deliverable, DeliverableEvidence, DeliverableReport, _evidence_path
from indicators.rules.ledger import Reported, evidence_problem

LABEL = "成果事项"


def deliverables_sync(*, plan, spec, counts) -> None:
    """Make the plan's deliverables say what the file's `deliverables:` says (called by
    indicators.services.plan.plan_load inside its transaction; a dry run rolls it back).
    A deliverable the file no longer holds is deleted unless units reported on it."""
    from indicators.services.plan import _name, _upsert  # the loader's own change lines

    units = {u.code: u for u in Unit.objects.all()}
    tasks = {t.code: t for t in plan.tasks.all()}
    known = set(Deliverable.objects.filter(plan=plan).values_list("code", flat=True))
    for d in spec.deliverables:
        obj = _upsert(
            Deliverable,
            counts,
            LABEL,
            {"plan": plan, "code": d.code},
            {
                "task": tasks[d.task],
                "name": d.name,
                "lead_unit": units[d.lead],
                "due": d.due,
                "source": d.source,
                "reading": d.reading,
                "pending": d.pending,  # the office's `confirmed` is never touched by a reload
                "sort_order": d.sort_order,
            },
        )
        wanted = {units[c].pk for c in d.co}
        existing = set(obj.co_units.values_list("pk", flat=True))
        if wanted != existing:
            if d.code in known:  # a new deliverable's co-units are part of "新增成果事项"
                added = sorted(units[c].code for c in d.co if units[c].pk not in existing)
                gone = sorted(u.code for u in units.values() if u.pk in existing - wanted)
                if added:
                    counts.lines.append(f"{LABEL} {_name(obj)}:新增配合单位 {', '.join(added)}")
                if gone:
                    counts.lines.append(f"{LABEL} {_name(obj)}:不再配合 {', '.join(gone)}")
            obj.co_units.set(wanted)
            counts[(f"{LABEL}配合单位", "updated")] += 1
    stale = Deliverable.objects.filter(plan=plan).exclude(code__in=[d.code for d in spec.deliverables])
    kept = stale.filter(reports__isnull=False).distinct()
    for o in kept:
        counts.lines.append(f"{LABEL} {_name(o)} 已从文件删除,但已有进展报告,保留")
        counts[(LABEL, "kept")] += 1
    doomed = stale.exclude(pk__in=kept.values("pk"))
    for o in doomed:
        counts.lines.append(f"删除{LABEL} {_name(o)}")
        counts[(LABEL, "deleted")] += 1
    doomed.delete()


def evidence_store(f: CheckedFile, *, report: DeliverableReport, user) -> DeliverableEvidence:
    """One evidence row; the bytes are written once per content (the path is the hash)."""
    ev = DeliverableEvidence(report=report, name=f.name, extension=f.extension, size=f.size, sha256=f.sha256, uploaded_by=user)
    path = _evidence_path(ev, "")
    if default_storage.exists(path):
        ev.file.name = path
    else:
        ev.file.save(path.rsplit("/", 1)[-1], ContentFile(f.data), save=False)
    ev.save()
    return ev


@transaction.atomic
def deliverable_report(
    *,
    deliverable: Deliverable,
    unit: Unit,
    period: date,
    state: str,
    note: str,
    files: list[CheckedFile],
    user,
    reason: str = "",
) -> DeliverableReport:
    """Save a unit's state of a deliverable for a month, with new evidence files; 已完成
    needs evidence (new or already attached). The history keeps who, when, old, new, why."""
    if unit.pk != deliverable.lead_unit_id and not deliverable.co_units.filter(pk=unit.pk).exists():
        raise ValidationError(f"{unit.name}不是“{deliverable.name}”的责任单位或配合单位。")
    report = DeliverableReport.objects.select_for_update().filter(deliverable=deliverable, unit=unit, period=period).first()
    has_evidence = bool(files) or (report is not None and report.evidence.exists())
    problem = evidence_problem(reported=state, has_evidence=has_evidence)
    if problem:
        raise ValidationError(problem)
    if report is not None and report.state == Reported.DONE and state != Reported.DONE and not reason.strip():
        raise ValidationError("已完成的事项改为其他状态时,须说明原因。")
    if report is None:
        report = DeliverableReport(deliverable=deliverable, unit=unit, period=period)
    elif report.state == state and report.note == note and not files:
        return report  # nothing changed: no history row
    report.state, report.note, report.entered_by = state, note, user
    report._change_reason = reason.strip()[:100]
    report._history_user = user  # also outside a request (imports, the demo)
    report.full_clean()
    report.save()
    for f in files:
        evidence_store(f, report=report, user=user)
    return report
