"""PDF parity: a gov.cn notice rendered by our GB/T 9704-style renderer (tools/make_fixtures.py)
parses to the same elements, outline and units as its web page. The full comparison (31
notices, browser-printed PDFs too, scored against the gold) is tools/pdf_parity.py."""
from __future__ import annotations

from pathlib import Path

import pytest

import fzparse
from support import make_fixtures

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOVCN = SHARED / "corpus" / "govcn"
# a joint 署名 on one line, a list-heavy page with a long 主送, a deep outline with units, and
# a long ruled table (rowspans) running over several pages
KEYS = ["govcn-5351718", "govcn-5344146", "govcn-5361158", "govcn-5362266"]

pytestmark = pytest.mark.skipif(not GOVCN.is_dir(), reason="../shared corpus not present")
pytest.importorskip("reportlab", reason="reportlab renders the PDFs")


def _elements(doc):
    return {
        "doc_number": doc.doc_number.text if doc.doc_number else None,
        "title": doc.title,
        "date": doc.date,
        "recipients": doc.recipients,
        "issuer": doc.issuer,
        "issuers": doc.issuers,
        "doc_type": doc.doc_type,
    }


def _outline(doc):
    return [(node.path, node.label, node.title) for node in doc.nodes()]


def _units(doc):
    return [(node.path, unit.name, unit.role) for node in doc.nodes() for unit in node.units]


@pytest.fixture(scope="module")
def pairs(tmp_path_factory):
    mf = make_fixtures()
    out = tmp_path_factory.mktemp("parity")
    result = {}
    for key in KEYS:
        body = GOVCN / f"{key}.body.html"
        if not body.exists():
            continue
        html = fzparse.parse(body)
        pdf = mf.render_document_pdf(html, out / f"{key}.pdf")
        result[key] = (html, fzparse.parse(pdf))
    if not result:
        pytest.skip("none of the parity notices is in the corpus")
    return result


@pytest.mark.parametrize("key", KEYS)
def test_elements_equal(pairs, key):
    if key not in pairs:
        pytest.skip(f"{key} not in the corpus")
    html, pdf = pairs[key]
    assert pdf.format == "pdf" and pdf.pages and pdf.pages >= 1
    assert _elements(pdf) == _elements(html)


@pytest.mark.parametrize("key", KEYS)
def test_outline_and_units_equal(pairs, key):
    if key not in pairs:
        pytest.skip(f"{key} not in the corpus")
    html, pdf = pairs[key]
    assert _outline(pdf) == _outline(html)
    assert _units(pdf) == _units(html)


def test_page_numbers_are_furniture(pairs):
    for _html, pdf in pairs.values():
        numbers = [r for r in pdf.removed if r.reason == "page-number"]
        assert len(numbers) == pdf.pages
        assert not any(p.text.replace(" ", "").strip("—0123456789") == "" for p in pdf.paragraphs)
