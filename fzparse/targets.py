"""Targets in task text: the numbers a task commits to, with their unit and what they measure.

    出庭应诉率要达到50%      → value 50,   unit %, measure 出庭应诉率
    培养不少于3500名基层医生 → value 3500, unit 名, measure 基层医生
    建成智能工厂20家         → value 20,   unit 家, measure 智能工厂

Years, dates, heading numbers, ordinals (第二批) and document numbers are not targets.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex as re

from . import numerals
from .models import Document, Node, Paragraph, Target
from .patterns import resolve_patterns as RP
from .units import to_simplified


FOLD = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
TO_FOLD = re.compile("[０-９．％]")


@dataclass
class Found:
    target: Target
    start: int
    end: int


def _value(text: str) -> float | None:
    text = text.replace("．", ".")
    if RP.DECIMAL.fullmatch(text):
        v = float(text)
        return int(v) if v.is_integer() else v
    try:
        v = float(numerals.cn2an_value(text, "smart"))
    except Exception:
        return None
    return int(v) if v.is_integer() else v


def _clause_start(text: str, at: int) -> int:
    i = at
    while i > 0 and text[i - 1] not in RP.TARGET_BOUNDARY:
        i -= 1
    return i


def _clause_end(text: str, at: int) -> int:
    i = at
    while i < len(text) and text[i] not in RP.TARGET_BOUNDARY:
        i += 1
    return i


def _strip_lead(s: str) -> tuple[str, int]:
    """Drop what opens a clause before its measure: a heading label, a time, a scope word, an
    action verb (建成智能工厂 → 智能工厂)."""
    cut = 0
    for pat in (RP.HEADING_LABEL, RP.TARGET_LEAD):
        m = pat.match(s, cut)
        if m and m.end() < len(s):
            cut = m.end()
    m = _LEAD_ACTION.match(s, cut)
    if m and m.end() <= len(s) - 2:
        cut = m.end()
    return s[cut:], cut


_LEAD_ACTION = re.compile(RP.TARGET_ACTIONS.pattern.removesuffix("$"))


def targets_in(text: str) -> list[Found]:
    """Every target in one paragraph's text, in order, with its span."""
    folded = text.translate(FOLD) if TO_FOLD.search(text) else text    # translate is slow on CJK text
    simple = to_simplified(folded) or folded
    if len(simple) == len(folded):       # 繁体: matched on the simplified text, spans and slices as printed
        folded = simple
    out: list[Found] = []
    for m in RP.TARGET_NUMBER.finditer(folded):
        start, end = m.start(), m.end()
        after = folded[end:]
        if RP.NOT_TARGET_AFTER.match(after):
            continue
        value = _value(m["value"])
        if value is None:
            continue
        raw = m["value"]
        if not raw[0].isdigit() and not RP.CN_MAGNITUDE.search(raw) and m["unit"] in (
                "个", "批", "项", "类", "种", "次", "支", "门", "部", "期", "本", "处", "条"):
            # 十个方面, 两个维护: a Chinese numeral with a measure word is wording, not a commitment
            continue
        if RP.BARE_YEAR.match(raw) and m["unit"] not in ("%", "％", "项", "个", "家", "名", "人", "亿元", "万元", "元"):
            continue
        unit = "%" if m["unit"] == "％" else m["unit"]
        cs = _clause_start(folded, start)
        left = folded[cs:start]
        if left.endswith("第") or RP.ORDINAL_TAIL.search(left):
            continue
        stripped = RP.TARGET_COMPARATORS.sub("", left)
        # what follows the unit: 3500名基层医生 (up to 以上/的/和/the clause end)
        ce = _clause_end(folded, end)
        tail = RP.TARGET_TAIL.match(folded, end)
        rstart = tail.end() if tail else end
        right = RP.MEASURE_RIGHT_STOP.split(folded[rstart:ce])[0]
        action = RP.TARGET_ACTIONS.search(stripped)
        if action is not None and action.end() == len(stripped):
            measure = right or None
            t_start = cs + action.start()
            t_end = rstart + len(right) if right else (tail.end() if tail else end)
        else:
            body, lead = _strip_lead(stripped)
            measure = _trim_measure(body) if body else ""
            if measure and RP.ORDINAL.match(measure):
                measure = ""
                if right:
                    stripped = left
            if measure:
                t_start = cs + lead + len(body) - len(measure)
                t_end = tail.end() if tail else end
            else:
                measure = right or None
                t_start = cs + len(stripped)
                t_end = rstart + len(right) if right else (tail.end() if tail else end)
        if measure and not RP.HAN.search(measure):
            measure = None
        if measure and folded is not text:
            at = folded.find(measure, max(0, cs))
            if at >= 0:
                measure = text[at:at + len(measure)]
        t_start = max(0, min(t_start, start))
        tgt = Target(text=text[t_start:t_end], value=value, unit=unit, measure=measure)
        out.append(Found(tgt, t_start, t_end))
    return out


def _trim_measure(s: str) -> str:
    """The measure's head: the words after the last 的/，; at most 16 characters."""
    s = s.strip()
    s = s.split("的")[-1] if "的" in s else s
    if RP.RATE_MEASURE.search(s):
        m = RP.RATE_SUBJECT.match(s)
        if m:
            s = s[m.end():]
    s = RP.MEASURE_LEADING_WORD.sub("", s)
    return s[-16:]


def fill_targets(doc: Document) -> None:
    """Node.targets for every node from its own text, with evidence (paragraph and span)."""
    paras = doc.paragraphs
    for node in doc.nodes():
        node.targets = node_targets(node, paras)


def node_targets(node: Node, paras: list[Paragraph]) -> list[Target]:
    if not node.text:
        return []
    first = node.evidence.paragraph if node.evidence is not None else None
    out: list[Target] = []
    if node.source == "table":
        # a task-table row: its text is cells of the table paragraph; the span is found in it
        para = paras[first] if first is not None and first < len(paras) else None
        for f in targets_in(node.text):
            if para is not None:
                at = para.text.find(f.target.text)
                f.target.evidence = para.evidence(at, at + len(f.target.text)) if at >= 0 else para.evidence()
            out.append(f.target)
        return out
    for para, text in _own_paragraphs(node.text, paras, first or 0):
        if para is not None and para.table is not None:
            continue                     # a task table under a heading: its rows are nodes of their own
        for f in targets_in(text):
            if para is not None:
                f.target.evidence = para.evidence(f.start, f.end)
            elif first is not None and first < len(paras):
                f.target.evidence = paras[first].evidence(0, 0)
            out.append(f.target)
    return out


def _own_paragraphs(text: str, paras: list[Paragraph], start: int):
    """The node's own paragraphs, in order: its text is their texts joined with newlines (the
    paragraphs of its children stand between them in the document and are skipped)."""
    pos, i = 0, start
    while pos < len(text):
        hit = None
        for j in range(i, min(len(paras), i + 2000)):
            t = paras[j].text
            if t and text.startswith(t, pos) and (pos + len(t) == len(text) or text[pos + len(t)] == "\n"):
                hit = j
                break
        if hit is None:                  # not found as printed: the rest, without a paragraph
            yield None, text[pos:]
            return
        yield paras[hit], paras[hit].text
        pos += len(paras[hit].text) + 1
        i = hit + 1
