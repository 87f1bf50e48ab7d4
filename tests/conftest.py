"""Shared fixtures: the role personas every test speaks of, built the way the portal
builds them (a Person in a Unit, a User in the role's group)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.utils import translation

from portal.models import Person, PoliticalStatus, Role, Unit, User
from tests.factories import PersonFactory, UnitFactory, UserFactory

PASSWORD = "pw-test-2026"


@dataclass
class Org:
    ufw_dept: Unit  # 统战部, seat of the office
    branch_a: Unit  # a Party general branch
    branch_b: Unit  # another one
    school_a: Unit  # a school under branch A
    office: User  # office clerk
    leader: User  # group leader
    deputy: User  # deputy leader
    in_charge: User  # leader in charge of UFW
    member: User  # group member
    commissioner_a: User  # branch commissioner of branch A
    commissioner_b: User  # branch commissioner of branch B
    outsider: User  # a login with no role
    liaison: User  # a teacher of school A in the liaison role (appointed by the tests that need it)
    publicity: User  # a member of the office's unit in the publicity role
    figure_a: Person  # a non-party figure in school A (sensitive data)


def suite_now():
    """The instant every test starts at: `PORTAL_TEST_NOW` (settings), never the real
    clock. CI runs the fast leg again at 2026-12-31 23:30 and 2027-01-01 00:30."""
    from portal.clock import parse_instant

    return parse_instant(settings.PORTAL_TEST_NOW, "PORTAL_TEST_NOW")


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """pytest-django's, with the test database copied from a template built by the
    migrations once (`tests/template_db.py`) rather than migrated in every process."""
    from django.db import connections

    from tests.template_db import create_test_database

    connection = connections["default"]
    with django_db_blocker.unblock():
        old_name = create_test_database(connection)
    yield
    with django_db_blocker.unblock():
        connection.creation.destroy_test_db(old_name, verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def _session_clock():
    """What is built for a whole module or session (the access matrix's world) is built
    at the test instant too, not on the real date."""
    with time_machine.travel(suite_now(), tick=True):
        yield


@pytest.fixture(autouse=True)
def _clock():
    """Each test starts at the test instant; the clock ticks on from there (timestamps
    of rows made one after another still differ). A test that needs another day travels
    there itself (`time_machine.travel`), inside this one."""
    with time_machine.travel(suite_now(), tick=True):
        yield


@pytest.fixture(autouse=True)
def _own_rate_limits(settings):
    """Every test starts at the same instant, so the rate limits' windows (portal.ratelimit)
    would carry counts from one test into the next: each test counts under its own keys."""
    settings.RATELIMIT_KEY_PREFIX = f"ratelimit-{uuid.uuid4().hex}"


@pytest.fixture(autouse=True)
def _portal_language():
    """A request in English (the language switch) leaves English active in the thread;
    the next test starts in the portal's language again."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


MODULE_MEDIA = "module-media"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    """Uploaded and generated files go to a temporary folder, never into var/; records
    shared by a module (`shared_by_module`) keep theirs in the module's folder."""
    if Path(settings.MEDIA_ROOT).name.startswith(MODULE_MEDIA):
        return
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


def make_user(username: str, unit: Unit, role: str | None, **extra: object) -> User:
    person = PersonFactory(name=f"{username}-人员", unit=unit)
    user: User = UserFactory(username=username, person=person, **extra)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def org(db: None) -> Org:
    return build_org()


def build_org() -> Org:
    """The personas, for fixtures of a wider scope than a test (see the access matrix)."""
    ufw = UnitFactory(name="党委统战部", kind=Unit.Kind.DEPARTMENT)
    branch_a = UnitFactory(name="机电工程学院党总支", kind=Unit.Kind.BRANCH)
    branch_b = UnitFactory(name="经济管理学院党总支", kind=Unit.Kind.BRANCH)
    school_a = UnitFactory(name="机电工程学院", kind=Unit.Kind.SCHOOL, parent=branch_a)
    return Org(
        ufw_dept=ufw,
        branch_a=branch_a,
        branch_b=branch_b,
        school_a=school_a,
        office=make_user("office", ufw, Role.OFFICE, is_staff=True),
        leader=make_user("leader", ufw, Role.LEADER, leadership=User.Leadership.GROUP_LEADER),
        deputy=make_user("deputy", ufw, Role.LEADER, leadership=User.Leadership.DEPUTY_LEADER),
        in_charge=make_user("incharge", ufw, Role.LEADER, leadership=User.Leadership.IN_CHARGE),
        member=make_user("member", ufw, Role.MEMBER),
        commissioner_a=make_user("commissioner", branch_a, Role.COMMISSIONER),
        commissioner_b=make_user("commissioner2", branch_b, Role.COMMISSIONER),
        outsider=make_user("outsider", ufw, None),
        liaison=make_user("liaison", school_a, Role.LIAISON),
        publicity=make_user("publicity", ufw, Role.PUBLICITY),
        figure_a=PersonFactory(
            name="党外甲",
            unit=school_a,
            political_status=PoliticalStatus.JIUSAN,
            overseas_study=True,
            overseas_detail="英国曼彻斯特大学访问学者",
            note="关注职称评审",
        ),
    )


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@contextmanager
def shared_by_module(django_db_blocker, tmp_path_factory) -> Iterator[None]:
    """For a module fixture whose records several tests read (the access matrix's world,
    a seeded demo): what is built inside it lives in a transaction rolled back at the
    module's end, and each test runs in a savepoint inside that (pytest-django's `db`),
    so what a test writes is undone before the next. Its files live in one folder for
    the module. Mark the module `xdist_group` so that one worker builds it once."""
    media = override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp(MODULE_MEDIA)))
    media.enable()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            media.disable()


def seed_demo(**options: object) -> str:
    """`manage.py seed_demo` (refused outside DEBUG), its output."""
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture(scope="module")
def _module_demo(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, seeded once for the module at the instant the module names in `DEMO_AT`
    (else the test instant), on a clock that stands still while it seeds."""
    at = getattr(request.module, "DEMO_AT", None) or suite_now()
    with shared_by_module(django_db_blocker, tmp_path_factory):
        with time_machine.travel(at, tick=False):
            output = seed_demo()
        yield output


@pytest.fixture
def demo(_module_demo, db) -> str:
    """What seed_demo printed; its records are in the database for this test."""
    return _module_demo


@pytest.fixture
def eager_tasks():
    """Celery tasks run in this process, on both legs: for tests that read what a task
    queued on commit did (the services leg otherwise hands it to a worker that the
    test does not start; tests/test_outbox_services.py does that)."""
    from portal.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = before
