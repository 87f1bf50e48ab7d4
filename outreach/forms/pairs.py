"""Forms of friendship pairs, contacts and heart-to-heart talks. The services check and
save; these forms parse and offer the choices the user may make."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from outreach.forms.learning import FigureChoiceField
from outreach.models import Contact, Figure, FriendshipPair, Talk
from portal.lib.forms import CrispyForm, OneLineCharField, PersonChoiceField, date_field
from portal.models import CPC_STATUSES, Person
from portal.widgets import QuickSelect


class FiguresField(forms.ModelMultipleChoiceField[Figure]):
    def label_from_instance(self, obj: Figure) -> str:
        return f"{obj.person.name}（{obj.person.unit.name}）"


class PairForm(CrispyForm):
    submit_label = _("安排结对")

    leader = PersonChoiceField(label=_("联系领导"), queryset=Person.objects.none())
    figure = FigureChoiceField(label=_("联系对象"), queryset=Figure.objects.none())
    start_date = date_field(_("结对日期"))
    note = OneLineCharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        leader = self.fields["leader"]
        assert isinstance(leader, PersonChoiceField)
        leader.queryset = Person.objects.filter(
            political_status__in=CPC_STATUSES, is_active=True
        ).select_related("unit")
        leader.widget = QuickSelect(attrs={"class": "form-select"})
        leader.widget.choices = leader.choices
        figure = self.fields["figure"]
        assert isinstance(figure, FigureChoiceField)
        figure.queryset = Figure.objects.active().select_related("person__unit")
        figure.widget = QuickSelect(attrs={"class": "form-select"})
        figure.widget.choices = figure.choices


class PairEndForm(CrispyForm):
    submit_label = _("结束结对")

    end_date = date_field(_("结束日期"))
    reason = OneLineCharField(
        label=_("原因"), max_length=100, required=False, help_text=_("如：工作调整、退休")
    )


class _RecordForm(CrispyForm):
    """What a contact and a talk share: who (the leader; the office picks, a leader is
    themself), with whom, when and where."""

    leader = PersonChoiceField(label=_("联系领导"), queryset=Person.objects.none())
    figures = FiguresField(label=_("联系对象"), queryset=Figure.objects.none())
    date = date_field(_("日期"))
    place = OneLineCharField(label=_("地点"), max_length=100, required=False)

    def __init__(
        self,
        *args: Any,
        leaders: QuerySet[Person] | None,
        figures: QuerySet[Figure],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if leaders is None:  # a leader records for themself
            del self.fields["leader"]
        else:
            leader = self.fields["leader"]
            assert isinstance(leader, PersonChoiceField)
            leader.queryset = leaders
            leader.widget = QuickSelect(attrs={"class": "form-select"})
            leader.widget.choices = leader.choices
        field = self.fields["figures"]
        assert isinstance(field, FiguresField)
        field.queryset = figures
        if figures.count() <= 12:
            field.widget = forms.CheckboxSelectMultiple()
        else:
            field.widget = forms.SelectMultiple(attrs={"size": 10})
            field.help_text = _("按住 Ctrl 可选择多人")
        field.widget.choices = field.choices

    def cleandate_field(self) -> dt.date:
        day: dt.date = self.cleaned_data["date"]
        return day


class ContactForm(_RecordForm):
    submit_label = _("保存联系记录")

    kind = forms.ChoiceField(label=_("方式"), choices=Contact.Kind.choices)
    participants = OneLineCharField(label=_("其他参加人员"), max_length=200, required=False)
    summary = forms.CharField(
        label=_("情况摘要"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )

    field_order = ["leader", "figures", "kind", "date", "place", "participants", "summary"]


class TalkForm(_RecordForm):
    submit_label = _("保存谈话记录")

    mode = forms.ChoiceField(label=_("谈话形式"), choices=Talk.Mode.choices)
    topic = OneLineCharField(label=_("主题"), max_length=100, required=False)
    summary = forms.CharField(
        label=_("谈话情况"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    raised = forms.CharField(
        label=_("反映的意见建议"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("对方提出的意见、建议和困难，办公室据此跟进"),
    )

    field_order = ["leader", "figures", "mode", "date", "place", "topic", "summary", "raised"]


def recording_leaders() -> QuerySet[Person]:
    """Whom the office records for: everyone who leads a pair."""
    return (
        Person.objects.filter(pk__in=FriendshipPair.objects.values("leader_id"))
        .select_related("unit")
        .order_by("name")
    )


class BriefingForm(CrispyForm):
    submit_label = _("编发并报审")

    start = date_field(_("起始日期"))
    end = date_field(_("截止日期"))


class ContactEditForm(CrispyForm):
    """What a recorded contact may change: where, who else, what happened. Its leader,
    figures and date stay (they met a quota); a wrong one is recorded anew."""

    place = OneLineCharField(label=_("地点"), max_length=100, required=False)
    participants = OneLineCharField(label=_("其他参加人员"), max_length=200, required=False)
    summary = forms.CharField(
        label=_("情况摘要"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
