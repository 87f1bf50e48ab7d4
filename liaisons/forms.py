"""Forms of the liaison officers' pages. The services check the rule and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from liaisons.models import LIAISON_UNIT_KINDS, Consultation, LiaisonSession, PublicityPiece
from portal.lib.forms import CrispyForm, OneLineCharField, PersonChoiceField, date_field
from portal.models import Person, Unit
from portal.uploads import DOCUMENTS, UploadValidator
from portal.widgets import QuickSelect


class AppointForm(CrispyForm):
    submit_label = _("任命")

    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none())
    person = PersonChoiceField(label=_("联络员"), queryset=Person.objects.none(), with_title=True)
    start_date = date_field(_("任职日期"))
    reason = forms.CharField(
        label=_("推荐理由"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "推荐青年党员教师时必填：本单位没有非党人士或35周岁以下有留学经历的青年教师人选的原因"
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = Unit.objects.filter(kind__in=LIAISON_UNIT_KINDS, is_active=True).order_by(
            "sort_order"
        )
        unit.widget = QuickSelect(attrs={"class": "form-select"})
        unit.widget.choices = unit.choices
        person = self.fields["person"]
        assert isinstance(person, PersonChoiceField)
        person.queryset = (
            Person.objects.filter(is_active=True, unit__kind__in=LIAISON_UNIT_KINDS)
            .select_related("unit")
            .order_by("unit__sort_order", "name")
        )
        person.widget = QuickSelect(attrs={"class": "form-select"})
        person.widget.choices = person.choices


class EndForm(CrispyForm):
    submit_label = _("办理离任")

    end_date = date_field(_("离任日期"))
    reason = OneLineCharField(
        label=_("离任原因"), max_length=100, help_text=_("如：工作调整、年龄超过、加入中国共产党")
    )


class KeepForm(CrispyForm):
    submit_label = _("确认继续任职")

    reason = forms.CharField(
        label=_("继续任职的理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ConsultationForm(CrispyForm):
    submit_label = _("提交征求意见")

    unit = forms.ModelChoiceField(label=_("征求单位"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("类别"), choices=Consultation.Kind.choices)
    title = OneLineCharField(label=_("事由"), max_length=200)
    matter = forms.CharField(
        label=_("情况说明"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("涉及统战侨务政策的事项或文件的主要内容、需要组织统战部提出意见的问题"),
    )
    draft = forms.FileField(
        label=_("文件草稿"),
        required=False,
        validators=[UploadValidator(kinds=DOCUMENTS)],
        help_text=_("起草文件征求意见时必附：PDF 或 Word"),
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = units
        unit.widget = QuickSelect(attrs={"class": "form-select"})
        unit.widget.choices = unit.choices


class OpinionForm(CrispyForm):
    submit_label = _("书面答复")

    opinion = forms.CharField(
        label=_("书面意见"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8})
    )


class WithdrawForm(CrispyForm):
    submit_label = _("撤回")

    reason = forms.CharField(
        label=_("撤回原因"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CloseForm(CrispyForm):
    submit_label = _("登记采纳情况")

    adoption = forms.ChoiceField(
        label=_("采纳情况"), choices=Consultation.Adoption.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("说明"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("未采纳或部分采纳的，请说明理由"),
    )


class SessionForm(CrispyForm):
    submit_label = _("登记")

    kind = forms.ChoiceField(label=_("类别"), choices=LiaisonSession.Kind.choices)
    title = OneLineCharField(label=_("名称"), max_length=200)
    held_on = date_field(_("日期"))
    place = OneLineCharField(label=_("地点"), max_length=100, required=False)
    organiser = OneLineCharField(
        label=_("主办"), max_length=100, required=False, help_text=_("如：党委统战部")
    )
    content = forms.CharField(
        label=_("内容"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("议程、学习内容或会议要点"),
    )


class RoundForm(CrispyForm):
    submit_label = _("保存")

    title = OneLineCharField(label=_("名称"), max_length=100)
    due_on = date_field(_("报送截止日期"))
    topic = forms.CharField(
        label=_("报告重点"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("如：对学院年度工作的意见建议；可不填"),
    )


class ReportForm(CrispyForm):
    """The liaison's report; two buttons: 保存 (`submit`, a draft) and 报送 (`send`)."""

    submit_label = _("保存")

    views = forms.CharField(
        label=_("思想动态"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("本单位党外人士对时事政治、学校改革发展和校园热点的看法"),
    )
    issues = forms.CharField(
        label=_("热点难点问题"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("党外人士反映的困难和问题、意见建议"),
    )
    deeds = forms.CharField(
        label=_("好人好事"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("值得宣传的先进事迹"),
    )
    recommendations = forms.CharField(
        label=_("推荐人选"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("值得培养、推荐的党外人士及理由"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from crispy_forms.layout import Submit

        self.helper.add_input(Submit("send", _("报送"), css_class="btn-success"))


class ReturnForm(CrispyForm):
    submit_label = _("退回补充")

    comment = forms.CharField(
        label=_("退回意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReadForm(CrispyForm):
    submit_label = _("阅知")

    note = forms.CharField(
        label=_("办公室意见"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("可不填；阅知后可将问题转为意见建议、推荐人选列入后备干部"),
    )


class SuggestionFollowForm(CrispyForm):
    submit_label = _("转为意见建议")

    title = OneLineCharField(label=_("标题"), max_length=100)
    content = forms.CharField(
        label=_("意见建议内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )


class ReserveFollowForm(CrispyForm):
    submit_label = _("列入后备干部")

    figure = forms.ModelChoiceField(label=_("推荐人选"), queryset=Person.objects.none())
    proposed_post = OneLineCharField(
        label=_("培养方向"), max_length=100, required=False, help_text=_("如：二级学院副院长")
    )

    def __init__(self, *args: Any, figures: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        figure = self.fields["figure"]
        assert isinstance(figure, forms.ModelChoiceField)
        figure.queryset = figures
        figure.widget = QuickSelect(attrs={"class": "form-select"})
        figure.widget.choices = figure.choices


class PublicityFollowForm(CrispyForm):
    submit_label = _("转为宣传稿件")

    title = OneLineCharField(label=_("标题"), max_length=200)
    text = forms.CharField(
        label=_("正文"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )
    channel = forms.ChoiceField(label=_("发布渠道"), choices=PublicityPiece.Channel.choices)
    author = PersonChoiceField(
        label=_("撰稿人"),
        queryset=Person.objects.none(),
        help_text=_("宣传工作成员：由其完善后送审"),
    )

    def __init__(self, *args: Any, authors: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        author = self.fields["author"]
        assert isinstance(author, PersonChoiceField)
        author.queryset = authors
