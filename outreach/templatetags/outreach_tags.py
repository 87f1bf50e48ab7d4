"""Template tags of the outreach pages."""

from __future__ import annotations

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from outreach.selectors.overseas import OverseasRow
from outreach.selectors.pairs import LIGHT_CLASS, LIGHTS, Cell
from outreach.selectors.study import BoardRow

register = template.Library()


@register.simple_tag
def coverage_cells(cells: list[Cell]) -> SafeString:
    """One leader's cells on the coverage board, as HTML.

    Built here rather than in the template: the board shows every pair of the period on
    one page (400 at scale 1), and a cell written in template tags costs ten times as
    much to render (docs/performance.md). The markup is what the template had: a box
    with the contact light and the name, the day of the last contact, and for a key
    contact the talk light. Every text is escaped (`html.escape`, as Django escapes).
    """
    labels = {code: escape(str(label)) for code, label in LIGHTS.items()}
    talk = escape(_("谈话"))
    recent = _("最近 %(day)s")
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
        badge = f'<span class="badge text-bg-success">{escape(_("完整"))}</span>'
    elif row.records:
        missing = escape(_("缺") + "、".join(row.missing))
        badge = f'<span class="badge text-bg-warning">{missing}</span>'
    else:
        badge = f'<span class="badge text-bg-warning">{escape(row.missing[0])}</span>'
    return mark_safe(f'<td class="small">{shown}</td>\n      <td>{badge}</td>')  # noqa: S308 - escaped
