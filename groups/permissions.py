"""Who may write what in the groups app: the predicates the views (to show a button or
answer 403) and the services (to refuse) both ask. The roster and the work points are
the office's; a progress report is the office's or a responsible unit's."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from groups.models import WorkPointsItem
from portal.models import Role, Unit, User
from portal.permissions import has_role, is_office, own_unit_ids


def can_manage_roster(user: User | AnonymousUser) -> bool:
    """Terms, appointments and the roster import: the office only."""
    return is_office(user)


def can_edit_work_points(user: User | AnonymousUser) -> bool:
    """Drafting the plan (its text, sections and items): the office only."""
    return is_office(user)


def reporting_units_for(user: User | AnonymousUser, item: WorkPointsItem) -> list[Unit]:
    """The responsible units of `item` the user may report for: all of them for the
    office; for a commissioner or a group/office member, those among their own unit and
    the units under it. Leaders and others report for none."""
    units = item.responsible_units()
    if is_office(user):
        return units
    if not has_role(user, Role.COMMISSIONER, Role.MEMBER):
        return []
    mine = own_unit_ids(user)
    return [unit for unit in units if unit.pk in mine]


def can_report_progress(user: User | AnonymousUser, item: WorkPointsItem, unit: Unit) -> bool:
    """May `user` report on `item` for `unit`: the unit is one of the item's responsible
    units that `reporting_units_for` gives the user."""
    return any(allowed.pk == unit.pk for allowed in reporting_units_for(user, item))
