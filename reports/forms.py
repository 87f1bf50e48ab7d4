from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.lib.forms import form_helper
from reports.models import AnnualReport, AnnualReportSection


class AnnualReportCreateForm(forms.Form):
    year = forms.IntegerField(label=_("汇报年度"), min_value=2000, max_value=2100)
    title = forms.CharField(
        label=_("标题"),
        max_length=100,
        required=False,
        help_text=_("留空则为“某年统一战线工作情况汇报”"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("新建"))


class AnnualReportForm(forms.Form):
    """The title, the addressee, and each section's heading and body."""

    title = forms.CharField(label=_("标题"), max_length=100)
    addressee = forms.CharField(label=_("主送"), max_length=200, required=False)

    def __init__(
        self, *args: Any, report: AnnualReport, sections: list[AnnualReportSection], **kwargs: Any
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                "title": report.title,
                "addressee": report.addressee,
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
        self.helper = form_helper(_("保存"))

    def section_data(self) -> dict[int, dict[str, str]]:
        return {
            s.pk: {
                "heading": self.cleaned_data[f"heading_{s.pk}"],
                "body": self.cleaned_data[f"body_{s.pk}"],
            }
            for s in self.sections
        }
