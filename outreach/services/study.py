"""Writes of the learning system (学习制度): the office sends study material or calls a
session for chosen groups, each person confirms what they read (or the office records
it and who attended), and the "五个一" are recorded with their evidence.

An online push with a confirmation date opens one deadline (`study_confirm`) that
reminds those who have a login and have not confirmed yet; it is met when the last of
them confirms. Every service checks its own permission and refuses in Chinese,
changing nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from outreach.models import Figure, FiveOne, StudyActivity, StudyParticipant
from outreach.rules import STUDY_CONFIRM
from outreach.selectors.study import AUDIENCES, audience_people, can_record_five_one
from portal.deadlines.services import deadline_meet, deadline_open
from portal.lib.errors import Forbidden, Refused
from portal.models import User
from portal.permissions import is_office
from portal.uploads import storing_files

# An audience larger than this is refused: a mistake (the whole college), not a push.
MAX_AUDIENCE = 5000


@dataclass(frozen=True)
class Audience:
    """Who an activity reaches: groups (keys of AUDIENCES), figure categories, an
    optional narrowing to units, and people named one by one."""

    groups: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    units: list[int] = field(default_factory=list)
    extra: list[int] = field(default_factory=list)


def _require_office(by: User) -> None:
    if not is_office(by):
        raise Forbidden(_("只有办公室工作人员可以发布学习活动和登记学习情况。"))


@storing_files()
def study_create(
    *,
    kind: str,
    title: str,
    held_on: dt.date,
    audience: Audience,
    material: str = "",
    link: str = "",
    attachment: UploadedFile | None = None,
    place: str = "",
    confirm_by: dt.date | None = None,
    by: User,
) -> StudyActivity:
    """Send study material (online) or call a session (offline) for `audience`, fixed
    as the people it reaches today."""
    _require_office(by)
    unknown = set(audience.groups) - set(AUDIENCES)
    if unknown:
        raise ValidationError({"groups": _("未知的学习对象范围：%(keys)s") % {"keys": unknown}})
    if kind == StudyActivity.Kind.OFFLINE:
        confirm_by = None
        if not place.strip():
            raise ValidationError({"place": _("线下集中学习请填写地点。")})
    elif confirm_by is None:
        raise ValidationError({"confirm_by": _("线上推送请填写确认期限。")})
    people = list(
        audience_people(
            audience.groups,
            categories=audience.categories,
            units=audience.units,
            extra=audience.extra,
            today=timezone.localdate(),
        ).values_list("pk", flat=True)
    )
    if not people:
        raise ValidationError({"groups": _("所选范围内没有学习对象，请调整范围或添加人员。")})
    if len(people) > MAX_AUDIENCE:
        raise ValidationError(
            {"groups": _("学习对象超过 %(max)s 人，请缩小范围。") % {"max": MAX_AUDIENCE}}
        )
    activity = StudyActivity(
        kind=kind,
        title=title.strip(),
        material=material,
        link=link,
        held_on=held_on,
        place=place.strip(),
        confirm_by=confirm_by,
        created_by=by,
    )
    if attachment is not None:
        activity.attachment = attachment
    activity.full_clean()
    activity._history_user = by  # type: ignore[attr-defined]
    activity.save()
    bulk_create_with_history(
        [StudyParticipant(activity=activity, person_id=pk) for pk in people],
        StudyParticipant,
        default_user=by,
    )
    _sync_deadline(activity)
    return activity


def _sync_deadline(activity: StudyActivity) -> None:
    """The push's deadline reminds those with a login who have not confirmed; it is met
    once none is left (and never opened when nobody it reaches has a login)."""
    if not activity.is_online or activity.confirm_by is None:
        return
    waiting = list(
        User.objects.filter(
            is_active=True,
            person__studies__activity=activity,
            person__studies__confirmed_at__isnull=True,
        )
    )
    if waiting:
        deadline_open(
            rule=STUDY_CONFIRM,
            subject=activity,
            due=activity.confirm_by,
            title=activity.title,
            responsible_users=waiting,
        )
    else:
        deadline_meet(rule=STUDY_CONFIRM, subject=activity)


@transaction.atomic
def study_confirm(*, activity: StudyActivity, by: User) -> StudyParticipant:
    """The user confirms they read the material (or attended). A second click (or a
    confirmation the office already recorded) changes nothing."""
    row = (
        StudyParticipant.objects.select_for_update()
        .filter(activity=activity, person_id=by.person_id)
        .first()
        if by.person_id is not None
        else None
    )
    if row is None:
        raise Forbidden(_("您不在本次学习的对象名单中。"))
    if row.confirmed_at is not None:
        return row
    row.confirmed_at = timezone.now()
    row.confirmed_by = by
    row.absence_reason = ""
    row._history_user = by  # type: ignore[attr-defined]
    row.save(update_fields=["confirmed_at", "confirmed_by", "absence_reason"])
    _sync_deadline(activity)
    return row


@transaction.atomic
def study_record(
    *,
    activity: StudyActivity,
    shown: list[int],
    confirmed: list[int],
    absences: dict[int, str],
    by: User,
) -> int:
    """The office's record for the rows it was shown (participant row ids, a page of
    them): those in `confirmed` read or attended, the others absent with the reason in
    `absences` (if any). A confirmation already given stays as it was (the first one
    counts, so a double click acts once); returns how many rows changed."""
    _require_office(by)
    rows = list(
        StudyParticipant.objects.select_for_update().filter(activity=activity, pk__in=shown)
    )
    if len(rows) != len(set(shown)) or not set(confirmed) <= set(shown):
        raise Refused(_("名单已变化，请刷新页面后重新登记。"))
    now = timezone.now()
    changed = 0
    for row in rows:
        fields: list[str] = []
        if row.confirmed_at is not None:
            continue
        if row.pk in confirmed:
            row.confirmed_at, row.confirmed_by, row.absence_reason = now, by, ""
            fields = ["confirmed_at", "confirmed_by", "absence_reason"]
        else:
            reason = absences.get(row.pk, "").strip()[:100]
            if reason != row.absence_reason:
                row.absence_reason = reason
                fields = ["absence_reason"]
        if fields:
            row._history_user = by  # type: ignore[attr-defined]
            row.save(update_fields=fields)
            changed += 1
    _sync_deadline(activity)
    return changed


@storing_files()
def five_one_record(
    *,
    figure: Figure,
    year: int,
    item: str,
    done_on: dt.date,
    title: str,
    evidence: UploadedFile | None = None,
    note: str = "",
    by: User,
) -> FiveOne:
    """Record one of a figure's "五个一" for `year`: by the office or the figure."""
    if not can_record_five_one(by, figure):
        raise Forbidden(_("只有办公室工作人员或本人可以登记“五个一”。"))
    if done_on.year != year:
        raise ValidationError({"done_on": _("完成日期应在 %(year)s 年内。") % {"year": year}})
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("完成日期不能晚于今天。")})
    record = FiveOne(
        figure=figure,
        year=year,
        item=item,
        done_on=done_on,
        title=title.strip(),
        note=note.strip(),
        recorded_by=by,
    )
    if evidence is not None:
        record.evidence = evidence
    record.full_clean(validate_constraints=False)
    record._history_user = by  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        raise Refused(
            _("%(name)s %(year)s 年的“%(item)s”已登记。")
            % {"name": figure, "year": year, "item": record.item_label}
        ) from None
    return record


@transaction.atomic
def five_one_delete(*, record: FiveOne, by: User) -> None:
    """Remove a record entered by mistake (kept in its history)."""
    if not can_record_five_one(by, record.figure):
        raise Forbidden(_("只有办公室工作人员或本人可以删除“五个一”登记。"))
    record._history_user = by  # type: ignore[attr-defined]
    record.delete()
