"""Pattern data: every regex, role word, heading style and 文种 the pipeline uses, by name.

Kept apart from the code that applies them (as eyecite keeps regexes.py apart) so that a rule
can be read, tested and extended without touching the stages. Nothing here names a particular
document, place or unit: these are the conventions of the 公文 kind (GB/T 9704-2012, the
党政机关公文处理工作条例) and of Chinese work-plan drafting.
"""
from __future__ import annotations

import regex as re

# ----------------------------------------------------------------------------- characters
# Zero-width and soft-hyphen characters: never text (a regex, not str.translate, which is slow on CJK text).
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")

# ----------------------------------------------------------------------------- numerals
CN_DIGITS = "零〇○一二三四五六七八九十百千两"
CN_NUM = f"[{CN_DIGITS}]+"
DATE_CN_DIGITS = "零〇○Ｏ0一二三四五六七八九"

# ----------------------------------------------------------------------------- 文种
# The 15 kinds of the 党政机关公文处理工作条例 (2012), 命令 also printed as 令.
DOC_TYPES = ("决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报", "报告",
             "请示", "批复", "议案", "函", "纪要")
# Title endings that name a kind through a longer word (longest first where they overlap).
DOC_TYPE_ENDINGS = (
    ("指导意见", "意见"), ("实施意见", "意见"), ("若干意见", "意见"), ("意见", "意见"),
    ("紧急通知", "通知"), ("补充通知", "通知"), ("通知", "通知"),
    ("复函", "函"), ("函", "函"), ("命令", "命令"), ("令", "命令"),
    ("决议", "决议"), ("决定", "决定"), ("公报", "公报"), ("公告", "公告"), ("通告", "通告"),
    ("通报", "通报"), ("报告", "报告"), ("请示", "请示"), ("批复", "批复"), ("议案", "议案"),
    ("纪要", "纪要"),
)
# Words that end a title line though they are not 文种 (答复 to a proposal, a regulation
# published on its own, an enclosed plan).
TITLE_ENDINGS_OTHER = ("答复", "条例", "办法", "规定", "细则", "规则", "方案", "要点", "规划", "纲要",
                       "计划", "目录", "名录", "清单", "标准", "指引", "守则", "章程")

# ----------------------------------------------------------------------------- 发文字号
# agency code + 〔year〕 + serial + 号, with every bracket printed in the wild, stray spaces,
# and the optional 第 before the serial.
OPEN_BRACKETS = "〔[［【（(「"
CLOSE_BRACKETS = "〕]］】）)」"
DOC_NUMBER = re.compile(
    r"(?P<code>[\p{Han}A-Za-z]{1,14}?(?:\s?[\p{Han}]{1,4})?)\s*"
    rf"[{re.escape(OPEN_BRACKETS)}]\s*(?P<year>(?:19|20)\d{{2}})\s*[{re.escape(CLOSE_BRACKETS)}]\s*"
    r"第?\s*(?P<serial>\d{1,5})\s*号"
)
# 国务院令第719号 / 中华人民共和国国务院令 第 719 号
ORDER_NUMBER = re.compile(r"(?P<code>[\p{Han}]{0,12}?令)\s*第\s*(?P<serial>\d{1,5})\s*号")
# Words that cannot be the start of an agency code (the number is being cited in a sentence).
DOC_NUMBER_CODE_STOP = re.compile(r"^(?:的|和|与|及|或|根据|按照|依据|经|号|文|印发|转发|关于)")

# ----------------------------------------------------------------------------- dates
DATE_ARABIC = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
DATE_CN = re.compile(rf"(?P<y>[{DATE_CN_DIGITS}]{{4}})\s*年\s*(?P<m>[{CN_DIGITS}]{{1,3}})\s*月\s*(?P<d>[{CN_DIGITS}]{{1,3}})\s*日")
DATE_ISO = re.compile(r"(?P<y>(?:19|20)\d{2})[-./](?P<m>\d{1,2})[-./](?P<d>\d{1,2})")
ANY_DATE = (DATE_ARABIC, DATE_CN, DATE_ISO)

# ----------------------------------------------------------------------------- headings
# (style key, pattern). A pattern matches at the start of a paragraph; group 'num' is the
# printed number, group 'label' the whole label. Full- and half-width forms are one style.
HEADING_STYLES: tuple[tuple[str, re.Pattern], ...] = (
    ("part", re.compile(rf"^(?P<label>第(?P<num>{CN_NUM})部分)[\s　:：]*")),
    ("chapter", re.compile(rf"^(?P<label>第(?P<num>{CN_NUM})章)[\s　:：]*")),
    ("section", re.compile(rf"^(?P<label>第(?P<num>{CN_NUM})节)[\s　:：]*")),
    ("cn_comma", re.compile(rf"^(?P<label>(?P<num>{CN_NUM})\s*[、，．.])(?!\d)\s*")),
    ("cn_paren", re.compile(rf"^(?P<label>[（(]\s*(?P<num>{CN_NUM})\s*[）)])[、.．]?\s*")),
    ("paren_ideograph", re.compile(r"^(?P<label>(?P<num>[㈠-㈩]))[、.．]?\s*")),
    ("arabic_dot", re.compile(r"^(?P<label>(?P<num>\d{1,3})\s*[.．、](?![\d.．]))\s*")),
    ("arabic_paren", re.compile(r"^(?P<label>[（(]\s*(?P<num>\d{1,3})\s*[）)])[、.．]?\s*")),
    ("circled", re.compile(r"^(?P<label>(?P<num>[①-⑳]))[、.．]?\s*")),
)
# How a line that ends a sentence (or a parenthetical, a title, a quotation) ends: a line ending
# otherwise was wrapped, and its sentence goes on in the next one.
SENTENCE_END = tuple("。；;：:！!？?）)》”\"")
ARTICLE = re.compile(rf"^第{CN_NUM}条")          # 第一条: an article, never an outline node
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
PAREN_IDEOGRAPHS = "㈠㈡㈢㈣㈤㈥㈦㈧㈨㈩"

# ----------------------------------------------------------------------------- regions
ATTACHMENT_NOTE = re.compile(r"^附\s*件\s*\d*\s*[:：]\s*(?P<rest>.*)$")   # 附件：1.… (附件说明)
ATTACHMENT_HEAD = re.compile(r"^附\s*件\s*(?P<num>\d{1,2}|[一二三四五六七八九十]{1,3})?\s*$")  # 附件1 (a section start)
ATTACHMENT_HEAD_RUNIN = re.compile(r"^附\s*件\s*(?P<num>\d{1,2})(?=[\p{Han}《])")             # 附件2关于…的任务分工表
CC_LINE = re.compile(r"^抄\s*送\s*[:：]\s*(?P<rest>.+)$")
PRINTED_LINE = re.compile(r"^(?P<by>[\p{Han}（）()]{2,40}?)\s*(?P<date>(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*印\s*发\s*$")
SIGNATORY = re.compile(r"签\s*发\s*人\s*[:：]\s*(?P<name>[\p{Han}·\s]{2,20})")
CLASSIFICATION = re.compile(r"^(?P<level>绝密|机密|秘密)(?:[★☆\s]*(?P<term>\d+\s*年|长期))?$")
URGENCY = re.compile(r"^(?P<level>特急|加急|特提|平急)$")
PUBLIC_NOTE = re.compile(r"^[（(]此件[^）)]{1,20}[）)]$")        # （此件公开发布）
BANTOU = re.compile(r"^(?P<issuer>.+?)\s*文\s*件$")             # 版头: 某某市人民政府办公厅文件
CONTACT_LINE = re.compile(r"^(?:[\p{Han}]{0,12}联系人|联系电话|联系方式|传\s*真|通讯地址|邮\s*编)[:：]")
# Text a covering notice uses to enclose a plan.
ENCLOSING_VERB = re.compile(r"(印发|转发|发布|颁布|公布)")

# ----------------------------------------------------------------------------- units
ROLE_LEAD, ROLE_SUPPORT, ROLE_GUIDE, ROLE_RESPONSIBLE = "lead", "support", "guide", "responsible"
ROLES = (ROLE_LEAD, ROLE_SUPPORT, ROLE_GUIDE, ROLE_RESPONSIBLE)

# Labels written before a unit list: 牵头单位：…；配合单位：…
UNIT_LABELS: dict[str, str] = {
    "牵头单位": ROLE_LEAD, "牵头部门": ROLE_LEAD, "牵头负责单位": ROLE_LEAD, "牵头负责部门": ROLE_LEAD,
    "主办单位": ROLE_LEAD, "牵头处室": ROLE_LEAD, "牵头": ROLE_LEAD,
    "配合单位": ROLE_SUPPORT, "配合部门": ROLE_SUPPORT, "协同配合单位": ROLE_SUPPORT, "协同单位": ROLE_SUPPORT,
    "协办单位": ROLE_SUPPORT, "参与单位": ROLE_SUPPORT, "参与部门": ROLE_SUPPORT, "协助单位": ROLE_SUPPORT,
    "相关单位": ROLE_SUPPORT, "配合处室": ROLE_SUPPORT, "配合": ROLE_SUPPORT,
    "责任单位": ROLE_RESPONSIBLE, "责任部门": ROLE_RESPONSIBLE, "负责单位": ROLE_RESPONSIBLE,
    "责任主体": ROLE_RESPONSIBLE, "实施单位": ROLE_RESPONSIBLE, "落实单位": ROLE_RESPONSIBLE,
    "指导单位": ROLE_GUIDE, "指导部门": ROLE_GUIDE,
}
UNIT_LABEL = re.compile(
    r"^(?P<label>" + "|".join(sorted(map(re.escape, UNIT_LABELS), key=len, reverse=True)) + r")\s*[:：]\s*(?P<rest>.*)$"
)
# A time limit written beside the units: 完成时限：2024年底前
DEADLINE_LABEL = re.compile(r"^(?:完成时限|完成时间|时间节点|时限要求|时限|完成期限)\s*[:：]\s*(?P<rest>.+)$")
# A time limit written as a clause of its own beside the units, without a label: （市财政局牵头负责，
# 2023年6月底前完成） / （…，长期坚持）.
DEADLINE_CLAUSE = re.compile(r"^(?P<rest>(?=\d)(?:(?:19|20)\d{2}年)?(?:\d{1,2}月)?(?:\d{1,2}日)?"
                             r"(?:底|末|年底|年末|上半年|下半年|第[一二三四]季度|内)?前?"
                             r"|(?:今年|本年|年底|年内|年末|上半年|下半年)前?|长期坚持|持续推进|持续开展|长期推进)"
                             r"(?:基本)?(?:完成|见效|取得成效)?$")
# A label naming the official in charge, not a unit: （牵头领导：张三；牵头单位：市财政局）. Its names,
# up to the next label, are no units.
PERSON_LABEL = re.compile(r"^(?:牵头|责任|分管|联系|包抓|督办)?(?:省|市|县|区)?(?:级)?(?:领导|负责人|责任人)(?:同志)?\s*[:：]")
# Where a label starts inside a run of labelled lists printed without a separator
# (牵头单位：A 配合单位：B): a separator is put back before it.
LABEL_START = re.compile(
    r"(?<=[^；;，,、\s（(])\s*(?=(?:" + "|".join(sorted(map(re.escape, UNIT_LABELS), key=len, reverse=True))
    + r"|完成时限|完成时间|时间节点)\s*[:：])"
)
# Role verbs written after a unit list: （A、B负责）（A牵头，B配合）. Longest first.
ROLE_VERBS: tuple[tuple[str, str], ...] = (
    ("按职责分工负责落实", ROLE_RESPONSIBLE), ("按职责分工负责", ROLE_RESPONSIBLE), ("按职责负责", ROLE_RESPONSIBLE),
    ("按照职责分工负责", ROLE_RESPONSIBLE), ("按职责分工抓好落实", ROLE_RESPONSIBLE), ("按职责分工落实", ROLE_RESPONSIBLE),
    ("按职责落实", ROLE_RESPONSIBLE), ("分工负责", ROLE_RESPONSIBLE),
    ("分别负责", ROLE_RESPONSIBLE), ("共同负责", ROLE_RESPONSIBLE), ("负责落实", ROLE_RESPONSIBLE),
    ("牵头负责", ROLE_LEAD), ("牵头落实", ROLE_LEAD), ("牵头", ROLE_LEAD),
    ("配合落实", ROLE_SUPPORT), ("配合", ROLE_SUPPORT), ("参与", ROLE_SUPPORT), ("协助", ROLE_SUPPORT),
    ("协同", ROLE_SUPPORT), ("指导落实", ROLE_GUIDE), ("指导", ROLE_GUIDE),
    ("负责", ROLE_RESPONSIBLE), ("落实", ROLE_RESPONSIBLE),
)
ROLE_OF_VERB = dict(ROLE_VERBS)
ROLE_VERB_ANY = re.compile("|".join(re.escape(v) for v, _ in ROLE_VERBS))
ROLE_VERB_TAIL = re.compile(
    r"^(?P<units>.*?)\s*(?P<verb>" + "|".join(re.escape(v) for v, _ in ROLE_VERBS) + r")$"
)
# 会同: A会同B负责 — A takes the role word, B supports.
HUITONG = re.compile(r"会同")
# A document's own positional rule: 列第一位者为牵头单位 / 排在第一位的部门为牵头部门.
FIRST_LISTED_RULE = re.compile(r"(?:列|排|放)(?:在)?(?:第一位|首位|第一)(?:的|者)?(?:部门|单位)?(?:者)?为牵头(?:单位|部门)")
# Which tasks the rule covers, from the words of its own sentence: those before it (以上任务中，列第一位的
# 为牵头单位, a note after the list), those from it on (…，列第一位者为牵头单位，下同; 以下各项), or, said
# without either, every task of the document.
# The words must name the tasks (以上任务, 上述各项): 按照上述要求 in a preamble points back at no task.
RULE_LOOKS_BACK = re.compile(r"(?:以上|上述|前述|上列)(?:各项|所列|所有)?(?:任务|工作|事项|措施|举措|分工|内容|各项)")
RULE_LOOKS_AHEAD = re.compile(r"(?:以下|下列)(?:各项|所列|所有)?(?:任务|工作|事项|措施|举措|分工|内容|各项)|下同|后同|以下同")
# A rule that a unit with no lead unit is the lead: 无牵头单位的，责任单位即为牵头单位
NO_LEAD_RULE = re.compile(r"无牵头(?:单位|部门)的[，,]?\s*(?:责任单位|责任部门)即为牵头(?:单位|部门)")
RULE_TAIL = re.compile(r"[，,]?\s*(?:下同|以下同|后同)$")
# 以下均需试点城市政府落实，不再列出: a unit responsible for everything that follows.
STANDING_NOTE = re.compile(r"以下(?:均需|均由|各项均由|均为)?(?P<unit>[\p{Han}]{2,20}?)(?:负责)?落实[，,]?\s*不再(?:一一)?列出")

# What a unit name ends with (bodies, offices, collectives). A name that ends otherwise is no unit.
UNIT_SUFFIXES = (
    "政府", "人民政府", "部门", "单位", "机构", "机关", "部", "委", "委员会", "局", "厅", "办", "办公室", "署", "院",
    "会", "行", "中心", "总社", "社", "校", "学校", "党校", "组", "小组", "室", "处", "所", "科", "站", "队", "团",
    "军", "区", "县", "市", "省", "州", "盟", "旗", "镇", "乡", "街道", "公司", "集团", "企业", "医院", "馆", "台",
    "协会", "联合会", "联", "法院", "检察院", "馆", "园", "司", "海关", "口岸", "基地", "平台", "组织", "各地",
    "班", "大学", "学院", "研究院", "研究所", "管委会", "工委", "纪委", "监委", "政协", "人大", "武警", "指挥部",
    "专班", "领导小组",
)
# A bracketed alias kept with its unit: 市委党校〔重庆行政学院〕
UNIT_ALIAS_TAIL = re.compile(r"[〔（(\[【][^〔〕（）()\[\]【】]{2,30}[〕）)\]】]$")
COLLECTIVE = re.compile(r"^(?:各|有关|相关|其他|其它|所属|地方各级)|(?:有关|相关|各)(?:部门|单位)|(?:成员单位|等单位)$")
# Characters that never stand in a unit name (a sentence, not a name).
NOT_IN_UNIT = re.compile(r"[，,。；;：:！？!?“”\"《》]|的|要|将|把|了|是|并")
# A name ending in a verb of supervising or handling is a unit and its verb (市政府办公室督办), no name.
UNIT_VERB_END = re.compile(r"(?:督办|督导|督促|承办|协办|主办|跟踪|调度)$")
# '等' closing a list: A、B等有关部门 → A, B, 有关部门; A、B等 → A, B.
# A、B等部门和各地区 → A, B, 各地区: a bare 等部门 adds nothing, what it is joined to does.
DENG_TAIL = re.compile(r"^(?P<head>.+?)等(?:(?:部门|单位|地方|地区)(?:和|及|以及))?"
                       r"(?:(?P<rest>(?:有关|相关|其他|其它|各)[\p{Han}]*)|部门|单位|地方|地区)?$")

# ----------------------------------------------------------------------------- references
TITLE_OPEN, TITLE_CLOSE = "《", "》"
INNER_OPEN, INNER_CLOSE = "〈", "〉"
CITED_NUMBER_AFTER = re.compile(
    r"\s*[（(]\s*(?P<num>[^（）()]{2,30}?[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d{1,5}\s*号"
    r"|[\p{Han}]{0,14}令\s*第\s*\d{1,5}\s*号)\s*[）)]")

# ----------------------------------------------------------------------------- furniture
# Whole-paragraph furniture from web pages, 北大法宝 exports and print layouts.
FURNITURE = (
    ("web", re.compile(r"^(?:您即将离开.*|扫一扫在手机打开当前页|打印本页|关闭窗口|\[?\s*打印\s*\]?|【\s*打印\s*】.*|"
                       r"【字体[:：].*|字体[:：]\s*大\s*中\s*小.*|分享到[:：]?.*|上一篇[:：].*|下一篇[:：].*|"
                       r"当前位置[:：].*|相关链接.*|附件下载[:：]?|浏览次数[:：].*|.*附件预览)$")),
    ("export-header", re.compile(r"^(?:【法宝引证码】.*|原文链接[:：].*|【发布部门】.*|【发文字号】.*|【发布日期】.*|"
                                 r"【实施日期】.*|【时效性】.*|【效力级别】.*|【法规类别】.*)$")),
    ("page-number", re.compile(r"^(?:[—–－\-]\s*\d{1,4}\s*[—–－\-]|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?|"
                               r"\d{1,4}\s*/\s*\d{1,4})$")),
)

# ----------------------------------------------------------------------------- statutes without 《》
from functools import lru_cache  # noqa: E402
from pathlib import Path  # noqa: E402

DATA = Path(__file__).parent


@lru_cache(maxsize=1)
def national_laws() -> dict[str, str]:
    """Short name → full title of the national laws in laws.txt."""
    out = {}
    for line in (DATA / "laws.txt").read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            short, _, full = line.partition("\t")
            out[short] = full.strip() or ("中华人民共和国" + short if short != "宪法" else "中华人民共和国宪法")
    return out


# A law's short name must not run on into a longer word (行政诉讼法律, 执法规范).
LAW_NAME_STOP_AFTER = "律规学官院庭治制典定案"
# Verbs after which a regulation's name is cited without 《》: 严格落实X等要求, 推动X、Y等立法.
CITING_VERB = r"(?:落实|执行|实施|贯彻|遵守|依据|根据|按照|依照|遵照|推动|制定|修订|修改|出台|起草|审议|颁布|废止|对照|参照|适用|违反|施行)"
REGULATION_WORD = r"(?:条例|办法|规定|细则|规则|指南|准则|法)"
UNBRACKETED_NAME = re.compile(
    CITING_VERB + r"(?P<names>[\p{Han}]{2,30}?" + REGULATION_WORD + r"(?:、[\p{Han}]{2,30}?" + REGULATION_WORD
    + r")*)(?=等|的|规定|要求|有关|相关|和|及|，|。|；|、|\s|$)"
)
# Names that only point at rules in general (有关规定, 国家有关规定, 本办法): no reference.
GENERIC_RULE_NAME = re.compile(r"^(?:有关|相关|国家有关|国家相关|上述|本|该|现行|各项|此|前款|下列|以上|其他|其它|具体|新|原|"
                               r"省有关|市有关|县有关|法律法规|规章|管理|实施|执法|立法|司法|依法|普法|违法|合法|守法)")
NOT_A_STATUTE_END = re.compile(r"(?:方法|做法|想法|看法|说法|立法|执法|司法|依法|普法|违法|合法|守法|办法办法|用法|手法|技法|算法|写法)$")
# 以下简称《意见》 / （以下简称“意见”） right after a title: an alias the document defines.
# A title that is only a kind of document (《意见》, 《实施方案》): a short name the document must define
# (以下简称《意见》); where it does not, which document it means is not known.
BARE_DOCUMENT_KIND = re.compile(r"^(?:本|该|实施|指导|工作|行动|专项)?(?:意见|规划|方案|通知|决定|纲要|办法|条例|规定|细则|"
                                r"要点|计划|指南|决议|报告|公告|通告|批复|函|纪要|规则|准则|标准)$")
# （以下简称《意见》）, also after the cited number (（粤府办〔2021〕4号，以下简称省《办法》）: a qualifier
# before the brackets is no part of the alias)
ALIAS_AFTER = re.compile(r"\s*[（(]\s*(?:[^（）()，,]{1,30}[，,；;]\s*)?(?:以下|下文)(?:简称|称)\s*"
                         r"(?:[\p{Han}]{1,3}(?=《))?[《“\"]?(?P<alias>[^》”\"（）()]{1,20})[》”\"]?\s*[）)]")
# What an attachment item must end with to be a cited document (a rule or plan, not a form or a list).
DOCUMENT_TITLE_END = re.compile(r"(?:制度|办法|规定|条例|细则|规则|方案|规划|要点|意见|纲要|计划|指南|准则|章程)$")
# What a further attachment's title ends with when it is a plan of its own, whose headings are
# tasks (a 名单, 目录 or 登记表 with numbered lines is not)
PLAN_TITLE_END = re.compile(r"(?:制度|办法|规定|细则|方案|规划|要点|意见|纲要|计划|指南|清单|措施|任务|项目|事项|分工)"
                            r"(?:[（(][^（）()]{1,20}[）)])?$")
# A regulation's own name is a proper name: not a verb phrase or a class of rules (完善…办法, 考核评价办法).
UNBRACKETED_MIN_CHARS = 8
NOT_A_NAME_START = re.compile(r"^(?:完善|加强|建立|健全|出台|制定|修订|修改|研究|落实|执行|实施|具体|专门|操作|相应|配套|统一|"
                              r"有关|相关|上级|国家|学校|单位|部门|考核|评价|管理|工作|内部|本|该|各)")
NOT_IN_A_NAME = re.compile(r"相关|有关|[和及与中第的]")

# ----------------------------------------------------------------------------- reference kinds
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")   # provincial-level cities
REFERENCE_KINDS = ("法律", "行政法规", "地方性法规", "自治条例/单行条例", "部门规章", "地方政府规章", "党内法规",
                   "规范性文件", "规划/纲要/方案/工作要点", "标准")
PLACE_PREFIX = re.compile(r"^(?P<place>[\p{Han}]{2,8}?(?:省|自治区|特别行政区|市|自治州|州|盟|县|自治县|区|旗))")
PLAN_END = re.compile(r"(?:规划|纲要|方案|要点|计划|行动|工程)(?:[（(][^）)]*[）)])?$")
NORMATIVE_END = re.compile(r"(?:意见|通知|决定|通告|公告|批复|函|答复|通报|决议|指示|纪要)$")
STANDARD_TITLE = re.compile(r"^(?:GB|GB/T|HJ|DB\d*|JGJ|CJJ|YY|WS)\s*[\d/T.\-]|标准$")
PARTY_RULE = re.compile(r"^(?:中国共产党|中共).*(?:条例|准则|规定|规则|办法|细则)$")

# ----------------------------------------------------------------------------- small tests of the stages
# (named here rather than written inline, so each is compiled once and can be read in one place)
SAME_BELOW_NOTE = re.compile(r"[，,]?\s*(?:下同|以下同|后同)")             # (…牵头，下同)
ROLE_WORD_HINT = re.compile(r"牵头|配合|责任单位|负责\s*$")                # a parenthetical that meant to assign
IMPLEMENTING_MEASURES = re.compile(r"实施〈.*〉办法$")                      # 实施〈…法〉办法: a local regulation
RULES_END = re.compile(r"(?:办法|规定|细则|规则)(?:[（(]试行[）)])?$")     # a 规章's title ending
SELF_GOVERNING_ENDS = ("自治条例", "单行条例")
NORMATIVE_WORD_ENDS = ("指南", "准则", "制度", "目录", "清单")
WHOLE_PARENS = re.compile(r"^[（(]\s*(.*?)\s*[）)]$")                       # （渝府办发〔2021〕40号）
CODE_LEAD_TRIM = re.compile(r"^.*?(?=[\p{Han}A-Za-z]{1,10}$)")             # an agency code's last 10 characters
ORDER_TITLE_END = re.compile(r"(?:国务院|主席|省长|市长)令$")
ORDER_SERIAL_LINE = re.compile(r"第\s*\d{1,5}\s*号")                        # 第 719 号 on the line after 令
PERSON_SIGNATURE = re.compile(r"[\p{Han}]{1,8}(?:长|理|席|书记|主任)[\s:：]*[\p{Han}·]{2,4}")   # 市长 张三
ROW_NUMBER_ARABIC = re.compile(r"\d{1,3}")
ROW_NUMBER = re.compile(r"\d{1,3}|[一二三四五六七八九十]+")
SPACED_LATIN = re.compile(r"[A-Za-z0-9]\s+[A-Za-z0-9]")                    # spaces that are content
REPRINT_MARK = re.compile(r"^[（(【\[]\s*转\s*载\s*[）)】\]]\s*")             # （转载）before a title
TITLE_ISSUER_LEAD = re.compile(r"^(?P<who>.+?)(?:关于|对|转发|印发)")         # 国务院办公厅关于…
LIST_OR_SPACE = re.compile(r"[、\s]+")
ITEM_NUMBER = re.compile(r"^\d{1,2}\s*[.．、]\s*")                          # 1. before an attachment item
YEAR_IN_TEXT = re.compile(r"((?:19|20)\d{2})\s*年")
