"""Last year's values of the metrics (上年基数), the office's data."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from actions.models import Unit
from indicators.models.plan import NUMBER, Metric

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
