"""DOCX reader: generated notices read back to their source paragraphs (numbering labels
rendered, MACROBUTTON reduced to its text, tables expanded, headers/footers kept out), and
hostile packages refused."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from fzparse.errors import TooLarge, Unreadable
from fzparse.read import docx as docx_reader
from fzparse.read import read
from support import make_fixtures

ROOT = Path(__file__).resolve().parents[1]
NOTICES = sorted((ROOT / "tests" / "data" / "notices").glob("*.txt"))
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REAL_DOCX = SHARED / "corpus" / "real" / "docx" / "cqupt-gis-syllabus-2015.docx"


mf = make_fixtures()


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("docx")
    made = {}
    for n in NOTICES:
        path = mf.render_docx(n, out / f"{n.stem}.docx")
        made[n.stem] = (n, path, read(path))
    return made


@pytest.mark.parametrize("stem", [n.stem for n in NOTICES])
def test_paragraphs_match_source(generated, stem):
    notice, _, doc = generated[stem]
    assert doc.format == "docx"
    assert [b.text for b in doc.blocks if b.table is None] == mf.expected_paragraphs(notice)


@pytest.mark.parametrize("stem", [n.stem for n in NOTICES])
def test_numbering_labels_come_from_numbering_xml(generated, stem):
    _, path, doc = generated[stem]
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    assert "<w:numPr>" in xml                      # the generator really used auto numbering
    assert ">一、" not in xml and ">二、" not in xml    # so the labels are not in the text runs
    assert any(b.text.startswith("二、") for b in doc.blocks)


def test_nested_numbering_levels(generated):
    _, path, doc = generated["yingshang-2024-12"]
    texts = [b.text for b in doc.blocks]
    assert texts.index("一、总体要求") < texts.index("二、重点任务")
    assert any(t.startswith("（二）提升项目审批效率") for t in texts)
    assert any(t.startswith("1.推行联合验收") for t in texts)
    assert any(t.startswith("2.优化水电气报装") for t in texts)


def test_macrobutton_field_reduced_to_its_text(generated):
    _, path, doc = generated["yingshang-2024-12"]
    with zipfile.ZipFile(path) as zf:
        assert "MACROBUTTON" in zf.read("word/document.xml").decode("utf-8")
    assert doc.blocks[1].text == "某府办发〔2024〕12号"


def test_layout_hints(generated):
    _, _, doc = generated["gongxin-2024-7"]
    banner = doc.blocks[0]
    assert banner.align == "center" and banner.bold and banner.font_size == 28
    assert next(b for b in doc.blocks if b.text == "2024年3月5日").align == "right"
    assert doc.blocks[2].font_size == 22


def test_headers_and_footers_kept_out_of_body(generated):
    _, _, doc = generated["gongxin-2024-7"]
    reasons = {(r.reason, r.text) for r in doc.removed}
    assert ("docx-footer", "— 1 —") in reasons
    assert ("docx-header", "内部资料 注意保存") in reasons
    assert not any("内部资料" in b.text for b in doc.blocks)


def test_table_grid_with_vertical_merge(generated):
    notice, _, doc = generated["gongxin-2024-7"]
    tables = [b for b in doc.blocks if b.table is not None]
    assert len(tables) == 1
    assert tables[0].table.texts == mf.expected_tables(notice)[0]
    assert tables[0].table.rows[2][2].spanned and not tables[0].table.rows[1][2].spanned
    order = [b.text if b.table is None else "<table>" for b in doc.blocks]
    i = order.index("<table>")
    assert order[i - 1] == "各项任务按下表分工落实。" and order[i + 1] == "四、保障措施"


@pytest.mark.parametrize("n, fmt, label", [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (12, "chineseCounting", "十二"),
    (20, "chineseCounting", "二十"), (35, "chineseCounting", "三十五"), (3, "decimal", "3"),
    (2, "lowerLetter", "b"), (4, "upperRoman", "IV"), (3, "decimalEnclosedCircle", "③"),
])
def test_number_formats(n, fmt, label):
    assert docx_reader.format_number(n, fmt) == label


def test_zip_bomb_is_too_large(tmp_path):
    with pytest.raises(TooLarge):
        read(mf.zip_bomb_docx(tmp_path / "bomb.docx", megabytes=210))


def test_high_ratio_zip_is_too_large(tmp_path):
    with pytest.raises(TooLarge):
        read(mf.zip_bomb_docx(tmp_path / "ratio.docx", megabytes=20))


def test_doctype_entities_refused(generated, tmp_path):
    _, path, _ = generated["nongye-2024-3"]
    evil = mf.doctype_docx(path, tmp_path / "evil.docx")
    with pytest.raises(Unreadable):
        read(evil)


def test_not_a_zip_is_unreadable(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(Unreadable):
        read(bad)


@pytest.mark.skipif(not REAL_DOCX.is_file(), reason="../shared corpus not present")
def test_real_syllabus_docx():
    doc = read(REAL_DOCX)
    tables = [b for b in doc.blocks if b.table is not None]
    assert len(tables) == 27
    assert all(len({len(r) for r in t.table.rows}) == 1 for t in tables)   # rectangular grids
    assert len(doc.blocks) > 1000
    assert all(b.text.strip() for b in doc.blocks)


# Only the styles the body names (and what they are based on) are parsed from styles.xml; the
# cut-down part must answer every question the reader asks exactly as the whole part does.
STYLES = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          b'<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
          b'<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:rPr><w:sz w:val="32"/></w:rPr></w:style>'
          b'<w:style w:type="paragraph" w:styleId="Heading1"><w:basedOn w:val="Normal"/>'
          b'<w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>'
          b'<w:style w:type="paragraph" w:styleId="Unused"/>'
          b'<w:style w:type="paragraph" w:styleId="%s"><w:basedOn w:val="Heading1"/></w:style>'
          b'</w:styles>')


@pytest.mark.parametrize("own_id,expect_cut", [(b"Title", True), ("标题".encode(), True), (b"&#x6807;&#x9898;", False)])
def test_styles_cut_to_what_the_body_uses(own_id, expect_cut):
    data = STYLES % own_id
    sid = "标题" if own_id.startswith(b"&") else own_id.decode()
    fragment = docx_reader._styles_fragment(data, {sid, "Heading1"})
    assert (fragment is not None) == expect_cut          # an id written as character references: whole part
    from lxml import etree
    whole = docx_reader.Styles(etree.fromstring(data))
    cut = docx_reader.Styles(etree.fromstring(fragment)) if fragment else whole
    if fragment:
        assert b"Unused" not in fragment
    for key in ("jc", "num", "sz", "b"):
        assert cut.get(sid, key) == whole.get(sid, key)
    assert (cut.get(sid, "jc"), cut.get(sid, "sz"), cut.get(sid, "b")) == ("center", 16.0, True)


def test_styles_cut_matches_whole_part_on_generated_and_real(generated):
    import io
    paths = [p for _, p, _ in generated.values()] + ([REAL_DOCX] if REAL_DOCX.exists() else [])
    for path in paths:
        zf = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
        body = docx_reader._xml(path, zf, docx_reader._main_part(path, zf)).find("w:body", docx_reader.NS)
        whole = docx_reader.Styles(docx_reader._xml(path, zf, "word/styles.xml"))
        cut = docx_reader.Styles(docx_reader._styles(path, zf, body))
        used = {v for el in body.iter(docx_reader._q("pStyle")) if (v := el.get(docx_reader._q("val")))}
        for sid in used:
            for key in ("jc", "num", "sz", "b"):
                assert cut.get(sid, key) == whole.get(sid, key), (path.name, sid, key)
