"""`import_figures`: a good CSV writes every figure; one bad row rejects the whole file
with every problem named by row and column, in Chinese; changes keep their history."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from indicators.models import Figure

HEADER = "unit,metric,period,value,numerator,denominator,cases,note"
GOOD_ROWS = [
    "qidong,business_start_days,2022-06,0.4,,,25,",  # average: value and cases
    "hengnan,online_service_rate,2022-06,,45,50,,",  # ratio: numerator and denominator
    "zhuhui,one_thing_policies,2022-06,已完成,,,,",  # milestone: state in value
    "tax,tax_payments,2022-06,5,,,,按季申报",  # count
    "approval,digital_gov_rank,2022-06,2,,,,",  # rank
]


def write_csv(tmp_path, lines, *, header=HEADER, encoding="utf-8", name="figures.csv"):
    path = tmp_path / name
    text = "\n".join([header, *lines]) + "\n" if header is not None else "\n".join(lines)
    path.write_bytes(text.encode(encoding))
    return path


def run(path) -> str:
    out = StringIO()
    call_command("import_figures", str(path), stdout=out)
    return out.getvalue()


def rejected(path) -> str:
    with pytest.raises(CommandError) as exc:
        run(path)
    assert Figure.objects.count() == 0
    return str(exc.value)


def fig(unit, metric, period="2022-06-01"):
    return Figure.objects.get(unit__code=unit, metric__code=metric, period=period)


def test_a_good_file_writes_every_figure(plan_2022, tmp_path):
    out = run(write_csv(tmp_path, GOOD_ROWS))

    assert "新增 5 条" in out
    avg = fig("qidong", "business_start_days")
    assert (avg.value, avg.cases) == (Decimal("0.4"), 25)
    ratio = fig("hengnan", "online_service_rate")
    assert (ratio.numerator, ratio.denominator, ratio.value) == (45, 50, None)
    assert fig("zhuhui", "one_thing_policies").state == "done"
    count = fig("tax", "tax_payments")
    assert (count.value, count.explanation) == (5, "按季申报")
    assert fig("approval", "digital_gov_rank").value == 2
    assert {f.source for f in Figure.objects.all()} == {Figure.Source.IMPORT}


@pytest.mark.parametrize(
    ("words", "state"),
    [("未启动", "not_started"), ("推进中", "in_progress"), ("已完成", "done"), ("in_progress", "in_progress"), ("done", "done")],
)
def test_milestone_states_in_chinese_or_english(plan_2022, tmp_path, words, state):
    run(write_csv(tmp_path, [f"zhuhui,one_thing_policies,2022-06,{words},,,,"]))

    assert fig("zhuhui", "one_thing_policies").state == state


def test_one_bad_row_rejects_the_whole_file(plan_2022, tmp_path):
    message = rejected(write_csv(tmp_path, [*GOOD_ROWS, "qidong,business_start_days,2022-07,abc,,,3,"]))

    assert "文件有 1 处错误,未导入任何数据" in message
    assert "第7行 value列:“abc”不是数字" in message


def test_every_problem_is_listed_by_row_and_column(plan_2022, tmp_path):
    message = rejected(
        write_csv(
            tmp_path,
            [
                GOOD_ROWS[0],
                "nowhere,business_start_days,2022-06,1,,,3,",
                "hengnan,online_service_rate,2022-06,,5,0,,",
                "qidong,business_start_days,2022-13,1,,,3,",
            ],
        )
    )

    assert "文件有 3 处错误" in message
    assert "第3行 unit列:未知的单位编码“nowhere”" in message
    assert "第4行 denominator列:分母必须大于 0" in message
    assert "第5行 period列:月份“2022-13”不存在" in message


BAD_ROWS = [
    # (case, row, expected message for that row (the file's second line))
    ("unknown unit", "nowhere,business_start_days,2022-06,1,,,3,", "第2行 unit列:未知的单位编码“nowhere”"),
    ("unknown metric", "qidong,nope,2022-06,1,,,3,", "第2行 metric列:2022年方案中没有编码为“nope”的指标"),
    ("no plan for the year", "qidong,business_start_days,2021-06,1,,,3,", "第2行 metric列:2021年方案中没有"),
    (
        "unit not assigned",
        "tax,business_start_days,2022-06,1,,,3,",
        "第2行 unit列:国家税务总局衡阳市税务局不负责报送“企业开办时间”",
    ),
    ("month 13", "qidong,business_start_days,2022-13,1,,,3,", "第2行 period列:月份“2022-13”不存在"),
    ("period with slashes", "qidong,business_start_days,2022/06,1,,,3,", "第2行 period列:月份“2022/06”格式不正确"),
    ("empty period", "qidong,business_start_days,,1,,,3,", "第2行 period列:月份“”格式不正确"),
    ("text in number", "qidong,business_start_days,2022-06,半天,,,3,", "第2行 value列:“半天”不是数字"),
    ("formula in number", "qidong,business_start_days,2022-06,=1+1,,,3,", "第2行 value列:“=1+1”不是数字"),
    ("NaN", "qidong,business_start_days,2022-06,NaN,,,3,", "第2行 value列:“NaN”不是有效数字"),
    ("infinity", "qidong,business_start_days,2022-06,Infinity,,,3,", "第2行 value列:“Infinity”不是有效数字"),
    ("minus infinity", "hengnan,online_service_rate,2022-06,,-inf,5,,", "第2行 numerator列:“-inf”不是有效数字"),
    ("huge number", "tax,tax_payments,2022-06,1e20,,,,", "第2行 value列:数值过大"),
    ("huge denominator", "hengnan,online_service_rate,2022-06,,1,123456789012345678,,", "第2行 denominator列:数值过大"),
    ("negative", "tax,tax_payments,2022-06,-1,,,,", "第2行 value列:数值不能为负数"),
    ("negative numerator", "hengnan,online_service_rate,2022-06,,-1,5,,", "第2行 numerator列:分子不能为负数"),
    ("denominator 0", "hengnan,online_service_rate,2022-06,,0,0,,", "第2行 denominator列:分母必须大于 0"),
    ("ratio without denominator", "hengnan,online_service_rate,2022-06,,3,,,", "第2行 denominator列:请填写分母"),
    ("average without cases", "qidong,business_start_days,2022-06,1,,,,", "第2行 cases列:请填写件数"),
    ("fractional cases", "qidong,business_start_days,2022-06,1,,,2.5,", "第2行 cases列:件数应为不小于 0 的整数"),
    ("rank 0", "approval,digital_gov_rank,2022-06,0,,,,", "第2行 value列:排名应为不小于 1 的整数"),
    ("unknown milestone state", "zhuhui,one_thing_policies,2022-06,快完成了,,,,", "第2行 value列:“快完成了”不是有效的完成状态"),
    ("nothing filled in", "qidong,business_start_days,2022-06,,,,,", "第2行 value列:“企业开办时间”没有填写数据"),
    ("too many fields", "tax,tax_payments,2022-06,5,,,,说明,多余", "第2行 note列:列数多于表头(多出“多余”)"),
]


@pytest.mark.parametrize(("case", "row", "expected"), BAD_ROWS, ids=[c[0] for c in BAD_ROWS])
def test_a_bad_row_is_named_by_row_and_column(plan_2022, tmp_path, case, row, expected):
    message = rejected(write_csv(tmp_path, ["hengnan,mediation_success_rate,2022-06,,5,10,,", row]))

    # the good first row is line 2, the bad one line 3
    assert expected.replace("第2行", "第3行") in message, message
    assert "第2行" not in message


def test_a_bad_period_does_not_hide_a_bad_metric_or_unit(plan_2022, tmp_path):
    message = rejected(write_csv(tmp_path, ["nowhere,nope,2022/13,1,,,3,"]))

    assert "文件有 3 处错误" in message
    assert "第2行 unit列:未知的单位编码“nowhere”" in message
    assert "第2行 period列" in message
    assert "第2行 metric列:没有编码为“nope”的指标" in message


def test_a_duplicate_row_names_both_rows(plan_2022, tmp_path):
    message = rejected(write_csv(tmp_path, [GOOD_ROWS[0], GOOD_ROWS[1], "qidong,business_start_days,2022-06,0.3,,,10,"]))

    assert "第4行 metric列:与第2行重复(同一单位、指标、月份)" in message


def test_row_numbers_are_the_files_own_lines(plan_2022, tmp_path):
    """Blank lines and a note spanning two lines do not shift the reported row."""
    lines = [GOOD_ROWS[0], "", 'tax,tax_payments,2022-06,5,,,,"第一行\n第二行"', "", "qidong,business_start_days,2022-07,x,,,3,"]
    message = rejected(write_csv(tmp_path, lines))

    # header 1, row 2, blank 3, note on lines 4-5, blank 6, the bad row on line 7
    assert "第7行 value列:“x”不是数字" in message


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("unit,metric,value,numerator,denominator,cases,note", "缺少列:period"),
        ("unit,metric,period,value,numerator,denominator,cases,note,remark", "无法识别的列:remark"),
        ("unit,metric,period,value,value,numerator,denominator,cases,note", "表头中的列重复:value"),
    ],
)
def test_the_header_must_be_the_documented_one(plan_2022, tmp_path, header, expected):
    message = rejected(write_csv(tmp_path, [GOOD_ROWS[3]], header=header))

    assert expected in message
    assert "表头应为:unit,metric,period,value,numerator,denominator,cases,note" in message


def test_missing_optional_columns_are_allowed(plan_2022, tmp_path):
    run(write_csv(tmp_path, ["tax,tax_payments,2022-06,5"], header="unit,metric,period,value"))

    assert fig("tax", "tax_payments").value == 5


def test_an_empty_file_is_rejected(plan_2022, tmp_path):
    assert "文件是空的" in rejected(write_csv(tmp_path, [], header=None))
    assert "文件中没有数据行" in rejected(write_csv(tmp_path, [], name="header-only.csv"))


def test_a_gbk_file_from_excel_is_read(plan_2022, tmp_path):
    path = write_csv(tmp_path, ["tax,tax_payments,2022-06,5,,,,按季申报"], encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # really GBK, not UTF-8

    run(path)

    assert fig("tax", "tax_payments").explanation == "按季申报"


def test_a_utf8_file_with_bom_is_read(plan_2022, tmp_path):
    run(write_csv(tmp_path, ["tax,tax_payments,2022-06,5,,,,按季申报"], encoding="utf-8-sig"))

    assert fig("tax", "tax_payments").explanation == "按季申报"


def test_a_file_in_no_known_encoding_is_rejected(plan_2022, tmp_path):
    path = tmp_path / "figures.csv"
    path.write_bytes(HEADER.encode() + b"\n\xff\xfe\xfa,tax_payments,2022-06,5,,,,\n")

    assert "文件编码无法识别" in rejected(path)


def test_formula_like_text_in_a_note_is_kept_as_plain_text(plan_2022, tmp_path):
    """A note is text: it is stored as typed, never evaluated (exports escape it)."""
    note = '=HYPERLINK("http://example.com","点击")'
    run(write_csv(tmp_path, [f'tax,tax_payments,2022-06,5,,,,"{note.replace(chr(34), chr(34) * 2)}"']))

    assert fig("tax", "tax_payments").explanation == note


def test_a_note_over_2000_characters_is_rejected(plan_2022, tmp_path):
    message = rejected(write_csv(tmp_path, ["tax,tax_payments,2022-06,5,,,," + "长" * 2001]))

    assert "第2行 note列:说明超过 2000 字" in message


def test_numbers_as_people_type_them(plan_2022, tmp_path):
    run(write_csv(tmp_path, ['tax,tax_payments,2022-06," １,２３４ ",,,,', "hengnan,online_service_rate,2022-06,,45,50,,"]))

    assert fig("tax", "tax_payments").value == 1234


def open_june():
    """June 2022 still open (its lock date ahead), so that an import may change it."""
    from datetime import date

    from indicators.models import ReportingMonth

    ReportingMonth.objects.create(period=date(2022, 6, 1), deadline=date(2099, 1, 5), lock_date=date(2099, 1, 15))


def test_an_update_records_history_with_its_reason(plan_2022, tmp_path):
    open_june()
    run(write_csv(tmp_path, [GOOD_ROWS[0]], name="first.csv"))
    figure = fig("qidong", "business_start_days")
    assert figure.history.count() == 1

    out = run(write_csv(tmp_path, ["qidong,business_start_days,2022-06,0.6,,,30,补录迟到的办件"], name="second.csv"))

    figure.refresh_from_db()
    assert "更新 1 条" in out
    assert (figure.value, figure.cases, figure.explanation) == (Decimal("0.6"), 30, "补录迟到的办件")
    latest = figure.history.first()
    assert figure.history.count() == 2
    assert latest.history_type == "~"
    assert latest.history_change_reason == "文件导入"
    assert latest.value == Decimal("0.6")
    assert figure.history.last().value == Decimal("0.4")


def test_importing_the_same_file_again_changes_nothing(plan_2022, tmp_path):
    path = write_csv(tmp_path, GOOD_ROWS)
    run(path)
    stamps = dict(Figure.objects.values_list("pk", "updated_at"))

    out = run(path)

    assert "未变化 5 条" in out
    assert dict(Figure.objects.values_list("pk", "updated_at")) == stamps
    assert all(f.history.count() == 1 for f in Figure.objects.all())


def test_a_missing_file_is_a_clear_error(plan_2022, tmp_path):
    assert "无法读取文件" in rejected(tmp_path / "nowhere.csv")


def test_control_characters_in_a_note_are_removed(plan_2022, tmp_path):
    path = tmp_path / "nul.csv"
    path.write_text(
        "unit,metric,period,value,numerator,denominator,cases,note\n"
        "hengnan,business_start_days,2022-06,0.4,,,5,a\x00b\x07c\x0bd\n"
    )
    run(path)
    assert fig("hengnan", "business_start_days").explanation == "abc\nd"


# -- closed months: submitted, accepted or locked -----------------------------------


def _submission(unit_code, state, period="2022-06-01"):
    from actions.models import Unit
    from indicators.models import Submission

    return Submission.objects.create(unit=Unit.objects.get(code=unit_code), period=period, state=state, version=3)


@pytest.mark.parametrize("state", ["submitted", "approved", "accepted"])
def test_a_submitted_or_accepted_month_is_not_changed_without_a_correction(plan_2022, tmp_path, state):
    open_june()
    _submission("qidong", state)
    with pytest.raises(CommandError) as exc:
        run(write_csv(tmp_path, GOOD_ROWS))
    assert "祁东县 2022-06" in str(exc.value) and "--correction" in str(exc.value)
    assert not Figure.objects.exists()  # the whole file, not only 祁东县's row


def test_a_locked_month_with_data_is_not_changed_without_a_correction(plan_2022, tmp_path):
    run(write_csv(tmp_path, [GOOD_ROWS[0]], name="first.csv"))  # June 2022 is long locked, but nobody had reported

    with pytest.raises(CommandError, match="已过锁定日"):
        run(write_csv(tmp_path, ["qidong,business_start_days,2022-06,0.6,,,30,"], name="second.csv"))

    assert fig("qidong", "business_start_days").value == Decimal("0.4")
    assert "未变化 1 条" in run(write_csv(tmp_path, [GOOD_ROWS[0]], name="again.csv"))  # unchanged rows need nothing


def test_a_month_nobody_reported_stays_importable_after_its_lock_date(plan_2022, tmp_path):
    assert "新增 5 条" in run(write_csv(tmp_path, GOOD_ROWS))


def test_a_correction_changes_a_closed_month_and_is_recorded(plan_2022, tmp_path, users):
    from indicators.models import CorrectionRequest

    open_june()
    sub = _submission("qidong", "accepted")
    out = StringIO()
    path = write_csv(tmp_path, GOOD_ROWS)
    call_command("import_figures", str(path), "--correction", "税务口径调整\x0b后重报", "--user", "office", stdout=out)

    assert "1 个单位月份已关闭,按更正处理" in out.getvalue()
    req = CorrectionRequest.objects.get()
    assert (req.unit.code, req.state, req.reason) == ("qidong", "approved", "税务口径调整\n后重报")
    assert req.requested_by == req.decided_by == users["office"]
    f = fig("qidong", "business_start_days")
    assert f.history.first().history_change_reason == "更正:税务口径调整\n后重报"
    assert f.history.first().history_user == users["office"]
    assert fig("hengnan", "online_service_rate").history.first().history_change_reason == "文件导入"
    sub.refresh_from_db()
    assert sub.state == "accepted" and sub.version == 4  # a template downloaded before is now stale


def test_an_unknown_importing_user_is_refused(plan_2022, tmp_path):
    with pytest.raises(CommandError, match="没有用户名为“nobody”的用户"):
        call_command("import_figures", str(write_csv(tmp_path, GOOD_ROWS)), "--user", "nobody")
    assert not Figure.objects.exists()


@pytest.mark.parametrize(
    "row, problem",
    [
        ("tax,tax_payments,2022-06,2.5,,,,", "第2行 value列:应填写整数"),
        ('tax,tax_payments,2022-06,"3,2",,,,', "第2行 value列:“3,2”中的逗号含义不明确"),
        ('hengnan,online_service_rate,2022-06,,"12,5",50,,', "第2行 numerator列:“12,5”中的逗号含义不明确"),
        ("hengnan,online_service_rate,2022-06,,51,50,,", "第2行 numerator列:分子不能大于分母"),
    ],
)
def test_ambiguous_and_impossible_numbers_are_refused(plan_2022, tmp_path, row, problem):
    assert problem in rejected(write_csv(tmp_path, [row]))


def test_a_thousands_separator_is_read(plan_2022, tmp_path):
    run(write_csv(tmp_path, ['hengnan,online_service_rate,2022-06,,"1,234","2,000",,']))
    assert fig("hengnan", "online_service_rate").numerator == 1234
