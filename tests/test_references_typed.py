"""Issue 4, references and prose: kinds and levels, aliases, self-references, statutes named
without 《》, deadlines in task text, prose assignments — on notices we write."""
from __future__ import annotations

import pytest

import fzparse
from fzparse.deadlines import deadlines_in_text, normalise_deadline
from fzparse.extract import classify_reference, prose_units, unbracketed_references
from fzparse.models import Paragraph, Reference

NOTICE = """澜州市人民政府办公厅
关于印发澜州市2024年法治政府建设工作要点的通知
澜府办发〔2024〕12号
各区县人民政府，市政府各部门：
《澜州市2024年法治政府建设工作要点》已经市政府同意，现印发给你们，请认真贯彻执行。
澜州市人民政府办公厅
2024年3月5日
澜州市2024年法治政府建设工作要点
为贯彻《中共中央 国务院关于加强法治政府建设的意见》（以下简称《意见》），制定本要点。
一、完善制度体系
（一）推进重点立法。落实《意见》要求，推动澜州市优化营商环境条例、澜州市物业管理条例等立法，6月底前完成立项论证。（牵头单位：市司法局；配合单位：市政府有关部门）
（二）规范执法行为。严格按照行政处罚法规定，落实《澜州市2024年法治政府建设工作要点》，按照国家有关规定做好行政执法工作。（市司法局负责）
（三）加强组织保障。市司法局为牵头单位，会同市财政局做好经费保障。
二、强化监督
（四）开展督察。2024年底前完成全面督察。市司法局要继续做好牵头工作，市政府有关部门要积极配合。
"""


@pytest.fixture(scope="module")
def doc(tmp_path_factory):
    path = tmp_path_factory.mktemp("typed") / "notice.txt"
    path.write_text(NOTICE, "utf-8")
    return fzparse.parse(path)


def node(doc, path):
    return next(n for n in doc.nodes() if n.path == path)


@pytest.mark.parametrize("title,kind,level", [
    ("中华人民共和国行政处罚法", "法律", "national"),
    ("行政诉讼法", "法律", "national"),
    ("专利代理条例", "行政法规", "national"),
    ("重庆市优化营商环境条例", "地方性法规", "provincial"),
    ("广东省社会救助条例", "地方性法规", "provincial"),
    ("重庆市实施〈中华人民共和国农村土地承包法〉办法", "地方性法规", "provincial"),
    ("广州市公共租赁住房管理办法", "地方政府规章", "municipal"),
    ("中国共产党纪律处分条例", "党内法规", "national"),
    ("国务院关于加强法治政府建设的意见", "规范性文件", "national"),
    ("2021年全市法治政府建设工作要点", "规划/纲要/方案/工作要点", None),
    ("重庆市法治政府建设实施方案(2021—2025年)", "规划/纲要/方案/工作要点", "provincial"),
    ("GB 3838-2002 地表水环境质量标准", "标准", None),
])
def test_reference_kind_and_level(title, kind, level):
    ref = Reference(title=title)
    classify_reference(ref)
    assert (ref.kind, ref.level) == (kind, level)


def test_alias_points_to_the_full_title(doc):
    refs = node(doc, (1, 1)).references
    alias = next(r for r in refs if r.title == "意见")
    assert alias.full_title == "中共中央 国务院关于加强法治政府建设的意见" and alias.method == "alias"
    assert alias.kind == "规范性文件"


def test_the_alias_in_its_own_definition_is_resolved(doc):
    # 为贯彻《…意见》（以下简称《意见》）: that 《意见》 is the same document
    alias = next(r for r in doc.references if r.title == "意见")
    assert alias.full_title == "中共中央 国务院关于加强法治政府建设的意见" and alias.method == "alias"


SHORT_TITLE_CASES = [
    # defined after the cited number, with a qualifier before the brackets
    ("根据《广东省人民政府办公厅关于印发广东省临时救助办法的通知》（粤府办〔2021〕4号，以下简称省《办法》）制定。"
     "一、落实省《办法》要求。", "办法", "广东省人民政府办公厅关于印发广东省临时救助办法的通知", False),
    # defined nowhere: kept as printed, its kind not guessed, flagged
    ("为做好相关工作，提出如下意见。一、贯彻《规划》要求。", "规划", None, True),
]


@pytest.mark.parametrize("text,title,full_title,flagged", SHORT_TITLE_CASES)
def test_short_titles(tmp_path, text, title, full_title, flagged):
    preamble, item = text.split("一、")
    path = tmp_path / "notice.txt"
    path.write_text("澜州市人民政府关于做好社会救助工作的通知\n澜府发〔2024〕5号\n各区县人民政府：\n"
                    f"{preamble}\n一、{item}\n二、加强督查。\n澜州市人民政府\n2024年3月5日\n", "utf-8")
    got = fzparse.parse(path)
    ref = next(r for r in node(got, (1,)).references if r.title == title)
    assert ref.full_title == full_title
    codes = [f.code for f in got.flags]
    assert ("unresolved-short-title" in codes) == flagged
    if flagged:
        assert ref.kind is None and ref.confidence < 1


def test_self_reference_to_the_enclosed_plan(doc):
    assert any(r.self_reference for r in doc.references)            # the covering text names the plan
    inner = next(r for r in node(doc, (1, 2)).references if r.title.startswith("澜州市2024年"))
    assert inner.self_reference
    assert not any(r.self_reference for r in node(doc, (1, 1)).references)


def test_statutes_named_without_brackets(doc):
    assert {(r.title, r.method) for r in node(doc, (1, 1)).references if not r.bracketed} == {
        ("澜州市优化营商环境条例", "pattern"), ("澜州市物业管理条例", "pattern")}
    law = next(r for r in node(doc, (1, 2)).references if not r.bracketed)
    assert (law.title, law.full_title, law.kind) == ("行政处罚法", "中华人民共和国行政处罚法", "法律")
    # 国家有关规定 names no rule
    assert not [r for r in node(doc, (1, 2)).references if "有关规定" in r.title]


@pytest.mark.parametrize("text,expected", [
    ("严格依照行政许可法和行政强制法实施。", ["行政许可法", "行政强制法"]),
    ("执行《中华人民共和国行政许可法》的规定。", []),                    # bracketed: not again
    ("依据中华人民共和国安全生产法开展检查。", ["中华人民共和国安全生产法"]),
    ("按照有关规定执行，完善考核评价办法。", []),
    ("推动执法规范化建设，依法行政。", []),
    ("严格落实建设工程消防设计审查验收管理暂行规定等要求。", ["建设工程消防设计审查验收管理暂行规定"]),
])
def test_unbracketed_names(text, expected):
    assert [r.title for r in unbracketed_references(Paragraph(index=0, text=text))] == expected


def test_prose_assignments_only_where_no_explicit_one(doc):
    assert {(u.name, u.role) for u in node(doc, (1, 3)).units} == {("市司法局", "lead")}
    assert all(not u.explicit and u.method == "prose" for u in node(doc, (1, 3)).units)
    assert {(u.name, u.role) for u in node(doc, (2, 4)).units} == {("市司法局", "lead"), ("市政府有关部门", "support")}
    # where the task is assigned explicitly, prose adds nothing
    assert all(u.explicit for u in node(doc, (1, 1)).units)


@pytest.mark.parametrize("text,expected", [
    ("由市教委牵头，抓紧制定方案。", [("市教委", "lead")]),
    ("市卫生健康委为牵头单位。", [("市卫生健康委", "lead")]),
    ("市医保局负责制定支付标准。", [("市医保局", "responsible")]),
    ("区县政府是本项工作的责任主体，要加强领导。", [("区县政府", "responsible")]),
    ("市牵头医院牵头、成员单位共同参与，组建中心。", [("市牵头医院", "lead"), ("成员单位", "support")]),
    ("各地区各部门要加强协同配合，以习近平新时代中国特色社会主义思想为指导。", []),
    ("本办法由市司法局负责解释。", []),
    ("建立由政府负责人牵头、相关部门参与的工作机制。", []),
    ("第五条 市财政局负责资金保障。", [("市财政局", "responsible")]),
    # 由X…，指导…: the agent of 由 carries on into the clauses without a subject of their own
    ("由各区卫生健康行政部门确定承担服务的医疗卫生机构，指导落实登记备案管理。", [("各区卫生健康行政部门", "guide")]),
    ("由市卫生健康委员会制定方案，并指导各区实施。", [("市卫生健康委员会", "guide")]),
    ("由市政府办公厅印发通知，指导各区落实。", [("市政府办公厅", "guide")]),
    ("由市人力社保局会同市财政局制定办法，负责组织实施。", [("市人力社保局", "responsible")]),
    ("由市教育局组织实施，各区配合做好相关工作。", []),           # 各区 is the subject of 配合
    ("由市财政局确定的补助标准，负责落实到位。", []),             # 由X确定的: it qualifies a noun
    ("由市教育局制定方案，各区教育局要指导学校实施。", []),        # a subject of its own ends the run
    # a subject read from inside a parenthetical that is no assignment: the name without its bracket
    ("（市财政局负责，按季度报送进展）", [("市财政局", "responsible")]),
])
def test_prose_patterns(text, expected):
    assert [(u.name, u.role) for u in prose_units(Paragraph(index=0, text=text))] == expected


def test_deadlines_in_task_text(doc):
    assert (node(doc, (1, 1)).deadline, node(doc, (1, 1)).deadline_date) == ("6月底前", "2024-06-30")
    assert (node(doc, (2, 4)).deadline, node(doc, (2, 4)).deadline_date) == ("2024年底前", "2024-12-31")


@pytest.mark.parametrize("text,iso", [
    ("2021年底前", "2021-12-31"), ("2022年6月底前", "2022-06-30"), ("2024年2月底", "2024-02-29"),
    ("2023年第一季度", "2023-03-31"), ("2023年上半年", "2023-06-30"), ("2025年12月31日前", "2025-12-31"),
    ("长期坚持", None), ("持续推进", None), ("２０２２年６月底前", "2022-06-30"),
])
def test_normalise_deadline(text, iso):
    assert normalise_deadline(text) == iso


# a limit without a year takes the year the plan is for, and names no date without one
@pytest.mark.parametrize("text,year,iso", [
    ("6月底前", 2024, "2024-06-30"), ("年底前", 2024, "2024-12-31"), ("第三季度", 2023, "2023-09-30"),
    ("上半年", 2023, "2023-06-30"), ("2022年6月底前", 2024, "2022-06-30"), ("长期坚持", 2024, None),
    ("6月底前", None, None), ("年底前", None, None),
])
def test_normalise_deadline_in_the_plans_year(text, year, iso):
    assert normalise_deadline(text, year) == iso


def test_deadline_without_a_year_needs_the_document_year():
    assert deadlines_in_text("9月底前完成。", None) == [("9月底前", None)]
    assert deadlines_in_text("9月底前完成。", 2023) == [("9月底前", "2023-09-30")]
