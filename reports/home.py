"""Reads behind the home pages: a leader's one glance at the city (达标率, 报送率, the red
list, the top and bottom units, the trend, the latest bulletin) and a reporter's month
(its state, the deadline, a return's reason). Built from the dashboards' selectors
(status_board, completeness_board, rankings): no status assembled here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from actions.models import Plan, Unit
from indicators.models import Submission
from indicators.months import MonthFinality, collecting_month, month_finality
from indicators.rules.periods import format_month, months_of_year
from indicators.rules.reporting import ReportState, report_state
from indicators.rules.scoring import Ranked
from indicators.rules.types import Status
from indicators.rules.workdays import working_days_between
from indicators.selectors import StatusRow, reporting_month_get, status_board
from reports.models import Kind, Report
from reports.rankings import rankings
from reports.selectors.common import number, row_value_text, share_green
from reports.selectors.completeness import Completeness, completeness_board

TOP_N = 3  # the 红黑榜 practice: top 3 and bottom 3


@dataclass
class RedItem:
    row: StatusRow  # the city row
    lead: Unit | None
    units_red: list[Unit]

    @property
    def value_text(self) -> str:
        return row_value_text(self.row)


@dataclass
class LeaderHome:
    plan: Plan
    period: date
    finality: MonthFinality
    green: int
    judged: int
    completeness: Completeness
    reds: list[RedItem]
    top: list[Ranked]
    bottom: list[Ranked]
    group_label: str
    trend: list[tuple[date, Decimal | None]]
    bulletin: Report | None

    share: Decimal | None  # 达标率: the city's judged targets that are green, in percent

    @property
    def trend_chart(self) -> dict:
        return {"months": [format_month(p) for p, _ in self.trend], "share": [number(s) for _, s in self.trend]}


def leader_home(*, plan: Plan, period: date, today: date | None = None) -> LeaderHome:
    """The month's figures for a leader. Queries: the status boards of the year's months
    up to `period` and of the two months before it (rankings' movement; four each, from
    the cache when unchanged), the month's submissions, the completeness board, the
    month's dates and the latest issued bulletin."""
    today = today or timezone.localdate()
    board = status_board(plan=plan, period=period, today=today)
    green, judged, share = share_green(list(board.city_rows.values()))
    red_units: dict[int, list[Unit]] = {}
    for r in board.unit_rows:
        if r.status == Status.RED:
            red_units.setdefault(r.metric.pk, []).append(r.unit)
    reds = [
        RedItem(board.city_rows[m.pk], m.indicator.lead_unit, red_units.get(m.pk, []))
        for m in board.metrics
        if board.city_rows[m.pk].status == Status.RED
    ]
    groups = rankings(plan=plan, periods=[period], today=today)
    ranking = groups.get("counties") or next(iter(groups.values()))  # the plan's first group: 县市区
    ranked = ranking.rows
    top = ranked[:TOP_N]
    bottom = [r for r in ranked[-TOP_N:] if r not in top]
    trend = []
    for p in months_of_year(period.year, through=period):
        trend.append((p, share_green(list(status_board(plan=plan, period=p, today=today).city_rows.values()))[2]))
    bulletin = (
        Report.objects.filter(kind=Kind.BULLETIN, issued_at__isnull=False).select_related("series").order_by("-issued_at").first()
    )
    return LeaderHome(
        plan=plan,
        period=period,
        finality=month_finality(period=period, today=today),
        green=green,
        judged=judged,
        share=share,
        completeness=completeness_board(period=period, today=today),
        reds=reds,
        top=top,
        bottom=bottom,
        group_label=ranking.label,
        trend=trend,
        bulletin=bulletin,
    )


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


def reporter_home(*, unit: Unit, today: date | None = None) -> ReporterHome:
    """The month being collected for `unit`: its state in the one vocabulary, the
    deadline and, when returned, why. Four queries."""
    today = today or timezone.localdate()
    period = collecting_month(today=today)
    deadline = reporting_month_get(period).deadline
    sub = Submission.objects.filter(unit=unit, period=period).first()
    state = report_state(sub.state if sub else None, is_late=bool(sub and sub.is_late), deadline=deadline, today=today)
    return ReporterHome(unit, period, deadline, today, state, sub)
