from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.lib.forms import Crispy, date_field
from reports.models import DraftedReport, DraftedSection


class AnnualReportCreateForm(Crispy, forms.Form):
    submit_label = _("新建")

    year = forms.IntegerField(label=_("汇报年度"), min_value=2000, max_value=2100)
    title = forms.CharField(
        label=_("标题"),
        max_length=100,
        required=False,
        help_text=_("留空则为“某年统一战线工作情况汇报”"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()


class AnnualReportForm(Crispy, forms.Form):
    """The title, the addressee, and each section's heading and body."""

    title = forms.CharField(label=_("标题"), max_length=100)
    addressee = forms.CharField(label=_("主送"), max_length=200, required=False)
    report_fields: tuple[str, ...] = ("title", "addressee")

    def __init__(
        self, *args: Any, report: DraftedReport, sections: Sequence[DraftedSection], **kwargs: Any
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                **{name: getattr(report, name) for name in self.report_fields},
                **{f"heading_{s.pk}": s.heading for s in sections},
                **{f"body_{s.pk}": s.body for s in sections},
            },
        )
        super().__init__(*args, **kwargs)
        self.sections = sections
        for section in sections:
            self.fields[f"heading_{section.pk}"] = forms.CharField(
                label=_("第%(n)s部分标题") % {"n": section.numbered_heading.split("、")[0]},
                max_length=100,
            )
            self.fields[f"body_{section.pk}"] = forms.CharField(
                label=_("内容"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 8}),
                help_text=_("空一行分段。"),
            )
        self.setup_helper()

    def section_data(self) -> dict[int, dict[str, str]]:
        return {
            s.pk: {
                "heading": self.cleaned_data[f"heading_{s.pk}"],
                "body": self.cleaned_data[f"body_{s.pk}"],
            }
            for s in self.sections
        }


class SelfReportCreateForm(Crispy, forms.Form):
    """An upper level announced an inspection: what it is, the year reported on, and
    when the report is due."""

    submit_label = _("新建")

    inspection = forms.CharField(
        label=_("督查事项"),
        max_length=200,
        help_text=_("上级通知的名称或督查内容，如“关于做好统战工作专项督查准备工作的通知”"),
    )
    year = forms.IntegerField(label=_("汇报年度"), min_value=2000, max_value=2100)
    due_on = date_field(_("材料报送截止日期"))
    addressee = forms.CharField(label=_("主送"), max_length=200, required=False)
    title = forms.CharField(
        label=_("标题"),
        max_length=100,
        required=False,
        help_text=_("留空则为“某年统一战线工作情况汇报提纲”"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()


class SelfReportForm(AnnualReportForm):
    """The annual report's form, with the inspection, the due date and the opening."""

    inspection = forms.CharField(label=_("督查事项"), max_length=200)
    due_on = date_field(_("材料报送截止日期"))
    opening = forms.CharField(
        label=_("开头语"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("空一行分段。"),
    )
    report_fields = ("title", "addressee", "inspection", "due_on", "opening")
