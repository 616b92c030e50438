"""The office's confirmations of the plan's assumptions (待核定): a value of the plan
file marked `pending:` (a baseline, a cut-off, a due date …) or the bulletin's scoring
formula, confirmed by a person on the office's page, with who, what, when and the
value before and after. Until then a status resting on it is grey 待核定
(rules.assumptions) and the bulletin prints the formula as 待核定."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from indicators.models import AssumptionConfirmation, Deliverable
from indicators.rules.ledger import PENDING_FIELDS

# A ledger item's assumptions as the office's page names them.
DELIVERABLE_LABELS = {field: f"成果事项{label}" for field, label in PENDING_FIELDS.items()}

# The plan-level assumption: the bulletin's scoring formula (parts, weights, groups, 红黑榜).
SCORING = "scoring"
SCORING_LABEL = "计分办法(权重、分组、红黑榜)"
# Fields whose assumed value the office may correct while confirming it.
CORRECTABLE = {"value", "baseline", "tolerance", "due"}


# -- reads ---------------------------------------------------------------------------------
@dataclass
class Assumption:
    """An assumption awaiting the office: a metric's field, or the plan's formula."""

    plan_id: int
    metric: object | None  # Metric
    field: str
    label: str
    value: str
    deliverable: object | None = None  # a task ledger item (indicators.ledger): its due date or content

    @property
    def key(self) -> str:
        if self.deliverable is not None:
            return f"d{self.deliverable.pk}:{self.field}"
        return f"{self.metric.pk if self.metric else 'plan'}:{self.field}"


def scoring_value(plan) -> str:
    """The scoring formula in force, as text (what the office confirms)."""
    from indicators.rules.scoring import Formula

    formula = Formula.from_dict(plan.scoring)
    groups = "、".join(g.name for g in formula.groups)
    return f"{formula.text()};分组:{groups};红黑榜各{formula.red_black}名"


def scoring_confirmed(plan) -> bool:
    """Whether the office confirmed the formula now in force (a changed formula in a
    reloaded file is a new assumption)."""
    last = AssumptionConfirmation.objects.filter(plan=plan, metric=None, field=SCORING).first()
    return last is not None and last.new_value == scoring_value(plan)


def assumptions_open(plan) -> list[Assumption]:
    """Every assumption of the plan still awaiting confirmation, in plan order: the
    scoring formula first, then each metric's (indicators.pending)."""
    from indicators.pending import pending_confirmations

    out = []
    if not scoring_confirmed(plan):
        out.append(Assumption(plan.pk, None, SCORING, SCORING_LABEL, scoring_value(plan)))
    for item in pending_confirmations(plan):
        out.append(Assumption(plan.pk, item.metric, item.field, item.label, item.value))
    for d in Deliverable.objects.filter(plan=plan).exclude(pending=[]).select_related("plan").order_by("sort_order"):
        for field in sorted(d.assumed):
            out.append(Assumption(plan.pk, None, field, DELIVERABLE_LABELS[field], d.assumption_value(field), deliverable=d))
    return out


def deliverable_confirm(*, deliverable, field: str, user) -> AssumptionConfirmation:
    """The office confirms a task ledger item's assumed due date or content as it stands
    (a different one is a change of the plan file). Recorded like every confirmation;
    until then the item shows 待核定 and is never 滞后 (rules.ledger)."""
    with transaction.atomic():
        d = type(deliverable).objects.select_for_update().select_related("plan").get(pk=deliverable.pk)
        if field not in d.assumed:
            raise ValidationError({"field": f"“{d.name}”没有待核定的“{DELIVERABLE_LABELS.get(field, field)}”。"})
        value = d.assumption_value(field)
        d.confirmed = {**(d.confirmed or {}), field: value}
        d.save(update_fields=["confirmed"])
        return AssumptionConfirmation.objects.create(
            plan=d.plan, deliverable=d, field=field, label=DELIVERABLE_LABELS[field], old_value=value, new_value=value,
            confirmed_by=user,
        )  # fmt: skip


def confirmations_of(plan, limit: int = 50):
    return AssumptionConfirmation.objects.filter(plan=plan).select_related("metric", "deliverable", "confirmed_by")[:limit]


# -- writes --------------------------------------------------------------------------------
def _parse(field: str, text: str):
    text = text.strip()
    if field == "due":
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValidationError({"new_value": f"日期格式应为 2022-12-31,您填写的是“{text}”。"}) from None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValidationError({"new_value": f"请填写数字,您填写的是“{text}”。"}) from None


def assumption_confirm(*, plan, field: str, user, metric=None, new_value: str = "") -> AssumptionConfirmation:
    """The office confirms one assumption as it stands, or (for a metric's value,
    baseline, tolerance or due date) with a corrected value. Recorded with who, when and
    the value before and after; the statuses of the plan's months are refreshed at once
    so that the next read judges them on the confirmed value."""
    from indicators.pending import PENDING_LABELS, pending_value
    from indicators.status.refresh import months_of_year_in_use, status_refresh_on_commit

    with transaction.atomic():
        if metric is None:
            if field != SCORING:
                raise ValidationError({"field": f"未知的核定事项“{field}”。"})
            old = new = scoring_value(plan)
            label = SCORING_LABEL
            if scoring_confirmed(plan):
                raise ValidationError({"field": "计分办法已核定,无需重复核定。"})
        else:
            if field not in (metric.pending or []) or field not in PENDING_LABELS:
                raise ValidationError({"field": f"“{metric.name}”没有待核定的“{field}”。"})
            label = PENDING_LABELS[field]
            old = pending_value(metric, field)
            if (metric.confirmed or {}).get(field) == old and not new_value.strip():
                raise ValidationError({"field": f"“{metric.name}”的{label}已按 {old} 核定,无需重复核定。"})
            updated = ["confirmed"]
            if new_value.strip() and new_value.strip() != old:
                if field not in CORRECTABLE:
                    raise ValidationError({"new_value": f"“{label}”只能按原值核定;如需修改,请修改方案文件后重新载入。"})
                setattr(metric, field, _parse(field, new_value))
                metric.full_clean()
                updated.append(field)
            new = pending_value(metric, field)
            metric.confirmed = {**(metric.confirmed or {}), field: new}
            metric.save(update_fields=updated)
        record = AssumptionConfirmation.objects.create(
            plan=plan, metric=metric, field=field, label=label, old_value=old, new_value=new, confirmed_by=user
        )
        if metric is not None:
            status_refresh_on_commit(months_of_year_in_use(plan.year))
    return record


def assumption_key_parse(key: str) -> tuple[int | None, str]:
    """ "12:baseline" → (12, "baseline"); "plan:scoring" → (None, "scoring"); a ledger
    item's key ("d7:due") is read by deliverable_key_parse."""
    owner, _, field = key.partition(":")
    if owner == "plan":
        return None, field
    if not owner.isdigit():
        raise ValidationError({"key": "无法识别要核定的事项,请刷新页面后重试。"})
    return int(owner), field


def deliverable_key_parse(key: str) -> tuple[int, str] | None:
    """ "d7:due" → (7, "due"); None for a key that is not a ledger item's."""
    owner, _, field = key.partition(":")
    if owner.startswith("d") and owner[1:].isdigit():
        return int(owner[1:]), field
    return None


def scoring_footnote(plan) -> str:
    """The bulletin's words on its own formula while the office has not confirmed it."""
    if scoring_confirmed(plan):
        return ""
    return "注:本通报计分办法(权重、分组、红黑榜名额)为暂定,待市优化办核定。"
