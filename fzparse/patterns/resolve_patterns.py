"""Pattern data of the resolve stage: place names, level prefixes, national markers, target
numbers. The tables (central bodies, local department forms, unit kinds, confidence, keyword
stop words) are the .tsv/.txt files beside this module; `load_tsv` reads them."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import regex as re

HERE = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def load_tsv(name: str) -> tuple[dict[str, str], ...]:
    """Rows of a tab-separated data file beside this module, as dicts keyed by its header row;
    lines starting with # and blank lines are skipped."""
    rows: list[dict[str, str]] = []
    header: list[str] | None = None
    for line in (HERE / name).read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        cells += [""] * (len(header) - len(cells))
        rows.append({k: v.strip() for k, v in zip(header, cells)})
    return tuple(rows)


# ----------------------------------------------------------------------------- places
# The four municipalities are province-level and city-level at once.
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
AUTONOMOUS_REGIONS = ("内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区",
                      "香港特别行政区", "澳门特别行政区", "新疆生产建设兵团")
_NAME = r"[^\P{Han}省市县区旗的和与及、]"
PROVINCE = re.compile(r"^(?:" + "|".join(AUTONOMOUS_REGIONS) + rf"|{_NAME}{{2,3}}?省)")
MUNICIPALITY = re.compile(r"^(?:" + "|".join(MUNICIPALITIES) + ")")
CITY = re.compile(rf"^(?:{_NAME}{{1,8}}?(?:自治州|地区|盟)|{_NAME}{{1,6}}?市(?!场|政|级|属|委|直))")
COUNTY = re.compile(rf"^{_NAME}{{1,8}}?(?:自治县|自治旗|县|区|旗|市(?!场|政|级|属|委|直))(?!政府有关|级)")
# Words ending in 区/县/市 that are no place (社区, 园区…).
NOT_PLACES = ("社区", "园区", "小区", "景区", "辖区", "城区", "市区", "山区", "林区", "灾区", "库区", "地区",
              "校区", "片区", "街区", "农村区")
NOT_PLACE_STARTS = ("各", "有关", "相关", "其他", "其它", "全", "所属", "试点")
# A place name holds no body word: 宣传部县 is a unit followed by 县…, not a county.
NOT_IN_PLACE = re.compile(r"部|局|委|厅|办|署|院|会|政府|中心|公司")
# 团市委, 共青团重庆市委: the Youth League's committees.
YOUTH_LEAGUE = re.compile(r"^(?:共青团|团[省市县区州]委)")
# A name that starts with one of these is a national body (or the State Council's own).
NATIONAL_MARKERS = re.compile(r"^(?:中华人民共和国|国务院|中共中央|中央|全国|国家|中国|最高人民)")

# ----------------------------------------------------------------------------- level prefixes
# A short name with a level prefix: 市司法局, 县司法局, 省教育厅, 区财政局, 自治区民政厅.
# Group 'level' → which level of the document's place completes it.
LEVEL_PREFIX = re.compile(
    r"^(?P<level>自治区|自治州|省|市|州|盟|县|区|旗)(?!场|级|属|直|区县|县区|内|外|域|委员)(?=[\p{Han}]{1,})")
LEVEL_OF = {"自治区": "province", "省": "province", "市": "city", "州": "city", "自治州": "city", "盟": "city",
            "县": "county", "区": "county", "旗": "county"}

# A bracketed alias at the end of a name: 市委党校〔重庆行政学院〕
ALIAS_TAIL = re.compile(r"[〔（(\[【](?P<alias>[^〔〕（）()\[\]【】]{2,30})[〕）)\]】]$")

# A short name that is generic without its place (司法局, 财政局): cannot be completed.
GENERIC_BODY = re.compile(r"^[\p{Han}]{1,4}(?:局|委|厅|办|处|科|室|所|站|队|中心|委员会|办公室)$")

# ----------------------------------------------------------------------------- targets
# Numbers a task commits to. `value` is an Arabic number (full-width digits are folded before)
# or a Chinese numeral with a magnitude word; `unit` the measure word after it (longest first).
TARGET_UNITS = (
    "个百分点", "万人次", "万千瓦", "万平方米", "平方公里", "平方米", "万公里", "公里", "千米", "万亩", "亩",
    "万吨", "吨", "亿元", "万元", "千元", "元", "亿人", "万人", "人次", "万户", "户", "万家", "家", "万个", "个",
    "万名", "名", "万项", "项", "万件", "件", "万套", "套", "万台", "台", "万座", "座", "万所", "所", "万张", "张",
    "万床", "床", "万辆", "辆", "万条", "条", "万次", "次", "万场", "场", "万册", "册", "万株", "株", "千瓦", "兆瓦",
    "小时", "分钟", "天", "周", "倍", "人", "批", "支", "间", "处", "种", "类", "部", "本", "门", "期", "站",
    "GW", "MW", "kW", "km", "%", "％", "‰",
)
_UNITS = "|".join(re.escape(u) for u in sorted(TARGET_UNITS, key=len, reverse=True))
TARGET_NUMBER = re.compile(
    r"(?<![\d.．〔\[［【第A-Za-z])(?P<value>\d+(?:[.．]\d+)?|[零一二三四五六七八九十两]*[十百千万亿][零一二三四五六七八九十两百千万亿]*)"
    rf"\s*(?P<unit>{_UNITS})(?![A-Za-z])")
# A number followed by these is a date, a year, a heading or a document number, not a target.
NOT_TARGET_AFTER = re.compile(r"^(?:年|月|日|号|时|周年|[〕\]］】])")
# Comparator and modal words between a measure and its number (stripped from the measure).
TARGET_COMPARATORS = re.compile(
    r"(?:要|应|须|必须|需|力争|确保|争取|年均|平均|累计|分别|总数|总量|规模|共|计|约|近|超|新增|增加|"
    r"达到|达|不少于|不低于|不超过|不高于|低于|高于|超过|突破|提高到|提升到|提高至|提升至|增长到|增长至|增至|"
    r"降低到|降低至|降到|降至|下降到|下降至|下降|控制在|控制到|保持在|稳定在|维持在|提高|提升|增长|增加到|扩大到|"
    r"以上|以下)+$")
# Action verbs: a number right after one (with comparators between) measures what follows it.
TARGET_ACTIONS = re.compile(
    r"(?:培养|培育|培训|办理|受理|办结|建设|建成|新建|改建|改造|打造|创建|遴选|认定|完成|引进|招聘|招录|组建|设立|推出|发布|"
    r"开展|实施|举办|选派|选树|命名|评选|储备|转化|吸纳|帮扶|资助|覆盖|服务|发放|公布|取消|下放|精简|"
    r"形成|实现|培树|推广|征集|布局|部署|新增|增加|扶持|支持|带动|制定|修订|出台|清理|整合)$")
# Words that end the noun after a number's unit (以上, 左右 …) or that open the measure's clause.
TARGET_TAIL = re.compile(r"(?:以上|以下|左右|以内|之内|之间|上下|多|余)+")
TARGET_LEAD = re.compile(
    r"^(?:[到至截]?(?:至|到)?(?:\d{4}|[二〇○零一二三四五六七八九]{4})年(?:底|末|前|内|年底|年末)?(?:前)?|"
    r"到|至|截至|其中|同时|并|和|及|且|全市|全省|全县|全区|全国|各区县|各地|每年|年内|当年|本年|今年|明年)+")
TARGET_BOUNDARY = "，,。；;：:！？!?、（）()“”\"《》|\n\t "
# A heading label at the start of a clause (1. 一、) is no part of a measure.
HEADING_LABEL = re.compile(r"^(?:\d{1,3}[.．、]|[一二三四五六七八九十]{1,3}[、.．])")
# An ordinal or batch (第二批) is no measure: the noun after the number is.
ORDINAL = re.compile(r"^(?:第[\d一二三四五六七八九十]+[批个次期轮项]?|首批|新一批|一批)$")
# A rate measure is cut after the subject it is about: 行政机关负责人出庭应诉率 → 出庭应诉率.
RATE_MEASURE = re.compile(r"(?:率|比例|比重|占比|覆盖面)$")
RATE_SUBJECT = re.compile(r"^.*(?:负责人|机关|部门|单位|企业|群众|居民|人口|城市|地区|学校|医院|农户|家庭)(?=\p{Han}{3})")

# Small tests of target text (see targets.py).
DECIMAL = re.compile(r"\d+(?:\.\d+)?")
CN_MAGNITUDE = re.compile(r"[百千万亿]")
BARE_YEAR = re.compile(r"(?:19|20)\d{2}$")
ORDINAL_TAIL = re.compile(r"第[\d一二三四五六七八九十]*$")
MEASURE_RIGHT_STOP = re.compile(r"(?:的|和|及|等|以上|左右|以内|，)")
HAN = re.compile(r"\p{Han}")
MEASURE_LEADING_WORD = re.compile(r"^(?:使|让|将|把|对|在|从|由|以|按|其|该|本|各|全)(?=\p{Han}{2})")
