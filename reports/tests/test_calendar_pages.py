"""The pages that say where a unit's month stands read the plan's calendar (issue 21):
the 2022 plan was issued on 2022-05-17, so January–May are not expected and nobody is
逾期未报 for them; a month before its deadline is 未报送, never 逾期."""

from datetime import date

from actions.models import Unit
from indicators.models import ReportingMonth
from indicators.rules.reporting import ReportState
from indicators.selectors import month_overview
from reports.home import reporter_home
from reports.selectors.completeness import completeness_board
from reports.selectors.unit import unit_scorecard_compute

JAN, JUNE, JULY = date(2022, 1, 1), date(2022, 6, 1), date(2022, 7, 1)


def _months(plan_2022):
    ReportingMonth.objects.create(period=JAN, deadline=date(2022, 2, 7), lock_date=date(2022, 2, 15))
    ReportingMonth.objects.create(period=JUNE, deadline=date(2022, 7, 5), lock_date=date(2022, 7, 15))


def test_january_2022_shows_nobody_late_on_the_month_and_completeness_pages(plan_2022):
    _months(plan_2022)
    late_in_summer = date(2022, 8, 1)
    assert not [r for r in completeness_board(period=JAN, today=late_in_summer).rows if r.state == ReportState.MISSING]
    overview = month_overview(period=JAN)
    assert not [
        r for r in overview.rows if r.report_state(deadline=date(2022, 2, 7), today=late_in_summer) == ReportState.MISSING
    ]
    # June is expected: after its deadline, the units that did not report are 逾期未报
    june = completeness_board(period=JUNE, today=late_in_summer)
    assert june.rows and all(r.state == ReportState.MISSING for r in june.rows)


def test_a_month_before_its_deadline_is_not_reported_not_late(plan_2022):
    _months(plan_2022)
    before = date(2022, 7, 3)
    states = {r.state for r in completeness_board(period=JUNE, today=before).rows}
    assert states == {ReportState.NOT_STARTED}
    assert ReportState.NOT_STARTED.label == "未报送"
    home = reporter_home(unit=Unit.objects.get(code="hengnan"), today=before)
    assert home.period == JUNE and home.state == ReportState.NOT_STARTED


def test_the_units_scorecard_lists_timeliness_from_the_first_reported_month(plan_2022):
    _months(plan_2022)
    card = unit_scorecard_compute(plan_2022, Unit.objects.get(code="hengnan"), JULY, date(2022, 8, 20))
    assert [t["period"] for t in card.timeliness] == [JUNE, JULY]
    assert not card.timeliness[0]["on_time"]  # June, past its deadline with nothing in
