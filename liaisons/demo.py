"""The liaisons app's demo: a liaison officer for every department and school but one
(vacant), each chosen by the rule on the appointment day; one of them a young returned
scholar who turns 35 within the month (the office's eligibility deadline shows it), one
a young Party member with the reason recorded."""

from __future__ import annotations

import datetime as dt

from portal.models import Unit, User


def seed_demo(*, units: dict[str, Unit], logins: dict[str, User], today: dt.date) -> str:
    from liaisons import services
    from liaisons.eligibility import birthday_of_age, eligibility
    from liaisons.models import LIAISON_UNIT_KINDS, Liaison
    from portal.models import CPC_STATUSES, Person, PoliticalStatus

    if Liaison.objects.exists():
        return ""
    office = logins["office"]
    start = today - dt.timedelta(days=400)
    candidates = Unit.objects.filter(kind__in=LIAISON_UNIT_KINDS, is_active=True).order_by(
        "sort_order"
    )
    appointed = 0
    vacant = ""
    ageing = ""
    for index, unit in enumerate(candidates):
        if index == 3:
            vacant = unit.name  # one unit has none
            continue
        people = list(
            Person.objects.filter(unit=unit, is_active=True, user__isnull=True).order_by("pk")
        )
        if index == 1:
            # A young returned scholar who is a Party member: turns 35 in three weeks.
            young = Person.objects.create(
                name="韦晓青",
                unit=unit,
                gender=Person.Gender.FEMALE,
                political_status=PoliticalStatus.CPC,
                birth_date=birthday_of_age(today + dt.timedelta(days=21), -35),
                overseas_study=True,
                overseas_detail="英国利兹大学访问学者",
                title="讲师",
                ethnicity="壮族",
                phone="0771-3860219",
            )
            people.insert(0, young)
            ageing = young.name
        chosen = None
        for person in people:
            basis = eligibility(
                political_status=person.political_status,
                birth_date=person.birth_date,
                overseas_study=person.overseas_study,
                on=start,
            )
            if basis is not None:
                chosen = person
                break
        if chosen is None:
            continue
        young_member = chosen.political_status in CPC_STATUSES and not chosen.overseas_study
        services.liaison_appoint(
            unit=unit,
            person=chosen,
            start_date=start,
            reason="本单位党外教师均已担任其他社会职务，推荐青年党员教师。" if young_member else "",
            by=office,
        )
        appointed += 1
    return f"统战联络员：{appointed} 个单位在任，{vacant or '无'}暂缺" + (
        f"，{ageing} 即将满35周岁" if ageing else ""
    )
