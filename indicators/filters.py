"""Filters beside the indicators app's lists (state kept in the URL)."""

import django_filters

from indicators.models import CorrectionRequest


class CorrectionFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label="状态", choices=CorrectionRequest.State.choices, empty_label="全部")
    unit__name = django_filters.CharFilter(label="单位", lookup_expr="icontains")

    class Meta:
        model = CorrectionRequest
        fields = ["state", "unit__name"]
