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
