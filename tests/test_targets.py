"""Targets in task text: numbers with units and what they measure."""
from __future__ import annotations

from pathlib import Path

import pytest

import fzparse
from fzparse.targets import targets_in

DATA = Path(__file__).parent / "data" / "resolve"


def one(text):
    found = targets_in(text)
    assert len(found) == 1, found
    t = found[0].target
    return t.text, t.value, t.unit, t.measure


@pytest.mark.parametrize("text, expected", [
    ("出庭应诉率要达到50%", ("出庭应诉率要达到50%", 50, "%", "出庭应诉率")),
    ("全市行政机关负责人出庭应诉率要达到50%。", ("出庭应诉率要达到50%", 50, "%", "出庭应诉率")),
    ("公布第二批115项行政许可事项", ("115项行政许可事项", 115, "项", "行政许可事项")),
    ("培养不少于3500名基层医生", ("培养不少于3500名基层医生", 3500, "名", "基层医生")),
    ("每万常住人口达到4名", ("每万常住人口达到4名", 4, "名", "每万常住人口")),
    ("新建养老床位1.2万张", ("养老床位1.2万张", 1.2, "万张", "养老床位")),
    ("每年培训企业管理和技术人员5000人次以上。", ("企业管理和技术人员5000人次以上", 5000, "人次", "企业管理和技术人员")),
    ("全省建成三千个村级服务站", ("建成三千个村级服务站", 3000, "个", "村级服务站")),
    ("网上申请占比达到６０％以上", ("网上申请占比达到６０％以上", 60, "%", "网上申请占比")),
])
def test_targets(text, expected):
    assert one(text) == expected


@pytest.mark.parametrize("text", [
    "2024年3月5日印发", "渝府办发〔2021〕40号", "国发〔2016〕23号", "1.建设工作机制", "（2）完善制度",
    "牢固树立“四个意识”，做到“两个维护”", "力争用3个月时间完成", "庆祝建党100周年", "第一批试点城市", "2025年底前完成",
])
def test_not_targets(text):
    assert targets_in(text) == []


def test_several_in_one_sentence():
    got = [(f.target.value, f.target.unit, f.target.measure) for f in
           targets_in("到2025年底，全市规模以上工业企业数字化转型覆盖率达到80%，建成智能工厂20家、数字化车间100个。")]
    assert got == [(80, "%", "数字化转型覆盖率"), (20, "家", "智能工厂"), (100, "个", "数字化车间")]


def test_node_targets_with_evidence():
    doc = fzparse.parse(DATA / "cq-yingsu.txt")
    node = next(n for n in doc.nodes() if n.id == "cq-yingsu#1.1")
    (t,) = node.targets
    assert (t.text, t.value, t.unit, t.measure) == ("出庭应诉率要达到50%", 50, "%", "出庭应诉率")
    para = doc.paragraphs[t.evidence.paragraph]
    assert para.text[t.evidence.start:t.evidence.end] == t.text
    assert t.evidence.paragraph == node.evidence.paragraph
    # a target in an unnumbered paragraph of a node points at that paragraph
    doc2 = fzparse.parse(DATA / "xp-zhian.txt")
    n1 = doc2.outline[0]
    assert [(x.value, x.unit) for x in n1.targets] == [(40, "个"), (30, "%")]
    for x in n1.targets:
        assert doc2.paragraphs[x.evidence.paragraph].text[x.evidence.start:x.evidence.end] == x.text
    # nodes with no number commit to nothing
    assert next(n for n in doc.nodes() if n.id == "cq-yingsu#2.1").targets == []


def test_task_table_targets_are_on_the_row_not_the_heading():
    doc = fzparse.parse(DATA / "gz-table.html")
    heading = doc.outline[0]
    assert [(t.value, t.unit) for t in heading.targets] == [(2, "次")]       # its own prose only
    rows = [n for n in heading.walk() if n.source == "table"]
    assert [[(t.value, t.unit, t.measure) for t in r.targets] for r in rows] == [[(800, "名", "基层医生")],
                                                                            [(12, "家", "社区医院")]]
    for r in rows:
        t = r.targets[0]
        assert doc.paragraphs[t.evidence.paragraph].table is not None
        assert doc.paragraphs[t.evidence.paragraph].text[t.evidence.start:t.evidence.end] == t.text
