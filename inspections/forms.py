"""Forms of the rectification pages. The services check the rule and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from inspections.models import Admonition, AdmonitionTrigger, Measure, Rectification
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


class AdmonitionForm(CrispyForm):
    submit_label = _("提出通报约谈")

    unit = forms.ModelChoiceField(label=_("约谈单位"), queryset=Unit.objects.none())
    triggers = forms.ModelMultipleChoiceField(
        label=_("约谈情形"),
        queryset=AdmonitionTrigger.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    facts = forms.CharField(
        label=_("存在问题"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )
    partners = OneLineCharField(
        label=_("会同部门"), max_length=200, required=False, help_text=_("视情会同校有关部门")
    )

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit],
        triggers: QuerySet[AdmonitionTrigger],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = units
        unit.widget = QuickSelect(attrs={"class": "form-select"})
        unit.widget.choices = unit.choices
        chosen = self.fields["triggers"]
        assert isinstance(chosen, forms.ModelMultipleChoiceField)
        chosen.queryset = triggers


class TalkForm(CrispyForm):
    submit_label = _("登记约谈")

    talk_on = date_field(_("约谈日期"))
    participants = forms.CharField(
        label=_("参加人员"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    record = forms.CharField(
        label=_("约谈记录"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6})
    )


class AdmonitionReportForm(CrispyForm):
    submit_label = _("报送整改报告")

    report = forms.CharField(
        label=_("整改落实情况"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("对照存在问题自查自纠的情况和采取的整改措施"),
    )
    report_file = forms.FileField(
        label=_("书面报告"),
        required=False,
        validators=[UploadValidator(kinds=EVIDENCE)],
        help_text=_("盖章的书面报告扫描件等：PDF、Word、Excel 或图片"),
    )


class ConcludeForm(CrispyForm):
    submit_label = _("审核办结")

    verdict = forms.ChoiceField(
        label=_("办理结论"), choices=Admonition.Verdict.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("办理意见"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    measures = forms.CharField(
        label=_("整改措施"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("转交办整改的填写，每行一项"),
    )
    due = date_field(_("整改时限"), required=False, help_text=_("转交办整改的填写"))
