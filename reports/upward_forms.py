"""Forms of the experience, briefing and information pages. The services check the
rules and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from portal.lib.forms import CrispyForm, OneLineCharField, date_field
from portal.models import Unit
from portal.uploads import EVIDENCE, UploadValidator
from reports.models import Experience, InformationReport


def _text(label: Any, *, rows: int = 6, required: bool = True, help_text: Any = "") -> Any:
    return forms.CharField(
        label=label,
        max_length=20000,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class _UnitChoice(CrispyForm):
    """A form with a unit to choose among `units` (hidden when there is only one)."""

    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, units: QuerySet[Unit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is None:
            del self.fields["unit"]
            return
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units
        if "unit" not in self.initial and len(units) == 1:
            self.initial["unit"] = units[0].pk


class ExperienceForm(_UnitChoice):
    submit_label = _("保存")

    title = OneLineCharField(label=_("标题"), max_length=200)
    summary = OneLineCharField(label=_("摘要"), max_length=500, required=False)
    body = _text(_("正文"), rows=10, help_text=_("空一行分段。"))
    attachment = forms.FileField(
        label=_("附件"),
        required=False,
        validators=[UploadValidator(kinds=EVIDENCE)],
        help_text=_("可不传；PDF、Word、Excel 或图片"),
    )

    field_order = ["unit", "title", "summary", "body", "attachment"]


class ReasonForm(CrispyForm):
    submit_label = _("确定")

    reason = _text(_("原因"), rows=3)


class ConfirmForm(CrispyForm):
    """A step that asks nothing (a confirmation)."""

    submit_label = _("确定")


class ReportUpwardForm(CrispyForm):
    submit_label = _("报送上级")

    reported_on = date_field(_("报送日期"))
    reported_to = OneLineCharField(
        label=_("报送单位"),
        max_length=200,
        help_text=_("如：上级党委统一战线工作领导小组办公室"),
    )


class PublishForm(CrispyForm):
    submit_label = _("登记刊发")

    outlet = OneLineCharField(
        label=_("刊发载体"), max_length=200, help_text=_("如：自治区党委统战部《统战工作简报》")
    )
    published_on = date_field(_("刊发日期"))


class SpeechForm(CrispyForm):
    submit_label = _("安排交流发言")

    meeting = OneLineCharField(
        label=_("会议"),
        max_length=200,
        help_text=_("如：2026年统一战线工作领导小组全体会议（大会发言或书面交流）"),
    )
    speech_on = date_field(_("日期"))


class BriefingForm(CrispyForm):
    submit_label = _("保存")

    title = OneLineCharField(label=_("标题"), max_length=100)
    addressee = OneLineCharField(label=_("主送"), max_length=200, required=False)
    foreword = _text(_("编者按"), rows=4, required=False, help_text=_("可不填；空一行分段。"))
    experiences = forms.ModelMultipleChoiceField(
        label=_("收录的经验做法"),
        queryset=Experience.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("按所列顺序编入；只列已入选的经验做法"),
    )

    def __init__(self, *args: Any, experiences: QuerySet[Experience], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["experiences"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = experiences
        field.label_from_instance = lambda e: f"{e.title}（{e.unit.name}）"  # type: ignore[method-assign,assignment]


class InformationForm(_UnitChoice):
    submit_label = _("保存")

    title = OneLineCharField(label=_("标题"), max_length=200)
    body = _text(_("正文"), rows=10)

    field_order = ["unit", "title", "body"]


class SendForm(CrispyForm):
    submit_label = _("报送上级")

    sent_on = date_field(_("报送日期"))
    sent_to = OneLineCharField(
        label=_("报送对象"), max_length=200, help_text=_("如：自治区党委统战部信息处")
    )


class AdoptForm(CrispyForm):
    submit_label = _("登记采用")

    level = forms.ChoiceField(label=_("采用层级"), choices=InformationReport.Level.choices)
    outlet = OneLineCharField(
        label=_("采用载体"), max_length=200, help_text=_("如：《统战信息》第12期")
    )
    adopted_on = date_field(_("采用日期"))
