"""Regression: for a PDF that names a font without embedding it (reportlab's STSong-Light here,
方正小标宋 in real notices), pdfium read the whole substitute font file from the machine's font
folders for every document (17 MB for WenQuanYi Zen Hei, ~2.5 ms a document), only to draw
glyphs that text extraction never draws. The reader now gives pdfium no system fonts; this
checks that pdfium asks it, and that the text layer is the same as with pdfium's default
system fonts (whichever a machine has installed)."""
from __future__ import annotations

import ctypes
import dataclasses

import pytest

from fzparse.read import pdf as pdf_reader
from support import make_fixtures, ROOT

pdfium_c = pytest.importorskip("pypdfium2.raw")
pytest.importorskip("reportlab")


def _blocks(path):
    raw = pdf_reader.read(path, path.read_bytes())
    return [dataclasses.asdict(b) for b in raw.blocks], [dataclasses.asdict(r) for r in raw.removed]


def test_non_embedded_font_is_not_looked_up_in_system_fonts_and_text_is_unchanged(tmp_path):
    fixtures = make_fixtures()
    out = []
    for notice in sorted((ROOT / "tests" / "data" / "notices").glob("*.txt")):
        out.append(fixtures.render_pdf(notice, tmp_path / f"{notice.stem}.pdf"))
    asked = pdf_reader._NO_SYSTEM_FONTS.asked
    ours = [_blocks(p) for p in out]
    assert pdf_reader._NO_SYSTEM_FONTS.installed
    # pdfium asked for the fonts these PDFs do not embed, and got none
    assert pdf_reader._NO_SYSTEM_FONTS.asked > asked
    assert all(blocks for blocks, _ in ours)

    default = pdfium_c.FPDF_GetDefaultSystemFontInfo()
    if not default:
        pytest.skip("pdfium has no default system font interface on this platform")
    try:
        pdfium_c.FPDF_SetSystemFontInfo(default)
        theirs = [_blocks(p) for p in out]
    finally:
        # back to the reader's handler for the rest of the session
        pdfium_c.FPDF_SetSystemFontInfo(ctypes.byref(pdf_reader._NO_SYSTEM_FONTS.info))
        pdfium_c.FPDF_FreeDefaultSystemFontInfo(default)
    assert ours == theirs
