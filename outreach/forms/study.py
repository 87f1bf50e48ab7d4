"""Forms of the learning system: an activity and its audience, the office's record of
who read or attended, and a "五个一" entry. The services check and save."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from outreach.models import Figure, FiveOne, StudyActivity
from outreach.selectors.study import AUDIENCES
from portal.lib.forms import CrispyForm, OneLineCharField, PersonMultipleChoiceField, date_field
from portal.models import Person, Unit
from portal.uploads import DOCUMENTS, IMAGES, UploadValidator
from portal.widgets import QuickSelectMultiple


class StudyForm(CrispyForm):
    submit_label = _("发布")

    kind = forms.ChoiceField(
        label=_("形式"), choices=StudyActivity.Kind.choices, widget=forms.RadioSelect
    )
    title = OneLineCharField(label=_("学习主题"), max_length=150)
    material = forms.CharField(
        label=_("学习内容"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("要点、原文或导读"),
    )
    link = forms.URLField(label=_("链接"), required=False, max_length=200, assume_scheme="https")
    attachment = forms.FileField(
        label=_("学习材料"),
        required=False,
        validators=[UploadValidator(kinds=DOCUMENTS + IMAGES)],
        help_text=_("PDF、Word 或图片"),
    )
    held_on = date_field(_("日期"), help_text=_("推送日期或学习日期"))
    place = OneLineCharField(
        label=_("地点"), max_length=100, required=False, help_text=_("线下集中学习填写")
    )
    confirm_by = date_field(
        _("确认期限"), required=False, help_text=_("线上推送：请学习对象在此日期前确认已学")
    )
    groups = forms.MultipleChoiceField(
        label=_("学习对象"),
        choices=list(AUDIENCES.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    categories = forms.MultipleChoiceField(
        label=_("按类别"),
        choices=Figure.Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    units = forms.ModelMultipleChoiceField(
        label=_("限定单位"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("不选则不限单位；按住 Ctrl 可选择多个"),
    )
    extra = PersonMultipleChoiceField(
        label=_("另加人员"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("不在上述范围内、也要参加的人；按住 Ctrl 可选择多人"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = self.fields["units"]
        assert isinstance(units, forms.ModelMultipleChoiceField)
        units.queryset = Unit.objects.filter(is_active=True).order_by("sort_order")
        units.widget = QuickSelectMultiple(attrs={"class": "form-select", "size": 6})
        units.widget.choices = units.choices
        extra = self.fields["extra"]
        assert isinstance(extra, PersonMultipleChoiceField)
        extra.queryset = Person.objects.filter(is_active=True).select_related("unit")
        extra.widget = QuickSelectMultiple(attrs={"class": "form-select", "size": 8})
        extra.widget.choices = extra.choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("groups") or data.get("categories") or data.get("extra")):
            self.add_error("groups", _("请选择学习对象的范围，或另加人员。"))
        return data


class FiveOneForm(CrispyForm):
    submit_label = _("登记")

    item = forms.ChoiceField(label=_("项目"), choices=FiveOne.Item.choices)
    done_on = date_field(_("完成日期"))
    title = OneLineCharField(
        label=_("内容"), max_length=150, help_text=_("书名、报告题目、基地名称、调研或建议题目")
    )
    evidence = forms.FileField(
        label=_("佐证材料"),
        required=False,
        validators=[UploadValidator(kinds=DOCUMENTS + IMAGES)],
        help_text=_("照片、心得、证书等（PDF、Word 或图片）"),
    )
    note = OneLineCharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.year = year

    def clean_done_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["done_on"]
        if day.year != self.year:
            raise forms.ValidationError(_("完成日期应在 %(year)s 年内。") % {"year": self.year})
        return day
