"""The demo's 督查督办: orders in every state, each step taken by the demo user whose job
it is and in the history, findings open, ordered and closed, proposals waiting."""

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from reports.supervision.demo import supervision_demo_seed
from reports.supervision.models import Evidence, Finding, OrderProposal, SupervisionOrder


def test_the_demo_has_orders_in_every_state(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=StringIO())
    made = supervision_demo_seed()
    today = timezone.localdate()
    orders = list(SupervisionOrder.objects.all())
    assert made["orders"] == len(orders) >= 8
    assert {o.state(today).label for o in orders} == {"待答复", "已答复", "已退回", "已销号", "逾期"}
    assert {o.stage for o in orders} == {"open", "approving", "reviewing", "answered", "returned", "closed"}
    assert any(o.level == "listed" and o.state(today).label == "逾期" for o in orders)
    assert any(o.deliverable_id and o.problem.endswith("已滞后。") for o in orders)  # one on the task ledger
    for o in orders:
        assert o.events.filter(action="raised", by__username="office").exists()
    answered_by = set(Evidence.objects.values_list("uploaded_by__username", flat=True))
    assert answered_by <= {"hengnan_tb", "amr_qt", "tax_tb"} and answered_by
    assert set(Finding.objects.values_list("state", flat=True)) == {"open", "ordered", "closed"}
    assert OrderProposal.objects.filter(state="pending").exists()
    assert supervision_demo_seed() == {}  # a second run adds nothing
