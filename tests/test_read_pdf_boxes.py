"""Character boxes as the PDF reader reads them (pdfium writing into reused slots through an
undeclared-argument call) against pypdfium2's own FPDFText_GetLooseCharBox: page after page
(a long page, then a short one: no box left over from the page before), past the slots'
first size, and in another thread."""
from __future__ import annotations

import threading

import numpy as np
import pytest

from fzparse.read import pdf as pdf_reader

pdfium = pytest.importorskip("pypdfium2")
pdfium_c = pytest.importorskip("pypdfium2.raw")


@pytest.fixture(scope="module")
def pages_pdf(tmp_path_factory):
    """Three pages: about 3000 characters (more than the slots hold at first), then 12, then
    a few hundred."""
    pytest.importorskip("reportlab")
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    path = tmp_path_factory.mktemp("boxes") / "pages.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for lines, size in ((60, 8), (1, 14), (8, 11)):
        c.setFont("Helvetica", size)
        for k in range(lines):
            c.drawString(40 + (k % 3) * 5, 800 - k * 12, ("Lorem ipsum dolor sit amet, consectetur " * 2)[: 50 - k % 7]
                         if lines > 1 else "short page 2")
        c.showPage()
    c.save()
    return path


def _reference(textpage) -> list[tuple[float, float, float, float]]:
    """(x0, y0, x1, y1) of every character the reader keeps, one pypdfium2 call each."""
    n = pdfium_c.FPDFText_CountChars(textpage)
    rect = pdfium_c.FS_RECTF()
    out = []
    for i in range(n):
        ch = chr(pdfium_c.FPDFText_GetUnicode(textpage, i))
        if ch in "\r\n\x00\ufffe\uffff":
            continue
        pdfium_c.FPDFText_GetLooseCharBox(textpage, i, rect)
        if rect.right >= rect.left and rect.top > rect.bottom:
            out.append((float(np.float32(rect.left)), float(np.float32(rect.bottom)),
                        float(np.float32(rect.right)), float(np.float32(rect.top))))
    return out


def _read_all(path) -> list[tuple[list, list]]:
    doc = pdfium.PdfDocument(str(path))
    got = []
    try:
        for i in range(len(doc)):
            page = pdfium_c.FPDF_LoadPage(doc.raw, i)
            textpage = pdfium_c.FPDFText_LoadPage(page)
            try:
                chars = pdf_reader._page_chars(textpage)
                mine = list(zip(chars.x0.tolist(), chars.y0.tolist(), chars.x1.tolist(), chars.y1.tolist()))
                got.append((mine, _reference(textpage)))
            finally:
                pdfium_c.FPDFText_ClosePage(textpage)
                pdfium_c.FPDF_ClosePage(page)
    finally:
        doc.close()
    return got


def test_boxes_match_pypdfium2_page_after_page(pages_pdf):
    pages = _read_all(pages_pdf)
    assert [len(ref) > 2000 for _, ref in pages] == [True, False, False]
    assert 0 < len(pages[1][1]) < 20
    for mine, ref in pages:
        assert mine == ref
    # and again, now that the slots are as large as the long page needs
    assert _read_all(pages_pdf) == pages


def test_boxes_in_another_thread(pages_pdf):
    here = _read_all(pages_pdf)
    there: list = []
    worker = threading.Thread(target=lambda: there.append(_read_all(pages_pdf)))
    worker.start()
    worker.join()
    assert there == [here]
