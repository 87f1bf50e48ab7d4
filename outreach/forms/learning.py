"""Forms of the cadre reserve and training records. The services check and save; these
forms only parse and offer the choices."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from outreach.models import Figure, ReserveCadre, TrainingRecord
from portal.lib.forms import CrispyForm, date_field
from portal.widgets import QuickSelect


class FigureChoiceField(forms.ModelChoiceField[Figure]):
    def label_from_instance(self, obj: Figure) -> str:
        return f"{obj.person.name}（{obj.person.unit.name}，{obj.category_label}）"


class ReserveAddForm(CrispyForm):
    submit_label = _("列入后备干部名单")

    figure = FigureChoiceField(label=_("党外人士"), queryset=Figure.objects.none())
    added_on = date_field(_("列入日期"))
    proposed_post = forms.CharField(
        label=_("培养方向"), max_length=100, required=False, help_text=_("如：二级学院副院长")
    )
    assessment = forms.CharField(
        label=_("考察意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("仅统战办公室可见"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["figure"]
        assert isinstance(field, FigureChoiceField)
        field.queryset = (
            Figure.objects.active()
            .exclude(reserve_entries__removed_on__isnull=True, reserve_entries__isnull=False)
            .select_related("person__unit")
        )
        field.widget = QuickSelect(attrs={"class": "form-select"})
        field.widget.choices = field.choices


class ReserveEditForm(CrispyForm):
    proposed_post = forms.CharField(label=_("培养方向"), max_length=100, required=False)
    assessment = forms.CharField(
        label=_("考察意见"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )


class ReserveEndForm(CrispyForm):
    submit_label = _("退出后备干部名单")

    removed_on = date_field(_("退出日期"))
    outcome = forms.ChoiceField(label=_("退出原因"), choices=ReserveCadre.Outcome.choices)


class TrainingForm(CrispyForm):
    submit_label = _("登记培训")

    course = forms.CharField(label=_("培训班名称"), max_length=150)
    level = forms.ChoiceField(label=_("级别"), choices=TrainingRecord.Level.choices)
    organiser = forms.CharField(label=_("主办单位"), max_length=100)
    start_on = date_field(_("开始日期"))
    end_on = date_field(_("结束日期"))
    certificate = forms.FileField(
        label=_("结业证书"), required=False, help_text=_("PDF、Word 或图片，可不上传")
    )
