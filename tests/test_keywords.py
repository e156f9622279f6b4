"""Keywords per node (top 5) and per document (top 10): deterministic, no unit names, no
公文 boilerplate; jieba is loaded only when keywords are asked for."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import fzparse
from fzparse import resolve
from fzparse.keywords import fill_keywords, stop_words, top_keywords

DATA = Path(__file__).parent / "data" / "resolve"


@pytest.fixture(scope="module")
def doc():
    d = fzparse.parse(DATA / "cq-yingsu.txt")
    fill_keywords(d)
    return d


def test_counts_and_content(doc):
    assert 1 <= len(doc.keywords) <= 10
    names = {x for n in doc.nodes() for u in n.units for x in [u.name, u.canonical] + u.aliases if x}
    stop = stop_words()
    for n in doc.nodes():
        assert len(n.keywords) <= 5
        for k in n.keywords:
            assert k not in stop and k not in names and len(k) >= 2
            assert not any(k in name for name in names if len(name) <= len(k) + 1)
    assert "应诉" in doc.keywords or "出庭" in doc.keywords
    node = next(n for n in doc.nodes() if n.id == "cq-yingsu#1.1")
    assert "出庭" in node.keywords


def test_deterministic(doc):
    again = fzparse.parse(DATA / "cq-yingsu.txt")
    resolve.resolve_document(again, keywords=True)
    assert again.keywords == doc.keywords
    assert [n.keywords for n in again.nodes()] == [n.keywords for n in doc.nodes()]


def test_boilerplate_is_no_keyword():
    got = top_keywords("加强组织领导，推进工作落实，完善工作机制，健全制度体系。建设公共法律服务站点。", [], 5)
    assert "加强" not in got and "推进" not in got and "工作" not in got and "完善" not in got
    assert "法律服务" in got or "站点" in got


def test_jieba_only_loaded_when_keywords_are_computed():
    code = (
        "import sys, fzparse\n"
        f"d = fzparse.parse({str(DATA / 'cq-yingsu.txt')!r})\n"
        "from fzparse import units, keywords\n"
        "assert units._tok is None and not keywords.idf_loaded(), 'jieba loaded by a plain parse'\n"
        "assert all(not n.keywords for n in d.nodes())\n"
        "keywords.fill_keywords(d)\n"
        "assert units._tok is not None and keywords.idf_loaded()\n"
        "print('ok')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_set_keywords_reaches_resolve(monkeypatch):
    monkeypatch.delenv(resolve.ENV, raising=False)
    try:
        resolve.set_keywords(True)
        d = fzparse.parse(DATA / "xp-zhian.txt")
        assert d.keywords and any(n.keywords for n in d.nodes())
    finally:
        resolve.set_keywords(False)
    d = fzparse.parse(DATA / "xp-zhian.txt")
    assert not d.keywords
