"""The official paper, read back: extracted text, embedded fonts, and the geometry of
GB/T 9704-2012 measured on the rendered pages (pdftotext's word boxes, in mm)."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from PIL import Image
from pypdf import PdfReader

from portal.documents import pdf as paper
from portal.documents import registry, services
from portal.documents.checks import check_document_settings
from portal.documents.models import Document
from portal.documents.registry import DocumentKind, Importance, SeriesSpec
from tests.documents_helpers import draft, issued, sample_file

pytestmark = pytest.mark.dateless  # the shifted legs skip it (Makefile)

MM = 25.4 / 72  # one PDF point in millimetres
SENTENCE = (
    "统一战线是党克敌制胜、执政兴国的重要法宝，"
    "是团结海内外全体中华儿女实现中华民族伟大复兴的重要法宝。"
)
LONG_BODY = "\n\n".join(SENTENCE * 3 for _ in range(12))


@dataclass(frozen=True)
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def pages_of(content: bytes, tmp_path: Path) -> list[list[Word]]:
    """Each page's words (for Chinese: whole lines), positions in mm from the top left."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    html = subprocess.run(  # noqa: S603
        ["/usr/bin/pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for page in html.split("<page ")[1:]:
        words = []
        for match in re.finditer(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', page
        ):
            x0, y0, x1, y1 = (float(v) * MM for v in match.groups()[:4])
            words.append(Word(x0, y0, x1, y1, match.group(5)))
        pages.append(words)
    return pages


def text_of(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "".join(page.extract_text() for page in reader.pages).replace("\n", "").replace(" ", "")


def body_lines(page: list[Word]) -> list[Word]:
    """The lines of the type area (not the footer: page number, verification block)."""
    return [w for w in page if w.y1 < paper.MARGIN_TOP + paper.TYPE_H + 1]


@pytest.fixture(scope="module")
def long_issued() -> bytes:
    """A five-page issued notice, rendered once without the database."""
    now = dt.datetime(2026, 3, 5, 9, 0, tzinfo=dt.UTC)
    document = Document(
        kind="notice",
        importance=Importance.GENERAL,
        title="关于进一步加强统一战线工作领导小组办公室建设的方案",
        addressee="各党总支，各部门",
        body=LONG_BODY,
        cc="学院党委，学院纪委",
        state=Document.State.ISSUED,
        reference="X统办〔2026〕3号",
        signed_at=now,
        issued_at=now,
        verification_code="ABCDEFGHJKMN",
    )
    return services.document_pdf(document)


# Text and fonts ----------------------------------------------------------------------


def test_it_prints_the_title_number_and_body_of_an_issued_document(org):
    document = issued(org)
    text = text_of(document.pdf.read())
    assert "关于做好2026年度党外代表人士谈心谈话工作的通知" in text
    assert document.reference in text
    assert "各党总支，各部门：" in text
    assert "领导小组成员每年与重点联系的党外代表人士谈心谈话1次以上。" in text
    assert "一、工作要求" in text
    assert "中共××学院统一战线工作领导小组办公室" in text  # header, signing unit, printer
    assert "抄送：学院党委。" in text
    assert f"{document.issued_at.astimezone(dt.UTC).year}年" in text and "印发" in text
    assert "草稿" not in text
    assert paper.format_code(document.verification_code) in text


def test_it_embeds_every_font_and_uses_cjk_faces(long_issued):
    reader = PdfReader(io.BytesIO(long_issued))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font
                names.add(str(descendant.get_object()["/BaseFont"]).split("+", 1)[-1])
    assert "Noto-Serif-CJK-SC" in names  # 仿宋 stand-in: the body
    assert "Noto-Serif-CJK-SC-Bold" in names  # 小标宋 stand-in: header and title
    assert "Noto-Sans-CJK-SC" in names  # 黑体 stand-in: headings, the verification block


def test_it_puts_the_attachments_and_a_verification_code_on_paper(org):
    document = draft(org)
    for name in ("2026年谈心谈话安排表.xlsx", "联系人名单.docx"):
        services.document_attach(document=document, by=org.office, file=sample_file(name))
    text = text_of(services.document_pdf(document))
    assert "附件：1.2026年谈心谈话安排表" in text
    assert "2.联系人名单" in text
    document = issued(org)
    html = paper.document_html(document)
    code = document.verification_code
    assert paper.qr_data_uri(paper.verification_url(code)) in html
    assert paper.verification_url(code).endswith(f"/documents/verify/{code}/")


def test_it_marks_a_draft_with_a_watermark_and_no_number(org):
    document = draft(org)
    text = text_of(services.document_pdf(document))
    assert "草稿" in text
    assert "〔" not in text
    assert "核验码" not in text


# Geometry ----------------------------------------------------------------------------


def test_it_uses_a4_with_the_type_area_of_the_standard(long_issued, tmp_path):
    reader = PdfReader(io.BytesIO(long_issued))
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(595.28, abs=0.1)
        assert float(page.mediabox.height) == pytest.approx(841.89, abs=0.1)
    pages = pages_of(long_issued, tmp_path)
    assert len(pages) >= 3
    full = body_lines(pages[1])  # page 2: body text only
    # 22 lines, the first on the type area's top edge (37 mm), one every 225/22 mm.
    assert len(full) == 22
    assert full[0].y0 == pytest.approx(paper.MARGIN_TOP, abs=1.5)
    pitches = [b.y0 - a.y0 for a, b in zip(full, full[1:], strict=False)]
    assert all(p == pytest.approx(225 / 22, abs=0.05) for p in pitches)
    assert full[-1].y1 <= paper.MARGIN_TOP + paper.TYPE_H
    # 28 characters a line between the left (28 mm) and right (184 mm) edges.
    for line in full:
        assert line.x0 >= paper.MARGIN_LEFT - 0.2
        assert line.x1 <= paper.MARGIN_LEFT + paper.TYPE_W + 0.3
    indent = 2 * 156 / 28
    starts = [line.x0 == pytest.approx(28 + indent, abs=0.2) for line in full]
    assert any(starts), "paragraphs start two characters in"
    assert all(
        s or line.x0 == pytest.approx(28, abs=0.2) for s, line in zip(starts, full, strict=True)
    )
    for index, line in enumerate(full[:-1]):
        if starts[index + 1]:
            continue  # the last line of a paragraph
        # A full line: 28 character cells from edge to edge (26 after the indent).
        assert len(line.text) == (26 if starts[index] else 28), line.text
        assert line.x1 == pytest.approx(184, abs=0.3)


def test_it_lays_out_the_header_number_rule_and_title(long_issued, tmp_path):
    first = pages_of(long_issued, tmp_path)[0]
    header = next(w for w in first if "文件" in w.text)
    number = next(w for w in first if w.text.startswith("X统办"))
    title = next(w for w in first if w.text.startswith("关于进一步"))
    # The header's top edge 35 mm below the type area's top (37 + 35), centred.
    assert header.y0 == pytest.approx(72, abs=2.5)
    assert (header.x0 + header.x1) / 2 == pytest.approx(28 + 156 / 2, abs=1.5)
    assert number.text == "X统办〔2026〕3号"
    assert (number.x0 + number.x1) / 2 == pytest.approx(28 + 156 / 2, abs=1.5)
    assert header.y1 < number.y0 < title.y0
    # Red: the header and the rule under the number.
    image = render_png(long_issued, tmp_path, dpi=100)
    px = 100 / 25.4
    red_rows = sorted(
        {
            y
            for y in range(image.height)
            for x in range(0, image.width, 3)
            if is_red(image.getpixel((x, y)))
        }
    )
    assert red_rows, "no red on page 1"
    assert red_rows[0] / px == pytest.approx(header.y0, abs=3)
    assert any(number.y1 < y / px < title.y0 for y in red_rows), "no red rule below the number"


def render_png(content: bytes, tmp_path: Path, dpi: int, page: int = 1) -> Image.Image:
    path = tmp_path / "page.pdf"
    path.write_bytes(content)
    subprocess.run(  # noqa: S603
        ["/usr/bin/pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page)]
        + [str(path), str(tmp_path / "page")],
        check=True,
    )
    return Image.open(next(tmp_path.glob("page-*.png"))).convert("RGB")


def is_red(pixel: tuple[int, int, int]) -> bool:
    r, g, b = pixel
    return r > 180 and g < 150 and b < 150


def test_it_numbers_pages_at_the_outside_edge(long_issued, tmp_path):
    pages = pages_of(long_issued, tmp_path)
    for index, page in enumerate(pages, start=1):
        digits = [w for w in page if w.text == str(index) and w.y0 > 262]
        assert len(digits) == 1, (index, page[-6:])
        dashes = [w for w in page if w.text == "—" and abs(w.y0 - digits[0].y0) < 1]
        assert len(dashes) == 2
        left, right = min(d.x0 for d in dashes), max(d.x1 for d in dashes)
        one_char = 14 * MM
        # 7 mm below the type area; odd pages right, even pages left, one character in.
        assert digits[0].y0 == pytest.approx(262 + 7, abs=2.5)
        if index % 2:
            assert right == pytest.approx(184 - one_char, abs=1.5)
        else:
            assert left == pytest.approx(28 + one_char, abs=1.5)


def test_it_ends_with_the_signature_date_and_the_record_on_the_last_page(long_issued, tmp_path):
    last = pages_of(long_issued, tmp_path)[-1]
    unit = next(w for w in last if w.text == "中共××学院统一战线工作领导小组办公室")
    date = next(w for w in last if w.text == "2026年3月5日")
    cell = 156 / 28
    # The name two characters from the right edge; the date two characters right of it.
    assert unit.x1 == pytest.approx(184 - 2 * cell, abs=1)
    assert date.x0 == pytest.approx(unit.x0 + 2 * cell, abs=1)
    assert date.y0 > unit.y1
    printed = next(w for w in last if w.text.endswith("印发"))
    assert printed.text == "2026年3月5日印发"
    cc = next(w for w in last if w.text.startswith("抄送"))
    # The record sits at the foot: its last line on the type area's bottom edge (262 mm).
    assert printed.y1 == pytest.approx(262, abs=3)
    assert cc.y1 < printed.y0
    assert printed.x1 == pytest.approx(184 - 14 * MM, abs=1)


# The 纪要 form ------------------------------------------------------------------------


def test_it_prints_minutes_in_the_form_of_a_jiyao(org):
    registry.register(
        DocumentKind(
            key="test-minutes",
            label="会议纪要",
            importance=Importance.GENERAL,
            series="test-minutes",
            pdf_form="minutes",
            attendance=lambda document: [
                ("出席", "韦国平、覃丽萍、陆文斌"),
                ("请假", "莫晓东（出差）"),
                ("列席", "蒙春梅"),
            ],
        ),
        series=SeriesSpec(
            key="test-minutes",
            name="会议纪要",
            prefix="X统纪",
            header="统一战线工作领导小组会议纪要",
            signing_unit="统一战线工作领导小组办公室",
            printed_by="统一战线工作领导小组办公室",
        ),
    )
    try:
        document = issued(org, kind="test-minutes", title="2026年第一次全体会议纪要")
        text = text_of(document.pdf.read())
    finally:
        registry.unregister("test-minutes")
    assert "统一战线工作领导小组会议纪要" in text
    assert document.reference.startswith("X统纪〔")
    assert "出席：韦国平、覃丽萍、陆文斌" in text
    assert "请假：莫晓东（出差）" in text
    assert "列席：蒙春梅" in text


# Fonts the college owns --------------------------------------------------------------

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf")


@pytest.mark.skipif(not DEJAVU.is_file(), reason="needs Debian's fonts-dejavu-core")
def test_it_uses_the_font_files_the_settings_name(settings):
    settings.DOCUMENT_FONTS = {**settings.DOCUMENT_FONTS, "xiaobiaosong": str(DEJAVU)}
    document = Document(
        kind="notice", importance=Importance.GENERAL, title="Title 标题", body="正文。"
    )
    content = services.document_pdf(document)
    reader = PdfReader(io.BytesIO(content))
    fonts = {
        str(f.get_object()["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()
    }
    # The file, embedded under the stylesheet's family name; the characters it lacks
    # (Chinese, in DejaVu's case) fall back to the free CJK face.
    assert any("ufw-xiaobiaosong" in name for name in fonts), fonts
    assert any(name.endswith("+Noto-Serif-CJK-SC") for name in fonts), fonts


def test_it_refuses_a_font_file_that_is_not_there(settings, tmp_path):
    settings.DOCUMENT_FONTS = {"fangsong": str(tmp_path / "仿宋_GB2312.ttf")}
    with pytest.raises(ImproperlyConfigured, match="fangsong"):
        paper.font_css()
    assert [e.id for e in check_document_settings()] == ["documents.E001"]


# Text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("统战部,宣传部", "统战部，宣传部"),
        ("(一)工作部署制度。", "（一）工作部署制度。"),
        ("党委(学院)办公室", "党委（学院）办公室"),
        ("附件(PDF)", "附件（PDF）"),
        ("说明: 如下", "说明：如下"),
        ("共1,000人", "共1,000人"),
        ("f(x) = (a+b)", "f(x) = (a+b)"),
    ],
)
def test_it_prints_chinese_punctuation_full_width(typed, printed):
    assert paper.fullwidth_punctuation(typed) == printed


def test_it_recognises_the_heading_levels():
    parsed = paper.parse_body(
        [
            "一、组织机构",
            "(一)工作部署制度。每年收集议题。",
            "（二）学习贯彻习近平总书记关于加强和改进统一战线工作的重要思想，学习有关法律法规。",
            "为深入贯彻落实……",
        ]
    )
    assert [(p.level, p.head) for p in parsed] == [
        (1, "一、组织机构"),
        (2, "（一）工作部署制度。"),
        (0, ""),
        (0, ""),
    ]
    assert parsed[1].text == "每年收集议题。"


def test_it_sizes_the_header_to_fit_one_line():
    assert paper.header_font_pt(["统战部文件"]) == paper.HEADER_MAX_PT
    long = "中共广西国际商务职业技术学院统一战线工作领导小组文件"
    size_mm = paper.header_font_pt([long]) * MM
    assert size_mm * len(long) * (1 + paper.HEADER_TRACKING) <= 156


def test_it_keeps_short_bracketed_words_of_a_title_on_one_line():
    html = paper.title_html("关于印发《联络员管理办法（试行）》的通知<b>")
    assert html == ('关于印发《联络员管理办法<span class="nobr">（试行）</span>》的通知&lt;b&gt;')
