"""fzparse: Chinese government notices (公文) → structured, evidence-carrying data.

    >>> import fzparse
    >>> doc = fzparse.parse("notice.txt")
    >>> doc.doc_number.text, [n.title for n in doc.outline]
"""
from __future__ import annotations

__version__ = "0.1.0"

from .errors import FzparseError  # noqa: E402
from .models import Document  # noqa: E402
from .pipeline import parse  # noqa: E402

__all__ = ["parse", "Document", "FzparseError", "__version__"]
