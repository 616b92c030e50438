"""`import_figures` (indicators.services.figures.figures_import behind the command) on hostile
CSV files: random and adversarial cells, missing and unknown columns, bad encodings.
A file is either imported whole or rejected with a Chinese CommandError, and a rejected
file writes nothing at all (figures and their history unchanged)."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.models import Assignment, Figure
from indicators.services.figures import FIGURE_COLUMNS
from tests.hostile import FORMULAS, hostile_text

HYPOTHESIS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def counts():
    return Figure.objects.count(), Figure.history.count()


def as_text(value):
    return "" if value is None else str(value)


@pytest.fixture
def codes(plan_2022):
    """(unit, metric) pairs that really are assigned, one per way of measuring."""
    pairs = {}
    for a in Assignment.objects.filter(metric__plan=plan_2022).select_related("unit", "metric").order_by("pk"):
        pairs.setdefault(a.metric.measure, (a.unit.code, a.metric.code))
    return pairs


def run_import(tmp_path, data: bytes):
    path = tmp_path / "figures.csv"
    path.write_bytes(data)
    before = counts()
    try:
        call_command("import_figures", str(path), stdout=io.StringIO())
    except CommandError as exc:
        assert any("\u4e00" <= c <= "\u9fff" for c in str(exc)), str(exc)
        assert counts() == before, "a rejected file wrote something"
        return False
    return True


def csv_bytes(header, rows, encoding="utf-8"):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


cell = st.one_of(hostile_text, st.integers().map(str), st.floats().map(repr), st.just(""))


@HYPOTHESIS
@given(data=st.data())
def test_random_rows_import_whole_or_not_at_all(codes, tmp_path, data):
    rows = []
    for _ in range(data.draw(st.integers(1, 6), label="rows")):
        measure = data.draw(st.sampled_from(sorted(codes)), label="measure")
        unit, metric = codes[measure]
        row = {
            "unit": data.draw(st.one_of(st.just(unit), hostile_text), label="unit"),
            "metric": data.draw(st.one_of(st.just(metric), hostile_text), label="metric"),
            "period": data.draw(st.one_of(st.sampled_from(["2022-03", "2022-3", " 2022-12 "]), hostile_text), label="period"),
            **{c: data.draw(cell, label=c) for c in ("value", "numerator", "denominator", "cases")},
            "note": data.draw(st.one_of(st.sampled_from(FORMULAS), st.text(max_size=40)), label="note"),
        }
        rows.append(row)
    header = FIGURE_COLUMNS
    imported = run_import(tmp_path, csv_bytes(header, [[r[c] for c in header] for r in rows]))
    if imported:
        for r in rows:
            f = Figure.objects.get(unit__code=r["unit"].strip(), metric__code=r["metric"].strip(), period__year=2022)
            for name in ("value", "numerator", "denominator"):
                number = getattr(f, name)
                assert number is None or (number.is_finite() and abs(number) < Decimal(10) ** 14)


@HYPOTHESIS
@given(
    header=st.lists(st.sampled_from([*FIGURE_COLUMNS, "单位", "=cmd|' /C calc'!A0", "", "value "]), max_size=9),
    extra=st.lists(cell, max_size=3),
)
def test_missing_unknown_and_shifted_columns_are_refused(codes, tmp_path, header, extra):
    unit, metric = codes["count"]
    row = {"unit": unit, "metric": metric, "period": "2022-04", "value": "3"}
    body = [[row.get(c, "") for c in header] + extra]
    imported = run_import(tmp_path, csv_bytes(header, body))
    if imported:
        assert {"unit", "metric", "period"} <= {h.strip() for h in header}


@HYPOTHESIS
@given(blob=st.binary(max_size=300))
def test_binary_garbage_is_refused_cleanly(codes, tmp_path, blob):
    run_import(tmp_path, blob)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_a_good_file_imports_in_every_encoding_excel_writes(codes, tmp_path, encoding):
    unit, metric = codes["count"]
    data = csv_bytes(FIGURE_COLUMNS, [[unit, metric, "2022-05", "7", "", "", "", "=cmd|' /C calc'!A0"]], encoding)
    assert run_import(tmp_path, data)
    f = Figure.objects.get(unit__code=unit, metric__code=metric, period__month=5)
    assert f.value == 7
    assert f.explanation == "=cmd|' /C calc'!A0"  # stored as text; exports must escape it


def test_one_bad_row_among_many_writes_nothing(codes, tmp_path):
    unit, metric = codes["count"]
    good = [[unit, metric, f"2022-{m:02d}", "5", "", "", "", ""] for m in range(1, 12)]
    bad = [unit, metric, "2022-12", "=cmd|' /C calc'!A0", "", "", "", ""]
    assert not run_import(tmp_path, csv_bytes(FIGURE_COLUMNS, [*good, bad]))
    assert not Figure.objects.exists()
