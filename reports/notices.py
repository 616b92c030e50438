"""The facts a document printed, captured when it is built (`printed_capture`, stored on
the version and never changed after 印发), and the 更正通知 of an issued document: drafted
when the office accepts a corrected unit-month (`notices_draft`), sent for review and
issued by the office with its own number (`notice_submit_review`, `notice_issue`).

A notice compares what the document printed (or its last issued notice made of it) with
the corrected unit-month's figures; the totals and ranks after are the printed ones with
the corrections applied (reports.printed), never the day's data."""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from actions import clock
from actions.models import Unit
from indicators.rules.periods import add_months, format_month, parse_month, parse_quarter, quarter_months
from indicators.rules.status import is_judged
from indicators.selectors import status_board
from reports.builders.blocks import Document, Head
from reports.builders.common import plan_of, value_text
from reports.builders.notice import notice_document
from reports.corrected import city_cell_after, reading_snapshot
from reports.models import CorrectionNotice, Kind, Report
from reports.printed import cell_key, corrections_apply, corrections_diff
from reports.rankings import rankings, scoring_formula
from reports.services.documents import doc_number_take, document_head, file_render
from reports.services.issue import issue_check
from reports.storage import report_dir

log = logging.getLogger(__name__)


# -- what a document printed ---------------------------------------------------------


def _cell(row, *, total: bool, shown: bool) -> dict:
    cell = {"v": value_text(row), "s": str(row.status), "t": total, "p": shown}
    if row.unit is not None:  # its reading and whether the city counts it: the city after a correction
        cell |= {"r": reading_snapshot(row.reading), "c": row.unit.counts_in_city}
    return cell


def printed_capture(*, kind: str, key: str, today: date | None = None) -> dict:
    """The figures, statuses, totals and ranks a version prints, read from the same
    boards its builder reads (same `today`). The dispatch prints each unit's figure of
    its month and counts them; the bulletin prints the city figures and the units' of
    the quarter's last month, counts the city's judged targets and ranks the units over
    the quarter (the year in Q4), whose other months' statuses are kept for the ranks."""
    units, metrics, cells = {}, {}, {}
    if kind == Kind.DISPATCH:
        period = parse_month(key)
        plan = plan_of(period.year)
        board = status_board(plan=plan, period=period, today=today)
        for row in board.unit_rows:
            units[row.unit.code], metrics[row.metric.code] = row.unit.name, row.metric.name
            cells[cell_key(key, row.unit.code, row.metric.code)] = _cell(row, total=True, shown=True)
        return {"kind": kind, "units": units, "metrics": metrics, "cells": cells, "totals_label": "各单位参评目标"}
    year, quarter = parse_quarter(key)
    plan = plan_of(year)
    last = quarter_months(year, quarter)[-1]
    periods = [date(year, m, 1) for m in range(1, 13)] if quarter == 4 else quarter_months(year, quarter)
    before = add_months(periods[0], -1)  # its statuses count in the first month's improvement
    for period in [before, *periods] if before.year == year else periods:
        board = status_board(plan=plan, period=period, today=today)
        month = format_month(period)
        for row in board.unit_rows:
            units[row.unit.code], metrics[row.metric.code] = row.unit.name, row.metric.name
            cells[cell_key(month, row.unit.code, row.metric.code)] = _cell(row, total=False, shown=period == last)
        if period == last:
            for row in board.city_rows.values():
                metrics[row.metric.code] = row.metric.name
                judged = is_judged(row.metric.target)
                cells[cell_key(month, "", row.metric.code)] = _cell(row, total=judged, shown=True)
    ranks = {}
    for ranking in rankings(plan=plan, periods=periods, today=today).values():
        if ranking.rows:
            ranks[ranking.label] = {
                r.unit: {
                    "name": r.name,
                    "rank": r.rank,
                    "score": str(r.score),
                    "previous": r.previous_rank,
                    "input": {k: v for k, v in asdict(ranking.inputs[r.unit]).items() if k not in ("unit", "name")},
                }
                for r in ranking.rows
            }
    return {
        "kind": kind,
        "units": units,
        "metrics": metrics,
        "cells": cells,
        "totals_label": f"截至{last.month}月底全市参评目标",
        "ranks": ranks,
        "rank_periods": [format_month(p) for p in periods],
        "formula": scoring_formula(plan).to_dict(),
    }


# -- the 更正通知 ----------------------------------------------------------------------


def documents_covering(period: date) -> list[tuple[str, str]]:
    """The documents that print month `period`: its dispatch, its quarter's bulletin, and
    the year-end bulletin (which ranks the whole year)."""
    quarter = (period.month - 1) // 3 + 1
    out = [(Kind.DISPATCH, format_month(period)), (Kind.BULLETIN, f"{period.year}Q{quarter}")]
    if quarter != 4:
        out.append((Kind.BULLETIN, f"{period.year}Q4"))
    return out


def _corrected_cells(*, unit: Unit, period: date, printed: dict, board) -> dict[str, tuple]:
    """The unit-month's figures and statuses as they now stand (`board`: the month's), and
    the city's of the metrics the unit reports (its figure is part of them) as `printed`
    plus the correction."""
    month = format_month(period)
    out, metric_ids = {}, set()
    for row in board.unit_rows:
        if row.unit.pk == unit.pk:
            out[cell_key(month, unit.code, row.metric.code)] = (value_text(row), str(row.status), reading_snapshot(row.reading))
            metric_ids.add(row.metric.pk)
    for metric_id, row in board.city_rows.items():
        if metric_id in metric_ids:
            out[cell_key(month, "", row.metric.code)] = (value_text(row), str(row.status))
            # From what was printed plus this correction, not the day's data (reports.corrected).
            unit_row = next(r for r in board.unit_rows if r.unit.pk == unit.pk and r.metric.pk == metric_id)
            after = city_cell_after(printed, month=month, row=row, unit_code=unit.code, corrected=unit_row.reading, board=board)
            out[cell_key(month, "", row.metric.code)] = after or out[cell_key(month, "", row.metric.code)]
    return out


def notices_draft(*, unit: Unit, period: date, user=None) -> list[CorrectionNotice]:
    """The office accepted unit `unit`'s corrected month `period`: every issued document
    that printed it gets a draft 更正通知 listing what the correction changes of what it
    printed (a notice still in draft for the same document takes the new correction in);
    a document whose printed facts do not change gets none. Nothing is issued here."""
    out = []
    board = None
    for kind, key in documents_covering(period):
        original = Report.objects.filter(kind=kind, key=key, state=Report.State.ISSUED).first()
        if original is None:
            continue
        if not original.printed:  # issued before documents kept their facts
            log.warning("%s issued without its printed facts: no 更正通知 drafted", original)
            continue
        board = board or status_board(plan=plan_of(period.year), period=period)
        with transaction.atomic():
            # The original is the lock: two acceptances at once draft one notice.
            Report.objects.filter(pk=original.pk).update(state=Report.State.ISSUED)
            Report.objects.select_for_update().get(pk=original.pk)
            notice = original.notices.exclude(state=CorrectionNotice.State.ISSUED).first()
            last = original.notices.filter(state=CorrectionNotice.State.ISSUED).order_by("-issued_at", "-pk").first()
            published = last.printed if last else original.printed
            base = notice.printed if notice else published
            after = corrections_apply(base, _corrected_cells(unit=unit, period=period, printed=base, board=board))
            changes = corrections_diff(published, after)
            if not changes:
                if notice is not None:  # the correction was corrected back: nothing to say
                    notice.delete()
                continue
            # Who asked, for which month: said by the notice even where only ranks moved.
            earlier = notice.changes.get("corrected", []) if notice else []
            asked = [*earlier, {"unit": unit.name, "period": format_month(period)}]
            changes["corrected"] = list({(a["unit"], a["period"]): a for a in asked}.values())
            notice = notice or CorrectionNotice(original=original)
            notice.changes, notice.printed = changes, after
            notice.drafted_at, notice.drafted_by = clock.now(), user
            notice.state = CorrectionNotice.State.DRAFT
            document = _document(notice, doc_date=clock.today())
            notice.title, notice.content, notice.head = document.title, document.content(), asdict(document.head)
            notice.save()
        _render_files(notice, document, suffix="draft")
        out.append(notice)
    if out:
        from actions.services import notify, office_users

        notify(
            users=office_users(),
            text=f"{unit.name}{period.year}年{period.month}月数据已更正，已起草{len(out)}份更正通知，请审核后印发。",
            url=reverse("reports:archive"),
        )
    return out


def _document(notice: CorrectionNotice, *, doc_date: date, number: str = "") -> Document:
    original = notice.original
    head = Head(**original.head) if original.head else Head()
    document = notice_document(
        kind=original.kind,
        key=original.key,
        original={"title": original.title, "number": original.doc_number, "date": (original.doc_date or doc_date).isoformat()},
        changes=notice.changes,
        to=head.to or "各有关单位",
    )
    document.head = document_head(document=document, kind=original.kind, doc_date=doc_date, number=number)
    return document


def _render_files(notice: CorrectionNotice, document: Document, *, suffix: str) -> None:
    folder = report_dir(notice.original.kind, notice.original.key)
    folder.mkdir(parents=True, exist_ok=True)
    names = {}
    for fmt in ("docx", "pdf"):
        path = folder / f"notice-{notice.pk}-{suffix}.{fmt}"
        file_render(path, fmt, document)
        names[fmt] = str(path.relative_to(settings.MEDIA_ROOT))
    CorrectionNotice.objects.filter(pk=notice.pk).update(**names)
    notice.docx, notice.pdf = names["docx"], names["pdf"]


def notice_submit_review(*, notice: CorrectionNotice, user) -> CorrectionNotice:
    """送审: the office sends a drafted notice for review before it is issued."""
    n = CorrectionNotice.objects.filter(pk=notice.pk, state=CorrectionNotice.State.DRAFT).update(
        state=CorrectionNotice.State.REVIEW
    )
    if not n:
        raise ValidationError("该更正通知不是草稿，不能送审。")
    notice.refresh_from_db()
    return notice


def notice_issue(*, notice: CorrectionNotice, user, doc_date: date | None = None) -> CorrectionNotice:
    """The office issues a notice with its own 发文字号 (in the series of the document it
    corrects) and 成文日期; its files are rendered again with both. Only the office calls
    this (the view checks the role): no reporter's or approver's step issues anything."""
    issue_check(user=user)
    doc_date = doc_date or clock.today()
    with transaction.atomic():
        n = (
            CorrectionNotice.objects.filter(pk=notice.pk)
            .filter(Q(state=CorrectionNotice.State.DRAFT) | Q(state=CorrectionNotice.State.REVIEW))
            .update(state=CorrectionNotice.State.ISSUED, issued_at=clock.now(), issued_by=user, doc_number="-")
        )
        if not n:
            raise ValidationError("该更正通知已印发，无需重复印发。")
        notice.refresh_from_db()
        number = doc_number_take(kind=notice.original.kind, year=doc_date.year)
        CorrectionNotice.objects.filter(pk=notice.pk).update(doc_number=number, doc_date=doc_date)
        notice.refresh_from_db()
        document = _document(notice, doc_date=doc_date, number=number)
        CorrectionNotice.objects.filter(pk=notice.pk).update(head=asdict(document.head))
    _render_files(notice, document, suffix="issued")
    notice.refresh_from_db()
    return notice
