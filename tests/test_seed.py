"""Golden test: the seed notice against its hand-written gold file (shared, read-only).
Skips cleanly when the shared folder is not beside the repository."""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

import fzparse

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "corpus" / "seed"
KEY = "cq-2021-40"

pytestmark = pytest.mark.skipif(not (SEED / f"{KEY}.gold.json").exists(),
                                reason=f"shared seed corpus not found at {SEED}")


def norm(text) -> str:
    """The comparison form of score.py: NFKC, no white space, no trailing punctuation."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFKC", str(text))
    return re.sub(r"\s+", "", text).rstrip("。.;；:：,，、")


@pytest.fixture(scope="module")
def gold():
    return json.loads((SEED / f"{KEY}.gold.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def doc():
    return fzparse.parse(SEED / f"{KEY}.txt")


@pytest.fixture(scope="module")
def data(doc):
    return doc.to_dict()


META_FIELDS = ("doc_number", "issuer", "title", "doc_type", "date", "recipients", "signers", "enclosed_title")


@pytest.mark.parametrize("field", META_FIELDS)
def test_meta(gold, data, field):
    expected = gold["meta"].get(field)
    if expected is None:
        pytest.skip(f"gold has no {field}")
    got = data[field]["text"] if field == "doc_number" else data[field]
    if isinstance(expected, list):
        assert [norm(x) for x in got] == [norm(x) for x in expected]
    else:
        assert norm(got) == norm(expected)


def test_doc_number_parts(gold, data):
    parts = gold["meta"]["doc_number_parts"]
    assert {k: data["doc_number"][k] for k in parts} == parts


def test_outline_paths_labels_titles(gold, doc):
    expected = [(tuple(n["path"]), norm(n["label"]), norm(n["title"])) for n in gold["outline"]]
    got = [(n.path, norm(n.label), norm(n.title)) for n in doc.nodes()]
    assert got == expected


def test_assignments(gold, doc):
    expected = sorted((tuple(a["path"]), a["role"], norm(a["unit"])) for a in gold["assignments"]
                      if a.get("explicit", True))
    got = sorted((n.path, u.role, norm(u.name)) for n in doc.nodes() for u in n.units if u.explicit)
    assert got == expected


def test_assignments_by_node(gold, doc):
    """The same comparison node by node, so a failure names the node."""
    by_path: dict[tuple, set] = {}
    for a in gold["assignments"]:
        if a.get("explicit", True):
            by_path.setdefault(tuple(a["path"]), set()).add((a["role"], norm(a["unit"])))
    for n in doc.nodes():
        assert {(u.role, norm(u.name)) for u in n.units if u.explicit} == by_path.get(n.path, set()), n.path


def test_bracketed_references(gold, doc):
    expected = sorted((tuple(r["path"]), norm(r["title"])) for r in gold["references"] if r.get("bracketed", True))
    got = [((), norm(r.title)) for r in doc.references if r.bracketed]
    got += [(n.path, norm(r.title)) for n in doc.nodes() for r in n.references if r.bracketed]
    assert sorted(got) == expected


def test_nested_reference_names_outer(gold, doc):
    nested = [r for r in gold["references"] if r.get("nested_in")]
    assert nested
    for g in nested:
        node = next(n for n in doc.nodes() if n.path == tuple(g["path"]))
        ref = next(r for r in node.references if norm(r.title) == norm(g["title"]))
        assert norm(ref.nested_in) == norm(g["nested_in"])


def test_website_boilerplate_is_not_text(doc):
    assert doc.closing and "您即将离开" not in doc.closing
    assert all("您即将离开" not in n.text for n in doc.nodes())


def test_corpus_copy_matches_seed():
    copy = Path(__file__).resolve().parents[1] / "corpus" / f"{KEY}.txt"
    assert copy.read_bytes() == (SEED / f"{KEY}.txt").read_bytes()
