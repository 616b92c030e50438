"""The plan's measurable targets (metrics), their benchmarks and who reports them."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from actions.models import CODE_HELP, ActionArea, Indicator, Plan, Task, Unit
from indicators.rules import types as rt
from indicators.rules.assumptions import assumption_value, unconfirmed

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
    # The office's confirmations of those values ({field: the value confirmed, as text}),
    # written only by indicators.assumptions.assumption_confirm, never by a plan reload.
    confirmed = models.JSONField("已核定事项", default=dict, blank=True)
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
        """The same checks as the plan file's (indicators/planfile/), for office edits."""
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
        """The target as the pure rules see it, with its unconfirmed assumptions (待核定)."""
        target = self._target()
        value_of = lambda name: assumption_value(name, target, self.reading)  # noqa: E731
        return replace(target, assumed=unconfirmed(self.pending, self.confirmed or {}, value_of))

    def _target(self) -> rt.Target:
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
