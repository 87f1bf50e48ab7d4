"""portal.lib.views: a service called from a button; a refusal becomes a message, a
forbidden step a 403."""

from __future__ import annotations

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.test import RequestFactory

from portal.documents.transitions import DocumentError, DocumentForbidden
from portal.lib.errors import Forbidden, Refused
from portal.lib.views import move_offset, service_or_message

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
