"""The six kinds of seat (组长, 副组长, 成员, 办公室主任, 办公室成员, 统战委员) in one table:
the category the forms, the roster spreadsheet and the exports name, its label, the
model that records it, the value of that model's `role` field, the field naming its unit
and the login role it gives while held. Services, imports, the roster's selectors and the
demo read this table instead of spelling the mapping out again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from groups.models import BranchCommissioner, GroupMembership, OfficeMember, Seat
from portal.models import Role

QS = TypeVar("QS", bound=QuerySet[Any])
SeatModel = type[GroupMembership] | type[OfficeMember] | type[BranchCommissioner]


class Category:
    """The six kinds of seat, as the forms and the roster spreadsheet name them."""

    LEADER = "leader"
    DEPUTY_LEADER = "deputy_leader"
    MEMBER = "member"
    OFFICE_DIRECTOR = "office_director"
    OFFICE_MEMBER = "office_member"
    COMMISSIONER = "commissioner"

    @staticmethod
    def choices() -> list[tuple[str, str]]:
        return [(value, _(kind.label)) for value, kind in SEAT_KINDS.items()]

    @staticmethod
    def label(value: str) -> str:
        """One category's label (translating only that one: the roster calls it per row)."""
        return _(SEAT_KINDS[value].label)

    @staticmethod
    def of(seat: Seat) -> str:
        return category_of(type(seat), getattr(seat, "role", ""))  # type: ignore[arg-type]


@dataclass(frozen=True)
class SeatKind:
    label: str  # untranslated (marked for makemessages; translated when read)
    model: SeatModel
    role: str  # the model's `role` value; "" for a model without one
    unit_field: str  # the seat's unit: whom a member represents, a commissioner's branch
    login_role: str  # the login role the seat gives while it is held

    def narrow(self, seats: QS) -> QS:
        """`seats` (of any one seat model) cut down to this kind."""
        if seats.model is not self.model:
            return seats.none()
        return seats.filter(role=self.role) if self.role else seats

    def find(self, *, unit: Any, **filters: Any) -> QuerySet[Any]:
        """Seats of this kind in `unit` (or branch) matching `filters`."""
        return self.narrow(self.model.objects.filter(**{self.unit_field: unit}, **filters))


SEAT_KINDS: dict[str, SeatKind] = {  # in org-chart order: the roster sorts by it
    Category.LEADER: SeatKind(
        gettext_noop("组长"), GroupMembership, GroupMembership.Role.LEADER, "unit", Role.LEADER
    ),
    Category.DEPUTY_LEADER: SeatKind(
        gettext_noop("副组长"),
        GroupMembership,
        GroupMembership.Role.DEPUTY_LEADER,
        "unit",
        Role.LEADER,
    ),
    Category.MEMBER: SeatKind(
        gettext_noop("成员"), GroupMembership, GroupMembership.Role.MEMBER, "unit", Role.MEMBER
    ),
    Category.OFFICE_DIRECTOR: SeatKind(
        gettext_noop("办公室主任"), OfficeMember, OfficeMember.Role.DIRECTOR, "unit", Role.MEMBER
    ),
    Category.OFFICE_MEMBER: SeatKind(
        gettext_noop("办公室成员"), OfficeMember, OfficeMember.Role.MEMBER, "unit", Role.MEMBER
    ),
    Category.COMMISSIONER: SeatKind(
        gettext_noop("统战委员"), BranchCommissioner, "", "branch", Role.COMMISSIONER
    ),
}

_CATEGORY_OF: dict[tuple[SeatModel, str], str] = {
    (kind.model, str(kind.role)): category for category, kind in SEAT_KINDS.items()
}

# The login role each kind of seat gives while it is held.
SEAT_ROLES: dict[str, str] = {category: kind.login_role for category, kind in SEAT_KINDS.items()}
ROSTER_ROLES = frozenset(SEAT_ROLES.values())


def category_of(model: SeatModel, role: str = "") -> str:
    """The category of a seat of `model` with `role` (a commissioner has none)."""
    return _CATEGORY_OF[model, str(role) if model is not BranchCommissioner else ""]
