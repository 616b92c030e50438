"""草稿 → 送审 → 已印发: an issued version never changes state because of a build. A
rebuild makes a new draft beside it; it stays the current issued document for leaders
(archive, 仅看当前版本, the leader home) until the office issues its replacement; a build
and an issue of one report are serialised, so a build never replaces a numbered version."""

from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reports.models import Report
from reports.services import documents
from reports.services.build import report_build
from reports.services.issue import report_issue, report_submit_review
from reports.tests.reportdata import TODAY, june


@pytest.fixture
def data(plan_2022, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return june(plan_2022)


ISSUED_ON = date(2022, 7, 12)


def _issued(kind="dispatch", key="2022-06", user=None):
    draft = report_build(kind=kind, key=key, today=TODAY)
    return report_issue(report=draft, user=user, doc_date=ISSUED_ON)


def _state(report) -> str:
    report.refresh_from_db()
    return report.state


def test_a_rebuild_leaves_the_issued_version_issued_and_makes_a_draft_beside_it(data, users):
    issued = _issued(user=users["office"])
    rebuilt = report_build(kind="dispatch", key="2022-06", today=TODAY)  # 立即重新生成 / make report-previews

    assert _state(issued) == Report.State.ISSUED and issued.doc_number.endswith("〔2022〕1号")
    assert rebuilt.state == Report.State.DRAFT and rebuilt.version == issued.version + 1
    again = report_build(kind="dispatch", key="2022-06", today=TODAY)
    assert _state(rebuilt) == Report.State.SUPERSEDED  # a draft replaces a draft
    assert _state(issued) == Report.State.ISSUED and again.state == Report.State.DRAFT


def test_leaders_keep_the_issued_version_as_current_after_a_rebuild(client, data, users):
    issued = _issued(user=users["office"])
    report_build(kind="dispatch", key="2022-06", today=TODAY)
    client.force_login(users["leader"])

    current = client.get(reverse("reports:archive") + "?current=on").content.decode()
    assert f"第{issued.version}版" in current and "已被新版本替代" not in current
    page = client.get(reverse("reports:archive-detail", args=["dispatch", "2022-06"])).content.decode()
    assert issued.doc_number in page and "已印发" in page and "已被新版本替代" not in page


def test_the_leader_home_links_the_current_issued_bulletin_after_a_rebuild(client, data, users):
    issued = _issued(kind="bulletin", key="2022Q2", user=users["office"])
    report_build(kind="bulletin", key="2022Q2", today=TODAY)
    client.force_login(users["leader"])
    html = client.get(reverse("home")).content.decode()
    assert "/reports/archive/bulletin/2022Q2/" in html and issued.title in html
    detail = client.get(reverse("reports:archive-detail", args=["bulletin", "2022Q2"])).content.decode()
    assert "已被新版本替代" not in detail and issued.doc_number in detail


def test_the_office_issues_the_replacement_and_only_then_is_the_first_superseded(data, users):
    first = _issued(user=users["office"])
    draft = report_build(kind="dispatch", key="2022-06", today=TODAY)
    review = report_submit_review(report=draft, user=users["office"])
    assert review.state == Report.State.REVIEW
    report_build(kind="dispatch", key="2022-06", today=TODAY)  # a build beside the version in review
    assert _state(review) == Report.State.REVIEW and _state(first) == Report.State.ISSUED

    second = report_issue(report=review, user=users["office"], doc_date=ISSUED_ON)
    assert second.state == Report.State.ISSUED and second.doc_number.endswith("〔2022〕2号")
    assert _state(first) == Report.State.SUPERSEDED and first.issued_at is not None  # kept in the archive


def test_an_issue_during_a_build_keeps_its_number_and_the_build_adds_a_draft(data, users, monkeypatch):
    """The office issues v1 while the rebuild renders v2: v1 stays issued and numbered;
    v2 arrives as a draft beside it."""
    draft = report_build(kind="dispatch", key="2022-06", today=TODAY)
    render = documents.RENDERERS["pdf"]
    issued = []

    def render_and_meanwhile_issue(document, path: Path):
        if not issued:  # the build's own PDF (the issue renders its PDF here too)
            issued.append(None)
            issued[0] = report_issue(report=draft, user=users["office"])
        render(document, path)

    monkeypatch.setitem(documents.RENDERERS, "pdf", render_and_meanwhile_issue)
    rebuilt = report_build(kind="dispatch", key="2022-06", today=TODAY)

    assert _state(draft) == Report.State.ISSUED and draft.doc_number == issued[0].doc_number
    assert rebuilt.state == Report.State.DRAFT
    assert list(Report.objects.filter(kind="dispatch", key="2022-06").values_list("version", "state").order_by("version")) == [
        (1, "issued"),
        (2, "draft"),
    ]


def test_an_issue_after_a_build_replaced_the_draft_is_refused_and_numbers_nothing(data, users):
    draft = report_build(kind="dispatch", key="2022-06", today=TODAY)
    report_build(kind="dispatch", key="2022-06", today=TODAY)  # committed first: the office's page was stale
    with pytest.raises(ValidationError, match="已印发或已被新版本替代"):
        report_issue(report=draft, user=users["office"])
    draft.refresh_from_db()
    assert draft.state == Report.State.SUPERSEDED and not draft.doc_number
    assert not Report.objects.filter(state="issued").exists()


def test_two_issues_of_one_version_number_it_once(data, users):
    draft = report_build(kind="dispatch", key="2022-06", today=TODAY)
    report_issue(report=draft, user=users["office"], doc_date=ISSUED_ON)
    with pytest.raises(ValidationError):
        report_issue(report=draft, user=users["office"], doc_date=ISSUED_ON)
    assert Report.objects.get().doc_number.endswith("〔2022〕1号")


def test_an_issue_and_a_build_in_two_threads_never_lose_the_number(transactional_db, plan_2022, settings, tmp_path, users):
    """Two processes at once: the series lock orders them; whichever runs first, the
    issued version stays issued and numbered and one draft stands beside it."""
    import threading

    from django.db import connection

    settings.MEDIA_ROOT = tmp_path / "media"
    june(plan_2022)
    draft = report_build(kind="dispatch", key="2022-06", today=TODAY)
    barrier = threading.Barrier(2)
    errors = []

    def run(fn):
        try:
            barrier.wait()
            fn()
        except ValidationError:
            pass  # the build committed first: the issue is refused, nothing numbered
        except Exception as e:  # surfaced below
            errors.append(e)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(lambda: report_issue(report=draft, user=users["office"]),)),
        threading.Thread(target=run, args=(lambda: report_build(kind="dispatch", key="2022-06", today=TODAY),)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors
    states = dict(Report.objects.values_list("version", "state"))
    assert states[2] == "draft"
    draft.refresh_from_db()
    assert (draft.state, bool(draft.doc_number)) in {("issued", True), ("superseded", False)}


def test_send_for_review_only_a_draft(data, users):
    draft = report_build(kind="dispatch", key="2022-06", today=TODAY)
    report_submit_review(report=draft, user=users["office"])
    with pytest.raises(ValidationError, match="只有当前草稿可以送审"):
        report_submit_review(report=draft, user=users["office"])
