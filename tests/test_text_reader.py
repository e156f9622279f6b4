"""The text reader: every encoding and line ending gives the same parse; binary and empty
files raise the documented errors; a few bad bytes are flagged, not fatal."""
from __future__ import annotations

import random

import pytest

import fzparse
from fzparse.errors import EmptyDocument, Unreadable

NOTICE = """澜州市人民政府办公厅
关于印发2024年全市数字政府建设
工作要点的通知
澜府办发〔2024〕12号
各区县人民政府，市政府各部门，有关单位：
《2024年全市数字政府建设工作要点》已经市政府同意，现印发给你们，请认真贯彻落实。
澜州市人民政府办公厅
2024年3月5日
2024年全市数字政府建设工作要点
2024年全市数字政府建设的总体要求是：统筹推进政务服务、政务数据和政务运行数字化。
一、夯实数字政府基础支撑
（一）统筹建设政务云平台。推进全市政务云资源统一规划。（牵头单位：市发展改革委、市委党校〔澜州行政学院〕；配合单位：市政府有关部门和单位，各区县政府）
（二）强化政务数据共享。编制公共数据资源目录。（牵头单位：市大数据局；配合单位：市政府有关部门和单位，各区县政府）
二、提升政务服务数字化水平
（三）深化“一网通办”。推动高频事项全程网办。（牵头单位：市政务服务中心；配合单位：各区县政府）
全市各级各部门要加强组织领导，确保各项任务落地见效。
"""


def summary(doc):
    return {
        "doc_number": doc.doc_number.text if doc.doc_number else None,
        "title": doc.title,
        "recipients": doc.recipients,
        "date": doc.date,
        "outline": [(n.path, n.label, n.title, [(u.name, u.role) for u in n.units]) for n in doc.nodes()],
    }


EXPECTED = {
    "doc_number": "澜府办发〔2024〕12号",
    "title": "澜州市人民政府办公厅关于印发2024年全市数字政府建设工作要点的通知",
    "recipients": ["各区县人民政府", "市政府各部门", "有关单位"],
    "date": "2024-03-05",
}


def encode(text: str, encoding: str, newline: str) -> bytes:
    text = text.replace("\n", newline)
    if encoding == "utf-8-bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if encoding == "utf-16-le-bom":
        return b"\xff\xfe" + text.encode("utf-16-le")
    if encoding == "utf-16-le-nobom":
        return text.encode("utf-16-le")
    if encoding == "utf-16-be-bom":
        return b"\xfe\xff" + text.encode("utf-16-be")
    return text.encode(encoding)


ENCODINGS = ["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "utf-16-le-nobom", "gb18030", "gbk"]
NEWLINES = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    path = tmp_path_factory.mktemp("base") / "notice.txt"
    path.write_bytes(NOTICE.encode("utf-8"))
    doc = fzparse.parse(path)
    got = summary(doc)
    assert {k: got[k] for k in EXPECTED} == EXPECTED
    assert len(got["outline"]) == 5
    return got


@pytest.mark.parametrize("newline", sorted(NEWLINES))
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_same_parse_in_every_encoding_and_line_ending(tmp_path, baseline, encoding, newline):
    path = tmp_path / "notice.txt"
    path.write_bytes(encode(NOTICE, encoding, NEWLINES[newline]))
    doc = fzparse.parse(path)
    assert summary(doc) == baseline
    assert not any(f.code == "invalid-bytes" for f in doc.flags)


@pytest.mark.parametrize("newline", sorted(NEWLINES))
def test_line_numbers_count_every_line_ending(tmp_path, newline):
    path = tmp_path / "notice.txt"
    path.write_bytes(encode(NOTICE, "utf-8", NEWLINES[newline]))
    doc = fzparse.parse(path)
    assert doc.evidence["doc_number"].line == 4
    assert doc.evidence["date"].line == 8


BINARY_CASES = {
    "random": random.Random(20240305).randbytes(4096),
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
    "all-bytes": bytes(range(256)) * 16,
    "elf": b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64 + random.Random(7).randbytes(2048),
}


@pytest.mark.parametrize("name", sorted(BINARY_CASES))
def test_binary_named_txt_is_unreadable(tmp_path, name):
    path = tmp_path / f"{name}.txt"
    path.write_bytes(BINARY_CASES[name])
    with pytest.raises(Unreadable):
        fzparse.parse(path)


@pytest.mark.parametrize("content", [b"", b"   \n\r\n\t \n", b"\xef\xbb\xbf"], ids=["empty", "blank", "bom-only"])
def test_empty_file_raises_empty_document(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(EmptyDocument):
        fzparse.parse(path)


@pytest.mark.parametrize("bad", [b"\xff", b"\xc3\x28", b"\xe4\xb8", b"\x80\x80"], ids=["ff", "c328", "truncated", "cont"])
def test_a_few_invalid_utf8_bytes_parse_with_a_flag(tmp_path, baseline, bad):
    data = NOTICE.encode("utf-8")
    marker = "现印发给你们".encode("utf-8")
    at = data.index(marker)
    data = data[:at] + bad + data[at:]
    path = tmp_path / "notice.txt"
    path.write_bytes(data)
    doc = fzparse.parse(path)
    assert any(f.code == "invalid-bytes" for f in doc.flags)
    got = summary(doc)
    assert got["doc_number"] == baseline["doc_number"]
    assert got["title"] == baseline["title"]
    assert got["outline"] == baseline["outline"]


def test_fzparse_errors_share_a_base_class():
    assert issubclass(Unreadable, fzparse.FzparseError)
    assert issubclass(EmptyDocument, fzparse.FzparseError)


# ----------------------------------------------------------------------------- lines wrapped by hand

def _paragraphs(tmp_path, body: str) -> list[str]:
    from fzparse import clean
    from fzparse.read import text as text_reader
    path = tmp_path / "wrapped.txt"
    path.write_text(body, "utf-8")
    paragraphs, _ = clean.clean(text_reader.read(path, path.read_bytes()))
    return [p.text for p in paragraphs]


HEAD_LINES = "澜州市人民政府办公厅关于印发促进就业若干措施的通知\n澜府办发〔2024〕9号\n各区县人民政府，市政府各部门：\n"
INDENTED = ["　　经市政府同意，现将《澜州市促进就业若干措施》印发给你们，请认真贯彻执行。",
            "　　为促进高质量充分就业，结合本市实际，制定以下措施。", "　　一、稳定就业岗位", "　　1.支持企业吸纳就业。对吸纳高校毕业生的企业给予补贴，全年补贴规模力争达到",
            "　　2.扩大公益岗位。开发乡村公益性岗位，优先安置就业困难人员，全年开发岗位",
            "　　3.开展职业技能培训。面向农民工、退役军人等群体开展技能培训，全年培训"]

# (the lines after the indented ones, the last paragraphs expected)
WRAP_CASES = [
    # the rest of the last sentence, with the task's units: joined
    (["1.5万人次以上。（市人力社保局牵头，市教育局配合）"],
     [INDENTED[-1].strip() + "1.5万人次以上。（市人力社保局牵头，市教育局配合）"]),
    # a heading, indented or not, is never the rest of a sentence
    (["二、强化培训服务"], [INDENTED[-1].strip(), "二、强化培训服务"]),
    # a short line that ends no sentence is a field under a title, not the title's rest
    (["填报单位"], [INDENTED[-1].strip(), "填报单位"]),
    (["申请部门（单位）："], [INDENTED[-1].strip(), "申请部门（单位）："]),
]


@pytest.mark.parametrize("after,expected", WRAP_CASES)
def test_unindented_rest_of_a_sentence_is_joined(tmp_path, after, expected):
    got = _paragraphs(tmp_path, HEAD_LINES + "\n".join(INDENTED + after) + "\n")
    assert got[-len(expected):] == expected
    # the head, whose lines are not indented, is left as it was
    assert got[:3] == HEAD_LINES.strip().split("\n")


def test_a_date_line_is_not_continued(tmp_path):
    lines = INDENTED + ["　　二〇二四年五月六日", "澜州市促进就业若干措施"]
    got = _paragraphs(tmp_path, HEAD_LINES + "\n".join(lines) + "\n")
    assert got[-2:] == ["二〇二四年五月六日", "澜州市促进就业若干措施"]


def test_a_file_that_does_not_indent_is_left_alone(tmp_path):
    lines = [x.strip() for x in INDENTED] + ["1.5万人次以上。（市人力社保局牵头，市教育局配合）"]
    got = _paragraphs(tmp_path, HEAD_LINES + "\n".join(lines) + "\n")
    assert got[-1] == "1.5万人次以上。（市人力社保局牵头，市教育局配合）"
