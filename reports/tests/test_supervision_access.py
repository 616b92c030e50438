"""The permission matrix of 督查督办, every role against every order: a unit sees and
answers only its own; its approver signs off only its own; a lead department sees and
reviews those on its indicators; the office raises, returns and closes; leaders read.
Checked through the pages (list, detail, evidence, every step) as well as the helpers."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from actions import access
from reports.supervision.models import Evidence, SupervisionOrder
from reports.tests.supervision_data import metric_led_by, order_on

PDF = b"%PDF-1.4\n%%EOF\n"
ROLES = ["reporter", "other_reporter", "dept_reporter", "approver", "lead", "office", "leader", "admin"]

# order key → who may see it
SEE = {
    "own_led": {"reporter", "approver", "lead", "office", "leader", "admin"},  # 衡南县, an amr indicator
    "own_other": {"reporter", "approver", "office", "leader", "admin"},  # 衡南县, another lead's indicator
    "qidong_led": {"other_reporter", "lead", "office", "leader", "admin"},  # 祁东县, an amr indicator
}
ANSWER = {"own_led": {"reporter"}, "own_other": {"reporter"}, "qidong_led": {"other_reporter"}}
APPROVE = {"own_led": {"approver"}, "own_other": {"approver"}, "qidong_led": set()}
REVIEW = {"own_led": {"lead"}, "own_other": set(), "qidong_led": {"lead"}}
MANAGE = {"office", "admin"}


@pytest.fixture
def orders(users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    office = users["office"]
    led, other = metric_led_by("amr", "hengnan"), metric_led_by("amr", "hengnan", led=False)
    assert led.indicator.lead_unit.code == "amr" and other.indicator.lead_unit.code != "amr"
    return {
        "own_led": order_on(office, "hengnan", led),
        "own_other": order_on(office, "hengnan", other),
        "qidong_led": order_on(office, "qidong", metric_led_by("amr", "qidong")),
    }


@pytest.mark.parametrize("role", ROLES)
def test_the_helpers_follow_the_matrix(users, orders, role):
    user = users[role]
    for key, order in orders.items():
        assert access.can_view_order(user, order) == (role in SEE[key]), (role, key)
        assert access.can_answer_order(user, order) == (role in ANSWER[key]), (role, key)
        assert access.can_approve_order_answer(user, order) == (role in APPROVE[key]), (role, key)
        assert access.can_review_order(user, order) == (role in REVIEW[key]), (role, key)
    assert access.can_manage_orders(user) == (role in MANAGE)
    assert access.can_view_findings(user) == (role in MANAGE | {"leader"})


@pytest.mark.parametrize("role", ROLES)
def test_the_pages_follow_the_matrix(client, users, orders, role):
    client.force_login(users[role])
    listed = client.get("/reports/supervision/")
    assert listed.status_code == 200
    shown = {o.number_text for o in listed.context["table"].data}
    assert shown == {o.number_text for k, o in orders.items() if role in SEE[k]}
    for key, order in orders.items():
        expected = 200 if role in SEE[key] else 403
        assert client.get(f"/reports/supervision/{order.pk}/").status_code == expected, (role, key)
    page = client.get("/reports/supervision/raise/")
    assert page.status_code == (200 if role in MANAGE else 403)
    assert client.get("/reports/supervision/findings/").status_code == (200 if role in MANAGE | {"leader"} else 403)
    assert client.get("/reports/supervision/proposals/").status_code == (200 if role in MANAGE else 403)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_unit_answers_and_only_those_who_may_see_get_the_evidence(client, users, orders, role):
    client.force_login(users[role])
    for key, order in orders.items():
        data = {"measures": "整改", "progress": "完成", "expected_done": "2022-08-01", "version": order.version}
        data["files"] = [SimpleUploadedFile("证明.pdf", PDF)]
        response = client.post(f"/reports/supervision/{order.pk}/answer/", data)
        order.refresh_from_db()
        if role in ANSWER[key]:
            assert response.status_code == 302 and order.stage != "open"
        else:
            assert response.status_code == 403 and order.stage == "open", (role, key)
    # the evidence of 衡南县's answer, asked for by everyone
    ev_order = orders["own_led"]
    if not Evidence.objects.filter(answer__order=ev_order).exists():
        client.force_login(users["reporter"])
        client.post(
            f"/reports/supervision/{ev_order.pk}/answer/",
            {
                "measures": "整改",
                "progress": "完成",
                "expected_done": "2022-08-01",
                "version": ev_order.version,
                "files": [SimpleUploadedFile("证明.pdf", PDF)],
            },
        )
        client.force_login(users[role])
    ev = Evidence.objects.get(answer__order=ev_order)
    assert client.get(f"/reports/supervision/evidence/{ev.pk}/").status_code == (200 if role in SEE["own_led"] else 403)


def _at(order, stage):
    SupervisionOrder.objects.filter(pk=order.pk).update(stage=stage)
    order.refresh_from_db()
    return order


STEP_RIGHTS = [
    ("approving", "approve", APPROVE),
    ("approving", "unit-return", APPROVE),
    ("reviewing", "review", REVIEW),
    ("reviewing", "lead-return", REVIEW),
    ("answered", "close", {k: MANAGE for k in SEE}),
    ("answered", "return", {k: MANAGE for k in SEE}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("stage", "step", "rights"), STEP_RIGHTS)
def test_each_step_only_by_whom_it_belongs_to(client, users, orders, role, stage, step, rights):
    client.force_login(users[role])
    for key, order in orders.items():
        _at(order, stage)
        response = client.post(f"/reports/supervision/{order.pk}/{step}/", {"note": "理由", "version": order.version})
        moved = SupervisionOrder.objects.get(pk=order.pk).stage != stage
        if role not in SEE[key]:
            assert response.status_code == 403 and not moved, (role, key, step)
        else:
            assert response.status_code == 302
            assert moved == (role in rights[key]), (role, key, step)


def test_leaders_read_and_change_nothing(client, users, orders):
    client.force_login(users["leader"])
    order = orders["own_led"]
    html = client.get(f"/reports/supervision/{order.pk}/").content.decode()
    assert order.problem in html and "销号</button>" not in html and "提交答复" not in html
    assert client.post("/reports/supervision/raise/", {"keys": ["x"], "due": "2022-08-01"}).status_code == 403
    assert client.post(f"/reports/supervision/{order.pk}/close/", {"note": "x", "version": order.version}).status_code == 302
    assert SupervisionOrder.objects.get(pk=order.pk).stage == "open"
