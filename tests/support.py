"""Helpers the tests share: the fixture renderer, writing a notice and parsing it, finding a
node, and the shared HEAD/TAIL of the short notices the table-driven tests build."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import fzparse

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

HEAD = "澜州市人民政府关于做好2024年重点工作的通知\n澜府发〔2024〕3号\n各区县人民政府，市政府各部门：\n"
TAIL = "澜州市人民政府\n2024年3月5日\n"


def notice(body: str) -> str:
    """A short notice around `body` (the headings and paragraphs under test)."""
    return HEAD + body.strip("\n") + "\n" + TAIL


def make_fixtures():
    """tools/make_fixtures.py as a module (loaded once; dataclasses need it in sys.modules)."""
    if "make_fixtures" in sys.modules:
        return sys.modules["make_fixtures"]
    spec = importlib.util.spec_from_file_location("make_fixtures", ROOT / "tools" / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_fixtures"] = module
    spec.loader.exec_module(module)
    return module


def parse_text(tmp_path: Path, text: str, name: str = "notice.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return fzparse.parse(path)


def node_at(doc, path):
    for n in doc.nodes():
        if n.path == path:
            return n
    raise AssertionError(f"no node {path}: {[n.path for n in doc.nodes()]}")


def pdf_chars(rows):
    """The PDF reader's Chars from (text, x0, y0, width, height, size) runs, one character per
    cell; a ' ' is a space with a box of its own (not printed)."""
    import numpy as np

    from fzparse.read import pdf as pdf_reader
    cols: list[list] = [[] for _ in range(6)]
    for text, x, y, w, h, size in rows:
        for k, ch in enumerate(text):
            for col, v in zip(cols, (ch, x + k * w, y, x + (k + 1) * w, y + h, size)):
                col.append(v)
    x0, y0, x1, y1, size = (np.array(c, dtype=np.float64) for c in cols[1:])
    none = np.zeros(len(x0), dtype=bool)
    codes = pdf_reader._codes(pdf_reader.SPACE_RE.sub(" ", "".join(cols[0])))
    return pdf_reader.Chars.make(codes, x0, y0, x1, y1, size, none, none)
