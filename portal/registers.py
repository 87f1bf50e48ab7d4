"""The core's registers as list exports (`portal.exports.register`): units, people,
the log of sensitive views and the login lockouts.
The list views and the exports call the same filter builders here, so a list and its
export hold the same rows under the same `request.GET`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import exports, selectors, services
from portal.filters import PersonFilter, SensitiveViewFilter, UnitFilter
from portal.models import Person, Role, SensitiveView, field_labels
from portal.permissions import RECORD_ROLES, is_office, sensitive_person_ids

may_see_records = exports.allowed_for(*RECORD_ROLES)


# Units -------------------------------------------------------------------------------


def unit_filter_for(user: Any, params: QueryDict) -> UnitFilter:
    """The units list's scope (`unit_list_for_user`) under its filter."""
    return UnitFilter(params, queryset=selectors.unit_list_for_user(user))


def _unit_rows(units: Any) -> Any:
    # The people counts of every exported unit in one query (a subquery of the units):
    # the export's queries do not grow with its rows.
    counts = dict(
        Person.objects.filter(unit_id__in=units.order_by().values("pk"))
        .order_by()
        .values("unit")
        .annotate(n=Count("pk"))
        .values_list("unit", "n")
    )
    for unit in units.select_related("parent").iterator(chunk_size=500):
        yield [
            unit.name,
            unit.short_name,
            unit.kind_label,
            unit.parent.name if unit.parent else "",
            counts.get(unit.pk, 0),
            _("是") if unit.is_active else _("否"),
        ]


def _declare_units(user: Any) -> exports.Export:
    return exports.Export(
        name=_("单位"),
        title=_("单位"),
        columns=[
            (_("名称"), 30),
            (_("简称"), 14),
            (_("类别"), 14),
            (_("上级单位"), 30),
            (_("人数"), 8),
            (_("在用"), 8),
        ],
        rows=_unit_rows,
    )


# People ------------------------------------------------------------------------------


def person_filter_for(user: Any, params: QueryDict) -> PersonFilter:
    """The people list's scope (`people_for_user`) under its filter; the sensitive
    filters (political status, overseas study) are the office's only."""
    return PersonFilter(
        params,
        queryset=selectors.people_for_user(user),
        units=selectors.units_for_user(user),
        show_sensitive=is_office(user),
    )


def _person_rows(user: Any, visible: set[int] | None, sensitive: bool) -> Any:
    """One row a person; with `sensitive`, the sensitive cells are filled for the people
    of `visible` (`sensitive_person_ids`: None for the office, everyone) and left empty
    for the others. The looks at non-party people's data are logged once, after the last
    row (`sensitive_view_record` leaves out the office and oneself)."""

    def rows(people: Any) -> Any:
        shown: list[Person] = []
        for person in people.iterator(chunk_size=500):
            row = [person.name, person.unit.name, person.title, person.gender_label]
            if sensitive:
                if visible is None or person.pk in visible:
                    shown.append(person)
                    row += [
                        person.political_status_label or _("未登记"),
                        _("有") if person.overseas_study else "",
                        person.overseas_detail,
                        person.note,
                    ]
                else:
                    row += ["", "", "", ""]
            yield row
        if shown and not is_office(user):
            services.sensitive_view_record(
                people=shown,
                fields=field_labels(Person, Person.SENSITIVE_FIELDS),
                page=reverse("person_export"),
                by=user,
            )

    return rows


def _declare_people(user: Any) -> exports.Export:
    """The sensitive columns (political status, overseas history, notes) as the domain
    gives them: the office every person's, a leader those of the people they are paired
    with (and anyone their own), row by row (`sensitive_person_ids`), as the person
    page. A user who may see no one's but their own gets no such columns."""
    visible = sensitive_person_ids(user)
    sensitive = visible is None or bool(visible - {getattr(user, "person_id", None)})
    columns = [(_("姓名"), 12), (_("单位"), 30), (_("职务/职称"), 20), (_("性别"), 6)]
    if sensitive:
        columns += [(_("政治面貌"), 14), (_("留学"), 6), (_("留学经历"), 40), (_("备注"), 40)]
    return exports.Export(
        name=_("人员"),
        title=_("人员"),
        columns=columns,
        rows=_person_rows(user, visible, sensitive),
    )


exports.register(
    "units",
    url_name="unit_export",
    declare=_declare_units,
    queryset=lambda user, params: unit_filter_for(user, params).qs,
    allowed=may_see_records,
)
exports.register(
    "people",
    url_name="person_export",
    declare=_declare_people,
    queryset=lambda user, params: person_filter_for(user, params).qs,
    allowed=may_see_records,
)


# The log of sensitive views (敏感信息查阅记录) ---------------------------------------------


def sensitive_view_filter_for(user: Any, params: QueryDict) -> SensitiveViewFilter:
    """The log, newest first, under the list's filter (whose data, who looked, dates);
    the office's only (the view and `allowed` check)."""
    log = SensitiveView.objects.select_related("viewer__person", "person").order_by("-at", "-pk")
    return SensitiveViewFilter(params, queryset=log)


def _sensitive_view_rows(views: Any) -> Any:
    for view in views.iterator(chunk_size=500):
        yield [
            # A cell holds local time, to the second.
            timezone.localtime(view.at).replace(tzinfo=None, microsecond=0),
            view.viewer.display_name,
            view.person.name,
            view.fields,
            view.page,
        ]


def _declare_sensitive_views(user: Any) -> exports.Export:
    return exports.Export(
        name=_("敏感信息查阅记录"),
        title=_("查阅记录"),
        columns=[
            (_("查阅时间"), 18),
            (_("查阅人"), 12),
            (_("被查阅人"), 12),
            (_("查阅内容"), 40),
            (_("查阅位置"), 40),
        ],
        rows=_sensitive_view_rows,
    )


exports.register(
    "sensitive_views",
    url_name="sensitive_view_export",
    declare=_declare_sensitive_views,
    queryset=lambda user, params: sensitive_view_filter_for(user, params).qs,
    allowed=lambda user: bool(getattr(user, "is_active", False)) and is_office(user),
)


# Login lockouts (登录锁定) ----------------------------------------------------------------

LOCKOUT_LIST_LIMIT = 200  # the list has no pages: the 200 latest lockouts


def _cool_off() -> dt.timedelta:
    return dt.timedelta(hours=float(settings.AXES_COOLOFF_TIME))


def lockout_filter_for(user: Any, params: QueryDict) -> QuerySet[AccessAttempt]:
    """The logins throttling has locked out now (the failure limit reached from one
    address and browser, the last failure within the cool-off), latest first, at most
    `LOCKOUT_LIST_LIMIT` (the list has no filter; the view and `allowed` are the
    office's only). Unlocking deletes the rows (`axes.utils.reset`), so a lockout the
    office lifted is no longer here."""
    since = timezone.now() - _cool_off()
    locked: QuerySet[AccessAttempt] = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time", "-pk")[:LOCKOUT_LIST_LIMIT]
    return locked


def _lockout_rows(attempts: Any) -> Any:
    cool_off = _cool_off()
    for attempt in attempts.iterator(chunk_size=500):
        yield [
            attempt.username,
            attempt.ip_address or "",
            attempt.user_agent,
            attempt.failures_since_start,
            # Instants, to the minute as on the list (the cool-off is minutes long).
            attempt.attempt_time,
            attempt.attempt_time + cool_off,
        ]


def _declare_lockouts(user: Any) -> exports.Export:
    return exports.Export(
        name=_("登录锁定"),
        title=_("登录锁定"),
        columns=[
            (_("账号"), 16),
            (_("来源地址"), 18),
            (_("浏览器"), 40),
            (_("失败次数"), 8),
            (_("最近一次"), 18),
            (_("锁定至"), 18),
        ],
        rows=_lockout_rows,
    )


exports.register(
    "lockouts",
    url_name="lockout_export",
    declare=_declare_lockouts,
    queryset=lockout_filter_for,
    allowed=exports.allowed_for(Role.OFFICE),
)
