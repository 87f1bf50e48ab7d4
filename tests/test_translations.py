"""The English catalogue: every message translated, the committed .mo in step with the
.po (a fresh machine needs no gettext tools), and the portal speaking English when a
user picks it."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from tests.conftest import client_for

pytestmark = pytest.mark.dateless  # the shifted legs skip it (Makefile)

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


@dataclass
class Entry:
    msgid: str = ""
    plural: str = ""
    msgstr: list[str] = field(default_factory=list)
    fuzzy: bool = False


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file (enough of the format for Django's makemessages)."""
    entries: list[Entry] = []
    entry, target = Entry(), None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if target is not None:
                entries.append(entry)
            entry, target = Entry(), None
        elif line.startswith("#,"):
            entry.fuzzy = "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if target == "msgid":
                entry.msgid += text
            elif target == "msgid_plural":
                entry.plural += text
            else:
                entry.msgstr[-1] += text
        else:
            keyword, _, rest = line.partition(" ")
            text = ast.literal_eval(rest)
            if keyword == "msgid":
                target, entry.msgid = "msgid", text
            elif keyword == "msgid_plural":
                target, entry.plural = "msgid_plural", text
            else:  # msgstr or msgstr[n]
                target = "msgstr"
                entry.msgstr.append(text)
    return [e for e in entries if e.msgid]  # the header has an empty msgid


def test_it_translates_every_message_into_english():
    entries = read_po(PO)
    assert len(entries) > 800
    untranslated = [e.msgid for e in entries if not all(e.msgstr) or e.fuzzy]
    assert untranslated == []


def test_it_ships_a_compiled_catalogue_in_step_with_the_po():
    stale = []
    with translation.override("en"):
        for entry in read_po(PO):
            if entry.plural:
                got = [translation.ngettext(entry.msgid, entry.plural, n) for n in (1, 2)]
            else:
                got = [translation.gettext(entry.msgid)]
            if got != entry.msgstr:
                stale.append(entry.msgid)
    assert stale == [], "run: make messages"


def test_it_shows_the_portal_in_english_to_who_picks_it(org):
    client = client_for(org.office)
    assert "我的待办" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert "我的待办" not in html
    with translation.override("en"):
        assert translation.gettext("我的待办") in html
    translation.activate(settings.LANGUAGE_CODE)  # the request left English active
