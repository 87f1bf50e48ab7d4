"""List filters (django-filter) for the organisation pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from portal.models import Person, PoliticalStatus, SensitiveView, Unit
from portal.widgets import QuickSelect

YEAR_MIN, YEAR_MAX = 1949, 2100


class YearFilter(django_filters.NumberFilter):  # type: ignore[misc]
    """A year in a list's query (`?year=2026`): a whole number from 1949 to 2100 (a
    full-width ２０２６ too). Anything else (-1, 0, 99999, 1e9, 1.5, words) fails the
    filter form's validation and is ignored, instead of reaching a date lookup that
    raises."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", YEAR_MIN)
        kwargs.setdefault("max_value", YEAR_MAX)
        super().__init__(*args, **kwargs)


def year_or(value: str | None, default: int) -> int:
    """A board's `?year=` outside a filter form: the year if it is one `YearFilter`
    accepts, else `default`."""
    field = forms.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX)
    try:
        return int(field.clean(value))
    except forms.ValidationError:
        return default


def select_html(
    name: str, value: str, choices: Iterable[tuple[Any, Any]], empty: Any, label: Any
) -> SafeString:
    """A board's `<select>` filter outside a filter form (like `year_or`): `empty` first,
    then `choices`, `value` selected; rendered in Python (`QuickSelect`), since such a list
    is often every unit."""
    widget = QuickSelect(
        attrs={"class": "form-select", "aria-label": label}, choices=[("", empty), *choices]
    )
    return widget.render(name, value)


class _NamesIterator(ModelChoiceIterator):
    """A model choice field's options as `(pk, name)` read as values: no model instance
    per option (a unit filter lists every unit, 200 at scale 1)."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", "name")


class NameChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """`ModelChoiceField` for a model labelled by its `name` field (as its `__str__`),
    whose options are read as values. Validation still reads the chosen instance."""

    iterator = _NamesIterator


class NameChoiceFilter(django_filters.ModelChoiceFilter):  # type: ignore[misc]
    """A list filter by unit (or anything labelled by `name`) with `NameChoiceField`:
    with `QuickSelect`, the same `<select>` as `ModelChoiceFilter` for less than half
    its time."""

    field_class = NameChoiceField


def _select(label: str) -> forms.Select:
    return QuickSelect(attrs={"class": "form-select", "aria-label": label})


class UnitFilter(django_filters.FilterSet):  # type: ignore[misc]
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    kind = django_filters.ChoiceFilter(
        label=_("类别"), choices=Unit.Kind.choices, empty_label=_("全部类别")
    )

    class Meta:
        model = Unit
        fields = ["q", "kind"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["kind"].extra["widget"] = _select(str(self.filters["kind"].label))

    def search(self, queryset: QuerySet[Unit], name: str, value: str) -> QuerySet[Unit]:
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))


class PersonFilter(django_filters.FilterSet):  # type: ignore[misc]
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    unit = django_filters.ModelChoiceFilter(
        label=_("单位"), queryset=Unit.objects.none(), empty_label=_("全部单位")
    )
    gender = django_filters.ChoiceFilter(
        label=_("性别"), choices=Person.Gender.choices, empty_label=_("性别不限")
    )
    political_status = django_filters.ChoiceFilter(
        label=_("政治面貌"), choices=PoliticalStatus.choices, empty_label=_("政治面貌不限")
    )
    overseas_study = django_filters.BooleanFilter(label=_("有留学经历"))

    class Meta:
        model = Person
        fields = ["q", "unit", "gender", "political_status", "overseas_study"]

    def __init__(
        self, *args: Any, units: QuerySet[Unit], show_sensitive: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # Only what the options show: no parent units, no other columns.
        self.filters["unit"].queryset = units.select_related(None).only("id", "name")
        for name in ("unit", "gender", "political_status"):
            self.filters[name].extra["widget"] = _select(str(self.filters[name].label))
        if not show_sensitive:
            # Filtering by affiliation would reveal it: only those who may see it may filter.
            del self.filters["political_status"]
            del self.filters["overseas_study"]

    def search(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        return queryset.filter(Q(name__icontains=value) | Q(title__icontains=value))


class SensitiveViewFilter(django_filters.FilterSet):  # type: ignore[misc]
    """The log of sensitive views: by whose data, by who looked, by date."""

    person = django_filters.CharFilter(
        label=_("被查阅人"), field_name="person__name", lookup_expr="icontains"
    )
    viewer = django_filters.CharFilter(label=_("查阅人"), method="by_viewer")
    since = django_filters.DateFilter(label=_("起始日期"), field_name="at", lookup_expr="date__gte")
    until = django_filters.DateFilter(label=_("截止日期"), field_name="at", lookup_expr="date__lte")

    class Meta:
        model = SensitiveView
        fields = ["person", "viewer", "since", "until"]

    def by_viewer(
        self, queryset: QuerySet[SensitiveView], name: str, value: str
    ) -> QuerySet[SensitiveView]:
        return queryset.filter(
            Q(viewer__person__name__icontains=value) | Q(viewer__username__icontains=value)
        )
