"""Who may be a department's liaison officer (统战联络员, 001 article 5), as a pure
function of the person's political status, birth date and overseas study on a day:

1. a non-party person (非党人士); else
2. a young teacher under 35 with overseas study (35周岁以下有过留学经历的年轻教师); else
3. a young Party-member teacher, under 35 as well, accepted only with a recorded reason
   (如以上两条都无法满足，可以推荐年轻的党员教师);
4. anyone else is not eligible.

"Under 35" is before the 35th birthday; someone born on 29 February turns 35 on
1 March in a common year.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import CPC_STATUSES

AGE_LIMIT = 35


class Basis(models.TextChoices):
    """Why a person may be a liaison, in the order the rule tries."""

    NON_PARTY = "non_party", _("非党人士")
    YOUNG_RETURNED = "young_returned", _("35周岁以下有留学经历的青年教师")
    YOUNG_PARTY_MEMBER = "young_party_member", _("青年党员教师（需说明理由）")


def birthday_of_age(birth_date: dt.date, age: int) -> dt.date:
    """The day a person born on `birth_date` turns `age` (29 Feb → 1 Mar in a common year)."""
    try:
        return birth_date.replace(year=birth_date.year + age)
    except ValueError:  # 29 February in a common year
        return dt.date(birth_date.year + age, 3, 1)


def is_young(birth_date: dt.date | None, on: dt.date) -> bool:
    """Under 35 on `on`; an unknown birth date is not young (the rule cannot tell)."""
    return birth_date is not None and on < birthday_of_age(birth_date, AGE_LIMIT)


def eligibility(
    *, political_status: str, birth_date: dt.date | None, overseas_study: bool, on: dt.date
) -> Basis | None:
    """The first branch of the rule the person meets on `on`, or None."""
    if political_status not in CPC_STATUSES:
        return Basis.NON_PARTY
    if is_young(birth_date, on) and overseas_study:
        return Basis.YOUNG_RETURNED
    if is_young(birth_date, on):
        return Basis.YOUNG_PARTY_MEMBER
    return None


def eligible_until(
    *, political_status: str, birth_date: dt.date | None, overseas_study: bool, basis: str
) -> dt.date | None:
    """The day a liaison appointed on `basis` stops meeting it by age alone (their 35th
    birthday), or None when age does not end it (a non-party person)."""
    if basis == Basis.NON_PARTY or birth_date is None:
        return None
    return birthday_of_age(birth_date, AGE_LIMIT)
