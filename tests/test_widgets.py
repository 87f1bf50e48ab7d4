"""QuickSelect renders what Django's Select renders, only faster."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django import forms

from portal.models import Unit
from portal.widgets import QuickSelect
from tests.factories import UnitFactory

pytestmark = pytest.mark.dateless  # the shifted legs skip it (Makefile)


class _Structure(HTMLParser):
    """The elements and attributes of a rendered select, whitespace aside."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[str, tuple[tuple[str, str | None], ...], str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.items.append((tag, tuple(sorted(attrs)), ""))

    def handle_data(self, data: str) -> None:
        if data.strip():
            tag, attrs, _ = self.items[-1]
            self.items[-1] = (tag, attrs, data.strip())


def _structure(html: str) -> list:
    parser = _Structure()
    parser.feed(html)
    return parser.items


CHOICES = [
    ("", "---------"),
    ("a", "甲 & <b>乙</b>"),
    ("b", "丙"),
    ("分组", [("c", "丁"), ("d", '"戊"')]),
    (3, "三"),
]


@pytest.mark.parametrize("value", [None, "", "a", "c", 3, "3", "nope"])
@pytest.mark.parametrize("attrs", [{}, {"class": "form-select", "required": True, "id": "id_x"}])
def test_it_renders_the_same_select_as_django(value, attrs):
    ours = QuickSelect(attrs={"aria-label": "单位"}, choices=CHOICES).render("x", value, attrs)
    django = forms.Select(attrs={"aria-label": "单位"}, choices=CHOICES).render("x", value, attrs)
    assert _structure(ours) == _structure(django)


def test_it_marks_several_values_in_a_multiple_select():
    class QuickMultiple(QuickSelect):
        allow_multiple_selected = True

    ours = QuickMultiple(choices=CHOICES).render("x", ["a", "d"])
    django = forms.SelectMultiple(choices=CHOICES).render("x", ["a", "d"])
    assert _structure(ours) == _structure(django)


def test_it_escapes_labels_and_values():
    html = QuickSelect(choices=[('"><script>', "<script>x()</script>")]).render("x", None)
    assert "<script>" not in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html


def test_it_renders_model_choices_like_django(db):
    units = [UnitFactory(name=f"单位{i}") for i in range(3)]
    field = forms.ModelChoiceField(queryset=Unit.objects.order_by("pk"))
    django_html = field.widget.render("unit", units[1].pk)
    field.widget = QuickSelect()
    field.widget.choices = field.choices
    assert _structure(field.widget.render("unit", units[1].pk)) == _structure(django_html)


def test_it_selects_only_the_first_of_two_equal_values_as_django_does():
    choices = [("a", "甲"), ("a", "又一个甲")]
    ours = QuickSelect(choices=choices).render("x", "a")
    assert _structure(ours) == _structure(forms.Select(choices=choices).render("x", "a"))
    assert ours.count("selected") == 1


def test_the_multiple_select_renders_multiple_and_reads_every_value():
    from django.http import QueryDict

    from portal.widgets import QuickSelectMultiple

    widget = QuickSelectMultiple(choices=[("1", "甲"), ("2", "乙"), ("3", "丙")])
    html = widget.render("units", ["1", "3"])
    assert "multiple" in html
    assert html.count("selected") == 2
    assert widget.value_from_datadict(QueryDict("units=1&units=3"), {}, "units") == ["1", "3"]


def test_a_name_choice_field_renders_and_validates_as_a_model_choice_field(db):
    from portal.filters import NameChoiceField

    units = [UnitFactory(name=f"单位{i}") for i in range(2)] + [UnitFactory(name="<b>&</b>")]
    queryset = Unit.objects.order_by("pk")
    django = forms.ModelChoiceField(queryset=queryset, widget=QuickSelect, empty_label="全部")
    ours = NameChoiceField(queryset=queryset, widget=QuickSelect, empty_label="全部")
    for value in ("", units[1].pk, units[2].pk):
        assert ours.widget.render("unit", value) == django.widget.render("unit", value)
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in ours.widget.render("unit", "")
    assert ours.clean(str(units[2].pk)) == units[2]
    with pytest.raises(forms.ValidationError):
        ours.clean("999999")
