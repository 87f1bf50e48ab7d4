"""The learning pages' filters (django-filter): the activities, and the year board's
figures."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from outreach.models import Figure, StudyActivity
from portal.filters import NameChoiceFilter, YearFilter
from portal.models import Unit
from portal.widgets import QuickSelect


def _select(label: Any) -> QuickSelect:
    return QuickSelect(attrs={"class": "form-select", "aria-label": str(label)})


class StudyFilter(django_filters.FilterSet):  # type: ignore[misc]
    q = django_filters.CharFilter(label=_("搜索"), field_name="title", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(
        label=_("形式"),
        choices=StudyActivity.Kind.choices,
        empty_label=_("全部形式"),
        widget=_select(_("形式")),
    )
    year = YearFilter(label=_("年度"), field_name="held_on", lookup_expr="year")

    class Meta:
        model = StudyActivity
        fields = ["q", "kind", "year"]


class BoardFilter(django_filters.FilterSet):  # type: ignore[misc]
    """The board's figures; its `year` is read by the view (the board always has one)."""

    q = django_filters.CharFilter(label=_("搜索"), method="search")
    unit = NameChoiceFilter(
        label=_("单位"), field_name="person__unit", queryset=Unit.objects.none()
    )
    category = django_filters.ChoiceFilter(
        label=_("类别"), choices=Figure.Category.choices, empty_label=_("全部类别")
    )

    class Meta:
        model = Figure
        fields = ["q", "unit", "category"]

    def __init__(self, data: Any, *, queryset: QuerySet[Figure], units: QuerySet[Unit]) -> None:
        super().__init__(data, queryset=queryset)
        self.filters["unit"].queryset = units.select_related(None).only("id", "name")
        self.filters["unit"].extra["empty_label"] = _("全部单位")
        for name in ("unit", "category"):
            self.filters[name].extra["widget"] = _select(self.filters[name].label)

    def search(self, queryset: QuerySet[Figure], name: str, value: str) -> QuerySet[Figure]:
        return queryset.filter(Q(person__name__icontains=value))
