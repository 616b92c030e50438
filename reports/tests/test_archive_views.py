"""The archive pages: who sees what, rebuild with progress, issue, upload, download,
the bulletin's case texts, and a clear message when the queue is down."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from kombu.exceptions import OperationalError as BrokerError

from reports import tasks
from reports.models import BulletinNote, Report, ReportSeries
from reports.services.build import report_build
from reports.services.issue import report_issue
from reports.tests.reportdata import TODAY, june_dispatch


@pytest.fixture
def built(plan_2022, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return june_dispatch(plan_2022)[1]


def login(client, user):
    client.force_login(user)  # django-axes needs a request for a password login
    return client


@pytest.fixture
def queued(monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.report_build_task, "apply_async", lambda **kw: sent.append(kw))
    return sent


def test_leaders_see_only_issued_reports(client, built, users):
    login(client, users["leader"])
    page = client.get(reverse("reports:archive")).content.decode()
    assert "2022-06" not in page and "暂无已印发的报告" in page
    assert client.get(reverse("reports:archive-download", args=[built.pk, "docx"])).status_code == 404
    report_issue(report=built, user=users["office"])
    page = client.get(reverse("reports:archive")).content.decode()
    assert "2022-06" in page and "已印发" in page
    assert "月调度" in client.get(reverse("reports:archive") + "?kind=dispatch").content.decode()
    assert "2022-06" not in client.get(reverse("reports:archive") + "?kind=bulletin").content.decode()
    response = client.get(reverse("reports:archive-download", args=[built.pk, "docx"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_the_office_sees_drafts_and_the_report_as_a_web_page(client, built, users):
    login(client, users["office"])
    page = client.get(reverse("reports:archive-detail", args=["dispatch", "2022-06"])).content.decode()
    assert "草稿" in page and "送审此版本" in page  # 草稿 → 送审 → 已印发
    assert "二、本月新增未达标目标" in page and "祁东县3个工作日" in page


@pytest.mark.parametrize("who", ["reporter", "lead", "approver"])
def test_units_have_no_access(client, built, users, who):
    login(client, users[who])
    assert client.get(reverse("reports:archive")).status_code == 403
    assert client.get(reverse("reports:archive-download", args=[built.pk, "docx"])).status_code == 403


def test_leaders_cannot_rebuild_or_issue(client, built, users, queued):
    login(client, users["leader"])
    assert client.post(reverse("reports:archive-rebuild", args=["dispatch", "2022-06"])).status_code == 403
    assert client.post(reverse("reports:archive-issue", args=[built.pk])).status_code == 403
    assert client.get(reverse("reports:archive-job", args=["dispatch", "2022-06"])).status_code == 403
    assert not queued


def test_rebuild_queues_one_job_and_reports_its_progress(transactional_db, client, built, users, queued):
    # transactional: the job is queued on commit, as in a real request
    login(client, users["office"])
    url = reverse("reports:archive-rebuild", args=["dispatch", "2022-06"])
    response = client.post(url, follow=True)
    assert "已开始生成" in response.content.decode()
    client.post(url)  # a second click while queued does not queue a second job
    assert len(queued) == 1
    series = ReportSeries.objects.get(kind="dispatch", key="2022-06")
    assert queued[0]["task_id"] == series.task_id
    job = client.get(reverse("reports:archive-job", args=["dispatch", "2022-06"])).json()
    assert job["state"] == "queued" and job["label"] == "排队中" and not job["finished"]


def test_a_failed_build_shows_its_chinese_error(client, built, users):
    ReportSeries.objects.filter(kind="dispatch", key="2022-06").update(job_state="failed", error="系统中没有 2022 年度的行动方案")
    login(client, users["office"])
    job = client.get(reverse("reports:archive-job", args=["dispatch", "2022-06"])).json()
    assert job["state"] == "failed" and job["finished"] and "行动方案" in job["error"]
    page = client.get(reverse("reports:archive-detail", args=["dispatch", "2022-06"])).content.decode()
    assert "系统中没有 2022 年度的行动方案" in page


def test_an_unreachable_queue_is_said_plainly(transactional_db, client, built, users, monkeypatch):
    def down(**kw):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.report_build_task, "apply_async", down)
    login(client, users["office"])
    response = client.post(reverse("reports:archive-rebuild", args=["dispatch", "2022-06"]), follow=True)
    assert response.status_code == 200
    assert "任务队列暂不可用" in response.content.decode()
    assert ReportSeries.objects.get(kind="dispatch", key="2022-06").job_state == "failed"


def test_building_a_new_period_checks_it(transactional_db, client, plan_2022, users, queued):
    login(client, users["office"])
    response = client.post(reverse("reports:archive-build"), {"kind": "bulletin", "key": "2022Q5"}, follow=True)
    assert "格式不正确" in response.content.decode() and not queued
    response = client.post(reverse("reports:archive-build"), {"kind": "dispatch", "key": "2031-01"}, follow=True)
    assert "没有 2031 年度的行动方案" in response.content.decode() and not queued
    response = client.post(reverse("reports:archive-build"), {"kind": "bulletin", "key": "2022q2"})
    assert response.url == reverse("reports:archive-detail", args=["bulletin", "2022Q2"])
    assert queued[0]["args"] == ["bulletin", "2022Q2"]


def test_issue_then_leaders_download_the_uploaded_final(client, built, users):
    from docx import Document

    login(client, users["office"])
    page = client.post(reverse("reports:archive-issue", args=[built.pk])).content.decode()
    built.refresh_from_db()
    assert built.state == Report.State.DRAFT  # units are missing: the office confirms first
    assert "尚有" in page and "珠晖区" in page and "仍然印发" in page
    client.post(reverse("reports:archive-issue", args=[built.pk]), {"confirm_missing": "on", "doc_date": "2022-07-09"})
    built.refresh_from_db()
    assert built.state == Report.State.ISSUED
    assert built.doc_date.isoformat() == "2022-07-09" and built.doc_number == "衡优化办调度〔2022〕1号"
    buf = io.BytesIO()
    d = Document()
    d.add_paragraph("领导审定稿")
    d.save(buf)
    buf.name = "final.docx"
    buf.seek(0)
    response = client.post(reverse("reports:archive-upload", args=[built.pk]), {"file": buf}, follow=True)
    assert "定稿已上传" in response.content.decode()
    first = Report.objects.get(pk=built.pk).final_docx.name
    buf.seek(0)
    client.post(reverse("reports:archive-upload", args=[built.pk]), {"file": buf})
    built.refresh_from_db()
    files = [f.file.name for f in built.final_files.all()]
    assert files == [first, built.final_docx.name] and first != built.final_docx.name  # never replaced in place
    assert all((Path(settings.MEDIA_ROOT) / name).is_file() for name in files)
    bad = io.BytesIO(b"not a word file")
    bad.name = "fake.docx"
    response = client.post(reverse("reports:archive-upload", args=[built.pk]), {"file": bad}, follow=True)
    assert "不是有效的 Word 文件" in response.content.decode()

    client.logout()
    login(client, users["leader"])
    response = client.get(reverse("reports:archive-download", args=[built.pk, "docx"]))
    data = b"".join(response.streaming_content)
    assert "定稿" in response["Content-Disposition"] or "%E5%AE%9A%E7%A8%BF" in response["Content-Disposition"]
    assert b"word/document.xml" in data


def test_the_office_enters_the_quarter_s_cases(client, plan_2022, users):
    login(client, users["office"])
    url = reverse("reports:archive-notes", args=["2022Q2"])
    assert "尚未录入" in client.get(url).content.decode()
    response = client.post(url, {"kind": "good", "text": "推行“一件事一次办”。", "unit": ""}, follow=True)
    assert "推行“一件事一次办”。" in response.content.decode()
    note = BulletinNote.objects.get()
    assert (note.key, note.created_by) == ("2022Q2", users["office"])
    response = client.post(url, {"kind": "good", "text": ""})
    assert response.status_code == 200 and BulletinNote.objects.count() == 1
    client.post(reverse("reports:archive-note-delete", args=[note.pk]))
    assert not BulletinNote.objects.exists()
    assert client.get("/reports/archive/notes/2022Q9/").status_code == 404


def test_the_archive_page_has_a_fixed_number_of_queries(client, built, users, django_assert_max_num_queries):
    for key in ("2022-04", "2022-05"):
        report_build(kind="dispatch", key=key, today=TODAY)
    client.force_login(users["office"])
    with django_assert_max_num_queries(8):
        page = client.get(reverse("reports:archive")).content.decode()
    assert "2022-04" in page and "2022-05" in page and "2022-06" in page


def test_leaders_see_the_issued_report_and_its_issued_correction_notice(client, built, users):
    from reports.models import CorrectionNotice
    from reports.notices import notice_issue

    report_issue(report=built, user=users["office"])
    changes = {
        "figures": [
            {
                "key": "2022-06|qidong|business_start_days",
                "period": "2022-06",
                "unit": "祁东县",
                "metric": "企业开办时间",
                "old": "3个工作日",
                "new": "0.4个工作日",
                "old_status": "未达标",
                "new_status": "达标",
            }
        ],
        "totals": None,
        "ranks": [],
    }
    draft = CorrectionNotice.objects.create(
        original=built, title="关于更正《x》的通知", changes=changes, printed=built.printed, drafted_at=built.built_at
    )
    login(client, users["leader"])
    url = reverse("reports:archive-detail", args=["dispatch", "2022-06"])
    assert "祁东县" not in client.get(url).content.decode().split("报告内容")[0]  # a draft notice: not for leaders
    notice = notice_issue(notice=draft, user=users["office"])
    page = client.get(url).content.decode()
    assert notice.doc_number in page and "3个工作日" in page and "未达标 → 达标" in page
    assert "已被新版本替代" not in page  # the original stays current
    listing = client.get(reverse("reports:archive") + "?current=on").content.decode()
    assert notice.doc_number in listing
    response = client.get(reverse("reports:archive-notice-download", args=[notice.pk, "pdf"]))
    assert response.status_code == 200


def test_the_office_edits_the_document_settings_and_leaders_cannot(client, plan_2022, users):
    from reports.models import ReportSettings

    url = reverse("reports:archive-settings")
    login(client, users["leader"])
    assert client.get(url).status_code == 403
    client.logout()
    login(client, users["office"])
    page = client.get(url).content.decode()
    assert "衡阳市优化营商环境领导小组办公室" in page  # the defaults, before anything is saved
    assert not ReportSettings.objects.exists()  # a read never writes
    data = {
        "issuer": "衡阳市优化营商环境领导小组办公室",
        "issuer_short": "市优化办",
        "dispatch_to": "各县市区人民政府",
        "bulletin_to": "各县市区人民政府",
        "cc": "市委办公室",
        "sealed": "on",
        "red_black_list": "on",
        "disclosure": "此件公开发布",
        "contact": "",
        "reminder_interval_hours": "24",
    }
    client.post(url, data)
    saved = ReportSettings.current()
    assert saved.sealed and saved.red_black_list and saved.cc == "市委办公室"
    assert saved.disclosure == "此件公开发布" and saved.contact == ""  # the 附注 (issue 20)
