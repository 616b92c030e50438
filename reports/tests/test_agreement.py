"""Pages, the API and the documents say the same about a month (issue 24: each rule has one
definition). On a grown demo year (the demo's units and 8 more counties and parks, every
metric every month), June 2022: the statuses and their counts in the status API, the
overview and the dispatch; who was expected and who reported in the completeness API,
the completeness page and the dispatch; each unit's rank and score on the rankings page,
the leader's home, the month's rankings and, for the quarter, the bulletin's annex."""

import re
from collections import Counter
from datetime import date
from decimal import Decimal

from indicators.models import Metric, ReportingStatus
from indicators.rules.periods import quarter_months
from indicators.rules.reporting import Timeliness
from indicators.rules.status import is_judged
from indicators.status.rows import CITY
from reports.builders.bulletin import bulletin_document
from reports.builders.dispatch import dispatch_document
from reports.home import leader_home
from reports.rankings import rankings
from reports.tests.dashboard_data import demo_year, grow

JUNE = date(2022, 6, 1)


def test_a_grown_month_says_the_same_on_every_page_api_and_document(plan_2022, client, users):
    """One dataset for the three checks (seeding and refreshing the grown year is most of
    the time)."""
    demo_year(plan_2022)
    grow(plan_2022, n=8)
    client.force_login(users["office"])
    statuses_agree(plan_2022, client)
    reporting_agrees(client)
    ranks_agree(plan_2022, client)


def dispatch_numbers(doc) -> dict[str, int]:
    """The dispatch's 总体情况 paragraph as numbers."""
    text = next(b.text for b in doc.blocks if b.kind == "p" and "应报送单位" in b.text)
    words = {
        "expected": r"应报送单位(\d+)家",
        "submitted": r"已报送(\d+)家",
        "rate": r"报送率([\d.]+)%",
        "late": r"逾期报送(\d+)家",
        "missing": r"未报送(\d+)家",
        "targets": r"参评目标共(\d+)项",
        "green": r"达标(\d+)项",
        "yellow": r"预警(\d+)项",
        "red": r"未达标(\d+)项",
        "grey": r"未报送(\d+)项",
    }
    return {k: Decimal(re.search(p, text).group(1)) for k, p in words.items()}


def statuses_agree(grown, client):
    """Statuses and their counts: the status API, the overview and the dispatch."""
    api = client.get("/api/v1/status?period=2022-06").json()
    page = client.get("/reports/dashboard/?period=2022-06")
    dispatch = dispatch_numbers(dispatch_document(period=JUNE))

    units = Counter(r["status"] for r in api["rows"] if r["unit"] != CITY)
    judged = {m.code for m in Metric.objects.filter(plan=grown) if is_judged(m.target)}  # reference metrics are not counted
    city = Counter(r["status"] for r in api["rows"] if r["unit"] == CITY and r["metric"] in judged)
    assert sum(units.values()) > 300  # larger than the demo
    assert {k: v for k, v in api["totals"].items() if v} == dict(city)
    assert {s.value: n for s, n in page.context["ov"].totals.items()} == api["totals"]
    assert (dispatch["targets"], dispatch["green"], dispatch["yellow"], dispatch["red"], dispatch["grey"]) == (
        sum(units.values()),
        units["green"],
        units["yellow"],
        units["red"],
        units["grey"],
    )


def reporting_agrees(client):
    """Who was expected and who reported: the completeness API and page, the dispatch."""
    api = client.get("/api/v1/completeness?period=2022-06").json()
    board = client.get("/reports/dashboard/completeness/?period=2022-06").context["board"]
    dispatch = dispatch_numbers(dispatch_document(period=JUNE))

    assert api["expected"] == board.expected == dispatch["expected"] > 20
    assert api["submitted"] == board.submitted == dispatch["submitted"]
    assert Decimal(str(api["rate"])) == board.rate == dispatch["rate"]
    missing = sum(1 for u in api["units"] if u["state"] in ("missing", "not_started", "draft", "returned"))
    assert missing == dispatch["missing"]
    # Lateness, as the stored reporting rows hold it (what the rankings score as 按时报送).
    late = ReportingStatus.objects.filter(period=JUNE, expected=True, timeliness=Timeliness.LATE).count()
    assert late == dispatch["late"] > 0


def ranks_agree(grown, client):
    """Ranks and scores: the rankings page, the month's rankings, the leader's home; the
    quarter's rankings and the bulletin's annex."""
    page = client.get("/reports/dashboard/rankings/?period=2022-06").context["rk"].current.groups
    month = rankings(plan=grown, periods=[JUNE])
    home = leader_home(plan=grown, period=JUNE)

    assert set(page) == set(month)
    for group, ranked in month.items():
        assert [(r.unit, r.rank, r.score) for r in page[group]] == [(r.unit, r.rank, r.score) for r in ranked.rows]
    assert sum(len(r.rows) for r in month.values()) > 20
    for g in home.groups:
        code = next(k for k, r in month.items() if r.label == g.label)
        assert [r.unit for r in g.top] == [r.unit for r in month[code].rows[: len(g.top)]]
        assert [r.unit for r in g.bottom] == [r.unit for r in month[code].rows[len(month[code].rows) - len(g.bottom) :]]

    quarter = rankings(plan=grown, periods=quarter_months(2022, 2))
    sheets = {s.name: s for s in bulletin_document(year=2022, quarter=2).sheets}
    for ranked in quarter.values():
        if not ranked.rows:
            continue
        printed = sheets[f"排名-{ranked.label}"].rows
        assert [(row[0], row[1], row[2]) for row in printed] == [(r.rank, r.name, r.score) for r in ranked.rows]
