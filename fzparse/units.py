"""Canonical units: a unit as printed (市司法局) → the body it names (重庆市司法局), its kind and
its other names, read from the document itself (the issuer's place) and from the data files in
fzparse/patterns/ (central bodies, local department forms, kind rules). Resolve, don't guess:
when the place a short name needs cannot be told from the document, canonical stays None and the
unit is flagged 'canonical-unresolved'.

Also here: the confidence of a unit, the run-level unit index (units.csv and its JSON), a
jieba-based splitter for unit lists printed without separators, and the 繁体 → 简体 conversion
used for matching only (names stay as printed).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

import regex as re

from .clean import squeeze
from .models import Document, Node, Unit
from . import patterns as P
from .patterns import UNIT_SUFFIXES
from .patterns import resolve_patterns as RP

FLAG_UNRESOLVED = "canonical-unresolved"
FLAG_NOT_A_BODY = "name-does-not-look-like-a-body"
KINDS = ("party", "government", "congress", "judicial", "people_org", "lower_government", "enterprise",
         "collective", "other")


# ----------------------------------------------------------------------------- 繁体 → 简体

_cc = None
_cc_lock = threading.Lock()


def _converter():
    global _cc
    if _cc is None:
        with _cc_lock:
            if _cc is None:
                import opencc               # the OpenCC project's own binding (C++), wheels on PyPI
                try:
                    _cc = opencc.OpenCC("t2s")
                except Exception:           # older bindings want the config file's name
                    _cc = opencc.OpenCC("t2s.json")
    return _cc


@lru_cache(maxsize=65536)
def _to_simplified_cached(text: str) -> str:
    return _converter().convert(text)


def to_simplified(text: str | None) -> str | None:
    """Traditional → simplified, for matching only (output keeps what was printed). Text that is
    all GB2312 (simplified, ASCII, common punctuation) is returned as it is without loading OpenCC."""
    if not text:
        return text
    try:
        text.encode("gb2312")
        return text
    except UnicodeEncodeError:
        pass
    if len(text) <= 200:
        return _to_simplified_cached(text)
    return _converter().convert(text)


def is_traditional(text: str) -> bool:
    return bool(text) and to_simplified(text) != text


# ----------------------------------------------------------------------------- data

@dataclass(frozen=True)
class Body:
    canonical: str
    full: str
    forms: tuple[str, ...]        # every printed form: canonical, full, others
    kind: str
    scope: str                    # 'national' | 'shared'

    def names_central(self, form: str) -> bool:
        """Does this printed form name the central body wherever it stands?"""
        return self.scope == "national" or bool(RP.NATIONAL_MARKERS.match(form)) or form == self.full


@lru_cache(maxsize=None)
def central_bodies() -> tuple[Body, ...]:
    out = []
    for row in RP.load_tsv("central_bodies.tsv"):
        others = tuple(x.strip() for x in row["others"].split("、") if x.strip())
        forms = tuple(dict.fromkeys((row["canonical"], row["full"]) + others))
        out.append(Body(row["canonical"], row["full"], forms, row["kind"], row["scope"]))
    return tuple(out)


@lru_cache(maxsize=None)
def central_index() -> dict[str, Body]:
    index: dict[str, Body] = {}
    for body in central_bodies():
        for form in body.forms:
            index.setdefault(form, body)
    return index


@lru_cache(maxsize=None)
def local_forms() -> dict[str, tuple[str, str]]:
    """Any printed form of a local department (after its place) → (short, long)."""
    index: dict[str, tuple[str, str]] = {}
    for row in RP.load_tsv("local_forms.tsv"):
        pair = (row["short"], row["long"] or row["short"])
        for form in [row["short"], row["long"]] + [x for x in row["others"].split("、") if x.strip()]:
            if form:
                index.setdefault(form.strip(), pair)
    return index


@lru_cache(maxsize=None)
def kind_rules() -> tuple[tuple[str, re.Pattern | None], ...]:
    rules = []
    for row in RP.load_tsv("unit_kinds.tsv"):
        pat = row["pattern"]
        rules.append((row["kind"], None if pat == "@collective" else re.compile(pat)))
    return tuple(rules)


@lru_cache(maxsize=None)
def confidence_table() -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    method, cap, minus = {}, {}, {}
    for row in RP.load_tsv("unit_confidence.tsv"):
        {"method": method, "cap": cap, "minus": minus}[row["what"]][row["name"]] = float(row["value"])
    return method, cap, minus


# ----------------------------------------------------------------------------- places

@dataclass(frozen=True)          # frozen: a key of the resolve_name cache
class Place:
    """Where a document's issuer stands. national: a central body issued it (locality None)."""
    national: bool = False
    province: str | None = None
    city: str | None = None
    county: str | None = None
    issuer: str | None = None           # simplified, first issuer

    @property
    def locality(self) -> str | None:
        return None if self.national else (self.county or self.city or self.province)

    def at(self, level: str, prefix: str | None = None) -> str | None:
        """The document's place at a level; with `prefix` (省, 市, 县, 区…) only a place of that
        sort (a 市司法局 needs a 市, a 区财政局 a 区)."""
        if self.national:
            return None
        where = {"province": self.province, "city": self.city, "county": self.county}[level]
        if where and prefix and not where.endswith(prefix):
            return None
        return where


def parse_place(name: str) -> tuple[dict[str, str], str]:
    """'河南省驻马店市西平县人民政府' → ({province, city, county}, '人民政府'). Only a prefix that
    reads as place names is taken; the rest is returned."""
    found: dict[str, str] = {}
    rest = name
    m = RP.MUNICIPALITY.match(rest)
    if m:
        found["province"] = found["city"] = m.group(0)
        rest = rest[m.end():]
    else:
        m = RP.PROVINCE.match(rest)
        if m:
            found["province"] = m.group(0)
            rest = rest[m.end():]
        m = RP.CITY.match(rest)
        if m and _is_place(m.group(0)) and _rest_ok(rest[m.end():]):
            found["city"] = m.group(0)
            rest = rest[m.end():]
    m = RP.COUNTY.match(rest)
    if m and _is_place(m.group(0)) and len(m.group(0)) >= 2 and _rest_ok(rest[m.end():]):
        found["county"] = m.group(0)
        rest = rest[m.end():]
    return found, rest


def _is_place(found: str) -> bool:
    return (not found.endswith(RP.NOT_PLACES) and not found.startswith(RP.NOT_PLACE_STARTS)
            and not RP.NOT_IN_PLACE.search(found[:-1]))


def _rest_ok(rest: str) -> bool:
    # what follows a place is a body (or nothing): not 的, not a verb sentence
    return not rest or not rest.startswith(("的", "和", "与", "及"))


@lru_cache(maxsize=8192)
def central_prefix(name: str) -> Body | None:
    """The central body a name starts with (财政部办公厅 → 财政部), longest form first."""
    best = None
    for form, body in central_index().items():
        if name.startswith(form) and (best is None or len(form) > len(best[0])) and body.names_central(form):
            best = (form, body)
    return best[1] if best else None


def place_of(doc: Document) -> Place:
    """The issuer's place: 重庆市人民政府办公厅 → 重庆市; 国务院办公厅 → national."""
    names = [to_simplified(x) for x in (doc.issuers or ([doc.issuer] if doc.issuer else []))]
    if not names and doc.printed_by:
        names = [to_simplified(doc.printed_by)]
    for name in names:
        name = squeeze(name)
        if not name:
            continue
        if RP.NATIONAL_MARKERS.match(name) or central_prefix(name) is not None:
            return Place(national=True, issuer=name)
        found, _rest = parse_place(name)
        if found:
            return Place(issuer=name, **found)
    return Place(issuer=squeeze(names[0]) if names else None)


# ----------------------------------------------------------------------------- canonical names

@dataclass(frozen=True)          # frozen: resolve_name's answers are cached and shared
class Resolved:
    canonical: str | None
    kind: str
    aliases: list[str]
    unresolved: bool = False


@lru_cache(maxsize=8192)
def kind_of(name: str, collective: bool = False) -> str:
    for kind, pat in kind_rules():
        if pat is None:
            if collective:
                return kind
            continue
        if pat.search(name):
            return kind
    return "collective" if collective else "other"


def _local(place_name: str, rest: str) -> tuple[str, list[str]]:
    """place + department: the short form is canonical, the long form an alias."""
    pair = local_forms().get(rest)
    if pair is None:
        return place_name + rest, []
    short, long = pair
    aliases = [place_name + x for x in dict.fromkeys((long, rest)) if x != short]
    return place_name + short, aliases


# Cached: an archive names the same units in document after document (bounded, so a run of any
# size holds at most this many answers).
@lru_cache(maxsize=8192)
def resolve_name(name: str, place: Place, collective: bool = False, internal: bool = False) -> Resolved:
    """Canonical name, kind and aliases of a unit name as printed, in a document from `place`."""
    s = squeeze(to_simplified(name) or "")
    aliases: list[str] = []
    m = RP.ALIAS_TAIL.search(s)
    base = s
    if m and m.start() >= 2:
        base = s[:m.start()]
        aliases.append(m["alias"])
    if internal:
        if place.issuer and "、" not in place.issuer:
            issuer = resolve_name(place.issuer, place)
            kind = issuer.kind if issuer.kind not in ("collective", "lower_government") else "other"
            return Resolved(place.issuer + base, kind, aliases)
        return Resolved(None, kind_of(base), aliases, unresolved=True)
    body = central_index().get(base)
    if body is not None and (place.national or body.names_central(base)):
        extra = [x for x in (body.full,) if x != body.canonical]
        return Resolved(body.canonical, body.kind, _uniq(extra + aliases, body.canonical))
    kind = kind_of(base, collective)
    if collective:
        lm = RP.LEVEL_PREFIX.match(base)
        if lm and not base.startswith("各"):
            where = place.at(RP.LEVEL_OF[lm["level"]], lm["level"])
            return Resolved(where + base[len(lm["level"]):] if where else None, kind, aliases, unresolved=where is None)
        return Resolved(None, kind, aliases)
    # a full place name printed: 重庆市司法局, 广州市卫生健康委员会
    found, rest = parse_place(base)
    if found and rest != base:
        prefix = base[:len(base) - len(rest)]
        if not rest:
            return Resolved(base, kind, aliases)
        canonical, more = _local(prefix, rest)
        return Resolved(canonical, kind_of(canonical, collective), _uniq(more + aliases, canonical))
    # a level prefix: 市司法局 → the document's city
    lm = RP.LEVEL_PREFIX.match(base)
    if lm and body is None:
        level = RP.LEVEL_OF[lm["level"]]
        where = place.at(level, lm["level"])
        rest = base[len(lm["level"]):]
        if where is None:
            return Resolved(None, kind, aliases, unresolved=True)
        if rest.startswith("委") and where.endswith(lm["level"]):     # 市委党校 → 重庆市委党校
            canonical, more = where + rest, []
            pair = local_forms().get(rest)
            if pair:
                canonical, more = _local(where, rest)
        else:
            canonical, more = _local(where, rest)
        return Resolved(canonical, kind, _uniq(more + aliases, canonical))
    if kind == "lower_government":            # 乡镇人民政府, 街道办事处: a class of bodies, nothing to complete
        return Resolved(None, kind, aliases)
    if body is not None:                      # 发展改革委 in a local notice: the local or the central one?
        return Resolved(None, body.kind, aliases, unresolved=True)
    if RP.GENERIC_BODY.match(base) and not RP.NATIONAL_MARKERS.match(base):
        return Resolved(None, kind, aliases, unresolved=True)      # 司法局: whose?
    return Resolved(base, kind, aliases)                           # a proper name printed whole


def _uniq(items: list[str], canonical: str | None) -> list[str]:
    return [x for x in dict.fromkeys(items) if x and x != canonical]


def canonicalise_unit(unit: Unit, place: Place) -> None:
    """Fill canonical, kind, aliases (and the canonical-unresolved flag) of one unit in place."""
    collective = unit.collective or bool(P.COLLECTIVE.search(to_simplified(unit.name) or ""))
    r = resolve_name(unit.name, place, collective=collective, internal=unit.internal)
    unit.canonical = r.canonical
    unit.kind = r.kind
    unit.aliases = list(r.aliases)      # the cached answer is shared: the unit gets its own list
    if r.unresolved and FLAG_UNRESOLVED not in unit.flags:
        unit.flags.append(FLAG_UNRESOLVED)


def confidence_of(unit: Unit) -> float:
    method, cap, minus = confidence_table()
    value = method.get(unit.method, 0.6)
    for flag in unit.flags:
        if flag in cap:
            value = min(value, cap[flag])
    for flag in unit.flags:
        value -= minus.get(flag, 0.0)
    return round(min(1.0, max(0.05, value)), 2)


def resolve_units(doc: Document) -> Place:
    """Locality, canonical names, kinds, aliases and confidence of every unit of a document."""
    place = place_of(doc)
    doc.locality = place.locality
    for node in doc.nodes():
        for unit in node.units:
            canonicalise_unit(unit, place)
            unit.confidence = confidence_of(unit)
    return place


# ----------------------------------------------------------------------------- the run's unit index

UNIT_INDEX_COLUMNS = ["unit", "kind", "role", "key", "node_id", "path", "node_title", "explicit", "confidence"]


def _index_key(u: Unit) -> str:
    return u.canonical or u.name


def unit_index_rows(docs: Iterable[Document]) -> list[list]:
    """A row per canonical unit × node × role across all documents (units.csv), sorted by unit."""
    rows = []
    order = 0
    for d in docs:
        for n in d.nodes():
            for u in n.units:
                rows.append((_index_key(u), order, [_index_key(u), u.kind, u.role, d.key, n.id,
                                                    ".".join(map(str, n.path)), n.title, u.explicit, u.confidence]))
                order += 1
    rows.sort(key=lambda r: (r[0], r[1]))
    return [r[2] for r in rows]


def unit_index(docs: Iterable[Document]) -> dict:
    """{canonical-or-name: {kind, names as printed, aliases, roles: {role: [node refs]}}} for the JSON."""
    out: dict[str, dict] = {}
    for d in docs:
        for n in d.nodes():
            for u in n.units:
                k = _index_key(u)
                entry = out.setdefault(k, {"canonical": u.canonical, "kind": u.kind, "names": [], "aliases": [],
                                           "collective": u.collective, "nodes": []})
                if u.name not in entry["names"]:
                    entry["names"].append(u.name)
                for a in u.aliases:
                    if a not in entry["aliases"]:
                        entry["aliases"].append(a)
                entry["nodes"].append({"role": u.role, "key": d.key, "node_id": n.id, "path": list(n.path),
                                       "node_title": n.title, "explicit": u.explicit, "confidence": u.confidence})
    return {k: out[k] for k in sorted(out)}


def filter_rows(rows: list[list], min_confidence: float, column: int | str = "confidence",
                columns: list[str] | None = None) -> list[list]:
    """Rows whose confidence cell is ≥ min_confidence (a row with no confidence is kept).
    `column` is an index, or a name looked up in `columns` (default UNIT_INDEX_COLUMNS)."""
    if isinstance(column, str):
        column = (columns or UNIT_INDEX_COLUMNS).index(column)
    out = []
    for row in rows:
        value = row[column] if column < len(row) else None
        if value is None or value == "" or float(value) >= min_confidence:
            out.append(row)
    return out


def units_of(node: Node, min_confidence: float = 0.0) -> list[Unit]:
    return [u for u in node.units if u.confidence >= min_confidence]


# ----------------------------------------------------------------------------- run-together lists

_SUFFIXES = tuple(sorted(set(UNIT_SUFFIXES) - {"市", "县", "区", "省", "州", "盟", "旗", "镇", "乡"}, key=len,
                         reverse=True))
_LEVEL_TOKENS = ("市", "县", "区", "省", "自治区", "州", "旗")
_RULE_CUT = re.compile(rf"(?<=(?:{'|'.join(re.escape(s) for s in _SUFFIXES)}))(?=(?:市(?!场)|县|区|省|自治区|国家))")


def rule_split(text: str) -> list[str]:
    """The plain rule: cut after a unit suffix wherever a level prefix (市 县 区 省) or 国家 follows."""
    parts = _RULE_CUT.split(text)
    return [p for p in parts if p]


_tok = None
_tok_lock = threading.Lock()


def tokenizer():
    """One jieba Tokenizer per process, built on first use, with the central bodies' forms, the
    local department forms and the unit suffixes as its user dictionary."""
    global _tok
    if _tok is None:
        with _tok_lock:
            if _tok is None:
                import logging

                import jieba
                jieba.setLogLevel(logging.WARNING)
                tok = jieba.Tokenizer()
                tok.initialize()
                for word in user_words():
                    tok.add_word(word, freq=_user_freq(word))
                _tok = tok
    return _tok


def _user_freq(word: str) -> int:
    return 2000 + 500 * len(word)


@lru_cache(maxsize=None)
def user_words() -> tuple[str, ...]:
    words: dict[str, None] = {}
    for body in central_bodies():
        for form in body.forms:
            if 2 <= len(form) <= 16 and "、" not in form and "（" not in form:
                words[form] = None
    for form, (short, long) in local_forms().items():
        for w in (form, short, long):
            if len(w) >= 2:
                words[w] = None
    for s in UNIT_SUFFIXES:
        if len(s) >= 2:
            words[s] = None
    for w in ("市委", "县委", "区委", "省委", "市政府", "县政府", "区政府", "省政府", "人民政府"):
        words[w] = None
    return tuple(words)


def _ends_unit(text: str) -> bool:
    return len(text) >= 2 and text not in _LEVEL_TOKENS and text.endswith(_SUFFIXES)


def _central_here(text: str) -> bool:
    body = central_index().get(text)
    return body is not None and body.names_central(text)


def _starts_well(text: str) -> bool:
    if _central_here(text) or RP.NATIONAL_MARKERS.match(text):
        return True
    if RP.LEVEL_PREFIX.match(text) or text.startswith(("各", "有关")) or RP.YOUTH_LEAGUE.match(text):
        return True
    found, rest = parse_place(text)
    return bool(found) and rest != text


def split_run_together(text: str) -> list[str]:
    """'市发展改革委市财政局' → ['市发展改革委', '市财政局']: jieba (with the central bodies and unit
    suffixes as its user dictionary) cuts the text into words; the cut into units is the one
    whose units all end with a unit suffix and most of them start as a unit starts (a level
    prefix, a place, a central body, 国家…), with the fewest units among those."""
    text = squeeze(text)
    if not text:
        return []
    words = [w for w in tokenizer().cut(text, HMM=False) if w]
    n = len(words)
    # best[i] = (score, -units, cut) for words[:i]
    best: list[tuple[float, int, list[str]] | None] = [None] * (n + 1)
    best[0] = (0.0, 0, [])
    for i in range(n):
        if best[i] is None:
            continue
        piece = ""
        for j in range(i, min(n, i + 12)):
            piece += words[j]
            if not _ends_unit(piece) and piece not in central_index():
                continue
            score = (2.0 if _starts_well(piece) else 0.0) + (1.0 if _central_here(piece) else 0.0) - 1.0
            cand = (best[i][0] + score, best[i][1] - 1, best[i][2] + [piece])
            if best[j + 1] is None or cand[:2] > best[j + 1][:2]:
                best[j + 1] = cand
    if best[n] is None:
        return [text]
    return best[n][2]
