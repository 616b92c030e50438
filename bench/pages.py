"""The pages measured by bench/run and requested by bench/load, as data.

Each page lists candidate URLs, tried in order: a URL name with kwargs, or a literal
path. Placeholders in braces are filled from the dataset: {period} (YYYY-MM, the latest
closed month), {year}, {month}, {quarter} (YYYYQn), {unit} (a county's code), {metric}
(a metric's code). A page none of whose candidates resolves is reported "not present".
When a page is added to the product, add its URL name here (first in its list)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.urls import NoReverseMatch, Resolver404, resolve, reverse


@dataclass
class Page:
    label: str
    candidates: list  # ("name", {kwargs}) or "/literal/path/"
    query: str = ""  # appended after "?", placeholders allowed
    method: str = "GET"  # GET; POST = re-submit the page's own form; UPLOAD = post `source`'s download as its file
    group: str = "page"
    source: str = ""  # for UPLOAD: the label of the page whose response is the file to upload
    as_reporter: bool = False  # requested by a reporter of {unit}, for the month being reported now
    as_leader: bool = False  # requested by a city leader (the leader's home page)
    # The answers that mean the step did what it is measured for; any other stops the bench
    # (bench/run exits non-zero): a save is redirected back to its sheet, an upload answers
    # with its preview (a refused upload is redirected to the sheet), a page answers 200.
    expect: tuple = (200,)
    expect_text: tuple = ()  # when given, the answer contains one of these (an upload's preview)

    @property
    def role(self) -> str:
        return "reporter" if self.as_reporter else "leader" if self.as_leader else "office"


PAGES = [
    Page("floor (bench/views.py)", [("bench-floor", {})]),
    Page("home (office)", [("home", {})]),
    Page("home (leader)", [("home", {})], as_leader=True),
    Page(
        "overview",
        [
            "/reports/dashboard/",
            ("reports:overview", {}),
            ("reports:dashboard", {}),
            ("reports:reports-overview", {}),
            "/reports/overview/",
        ],
        query="period={period}",
    ),
    Page(
        "metric page",
        [
            "/reports/dashboard/metrics/{year}/{metric}/",
            ("reports:metric", {"code": "{metric}"}),
            ("reports:metric-detail", {"code": "{metric}"}),
            "/reports/metrics/{metric}/",
        ],
        query="period={period}",
    ),
    Page(
        "unit page",
        [
            "/reports/dashboard/units/{unit}/",
            ("reports:unit", {"code": "{unit}"}),
            ("reports:unit-detail", {"code": "{unit}"}),
            "/reports/units/{unit}/",
        ],
        query="period={period}",
    ),
    Page(
        "rankings",
        ["/reports/dashboard/rankings/", ("reports:rankings", {}), ("reports:ranking", {}), "/reports/rankings/"],
        query="period={period}",
    ),
    Page(
        "completeness",
        [
            "/reports/dashboard/completeness/",
            ("reports:completeness", {}),
            ("reports:completeness-board", {}),
            "/reports/completeness/",
        ],
        query="period={period}",
    ),
    Page(
        "entry form GET",
        [
            ("indicators:entry", {"unit": "{unit}", "period": "{period}"}),
            ("indicators:entry-form", {"unit": "{unit}", "period": "{period}"}),
            ("indicators:entry", {"unit": "{unit}", "year": "{year}", "month": "{month}"}),
            "/indicators/entry/{unit}/{period}/",
            "/indicators/{unit}/{period}/",
        ],
        as_reporter=True,
    ),
    Page(
        "entry form POST (save)",
        [
            ("indicators:entry", {"unit": "{unit}", "period": "{period}"}),
            ("indicators:entry-form", {"unit": "{unit}", "period": "{period}"}),
            ("indicators:entry", {"unit": "{unit}", "year": "{year}", "month": "{month}"}),
            "/indicators/entry/{unit}/{period}/",
            "/indicators/{unit}/{period}/",
        ],
        method="POST",
        expect=(302,),
        as_reporter=True,
    ),
    Page(
        "Excel template download (unit-month)",
        [
            "/indicators/entry/{unit}/{period}/excel/",
            ("indicators:excel-template", {"unit": "{unit}", "period": "{period}"}),
            ("indicators:entry-template", {"unit": "{unit}", "period": "{period}"}),
            "/indicators/entry/{unit}/{period}/template/",
            "/indicators/excel/{unit}/{period}/template/",
        ],
        as_reporter=True,
    ),
    Page(
        "Excel upload (full unit-month, first step)",
        [
            "/indicators/entry/{unit}/{period}/excel/upload/",
            ("indicators:excel-upload", {"unit": "{unit}", "period": "{period}"}),
            ("indicators:entry-upload", {"unit": "{unit}", "period": "{period}"}),
            "/indicators/entry/{unit}/{period}/upload/",
            "/indicators/excel/{unit}/{period}/upload/",
        ],
        method="UPLOAD",
        source="Excel template download (unit-month)",
        expect_text=('data-testid="preview"', 'data-testid="no-changes"'),
        as_reporter=True,
    ),
    Page("API status", [("api-status", {}), ("api:status", {}), "/api/v1/status"], query="period={period}", group="api"),
    Page(
        "API metric series",
        [
            ("api-metric-series", {"code": "{metric}"}),
            ("api:metric-series", {"code": "{metric}"}),
            "/api/v1/metrics/{metric}/series",
        ],
        query="year={year}",
        group="api",
    ),
    Page(
        "API completeness",
        [("api-completeness", {}), ("api:completeness", {}), "/api/v1/completeness"],
        query="period={period}",
        group="api",
    ),
]

# Report builds: `manage.py build_report` with these arguments, each format.
BUILDS = [
    ("dispatch", ["dispatch", "{period}"]),
    ("bulletin", ["bulletin", "{quarter}"]),
]


@dataclass
class Context:
    period: str
    year: int
    month: int
    quarter: str
    unit: str
    metric: str
    extra: dict = field(default_factory=dict)

    def for_reporter(self) -> Context:
        """The context of the pages a reporter uses: their unit, the month being reported."""
        return replace(self, unit=self.extra["entry_unit"], period=self.extra["entry_period"])

    def fill(self, text: str) -> str:
        return text.format(
            period=self.period, year=self.year, month=self.month, quarter=self.quarter, unit=self.unit, metric=self.metric
        )


def page_url(page: Page, ctx: Context) -> str | None:
    """The page's URL for this dataset, or None when the product has no such page yet."""
    if page.as_reporter and "entry_unit" in ctx.extra:
        ctx = ctx.for_reporter()
    for candidate in page.candidates:
        if isinstance(candidate, tuple):
            name, kwargs = candidate
            try:
                url = reverse(name, kwargs={k: ctx.fill(v) for k, v in kwargs.items()})
            except NoReverseMatch:
                continue
        else:
            url = ctx.fill(candidate)
            try:
                resolve(url)
            except Resolver404:
                continue
        return url + ("?" + ctx.fill(page.query) if page.query else "")
    return None
