"""Every dashboard page and API answer runs a fixed number of SQL queries: the same
after adding units, a metric reported by all of them and a year of their figures.

The count depends only on the page and the month asked for (pages with a year's trend
read a board of stored rows for each month up to it when nothing is cached), never on
how much data there is."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.tests.dashboard_data import demo_year, grow

# page → exact number of queries (cold, warm): the first request after a refresh of the
# rows, then any later one, served from the result cache (status.cache.rows_cached). The
# session, the user, their membership and unit take 4; HTML pages count unread
# notifications for the nav (1); each cached result or page fragment reads its months'
# refresh times (1); reading a month's board of stored rows takes 3 (the month, metrics,
# rows), and 1 more for the month's figures where a page shows explanations; pages with
# a month picker read whether the month is final (1). Pages that read one month's rows
# without a cache (the list, its export, a figure, the completeness board) cost the same
# cold and warm. A metric's year first reads which months have figures (1): the months
# after them have no rows, and are no longer computed on every request (at province
# size that was two boards, some 600 ms, on every request for the running year). Scores
# and shares read a month's statuses only (2 queries, the plan's metrics and the units
# read once per page). A board or a metric's months read from the stored rows read the
# units apart (1): joined to 8,000 rows, their columns cost a province month more than the rows.
PAGES = {
    "/reports/dashboard/?period=2022-06": (15, 11),
    "/reports/dashboard/?period=2022-06&area={area}&status=red&unit_kind=county": (16, 12),
    "/reports/dashboard/list/?period=2022-06&status=red_yellow&sort=-value": (14, 14),
    "/reports/dashboard/list/?period=2022-06&_export=xlsx": (9, 9),  # no nav in a file; the rows read once
    # the unit's own rows and the city's, as on its page: no units to read apart
    "/reports/dashboard/figure/business_start_days/hengnan/2022-06/": (12, 12),
    "/reports/dashboard/metrics/2022/business_start_days/": (15, 9),
    "/reports/dashboard/metrics/2022/small_loan_growth/": (15, 9),
    "/reports/dashboard/metrics/2022/tech_smes/": (15, 9),
    # the unit's own rows and the city's (not the month's every row) + its peers on the board
    "/reports/dashboard/units/hengnan/?period=2022-06": (36, 10),
    # + the months' deadlines (which months count for timeliness yet), read for the key and the
    # compute; + the office's 督办 scoring setting (the overdue deduction is part of the key);
    # the months' score inputs together: their keys (1), the missing ones' rows (2)
    "/reports/dashboard/rankings/?period=2022-06": (19, 11),
    # + the 催报 interval and the last 催报 of each unit; the board's figures, rows and table
    # HTML are cached under the month's dates, its submissions (their number and last save)
    # and its reporting rows' refresh time (3 queries), which spares the board's 4 when warm
    "/reports/dashboard/completeness/?period=2022-06": (16, 12),
    "/api/v1/status?period=2022-06": (9, 5),
    "/api/v1/metrics/business_start_days/series?year=2022": (11, 6),
    "/api/v1/completeness?period=2022-06": (10, 6),  # its JSON cached under the same key
}


def _counts(client, plan) -> dict[str, tuple[int, int]]:
    """Each page's queries when nothing is cached (the first request after a change),
    then when it asks again."""
    area = plan.areas.get(number=1).pk
    out = {}
    for url in PAGES:
        cache.clear()
        counts = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url.format(area=area))
            assert response.status_code == 200, (url, response.content[:300])
            counts.append(len(queries))
        out[url] = tuple(counts)
    return out


def test_every_page_runs_a_fixed_number_of_queries(client, users, plan_2022):
    demo_year(plan_2022)
    client.force_login(users["office"])

    assert _counts(client, plan_2022) == PAGES

    grow(plan_2022, n=4)

    assert _counts(client, plan_2022) == PAGES


def test_the_exact_count_holds_under_django_assert_num_queries(client, users, plan_2022, django_assert_num_queries):
    demo_year(plan_2022)
    client.force_login(users["leader"])
    url = "/reports/dashboard/?period=2022-06"
    cold, warm = PAGES[url]
    with django_assert_num_queries(cold - 1):  # a leader has no unit to load
        assert client.get(url).status_code == 200
    with django_assert_num_queries(warm - 1):
        assert client.get(url).status_code == 200


# After one saved figure of June (through the import service, whose commit refreshes
# June's rows), pages drawn from several months read June's rows again and the other
# months' results from the cache: far fewer queries than cold.
AFTER_A_SAVE = {
    "/reports/dashboard/units/hengnan/?period=2022-06": 26,  # cold: 36
    "/reports/dashboard/rankings/?period=2022-06": 19,  # as cold, but June's inputs only (below)
    "/reports/dashboard/?period=2022-06": 15,  # one month: as cold
}


def test_a_saved_figure_recomputes_its_own_month_only(client, users, plan_2022, django_capture_on_commit_callbacks):
    from datetime import date

    from indicators.models import Figure, Metric
    from indicators.services.figures import figures_import

    demo_year(plan_2022)
    client.force_login(users["office"])
    counts = {}
    for url in AFTER_A_SAVE:
        client.get(url)
        f = Figure.objects.filter(period=date(2022, 6, 1), value__isnull=False, metric__measure=Metric.Measure.COUNT).first()
        row = {"line": 2, "unit": f.unit.code, "metric": f.metric.code, "period": "2022-06", "value": str(f.value + 1)}
        with django_capture_on_commit_callbacks(execute=True):
            figures_import(rows=[row], correction="核对后更正")  # June is accepted: a correction
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[url] = len(queries)
        if "rankings" in url:  # June's score inputs read again, January to May's from the cache
            read = [q["sql"] for q in queries.captured_queries if "scored_green" in q["sql"]]
            assert len(read) == 1 and "2022-06-01" in read[0] and "2022-05-01" not in read[0], read
    assert counts == AFTER_A_SAVE
