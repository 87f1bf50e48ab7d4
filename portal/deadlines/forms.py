"""Forms of the deadline pages: waive, ask for an extension, decide on one."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.lib.forms import CrispyForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WaiveForm(CrispyForm):
    submit_label = gettext_lazy("免除此期限")

    reason = forms.CharField(
        label=gettext_lazy("免除理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=gettext_lazy("如：上级通知本年度不再报送。理由记入修改记录。"),
    )

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError(_("请填写免除理由。"))
        return reason


class ExtensionRequestForm(CrispyForm):
    submit_label = gettext_lazy("提交延期申请")

    requested_due = forms.DateField(label=gettext_lazy("申请延至"), widget=DATE)
    reason = forms.CharField(
        label=gettext_lazy("延期理由"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )

    def __init__(self, *args: object, current_due: dt.date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.current_due = current_due

    def clean_requested_due(self) -> dt.date:
        value: dt.date = self.cleaned_data["requested_due"]
        if value <= self.current_due:
            raise forms.ValidationError(
                _("申请延至的日期须晚于原期限（%(due)s）。")
                % {"due": f"{self.current_due:%Y-%m-%d}"}
            )
        return value

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError(_("请填写延期理由。"))
        return reason


class ExtensionDecisionForm(CrispyForm):
    submit_label = gettext_lazy("提交审批意见")

    decision = forms.ChoiceField(
        label=gettext_lazy("审批"),
        choices=[("approve", gettext_lazy("同意延期")), ("refuse", gettext_lazy("不同意"))],
        widget=forms.RadioSelect,
    )
    granted_due = forms.DateField(
        label=gettext_lazy("批准延至"),
        widget=DATE,
        required=False,
        help_text=gettext_lazy("留空即按申请的日期。"),
    )
    note = forms.CharField(
        label=gettext_lazy("审批意见"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )

    def __init__(self, *args: object, current_due: dt.date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.current_due = current_due

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        granted = data.get("granted_due")
        approving = data.get("decision") == "approve"
        if approving and isinstance(granted, dt.date) and granted <= self.current_due:
            self.add_error(
                "granted_due",
                _("批准延至的日期须晚于原期限（%(due)s）。")
                % {"due": f"{self.current_due:%Y-%m-%d}"},
            )
        return data
