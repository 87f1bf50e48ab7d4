"""Form widgets shared by the apps."""

from __future__ import annotations

import html
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import SafeString, mark_safe


class QuickSelect(forms.Select):
    """Django's `<select>`, rendered in Python instead of one template per option.

    The same HTML for the same choices (values, labels, `selected`, optgroups, the
    attributes a form or crispy adds), escaped as Django escapes. Use it for long choice
    lists (every unit, every person): Django's template-per-option rendering costs about
    50 µs an option, which for 200 units is most of a list page's time.
    """

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        wanted = {str(v) for v in self.format_value(value)}
        has_selected = False

        def option(option_value: Any, label: Any) -> str:
            nonlocal has_selected
            text = "" if option_value is None else str(option_value)
            # As Django's Select: a single select marks only the first matching option.
            selected = text in wanted and (self.allow_multiple_selected or not has_selected)
            has_selected |= selected
            marker = " selected" if selected else ""
            return f'<option value="{_escape(text)}"{marker}>{_escape(label)}</option>'

        parts: list[str] = []
        for option_value, option_label in self.choices:
            if isinstance(option_label, list | tuple):
                inner = "".join(option(v, label) for v, label in option_label)
                parts.append(f'<optgroup label="{_escape(option_value)}">{inner}</optgroup>')
            else:
                parts.append(option(option_value, option_label))
        # Every value and label above went through _escape; the attributes through flatatt.
        return mark_safe(f"<select{flatatt(final_attrs)}>{''.join(parts)}</select>")  # noqa: S308


def _escape(value: Any) -> str:
    """Django's conditional_escape, minus its lazy-string machinery: thousands of calls a
    page. Safe strings pass through; anything else is escaped as Django escapes it."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


class QuickSelectMultiple(QuickSelect):
    """`QuickSelect` for several values (a `<select multiple>`)."""

    allow_multiple_selected = True

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        getter = getattr(data, "getlist", None)
        return getter(name) if getter else data.get(name)
