"""References: 《…》 titles at the node where they occur, nested 〈〉 titles, once per node,
covering-text titles at the top level, and a cited 发文字号 linked (ANNOTATION.md "References")."""
from __future__ import annotations

import pytest

import fzparse
from support import node_at, notice, parse_text


def titles(refs):
    return [r.title for r in refs]


NODE_CASES = [
    ("（一）加强立法。认真贯彻《澜州市优化营商环境条例》，修订《澜州市消防设施管理规定》。",
     ["澜州市优化营商环境条例", "澜州市消防设施管理规定"]),
    ("（一）加强立法。推动修订《澜州市实施〈中华人民共和国农村土地承包法〉办法》等地方性法规。",
     ["澜州市实施〈中华人民共和国农村土地承包法〉办法", "中华人民共和国农村土地承包法"]),
    ("（一）严格执法。严格执行《澜州市水污染防治条例》。落实《澜州市水污染防治条例》关于排污许可的规定。",
     ["澜州市水污染防治条例"]),
    ("（一）制定方案。高质量制定《澜州市法治政府建设实施方案（2024—2028年）》。",
     ["澜州市法治政府建设实施方案（2024—2028年）"]),
    ("（一）开展评估。严格按照行政诉讼法规定开展评估工作。", []),
]


@pytest.mark.parametrize("line,expected", NODE_CASES)
def test_references_at_their_node(tmp_path, line, expected):
    doc = parse_text(tmp_path, notice(line + "\n（二）强化保障。加强督查。\n"))
    assert titles(r for r in node_at(doc, (1,)).references if r.bracketed) == expected
    assert node_at(doc, (2,)).references == []
    assert doc.references == []


def test_nested_title_names_its_outer_title(tmp_path):
    line = "（一）加强立法。推动修订《澜州市实施〈中华人民共和国农村土地承包法〉办法》。"
    doc = parse_text(tmp_path, notice(line))
    refs = {r.title: r for r in node_at(doc, (1,)).references}
    assert refs["中华人民共和国农村土地承包法"].nested_in == "澜州市实施〈中华人民共和国农村土地承包法〉办法"
    assert refs["澜州市实施〈中华人民共和国农村土地承包法〉办法"].nested_in is None


def test_references_belong_to_own_text_not_children(tmp_path):
    body = ("一、贯彻落实《澜州市法治政府建设实施方案》\n（一）完善制度。修订《澜州市重大行政决策程序规定》。\n"
            "（二）严格执法。落实《澜州市行政执法公示办法》。\n")
    doc = parse_text(tmp_path, notice(body))
    assert titles(node_at(doc, (1,)).references) == ["澜州市法治政府建设实施方案"]
    assert titles(node_at(doc, (1, 1)).references) == ["澜州市重大行政决策程序规定"]
    assert titles(node_at(doc, (1, 2)).references) == ["澜州市行政执法公示办法"]


YINFA = ("澜州市人民政府办公厅\n关于印发2024年全市数字政府建设\n工作要点的通知\n澜府办发〔2024〕12号\n"
         "各区县人民政府，市政府各部门：\n《2024年全市数字政府建设工作要点》已经市政府同意，现印发给你们，"
         "请对照《澜州市数字政府建设规划》认真贯彻落实。\n"
         "澜州市人民政府办公厅\n2024年3月5日\n2024年全市数字政府建设工作要点\n"
         "总体要求是：全面落实《澜州市数字经济促进条例》，统筹推进政务服务数字化。\n"
         "一、夯实基础支撑\n（一）建设政务云平台。落实《澜州市政务云管理办法》。（牵头单位：市大数据局）\n"
         "二、提升服务水平\n（二）深化一网通办。全程网办。（牵头单位：市政务服务中心）\n"
         "各部门要对照《澜州市绩效考核办法》抓好落实。\n")


def test_covering_text_preamble_and_closing_titles_are_top_level(tmp_path):
    doc = parse_text(tmp_path, YINFA)
    top = titles(doc.references)
    for t in ("2024年全市数字政府建设工作要点", "澜州市数字政府建设规划", "澜州市数字经济促进条例", "澜州市绩效考核办法"):
        assert t in top
    assert "澜州市政务云管理办法" not in top
    assert titles(node_at(doc, (1, 1)).references) == ["澜州市政务云管理办法"]
    assert all(titles(n.references) == [] for n in doc.nodes() if n.path != (1, 1))


def test_top_level_repeated_title_listed_once(tmp_path):
    doc = parse_text(tmp_path, YINFA)
    top = titles(doc.references)
    assert top.count("2024年全市数字政府建设工作要点") == 1


CITED_CASES = [
    ("落实《国务院关于加强固体废物和化学品环境管理的意见》（国发〔2019〕5号），强化综合治理。",
     "国务院关于加强固体废物和化学品环境管理的意见", "国发〔2019〕5号"),
    ("落实《国务院关于加强固体废物和化学品环境管理的意见》(国发〔2019〕5号)要求。",
     "国务院关于加强固体废物和化学品环境管理的意见", "国发〔2019〕5号"),
    ("落实《国务院关于加强固体废物和化学品环境管理的意见》（国发[2019]5号）要求。",
     "国务院关于加强固体废物和化学品环境管理的意见", "国发〔2019〕5号"),
    ("落实《澜州市人民政府办公厅关于加强河湖管理的通知》（澜府办发〔2023〕27号）要求。",
     "澜州市人民政府办公厅关于加强河湖管理的通知", "澜府办发〔2023〕27号"),
]


@pytest.mark.parametrize("sentence,title,number", CITED_CASES)
def test_cited_number_linked_in_node(tmp_path, sentence, title, number):
    doc = parse_text(tmp_path, notice("（一）强化治理。" + sentence + "\n"))
    refs = {r.title: r for r in node_at(doc, (1,)).references}
    assert refs[title].doc_number == number


def test_cited_number_linked_in_covering_text(tmp_path):
    text = ("澜州市人民政府\n关于同意设立东湖生态农业示范园区的批复\n澜府函〔2024〕21号\n市农业农村局：\n"
            "你局《关于设立东湖生态农业示范园区的请示》（澜农文〔2024〕7号）收悉。经研究，同意设立该园区。\n此复。\n"
            "澜州市人民政府\n2024年7月8日\n")
    doc = parse_text(tmp_path, text)
    assert doc.outline == []
    refs = {r.title: r for r in doc.references}
    assert refs["关于设立东湖生态农业示范园区的请示"].doc_number == "澜农文〔2024〕7号"


def test_title_without_number_has_none(tmp_path):
    doc = parse_text(tmp_path, notice("（一）加强立法。认真贯彻《澜州市优化营商环境条例》（2023年修订）。\n"))
    ref = node_at(doc, (1,)).references[0]
    assert ref.title == "澜州市优化营商环境条例"
    assert ref.doc_number is None


# ----------------------------------------------------------------------------- the sample notices in corpus/

CORPUS = __import__("pathlib").Path(__file__).resolve().parents[1] / "corpus"


def test_corpus_guihua_references():
    doc = fzparse.parse(CORPUS / "lz-2024-5-guihua.txt")
    top = {r.title: r for r in doc.references}
    assert set(top) == {"澜州市生态环境保护规划（2024—2028年）", "中华人民共和国环境保护法",
                        "国务院关于印发〈打赢蓝天保卫战三年行动计划〉的通知", "打赢蓝天保卫战三年行动计划"}
    assert top["打赢蓝天保卫战三年行动计划"].nested_in == "国务院关于印发〈打赢蓝天保卫战三年行动计划〉的通知"
    refs = {r.title: r for r in node_at(doc, (2, 3)).references}
    assert set(refs) == {"澜州市实施〈中华人民共和国大气污染防治法〉办法", "中华人民共和国大气污染防治法",
                         "国务院关于加强固体废物和化学品环境管理的意见"}
    assert refs["国务院关于加强固体废物和化学品环境管理的意见"].doc_number == "国发〔2019〕5号"
    assert titles(node_at(doc, (2, 4)).references) == ["澜州市水污染防治条例"]


def test_corpus_pifu_reference():
    doc = fzparse.parse(CORPUS / "lz-2024-21-pifu.txt")
    assert [(r.title, r.doc_number) for r in doc.references] == [
        ("关于设立澜州东湖生态农业示范园区的请示", "澜农文〔2024〕7号")]


# law_names_in finds what one alternation of every name (longest first) would: leftmost, longest
# at a start, never overlapping.
LAW_NAME_CASES = [
    ("依照行政诉讼法和民法典办理", [(2, "行政诉讼法"), (8, "民法典")]),
    ("修订人民检察院组织法", [(2, "人民检察院组织法")]),
    ("全国人民代表大会组织法", [(0, "全国人民代表大会组织法")]),
    ("执法规范化建设", []),
    ("行政处罚法行政许可法", [(0, "行政处罚法"), (5, "行政许可法")]),
    ("", []),
]


@pytest.mark.parametrize("text,expected", LAW_NAME_CASES)
def test_law_names_in(text, expected):
    from fzparse.extract import law_names_in
    assert law_names_in(text) == expected
