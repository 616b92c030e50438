"""The monthly figures, the reporting months and the units' submissions of them."""

from dataclasses import replace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from actions import clock
from actions.models import Unit
from indicators.models.plan import NUMBER, Metric
from indicators.rules import types as rt
from indicators.rules.milestones import checkpoints_reached, reached_dates, reached_problems
from indicators.rules.month_dates import month_dates_problems


class Figure(models.Model):
    """One unit's value for one metric for one month. Every change is kept in history."""

    class Source(models.TextChoices):
        FORM = "form", "网页填报"
        EXCEL = "excel", "Excel导入"
        IMPORT = "import", "命令行导入"
        OFFICE = "office", "市优化办更正"
        DEMO = "demo", "演示数据"

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="figures")
    metric = models.ForeignKey(Metric, verbose_name="指标", on_delete=models.CASCADE, related_name="figures")
    period = models.DateField("月份", help_text="该月1日")
    value = models.DecimalField("数值", null=True, blank=True, **NUMBER)
    numerator = models.DecimalField("分子", null=True, blank=True, **NUMBER)
    denominator = models.DecimalField("分母", null=True, blank=True, **NUMBER)
    cases = models.PositiveIntegerField("件数", null=True, blank=True)
    state = models.CharField("完成状态", max_length=20, blank=True, choices=[(s.value, s.label) for s in rt.MilestoneState])
    no_business = models.BooleanField("本月无此项业务", default=False, help_text="计为已报送,不评判,不计入全市汇总")
    last_year_value = models.DecimalField("上年同期值", null=True, blank=True, help_text="较上年同期类目标用于比较", **NUMBER)
    # A milestone's checkpoints the unit has reached: {name: {"date": ISO date, "note": …}}
    # (rules.milestones); kept in the history like every other field of the figure.
    checkpoints_reached = models.JSONField("节点完成情况", default=dict, blank=True)
    explanation = models.TextField("情况说明", blank=True, max_length=2000)
    measures = models.TextField("整改措施", blank=True, max_length=2000)
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.FORM)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="数据修改历史")

    class Meta:
        verbose_name = verbose_name_plural = "月度数据"
        ordering = ["period", "metric", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "metric", "period"], name="figure_unique_unit_metric_month"),
            models.CheckConstraint(
                name="figure_period_first_day", condition=Q(period__day=1), violation_error_message="月份须为该月1日。"
            ),
            models.CheckConstraint(
                name="figure_denominator_positive",
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                violation_error_message="分母必须大于0。",
            ),
            models.CheckConstraint(
                name="figure_no_business_is_empty",
                condition=Q(no_business=False)
                | Q(value__isnull=True, numerator__isnull=True, denominator__isnull=True, cases__isnull=True),
                violation_error_message="“本月无此项业务”时不能填写数值、分子、分母或件数。",
            ),
        ]
        indexes = [models.Index(fields=["period", "metric"], name="figure_period_metric")]

    def __str__(self):
        return f"{self.unit} · {self.metric} · {self.period:%Y-%m}"

    @property
    def reading(self) -> rt.Reading:
        return rt.Reading(
            value=self.value,
            numerator=self.numerator,
            denominator=self.denominator,
            cases=self.cases,
            state=rt.MilestoneState(self.state) if self.state else None,
            no_business=self.no_business,
        )

    def reading_for(self, target: rt.Target) -> rt.Reading:
        """The reading with a milestone's checkpoints reached on time counted against
        `target`'s checkpoints (rules.milestones.checkpoints_reached)."""
        reading = self.reading
        if target.kind != rt.Kind.MILESTONE or not target.checkpoints:
            return reading
        reached = checkpoints_reached(target.checkpoints, reached_dates(self.checkpoints_reached))
        return replace(reading, reached=reached)

    def clean(self):
        names = [c.get("name") for c in (self.metric.checkpoints or ())] if self.metric_id else []
        problems = reached_problems(self.checkpoints_reached, names, today=clock.today())
        if problems:
            raise ValidationError({"checkpoints_reached": [f"{k}:{v}" if k else v for k, v in problems.items()]})


class ReportingMonth(models.Model):
    """A month's two dates, which users must never confuse: the on-time deadline and
    the later lock date. Rows are created on demand with defaults from the calendar."""

    period = models.DateField("月份", unique=True, help_text="该月1日")
    deadline = models.DateField("按时报送截止日")
    lock_date = models.DateField("锁定日", help_text="此日之后本月数据关闭,修改须申请更正")

    class Meta:
        verbose_name = verbose_name_plural = "报送月份"
        ordering = ["-period"]
        constraints = [
            models.CheckConstraint(name="reporting_month_first_day", condition=Q(period__day=1)),
            models.CheckConstraint(
                name="reporting_month_lock_after_deadline",
                condition=Q(lock_date__gte=F("deadline")),
                violation_error_message="锁定日不能早于按时报送截止日。",
            ),
            models.CheckConstraint(
                name="reporting_month_deadline_after_month",
                condition=Q(deadline__gt=F("period")),
                violation_error_message="截止日须在该月之后。",
            ),
        ]

    def __str__(self):
        return f"{self.period:%Y-%m}"

    @property
    def pending(self) -> bool:
        return self.pending_since is not None

    def clean(self):
        if self.period:
            problems = month_dates_problems(period=self.period, deadline=self.deadline, lock_date=self.lock_date)
            if problems:
                raise ValidationError(problems)


class Submission(models.Model):
    """A unit's submission for a month: the workflow state of its figures and task reports."""

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已提交"
        APPROVED = "approved", "单位已审核"
        ACCEPTED = "accepted", "已采纳"
        RETURNED = "returned", "已退回"

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="submissions")
    period = models.DateField("月份", help_text="该月1日")
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.DRAFT)
    submitted_at = models.DateTimeField("首次提交时间", null=True, blank=True)
    last_submitted_at = models.DateTimeField("最近提交时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_late = models.BooleanField("逾期报送", default=False)
    approved_at = models.DateTimeField("审核时间", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField("采纳时间", null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="采纳人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_reason = models.TextField("退回原因", blank=True)
    returned_at = models.DateTimeField("退回时间", null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="退回人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopened = models.BooleanField("更正已开放", default=False, help_text="市优化办批准更正后,锁定日后仍可修改并重新提交")
    version = models.PositiveIntegerField("版本", default=1, help_text="每次保存加一,防止两人同时修改互相覆盖")
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="报送流程历史")

    class Meta:
        verbose_name = verbose_name_plural = "月度报送"
        ordering = ["-period", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="submission_unique_unit_month"),
            models.CheckConstraint(name="submission_period_first_day", condition=Q(period__day=1)),
        ]
        # A month's submissions, last saved (the completeness board's cache key): an index scan.
        indexes = [models.Index(fields=["period", "updated_at"], name="submission_period_saved")]

    def __str__(self):
        return f"{self.unit} · {self.period:%Y-%m} · {self.get_state_display()}"

    @property
    def counts_as_submitted(self) -> bool:
        return self.state in {self.State.SUBMITTED, self.State.APPROVED, self.State.ACCEPTED}


class CorrectionRequest(models.Model):
    """A unit's request to change a month that is locked or already accepted, with a
    reason; the office approves (the unit-month reopens) or refuses it."""

    class State(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REFUSED = "refused", "已拒绝"

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="correction_requests")
    period = models.DateField("月份", help_text="该月1日")
    reason = models.TextField("更正理由", max_length=2000)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审批人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True, max_length=2000)
    history = HistoricalRecords(verbose_name="更正申请历史")

    class Meta:
        verbose_name = verbose_name_plural = "更正申请"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(name="correction_period_first_day", condition=Q(period__day=1)),
            models.UniqueConstraint(
                fields=["unit", "period"], condition=Q(state="pending"), name="correction_one_pending_per_unit_month"
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.period:%Y-%m} · {self.get_state_display()}"
