"""Units and roles: every convention of ANNOTATION.md "Assignments"."""
from __future__ import annotations

import pytest

import fzparse
from support import TAIL, node_at, notice, parse_text


def pairs(node):
    return [(u.name, u.role) for u in node.units]


TASK = "（一）加强统筹协调。建立联席会议制度，定期研究解决重大问题。"

# (text after the task sentence, expected (unit, role) pairs in printed order)
PAREN_CASES = [
    ("（牵头单位：市发展改革委；配合单位：市财政局、市商务局）",
     [("市发展改革委", "lead"), ("市财政局", "support"), ("市商务局", "support")]),
    ("（牵头单位:市发展改革委;配合单位:市财政局,市商务局）",
     [("市发展改革委", "lead"), ("市财政局", "support"), ("市商务局", "support")]),
    ("（牵头单位：市司法局，配合单位：市财政局）",
     [("市司法局", "lead"), ("市财政局", "support")]),
    ("（牵头单位：市发展改革委、市委党校〔澜州行政学院〕；配合单位：市政府有关部门和单位，各区县政府）",
     [("市发展改革委", "lead"), ("市委党校〔澜州行政学院〕", "lead"), ("市政府有关部门和单位", "support"),
      ("各区县政府", "support")]),
    ("（责任单位：市政府有关部门和单位，各区县政府）",
     [("市政府有关部门和单位", "responsible"), ("各区县政府", "responsible")]),
    ("（市卫生健康委牵头，市民政局、市医保局配合）",
     [("市卫生健康委", "lead"), ("市民政局", "support"), ("市医保局", "support")]),
    ("（市生态环境局牵头，市商务局参与）", [("市生态环境局", "lead"), ("市商务局", "support")]),
    ("（海关总署、财政部负责）", [("海关总署", "responsible"), ("财政部", "responsible")]),
    ("（市教育局、市财政局、市人力社保局负责）",
     [("市教育局", "responsible"), ("市财政局", "responsible"), ("市人力社保局", "responsible")]),
    ("（市卫生健康委会同市民政局负责）", [("市卫生健康委", "responsible"), ("市民政局", "support")]),
    ("（市教育局、市人力社保局等有关部门按职责分工负责）",
     [("市教育局", "responsible"), ("市人力社保局", "responsible"), ("有关部门", "responsible")]),
    ("（市教育局、市财政局等按职责分工负责）", [("市教育局", "responsible"), ("市财政局", "responsible")]),
    ("（文化和旅游部、体育总局负责）", [("文化和旅游部", "responsible"), ("体育总局", "responsible")]),
    ("（市文化和旅游局牵头，市工业和信息化局配合）", [("市文化和旅游局", "lead"), ("市工业和信息化局", "support")]),
    ("（市科技局指导，各区县政府负责）", [("市科技局", "guide"), ("各区县政府", "responsible")]),
    ("（市文化和旅游局、市体育局牵头负责）", [("市文化和旅游局", "lead"), ("市体育局", "lead")]),
    # a bare 等部门 adds nothing; what it is joined to does
    ("（国家发展改革委、财政部等部门和各地区按职责分工负责）",
     [("国家发展改革委", "responsible"), ("财政部", "responsible"), ("各地区", "responsible")]),
    ("（中央网信办、教育部等部门和各省级人民政府按职责分工负责）",
     [("中央网信办", "responsible"), ("教育部", "responsible"), ("各省级人民政府", "responsible")]),
    ("（市公安局、市交通局，各区县政府按职责分工落实）",
     [("市公安局", "responsible"), ("市交通局", "responsible"), ("各区县政府", "responsible")]),
    ("（市教育局、市人力社保局等有关部门和单位按照职责分工负责）",
     [("市教育局", "responsible"), ("市人力社保局", "responsible"), ("有关部门和单位", "responsible")]),
    ("（市发展改革委、市财政局分工负责）", [("市发展改革委", "responsible"), ("市财政局", "responsible")]),
    # the official in charge is no unit: his names are left out up to the next label
    ("（牵头领导：张三；牵头单位：市财政局）", [("市财政局", "lead")]),
    ("（牵头市领导：张三，李四；牵头单位：市财政局；配合单位：市税务局）",
     [("市财政局", "lead"), ("市税务局", "support")]),
    # a time limit written as a clause of its own
    ("（市财政局牵头负责，2023年6月底前完成）", [("市财政局", "lead")]),
    ("（市财政局、市税务局负责，长期坚持）", [("市财政局", "responsible"), ("市税务局", "responsible")]),
    # 【】 as some plans print the parenthetical
    ("【牵头单位：市文化旅游委；配合单位：市财政局】", [("市文化旅游委", "lead"), ("市财政局", "support")]),
]


@pytest.mark.parametrize("paren,expected", PAREN_CASES)
def test_parenthetical_assignments(tmp_path, paren, expected):
    doc = parse_text(tmp_path, notice(TASK + paren + "\n（二）强化督促检查。定期通报。\n"))
    assert pairs(node_at(doc, (1,))) == expected
    assert all(u.explicit for u in node_at(doc, (1,)).units)
    assert node_at(doc, (2,)).units == []


NOT_ASSIGNMENT_CASES = [
    "（一）扩大职业技能培训。全市职业院校（含技工院校）年培训10万人次。",
    "（一）促进残疾人就业。规模以上企业按比例安排残疾人就业（超过100人的企业达到15%）。",
    "（一）编制生态环境保护规划（2024—2028年）。年底前印发实施。",
    "（一）推进乡镇（街道）综合执法。整合乡镇（街道）执法力量。",
]


def test_time_limit_clause_is_the_nodes_deadline(tmp_path):
    doc = parse_text(tmp_path, notice(TASK + "（市财政局牵头负责，6月底前完成）\n"))
    node = node_at(doc, (1,))
    assert (node.deadline, node.deadline_date) == ("6月底前", "2024-06-30")       # the plan is for 2024


def test_bracketed_parenthetical_is_no_part_of_the_title(tmp_path):
    doc = parse_text(tmp_path, notice("（一）加强统筹协调【牵头单位：市发展改革委】\n（二）强化督促检查。定期通报。\n"))
    assert node_at(doc, (1,)).title == "加强统筹协调"
    assert pairs(node_at(doc, (1,))) == [("市发展改革委", "lead")]


def test_unit_with_a_verb_of_supervising_is_flagged_not_named(tmp_path):
    # 市政府办公室督办 is a unit and its verb; the parenthetical is flagged, not read into a name
    doc = parse_text(tmp_path, notice(TASK + "（市政府办公室督办，市统计局负责）\n"))
    assert not any("督办" in u.name for u in node_at(doc, (1,)).units)
    assert not any(u.explicit for u in node_at(doc, (1,)).units)
    assert "unparsed-assignment" in {f.code for f in doc.flags}


@pytest.mark.parametrize("line", NOT_ASSIGNMENT_CASES)
def test_parenthetical_that_is_no_assignment_gives_no_units(tmp_path, line):
    doc = parse_text(tmp_path, notice(line + "\n（二）强化督促检查。定期通报。\n"))
    assert node_at(doc, (1,)).units == []


LABELLED_CASES = [
    ("1.推动领导干部学法。落实集体学法制度。\n责任单位：县司法局、各有关部门\n2.加强青少年法治教育。配齐法治副校长。\n",
     [("县司法局", "responsible"), ("各有关部门", "responsible")]),
    ("1.推动领导干部学法。落实集体学法制度。\n牵头单位：县司法局\n配合单位：县教育局、县财政局\n2.加强青少年法治教育。配齐法治副校长。\n",
     [("县司法局", "lead"), ("县教育局", "support"), ("县财政局", "support")]),
    ("1.推动领导干部学法。落实集体学法制度。\n责任单位：县司法局；配合单位：县委组织部\n2.加强青少年法治教育。配齐法治副校长。\n",
     [("县司法局", "responsible"), ("县委组织部", "support")]),
]


@pytest.mark.parametrize("body,expected", LABELLED_CASES)
def test_labelled_lines_under_a_node(tmp_path, body, expected):
    doc = parse_text(tmp_path, notice(body))
    assert pairs(node_at(doc, (1,))) == expected
    assert node_at(doc, (2,)).units == []
    assert {u.method for u in node_at(doc, (1,)).units} == {"labelled"}


COLLECTIVE_CASES = [
    ("（牵头单位：市发展改革委；配合单位：市政府有关部门和单位，各区县政府）",
     {"市发展改革委": False, "市政府有关部门和单位": True, "各区县政府": True}),
    ("（市教育局、市人力社保局等有关部门按职责分工负责）",
     {"市教育局": False, "市人力社保局": False, "有关部门": True}),
    ("（责任单位：县司法局、各有关部门）", {"县司法局": False, "各有关部门": True}),
    ("（市民政局牵头，各乡镇人民政府配合）", {"市民政局": False, "各乡镇人民政府": True}),
]


@pytest.mark.parametrize("paren,expected", COLLECTIVE_CASES)
def test_collective_units_flagged(tmp_path, paren, expected):
    doc = parse_text(tmp_path, notice(TASK + paren + "\n"))
    assert {u.name: u.collective for u in node_at(doc, (1,)).units} == expected


def test_same_unit_two_roles_listed_once_per_role(tmp_path):
    body = ("（一）健全工作机制。完善联席会议制度。（市司法局牵头）开展专项督查，通报典型问题。"
            "（市政府督查室牵头，市司法局配合）\n"
            "（二）加强执法监督。完善监督制度。（市司法局负责）推行案卷评查。（市司法局负责）\n")
    doc = parse_text(tmp_path, notice(body))
    assert sorted(pairs(node_at(doc, (1,)))) == sorted([("市司法局", "lead"), ("市政府督查室", "lead"),
                                                       ("市司法局", "support")])
    assert pairs(node_at(doc, (2,))) == [("市司法局", "responsible")]


RULE_BODY = """一、重点任务
（一）完善助餐服务网络。布局老年助餐点。（市民政局、市财政局、市商务局负责，列第一位者为牵头单位，下同）
（二）加强老年人健康管理。建立健康档案。（市卫生健康委负责）
（三）扩大文体服务供给。场馆免费开放。（市文化和旅游局、市体育局牵头负责）
（四）推进医养结合。开展签约合作。（市卫生健康委会同市民政局负责）
（五）提升助餐服务质量。加强食品安全监管。（市市场监管局牵头，市民政局、市商务局配合）
（六）培养养老服务人才。给予培训补贴。（市人力社保局、市教育局等有关部门按职责分工负责）
（七）推进适老化改造。实施加装电梯工程。（市住房城乡建设局、市民政局、市残联负责）
"""

RULE_EXPECTED = {
    (1, 1): [("市民政局", "lead"), ("市财政局", "support"), ("市商务局", "support")],
    (1, 2): [("市卫生健康委", "lead")],
    (1, 3): [("市文化和旅游局", "lead"), ("市体育局", "lead")],
    (1, 4): [("市卫生健康委", "lead"), ("市民政局", "support")],
    (1, 5): [("市市场监管局", "lead"), ("市民政局", "support"), ("市商务局", "support")],
    (1, 6): [("市人力社保局", "lead"), ("市教育局", "support"), ("有关部门", "support")],
    (1, 7): [("市住房城乡建设局", "lead"), ("市民政局", "support"), ("市残联", "support")],
}


@pytest.mark.parametrize("path", sorted(RULE_EXPECTED))
def test_first_listed_rule_stated_once(tmp_path, path):
    doc = parse_text(tmp_path, notice(RULE_BODY))
    assert pairs(node_at(doc, path)) == RULE_EXPECTED[path]


@pytest.mark.parametrize("path", sorted(RULE_EXPECTED))
def test_without_the_rule_lists_stay_responsible(tmp_path, path):
    body = RULE_BODY.replace("，列第一位者为牵头单位，下同", "")
    doc = parse_text(tmp_path, notice(body))
    got = pairs(node_at(doc, path))
    expected = {
        (1, 1): [("市民政局", "responsible"), ("市财政局", "responsible"), ("市商务局", "responsible")],
        (1, 2): [("市卫生健康委", "responsible")],
        (1, 3): [("市文化和旅游局", "lead"), ("市体育局", "lead")],
        (1, 4): [("市卫生健康委", "responsible"), ("市民政局", "support")],
        (1, 5): [("市市场监管局", "lead"), ("市民政局", "support"), ("市商务局", "support")],
        (1, 6): [("市人力社保局", "responsible"), ("市教育局", "responsible"), ("有关部门", "responsible")],
        (1, 7): [("市住房城乡建设局", "responsible"), ("市民政局", "responsible"), ("市残联", "responsible")],
    }[path]
    assert got == expected


# Where the rule stands and what its sentence says decide which tasks it covers: a note after the
# list that says 以上 covers the tasks before it; a rule with 下同 (or 以下) those from it on; one
# that says neither, every task of the document.
SCOPE_ITEMS = ("一、扩大助餐服务。布局老年助餐点。（市民政局、市财政局负责）\n"
               "二、加强健康管理。建立健康档案。（市卫生健康委、市医保局负责）\n")
SCOPE_CASES = [
    ("rule-after-with-以上", SCOPE_ITEMS + "以上任务中，列第一位的为牵头单位，其他为配合单位。\n",
     [("市民政局", "lead"), ("市财政局", "support")], [("市卫生健康委", "lead"), ("市医保局", "support")]),
    ("rule-after-without-direction", SCOPE_ITEMS + "各项任务中列第一位者为牵头单位。\n",
     [("市民政局", "lead"), ("市财政局", "support")], [("市卫生健康委", "lead"), ("市医保局", "support")]),
    ("rule-in-second-item-with-下同", SCOPE_ITEMS.replace("市医保局负责）", "市医保局负责，列第一位者为牵头单位，下同）"),
     [("市民政局", "responsible"), ("市财政局", "responsible")],
     [("市卫生健康委", "lead"), ("市医保局", "support")]),
    ("rule-between-with-以下", SCOPE_ITEMS.replace("二、", "以下任务中列第一位者为牵头单位。\n二、"),
     [("市民政局", "responsible"), ("市财政局", "responsible")],
     [("市卫生健康委", "lead"), ("市医保局", "support")]),
    # 上述 that names no task (按照上述要求) does not turn the rule backwards: it stands in the
    # preamble and covers every task
    ("rule-in-preamble-with-上述要求", "为积极应对人口老龄化，按照上述要求，各项任务列第一位者为牵头单位。\n" + SCOPE_ITEMS,
     [("市民政局", "lead"), ("市财政局", "support")], [("市卫生健康委", "lead"), ("市医保局", "support")]),
]


@pytest.mark.parametrize("case,body,first,second", SCOPE_CASES, ids=[c[0] for c in SCOPE_CASES])
def test_first_listed_rule_scope(tmp_path, case, body, first, second):
    text = "澜州市人民政府关于加快发展银发经济的实施意见\n澜府发〔2024〕8号\n各区县人民政府，市政府各部门：\n" + body + TAIL
    doc = parse_text(tmp_path, text)
    assert pairs(node_at(doc, (1,))) == first
    assert pairs(node_at(doc, (2,))) == second


def test_rule_stated_in_preamble_other_wording(tmp_path):
    text = ("澜州市人民政府关于加快发展银发经济的实施意见\n澜府发〔2024〕8号\n各区县人民政府，市政府各部门：\n"
            "为积极应对人口老龄化，提出如下意见。各项任务的责任单位中，排在第一位的部门为牵头部门。\n"
            "一、扩大助餐服务。布局老年助餐点。（市民政局、市财政局负责）\n"
            "二、加强健康管理。建立健康档案。（市卫生健康委、市医保局负责）\n" + TAIL)
    doc = parse_text(tmp_path, text)
    assert pairs(node_at(doc, (1,))) == [("市民政局", "lead"), ("市财政局", "support")]
    assert pairs(node_at(doc, (2,))) == [("市卫生健康委", "lead"), ("市医保局", "support")]


def test_unit_in_heading_node_not_in_parent(tmp_path):
    body = ("一、重点任务\n（一）建设政务云平台。统一规划。（牵头单位：市大数据局）\n"
            "（二）深化一网通办。全程网办。（牵头单位：市政务服务中心）\n")
    doc = parse_text(tmp_path, notice(body))
    assert node_at(doc, (1,)).units == []
    assert pairs(node_at(doc, (1, 1))) == [("市大数据局", "lead")]
    assert pairs(node_at(doc, (1, 2))) == [("市政务服务中心", "lead")]


# ----------------------------------------------------------------------------- the sample notices in corpus/

CORPUS = __import__("pathlib").Path(__file__).resolve().parents[1] / "corpus"

CORPUS_UNITS = {
    ("lz-2024-8-yijian.txt", (1, 1)): [("市民政局", "lead"), ("市财政局", "support"), ("市商务局", "support")],
    ("lz-2024-8-yijian.txt", (1, 2)): [("市市场监管局", "lead"), ("市民政局", "support"), ("市商务局", "support")],
    ("lz-2024-8-yijian.txt", (2, 3)): [("市卫生健康委", "lead"), ("市民政局", "support")],
    ("lz-2024-8-yijian.txt", (2, 4)): [("市卫生健康委", "lead")],
    ("lz-2024-8-yijian.txt", (2, 5)): [("市人力社保局", "lead"), ("市教育局", "support"), ("有关部门", "support")],
    ("lz-2024-8-yijian.txt", (3, 6)): [("市文化和旅游局", "lead"), ("市体育局", "lead")],
    ("lz-2024-8-yijian.txt", (3, 7)): [("市教育局", "lead"), ("市老龄办", "support")],
    ("lz-2024-8-yijian.txt", (4,)): [],
    ("lzx-2024-3-zhifa.txt", (1, 1, 1)): [("县司法局", "responsible"), ("各有关部门", "responsible")],
    ("lzx-2024-3-zhifa.txt", (1, 1, 2)): [("县教育局", "responsible"), ("县司法局", "responsible")],
    ("lzx-2024-3-zhifa.txt", (1, 1, 2, 1)): [],
    ("lzx-2024-3-zhifa.txt", (1, 1, 3)): [],
    ("lzx-2024-3-zhifa.txt", (1, 2, 4)): [("各乡镇人民政府", "responsible")],
    ("lz-2024-12-yinfa.txt", (1, 1)): [("市发展改革委", "lead"), ("市委党校〔澜州行政学院〕", "lead"),
                                      ("市政府有关部门和单位", "support"), ("各区县政府", "support")],
    ("lz-2024-12-yinfa.txt", (3, 7)): [("市大数据局", "lead"), ("市民政局", "support"),
                                      ("市政府有关部门和单位", "support"), ("各区县政府", "support")],
    ("lz-2024-5-guihua.txt", (2, 3)): [("市生态环境局", "lead"), ("市工业和信息化局", "support"),
                                      ("市住房城乡建设局", "support")],
    ("lz-2024-5-guihua.txt", (2, 4)): [("市生态环境局", "responsible"), ("市水利局", "responsible")],
}


@pytest.mark.parametrize("name,path", sorted(CORPUS_UNITS))
def test_corpus_sample_units(name, path):
    doc = fzparse.parse(CORPUS / name)
    assert pairs(node_at(doc, path)) == CORPUS_UNITS[(name, path)]
