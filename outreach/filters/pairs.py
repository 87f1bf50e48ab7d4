"""Filters of the pairs, contacts and talks lists (django-filter)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from outreach.models import Contact, FriendshipPair, Talk
from portal.filters import YearFilter
from portal.widgets import QuickSelect

PAIR_STATES = [("current", _("结对中")), ("ended", _("已结束")), ("all", _("全部"))]


def _selects(filterset: django_filters.FilterSet, *names: str) -> None:
    for name in names:
        label = str(filterset.filters[name].label)
        filterset.filters[name].extra["widget"] = QuickSelect(
            attrs={"class": "form-select", "aria-label": label}
        )


class PairFilter(django_filters.FilterSet):  # type: ignore[misc]
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=PAIR_STATES, method="by_state", empty_label=None
    )
    key = django_filters.BooleanFilter(
        label=_("重点联系对象"),
        field_name="figure__is_key_contact",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = FriendshipPair
        fields = ["q", "state", "key"]

    def __init__(self, data: Any, *, queryset: QuerySet[FriendshipPair], today: dt.date) -> None:
        data = data.copy() if data is not None else {}
        data.setdefault("state", "current")
        super().__init__(data, queryset=queryset)
        self.today = today
        _selects(self, "state")

    def search(self, queryset: QuerySet[FriendshipPair], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Q(leader__name__icontains=value) | Q(figure__person__name__icontains=value)
        )

    def by_state(self, queryset: QuerySet[FriendshipPair], name: str, value: str) -> QuerySet[Any]:
        if value == "current":
            return queryset.active_on(self.today)  # type: ignore[attr-defined, no-any-return]
        if value == "ended":
            return queryset.filter(end_date__lt=self.today)
        return queryset


class ContactFilter(django_filters.FilterSet):  # type: ignore[misc]
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    year = YearFilter(label=_("年度"), field_name="date__year")
    kind = django_filters.ChoiceFilter(
        label=_("方式"), choices=Contact.Kind.choices, empty_label=_("全部方式")
    )

    class Meta:
        model = Contact
        fields = ["q", "year", "kind"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _selects(self, "kind")

    def search(self, queryset: QuerySet[Contact], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Q(leader__name__icontains=value) | Q(figures__person__name__icontains=value)
        ).distinct()


class TalkFilter(django_filters.FilterSet):  # type: ignore[misc]
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    year = YearFilter(label=_("年度"), field_name="date__year")
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=Talk.State.choices, empty_label=_("全部状态")
    )
    mode = django_filters.ChoiceFilter(
        label=_("谈话形式"), choices=Talk.Mode.choices, empty_label=_("全部形式")
    )
    briefing = django_filters.BooleanFilter(
        label=_("编入简报"),
        field_name="for_briefing",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = Talk
        fields = ["q", "year", "state", "mode", "briefing"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _selects(self, "state", "mode")

    def search(self, queryset: QuerySet[Talk], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Q(leader__name__icontains=value)
            | Q(figures__person__name__icontains=value)
            | Q(topic__icontains=value)
        ).distinct()
