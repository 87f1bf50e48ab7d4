"""Forms of the roster and the work points. They parse and offer choices; the services
validate and save."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from groups.models import EVIDENCE_VALIDATOR, WorkPoints, WorkPointsItem, WorkPointsSection
from groups.services import Category
from portal.forms import ImportForm as ImportForm  # the groups' imports use it
from portal.lib.forms import Crispy, PersonChoiceField
from portal.models import Person, Unit
from portal.uploads import max_upload_bytes

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SeatStartForm(Crispy, forms.Form):
    """Appoint someone to any seat: group, office or a branch's commissioner."""

    submit_label = gettext_lazy("任命")

    category = forms.ChoiceField(label=gettext_lazy("类别"))
    person = PersonChoiceField(
        with_title=True,
        label=gettext_lazy("人员"),
        queryset=Person.objects.filter(is_active=True)
        .select_related("unit")
        .order_by("unit__sort_order", "name"),
    )
    unit = forms.ModelChoiceField(
        label=gettext_lazy("单位"),
        queryset=Unit.objects.filter(is_active=True),
        help_text=gettext_lazy(
            "成员所代表的单位、办公室成员所在部门或统战委员所在党总支；校领导选“学院领导”"
        ),
    )
    post = forms.CharField(
        label=gettext_lazy("职务"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("据以任职的职务，如：党委书记、院长、宣传部部长、党总支书记"),
    )
    start_date = forms.DateField(label=gettext_lazy("开始日期"), widget=DATE_WIDGET)
    end_date = forms.DateField(
        label=gettext_lazy("结束日期"),
        widget=DATE_WIDGET,
        required=False,
        help_text=gettext_lazy("已知任期结束时填写；留空表示至今"),
    )
    note = forms.CharField(label=gettext_lazy("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "---------"), *Category.choices()]
        self.setup_helper()


class SeatEndForm(Crispy, forms.Form):
    submit_label = gettext_lazy("结束任职")

    end_date = forms.DateField(
        label=gettext_lazy("结束日期"),
        widget=DATE_WIDGET,
        help_text=gettext_lazy("任职的最后一天。接任者从次日开始任职。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()


class TermForm(Crispy, forms.Form):
    submit_label = gettext_lazy("开始新一届")

    term_start = forms.DateField(label=gettext_lazy("任期开始"), widget=DATE_WIDGET)
    term_end = forms.DateField(label=gettext_lazy("任期结束"), widget=DATE_WIDGET, required=False)
    basis = forms.CharField(
        label=gettext_lazy("成立（调整）文件"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("如：X委〔2026〕12号"),
    )
    office_unit = forms.ModelChoiceField(
        label=gettext_lazy("办公室设在"),
        queryset=Unit.objects.filter(is_active=True, kind=Unit.Kind.DEPARTMENT),
        required=False,
        help_text=gettext_lazy("留空则与上一届相同"),
    )
    carry_over = forms.BooleanField(
        label=gettext_lazy("现任人员全部转入新一届（之后再逐个调整）"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()


class WorkPointsForm(Crispy, forms.ModelForm[WorkPoints]):
    class Meta:
        model = WorkPoints
        fields = ["year", "title", "preamble"]
        widgets = {"preamble": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = _("留空则为“某年统战工作要点”")
        if self.instance.pk:
            self.fields.pop("year")
        else:
            self.initial.setdefault("year", _plan_year(timezone.localdate()))
        self.setup_helper()


def _plan_year(today: dt.date) -> int:
    """From October on, the office starts on next year's plan."""
    return today.year + 1 if today.month >= 10 else today.year


class SectionForm(Crispy, forms.ModelForm[WorkPointsSection]):
    class Meta:
        model = WorkPointsSection
        fields = ["title"]
        help_texts = {
            "title": gettext_lazy("不含序号，如：以政治建设为统领，巩固……共同思想政治基础")
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()


class ItemForm(Crispy, forms.Form):
    # The fields handed to work_points_item_create / _update by name.
    FIELDS = ("section", "title", "body", "lead_unit", "co_units")

    section = forms.ModelChoiceField(
        label=gettext_lazy("所属部分"), queryset=WorkPointsSection.objects.none()
    )
    title = forms.CharField(
        label=gettext_lazy("事项"), max_length=100, help_text=gettext_lazy("如：持续强化政治引领")
    )
    body = forms.CharField(label=gettext_lazy("内容"), widget=forms.Textarea(attrs={"rows": 6}))
    lead_unit = forms.ModelChoiceField(
        label=gettext_lazy("牵头部门"), queryset=Unit.objects.filter(is_active=True)
    )
    co_units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("配合部门"),
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "unit-checkbox"}),
    )

    def __init__(self, *args: Any, plan: WorkPoints, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        section = self.fields["section"]
        assert isinstance(section, forms.ModelChoiceField)
        section.queryset = plan.sections.order_by("position")
        section.label_from_instance = lambda obj: obj.heading  # type: ignore[method-assign]
        self.setup_helper()

    @staticmethod
    def initial_for(item: WorkPointsItem) -> dict[str, Any]:
        return {
            "section": item.section_id,
            "title": item.title,
            "body": item.body,
            "lead_unit": item.lead_unit_id,
            "co_units": [unit.pk for unit in item.co_units.all()],
        }


class ProgressReportForm(Crispy, forms.Form):
    submit_label = gettext_lazy("提交进展")

    unit = forms.ModelChoiceField(label=gettext_lazy("报告单位"), queryset=Unit.objects.none())
    percent = forms.IntegerField(
        label=gettext_lazy("完成进度（%）"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"step": 5}),
    )
    text = forms.CharField(
        label=gettext_lazy("进展情况"),
        max_length=5000,  # services.REPORT_TEXT_MAX
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("做了什么、取得什么效果、下一步安排。"),
    )
    # The model field's validator, so the form shows its message before the service runs.
    evidence = forms.FileField(
        label=gettext_lazy("佐证材料"), required=False, validators=[EVIDENCE_VALIDATOR]
    )

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = Unit.objects.filter(pk__in=[u.pk for u in units])
        if len(units) == 1:
            unit.initial = units[0].pk
        evidence = self.fields["evidence"]
        evidence.help_text = _("可选。支持 %(types)s，不超过 %(limit)s。") % {
            "types": EVIDENCE_VALIDATOR.label,
            "limit": filesizeformat(max_upload_bytes()),
        }
        evidence.widget.attrs["accept"] = ",".join(EVIDENCE_VALIDATOR.kinds)
        self.setup_helper()
