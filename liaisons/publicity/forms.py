"""Forms of the publicity pages. The services check the rules and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from liaisons.models import PublicityPiece, PublicitySlot
from liaisons.publicity.services import MAX_EVERY_DAYS
from portal.lib.forms import CrispyForm, OneLineCharField, PersonChoiceField, date_field
from portal.models import Person
from portal.uploads import IMAGES, UploadValidator
from portal.widgets import QuickSelect


class SlotChoiceField(forms.ModelChoiceField[PublicitySlot]):
    def label_from_instance(self, obj: PublicitySlot) -> str:
        return f"{obj.due_on:%Y-%m-%d} · {obj.member.person.name}"


class PieceForm(CrispyForm):
    submit_label = _("保存草稿")

    author = PersonChoiceField(label=_("撰稿人"), queryset=Person.objects.none())
    title = OneLineCharField(label=_("标题"), max_length=200)
    text = forms.CharField(
        label=_("正文"), max_length=20000, widget=forms.Textarea(attrs={"rows": 12})
    )
    channel = forms.ChoiceField(label=_("发布渠道"), choices=PublicityPiece.Channel.choices)
    slot = SlotChoiceField(
        label=_("轮值"),
        queryset=PublicitySlot.objects.none(),
        required=False,
        empty_label=_("（不属于轮值）"),
        help_text=_("为本人哪一期轮值撰写"),
    )
    special = forms.BooleanField(
        label=_("先进典型专题报道"),
        required=False,
        help_text=_("宣传学校优秀统一战线代表人士、中青年党外专家学者、留学归国人员等的专题报道"),
    )
    figure_name = OneLineCharField(
        label=_("报道对象"), max_length=100, required=False, help_text=_("专题报道必填")
    )

    def __init__(
        self,
        *args: Any,
        authors: QuerySet[Person] | None,
        slots: QuerySet[PublicitySlot],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if authors is None:  # a member writes under their own name
            del self.fields["author"]
        else:
            author = self.fields["author"]
            assert isinstance(author, PersonChoiceField)
            author.queryset = authors
        slot = self.fields["slot"]
        assert isinstance(slot, SlotChoiceField)
        slot.queryset = slots


class ImageForm(CrispyForm):
    submit_label = _("上传图片")

    image = forms.FileField(
        label=_("图片"),
        validators=[UploadValidator(kinds=IMAGES)],
        help_text=_("JPG 或 PNG"),
    )
    caption = OneLineCharField(label=_("图片说明"), max_length=200, required=False)


class SubmitForm(CrispyForm):
    submit_label = _("送审")


class ApproveForm(CrispyForm):
    submit_label = _("审核通过")

    comments = forms.CharField(
        label=_("审核意见"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReturnForm(CrispyForm):
    submit_label = _("退回修改")

    comments = forms.CharField(
        label=_("审核意见"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("需要修改的内容"),
    )


class PublishForm(CrispyForm):
    submit_label = _("登记发布")

    published_on = date_field(_("发布日期"))
    link = OneLineCharField(
        label=_("发布链接"), max_length=200, help_text=_("如公众号文章或网站新闻的网址")
    )


class MemberForm(CrispyForm):
    submit_label = _("加入名单")

    person = PersonChoiceField(label=_("宣传工作成员"), queryset=Person.objects.none())
    start_date = date_field(_("加入日期"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, PersonChoiceField)
        person.queryset = (
            Person.objects.filter(is_active=True)
            .select_related("unit")
            .order_by("unit__sort_order", "name")
        )
        person.widget = QuickSelect(attrs={"class": "form-select"})
        person.widget.choices = person.choices


class MemberEndForm(CrispyForm):
    submit_label = _("退出名单")

    end_date = date_field(_("退出日期"), help_text=_("退出后的第一天"))
    reason = OneLineCharField(label=_("退出原因"), max_length=100)


class RhythmForm(CrispyForm):
    submit_label = _("保存节奏")

    every_days = forms.IntegerField(
        label=_("间隔天数"),
        min_value=1,
        max_value=MAX_EVERY_DAYS,
        help_text=_("如每周一篇填 7"),
    )
    first_due = date_field(_("首期截止日期"), help_text=_("此后每隔上述天数一期"))


class SkipForm(CrispyForm):
    submit_label = _("跳过本轮")

    reason = OneLineCharField(label=_("跳过原因"), max_length=200)


class SwapForm(CrispyForm):
    submit_label = _("调换")

    other = SlotChoiceField(label=_("与哪一期调换"), queryset=PublicitySlot.objects.none())
    reason = OneLineCharField(label=_("调换原因"), max_length=200)

    def __init__(self, *args: Any, others: QuerySet[PublicitySlot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        other = self.fields["other"]
        assert isinstance(other, SlotChoiceField)
        other.queryset = others
