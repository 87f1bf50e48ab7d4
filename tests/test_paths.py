"""portal.paths.detail_path: the same path as reverse(), under any script prefix."""

from __future__ import annotations

import pytest
from django.urls import reverse, set_script_prefix

from portal.paths import detail_path

pytestmark = pytest.mark.dateless  # the shifted legs skip it (Makefile)


def test_it_gives_the_path_reverse_gives():
    assert detail_path("person_detail", 7) == reverse("person_detail", args=[7])
    assert detail_path("person_detail", 987654321) == reverse("person_detail", args=[987654321])
    assert detail_path("unit_detail", 12) == reverse("unit_detail", args=[12])


def test_it_follows_the_script_prefix():
    try:
        set_script_prefix("/portal/")
        assert detail_path("person_detail", 3).startswith("/portal/")
        assert detail_path("person_detail", 3) == reverse("person_detail", args=[3])
    finally:
        set_script_prefix("/")
    assert not detail_path("person_detail", 3).startswith("/portal/")
