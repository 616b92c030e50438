"""The bulletin's quarter in numbers (达标率, 报送率, task progress) and its reporting
quality in words: split out of bulletin.py unchanged."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from actions.models import TaskReport
from indicators.models import Submission
from indicators.months import reporting_months_get
from indicators.rules.periods import add_months
from indicators.rules.reporting import on_time_counts, submission_timeliness
from indicators.rules.scoring import completeness
from indicators.rules.status import is_judged
from indicators.rules.types import Status
from indicators.selectors import reporting_month_get, status_board
from indicators.status.read import reporting_rows
from reports.builders.blocks import cn_date, num

UNITS_NAMED = 3  # units named beside a city red target, a move, a lapse in the body; the annex has all


def _share(part: int, whole: int):
    return completeness(part, whole) if whole else None


def _pct(value) -> str:
    return "—" if value is None else f"{num(value, 1)}%"


def _change(now, before, *, unit="个百分点") -> str:
    if now is None or before is None:
        return ""
    d = now - before
    if d == 0:
        return "，与上季度持平"
    return f"，较上季度{'提高' if d > 0 else '下降'}{num(abs(d), 1)}{unit}"


def _quarter_figures(plan, months, today):
    """达标率 of the city's judged targets at the quarter's last month, and the quarter's
    报送率 and 按时报送率 over every expected unit-month."""
    board = status_board(plan=plan, period=months[-1], today=today)  # one board: the other months only count reports
    city = [board.city_rows[m.pk] for m in board.metrics if is_judged(m.target)]
    counts = Counter(r.status for r in city)
    rows = [(p, r) for p in months for r in reporting_rows(period=p, today=today)]  # status.board.expected_units
    expected = {(r.unit_id, p) for p, r in rows}
    subs = [s for s in Submission.objects.filter(period__in=months) if (s.unit_id, s.period) in expected]
    submitted = {(s.unit_id, s.period) for s in subs if s.counts_as_submitted}
    # 按时报送率 over the months whose deadline has passed (rules.reporting.on_time_counts).
    deadlines = {p: rm.deadline for p, rm in reporting_months_get(months).items()}
    by_key = {(s.unit_id, s.period): s for s in subs}
    timeliness = {k: submission_timeliness(by_key.get(k), deadline=deadlines[k[1]], today=today) for k in expected}
    timely = [on_time_counts(t, deadline=deadlines[k[1]], today=today) for k, t in timeliness.items()]
    return {
        "board": board,
        "unit_names": {r.unit_id: r.unit.name for _, r in rows},
        "city": city,
        "counts": counts,
        "met": _share(counts[Status.GREEN], len(city) - counts[Status.GREY]),  # grey leaves the denominator
        "expected": expected,
        "submitted": submitted,
        "rate": _share(len(submitted), len(expected)),
        "on_time": _share(sum(t for t, _ in timely), sum(n for _, n in timely)),
        "subs": subs,
        "timeliness": timeliness,
    }


def _with_coverage(row, board) -> str:
    """A grey city target's name, with "x/y 单位已报" when it waits for its units."""
    cov = board.coverage(row.metric.pk)
    return row.metric.name if cov.complete or row.grey_reason != "not_reported" else f"{row.metric.name}（{cov.text}）"


def _task_sentence(plan, period) -> str:
    """Task progress without overstating it: a task is done when every unit that reported
    on it reported done, partly done when some did."""
    states = defaultdict(list)
    for task_id, state in TaskReport.objects.filter(period=period, task__plan=plan).values_list("task_id", "state"):
        states[task_id].append(state)
    total = plan.tasks.count()
    done = sum(1 for s in states.values() if s and all(x == TaskReport.State.DONE for x in s))
    partly = sum(1 for s in states.values() if TaskReport.State.DONE in s and not all(x == TaskReport.State.DONE for x in s))
    delayed = sum(1 for s in states.values() if TaskReport.State.DELAYED in s)
    if done:
        text = f"{total}项行动内容中，各责任单位均报告完成的{done}项，部分单位报告完成的{partly}项"
    else:  # "均报告完成的0项" reads as a slip
        text = f"{total}项行动内容中，尚无全部责任单位均报告完成的任务，部分单位报告完成的{partly}项"
    if delayed:
        text += f"，有单位报告进度滞后的{delayed}项"
    return text + "。"


def _counted(counter: Counter, unit: str) -> str:
    """Units named with how often, the most frequent first: "市工信局（2次），市商务局、衡南县（各1次）";
    in a large city the first ones and how many in all (the annex has every one)."""
    ordered = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = ordered[:UNITS_NAMED]
    by_n: dict[int, list[str]] = defaultdict(list)
    for name, n in shown:
        by_n[n].append(name)
    text = "，".join(f"{'、'.join(who)}（{'各' if len(who) > 1 else ''}{n}{unit}）" for n, who in by_n.items())
    return text + (f"等{len(ordered)}个单位" if len(ordered) > len(shown) else "")


def _discipline(year_end: bool, last: date) -> str:
    """What lateness costs, said where it is reported (a step of its own took two lines)."""
    if year_end:
        return "均已计入全年综合排名。"
    nxt = reporting_month_get(add_months(last, 1)).deadline
    return f"{add_months(last, 1).month}月数据须于{cn_date(nxt)}前报送，逾期报送和未报送情况纳入下季度综合排名。"
