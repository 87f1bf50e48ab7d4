"""Forms of suggestions: recording one, and the small form of each step."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from outreach.forms.learning import FigureChoiceField
from outreach.models import Figure, Suggestion
from portal.lib.forms import CrispyForm, OneLineCharField, date_field
from portal.models import Unit
from portal.widgets import QuickSelect


def _text(label: Any, *, required: bool = True, rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=5000,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class SuggestionForm(CrispyForm):
    submit_label = _("登记意见建议")

    title = OneLineCharField(label=_("标题"), max_length=100)
    content = _text(_("意见建议内容"), rows=6)
    figure = FigureChoiceField(label=_("提出人"), queryset=Figure.objects.none(), required=False)
    raised_by = OneLineCharField(
        label=_("提出人（非登记人员）"),
        max_length=100,
        required=False,
        help_text=_("提出人未在党外人士名册中时填写，如：民盟支部、全体无党派教师"),
    )
    source = forms.ChoiceField(label=_("来源"), choices=Suggestion.Source.choices)
    raised_on = date_field(_("提出日期"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["figure"]
        assert isinstance(field, FigureChoiceField)
        field.queryset = Figure.objects.active().select_related("person__unit")
        field.widget = QuickSelect(attrs={"class": "form-select"})
        field.widget.choices = field.choices


class AssignForm(CrispyForm):
    submit_label = _("交办")

    lead_unit = forms.ModelChoiceField(label=_("牵头办理单位"), queryset=Unit.objects.none())
    co_units = forms.ModelMultipleChoiceField(
        label=_("协办单位"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("可不选；按住 Ctrl 可选择多个"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(is_active=True).order_by("sort_order", "name")
        lead = self.fields["lead_unit"]
        assert isinstance(lead, forms.ModelChoiceField)
        lead.queryset = units
        lead.widget = QuickSelect(attrs={"class": "form-select"})
        lead.widget.choices = lead.choices
        co = self.fields["co_units"]
        assert isinstance(co, forms.ModelMultipleChoiceField)
        co.queryset = units


class ReasonForm(CrispyForm):
    reason = _text(_("理由"), rows=3)


class AnswerForm(CrispyForm):
    submit_label = _("提交答复")

    answer = _text(_("办理答复"), rows=8)


class ReviewForm(CrispyForm):
    comment = _text(_("审核意见"), required=False, rows=3)


class FeedbackForm(CrispyForm):
    submit_label = _("记录反馈")

    feedback_on = date_field(_("反馈日期"))
    means = forms.ChoiceField(label=_("反馈方式"), choices=Suggestion.FeedbackMeans.choices)
    feedback_by = OneLineCharField(label=_("反馈人"), max_length=50)
    satisfaction = forms.ChoiceField(label=_("满意度"), choices=Suggestion.Satisfaction.choices)
    note = _text(_("反馈情况"), required=False, rows=3)
