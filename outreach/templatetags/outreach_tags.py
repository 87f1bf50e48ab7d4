"""Template tags of the outreach pages."""

from __future__ import annotations

from functools import lru_cache
from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from outreach.selectors.learning import CadreRow
from outreach.selectors.overseas import OverseasRow
from outreach.selectors.pairs import LIGHT_CLASS, LIGHTS, Cell, PairRow
from outreach.selectors.study import BoardRow
from outreach.selectors.suggestions import SuggestionRow
from portal.paths import detail_path
from portal.templatetags.portal_tags import ymd

register = template.Library()


@lru_cache
def _coverage_labels(language: str | None) -> tuple[dict[str, str], str, str]:
    """The board's light labels (escaped), 谈话 (escaped) and 最近 %(day)s in `language`
    (the active one): translated once, not for each leader's row."""
    labels = {code: escape(str(label)) for code, label in LIGHTS.items()}
    return labels, escape(_("谈话")), _("最近 %(day)s")


@register.simple_tag
def coverage_cells(cells: list[Cell]) -> SafeString:
    """One leader's cells on the coverage board, as HTML.

    Built here rather than in the template: the board shows every pair of the period on
    one page (400 at scale 1), and a cell written in template tags costs ten times as
    much to render (docs/performance.md). The markup is what the template had: a box
    with the contact light and the name, the day of the last contact, and for a key
    contact the talk light. Every text is escaped (`html.escape`, as Django escapes).
    """
    labels, talk, recent = _coverage_labels(get_language())
    parts = []
    for cell in cells:
        star = ' <span class="text-warning">★</span>' if cell.key_contact else ""
        last = ""
        if cell.last_contact:
            day = escape(recent % {"day": f"{cell.last_contact:%m-%d}"})
            last = f'<div class="text-muted">{day}</div>'
        talk_light = ""
        if cell.talk_light:
            talk_light = (
                f'<div><span class="badge text-bg-{LIGHT_CLASS[cell.talk_light]}">'
                f"{talk}：{labels[cell.talk_light]}</span></div>"
            )
        parts.append(
            f'<div class="border rounded px-2 py-1 small" title="{escape(cell.figure_unit)}">'
            f'<div><span class="badge text-bg-{LIGHT_CLASS[cell.contact_light]}">'
            f"{labels[cell.contact_light]}</span> {escape(cell.figure_name)}{star}</div>"
            f"{last}{talk_light}</div>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


@register.simple_tag
def board_row(row: BoardRow, year: int) -> SafeString:
    """A figure's whole row on the learning board, as HTML: the name linking to their
    "五个一" of `year`, the unit, the study badge (confirmed/reached), the five cells
    (`five_one_cells`) and the count done. The template wrote the same with a dozen
    tags a row; every text is escaped."""
    if row.reached:
        tone = "success" if row.study_complete else "warning"
        study = f'<span class="badge text-bg-{tone}">{row.confirmed}/{row.reached}</span>'
    else:
        study = '<span class="text-muted">—</span>'
    done = row.five_done
    tone = "success" if done == 5 else "info" if done else "secondary"
    link = escape(f"{detail_path('five_ones', row.figure_pk)}?year={int(year)}")
    return mark_safe(  # noqa: S308 - every text is escaped
        f'<tr><td class="text-nowrap"><a href="{link}">{escape(row.name)}</a></td>\n'
        f'      <td class="small">{escape(row.unit_name)}</td>\n'
        f'      <td class="text-end text-nowrap">{study}</td>\n'
        f"      {five_one_cells(row)}\n"
        f'      <td class="text-end"><span class="badge text-bg-{tone}">{done}/5</span></td></tr>'
    )


@register.simple_tag
def five_one_cells(row: BoardRow) -> SafeString:
    """A figure's five "五个一" cells on the learning board (a ✓ titled with the day and
    the title, or a dot), as HTML: fifty rows of five cells in template tags were a
    third of the page."""
    parts = []
    for cell in row.cells:
        if cell is None:
            parts.append('<td class="text-center"><span class="text-muted">·</span></td>')
        else:
            title = escape(f"{cell.done_on:%Y-%m-%d} {cell.title}")
            parts.append(
                f'<td class="text-center"><span class="text-success" title="{title}">✓</span></td>'
            )
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


@lru_cache
def _overseas_labels(language: str | None) -> tuple[str, str]:
    """完整 and 缺 in `language` (the active one), escaped, once."""
    return escape(_("完整")), escape(_("缺"))


@register.simple_tag
def overseas_row(row: OverseasRow) -> SafeString:
    """A person's whole row on the returned-overseas list: the name linking to their
    figure's (or person's) page, the unit, then `overseas_cells`. Escaped."""
    return mark_safe(  # noqa: S308 - every text is escaped
        f'<tr><td class="text-nowrap"><a href="{escape(row.url)}">{escape(row.name)}</a></td>\n'
        f"      <td>{escape(row.unit_name)}</td>\n"
        f"      {overseas_cells(row)}</tr>"
    )


@register.simple_tag
def overseas_cells(row: OverseasRow) -> SafeString:
    """A returned-overseas row's two last cells (海外经历, 完整性) as HTML: each record
    (kind, years, country, institution, degree) or else the person's own words, cut at
    80 characters; then 完整 or what is missing. What the template wrote with a loop and
    filters a record, escaped the same way."""
    if row.records:
        lines = []
        for r in row.records:
            degree = f" {r.degree_label}" if r.degree else ""
            start = "?" if r.start_year is None else r.start_year
            end = "?" if r.end_year is None else r.end_year
            lines.append(
                f"{escape(r.kind_label)} {start}—{end} {escape(r.country or '?')} "
                f"{escape(r.institution)}{escape(degree)}"
            )
        shown = "<br>".join(lines)
    else:
        shown = escape(Truncator(row.detail or "—").chars(80))
    if row.complete:
        badge = f'<span class="badge text-bg-success">{_overseas_labels(get_language())[0]}</span>'
    elif row.records:
        missing = _overseas_labels(get_language())[1] + escape("、".join(row.missing))
        badge = f'<span class="badge text-bg-warning">{missing}</span>'
    else:
        badge = f'<span class="badge text-bg-warning">{escape(row.missing[0])}</span>'
    return mark_safe(f'<td class="small">{shown}</td>\n      <td>{badge}</td>')  # noqa: S308 - escaped


@lru_cache
def _pair_labels(language: str | None) -> dict[str, str]:
    """The pairs list's row labels in `language` (the active one), translated and
    escaped once rather than on each of fifty rows."""
    return {
        "key": escape(_("重点")),
        "seen": escape(_("已联系")),
        "unseen": escape(_("尚未联系")),
        "contact": escape(_("记录联系")),
        "talk": escape(_("谈心谈话")),
        "end": escape(_("结束")),
    }


@register.simple_tag(takes_context=True)
def pair_row(context: Any, pair: PairRow) -> SafeString:
    """A pair's row on the pairs list, as HTML: the leader, the figure (linked, 重点 for
    a key contact, the pair's note), the figure's unit, the dates, the last contact of the
    year (or 尚未联系; — once the pair has ended), and the links to record a contact or a
    talk (`can_record`, with the context's `contact_create` and `talk_create`) and to end
    the pair (`can_manage`), for a pair not ended. What the template wrote in tags;
    every text is escaped."""
    labels = _pair_labels(get_language())
    key = f' <span class="badge text-bg-warning">{labels["key"]}</span>' if pair.key_contact else ""
    note = f'<br><small class="text-muted">{escape(pair.note)}</small>' if pair.note else ""
    last_seen = pair.last_seen
    if last_seen:
        seen = f'<span class="badge text-bg-success">{labels["seen"]}</span> {ymd(last_seen)}'
    elif pair.end_date and pair.end_date < context["today"]:
        seen = "—"
    else:
        seen = f'<span class="badge text-bg-secondary">{labels["unseen"]}</span>'
    record = manage = ""
    if context["can_record"] and not pair.end_date:
        contact = escape(f"{context['contact_create']}?pair={pair.pk}")
        talk = escape(f"{context['talk_create']}?pair={pair.pk}")
        record = (
            f'<a href="{contact}" class="btn btn-link btn-sm p-0">{labels["contact"]}</a>\n'
            f'        <a href="{talk}" class="btn btn-link btn-sm p-0 ms-2">{labels["talk"]}</a>'
        )
    if context["can_manage"] and not pair.end_date:
        end = escape(detail_path("pair_end", pair.pk))
        manage = (
            f'<a href="{end}" class="btn btn-link btn-sm p-0 ms-2 text-danger">{labels["end"]}</a>'
        )
    figure = escape(detail_path("figure_detail", pair.figure_id))
    return mark_safe(  # noqa: S308 - every text is escaped
        f'<tr><td class="text-nowrap">{escape(pair.leader_name)}</td>\n'
        f'      <td class="text-nowrap"><a href="{figure}">{escape(pair.figure_name)}</a>'
        f"{key}{note}</td>\n"
        f"      <td>{escape(pair.figure_unit)}</td>\n"
        f'      <td class="text-nowrap">{ymd(pair.start_date)} — {ymd(pair.end_date)}</td>\n'
        f'      <td class="text-nowrap">{seen}</td>\n'
        f'      <td class="text-end text-nowrap">{record}\n'
        f"        {manage}</td></tr>"
    )


@register.simple_tag
def reserve_row(cadre: CadreRow) -> SafeString:
    """A cadre's row on the reserve list, as HTML: the name (linked), unit, category,
    proposed post, the day added, the training count and last course, and the state (在库,
    or the day they left and why). What the template wrote in tags; every text is
    escaped."""
    if cadre.removed_on:
        left = escape(_("%(day)s退出") % {"day": ymd(cadre.removed_on)})
        state = f'<span class="badge text-bg-secondary">{left}</span> {escape(cadre.outcome_label)}'
    else:
        state = f'<span class="badge text-bg-success">{escape(_("在库"))}</span>'
    return mark_safe(  # noqa: S308 - every text is escaped
        f'<tr><td class="text-nowrap"><a href="{escape(cadre.get_absolute_url())}">'
        f"{escape(cadre.name)}</a></td>\n"
        f"      <td>{escape(cadre.unit_name)}</td><td>{escape(cadre.category_label)}</td>\n"
        f"      <td>{escape(cadre.proposed_post or '—')}</td>"
        f'<td class="text-nowrap">{ymd(cadre.added_on)}</td>\n'
        f'      <td class="text-end">{cadre.training_count}</td>'
        f'<td class="text-nowrap">{ymd(cadre.last_training) or "—"}</td>\n'
        f"      <td>{state}</td></tr>"
    )


LIGHT_TONE = {"red": "danger", "yellow": "warning", "green": "info"}


@register.simple_tag
def suggestion_row(s: SuggestionRow, show_proposer: bool) -> SafeString:
    """A suggestion's row on the list, as HTML: the day raised, the title (linked), the
    proposer (`show_proposer` only), the lead unit, the state (and satisfaction), and
    the current step's light and due date (暂定 when provisional). What the template
    wrote in tags; every text is escaped."""
    proposer = ""
    if show_proposer:
        name = escape(s.figure_name or s.raised_by or "—")
        proposer = f"<td>{name}</td>"
    state = escape(s.state_label)
    if s.satisfaction:
        state += f" · {escape(s.satisfaction_label)}"
    if s.light:
        light = f'<span class="todo-light {LIGHT_TONE[s.light]}" aria-hidden="true"></span>'
        due = f"{light} {ymd(s.due)}"
        if s.due_provisional:
            due += f' <small class="text-muted">{escape(_("暂定"))}</small>'
    else:
        due = "—"
    return mark_safe(  # noqa: S308 - every text is escaped
        f'<tr><td class="text-nowrap">{ymd(s.raised_on)}</td>\n'
        f'      <td class="document-list-title"><a href="{escape(s.get_absolute_url())}">'
        f"{escape(s.title)}</a></td>\n"
        f"      {proposer}\n"
        f"      <td>{escape(s.lead_unit_name or '—')}</td>\n"
        f'      <td class="text-nowrap">{state}</td>\n'
        f'      <td class="text-nowrap">{due}</td></tr>'
    )
