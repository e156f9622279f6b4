"""Document elements (发文字号, 标题, 文种, 主送, 成文日期, 署名) from small text notices.

Each case is a short invented notice written to tmp_path; expectations follow
/work/shared/eval/ANNOTATION.md (metadata) and CONTRACT.md."""
from __future__ import annotations

import pytest

from support import parse_text


def notice(number_line: str = "澜府发〔2024〕3号",
           title: str = "澜州市人民政府关于做好2024年安全生产工作的通知",
           recipients: str = "各区县人民政府，市政府各部门：",
           body: str = "为切实做好全年安全生产工作，现就有关事项通知如下。请各单位认真贯彻落实。",
           signer: str = "澜州市人民政府",
           date: str = "2024年3月5日") -> str:
    lines = [title, number_line, recipients, body, signer, date]
    return "\n".join(x for x in lines if x) + "\n"


# ----------------------------------------------------------------------------- 发文字号

DOC_NUMBER_CASES = [
    # printed line, canonical text, agency code, year, serial
    ("澜府发〔2024〕3号", "澜府发〔2024〕3号", "澜府发", 2024, 3),
    ("澜府办发〔2024〕12号", "澜府办发〔2024〕12号", "澜府办发", 2024, 12),
    ("澜府发[2024]3号", "澜府发〔2024〕3号", "澜府发", 2024, 3),
    ("澜府发［2024］3号", "澜府发〔2024〕3号", "澜府发", 2024, 3),
    ("澜府发【2024】3号", "澜府发〔2024〕3号", "澜府发", 2024, 3),
    ("澜府发（2024）3号", "澜府发〔2024〕3号", "澜府发", 2024, 3),
    ("澜府发(2024)3号", "澜府发〔2024〕3号", "澜府发", 2024, 3),
    ("澜府发 [ 2024 ] 3 号", "澜府发〔2024〕3号", "澜府发", 2024, 3),
    ("澜府发　〔2024〕　3号", "澜府发〔2024〕3号", "澜府发", 2024, 3),
    ("澜教发〔2023〕105号", "澜教发〔2023〕105号", "澜教发", 2023, 105),
    ("澜府发〔2024〕3号　　签发人：王某某", "澜府发〔2024〕3号", "澜府发", 2024, 3),
    ("（澜府发〔2024〕3号）", "澜府发〔2024〕3号", "澜府发", 2024, 3),
]


@pytest.mark.parametrize("printed,text,code,year,serial", DOC_NUMBER_CASES)
def test_doc_number_forms(tmp_path, printed, text, code, year, serial):
    doc = parse_text(tmp_path, notice(number_line=printed))
    assert doc.doc_number is not None, printed
    assert (doc.doc_number.text, doc.doc_number.agency_code, doc.doc_number.year, doc.doc_number.serial) == \
        (text, code, year, serial)


ORDER_TEXT = """中华人民共和国国务院令
第706号
《澜州地区水文监测条例》已经2018年11月28日国务院第31次常务会议通过，现予公布，自2019年1月1日起施行。
总理 王某某
2018年12月23日
澜州地区水文监测条例
第一条 为了加强水文监测管理，制定本条例。
第二条 本条例适用于澜州地区的水文监测活动。
"""


def test_order_number_split_over_two_lines(tmp_path):
    doc = parse_text(tmp_path, ORDER_TEXT)
    assert doc.doc_number is not None
    assert doc.doc_number.text.endswith("国务院令第706号")
    assert doc.doc_number.serial == 706
    assert doc.doc_number.year is None


def test_doc_number_cited_in_prose_is_not_the_notice_number(tmp_path):
    text = notice(number_line="", body="根据《澜州市安全生产条例》（澜府发〔2019〕7号）要求，现就有关事项通知如下。")
    doc = parse_text(tmp_path, text)
    assert doc.doc_number is None


# ----------------------------------------------------------------------------- 标题 and 文种

TITLE_CASES = [
    # title lines as printed, joined title
    ("澜州市人民政府办公厅\n关于印发2024年全市数字政府建设\n工作要点的通知",
     "澜州市人民政府办公厅关于印发2024年全市数字政府建设工作要点的通知"),
    ("澜州市人民政府关于印发2024年全市\n数字政府建设工作要点的通知",
     "澜州市人民政府关于印发2024年全市数字政府建设工作要点的通知"),
    ("澜州市人民政府\n关于加快发展银发经济的实施意见",
     "澜州市人民政府关于加快发展银发经济的实施意见"),
    ("澜州市人民政府关于做好2024年安全生产工作的通知",
     "澜州市人民政府关于做好2024年安全生产工作的通知"),
]


@pytest.mark.parametrize("printed,expected", TITLE_CASES)
def test_title_joined_with_issuer(tmp_path, printed, expected):
    doc = parse_text(tmp_path, notice(title=printed))
    assert doc.title == expected
    assert doc.issuer in ("澜州市人民政府", "澜州市人民政府办公厅")


DOC_TYPE_CASES = [
    ("澜州市人民政府关于推进城市更新的指导意见", "意见"),
    ("澜州市人民政府关于加快发展银发经济的实施意见", "意见"),
    ("澜州市人民政府办公厅关于同意举办2024年农民丰收节活动的复函", "函"),
    ("澜州市人民政府关于做好2024年安全生产工作的通知", "通知"),
    ("澜州市人民政府关于同意设立东湖生态农业示范园区的批复", "批复"),
    ("澜州市人民政府关于表彰2023年度安全生产先进单位的决定", "决定"),
    ("澜州市自然资源和规划局关于中心城区控制性详细规划草案公示的公告", "公告"),
    ("澜州市人民政府关于开展第三次全市经济普查的通告", "通告"),
]


@pytest.mark.parametrize("title,kind", DOC_TYPE_CASES)
def test_doc_type_from_title(tmp_path, title, kind):
    doc = parse_text(tmp_path, notice(title=title))
    assert doc.title == title
    assert doc.doc_type == kind


# ----------------------------------------------------------------------------- 主送

RECIPIENT_CASES = [
    ("各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
     ["各省、自治区、直辖市人民政府", "国务院各部委、各直属机构"]),
    ("各区县人民政府，市政府各部门，有关单位：", ["各区县人民政府", "市政府各部门", "有关单位"]),
    ("各区县人民政府；市政府各部门；有关单位：", ["各区县人民政府", "市政府各部门", "有关单位"]),
    ("各区县(自治县)人民政府,市政府各部门,有关单位:", ["各区县(自治县)人民政府", "市政府各部门", "有关单位"]),
    ("各乡镇人民政府、街道办事处，县政府各部门：", ["各乡镇人民政府、街道办事处", "县政府各部门"]),
    ("市农业农村局：", ["市农业农村局"]),
]


@pytest.mark.parametrize("line,expected", RECIPIENT_CASES)
def test_recipients_split_at_comma_and_semicolon_only(tmp_path, line, expected):
    doc = parse_text(tmp_path, notice(recipients=line))
    assert doc.recipients == expected


# ----------------------------------------------------------------------------- 成文日期

DATE_CASES = [
    ("2024年3月5日", "2024-03-05"),
    ("2024年12月26日", "2024-12-26"),
    ("二〇二四年三月五日", "2024-03-05"),
    ("二〇二四年十二月二十六日", "2024-12-26"),
    ("二\u25cb一二年一月九日", "2012-01-09"),      # ○ WHITE CIRCLE, as many PDFs print 〇
    ("二〇二三年十月三十一日", "2023-10-31"),
    ("2024-03-05", "2024-03-05"),
]


@pytest.mark.parametrize("printed,iso", DATE_CASES)
def test_date_forms(tmp_path, printed, iso):
    doc = parse_text(tmp_path, notice(date=printed))
    assert doc.date == iso
    assert doc.date_printed == printed


def test_date_in_body_is_not_the_date(tmp_path):
    body = "请各单位于2024年4月30日前报送工作进展情况。"
    doc = parse_text(tmp_path, notice(body=body, date="2024年3月5日"))
    assert doc.date == "2024-03-05"


# ----------------------------------------------------------------------------- 署名

SIGNER_CASES = [
    ("澜州市人民政府", ["澜州市人民政府"], "澜州市人民政府"),
    ("澜州市人民政府办公厅", ["澜州市人民政府办公厅"], "澜州市人民政府办公厅"),
    ("澜州市教育局　　澜州市财政局", ["澜州市教育局", "澜州市财政局"], "澜州市教育局、澜州市财政局"),
    ("澜州市教育局\n澜州市财政局", ["澜州市教育局", "澜州市财政局"], "澜州市教育局、澜州市财政局"),
]


@pytest.mark.parametrize("signer,names,issuer", SIGNER_CASES)
def test_signers(tmp_path, signer, names, issuer):
    doc = parse_text(tmp_path, notice(signer=signer))
    assert doc.signers == names
    assert doc.issuer == issuer


def test_gonggao_without_number_and_recipients(tmp_path):
    text = ("澜州市自然资源和规划局\n关于中心城区控制性详细规划草案公示的公告\n"
            "现将中心城区控制性详细规划草案予以公示，公示时间为2024年8月1日至2024年8月30日。\n"
            "公众可在公示期间提出意见和建议。\n特此公告。\n澜州市自然资源和规划局\n2024年7月25日\n")
    doc = parse_text(tmp_path, text)
    assert doc.is_gongwen
    assert doc.doc_number is None
    assert doc.recipients == []
    assert doc.title == "澜州市自然资源和规划局关于中心城区控制性详细规划草案公示的公告"
    assert doc.doc_type == "公告"
    assert doc.date == "2024-07-25"


# ----------------------------------------------------------------------------- not a 公文

STANDARD_TEXT = """政务服务事项编码规则
1 范围
本文件规定了政务服务事项编码的结构、规则和管理要求。
本文件适用于全市各级政务服务机构的事项编码工作。
2 规范性引用文件
下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。
GB/T 7027 信息分类和编码的基本原则与方法
3 术语和定义
3.1 政务服务事项
依法由行政机关办理的服务事项。
3.2 编码
赋予事项的唯一标识代码。
4 编码结构
编码由地区代码、部门代码和事项序号组成，共20位。
发布日期：2024-03-05
"""

SYLLABUS_TEXT = """数据结构课程教学大纲
课程编号：CS2031
学分：3
适用专业：计算机科学与技术
一、课程性质与目标
本课程是计算机类专业的核心基础课，依据《普通高等学校本科专业类教学质量国家标准》（教高〔2018〕2号）开设。
二、教学内容与学时分配
第1周 线性表的顺序存储
第2周 链表
三、考核方式
平时成绩占40%，期末考试占60%。
2024年9月1日
"""


@pytest.mark.parametrize("text", [STANDARD_TEXT, SYLLABUS_TEXT], ids=["standard", "syllabus"])
def test_not_gongwen_gives_empty_elements(tmp_path, text):
    doc = parse_text(tmp_path, text)
    assert doc.is_gongwen is False
    assert doc.not_gongwen_reason
    assert doc.doc_number is None
    assert doc.title is None
    assert doc.date is None
    assert doc.recipients == []
    assert doc.signers == []
    assert doc.issuer is None
