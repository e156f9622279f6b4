"""Invariants that hold for ANY input text (shared by the property tests and `make fuzz`)."""
from __future__ import annotations

from pathlib import Path

import jsonschema
from hypothesis import strategies as st

from fzparse.errors import FzparseError
from fzparse.export import load_schema, to_json
from fzparse.pipeline import parse_raw
from fzparse.read.text import read as read_text

VALIDATOR = jsonschema.Draft202012Validator(load_schema())

FRAGMENTS = [
    "澜州市人民政府办公厅", "关于印发2024年工作要点的通知", "澜府办发〔2024〕12号", "国务院令第706号",
    "各区县人民政府，市政府各部门：", "一、", "二、", "三、", "（一）", "（二）", "(三)", "1.", "2．", "3、", "（1）",
    "①", "②", "㈠", "第一章", "第二部分", "第三条", "加强组织领导。", "推进改革", "（牵头单位：市发展改革委；配合单位：市财政局）",
    "（市司法局、市财政局负责）", "（市教委牵头，市人社局配合）", "列第一位者为牵头单位，下同", "（A会同B负责）",
    "责任单位：县司法局、各有关部门", "《关于加强〈某某条例〉实施的意见》", "《", "》", "〈", "〉", "（", "）", "(", ")",
    "2024年3月5日", "二〇二四年三月五日", "2024-03-05", "附件：1.清单", "抄送：市委办公厅。", "印发", "等有关部门",
    "。", "，", "、", "；", "：", " ", "　", "\t", "文件", "签发人：张三", "（此件公开发布）", "以下均需市政府落实，不再列出",
]

notice_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4E80), max_size=8)),
    max_size=60,
).map(lambda parts: "".join(p if i % 3 else p + "\n" for i, p in enumerate(parts)))
any_text = st.text(max_size=400)


def check(text: str) -> None:
    """parse returns or raises FzparseError; its output keeps the invariants."""
    data = text.encode("utf-8")
    try:
        raw = read_text(Path("generated.txt"), data)
        doc = parse_raw(raw, "generated")
    except FzparseError:
        return
    seen_ids = set()
    for node in doc.nodes():
        assert node.number >= 1 and node.path and node.path[-1] == node.number
        assert node.id not in seen_ids
        seen_ids.add(node.id)
        for child in node.children:
            assert child.path[:-1] == node.path
        if node.source == "heading":
            for unit in node.units:
                if unit.explicit:
                    assert unit.name in node.text, (unit.name, node.text)
            for ref in node.references:
                assert ref.title in node.text, (ref.title, node.text)
    everything = "\n".join(p.text for p in doc.paragraphs)
    for ref in doc.references:
        assert ref.title in everything
    for nodes in [doc.outline] + [n.children for n in doc.nodes()]:
        by_style: dict[str, int] = {}
        for n in nodes:
            if n.source == "heading":
                assert n.number > by_style.get(n.style, 0), [x.label for x in nodes]
                by_style[n.style] = n.number
    data = doc.to_dict()
    errors = list(VALIDATOR.iter_errors(data))
    assert not errors, errors[0].message
    assert to_json(doc) == to_json(parse_raw(read_text(Path("generated.txt"), text.encode("utf-8")), "generated"))
