"""portal.lib.views: a service called from a button; a refusal becomes a message, a
forbidden step a 403."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db import models
from django.test import RequestFactory
from django.utils.translation import gettext_lazy

from portal.documents.transitions import DocumentError, DocumentForbidden
from portal.lib.errors import Forbidden, Refused
from portal.lib.forms import CrispyForm
from portal.lib.transitions import Transition, Workflow
from portal.lib.views import move_offset, service_or_message, workflow_step

pytestmark = pytest.mark.dateless  # the shifted legs skip it (Makefile)


@pytest.fixture
def request_():
    request = RequestFactory().post("/step/")
    request._messages = CookieStorage(request)
    return request


def shown(request) -> list[tuple[int, str]]:
    return [(message.level, message.message) for message in request._messages]


def fail(error: Exception):
    def call():
        raise error

    return call


def test_it_calls_the_service_and_shows_the_success_message(request_):
    called = []
    assert service_or_message(request_, lambda: called.append(1), "已移动。") is True
    assert called == [1]
    assert shown(request_) == [(constants.SUCCESS, "已移动。")]


def test_it_shows_nothing_on_success_without_a_message(request_):
    assert service_or_message(request_, lambda: None) is True
    assert shown(request_) == []


def test_it_shows_a_refusal_as_an_error_message(request_):
    assert (
        service_or_message(request_, fail(Refused("纪要已报审，议程不能再修改。")), "已移动。")
        is False
    )
    assert shown(request_) == [(constants.ERROR, "纪要已报审，议程不能再修改。")]


def test_it_shows_every_message_of_a_validation_error(request_):
    error = ValidationError({"title": "标题重复。", "body": ["正文太长。"]})
    assert service_or_message(request_, fail(error)) is False
    assert [text for _level, text in shown(request_)] == ["标题重复。", "正文太长。"]


def test_it_answers_403_for_a_step_the_user_may_never_take(request_):
    with pytest.raises(Forbidden):
        service_or_message(request_, fail(Forbidden("只有组长可以签发。")))
    with pytest.raises(PermissionDenied):
        service_or_message(request_, fail(PermissionDenied("只有办公室工作人员可以进行此操作。")))
    with pytest.raises(DocumentForbidden):
        service_or_message(request_, fail(DocumentForbidden("只有组长可以签发。")))
    assert shown(request_) == []


def test_it_shows_a_document_refusal_as_a_message(request_):
    assert service_or_message(request_, fail(DocumentError("公文已印发。"))) is False
    assert shown(request_) == [(constants.ERROR, "公文已印发。")]


def test_it_lets_any_other_error_through(request_):
    with pytest.raises(KeyError):
        service_or_message(request_, fail(KeyError("pk")))


def test_it_reads_the_direction_of_a_move_button():
    factory = RequestFactory()
    assert move_offset(factory.post("/move/", {"direction": "up"})) == -1
    assert move_offset(factory.post("/move/", {"direction": "down"})) == 1
    for bad in ({"direction": "sideways"}, {}):
        with pytest.raises(BadRequest, match="移动方向无效"):
            move_offset(factory.post("/move/", bad))


# workflow_step ----------------------------------------------------------------------------


class ToyState(models.TextChoices):
    OPEN = "open", "待办"
    DONE = "done", "已办"


class Toy:
    """A record with a state, for a workflow declared in this module."""

    def __init__(self, state: str) -> None:
        self.state = state


TOY = Workflow(
    ToyState,
    Transition(
        "finish",
        gettext_lazy("办结"),
        source={"open"},
        target="done",
        who=lambda user, obj: bool(getattr(user, "is_staff", False)),  # the office persona
        refused=gettext_lazy("你不能办结。"),
    ),
)


class NoteForm(CrispyForm):
    note = forms.CharField(label="说明", max_length=100)


class ConfirmForm(CrispyForm):
    """Asks nothing more than the button."""


def _step(user, method="GET", *, state="open", data=None, form_class=NoteForm, call=None):
    factory = RequestFactory()
    request = factory.post("/step/", data or {}) if method == "POST" else factory.get("/step/")
    request._messages = CookieStorage(request)
    request.user = user
    calls: list[dict] = []
    response = workflow_step(
        request,
        record=Toy(state),
        workflow=TOY,
        action="finish",
        form_class=form_class,
        call=call or calls.append,
        done="已办结。",
        title="办结：事项",
        back="/back/",
    )
    return request, response, calls


@pytest.mark.django_db
def test_a_step_the_user_may_never_take_is_a_403(org):
    with pytest.raises(PermissionDenied, match="你不能办结。"):
        _step(org.commissioner_a)


@pytest.mark.django_db
def test_a_step_the_state_no_longer_allows_goes_back_with_the_reason(org):
    request, response, calls = _step(org.office, "POST", state="done", data={"note": "x"})
    assert (response.status_code, response["Location"]) == (302, "/back/")
    assert shown(request) == [(constants.ERROR, "当前状态为“已办”，不能办结。")]
    assert calls == []


@pytest.mark.django_db
def test_it_shows_the_form_with_the_steps_label_then_takes_the_step(org):
    _request, response, _calls = _step(org.office)
    page = response.content.decode()
    assert response.status_code == 200 and "办结：事项" in page and 'value="办结"' in page
    request, response, calls = _step(org.office, "POST", data={"note": "已处理"})
    assert (response.status_code, response["Location"]) == (302, "/back/")
    assert calls == [{"note": "已处理"}]
    assert shown(request) == [(constants.SUCCESS, "已办结。")]


@pytest.mark.django_db
def test_the_services_refusal_stays_on_the_form(org):
    def refuse(data):
        raise ValidationError({"note": "说明太短。"})

    request, response, _calls = _step(org.office, "POST", data={"note": "短"}, call=refuse)
    assert response.status_code == 200 and "说明太短。" in response.content.decode()
    assert shown(request) == []


@pytest.mark.django_db
def test_a_step_that_asks_nothing_is_taken_on_an_empty_post(org):
    _request, response, calls = _step(org.office, "POST", form_class=ConfirmForm)
    assert response.status_code == 302 and calls == [{}]
