"""`status_board` reads a month in a fixed number of queries, whatever the number of
units, figures and last year's figures: four from the month's stored rows (the month,
the metrics, the units, the rows: indicators.status; one more the first time a row's
figure is asked for), or seven
to compute a month that has no current rows (with the office's baselines and the year's
earlier months for the year-end outlook); both give the same board."""

from datetime import date
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from actions.models import Plan, Unit
from indicators.models import Assignment, Baseline, Figure, Metric
from indicators.rules.types import Status
from indicators.selectors import status_board
from indicators.status.refresh import status_refresh

JUNE = date(2022, 6, 1)
PLAN_FILE = Path(__file__).resolve().parents[2] / "fixtures" / "plan_2022.yaml"


def fill_month(period, metrics=None):
    """A figure for every assignment of the period's plan (or of the given metrics)."""
    figures = []
    assignments = Assignment.objects.filter(metric__plan__year=period.year).select_related("metric")
    for a in assignments:
        m = a.metric
        if metrics is not None and m.code not in metrics:
            continue
        f = Figure(unit_id=a.unit_id, metric=m, period=period, last_year_value=10)
        if m.measure == Metric.Measure.RATIO:
            f.numerator, f.denominator = 9, 10
        elif m.measure == Metric.Measure.MILESTONE:
            f.state = "in_progress"
        else:
            f.value, f.cases = 3, 4
        figures.append(f)
    Figure.objects.bulk_create(figures)
    return len(figures)


def walk(board):
    """Everything a page or export reads from the board."""
    return [(r.unit_code, r.metric.code, r.status, r.display_value, r.metric.target_text()) for r in board.rows()]


def test_a_small_month_is_computed_in_seven_queries_and_read_from_its_rows_in_four(plan_2022, django_assert_num_queries):
    Figure.objects.create(unit=Unit.objects.get(code="tax"), metric=Metric.objects.get(code="tax_payments"), period=JUNE, value=5)

    with django_assert_num_queries(7):  # no rows yet: computed for the request, nothing written
        rows = walk(status_board(plan=plan_2022, period=JUNE))
    status_refresh(periods=[JUNE])
    with django_assert_num_queries(4):
        board = status_board(plan=plan_2022, period=JUNE)
        again = walk(board)
    with django_assert_num_queries(1):  # the month's figures, once, for the explanations
        assert sum(1 for r in board.unit_rows if r.figure is not None) == 1

    assert ("tax", "tax_payments", Status.GREEN, 5, "≤ 5 次") in rows
    assert again == rows


def test_a_full_month_with_last_year_earlier_months_and_more_units_takes_seven_and_four(
    plan_2022, tmp_path, django_assert_num_queries
):
    # last year's plan and figures, matched by metric code
    text = PLAN_FILE.read_text(encoding="utf-8").replace("year: 2022\n", "year: 2021\n", 1)
    (tmp_path / "plan_2021.yaml").write_text(text, encoding="utf-8")
    call_command("load_plan", str(tmp_path / "plan_2021.yaml"), stdout=StringIO())
    fill_month(date(2021, 6, 1))
    # ten more reporting units on every per-unit metric, and the office's baselines
    for i in range(10):
        unit = Unit.objects.create(code=f"extra{i}", name=f"新增园区{i}", kind=Unit.Kind.PARK)
        Assignment.objects.bulk_create(
            [Assignment(metric=m, unit=unit) for m in Metric.objects.filter(plan=plan_2022, scope=Metric.Scope.UNITS)]
        )
    n = fill_month(JUNE)
    assert n > 500
    fill_month(date(2022, 4, 1)), fill_month(date(2022, 5, 1))  # the year so far, for the outlook
    Baseline.objects.bulk_create(
        [Baseline(metric=a.metric, unit=a.unit, period=date(2021, 6, 1), value=10) for a in Assignment.objects.all()[:50]]
    )

    with django_assert_num_queries(7):
        rows = walk(status_board(plan=plan_2022, period=JUNE))
    status_refresh(periods=[JUNE])
    with django_assert_num_queries(4):
        assert walk(status_board(plan=plan_2022, period=JUNE)) == rows

    assert len(rows) == Assignment.objects.filter(metric__plan=plan_2022).count() + Metric.objects.filter(plan=plan_2022).count()
    assert sum(1 for r in rows if r[2] is not Status.GREY) > 490  # less the 待核定 assumptions


def test_last_years_figure_is_used_for_change_vs_last_year(plan_2022, tmp_path):
    text = PLAN_FILE.read_text(encoding="utf-8").replace("year: 2022\n", "year: 2021\n", 1)
    (tmp_path / "plan_2021.yaml").write_text(text, encoding="utf-8")
    call_command("load_plan", str(tmp_path / "plan_2021.yaml"), stdout=StringIO())
    power = Unit.objects.get(code="power")
    Figure.objects.create(
        unit=power, metric=Metric.objects.get(plan__year=2021, code="outage_hours"), period="2021-06-01", value=10, cases=5
    )
    # the office's baseline (20) would make this a 54% cut; last year's figure (10) makes it a rise
    metric = Metric.objects.get(plan=plan_2022, code="outage_hours")
    Baseline.objects.create(metric=metric, unit=power, period="2021-06-01", value=20)
    Figure.objects.create(unit=power, metric=metric, period=JUNE, value=9.2, cases=5)

    board = status_board(plan=plan_2022, period=JUNE)

    row = next(r for r in board.unit_rows if r.metric.code == "outage_hours")
    assert row.last_year == 10
    assert row.status is Status.GREEN  # 8% cut
    assert board.city_rows[row.metric.pk].status is Status.GREEN


def test_a_unit_outside_its_active_months_is_not_listed(plan_2022):
    Unit.objects.filter(code="gaoxin").update(active_until=date(2022, 5, 1))

    board = status_board(plan=plan_2022, period=JUNE)

    assert "gaoxin" not in {r.unit_code for r in board.unit_rows}
    assert "gaoxin" in {r.unit_code for r in status_board(plan=plan_2022, period=date(2022, 5, 1)).unit_rows}


def test_plan_without_figures_is_all_grey(plan_2022):
    board = status_board(plan=Plan.objects.get(year=2022), period=JUNE)

    assert {r.status for r in board.rows()} == {Status.GREY}


def test_a_build_reads_each_month_once_and_never_keeps_it_past_the_build(plan_2022, django_assert_num_queries):
    """Inside boards_kept (a document's build), asking for a month again gives the board
    already read, without a query; another unit's cut or another judgement date is read
    apart; after the block every call reads the month again."""
    from indicators.status.read import boards_kept

    fill_month(JUNE)
    status_refresh(periods=[JUNE])
    hengnan = Unit.objects.get(code="hengnan")
    with boards_kept():
        first = status_board(plan=plan_2022, period=JUNE)
        with django_assert_num_queries(0):
            assert status_board(plan=plan_2022, period=JUNE) is first
        cut = status_board(plan=plan_2022, period=JUNE, unit=hengnan)
        assert cut is not first and {r.unit.code for r in cut.unit_rows} == {"hengnan"}
        assert status_board(plan=plan_2022, period=JUNE, unit=hengnan) is cut
        assert status_board(plan=plan_2022, period=JUNE, today=date(2022, 6, 20)) is not first  # judged mid-June
    again = status_board(plan=plan_2022, period=JUNE)
    assert again is not first and again.unit_rows == first.unit_rows
