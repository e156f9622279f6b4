"""Keywords per node (top 5) and per document (top 10): TF-IDF over jieba words, with jieba's
IDF table, the document's own unit names, every central body's printed forms and the 公文
boilerplate of fzparse/patterns/keyword_stopwords.txt left out. A word of the node's title
counts 1.5 times. Deterministic: ties go to the word printed first.

jieba's dictionary is loaded once per process, on the first call (not at import), so a parse
that does not ask for keywords never pays for it.
"""
from __future__ import annotations

import threading
from collections import Counter
from functools import lru_cache

import regex as re

from .models import Document, Node
from .patterns import resolve_patterns as RP
from .units import central_index, parse_place, to_simplified, tokenizer

NODE_TOP = 5
DOC_TOP = 10
TITLE_WEIGHT = 1.5
WORD = re.compile(r"^[\p{Han}A-Za-z][\p{Han}A-Za-z0-9]+$")

_idf = None
_idf_lock = threading.Lock()


def idf_table() -> tuple[dict[str, float], float]:
    """jieba's own IDF table (jieba/analyse/idf.txt) and its median, loaded once."""
    global _idf
    if _idf is None:
        with _idf_lock:
            if _idf is None:
                from jieba.analyse.tfidf import DEFAULT_IDF, IDFLoader
                loader = IDFLoader(DEFAULT_IDF)
                _idf = loader.get_idf()
    return _idf


@lru_cache(maxsize=None)
def stop_words() -> frozenset[str]:
    words: set[str] = set()
    for line in (RP.HERE / "keyword_stopwords.txt").read_text("utf-8").splitlines():
        if line.startswith("#"):
            continue
        words.update(line.split())
    return frozenset(words)


def _mask(text: str, names: list[str]) -> str:
    """Unit names (longest first) become separators, so no keyword is a unit or part of one."""
    if not names:
        return text
    pat = _mask_pattern(tuple(sorted(set(names), key=len, reverse=True)))
    return pat.sub("，", text)


@lru_cache(maxsize=256)
def _mask_pattern(names: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(re.escape(n) for n in names))


@lru_cache(maxsize=None)
def _central_names() -> tuple[str, ...]:
    return tuple(f for f in central_index() if len(f) >= 2)


def words_of(text: str, unit_names: list[str]) -> list[str]:
    text = _mask(to_simplified(text) or "", list(unit_names) + list(_central_names()))
    stop = stop_words()
    out = []
    for w in tokenizer().cut(text):
        w = w.strip()
        if len(w) < 2 or w in stop or not WORD.match(w):
            continue
        if re.search(r"\d", w) and not re.search(r"\p{Han}", w):
            continue
        if w.endswith(("局", "委", "厅", "办", "部")) and len(w) <= 4:
            continue                     # a body's short name the mask did not catch
        found, rest = parse_place(w)
        if found and not rest:
            continue                     # a place name (北京市, 西城区)
        out.append(w)
    return out


def top_keywords(text: str, unit_names: list[str], k: int, title: str = "") -> list[str]:
    words = words_of(text, unit_names)
    if not words:
        return []
    title_words = set(words_of(title, unit_names)) if title else set()
    tf = Counter(words)
    first = {}
    for i, w in enumerate(words):
        first.setdefault(w, i)
    idf, median = idf_table()
    total = sum(tf.values())
    scored = []
    for w, c in tf.items():
        score = c / total * idf.get(w, median) * (TITLE_WEIGHT if w in title_words else 1.0)
        scored.append((-round(score, 9), first[w], w))
    scored.sort()
    return [w for _, _, w in scored[:k]]


def _names(doc: Document) -> list[str]:
    names: set[str] = set()
    for n in doc.nodes():
        for u in n.units:
            for x in [u.name, u.canonical] + list(u.aliases):
                if x and len(x) >= 2:
                    names.add(to_simplified(x))
    for x in doc.issuers:
        names.add(to_simplified(x))
    if doc.locality:
        names.add(doc.locality)
    return sorted(names)


def fill_keywords(doc: Document) -> None:
    names = _names(doc)
    for node in doc.nodes():
        node.keywords = node_keywords(node, names)
    body = "\n".join(p.text for p in doc.paragraphs)
    doc.keywords = top_keywords(body, names, DOC_TOP, title=doc.title or "")


def node_keywords(node: Node, names: list[str]) -> list[str]:
    return top_keywords(node.text or node.title, names, NODE_TOP, title=node.title)


def idf_loaded() -> bool:
    return _idf is not None

