"""The office's confirmations of the plan's assumptions (待核定), the history of
indicators.assumptions (the service that writes them)."""

from django.conf import settings
from django.db import models


class AssumptionConfirmation(models.Model):
    """One confirmation by the office: the record is the history; the metric's
    `confirmed` (or, for the formula, the latest record) is what is in force."""

    plan = models.ForeignKey("actions.Plan", verbose_name="方案", on_delete=models.CASCADE, related_name="+")
    metric = models.ForeignKey(
        "indicators.Metric", verbose_name="目标指标", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    deliverable = models.ForeignKey(
        "indicators.Deliverable", verbose_name="任务成果事项", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    field = models.CharField("核定事项", max_length=20)
    label = models.CharField("事项名称", max_length=40)
    old_value = models.TextField("原值", blank=True)
    new_value = models.TextField("核定值", blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="核定人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField("核定时间", auto_now_add=True)

    class Meta:
        app_label = "indicators"
        verbose_name = verbose_name_plural = "待核定事项确认记录"
        ordering = ["-confirmed_at", "-pk"]

    def __str__(self):
        what = self.metric.name if self.metric_id else self.deliverable.name if self.deliverable_id else "季度通报"
        return f"{what} {self.label}:{self.old_value} → {self.new_value}"
