"""The publicity system (宣传制度, 001 ch. 1; 002 item 9): the roster in rotation order,
the office's rhythm, the turns kept assigned and reminded (the deadline engine), skips
and swaps recorded; pieces drafted, reviewed round by round by the UFW department (what
changed since the last round shown, escaped), published with date and link and never
without an approval on record; the year view; the pages and their queries."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaisons.models import (
    PublicityImage,
    PublicityMember,
    PublicityPiece,
    PublicityReview,
    PublicityRhythm,
    PublicitySlot,
)
from liaisons.publicity import selectors, services
from liaisons.publicity.rules import (
    PUBLICITY_PUBLISH,
    PUBLICITY_REVIEW,
    PUBLICITY_REVISE,
    PUBLICITY_SLOT,
)
from portal.deadlines.models import Deadline
from portal.lib.errors import Refused
from portal.models import Role
from portal.todos import todos_for
from tests.conftest import Org, client_for, make_user
from tests.deadline_helpers import at

pytestmark = [pytest.mark.django_db, pytest.mark.dateless]  # every date is explicit

D = dt.date
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
FRIDAY = D(2026, 12, 4)


def members(org: Org, *names: str):
    """Logins in the publicity role for `names`, on the roster in that order from
    1 December 2026 (the org's `publicity` login first when its name is given)."""
    users = []
    for name in names:
        user = org.publicity if name == "publicity" else make_user(name, org.ufw_dept, None)
        services.member_add(person=user.person, start_date=D(2026, 12, 1), by=org.office)
        users.append(user)
    return users


def rotation(org: Org, *names: str, every: int = 7, first: dt.date = FRIDAY):
    users = members(org, *names)
    services.rhythm_set(every_days=every, first_due=first, by=org.office)
    return users


def schedule() -> list[tuple[dt.date, str]]:
    return [
        (s.due_on, s.member.person.user.username)
        for s in PublicitySlot.objects.select_related("member__person__user").order_by("due_on")
    ]


def slot_deadline(slot: PublicitySlot) -> Deadline:
    return Deadline.objects.get(rule=PUBLICITY_SLOT, object_id=slot.pk)


# --- the rotation ---


def test_the_turns_follow_the_roster_order_on_the_rhythm_and_remind_each_member(org):
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        a, b, c = rotation(org, "publicity", "pb", "pc")
    assert schedule() == [
        (D(2026, 12, 4), "publicity"),
        (D(2026, 12, 11), "pb"),
        (D(2026, 12, 18), "pc"),
        (D(2026, 12, 25), "publicity"),
    ]
    first = PublicitySlot.objects.get(due_on=D(2026, 12, 4))
    deadline = slot_deadline(first)
    assert (deadline.due, first.deadline_id, deadline.state) == (
        D(2026, 12, 4),
        deadline.pk,
        "open",
    )
    assert list(deadline.responsible_users.all()) == [a]
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        titles = [t.title for t in todos_for(a, D(2026, 12, 1))]
    assert any("宣传轮值" in t for t in titles)


def test_a_turn_due_today_still_counts_and_the_next_is_added_the_day_after(org):
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        rotation(org, "publicity", "pb", "pc")
    assert services.slots_sync(today=D(2026, 12, 4)) == 0  # 4, 11, 18, 25: still four
    assert services.slots_sync(today=D(2026, 12, 5)) == 1
    assert schedule()[-1] == (D(2027, 1, 1), "pb")
    assert services.slots_sync(today=D(2026, 12, 5)) == 0  # a second scan adds nothing


def test_the_scan_keeps_the_rotation_assigned(org, settings):
    from portal.deadlines import registry

    settings.PUBLICITY_SLOTS_AHEAD = 2
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        rotation(org, "publicity", "pb")
    assert len(schedule()) == 2
    sync = registry.get(PUBLICITY_SLOT).sync
    assert sync is not None
    sync(D(2026, 12, 12))
    assert schedule()[-2:] == [(D(2026, 12, 18), "publicity"), (D(2026, 12, 25), "pb")]


@pytest.mark.parametrize(
    ("end_date", "on_the_11th"),
    # The end date is the first day off the roster.
    [(D(2026, 12, 1), "pc"), (D(2026, 12, 11), "pc"), (D(2026, 12, 12), "pb")],
)
def test_a_member_who_leaves_is_passed_over_from_their_end_date(org, end_date, on_the_11th):
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        _, b, _ = rotation(org, "publicity", "pb", "pc")
        member = PublicityMember.objects.get(person=b.person)
        services.member_end(member=member, end_date=end_date, reason="调离", by=org.office)
        page = client_for(org.office).get(reverse("publicity_rotation")).content.decode()
    assert dict(schedule())[D(2026, 12, 11)] == on_the_11th
    assert ("调离" in page) == (end_date <= D(2026, 12, 1))  # listed once off the roster
    # Every turn has exactly one deadline; the dropped turns' deadlines went with them.
    assert Deadline.objects.filter(rule=PUBLICITY_SLOT).count() == PublicitySlot.objects.count()


def test_a_new_member_joins_the_end_of_the_order_and_the_office_reorders(org):
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        rotation(org, "publicity", "pb")
        d = make_user("pd", org.ufw_dept, None)
        services.member_add(person=d.person, start_date=D(2026, 12, 1), by=org.office)
        assert [name for _, name in schedule()] == ["publicity", "pb", "pd", "publicity"]
        member = PublicityMember.objects.get(person=d.person)
        with pytest.raises(Refused, match="已在最后面"):
            services.member_move(member=member, offset=1, by=org.office)
        services.member_move(member=member, offset=-1, by=org.office)
        first = PublicityMember.objects.get(person=org.publicity.person)
        with pytest.raises(Refused, match="已在最前面"):
            services.member_move(member=first, offset=-1, by=org.office)
    # The turns after today are assigned again in the new order.
    assert [name for _, name in schedule()] == ["publicity", "pd", "pb", "publicity"]


def test_the_roster_gives_and_takes_the_publicity_role(org, django_capture_on_commit_callbacks):
    user = make_user("pz", org.ufw_dept, None)
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            services.member_add(person=user.person, start_date=D(2026, 12, 1), by=org.office)
        assert user.groups.filter(name=Role.PUBLICITY).exists()
        with django_capture_on_commit_callbacks(execute=True):
            services.member_end(
                member=PublicityMember.objects.get(person=user.person),
                end_date=D(2026, 12, 1),
                reason="退出",
                by=org.office,
            )
    assert not user.groups.filter(name=Role.PUBLICITY).exists()


def test_only_the_office_keeps_the_roster_and_bad_input_changes_nothing(org):
    user = make_user("pz", org.ufw_dept, None)
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        for persona in ("leader", "member", "publicity", "outsider"):
            with pytest.raises(PermissionDenied):
                services.member_add(
                    person=user.person, start_date=D(2026, 12, 1), by=getattr(org, persona)
                )
            with pytest.raises(PermissionDenied):
                services.rhythm_set(every_days=7, first_due=FRIDAY, by=getattr(org, persona))
        for every in (0, 91):
            with pytest.raises(ValidationError) as bad:
                services.rhythm_set(every_days=every, first_due=FRIDAY, by=org.office)
            assert bad.value.message_dict == {"every_days": ["间隔天数应在 1 到 90 天之间。"]}
        first = services.member_add(person=user.person, start_date=D(2026, 12, 1), by=org.office)
        again = services.member_add(person=user.person, start_date=D(2026, 12, 1), by=org.office)
        with pytest.raises(Refused, match="已在宣传工作成员名单中"):
            services.member_add(person=user.person, start_date=D(2026, 12, 2), by=org.office)
        with pytest.raises(ValidationError) as no_reason:
            services.member_end(member=first, end_date=D(2026, 12, 2), reason=" ", by=org.office)
        with pytest.raises(ValidationError) as too_early:
            services.member_end(member=first, end_date=D(2026, 11, 30), reason="x", by=org.office)
    assert first.pk == again.pk and PublicityMember.objects.count() == 1
    assert not PublicityRhythm.objects.exists()
    assert no_reason.value.message_dict == {"reason": ["请填写退出原因。"]}
    assert too_early.value.message_dict == {"end_date": ["退出日期不能早于加入日期。"]}
    assert PublicityMember.objects.get().end_date is None


def test_a_weekly_rhythm_every_day_and_every_ninety_days(org):
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        rotation(org, "publicity", every=1, first=D(2026, 11, 20))
        assert [d for d, _ in schedule()] == [D(2026, 12, d) for d in (1, 2, 3, 4)]
        services.rhythm_set(every_days=90, first_due=D(2026, 12, 1), by=org.office)
    # Today's turn stays (it is due today); the later ones follow the new rhythm.
    assert [d for d, _ in schedule()] == [
        D(2026, 12, 1),
        D(2027, 3, 1),
        D(2027, 5, 30),
        D(2027, 8, 28),
    ]


def test_a_skipped_turn_is_recorded_its_reminder_lifted_and_the_rotation_goes_on(org):
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        rotation(org, "publicity", "pb", "pc")
        slot = PublicitySlot.objects.get(due_on=D(2026, 12, 11))
        with pytest.raises(ValidationError) as no_reason:
            services.slot_skip(slot=slot, reason=" ", by=org.office)
        with pytest.raises(PermissionDenied):
            services.slot_skip(slot=slot, reason="出差", by=org.publicity)
        services.slot_skip(slot=slot, reason="外出学习", by=org.office)
        with pytest.raises(ValidationError, match="不能跳过本轮"):
            services.slot_skip(slot=slot, reason="外出学习", by=org.office)  # a double post
    slot.refresh_from_db()
    assert no_reason.value.message_dict == {"reason": ["请填写跳过的原因。"]}
    assert (slot.state, slot.note) == ("skipped", "外出学习")
    assert slot_deadline(slot).state == "waived"
    assert [name for _, name in schedule()] == ["publicity", "pb", "pc", "publicity"]


def test_a_swap_exchanges_two_turns_and_the_rotation_goes_on_as_before(org):
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        a, b, c = rotation(org, "publicity", "pb", "pc")
        first = PublicitySlot.objects.get(due_on=D(2026, 12, 4))
        second = PublicitySlot.objects.get(due_on=D(2026, 12, 11))
        with pytest.raises(ValidationError) as no_reason:
            services.slot_swap(slot=first, other=second, reason="", by=org.office)
        services.slot_swap(slot=first, other=second, reason="临时出差", by=org.office)
        with pytest.raises(Refused, match="已经相互调换"):  # a double post
            services.slot_swap(slot=second, other=first, reason="临时出差", by=org.office)
    assert no_reason.value.message_dict == {"reason": ["请填写调换的原因。"]}
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.swapped_with, second.swapped_with) == (second, first)
    assert (first.note, second.note) == ("临时出差", "临时出差")
    assert list(slot_deadline(first).responsible_users.all()) == [b]
    assert list(slot_deadline(second).responsible_users.all()) == [a]
    assert services.slots_sync(today=D(2026, 12, 19)) == 3
    assert [name for _, name in schedule()] == [
        "pb",
        "publicity",
        "pc",
        "publicity",
        "pb",
        "pc",
        "publicity",
    ]


# --- pieces ---


def draft(org: Org, *, by=None, title="统战成员先进事迹", text="第一段。\n第二段。", **extra):
    by = by or org.publicity
    return services.piece_create(
        title=title,
        text=text,
        channel=extra.pop("channel", "wechat"),
        author=extra.pop("author", by.person),
        by=by,
        **extra,
    )


def test_a_piece_goes_through_review_rounds_and_is_published(org):
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        (member,) = rotation(org, "publicity")
        slot = PublicitySlot.objects.get(due_on=FRIDAY)
        piece = draft(org, slot=slot)
        services.piece_submit(piece=piece, by=member)
    piece.refresh_from_db()
    slot.refresh_from_db()
    review = PublicityReview.objects.get(piece=piece)
    review_deadline = Deadline.objects.get(rule=PUBLICITY_REVIEW, object_id=review.pk)
    assert (piece.state, piece.round, piece.deadline_id) == ("submitted", 1, review_deadline.pk)
    assert review_deadline.due == D(2026, 12, 4)  # three working days
    assert (slot.state, slot_deadline(slot).state) == ("done", "met")
    with time_machine.travel(at(2026, 12, 2, 10), tick=False):
        with pytest.raises(ValidationError) as no_comments:
            services.piece_return(piece=piece, comments=" ", by=org.office)
        services.piece_return(piece=piece, comments="第二段请补充<具体事例>。", by=org.office)
    assert no_comments.value.message_dict == {"comments": ["退回修改请填写审核意见。"]}
    piece.refresh_from_db()
    revise = Deadline.objects.get(rule=PUBLICITY_REVISE, object_id=review.pk)
    assert (piece.state, piece.deadline_id) == ("returned", revise.pk)
    assert list(revise.responsible_users.all()) == [member]
    assert Deadline.objects.get(pk=review_deadline.pk).state == "met"
    with time_machine.travel(at(2026, 12, 3, 10), tick=False):
        services.piece_update(
            piece=piece,
            title="统战成员先进事迹",
            text="第一段。\n第二段<script>：二〇二六年获评优秀教师。",
            channel="website",
            slot=slot,
            by=member,
        )
        services.piece_submit(piece=piece, by=member)
    assert Deadline.objects.get(pk=revise.pk).state == "met"
    rounds = selectors.review_rounds(PublicityPiece.objects.get(pk=piece.pk))
    assert [r.review.round for r in rounds] == [1, 2]
    diff = str(rounds[1].text_diff)
    assert '<ins class="bg-success-subtle">&lt;script&gt;：二〇二六年获评优秀教师</ins>' in diff
    assert "<script>" not in diff and rounds[1].changed
    with time_machine.travel(at(2026, 12, 4, 10), tick=False):
        services.piece_approve(piece=piece, comments="同意发布。", by=org.office)
    piece.refresh_from_db()
    publish = Deadline.objects.get(rule=PUBLICITY_PUBLISH, object_id=piece.pk)
    assert (piece.state, piece.deadline_id, publish.due) == (
        "approved",
        publish.pk,
        D(2026, 12, 11),
    )
    with time_machine.travel(at(2026, 12, 7, 10), tick=False):
        for day, link, field, message in (
            (
                D(2026, 12, 3),
                "https://mp.weixin.qq.com/s/abc",
                "published_on",
                "不能早于审核通过日期",
            ),
            (D(2026, 12, 8), "https://mp.weixin.qq.com/s/abc", "published_on", "不能晚于今天"),
            (D(2026, 12, 7), "javascript:alert(1)", "link", "有效链接"),
            (D(2026, 12, 7), "", "link", "请填写发布链接"),
        ):
            with pytest.raises(ValidationError) as bad:
                services.piece_publish(piece=piece, published_on=day, link=link, by=member)
            assert message in bad.value.message_dict[field][0]
        services.piece_publish(
            piece=piece,
            published_on=D(2026, 12, 4),
            link="https://mp.weixin.qq.com/s/abc",
            by=member,
        )
        with pytest.raises(ValidationError):  # a double post
            services.piece_publish(
                piece=piece, published_on=D(2026, 12, 4), link="https://example.com/", by=member
            )
    piece.refresh_from_db()
    assert (piece.state, piece.published_on, piece.link) == (
        "published",
        D(2026, 12, 4),
        "https://mp.weixin.qq.com/s/abc",
    )
    assert Deadline.objects.get(pk=publish.pk).state == "met"


@pytest.mark.parametrize("latest", [None, "returned", "undecided"])
def test_nothing_is_published_without_an_approval_on_record(org, latest):
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        piece = draft(org)
        if latest is not None:
            services.piece_submit(piece=piece, by=org.publicity)
        if latest == "returned":
            services.piece_return(piece=piece, comments="重写", by=org.office)
        PublicityPiece.objects.filter(pk=piece.pk).update(state="approved")  # forced
        piece.refresh_from_db()
        for by in (org.office, org.publicity):
            with pytest.raises(Refused, match="没有组织统战部的审核通过记录"):
                services.piece_publish(
                    piece=piece, published_on=D(2026, 12, 1), link="https://example.com/", by=by
                )
    piece.refresh_from_db()
    assert (piece.state, piece.published_on) == ("approved", None)


def test_an_approval_of_an_earlier_round_does_not_count_after_a_return(org):
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        piece = draft(org)
        services.piece_submit(piece=piece, by=org.publicity)
        services.piece_approve(piece=piece, by=org.office)
        # Forced back and through a returned round: the latest round decides.
        PublicityPiece.objects.filter(pk=piece.pk).update(state="submitted", round=2)
        PublicityReview.objects.create(
            piece=piece, round=2, title="t", text="x", submitted_by=org.publicity
        )
        services.piece_return(piece=piece, comments="改", by=org.office)
        PublicityPiece.objects.filter(pk=piece.pk).update(state="approved")
        piece.refresh_from_db()
        with pytest.raises(Refused):
            services.piece_publish(
                piece=piece, published_on=D(2026, 12, 1), link="https://example.com/", by=org.office
            )


def test_who_writes_submits_reviews_and_publishes(org):
    other = make_user("pb", org.ufw_dept, Role.PUBLICITY)
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        for persona in ("leader", "member", "commissioner_a", "outsider"):
            with pytest.raises(PermissionDenied):
                draft(org, by=getattr(org, persona), author=org.publicity.person)
        with pytest.raises(PermissionDenied):
            draft(org, by=other, author=org.publicity.person)  # not in another's name
        piece = draft(org)
        for_member = draft(org, by=org.office, author=org.publicity.person, title="办公室代拟")
        with pytest.raises(PermissionDenied):
            services.piece_submit(piece=piece, by=other)
        services.piece_submit(piece=piece, by=org.publicity)
        for by in (org.publicity, other, org.leader):
            with pytest.raises(PermissionDenied):
                services.piece_approve(piece=piece, by=by)
    assert for_member.author == org.publicity.person
    assert set(selectors.pieces_for_user(other)) == set()
    assert set(selectors.pieces_for_user(org.publicity)) == {piece, for_member}
    assert set(selectors.pieces_for_user(org.member)) == set()


def test_bad_input_is_refused_in_chinese_and_nothing_is_saved(org):
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        rotation(org, "publicity", "pb")
        theirs = PublicitySlot.objects.get(due_on=D(2026, 12, 11))
        cases = [
            ({"title": " "}, {"title": ["请填写标题。"]}),
            ({"text": ""}, {"text": ["请填写正文。"]}),
            ({"channel": "tv"}, {"channel": ["请选择发布渠道。"]}),
            ({"special": True}, {"figure_name": ["先进典型专题报道请填写报道对象。"]}),
            ({"slot": theirs}, {"slot": ["只能选择撰稿人本人待完成的轮值。"]}),
        ]
        for extra, expected in cases:
            with pytest.raises(ValidationError) as error:
                draft(org, **extra)
            assert error.value.message_dict == expected
    assert not PublicityPiece.objects.exists()


def test_a_double_post_creates_and_submits_once(org):
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        first = draft(org)
        second = draft(org)
        services.piece_submit(piece=first, by=org.publicity)
        with pytest.raises(Refused, match="不能送审"):
            services.piece_submit(piece=second, by=org.publicity)
    assert first.pk == second.pk
    assert PublicityReview.objects.count() == 1
    assert Deadline.objects.filter(rule=PUBLICITY_REVIEW).count() == 1


def test_images_are_checked_by_content_and_kept_once(org):
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        piece = draft(org)
        with pytest.raises(ValidationError) as fake:
            services.image_add(
                piece=piece, image=SimpleUploadedFile("照片.png", b"MZ not a png"), by=org.publicity
            )
        image = services.image_add(
            piece=piece, image=SimpleUploadedFile("照片.png", PNG), caption="颁奖", by=org.publicity
        )
        again = services.image_add(
            piece=piece, image=SimpleUploadedFile("照片.png", PNG), caption="颁奖", by=org.publicity
        )
        with pytest.raises(PermissionDenied):
            services.image_add(piece=piece, image=SimpleUploadedFile("b.png", PNG), by=org.leader)
        services.piece_submit(piece=piece, by=org.publicity)
        with pytest.raises(Refused):
            services.image_remove(image=image, by=org.publicity)  # under review
    assert "image" in fake.value.message_dict
    assert image.pk == again.pk and PublicityImage.objects.count() == 1


def test_the_year_view_counts_pieces_per_member_and_channel_and_lists_the_special_reports(org):
    other = make_user("pb", org.ufw_dept, Role.PUBLICITY)

    def published(by, title, channel, day, **extra):
        piece = draft(org, by=by, title=title, channel=channel, **extra)
        services.piece_submit(piece=piece, by=by)
        services.piece_approve(piece=piece, by=org.office)
        services.piece_publish(piece=piece, published_on=day, link="https://example.com/", by=by)

    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        published(org.publicity, "一", "wechat", D(2026, 12, 1), special=True, figure_name="张教授")
        published(org.publicity, "二", "website", D(2026, 12, 1))
        published(other, "三", "wechat", D(2026, 12, 1))
        draft(org, title="草稿不计")
    with time_machine.travel(at(2027, 1, 2, 10), tick=False):
        published(other, "明年", "wechat", D(2027, 1, 2))
    view = selectors.year_view(2026)
    assert view.total == 3
    assert [(r["author__name"], r["total"], r["special"]) for r in view.by_member] == [
        (org.publicity.person.name, 2, 1),
        (other.person.name, 1, 0),
    ]
    assert {r["channel"]: r["total"] for r in view.by_channel} == {
        "wechat": 2,
        "website": 1,
        "upper": 0,
        "media": 0,
    }
    assert [p.figure_name for p in view.special] == ["张教授"]


# --- pages ---


def test_the_pages_answer_the_office_and_the_member(org):
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        rotation(org, "publicity", "pb")
        piece = draft(org, title="<b>标题</b>")
        services.piece_submit(piece=piece, by=org.publicity)
        services.piece_return(piece=piece, comments="请修改", by=org.office)
        services.piece_update(
            piece=piece,
            title="<b>标题</b>",
            text="改后的<正文>",
            channel="wechat",
            by=org.publicity,
        )
        services.piece_submit(piece=piece, by=org.publicity)
        office, member = client_for(org.office), client_for(org.publicity)
        pages = {
            name: member.get(reverse(name))
            for name in ("publicity_piece_list", "publicity_rotation", "publicity_year")
        }
        detail = office.get(piece.get_absolute_url()).content.decode()
        approve = office.post(reverse("publicity_piece_step", args=[piece.pk, "approve"]), {})
        again = office.post(
            reverse("publicity_piece_step", args=[piece.pk, "approve"]), {}, follow=True
        )
        forged = member.post(reverse("publicity_piece_step", args=[piece.pk, "approve"]), {})
        review = PublicityReview.objects.get(piece=piece, round=2)
        jump = member.get(reverse("publicity_review_open", args=[review.pk]))
    assert all(r.status_code == 200 for r in pages.values())
    assert "&lt;b&gt;标题&lt;/b&gt;" in detail and "<b>标题</b>" not in detail
    assert "改后的&lt;正文&gt;</ins>" in detail
    assert approve.status_code == 302
    assert "不能审核通过" in again.content.decode()
    assert forged.status_code == 403
    assert jump["Location"] == piece.get_absolute_url() + "#round-2"
    assert PublicityPiece.objects.get(pk=piece.pk).state == "approved"


def test_a_member_writes_for_their_turn_through_the_form(org):
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        rotation(org, "publicity", "pb")
        slot = PublicitySlot.objects.get(due_on=FRIDAY)
        client = client_for(org.publicity)
        form = client.get(reverse("publicity_piece_create") + f"?slot={slot.pk}")
        response = client.post(
            reverse("publicity_piece_create"),
            {"title": "学习宣传", "text": "正文", "channel": "wechat", "slot": slot.pk},
        )
        piece = PublicityPiece.objects.get()
        upload = client.post(
            reverse("publicity_image_add", args=[piece.pk]),
            {"image": SimpleUploadedFile("a.png", PNG, content_type="image/png"), "caption": "图"},
        )
        image = PublicityImage.objects.get()
        shown = client.get(reverse("publicity_image", args=[image.pk]))
        hidden = client_for(make_user("pb2", org.ufw_dept, Role.PUBLICITY)).get(
            reverse("publicity_image", args=[image.pk])
        )
    assert form.status_code == 200 and "selected" in form.content.decode()
    assert response.status_code == 302 and response["Location"] == piece.get_absolute_url()
    assert (piece.author, piece.slot) == (org.publicity.person, slot)
    assert upload.status_code == 302
    assert shown.status_code == 200 and b"".join(shown.streaming_content) == PNG
    assert shown["Content-Disposition"].startswith("inline")
    assert hidden.status_code == 404


@pytest.mark.parametrize("name", ["publicity_piece_list", "publicity_rotation", "publicity_year"])
def test_the_lists_run_the_same_queries_for_few_or_many(org, name):
    def count(persona: str) -> int:
        client = client_for(getattr(org, persona))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name)).status_code == 200
        return len(captured)

    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        rotation(org, "publicity", "pb")
        piece = draft(org, title="第一篇", special=True, figure_name="甲")
        services.piece_submit(piece=piece, by=org.publicity)
        services.piece_approve(piece=piece, by=org.office)
        services.piece_publish(
            piece=piece, published_on=D(2026, 12, 1), link="https://example.com/", by=org.office
        )
        before = {p: count(p) for p in ("office", "publicity")}
        for n in range(6):
            one = draft(org, title=f"第{n}件", special=bool(n % 2), figure_name="乙")
            services.piece_submit(piece=one, by=org.publicity)
            if n % 2:
                services.piece_approve(piece=one, by=org.office)
                services.piece_publish(
                    piece=one, published_on=D(2026, 12, 1), link="https://e.com/", by=org.office
                )
            services.image_add(
                piece=draft(org, title=f"图{n}"),
                image=SimpleUploadedFile("a.png", PNG),
                by=org.publicity,
            )
        services.member_add(
            person=make_user("pc", org.ufw_dept, None).person,
            start_date=D(2026, 12, 1),
            by=org.office,
        )
        services.slot_skip(slot=PublicitySlot.objects.last(), reason="假期", by=org.office)
        assert {p: count(p) for p in ("office", "publicity")} == before


def test_the_demo_has_a_rotation_with_pieces_in_every_state(org):
    from liaisons.publicity.demo import seed_publicity_demo
    from tests.factories import PersonFactory

    for name in ("宣传甲", "宣传乙", "宣传丙", "宣传丁"):
        PersonFactory(name=name, unit=org.ufw_dept)
    logins = {"office": org.office, "publicity": org.publicity}
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        line = seed_publicity_demo(logins=logins, today=D(2026, 12, 1))
        assert seed_publicity_demo(logins=logins, today=D(2026, 12, 1)) == ""  # once
    assert line.startswith("宣传制度：名单 5 人")
    assert PublicityMember.objects.order_by("position").first().person == org.publicity.person
    assert set(PublicityPiece.objects.values_list("state", flat=True)) == set(
        PublicityPiece.State.values
    )
    assert PublicityPiece.objects.filter(round=2, state="submitted").exists()
    assert PublicityPiece.objects.filter(special=True, state="published").exists()
    assert set(PublicitySlot.objects.values_list("state", flat=True)) == {"open", "skipped"}
    assert PublicitySlot.objects.filter(swapped_with__isnull=False).count() == 2
    assert selectors.year_view(2026).total == 3


def test_the_diff_marks_insertions_and_deletions_and_escapes_the_text():
    diff = str(selectors.text_diff('甲乙丙\n<a href="x">&</a>\n', '甲丙丁\n<a href="x">&</a>\n'))
    assert diff == (
        '甲<del class="bg-danger-subtle">乙</del>丙<ins class="bg-success-subtle">丁</ins><br>\n'
        "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;<br>\n"
    )
    assert str(selectors.text_diff("", "新")) == '<ins class="bg-success-subtle">新</ins>'
    assert str(selectors.text_diff("旧", "")) == '<del class="bg-danger-subtle">旧</del>'


def test_the_review_is_due_in_working_days_from_a_setting_and_shows_on_the_offices_todo(
    org, settings
):
    settings.PUBLICITY_REVIEW_WORKDAYS = 1
    with time_machine.travel(at(2026, 12, 4, 10), tick=False):  # a Friday
        piece = draft(org)
        services.piece_submit(piece=piece, by=org.publicity)
        todos = todos_for(org.office, D(2026, 12, 4))
    deadline = Deadline.objects.get(rule=PUBLICITY_REVIEW)
    assert deadline.due == D(2026, 12, 7)  # the next working day, a Monday
    assert deadline.responsible_unit is None and not deadline.responsible_users.exists()
    assert any(piece.title in t.title for t in todos)
    assert not any(piece.title in t.title for t in todos_for(org.publicity, D(2026, 12, 4)))


def test_a_member_sees_their_own_pieces_and_the_published_ones_only(org):
    other = make_user("pb", org.ufw_dept, Role.PUBLICITY)
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        mine = draft(org)
        theirs = draft(org, by=other, title="别人的草稿")
        client = client_for(org.publicity)
        own = client.get(mine.get_absolute_url())
        hidden = client.get(theirs.get_absolute_url())
        edit = client.get(reverse("publicity_piece_edit", args=[theirs.pk]))
        leader_edit = client_for(org.leader).get(reverse("publicity_piece_edit", args=[mine.pk]))
        leader_view = client_for(org.leader).get(mine.get_absolute_url())
    assert (own.status_code, hidden.status_code, edit.status_code) == (200, 404, 404)
    assert (leader_view.status_code, leader_edit.status_code) == (200, 403)
    assert "修改" not in leader_view.content.decode().split("<main")[-1].split("审核记录")[0]
