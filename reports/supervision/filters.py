"""The order list's filters (the page and its export use the same)."""

import django_filters

from actions.models import Unit
from reports.supervision.models import STAGE_CHOICES, SupervisionOrder
from reports.supervision.rules import AWAITING_UNIT, Stage


class OrderFilter(django_filters.FilterSet):
    unit = django_filters.ModelChoiceFilter(label="单位", queryset=Unit.objects.all(), empty_label="全部单位")
    stage = django_filters.ChoiceFilter(label="办理环节", choices=STAGE_CHOICES, empty_label="全部环节")
    level = django_filters.ChoiceFilter(label="级别", choices=SupervisionOrder.Level.choices, empty_label="全部级别")
    about = django_filters.ChoiceFilter(
        label="督办事项",
        choices=[("metric", "指标"), ("deliverable", "成果事项"), ("finding", "问题线索")],
        empty_label="全部事项",
        method="filter_about",
    )
    overdue = django_filters.ChoiceFilter(
        label="逾期", choices=[("true", "仅看逾期")], empty_label="全部", method="filter_overdue"
    )
    q = django_filters.CharFilter(label="问题包含", method="filter_text")

    class Meta:
        model = SupervisionOrder
        fields = ["unit", "stage", "level"]

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def filter_overdue(self, qs, name, value):
        if value != "true":
            return qs
        stages = [s.value for s in AWAITING_UNIT | {Stage.APPROVING}]
        return qs.filter(stage__in=stages, due__lt=self.today)

    def filter_about(self, qs, name, value):
        return qs.filter(**{f"{value}__isnull": False}) if value in ("metric", "deliverable", "finding") else qs

    def filter_text(self, qs, name, value):
        return qs.filter(problem__icontains=value.strip()) if value.strip() else qs
