"""Forms of the rectification pages. The services check the rule and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from inspections.models import Measure, Rectification
from portal.lib.forms import CrispyForm, OneLineCharField, date_field
from portal.models import Unit
from portal.uploads import EVIDENCE, UploadValidator
from portal.widgets import QuickSelect


class RectificationForm(CrispyForm):
    submit_label = _("交办")

    unit = forms.ModelChoiceField(label=_("整改单位"), queryset=Unit.objects.none())
    source = forms.ChoiceField(label=_("问题来源"), choices=Rectification.Source.choices)
    title = OneLineCharField(label=_("整改事项"), max_length=200)
    problem = forms.CharField(
        label=_("存在问题"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )
    measures = forms.CharField(
        label=_("整改措施"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("每行一项，逐项报告完成情况、逐项核验"),
    )
    due = date_field(_("整改时限"))

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = units
        unit.widget = QuickSelect(attrs={"class": "form-select"})
        unit.widget.choices = unit.choices


class RectificationEditForm(CrispyForm):
    submit_label = _("保存")

    title = OneLineCharField(label=_("整改事项"), max_length=200)
    problem = forms.CharField(
        label=_("存在问题"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )
    due = date_field(
        _("整改时限"), help_text=_("整改单位申请延期的，在期限页面审批，批准后自动顺延")
    )


class ConclusionForm(CrispyForm):
    submit_label = _("销号")

    conclusion = forms.CharField(
        label=_("销号意见"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ReasonForm(CrispyForm):
    submit_label = _("确定")

    reason = forms.CharField(
        label=_("原因"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MeasureReportForm(CrispyForm):
    submit_label = _("报告完成")

    report = forms.CharField(
        label=_("完成情况"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("佐证材料请在“报告进展”中上传"),
    )


class AcceptForm(CrispyForm):
    """Verifying asks nothing more than the button."""

    submit_label = _("核验通过")


class ProgressForm(CrispyForm):
    submit_label = _("报告进展")

    measure = forms.ModelChoiceField(
        label=_("整改措施"),
        queryset=Measure.objects.none(),
        required=False,
        empty_label=_("（整体进展）"),
    )
    text = forms.CharField(
        label=_("进展情况"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence = forms.FileField(
        label=_("佐证材料"),
        required=False,
        validators=[UploadValidator(kinds=EVIDENCE)],
        help_text=_("PDF、Word、Excel 或图片"),
    )

    def __init__(self, *args: Any, measures: QuerySet[Measure], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        measure = self.fields["measure"]
        assert isinstance(measure, forms.ModelChoiceField)
        measure.queryset = measures
        measure.label_from_instance = lambda m: f"{m.position}. {m.text[:60]}"  # type: ignore[assignment]
