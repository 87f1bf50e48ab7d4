"""The reserve list's filters (django-filter)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from outreach.models import Figure, ReserveCadre
from outreach.selectors.learning import reserve_state_q
from portal.filters import NameChoiceFilter
from portal.models import Unit
from portal.widgets import QuickSelect

STATES = [("current", _("在库")), ("ended", _("已退出")), ("all", _("全部"))]


class ReserveFilter(django_filters.FilterSet):  # type: ignore[misc]
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=STATES, method="by_state", empty_label=None
    )
    unit = NameChoiceFilter(
        label=_("单位"),
        field_name="figure__person__unit",
        queryset=Unit.objects.none(),
        empty_label=_("全部单位"),
    )
    category = django_filters.ChoiceFilter(
        label=_("类别"),
        field_name="figure__category",
        choices=Figure.Category.choices,
        empty_label=_("全部类别"),
    )

    class Meta:
        model = ReserveCadre
        fields = ["q", "state", "unit", "category"]

    def __init__(
        self, data: Any, *, queryset: QuerySet[ReserveCadre], units: QuerySet[Unit], today: dt.date
    ) -> None:
        data = data.copy() if data is not None else {}
        data.setdefault("state", "current")  # the reserve as it is today, unless asked
        super().__init__(data, queryset=queryset)
        self.today = today
        self.filters["unit"].queryset = units.select_related(None).only("id", "name")
        for name in ("state", "unit", "category"):
            label = str(self.filters[name].label)
            self.filters[name].extra["widget"] = QuickSelect(
                attrs={"class": "form-select", "aria-label": label}
            )

    def search(
        self, queryset: QuerySet[ReserveCadre], name: str, value: str
    ) -> QuerySet[ReserveCadre]:
        return queryset.filter(
            Q(figure__person__name__icontains=value) | Q(proposed_post__icontains=value)
        )

    def by_state(
        self, queryset: QuerySet[ReserveCadre], name: str, value: str
    ) -> QuerySet[ReserveCadre]:
        return queryset.filter(reserve_state_q(value, self.today))
