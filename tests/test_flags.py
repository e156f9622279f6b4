"""Flags a clerk relies on: disagreements, odd dates, non-notices, fallbacks — one case each."""
from __future__ import annotations

import pytest

import fzparse

NOTICE = """澜州市人民政府办公厅
关于做好防汛工作的通知
澜府办发〔{year}〕9号
各区县人民政府，市政府各部门：
现就做好防汛工作通知如下：
一、压实责任
（一）落实包保责任。各区县要落实责任。（牵头单位：市水利局；配合单位：市应急局）
澜州市人民政府办公厅
{date}
"""

PAGE = """<html><head><meta charset="utf-8"><title>t</title></head><body>
<table><tr><td>发文字号：</td><td>{meta_number}</td></tr><tr><td>成文日期：</td><td>{meta_date}</td></tr></table>
<div id="UCAP-CONTENT">{body}</div></body></html>"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def codes(doc):
    return [f.code for f in doc.flags]


def test_date_before_the_number_year_is_kept_and_flagged(tmp_path):
    doc = fzparse.parse(write(tmp_path, "a.txt", NOTICE.format(year=2024, date="2023年4月1日")))
    assert doc.date == "2023-04-01"
    assert "date-before-number-year" in codes(doc)


def test_consistent_date_is_not_flagged(tmp_path):
    doc = fzparse.parse(write(tmp_path, "a.txt", NOTICE.format(year=2024, date="2024年4月1日")))
    assert "date-before-number-year" not in codes(doc)


@pytest.mark.parametrize("meta_number,meta_date,expected", [
    ("澜府办发〔2024〕9号", "2024-04-01", []),
    ("澜府办发〔2024〕8号", "2024-04-01", ["metadata-disagrees"]),
    ("澜府办发〔2024〕9号", "2024-04-02", ["metadata-disagrees"]),
])
def test_page_metadata_disagreement_is_flagged(tmp_path, meta_number, meta_date, expected):
    body = "".join(f"<p>{line}</p>" for line in NOTICE.format(year=2024, date="2024年4月1日").splitlines() if line)
    doc = fzparse.parse(write(tmp_path, "p.html", PAGE.format(meta_number=meta_number, meta_date=meta_date, body=body)))
    assert doc.doc_number.text == "澜府办发〔2024〕9号"       # the printed number wins
    assert doc.page_metadata["发文字号"] == meta_number
    assert [c for c in codes(doc) if c == "metadata-disagrees"] == expected


def test_positional_role_is_flagged_on_the_unit(tmp_path):
    text = NOTICE.format(year=2024, date="2024年4月1日").replace(
        "（牵头单位：市水利局；配合单位：市应急局）", "（市水利局、市应急局负责。列第一位者为牵头单位，下同）")
    doc = fzparse.parse(write(tmp_path, "a.txt", text))
    units = [u for n in doc.nodes() for u in n.units]
    assert [(u.name, u.role) for u in units] == [("市水利局", "lead"), ("市应急局", "support")]
    assert all("role-from-positional-rule" in u.flags for u in units)


def test_unparsed_role_parenthetical_is_flagged_not_guessed(tmp_path):
    text = NOTICE.format(year=2024, date="2024年4月1日").replace(
        "（牵头单位：市水利局；配合单位：市应急局）", "（由各地根据实际情况确定牵头单位）")
    doc = fzparse.parse(write(tmp_path, "a.txt", text))
    assert not [u for n in doc.nodes() for u in n.units]
    assert "unparsed-assignment" in codes(doc)


def test_a_standard_is_not_a_notice(tmp_path):
    text = "建筑材料放射性核素限量\n前言\n本标准由某某部提出。\n1 范围\n本标准规定了建筑材料的限量。\n2 规范性引用文件\n3 术语和定义\n"
    doc = fzparse.parse(write(tmp_path, "std.txt", text))
    assert doc.is_gongwen is False
    assert (doc.doc_number, doc.title, doc.issuer, doc.date, doc.recipients) == (None, None, None, None, [])
    assert "not-gongwen" in codes(doc)
