"""Metrics (measurable targets of the plan), who reports them, and the monthly figures.

Statuses are never typed: `indicators.rules` computes them from figures and targets, and
one writer (indicators.status_store) stores them as rows that every page reads.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from actions.models import CODE_HELP, ActionArea, Indicator, Plan, Task, Unit
from indicators.rules import types as rt
from indicators.rules.month_dates import month_dates_problems

NUMBER = {"max_digits": 20, "decimal_places": 6}


class Metric(models.Model):
    """A measurable target (目标) of the plan, with the sentence it came from."""

    class Measure(models.TextChoices):
        COUNT = "count", "计数"
        RATIO = "ratio", "比率(分子/分母)"
        AVERAGE = "average", "平均值(含件数)"
        RANK = "rank", "排名"
        MILESTONE = "milestone", "里程碑"

    class Aggregate(models.TextChoices):
        SUM = "sum", "求和"
        WORST = "worst", "取最差单位"

    class Basis(models.TextChoices):
        MONTH = "month", "当月值"
        YTD = "ytd", "年初至今累计值"
        YEAR_END = "year_end", "全年值(测算或公布的年度数)"

    class Scope(models.TextChoices):
        UNITS = "units", "各单位分别报送"
        CITY = "city", "全市统一报送"

    class Kind(models.TextChoices):
        AT_MOST = "at_most", "不高于"
        AT_LEAST = "at_least", "不低于"
        EXCEED = "exceed", "突破"
        EXACTLY = "exactly", "等于"
        RANGE = "range", "区间"
        CHANGE_VS_LAST_YEAR = "change_vs_last_year", "较上年同期变化"
        RELATIVE_TO = "relative_to", "相对另一指标"
        IMPROVE = "improve", "优于上年"
        RANK = "rank", "排名"
        KEEP = "keep", "保持(不劣于上年)"
        MILESTONE = "milestone", "里程碑"
        REFERENCE = "reference", "参考(不考核)"

    class Direction(models.TextChoices):
        LOWER = "lower", "越低越好"
        HIGHER = "higher", "越高越好"

    class PaceProfile(models.TextChoices):
        LINEAR = "linear", "均匀推进"
        FRONT_LOADED = "front_loaded", "前快后慢"
        BATCH = "batch", "按批次(批次月份)"

    plan = models.ForeignKey(Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="metrics")
    area = models.ForeignKey(ActionArea, verbose_name="行动", on_delete=models.CASCADE, related_name="metrics")
    indicator = models.ForeignKey(Indicator, verbose_name="一级指标", on_delete=models.PROTECT, related_name="metrics")
    task = models.ForeignKey(Task, verbose_name="任务", null=True, blank=True, on_delete=models.SET_NULL, related_name="metrics")
    code = models.SlugField("编码", max_length=60, help_text=CODE_HELP)
    name = models.CharField("名称", max_length=100)
    unit_of_measure = models.CharField("计量单位", max_length=20, blank=True)
    measure = models.CharField("计量方式", max_length=20, choices=Measure.choices)
    aggregate = models.CharField("汇总方式", max_length=10, choices=Aggregate.choices, blank=True)
    basis = models.CharField("口径", max_length=10, choices=Basis.choices, default=Basis.MONTH)
    scope = models.CharField("报送范围", max_length=10, choices=Scope.choices, default=Scope.UNITS)

    kind = models.CharField("目标类型", max_length=30, choices=Kind.choices)
    value = models.DecimalField("目标值", null=True, blank=True, **NUMBER)
    low = models.DecimalField("区间下限", null=True, blank=True, **NUMBER)
    high = models.DecimalField("区间上限", null=True, blank=True, **NUMBER)
    direction = models.CharField("方向", max_length=10, choices=Direction.choices, blank=True)
    relative_metric = models.ForeignKey(
        "self", verbose_name="对比指标", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due = models.DateField("完成期限", null=True, blank=True)
    tolerance = models.DecimalField(
        "预警容差",
        default=Decimal(0),
        help_text="按时序进度考核的累计指标落后于进度但在此范围内为黄色预警;未达到目标本身一律为未达标",
        **NUMBER,
    )
    pace = models.BooleanField("按时序进度考核", default=False)
    year_end_only = models.BooleanField("仅年底考核", default=False)
    city_quorum = models.PositiveIntegerField(
        "全市值判定所需报送单位数",
        null=True,
        blank=True,
        help_text="空:全部应报单位报送后才判定全市值;之前全市值显示“x/y 单位已报”,不评判",
    )
    baseline = models.DecimalField("上年基数", null=True, blank=True, **NUMBER)
    stretch = models.DecimalField("力争值", null=True, blank=True, help_text="方案提出的更优值,仅展示,不作评判", **NUMBER)
    pace_profile = models.CharField("进度曲线", max_length=20, choices=PaceProfile.choices, default=PaceProfile.LINEAR)
    batch_months = models.JSONField("批次月份", default=list, blank=True, help_text="按批次推进时的月份,如 [10, 11, 12]")
    pace_from = models.DecimalField(
        "进度起点", null=True, blank=True, help_text="每年从零重新累计的指标填 0;不填则从上年基数起算", **NUMBER
    )
    checkpoints = models.JSONField(
        "节点", default=list, blank=True, help_text='里程碑的时间节点,如 [{"name": "方案印发", "due": "2022-06-30"}]'
    )

    source = models.TextField("方案原文")
    reading = models.TextField("口径说明", blank=True)
    # Plan-file values still awaiting the office's confirmation (待核定): field names
    # from PENDING_FIELDS, e.g. ["due", "tolerance"].
    pending = models.JSONField("待核定事项", default=list, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "目标指标"
        ordering = ["plan", "area__number", "sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="metric_code_unique_in_plan"),
            models.CheckConstraint(
                name="metric_range_low_le_high",
                condition=~Q(kind="range") | Q(low__isnull=False, high__isnull=False, low__lte=F("high")),
                violation_error_message="区间目标须填写下限和上限,且下限不大于上限。",
            ),
            models.CheckConstraint(
                name="metric_value_required",
                condition=~Q(kind__in=["at_most", "at_least", "exceed", "exactly", "change_vs_last_year", "rank"])
                | Q(value__isnull=False),
                violation_error_message="该目标类型须填写目标值。",
            ),
            models.CheckConstraint(
                name="metric_relative_needs_metric",
                condition=~Q(kind="relative_to") | Q(relative_metric__isnull=False),
                violation_error_message="“相对另一指标”类型须选择对比指标。",
            ),
            models.CheckConstraint(
                name="metric_direction_required",
                condition=~Q(kind__in=["change_vs_last_year", "relative_to", "improve", "keep"]) | ~Q(direction=""),
                violation_error_message="该目标类型须选择方向(越低越好/越高越好)。",
            ),
            models.CheckConstraint(
                name="metric_milestone_needs_due",
                condition=~Q(kind="milestone") | Q(due__isnull=False),
                violation_error_message="里程碑目标须填写完成期限。",
            ),
            models.CheckConstraint(
                name="metric_tolerance_not_negative",
                condition=Q(tolerance__gte=0),
                violation_error_message="预警容差不能为负数。",
            ),
            models.CheckConstraint(
                name="metric_count_has_aggregate",
                condition=~Q(measure="count") | ~Q(aggregate=""),
                violation_error_message="计数类指标须选择汇总方式。",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.relative_metric_id and self.relative_metric_id == self.pk:
            raise ValidationError({"relative_metric": "对比指标不能是本指标自己。"})
        if self.relative_metric and self.relative_metric.plan_id != self.plan_id:
            raise ValidationError({"relative_metric": "对比指标必须属于同一年度方案。"})
        if self.pace and self.baseline is None and self.pace_from is None:
            raise ValidationError({"baseline": "按时序进度考核须填写上年基数或进度起点。"})
        self._clean_judging()

    def _clean_judging(self):
        """The same checks as the plan file's (indicators/planfile.py), for office edits."""
        errors = {}
        if self.tolerance and not self.pace:
            errors["tolerance"] = "预警容差只适用于按时序进度考核的累计指标;未达到目标一律为未达标。"
        months = self.batch_months or []
        if not isinstance(months, list) or any(isinstance(m, bool) or not isinstance(m, int) or not 1 <= m <= 12 for m in months):
            errors["batch_months"] = "批次月份应为 1 至 12 的整数列表,如 [10, 11, 12]。"
        elif self.pace_profile == self.PaceProfile.BATCH and not months:
            errors["batch_months"] = "按批次推进须填写批次月份。"
        checkpoints = self.checkpoints or []
        try:
            ok = isinstance(checkpoints, list) and all(
                isinstance(c, dict) and set(c) == {"name", "due"} and str(c["name"]).strip() and date.fromisoformat(c["due"])
                for c in checkpoints
            )
        except (TypeError, ValueError):
            ok = False
        if not ok:
            errors["checkpoints"] = '节点应为列表,每项含名称和日期,如 [{"name": "方案印发", "due": "2022-06-30"}]。'
        elif checkpoints and self.kind != self.Kind.MILESTONE:
            errors["checkpoints"] = "只有里程碑目标可以设置节点。"
        if errors:
            raise ValidationError(errors)

    @property
    def target(self) -> rt.Target:
        """The target as the pure rules see it."""
        return rt.Target(
            kind=rt.Kind(self.kind),
            value=self.value,
            low=self.low,
            high=self.high,
            direction=rt.Direction(self.direction) if self.direction else None,
            due=self.due,
            tolerance=self.tolerance or Decimal(0),
            pace=self.pace,
            baseline=self.baseline,
            year_end_only=self.year_end_only,
            stretch=self.stretch,
            pace_profile=rt.PaceProfile(self.pace_profile or rt.PaceProfile.LINEAR),
            batch_months=tuple(self.batch_months or ()),
            pace_from=self.pace_from,
            checkpoints=tuple(
                rt.Checkpoint(c["name"], date.fromisoformat(c["due"]))
                for c in sorted(self.checkpoints or (), key=lambda c: c["due"])
            ),
        )

    def target_text(self) -> str:
        other = self.relative_metric.name if self.kind == self.Kind.RELATIVE_TO and self.relative_metric else None
        return self.target.describe(self.unit_of_measure, other_name=other)

    @property
    def is_percent(self) -> bool:
        return self.measure == self.Measure.RATIO

    @property
    def allows_negative(self) -> bool:
        """Growth rates since 1 January (a ratio reported year to date) can fall."""
        return self.measure == self.Measure.RATIO and self.basis == self.Basis.YTD


class Benchmark(models.Model):
    """A benchmark value shown beside a metric's target (双对标)."""

    class Kind(models.TextChoices):
        NATIONAL_BEST = "national_best", "全国最优"
        PROVINCE_BEST = "province_best", "全省最优"
        HENGYANG_2021 = "hengyang_2021", "衡阳2021年"
        OTHER = "other", "其他对标"

    metric = models.ForeignKey(Metric, verbose_name="指标", on_delete=models.CASCADE, related_name="benchmarks")
    kind = models.CharField("对标类别", max_length=20, choices=Kind.choices, default=Kind.OTHER)
    name = models.CharField("对标对象", max_length=100)
    value = models.DecimalField("对标值", **NUMBER)

    class Meta:
        verbose_name = verbose_name_plural = "对标值"
        ordering = ["metric", "pk"]
        constraints = [models.UniqueConstraint(fields=["metric", "name"], name="benchmark_unique")]

    def __str__(self):
        return f"{self.metric} · {self.name}"


class Assignment(models.Model):
    """Which unit reports which metric (editable by the office)."""

    metric = models.ForeignKey(Metric, verbose_name="指标", on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(Unit, verbose_name="报送单位", on_delete=models.PROTECT, related_name="assignments")

    class Meta:
        verbose_name = verbose_name_plural = "报送分工"
        ordering = ["metric", "unit"]
        constraints = [models.UniqueConstraint(fields=["metric", "unit"], name="assignment_unique")]

    def __str__(self):
        return f"{self.unit} → {self.metric}"


BASELINE_DUPLICATE = "同一指标、单位(或全市)和月份(或全年)只能有一个上年基数。"


class Baseline(models.Model):
    """Last year's value of a metric (上年同期值, a 2021 figure or rank): the office's
    data, loaded from a file (`load_baselines`) or edited on the office's page, with
    history. Reporters see it and do not type it. `unit` empty: the city's value;
    `period` empty: last year's value for the whole year."""

    metric = models.ForeignKey(Metric, verbose_name="指标", on_delete=models.CASCADE, related_name="baselines")
    unit = models.ForeignKey(
        Unit, verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="baselines",
        help_text="空表示全市",
    )  # fmt: skip
    period = models.DateField("上年月份", null=True, blank=True, help_text="上年某月1日;空表示上年全年")
    value = models.DecimalField("上年值", **NUMBER)
    note = models.CharField("说明", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="上年基数修改历史")

    class Meta:
        verbose_name = verbose_name_plural = "上年基数"
        ordering = ["metric", "unit", "period"]
        constraints = [
            models.CheckConstraint(name="baseline_period_first_day", condition=Q(period__isnull=True) | Q(period__day=1)),
            # One value per metric × unit (or city) × month (or year); four partial
            # indexes because NULLs never collide in a plain unique index.
            models.UniqueConstraint(
                fields=["metric", "unit", "period"],
                condition=Q(unit__isnull=False, period__isnull=False),
                name="baseline_unique_unit_month",
                violation_error_message=BASELINE_DUPLICATE,
            ),
            models.UniqueConstraint(
                fields=["metric", "period"],
                condition=Q(unit__isnull=True, period__isnull=False),
                name="baseline_unique_city_month",
                violation_error_message=BASELINE_DUPLICATE,
            ),
            models.UniqueConstraint(
                fields=["metric", "unit"],
                condition=Q(unit__isnull=False, period__isnull=True),
                name="baseline_unique_unit_year",
                violation_error_message=BASELINE_DUPLICATE,
            ),
            models.UniqueConstraint(
                fields=["metric"],
                condition=Q(unit__isnull=True, period__isnull=True),
                name="baseline_unique_city_year",
                violation_error_message=BASELINE_DUPLICATE,
            ),
        ]

    def __str__(self):
        where = self.unit.name if self.unit else "全市"
        when = f"{self.period:%Y-%m}" if self.period else "全年"
        return f"{self.metric} · {where} · {when}"


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


# -- statuses and completeness as stored rows (written only by indicators.status_store) --
STATUS_CHOICES = [(s.value, s.label) for s in rt.Status]


class TargetStatus(models.Model):
    """The status of one metric for one reporting unit (unit empty: the city) in one
    month, as the pure rules judged it, with what it was compared with. Written only by
    indicators.status_store.status_refresh; read by every page, API and report."""

    GreyReason = rt.GreyReason  # the rules' one list of reasons, with their Chinese labels

    metric = models.ForeignKey(Metric, verbose_name="指标", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, verbose_name="单位", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    period = models.DateField("月份")
    # The reading as judged: a unit's figure, or the city's aggregate of them.
    value = models.DecimalField("判定值", null=True, blank=True, **NUMBER)
    numerator = models.DecimalField("分子", null=True, blank=True, **NUMBER)
    denominator = models.DecimalField("分母", null=True, blank=True, **NUMBER)
    cases = models.PositiveIntegerField("件数", null=True, blank=True)
    state = models.CharField("完成状态", max_length=20, blank=True)
    # What it was compared with.
    compared_with = models.DecimalField("比较值(目标或时序进度)", null=True, blank=True, **NUMBER)
    last_year = models.DecimalField("上年同期值", null=True, blank=True, **NUMBER)
    other = models.DecimalField("对比指标值", null=True, blank=True, **NUMBER)
    status = models.CharField("状态", max_length=10, choices=STATUS_CHOICES)
    grey_reason = models.CharField("未判定原因", max_length=20, choices=rt.GreyReason.choices(), blank=True)
    computed_at = models.DateTimeField("计算时间")

    class Meta:
        verbose_name = verbose_name_plural = "指标状态"
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "unit", "period"], condition=Q(unit__isnull=False), name="target_status_unique_unit"
            ),
            models.UniqueConstraint(
                fields=["metric", "period"], condition=Q(unit__isnull=True), name="target_status_unique_city"
            ),
            models.CheckConstraint(
                name="target_status_grey_reason",
                condition=Q(status="grey") | Q(grey_reason=""),
                violation_error_message="仅灰色状态有未判定原因。",
            ),
        ]
        indexes = [models.Index(fields=["period", "metric"], name="target_status_period_metric")]

    def __str__(self):
        return f"{self.metric_id} · {self.unit_id or 'city'} · {self.period:%Y-%m} · {self.status}"

    @property
    def reading(self) -> rt.Reading:
        return rt.Reading(
            value=self.value if self.numerator is None else None,
            numerator=self.numerator,
            denominator=self.denominator,
            cases=self.cases,
            state=rt.MilestoneState(self.state) if self.state else None,
        )


class ReportingStatus(models.Model):
    """One unit's reporting for one month, as completeness pages, reminders, the dispatch,
    the bulletin and the scores read it. Written only by indicators.status_store."""

    class Timeliness(models.TextChoices):
        ON_TIME = "on_time", "按时报送"
        LATE = "late", "逾期报送"
        MISSING = "missing", "逾期未报"
        NOT_DUE_YET = "not_due_yet", "未到截止日"

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="+")
    period = models.DateField("月份")
    expected = models.BooleanField("应报送", help_text="本年度方案有报送分工、本月启用且参与报送")
    state = models.CharField("报送状态", max_length=20, blank=True, help_text="空:尚未开始填报")
    submitted = models.BooleanField("已报送", default=False)
    submitted_at = models.DateTimeField("首次提交时间", null=True, blank=True)
    timeliness = models.CharField("及时性", max_length=20, choices=Timeliness.choices)
    assigned = models.PositiveIntegerField("分工指标数", default=0)
    filled = models.PositiveIntegerField("已填指标数", default=0)
    judged = models.PositiveIntegerField("考核指标数", default=0)
    green = models.PositiveIntegerField("达标数", default=0)
    yellow = models.PositiveIntegerField("预警数", default=0)
    red = models.PositiveIntegerField("未达标数", default=0)
    grey = models.PositiveIntegerField("未判定数", default=0)
    # What the published score counts of the month (reports.rankings): the unit's judged
    # targets and the city values of the metrics it leads without reporting them, and
    # how many of those moved to a better status than the month before.
    scored = models.PositiveIntegerField("计分指标数", default=0)
    scored_green = models.PositiveIntegerField("计分达标数", default=0)
    comparable = models.PositiveIntegerField("可比指标数", default=0, help_text="上月也有判定的计分指标")
    improved = models.PositiveIntegerField("改善指标数", default=0)
    computed_at = models.DateTimeField("计算时间")

    class Meta:
        verbose_name = verbose_name_plural = "单位月度报送情况"
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="reporting_status_unique")]
        indexes = [models.Index(fields=["period", "expected"], name="reporting_status_period")]

    def __str__(self):
        return f"{self.unit_id} · {self.period:%Y-%m} · {self.timeliness}"


class StatusMonth(models.Model):
    """A month's stored rows as a whole: the date they were judged at, when they were
    computed, and whether a write since then awaits a refresh (the dirty marker)."""

    period = models.DateField("月份", unique=True)
    as_of = models.DateField("判定日", null=True, blank=True)
    computed_at = models.DateTimeField("计算时间", null=True, blank=True)
    pending_since = models.DateTimeField("待更新(自)", null=True, blank=True, help_text="空:行与数据一致")
    # When the refresh whose rows are stored began reading: a refresh reads outside its
    # (short) write transaction, and one that began reading earlier never overwrites them.
    read_at = models.DateTimeField("读取时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "状态月份"
        ordering = ["-period"]

    def __str__(self):
        return f"{self.period:%Y-%m}"

    @property
    def pending(self) -> bool:
        return self.pending_since is not None
