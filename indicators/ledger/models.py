"""The task ledger's rows: each deliverable of a task as the plan file gives it, each
unit's monthly report on it (with history: who, when, old, new, why), and the evidence
files behind a 已完成. Imported by indicators/models.py (app label `indicators`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from actions.models import CODE_HELP, Plan, Task, Unit
from indicators.rules.ledger import REPORTED_LABELS, Reported, assumed_fields, effective_due


class Deliverable(models.Model):
    """A concrete deliverable of a task (零投资, 办不成事窗口, 风险补偿基金 …), with the
    plan's sentence it comes from; owned by the plan file (`deliverables:`)."""

    plan = models.ForeignKey(Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="deliverables")
    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="deliverables")
    code = models.SlugField("编码", max_length=60, help_text=CODE_HELP)
    name = models.CharField("成果事项", max_length=100)
    lead_unit = models.ForeignKey(Unit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="led_deliverables")
    co_units = models.ManyToManyField(Unit, verbose_name="配合单位", blank=True, related_name="co_deliverables")
    due = models.DateField("完成时限", null=True, blank=True, help_text="方案未明确时限的留空(按年底评判)")
    source = models.TextField("方案原文")
    reading = models.TextField("口径理解", blank=True)
    # What of it is our reading, not the plan's text (the plan file's `pending:`: due,
    # content), and the office's confirmations ({field: the value confirmed, as text}),
    # written only by indicators.assumptions.assumption_confirm, never by a plan reload.
    pending = models.JSONField("待核定事项", default=list, blank=True)
    confirmed = models.JSONField("已核定事项", default=dict, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "任务成果事项"
        ordering = ["plan", "sort_order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="deliverable_code_unique_in_plan")]

    def __str__(self):
        return self.name

    def assumption_value(self, field: str) -> str:
        """The assumed value as text: what the office confirms, and what a confirmation
        is compared with later (a changed value is a new assumption)."""
        if field == "due":
            return effective_due(self.due, self.plan.year).isoformat()
        return f"{self.name}" + (f"({self.reading})" if self.reading else "")

    @property
    def assumed(self) -> frozenset[str]:
        """The fields still 待核定 (rules.ledger.assumed_fields)."""
        return assumed_fields(self.pending, self.confirmed, self.assumption_value)


class DeliverableReport(models.Model):
    """One unit's state of one deliverable in one month: 未启动 / 推进中 / 已完成 (滞后 is
    computed by indicators.rules.ledger, never typed). 已完成 needs an evidence file."""

    class State(models.TextChoices):  # the values of indicators.rules.ledger.Reported
        NOT_STARTED = Reported.NOT_STARTED.value, REPORTED_LABELS[Reported.NOT_STARTED]
        IN_PROGRESS = Reported.IN_PROGRESS.value, REPORTED_LABELS[Reported.IN_PROGRESS]
        DONE = Reported.DONE.value, REPORTED_LABELS[Reported.DONE]

    deliverable = models.ForeignKey(Deliverable, verbose_name="成果事项", on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="deliverable_reports")
    period = models.DateField("月份", help_text="该月1日")
    state = models.CharField("进展", max_length=20, choices=State.choices, default=Reported.NOT_STARTED.value)
    note = models.TextField("进展说明", blank=True, max_length=1000)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="成果事项进展历史")

    class Meta:
        verbose_name = verbose_name_plural = "成果事项进展"
        ordering = ["period", "deliverable", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["deliverable", "unit", "period"], name="deliverable_report_unique"),
            models.CheckConstraint(name="deliverable_report_period_first_day", condition=Q(period__day=1)),
        ]

    def __str__(self):
        return f"{self.unit} · {self.deliverable} · {self.period:%Y-%m}"


def _evidence_path(instance, filename):
    # The stored name is the content hash and the type found in the content.
    return f"ledger/{instance.sha256[:2]}/{instance.sha256}.{instance.extension}"


class DeliverableEvidence(models.Model):
    """An evidence file of a report, checked by content (actions.evidence), stored under
    MEDIA_ROOT by its sha256, served only to those who may see the report's unit."""

    report = models.ForeignKey(DeliverableReport, verbose_name="进展", on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField("文件", upload_to=_evidence_path, max_length=200)
    name = models.CharField("原文件名", max_length=120)
    extension = models.CharField("类型", max_length=8)
    size = models.PositiveIntegerField("大小(字节)")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "成果事项佐证材料"
        ordering = ["pk"]

    def __str__(self):
        return self.name
