"""PDF reader: generated 公文 PDFs read back to their source paragraphs; real PDFs (when
../shared is there) parse, keep their 发文字号 without inner spaces, scans are refused."""
from __future__ import annotations

from pathlib import Path

import pytest

from fzparse.errors import EncryptedDocument, ScannedDocument, Unreadable
from fzparse.read import pdf as pdf_reader
from fzparse.read import read
from support import make_fixtures

ROOT = Path(__file__).resolve().parents[1]
NOTICES = sorted((ROOT / "tests" / "data" / "notices").glob("*.txt"))
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REAL = SHARED / "corpus" / "real"

pytest.importorskip("reportlab", reason="reportlab renders the PDF fixtures")


mf = make_fixtures()


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf")
    return {n.stem: (n, read(mf.render_pdf(n, out / f"{n.stem}.pdf"))) for n in NOTICES}


@pytest.mark.parametrize("stem", [n.stem for n in NOTICES])
def test_paragraphs_match_source(generated, stem):
    notice, doc = generated[stem]
    texts = [b.text for b in doc.blocks if b.table is None]
    assert texts == mf.expected_paragraphs(notice)


@pytest.mark.parametrize("stem", [n.stem for n in NOTICES])
def test_layout_roles(generated, stem):
    notice, doc = generated[stem]
    items = [it for it in mf.parse_notice(notice.read_text(encoding="utf-8")) if it.kind != "table"]
    blocks = [b for b in doc.blocks if b.table is None]
    expect = {"banner": "center", "docnum": "center", "title": "center", "plan_title": "center",
              "signature": "right", "date": "right", "body": None, "recipients": None}
    assert [b.align for b in blocks] == [expect[it.kind] for it in items]
    assert blocks[0].font_size and blocks[0].font_size > 20          # red 版头, large
    assert all(b.page for b in doc.blocks)
    assert doc.pages == max(r.page for r in doc.removed)


@pytest.mark.parametrize("stem", [n.stem for n in NOTICES])
def test_page_numbers_removed_and_recorded(generated, stem):
    _, doc = generated[stem]
    numbers = [r for r in doc.removed if r.reason == "page-number"]
    assert [r.page for r in numbers] == list(range(1, doc.pages + 1))
    assert all(r.text.replace(" ", "") == f"—{r.page}—" for r in numbers)
    assert not any("—" in b.text and b.text.strip("— 0123456789") == "" for b in doc.blocks)


def test_table_grid_and_not_duplicated(generated):
    notice, doc = generated["gongxin-2024-7"]
    tables = [b for b in doc.blocks if b.table is not None]
    assert len(tables) == 1
    assert tables[0].table.texts == mf.expected_tables(notice)[0]
    merged = tables[0].table.rows[2][2]
    assert merged.spanned and merged.text == "市经济信息化委"
    assert not tables[0].table.rows[1][2].spanned
    assert not any("建设智能工厂20家" in b.text for b in doc.blocks if b.table is None)
    # in reading order: after 各项任务按下表分工落实。 and before 四、保障措施
    order = [b.text if b.table is None else "<table>" for b in doc.blocks]
    i = order.index("<table>")
    assert order[i - 1] == "各项任务按下表分工落实。" and order[i + 1] == "四、保障措施"


def test_join_rules():
    assert pdf_reader._join("第一条", "为了") == "第一条为了"
    assert pdf_reader._join("Emission", "standard") == "Emission standard"
    assert pdf_reader._join("（牵头单位：市发展改革委；配合单位：市财政局、", "市商务局）").endswith("、市商务局）")


def test_paragraph_continues_across_page_break(generated):
    # the long covering text / plan paragraphs never start with a character that only a
    # continuation line could start with
    for _notice, doc in generated.values():
        for b in doc.blocks:
            assert b.text[0] not in "，。、；：）》"


def test_truncated_pdf_is_unreadable(tmp_path):
    full = mf.render_pdf(NOTICES[0], tmp_path / "full.pdf")
    cut = mf.truncated_pdf(full, tmp_path / "cut.pdf", keep=0.6)
    with pytest.raises(Unreadable):
        read(cut)


def test_garbage_after_header_is_unreadable(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 200 + b"\n%%EOF\n")
    with pytest.raises(Unreadable):
        read(bad)


def test_password_pdf_is_encrypted(tmp_path):
    path = mf.encrypted_pdf(tmp_path / "locked.pdf")
    with pytest.raises(EncryptedDocument):
        read(path)


def test_image_only_pdf_is_scanned(tmp_path):
    from reportlab.pdfgen import canvas
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(100, 100, 300, 400, fill=1)    # a drawing, no text layer
    c.showPage()
    c.save()
    with pytest.raises(ScannedDocument):
        read(path)


# --------------------------------------------------------------------------- real inputs

real = pytest.mark.skipif(not (REAL / "pdf").is_dir(), reason="../shared corpus not present")
REAL_PDFS = sorted((REAL / "pdf").glob("*.pdf")) if (REAL / "pdf").is_dir() else []
SCANNED = sorted((REAL / "scanned").glob("*.pdf")) if (REAL / "scanned").is_dir() else []


@real
@pytest.mark.parametrize("path", REAL_PDFS, ids=lambda p: p.name)
def test_real_pdf_parses(path):
    doc = read(path)
    assert doc.pages and doc.blocks
    assert all(b.text.strip() for b in doc.blocks)
    assert all(b.page for b in doc.blocks)


@real
@pytest.mark.parametrize("name, number", [
    ("cqupt-2012-344", "重邮〔2012〕344号"), ("cqupt-2013-144", "重邮〔2013〕144号"),
    ("cqupt-2015-25", "重邮〔2015〕25号"), ("cqupt-2015-26", "重邮〔2015〕26号"),
    ("cqupt-2015-55", "重邮〔2015〕55号"), ("govdoccn-397", "发改办财金规〔2019〕860号"),
])
def test_real_doc_number_without_inner_spaces(name, number):
    doc = read(REAL / "pdf" / f"{name}.pdf")
    first = [b.text for b in doc.blocks[:4]]
    assert number in first
    assert any(r.reason == "page-number" and r.page == 1 for r in doc.removed)


@real
def test_real_cqupt_layout():
    doc = read(REAL / "pdf" / "cqupt-2012-344.pdf")
    texts = [b.text for b in doc.blocks]
    title = doc.blocks[1]
    assert title.text == "关于印发《重庆邮电大学固定资产管理办法》的通知" and title.align == "center"
    date = next(b for b in doc.blocks if b.text == "2012年12月3日")
    assert date.align == "right"
    assert "校属各单位：" in texts
    # a 第X条 paragraph rebuilt over its wrapped lines, with its 2-character indent
    art1 = next(b for b in doc.blocks if b.text.startswith("第一条"))
    assert art1.text.endswith("制订本办法。") and "第68号" in art1.text and art1.indent == pytest.approx(2, abs=0.3)
    assert len([r for r in doc.removed if r.reason == "page-number"]) == doc.pages == 10


@real
def test_real_joint_banner():
    doc = read(REAL / "pdf" / "govdoccn-397.pdf")
    assert [b.text for b in doc.blocks[:2]] == ["发展改革委办公厅", "税务总局办公厅文件"]
    assert all(b.align == "center" for b in doc.blocks[:4])


@real
def test_real_tables_found_only_as_tables():
    doc = read(REAL / "pdf" / "cqupt-2013-144.pdf")
    tables = [b for b in doc.blocks if b.table is not None]
    assert len(tables) == 2
    assert tables[0].table.texts[0] == ["资源名称", "资源管理单位", "业务主管部门"]
    assert len({len(r) for r in tables[0].table.rows}) == 1
    assert not any(b.text == "资源名称" for b in doc.blocks if b.table is None)


@real
@pytest.mark.skipif(not SCANNED, reason="no scanned samples")
@pytest.mark.parametrize("path", SCANNED, ids=lambda p: p.name)
def test_real_scans_raise(path):
    with pytest.raises(ScannedDocument):
        read(path)
