"""Resolve stage: what the document itself defines, applied to what was extracted — canonical
unit names and kinds, the document's locality, unit confidence, targets, keywords. Resolve,
don't guess: a value that cannot be told from the document stays None and is flagged.

Nothing extracted before this stage is changed (names as printed, roles, paths): resolve only
fills the fields the model keeps for it (Unit.canonical/kind/aliases/confidence, the
'canonical-unresolved' unit flag, Node.targets, Node.keywords, Document.keywords/locality).

Keywords need jieba's dictionary (about a second to load, once per process) and cost several
times the rest of the parse, so they are computed only when asked: `resolve_document(doc,
keywords=True)`, or `set_keywords(True)` for every later parse in this process and in the
worker processes it starts (it sets FZPARSE_KEYWORDS=1, which workers inherit; the CLI's
--keywords), or `fzparse.keywords.fill_keywords(doc)` afterwards.
"""
from __future__ import annotations

import os

from .models import Document

ENV = "FZPARSE_KEYWORDS"
KEYWORDS = os.environ.get(ENV, "") not in ("", "0")   # the process-wide default for resolve_document(doc)


def set_keywords(on: bool) -> None:
    """Keywords for every later resolve_document(doc) here and in worker processes started after."""
    global KEYWORDS
    KEYWORDS = bool(on)
    if KEYWORDS:
        os.environ[ENV] = "1"
    else:
        os.environ.pop(ENV, None)


def resolve_document(doc: Document, keywords: bool | None = None) -> None:
    from .targets import fill_targets
    from .units import resolve_units
    resolve_units(doc)
    fill_targets(doc)
    if (KEYWORDS or os.environ.get(ENV, "") not in ("", "0")) if keywords is None else keywords:
        from .keywords import fill_keywords
        fill_keywords(doc)
