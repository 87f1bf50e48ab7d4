"""What a virtual user reads off a page: its forms (to post them as they stand) and its
links. Kept apart from the locustfile, which patches the standard library with gevent
when imported, so that the tests can import these."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any


class _Forms(HTMLParser):
    """Every form on a page: its action and the values it would post as it stands."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._chosen = False  # the open select has an option marked selected

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "fields": {}})
        elif not self.forms:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in {"file", "submit"}:
            if a.get("type") in {"checkbox", "radio"} and "checked" not in a:
                return
            self.forms[-1]["fields"].setdefault(a["name"], a.get("value", ""))
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.forms[-1]["fields"][a["name"]] = ""
        elif tag == "select" and a.get("name"):
            self.forms[-1]["fields"].setdefault(a["name"], None)
            self._select, self._chosen = a["name"], False
        elif tag == "option" and self._select is not None:
            fields = self.forms[-1]["fields"]
            if "selected" in a and not self._chosen:
                fields[self._select], self._chosen = a.get("value", ""), True
            elif fields.get(self._select) is None:  # the first option, until one is selected
                fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data


def forms(html: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def links(html: str, pattern: str) -> list[str]:
    return sorted(set(re.findall(pattern, html)))
