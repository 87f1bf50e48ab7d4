"""The suggestions list's filters (django-filter)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from outreach.models import Suggestion
from outreach.selectors.suggestions import answered_on_time_q
from portal.filters import NameChoiceFilter, YearFilter
from portal.models import Unit
from portal.widgets import QuickSelect

ANSWERED = [("on_time", _("按期答复"))]


class SuggestionFilter(django_filters.FilterSet):  # type: ignore[misc]
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    year = YearFilter(label=_("年度"), field_name="raised_on__year")
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=Suggestion.State.choices, empty_label=_("全部状态")
    )
    # No control of its own on the list: the annual report's satisfaction figure links here.
    satisfaction = django_filters.ChoiceFilter(
        label=_("满意度"), choices=Suggestion.Satisfaction.choices
    )
    # Likewise: the annual report's on-time figure links here (`answered=on_time`).
    answered = django_filters.ChoiceFilter(
        label=_("办理答复"), choices=ANSWERED, method="by_answered"
    )
    unit = NameChoiceFilter(
        label=_("牵头单位"),
        field_name="lead_unit",
        queryset=Unit.objects.none(),
        empty_label=_("全部单位"),
    )

    class Meta:
        model = Suggestion
        fields = ["q", "year", "state", "satisfaction", "answered", "unit"]

    def __init__(self, data: Any, *, queryset: QuerySet[Suggestion], units: QuerySet[Unit]) -> None:
        super().__init__(data, queryset=queryset)
        self.filters["unit"].queryset = units.only("id", "name")
        for name in ("state", "unit"):
            label = str(self.filters[name].label)
            self.filters[name].extra["widget"] = QuickSelect(
                attrs={"class": "form-select", "aria-label": label}
            )

    def by_answered(
        self, queryset: QuerySet[Suggestion], name: str, value: str
    ) -> QuerySet[Suggestion]:
        return queryset.filter(answered_on_time_q()) if value == "on_time" else queryset

    def search(self, queryset: QuerySet[Suggestion], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(Q(title__icontains=value) | Q(content__icontains=value))
