"""The HTML reader: synthetic pages in tests/data/html (written for these tests, invented content)
and, when ../shared is present, the real gov.cn and Guangzhou pages (read in place, never copied)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from fzparse.errors import EmptyDocument, Unreadable
from fzparse.read import html
from fzparse.read import read as read_any

DATA = Path(__file__).resolve().parent / "data" / "html"
SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
GOVCN = SHARED / "corpus" / "govcn"
REAL_HTML = SHARED / "corpus" / "real" / "html"

FURNITURE_WORDS = ("打印本页", "关闭窗口", "扫一扫在手机打开当前页", "您即将离开", "当前位置", "上一篇", "下一篇",
                   "字体：大")


def read(name: str):
    path = DATA / name
    return html.read(path, path.read_bytes())


def texts(doc) -> list[str]:
    return [b.text for b in doc.blocks]


# --------------------------------------------------------------------------- block texts, in order

BLOCK_CASES = [
    # (page, blocks expected as a contiguous run somewhere in the output)
    ("govcn_like.html", ["某某市人民政府关于印发", "示例工作方案的通知", "某府发〔2023〕7号", "各区人民政府，市政府各部门："]),
    ("govcn_like.html", ["一、总体要求", "（一）加强统筹协调。建立工作机制，定期会商。（市发展改革委牵头，市财政局配合）",
                         "某某市人民政府", "2023年3月1日"]),
    ("split_spans.html", ["二、主要任务", "4.强化健康管理。居民签约后，家庭医生为其建立电子健康档案。", "4.强化健康管理。"]),
    ("br_paragraphs.html", ["各县（区）人民政府：", "现就有关事项通知如下。", "一、提高认识。", "二、压实责任。",
                            "第一段在div里。", "第二段在div里。", "直接写在容器里的文字。"]),
    ("task_table.html", ["附件：重点任务分工表", "附件", "重点任务分工表"]),
    ("task_table.html", ["这是一个只有一列的版式表格中的段落。", "第二行。"]),
    ("furniture.html", ["某某区人民政府办公室关于做好示例工作的通知", "各镇人民政府、街道办事处，区政府各部门：",
                        "为做好示例工作，经区政府同意，现将有关事项通知如下。"]),
    ("malformed.html", ["某某局关于示例事项的通知", "第一段没有闭合", "第二段加粗没有闭合", "第三段 & 实体结束"]),
    ("gbk_meta.html", ["某某县人民政府关于示例事项的通知", "某府函〔2022〕15号", "各乡镇人民政府：",
                       "现将有关事项通知如下：请于2022年5月1日前报送。"]),
]


def _contains_run(haystack: list[str], run: list[str]) -> bool:
    return any(haystack[i:i + len(run)] == run for i in range(len(haystack) - len(run) + 1))


@pytest.mark.parametrize("page,run", BLOCK_CASES, ids=[f"{p}-{i}" for i, (p, _) in enumerate(BLOCK_CASES)])
def test_block_runs(page, run):
    doc = read(page)
    assert doc.format == "html"
    assert _contains_run(texts(doc), run), texts(doc)


# --------------------------------------------------------------------------- what must not be a block

ABSENT_CASES = [
    ("govcn_like.html", ["打印本页", "关闭窗口", "首页", "政务公开", "版权所有", "当前位置", "索引号", "000011111/2023-00042",
                         "should never show", "color:red"]),
    ("furniture.html", ["首页", "机构概况", "字体", "打印本页", "关闭窗口", "隐藏的重复正文", "扫一扫", "上一篇", "下一篇",
                        "您即将离开", "您当前的位置", "主办单位"]),
    ("split_spans.html", ["分享到", "发布日期", "浏览次数"]),
]


@pytest.mark.parametrize("page,words", ABSENT_CASES, ids=[p for p, _ in ABSENT_CASES])
def test_no_furniture_in_blocks(page, words):
    body = "\n".join(texts(read(page)))
    for word in words:
        assert word not in body, word


def test_removed_records_furniture_inside_the_container():
    doc = read("furniture.html")
    removed = {r.text: r.reason for r in doc.removed}
    assert "【打印本页】【关闭窗口】" in removed
    assert "扫一扫在手机打开当前页" in removed
    assert removed.get("隐藏的重复正文不应出现") == "hidden"
    assert all(r.text for r in doc.removed)


# --------------------------------------------------------------------------- page metadata, title, heading

def test_page_metadata_from_the_metadata_table():
    doc = read("govcn_like.html")
    assert doc.page_metadata == {
        "索引号": "000011111/2023-00042", "主题分类": "综合政务\\其他", "发文机关": "某某市人民政府",
        "成文日期": "2023年03月01日", "标题": "某某市人民政府关于印发示例工作方案的通知",
        "发文字号": "某府发〔2023〕7号", "发布日期": "2023年03月05日",
    }   # 主题词 is empty on the page: left out
    assert doc.page_title == "某某市人民政府关于印发示例工作方案的通知_政府信息公开"
    assert doc.page_heading is None


def test_page_heading_and_inline_metadata_line():
    doc = read("split_spans.html")
    assert doc.page_heading == "某某市卫生健康委关于推进示例服务高质量发展的实施方案"
    assert doc.page_heading not in texts(doc)
    assert doc.page_metadata.get("发布日期") == "2023-11-07"


# --------------------------------------------------------------------------- whitespace and layout hints

def test_whitespace_rules():
    doc = read("split_spans.html")
    body = texts(doc)
    # source line break and single spaces between CJK vanish, a run of 2+ spaces on one line is a gap
    assert "国务院关于做好 工作的通知 abc def" in body
    assert "某某市卫生健康委员会 某某市财政局" in body
    assert not any(t.startswith(("\u3000", "\xa0", " ")) for t in body)


@pytest.mark.parametrize("raw,expected", [
    ("  国务院\n  关于 做好 ", "国务院关于做好"),
    ("abc  \n def", "abc def"),
    ("\u3000\u3000一、总则\u3000说明", "一、总则\u3000说明"),     # full-width space kept inside
    ("第一条\xa0为了", "第一条为了"),
    ("2023年 10月", "2023年 10月"),
    ("ａｂｃ１２３", "ａｂｃ１２３"),                                # no NFKC
    ("零\u200b宽", "零宽"),
])
def test_normalize(raw, expected):
    assert html.normalize(raw) == expected


def test_layout_hints():
    doc = read("govcn_like.html")
    by_text = {b.text: b for b in doc.blocks}
    title = by_text["某某市人民政府关于印发"]
    assert (title.align, title.bold, title.font_size) == ("center", True, 18.0)
    assert by_text["一、总体要求"].bold and by_text["一、总体要求"].indent == 2.0
    assert not by_text["各区人民政府，市政府各部门："].bold
    assert by_text["2023年3月1日"].align == "right"
    for block in doc.blocks:
        assert block.xpath and block.xpath.startswith("/html")
        assert block.line and block.line > 1
    assert read("split_spans.html").blocks[-1].font_size == 12.0        # 16px


def test_offsets_point_into_the_decoded_page():
    path = DATA / "govcn_like.html"
    source = path.read_text(encoding="utf-8")
    doc = read("govcn_like.html")
    found = [b for b in doc.blocks if b.offset is not None]
    assert len(found) >= len(doc.blocks) - 1
    for block in found:
        assert source[block.offset:block.offset + 2] == block.text[:2]
    assert [b.offset for b in found] == sorted(b.offset for b in found)


# --------------------------------------------------------------------------- tables

def test_task_table_grid():
    doc = read("task_table.html")
    tables = [b for b in doc.blocks if b.table]
    assert len(tables) == 1                      # the one-column layout table is not a table
    grid = tables[0].table
    assert grid.texts == [
        ["序号", "工作事项", "牵头单位", "配合单位"],
        ["1", "完善工作机制。", "市发展改革委", "市财政局"],
        ["1", "完善工作机制。", "市商务局", "/"],
        ["2", "加强监督\n考核。", "各区人民政府", "各区人民政府"],
    ]
    assert [c.spanned for c in grid.rows[2]] == [True, True, False, False]
    assert [c.spanned for c in grid.rows[3]] == [False, False, False, True]
    assert tables[0].text.splitlines()[0] == "序号 | 工作事项 | 牵头单位 | 配合单位"


def test_hostile_spans_are_clamped(tmp_path):
    page = tmp_path / "spans.html"
    page.write_text('<html><body><div id="zoom"><p>表前的一段说明文字，足够长以便被识别为正文内容。</p><table>'
                    '<tr><td rowspan="999999">甲</td><td colspan="100000">乙</td></tr>'
                    '<tr><td>丙</td><td>丁</td></tr></table></div></body></html>', encoding="utf-8")
    doc = html.read(page, page.read_bytes())
    table = next(b.table for b in doc.blocks if b.table)
    assert len(table.rows) == 2 and len(table.rows[0]) <= 201
    assert table.rows[1][0].text == "甲" and table.rows[1][0].spanned


# --------------------------------------------------------------------------- decoding

def test_gbk_page_with_meta_charset():
    path = DATA / "gbk_meta.html"
    assert b"charset=\"gbk\"" in path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    doc = read("gbk_meta.html")
    assert doc.encoding in ("gbk", "gb18030")
    assert doc.page_title == "某某县人民政府关于示例事项的通知"


def test_declared_charset_wrong_falls_back(tmp_path):
    page = tmp_path / "lie.html"
    page.write_bytes('<html><head><meta charset="utf-8"></head><body><p>这是用国标码保存的页面正文。</p></body></html>'
                     .encode("gb18030"))
    doc = html.read(page, page.read_bytes())
    assert doc.encoding == "gb18030"
    assert texts(doc) == ["这是用国标码保存的页面正文。"]
    assert any(code == "charset-mismatch" for code, _ in doc.warnings)


def test_utf8_bom(tmp_path):
    page = tmp_path / "bom.html"
    page.write_bytes(b"\xef\xbb\xbf" + "<html><body><p>带字节顺序标记的页面。</p></body></html>".encode("utf-8"))
    doc = html.read(page, page.read_bytes())
    assert doc.encoding == "utf-8-sig" and texts(doc) == ["带字节顺序标记的页面。"]


# --------------------------------------------------------------------------- hostile input

def test_deep_nesting_is_refused_not_crashed(tmp_path):
    page = tmp_path / "deep.html"
    page.write_bytes(b"<html><body>" + b"<div>" * 200_000 + "深".encode() + b"</div>" * 200_000 + b"</body></html>")
    with pytest.raises(Unreadable):
        html.read(page, page.read_bytes())


def test_moderate_nesting_is_read(tmp_path):
    page = tmp_path / "nested.html"
    page.write_bytes(b"<html><body>" + b"<div>" * 200 + "嵌套很深的正文段落。".encode() + b"</div>" * 200 + b"</body></html>")
    assert texts(html.read(page, page.read_bytes())) == ["嵌套很深的正文段落。"]


def test_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    page = tmp_path / "xxe.html"
    page.write_text(f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">]><html><body>'
                    '<p>正文&xxe;结束</p><!-- 注释文字 --><?php echo 1; ?></body></html>', encoding="utf-8")
    doc = html.read(page, page.read_bytes())
    body = "\n".join(texts(doc))
    assert "TOPSECRET" not in body and "注释文字" not in body and "php" not in body
    assert "正文" in body


@pytest.mark.parametrize("content", [
    b"<html><head><title>only a title</title></head><body>  </body></html>",
    b"<html><body><script>var a = 1;</script><style>p{}</style></body></html>",
    b"<html><body><p>\xc2\xa0</p><div>\xe3\x80\x80</div></body></html>",
])
def test_pages_without_text_are_empty(tmp_path, content):
    page = tmp_path / "empty.html"
    page.write_bytes(content)
    with pytest.raises(EmptyDocument):
        html.read(page, content)


def test_dispatch_through_read_package():
    doc = read_any(DATA / "govcn_like.html")
    assert doc.format == "html" and doc.page_metadata["发文字号"] == "某府发〔2023〕7号"


# --------------------------------------------------------------------------- real pages (skip without ../shared)

needs_govcn = pytest.mark.skipif(not GOVCN.is_dir(), reason="../shared corpus not present")
needs_real = pytest.mark.skipif(not REAL_HTML.is_dir(), reason="../shared corpus not present")

GOVCN_PAGES = sorted(GOVCN.glob("*.html")) if GOVCN.is_dir() else []
REAL_PAGES = sorted(REAL_HTML.glob("*.html")) if REAL_HTML.is_dir() else []


def _doc_number(page: Path) -> str | None:
    gold = page.with_name(page.name.split(".")[0] + ".gold.json")
    if not gold.exists():
        return None
    value = json.loads(gold.read_text(encoding="utf-8")).get("doc_number")
    return value[0] if isinstance(value, list) else value


@needs_govcn
@pytest.mark.parametrize("page", GOVCN_PAGES, ids=[p.name for p in GOVCN_PAGES])
def test_real_govcn_page(page):
    doc = html.read(page, page.read_bytes())
    body = texts(doc)
    assert len(body) >= 5
    assert not any(word in t for t in body for word in ("打印本页", "关闭窗口"))
    number = _doc_number(page)
    if number:
        head = "\n".join(body[:8])
        # a 国务院令 prints its number as 第N号 under 中华人民共和国国务院令
        serial = re.search(r"第\d+号$", number)
        assert number in head or (serial and serial.group(0) in head), (number, body[:8])
    if page.name.endswith(".page.html"):
        assert doc.page_metadata.get("发文字号") == number
        assert "标题" in doc.page_metadata and "索引号" in doc.page_metadata
        assert not any(t.startswith(("索引号", "索 引 号", "发文字号")) for t in body)


@needs_govcn
@pytest.mark.parametrize("page", [p for p in GOVCN_PAGES if p.name.endswith(".page.html")],
                         ids=[p.name for p in GOVCN_PAGES if p.name.endswith(".page.html")])
def test_real_govcn_page_and_body_agree(page):
    body_only = page.with_name(page.name.replace(".page.html", ".body.html"))
    if not body_only.exists():
        pytest.skip("no body.html twin")
    whole = html.read(page, page.read_bytes())
    part = html.read(body_only, body_only.read_bytes())
    assert texts(whole) == texts(part)


@needs_real
@pytest.mark.parametrize("page", REAL_PAGES, ids=[p.name for p in REAL_PAGES])
def test_real_guangzhou_page(page):
    doc = html.read(page, page.read_bytes())
    body = texts(doc)
    assert len(body) >= 10
    for word in FURNITURE_WORDS:
        assert not any(word in t for t in body), word
    number = doc.page_metadata.get("文号")        # the repost's table leaves 文号 empty
    if number:
        assert any(number in t for t in body[:3])
    assert any(re.search(r"〔20\d\d〕\d+号$", t) for t in body[:3]), body[:3]
    assert "索引号" in doc.page_metadata or "统一编号" in doc.page_metadata
    assert doc.page_heading and doc.page_title
    # the display:none print copy of the body (div.bbnr) is not read twice
    assert sum(1 for t in body if t == body[0]) == 1


@needs_real
def test_real_task_table_with_rowspans():
    page = REAL_HTML / "gz-wsjw-2023-1930.html"
    doc = html.read(page, page.read_bytes())
    tables = [b.table for b in doc.blocks if b.table]
    task = next(t for t in tables if any("牵头单位" in c.text for c in t.rows[0]))
    header = task.texts[0]
    assert "牵头单位" in header and "配合单位" in header
    lead, support = header.index("牵头单位"), header.index("配合单位")
    width = len(header)
    assert all(len(row) == width for row in task.rows)
    # row 1 spans three rows in 序号/工作事项: the continuation rows carry copies
    assert task.texts[1][:2] == ["1", "有序扩大家庭医生来源。"]
    assert task.texts[2][:2] == ["1", "有序扩大家庭医生来源。"] and task.rows[2][0].spanned
    assert task.texts[1][lead] == "各区政府" and task.texts[1][support] == "市卫生健康委"
    assert all(row[lead] for row in task.texts[1:])
    assert doc.page_metadata["文号"] == "穗卫函〔2023〕1930号"
    assert "附件2" in texts(doc)
    assert any(t.startswith("4.强化健康管理。") for t in texts(doc))
