"""Forms of the register of non-party figures. The services check and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from outreach.models import Figure, OverseasRecord, PublicPosition
from portal.lib.forms import CrispyForm, OneLineCharField, PersonChoiceField
from portal.models import CPC_STATUSES, Person
from portal.widgets import QuickSelect


class FigureForm(CrispyForm):
    """A figure's register entry; `person` only when registering someone."""

    person = PersonChoiceField(label=_("人员"), queryset=Person.objects.none())
    category = forms.ChoiceField(label=_("类别"), choices=Figure.Category.choices)
    is_representative = forms.BooleanField(label=_("党外代表人士"), required=False)
    is_key_contact = forms.BooleanField(
        label=_("重点联系对象"),
        required=False,
        help_text=_("领导小组成员每年至少与其结对的重点联系对象谈心谈话一次"),
    )
    expertise = OneLineCharField(label=_("专业特长"), max_length=200, required=False)
    registered_on = forms.DateField(
        label=_("登记日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    is_active = forms.BooleanField(label=_("在册"), required=False, initial=True)

    def __init__(self, *args: Any, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            field = self.fields["person"]
            assert isinstance(field, PersonChoiceField)
            # Non-party people not yet registered (no party member can be).
            field.queryset = (
                Person.objects.exclude(political_status__in=CPC_STATUSES)
                .filter(figure__isnull=True, is_active=True)
                .select_related("unit")
                .order_by("unit__sort_order", "name")
            )
            field.widget = QuickSelect(attrs={"class": "form-select"})
            field.widget.choices = field.choices
            del self.fields["is_active"]
        else:
            del self.fields["person"]


class FigureSensitiveForm(CrispyForm):
    affiliation = OneLineCharField(
        label=_("党派及任职情况"),
        max_length=200,
        required=False,
        help_text=_("如：2015年加入九三学社，任校支社副主委"),
    )
    opinions = forms.CharField(
        label=_("意见倾向与思想动态"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    notes = forms.CharField(
        label=_("备注"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PositionForm(CrispyForm):
    submit_label = _("添加社会职务")

    kind = forms.ChoiceField(label=_("类型"), choices=PublicPosition.Kind.choices)
    level = forms.ChoiceField(label=_("级别"), choices=PublicPosition.Level.choices)
    title = OneLineCharField(
        label=_("职务名称"), max_length=100, help_text=_("如：第十三届市政协委员")
    )
    term_start = forms.DateField(
        label=_("任期开始"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    term_end = forms.DateField(
        label=_("任期结束"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class OverseasRecordForm(CrispyForm):
    submit_label = _("添加海外经历")

    kind = forms.ChoiceField(label=_("类型"), choices=OverseasRecord.Kind.choices)
    country = OneLineCharField(label=_("国家/地区"), max_length=50, required=False)
    institution = OneLineCharField(label=_("院校/机构"), max_length=100, required=False)
    degree = forms.ChoiceField(
        label=_("学位"), choices=[("", "—"), *OverseasRecord.Degree.choices], required=False
    )
    start_year = forms.IntegerField(label=_("开始年份"), required=False)
    end_year = forms.IntegerField(label=_("结束年份"), required=False)
