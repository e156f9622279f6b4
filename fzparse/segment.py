"""Segment stage: find the 公文 regions (GB/T 9704-2012) in the cleaned paragraphs.

    版头 (issuer mark) · 发文字号 · 签发人 · 密级/紧急程度 · 标题 · 主送 · 正文 (covering text)
    · 附件说明 · 署名 · 成文日期 · 附注 · [enclosed plan: title, preamble, headings…] · 附件
    · 抄送 · 印发机关和印发日期

The result says which paragraphs are which; the outline stage reads the outline region only.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import regex as re

from . import patterns as P
from .clean import is_heading_start, nfkc, squeeze
from .models import DocNumber, Paragraph
from .outline import numeral_value

HEAD_WINDOW = 25          # the head (版头 … 主送) lies within the first paragraphs
TITLE_MAX = 120           # a title longer than this is prose
RECIPIENTS_MAX = 400


@dataclass
class Regions:
    bantou: list[int] = field(default_factory=list)
    doc_number: int | None = None
    title: list[int] = field(default_factory=list)
    recipients: int | None = None
    covering: list[int] = field(default_factory=list)      # the notice's own text
    signers: list[int] = field(default_factory=list)
    date: int | None = None
    notes: list[int] = field(default_factory=list)          # 附注, (此件公开发布), contact lines
    attachment_list: list[int] = field(default_factory=list)  # 附件说明 lines
    enclosed_title: int | None = None
    outline: list[int] = field(default_factory=list)       # where headings are read
    attachments: list[list[int]] = field(default_factory=list)  # 附件1… sections
    # attachment sections that are plans of their own (附件2 / …任务清单 / headings): (number, body)
    plans: list[tuple[int, list[int]]] = field(default_factory=list)
    cc: int | None = None
    printed: int | None = None


# ----------------------------------------------------------------------------- small parsers

# Full-width digits read as digits (one character for one, so spans stay valid).
DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


FULLWIDTH_DIGIT = re.compile("[０-９]")
ORDER_SERIAL = re.compile(r"第\s*\d{1,5}\s*号")
NOTE_IN_PARENS = re.compile(r"[（(][^（）()]{1,40}[）)]")
ATTACHMENT_ITEM = re.compile(r"^\d{1,2}\s*[.．、]")
SENTENCE_PUNCT = re.compile(r"[，。；：,;:！？]")
WHITESPACE = re.compile(r"\s+")
TRAILING_PARENS = re.compile(r"[（(][^（）()]*[）)]$")


def fold_digits(text: str) -> str:
    return text.translate(DIGITS) if FULLWIDTH_DIGIT.search(text) else text


def parse_doc_number(text: str) -> DocNumber | None:
    """A paragraph that *is* a 发文字号 (possibly in parentheses, possibly with 签发人)."""
    body = P.SIGNATORY.sub("", fold_digits(text)).strip()
    body = P.WHOLE_PARENS.sub(r"\1", body)
    compact = squeeze(body)
    m = P.DOC_NUMBER.fullmatch(compact)
    if m and not P.DOC_NUMBER_CODE_STOP.match(m["code"]):
        code = m["code"]
        year, serial = int(m["year"]), int(m["serial"])
        return DocNumber(text=f"{code}〔{year}〕{serial}号", agency_code=code, year=year, serial=serial,
                         printed=text.strip())
    m = P.ORDER_NUMBER.fullmatch(compact)
    if m:
        return DocNumber(text=compact, agency_code=m["code"], year=None, serial=int(m["serial"]),
                         printed=text.strip())
    return None


def find_doc_numbers(text: str) -> list[tuple[DocNumber, int, int]]:
    """Every 发文字号 cited inside running text, with its span."""
    out = []
    for m in P.DOC_NUMBER.finditer(fold_digits(text)):
        code = squeeze(m["code"])
        # the code is the run of Han characters right before the bracket
        code = P.CODE_LEAD_TRIM.sub("", code) if len(code) > 10 else code
        if P.DOC_NUMBER_CODE_STOP.match(code):
            continue
        out.append((DocNumber(text=f"{code}〔{int(m['year'])}〕{int(m['serial'])}号", agency_code=code,
                              year=int(m["year"]), serial=int(m["serial"]), printed=m.group(0)),
                    m.start(), m.end()))
    return out


CN_DATE_VALUES = {"零": 0, "〇": 0, "○": 0, "Ｏ": 0, "0": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
                  "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_small_number(text: str) -> int | None:
    """一 … 三十一 (months and days)."""
    if not text:
        return None
    if "十" not in text:
        return CN_DATE_VALUES.get(text) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    t = CN_DATE_VALUES.get(tens, None) if tens else 1
    o = CN_DATE_VALUES.get(ones, None) if ones else 0
    if t is None or o is None:
        return None
    return t * 10 + o


def parse_date(text: str) -> tuple[str, int, int] | None:
    """The first date in text as (YYYY-MM-DD, start, end)."""
    text = fold_digits(text)
    best = None
    for pattern in P.ANY_DATE:
        m = pattern.search(text)
        if not m or (best and best[1] <= m.start()):
            continue
        y, mo, d = m["y"], m["m"], m["d"]
        if pattern is P.DATE_CN:
            y = "".join(str(CN_DATE_VALUES.get(ch, "")) for ch in y)
            mo, d = cn_small_number(mo), cn_small_number(d)
            if len(y) != 4 or mo is None or d is None:
                continue
        year, month, day = int(y), int(mo), int(d)
        if 1 <= month <= 12 and 1 <= day <= 31:
            best = (f"{year:04d}-{month:02d}-{day:02d}", m.start(), m.end())
    return best


def standalone_date(text: str) -> tuple[str, str] | None:
    """(iso date, text before it) when a paragraph is a date, optionally after signer names."""
    found = parse_date(text)
    if not found:
        return None
    iso, start, end = found
    if text[end:].strip(" 　"):
        return None
    before = text[:start].strip()
    if before and (len(before) > 60 or SENTENCE_PUNCT.search(before)):
        return None
    return iso, before


@lru_cache(maxsize=16384)           # pure, and asked of the same names again and again
def looks_like_org(text: str) -> bool:
    text = text.strip()
    if not (2 <= len(text) <= 40) or P.NOT_IN_UNIT.search(text) or P.UNIT_VERB_END.search(text):
        return False
    base = P.UNIT_ALIAS_TAIL.sub("", text)
    return base.endswith(P.UNIT_SUFFIXES)


def signer_names(text: str) -> list[str]:
    """Names on a 署名 line: organisations separated by spaces (or a title and a person)."""
    parts = [p for p in WHITESPACE.split(text.strip()) if p]
    if parts and all(looks_like_org(p) for p in parts):
        return parts
    return []


_BRACKET = re.compile(r"[（(\[〔【<《）)\]〕】>》]")
_SEPARATORS: dict[str, re.Pattern] = {}


def split_list(text: str, seps: str = "，,；;") -> list[str]:
    """Split at separators outside brackets."""
    if not _BRACKET.search(text):          # the common case, in C
        cut = _SEPARATORS.get(seps)
        if cut is None:
            cut = _SEPARATORS[seps] = re.compile(f"[{re.escape(seps)}]")
        return [o for o in (x.strip() for x in cut.split(text)) if o]
    out, depth, cur = [], 0, []
    for ch in text:
        if ch in "（([〔【<《":
            depth += 1
        elif ch in "）)]〕】>》":
            depth = max(0, depth - 1)
        if ch in seps and depth == 0:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur).strip())
    return [o for o in out if o]


def title_ending(text: str) -> str | None:
    """The 文种 (or other title word) a title line ends with."""
    t = nfkc(text).rstrip(" 。.")
    t = TRAILING_PARENS.sub("", t)  # （试行）（2021年版）
    for ending, _kind in P.DOC_TYPE_ENDINGS:
        if t.endswith(ending):
            return ending
    for ending in P.TITLE_ENDINGS_OTHER:
        if t.endswith(ending):
            return ending
    return None


def doc_type_of(title: str | None) -> str | None:
    if not title:
        return None
    t = nfkc(title).rstrip(" 。.")
    for ending, kind in P.DOC_TYPE_ENDINGS:
        if t.endswith(ending):
            if ending == "令" and not t.endswith("命令"):
                return "命令" if P.ORDER_TITLE_END.search(t) else None
            return kind
    return None


def is_titleish(text: str) -> bool:
    return (0 < len(text) <= TITLE_MAX and not text.endswith(("。", "；", ";", "：", ":", "，", ","))
            and not is_heading_start(text))


# ----------------------------------------------------------------------------- the segmenter

def segment(paras: list[Paragraph]) -> Regions:
    r = Regions()
    n = len(paras)
    texts = [fold_digits(p.text) if p.table is None else "" for p in paras]
    window = min(n, HEAD_WINDOW)

    # 版头, 密级, 紧急程度 at the very top
    for i in range(min(window, 6)):
        t = texts[i]
        if (P.BANTOU.match(t) and len(t) <= 60 and not t.endswith(("。", "："))) or P.CLASSIFICATION.match(t) \
                or P.URGENCY.match(t):
            r.bantou.append(i)

    # 发文字号 (a 国务院令 number may be split: 中华人民共和国国务院令 / 第706号)
    for i in range(window):
        if parse_doc_number(texts[i]):
            r.doc_number = i
            break
        if i + 1 < n and texts[i].endswith("令") and ORDER_SERIAL.fullmatch(texts[i + 1]):
            r.doc_number = i
            break

    # 主送: a line ending with a colon, of unit names, soon after the title/number
    start = (r.doc_number + 1) if r.doc_number is not None else 0
    for i in range(start, window):
        t = texts[i]
        if (t.endswith(("：", ":")) and len(t) <= RECIPIENTS_MAX and "。" not in t and not is_heading_start(t)
                and not P.ATTACHMENT_NOTE.match(t) and not P.UNIT_LABEL.match(t) and _recipient_like(t[:-1])):
            r.recipients = i
            break
        if t.endswith("。") and r.doc_number is not None:
            break

    r.title = _find_title(texts, r, window)
    head_end = max([r.doc_number or 0, r.recipients or 0] + r.title + r.bantou + [-1]) + 1
    if r.doc_number is not None and r.doc_number + 1 < n and texts[r.doc_number].endswith("令") \
            and P.ORDER_SERIAL_LINE.fullmatch(texts[r.doc_number + 1]):
        head_end = max(head_end, r.doc_number + 2)

    # 成文日期 and 署名
    for i in range(head_end, n):
        found = standalone_date(texts[i])
        if not found or (i + 1 < n and texts[i + 1].startswith(("前", "起", "至"))):
            continue
        iso, before = found
        if before and not signer_names(before) and not _person_signature(before):
            continue
        r.date = i
        j = i - 1
        while j >= head_end and i - j <= 4 and (signer_names(texts[j]) or _person_signature(texts[j])):
            r.signers.insert(0, j)
            j -= 1
        break

    # What follows the date: notes, an enclosed plan, attachments, 抄送, 印发
    tail_start = (r.date + 1) if r.date is not None else head_end
    body_end = r.signers[0] if r.signers else (r.date if r.date is not None else n)
    for i in range(n - 1, max(tail_start, head_end) - 1, -1):
        t = texts[i]
        if r.printed is None and P.PRINTED_LINE.match(t):
            r.printed = i
        elif r.cc is None and P.CC_LINE.match(t):
            r.cc = i
    tail_stop = min([k for k in (r.cc, r.printed) if k is not None] + [n])
    if r.date is None:
        body_end = min(body_end, tail_stop)

    covering = list(range(head_end, body_end))
    after: list[int] = []
    i = tail_start
    if r.date is not None:
        while i < tail_stop and (P.PUBLIC_NOTE.match(texts[i]) or P.CONTACT_LINE.match(texts[i])
                                 or NOTE_IN_PARENS.fullmatch(texts[i])):
            r.notes.append(i)
            i += 1
        after = list(range(i, tail_stop))

    # attachment sections (附件1 …) split off wherever they start
    def split_attachments(idx: list[int]) -> list[int]:
        main: list[int] = []
        current: list[int] | None = None
        for k in idx:
            t = texts[k]
            if P.ATTACHMENT_HEAD.match(t) or (P.ATTACHMENT_HEAD_RUNIN.match(t) and len(t) <= 60):
                current = [k]
                r.attachments.append(current)
            elif current is not None:
                current.append(k)
            else:
                main.append(k)
        return main

    substantive = [k for k in after if texts[k] or paras[k].table is not None]
    if substantive and P.ATTACHMENT_HEAD.match(texts[substantive[0]]):
        # the enclosed document printed as the (first) attachment: 附件 / its title / its text
        sections_before = len(r.attachments)
        rest = split_attachments(after)
        first_section = r.attachments[sections_before] if len(r.attachments) > sections_before else []
        plan = _plan_in(paras, first_section) if first_section else None
        if plan is not None and plan[0] == first_section[1]:
            r.attachments.pop(sections_before)
            r.enclosed_title = first_section[1]
            r.covering = covering
            r.outline = _drop_attachment_list(r, texts, plan[1] + rest)
            r.covering = _drop_attachment_list(r, texts, covering)
            r.plans = _later_plans(paras, r)
            return r
        del r.attachments[sections_before:]
    if len(substantive) >= 2 and not (P.ATTACHMENT_HEAD.match(texts[substantive[0]])):
        # an enclosed plan after the notice's own signature and date
        r.covering = covering
        first = substantive[0]
        if is_titleish(texts[first]) and paras[first].table is None:
            r.enclosed_title = first
            plan = [k for k in after if k > first]
        else:
            plan = after
        r.outline = split_attachments(plan)
    else:
        r.covering = covering
        split_attachments(after)
        r.outline = split_attachments(covering)
        r.covering = [k for k in covering if k in set(r.outline)]

    r.outline = _drop_attachment_list(r, texts, r.outline)
    r.covering = _drop_attachment_list(r, texts, r.covering)
    r.plans = _later_plans(paras, r)
    return r


def _plan_in(paras: list[Paragraph], section: list[int]) -> tuple[int, list[int]] | None:
    """(title paragraph, body) when an attachment section is a plan: 附件N, a title, then text with
    headings — or 附件N with its title on the same line (附件2澜州市2024年重点任务清单)."""
    head = paras[section[0]].text
    if P.ATTACHMENT_HEAD.match(head):
        if len(section) < 3 or paras[section[1]].table is not None or not is_titleish(paras[section[1]].text):
            return None
        title, body = section[1], section[2:]
    elif (run_in := P.ATTACHMENT_HEAD_RUNIN.match(head)) and is_titleish(head[run_in.end():].lstrip("：: ")):
        title, body = section[0], section[1:]
    else:
        return None
    return (title, body) if any(is_heading_start(paras[k].text) for k in body) else None


def _later_plans(paras: list[Paragraph], r: Regions) -> list[tuple[int, list[int]]]:
    """(number, body) of each attachment section left after the enclosed plan that is a plan of its
    own and whose title names a plan (…方案, …清单, …措施), not a list or a form. Its number is the
    printed one (附件2), else its place among the sections."""
    out = []
    for place, section in enumerate(r.attachments, start=2 if r.enclosed_title is not None else 1):
        plan = _plan_in(paras, section)
        if plan is None:
            continue
        head = paras[section[0]].text
        title = paras[plan[0]].text
        match = P.ATTACHMENT_HEAD.match(head) or P.ATTACHMENT_HEAD_RUNIN.match(head)
        if plan[0] == section[0]:
            title = title[match.end():]
        if not P.PLAN_TITLE_END.search(title.strip("：: ")):
            continue
        printed = numeral_value(match["num"]) if match["num"] else None
        out.append((printed or place, plan[1]))
    return out


def _drop_attachment_list(r: Regions, texts: list[str], indexes: list[int]) -> list[int]:
    """附件说明: 附件：1.… and the numbered lines under it are a list, not headings."""
    kept = []
    in_list = False
    for k in indexes:
        t = texts[k]
        if P.ATTACHMENT_NOTE.match(t):
            if k not in r.attachment_list:
                r.attachment_list.append(k)
            in_list = True
            continue
        if in_list and ATTACHMENT_ITEM.match(t) and len(t) <= 100 and not t.endswith("。"):
            if k not in r.attachment_list:
                r.attachment_list.append(k)
            continue
        in_list = False
        kept.append(k)
    return kept


RECIPIENT_PERSON = re.compile(r"(?:代表|委员|同志|先生|女士)$")


def _recipient_like(text: str) -> bool:
    """A 主送 line: groups (split at ，；) each ending like a body (or addressing deputies and
    members: 某某代表, 某某委员); a 、 list inside a group may name places before its body."""
    parts = split_list(text, "，,；;")
    if not parts:
        return False
    good = sum(1 for p in parts if looks_like_org(split_list(p, "、")[-1]) or p.startswith("各")
               or RECIPIENT_PERSON.search(p) and len(p) <= 40)
    return good >= max(1, (len(parts) + 1) // 2)


def _person_signature(text: str) -> bool:
    """总理 李克强 / 省长：某某 — a title and a person's name."""
    return bool(P.PERSON_SIGNATURE.fullmatch(text.strip()))


def _find_title(texts: list[str], r: Regions, window: int) -> list[int]:
    stop = r.recipients if r.recipients is not None else window
    skip = set(r.bantou) | ({r.doc_number} if r.doc_number is not None else set())
    if r.doc_number is not None and r.doc_number + 1 < len(texts) and texts[r.doc_number].endswith("令"):
        skip.add(r.doc_number + 1)
    end = None
    for i in range(0, stop):
        if i in skip:
            continue
        t = texts[i]
        if not t:
            continue
        if t.endswith(("。", "：", ":")) and r.recipients is None:
            break
        if is_titleish(t) and title_ending(t):
            # the 北大法宝 export prints the title twice: take the second copy's start
            end = i
            break
    if end is None:
        return []
    lines = [end]
    k = end - 1
    total = len(texts[end])
    while k >= 0 and k not in skip:
        t = texts[k]
        if not t or not is_titleish(t) or total + len(t) > TITLE_MAX or title_ending(t) == title_ending(texts[end]) and t == texts[end]:
            break
        if P.BANTOU.match(t) and t.endswith("文件"):
            break
        if title_ending(t) and not t.endswith(("的", "和", "及", "与")) and k != end - 1:
            break
        lines.insert(0, k)
        total += len(t)
        k -= 1
    # An issuer line standing alone above 关于…: it is the title's own issuer part; keep it.
    # A line above the title that is itself a whole title (the duplicate) was not taken.
    return lines
