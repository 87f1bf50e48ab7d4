"""List filters (django-filter) for the meetings, the topic pool and the follow-up items.

The query parameters are the pages' own (`?year=&kind=`, `?status=`), so bookmarks keep
working; a value that is not valid is ignored, as it always was. The templates render
their own selects (the year's options come from the meetings there are)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from meetings.models import FollowUpItem, FollowUpItemQuerySet, Meeting, Topic
from meetings.selectors import local_year_range

OVERDUE = "overdue"


class YearFilter(django_filters.NumberFilter):  # type: ignore[misc]
    field_class = forms.IntegerField


class _Filter(django_filters.FilterSet):  # type: ignore[misc]
    def value(self, name: str) -> Any:
        """The valid value of one filter, or None (the template marks it selected)."""
        self.form.is_valid()
        return self.form.cleaned_data.get(name) or None


class MeetingFilter(_Filter):
    year = YearFilter(label=_("年度"), method="in_year", min_value=1949, max_value=2100)
    kind = django_filters.ChoiceFilter(label=_("会议类型"), choices=Meeting.Kind.choices)
    # Not on the form: the annual report's figures link here with `held=true`.
    held = django_filters.BooleanFilter(label=_("已召开"))

    class Meta:
        model = Meeting
        fields = ["year", "kind", "held"]

    def in_year(self, queryset: QuerySet[Meeting], name: str, value: int) -> QuerySet[Meeting]:
        begin, finish = local_year_range(value)
        return queryset.filter(starts_at__gte=begin, starts_at__lt=finish)


class TopicFilter(_Filter):
    status = django_filters.ChoiceFilter(label=_("办理状态"), choices=Topic.Status.choices)

    class Meta:
        model = Topic
        fields = ["status"]


class FollowUpFilter(_Filter):
    status = django_filters.ChoiceFilter(
        label=_("办理状态"),
        choices=[*FollowUpItem.Status.choices, (OVERDUE, _("已逾期"))],
        method="by_status",
    )
    # The year of the meeting that decided it (the annual report's figures link here).
    year = YearFilter(label=_("年度"), method="in_year", min_value=1949, max_value=2100)

    class Meta:
        model = FollowUpItem
        fields = ["status", "year"]

    def in_year(
        self, queryset: FollowUpItemQuerySet, name: str, value: int
    ) -> FollowUpItemQuerySet:
        begin, finish = local_year_range(value)
        return queryset.filter(
            agenda_item__meeting__starts_at__gte=begin, agenda_item__meeting__starts_at__lt=finish
        )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def by_status(
        self, queryset: FollowUpItemQuerySet, name: str, value: str
    ) -> FollowUpItemQuerySet:
        if value == OVERDUE:
            return queryset.overdue(self.today)  # the one rule: the engine's
        return queryset.filter(status=value)
