"""Resolve stage: what the document itself defines, applied to what was extracted — canonical
unit names and kinds, reference kinds, keywords, targets, confidence. Resolve, don't guess:
a value that cannot be told from the document stays None and is flagged."""
from __future__ import annotations

from .models import Document


def resolve_document(doc: Document) -> None:
    return None
