"""Writes of the cadre reserve and training records (培养举荐, 001 ch. 5). The office
keeps both; every service checks that itself and refuses with a Chinese message,
changing nothing."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from outreach.models import Figure, ReserveCadre, TrainingRecord
from portal.lib.errors import Forbidden, Refused
from portal.models import Person, User
from portal.permissions import is_office
from portal.uploads import storing_files

logger = logging.getLogger(__name__)


def _require_office(by: User) -> None:
    if not is_office(by):
        raise Forbidden(_("只有办公室工作人员可以管理党外后备干部和培训记录。"))


def _stamp(obj: Any, by: User) -> None:
    obj._history_user = by  # simple-history's hook


@transaction.atomic
def reserve_add(
    *,
    figure: Figure,
    added_on: dt.date,
    proposed_post: str = "",
    assessment: str = "",
    by: User,
) -> ReserveCadre:
    """Put a figure in the cadre reserve from `added_on`."""
    _require_office(by)
    figure = Figure.objects.select_for_update().select_related("person").get(pk=figure.pk)
    if not figure.is_active:
        raise Refused(_("%(name)s 已不在册，不能列入后备干部名单。") % {"name": figure})
    if ReserveCadre.objects.filter(figure=figure, removed_on__isnull=True).exists():
        raise Refused(_("%(name)s 已在后备干部名单中。") % {"name": figure})
    last = ReserveCadre.objects.filter(figure=figure).order_by("-removed_on").first()
    if last is not None and last.removed_on is not None and added_on < last.removed_on:
        raise ValidationError(
            {"added_on": _("列入日期不能早于上次退出日期（%(day)s）。") % {"day": last.removed_on}}
        )
    cadre = ReserveCadre(
        figure=figure, added_on=added_on, proposed_post=proposed_post, assessment=assessment
    )
    cadre.full_clean()
    _stamp(cadre, by)
    try:
        with transaction.atomic():
            cadre.save()
    except IntegrityError:  # a second tab added the same figure a moment ago
        raise Refused(_("%(name)s 已在后备干部名单中。") % {"name": figure}) from None
    logger.info("reserve: %s added %s", by.username, figure.pk)
    return cadre


@transaction.atomic
def reserve_update(
    *, cadre: ReserveCadre, proposed_post: str, assessment: str, by: User
) -> ReserveCadre:
    """Change the reserve entry's direction of training and the office's assessment."""
    _require_office(by)
    cadre = ReserveCadre.objects.select_for_update().get(pk=cadre.pk)
    cadre.proposed_post = proposed_post
    cadre.assessment = assessment
    cadre.full_clean()
    _stamp(cadre, by)
    cadre.save()
    return cadre


@transaction.atomic
def reserve_end(
    *, cadre: ReserveCadre, removed_on: dt.date, outcome: str, by: User
) -> ReserveCadre:
    """Take a cadre out of the reserve on `removed_on`, with the reason."""
    _require_office(by)
    cadre = ReserveCadre.objects.select_for_update().get(pk=cadre.pk)
    if cadre.removed_on is not None:
        raise Refused(
            _("%(name)s 已于 %(day)s 退出后备干部名单。")
            % {
                "name": cadre.figure,
                "day": cadre.removed_on,
            }
        )
    if outcome not in ReserveCadre.Outcome.values:
        raise ValidationError({"outcome": _("请选择退出原因。")})
    cadre.removed_on = removed_on
    cadre.outcome = outcome
    cadre.full_clean()
    _stamp(cadre, by)
    cadre.save()
    logger.info("reserve: %s ended %s (%s)", by.username, cadre.pk, outcome)
    return cadre


@storing_files()
def training_record_add(
    *,
    person: Person,
    course: str,
    level: str,
    organiser: str,
    start_on: dt.date,
    end_on: dt.date,
    certificate: UploadedFile | None = None,
    by: User,
) -> TrainingRecord:
    """Record a course a person attended, with its certificate if there is one."""
    _require_office(by)
    record = TrainingRecord(
        person=person,
        course=course.strip(),
        level=level,
        organiser=organiser.strip(),
        start_on=start_on,
        end_on=end_on,
        recorded_by=by,
    )
    if certificate is not None:
        record.certificate = certificate
    record.full_clean()  # the upload's size, kind and content before anything is stored
    _stamp(record, by)
    record.save()
    return record


@transaction.atomic
def training_record_delete(*, record: TrainingRecord, by: User) -> None:
    """Delete a training record entered by mistake (its history keeps it)."""
    _require_office(by)
    locked = TrainingRecord.objects.select_for_update().filter(pk=record.pk).first()
    if locked is None:  # a double click: the first one deleted it
        raise Refused(_("该培训记录已删除。"))
    _stamp(locked, by)
    locked.delete()
