"""The performance review's pages (述职评议): the rounds, a round with its reports,
ratings, ballot and letters, a unit's report, the office's rating table, a member's
ballot, and the letters' texts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal import exports
from portal.deadlines.display import set_lights
from portal.deadlines.selectors import deadlines_for_user
from portal.filters import select_html
from portal.lib.errors import Forbidden, Refused
from portal.lib.forms import CrispyForm, apply_errors
from portal.lib.paging import paginate
from portal.lib.views import service_or_message, workflow_step
from portal.models import Role, Unit
from portal.permissions import has_role, is_office, role_required
from portal.spreadsheets import XLSX_CONTENT_TYPE, build_xlsx
from portal.uploads import content_disposition
from reports import ranking
from reports import review_selectors as selectors
from reports import review_services as services
from reports.exporting import review_round_filter_for, target_statement_filter_for
from reports.models import Grade, PerformanceReport, Rating, ReviewPaper, ReviewRound
from reports.review_forms import (
    BallotForm,
    ConfirmForm,
    PaperForm,
    RatingForm,
    ReasonForm,
    ReportForm,
    ReturnForm,
    RoundForm,
    StartRatingForm,
    StatementForm,
    StatementsPrepareForm,
)
from reports.review_transitions import (
    REPORT_WORKFLOW,
    ROUND_BAR,
    ROUND_WORKFLOW,
    STATEMENT_WORKFLOW,
)

READERS = selectors.READERS
Call = Callable[[Any, dict[str, Any], Any], object]


def _office_only(request: HttpRequest, message: str) -> None:
    if not is_office(request.user):
        raise PermissionDenied(message)


def _round_step_refused(request: HttpRequest, review: ReviewRound, name: str) -> str | None:
    """A round's declared step (`ROUND_WORKFLOW[name]`) as its page sees it: 403 when the
    user may never take it; the reason when the round cannot take it now (the page
    redirects with it); None when it may."""
    transition = ROUND_WORKFLOW[name]
    if not transition.who(request.user, review):
        raise PermissionDenied(str(transition.refused))
    try:
        ROUND_WORKFLOW.check(review, name, by=request.user)
    except Refused as error:
        return str(error.message)
    return None


# Rounds ----------------------------------------------------------------------------------


@role_required(*READERS)
def review_round_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reports/review/round_list.html",
        {
            "page": paginate(request, review_round_filter_for(request.user, request.GET)),
            "can_open": is_office(request.user),
            "query": request.GET.urlencode(),
        },
    )


@role_required(*READERS)
def review_round_list_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The list, every row (not one page), in the user's scope (`reports.exporting`);
    a round's per-unit results are `review_round_export`."""
    return exports.export_answer(request, "review_rounds")


@role_required(*READERS)
def review_round_create(request: HttpRequest) -> HttpResponse:
    _office_only(request, _("只有办公室可以发起述职评议。"))
    today = timezone.localdate()
    units = selectors.active_units()
    year = today.year if today.month >= 6 else today.year - 1
    form = RoundForm(
        request.POST or None,
        units=units,
        initial={
            "year": year,
            "kind": ReviewRound.Kind.ANNUAL,
            "title": _("%(year)d年度统战工作述职评议") % {"year": year},
            "excellent_cap": ReviewRound._meta.get_field("excellent_cap").get_default(),
            "units": list(selectors.default_units(today).values_list("pk", flat=True)),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = services.review_round_open(
                year=data["year"],
                kind=data["kind"],
                title=data["title"],
                due_on=data["due_on"],
                units=data["units"],
                note=data["note"],
                excellent_cap=data["excellent_cap"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已发起述职评议，各参评单位的述职报告已列入期限提醒。"))
            return redirect(review)
    return render(
        request,
        "portal/form.html",
        {"form": form, "title": _("发起述职评议"), "cancel_url": reverse("review_round_list")},
    )


@role_required(*READERS)
def review_round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.get_round_for_user(request.user, pk)
    reports = selectors.round_reports(review, request.user)
    set_lights(reports)
    ratings = selectors.round_ratings(review, request.user)
    # ?grade= / ?place=: the ratings of one grade, or the commended (the annual report's
    # figures link here).
    grade, place = request.GET.get("grade", ""), request.GET.get("place", "")
    shown = ratings
    if grade in Grade.values:
        shown = [r for r in shown if r.grade == grade]
    if place in Rating.Place.values:
        shown = [r for r in shown if r.place == place]
    office = is_office(request.user)
    ballot = None
    if review.method == ReviewRound.Method.BALLOT and has_role(
        request.user, Role.OFFICE, Role.LEADER
    ):
        ballot = selectors.ballot_result(review)
    excellent = sum(1 for r in ratings if r.grade == "excellent")
    counts = {
        "total": len(reports),
        "sent": sum(1 for r in reports if r.submitted_at is not None),
        "confirmed": sum(1 for r in reports if r.state == PerformanceReport.State.CONFIRMED),
        "late": sum(1 for r in reports if r.is_late),
    }
    return render(
        request,
        "reports/review/round_detail.html",
        {
            "review": review,
            "reports": reports,
            "counts": counts,
            "ratings": shown,
            "filtered": shown is not ratings,
            "all_ratings": selectors.sees_ratings(request.user, review),
            "excellent": excellent,
            "excellent_cap": ranking.excellent_cap(len(ratings), review.excellent_cap),
            "ballot": ballot,
            "may_vote": ROUND_WORKFLOW.can(review, "cast_ballot", request.user),
            "may_rate": ROUND_WORKFLOW.can(review, "rate", request.user),
            "may_adopt": ROUND_WORKFLOW.can(review, "adopt_ballot", request.user),
            "may_write_papers": ROUND_WORKFLOW.can(review, "write_papers", request.user),
            "has_voted": selectors.has_voted(request.user, review),
            "papers": selectors.round_papers(review, request.user),
            "office": office,
            "can_export": has_role(request.user, Role.OFFICE, Role.LEADER),
            # The bar's own steps only: the others have their buttons on the page.
            "actions": [
                ROUND_WORKFLOW[name]
                for name in ROUND_BAR
                if ROUND_WORKFLOW.can(review, name, request.user)
            ],
            "history": review.history.select_related("history_user__person").order_by(
                "history_date"
            ),
        },
    )


@role_required(*READERS)
def review_round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.get_round_for_user(request.user, pk)
    transition = ROUND_WORKFLOW["edit"]
    if not transition.who(request.user, review):
        raise PermissionDenied(str(transition.refused))
    if not ROUND_WORKFLOW.can(review, "edit", request.user):
        messages.error(request, _("述职评议结果已锁定，不能修改。"))
        return redirect(review)
    form = RoundForm(
        request.POST or None,
        initial={
            "title": review.title,
            "due_on": review.due_on,
            "excellent_cap": review.excellent_cap,
            "note": review.note,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.review_round_update(
                review=review,
                title=data["title"],
                due_on=data["due_on"],
                note=data["note"],
                excellent_cap=data["excellent_cap"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect(review)
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("修改：%(title)s") % {"title": review.title},
            "cancel_url": review.get_absolute_url(),
        },
    )


ROUND_STEPS: dict[str, tuple[type[CrispyForm], Call, Any]] = {
    "start_rating": (
        StartRatingForm,
        lambda r, d, by: services.review_start_rating(review=r, method=d["method"], by=by),
        gettext_lazy("已开始测评。"),
    ),
    "lock": (
        ConfirmForm,
        lambda r, d, by: services.review_lock(review=r, by=by),
        gettext_lazy("已锁定测评结果，排名和“前5后3”已确定。"),
    ),
    "reopen": (
        ReasonForm,
        lambda r, d, by: services.review_reopen(review=r, reason=d["reason"], by=by),
        gettext_lazy("已重新开放测评，理由已记入办理过程。"),
    ),
}


@role_required(*READERS)
def review_round_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ROUND_STEPS:
        raise Http404
    review = selectors.get_round_for_user(request.user, pk)
    form_class, call, done = ROUND_STEPS[action]
    return workflow_step(
        request,
        record=review,
        workflow=ROUND_WORKFLOW,
        action=action,
        form_class=form_class,
        call=lambda data: call(review, data, request.user),
        done=done,
        title=f"{ROUND_WORKFLOW[action].label}：{review.title}",
        back=review.get_absolute_url(),
        form_kwargs={"initial": {"method": review.method}} if action == "start_rating" else None,
    )


@role_required(*READERS)
def review_round_rate(request: HttpRequest, pk: int) -> HttpResponse:
    """The office's rating table (or its calibration of the ballot's result)."""
    review = selectors.get_round_for_user(request.user, pk)
    refused = _round_step_refused(request, review, "rate")
    if refused:
        messages.error(request, refused)
        return redirect(review)
    ratings = selectors.round_ratings(review, request.user)
    form = RatingForm(request.POST or None, ratings=ratings)
    if request.method == "POST" and form.is_valid():
        try:
            services.ratings_save(review=review, rows=form.rows(), by=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已保存测评结果。"))
            return redirect(review)
    return render(
        request,
        "reports/review/rate.html",
        {
            "review": review,
            "form": form,
            "rows": [
                (
                    rating,
                    form[f"grade_{rating.unit_id}"],
                    form[f"score_{rating.unit_id}"],
                    form[f"comment_{rating.unit_id}"],
                )
                for rating in ratings
            ],
            "excellent_cap": ranking.excellent_cap(len(ratings), review.excellent_cap),
        },
    )


@require_POST
@role_required(*READERS)
def review_round_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.get_round_for_user(request.user, pk)
    service_or_message(
        request,
        lambda: services.ratings_from_ballot(review=review, by=request.user),  # type: ignore[arg-type]
        _("已按无记名测评统计结果填入测评等次和得分，请校准后锁定。"),
    )
    return redirect(review)


@role_required(*READERS)
def review_ballot(request: HttpRequest, pk: int) -> HttpResponse:
    """A member of the leading group's anonymous ballot."""
    review = selectors.get_round_for_user(request.user, pk)
    refused = _round_step_refused(request, review, "cast_ballot")
    if refused:
        messages.error(request, refused)
        return redirect(review)
    if selectors.has_voted(request.user, review):
        messages.info(request, _("您已经投过票了，每人只能投一次。"))
        return redirect(review)
    units = list(review.units.order_by("sort_order", "name"))
    cap = ranking.excellent_cap(len(units), review.excellent_cap)
    form = BallotForm(request.POST or None, units=units, cap=cap)
    if request.method == "POST" and form.is_valid():
        try:
            services.ballot_cast(review=review, grades=form.grades(), by=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已投票。选票不记名，与投票人分开保存。"))
            return redirect(review)
    return render(
        request,
        "reports/review/ballot.html",
        {"review": review, "form": form, "cap": cap, "units": len(units)},
    )


@role_required(Role.OFFICE, Role.LEADER)
def review_round_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's results as a table: every unit's report state, grade, score, rank,
    前5后3 and comment."""
    review = selectors.get_round_for_user(request.user, pk)
    reports = {r.unit_id: r for r in selectors.round_reports(review, request.user)}
    rows = []
    for rating in selectors.round_ratings(review, request.user):
        report = reports.get(rating.unit_id)
        rows.append(
            [
                rating.rank or "",
                rating.unit.name,
                report.state_label if report else "",
                _("是") if report and report.is_late else "",
                rating.grade_label,
                rating.score if rating.score is not None else "",
                rating.place_label,
                rating.comment,
            ]
        )
    data = build_xlsx(
        title=_("测评结果"),
        headers=[
            _("排名"),
            _("单位"),
            _("述职报告"),
            _("报送逾期"),
            _("测评等次"),
            _("得分"),
            _("前5后3"),
            _("点评意见"),
        ],
        rows=rows,
        widths=[8, 28, 14, 10, 10, 10, 14, 60],
    )
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(f"{review.title}测评结果.xlsx")
    return response


# Reports ---------------------------------------------------------------------------------


@role_required(*READERS)
def performance_report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's report: read by all who may see it; written by its drafters while it is
    a draft or returned (保存 / 保存并报送)."""
    report = selectors.get_report_for_user(request.user, pk)
    set_lights([report])
    lines = selectors.report_lines(report)
    editable = REPORT_WORKFLOW.can(report, "edit", request.user)
    form = None
    if editable:
        form = ReportForm(
            request.POST or None,
            entries=[line.entry for line in lines],
            initial={"duties": report.duties, "plans": report.plans},
        )
        form.helper.form_tag = False
    elif request.method == "POST":
        try:
            REPORT_WORKFLOW.check(report, "edit", by=request.user)
        except Forbidden:
            raise  # 403
        except ValidationError as error:  # a stale page: the state moved on
            messages.error(request, error.messages[0])
        return redirect(report)
    if form is not None and request.method == "POST" and form.is_valid():
        submit = "send" in request.POST
        try:
            services.performance_report_save(
                report=report,
                duties=form.cleaned_data["duties"],
                plans=form.cleaned_data["plans"],
                items=form.item_texts(),
                submit=submit,
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("已报送，请单位负责人确认。") if submit else _("已保存草稿。"),
            )
            return redirect(report)
    return render(
        request,
        "reports/review/report_detail.html",
        {
            "report": report,
            "statement": selectors.statement_of(report),
            # The deadline's page, for those who may open it (a group member reads the
            # report, not another unit's deadlines).
            "deadline_visible": report.deadline_id is not None
            and deadlines_for_user(request.user).filter(pk=report.deadline_id).exists(),
            "lines": lines,
            "form": form,
            "item_rows": (
                [(line, form[f"item_{line.entry.pk}"]) for line in lines] if form else []
            ),
            "actions": [
                a
                for a in REPORT_WORKFLOW.available(report, request.user)
                if a.name in ("confirm", "return")
            ],
            "history": report.history.select_related("history_user__person").order_by(
                "history_date"
            ),
        },
    )


REPORT_STEPS: dict[str, tuple[type[CrispyForm], Call, Any]] = {
    "confirm": (
        ConfirmForm,
        lambda r, d, by: services.performance_report_confirm(report=r, by=by),
        gettext_lazy("已确认述职报告。"),
    ),
    "return": (
        ReturnForm,
        lambda r, d, by: services.performance_report_return(report=r, note=d["note"], by=by),
        gettext_lazy("已退回述职报告。"),
    ),
}


@role_required(*READERS)
def performance_report_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in REPORT_STEPS:
        raise Http404
    report = selectors.get_report_for_user(request.user, pk)
    form_class, call, done = REPORT_STEPS[action]
    return workflow_step(
        request,
        record=report,
        workflow=REPORT_WORKFLOW,
        action=action,
        form_class=form_class,
        call=lambda data: call(report, data, request.user),
        done=done,
        title=f"{REPORT_WORKFLOW[action].label}：{report}",
        back=report.get_absolute_url(),
    )


# Letters and the commendation notice -------------------------------------------------------


@role_required(*READERS)
def review_paper_edit(
    request: HttpRequest, pk: int, purpose: str, unit: int | None = None
) -> HttpResponse:
    if purpose not in ReviewPaper.Purpose.values or (
        (purpose == ReviewPaper.Purpose.FEEDBACK) != (unit is not None)
    ):
        raise Http404
    review = selectors.get_round_for_user(request.user, pk)
    refused = _round_step_refused(request, review, "write_papers")
    target: Unit | None = None
    if unit is not None:
        target = review.units.filter(pk=unit).first()
        if target is None:
            raise Http404
    if refused:
        messages.error(request, refused)
        return redirect(review)
    paper = review.papers.filter(purpose=purpose, unit=target).select_related("document").first()
    if paper is not None and not paper.is_editable:
        messages.error(request, _("%(paper)s已报审，不能修改。") % {"paper": paper.purpose_label})
        return redirect(review)
    if paper is not None:
        body = paper.body
    elif (
        purpose == ReviewPaper.Purpose.COMMENDATION
        and not review.ratings.filter(place=Rating.Place.TOP).exists()
    ):
        messages.error(request, _("没有列入前5名的单位，无需通报表扬。"))
        return redirect(review)
    else:
        body = services.paper_draft(review, purpose, target)
    form = PaperForm(request.POST or None, initial={"body": body})
    if request.method == "POST" and form.is_valid():
        try:
            services.paper_save(
                review=review,
                purpose=purpose,
                unit=target,
                body=form.cleaned_data["body"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect(review)
    label = ReviewPaper.Purpose(purpose).label
    title = f"{label}：{target.name}" if target else f"{label}：{review.title}"
    return render(
        request,
        "portal/form.html",
        {"form": form, "title": title, "cancel_url": review.get_absolute_url()},
    )


@require_POST
@role_required(*READERS)
def review_papers_draft(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.get_round_for_user(request.user, pk)
    _round_step_refused(request, review, "write_papers")  # 403 for all but the office
    count: list[int] = []
    if service_or_message(
        request,
        lambda: count.append(services.papers_draft_all(review=review, by=request.user)),  # type: ignore[arg-type]
    ):
        messages.success(request, _("已起草%(n)d份测评结果反馈。") % {"n": count[0]})
    return redirect(review)


@require_POST
@role_required(*READERS)
def review_paper_submit(request: HttpRequest, pk: int) -> HttpResponse:
    paper = selectors.get_paper_for_office(request.user, pk)
    service_or_message(
        request,
        lambda: services.paper_submit(paper=paper, by=request.user),  # type: ignore[arg-type]
        _("已报审%(paper)s，公文流转情况见公文页面。") % {"paper": paper.purpose_label},
    )
    return redirect(paper.round)


# Target statements (目标责任书) ----------------------------------------------------------------


@role_required(*READERS)
def target_statement_list(request: HttpRequest) -> HttpResponse:
    # The years the user has statements in, for the filter (the database's DISTINCT,
    # not every row's year).
    years = (
        selectors.statements_for_user(request.user)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    return render(
        request,
        "reports/review/statement_list.html",
        {
            "page": paginate(request, target_statement_filter_for(request.user, request.GET)),
            "year_select": select_html(
                "year",
                request.GET.get("year", ""),
                [(str(y), str(y)) for y in years],
                _("全部年度"),
                _("年度"),
            ),
            "can_prepare": is_office(request.user),
            "query": request.GET.urlencode(),
        },
    )


@role_required(*READERS)
def target_statement_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The list as filtered, every row (not one page), in the user's scope
    (`reports.exporting`)."""
    return exports.export_answer(request, "target_statements")


@role_required(*READERS)
def target_statements_prepare(request: HttpRequest) -> HttpResponse:
    _office_only(request, _("只有办公室可以起草目标责任书。"))
    today = timezone.localdate()
    form = StatementsPrepareForm(
        request.POST or None,
        units=selectors.active_units(),
        initial={
            "year": today.year,
            "units": list(selectors.default_units(today).values_list("pk", flat=True)),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            made = services.statements_prepare(
                year=form.cleaned_data["year"],
                units=form.cleaned_data["units"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已起草%(n)d份目标责任书。") % {"n": made})
            return redirect(f"{reverse('target_statement_list')}?year={form.cleaned_data['year']}")
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("起草目标责任书"),
            "cancel_url": reverse("target_statement_list"),
        },
    )


@role_required(*READERS)
def target_statement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    statement = selectors.get_statement_for_user(request.user, pk)
    return render(
        request,
        "reports/review/statement_detail.html",
        {
            "statement": statement,
            "items": statement.items.select_related("lead_unit").order_by("number"),
            "actions": STATEMENT_WORKFLOW.available(statement, request.user),
            "history": statement.history.select_related("history_user__person").order_by(
                "history_date"
            ),
        },
    )


@role_required(*READERS)
def target_statement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    statement = selectors.get_statement_for_user(request.user, pk)
    transition = STATEMENT_WORKFLOW["edit"]
    if not transition.who(request.user, statement):
        raise PermissionDenied(str(transition.refused))
    if not STATEMENT_WORKFLOW.can(statement, "edit", request.user):
        messages.error(request, _("目标责任书已签订，退回后才能修改。"))
        return redirect(statement)
    form = StatementForm(
        request.POST or None,
        items=selectors.year_items(statement.year),
        initial={"targets": statement.targets, "items": list(statement.items.all())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.statement_update(
                statement=statement,
                targets=form.cleaned_data["targets"],
                items=form.cleaned_data["items"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect(statement)
    return render(
        request,
        "portal/form.html",
        {"form": form, "title": str(statement), "cancel_url": statement.get_absolute_url()},
    )


STATEMENT_STEPS: dict[str, tuple[type[CrispyForm], Call, Any]] = {
    "sign": (
        ConfirmForm,
        lambda s, d, by: services.statement_sign(statement=s, by=by),
        gettext_lazy("已签订目标责任书。"),
    ),
    "reopen": (
        ReasonForm,
        lambda s, d, by: services.statement_reopen(statement=s, reason=d["reason"], by=by),
        gettext_lazy("已退回目标责任书修改。"),
    ),
}


@role_required(*READERS)
def target_statement_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in STATEMENT_STEPS:
        raise Http404
    statement = selectors.get_statement_for_user(request.user, pk)
    form_class, call, done = STATEMENT_STEPS[action]
    return workflow_step(
        request,
        record=statement,
        workflow=STATEMENT_WORKFLOW,
        action=action,
        form_class=form_class,
        call=lambda data: call(statement, data, request.user),
        done=done,
        title=f"{STATEMENT_WORKFLOW[action].label}：{statement}",
        back=statement.get_absolute_url(),
    )
