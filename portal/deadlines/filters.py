"""The office's deadline list: filters by unit, rule and state (django-filter)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from portal.deadlines import registry
from portal.deadlines.models import Deadline
from portal.deadlines.selectors import state_filter
from portal.models import Unit
from portal.widgets import QuickSelect

STATE_CHOICES = [
    ("open", _("进行中")),
    ("overdue", _("已逾期")),
    ("met", _("已完成")),
    ("waived", _("已免除")),
    ("all", _("全部")),
]


def _select(label: str) -> forms.Select:
    return QuickSelect(attrs={"class": "form-select", "aria-label": label})


class DeadlineFilter(django_filters.FilterSet):  # type: ignore[misc]
    unit = django_filters.ModelChoiceFilter(
        label=_("责任单位"),
        field_name="responsible_unit",
        queryset=Unit.objects.none(),
        empty_label=_("全部单位"),
    )
    rule = django_filters.ChoiceFilter(label=_("规则"), choices=[], empty_label=_("全部规则"))
    state = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=STATE_CHOICES,
        empty_label=_("进行中和已逾期"),
        method="by_state",
    )

    class Meta:
        model = Deadline
        fields = ["unit", "rule", "state"]

    def __init__(self, *args: Any, units: QuerySet[Unit], today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        # Only what the options show: no parent units, no other columns.
        self.filters["unit"].queryset = units.select_related(None).only("id", "name")
        self.filters["rule"].extra["choices"] = registry.choices()
        for name in ("unit", "rule", "state"):
            self.filters[name].extra["widget"] = _select(str(self.filters[name].label))

    def filter_queryset(self, queryset: QuerySet[Deadline]) -> QuerySet[Deadline]:
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("state"):  # by default: what is still to do
            queryset = queryset.filter(state_filter("", self.today))
        return queryset

    def by_state(self, queryset: QuerySet[Deadline], name: str, value: str) -> QuerySet[Deadline]:
        return queryset.filter(state_filter(value, self.today))
