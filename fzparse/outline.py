"""Outline stage: the heading tree of the body.

Styles (一、 （一） 1. （1） ① ㈠ 第一部分 第一章 第一节) nest in whatever order the document
uses: the first style seen is the top level, a new style opens a level below the current one,
and a style already open closes the levels below it. A label is taken as a heading only when
its number continues its level (n+1), starts a new level (1), or runs on from the last item
of that style (numbers that run across sections keep their printed value) — so a list inside
prose (二、三级医院…) does not open a node.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import regex as re

from . import numerals
from . import patterns as P
from .models import Node, Paragraph

TRAILING_PUNCT = "。.;；:：,，、 "


@lru_cache(maxsize=4096)
def numeral_value(num: str) -> int | None:
    if num in P.CIRCLED:          # before isdigit(): '①'.isdigit() is True
        return P.CIRCLED.index(num) + 1
    if num.isdecimal():
        return int(num)
    if num in P.PAREN_IDEOGRAPHS:
        return P.PAREN_IDEOGRAPHS.index(num) + 1
    if (value := numerals.small(num)) is not None:
        return value
    try:
        value = numerals.cn2an_value(num.replace("〇", "零").replace("○", "零"), "strict")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return int(value) if value == int(value) and value > 0 else None


@dataclass
class HeadingMatch:
    style: str
    number: int
    label: str
    rest: str


def match_heading(text: str) -> HeadingMatch | None:
    if P.ARTICLE.match(text):
        return None
    for style, pattern in P.HEADING_STYLES:
        m = pattern.match(text)
        if not m:
            continue
        number = numeral_value(m["num"])
        rest = text[m.end():]
        if number is None or not rest.strip() and style not in ("part", "chapter", "section"):
            return None
        if _counts_on(m["num"], number, rest):
            return None
        return HeadingMatch(style=style, number=number, label=m["label"], rest=rest)
    return None


def _counts_on(num: str, number: int, rest: str) -> bool:
    """二、三级医院 / 一、二类 / 1、2月: the label is the first of a run of numbers in prose (the
    next number follows at once), not a heading."""
    nxt = NEXT_NUMBER.match(rest)
    if not nxt or nxt.group(1).isdecimal() != num.isdecimal():
        return False
    return numeral_value(nxt.group(1)) == number + 1


def heading_title(rest: str) -> str:
    """Run-in heading: text before the first 。; a heading alone: the whole line (without a
    trailing unit parenthetical and trailing punctuation)."""
    rest = rest.strip()
    cut = rest.find("。")
    if cut >= 0:
        title = rest[:cut]
    else:
        title = TRAILING_PAREN_ANY.sub("", rest) if _ends_with_unit_paren(rest) else rest
    return title.strip().rstrip(TRAILING_PUNCT)


def _ends_with_unit_paren(text: str) -> bool:
    m = TRAILING_PAREN.search(text)
    return bool(m and UNIT_PAREN_WORD.search(m.group(1) or m.group(2) or ""))


TRAILING_PAREN = re.compile(r"(?:[（(]([^（）()]*)[）)]|【([^【】]*)】)\s*[。.]?$")
UNIT_PAREN_WORD = re.compile("|".join(v for v, _ in P.ROLE_VERBS) + "|单位|部门")
NEXT_NUMBER = re.compile(r"([一二三四五六七八九十]+|\d+)")
TRAILING_PAREN_ANY = re.compile(r"(?:[（(][^（）()]*[）)]|【[^【】]*】)\s*$")


@dataclass
class OutlineResult:
    roots: list[Node]
    own_paragraphs: dict[int, list[int]] = field(default_factory=dict)   # id(node) -> paragraph indexes
    node_of: dict[int, Node] = field(default_factory=dict)               # paragraph index -> node
    before: list[int] = field(default_factory=list)                      # preamble paragraphs
    after: list[int] = field(default_factory=list)                       # closing paragraphs


@dataclass
class _Level:
    style: str
    node: Node
    last: int


def build_outline(paras: list[Paragraph], indexes: list[int]) -> OutlineResult:
    res = OutlineResult(roots=[])
    stack: list[_Level] = []
    last_of_style: dict[str, int] = {}
    current: Node | None = None
    top_style: str | None = None
    for k in indexes:
        p = paras[k]
        hm = match_heading(p.text) if p.table is None else None
        level = _place(hm, stack, last_of_style, top_style) if hm else None
        if hm is None or level is None:
            if current is None:
                res.before.append(k)
            else:
                res.own_paragraphs[id(current)].append(k)
                res.node_of[k] = current
            continue
        del stack[level:]
        node = Node(number=hm.number, label=hm.label, style=hm.style, title=heading_title(hm.rest),
                    evidence=p.evidence())
        if stack:
            stack[-1].node.children.append(node)
        else:
            res.roots.append(node)
            top_style = hm.style
        stack.append(_Level(hm.style, node, hm.number))
        last_of_style[hm.style] = hm.number
        current = node
        res.own_paragraphs[id(node)] = [k]
        res.node_of[k] = node
    _split_closing(paras, res)
    return res


def _place(hm: HeadingMatch, stack: list[_Level], last_of_style: dict[str, int], top_style: str | None) -> int | None:
    """The stack depth at which this heading goes, or None when it is no heading."""
    for depth, lvl in enumerate(stack):
        if lvl.style == hm.style:
            return depth if hm.number == lvl.last + 1 else None
    if not stack:
        if top_style is None:
            return 0 if hm.number == 1 else None
        return None if hm.style != top_style else 0
    # a new, deeper level: starts at 1 or runs on from the last item of that style
    if hm.number == 1 or hm.number == last_of_style.get(hm.style, -1) + 1:
        return len(stack)
    return None


def _split_closing(paras: list[Paragraph], res: OutlineResult) -> None:
    """Closing paragraphs after the last numbered item belong to no node when the last node is
    a deep item whose own text is one paragraph and what follows is a general closing (全市各级各部门要…)
    — detected as paragraphs after the last leaf that are not indented continuations: we keep
    them with the last node only when that node is a top-level heading alone on its line."""
    if not res.roots:
        return
    last = res.roots[-1]
    while last.children:
        last = last.children[-1]
    own = res.own_paragraphs.get(id(last), [])
    if len(own) <= 1:
        return
    head_text = paras[own[0]].text
    hm = match_heading(head_text)
    run_in = bool(hm and "。" in hm.rest.strip().rstrip("。"))
    if run_in and last is not res.roots[-1]:
        # a run-in item holds its text in its own paragraph (and the unit lines under it);
        # later paragraphs close the document
        # and the rest of its sentence, when its line was wrapped (全年培训 / 1.5万人次以上。（…负责）)
        keep = 1
        for j, k in enumerate(own[1:], start=1):
            wrapped = j == keep and not paras[own[j - 1]].text.endswith(P.SENTENCE_END)
            if wrapped or P.UNIT_LABEL.match(paras[k].text) or P.DEADLINE_LABEL.match(paras[k].text):
                keep = j + 1
        res.after = own[keep:]
        res.own_paragraphs[id(last)] = own[:keep]
        for k in res.after:
            res.node_of.pop(k, None)


def assign_paths(nodes: list[Node], key: str, prefix: tuple[int, ...] = (), id_prefix: str = "") -> None:
    for node in nodes:
        node.path = prefix + (node.number,)
        node.id = f"{key}#{id_prefix}{'.'.join(map(str, node.path))}"
        assign_paths(node.children, key, node.path, id_prefix)
