"""The year from data: the sources that draft the annual report's sections from what the
other apps recorded (`reports.sources`), each with its figures and the list each figure
counts. Registered by `ReportsConfig.ready()` after the work points, in the order the
report reads: meetings, supervision and rectification, outreach (talks, contacts and
suggestions), liaisons (consultations and liaison reports), publicity, the performance
review.

This module is the year seam of reports (`pyproject.toml`): it counts other apps' records
through their models, read-only, and links to their lists filtered to the same records;
`tests/test_seed_demo.py` checks each figure against an independent count and that each
link shows exactly that many rows. The headings, bodies and figure labels are the
report's own text (an official Chinese document), not the interface's: not translated,
as `reports.sources.work_points_body`.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from reports.sources import Figure, Source


def _range(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The year in the college's time, as the meetings list's year filter reads it."""
    zone = timezone.get_current_timezone()
    return (
        dt.datetime(year, 1, 1, tzinfo=zone),
        dt.datetime(year + 1, 1, 1, tzinfo=zone),
    )


# Meetings ----------------------------------------------------------------------------------


def meetings_figures(year: int) -> list[Figure]:
    from meetings.models import FollowUpItem, Meeting

    begin, finish = _range(year)
    held = Meeting.objects.filter(starts_at__gte=begin, starts_at__lt=finish, held=True)
    figures = []
    with translation.override("zh-hans"):  # the report's language, not the reader's
        kinds = [(kind, str(label)) for kind, label in Meeting.Kind.choices]
    for kind, label in kinds:
        count = held.filter(kind=kind).count()
        if count:
            figures.append(
                Figure(
                    label=f"召开{label}",
                    value=count,
                    unit="次",
                    url=f"{reverse('meeting_list')}?year={year}&kind={kind}&held=true",
                )
            )
    follow_ups = FollowUpItem.objects.filter(
        agenda_item__meeting__starts_at__gte=begin, agenda_item__meeting__starts_at__lt=finish
    )
    total = follow_ups.count()
    if total:
        figures.append(
            Figure(
                label="会议决定分解督办事项",
                value=total,
                unit="项",
                url=f"{reverse('follow_up_list')}?year={year}",
            )
        )
        closed = follow_ups.filter(status=FollowUpItem.Status.CLOSED).count()
        figures.append(
            Figure(
                label="督办事项已办结",
                value=closed,
                unit="项",
                url=f"{reverse('follow_up_list')}?year={year}&status=closed",
            )
        )
    return figures


def meetings_body(year: int) -> str:
    figures = meetings_figures(year)
    if not figures:
        return ""
    parts = "，".join(f"{f.label}{f.value}{f.unit}" for f in figures)
    return f"{year}年，统一战线工作领导小组{parts}，研究部署统一战线重点工作。"


# Supervision and rectification ---------------------------------------------------------------


def inspections_figures(year: int) -> list[Figure]:
    from inspections.models import Rectification

    opened = Rectification.objects.filter(opened_on__year=year)
    url = reverse("rectification_list")
    closed = opened.filter(state=Rectification.State.CLOSED).count()
    still_open = opened.filter(state=Rectification.State.OPEN).count()
    if not closed and not still_open:
        return []
    return [
        Figure(
            label="已整改销号",
            value=closed,
            unit="项",
            url=f"{url}?year={year}&state=closed",
        ),
        Figure(
            label="正在整改",
            value=still_open,
            unit="项",
            url=f"{url}?year={year}&state=open",
        ),
    ]


def inspections_body(year: int) -> str:
    figures = inspections_figures(year)
    if not figures:
        return ""
    closed, still_open = figures[0].value, figures[1].value
    return (
        f"坚持问题导向，对督促检查、调研指导和通报约谈中发现的问题交办整改{closed + still_open}项，"
        f"已整改销号{closed}项，其余{still_open}项持续跟踪督办。"
    )


# Outreach: talks, contacts and suggestions ---------------------------------------------------


def outreach_figures(year: int) -> list[Figure]:
    from outreach.models import Contact, Suggestion, Talk
    from outreach.models import Figure as NonPartyFigure
    from outreach.selectors.figures import contacted_in_q
    from outreach.selectors.suggestions import answered_on_time_q

    figures = []
    contacts = Contact.objects.filter(date__year=year)
    count = contacts.count()
    if count:
        figures.append(
            Figure(
                label="联谊交友联系走访",
                value=count,
                unit="次",
                url=f"{reverse('contact_list')}?year={year}",
            )
        )
    talks = Talk.objects.filter(date__year=year).count()
    if talks:
        figures.append(
            Figure(
                label="开展谈心谈话",
                value=talks,
                unit="次",
                url=f"{reverse('talk_list')}?year={year}",
            )
        )
    # Coverage: the figures met in a contact or a talk this year (each counted once).
    covered = NonPartyFigure.objects.filter(contacted_in_q(year)).count()
    if covered:
        figures.append(
            Figure(
                label="联系覆盖党外人士",
                value=covered,
                unit="人",
                url=f"{reverse('figure_list')}?state=all&contacted={year}",
            )
        )
    raised = Suggestion.objects.filter(raised_on__year=year)
    total = raised.count()
    if total:
        url = f"{reverse('suggestion_list')}?year={year}"
        figures.append(Figure(label="收集意见建议", value=total, unit="条", url=url))
        figures.append(
            Figure(
                label="意见建议已办理反馈",
                value=raised.filter(state=Suggestion.State.FED_BACK).count(),
                unit="条",
                url=f"{url}&state=fed_back",
            )
        )
        figures.append(
            Figure(
                label="提出人对办理结果满意",
                value=raised.filter(satisfaction=Suggestion.Satisfaction.SATISFIED).count(),
                unit="条",
                url=f"{url}&satisfaction=satisfied",
            )
        )
        on_time = raised.filter(answered_on_time_q()).count()
        figures.append(
            Figure(
                label="牵头单位按期答复",
                value=on_time,
                unit="条",
                url=f"{url}&answered=on_time",
            )
        )
    return figures


def outreach_body(year: int) -> str:
    figures = outreach_figures(year)
    if not figures:
        return ""
    parts = "，".join(f"{f.label}{f.value}{f.unit}" for f in figures)
    return (
        f"{year}年，坚持联谊交友、谈心谈话制度，校领导和统战工作部门同党外代表人士"
        f"经常性联系，{parts}。"
    )


# Liaisons: consultations and liaison reports ------------------------------------------------------


def liaisons_figures(year: int) -> list[Figure]:
    from liaisons.models import Consultation, LiaisonReport

    figures = []
    filed = Consultation.objects.filter(filed_on__year=year)
    total = filed.count()
    if total:
        url = f"{reverse('consultation_list')}?year={year}"
        figures.append(Figure(label="收到征求意见", value=total, unit="件", url=url))
        figures.append(
            Figure(
                label="征求意见已办结",
                value=filed.filter(state=Consultation.State.CLOSED).count(),
                unit="件",
                url=f"{url}&state=closed",
            )
        )
    read = LiaisonReport.objects.filter(
        round__due_on__year=year, state=LiaisonReport.State.READ
    ).count()
    if read:
        figures.append(
            Figure(
                label="统战联络员报送信息",
                value=read,
                unit="份",
                url=f"{reverse('liaison_report_list')}?year={year}&state=read",
            )
        )
    return figures


def liaisons_body(year: int) -> str:
    figures = liaisons_figures(year)
    if not figures:
        return ""
    parts = "，".join(f"{f.label}{f.value}{f.unit}" for f in figures)
    return f"{year}年，发挥统战联络员作用，落实征求意见制度，{parts}。"


# Publicity -------------------------------------------------------------------------------------


def publicity_figures(year: int) -> list[Figure]:
    from liaisons.models import PublicityPiece

    published = PublicityPiece.objects.filter(
        state=PublicityPiece.State.PUBLISHED, published_on__year=year
    )
    total = published.count()
    if not total:
        return []
    return [
        Figure(
            label="发布统战宣传稿件",
            value=total,
            unit="篇",
            url=f"{reverse('publicity_year')}?year={year}",
        )
    ]


def publicity_body(year: int) -> str:
    figures = publicity_figures(year)
    if not figures:
        return ""
    return f"加强统战宣传，宣传工作成员按名单轮值撰稿，全年发布统战宣传稿件{figures[0].value}篇。"


# The performance review ---------------------------------------------------------------------------


def review_figures(year: int) -> list[Figure]:
    from reports.models import Grade, Rating, ReviewRound

    review = ReviewRound.objects.filter(
        year=year, kind=ReviewRound.Kind.ANNUAL, state=ReviewRound.State.LOCKED
    ).first()
    if review is None:
        return []
    ratings = Rating.objects.filter(round=review)
    url = review.get_absolute_url()
    return [
        Figure(label="成员单位述职", value=ratings.count(), unit="个", url=url),
        Figure(
            label="测评为“优秀”",
            value=ratings.filter(grade=Grade.EXCELLENT).count(),
            unit="个",
            url=f"{url}?grade=excellent",
        ),
        Figure(
            label="通报表扬",
            value=ratings.filter(place=Rating.Place.TOP).count(),
            unit="个",
            url=f"{url}?place=top",
        ),
    ]


def review_body(year: int) -> str:
    figures = review_figures(year)
    if not figures:
        return ""
    units, excellent, top = (f.value for f in figures)
    return (
        f"开展{year}年度统战工作述职评议，{units}个成员单位向领导小组述职，"
        f"按“前5后3”原则点评，{excellent}个单位测评为“优秀”，{top}个单位予以通报表扬，"
        "测评结果单独书面反馈各单位。"
    )


SOURCES = (
    Source(
        key="meetings",
        label=gettext_lazy("从会议记录生成"),
        heading=lambda year: f"{year}年领导小组会议情况",
        build=meetings_body,
        figures=meetings_figures,
    ),
    Source(
        key="inspections",
        label=gettext_lazy("从督查整改生成"),
        heading=lambda year: f"{year}年督促检查和整改落实情况",
        build=inspections_body,
        figures=inspections_figures,
    ),
    Source(
        key="outreach",
        label=gettext_lazy("从联谊交友和意见建议生成"),
        heading=lambda year: f"{year}年联谊交友和意见建议办理情况",
        build=outreach_body,
        figures=outreach_figures,
    ),
    Source(
        key="liaisons",
        label=gettext_lazy("从联络员和征求意见生成"),
        heading=lambda year: f"{year}年统战联络员和征求意见情况",
        build=liaisons_body,
        figures=liaisons_figures,
    ),
    Source(
        key="publicity",
        label=gettext_lazy("从宣传稿件生成"),
        heading=lambda year: f"{year}年统战宣传情况",
        build=publicity_body,
        figures=publicity_figures,
    ),
    Source(
        key="review",
        label=gettext_lazy("从述职评议生成"),
        heading=lambda year: f"{year}年度述职评议情况",
        build=review_body,
        figures=review_figures,
    ),
)
