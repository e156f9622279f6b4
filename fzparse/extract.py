"""Extract stage: units with their roles, and the documents a text cites.

Units come from what the document marks as an assignment — a parenthetical of unit names and
role words （A牵头，B配合） （牵头单位：A；配合单位：B） （A、B负责）, a labelled line under a node
(责任单位：…), a task-table row — and roles follow the document's own rules (列第一位者为牵头单位,
stated once). A parenthetical is taken only when every part of it parses as unit names and
role words; anything else is left alone (and flagged when it looked like one).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import regex as re

from . import patterns as P
from .clean import squeeze
from .models import Flag, Paragraph, Reference, Unit
from .segment import find_doc_numbers, looks_like_org, split_list

LIST_OPENER = re.compile(r"^(?:由|请|和|及|以及)")
NOT_IN_SUBJECT = re.compile(r"由|工作|本|和|[，,。；：:]")
COLLECTIVE_GROUP = re.compile(r"各[\p{Han}、]{2,30}(?:政府|部门|单位)")     # 各省、自治区、直辖市人民政府
CLAUSE_BREAK = re.compile(r"[，,。；;：:]")
HUITONG_PARTNER = re.compile(r"^会同[\p{Han}、]{2,20}?(?=对|组建|组织|建立|开展|研究|制定|做好|[，,])")
TITLE_MARK = re.compile("[《》]")
INNER_TITLE = re.compile(r"〈([^〈〉]+)〉")
CITING_VERBS = re.compile(P.CITING_VERB + "+")
RULE_WORD = re.compile("法|条例|办法|规定|细则|规则|指南|准则")
PAREN = re.compile(r"[（(](?P<body>(?:[^（）()]|[（(][^（）()]*[）)])*)[）)]"
                   r"|【(?P<body>[^【】]*)】")          # 【牵头单位：…】, as some plans print it


@dataclass
class RoleRules:
    """Rules a document states once for all its assignments."""
    first_is_lead: bool = False
    first_is_lead_at: int | None = None          # paragraph index where stated
    first_is_lead_scope: str = "all"             # the tasks it covers: 'before' it, 'after' (from it on), 'all'
    no_lead_means_responsible_lead: bool = False
    standing: list[tuple[str, int]] = field(default_factory=list)   # (unit, paragraph) from 以下均需…不再列出

    def first_listed_covers(self, index: int) -> bool:
        """The positional rule applies to paragraph `index`."""
        if not self.first_is_lead:
            return False
        if self.first_is_lead_at is None or self.first_is_lead_scope == "all":
            return True
        if self.first_is_lead_scope == "before":
            return index <= self.first_is_lead_at
        return index >= self.first_is_lead_at


def find_rules(paras: list[Paragraph]) -> RoleRules:
    rules = RoleRules()
    for p in paras:
        if not rules.first_is_lead and (m := P.FIRST_LISTED_RULE.search(p.text)):
            rules.first_is_lead, rules.first_is_lead_at = True, p.index
            rules.first_is_lead_scope = _rule_scope(p.text, m.start())
        if P.NO_LEAD_RULE.search(p.text):
            rules.no_lead_means_responsible_lead = True
    return rules


def _rule_scope(text: str, start: int) -> str:
    """'before', 'after' or 'all': what the sentence stating a rule (at text[start]) says it covers."""
    sentence = next((m.group(0) for m in SENTENCE.finditer(text) if m.start() <= start < m.end()), text)
    if P.RULE_LOOKS_BACK.search(sentence):
        return "before"
    if P.RULE_LOOKS_AHEAD.search(sentence):
        return "after"
    return "all"


# ----------------------------------------------------------------------------- unit lists

def split_units(text: str) -> list[str] | None:
    """'A、B等有关部门' → ['A', 'B', '有关部门']. None when a part is not a unit name."""
    text = text.strip().strip("，,、；;")
    if not text:
        return None
    names: list[str] = []
    for part in split_list(text, "、，,；;"):
        part = LIST_OPENER.sub("", part.strip())
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


@dataclass(frozen=True)          # frozen: parse_assignment's answers are cached and shared
class ParsedParen:
    units: tuple[tuple[str, str], ...]    # (name, role) in printed order
    rule: bool = False                    # states the first-listed rule
    standing: str | None = None           # 以下均需X落实，不再列出
    labelled: bool = False
    deadline: str | None = None           # 完成时限：… printed with the units


# Cached: the same parentheticals ((市司法局牵头), (各区县政府负责)) come back in document after
# document of an archive; bounded.
@lru_cache(maxsize=8192)
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
        body = P.SAME_BELOW_NOTE.sub("", body)
    body = P.NO_LEAD_RULE.sub("", body)
    body = P.LABEL_START.sub("；", body)
    deadline = None
    sentences = [s for s in body.split("。") if s.strip()]
    out: list[tuple[str, str]] = []
    labelled = False
    for sentence in sentences:
        clauses = split_list(sentence, "；;，,")
        pending: list[str] = []
        label_role: str | None = None
        person = False                    # after 牵头领导：…, until the next label
        for clause in clauses:
            clause = clause.strip()
            dm = P.DEADLINE_LABEL.match(clause) or (P.DEADLINE_CLAUSE.match(clause) if out or pending else None)
            if dm:
                deadline = deadline or dm["rest"].strip()
                label_role, person = None, False
                continue
            if P.PERSON_LABEL.match(clause):
                label_role, person = None, True
                continue
            lm = P.UNIT_LABEL.match(clause)
            if lm:
                person = False
                label_role = P.UNIT_LABELS[lm["label"]]
                labelled = True
                names = split_units(lm["rest"]) if lm["rest"].strip() else []
                if names is None:
                    return None
                out.extend((n, label_role) for n in names)
                continue
            vm = P.ROLE_VERB_TAIL.match(clause)
            if vm:
                role = P.ROLE_OF_VERB[vm["verb"]]
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
            if person:
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
    return ParsedParen(units=tuple(out), rule=rule, standing=standing, labelled=labelled, deadline=deadline)


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
        if P.ROLE_VERB_ANY.search(body) or "单位" in body or P.UNIT_LABEL.match(body.strip()):
            candidates.append((body, m.start(), m.end(), "parenthetical"))
    for body, start, end, method in candidates:
        parsed = parse_assignment(body)
        if parsed is None:
            if method == "parenthetical" and P.ROLE_WORD_HINT.search(body) and len(body) < 120:
                flags.append(Flag("unparsed-assignment",
                                  f"parenthetical with role words not read as an assignment: （{body}）",
                                  p.evidence(start, end)))
            continue
        pairs = parsed.units
        first_rule = rules.first_listed_covers(p.index)
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
            if not any(n == parsed.standing for n, _ in pairs):   # the note's own node: explicit
                found.append(Unit(name=parsed.standing, role="responsible", explicit=True, method="note",
                                  collective=is_collective(parsed.standing),
                                  evidence=p.evidence(start, end)))
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
    if P.TITLE_OPEN not in text:
        return refs
    stack: list[int] = []
    for m in TITLE_MARK.finditer(text):
        i, ch = m.start(), m.group(0)
        if ch == P.TITLE_OPEN:
            stack.append(i)
        elif stack:
            start = stack.pop()
            title = text[start + 1:i].strip()
            if not title:
                continue
            ref = Reference(title=title, bracketed=True, evidence=p.evidence() if whole else p.evidence(start, i + 1))
            nm = P.CITED_NUMBER_AFTER.match(text, i + 1)
            if nm:
                nums = find_doc_numbers(nm["num"]) if "〕" in nm["num"] or "]" in nm["num"] or "】" in nm["num"] else []
                ref.doc_number = nums[0][0].text if nums else squeeze(nm["num"])
            refs.append(ref)
            for inner in INNER_TITLE.finditer(title):
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


# ----------------------------------------------------------------------------- statutes named without 《》

def _bracketed_spans(text: str) -> list[tuple[int, int]]:
    spans, stack = [], []
    if P.TITLE_OPEN not in text:
        return spans
    for m in TITLE_MARK.finditer(text):
        i, ch = m.start(), m.group(0)
        if ch == P.TITLE_OPEN:
            stack.append(i)
        elif ch == P.TITLE_CLOSE and stack:
            start = stack.pop()
            if not stack:
                spans.append((start, i + 1))
    return spans


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in spans)


@lru_cache(maxsize=1)
def _law_name_ends() -> tuple[str, tuple[int, ...]]:
    laws = P.national_laws()
    return "".join(sorted({n[-1] for n in laws})), tuple(sorted({len(n) for n in laws}, reverse=True))


def law_names_in(text: str) -> list[tuple[int, str]]:
    """(start, short name) of every national law of laws.txt named in `text`, leftmost first and
    longest at each start, never overlapping — what one alternation of all the names would find,
    but found from the few characters a law's name can end with (法, 典) rather than by trying
    two hundred alternatives at every position."""
    laws = P.national_laws()
    last_chars, lengths = _law_name_ends()
    found: dict[int, int] = {}                       # start → longest length
    for ch in last_chars:
        end = text.find(ch)
        while end >= 0:
            for k in lengths:
                start = end + 1 - k
                if start >= 0 and text[start:end + 1] in laws:
                    if found.get(start, 0) < k:
                        found[start] = k
            end = text.find(ch, end + 1)
    out, reach = [], 0
    for start in sorted(found):
        if start >= reach:
            out.append((start, text[start:start + found[start]]))
            reach = start + found[start]
    return out


def unbracketed_references(p: Paragraph) -> list[Reference]:
    """Laws and regulations named without 《》: national laws from the dictionary (行政诉讼法),
    and names ending in 条例/办法/规定/指南… cited right after a citing verb (严格落实X等要求)."""
    text = p.text
    if not RULE_WORD.search(text):
        return []
    spans = _bracketed_spans(text)
    out: list[Reference] = []
    taken: list[tuple[int, int]] = []
    laws = P.national_laws()
    for m in P.UNBRACKETED_NAME.finditer(text):
        pos = m.start("names")
        for name in m["names"].split("、"):
            start, end = pos, pos + len(name)
            pos = end + 1
            lead = CITING_VERBS.match(name)                  # 制定出台…办法: the verbs are no part of the name
            if lead:
                start, name = start + lead.end(), name[lead.end():]
            bare = name.removeprefix("中华人民共和国")
            if bare in laws:
                method = "dictionary"
            elif (len(name) < P.UNBRACKETED_MIN_CHARS or name.endswith("法") or P.NOT_IN_A_NAME.search(name)
                  or P.NOT_A_NAME_START.match(name) or P.GENERIC_RULE_NAME.match(name)):
                continue
            else:
                method = "pattern"
            if P.NOT_A_STATUTE_END.search(name) or _inside(spans, start, end):
                continue
            out.append(Reference(title=name, bracketed=False, method=method, confidence=0.8 if method == "pattern" else 0.9,
                                 full_title=laws.get(name), evidence=p.evidence(start, end)))
            taken.append((start, end))
    for start, short in law_names_in(text):
        full = laws[short]
        if True:
            end = start + len(short)
            after = text[end:end + 1]
            if not _inside(spans, start, end) and not _inside(taken, start, end) and (not after or after not in P.LAW_NAME_STOP_AFTER) \
                    and not (len(short) <= 3 and start > 0 and "\u4e00" <= text[start - 1] <= "\u9fff"
                             and not text[:start].endswith(("按照", "依据", "根据", "依照", "执行", "贯彻", "落实", "实施", "违反", "遵守", "和", "、", "及"))):
                name = short
                if text[max(0, start - 7):start] == "中华人民共和国":
                    start, name = start - 7, "中华人民共和国" + short
                out.append(Reference(title=name, bracketed=False, method="dictionary", confidence=0.9,
                                     full_title=full, evidence=p.evidence(start, end)))
                taken.append((start, end))
    return out


# ----------------------------------------------------------------------------- kinds, aliases, self-references

def classify_reference(ref: Reference) -> None:
    """Kind (法律, 行政法规, 地方性法规 …) and issuing level, where the title tells them."""
    title = squeeze(ref.full_title or ref.title)
    laws = P.national_laws()
    place = P.PLACE_PREFIX.match(title)
    place_name = place["place"] if place and not title.startswith("中华人民共和国") else None
    if place_name and len(place_name) > 6:
        place_name = None
    level = None
    if title.startswith(("中华人民共和国", "国务院", "国家", "中共中央", "全国")):
        level = "national"
    elif place_name:
        if place_name.endswith(("省", "自治区", "特别行政区")) or place_name in P.MUNICIPALITIES:
            level = "provincial"
        elif place_name.endswith(("市", "自治州", "州", "盟")):
            level = "municipal"
        else:
            level = "county"
    kind = None
    if P.STANDARD_TITLE.search(title):
        kind = "标准"
    elif P.PARTY_RULE.match(title):
        kind, level = "党内法规", level or "national"
    elif title in laws or title.removeprefix("中华人民共和国") in laws or \
            (title.startswith("中华人民共和国") and title.endswith("法")):
        kind, level = "法律", "national"
    elif title.endswith(P.SELF_GOVERNING_ENDS):
        kind = "自治条例/单行条例"
    elif title.endswith("条例") or P.IMPLEMENTING_MEASURES.search(title):
        kind = "地方性法规" if place_name else "行政法规"
        level = level or ("national" if not place_name else level)
    elif P.RULES_END.search(title):
        kind = "地方政府规章" if place_name else "部门规章"
    elif P.PLAN_END.search(title):
        kind = "规划/纲要/方案/工作要点"
    elif P.NORMATIVE_END.search(title) or title.endswith(P.NORMATIVE_WORD_ENDS):
        kind = "规范性文件"
    ref.kind, ref.level = kind, level


def resolve_aliases(paras: list[Paragraph], refs_by_paragraph: dict[int, list[Reference]]) -> None:
    """以下简称《意见》: a later 《意见》 (or 意见 in quotes) points to the full title it abbreviates."""
    aliases: dict[str, str] = {}
    for p in paras:
        # in printed order: the 《意见》 of （以下简称《意见》） itself, and every later one, is resolved
        for ref in refs_by_paragraph.get(p.index, []):
            if ref.title in aliases and ref.full_title is None:
                ref.full_title, ref.method = aliases[ref.title], "alias"
            if ref.evidence is None or not ref.bracketed or ref.evidence.end > len(p.text):
                continue
            m = P.ALIAS_AFTER.match(p.text, ref.evidence.end)
            if m:
                aliases.setdefault(m["alias"].strip(), ref.title)


# ----------------------------------------------------------------------------- prose assignments

PROSE_LEAD_AS = re.compile(r"(?P<who>[\p{Han}（）()〔〕]{2,30}?)为牵头(?:单位|部门)")
PROSE_BY = re.compile(r"由(?P<who>[\p{Han}、（）()〔〕]{2,40}?)(?P<verb>牵头负责|牵头|负责|指导)(?![\p{Han}]{0,2}(?:人|同志))")
SENTENCE = re.compile(r"[^。；;！？]+")
CLAUSE = re.compile(r"[^，,]+")
# 由X确定…，指导落实…: a clause opening with 由 and a body names the agent of the clauses after it
# that have no subject of their own; one of those opening with a role verb gives X that role.
# The body is the shortest run ending in an organisation word that is not the start of a longer
# one (委 of 委员会, 办 of 办公室, 部 of 部门, 市政府 of 市政府办公厅); not when it only qualifies
# a noun (由X确定的Y).
BY_AGENT = re.compile(r"^由(?P<who>[\p{Han}、（）()]{1,30}?(?:委员会|办公室|办公厅|人民政府|政府|部门|单位|机构|医院|"
                      r"中心|局|委(?!员)|厅|办(?!公)|署|部(?!门)))(?!办|委员会|部门|局|厅)(?![\p{Han}]{1,4}的)")
ROLE_OPENING = re.compile(r"^(?:并|同时|还|并且)?(?P<verb>指导落实|指导|牵头负责|牵头|负责落实|负责(?!人|同志|解释)|"
                          r"配合落实|配合|协助|参与)")


def _subject(clause: str) -> tuple[str, int] | None:
    """(subject, offset) when a clause opens with a body followed by a predicate word."""
    label = LEADING_LABEL.match(clause)
    skip = label.end() if label else 0
    body = clause[skip:]
    for sm in SUBJECT_END.finditer(body[:40]):
        cand = body[:sm.start()]
        if 2 <= len(cand) <= 30 and not VERB_OPENING.match(cand) and not NOT_IN_SUBJECT.search(cand) \
                and (looks_like_org(cand) or COLLECTIVE_GROUP.fullmatch(cand)):
            return cand, skip
    return None


SUBJECT_END = re.compile(r"(?=要|应当|应|将|负责|是|作为|会同|牵头|继续)")
PROSE_PAIR = re.compile(r"^牵头[、，,](?P<b>[\p{Han}、]{2,30}?)(?:共同)?(?:参与|配合)")
PROSE_ROLE_WORDS = (
    (re.compile(r"^负责(?!人|同志|解释)"), "responsible"),
    (re.compile(r"牵头工作|负责牵头|牵头抓总|^牵头"), "lead"),
    (re.compile(r"(?<!协同|密切|相互|互相|加强|协调)配合(?!机制)"), "support"),
    (re.compile(r"(?<!为|以)(?:进行指导|指导推进|指导落实|共同指导|统筹指导|业务指导|负责指导)"), "guide"),
    (re.compile(r"责任主体|落实主体责任|履行主体责任"), "responsible"),
)
# A heading or article label that opens a paragraph is no part of its first sentence's subject.
LEADING_LABEL = re.compile(r"^(?:第[一二三四五六七八九十百零〇]+[条章节]\s*|[（(]?[一二三四五六七八九十]+[）)、]\s*|[（(]?\d{1,3}[）).．、]\s*)")
# A sentence that opens with a verb has no unit for its subject (建立由政府负责人牵头的机制).
VERB_OPENING = re.compile(r"^(?:建立|建设|推动|加强|完善|开展|支持|鼓励|引导|组织|实行|实施|落实|坚持|强化|深化|推进|健全|"
                          r"由|对|在|将|把|按|以|从|经|为|要|请|同时|其中|此外)")


def prose_units(p: Paragraph) -> list[Unit]:
    """Units a paragraph names as doing the task in running prose (recorded explicit=False):
    X为牵头单位; 由X牵头/负责; a sentence whose subject is a body and whose predicate carries a
    role (X要做好牵头工作, X要积极配合, X负责编制…, X是…责任主体, X会同有关部门…指导)."""
    text = p.text
    out: list[Unit] = []

    def add(name: str, role: str, start: int) -> None:
        name = name.strip("，,、 ").lstrip("（(【〔")        # a subject read from inside a parenthetical
        if not looks_like_org(name) and not COLLECTIVE_GROUP.fullmatch(name):
            return
        if any(u.name == name and u.role == role for u in out):
            return
        out.append(Unit(name=name, role=role, explicit=False, method="prose", collective=is_collective(name),
                        confidence=0.6, evidence=p.evidence(start, start + len(name))))

    for m in PROSE_LEAD_AS.finditer(text):
        who = CLAUSE_BREAK.split(m["who"])[-1]
        names = split_units(who)
        for name in names or []:
            add(name, "lead", text.find(name, m.start()))
    for m in PROSE_BY.finditer(text):
        if text.startswith("解释", m.end()):
            continue                      # 本办法由X负责解释: who interprets the rules, not a task
        names = split_units(m["who"])
        role = P.ROLE_OF_VERB.get(m["verb"], "responsible")
        for name in names or []:
            add(name, role, text.find(name, m.start()))
    for s in SENTENCE.finditer(text):
        sentence = s.group(0)
        base = s.start()
        # a sentence may hold several subjects, one per clause: 甲要做好牵头工作，乙要积极配合
        groups: list[tuple[str, int, int]] = []           # (subject, start, end) within the sentence
        # 由X确定…，指导落实…: X, the agent of the clauses after its own that have no subject
        agent: tuple[str, int] | None = None
        by_agent: list[tuple[str, str, int]] = []         # (unit, role, offset)
        for c in CLAUSE.finditer(sentence):
            clause_start = c.start() + (len(c.group(0)) - len(c.group(0).lstrip()))
            clause = sentence[clause_start:c.end()]
            who = _subject(sentence[clause_start:])
            if who:
                if groups:
                    groups[-1] = (groups[-1][0], groups[-1][1], c.start())
                groups.append((who[0], clause_start + who[1], len(sentence)))
            if agent and (opening := ROLE_OPENING.match(clause)):
                by_agent.append((agent[0], P.ROLE_OF_VERB[opening["verb"]], agent[1]))
            elif by := BY_AGENT.match(clause):
                agent = (by["who"], base + clause_start + by.start("who"))
            elif who:
                agent = None                  # a clause with a subject of its own ends the agent's run
        for who, at, stop in groups:
            predicate = sentence[at + len(who):stop]
            offset = base + at
            pair = PROSE_PAIR.match(predicate)
            if pair:                          # X牵头、Y共同参与
                add(who, "lead", offset)
                for name in split_units(pair["b"]) or []:
                    add(name, "support", offset + len(who) + pair.start("b"))
                continue
            predicate = HUITONG_PARTNER.sub("", predicate)
            for pattern, role in PROSE_ROLE_WORDS:
                if pattern.search(predicate.lstrip("要应将继续")):
                    add(who, role, offset)
                    break
        for name, role, offset in by_agent:
            add(name, role, offset)
    return out
