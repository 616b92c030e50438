"""Statuses and completeness as stored rows (written only by indicators.status)."""

from django.db import models
from django.db.models import Q

from actions.models import Unit
from indicators.models.plan import NUMBER, Metric
from indicators.rules import types as rt

# -- statuses and completeness as stored rows (written only by indicators.status) --
STATUS_CHOICES = [(s.value, s.label) for s in rt.Status]


class TargetStatus(models.Model):
    """The status of one metric for one reporting unit (unit empty: the city) in one
    month, as the pure rules judged it, with what it was compared with. Written only by
    indicators.status.refresh.status_refresh; read by every page, API and report."""

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


class ReportingStatus(models.Model):
    """One unit's reporting for one month, as completeness pages, reminders, the dispatch,
    the bulletin and the scores read it. Written only by indicators.status."""

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
    # The plan's judging data the rows were computed with (indicators.status.compute.rules_fingerprint).
    rules = models.CharField("规则指纹", max_length=64, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "状态月份"
        ordering = ["-period"]

    def __str__(self):
        return f"{self.period:%Y-%m}"

    @property
    def pending(self) -> bool:
        return self.pending_since is not None
