"""Reads behind the home pages: a leader's one glance at the city (达标率, 报送率, the red
list, the top and bottom units, the trend, the latest bulletin) and a reporter's month
(its state, the deadline, a return's reason). Built from the dashboards' selectors
(status_board, completeness_board, rankings): no status assembled here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from actions import clock
from actions.models import Plan, Unit
from indicators.models import StatusMonth, Submission, TargetStatus
from indicators.months import MonthFinality, collecting_month, month_finality, reporting_month_get
from indicators.rules.periods import format_month, months_of_year
from indicators.rules.reporting import ReportState, report_state
from indicators.rules.scoring import Ranked
from indicators.rules.status import is_judged
from indicators.rules.types import Status
from indicators.rules.workdays import working_days_between
from indicators.selectors import StatusRow, as_of_for, status_board
from indicators.status.board import plan_month_expected
from indicators.status.cache import rows_cached
from indicators.status.read import is_current
from reports.models import Kind, Report
from reports.rankings import scoring_formula
from reports.selectors.common import number, row_value_text, share_green
from reports.selectors.completeness import CompletenessSummary, completeness_board
from reports.selectors.rankings import month_deduction, month_ranking, rankings_months

TOP_N = 3  # the 红黑榜 practice: top 3 and bottom 3


@dataclass
class RedItem:
    row: StatusRow  # the city row
    lead: Unit | None
    units_red: list[str]  # the names of the units red on it

    @property
    def value_text(self) -> str:
        return row_value_text(self.row)


@dataclass
class RankedGroup:
    label: str
    top: list[Ranked]
    bottom: list[Ranked]


@dataclass
class LeaderHome:
    plan: Plan
    period: date
    finality: MonthFinality
    green: int
    judged: int
    completeness: CompletenessSummary
    reds: list[RedItem]
    top: list[Ranked]
    bottom: list[Ranked]
    group_label: str
    groups: list[RankedGroup]  # counties, then parks: each ranked beside the other
    trend: list[tuple[date, Decimal | None]]
    bulletin: Report | None

    share: Decimal | None  # 达标率: the city's judged targets that are green, in percent

    @property
    def trend_chart(self) -> dict:
        return {"months": [format_month(p) for p, _ in self.trend], "share": [number(s) for _, s in self.trend]}


def leader_home(*, plan: Plan, period: date, today: date | None = None) -> LeaderHome:
    """The month's figures for a leader: the glance (leader_glance) from Django's cache
    while the rows of the year's months up to `period` (and of the December before) are
    unchanged, the month's finality and the latest issued bulletin read each time."""
    today = today or clock.today()
    deduction = month_deduction(period, today)  # overdue 督办单 in the ranking: what it takes off is part of the key
    parts = [plan.pk, period, as_of_for(period, today), today, deduction.stamp]
    glance = rows_cached("leader-home", parts, rankings_months(period), lambda: leader_glance(plan, period, today, deduction))
    bulletin = (
        Report.objects.filter(kind=Kind.BULLETIN, state=Report.State.ISSUED)
        .defer("printed", "content")
        .select_related("series")
        .order_by("-key")
        .first()
    )
    return LeaderHome(plan=plan, period=period, finality=month_finality(period=period, today=today), bulletin=bulletin, **glance)


def leader_glance(plan: Plan, period: date, today: date, deduction=None) -> dict:
    """达标率, the red list, the completeness board, the top and bottom units of the
    plan's first group (the rankings page's per-month score inputs) and the city's 达标率
    month by month (its city rows only)."""
    board = status_board(plan=plan, period=period, today=today)
    green, judged, share = share_green(list(board.city_rows.values()))
    red_units: dict[int, list[str]] = {}
    for r in board.unit_rows:
        if r.status == Status.RED:
            red_units.setdefault(r.metric.pk, []).append(r.unit.name)
    reds = [
        RedItem(board.city_rows[m.pk], m.indicator.lead_unit, red_units.get(m.pk, []))
        for m in board.metrics
        if board.city_rows[m.pk].status == Status.RED
    ]
    ranking, labels = month_ranking(plan, period, today, deduction)
    group = "counties" if "counties" in ranking.groups else next(iter(ranking.groups))  # the plan's first group: 县市区
    groups = []
    for key in [g for g in ("counties", "parks") if g in ranking.groups] or [group]:
        ranked = ranking.groups[key]
        head = ranked[:TOP_N]
        groups.append(RankedGroup(labels[key], head, [r for r in ranked[-TOP_N:] if r not in head]))
    top, bottom = groups[0].top, groups[0].bottom
    return {
        "green": green,
        "judged": judged,
        "share": share,
        "completeness": CompletenessSummary.of(completeness_board(period=period, today=today)),
        "reds": reds,
        "top": top,
        "bottom": bottom,
        "group_label": labels[group],
        "groups": groups,
        "trend": city_trend(plan, board, today),
    }


def city_trend(plan: Plan, board, today: date) -> list[tuple[date, Decimal | None]]:
    """The city's 达标率 in each month of the year up to the board's month: the stored city
    rows of the current months in one query (two with the months' refresh times); a month
    without current rows from its board, computed for this request."""
    months = months_of_year(board.period.year, through=board.period)
    stored = {sm.period: sm for sm in StatusMonth.objects.filter(period__in=months)}
    current = [p for p in months if is_current(stored.get(p), as_of_for(p, today))]
    judged = {m.pk for m in board.metrics if is_judged(m.target)}
    counts = {p: [0, 0] for p in current}
    city = TargetStatus.objects.filter(period__in=current, unit__isnull=True, metric__plan=plan, metric_id__in=judged)
    for p, status in city.values_list("period", "status"):
        counts[p][0] += status == Status.GREEN
        counts[p][1] += 1
    out = []
    for p in months:
        if p == board.period:
            out.append((p, share_green(list(board.city_rows.values()))[2]))
        elif p in counts:
            g, j = counts[p]
            out.append((p, (Decimal(g * 100) / j).quantize(Decimal("0.1")) if j else None))
        else:
            out.append((p, share_green(list(status_board(plan=plan, period=p, today=today).city_rows.values()))[2]))
    return out


@dataclass
class ReporterHome:
    unit: Unit
    period: date
    deadline: date
    today: date
    state: ReportState
    submission: Submission | None

    @property
    def days_left(self) -> int:
        """Calendar days to the deadline (0: today; negative: past it)."""
        return (self.deadline - self.today).days

    @property
    def working_days_left(self) -> int:
        """Working days after today up to and including the deadline."""
        return working_days_between(self.today, self.deadline)

    @property
    def returned_reason(self) -> str | None:
        if self.state == ReportState.RETURNED and self.submission:
            return self.submission.returned_reason or "(未填写原因)"
        return None

    @property
    def countdown(self) -> str:
        if self.days_left > 0:
            return f"距按时报送截止还有 {self.days_left} 天({self.working_days_left} 个工作日)"
        if self.days_left == 0:
            return "今天是按时报送截止日"
        return f"已过按时报送截止日 {-self.days_left} 天"


def reporter_home(*, unit: Unit, today: date | None = None, approver: bool = False) -> ReporterHome:
    """The month being collected for `unit` (for an approver: the latest month waiting
    for its approval, when one is): its state in the one vocabulary, the deadline and,
    when returned, why. Five queries, six for an approver."""
    today = today or clock.today()
    period = collecting_month(today=today)
    waiting = (
        Submission.objects.filter(unit=unit, state=Submission.State.SUBMITTED).order_by("-period").first() if approver else None
    )
    if waiting is not None:
        period = waiting.period
    deadline = reporting_month_get(period).deadline
    sub = waiting or Submission.objects.filter(unit=unit, period=period).first()
    state = report_state(
        sub.state if sub else None,
        is_late=bool(sub and sub.is_late),
        deadline=deadline,
        today=today,
        expected_month=plan_month_expected(period),  # the plan's calendar: earlier months are never late
    )
    return ReporterHome(unit, period, deadline, today, state, sub)


@dataclass
class LedItem:
    """One metric a lead department (指标长) answers for city-wide: the city row, and how
    complete the city value is ("x/y 单位已报")."""

    row: StatusRow
    coverage_text: str
    complete: bool

    @property
    def value_text(self) -> str:
        return row_value_text(self.row)


@dataclass
class LeadHome:
    period: date
    items: list[LedItem]
    scored: bool  # whether the office counts these in the department's score (scoring.leads_scored)


def lead_home(*, plan: Plan, unit: Unit, period: date, today: date | None = None) -> LeadHome | None:
    """The city-wide status of the indicators `unit` leads (its 指标长's duty), for its home;
    None when it leads none. From the month's board (stored rows)."""
    if not plan.metrics.filter(indicator__lead_unit=unit).exists():
        return None
    board = status_board(plan=plan, period=period, today=today)
    items = []
    for m in board.metrics:
        if m.indicator.lead_unit_id != unit.pk:
            continue
        cov = board.coverage(m.pk)
        items.append(LedItem(board.city_rows[m.pk], cov.text, cov.complete))
    return LeadHome(period, items, scoring_formula(plan).leads_scored)
