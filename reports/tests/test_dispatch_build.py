"""The monthly dispatch built from known June 2022 data: the Word file, the Excel annex
and the stored content say what the data says."""

import pytest

from reports.services import report_build
from reports.tests.reportdata import TODAY, docx_tables, docx_text, june, media_path, xlsx_rows


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def dispatch(plan_2022, media):
    data = june(plan_2022)
    return data, report_build(kind="dispatch", key="2022-06", today=TODAY)


def _flagged(path):
    return next(t for t in docx_tables(path) if t[0][:4] == ["序号", "行动", "单位", "指标"])


def test_it_lists_every_red_and_yellow_target_with_gap_and_explanation(dispatch):
    _, report = dispatch
    table = _flagged(media_path(report.docx))
    rows = {(r[2], r[3]): r for r in table[1:]}
    coverage = "“双随机、一公开”监管覆盖率"
    assert set(rows) == {("祁东县", "企业开办时间"), ("衡东县", coverage)}
    red = rows[("祁东县", "企业开办时间")]
    assert red[4:8] == ["3 个工作日", "≤ 0.5 个工作日", "2.5 个工作日", "未达标"]
    assert red[8:] == ["窗口人员不足,办件积压", "增派窗口人员,推行容缺受理"]
    yellow = rows[("衡东县", coverage)]  # 46% against June's pace of 50%
    assert yellow[7] == "预警" and "4" in yellow[6]
    assert table[1][2] == "祁东县"  # reds first


def test_it_names_missing_and_late_units(dispatch):
    _, report = dispatch
    text = docx_text(media_path(report.docx))
    missing = next(line for line in text.splitlines() if line.startswith("截至报告生成时，未报送单位"))
    assert "珠晖区" in missing  # a draft is not a submission
    assert "衡南县" not in missing and "祁东县" not in missing
    late = next(line for line in text.splitlines() if "逾期报送单位：" in line)
    assert "衡东县、祁东县" in late and "衡南县" not in late
    assert "2022年7月6日" in late  # the month's own deadline


def test_it_shows_new_and_resolved_reds_since_last_month(dispatch):
    _, report = dispatch
    tables = docx_tables(media_path(report.docx))
    new = next(t for t in tables if t[0] == ["单位", "指标", "本月完成值", "目标"])
    resolved = next(t for t in tables if t[0] == ["单位", "指标", "本月完成值", "本月状态"])
    assert new[1:] == [["祁东县", "企业开办时间", "3 个工作日", "≤ 0.5 个工作日"]]
    assert resolved[1:] == [["衡南县", "企业开办时间", "0.4 个工作日", "达标"]]


def test_it_counts_statuses_by_area_and_highlights_tasks(dispatch):
    _, report = dispatch
    path = media_path(report.docx)
    summary = next(t for t in docx_tables(path) if t[0][0] == "行动")
    total = summary[-1]
    assert total[0] == "合计"
    assert total[2:4] == ["1", "1"]  # one yellow, one red
    text = docx_text(path)
    assert "已完成：衡南县；进度滞后：祁东县。" in text
    assert "【亮点】衡南县：全面推行一网通办" in text


def test_the_excel_annex_holds_the_same_lists(dispatch):
    _, report = dispatch
    path = media_path(report.xlsx)
    flagged = xlsx_rows(path, "未达标和预警")
    assert flagged[0][:4] == ["序号", "行动", "单位", "指标"]
    assert [r[2] for r in flagged[1:]] == ["祁东县", "衡东县"]
    reporting = xlsx_rows(path, "报送情况")
    assert ["珠晖区", "未报送", None] in reporting
    assert [r[:2] for r in reporting if r[1] == "逾期报送"] == [["衡东县", "逾期报送"], ["祁东县", "逾期报送"]]


def test_the_stored_content_is_what_the_web_page_shows(dispatch):
    _, report = dispatch
    assert report.title == "衡阳市营商环境攻坚行动月调度（2022年6月）"
    assert report.content[0] == {"kind": "title", "text": report.title, "header": None, "rows": None, "widths": None}
    assert not report.pdf  # the dispatch is read on screen and in Word
