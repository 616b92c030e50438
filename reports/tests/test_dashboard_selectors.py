"""The dashboard selectors: the month shown by default, the overview's filters, a
metric's year, rankings month by month and the completeness board."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from actions.models import Unit
from indicators.models import Figure, Metric, ReportingMonth, Submission
from indicators.months import reporting_month_get
from indicators.rules.pace import expected_value
from indicators.rules.periods import add_months
from indicators.rules.reporting import ReportState
from indicators.rules.types import Status
from indicators.selectors import status_board
from indicators.status.refresh import status_refresh
from reports.rankings import rankings
from reports.selectors.common import dashboard_month, value_text
from reports.selectors.completeness import completeness_board, report_state
from reports.selectors.metric import metric_series, series_json
from reports.selectors.overview import figure_detail, overview
from reports.selectors.rankings import rankings_by_month
from reports.tests.dashboard_data import demo_year

JUNE = date(2022, 6, 1)
S = Submission.State
R = ReportState
DEADLINE = date(2022, 7, 5)


@pytest.mark.parametrize(
    "state,late,today,expected",
    [
        (None, False, date(2022, 7, 5), R.NOT_STARTED),  # deadline day: still time
        (None, False, date(2022, 7, 6), R.MISSING),
        (S.DRAFT, False, date(2022, 7, 1), R.DRAFT),
        (S.DRAFT, False, date(2022, 7, 6), R.MISSING),
        (S.SUBMITTED, False, date(2022, 7, 6), R.SUBMITTED),
        (S.APPROVED, False, date(2022, 7, 6), R.APPROVED),
        (S.APPROVED, True, date(2022, 7, 9), R.LATE),
        (S.SUBMITTED, True, date(2022, 7, 9), R.LATE),
        (S.ACCEPTED, True, date(2022, 7, 9), R.ACCEPTED),
        (S.RETURNED, False, date(2022, 7, 9), R.RETURNED),
    ],
)
def test_report_state(state, late, today, expected):
    submission = Submission(state=state, is_late=late) if state else None
    assert report_state(submission, deadline=DEADLINE, today=today) == expected


def test_dashboards_open_on_the_latest_month_with_data_up_to_the_month_being_collected(plan_2022):
    demo_year(plan_2022, today=date(2022, 8, 1))  # January to June
    assert dashboard_month(today=date(2022, 7, 20)) == JUNE  # July is collected, nothing typed yet
    assert dashboard_month(today=date(2022, 7, 3)) == JUNE  # June is still being collected
    assert dashboard_month(today=date(2022, 6, 3)) == date(2022, 5, 1)  # June's figures lie ahead
    july = Figure.objects.filter(period=JUNE).first()
    july.pk, july.period = None, date(2022, 7, 1)
    july.save()
    assert dashboard_month(today=date(2022, 8, 2)) == date(2022, 7, 1)  # typed while July is collected


def test_a_month_is_provisional_until_its_lock_date(plan_2022):
    from indicators.months import month_finality

    assert not month_finality(period=JUNE, today=date(2022, 7, 15)).final  # lock date: 15 July
    assert month_finality(period=JUNE, today=date(2022, 7, 15)).note == "数据为初步数据,本月尚未锁定。"
    assert month_finality(period=JUNE, today=date(2022, 7, 16)).final
    ReportingMonth.objects.create(period=JUNE, deadline=date(2022, 7, 5), lock_date=date(2022, 7, 29))
    assert not month_finality(period=JUNE, today=date(2022, 7, 16)).final
    assert ReportingMonth.objects.count() == 1  # reads never create a month


def test_no_figures_no_default_month(db):
    assert dashboard_month() is None


@pytest.fixture
def year(plan_2022):
    return demo_year(plan_2022, today=date(2022, 8, 1))


def test_status_filter_keeps_only_red_cells_and_the_rows_that_have_them(year, users):
    ov = overview(plan=year, period=JUNE, user=users["office"], status="red")
    cells = [c for r in ov.rows for c in r.cells if c]
    assert cells and {c.status for c in cells} == {Status.RED}
    assert {r.status for r in ov.visible_rows} == {Status.RED}
    full = overview(plan=year, period=JUNE, user=users["office"])
    assert len(ov.rows) < len(full.rows)
    assert ov.totals == full.totals  # the city counts are the month's, whatever the filter


def test_unit_kind_and_area_filters(year, users):
    area = year.areas.get(number=1)
    ov = overview(plan=year, period=JUNE, user=users["office"], unit_kind=Unit.Kind.PARK, area=area)
    assert ov.columns and {u.kind for u in ov.columns} == {Unit.Kind.PARK}
    assert {r.metric.area_id for r in ov.rows} == {area.pk}
    assert all(r.unit is not None for r in ov.visible_rows)  # the city is not a park


def test_a_paced_metric_has_its_pace_line_and_an_explained_projection(year):
    m = Metric.objects.select_related("plan", "relative_metric").get(plan=year, code="tech_smes")
    series = metric_series(metric=m, today=date(2022, 8, 1))
    # from last year's stock (pace_from: stock): the pace runs from 850 to 1000
    assert [p.pace for p in series.points][5] == expected_value(Decimal(850), Decimal(1000), 6)
    assert series.period == JUNE
    assert series.projection is not None
    assert series.meets is None  # shown, but a paced target is judged by its pace, not by the line
    assert "最小二乘" in series.method and "以上年基数为起点" in series.method
    data = series_json(series)
    assert len(data["months"]) == 12 and data["pace"][11] == 1000


def test_units_are_ranked_best_first(year):
    m = Metric.objects.select_related("plan").get(plan=year, code="business_start_days")  # at most: lower is better
    values = [uv.row.value for uv in metric_series(metric=m, today=date(2022, 8, 1)).units if uv.row.value is not None]
    assert values == sorted(values)


def test_rankings_by_month_are_those_of_the_published_rankings(year):
    data = rankings_by_month(plan=year, period=JUNE)
    assert [m.period for m in data.months] == [date(2022, n, 1) for n in range(1, 7)]
    for month in data.months:  # ranks, scores and movements, month by month
        published = rankings(plan=year, periods=[month.period])
        for group in ("counties", "parks", "departments"):
            assert month.groups[group] == published[group].rows, (month.period, group)
    assert "综合得分" in data.formula and "按时报送率" in data.terms


def test_completeness_board_lists_every_expected_unit_with_its_state(year):
    hengnan = Unit.objects.get(code="hengnan")
    Submission.objects.filter(unit=hengnan, period=JUNE).delete()
    board = completeness_board(period=JUNE, today=date(2022, 7, 3))
    codes = [r.unit.code for r in board.rows]
    assert "hengnan" in codes and "office" not in codes  # the office never reports
    row = next(r for r in board.rows if r.unit.code == "hengnan")
    assert row.state == R.NOT_STARTED and row.days == 2 and row.days_text == "距截止还有 2 天"
    assert board.submitted <= board.expected
    assert board.rate == Decimal(board.submitted * 1000 // board.expected) / 10 or board.rate <= 100
    late = completeness_board(period=JUNE, today=date(2022, 7, 8))
    assert next(r for r in late.rows if r.unit.code == "hengnan").days_text == "已逾期 3 天"


def test_a_submission_counts_days_from_its_submission(year):
    s = Submission.objects.filter(period=JUNE).select_related("unit").first()
    at = timezone.make_aware(datetime(2022, 7, 1, 10, 0))
    Submission.objects.filter(pk=s.pk).update(state=S.SUBMITTED, submitted_at=at, is_late=False)
    row = next(r for r in completeness_board(period=JUNE, today=date(2022, 9, 1)).rows if r.unit.pk == s.unit_id)
    assert row.days == 4 and row.days_text == "提前 4 天提交"


def test_value_text():
    # Shown with the decimals their targets need (format_figure): two here.
    ratio = Metric(measure=Metric.Measure.RATIO, unit_of_measure="%", kind="at_least", value=Decimal(90))
    days = Metric(measure=Metric.Measure.AVERAGE, unit_of_measure="个工作日", kind="at_most", value=Decimal("0.5"))
    milestone = Metric(measure=Metric.Measure.MILESTONE)
    assert value_text(ratio, Decimal("92.3456")) == "92.35%"
    assert value_text(days, Decimal("0.500")) == "0.5 个工作日"
    assert value_text(days, None) == "—"
    assert value_text(milestone, None) == "—"


def test_figure_detail_has_the_history(year):
    f = Figure.objects.filter(period=JUNE, metric__code="business_start_days").select_related("metric", "unit").first()
    f.value = Decimal("0.4")
    f.save()
    detail = figure_detail(metric=f.metric, unit=f.unit, period=JUNE)
    assert detail["row"].figure.pk == f.pk
    assert len(detail["history"]) >= 1


def test_rankings_follow_their_own_months_and_not_a_later_one(year, django_assert_num_queries):
    """Units entering July's figures do not recompute the rankings up to June that the
    office is reading; a change in June does."""
    rankings_by_month(plan=year, period=JUNE)
    some = Figure.objects.filter(period=JUNE).select_related("unit", "metric").first()
    july = date(2022, 7, 1)
    Submission.objects.create(unit=some.unit, period=july, version=1)
    Figure.objects.create(unit=some.unit, metric=some.metric, period=july, value=some.value, cases=some.cases)
    status_refresh(periods=[july])  # as the writing service's commit does
    # the office's 督办 scoring setting (nothing deducted), the months' deadlines (which of
    # them count for timeliness yet), their refresh times (and no plan for 2021): from the cache
    with django_assert_num_queries(4):
        rankings_by_month(plan=year, period=JUNE)

    june = Submission.objects.filter(period=JUNE, state=S.ACCEPTED).first()
    june.is_late = not june.is_late
    june.save()
    status_refresh(periods=[JUNE])
    data = rankings_by_month(plan=year, period=JUNE)
    published = rankings(plan=year, periods=[JUNE])
    for group in ("counties", "parks", "departments"):
        assert data.months[-1].groups[group] == published[group].rows


def _counted(inputs: dict) -> dict:
    """The inputs of the units that have anything counted: a unit with every count 0 (a
    month before the plan's first reported month) is ranked on nothing either way."""
    return {g: {u: i for u, i in units.items() if any(v for k, v in vars(i).items() if k not in ("unit", "name"))}
            for g, units in inputs.items()}  # fmt: skip


def test_the_score_inputs_stored_by_the_refresh_are_those_computed_from_the_statuses(year):
    """Each month's refresh stores what the score counts (judged, green, comparable and
    improved targets, led city values included) in the reporting rows; the rankings read
    them: for every month of the demo year they equal the inputs computed from the boards."""
    from reports.rankings import _inputs, scoring_formula
    from reports.selectors.rankings import _stored_inputs

    formula = scoring_formula(year)
    today = date(2022, 8, 1)  # the fixture's: its rows are current for this day
    periods = [date(2022, month, 1) for month in range(1, 7)]  # the months with figures
    deadlines = {p: reporting_month_get(p).deadline for p in periods}
    read_together = _stored_inputs(year, periods, today, deadlines)  # as the rankings page reads its months
    for period in periods:
        month, deadline = period.month, deadlines[period]
        stored = read_together.get(period)
        assert stored is not None, period
        assert _stored_inputs(year, [period], today, {period: deadline})[period] == stored  # alone, the same
        boards = {p: status_board(plan=year, period=p, today=today) for p in (period, add_months(period, -1))}
        boards = {p: b for p, b in boards.items() if p.year == 2022}
        submissions = {(s.unit_id, s.period): s for s in Submission.objects.filter(period=period)}
        computed = _inputs(boards, [period], submissions, formula, deadlines={period: deadline}, today=today)
        assert _counted(stored) == _counted(computed), period
        assert any(i.comparable for g in stored.values() for i in g.values()) or month == 1
