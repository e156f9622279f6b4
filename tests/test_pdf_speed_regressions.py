"""The fast paths of the PDF reader (fzparse/read/pdf.py) against the plain way of doing the
same: character boxes through the pointer-sized fast calls, text-object styles found per run
(FPDFText_CountRects bisection) instead of per character, whitespace by one regex, and the
array-based line cutting on small hand-made pages (superscript, pen moving back, spaces)."""
from __future__ import annotations

import ctypes
import re
import sys

import pytest

from fzparse.read import pdf as pdf_reader
from support import pdf_chars as _chars

pdfium = pytest.importorskip("pypdfium2")
pdfium_c = pytest.importorskip("pypdfium2.raw")


def test_space_regex_is_isspace_without_line_breaks():
    pattern = re.compile(pdf_reader.SPACE_RE.pattern)
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code < 0xE000:
            continue
        ch = chr(code)
        assert bool(pattern.match(ch)) == (ch.isspace() and ch not in "\r\n"), hex(code)


@pytest.fixture(scope="module")
def mixed_pdf(tmp_path_factory):
    """One page whose lines mix text objects of different fonts, sizes and colours (pdfium
    reports no weight for the base-14 fonts: the sizes and colours tell the runs apart)."""
    pytest.importorskip("reportlab")
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    path = tmp_path_factory.mktemp("speed") / "mixed.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    y = 760
    for parts in ([("Helvetica", 12, (0, 0, 0), "plain "), ("Helvetica-Bold", 13, (0, 0, 0), "bold "),
                   ("Helvetica", 12, (0, 0, 0), "plain again")],
                  [("Helvetica-Bold", 24, (0.9, 0.05, 0.05), "RED TITLE"), ("Helvetica", 24, (0, 0, 0), " black")],
                  [("Times-Roman", 10, (0, 0, 0), "one object only on this line")],
                  [("Helvetica", 11, (0, 0, 0), "a"), ("Helvetica-Bold", 12, (0, 0, 0), "b"),
                   ("Helvetica", 11, (0, 0, 0), "c"), ("Helvetica-Bold", 12, (0, 0, 0), "d")]):
        x = 72
        for font, size, color, text in parts:
            c.setFont(font, size)
            c.setFillColorRGB(*color)
            c.drawString(x, y, text)
            x += c.stringWidth(text, font, size)
        y -= 40
    c.showPage()
    c.save()
    return path


def _open_text_page(path):
    doc = pdfium.PdfDocument(str(path))
    page = pdfium_c.FPDF_LoadPage(doc.raw, 0)
    return doc, page, pdfium_c.FPDFText_LoadPage(page)


def test_fast_weight_calls_match_pypdfium2(mixed_pdf):
    """(The boxes are checked in test_read_pdf_boxes.py.)"""
    doc, page, textpage = _open_text_page(mixed_pdf)
    try:
        tp = ctypes.cast(textpage, ctypes.c_void_p).value
        n = pdfium_c.FPDFText_CountChars(textpage)
        for i in range(n):
            assert pdf_reader._FONT_WEIGHT(tp, i) == pdfium_c.FPDFText_GetFontWeight(textpage, i)
    finally:
        pdfium_c.FPDFText_ClosePage(textpage)
        pdfium_c.FPDF_ClosePage(page)
        doc.close()


def _style_per_character(textpage, i):
    """The style of character i looked up for that character alone (the reference)."""
    m = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFText_GetMatrix(textpage, i, m)
    size = pdfium_c.FPDFText_GetFontSize(textpage, i) * ((abs(m.a * m.d - m.b * m.c)) ** 0.5 or 1.0)
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    red = bool(size >= 18 and pdfium_c.FPDFText_GetFillColor(textpage, i, r, g, b, a)
               and r.value > 150 and g.value < 100 and b.value < 100)
    return size, pdfium_c.FPDFText_GetFontWeight(textpage, i) >= 600, red


def test_style_runs_give_every_character_its_own_objects_style(mixed_pdf):
    doc, page, textpage = _open_text_page(mixed_pdf)
    try:
        chars = pdf_reader._page_chars(textpage)
        n = pdfium_c.FPDFText_CountChars(textpage)
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage, i)) for i in range(n))
        # the same selection of characters as the reader keeps: printed, with a drawable box
        expect = []
        box = pdfium_c.FS_RECTF()
        for i, ch in enumerate(text):
            if ch in "\r\n\x00\ufffe\uffff":
                continue
            pdfium_c.FPDFText_GetLooseCharBox(textpage, i, box)
            if box.right >= box.left and box.top > box.bottom and not ch.isspace():
                expect.append(_style_per_character(textpage, i))
        printed = chars.printed
        got = list(zip(chars.size[printed].tolist(), chars.bold[printed].tolist(), chars.red[printed].tolist()))
        assert got == expect
        assert {s[0] for s in got} == {10.0, 11.0, 12.0, 13.0, 24.0} and any(s[2] for s in got)
    finally:
        pdfium_c.FPDFText_ClosePage(textpage)
        pdfium_c.FPDF_ClosePage(page)
        doc.close()


def test_mixed_lines_read_back(mixed_pdf):
    doc = pdf_reader.read(mixed_pdf, mixed_pdf.read_bytes())
    sizes = {b.text: b.font_size for b in doc.blocks}
    assert sizes == {"plain bold plain again": 12.0, "RED TITLE black": 24.0, "one object only on this line": 10.0,
                     "abcd": 11.5}     # the median size of a line


def test_lines_from_runs():
    lines = pdf_reader._group_lines(_chars([
        ("world", 160, 700, 12, 14, 12),      # drawn first, right half of the top line
        ("hello", 72, 700, 12, 14, 12),       # the pen moves back left: a new run, the same line
        ("2", 220, 706, 6, 7, 6),             # a superscript after 'world' joins it
        ("GB 12523-2011", 72, 660, 7, 14, 12),
        ("第一条", 72, 620, 12, 14, 12),
        ("总则", 118, 620, 12, 14, 12),       # past a 第X条 label a wide gap keeps a space
    ]), 1)
    assert [ln.text for ln in lines] == ["hello world2", "GB 12523-2011", "第一条 总则"]
    top = lines[0]
    assert (top.x0, top.x1, top.size) == (72.0, 226.0, 12.0)
    # the first unit: a word runs on over a gap (the text layer has no space there), a CJK
    # character stands alone
    assert top.first_unit == 226.0 - 72.0 and lines[2].first_unit == 12.0
