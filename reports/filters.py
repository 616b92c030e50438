"""Filters of the dashboards. The state lives in the URL, so a filtered view can be
bookmarked and sent; the selectors apply the cleaned values to the month's board."""

import django_filters
from django import forms

from actions.models import ActionArea, Indicator, Unit
from indicators.forms.fastwidgets import Select
from indicators.models import Metric

STATUS_CHOICES = [("red", "✖ 未达标"), ("yellow", "! 预警"), ("red_yellow", "✖ 未达标和 ! 预警")]


def _keep(queryset, name, value):
    # The board is built in Python from status_board; these filters only validate input.
    return queryset


class OverviewFilter(django_filters.FilterSet):
    # Drawn in Python (fastwidgets: Django's own markup), not an option template at a time.
    area = django_filters.ModelChoiceFilter(
        label="行动", queryset=ActionArea.objects.none(), method=_keep, empty_label="全部行动", widget=Select
    )
    indicator = django_filters.ModelChoiceFilter(
        label="一级指标", queryset=Indicator.objects.none(), method=_keep, empty_label="全部指标", widget=Select
    )
    unit_kind = django_filters.ChoiceFilter(
        label="单位类别", choices=Unit.Kind.choices, method=_keep, empty_label="全部单位", widget=Select
    )
    status = django_filters.ChoiceFilter(
        label="状态", choices=STATUS_CHOICES, method=_keep, empty_label="全部状态", widget=Select
    )

    class Meta:
        model = Metric
        fields: list = []

    def __init__(self, data=None, *args, plan=None, lead_unit=None, **kwargs):
        super().__init__(data, *args, queryset=Metric.objects.none(), **kwargs)
        if plan is not None:
            self.filters["area"].queryset = ActionArea.objects.filter(plan=plan).order_by("number")
            indicators = Indicator.objects.filter(plan=plan).order_by("sort_order")
            if lead_unit is not None:  # a lead unit filters among the indicators it leads
                indicators = indicators.filter(lead_unit=lead_unit)
                areas = self.filters["area"].queryset.filter(metrics__indicator__lead_unit=lead_unit)
                self.filters["area"].queryset = areas.distinct()
            self.filters["indicator"].queryset = indicators

    def values(self) -> dict:
        """The cleaned filters as keyword arguments of reports.selectors.overview.overview;
        invalid input (a stale bookmark) counts as no filter, with the form's errors shown."""
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.form.cleaned_data
        return {
            "area": data.get("area"),
            "indicator": data.get("indicator"),
            "unit_kind": data.get("unit_kind") or None,
            "status": data.get("status") or None,
        }


class MonthForm(forms.Form):
    """The month picker (period=YYYY-MM); validated by indicators.rules.periods."""

    period = forms.CharField(label="月份", required=False)
