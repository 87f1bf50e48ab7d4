"""Reads of the liaison officers: every department and school with its liaison today
(or vacant), and one appointment with the unit's earlier ones. The office, leaders and
group members see all units; a commissioner their branch's. The basis tells which
branch of the rule applied, hence a political status or overseas study: it follows the
person page's rule (`can_see_basis`), and an appointment read for someone who may not
see it comes with it blanked (`hide_basis`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from liaisons.models import (
    LIAISON_UNIT_KINDS,
    Consultation,
    Liaison,
    LiaisonAttendance,
    LiaisonReport,
    LiaisonSession,
    ReportFollowUp,
    ReportRound,
)
from liaisons.transitions import FILING_ROLES
from portal.lib.queries import count_of
from portal.models import Role, Unit
from portal.permissions import (
    can_view_sensitive,
    has_role,
    is_office,
    may_see_some_sensitive,
    own_unit_ids,
    unit_scope,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.models import User

LIAISON_ROLES = (Role.OFFICE, Role.LEADER, Role.MEMBER, Role.COMMISSIONER)


def can_see_liaisons(user: User | AnonymousUser) -> bool:
    return has_role(user, *LIAISON_ROLES)


# What the basis is made of: shown together or not at all.
BASIS_FIELDS = ("basis", "basis_reason", "kept_on")


def may_see_some_basis(user: User | AnonymousUser) -> bool:
    """Whether the list's export has the basis columns at all: for those who may see
    some liaison's (`portal.permissions.may_see_some_sensitive`)."""
    return may_see_some_sensitive(user)


def can_see_basis(user: User | AnonymousUser, liaison: Liaison) -> bool:
    """The basis and its reasons tell the liaison's political status and overseas study:
    shown as the person page shows those (`can_view_sensitive`: the office; the liaison
    themself; the leader paired with them)."""
    return can_view_sensitive(user, liaison.person)


def hide_basis(liaison: Liaison) -> None:
    """Blank the basis, its reasons and the keep date on this instance, so that no page
    or export built from it can show them. Such an instance is for reading only (the
    services lock and save a fresh row)."""
    liaison.basis = ""
    liaison.basis_reason = ""
    liaison.kept_on = None
    liaison.basis_shown = False  # type: ignore[attr-defined]


def liaison_units(user: User | AnonymousUser) -> QuerySet[Unit]:
    """The departments and schools `user` may see, each with `current` (a list of at most
    one appointment in office today) prefetched: two queries."""
    if not can_see_liaisons(user):
        return Unit.objects.none()
    units = Unit.objects.filter(kind__in=LIAISON_UNIT_KINDS, is_active=True).order_by(
        "sort_order", "pk"
    )
    scope = unit_scope(user)
    if scope is not None:
        units = units.filter(pk__in=scope)
    return units


def with_current(units: list[Unit], day: dt.date) -> list[UnitRow]:
    """One row per unit with its liaison on `day` (one query for the page)."""
    current = {
        liaison.unit_id: liaison
        for liaison in Liaison.objects.current_on(day)
        .filter(unit__in=units)
        .select_related("person")
    }
    return [UnitRow(unit=unit, liaison=current.get(unit.pk)) for unit in units]


@dataclass
class UnitRow:
    unit: Unit
    liaison: Liaison | None


def get_liaison_for_user(user: User | AnonymousUser, pk: int) -> Liaison:
    try:
        liaison: Liaison = (
            Liaison.objects.filter(unit__in=liaison_units(user))
            .select_related("unit", "person", "appointed_by__person")
            .get(pk=pk)
        )
    except Liaison.DoesNotExist:
        raise Http404 from None
    if can_see_basis(user, liaison):
        liaison.basis_shown = True  # type: ignore[attr-defined]
    else:
        hide_basis(liaison)
    return liaison


def other_terms(liaison: Liaison) -> QuerySet[Liaison]:
    """The unit's other appointments, newest first."""
    return (
        Liaison.objects.filter(unit_id=liaison.unit_id)
        .exclude(pk=liaison.pk)
        .select_related("person")
        .order_by("-start_date")
    )


def can_manage(user: User | AnonymousUser) -> bool:
    return is_office(user)


# Consultations (征求意见) ---------------------------------------------------------------

CONSULTATION_ROLES = (Role.OFFICE, Role.LEADER, Role.MEMBER, Role.COMMISSIONER)


def can_file(user: User | AnonymousUser) -> bool:
    """The office (for any unit) or a commissioner or group member (for their own)."""
    return is_office(user) or (
        has_role(user, *FILING_ROLES) and getattr(user, "person_id", None) is not None
    )


def can_file_for(user: User | AnonymousUser, unit: Unit) -> bool:
    if is_office(user):
        return True
    return has_role(user, *FILING_ROLES) and unit.pk in own_unit_ids(user)


def filing_units(user: User | AnonymousUser) -> QuerySet[Unit]:
    """The units `user` may file for: every active unit for the office, else their own
    (and those under it)."""
    units = Unit.objects.filter(is_active=True).order_by("sort_order", "name")
    if is_office(user):
        return units
    if not can_file(user):
        return units.none()
    return units.filter(pk__in=own_unit_ids(user))


def consultations_for_user(user: User | AnonymousUser) -> QuerySet[Consultation]:
    """The office and leaders see every consultation; a commissioner or group member
    those of their own unit (and the units under it)."""
    rows = Consultation.objects.select_related("unit", "deadline")
    if has_role(user, Role.OFFICE, Role.LEADER):
        return rows
    if not has_role(user, *FILING_ROLES):
        return rows.none()
    return rows.filter(unit_id__in=own_unit_ids(user))


def get_consultation_for_user(user: User | AnonymousUser, pk: int) -> Consultation:
    try:
        return (
            consultations_for_user(user)
            .select_related("filed_by__person", "answered_by__person")
            .get(pk=pk)
        )
    except Consultation.DoesNotExist:
        raise Http404 from None


# Training sessions and meetings ------------------------------------------------------------


def sessions_for_user(user: User | AnonymousUser) -> QuerySet[LiaisonSession]:
    """Every session, with its invited and attended counts, for those who see the
    liaisons (the sessions are the office's own work; names are not sensitive)."""
    if not can_see_liaisons(user):
        return LiaisonSession.objects.none()
    attendance = LiaisonAttendance.objects.filter(session=OuterRef("pk"))
    return LiaisonSession.objects.annotate(
        invited=count_of(attendance), present=count_of(attendance.filter(attended=True))
    )


def get_session_for_user(user: User | AnonymousUser, pk: int) -> LiaisonSession:
    try:
        return sessions_for_user(user).get(pk=pk)
    except LiaisonSession.DoesNotExist:
        raise Http404 from None


def attendance_of(session: LiaisonSession) -> QuerySet[LiaisonAttendance]:
    return session.attendance.select_related("liaison__person", "liaison__unit").order_by(
        "liaison__unit__sort_order", "pk"
    )


def sessions_of(liaison: Liaison) -> QuerySet[LiaisonAttendance]:
    """A liaison's record: the sessions they were invited to, newest first."""
    return liaison.attendance.select_related("session").order_by("-session__held_on", "-pk")


# Liaison reports (联络员报告) -------------------------------------------------------------

REPORT_ROLES = (Role.OFFICE, Role.LEADER, Role.MEMBER, Role.COMMISSIONER, Role.LIAISON)


def reports_for_user(user: User | AnonymousUser) -> QuerySet[LiaisonReport]:
    """The office, leaders and group members see every report; a commissioner those of
    their branch's units; a liaison their own (by their login's person)."""
    rows = LiaisonReport.objects.select_related(
        "round", "liaison__unit", "liaison__person", "deadline"
    )
    if has_role(user, Role.OFFICE, Role.LEADER, Role.MEMBER):
        return rows
    mine = Q(pk__in=[])
    if has_role(user, Role.COMMISSIONER):
        mine |= Q(liaison__unit_id__in=own_unit_ids(user))
    if has_role(user, Role.LIAISON) and getattr(user, "person_id", None) is not None:
        mine |= Q(liaison__person_id=user.person_id)  # type: ignore[union-attr]
    return rows.filter(mine)


def get_report_for_user(user: User | AnonymousUser, pk: int) -> LiaisonReport:
    try:
        return reports_for_user(user).select_related("read_by__person").get(pk=pk)
    except LiaisonReport.DoesNotExist:
        raise Http404 from None


def rounds_for_user(user: User | AnonymousUser) -> QuerySet[ReportRound]:
    """Every round (their names and dates are not sensitive), with how many of the
    reports `user` may see are in, for those who see reports."""
    if not has_role(user, *REPORT_ROLES):
        return ReportRound.objects.none()
    visible = reports_for_user(user).filter(round=OuterRef("pk")).order_by()
    submitted = visible.exclude(state=LiaisonReport.State.DUE).exclude(
        state=LiaisonReport.State.RETURNED
    )
    return ReportRound.objects.annotate(
        expected=count_of(visible), submitted=count_of(submitted)
    ).select_related("opened_by__person")


def get_round_for_user(user: User | AnonymousUser, pk: int) -> ReportRound:
    try:
        return rounds_for_user(user).get(pk=pk)
    except ReportRound.DoesNotExist:
        raise Http404 from None


def follow_ups_of(report: LiaisonReport) -> list[ReportFollowUp]:
    return list(
        report.follow_ups.select_related("suggestion", "reserve__figure__person", "piece").order_by(
            "pk"
        )
    )


def report_links(record: Any) -> list[tuple[str, str]]:
    """Links back from an outreach suggestion or reserve entry (or a publicity piece) to
    the liaison reports it came from (`portal.backlinks`): one query."""
    field = {
        "outreach.suggestion": "suggestion",
        "outreach.reservecadre": "reserve",
        "liaisons.publicitypiece": "piece",
    }[record._meta.label_lower]
    follow_ups = ReportFollowUp.objects.filter(**{field: record}).select_related(
        "report__round", "report__liaison__unit"
    )
    return [
        (
            _("联络员报告：%(unit)s %(round)s")
            % {"unit": f.report.liaison.unit.name, "round": f.report.round.title},
            f.report.get_absolute_url(),
        )
        for f in follow_ups
    ]
