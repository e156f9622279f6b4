"""Extract stage: units with their roles, and the documents a text cites.

Units come from what the document marks as an assignment — a parenthetical of unit names and
role words （A牵头，B配合） （牵头单位：A；配合单位：B） （A、B负责）, a labelled line under a node
(责任单位：…), a task-table row — and roles follow the document's own rules (列第一位者为牵头单位,
stated once). A parenthetical is taken only when every part of it parses as unit names and
role words; anything else is left alone (and flagged when it looked like one).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex as re

from . import patterns as P
from .models import Evidence, Flag, Paragraph, Reference, Unit
from .segment import find_doc_numbers, looks_like_org, split_list

PAREN = re.compile(r"[（(](?P<body>(?:[^（）()]|[（(][^（）()]*[）)])*)[）)]")


@dataclass
class RoleRules:
    """Rules a document states once for all its assignments."""
    first_is_lead: bool = False
    first_is_lead_at: int | None = None          # paragraph index where stated
    no_lead_means_responsible_lead: bool = False
    standing: list[tuple[str, int]] = field(default_factory=list)   # (unit, paragraph) from 以下均需…不再列出


def find_rules(paras: list[Paragraph]) -> RoleRules:
    rules = RoleRules()
    for p in paras:
        if not rules.first_is_lead and P.FIRST_LISTED_RULE.search(p.text):
            rules.first_is_lead, rules.first_is_lead_at = True, p.index
        if P.NO_LEAD_RULE.search(p.text):
            rules.no_lead_means_responsible_lead = True
    return rules


# ----------------------------------------------------------------------------- unit lists

def split_units(text: str) -> list[str] | None:
    """'A、B等有关部门' → ['A', 'B', '有关部门']. None when a part is not a unit name."""
    text = text.strip().strip("，,、；;")
    if not text:
        return None
    names: list[str] = []
    for part in split_list(text, "、，,；;"):
        part = re.sub(r"^(?:由|请|和|及|以及)", "", part.strip())
        m = P.DENG_TAIL.match(part)
        if m:
            head, rest = m["head"], m["rest"]
            names.append(head)
            if rest:
                names.append(rest)
        else:
            names.append(part)
    names = [n for n in (x.strip() for x in names) if n]
    if not names or not all(looks_like_org(n) for n in names):
        return None
    return names


def is_collective(name: str) -> bool:
    return bool(P.COLLECTIVE.search(name))


@dataclass
class ParsedParen:
    units: list[tuple[str, str]]          # (name, role) in printed order
    rule: bool = False                    # states the first-listed rule
    standing: str | None = None           # 以下均需X落实，不再列出
    labelled: bool = False
    deadline: str | None = None           # 完成时限：… printed with the units


def parse_assignment(body: str) -> ParsedParen | None:
    """Parse the inside of a parenthetical (or a labelled line) as an assignment."""
    body = body.strip()
    rule = bool(P.FIRST_LISTED_RULE.search(body))
    standing = None
    sm = P.STANDING_NOTE.search(body)
    if sm:
        standing = sm["unit"]
        body = body[:sm.start()] + body[sm.end():]
    if rule:
        body = P.FIRST_LISTED_RULE.sub("", body)
        body = re.sub(r"[，,]?\s*(?:下同|以下同|后同)", "", body)
    body = P.NO_LEAD_RULE.sub("", body)
    body = P.LABEL_START.sub("；", body)
    deadline = None
    sentences = [s for s in re.split(r"[。]", body) if s.strip()]
    out: list[tuple[str, str]] = []
    labelled = False
    for sentence in sentences:
        clauses = split_list(sentence, "；;，,")
        pending: list[str] = []
        label_role: str | None = None
        for clause in clauses:
            clause = clause.strip()
            dm = P.DEADLINE_LABEL.match(clause)
            if dm:
                deadline = dm["rest"].strip()
                label_role = None
                continue
            lm = P.UNIT_LABEL.match(clause)
            if lm:
                label_role = P.UNIT_LABELS[lm["label"]]
                labelled = True
                names = split_units(lm["rest"]) if lm["rest"].strip() else []
                if names is None:
                    return None
                out.extend((n, label_role) for n in names)
                continue
            vm = P.ROLE_VERB_TAIL.match(clause)
            if vm:
                role = dict(P.ROLE_VERBS)[vm["verb"]]
                units_text = vm["units"]
                support: list[str] = []
                if P.HUITONG.search(units_text):
                    a, _, b = units_text.partition("会同")
                    units_text = a
                    support = split_units(b) or []
                    if not support:
                        return None
                names = split_units(units_text) if units_text.strip() else []
                if names is None or (not names and not pending):
                    return None
                out.extend((n, role) for n in pending + names)
                out.extend((n, "support") for n in support)
                pending = []
                continue
            if label_role:
                names = split_units(clause)
                if names is None:
                    return None
                out.extend((n, label_role) for n in names)
                continue
            names = split_units(clause)
            if names is None:
                return None
            pending.extend(names)
        if pending:
            return None
    if not out and not standing:
        return None
    return ParsedParen(units=out, rule=rule, standing=standing, labelled=labelled, deadline=deadline)


def apply_first_listed_rule(units: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Under 列第一位者为牵头单位, a responsible list gives its first unit lead, the rest support.
    An explicit 牵头 keeps lead; other role words keep theirs."""
    out = []
    first_done = any(r == "lead" for _, r in units)
    for name, role in units:
        if role == "responsible":
            out.append((name, "support" if first_done else "lead"))
            first_done = True
        else:
            out.append((name, role))
    return out


@dataclass
class ParagraphUnits:
    units: list[Unit] = field(default_factory=list)
    standing: list[str] = field(default_factory=list)      # units named by 以下均需…不再列出
    deadlines: list[str] = field(default_factory=list)     # 完成时限 printed beside the units


def units_in_paragraph(p: Paragraph, rules: RoleRules, flags: list[Flag]) -> ParagraphUnits:
    """Units a paragraph assigns (parentheticals and labelled lines), standing notes, deadlines."""
    result = ParagraphUnits()
    found, standing = result.units, result.standing
    text = p.text
    candidates: list[tuple[str, int, int, str]] = []
    dm = P.DEADLINE_LABEL.match(text)
    if dm and len(text) <= 80:               # 完成时限：2024年6月底前 on a line of its own
        result.deadlines.append(dm["rest"].strip().rstrip("。；;"))
    lm = P.UNIT_LABEL.match(text)
    if lm and len(text) <= 300:
        candidates.append((text, 0, len(text), "labelled"))
    for m in PAREN.finditer(text):
        body = m["body"]
        if any(v in body for v, _ in P.ROLE_VERBS) or P.UNIT_LABEL.match(body.strip()) or "单位" in body:
            candidates.append((body, m.start(), m.end(), "parenthetical"))
    for body, start, end, method in candidates:
        parsed = parse_assignment(body)
        if parsed is None:
            if method == "parenthetical" and re.search(r"牵头|配合|责任单位|负责\s*$", body) and len(body) < 120:
                flags.append(Flag("unparsed-assignment",
                                  f"parenthetical with role words not read as an assignment: （{body}）",
                                  p.evidence(start, end)))
            continue
        pairs = parsed.units
        first_rule = rules.first_is_lead and (rules.first_is_lead_at is None or p.index >= rules.first_is_lead_at)
        if first_rule and not parsed.labelled:
            pairs = apply_first_listed_rule(pairs)
        elif rules.no_lead_means_responsible_lead and not any(r == "lead" for _, r in pairs):
            pairs = [(n, "lead" if r == "responsible" else r) for n, r in pairs]
        for name, role in pairs:
            at = text.find(name, start)
            ev = p.evidence(at, at + len(name)) if at >= 0 else p.evidence(start, end)
            unit = Unit(name=name, role=role, explicit=True, method=method if method == "labelled" else "parenthetical",
                        collective=is_collective(name), evidence=ev)
            if first_rule and not parsed.labelled:
                unit.flags.append("role-from-positional-rule")
            found.append(unit)
        if parsed.standing:
            standing.append(parsed.standing)
        if parsed.deadline:
            result.deadlines.append(parsed.deadline)
    return result


def dedupe_units(units: list[Unit]) -> list[Unit]:
    seen, out = set(), []
    for u in units:
        k = (u.name, u.role)
        if k not in seen:
            seen.add(k)
            out.append(u)
    return out


# ----------------------------------------------------------------------------- references

def references_in(p: Paragraph, text: str | None = None) -> list[Reference]:
    """Every 《…》 title (and every 〈…〉 title nested inside one), with a cited number after it.
    `text` (a table cell's text) replaces the paragraph's own; evidence still names the paragraph."""
    whole = text is not None            # spans inside a cell: the evidence is the whole table
    text = p.text if text is None else text
    refs: list[Reference] = []
    stack: list[int] = []
    for i, ch in enumerate(text):
        if ch == P.TITLE_OPEN:
            stack.append(i)
        elif ch == P.TITLE_CLOSE and stack:
            start = stack.pop()
            if stack:          # a 《》 inside a 《》 (printed without 〈〉): listed too
                pass
            title = text[start + 1:i].strip()
            if not title:
                continue
            ref = Reference(title=title, bracketed=True, evidence=p.evidence() if whole else p.evidence(start, i + 1))
            nm = P.CITED_NUMBER_AFTER.match(text, i + 1)
            if nm:
                nums = find_doc_numbers(nm["num"]) if "〕" in nm["num"] or "]" in nm["num"] or "】" in nm["num"] else []
                ref.doc_number = nums[0][0].text if nums else re.sub(r"\s+", "", nm["num"])
            refs.append(ref)
            for inner in re.finditer(r"〈([^〈〉]+)〉", title):
                refs.append(Reference(title=inner.group(1).strip(), bracketed=True, nested_in=title,
                                      evidence=p.evidence() if whole else
                                      p.evidence(start + 1 + inner.start(), start + 1 + inner.end())))
    return refs


def dedupe_refs(refs: list[Reference]) -> list[Reference]:
    seen, out = set(), []
    for r in refs:
        if r.title not in seen:
            seen.add(r.title)
            out.append(r)
    return out


def evidence_of(p: Paragraph) -> Evidence:
    return p.evidence()
