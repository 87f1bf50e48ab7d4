"""The service contract (docs/architecture.md, "How a new app plugs in"): every write
service takes a keyword-only `by`, checks its own permission and refuses with
`Forbidden`, changing nothing. One generic test walks every app's services module; the
others call each service of reports and portal as a persona who may not, as one who may,
and without `by`."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from types import ModuleType

import pytest
from django.apps import apps

from portal import services as portal_services
from portal.deadlines import services as deadlines_services
from portal.deadlines.models import Notification
from portal.forms import ScheduleLine
from portal.lib.errors import Forbidden
from portal.models import Person, Unit, WorkdayException, WorkdayYear
from reports import services as reports_services
from reports.models import AnnualReport, AnnualReportSection
from tests.factories import PersonFactory

pytestmark = pytest.mark.dateless  # the shifted legs skip it (Makefile)

# The generic walk -------------------------------------------------------------------------

WRITE_VERBS = (
    "_create",
    "_update",
    "_delete",
    "_save",
    "_set",
    "_add",
    "_fill",
    "_move",
    "_submit",
    "_issue",
    "_sign",
    "_pass",
    "_return",
    "_close",
    "_decide",
    "_start",
    "_end",
    "_appoint",
    "_attach",
    "_detach",
    "_record",
    "_invite",
    "_write",
    "_propose",
    "_schedule",
    "_acknowledge",
    "_revise",
    "_delegate",
    "_waive",
    "_request",
    "_mark_read",
)

EXTRA_MODULES = ("portal.services", "portal.documents.services", "portal.deadlines.services")

# System steps: called by the apps' services (or a scheduled scan), never by a user
# directly, so they have no acting user and check no permission; the calling service did.
SYSTEM_STEPS = {
    "portal.deadlines.services.deadline_open",  # opened by an app's service on a record
    "portal.deadlines.services.deadline_open_period",  # a period rule's sync on every scan
    "portal.deadlines.services.deadlines_recompute",  # after a year's schedule changed
    "portal.deadlines.services.rule_steps",  # a computation the engine uses
    "liaisons.services.round_schedule",  # the semester's round, by the reminder scan
    "liaisons.services.round_fill",  # the reports a round owes, by the scan and round_open
}


def _services_modules() -> list[ModuleType]:
    """Every module of services: each app's `services` (a module or a package of them),
    its other `*_services` modules (reports' review and upward, inspections' supervision
    and research), and those of its sub-packages (liaisons.publicity), and portal's."""
    names = set(EXTRA_MODULES)
    for config in apps.get_app_configs():
        if config.name.split(".")[0] not in LOCAL_APPS:
            continue
        root = importlib.import_module(config.name)
        for info in pkgutil.walk_packages(root.__path__, prefix=f"{config.name}."):
            last = info.name.rpartition(".")[2]
            if "migrations" in info.name or not (last == "services" or last.endswith("_services")):
                continue
            names.add(info.name)
            names |= _submodules(info.name)
    return [importlib.import_module(name) for name in sorted(names)]


LOCAL_APPS = {"portal", "groups", "meetings", "liaisons", "outreach", "inspections", "reports"}


def _submodules(name: str) -> set[str]:
    """A services package's modules (outreach keeps one per part of its work)."""
    module = importlib.import_module(name)
    if not hasattr(module, "__path__"):
        return set()
    return {info.name for info in pkgutil.iter_modules(module.__path__, prefix=f"{name}.")}


def _public_functions() -> dict[str, inspect.Signature]:
    found = {}
    for module in _services_modules():
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("_") and function.__module__ == module.__name__:
                found[f"{module.__name__}.{name}"] = inspect.signature(function)
    return found


def _takes_keyword_only_by(signature: inspect.Signature) -> bool:
    parameter = signature.parameters.get("by")
    return parameter is not None and parameter.kind is inspect.Parameter.KEYWORD_ONLY


def test_it_finds_the_services_of_every_app():
    names = {module.__name__ for module in _services_modules()}
    assert {"reports.services", "meetings.services", "groups.services"} <= names
    assert {
        "reports.review_services",
        "reports.upward_services",
        "inspections.supervision_services",
        "inspections.research_services",
        "liaisons.publicity.services",
        "outreach.services.pairs",
        "portal.exportjobs.services",
    } <= names
    assert set(EXTRA_MODULES) <= names


def test_it_gives_every_write_service_a_keyword_only_by():
    functions = _public_functions()
    writes = {
        name
        for name in functions
        if name.endswith(WRITE_VERBS)
        # a predicate (`may_write`) asks, it does not write
        and not name.rpartition(".")[2].startswith(("may_", "can_", "is_"))
    }
    assert "reports.services.annual_report_fill" in writes  # the walk sees the writes
    missing = sorted(
        name for name in writes - SYSTEM_STEPS if not _takes_keyword_only_by(functions[name])
    )
    assert missing == []


def test_it_keeps_the_allow_lists_honest():
    functions = _public_functions()
    # Every allowed name still exists, and a system step really has no acting user.
    assert set(functions) >= SYSTEM_STEPS
    assert all("by" not in functions[name].parameters for name in SYSTEM_STEPS)


# reports ----------------------------------------------------------------------------------


@pytest.fixture
def report(org):
    return reports_services.annual_report_create(year=2026, by=org.office)


def _report_rows() -> tuple[list[tuple[int, str, str]], list[tuple[int, int, str, str]]]:
    reports = list(AnnualReport.objects.order_by("pk").values_list("pk", "title", "addressee"))
    sections = list(
        AnnualReportSection.objects.order_by("pk").values_list("pk", "position", "heading", "body")
    )
    return reports, sections


NOT_OFFICE = ("leader", "member", "commissioner_a")


@pytest.mark.parametrize("persona", NOT_OFFICE)
def test_it_forbids_others_to_create_an_annual_report(org, persona):
    with pytest.raises(Forbidden, match="只有办公室工作人员"):
        reports_services.annual_report_create(year=2026, by=getattr(org, persona))
    assert not AnnualReport.objects.exists()
    assert not AnnualReportSection.objects.exists()


@pytest.mark.parametrize("persona", NOT_OFFICE)
def test_it_forbids_others_to_change_an_annual_report(org, report, persona):
    by = getattr(org, persona)
    first = report.sections.order_by("position").first()
    before = _report_rows()
    with pytest.raises(Forbidden):
        reports_services.annual_report_update(
            report=report,
            title="改过的标题",
            addressee="别处",
            sections={first.pk: {"heading": "改", "body": "改"}},
            by=by,
        )
    with pytest.raises(Forbidden):
        reports_services.annual_report_section_add(report=report, heading="意见建议", by=by)
    with pytest.raises(Forbidden):
        reports_services.annual_report_fill(report=report, source="work_points", by=by)
    assert _report_rows() == before


def test_it_lets_the_office_write_an_annual_report_and_records_who(org, report):
    first = report.sections.order_by("position").first()
    reports_services.annual_report_update(
        report=report,
        title="2026年统一战线工作情况汇报（修改稿）",
        addressee=report.addressee,
        sections={first.pk: {"heading": first.heading, "body": "一年来工作稳步推进。"}},
        by=org.office,
    )
    added = reports_services.annual_report_section_add(
        report=report, heading="意见建议", by=org.office
    )
    report.refresh_from_db()
    assert report.title == "2026年统一战线工作情况汇报（修改稿）"
    assert added.position == 4
    assert report.history.first().history_user == org.office
    assert added.history.first().history_user == org.office


def test_it_refuses_annual_report_writes_without_by(org, report):
    with pytest.raises(TypeError):
        reports_services.annual_report_create(year=2027)
    with pytest.raises(TypeError):
        reports_services.annual_report_section_add(report=report, heading="x")
    with pytest.raises(TypeError):
        reports_services.annual_report_fill(report=report, source="work_points")
    with pytest.raises(TypeError):
        reports_services.annual_report_update(report=report, title="x", addressee="y", sections={})
    assert AnnualReport.objects.count() == 1


# portal: units, people, the working-day schedule -------------------------------------------


@pytest.mark.parametrize("persona", ["leader", "member", "commissioner_a"])
def test_it_lets_only_the_office_save_a_unit(org, persona):
    count = Unit.objects.count()
    with pytest.raises(Forbidden):
        portal_services.unit_save(
            unit=Unit(),
            fields={"name": "新单位", "kind": Unit.Kind.SCHOOL},
            by=getattr(org, persona),
        )
    with pytest.raises(Forbidden):
        portal_services.unit_save(
            unit=org.branch_a, fields={"name": "改名"}, by=getattr(org, persona)
        )
    assert Unit.objects.count() == count
    assert Unit.objects.get(pk=org.branch_a.pk).name == org.branch_a.name


def test_it_lets_the_office_save_a_unit_and_records_who(org):
    unit = portal_services.unit_save(unit=org.branch_a, fields={"name": "新名称"}, by=org.office)
    assert Unit.objects.get(pk=unit.pk).name == "新名称"
    assert unit.history.first().history_user == org.office


def test_it_lets_a_commissioner_save_only_their_own_branchs_people(org):
    theirs = PersonFactory(unit=org.branch_a, note="")
    other = PersonFactory(unit=org.branch_b, note="")
    by = org.commissioner_a
    portal_services.person_save(person=theirs, fields={"note": "已核对"}, by=by)
    assert Person.objects.get(pk=theirs.pk).note == "已核对"
    assert theirs.history.first().history_user == by
    with pytest.raises(Forbidden, match="本单位"):
        portal_services.person_save(person=other, fields={"note": "改"}, by=by)
    # Nor move one of theirs out, nor register someone in another branch.
    with pytest.raises(Forbidden):
        portal_services.person_save(person=theirs, fields={"unit": org.branch_b}, by=by)
    count = Person.objects.count()
    with pytest.raises(Forbidden):
        portal_services.person_save(
            person=Person(),
            fields={"name": "他人", "unit": org.branch_b, "gender": "m", "political_status": "cpc"},
            by=by,
        )
    assert Person.objects.count() == count
    assert Person.objects.get(pk=other.pk).note == ""
    assert Person.objects.get(pk=theirs.pk).unit_id == org.branch_a.pk


@pytest.mark.parametrize("persona", ["leader", "member"])
def test_it_forbids_leaders_and_members_to_save_people(org, persona):
    person = PersonFactory(unit=org.branch_a, note="")
    with pytest.raises(Forbidden):
        portal_services.person_save(person=person, fields={"note": "改"}, by=getattr(org, persona))
    assert Person.objects.get(pk=person.pk).note == ""


def test_it_lets_the_office_save_anyone(org):
    person = PersonFactory(unit=org.branch_b, note="")
    portal_services.person_save(person=person, fields={"note": "已核对"}, by=org.office)
    assert Person.objects.get(pk=person.pk).note == "已核对"


DAYS = [ScheduleLine(dt.date(2027, 1, 1), False, "元旦")]


@pytest.mark.parametrize("persona", ["leader", "member", "commissioner_a"])
def test_it_lets_only_the_office_set_a_years_schedule(org, persona):
    with pytest.raises(Forbidden, match="只有办公室工作人员"):
        portal_services.workday_year_set(
            year=2027, notice="通知", days=DAYS, by=getattr(org, persona)
        )
    assert not WorkdayYear.objects.filter(year=2027).exists()
    assert not WorkdayException.objects.exists()


def test_it_lets_the_office_set_a_years_schedule_and_records_who(org):
    schedule = portal_services.workday_year_set(year=2027, notice="通知", days=DAYS, by=org.office)
    assert list(schedule.exceptions.values_list("name", flat=True)) == ["元旦"]
    assert WorkdayException.history.first().history_user == org.office


def test_it_refuses_portal_writes_without_by(org):
    with pytest.raises(TypeError):
        portal_services.unit_save(unit=org.branch_a, fields={"name": "x"})
    with pytest.raises(TypeError):
        portal_services.person_save(person=Person(), fields={})
    with pytest.raises(TypeError):
        portal_services.workday_year_set(year=2027, notice="x", days=[])
    assert Unit.objects.get(pk=org.branch_a.pk).name == org.branch_a.name
    assert not WorkdayYear.objects.filter(year=2027).exists()


# the inbox ----------------------------------------------------------------------------------


def _message(recipient) -> Notification:
    return Notification.objects.create(
        recipient=recipient, kind=Notification.Kind.choices[0][0], title="提醒"
    )


def test_it_marks_only_the_readers_own_messages_read(org):
    theirs, other = _message(org.commissioner_a), _message(org.commissioner_b)
    assert not deadlines_services.notification_mark_read(
        by=org.commissioner_a, notification_id=other.pk
    )
    assert deadlines_services.notification_mark_read(
        by=org.commissioner_a, notification_id=theirs.pk
    )
    assert deadlines_services.notifications_mark_all_read(by=org.commissioner_a) == 0
    other.refresh_from_db()
    theirs.refresh_from_db()
    assert other.read_at is None
    assert theirs.read_at is not None


def test_it_marks_all_of_the_readers_messages_and_no_one_elses(org):
    _message(org.commissioner_a)
    _message(org.commissioner_a)
    other = _message(org.commissioner_b)
    assert deadlines_services.notifications_mark_all_read(by=org.commissioner_a) == 2
    other.refresh_from_db()
    assert other.read_at is None


def test_it_refuses_to_mark_messages_without_by(org):
    message = _message(org.commissioner_a)
    with pytest.raises(TypeError):
        deadlines_services.notification_mark_read(
            user=org.commissioner_a, notification_id=message.pk
        )
    with pytest.raises(TypeError):
        deadlines_services.notifications_mark_all_read(user=org.commissioner_a)
    message.refresh_from_db()
    assert message.read_at is None
