"""Writes of the register of non-party figures. The office keeps the register; every
service checks that itself and refuses with a Chinese message, changing nothing."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from outreach.models import Figure, OverseasRecord, PublicPosition, SensitiveProfile
from portal.lib.errors import Forbidden, Refused
from portal.models import Person, User
from portal.permissions import is_office

logger = logging.getLogger(__name__)

# The fields of a figure the register's form edits (not the person's own record).
FIGURE_FIELDS = ("category", "is_representative", "is_key_contact", "expertise", "registered_on")


def _require_office(by: User) -> None:
    if not is_office(by):
        raise Forbidden(_("只有办公室工作人员可以维护党外人士名册。"))


def _stamp(obj: Any, by: User) -> None:
    obj._history_user = by  # simple-history's hook


@transaction.atomic
def figure_create(
    *,
    person: Person,
    category: str,
    registered_on: dt.date,
    is_representative: bool = False,
    is_key_contact: bool = False,
    expertise: str = "",
    by: User,
) -> Figure:
    """Register a non-party person as a figure."""
    _require_office(by)
    if Figure.objects.filter(person=person).exists():
        raise Refused(_("%(name)s 已在党外人士名册中。") % {"name": person.name})
    figure = Figure(
        person=person,
        category=category,
        registered_on=registered_on,
        is_representative=is_representative,
        is_key_contact=is_key_contact,
        expertise=expertise.strip(),
    )
    figure.full_clean()
    _stamp(figure, by)
    try:
        with transaction.atomic():
            figure.save()
    except IntegrityError:  # a second tab registered the same person a moment ago
        raise Refused(_("%(name)s 已在党外人士名册中。") % {"name": person.name}) from None
    logger.info("figures: %s registered person %s", by.username, person.pk)
    return figure


@transaction.atomic
def figure_update(*, figure: Figure, fields: dict[str, Any], by: User) -> Figure:
    """Change a figure's register entry: `fields` among `FIGURE_FIELDS` and
    `is_active` (taken off the register, kept with its history)."""
    _require_office(by)
    figure = Figure.objects.select_for_update().select_related("person").get(pk=figure.pk)
    for name, value in fields.items():
        if name not in (*FIGURE_FIELDS, "is_active"):
            raise ValueError(f"not a register field: {name}")
        setattr(figure, name, value.strip() if isinstance(value, str) else value)
    figure.full_clean()
    _stamp(figure, by)
    figure.save()
    return figure


@transaction.atomic
def figure_sensitive_update(
    *, figure: Figure, affiliation: str, opinions: str, notes: str, by: User
) -> SensitiveProfile:
    """The sensitive part of the profile: the office alone writes it."""
    _require_office(by)
    profile, _created = SensitiveProfile.objects.select_for_update().get_or_create(figure=figure)
    profile.affiliation = affiliation.strip()
    profile.opinions = opinions.strip()
    profile.notes = notes.strip()
    profile.full_clean()
    _stamp(profile, by)
    profile.save()
    return profile


@transaction.atomic
def position_add(
    *,
    figure: Figure,
    kind: str,
    level: str,
    title: str,
    term_start: dt.date,
    term_end: dt.date | None = None,
    by: User,
) -> PublicPosition:
    """Record a public position a figure holds or held (人大代表, 政协委员, …)."""
    _require_office(by)
    position = PublicPosition(
        figure=figure,
        kind=kind,
        level=level,
        title=title.strip(),
        term_start=term_start,
        term_end=term_end,
    )
    position.full_clean()
    _stamp(position, by)
    position.save()
    return position


@transaction.atomic
def position_delete(*, position: PublicPosition, by: User) -> None:
    _require_office(by)
    locked = PublicPosition.objects.select_for_update().filter(pk=position.pk).first()
    if locked is None:  # the second click of a double click
        raise Refused(_("该社会职务已删除。"))
    _stamp(locked, by)
    locked.delete()


@transaction.atomic
def overseas_record_add(
    *,
    figure: Figure,
    kind: str,
    country: str = "",
    institution: str = "",
    degree: str = "",
    start_year: int | None = None,
    end_year: int | None = None,
    by: User,
) -> OverseasRecord:
    """Record a stay abroad (sensitive: the office writes it)."""
    _require_office(by)
    record = OverseasRecord(
        figure=figure,
        kind=kind,
        country=country.strip(),
        institution=institution.strip(),
        degree=degree,
        start_year=start_year,
        end_year=end_year,
    )
    record.full_clean()
    _stamp(record, by)
    record.save()
    return record


@transaction.atomic
def overseas_record_delete(*, record: OverseasRecord, by: User) -> None:
    _require_office(by)
    locked = OverseasRecord.objects.select_for_update().filter(pk=record.pk).first()
    if locked is None:
        raise Refused(_("该海外经历记录已删除。"))
    _stamp(locked, by)
    locked.delete()
