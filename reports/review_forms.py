"""Forms of the performance review (述职评议): opening a round, a unit's report, the
office's rating table, a member's ballot, a letter's text and the steps' reasons."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from portal.lib.forms import CrispyForm, date_field
from portal.models import Unit
from reports.models import Grade, PerformanceReportItem, Rating, ReviewRound


class RoundForm(CrispyForm):
    submit_label = _("发起述职评议")

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("类别"), choices=ReviewRound.Kind.choices)
    title = forms.CharField(label=_("名称"), max_length=100)
    due_on = date_field(_("述职报告报送截止日期"))
    excellent_cap = forms.IntegerField(
        label=_("“优秀”比例上限（%）"),
        min_value=0,
        max_value=100,
        help_text=_("如 30 表示“优秀”不超过参评单位的30%。"),
    )
    note = forms.CharField(
        label=_("述职要求"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("如：对照年度工作要点和统战工作职责，报告落实情况、存在问题和下一步打算。"),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("参评单位"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("默认为在领导小组中有成员的单位。"),
    )

    def __init__(self, *args: Any, units: QuerySet[Unit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is None:  # editing: the units are fixed once the round is open
            for name in ("year", "kind", "units"):
                del self.fields[name]
            self.submit_label = _("保存")
            self.setup_helper()
        else:
            self.fields["units"].queryset = units  # type: ignore[attr-defined]


class ReportForm(CrispyForm):
    """The unit's report: what it did on each of its work-points items, its duties,
    problems and plans. 保存 keeps a draft; 保存并报送 sends it to the unit's head."""

    submit_label = _("保存")

    duties = forms.CharField(
        label=_("履行统战工作职责情况"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("如：党外人士联系交友、意见建议办理、统战信息报送、宣传教育等。"),
    )
    plans = forms.CharField(
        label=_("存在问题和下一步打算"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, entries: Iterable[PerformanceReportItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entries = list(entries)
        for entry in self.entries:
            self.fields[f"item_{entry.pk}"] = forms.CharField(
                label=f"{entry.item.number}. {entry.item.title}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.initial.setdefault(f"item_{entry.pk}", entry.text)
        # the items first, as the report reads
        order = [f"item_{entry.pk}" for entry in self.entries] + ["duties", "plans"]
        self.order_fields(order)

    def item_texts(self) -> dict[int, str]:
        return {entry.pk: self.cleaned_data[f"item_{entry.pk}"] for entry in self.entries}


class RatingForm(CrispyForm):
    """The office's rating table: a grade, a score and a comment per unit."""

    submit_label = _("保存测评结果")

    def __init__(self, *args: Any, ratings: Iterable[Rating], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ratings = list(ratings)
        for rating in self.ratings:
            name = rating.unit.name
            self.fields[f"grade_{rating.unit_id}"] = forms.ChoiceField(
                label=_("%(unit)s 等次") % {"unit": name},
                choices=[("", "—"), *Grade.choices],
                required=False,
            )
            self.fields[f"score_{rating.unit_id}"] = forms.DecimalField(
                label=_("%(unit)s 得分") % {"unit": name},
                min_value=Decimal(0),
                max_value=Decimal(100),
                decimal_places=2,
                required=False,
            )
            self.fields[f"comment_{rating.unit_id}"] = forms.CharField(
                label=_("%(unit)s 点评意见") % {"unit": name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.initial.setdefault(f"grade_{rating.unit_id}", rating.grade)
            self.initial.setdefault(f"score_{rating.unit_id}", rating.score)
            self.initial.setdefault(f"comment_{rating.unit_id}", rating.comment)

    def rows(self) -> dict[int, dict[str, Any]]:
        data = self.cleaned_data
        return {
            r.unit_id: {
                "grade": data[f"grade_{r.unit_id}"],
                "score": data[f"score_{r.unit_id}"],
                "comment": data[f"comment_{r.unit_id}"],
            }
            for r in self.ratings
        }


class BallotForm(CrispyForm):
    """A member's anonymous ballot: one grade per unit."""

    submit_label = _("投票")

    def __init__(self, *args: Any, units: Iterable[Unit], cap: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = list(units)
        for unit in self.units:
            self.fields[f"unit_{unit.pk}"] = forms.ChoiceField(
                label=unit.name, choices=Grade.choices, widget=forms.RadioSelect
            )
        self.cap = cap

    def grades(self) -> dict[int, str]:
        return {unit.pk: self.cleaned_data[f"unit_{unit.pk}"] for unit in self.units}


class StartRatingForm(CrispyForm):
    submit_label = _("开始测评")

    method = forms.ChoiceField(
        label=_("测评方式"),
        choices=ReviewRound.Method.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "无记名测评：领导小组成员各投一票，收到至少5张票后才显示结果，投票人与选票分开保存。"
        ),
    )


class ConfirmForm(CrispyForm):
    submit_label = _("确认")


class ReasonForm(CrispyForm):
    submit_label = _("确定")

    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


class ReturnForm(CrispyForm):
    submit_label = _("退回修改")

    note = forms.CharField(label=_("退回意见"), widget=forms.Textarea(attrs={"rows": 3}))


class PaperForm(CrispyForm):
    submit_label = _("保存")

    body = forms.CharField(
        label=_("正文"), widget=forms.Textarea(attrs={"rows": 12}), help_text=_("空一行分段。")
    )


class StatementsPrepareForm(CrispyForm):
    submit_label = _("起草目标责任书")

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    units = forms.ModelMultipleChoiceField(
        label=_("单位"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("已有该年度目标责任书的单位不会重复起草。"),
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units  # type: ignore[attr-defined]


class StatementForm(CrispyForm):
    targets = forms.CharField(
        label=_("统战工作职责和目标"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("每行一项。"),
    )
    items = forms.ModelMultipleChoiceField(
        label=_("承担的工作要点事项"),
        queryset=Unit.objects.none(),  # set in __init__ (the year's items)
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, items: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items  # type: ignore[attr-defined]
        self.fields["items"].label_from_instance = lambda item: f"{item.number}. {item.title}"  # type: ignore[attr-defined]
