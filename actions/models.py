"""The action plan and who carries it out: plans, areas, tasks, evaluation indicators,
units, users' memberships and the units' monthly task progress.

This is the bottom layer: `indicators` (metrics and figures) and `reports` build on it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

CODE_HELP = "稳定编码:小写字母、数字、下划线或连字符;其他工具和导入文件按编码引用"


class Plan(models.Model):
    """One year's action plan (方案). Earlier years stay readable."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    title = models.CharField("方案名称", max_length=200)
    issued = models.DateField("印发日期", null=True, blank=True)
    issuer = models.CharField("印发单位", max_length=100, blank=True)
    # The plan's calendar: the first month units report (plan file `reporting_from`);
    # empty: the month after `issued` (indicators.rules.periods.reporting_start). Earlier
    # months are not expected and never late.
    reporting_from = models.DateField("报送起始月份", null=True, blank=True)
    # The plan file's `scoring:` section (groups, parts and weights), read through
    # reports.rankings.scoring_formula / scoring_groups; empty: the default formula.
    scoring = models.JSONField("计分办法", default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度方案"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year} {self.title}"


class Unit(models.Model):
    """A reporting or leading unit: county-level division, park or city department."""

    class Kind(models.TextChoices):
        COUNTY = "county", "县市区"
        PARK = "park", "园区"
        DEPARTMENT = "department", "市直及驻衡单位"

    code = models.SlugField("编码", max_length=40, unique=True, help_text=CODE_HELP)
    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="所属县市区", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    reports = models.BooleanField("参与报送", default=True)
    cases_in_county = models.ForeignKey(
        "self",
        verbose_name="办件已计入县市区",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="县级园区的办件已含在所属县市区的数据中时填写:园区数据照常显示和评判,但不再计入全市汇总",
    )
    needs_approval = models.BooleanField(
        "需单位审核", default=False, help_text="勾选后,填报员提交的数据须经本单位审核人确认后才报送市优化办"
    )
    active_from = models.DateField("启用月份", null=True, blank=True, help_text="空表示一直启用")
    active_until = models.DateField("停用月份", null=True, blank=True, help_text="该月之后不再要求报送")
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "单位"
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                name="unit_active_range",
                condition=Q(active_from__isnull=True)
                | Q(active_until__isnull=True)
                | Q(active_from__lte=models.F("active_until")),
                violation_error_message="停用月份不能早于启用月份。",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def counts_in_city(self) -> bool:
        """Whether the unit's cases add to the city figure: not when they are already
        inside its county's figure (each case counted once)."""
        return self.cases_in_county_id is None

    def is_active_in(self, period) -> bool:
        if self.active_from and period < self.active_from.replace(day=1):
            return False
        if self.active_until and period > self.active_until.replace(day=1):
            return False
        return True


class Indicator(models.Model):
    """A first-level indicator of the national evaluation (一级指标) with its 指标长."""

    plan = models.ForeignKey(Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField("编码", max_length=40, help_text=CODE_HELP)
    name = models.CharField("名称", max_length=50)
    lead_unit = models.ForeignKey(Unit, verbose_name="牵头单位", on_delete=models.PROTECT, related_name="led_indicators")
    chief_name = models.CharField("指标长姓名", max_length=50, blank=True)
    chief_post = models.CharField("指标长职务", max_length=100, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "一级指标"
        ordering = ["plan", "sort_order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="indicator_code_unique_in_plan")]

    def __str__(self):
        return self.name


class ActionArea(models.Model):
    """One of the plan's action areas (行动), with its goals (行动目标)."""

    plan = models.ForeignKey(Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="areas")
    code = models.SlugField("编码", max_length=40, help_text=CODE_HELP)
    number = models.PositiveSmallIntegerField("序号")
    name = models.CharField("名称", max_length=50)
    goals = models.TextField("行动目标", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "行动"
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="area_code_unique_in_plan"),
            models.UniqueConstraint(fields=["plan", "number"], name="area_number_unique_in_plan"),
        ]

    def __str__(self):
        return self.name


class Task(models.Model):
    """A task of an action area (行动内容), led by one indicator's lead unit."""

    plan = models.ForeignKey(Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="tasks")
    area = models.ForeignKey(ActionArea, verbose_name="行动", on_delete=models.CASCADE, related_name="tasks")
    code = models.SlugField("编码", max_length=40, help_text=CODE_HELP)
    number = models.PositiveSmallIntegerField("序号")
    title = models.CharField("标题", max_length=100)
    text = models.TextField("内容")
    lead_indicator = models.ForeignKey(Indicator, verbose_name="牵头指标", on_delete=models.PROTECT, related_name="tasks")

    class Meta:
        verbose_name = verbose_name_plural = "行动内容(任务)"
        ordering = ["plan", "area__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="task_code_unique_in_plan"),
            models.UniqueConstraint(fields=["area", "number"], name="task_number_unique_in_area"),
        ]

    def __str__(self):
        return f"{self.area.number}.{self.number} {self.title}"


class Membership(models.Model):
    """A user's unit and role: what they see and may change follows from these two."""

    class Role(models.TextChoices):
        REPORTER = "reporter", "填报员"
        APPROVER = "approver", "单位审核人"
        LEAD = "lead", "指标牵头单位"
        OFFICE = "office", "市优化办"
        LEADER = "leader", "领导"
        ADMIN = "admin", "管理员"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    unit = models.ForeignKey(Unit, verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    role = models.CharField("角色", max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = verbose_name_plural = "用户角色"
        constraints = [
            models.CheckConstraint(
                name="membership_unit_roles_have_unit",
                condition=~Q(role__in=["reporter", "approver", "lead"]) | Q(unit__isnull=False),
                violation_error_message="填报员、单位审核人和指标牵头单位用户必须属于一个单位。",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.unit or '—'}"

    @property
    def header_label(self) -> str:
        """The page header's "who": name · unit · role, each said once. A unit already in
        the name, or a role already in the name or unit (市优化办's role is its unit; the
        "单位" of 单位审核人/指标牵头单位 adds nothing), is left out."""
        name = self.user.first_name or self.user.username
        parts = [name]
        if self.unit and self.unit.name not in name:
            parts.append(self.unit.name)
        role = self.get_role_display()
        core = role.replace("单位", "") or role
        if not any(core in part for part in parts):
            parts.append(role)
        return " · ".join(parts)


class TaskReport(models.Model):
    """A unit's monthly progress on one task: a state and a short narrative."""

    class State(models.TextChoices):
        NOT_STARTED = "not_started", "未启动"
        ON_TRACK = "on_track", "按计划推进"
        DELAYED = "delayed", "滞后"
        DONE = "done", "已完成"

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="task_reports")
    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="reports")
    period = models.DateField("月份", help_text="该月1日")
    state = models.CharField("进展", max_length=20, choices=State.choices, default=State.NOT_STARTED)
    narrative = models.TextField("进展情况", blank=True, max_length=2000)
    highlight = models.BooleanField("亮点", default=False, help_text="市优化办标记为月调度亮点")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="任务进展历史")

    class Meta:
        verbose_name = verbose_name_plural = "任务进展"
        ordering = ["period", "task", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "task", "period"], name="task_report_unique"),
            models.CheckConstraint(name="task_report_period_first_day", condition=Q(period__day=1)),
        ]

    def __str__(self):
        return f"{self.unit} · {self.task} · {self.period:%Y-%m}"


class Notification(models.Model):
    """An in-app message to one user (a submission to review, a return, a decision);
    also mailed where the user has an address."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField("内容", max_length=300)
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "站内通知"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self):
        return f"{self.user} · {self.text}"


class PlanLoad(models.Model):
    """One load of a plan file (`load_plan`): which file, its exact content (sha256), who
    loaded it when, and what it changed. The office reads these on 方案载入记录."""

    year = models.PositiveSmallIntegerField("方案年度")
    file_name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("文件 SHA-256", max_length=64)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="载入人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    os_user = models.CharField("系统用户", max_length=100, blank=True)
    loaded_at = models.DateTimeField("载入时间", auto_now_add=True)
    summary = models.CharField("变更摘要", max_length=1000)
    changes = models.TextField("变更明细", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "方案载入记录"
        ordering = ["-loaded_at", "-pk"]

    def __str__(self):
        return f"{self.year} {self.file_name} {self.loaded_at:%Y-%m-%d %H:%M}"
