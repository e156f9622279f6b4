"""One exception family. Every message names the file and says what a clerk can do about it."""
from __future__ import annotations


class FzparseError(Exception):
    """Base class: a file that fzparse could not turn into a Document."""

    reason = "cannot be parsed"

    def __init__(self, path, detail: str | None = None):
        self.path = str(path)
        self.detail = detail
        super().__init__(f"{self.path}: {self.reason}" + (f" ({detail})" if detail else ""))


class UnsupportedFormat(FzparseError):
    reason = "unsupported format"


class LegacyWordFormat(UnsupportedFormat):
    reason = "legacy Word/WPS format is not supported; save it as DOCX and parse that"


class Unreadable(FzparseError):
    reason = "unreadable file"


class EmptyDocument(FzparseError):
    reason = "the file holds no text"


class ScannedDocument(FzparseError):
    reason = "scanned document, no text layer (OCR it first)"


class EncryptedDocument(FzparseError):
    reason = "encrypted document that needs a password"


class TooLarge(FzparseError):
    reason = "input exceeds a configured limit"


class NothingExtracted(FzparseError):
    """The file has text but nothing of a notice could be found in it: fail loudly."""
    reason = "text found but nothing could be extracted from it"


class TimeLimitExceeded(FzparseError):
    reason = "parsing took longer than the time limit per document"
