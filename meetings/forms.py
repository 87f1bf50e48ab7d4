"""Forms of the meetings app. They parse and offer choices; the services validate and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from meetings.models import AgendaItem, Attendance, FollowUpItem, Meeting, Topic
from portal.lib.forms import (
    Crispy,
    OneLineCharField,
    PersonChoiceField,
    refuse_control_characters,
)
from portal.models import Person, Unit
from portal.widgets import QuickSelect

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def people() -> Any:
    return (
        Person.objects.filter(is_active=True)
        .select_related("unit")
        .order_by("unit__sort_order", "name")
    )


class MeetingForm(Crispy, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("会议类型"), choices=Meeting.Kind.choices)
    title = OneLineCharField(label=gettext_lazy("会议名称"), max_length=200)
    starts_at = forms.DateTimeField(
        label=gettext_lazy("开始时间"), widget=DATETIME_WIDGET, input_formats=[DATETIME_FORMAT]
    )
    ends_at = forms.DateTimeField(
        label=gettext_lazy("结束时间"), widget=DATETIME_WIDGET, input_formats=[DATETIME_FORMAT]
    )
    place = forms.CharField(label=gettext_lazy("地点"), max_length=200)
    chair = PersonChoiceField(
        label=gettext_lazy("主持人"), queryset=people(), required=False, widget=QuickSelect
    )
    notes = forms.CharField(
        label=gettext_lazy("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()


class AttendanceForm(forms.Form):
    """One status/reason/represented-by triple per invited person (rendered as a table)."""

    def __init__(self, *args: Any, attendances: list[Attendance], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = []
        for attendance in attendances:
            key = attendance.pk
            self.fields[f"status_{key}"] = forms.ChoiceField(
                label=attendance.person.name,
                choices=Attendance.Status.choices,
                initial=attendance.status,
            )
            self.fields[f"reason_{key}"] = forms.CharField(
                label=gettext_lazy("请假事由"),
                required=False,
                max_length=200,
                initial=attendance.reason,
            )
            self.fields[f"represented_{key}"] = forms.CharField(
                label=gettext_lazy("委托出席人"),
                required=False,
                max_length=100,
                initial=attendance.represented_by,
            )
            self.rows.append(
                (
                    attendance,
                    self[f"status_{key}"],
                    self[f"reason_{key}"],
                    self[f"represented_{key}"],
                )
            )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        refuse_control_characters(self)  # a reason and a name are one line each
        return cleaned


class AgendaItemForm(Crispy, forms.Form):
    submit_label = gettext_lazy("加入议程")

    topic = forms.ModelChoiceField(
        label=gettext_lazy("已采纳的议题"),
        queryset=Topic.objects.none(),
        required=False,
        help_text=gettext_lazy("从议题征集中选择；或在下面直接填写议程"),
    )
    title = OneLineCharField(label=gettext_lazy("议程"), max_length=200, required=False)
    presenter = forms.CharField(label=gettext_lazy("汇报人"), max_length=100, required=False)

    def __init__(self, *args: Any, topics: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = topics  # type: ignore[attr-defined]
        self.setup_helper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("topic") and not (data.get("title") or "").strip():
            raise forms.ValidationError(gettext_lazy("请选择一个议题或填写议程。"))
        return data


class MaterialForm(Crispy, forms.Form):
    submit_label = gettext_lazy("上传")

    file = forms.FileField(label=gettext_lazy("会议材料"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()


class TopicForm(Crispy, forms.Form):
    submit_label = gettext_lazy("提交议题")

    title = OneLineCharField(label=gettext_lazy("议题"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("议题说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("提出的背景、需要领导小组研究解决的问题和建议"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()


DECISIONS = [
    (Topic.Status.ACCEPTED, Topic.Status.ACCEPTED.label),
    (Topic.Status.DEFERRED, Topic.Status.DEFERRED.label),
    (Topic.Status.DECLINED, Topic.Status.DECLINED.label),
]


class TopicDecisionForm(Crispy, forms.Form):
    submit_label = gettext_lazy("提交研究意见")

    status = forms.ChoiceField(
        label=gettext_lazy("研究意见"), choices=DECISIONS, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=gettext_lazy("理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("暂缓或不予采纳须说明理由"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()


class MinutesForm(forms.Form):
    """The opening, then discussion and decision per agenda item (rendered by hand)."""

    opening = forms.CharField(
        label=gettext_lazy("导语"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=gettext_lazy("如：会议听取了……，研究了……。现纪要如下。"),
    )

    def __init__(self, *args: Any, items: list[AgendaItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = []
        for item in items:
            self.fields[f"discussion_{item.pk}"] = forms.CharField(
                label=gettext_lazy("讨论情况"),
                required=False,
                initial=item.discussion,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            self.fields[f"decision_{item.pk}"] = forms.CharField(
                label=gettext_lazy("会议决定"),
                required=False,
                initial=item.decision,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.items.append((item, self[f"discussion_{item.pk}"], self[f"decision_{item.pk}"]))

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        refuse_control_characters(self)  # textareas: line breaks and tabs stay
        return cleaned

    def texts(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            item.pk: (data[f"discussion_{item.pk}"], data[f"decision_{item.pk}"])
            for item, _d, _e in self.items
        }


class FollowUpForm(Crispy, forms.Form):
    submit_label = gettext_lazy("交办")

    task = forms.CharField(label=gettext_lazy("督办内容"), widget=forms.Textarea(attrs={"rows": 3}))
    owner_unit = forms.ModelChoiceField(
        label=gettext_lazy("责任单位"),
        queryset=Unit.objects.filter(is_active=True),
        widget=QuickSelect,
    )
    # Opens the item's deadline in the engine (deadline_open(due=…)); later moved there.
    due = forms.DateField(label=gettext_lazy("办理期限"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()


class FollowUpUpdateForm(Crispy, forms.Form):
    submit_label = gettext_lazy("报告落实情况")

    status = forms.ChoiceField(
        label=gettext_lazy("办理状态"),
        choices=[
            (FollowUpItem.Status.IN_PROGRESS, FollowUpItem.Status.IN_PROGRESS.label),
            (FollowUpItem.Status.REPORTED, FollowUpItem.Status.REPORTED.label),
        ],
    )
    text = forms.CharField(label=gettext_lazy("落实情况"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()


class FollowUpCloseForm(Crispy, forms.Form):
    submit_label = gettext_lazy("办结")

    note = forms.CharField(
        label=gettext_lazy("办结意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()
