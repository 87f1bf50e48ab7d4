"""Forms of the organisation pages and the working-day schedule."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.lib.forms import Crispy, has_control_characters
from portal.models import Person, Unit, User, WorkdayYear
from portal.spreadsheets import validate_xlsx
from portal.widgets import QuickSelect


class _Crispy(Crispy):
    once = False  # the organisation forms have never disabled their button


def _unit_choices(field: forms.Field, units: QuerySet[Unit]) -> None:
    """Every unit as a choice: only the columns the option shows, rendered quickly."""
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = units.only("id", "name")
    field.widget = QuickSelect(attrs=field.widget.attrs)
    field.widget.choices = field.choices


class UnitForm(_Crispy, forms.ModelForm[Unit]):
    class Meta:
        model = Unit
        fields = ["name", "short_name", "kind", "parent", "sort_order", "is_active"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        _unit_choices(self.fields["parent"], Unit.objects.all())
        self.setup_helper()


class PersonForm(_Crispy, forms.ModelForm[Person]):
    class Meta:
        model = Person
        fields = [
            "name",
            "unit",
            "gender",
            "birth_date",
            "ethnicity",
            "title",
            "political_status",
            "overseas_study",
            "overseas_detail",
            "phone",
            "email",
            "note",
            "is_active",
        ]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "overseas_detail": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self,
        *args: object,
        allowed_units: set[int] | None = None,
        show_sensitive: bool = True,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        units = Unit.objects.all()
        if allowed_units is not None:
            units = units.filter(pk__in=allowed_units)
        _unit_choices(self.fields["unit"], units)
        if not show_sensitive:
            for name in Person.SENSITIVE_FIELDS:
                self.fields.pop(name, None)
        self.setup_helper()


@dataclass(frozen=True)
class ScheduleLine:
    date: dt.date
    is_workday: bool
    name: str


_LINE = re.compile(
    r"^(?P<start>\d{4}-\d{1,2}-\d{1,2})"
    r"(?:\s*(?:至|到|~|-{2})\s*(?P<end>\d{4}-\d{1,2}-\d{1,2}))?"
    r"\s+(?P<kind>休|班)\s+(?P<name>\S.*)$"
)


def parse_schedule(year: int, text: str) -> tuple[list[ScheduleLine], list[str]]:
    """Parse the office's transcription of the State Council notice.

    One entry a line: `2027-10-01 至 2027-10-07 休 国庆节` or `2027-09-26 班 国庆节调休`.
    Weekends inside a holiday range are skipped (they are off anyway). Returns the days
    and a list of Chinese error messages naming the line.
    """
    days: dict[dt.date, ScheduleLine] = {}
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None:
            errors.append(
                _(
                    "第%(n)d行格式不对：“%(line)s”。应为“2027-10-01 至 2027-10-07 休 国庆节”"
                    "或“2027-09-26 班 国庆节调休”。"
                )
                % {"n": number, "line": line}
            )
            continue
        try:
            start = dt.date.fromisoformat(_pad(match["start"]))
            end = dt.date.fromisoformat(_pad(match["end"])) if match["end"] else start
        except ValueError:
            errors.append(_("第%(n)d行的日期不存在：“%(line)s”。") % {"n": number, "line": line})
            continue
        if end < start:
            errors.append(_("第%(n)d行的结束日期早于开始日期。") % {"n": number})
            continue
        if start.year != year or end.year != year:
            errors.append(_("第%(n)d行的日期不在%(year)d年内。") % {"n": number, "year": year})
            continue
        worked = match["kind"] == "班"
        name = match["name"].strip()[:50]
        day = start
        while day <= end:
            weekend = day.weekday() >= 5
            if worked and not weekend:
                errors.append(
                    _("第%(n)d行：%(day)s 是工作日，不能登记为调休上班。")
                    % {"n": number, "day": day.isoformat()}
                )
            elif worked or not weekend:
                if day in days:
                    errors.append(
                        _("第%(n)d行：%(day)s 重复登记。") % {"n": number, "day": day.isoformat()}
                    )
                days[day] = ScheduleLine(day, worked, name)
            day += dt.timedelta(days=1)
    return sorted(days.values(), key=lambda item: item.date), errors


def _pad(value: str) -> str:
    year, month, day = value.split("-")
    return f"{year}-{int(month):02d}-{int(day):02d}"


class WorkdayYearForm(_Crispy, forms.Form):
    submit_label = gettext_lazy("保存并重新计算")

    notice = forms.CharField(
        label=gettext_lazy("依据"),
        max_length=200,
        help_text=gettext_lazy("如：国务院办公厅关于2027年部分节假日安排的通知"),
    )
    schedule = forms.CharField(
        label=gettext_lazy("放假与调休安排"),
        widget=forms.Textarea(attrs={"rows": 14, "class": "font-monospace"}),
        help_text=gettext_lazy(
            "每行一条：“2027-10-01 至 2027-10-07 休 国庆节”或“2027-09-26 班 国庆节调休”。"
            "区间内的周末自动跳过。"
        ),
    )

    def __init__(self, *args: object, year: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.year = year
        self.parsed: list[ScheduleLine] = []
        self.setup_helper()

    def clean_schedule(self) -> str:
        text: str = self.cleaned_data["schedule"]
        self.parsed, errors = parse_schedule(self.year, text)
        if errors:
            raise forms.ValidationError(errors)
        if not self.parsed:
            raise forms.ValidationError(_("请至少登记一个放假日。"))
        return text


def schedule_as_text(schedule: WorkdayYear) -> str:
    return "\n".join(
        f"{item.date.isoformat()} {'班' if item.is_workday else '休'} {item.name}"
        for item in schedule.exceptions.all()
    )


class ImportForm(Crispy, forms.Form):
    submit_label = gettext_lazy("上传并预览")

    file = forms.FileField(
        label=gettext_lazy("Excel 文件（.xlsx）"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.data_bytes = b""
        self.setup_helper()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        self.data_bytes = validate_xlsx(upload)
        return upload


class LoginForm(AuthenticationForm):
    """Django's login form, with its username held to the column it is looked up in.
    Django sets the field's `max_length` after building it, so the length is not
    checked: a username of 20,000 characters reached the login throttle, whose record
    of the failure (255 characters) PostgreSQL refused with a 500."""

    def clean_username(self) -> str:
        username = str(self.cleaned_data.get("username") or "")
        longest = getattr(User._meta.get_field(User.USERNAME_FIELD), "max_length", None) or 150
        if len(username) > longest or has_control_characters(username):
            raise forms.ValidationError(_("请输入正确的用户名和密码。"), code="invalid_login")
        return username
