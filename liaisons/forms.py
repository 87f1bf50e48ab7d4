"""Forms of the liaison officers' pages. The services check the rule and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from liaisons.models import LIAISON_UNIT_KINDS
from portal.lib.forms import CrispyForm, OneLineCharField, PersonChoiceField, date_field
from portal.models import Person, Unit
from portal.widgets import QuickSelect


class AppointForm(CrispyForm):
    submit_label = _("任命")

    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none())
    person = PersonChoiceField(label=_("联络员"), queryset=Person.objects.none(), with_title=True)
    start_date = date_field(_("任职日期"))
    reason = forms.CharField(
        label=_("推荐理由"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "推荐青年党员教师时必填：本单位没有非党人士或35周岁以下有留学经历的青年教师人选的原因"
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = Unit.objects.filter(kind__in=LIAISON_UNIT_KINDS, is_active=True).order_by(
            "sort_order"
        )
        unit.widget = QuickSelect(attrs={"class": "form-select"})
        unit.widget.choices = unit.choices
        person = self.fields["person"]
        assert isinstance(person, PersonChoiceField)
        person.queryset = (
            Person.objects.filter(is_active=True, unit__kind__in=LIAISON_UNIT_KINDS)
            .select_related("unit")
            .order_by("unit__sort_order", "name")
        )
        person.widget = QuickSelect(attrs={"class": "form-select"})
        person.widget.choices = person.choices


class EndForm(CrispyForm):
    submit_label = _("办理离任")

    end_date = date_field(_("离任日期"))
    reason = OneLineCharField(
        label=_("离任原因"), max_length=100, help_text=_("如：工作调整、年龄超过、加入中国共产党")
    )


class KeepForm(CrispyForm):
    submit_label = _("确认继续任职")

    reason = forms.CharField(
        label=_("继续任职的理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
