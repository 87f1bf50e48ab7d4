"""Forms of the research pages (调研指导联系点, 调研指导, 调研课题). The services check
the rules and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from inspections.models import RESEARCH_SUBJECT, ResearchTopic
from portal.lib.forms import CrispyForm, OneLineCharField, date_field
from portal.models import Person, Unit, User
from portal.uploads import EVIDENCE, UploadValidator
from portal.widgets import QuickSelect

FILE_HELP = _("PDF、Word、Excel 或图片")


def _text(label: Any, *, rows: int = 4, required: bool = True, help_text: Any = "") -> Any:
    return forms.CharField(
        label=label,
        max_length=20000,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _quick(field: forms.Field, queryset: QuerySet[Any]) -> None:
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset
    field.widget = QuickSelect(attrs={"class": "form-select"})
    field.widget.choices = field.choices


class ContactPointForm(CrispyForm):
    submit_label = _("保存")

    unit = forms.ModelChoiceField(label=_("联系点单位"), queryset=Unit.objects.none())
    since = date_field(_("设立日期"))
    contact = forms.ModelChoiceField(
        label=_("办公室联系人"), queryset=User.objects.none(), required=False
    )
    note = _text(_("备注"), rows=3, required=False)

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit],
        contacts: QuerySet[User],
        with_unit: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if with_unit:
            _quick(self.fields["unit"], units)
        else:
            del self.fields["unit"]
        contact = self.fields["contact"]
        assert isinstance(contact, forms.ModelChoiceField)
        contact.queryset = contacts
        contact.label_from_instance = lambda user: user.display_name  # type: ignore[assignment]


class ContactPointEndForm(CrispyForm):
    submit_label = _("撤销联系点")

    until = date_field(_("撤销日期"))


class VisitForm(CrispyForm):
    submit_label = _("保存")

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    subject = forms.CharField(
        label=_("调研主题"),
        max_length=300,
        initial=RESEARCH_SUBJECT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    plan = _text(_("调研方案"), rows=5, help_text=_("调研内容、方式、人员和日程安排"))
    units = forms.ModelMultipleChoiceField(
        label=_("调研单位"),
        queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("一般为调研指导联系点；按住 Ctrl 可选择多个"),
    )
    starts_on = date_field(_("开始日期"))
    ends_on = date_field(_("结束日期"), help_text=_("计划结束日期，结束时据实登记"))

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = self.fields["units"]
        assert isinstance(chosen, forms.ModelMultipleChoiceField)
        chosen.queryset = units


class FinishForm(CrispyForm):
    submit_label = _("结束调研")

    ends_on = date_field(_("结束日期"), help_text=_("报告须在结束后1个月内报领导小组"))
    findings = _text(_("调研发现"), rows=6, help_text=_("了解的情况、发现的问题和意见建议"))


class VisitReportForm(CrispyForm):
    submit_label = _("报送领导小组")

    report = _text(_("调研指导报告"), rows=8)
    report_file = forms.FileField(
        label=_("报告文件"),
        required=False,
        validators=[UploadValidator(kinds=EVIDENCE)],
        help_text=FILE_HELP,
    )


class SendUpwardForm(CrispyForm):
    submit_label = _("报上级部门")

    sent_on = date_field(_("报送日期"))
    sent_to = OneLineCharField(
        label=_("上级部门"), max_length=200, help_text=_("如：自治区党委统战部")
    )


class RespondForm(CrispyForm):
    submit_label = _("保存")

    response = _text(_("领导小组意见"), rows=5)


class VisitAssignForm(CrispyForm):
    """A problem the visit found, assigned as a rectification (source 调研指导)."""

    submit_label = _("交办整改")

    unit = forms.ModelChoiceField(label=_("整改单位"), queryset=Unit.objects.none())
    title = OneLineCharField(label=_("整改事项"), max_length=200)
    problem = _text(_("存在问题"), rows=5)
    measures = _text(_("整改措施"), rows=5, help_text=_("每行一项，逐项报告完成情况、逐项核验"))
    due = date_field(_("整改时限"))

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _quick(self.fields["unit"], units)


class ReasonForm(CrispyForm):
    submit_label = _("确定")

    reason = _text(_("原因"), rows=3)


class TopicForm(CrispyForm):
    submit_label = _("保存")

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = OneLineCharField(label=_("课题名称"), max_length=200)
    description = _text(_("研究内容"), rows=5)
    work_points_item = forms.ModelChoiceField(
        label=_("对应工作要点"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("（不对应具体事项）"),
    )
    origin = OneLineCharField(
        label=_("课题来源"),
        max_length=200,
        required=False,
        help_text=_("不对应工作要点的，写明来源，如：实际工作中出现的新问题新情况"),
    )
    unit = forms.ModelChoiceField(label=_("承担单位"), queryset=Unit.objects.none(), required=False)
    person = forms.ModelChoiceField(
        label=_("承担人（党外人士）"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("承担单位与承担人只填一项"),
    )

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit],
        people: QuerySet[Person],
        items: QuerySet[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _quick(self.fields["unit"], units)
        _quick(self.fields["person"], people)
        item = self.fields["work_points_item"]
        assert isinstance(item, forms.ModelChoiceField)
        item.queryset = items
        item.label_from_instance = lambda i: f"{i.plan.year}：{i.number}. {i.title}"  # type: ignore[assignment]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("unit") is None) == (data.get("person") is None):
            self.add_error("unit", _("请选择承担单位或承担人（党外人士）中的一项，且只选一项。"))
        return data


class TopicAssignForm(CrispyForm):
    submit_label = _("下达课题")

    due = date_field(
        _("完成时限"), required=False, help_text=_("可不填；填写的，到期前提醒承担单位")
    )


class TopicCompleteForm(CrispyForm):
    submit_label = _("报送成果")

    outcome_kind = forms.ChoiceField(
        label=_("成果形式"), choices=ResearchTopic.OutcomeKind.choices, widget=forms.RadioSelect
    )
    outcome = _text(_("研究成果"), rows=6, help_text=_("成果名称、主要观点和对策建议"))
    outcome_file = forms.FileField(
        label=_("成果文件"),
        required=False,
        validators=[UploadValidator(kinds=EVIDENCE)],
        help_text=FILE_HELP,
    )


class RecogniseForm(CrispyForm):
    submit_label = _("保存")

    sent_upward_on = date_field(_("报上级部门日期"), required=False)
    award = OneLineCharField(
        label=_("获奖情况"),
        max_length=200,
        required=False,
        help_text=_("如：自治区统战理论研究优秀成果二等奖"),
    )
