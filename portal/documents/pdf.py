"""The official paper: HTML in the layout of GB/T 9704-2012 (党政机关公文格式), rendered
by WeasyPrint, optionally signed with pyHanko (PAdES).

The layout, in the standard's terms (all lengths in mm):

- A4; type area (版心) 156 × 225, top margin (天头) 37, left margin (订口) 28;
- body (正文) 三号 (16 pt) 仿宋, 22 lines of 28 characters filling the type area;
- 版头: the issuing body's mark (发文机关标志) in red 小标宋, its top edge 35 below the
  type area's top; the number (发文字号) two lines below it; a red rule 4 below that;
- 标题 二号 (22 pt) 小标宋 two lines below the rule; 主送 one line below the title;
- headings: “一、” 黑体, “（一）” 楷体, “1.” and “（1）” 仿宋;
- 附件说明, then 发文机关署名 and 成文日期 (the date two characters right of the name's
  first character, the name two characters from the right edge);
- 版记 (抄送, 印发机关 and 印发日期) at the foot of the last page, between thick rules,
  its last rule on the type area's bottom edge;
- page numbers “— 1 —” in 四号 (14 pt), 7 below the type area, odd pages right and even
  pages left, one character in from the edge;
- the 纪要 form: the 纪要 mark as header and the 出席/请假/列席 lines after the text.

The faces of the standard (仿宋_GB2312, 方正小标宋, 黑体, 楷体) are licensed: free Noto CJK
faces stand in by default, and `DOCUMENT_FONTS` points at the college's own files.
"""

from __future__ import annotations

import functools
import io
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import segno
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from pyhanko.sign.signers import SimpleSigner

    from portal.documents.models import Document

# Geometry (millimetres) --------------------------------------------------------------

PAGE_W, PAGE_H = 210.0, 297.0
TYPE_W, TYPE_H = 156.0, 225.0
MARGIN_TOP, MARGIN_LEFT = 37.0, 28.0
MARGIN_RIGHT = PAGE_W - MARGIN_LEFT - TYPE_W  # 26
MARGIN_BOTTOM = PAGE_H - MARGIN_TOP - TYPE_H  # 35
LINES, CHARS = 22, 28
PT = 25.4 / 72
BODY_PT = 16.0
LINE = TYPE_H / LINES  # 10.227: one line of the body grid
CELL = TYPE_W / CHARS  # 5.571: one character of the body grid
# Letter spacing that puts 28 characters of 16 pt on a line. A hair under the exact
# value, so that rounding never pushes the 28th character to the next line.
LETTER_SPACING = CELL - BODY_PT * PT - 0.007
HEADER_MAX_PT = 30.0
RED = "#e60012"

# Fonts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Face:
    role: str  # key in settings.DOCUMENT_FONTS
    family: str  # the CSS family the stylesheet uses
    fallback: str  # the free face(s) used when no file is configured
    weight: int  # weight of the free face; a configured file is used as it is


FACES = (
    Face("fangsong", "ufw-fangsong", '"Noto Serif CJK SC"', 400),
    Face("xiaobiaosong", "ufw-xiaobiaosong", '"Noto Serif CJK SC"', 700),
    Face("heiti", "ufw-heiti", '"Noto Sans CJK SC"', 400),
    Face("kaiti", "ufw-kaiti", '"AR PL UKai CN", "Noto Serif CJK SC"', 400),
)


def _css_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "") + '"'


def font_css() -> SafeString:
    """@font-face rules for the configured font files, and one CSS variable-free class
    per role giving the family stack and weight."""
    configured: dict[str, str] = getattr(settings, "DOCUMENT_FONTS", {})
    rules = []
    for face in FACES:
        path = configured.get(face.role) or ""
        if path:
            file = Path(path)
            if not file.is_file():
                raise ImproperlyConfigured(f"DOCUMENT_FONTS[{face.role!r}]: no file at {path}")
            rules.append(
                f"@font-face {{ font-family: {face.family}; "
                f"src: url({_css_string(file.resolve().as_uri())}); }}"
            )
            stack, weight = f"{face.family}, {face.fallback}", 400
        else:
            stack, weight = face.fallback, face.weight
        rules.append(f".f-{face.role} {{ font-family: {stack}; font-weight: {weight}; }}")
    return mark_safe("\n".join(rules))  # noqa: S308 - built from settings, CSS-escaped


# Body text ---------------------------------------------------------------------------

_LEVEL1 = re.compile(r"^[一二三四五六七八九十百]+、")
_LEVEL2 = re.compile(r"^[（(][一二三四五六七八九十百]+[）)]")
HEADING_MAX = 24  # a heading sentence is short; a long first sentence is plain text
# A heading that is a whole paragraph has no full stop, and may run to two lines (the
# sections of a work-points plan: “一、以政治建设为统领，巩固新时代……共同思想政治基础”).
STANDALONE_HEADING_MAX = 2 * CHARS


@dataclass(frozen=True)
class Paragraph:
    head: str  # the heading part, printed in the level's face (may be empty)
    text: str  # the rest, in 仿宋
    level: int  # 0 plain, 1 “一、” 黑体, 2 “（一）” 楷体
    standalone: bool  # the heading is the whole paragraph


_SENTENCE_END = re.compile(r"[；;！!？?]")
_CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’]"
_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_HALF_NEAR_CJK = re.compile(rf"(?<={_CJK})\s*([,;:?!()])\s*|\s*([,;:?!()])\s*(?={_CJK})")


def fullwidth_punctuation(text: str) -> str:
    """Half-width punctuation touching Chinese text, as pasted from the web, in the
    full-width forms Chinese documents use (“统战部,宣传部” → “统战部，宣传部”,
    “(一)” → “（一）”). Numbers and Latin text (“1,000”, “(PDF)”) are left alone."""

    def replace(match: re.Match[str]) -> str:
        return _FULL_WIDTH[match.group(1) or match.group(2)]

    previous = None
    while previous != text:  # “(一)”: the second bracket touches CJK only after the first
        previous, text = text, _HALF_NEAR_CJK.sub(replace, text)
    return _pair_brackets(text)


def _pair_brackets(text: str) -> str:
    """A bracket pair is full-width on both sides or on neither: “附件(PDF)” → “附件（PDF）”."""
    chars = list(text)
    opened: list[int] = []
    for index, char in enumerate(chars):
        if char in "(（":
            opened.append(index)
        elif char in ")）" and opened:
            start = opened.pop()
            if "（" in (chars[start], char) or "）" in (chars[start], char):
                chars[start], chars[index] = "（", "）"
    return "".join(chars)


def parse_body(paragraphs: list[str]) -> list[Paragraph]:
    result = []
    for text in map(fullwidth_punctuation, paragraphs):
        level = 1 if _LEVEL1.match(text) else 2 if _LEVEL2.match(text) else 0
        if level == 0:
            result.append(Paragraph("", text, 0, False))
            continue
        end = text.find("。")
        if end == -1 and len(text) <= STANDALONE_HEADING_MAX and not _SENTENCE_END.search(text):
            result.append(Paragraph(text, "", level, True))
        elif 0 <= end <= HEADING_MAX:
            result.append(Paragraph(text[: end + 1], text[end + 1 :], level, False))
        else:
            result.append(Paragraph("", text, 0, False))
    return result


def breakable_quotes(text: str) -> str:
    """Let a line break before an opening and after a closing quotation mark.

    Unicode's line-breaking rules forbid breaks on either side of “ and ” (they may be
    opening or closing in other languages), so a quoted phrase glues to its neighbours
    and the line before it ends short. A zero-width space on the outer side restores the
    break a Chinese typesetter would make; the quote still never starts or ends a line
    on the wrong side."""
    return re.sub(r"([“‘])", "\u200b\\1", re.sub(r"([”’])", "\\1\u200b", text))


_SHORT_BRACKETS = re.compile(r"（[^（）]{1,8}）")


def title_html(title: str) -> SafeString:
    """The title, escaped, with short bracketed words (“（试行）”) kept on one line: a
    title breaks between words, never inside “（试|行）”."""
    parts: list[str] = []
    position = 0
    for match in _SHORT_BRACKETS.finditer(title):
        parts.append(escape(title[position : match.start()]))
        parts.append(f'<span class="nobr">{escape(match.group())}</span>')
        position = match.end()
    parts.append(escape(title[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece escaped above


def _display_width(text: str) -> float:
    # Ambiguous-width characters (×, “”) take a full cell in a CJK face.
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in text)


HEADER_TRACKING = 0.05  # letter spacing of the issuing body's mark, in em
HEADER_STRETCH = 1.4  # the mark's glyphs are this much taller than wide


def header_font_pt(lines: list[str]) -> float:
    """The largest size (up to HEADER_MAX_PT) at which the longest line of the issuing
    body's mark fits the type area's width with a little room."""
    widest = max((_display_width(line) for line in lines), default=1.0) or 1.0
    size_mm = (TYPE_W - 4) / (widest * (1 + HEADER_TRACKING))
    return round(min(HEADER_MAX_PT, size_mm / PT), 2)


def chinese_date(day: Any) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# Rendering ---------------------------------------------------------------------------


def verification_url(code: str) -> str:
    from django.urls import reverse

    return settings.SITE_URL.rstrip("/") + reverse("document_verify", args=[code])


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def qr_data_uri(url: str) -> str:
    return str(segno.make_qr(url, error="m").svg_data_uri(border=0, dark="#000"))


def document_context(document: Document) -> dict[str, Any]:
    """Everything the PDF template prints. Reads the document's series, signer and
    attachments; for an unsaved document (the benchmark) nothing is queried."""
    from portal.documents.registry import get_kind, series_spec

    kind = get_kind(document.kind)
    series = document.series
    spec = series_spec(kind.series)
    header = series.header if series else (spec.header if spec else "")
    signing_unit = series.signing_unit if series else (spec.signing_unit if spec else "")
    printed_by = series.printed_by if series else (spec.printed_by if spec else "")
    header_lines = [line.strip() for line in header.splitlines() if line.strip()]
    attachments = list(document.attachments.all()) if document.pk else []
    issued = document.is_issued
    signed_day = timezone.localdate(document.signed_at) if document.signed_at else None
    issued_day = timezone.localdate(document.issued_at) if document.issued_at else None
    code = document.verification_code if issued else ""
    attendance = list(kind.attendance(document)) if kind.attendance and document.pk else []
    return {
        "document": document,
        "form": kind.pdf_form,
        "fonts": font_css(),
        "header_lines": header_lines,
        "header_pt": header_font_pt(header_lines),
        "header_tracking": f"{HEADER_TRACKING}em",
        "header_stretch": HEADER_STRETCH,
        "header_gap": round(HEADER_STRETCH - 1 + 0.2, 2),  # the stretch, and a little air
        "title": title_html(breakable_quotes(fullwidth_punctuation(document.title))),
        "addressee": fullwidth_punctuation(document.addressee.strip().rstrip(":：")),
        "reference": document.reference,
        "paragraphs": [
            Paragraph(breakable_quotes(p.head), breakable_quotes(p.text), p.level, p.standalone)
            for p in parse_body(document.paragraphs())
        ],
        "attachments": [a.stem for a in attachments],
        "attendance": attendance,
        "signing_unit": signing_unit,
        "signed_date": chinese_date(signed_day) if signed_day else "",
        "cc": fullwidth_punctuation(document.cc.strip().rstrip("。.，,")),
        "printed_by": printed_by,
        "issued_date": chinese_date(issued_day) if issued_day else "",
        "watermark": not issued,
        "code": format_code(code) if code else "",
        "qr": qr_data_uri(verification_url(code)) if code else "",
        "verify_host": settings.SITE_URL.split("://", 1)[-1].rstrip("/"),
        "g": {
            "margin": f"{MARGIN_TOP}mm {MARGIN_RIGHT}mm {MARGIN_BOTTOM}mm {MARGIN_LEFT}mm",
            "line": _mm(LINE),
            "line2": _mm(2 * LINE),
            "cell": f"{CELL:.4f}mm",
            "cell2": f"{2 * CELL:.4f}mm",
            "spacing": f"{LETTER_SPACING:.4f}mm",
            "red": RED,
        },
    }


def _mm(value: float) -> str:
    """A length rounded down to 0.1 µm: 22 lines of 225/22 mm must not overflow 225 mm."""
    return f"{math.floor(value * 10_000) / 10_000:.4f}mm"


def document_html(document: Document) -> str:
    return render_to_string("pdf/document.html", document_context(document))


def html_to_pdf(html: str) -> bytes:
    import weasyprint

    pdf: bytes = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    return pdf


# The red seal (电子签章) over the issuing body's name and the date of a signed document:
# drawn in the HTML (`#seal`) and covered by the signature's field, so a PDF reader
# shows the signature when the seal is clicked.
PX_TO_PT = 0.75  # WeasyPrint's CSS pixel is 1/96 in; a PDF point 1/72 in


@dataclass(frozen=True)
class Placement:
    """Where an element landed: its page (from 0) and its box in PDF points, origin at
    the page's bottom left: (left, bottom, right, top)."""

    page: int
    box: tuple[int, int, int, int]


def html_to_pdf_locating(html: str, anchor: str) -> tuple[bytes, Placement | None]:
    """The PDF, and where the element with id `anchor` landed (None: nowhere)."""
    import weasyprint

    rendered = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    placement = None
    for index, page in enumerate(rendered.pages):
        if anchor in page.anchors:
            left, top, right, bottom = (v * PX_TO_PT for v in page.anchors[anchor])
            height = page.height * PX_TO_PT
            box = (round(left), round(height - bottom), round(right), round(height - top))
            placement = Placement(index, box)
            break
    pdf: bytes = rendered.write_pdf()
    return pdf, placement


# Signing -----------------------------------------------------------------------------


def signing_configured() -> bool:
    return bool(getattr(settings, "DOCUMENT_SIGNING_P12", ""))


@functools.lru_cache(maxsize=4)
def _load_signer(path: str, password: str, mtime: float) -> SimpleSigner:
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12(  # type: ignore[no-untyped-call]
        pfx_file=path, passphrase=password.encode() if password else None
    )
    if signer is None:
        raise ImproperlyConfigured(
            "DOCUMENT_SIGNING_P12: the certificate could not be loaded (wrong password?)"
        )
    loaded: SimpleSigner = signer
    return loaded


def load_signer() -> SimpleSigner | None:
    path = getattr(settings, "DOCUMENT_SIGNING_P12", "")
    if not path:
        return None
    file = Path(path)
    if not file.is_file():
        raise ImproperlyConfigured(f"DOCUMENT_SIGNING_P12: no file at {path}")
    password = getattr(settings, "DOCUMENT_SIGNING_P12_PASSWORD", "") or ""
    return _load_signer(str(file), password, file.stat().st_mtime)


def sign_pdf(
    pdf: bytes, *, reason: str, location: str, seal: Placement | None = None
) -> bytes | None:
    """The PDF with a PAdES signature, or None when no certificate is set. With `seal`,
    the signature's field lies over the red seal the page draws (visible, clickable);
    without, the signature is invisible."""
    signer = load_signer()
    if signer is None:
        return None
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import NoOpStampStyle

    meta = signers.PdfSignatureMetadata(
        field_name="Signature1",
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    if seal is None:
        out = signers.sign_pdf(writer, meta, signer=signer)
    else:
        spec = fields.SigFieldSpec("Signature1", on_page=seal.page, box=seal.box)
        # The appearance is transparent: the seal underneath is the page's own drawing.
        style = NoOpStampStyle()
        out = signers.PdfSigner(meta, signer, new_field_spec=spec, stamp_style=style).sign_pdf(
            writer
        )
    signed: bytes = out.getvalue()
    return signed


@dataclass(frozen=True)
class SignatureCheck:
    """What a received PDF's signature says: `present`; `intact` (nothing changed since
    it was signed); `trusted` (signed with the portal's own certificate); who signed
    (the certificate's common name) and when."""

    present: bool
    intact: bool = False
    trusted: bool = False
    signer: str = ""
    signed_at: Any = None


def check_signature(content: bytes) -> SignatureCheck:
    """Validate the first signature of `content` against the configured certificate."""
    from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        signatures = PdfFileReader(io.BytesIO(content), strict=False).embedded_signatures
    except (PdfReadError, ValueError, KeyError, TypeError):
        return SignatureCheck(present=False)
    if not signatures:
        return SignatureCheck(present=False)
    signer = load_signer() if signing_configured() else None
    roots = []
    if signer is not None and signer.signing_cert is not None:
        roots = [asn1_x509.Certificate.load(signer.signing_cert.dump())]
    try:
        status = validate_pdf_signature(signatures[0], ValidationContext(trust_roots=roots))
    except Exception:  # a signature too broken to validate is a broken one
        return SignatureCheck(present=True)
    name = status.signing_cert.subject.native.get("common_name", "") if status.signing_cert else ""
    return SignatureCheck(
        present=True,
        intact=bool(status.intact),
        trusted=bool(status.bottom_line),
        signer=str(name),
        signed_at=status.signer_reported_dt,
    )
