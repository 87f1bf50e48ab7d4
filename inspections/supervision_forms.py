"""Forms of the supervision-case pages (督促检查). The services check the rules and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from inspections.models import InspectionItem
from portal.lib.forms import CrispyForm, OneLineCharField, date_field
from portal.models import Unit, User
from portal.uploads import EVIDENCE, UploadValidator
from portal.widgets import QuickSelect


class CaseForm(CrispyForm):
    submit_label = _("保存方案")

    title = OneLineCharField(label=_("督查名称"), max_length=200)
    scope = forms.CharField(
        label=_("督查范围和内容"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )
    units = forms.ModelMultipleChoiceField(
        label=_("被督查单位"), queryset=Unit.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    items = forms.ModelMultipleChoiceField(
        label=_("督查事项"),
        queryset=InspectionItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("从上级督查事项清单中选择（清单由办公室在后台维护）"),
    )
    local_items = forms.CharField(
        label=_("其他督查事项"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("根据工作需要增加的事项，每行一项"),
    )
    team_lead = OneLineCharField(label=_("工作组组长"), max_length=100)
    team = forms.CharField(
        label=_("工作组成员"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("姓名及所在单位，用顿号分隔"),
    )
    period_start = date_field(_("督查开始日期"))
    period_end = date_field(_("督查结束日期"), help_text=_("督查报告须在结束后20个工作日内形成"))

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit],
        items: QuerySet[InspectionItem],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        chosen_units = self.fields["units"]
        assert isinstance(chosen_units, forms.ModelMultipleChoiceField)
        chosen_units.queryset = units
        chosen_items = self.fields["items"]
        assert isinstance(chosen_items, forms.ModelMultipleChoiceField)
        chosen_items.queryset = items

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("督查结束日期不能早于开始日期。"))
        return data


class ApproveForm(CrispyForm):
    submit_label = _("批准")

    note = forms.CharField(
        label=_("批准意见"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("不填写则为“同意”"),
    )


class DelegateForm(CrispyForm):
    submit_label = _("委托")

    to = forms.ModelChoiceField(label=_("委托副组长"), queryset=User.objects.none())

    def __init__(self, *args: Any, deputies: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        to = self.fields["to"]
        assert isinstance(to, forms.ModelChoiceField)
        to.queryset = deputies
        to.label_from_instance = lambda user: user.display_name  # type: ignore[method-assign,assignment]


class ConfirmForm(CrispyForm):
    submit_label = _("确定")


class CloseForm(CrispyForm):
    submit_label = _("办结")

    note = forms.CharField(
        label=_("办结说明"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FindingForm(CrispyForm):
    submit_label = _("登记")

    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none())
    item = forms.ModelChoiceField(
        label=_("督查事项"), queryset=InspectionItem.objects.none(), required=False
    )
    item_text = OneLineCharField(
        label=_("其他督查事项"), max_length=200, required=False, help_text=_("不在清单中的事项")
    )
    text = forms.CharField(
        label=_("检查情况"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )
    is_problem = forms.BooleanField(label=_("存在问题"), required=False)
    is_outstanding = forms.BooleanField(label=_("突出问题，列入督查通报"), required=False)
    evidence = forms.FileField(
        label=_("佐证材料"),
        required=False,
        validators=[UploadValidator(kinds=EVIDENCE)],
        help_text=_("PDF、Word、Excel 或图片"),
    )

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit],
        items: QuerySet[InspectionItem],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = units
        unit.widget = QuickSelect(attrs={"class": "form-select"})
        unit.widget.choices = unit.choices
        item = self.fields["item"]
        assert isinstance(item, forms.ModelChoiceField)
        item.queryset = items


class AssignForm(CrispyForm):
    submit_label = _("交办整改")

    title = OneLineCharField(label=_("整改事项"), max_length=200)
    measures = forms.CharField(
        label=_("整改措施"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一项，逐项报告完成情况、逐项核验"),
    )
    due = date_field(_("整改时限"))


class InstructionForm(CrispyForm):
    submit_label = _("登记批示")

    author = OneLineCharField(
        label=_("批示人"), max_length=100, required=False, help_text=_("校党委的批示，填写批示领导")
    )
    text = forms.CharField(
        label=_("批示意见"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    given_on = date_field(_("批示日期"))

    def __init__(self, *args: Any, for_office: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not for_office:  # a leader's own instruction: they are its author
            del self.fields["author"]


class PaperForm(CrispyForm):
    submit_label = _("保存")

    body = forms.CharField(
        label=_("正文"),
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_("空行分段；以“一、”开头的段落为一级标题"),
    )
    to_party_committee = forms.BooleanField(label=_("视情报校党委（抄送校党委）"), required=False)

    def __init__(self, *args: Any, is_report: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not is_report:
            del self.fields["to_party_committee"]
