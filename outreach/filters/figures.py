"""The register's list filters. Nothing here filters by a sensitive field: a filter on
political status or overseas history would tell who has it to anyone who may filter."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from outreach.models import Figure
from outreach.selectors.figures import contacted_in_q
from portal.filters import NameChoiceFilter, YearFilter
from portal.models import Person, Unit
from portal.widgets import QuickSelect

FLAGS = [("representative", _("党外代表人士")), ("key_contact", _("重点联系对象"))]
STATES = [("active", _("在册")), ("inactive", _("已不在册")), ("all", _("全部"))]


class FigureFilter(django_filters.FilterSet):  # type: ignore[misc]
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    category = django_filters.ChoiceFilter(
        label=_("类别"), choices=Figure.Category.choices, empty_label=_("全部类别")
    )
    unit = NameChoiceFilter(
        label=_("单位"),
        field_name="person__unit",
        queryset=Unit.objects.none(),
        empty_label=_("全部单位"),
    )
    flag = django_filters.ChoiceFilter(
        label=_("标记"), choices=FLAGS, method="by_flag", empty_label=_("不限")
    )
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=STATES, method="by_state", empty_label=None
    )
    # No control of its own: the annual report's coverage figure links here, and the list
    # says so above its rows (with a link that clears it).
    contacted = YearFilter(label=_("有联系或谈话记录的年度"), method="by_contacted")

    class Meta:
        model = Figure
        fields = ["q", "category", "unit", "flag", "state", "contacted"]

    def __init__(self, data: Any, *, queryset: QuerySet[Figure], units: QuerySet[Unit]) -> None:
        data = data.copy() if data is not None else {}
        data.setdefault("state", "active")
        super().__init__(data, queryset=queryset)
        self.filters["unit"].queryset = units.select_related(None).only("id", "name")
        for name in ("category", "unit", "flag", "state"):
            label = str(self.filters[name].label)
            self.filters[name].extra["widget"] = QuickSelect(
                attrs={"class": "form-select", "aria-label": label}
            )

    def search(self, queryset: QuerySet[Figure], name: str, value: str) -> QuerySet[Figure]:
        return queryset.filter(Q(person__name__icontains=value) | Q(expertise__icontains=value))

    def by_flag(self, queryset: QuerySet[Figure], name: str, value: str) -> QuerySet[Figure]:
        if value == "representative":
            return queryset.filter(is_representative=True)
        if value == "key_contact":
            return queryset.filter(is_key_contact=True)
        return queryset

    def by_contacted(self, queryset: QuerySet[Figure], name: str, value: int) -> QuerySet[Figure]:
        return queryset.filter(contacted_in_q(value)) if value else queryset

    def by_state(self, queryset: QuerySet[Figure], name: str, value: str) -> QuerySet[Figure]:
        if value == "active":
            return queryset.filter(is_active=True)
        if value == "inactive":
            return queryset.filter(is_active=False)
        return queryset


COMPLETENESS = [("incomplete", _("信息不全")), ("complete", _("信息完整"))]


class OverseasFilter(django_filters.FilterSet):  # type: ignore[misc]
    """The returned-overseas list: by name, unit and completeness (the office's page)."""

    q = django_filters.CharFilter(label=_("搜索"), method="search")
    unit = NameChoiceFilter(
        label=_("单位"), queryset=Unit.objects.none(), empty_label=_("全部单位")
    )
    completeness = django_filters.ChoiceFilter(
        label=_("完整性"), choices=COMPLETENESS, method="by_completeness", empty_label=_("全部")
    )

    class Meta:
        model = Person
        fields = ["q", "unit", "completeness"]

    def __init__(self, data: Any, *, queryset: QuerySet[Person], units: QuerySet[Unit]) -> None:
        super().__init__(data, queryset=queryset)
        self.filters["unit"].queryset = units.select_related(None).only("id", "name")
        for name in ("unit", "completeness"):
            label = str(self.filters[name].label)
            self.filters[name].extra["widget"] = QuickSelect(
                attrs={"class": "form-select", "aria-label": label}
            )

    def search(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        return queryset.filter(name__icontains=value)

    def by_completeness(
        self, queryset: QuerySet[Person], name: str, value: str
    ) -> QuerySet[Person]:
        from outreach.selectors.overseas import incomplete_q

        if value == "incomplete":
            return queryset.filter(incomplete_q())
        if value == "complete":
            return queryset.exclude(incomplete_q())
        return queryset
