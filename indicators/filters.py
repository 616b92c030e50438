"""Filters beside the indicators app's lists (state kept in the URL)."""

import django_filters

from indicators.models import Baseline, CorrectionRequest


class CorrectionFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label="状态", choices=CorrectionRequest.State.choices, empty_label="全部")
    unit__name = django_filters.CharFilter(label="单位", lookup_expr="icontains")

    class Meta:
        model = CorrectionRequest
        fields = ["state", "unit__name"]


class BaselineFilter(django_filters.FilterSet):
    metric__plan__year = django_filters.NumberFilter(label="方案年度")
    metric__name = django_filters.CharFilter(label="指标", lookup_expr="icontains")
    unit__name = django_filters.CharFilter(label="单位", lookup_expr="icontains")

    class Meta:
        model = Baseline
        fields = ["metric__plan__year", "metric__name", "unit__name"]
