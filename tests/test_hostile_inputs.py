"""indicators.rules.inputs.clean_figure on hostile input: whatever a user, a spreadsheet
cell or an attacker sends, it answers with a clean figure or Chinese messages, never an
exception, and a figure it accepts always fits the database and the metric. And text
hygiene at every input: the entry sheet, workflow reasons and the admin."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import example, given, settings
from hypothesis import strategies as st

from indicators.rules.inputs import MAX_ABS, STATE_WORDS, clean_figure
from tests.hostile import hostile_value

MEASURES = ["count", "ratio", "average", "rank", "milestone"]
CJK = set(range(0x4E00, 0xA000))


def fits(number) -> bool:
    return number is None or (isinstance(number, Decimal) and number.is_finite() and abs(number) < MAX_ABS)


@settings(max_examples=200, deadline=None)
@given(
    measure=st.sampled_from(MEASURES),
    value=hostile_value,
    numerator=hostile_value,
    denominator=hostile_value,
    cases=hostile_value,
    state=hostile_value,
    allow_negative=st.booleans(),
    require_complete=st.booleans(),
)
@example("ratio", None, "=cmd|' /C calc'!A0", "0", None, None, False, True)
@example("average", "NaN", None, None, "1e999999", None, False, True)
@example("count", Decimal("sNaN"), None, None, None, None, True, False)
def test_it_never_raises_and_accepts_only_sound_figures(
    measure, value, numerator, denominator, cases, state, allow_negative, require_complete
):
    out = clean_figure(
        measure,
        value=value,
        numerator=numerator,
        denominator=denominator,
        cases=cases,
        state=state,
        allow_negative=allow_negative,
        require_complete=require_complete,
    )
    for name, message in out.errors.items():
        assert name in {"value", "numerator", "denominator", "cases", "state"}
        assert isinstance(message, str) and any(ord(c) in CJK for c in message), message
    if out.errors:
        return
    assert fits(out.value) and fits(out.numerator) and fits(out.denominator)
    for number in (out.value, out.numerator):
        assert allow_negative or number is None or number >= 0
    assert out.denominator is None or out.denominator > 0
    assert out.cases is None or (isinstance(out.cases, int) and 0 <= out.cases < MAX_ABS)
    assert out.state in {"", *STATE_WORDS.values()}
    if measure == "milestone":
        assert out.value is None and out.numerator is None
    if measure == "rank" and out.value is not None:
        assert out.value >= 1 and out.value == out.value.to_integral_value()
    if measure == "ratio" and require_complete and not out.is_empty:
        assert out.numerator is not None and out.denominator is not None


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["=cmd|' /C calc'!A0", "=1+1", "+1+1", "@A1", "-1+2", "=HYPERLINK(1)"]), st.sampled_from(MEASURES))
def test_formulas_are_never_numbers(formula, measure):
    out = clean_figure(measure, value=formula, numerator=formula, denominator=formula, cases=formula, state=formula)
    assert out.errors


# -- text hygiene at every input ------------------------------------------------------
# Text pasted from Word carries \x0b (its line break) and \x07 (its cell mark); once
# stored, one such character made the unit's Excel template and every report build fail.

WORD = "第一行\x0b第二行\x07\x1b"
CLEAN = "第一行\n第二行"
JUNE = date(2022, 6, 1)


@pytest.fixture
def open_june(users):
    from indicators.models import ReportingMonth

    return ReportingMonth.objects.create(period=JUNE, deadline=JUNE.replace(year=2099), lock_date=JUNE.replace(year=2099, day=15))


def test_notes_typed_on_the_entry_sheet_lose_control_characters(client, users, open_june):
    from actions.models import TaskReport
    from indicators.models import Figure
    from indicators.tests.test_entry import URL, form_data

    client.force_login(users["reporter"])
    task = TaskReport._meta.get_field("task").related_model.objects.filter(plan__year=2022).first()
    data = form_data(
        client,
        **{
            "business_start_days-value": "3",
            "business_start_days-cases": "4",
            "business_start_days-explanation": WORD,
            "business_start_days-measures": "\x07增派人员",
            f"task-{task.code}-state": "delayed",
            f"task-{task.code}-narrative": WORD,
            "action": "save",
        },
    )

    assert client.post(URL, data).status_code == 302

    f = Figure.objects.get(unit__code="hengnan", metric__code="business_start_days")
    assert (f.explanation, f.measures) == (CLEAN, "增派人员")
    assert TaskReport.objects.get(unit__code="hengnan", task=task).narrative == CLEAN


def test_a_note_of_only_control_characters_is_an_empty_note(client, users, open_june):
    from indicators.tests.test_entry import URL, form_data

    client.force_login(users["reporter"])
    data = form_data(
        client,
        **{
            "business_start_days-value": "3",
            "business_start_days-cases": "4",
            "business_start_days-explanation": "\x07\x07",
            "business_start_days-measures": "\x1b",
            "action": "submit",
        },
    )
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "须填写情况说明" in response.context["form"].errors["business_start_days-explanation"][0]


def test_return_and_correction_reasons_lose_control_characters(client, users, open_june):
    from actions.models import Unit
    from indicators.models import CorrectionRequest, ReportingMonth, Submission
    from indicators.services.workflow import entry_save

    unit = Unit.objects.get(code="hengnan")
    entry_save(unit=unit, period=JUNE, user=users["reporter"], version=0, figures={}, tasks={}, submit=True)
    step = lambda name: reverse("indicators:entry-step", args=["hengnan", "2022-06", name])  # noqa: E731
    client.force_login(users["office"])
    client.post(step("return"), {"reason": "口径有误" + WORD})
    assert Submission.objects.get(unit=unit).returned_reason == "口径有误" + CLEAN

    ReportingMonth.objects.filter(period=JUNE).update(
        deadline=JUNE.replace(month=7, day=5), lock_date=JUNE.replace(month=7, day=15)
    )
    client.force_login(users["reporter"])
    client.post(step("correction"), {"reason": WORD})
    req = CorrectionRequest.objects.get()
    assert req.reason == CLEAN
    client.force_login(users["office"])
    client.post(reverse("indicators:correction-decide", args=[req.pk]), {"decision": "approve", "note": "同意\x07"})
    req.refresh_from_db()
    assert req.decision_note == "同意"


def test_a_reason_of_only_control_characters_is_no_reason(client, users, open_june):
    from actions.models import Unit
    from indicators.models import Submission
    from indicators.services.workflow import entry_save

    unit = Unit.objects.get(code="hengnan")
    entry_save(unit=unit, period=JUNE, user=users["reporter"], version=0, figures={}, tasks={}, submit=True)
    client.force_login(users["office"])
    client.post(reverse("indicators:entry-step", args=["hengnan", "2022-06", "return"]), {"reason": "\x07\x0b"})
    assert Submission.objects.get(unit=unit).state == "submitted"


def _our_admins():
    return [
        (model, ma) for model, ma in admin.site._registry.items() if model._meta.app_label in ("actions", "indicators", "reports")
    ]


def test_every_admin_form_of_ours_cleans_text(users):
    from actions.hygiene import CleanTextMixin

    request = RequestFactory().get("/")
    request.user = users["admin"]
    for model, model_admin in _our_admins():
        if model._meta.model_name == "user":
            continue
        form = model_admin.get_form(request)
        assert issubclass(form, CleanTextMixin), model
        for inline in model_admin.get_inline_instances(request):
            assert issubclass(inline.get_formset(request).form, CleanTextMixin), (model, inline)


def test_the_admin_stores_a_unit_name_and_a_figure_note_without_control_characters(client, users):
    from actions.models import Unit
    from indicators.models import Figure, Metric

    unit = Unit.objects.get(code="hengnan")
    client.force_login(users["admin"])
    url = reverse("admin:actions_unit_change", args=[unit.pk])
    form = client.get(url).context["adminform"].form
    data = {name: ("" if form[name].value() is None else form[name].value()) for name in form.fields}
    data = {k: v for k, v in data.items() if v is not False}
    data["name"] = "衡南县\x07"
    assert client.post(url, data).status_code == 302
    unit.refresh_from_db()
    assert unit.name == "衡南县"

    f = Figure.objects.create(unit=unit, metric=Metric.objects.get(code="business_start_days"), period=JUNE, value=1, cases=1)
    url = reverse("admin:indicators_figure_change", args=[f.pk])
    form = client.get(url).context["adminform"].form
    data = {name: ("" if form[name].value() is None else form[name].value()) for name in form.fields}
    data = {k: v for k, v in data.items() if v is not False}
    data["explanation"] = WORD
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    f.refresh_from_db()
    assert f.explanation == CLEAN


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("business_start_days-value", "3,2", "“3,2”中的逗号含义不明确"),
        ("business_start_days-value", "12,5", "“12,5”中的逗号含义不明确"),
        ("online_service_rate-numerator", "60", "分子不能大于分母"),
    ],
)
def test_the_entry_sheet_refuses_ambiguous_and_impossible_numbers(client, users, open_june, field, typed, message):
    from indicators.models import Figure
    from indicators.tests.test_entry import URL, form_data

    client.force_login(users["reporter"])
    data = form_data(
        client,
        **{
            "business_start_days-cases": "4",
            "online_service_rate-numerator": "45",
            "online_service_rate-denominator": "50",
            field: typed,
            "action": "save",
        },
    )
    response = client.post(URL, data)
    assert response.status_code == 400
    assert message in response.context["form"].errors[field][0]
    # A draft keeps the rest of the sheet; the row with the bad number keeps nothing of it.
    metric_code = field.split("-")[0]
    bad = Figure.objects.filter(metric__code=metric_code).first()
    assert bad is None or (bad.value, bad.numerator) == (None, None)


def test_the_entry_sheet_refuses_a_fraction_of_a_count(client, users, open_june):
    from indicators.models import Assignment, Metric
    from indicators.rules.inputs import WHOLE_UNITS
    from indicators.tests.test_entry import URL, form_data

    m = Metric.objects.filter(measure="count", unit_of_measure__in=WHOLE_UNITS).first()
    Assignment.objects.get_or_create(metric=m, unit=users["reporter"].membership.unit)
    client.force_login(users["reporter"])
    response = client.post(URL, form_data(client, **{f"{m.code}-value": "2.5", "action": "save"}))
    assert response.status_code == 400
    assert response.context["form"].errors[f"{m.code}-value"] == [f"应填写整数(计量单位“{m.unit_of_measure}”不可有小数)"]


def test_the_workflow_services_clean_reasons_whatever_form_sent_them(users, open_june):
    """Bulk steps and commands call the services without the workflow forms."""
    from actions.models import Unit
    from indicators.models import Submission
    from indicators.services.review import submission_return
    from indicators.services.workflow import entry_save

    unit = Unit.objects.get(code="hengnan")
    entry_save(unit=unit, period=JUNE, user=users["reporter"], version=0, figures={}, tasks={}, submit=True)
    submission_return(unit=unit, period=JUNE, user=users["office"], reason="口径\x0b有误\x07", by_office=True)
    assert Submission.objects.get(unit=unit).returned_reason == "口径\n有误"
