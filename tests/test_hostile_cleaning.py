"""One text cleaner and one number reader at every input: the baselines file and page,
the 公文 settings and the bulletin's notes lose control characters; a baseline is read
like a figure ("1,234" yes; "3,2" and "1_000" no) and must be plausible for its metric
(a percentage 0–100, 0.5272 refused with 52.72 suggested, a count whole)."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from indicators.models import Baseline, Metric
from indicators.rules.inputs import clean_figure, parse_number
from reports.models import BulletinNote, ReportSettings

DIRT = "\x00\x0b\x1b[31m"
HEADER = "metric,unit,period,value,note\n"


def load(tmp_path, text):
    path = tmp_path / "baselines.csv"
    path.write_text(text, encoding="utf-8")
    call_command("load_baselines", str(path), stdout=open(path.with_suffix(".out"), "w"))


def test_a_baselines_file_loses_control_characters_in_its_notes(plan_2022, tmp_path):
    load(tmp_path, HEADER + f'tech_smes,city,2021,850,"统计局\x00年报{DIRT}口径"\n')
    note = Baseline.objects.get().note
    assert note == "统计局年报\n[31m口径"  # \x0b is Word's line break; NUL and ESC go


def test_the_document_settings_lose_control_characters(client, plan_2022, users):
    client.force_login(users["office"])
    data = {
        "issuer": f"衡阳市优化营商环境领导小组办公室{DIRT}",
        "issuer_short": "市优化办\x00",
        "dispatch_to": "各县市区人民政府\x1b",
        "bulletin_to": "各县市区人民政府",
        "cc": "市委\x0b办公室",
        "reminder_interval_hours": "24",
        "disclosure": "此件依申请公开\x00",
        "contact": "",
    }
    client.post(reverse("reports:archive-settings"), data)
    saved = ReportSettings.current()
    assert (saved.issuer, saved.issuer_short, saved.dispatch_to, saved.cc) == (
        "衡阳市优化营商环境领导小组办公室\n[31m",
        "市优化办",
        "各县市区人民政府",
        "市委\n办公室",
    )


def test_bulletin_notes_lose_control_characters(client, plan_2022, users):
    client.force_login(users["office"])
    client.post(reverse("reports:archive-notes", args=["2022Q2"]), {"kind": "good", "text": f"推行\x00“一件事一次办”{DIRT}。"})
    assert BulletinNote.objects.get().text == "推行“一件事一次办”\n[31m。"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1,234", Decimal(1234)),
        ("１２３", Decimal(123)),
        (" 850 ", Decimal(850)),
        ("1_000", "不是数字"),
        ("١٢٣", "不是数字"),
        ("3,2", "逗号含义不明确"),
        ("12,5", "逗号含义不明确"),
    ],
)
def test_one_number_reader_for_figures_and_baselines(plan_2022, typed, expected):
    from indicators.baselines import baseline_value  # (new: the one reading of a baseline)

    count = Metric.objects.get(code="tech_smes")
    if isinstance(expected, Decimal):
        assert parse_number(typed) == expected == baseline_value(count, typed)
        assert clean_figure("count", value=typed).value == expected
        return
    with pytest.raises(ValueError, match=expected):
        baseline_value(count, typed)
    assert expected in clean_figure("count", value=typed).errors["value"]


@pytest.mark.parametrize(
    ("code", "typed", "message"),
    [
        ("summary_procedure_rate", "150", "百分比应在 0 到 100 之间"),
        ("summary_procedure_rate", "-3", "百分比应在 0 到 100 之间"),
        ("summary_procedure_rate", "0.5272", "请按百分数填写,如 52.72"),
        ("summary_procedure_rate", "52.72", None),
        ("summary_procedure_rate", "0.5", None),  # half a per cent, written as such
        ("tech_smes", "850.5", "应填写整数"),
        ("tech_smes", "-1", "不能为负数"),
    ],
)
def test_a_baseline_must_be_plausible_for_its_metric(client, plan_2022, users, tmp_path, code, typed, message):
    metric = Metric.objects.get(code=code)
    client.force_login(users["office"])
    response = client.post("/indicators/baselines/new/", {"metric": metric.pk, "unit": "", "month": "", "value": typed})
    if message is None:
        assert response.status_code == 302 and Baseline.objects.get().value == Decimal(typed)
        Baseline.objects.all().delete()
        load(tmp_path, HEADER + f"{code},city,2021,{typed},\n")
        assert Baseline.objects.get().value == Decimal(typed)
        return
    assert response.status_code == 200 and message in response.content.decode()
    with pytest.raises(CommandError, match=message):
        load(tmp_path, HEADER + f'{code},city,2021,"{typed}",\n')
    assert not Baseline.objects.exists()


def test_a_baselines_file_takes_thousands_separators_like_the_import(plan_2022, tmp_path):
    load(tmp_path, HEADER + 'tech_smes,city,2021,"1,234",\n')
    assert Baseline.objects.get().value == 1234
