"""What the portal's forms share: the crispy helper (one submit button; `data-once`
disables it after the first click), a service's `ValidationError` put back on the form,
and the person pickers that name a person with their unit."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy


def form_helper(label: str | Promise, *, once: bool = True) -> FormHelper:
    """A crispy helper with one submit button labelled `label`. crispy adds
    enctype="multipart/form-data" itself when the form has a file field."""
    helper = FormHelper()
    helper.add_input(Submit("submit", str(label)))
    if once:
        helper.attrs = {"data-once": ""}
    return helper


class Crispy:
    """Mixin for a form rendered with `{% crispy form %}`: set `submit_label` on the
    class and call `self.setup_helper()` at the end of `__init__`."""

    submit_label: Any = gettext_lazy("保存")
    once: bool = True  # disable the submit button after the first click

    def setup_helper(self) -> None:
        self.helper = form_helper(self.submit_label, once=self.once)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        refuse_control_characters(self)  # type: ignore[arg-type]
        return cleaned


def refuse_control_characters(form: forms.BaseForm) -> None:
    """An error on each text field holding a control character: a one-line field
    (a text input) none at all, a multi-line one (a textarea) none but line breaks
    and tabs. Bidirectional overrides are refused in both."""
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if not isinstance(field, forms.CharField) or not isinstance(value, str):
            continue
        multiline = isinstance(field.widget, forms.Textarea)
        if has_control_characters(value, multiline=multiline):
            form.add_error(name, MULTILINE_CONTROL_MESSAGE if multiline else CONTROL_MESSAGE)


class CrispyForm(Crispy, forms.Form):
    """A plain form whose helper is set up on construction."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()


def apply_errors(
    form: forms.BaseForm, error: ValidationError, fields: Mapping[str, str] | None = None
) -> None:
    """Put a service's `ValidationError` on the form: each message on its field (named
    by the service, or renamed through `fields`: service name → form field), on the
    form as a whole when the form has no such field or the error names none."""
    fields = fields or {}
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            target = fields.get(name, name)
            for message in messages:
                form.add_error(target if target in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def person_label(person: Any, *, with_title: bool = False) -> str:
    """“姓名（单位）”, or “姓名（单位，职称）” with `with_title` when the person has one."""
    title = f"，{person.title}" if with_title and person.title else ""
    return f"{person.name}（{person.unit.name}{title}）"


class PersonChoiceField(forms.ModelChoiceField[Any]):
    """Pick one person, shown as “姓名（单位）”. Give a queryset with
    `select_related("unit")`: every option reads the unit."""

    def __init__(self, *args: Any, with_title: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.with_title = with_title

    def label_from_instance(self, obj: Any) -> str:
        return person_label(obj, with_title=self.with_title)


class PersonMultipleChoiceField(forms.ModelMultipleChoiceField[Any]):
    """Pick several people, each shown as “姓名（单位）”."""

    def label_from_instance(self, obj: Any) -> str:
        return person_label(obj)


# Characters a one-line text (a title, a name) must not hold: line breaks and other
# control characters (a title with a line break broke every invitation's mail header)
# and the bidirectional overrides that make "abc\u202efdp.exe" read as "abcexe.pdf".
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    """Control characters or bidirectional overrides; line breaks and tabs are allowed in
    a `multiline` text (a textarea's)."""
    if multiline:
        text = text.replace("\n", "").replace("\r", "").replace("\t", "")
    return any(unicodedata.category(char) == "Cc" or char in BIDI_CONTROLS for char in text)


CONTROL_MESSAGE = gettext_lazy("不能包含换行、制表符或其他控制字符。")
MULTILINE_CONTROL_MESSAGE = gettext_lazy(
    "不能包含控制字符或不可见的方向控制符（常见于从别处粘贴的文字），请删除后再提交。"
)


class OneLineCharField(forms.CharField):
    """A CharField for a title or a name: refuses line breaks and control characters with
    a Chinese message (a browser's text box cannot type them; a crafted request can)."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and has_control_characters(str(value)):
            raise ValidationError(CONTROL_MESSAGE, code="control")


def date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    """A date picked with the browser's date input (ISO, as the field parses it)."""
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
