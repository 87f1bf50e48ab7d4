"""The follow-up seam (pyproject.toml, `apps-independent`): what the office makes of a
liaison's report in the outreach app, through outreach's own services. A raised issue
becomes a suggestion (来源：联络员报告), a recommended person a reserve cadre; each
`ReportFollowUp` links the two, and the outreach pages link back (`portal.backlinks`)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from liaisons.models import LiaisonReport, ReportFollowUp
from liaisons.services import locked_report
from outreach.models import Figure, ReserveCadre
from outreach.services.learning import reserve_add
from outreach.services.suggestions import suggestion_record
from portal.lib.errors import Forbidden, Refused, required
from portal.models import User
from portal.permissions import is_office


def reserve_candidates() -> QuerySet[Figure]:
    """The registered non-party figures not in the reserve now, for the office's form."""
    in_reserve = ReserveCadre.objects.filter(removed_on__isnull=True).values("figure_id")
    return (
        Figure.objects.filter(is_active=True)
        .exclude(pk__in=in_reserve)
        .select_related("person__unit")
        .order_by("person__unit__sort_order", "person__name")
    )


def _check_follow_up(report: LiaisonReport, by: User) -> None:
    if not is_office(by):
        raise Forbidden(_("只有办公室可以跟进联络员报告。"))
    if report.state != LiaisonReport.State.READ:
        raise Refused(_("请先阅知报告，再转办跟进。"))


@transaction.atomic
def follow_up_suggestion(
    *, report: LiaisonReport, title: str, content: str, figure: Any = None, by: User
) -> ReportFollowUp:
    """A raised issue becomes an outreach suggestion (来源：联络员报告), waiting to be
    assigned; the follow-up links the two."""
    report = locked_report(report)
    _check_follow_up(report, by)
    suggestion = suggestion_record(
        title=required(title, "title", _("请填写标题。")),
        content=required(content, "content", _("请填写意见建议内容。")),
        source="liaison",
        raised_on=timezone.localdate(report.submitted_at or timezone.now()),
        figure=figure,
        raised_by=""
        if figure
        else f"{report.liaison.unit.name}党外教师（联络员{report.liaison.person.name}反映）"[:100],
        by=by,
    )
    existing = ReportFollowUp.objects.filter(report=report, suggestion=suggestion).first()
    if existing is not None:  # the same form posted twice: the suggestion was found again
        return existing
    return ReportFollowUp.objects.create(
        report=report, kind=ReportFollowUp.Kind.SUGGESTION, suggestion=suggestion, created_by=by
    )


@transaction.atomic
def follow_up_reserve(
    *, report: LiaisonReport, figure: Any, proposed_post: str = "", by: User
) -> ReportFollowUp:
    """A recommended person joins the reserve of non-party cadres (党外后备干部) from
    today, with the recommendation kept as the reason; the follow-up links the two."""
    report = locked_report(report)
    _check_follow_up(report, by)
    cadre = reserve_add(
        figure=figure,
        added_on=timezone.localdate(),
        proposed_post=proposed_post.strip(),
        by=by,
    )
    return ReportFollowUp.objects.create(
        report=report, kind=ReportFollowUp.Kind.RESERVE, reserve=cadre, created_by=by
    )


@transaction.atomic
def follow_up_publicity(
    *, report: LiaisonReport, title: str, text: str, channel: str, author: Any, by: User
) -> ReportFollowUp:
    """A good deed becomes a publicity piece: a draft under a roster member's name, for
    them to finish and send for review; the follow-up links the two."""
    from liaisons.publicity.services import piece_create

    report = locked_report(report)
    _check_follow_up(report, by)
    piece = piece_create(title=title, text=text, channel=channel, author=author, by=by)
    existing = ReportFollowUp.objects.filter(report=report, piece=piece).first()
    if existing is not None:  # the same form posted twice: the draft was found again
        return existing
    return ReportFollowUp.objects.create(
        report=report, kind=ReportFollowUp.Kind.PUBLICITY, piece=piece, created_by=by
    )


def publicity_authors() -> QuerySet[Any]:
    """The people on the publicity roster today, who may be given the draft."""
    from liaisons.models import PublicityMember
    from portal.models import Person

    members = PublicityMember.objects.current_on(timezone.localdate()).values("person_id")
    return Person.objects.filter(pk__in=members).select_related("unit").order_by("name")
