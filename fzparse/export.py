"""Export stage: a Document → JSON (CONTRACT.md keys plus all the model holds), and the run
tables (documents, nodes, assignments, references) as rows, CSV (UTF-8 with BOM, formula
cells neutralised) and pandas DataFrames. Every file is written atomically."""
from __future__ import annotations

import csv
import io
import itertools
import json
import os
import re
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable

import orjson

from . import __version__
from .models import Document, Evidence, Node, Reference, Removed, Unit
from .units import UNIT_INDEX_COLUMNS, filter_rows, unit_index_rows

SCHEMA_PATH = Path(__file__).with_name("schema") / "document.schema.json"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Where a CSV text may hold a cell that starts with one of FORMULA_START: at a line's start or
# after a comma, bare or just inside the quotes (a cell with \r in it is always quoted). It may
# also match inside a quoted cell; that only sends the rows the slow, cell by cell, way.
MAYBE_FORMULA_CELL = re.compile(r'(?:^|,)(?:"[=+\-@\t\r]|[=+\-@\t])', re.MULTILINE)


def _ev(e: Evidence | None) -> dict | None:
    # by hand, not dataclasses.asdict: that deep-copies every field and was a fifth of export
    if e is None:
        return None
    d = {"paragraph": e.paragraph, "start": e.start, "end": e.end}
    if e.page is not None:
        d["page"] = e.page
    if e.line is not None:
        d["line"] = e.line
    if e.offset is not None:
        d["offset"] = e.offset
    return d


def _removed(r: Removed) -> dict:
    d = {"text": r.text, "reason": r.reason}
    for k in ("page", "line", "offset"):
        v = getattr(r, k)
        if v is not None:
            d[k] = v
    return d


def unit_dict(u: Unit) -> dict[str, Any]:
    return {"name": u.name, "role": u.role, "explicit": u.explicit, "method": u.method,
            "collective": u.collective, "internal": u.internal, "flags": list(u.flags),
            "canonical": u.canonical, "kind": u.kind, "aliases": list(u.aliases), "confidence": u.confidence,
            "evidence": _ev(u.evidence)}


def ref_dict(r: Reference) -> dict[str, Any]:
    return {"title": r.title, "bracketed": r.bracketed, "doc_number": r.doc_number, "nested_in": r.nested_in,
            "kind": r.kind, "level": r.level, "full_title": r.full_title, "self_reference": r.self_reference,
            "method": r.method, "confidence": r.confidence, "evidence": _ev(r.evidence)}


def target_dict(t) -> dict[str, Any]:
    return {"text": t.text, "value": t.value, "unit": t.unit, "measure": t.measure, "evidence": _ev(t.evidence)}


def node_dict(n: Node) -> dict[str, Any]:
    return {"id": n.id, "number": n.number, "label": n.label, "style": n.style, "title": n.title,
            "path": list(n.path), "source": n.source, "text": n.text,
            "deadline": n.deadline, "deadline_date": n.deadline_date,
            "units": [unit_dict(u) for u in n.units], "references": [ref_dict(r) for r in n.references],
            "keywords": list(n.keywords), "targets": [target_dict(t) for t in n.targets],
            "evidence": _ev(n.evidence), "children": [node_dict(c) for c in n.children]}


def document_to_dict(doc: Document) -> dict[str, Any]:
    dn = doc.doc_number
    return {
        "fzparse_version": __version__,
        "key": doc.key,
        "source": {"path": doc.source_path, "format": doc.format, "encoding": doc.encoding, "pages": doc.pages},
        "is_gongwen": doc.is_gongwen,
        "not_gongwen_reason": doc.not_gongwen_reason,
        "doc_number": None if dn is None else {"text": dn.text, "agency_code": dn.agency_code, "year": dn.year,
                                                "serial": dn.serial, "printed": dn.printed,
                                                "evidence": _ev(dn.evidence)},
        "issuer": doc.issuer,
        "issuers": doc.issuers,
        "title": doc.title,
        "doc_type": doc.doc_type,
        "recipients": doc.recipients,
        "signers": doc.signers,
        "date": doc.date,
        "date_printed": doc.date_printed,
        "signatory": doc.signatory,
        "classification": doc.classification,
        "urgency": doc.urgency,
        "attachments": doc.attachments,
        "cc": doc.cc,
        "printed_by": doc.printed_by,
        "printed_date": doc.printed_date,
        "enclosed_title": doc.enclosed_title,
        "covering_text": doc.covering_text,
        "preamble": doc.preamble,
        "closing": doc.closing,
        "references": [ref_dict(r) for r in doc.references],
        "outline": [node_dict(n) for n in doc.outline],
        "keywords": list(doc.keywords),
        "locality": doc.locality,
        "page_metadata": doc.page_metadata,
        "evidence": {k: _ev(v) for k, v in doc.evidence.items()},
        "flags": [{"code": f.code, "message": f.message, "evidence": _ev(f.evidence)} for f in doc.flags],
        "removed": [_removed(r) for r in doc.removed],
        "paragraphs": [{"index": p.index, "text": p.text, "page": p.page, "line": p.line, "offset": p.offset}
                       for p in doc.paragraphs],
    }


def to_json(doc: Document) -> str:
    # compact, by orjson (5× the standard library's C encoder here); `python -m json.tool` indents
    return orjson.dumps(document_to_dict(doc)).decode("utf-8") + "\n"


# ----------------------------------------------------------------------------- run tables

DOCUMENT_COLUMNS = ["key", "source", "format", "is_gongwen", "doc_number", "agency_code", "year", "serial",
                    "issuer", "title", "doc_type", "date", "recipients", "signers", "enclosed_title",
                    "nodes", "assignments", "references", "flags"]
NODE_COLUMNS = ["key", "node_id", "path", "label", "title", "depth", "source", "deadline", "deadline_date",
                "lead_units", "support_units", "guide_units", "responsible_units", "references"]
ASSIGNMENT_COLUMNS = ["key", "node_id", "path", "node_title", "unit", "role", "explicit", "method",
                      "collective", "internal", "flags", "paragraph", "start", "end", "page", "line",
                      "canonical", "kind", "confidence"]
REFERENCE_COLUMNS = ["key", "node_id", "path", "title", "bracketed", "doc_number", "nested_in",
                     "paragraph", "start", "end", "page", "line", "kind", "level", "full_title", "self_reference",
                     "method"]


def _path(n: Node | None) -> str:
    return "" if n is None else ".".join(map(str, n.path))


def _loc(e: Evidence | None) -> list:
    return [None] * 5 if e is None else [e.paragraph, e.start, e.end, e.page, e.line]


def _ref_tail(r: Reference) -> list:
    return [r.kind, r.level, r.full_title, r.self_reference, r.method]


def rows(docs: Iterable[Document], min_confidence: float = 0.0) -> dict[str, list[list]]:
    """The run tables. `min_confidence` leaves the less sure units out of assignments and units
    (a tracker importing only the sure rows); the JSON always keeps everything."""
    docs = list(docs)
    out: dict[str, list[list]] = {"documents": [], "nodes": [], "assignments": [], "references": []}
    for d in docs:
        all_nodes = list(d.nodes())
        n_assign = sum(len(n.units) for n in all_nodes)
        n_refs = len(d.references) + sum(len(n.references) for n in all_nodes)
        dn = d.doc_number
        out["documents"].append([d.key, d.source_path, d.format, d.is_gongwen, dn.text if dn else None,
                                 dn.agency_code if dn else None, dn.year if dn else None, dn.serial if dn else None,
                                 d.issuer, d.title, d.doc_type, d.date, "；".join(d.recipients), "；".join(d.signers),
                                 d.enclosed_title, len(all_nodes), n_assign, n_refs,
                                 "；".join(f.code for f in d.flags)])
        for n in all_nodes:
            by_role = {role: "、".join(u.name for u in n.units if u.role == role)
                       for role in ("lead", "support", "guide", "responsible")}
            out["nodes"].append([d.key, n.id, _path(n), n.label, n.title, len(n.path), n.source, n.deadline,
                                 n.deadline_date, by_role["lead"], by_role["support"], by_role["guide"],
                                 by_role["responsible"], "；".join(r.title for r in n.references)])
            for u in n.units:
                if u.confidence < min_confidence:
                    continue
                out["assignments"].append([d.key, n.id, _path(n), n.title, u.name, u.role, u.explicit, u.method,
                                           u.collective, u.internal, "；".join(u.flags)] + _loc(u.evidence)
                                          + [u.canonical, u.kind, u.confidence])
            for r in n.references:
                out["references"].append([d.key, n.id, _path(n), r.title, r.bracketed, r.doc_number, r.nested_in]
                                         + _loc(r.evidence) + _ref_tail(r))
        for r in d.references:
            out["references"].append([d.key, None, "", r.title, r.bracketed, r.doc_number, r.nested_in]
                                     + _loc(r.evidence) + _ref_tail(r))
    return out


COLUMNS = {"documents": DOCUMENT_COLUMNS, "nodes": NODE_COLUMNS, "assignments": ASSIGNMENT_COLUMNS,
           "references": REFERENCE_COLUMNS}


def dataframes(docs: Iterable[Document]):
    import pandas as pd
    table = rows(docs)
    return {name: pd.DataFrame(table[name], columns=COLUMNS[name]) for name in COLUMNS}


def safe_cell(value) -> Any:
    """A cell a spreadsheet would run as a formula is prefixed with ' (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return "" if value is None else value


def csv_lines(data: Iterable[list]) -> str:
    """The CSV lines of `data`, each cell as safe_cell makes it. Written whole first and only
    redone cell by cell when a cell may start a formula: the bulk runs write a few lines per table
    per document, and calling safe_cell on every cell was a tenth of a run."""
    data = data if isinstance(data, list) else list(data)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(data)     # csv writes None as ""
    text = buf.getvalue()
    if not MAYBE_FORMULA_CELL.search(text):
        return text
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([safe_cell(v) for v in row] for row in data)
    return buf.getvalue()


def csv_text(columns: list[str], data: list[list]) -> str:
    return "\ufeff" + csv_lines([columns]) + csv_lines(data)


_OPEN_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
_names = itertools.count()
_token: tuple[int, str] = (0, "")


def _temporary(path: str) -> tuple[int, str]:
    """A new file beside `path`, `.NAME.TOKEN.tmp` (what batch.sweep_temporaries removes after a
    kill), open for writing. Made with one open() — mode 0666 less the umask, as for any output —
    rather than tempfile's mkstemp, chmod and reopen: the bulk runs write two files per document
    and those calls were a third of writing them. The token is this process's (a random part, so
    that workers on other hosts sharing the folder never collide, and a count)."""
    global _token
    if _token[0] != os.getpid():            # a forked worker draws its own random part
        _token = (os.getpid(), os.urandom(4).hex())
    folder, name = os.path.split(path)
    for _ in range(100):
        tmp = os.path.join(folder, f".{name}.{_token[1]}{next(_names)}.tmp")
        try:
            return os.open(tmp, _OPEN_NEW, 0o666), tmp
        except FileExistsError:
            continue
        except FileNotFoundError:
            os.makedirs(folder or ".", exist_ok=True)
    raise FileExistsError(f"{path}: no free temporary name beside it")


def _replace_or_remove(tmp: str, path: str, ok: bool) -> None:
    try:
        if ok:
            os.replace(tmp, path)
            return
    except BaseException:
        ok = False
        raise
    finally:
        if not ok:
            try:
                os.unlink(tmp)
            except OSError:
                pass


@contextmanager
def atomic_path(path: Path | str):
    """A temporary path beside `path` to write to; renamed onto `path` when the block ends
    without an error, removed when it fails: a kill at any moment leaves the old file or the
    new one, never half of one."""
    path = os.fspath(path)
    fd, tmp = _temporary(path)
    os.close(fd)
    ok = False
    try:
        yield tmp
        ok = True
    finally:
        _replace_or_remove(tmp, path, ok)


def write_atomic(path: Path | str, data: str | bytes, fsync: bool = True) -> None:
    """Write `data` (text as UTF-8) atomically, as atomic_path does. `fsync=False` where the
    caller syncs the file system itself (the batch runner, once a second before the manifest
    names the files)."""
    path = os.fspath(path)
    view = memoryview(data.encode("utf-8") if isinstance(data, str) else data)
    fd, tmp = _temporary(path)
    ok = False
    try:
        try:
            while view:
                view = view[os.write(fd, view):]
            if fsync:
                os.fsync(fd)
        finally:
            os.close(fd)
        ok = True
    finally:
        _replace_or_remove(tmp, path, ok)


def write_tables(outdir: Path, docs: Iterable[Document], min_confidence: float = 0.0) -> list[Path]:
    docs = list(docs)
    table = rows(docs, min_confidence)
    written = []
    for name, columns in COLUMNS.items():
        target = outdir / f"{name}.csv"
        write_atomic(target, csv_text(columns, table[name]))
        written.append(target)
    target = outdir / "units.csv"        # the run's unit index: every canonical unit and its nodes by role
    write_atomic(target, csv_text(UNIT_INDEX_COLUMNS, filter_rows(unit_index_rows(docs), min_confidence)))
    written.append(target)
    return written


def load_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text("utf-8"))
