"""Forms of the document pages."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from portal.documents.models import Document, DocumentSeries
from portal.documents.registry import kind_choices
from portal.filters import YearFilter
from portal.lib.forms import (
    PersonMultipleChoiceField,
    form_helper,
    refuse_control_characters,
)
from portal.models import Person, Unit


class RecipientsMixin(forms.Form):
    recipient_units = forms.ModelMultipleChoiceField(
        label=_("分发单位"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("印发后，这些单位在平台上签收。"),
    )
    recipient_people = PersonMultipleChoiceField(
        label=_("分发人员"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("只列出有平台账号的人员。"),
    )

    def setup_recipients(self) -> None:
        units = self.fields["recipient_units"]
        people = self.fields["recipient_people"]
        assert isinstance(units, forms.ModelMultipleChoiceField)
        assert isinstance(people, forms.ModelMultipleChoiceField)
        units.queryset = Unit.objects.filter(is_active=True).order_by("sort_order", "name")
        people.queryset = (
            Person.objects.filter(user__isnull=False, user__is_active=True, is_active=True)
            .select_related("unit")
            .order_by("unit__sort_order", "name")
        )


class DocumentForm(RecipientsMixin, forms.ModelForm[Document]):
    kind = forms.ChoiceField(label=_("文种"), choices=())

    class Meta:
        model = Document
        fields = ["kind", "title", "addressee", "body", "cc"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 16, "class": "document-body"}),
        }

    def __init__(self, *args: Any, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            kind = self.fields["kind"]
            assert isinstance(kind, forms.ChoiceField)
            kind.choices = kind_choices(creatable_only=True)
        else:
            del self.fields["kind"]
        self.setup_recipients()
        if self.instance.pk:
            recipients = list(self.instance.recipients.all())
            self.initial["recipient_units"] = [r.unit_id for r in recipients if r.unit_id]
            self.initial["recipient_people"] = [r.person_id for r in recipients if r.person_id]
        self.helper = form_helper(_("保存草稿"))

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        refuse_control_characters(self)  # a title becomes the PDF's download name
        return cleaned


class IssueForm(RecipientsMixin, forms.Form):
    def __init__(self, *args: Any, document: Document, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_recipients()
        recipients = list(document.recipients.all())
        self.initial.setdefault("recipient_units", [r.unit_id for r in recipients if r.unit_id])
        self.initial.setdefault(
            "recipient_people", [r.person_id for r in recipients if r.person_id]
        )
        self.helper = form_helper(_("编号并印发"))


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件"))


class SeriesForm(forms.ModelForm[DocumentSeries]):
    class Meta:
        model = DocumentSeries
        fields = ["name", "prefix", "header", "signing_unit", "printed_by"]
        widgets = {"header": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("保存"))

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        refuse_control_characters(self)  # the header keeps its line break (two lines)
        return cleaned


def _select(label: str) -> forms.Select:
    return forms.Select(attrs={"class": "form-select", "aria-label": label})


class DocumentFilter(django_filters.FilterSet):  # type: ignore[misc]
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    kind = django_filters.ChoiceFilter(label=_("文种"), choices=(), empty_label=_("全部文种"))
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=Document.State.choices, empty_label=_("全部状态")
    )
    year = YearFilter(label=_("年度"), method="in_year")

    class Meta:
        model = Document
        fields = ["q", "kind", "state", "year"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["kind"].extra["choices"] = kind_choices()
        for name in ("kind", "state"):
            self.filters[name].extra["widget"] = _select(str(self.filters[name].label))

    def search(self, queryset: QuerySet[Document], name: str, value: str) -> QuerySet[Document]:
        return queryset.filter(Q(title__icontains=value) | Q(reference__icontains=value))

    def in_year(self, queryset: QuerySet[Document], name: str, value: Any) -> QuerySet[Document]:
        return queryset.filter(Q(year=value) | Q(year__isnull=True, created_at__year=value))
