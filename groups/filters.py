"""List filters (django-filter) for the groups pages.

The roster (`/groups/roster/`) lists seats of three tables (group memberships, office
members, branch commissioners) as one sorted list of rows, so its FilterSet parses and
validates the query (`?category=&current=1`, the page's parameters as they always were;
a value that is not valid is ignored) and `selectors.seat_rows` applies it to each table.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from groups.models import GroupMembership
from groups.services import Category


def _parsed_only(queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
    return queryset  # applied by `selectors.seat_rows`, across the three tables


class RosterFilter(django_filters.FilterSet):  # type: ignore[misc]
    category = django_filters.ChoiceFilter(
        label=_("类别"), choices=Category.choices, method=_parsed_only
    )
    current = django_filters.ChoiceFilter(
        label=_("只看今天在任"), choices=[("1", _("只看今天在任"))], method=_parsed_only
    )

    class Meta:
        model = GroupMembership
        fields = ["category", "current"]

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, queryset=GroupMembership.objects.none(), **kwargs)

    def _value(self, name: str) -> str:
        self.form.is_valid()
        return str(self.form.cleaned_data.get(name) or "")

    def chosen_category(self) -> str:
        """The chosen category, or "" for all of them."""
        return self._value("category")

    def current_only(self) -> bool:
        return self._value("current") == "1"
