"""The publicity system's demo (宣传制度): a roster of five in rotation order (the
`publicity` login's person first, when that login exists), a weekly rhythm, the turns
ahead assigned (one swapped, one skipped), and pieces in every state: a draft, one
waiting for review (on the office's 我的待办), one returned with comments, one in its
second round (what changed is shown), one approved waiting to be published, and three
published this year, one of them a special report on an outstanding figure. Called from
`liaisons.demo.seed_demo`."""

from __future__ import annotations

import datetime as dt

from portal.models import User


def seed_publicity_demo(*, logins: dict[str, User], today: dt.date) -> str:
    from django.utils import timezone

    from liaisons.models import PublicityMember, PublicityPiece, PublicityReview, PublicitySlot
    from liaisons.publicity import services
    from portal.models import Person

    if PublicityMember.objects.exists():
        return ""
    office = logins.get("office")
    if office is None:
        return ""
    login = logins.get("publicity")
    people: list[Person] = []
    if login is not None and login.person is not None:
        people.append(login.person)
    others = (
        Person.objects.filter(is_active=True, user__isnull=True)
        .exclude(pk__in=[p.pk for p in people])
        .order_by("unit__sort_order", "pk")
    )
    people += list(others[: 5 - len(people)])
    if len(people) < 3:
        return ""
    for person in people:
        services.member_add(person=person, start_date=today - dt.timedelta(days=90), by=office)
    friday = today + dt.timedelta(days=(4 - today.weekday()) % 7 or 7)
    services.rhythm_set(every_days=7, first_due=friday, by=office)
    slots = list(PublicitySlot.objects.order_by("due_on"))
    services.slot_swap(
        slot=slots[1], other=slots[2], reason="外出参加培训，与下一期调换", by=office
    )
    services.slot_skip(slot=slots[3], reason="假期，本期暂停", by=office)

    def writer(person: Person) -> User:
        user = User.objects.filter(person=person, is_active=True).first()
        return user or office

    def write(person: Person, title: str, text: str, **extra: object) -> PublicityPiece:
        return services.piece_create(
            title=title,
            text=text,
            author=person,
            by=writer(person),
            **extra,  # type: ignore[arg-type]
        )

    first = people[0]
    # Its turn: a draft for the first turn (the member's, on 我的待办 until submitted).
    write(
        first,
        "我校召开党外知识分子座谈会",
        "12月，学校召开党外知识分子座谈会。\n与会代表围绕学校事业发展建言献策。",
        channel="wechat",
        slot=slots[0],
    )
    waiting = write(
        people[1],
        "民主党派成员参加社会实践活动",
        "各民主党派成员赴乡村开展调研和义诊活动。",
        channel="website",
    )
    services.piece_submit(piece=waiting, by=writer(people[1]))
    returned = write(
        people[2],
        "统一战线知识进课堂",
        "学校将统一战线知识纳入思想政治理论课教学内容。",
        channel="wechat",
    )
    services.piece_submit(piece=returned, by=writer(people[2]))
    services.piece_return(
        piece=returned, comments="请补充具体课程名称和授课教师，删去未经核实的数据。", by=office
    )
    second = write(
        first,
        "留学归国人员联谊会换届",
        "留学归国人员联谊会召开换届大会。\n大会选举产生新一届理事会。",
        channel="upper",
    )
    services.piece_submit(piece=second, by=writer(first))
    services.piece_return(piece=second, comments="请写明会议时间和新任会长姓名。", by=office)
    services.piece_update(
        piece=second,
        title="留学归国人员联谊会召开第二届会员大会",
        text="11月28日，留学归国人员联谊会召开第二届会员大会。\n"
        "大会选举产生新一届理事会，王明远当选会长。",
        channel="upper",
        by=writer(first),
    )
    services.piece_submit(piece=second, by=writer(first))
    approved = write(
        people[3 % len(people)],
        "统战部开展统战政策宣传月活动",
        "宣传月期间，统战部通过展板、讲座和线上答题宣传统战政策。",
        channel="wechat",
    )
    services.piece_submit(piece=approved, by=writer(approved.author))
    services.piece_approve(piece=approved, comments="同意发布。", by=office)
    services.piece_create(
        title="草稿：民族团结进步教育月",
        text="待完善。",
        channel="media",
        author=first,
        by=writer(first),
    )
    published = 0
    for index, (title, channel, special) in enumerate(
        (
            ("党外专家张立群教授获评自治区教学名师", "wechat", True),
            ("学校召开统一战线工作领导小组会议", "website", False),
            ("我校党外人士积极参与乡村振兴", "upper", False),
        )
    ):
        author = people[index % len(people)]
        piece = services.piece_create(
            title=title,
            text=f"{title}。详见正文。",
            channel=channel,
            special=special,
            figure_name="张立群" if special else "",
            author=author,
            by=writer(author),
        )
        services.piece_submit(piece=piece, by=writer(author))
        services.piece_approve(piece=piece, by=office)
        services.piece_publish(
            piece=piece,
            published_on=today,
            link=f"https://www.example.edu.cn/news/{index + 1}.html",
            by=office,
        )
        # Recorded afterwards for the demo: published weeks apart earlier this year.
        day = max(today.replace(month=1, day=1), today - dt.timedelta(days=30 * (index + 1)))
        PublicityPiece.objects.filter(pk=piece.pk).update(published_on=day)
        PublicityReview.objects.filter(piece=piece).update(
            decided_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
        )
        published += 1
    return (
        f"宣传制度：名单 {len(people)} 人，每周一期（1 期调换、1 期跳过）；稿件草稿 2 篇，"
        f"待审核、退回修改、第二轮待审核、待发布各 1 篇，已发布 {published} 篇（含专题报道 1 篇）"
    )
