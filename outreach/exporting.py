"""The outreach lists as registered exports (`portal.exports`): the register of
non-party figures (党外人士名册), the returned-overseas list, the pairs (联系交友), the
contacts, the talks (谈心谈话), the suggestions and the cadre reserve. Each list view
and its export build their rows with the same `*_filter_for(user, params)` here: the
list's selector (its scope) under its filter on the request's query.

What a role may not see stays out, as on the pages:

- the register's sensitive columns (政治面貌, 党派及任职情况, 海外经历) are in the
  workbook for whoever may see some figure's sensitive data (`sensitive.may_see_any`:
  the office, a paired leader), filled row by row for the figures that user may see
  (`sensitive.sensitive_for`, the person page's rule) and blank for the others; the looks
  of anyone but the office are logged once per export (`sensitive_view_record`);
- the suggestions' proposer only for `can_see_proposer`;
- the reserve's assessment only for `can_read_assessment` (the office);
- a talk's content (谈话情况, 反映的意见建议) is in the rows of the talks the user may
  open (`talks_for_user`: the office every talk, a leader the talks they held), as on
  the talk's page, which shows it to whoever may open the talk.

The boards (the coverage per period, the study year board) are not lists of records
and keep their own builders (`outreach/exports/`)."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from outreach.filters.figures import FigureFilter, OverseasFilter
from outreach.filters.learning import ReserveFilter
from outreach.filters.pairs import ContactFilter, PairFilter, TalkFilter
from outreach.filters.suggestions import SuggestionFilter
from outreach.models import Figure
from outreach.selectors import figures as figure_selectors
from outreach.selectors import learning as learning_selectors
from outreach.selectors import overseas, sensitive
from outreach.selectors import pairs as pair_selectors
from outreach.selectors import suggestions as suggestion_selectors
from outreach.selectors.sensitive import Sensitive
from portal import exports, services
from portal.deadlines import periods
from portal.models import Person, Role, Unit
from portal.permissions import RECORD_ROLES, is_office
from portal.selectors import units_for_user

CHUNK = 500  # rows a server-side cursor fetches at a time


# The register of non-party figures (党外人士名册) ----------------------------------------


def figure_filter_for(user: Any, params: QueryDict) -> FigureFilter:
    """The register list's scope (`figures_for_user`: a commissioner's units) under its
    filter (search, category, unit, flag, state); it never touches sensitive data."""
    return FigureFilter(
        params,
        queryset=figure_selectors.figures_for_user(user),
        units=units_for_user(user),
    )


def _overseas_text(secret: Sensitive) -> str:
    return "；".join(
        f"{r.start_year or ''}—{r.end_year or ''} {r.country} {r.institution}"
        for r in secret.overseas
    )


def _figure_rows(user: Any, with_sensitive: bool) -> Any:
    def rows(figures: Any) -> Any:
        yes = _("是")
        logged = not is_office(user)  # the office's reading is not logged
        shown: list[Person] = []
        # A college's register is hundreds of figures, at most a few thousand: read at
        # once, so the export runs the same queries whatever its rows (the positions in
        # one query, the sensitive part the user may see in two, logged after the last
        # row).
        register = list(figures.prefetch_related("positions"))
        secrets = (
            sensitive.sensitive_for(user, register, page="", log=False) if with_sensitive else {}
        )
        for figure in register:
            person = figure.person
            row: list[Any] = [
                person.name,
                person.unit.name,
                person.title,
                figure.category_label,
                yes if figure.is_representative else "",
                yes if figure.is_key_contact else "",
                figure.expertise,
                "；".join(p.title for p in figure.positions.all()),
                figure.registered_on,
                yes if figure.is_active else _("否"),
            ]
            if with_sensitive:
                secret = secrets.get(figure.pk)
                if secret is None:
                    row += ["", "", ""]
                else:
                    if logged:
                        shown.append(person)
                    row += [secret.political_status, secret.affiliation, _overseas_text(secret)]
            yield row
        if shown:
            services.sensitive_view_record(
                people=shown,
                fields=sensitive.sensitive_field_labels(),
                page=reverse("figure_export"),
                by=user,
            )

    return rows


def _declare_figures(user: Any) -> exports.Export:
    with_sensitive = sensitive.may_see_any(user)
    columns = [
        (_("姓名"), 10),
        (_("单位"), 24),
        (_("职务/职称"), 16),
        (_("类别"), 16),
        (_("党外代表人士"), 10),
        (_("重点联系对象"), 10),
        (_("专业特长"), 20),
        (_("社会职务"), 40),
        (_("登记日期"), 12),
        (_("在册"), 6),
    ]
    if with_sensitive:
        columns += [(_("政治面貌"), 12), (_("党派及任职情况"), 30), (_("海外经历"), 40)]
    return exports.Export(
        name=_("党外人士名册"),
        title=_("党外人士"),
        columns=columns,
        rows=_figure_rows(user, with_sensitive),
    )


# The returned-overseas list (留学回国人员清单): the office's alone ----------------------


def overseas_filter_for(user: Any, params: QueryDict) -> OverseasFilter:
    """Everyone with overseas history on record under the list's filter (search, unit,
    completeness). The list is the office's only (the view and `allowed` check)."""
    return OverseasFilter(params, queryset=overseas.overseas_people(), units=units_for_user(user))


def _overseas_rows(people: Any) -> Any:
    """One structured record a row (a person without one: one row saying so)."""
    # Everyone with overseas history on record (the office's list, hundreds at most):
    # read at once, their structured records in one query.
    for row in overseas.rows_of(list(overseas.person_rows(people))):
        if not row.records:
            empty: list[Any] = [row.name, row.unit_name, "", "", "", "", None, None]
            yield [*empty, row.detail, "、".join(row.missing)]
        for record in row.records:
            yield [
                row.name,
                row.unit_name,
                record.kind_label,
                record.country,
                record.institution,
                record.degree_label,
                record.start_year,
                record.end_year,
                row.detail,
                "、".join(record.missing),
            ]


def _declare_overseas(user: Any) -> exports.Export:
    return exports.Export(
        name=_("留学回国人员清单"),
        title=_("留学回国人员"),
        columns=[
            (_("姓名"), 10),
            (_("单位"), 24),
            (_("类型"), 10),
            (_("国家/地区"), 14),
            (_("院校/机构"), 24),
            (_("学位"), 10),
            (_("开始年份"), 10),
            (_("结束年份"), 10),
            (_("登记的留学情况"), 40),
            (_("缺少"), 30),
        ],
        rows=_overseas_rows,
    )


# Contacts (联系记录) -----------------------------------------------------------------


def contact_filter_for(user: Any, params: QueryDict) -> ContactFilter:
    """The contacts list's scope (`contacts_for_user`: the office all, a leader their
    own) under its filter (search, year, kind)."""
    contacts = pair_selectors.contacts_for_user(user).select_related(None)
    return ContactFilter(params, queryset=contacts.select_related("leader"))


def _contact_rows(contacts: Any) -> Any:
    # Every exported contact's figure names in one query (a subquery of the contacts):
    # the export's queries do not grow with its rows.
    names = pair_selectors.figure_names_by_record(contacts)
    for contact in contacts.iterator(chunk_size=CHUNK):
        yield [
            contact.date,
            contact.leader.name,
            contact.get_kind_display(),
            "、".join(names.get(contact.pk, [])),
            contact.place,
            contact.summary,
        ]


def _declare_contacts(user: Any) -> exports.Export:
    return exports.Export(
        name=_("联系记录"),
        title=_("联系记录"),
        columns=[
            (_("日期"), 12),
            (_("联系领导"), 10),
            (_("方式"), 12),
            (_("联系对象"), 30),
            (_("地点"), 16),
            (_("情况摘要"), 60),
        ],
        rows=_contact_rows,
    )


# Pairs (联系交友) ----------------------------------------------------------------------


def pair_filter_for(user: Any, params: QueryDict) -> PairFilter:
    """The pairs list's scope (`pairs_for_user`: the office all, a leader the pairs they
    lead) under its filter (search, state: in force today by default, key contacts)."""
    return PairFilter(
        params, queryset=pair_selectors.pairs_for_user(user), today=timezone.localdate()
    )


def _pair_year() -> pair_selectors.Period:
    """The academic year whose last contact the list shows (本学年最近联系)."""
    today = timezone.localdate()
    return pair_selectors.period_for("academic", periods.academic_year_of(today).start.year)


def _pair_rows(pairs: Any) -> Any:
    # The names and the year's last contact and talk as annotations of the one query
    # (`pair_rows`, as the list reads a page): no query a row.
    year = _pair_year()
    annotated = pair_selectors.with_last_contact(
        pair_selectors.with_names(pairs), start=year.start, end=year.end
    )
    yes = _("是")
    values = annotated.values_list(*pair_selectors.PairRow._fields)
    for values_row in values.iterator(chunk_size=CHUNK):
        pair = pair_selectors.PairRow(*values_row)
        yield [
            pair.leader_name,
            pair.figure_name,
            pair.figure_unit or "",
            yes if pair.key_contact else "",
            pair.start_date,
            pair.end_date,
            pair.last_seen,
            pair.note,
        ]


def _declare_pairs(user: Any) -> exports.Export:
    return exports.Export(
        name=_("联系交友结对"),
        title=_("结对"),
        columns=[
            (_("联系领导"), 10),
            (_("联系对象"), 10),
            (_("对象单位"), 24),
            (_("重点联系对象"), 10),
            (_("结对日期"), 12),
            (_("结束日期"), 12),
            (_("本学年最近联系"), 14),
            (_("备注"), 30),
        ],
        rows=_pair_rows,
    )


# Talks (谈心谈话) ----------------------------------------------------------------------


def talk_filter_for(user: Any, params: QueryDict) -> TalkFilter:
    """The talks list's scope (`talks_for_user`: the office all, a leader the talks they
    held) under its filter (search, year, state, mode, marked for the briefing)."""
    talks = pair_selectors.talks_for_user(user).select_related(None)
    return TalkFilter(params, queryset=talks.select_related("leader"))


def _talk_rows(talks: Any) -> Any:
    # Every exported talk's figure names in one query (a subquery of the talks).
    names = pair_selectors.figure_names_by_record(talks)
    yes = _("是")
    for talk in talks.iterator(chunk_size=CHUNK):
        yield [
            talk.date,
            talk.leader.name,
            "、".join(names.get(talk.pk, [])),
            talk.mode_label,
            talk.place,
            talk.topic,
            talk.summary,
            talk.raised,
            talk.state_label,
            exports.local_date(talk.sent_at),
            yes if talk.for_briefing else "",
        ]


def _declare_talks(user: Any) -> exports.Export:
    return exports.Export(
        name=_("谈心谈话记录"),
        title=_("谈心谈话"),
        columns=[
            (_("谈话日期"), 12),
            (_("谈话领导"), 10),
            (_("谈话对象"), 24),
            (_("谈话形式"), 14),
            (_("地点"), 16),
            (_("主题"), 20),
            (_("谈话情况"), 60),
            (_("反映的意见建议"), 40),
            (_("状态"), 14),
            (_("报送日期"), 12),
            (_("编入工作简报"), 10),
        ],
        rows=_talk_rows,
    )


# Suggestions (意见建议) ----------------------------------------------------------------


def suggestion_filter_for(user: Any, params: QueryDict) -> SuggestionFilter:
    """The suggestions list's scope (`suggestions_for_user`: a unit's own for its
    commissioner or group member) under its filter."""
    return SuggestionFilter(
        params,
        queryset=suggestion_selectors.suggestions_for_user(user),
        units=Unit.objects.filter(is_active=True).order_by("sort_order", "name"),
    )


def _suggestion_rows(with_proposer: bool) -> Any:
    def rows(suggestions: Any) -> Any:
        for s in suggestions.iterator(chunk_size=CHUNK):
            deadline = s.deadline
            row: list[Any] = [
                s.raised_on,
                s.title,
                s.get_source_display(),
                s.get_state_display(),
                s.lead_unit.name if s.lead_unit else "",
                deadline.due if deadline and not deadline.is_closed else None,
                s.content,
                s.answer,
                s.get_satisfaction_display() if s.satisfaction else "",
            ]
            if with_proposer:
                row.insert(2, s.proposer)
            yield row

    return rows


def _declare_suggestions(user: Any) -> exports.Export:
    """The proposer (a figure or free text) only for those the list shows it to."""
    with_proposer = suggestion_selectors.can_see_proposer(user)
    columns = [
        (_("提出日期"), 12),
        (_("标题"), 30),
        (_("来源"), 12),
        (_("状态"), 14),
        (_("牵头单位"), 20),
        (_("期限"), 12),
        (_("意见建议内容"), 50),
        (_("办理答复"), 50),
        (_("满意度"), 10),
    ]
    if with_proposer:
        columns.insert(2, (_("提出人"), 12))
    return exports.Export(
        name=_("意见建议"),
        title=_("意见建议"),
        columns=columns,
        rows=_suggestion_rows(with_proposer),
    )


# The cadre reserve (党外后备干部) ------------------------------------------------------


def reserve_filter_for(user: Any, params: QueryDict) -> ReserveFilter:
    """The reserve list's scope (`reserve_for_user`: a commissioner's units; the
    assessment deferred for all but the office) under its filter (current by default)."""
    return ReserveFilter(
        params,
        queryset=learning_selectors.reserve_for_user(user),
        units=units_for_user(user),
        today=timezone.localdate(),
    )


def _reserve_rows(with_assessment: bool) -> Any:
    def rows(entries: Any) -> Any:
        for entry in entries.iterator(chunk_size=CHUNK):
            figure: Figure = entry.figure
            row: list[Any] = [
                figure.person.name,
                figure.person.unit.name,
                figure.category_label,
                entry.added_on,
                entry.proposed_post,
                getattr(entry, "training_count", 0),
                getattr(entry, "last_training", None),
                entry.removed_on,
                entry.outcome_label,
            ]
            if with_assessment:
                row.append(entry.assessment)
            yield row

    return rows


def _declare_reserve(user: Any) -> exports.Export:
    """The office's assessment (考察意见) for the office only."""
    with_assessment = learning_selectors.can_read_assessment(user)
    columns = [
        (_("姓名"), 10),
        (_("单位"), 24),
        (_("类别"), 16),
        (_("列入日期"), 12),
        (_("培养方向"), 24),
        (_("培训次数"), 10),
        (_("最近培训结束"), 14),
        (_("退出日期"), 12),
        (_("退出原因"), 12),
    ]
    if with_assessment:
        columns.append((_("考察意见"), 60))
    return exports.Export(
        name=_("党外后备干部名单"),
        title=_("党外后备干部"),
        columns=columns,
        rows=_reserve_rows(with_assessment),
    )


exports.register(
    "figures",
    url_name="figure_export",
    declare=_declare_figures,
    queryset=lambda user, params: figure_filter_for(user, params).qs,
    allowed=exports.allowed_for(*RECORD_ROLES),
)
exports.register(
    "overseas",
    url_name="overseas_export",
    declare=_declare_overseas,
    queryset=lambda user, params: overseas_filter_for(user, params).qs,
    allowed=exports.allowed_for(Role.OFFICE),
)
exports.register(
    "contacts",
    url_name="contact_export",
    declare=_declare_contacts,
    queryset=lambda user, params: contact_filter_for(user, params).qs,
    allowed=exports.allowed_for(*pair_selectors.PAIR_ROLES),
)
exports.register(
    "pairs",
    url_name="pair_export",
    declare=_declare_pairs,
    queryset=lambda user, params: pair_filter_for(user, params).qs,
    allowed=exports.allowed_for(*pair_selectors.PAIR_ROLES),
)
exports.register(
    "talks",
    url_name="talk_export",
    declare=_declare_talks,
    queryset=lambda user, params: talk_filter_for(user, params).qs,
    allowed=exports.allowed_for(*pair_selectors.PAIR_ROLES),
)
exports.register(
    "suggestions",
    url_name="suggestion_export",
    declare=_declare_suggestions,
    queryset=lambda user, params: suggestion_filter_for(user, params).qs,
    allowed=exports.allowed_for(*suggestion_selectors.SUGGESTION_ROLES),
)
exports.register(
    "reserve",
    url_name="reserve_export",
    declare=_declare_reserve,
    queryset=lambda user, params: reserve_filter_for(user, params).qs,
    allowed=exports.allowed_for(*learning_selectors.RESERVE_ROLES),
)
