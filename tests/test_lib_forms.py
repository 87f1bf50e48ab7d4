"""portal.lib.forms: the crispy helper, a service's errors on the form, the person
pickers."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from portal.lib.forms import (
    Crispy,
    CrispyForm,
    PersonChoiceField,
    PersonMultipleChoiceField,
    apply_errors,
    form_helper,
    person_label,
)
from portal.models import Person
from tests.factories import PersonFactory, UnitFactory

pytestmark = pytest.mark.dateless  # the shifted legs skip it (Makefile)


def submit_value(helper) -> str:
    (button,) = helper.inputs
    return str(button.value)


def test_it_builds_a_helper_with_one_submit_button_disabled_after_the_first_click():
    helper = form_helper("任命")
    assert submit_value(helper) == "任命"
    assert "data-once" in helper.attrs


def test_it_leaves_the_button_alone_when_asked():
    assert "data-once" not in form_helper("保存", once=False).attrs


class TitleForm(Crispy, forms.Form):
    submit_label = "交办"
    title = forms.CharField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_helper()


class PlainForm(CrispyForm):
    submit_label = "提交审批意见"
    note = forms.CharField()


class QuietForm(PlainForm):
    once = False


def test_it_sets_up_the_helper_of_a_form_from_its_submit_label():
    assert submit_value(TitleForm().helper) == "交办"
    assert submit_value(PlainForm().helper) == "提交审批意见"
    assert "data-once" in PlainForm().helper.attrs
    assert "data-once" not in QuietForm().helper.attrs


def test_it_puts_a_service_error_on_the_field_it_names_or_on_the_form():
    form = TitleForm(data={"title": "x"})
    assert form.is_valid()
    apply_errors(form, ValidationError({"title": "标题重复。", "deadline": "期限已过。"}))
    assert form.errors["title"] == ["标题重复。"]
    assert form.non_field_errors() == ["期限已过。"]


def test_it_puts_an_error_without_a_field_on_the_form():
    form = TitleForm(data={"title": "x"})
    form.is_valid()
    apply_errors(form, ValidationError(["议程已锁定。", "请先报审。"]))
    assert form.non_field_errors() == ["议程已锁定。", "请先报审。"]
    assert "title" not in form.errors


def test_it_renames_a_service_field_to_the_form_field():
    form = TitleForm(data={"title": "x"})
    form.is_valid()
    apply_errors(form, ValidationError({"heading": "不能为空。"}), {"heading": "title"})
    assert form.errors["title"] == ["不能为空。"]


def test_it_names_a_person_with_their_unit_and_title_when_asked():
    someone = SimpleNamespace(name="韦慧", unit=SimpleNamespace(name="信息学院"), title="教授")
    untitled = SimpleNamespace(name="陆成", unit=SimpleNamespace(name="统战部"), title="")
    assert person_label(someone) == "韦慧（信息学院）"
    assert person_label(someone, with_title=True) == "韦慧（信息学院，教授）"
    assert person_label(untitled, with_title=True) == "陆成（统战部）"


@pytest.mark.django_db
def test_it_offers_people_by_name_and_unit():
    unit = UnitFactory(name="机电工程学院")
    PersonFactory(name="党外甲", unit=unit, title="副教授")
    people = Person.objects.select_related("unit")

    class PickForm(forms.Form):
        one = PersonChoiceField(queryset=people)
        titled = PersonChoiceField(queryset=people, with_title=True)
        many = PersonMultipleChoiceField(queryset=people)

    form = PickForm()
    labels = {name: [str(label) for _v, label in form.fields[name].choices] for name in form.fields}
    assert labels["one"][1:] == ["党外甲（机电工程学院）"]
    assert labels["titled"][1:] == ["党外甲（机电工程学院，副教授）"]
    assert labels["many"] == ["党外甲（机电工程学院）"]


def _form_classes() -> list[type[forms.Form]]:
    """Every form class of every app's forms module(s)."""
    import importlib
    import inspect
    import pkgutil

    from django.apps import apps

    found: set[type[forms.Form]] = set()
    for config in apps.get_app_configs():
        if not config.path.startswith(str(settings.BASE_DIR)):
            continue
        for info in pkgutil.walk_packages([config.path], prefix=f"{config.name}."):
            if "forms" not in info.name.rsplit(".", 1)[-1] and ".forms." not in info.name:
                continue
            module = importlib.import_module(info.name)
            for _name, obj in inspect.getmembers(module, inspect.isclass):
                if issubclass(obj, forms.BaseForm) and obj.__module__ == module.__name__:
                    found.add(obj)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__name__}")


def test_every_browser_date_input_shows_its_value_as_iso():
    """A `type=date` input shows only an ISO value: a date rendered in the locale's format
    (2026/12/19) leaves the picker empty, and saving an edit form then fails with
    “这个字段是必填项”. Every such field uses `date_field` (or its format)."""
    classes = _form_classes()
    assert len(classes) > 20  # the walk finds the apps' forms
    wrong = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in classes
        for name, field in form.base_fields.items()
        if isinstance(field.widget, forms.DateInput)
        and field.widget.input_type == "date"
        and field.widget.format != "%Y-%m-%d"
    ]
    assert wrong == []
