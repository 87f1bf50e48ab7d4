"""The publicity pages (宣传制度): the pieces (a list with their deadlines' lights, a
piece with its review rounds and what changed between them, the forms of each step),
the rotation (the roster in order, the rhythm, the turns ahead with skips and swaps),
and the year view (pieces per member and per channel, the special reports)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from liaisons.exporting import publicity_piece_filter_for
from liaisons.models import PublicityMember, PublicityPiece, PublicitySlot
from liaisons.publicity import rules, selectors, services
from liaisons.publicity.forms import (
    ApproveForm,
    ImageForm,
    MemberEndForm,
    MemberForm,
    PieceForm,
    PublishForm,
    ReturnForm,
    RhythmForm,
    SkipForm,
    SubmitForm,
    SwapForm,
)
from liaisons.publicity.selectors import PUBLICITY_ROLES
from liaisons.publicity.transitions import PIECE_WORKFLOW, SLOT_WORKFLOW
from portal import exports
from portal.deadlines.display import set_lights, yellow_until
from portal.filters import select_html
from portal.lib.errors import Refused
from portal.lib.forms import CrispyForm, apply_errors
from portal.lib.paging import paginate
from portal.lib.views import move_offset, service_or_message, workflow_step
from portal.models import Person, Role
from portal.permissions import is_office, role_required
from portal.uploads import content_disposition, kind_of
from portal.workdays import current_calendar

WRITERS = (Role.OFFICE, Role.PUBLICITY)


def _light(deadline: Any, today: Any, yellow: Any) -> str | None:
    return deadline.light(today, yellow) if deadline is not None else None


# Pieces ---------------------------------------------------------------------------------


@role_required(*PUBLICITY_ROLES)
def publicity_piece_list(request: HttpRequest) -> HttpResponse:
    pieces = publicity_piece_filter_for(request.user, request.GET)
    state = request.GET.get("state", "")
    channel = request.GET.get("channel", "")
    page = set_lights(paginate(request, pieces))
    return render(
        request,
        "liaisons/publicity/piece_list.html",
        {
            "page": page,
            "state_select": select_html(
                "state", state, PublicityPiece.State.choices, _("全部状态"), _("状态")
            ),
            "channel_select": select_html(
                "channel", channel, PublicityPiece.Channel.choices, _("全部渠道"), _("发布渠道")
            ),
            "can_write": services.may_write(request.user),
            "review_days": rules.review_workdays(),
            "query": request.GET.urlencode(),
        },
    )


@role_required(*PUBLICITY_ROLES)
def publicity_piece_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The pieces list as Excel: the same pieces (a member's own and the published
    ones), under the same filter (`liaisons.exporting`)."""
    return exports.export_answer(request, "publicity_pieces")


def _authors(user: Any) -> QuerySet[Person] | None:
    """Whom the office may write for: the roster's members and itself; a member writes
    under their own name (None: no choice)."""
    if not is_office(user):
        return None
    today = timezone.localdate()
    ids = set(selectors.roster(today).values_list("person_id", flat=True))
    if user.person_id:
        ids.add(user.person_id)
    return Person.objects.filter(pk__in=ids).select_related("unit").order_by("name")


def _slots_for(user: Any) -> QuerySet[PublicitySlot]:
    if is_office(user):
        return (
            PublicitySlot.objects.filter(state=PublicitySlot.State.OPEN)
            .select_related("member__person")
            .order_by("due_on")
        )
    return selectors.open_slots_of(user.person_id)


def _piece_values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": data["title"],
        "text": data["text"],
        "channel": data["channel"],
        "special": data["special"],
        "figure_name": data["figure_name"],
        "slot": data["slot"],
    }


@role_required(*WRITERS)
def publicity_piece_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not services.may_write(user):
        raise PermissionDenied(_("只有宣传工作成员或办公室可以撰写宣传稿件。"))
    slots = _slots_for(user)
    wanted = request.GET.get("slot", "")
    initial: dict[str, Any] = {
        "channel": PublicityPiece.Channel.WECHAT,
        "author": user.person_id,  # type: ignore[union-attr]
    }
    if wanted.isdigit():
        initial["slot"] = int(wanted)
        slot = slots.filter(pk=int(wanted)).first()
        if slot is not None:
            initial["author"] = slot.member.person_id
    elif not is_office(user):
        first = slots.filter(pieces__isnull=True).first()
        initial["slot"] = first.pk if first else None
    form = PieceForm(request.POST or None, authors=_authors(user), slots=slots, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        author = data.get("author") or getattr(user, "person", None)
        if author is None:
            raise PermissionDenied(_("只有宣传工作成员或办公室可以撰写宣传稿件。"))
        try:
            piece = services.piece_create(
                **_piece_values(data),
                author=author,
                by=user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("草稿已保存，可上传图片后送审。"))
            return redirect(piece)
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("撰写宣传稿件"),
            "cancel_url": reverse("publicity_piece_list"),
        },
    )


@role_required(*PUBLICITY_ROLES)
def publicity_piece_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _piece_page(request, selectors.get_piece_for_user(request.user, pk))


def _piece_page(
    request: HttpRequest, piece: PublicityPiece, image_form: ImageForm | None = None
) -> HttpResponse:
    """The piece's page; `image_form` is an image upload the service refused (a full
    disk), shown again with its error and the caption as typed."""
    today = timezone.localdate()
    light = _light(piece.deadline, today, yellow_until(today, current_calendar()))
    actions = PIECE_WORKFLOW.available(piece, request.user)
    can_edit = any(action.name == "edit" for action in actions)
    return render(
        request,
        "liaisons/publicity/piece_detail.html",
        {
            "piece": piece,
            "rounds": selectors.review_rounds(piece),
            "images": piece.images.all(),
            "actions": [a for a in actions if a.name != "edit"],
            "can_edit": can_edit,
            "image_form": (image_form or ImageForm()) if can_edit else None,
            "light": light,
        },
    )


@role_required(*WRITERS)
def publicity_piece_edit(request: HttpRequest, pk: int) -> HttpResponse:
    piece = selectors.get_piece_for_user(request.user, pk)
    transition = PIECE_WORKFLOW["edit"]
    if not transition.who(request.user, piece):
        raise PermissionDenied(str(transition.refused))
    if not PIECE_WORKFLOW.can(piece, "edit", request.user):
        messages.error(request, _("当前状态为“%(s)s”，不能修改。") % {"s": piece.state_label})
        return redirect(piece)
    slots = selectors.open_slots_of(piece.author_id) | PublicitySlot.objects.filter(
        pk=piece.slot_id or 0
    )
    form = PieceForm(
        request.POST or None,
        authors=None,
        slots=slots.select_related("member__person").order_by("due_on").distinct(),
        initial={
            "title": piece.title,
            "text": piece.text,
            "channel": piece.channel,
            "special": piece.special,
            "figure_name": piece.figure_name,
            "slot": piece.slot_id,
        },
    )
    form.helper.inputs[0].value = str(_("保存"))
    if request.method == "POST" and form.is_valid():
        try:
            services.piece_update(
                piece=piece,
                **_piece_values(form.cleaned_data),
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect(piece)
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("修改宣传稿件：%(t)s") % {"t": piece.title},
            "cancel_url": piece.get_absolute_url(),
        },
    )


Step = tuple[type[CrispyForm], Callable[[PublicityPiece, dict[str, Any], Any], object], Any]

STEPS: dict[str, Step] = {
    "submit": (
        SubmitForm,
        lambda p, d, by: services.piece_submit(piece=p, by=by),
        gettext_lazy("已送审，等待组织统战部审核。"),
    ),
    "approve": (
        ApproveForm,
        lambda p, d, by: services.piece_approve(piece=p, comments=d["comments"], by=by),
        gettext_lazy("已审核通过，可以发布。"),
    ),
    "return": (
        ReturnForm,
        lambda p, d, by: services.piece_return(piece=p, comments=d["comments"], by=by),
        gettext_lazy("已退回修改。"),
    ),
    "publish": (
        PublishForm,
        lambda p, d, by: services.piece_publish(
            piece=p, published_on=d["published_on"], link=d["link"], by=by
        ),
        gettext_lazy("已登记发布。"),
    ),
}


@role_required(*WRITERS)
def publicity_piece_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in STEPS:
        raise Http404
    piece = selectors.get_piece_for_user(request.user, pk)
    form_class, call, done = STEPS[action]
    initial = {"published_on": timezone.localdate()} if action == "publish" else None
    return workflow_step(
        request,
        record=piece,
        workflow=PIECE_WORKFLOW,
        action=action,
        form_class=form_class,
        call=lambda data: call(piece, data, request.user),
        done=done,
        title=f"{PIECE_WORKFLOW[action].label}：{piece.title}",
        back=piece.get_absolute_url(),
        form_kwargs={"initial": initial},
    )


@require_POST
@role_required(*WRITERS)
def publicity_image_add(request: HttpRequest, pk: int) -> HttpResponse:
    piece = selectors.get_piece_for_user(request.user, pk)
    form = ImageForm(request.POST, request.FILES)
    if not form.is_valid():
        if not PIECE_WORKFLOW["edit"].who(request.user, piece):
            raise PermissionDenied(str(PIECE_WORKFLOW["edit"].refused))
        for field in form.errors:
            for message in form.errors[field]:
                messages.error(request, str(message))
        return redirect(piece)
    try:
        services.image_add(
            piece=piece,
            image=form.cleaned_data["image"],
            caption=form.cleaned_data["caption"],
            by=request.user,  # type: ignore[arg-type]
        )
    except PermissionDenied:
        raise
    except Refused as refusal:  # the piece's state moved on (a stale page)
        messages.error(request, refusal.message)
        return redirect(piece)
    except ValidationError as error:  # e.g. the storage is full: the form again, as typed
        apply_errors(form, error)
        return _piece_page(request, selectors.get_piece_for_user(request.user, pk), form)
    messages.success(request, _("已上传图片。"))
    return redirect(piece)


@role_required(*PUBLICITY_ROLES)
def publicity_image(request: HttpRequest, pk: int) -> HttpResponseBase:
    """An image of a piece the user may see, shown in the page (not a download)."""
    image = selectors.get_image_for_user(request.user, pk)
    kind = kind_of(image.image.name or "")
    try:
        handle = image.image.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(
        handle, content_type=kind.content_type if kind else "application/octet-stream"
    )
    response["Content-Disposition"] = content_disposition(
        image.caption or image.image.name.rsplit("/", 1)[-1], inline=True
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@require_POST
@role_required(*WRITERS)
def publicity_image_remove(request: HttpRequest, pk: int) -> HttpResponse:
    image = selectors.get_image_for_user(request.user, pk)
    service_or_message(
        request,
        lambda: services.image_remove(image=image, by=request.user),  # type: ignore[arg-type]
        done=_("已删除图片。"),
    )
    return redirect(image.piece)


@role_required(*PUBLICITY_ROLES)
def publicity_review_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Where a review round's deadline leads: its piece, at the round."""
    review = selectors.get_review_for_user(request.user, pk)
    return redirect(
        f"{reverse('publicity_piece_detail', args=[review.piece_id])}#round-{review.round}"
    )


# The rotation ----------------------------------------------------------------------------

RECENT_DAYS = 56  # the rotation page shows the turns of the last eight weeks too


@role_required(*PUBLICITY_ROLES)
def publicity_rotation(request: HttpRequest) -> HttpResponse:
    import datetime as dt

    today = timezone.localdate()
    yellow = yellow_until(today, current_calendar())
    slots: list[Any] = list(selectors.slots(since=today - dt.timedelta(days=RECENT_DAYS)))
    user = request.user
    person_id = getattr(user, "person_id", None)
    for slot in slots:
        slot.light = _light(slot.deadline, today, yellow) if slot.state == "open" else None
        slot.actions = SLOT_WORKFLOW.available(slot, user)
        slot.piece_list = list(slot.pieces.all())
        slot.mine = slot.member.person_id == person_id
    return render(
        request,
        "liaisons/publicity/rotation.html",
        {
            "rhythm": services.current_rhythm(),
            "roster": selectors.roster(today),
            "former": selectors.former_members(today),
            "slots": slots,
            "today": today,
            "can_manage": selectors.can_manage(user),
            "can_write": services.may_write(user),
        },
    )


@role_required(Role.OFFICE)
def publicity_member_add(request: HttpRequest) -> HttpResponse:
    form = MemberForm(request.POST or None, initial={"start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_add(**form.cleaned_data, by=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s 已加入宣传工作成员名单。") % {"name": member.person.name}
            )
            return redirect("publicity_rotation")
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("加入宣传工作成员名单"),
            "cancel_url": reverse("publicity_rotation"),
        },
    )


@role_required(Role.OFFICE)
def publicity_member_end(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(PublicityMember.objects.select_related("person"), pk=pk)
    form = MemberEndForm(request.POST or None, initial={"end_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.member_end(member=member, **form.cleaned_data, by=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已退出名单。"))
            return redirect("publicity_rotation")
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("退出宣传工作成员名单：%(name)s") % {"name": member.person.name},
            "cancel_url": reverse("publicity_rotation"),
        },
    )


@require_POST
@role_required(Role.OFFICE)
def publicity_member_move(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(PublicityMember, pk=pk)
    offset = move_offset(request)
    service_or_message(
        request,
        lambda: services.member_move(member=member, offset=offset, by=request.user),  # type: ignore[arg-type]
        done=_("已调整轮值顺序。"),
    )
    return redirect("publicity_rotation")


@role_required(Role.OFFICE)
def publicity_rhythm(request: HttpRequest) -> HttpResponse:
    rhythm = services.current_rhythm()
    initial = (
        {"every_days": rhythm.every_days, "first_due": rhythm.first_due}
        if rhythm
        else {"every_days": 7, "first_due": timezone.localdate()}
    )
    form = RhythmForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.rhythm_set(**form.cleaned_data, by=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已保存轮值节奏，后续轮值已重新安排。"))
            return redirect("publicity_rotation")
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("宣传轮值节奏"),
            "intro": _("改变节奏后，今天以后尚未开始撰写、未经调换的轮值按新节奏重新安排。"),
            "cancel_url": reverse("publicity_rotation"),
        },
    )


@role_required(Role.OFFICE)
def publicity_slot_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in SLOT_WORKFLOW.transitions:
        raise Http404
    slot = get_object_or_404(PublicitySlot.objects.select_related("member__person"), pk=pk)
    form_class: type[CrispyForm]
    if action == "skip":
        form_class, form_kwargs = SkipForm, {}
    else:
        form_class, form_kwargs = SwapForm, {"others": selectors.swappable(slot)}

    def call(data: dict[str, Any]) -> object:
        by = request.user
        if action == "skip":
            return services.slot_skip(slot=slot, reason=data["reason"], by=by)  # type: ignore[arg-type]
        return services.slot_swap(slot=slot, other=data["other"], reason=data["reason"], by=by)  # type: ignore[arg-type]

    return workflow_step(
        request,
        record=slot,
        workflow=SLOT_WORKFLOW,
        action=action,
        form_class=form_class,
        call=call,
        done=_("已记录。"),
        title=_("%(action)s：%(day)s %(name)s")
        % {
            "action": SLOT_WORKFLOW[action].label,
            "day": f"{slot.due_on:%Y-%m-%d}",
            "name": slot.member.person.name,
        },
        back=reverse("publicity_rotation"),
        form_kwargs=form_kwargs,
    )


# The year view ---------------------------------------------------------------------------


@role_required(*PUBLICITY_ROLES)
def publicity_year(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else today.year
    years = sorted(set(selectors.published_years()) | {today.year}, reverse=True)
    return render(
        request,
        "liaisons/publicity/year.html",
        {
            "view": selectors.year_view(year),
            "year_select": select_html(
                "year", str(year), [(str(y), f"{y}") for y in years], _("本年度"), _("年度")
            ),
        },
    )
