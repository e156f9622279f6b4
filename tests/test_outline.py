"""The outline: heading styles, nesting in any order, run-on numbers, numbers from labels,
node titles, what is not a node, and stable ids (ANNOTATION.md "Outline")."""
from __future__ import annotations

import pytest

import fzparse
from support import notice, parse_text


def shape(doc):
    return [(n.path, n.label, n.title) for n in doc.nodes()]


# ----------------------------------------------------------------------------- heading styles

STYLE_CASES = [
    # label 1, label 2 (each heading is run-in: title。text)
    ("一、", "二、"),
    ("（一）", "（二）"),
    ("(一)", "(二)"),
    ("1.", "2."),
    ("1．", "2．"),
    ("1、", "2、"),
    ("（1）", "（2）"),
    ("(1)", "(2)"),
    ("①", "②"),
    ("㈠", "㈡"),
]


@pytest.mark.parametrize("first,second", STYLE_CASES)
def test_each_heading_style_opens_nodes(tmp_path, first, second):
    body = (f"{first}加强组织领导。各单位要成立工作专班，明确责任分工。\n"
            f"{second}强化督促检查。市政府督查室要定期通报工作进展。\n")
    doc = parse_text(tmp_path, notice(body))
    assert shape(doc) == [((1,), first, "加强组织领导"), ((2,), second, "强化督促检查")]
    assert doc.outline[0].number == 1 and doc.outline[1].number == 2


@pytest.mark.parametrize("first,second", [("第一部分", "第二部分"), ("第一章", "第二章")])
def test_part_and_chapter_headings(tmp_path, first, second):
    body = (f"{first} 总体要求\n坚持稳中求进工作总基调，推动高质量发展。\n"
            f"{second} 主要任务\n加快构建现代化产业体系。\n")
    doc = parse_text(tmp_path, notice(body))
    assert [(n.path, n.label, n.title) for n in doc.nodes()] == \
        [((1,), first, "总体要求"), ((2,), second, "主要任务")]


@pytest.mark.parametrize("variants", [("（一）", "(一)"), ("1.", "1．", "1、"), ("（1）", "(1)")])
def test_full_and_half_width_labels_are_one_style(tmp_path, variants):
    styles = set()
    for n, label in enumerate(variants):
        doc = parse_text(tmp_path, notice(f"{label}加强组织领导。各单位要落实责任。\n"), name=f"v{n}.txt")
        assert len(doc.outline) == 1, label
        styles.add(doc.outline[0].style)
    assert len(styles) == 1


# ----------------------------------------------------------------------------- nesting

NESTING_CASES = [
    # 一、 then 1. directly, no （一） level
    ("一、总体要求\n1.坚持问题导向。聚焦突出问题。\n2.坚持系统观念。统筹推进。\n二、主要任务\n1.深化改革。持续推进。\n",
     [(1,), (1, 1), (1, 2), (2,), (2, 1)]),
    # the usual 一、 （一） 1. （1）
    ("一、重点任务\n（一）推进改革\n1.深化审批改革。压减时限。\n（1）推行并联审批。提高效率。\n（2）推行容缺受理。方便群众。\n"
     "2.加强事中监管。强化检查。\n（二）优化服务\n二、保障措施\n",
     [(1,), (1, 1), (1, 1, 1), (1, 1, 1, 1), (1, 1, 1, 2), (1, 1, 2), (1, 2), (2,)]),
    # 1. on top, （一） under it
    ("1.总体要求\n（一）指导思想。坚持以人民为中心。\n（二）工作目标。年底前全面完成。\n2.主要任务\n（一）完善制度。健全规则。\n",
     [(1,), (1, 1), (1, 2), (2,), (2, 1)]),
    # （一） then ①
    ("（一）完善服务网络\n①建设社区服务站。年内建成20个。\n②建设乡镇服务中心。年内建成5个。\n（二）提升服务质量\n①开展培训。每年两次。\n",
     [(1,), (1, 1), (1, 2), (2,), (2, 1)]),
    # 第一部分 / 第一章 / 一、
    ("第一部分 总体要求\n第一章 指导思想\n一、坚持党的领导。把党的领导贯穿全过程。\n二、坚持人民至上。\n第二章 规划目标\n"
     "第二部分 主要任务\n第三章 产业发展\n",
     [(1,), (1, 1), (1, 1, 1), (1, 1, 2), (1, 2), (2,), (2, 3)]),
]


@pytest.mark.parametrize("body,paths", NESTING_CASES)
def test_any_nesting_order(tmp_path, body, paths):
    doc = parse_text(tmp_path, notice(body))
    assert [n.path for n in doc.nodes()] == paths


RUN_ON_CASES = [
    ("一、强化基础\n（一）建设云平台。统一规划。\n（二）共享数据。按需共享。\n二、提升服务\n（三）深化网办。全程网办。\n（四）推进免证。免于提交。\n",
     [(1,), (1, 1), (1, 2), (2,), (2, 3), (2, 4)]),
    ("（一）抓好学法用法\n1.推动领导干部学法。每年4次。\n2.加强青少年教育。全覆盖。\n3.开展企业学法。建立顾问制度。\n"
     "（二）丰富宣传载体\n4.建设法治阵地。每镇一个。\n5.发挥新媒体作用。推送200条。\n",
     [(1,), (1, 1), (1, 2), (1, 3), (2,), (2, 4), (2, 5)]),
]


@pytest.mark.parametrize("body,paths", RUN_ON_CASES)
def test_run_on_numbering_keeps_printed_numbers(tmp_path, body, paths):
    doc = parse_text(tmp_path, notice(body))
    assert [n.path for n in doc.nodes()] == paths


CN_NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五",
               "十六", "十七", "十八", "十九", "二十", "二十一", "二十二", "二十三", "二十四"]


@pytest.mark.parametrize("template", ["{}、", "（{}）", "({})"])
def test_node_number_from_label(tmp_path, template):
    body = "".join(f"{template.format(cn)}推进第{k}项工作。按计划完成。\n" for k, cn in enumerate(CN_NUMERALS, 1))
    doc = parse_text(tmp_path, notice(body))
    assert [n.number for n in doc.outline] == list(range(1, 25))
    assert doc.outline[23].label == template.format("二十四")
    assert doc.outline[23].path == (24,)


def test_run_on_cn_paren_numbers_from_labels(tmp_path):
    body = "一、第一方面\n" + "".join(f"（{cn}）任务{cn}。内容。\n" for cn in CN_NUMERALS[:12]) + \
        "二、第二方面\n" + "".join(f"（{cn}）任务{cn}。内容。\n" for cn in CN_NUMERALS[12:])
    doc = parse_text(tmp_path, notice(body))
    assert [c.number for c in doc.outline[1].children] == list(range(13, 25))
    assert doc.outline[1].children[-1].path == (2, 24)


# ----------------------------------------------------------------------------- titles

TITLE_CASES = [
    # run-in: the text before the first 。
    ("（一）深入学习贯彻法治思想。加强学习宣传，推动形成一批研究成果。", "深入学习贯彻法治思想"),
    ("（一）深化“放管服”改革，优化营商环境。持续压减审批时限。（牵头单位：市发展改革委）", "深化“放管服”改革，优化营商环境"),
    # alone on its line: the whole line without trailing punctuation
    ("（一）深学笃用法治思想，统筹谋划推进法治政府建设", "深学笃用法治思想，统筹谋划推进法治政府建设"),
    ("（一）主要任务：", "主要任务"),
    # run-in without 。: up to the trailing unit parenthetical
    ("（一）推进数据共享（市大数据局负责）", "推进数据共享"),
    ("（一）建设协同办公平台（牵头单位：市政府办公厅；配合单位：市大数据局）", "建设协同办公平台"),
    # a parenthetical that is part of the title stays
    ("（一）制定生态环境保护规划（2024—2028年）", "制定生态环境保护规划（2024—2028年）"),
]


@pytest.mark.parametrize("line,title", TITLE_CASES)
def test_node_title_rules(tmp_path, line, title):
    doc = parse_text(tmp_path, notice(line + "\n（二）强化保障。加强督查。\n"))
    assert doc.outline[0].title == title


# ----------------------------------------------------------------------------- not nodes

def test_prose_list_mid_paragraph_is_not_a_node(tmp_path):
    body = ("一、加强医疗服务\n到2025年，二、三级医院全部设立老年医学科。\n二、强化保障措施\n加大投入。\n")
    doc = parse_text(tmp_path, notice(body))
    assert shape(doc) == [((1,), "一、", "加强医疗服务"), ((2,), "二、", "强化保障措施")]


def test_prose_list_at_paragraph_start_is_not_a_node(tmp_path):
    body = ("一、加强医疗服务\n（一）提升服务能力。加强老年医学学科建设。\n"
            "二、三级医院要在2025年前全部设立老年医学科，其他医院要开设老年人就医绿色通道。\n"
            "（二）扩大服务供给。发展家庭病床。\n二、强化保障措施\n加大财政投入。\n")
    doc = parse_text(tmp_path, notice(body))
    assert [(n.path, n.title) for n in doc.nodes()] == \
        [((1,), "加强医疗服务"), ((1, 1), "提升服务能力"), ((1, 2), "扩大服务供给"), ((2,), "强化保障措施")]


def test_attachment_list_lines_are_not_nodes(tmp_path):
    text = ("澜州市人民政府办公厅关于报送2024年重点项目的通知\n澜府办发〔2024〕9号\n各区县人民政府，市政府各部门：\n"
            "请各单位按要求填报重点项目信息，于4月30日前报送市发展改革委。\n"
            "附件：1.澜州市2024年重点项目清单\n2.澜州市2024年重点项目责任分工表\n3.填报说明\n"
            "澜州市人民政府办公厅\n2024年3月5日\n")
    doc = parse_text(tmp_path, text)
    assert doc.outline == []
    assert doc.attachments == ["澜州市2024年重点项目清单", "澜州市2024年重点项目责任分工表", "填报说明"]


def test_attachment_list_after_an_outline(tmp_path):
    body = ("一、填报范围。全市计划投资5000万元以上项目。\n二、填报要求。于4月30日前报送。\n"
            "附件：1.澜州市2024年重点项目清单\n2.填报说明\n")
    doc = parse_text(tmp_path, notice(body))
    assert [(n.path, n.title) for n in doc.nodes()] == [((1,), "填报范围"), ((2,), "填报要求")]


def test_notice_own_lines_are_not_nodes(tmp_path):
    text = ("澜州市人民政府办公厅\n关于印发2024年全市数字政府建设\n工作要点的通知\n澜府办发〔2024〕12号\n"
            "各区县人民政府，市政府各部门：\n《2024年全市数字政府建设工作要点》已经市政府同意，现印发给你们，请认真贯彻落实。\n"
            "澜州市人民政府办公厅\n2024年3月5日\n2024年全市数字政府建设工作要点\n"
            "2024年全市数字政府建设的总体要求是：统筹推进政务服务数字化。\n"
            "一、夯实基础支撑\n（一）建设政务云平台。统一规划。（牵头单位：市大数据局）\n二、提升服务水平\n（二）深化一网通办。全程网办。（牵头单位：市政务服务中心）\n"
            "全市各级各部门要加强组织领导，确保各项任务落地见效。\n")
    doc = parse_text(tmp_path, text)
    assert [(n.path, n.title) for n in doc.nodes()] == \
        [((1,), "夯实基础支撑"), ((1, 1), "建设政务云平台"), ((2,), "提升服务水平"), ((2, 2), "深化一网通办")]
    assert doc.enclosed_title == "2024年全市数字政府建设工作要点"
    assert doc.preamble and doc.preamble.startswith("2024年全市数字政府建设的总体要求是")
    assert doc.closing and doc.closing.startswith("全市各级各部门要加强组织领导")
    assert "全市各级各部门" not in doc.outline[-1].children[-1].text


def test_articles_are_not_nodes(tmp_path):
    body = "第一条 为了规范管理，制定本办法。\n第二条 本办法适用于全市。\n"
    doc = parse_text(tmp_path, notice(body))
    assert doc.outline == []


# ----------------------------------------------------------------------------- ids

def test_node_ids_are_stable_and_unique(tmp_path):
    body = NESTING_CASES[1][0]
    path = tmp_path / "lz-2024-3.txt"
    path.write_text(notice(body), encoding="utf-8")
    first = [n.id for n in fzparse.parse(path).nodes()]
    second = [n.id for n in fzparse.parse(path).nodes()]
    assert first == second
    assert len(set(first)) == len(first)
    assert all(i.startswith("lz-2024-3") for i in first)


# ----------------------------------------------------------------------------- several enclosed plans

PLANS_HEAD = """澜州市人民政府办公室关于印发澜州市2024年民生实事项目和重点任务清单的通知
澜府办〔2024〕3号
各区县人民政府，市政府各部门：
经市政府同意，现将《澜州市2024年民生实事项目》《澜州市2024年重点任务清单》印发给你们，请认真抓好落实。
附件：1.澜州市2024年民生实事项目
2.澜州市2024年重点任务清单
3.澜州市2024年试点单位名单
澜州市人民政府办公室
2024年1月20日
附件1
澜州市2024年民生实事项目
一、新增养老床位1000张。（市民政局负责）
二、改造老旧小区50个。（市住房城乡建设局负责）
附件2
澜州市2024年重点任务清单
一、产业发展
（一）培育先进制造业集群。（市经济信息委牵头，各区县政府配合）
二、城市建设
（二）加快轨道交通建设。（市住房城乡建设局负责）
附件3
澜州市2024年试点单位名单
1.澜州市第一中学
2.澜州市实验小学
"""


@pytest.mark.parametrize("text", [PLANS_HEAD, PLANS_HEAD.replace("附件2\n澜州市2024年重点任务清单", "附件2澜州市2024年重点任务清单")],
                         ids=["head-alone", "head-run-in"])
def test_a_further_attachment_that_is_a_plan_has_its_nodes(tmp_path, text):
    path = tmp_path / "lz-2024-plans.txt"
    path.write_text(text, encoding="utf-8")
    doc = fzparse.parse(path)
    got = [(n.id.split("#")[1], n.path, n.title, [(u.name, u.role) for u in n.units]) for n in doc.nodes()]
    assert got == [
        ("1", (1,), "新增养老床位1000张", [("市民政局", "responsible")]),
        ("2", (2,), "改造老旧小区50个", [("市住房城乡建设局", "responsible")]),
        # 附件2: numbered as printed, its ids apart
        ("A2:1", (1,), "产业发展", []),
        ("A2:1.1", (1, 1), "培育先进制造业集群", [("市经济信息委", "lead"), ("各区县政府", "support")]),
        ("A2:2", (2,), "城市建设", []),
        ("A2:2.2", (2, 2), "加快轨道交通建设", [("市住房城乡建设局", "responsible")]),
        # 附件3 is a list, not a plan: no nodes
    ]


# ----------------------------------------------------------------------------- the sample notices in corpus/

CORPUS = __import__("pathlib").Path(__file__).resolve().parents[1] / "corpus"

CORPUS_OUTLINES = {
    "lzx-2024-3-zhifa.txt": [
        ((1,), "一、", "重点任务"), ((1, 1), "（一）", "抓好重点对象学法用法"),
        ((1, 1, 1), "1.", "推动领导干部学法"), ((1, 1, 2), "2.", "加强青少年法治教育"),
        ((1, 1, 2, 1), "（1）", "配齐法治副校长"), ((1, 1, 2, 2), "（2）", "开展法治主题活动"),
        ((1, 1, 2, 2, 1), "①", "组织“宪法进校园”活动"), ((1, 1, 2, 2, 2), "②", "开展模拟法庭比赛"),
        ((1, 1, 3), "3.", "开展企业经营管理人员学法"), ((1, 2), "（二）", "丰富普法宣传载体"),
        ((1, 2, 4), "4.", "建设法治文化阵地"), ((1, 2, 5), "5.", "发挥新媒体普法作用"),
        ((2,), "二、", "保障措施"), ((2, 1), "（一）", "加强组织领导"), ((2, 2), "（二）", "强化考核评估")],
    "lz-2024-5-guihua.txt": [
        ((1,), "第一部分", "总体要求"), ((1, 1), "第一章", "指导思想"), ((1, 2), "第二章", "规划目标"),
        ((2,), "第二部分", "主要任务"), ((2, 3), "第三章", "持续改善大气环境质量"),
        ((2, 4), "第四章", "着力提升水环境质量"), ((3,), "第三部分", "保障措施"), ((3, 5), "第五章", "加强组织实施")],
    "lz-2024-21-pifu.txt": [],
    "lz-2024-gonggao.txt": [],
}


@pytest.mark.parametrize("name", sorted(CORPUS_OUTLINES))
def test_corpus_sample_outlines(name):
    doc = fzparse.parse(CORPUS / name)
    assert shape(doc) == CORPUS_OUTLINES[name]


def test_corpus_yinfa_outline_closing():
    doc = fzparse.parse(CORPUS / "lz-2024-12-yinfa.txt")
    assert [n.path for n in doc.outline] == [(1,), (2,), (3,), (4,)]
    assert [c.number for c in doc.outline[1].children] == [4, 5]
    assert doc.preamble.startswith("2024年全市数字政府建设的总体要求是")
    assert doc.closing.startswith("全市各级各部门要把数字政府建设摆在重要位置")
