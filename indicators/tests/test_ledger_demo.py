"""The demo's task ledger: every deliverable reported by its units from the month after
the plan's issue, 已完成 always with evidence, and some items 滞后 at the demo's date."""

from datetime import date

from indicators.demo import seed_year
from indicators.ledger.models import Deliverable, DeliverableReport
from indicators.ledger.selectors import ledger_summary

DEMO_DAY = date(2023, 1, 16)  # the demo's moment: mid-January after the plan year


def test_the_demo_fills_the_ledger(plan_2022, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    counts = seed_year(plan_2022, today=DEMO_DAY)

    reports = DeliverableReport.objects.all()
    assert counts["deliverable_reports"] == reports.count() > 0
    assert set(reports.values_list("deliverable", flat=True)) == set(Deliverable.objects.values_list("pk", flat=True))
    assert min(reports.values_list("period", flat=True)) == date(2022, 6, 1)  # issued 17 May
    done = reports.filter(state="done")
    assert done.exists() and not done.filter(evidence__isnull=True).exists()
    summary = ledger_summary(plan=plan_2022, period=date(2022, 12, 1), today=DEMO_DAY)
    assert summary.overdue and summary.totals["done"] > 0
    assert seed_year.__module__ == "indicators.demo"
