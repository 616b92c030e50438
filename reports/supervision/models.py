"""督查督办's rows: orders (督办单) with their number sequence, answers, evidence files,
the history of every step, findings (问题线索), proposals and the office's settings.
Imported by reports/models.py (app label `reports`)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from reports.supervision.rules import STATE_LABELS, OrderState, Stage, Thresholds, order_number_text, order_state

USER = settings.AUTH_USER_MODEL


def quoted(name: str) -> str:
    """A name in “”, unless it has its own quotation marks already."""
    return name if "“" in name else f"“{name}”"


STAGE_CHOICES = [
    (Stage.OPEN.value, "待答复"),
    (Stage.APPROVING.value, "待单位审核"),
    (Stage.REVIEWING.value, "待指标长审核"),
    (Stage.ANSWERED.value, "待市优化办销号"),
    (Stage.RETURNED.value, "已退回"),
    (Stage.CLOSED.value, "已销号"),
]


class OrderNumber(models.Model):
    """The last 督办单 number given in a year, taken with the row locked in the
    transaction that creates the order: a rolled-back order gives its number back, so
    the numbers of a year have no gaps."""

    year = models.PositiveIntegerField("年度", unique=True)
    last = models.PositiveIntegerField("已用至", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "督办单编号序列"

    def __str__(self):
        return f"{self.year}:{self.last}"


class Finding(models.Model):
    """A 问题线索: a complaint, an 暗访暗查 finding or another lead, followed until it
    becomes an order or is closed with a reason."""

    class Source(models.TextChoices):
        COMPLAINT = "complaint", "投诉举报"
        INCOGNITO = "incognito", "暗访暗查"
        SUPERVISION = "social", "社会监督"
        TRANSFER = "transfer", "问题线索移送"
        OTHER = "other", "其他"

    class State(models.TextChoices):
        OPEN = "open", "待处理"
        ORDERED = "ordered", "已转督办"
        CLOSED = "closed", "已办结"

    source = models.CharField("来源", max_length=12, choices=Source.choices)
    received = models.DateField("受理日期")
    unit = models.ForeignKey("actions.Unit", verbose_name="涉及单位", on_delete=models.PROTECT, related_name="+")
    description = models.TextField("问题描述", max_length=2000)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.OPEN)
    close_reason = models.TextField("办结理由", blank=True, max_length=1000)
    recorded_by = models.ForeignKey(USER, verbose_name="录入人", null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)
    closed_by = models.ForeignKey(USER, verbose_name="办结人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "问题线索"
        ordering = ["-received", "-pk"]
        constraints = [
            models.CheckConstraint(name="finding_closed_has_reason", condition=~Q(state="closed") | ~Q(close_reason="")),
        ]

    def __str__(self):
        return f"{self.get_source_display()} · {self.unit} · {self.received}"


class SupervisionOrder(models.Model):
    """A 督办单: which unit, about which target (metric and month), finding or task-ledger
    deliverable (with the month it was seen late in), the problem
    in one sentence, the measures required, the due date and level; its stage moves only
    by a person's act, and 逾期 is computed from the due date and today."""

    class Level(models.TextChoices):
        SUPERVISE = "supervise", "督办"
        LISTED = "listed", "挂牌督办"

    year = models.PositiveIntegerField("年度")
    number = models.PositiveIntegerField("序号")
    unit = models.ForeignKey("actions.Unit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="supervision_orders")
    metric = models.ForeignKey(
        "indicators.Metric", verbose_name="指标", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    period = models.DateField("所涉月份", null=True, blank=True, help_text="该月1日")
    finding = models.OneToOneField(
        Finding, verbose_name="问题线索", null=True, blank=True, on_delete=models.PROTECT, related_name="order"
    )
    deliverable = models.ForeignKey(
        "indicators.Deliverable", verbose_name="成果事项", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    problem = models.TextField("问题", max_length=1000)
    required = models.TextField("整改要求", max_length=2000)
    due = models.DateField("答复期限")
    level = models.CharField("督办级别", max_length=10, choices=Level.choices, default=Level.SUPERVISE)
    stage = models.CharField("办理环节", max_length=10, choices=STAGE_CHOICES, default=Stage.OPEN.value)
    raised_by = models.ForeignKey(USER, verbose_name="交办人", null=True, on_delete=models.SET_NULL, related_name="+")
    raised_at = models.DateTimeField("交办时间")
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1, help_text="每一步加一,两人同时操作时后到者须刷新")

    class Meta:
        verbose_name = verbose_name_plural = "督办单"
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="supervision_order_number_unique"),
            models.CheckConstraint(
                name="supervision_order_about_something",
                condition=Q(metric__isnull=False) | Q(finding__isnull=False) | Q(deliverable__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["stage", "due"], name="supervision_order_stage_due")]

    def __str__(self):
        return self.number_text

    @property
    def number_text(self) -> str:
        return order_number_text(self.year, self.number)

    def state(self, today: date) -> OrderState:
        return order_state(self.stage, self.due, today)

    @property
    def lead_unit_pk(self) -> int | None:
        """The lead department (指标长) that reviews the answer: the indicator's lead unit
        for a target, the lead unit of the task's indicator for a deliverable; none for a
        finding."""
        if self.metric_id:
            return self.metric.indicator.lead_unit_id
        if self.deliverable_id:
            return self.deliverable.task.lead_indicator.lead_unit_id
        return None

    @property
    def about_text(self) -> str:
        """What the order is about, as pages and documents name it."""
        if self.metric_id:
            return self.metric.name
        if self.deliverable_id:
            return "成果事项" + quoted(self.deliverable.name)
        return "问题线索"

    def state_label(self, today: date) -> str:
        return STATE_LABELS[self.state(today)]


class SupervisionAnswer(models.Model):
    """One answer of the unit (a returned order is answered again: a new row)."""

    order = models.ForeignKey(SupervisionOrder, verbose_name="督办单", on_delete=models.CASCADE, related_name="answers")
    measures = models.TextField("已采取措施", max_length=2000)
    progress = models.TextField("整改进展", max_length=2000)
    expected_done = models.DateField("预计完成时间")
    submitted_by = models.ForeignKey(USER, verbose_name="答复人", null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField("答复时间")

    class Meta:
        verbose_name = verbose_name_plural = "督办答复"
        ordering = ["order", "submitted_at", "pk"]

    def __str__(self):
        return f"{self.order} 答复 {self.submitted_at:%Y-%m-%d}"


def _evidence_path(instance, filename):
    # The stored name is the content hash and the type found in the content: a user's
    # file name never reaches the file system.
    return f"supervision/{instance.sha256[:2]}/{instance.sha256}.{instance.extension}"


class Evidence(models.Model):
    """An evidence file of an answer (or of a finding), checked by its content, stored
    under MEDIA_ROOT by its sha256, served only to those who may see what it belongs to."""

    answer = models.ForeignKey(
        SupervisionAnswer, verbose_name="答复", null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    finding = models.ForeignKey(
        Finding, verbose_name="问题线索", null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField("文件", upload_to=_evidence_path, max_length=200)
    name = models.CharField("原文件名", max_length=120)
    extension = models.CharField("类型", max_length=8)
    size = models.PositiveIntegerField("大小(字节)")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(USER, verbose_name="上传人", null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "佐证材料"
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(name="evidence_belongs_to_one", condition=Q(answer__isnull=True) ^ Q(finding__isnull=True)),
        ]

    def __str__(self):
        return self.name


class SupervisionEvent(models.Model):
    """One step of an order, with who, when and why (the order's history): a move of its
    stage (from, to) or of its level (from, to)."""

    class Action(models.TextChoices):
        RAISED = "raised", "交办"
        ANSWERED = "answered", "答复"
        APPROVED = "approved", "单位审核通过"
        UNIT_RETURNED = "unit_returned", "单位审核退回"
        REVIEWED = "reviewed", "指标长审核通过"
        LEAD_RETURNED = "lead_returned", "指标长退回"
        RETURNED = "returned", "市优化办退回"
        CLOSED = "closed", "销号"
        REMINDED = "reminded", "逾期提醒"
        ESCALATED = "escalated", "升级督办级别"

    order = models.ForeignKey(SupervisionOrder, verbose_name="督办单", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=16, choices=Action.choices)
    stage_from = models.CharField("原环节", max_length=10, blank=True)
    stage_to = models.CharField("新环节", max_length=10, blank=True)
    # A change of level (督办 → 挂牌督办) with the old and the new: a document judges each
    # order at the level it had on the document's date.
    level_from = models.CharField("原级别", max_length=10, blank=True, choices=SupervisionOrder.Level.choices)
    level_to = models.CharField("新级别", max_length=10, blank=True, choices=SupervisionOrder.Level.choices)
    note = models.TextField("说明", blank=True, max_length=2000)
    by = models.ForeignKey(USER, verbose_name="操作人", null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = verbose_name_plural = "督办办理记录"
        ordering = ["order", "at", "pk"]

    def __str__(self):
        return f"{self.order} {self.get_action_display()}"


class OrderProposal(models.Model):
    """What the rules propose (督办, 挂牌督办, 约谈, 销号); nothing happens until the office
    confirms (raising the order itself) or dismisses it with a reason."""

    class Kind(models.TextChoices):
        SUPERVISE = "supervise", "建议督办"
        LISTED = "listed", "建议挂牌督办"
        INTERVIEW = "interview", "建议约谈"
        CLOSE = "close", "建议销号"

    class State(models.TextChoices):
        PENDING = "pending", "待确认"
        CONFIRMED = "confirmed", "已确认"
        DISMISSED = "dismissed", "已驳回"

    kind = models.CharField("建议", max_length=10, choices=Kind.choices)
    unit = models.ForeignKey("actions.Unit", verbose_name="单位", on_delete=models.CASCADE, related_name="+")
    metric = models.ForeignKey(
        "indicators.Metric", verbose_name="指标", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    deliverable = models.ForeignKey(
        "indicators.Deliverable", verbose_name="成果事项", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    period = models.DateField("月份")
    order = models.ForeignKey(
        SupervisionOrder, verbose_name="督办单", null=True, blank=True, on_delete=models.CASCADE, related_name="proposals"
    )
    run = models.PositiveSmallIntegerField("连续月数", default=0)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    reason = models.TextField("理由", blank=True, max_length=1000)
    decided_by = models.ForeignKey(
        USER, verbose_name="处理人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "督办建议"
        ordering = ["state", "-period", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "unit", "metric", "period"], name="proposal_unique_per_month"),
            # (metric is empty on a deliverable's proposal, and empties never clash)
            models.UniqueConstraint(
                fields=["kind", "unit", "deliverable", "period"],
                condition=Q(deliverable__isnull=False),
                name="proposal_unique_per_deliverable_month",
            ),
            models.CheckConstraint(name="proposal_dismissed_has_reason", condition=~Q(state="dismissed") | ~Q(reason="")),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.unit}"


class ProposalRule(models.Model):
    """One rule of the plan file's `supervision:` section (what it watches, what it
    proposes), kept by load_plan; its threshold is the office's setting below."""

    class When(models.TextChoices):
        RED_MONTHS = "red_months", "连续未达标"
        ORDER_OVERDUE = "order_overdue", "督办逾期"
        GREEN_MONTHS = "green_months", "连续达标"
        DELIVERABLE_OVERDUE = "deliverable_overdue", "成果事项滞后"

    plan = models.ForeignKey("actions.Plan", verbose_name="方案", on_delete=models.CASCADE, related_name="proposal_rules")
    when = models.CharField("条件", max_length=20, choices=When.choices)
    propose = models.CharField("建议", max_length=10, choices=OrderProposal.Kind.choices)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "督办建议规则"
        ordering = ["plan", "sort_order"]
        constraints = [models.UniqueConstraint(fields=["plan", "when", "propose"], name="proposal_rule_unique")]

    def __str__(self):
        return f"{self.get_when_display()} → {self.get_propose_display()}"


class SupervisionSettings(models.Model):
    """The office's thresholds for proposals and the scoring of overdue orders (one row,
    edited in admin). Overdue points stay 待核定 until the office confirms them."""

    red_supervise = models.PositiveSmallIntegerField("连续未达标几个月建议督办", default=2)
    red_listed = models.PositiveSmallIntegerField("连续未达标几个月建议挂牌督办", default=3)
    overdue_interview = models.BooleanField("督办逾期建议约谈", default=True)
    green_close = models.PositiveSmallIntegerField("连续达标几个月建议销号", default=3)
    deliverable_supervise = models.BooleanField("成果事项滞后建议督办", default=True)
    answer_days = models.PositiveSmallIntegerField("默认答复期限(天)", default=15)
    overdue_points = models.DecimalField(
        "每件逾期督办扣分", max_digits=4, decimal_places=1, null=True, blank=True, help_text="空表示逾期不扣分"
    )
    overdue_points_confirmed = models.BooleanField("扣分办法已核定", default=False, help_text="未核定前页面和通报标注“待核定”")

    class Meta:
        verbose_name = verbose_name_plural = "督查督办设置"

    def __str__(self):
        return "督查督办设置"

    @classmethod
    def current(cls) -> SupervisionSettings:
        return cls.objects.order_by("pk").first() or cls()

    def thresholds(self, rules: set[tuple[str, str]]) -> Thresholds:
        """The office's thresholds for the rules the plan file lists (`rules`: its
        (when, propose) pairs); a rule the file does not list proposes nothing."""
        return Thresholds(
            self.red_supervise if ("red_months", "supervise") in rules else 0,
            self.red_listed if ("red_months", "listed") in rules else 0,
            self.overdue_interview and ("order_overdue", "interview") in rules,
            self.green_close if ("green_months", "close") in rules else 0,
            self.deliverable_supervise and ("deliverable_overdue", "supervise") in rules,
        )

    @property
    def scoring_text(self) -> str:
        if self.overdue_points is None:
            text = "督办逾期不扣分"
        else:
            text = f"每件逾期督办扣 {self.overdue_points} 分"
        return text if self.overdue_points_confirmed else f"{text}(待核定)"
