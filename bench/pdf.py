"""How much the portal adds to WeasyPrint when it renders an official document.

    python -m bench.pdf [--runs N] [--pages P]

Renders a P-page (default 20) issued document through the portal's `document_pdf`
(template, fonts, QR code, WeasyPrint) and, as the floor, WeasyPrint alone rendering the
same HTML with no portal code around it. Prints both medians and their ratio (Markdown,
for docs/performance.md); exits 1 when the portal is slower than 1.2 × the floor or
takes a second or more. No database is needed: the document is an unsaved model instance.

`python -m bench` runs it too; with BENCH_SMOKE=1 (CI's smoke run) it renders a 2-page
document once each way, to show that it works, and judges no timing (a shared CI
machine's timings are noise).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from portal.documents.models import Document

RATIO_TARGET = 1.2
SECONDS_TARGET = 1.0
PARAGRAPH = (
    "各成员单位要认真贯彻落实领导小组的决定、意见和工作部署，明确责任，细化措施，狠抓落实，"
    "确保领导小组各项决策部署落实落细。有关部门及各党总支要加强协调沟通，认真谋划，形成合力，"
    "推动统一战线工作不断取得新成效。"
)


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("PORTAL_TESTING", "true")  # no SECRET_KEY or database needed
    import django

    django.setup()


def _document(paragraphs: int) -> Document:
    from portal.documents.models import Document
    from portal.documents.registry import Importance

    now = dt.datetime(2026, 3, 5, 1, 0, tzinfo=dt.UTC)
    body = "\n\n".join(
        f"{'一二三四五六七八九十'[n % 10]}、第{n + 1}部分\n\n{PARAGRAPH}"
        if n % 4 == 0
        else PARAGRAPH
        for n in range(paragraphs)
    )
    return Document(
        kind="policy",
        importance=Importance.IMPORTANT,
        title="关于进一步加强统一战线工作领导小组办公室建设的方案",
        addressee="各党总支，各部门",
        body=body,
        cc="学院党委，学院纪委",
        state=Document.State.ISSUED,
        reference="X统〔2026〕3号",
        signed_at=now,
        issued_at=now,
        verification_code="ABCDEFGHJKMN",
    )


def _page_count(pdf: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _document_of(pages: int) -> Document:
    """A document that renders to exactly `pages` pages (found once, not timed)."""
    from portal.documents.services import document_pdf

    paragraphs = pages * 5
    for _ in range(40):
        count = _page_count(document_pdf(_document(paragraphs)))
        if count == pages:
            return _document(paragraphs)
        paragraphs += 1 if count < pages else -1
    raise SystemExit(f"could not make a {pages}-page document")


def _median(call: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    smoke = os.environ.get("BENCH_SMOKE") == "1"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--runs", type=int, default=1 if smoke else 5)
    parser.add_argument("--pages", type=int, default=2 if smoke else 20)
    args = parser.parse_args(argv)
    _setup_django()

    import weasyprint

    from portal.documents.pdf import document_html
    from portal.documents.services import document_pdf

    document = _document_of(args.pages)
    html = document_html(document)

    def portal() -> bytes:
        return document_pdf(document)

    def floor() -> bytes:
        pdf: bytes = weasyprint.HTML(string=html).write_pdf()
        return pdf

    portal(), floor()  # warm the font caches
    # Interleaved rounds, so that a busy neighbour slows both alike.
    portal_times, floor_times = [], []
    for _ in range(args.runs):
        portal_times.append(_median(portal, 1))
        floor_times.append(_median(floor, 1))
    portal_s, floor_s = statistics.median(portal_times), statistics.median(floor_times)
    ratio = portal_s / floor_s
    ok = ratio <= RATIO_TARGET and portal_s < SECONDS_TARGET
    verdict = "not judged (smoke run)" if smoke else "OK" if ok else "MISSED"
    print(f"{args.pages}-page issued document, median of {args.runs} runs:\n")
    print("| renderer | median ms |\n|---|--:|")
    print(f"| portal `document_pdf` | {portal_s * 1000:.0f} |")
    print(f"| WeasyPrint alone (floor) | {floor_s * 1000:.0f} |")
    print(
        f"\nratio {ratio:.2f} (target ≤ {RATIO_TARGET}), "
        f"portal {'<' if portal_s < SECONDS_TARGET else '≥'} {SECONDS_TARGET:.0f} s: {verdict}"
    )
    return 0 if ok or smoke else 1


if __name__ == "__main__":
    sys.exit(main())
