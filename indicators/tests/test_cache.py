"""Cached results are never served after a change to what they were computed from:
a figure saved, corrected or deleted, last year's figure, a target edited, a submission.
Writes in one batch bump each slice once."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from actions.models import Unit
from indicators import cache
from indicators.models import CacheVersion, Figure, Metric, Submission
from indicators.rules.types import Status
from indicators.selectors import status_board
from indicators.services import figures_import

JUNE = date(2022, 6, 1)


def tax_row(plan):
    board = status_board(plan=plan, period=JUNE)
    return next(r for r in board.unit_rows if r.unit.code == "tax" and r.metric.code == "tax_payments")


@pytest.fixture
def tax(plan_2022):
    return Figure.objects.create(
        unit=Unit.objects.get(code="tax"), metric=Metric.objects.get(plan=plan_2022, code="tax_payments"), period=JUNE, value=5
    )


def test_a_saved_figure_shows_on_the_next_read(plan_2022, tax):
    assert tax_row(plan_2022).status == Status.GREEN  # ≤ 5 次: computed, then cached
    tax.value = 9
    tax.save()

    row = tax_row(plan_2022)

    assert (row.value, row.status) == (9, Status.RED)


def test_an_imported_figure_shows_on_the_next_read(plan_2022, tax):
    assert tax_row(plan_2022).value == 5
    rows = [{"line": 2, "unit": "tax", "metric": "tax_payments", "period": "2022-06", "value": "7"}]

    figures_import(rows=rows)

    assert tax_row(plan_2022).value == 7


def test_a_deleted_figure_leaves_the_board(plan_2022, tax):
    assert tax_row(plan_2022).figure is not None
    tax.delete()

    row = tax_row(plan_2022)

    assert (row.figure, row.status) == (None, Status.GREY)


def test_an_edited_target_is_judged_anew(plan_2022, tax):
    assert tax_row(plan_2022).status == Status.GREEN
    metric = tax.metric
    metric.value = 3
    metric.save()

    assert tax_row(plan_2022).status == Status.RED


def test_other_months_stay_cached_when_one_month_changes(plan_2022, tax, django_assert_num_queries):
    may = date(2022, 5, 1)
    status_board(plan=plan_2022, period=may)
    tax.value = 4
    tax.save()  # June

    with django_assert_num_queries(1):  # May: the version tokens only
        status_board(plan=plan_2022, period=may)


def test_last_years_figure_is_a_change_to_this_years_board(plan_2022, tax):
    status_board(plan=plan_2022, period=JUNE)
    before = CacheVersion.objects.filter(key=cache.month_key(JUNE)).first()
    Figure.objects.create(unit=tax.unit, metric=tax.metric, period=date(2021, 6, 1), value=2)

    with CaptureQueriesContext(connection) as queries:
        status_board(plan=plan_2022, period=JUNE)

    assert len(queries) == 6  # computed again: last June's figures are part of it
    assert CacheVersion.objects.filter(key=cache.month_key(JUNE)).first() == before


def test_a_submission_bumps_its_year(plan_2022):
    key = cache.submissions_key(2022)
    assert cache.tokens([key]) == {key: "-"}
    Submission.objects.create(unit=Unit.objects.get(code="tax"), period=JUNE)
    first = cache.tokens([key])[key]

    Submission.objects.filter(period=JUNE).get().save()

    assert first != "-" and cache.tokens([key])[key] != first


def test_a_batch_bumps_each_slice_once_at_its_end(db):
    with CaptureQueriesContext(connection) as queries:
        with cache.deferred():
            cache.bump("figures:2022-06", "figures:2022")
            cache.bump("figures:2022-06")
            assert queries.captured_queries == []
    writes = [q["sql"] for q in queries.captured_queries if "indicators_cacheversion" in q["sql"]]
    assert cache.tokens(["figures:2022-06", "figures:2022"])["figures:2022"] != "-"
    assert len([w for w in writes if w.startswith("UPDATE")]) == 2


def test_with_the_cache_off_every_read_computes(plan_2022, tax, settings, django_assert_num_queries):
    settings.RESULT_CACHE = False
    for _ in range(2):
        with django_assert_num_queries(5):
            status_board(plan=plan_2022, period=JUNE)


DEAD_REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}


@pytest.mark.parametrize("page", ["dashboard-overview", "dashboard-rankings", "dashboard-completeness"])
def test_with_the_cache_server_down_results_are_computed_and_pages_work(plan_2022, tax, client, users, page):
    """Redis stopped: nothing cached, nothing broken, every read up to date."""
    with override_settings(CACHES=DEAD_REDIS):
        assert tax_row(plan_2022).status == Status.GREEN
        tax.value = 9
        tax.save()
        assert tax_row(plan_2022).status == Status.RED
        client.force_login(users["office"])
        response = client.get(reverse(f"reports:{page}") + "?period=2022-06")
        assert response.status_code == 200
