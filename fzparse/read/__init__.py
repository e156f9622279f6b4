"""Read stage: a file's bytes → RawDocument (text blocks with layout hints).

Each format lives in its own module with a `read(path, data) -> RawDocument` function.
The format is told from the bytes first (magic numbers), then from the extension.
"""
from __future__ import annotations

from pathlib import Path

from .. import limits
from ..errors import EmptyDocument, LegacyWordFormat, TooLarge, Unreadable, UnsupportedFormat
from ..models import RawDocument

TEXT_EXTENSIONS = {".txt", ".text", ""}
HTML_EXTENSIONS = {".html", ".htm", ".xhtml", ".shtml"}
LEGACY_EXTENSIONS = {".doc", ".wps", ".dot"}

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(path: Path, data: bytes) -> str:
    """'text' | 'html' | 'pdf' | 'docx' — from the bytes, the extension breaking ties."""
    ext = path.suffix.lower()
    head = data[:2048]
    if head.startswith(b"%PDF-") or (b"%PDF-" in head[:1024] and ext == ".pdf"):
        return "pdf"
    if head.startswith(OLE2_MAGIC) or ext in LEGACY_EXTENSIONS:
        raise LegacyWordFormat(path)
    if head.startswith(b"PK\x03\x04"):
        if ext in {".docx", ".docm", ".dotx"} or b"word/" in data[:65536]:
            return "docx"
        raise UnsupportedFormat(path, "a zip archive that is not a DOCX document")
    if ext == ".pdf":
        raise Unreadable(path, "named .pdf but is not a PDF (no %PDF- header)")
    if ext == ".docx":
        raise Unreadable(path, "named .docx but is not a zip package")
    if ext in HTML_EXTENSIONS:
        return "html"
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in data[:4096].lower():
        return "html"
    if ext in TEXT_EXTENSIONS or ext in {".md", ".csv"}:
        return "text"
    raise UnsupportedFormat(path, f"extension {ext!r} is not one of .txt .html .pdf .docx")


def _without_bom(data: bytes) -> bytes:
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if data.startswith(bom):
            return data[len(bom):].replace(b"\x00", b"") if bom != b"\xef\xbb\xbf" else data[len(bom):]
    return data


def read(path: Path | str) -> RawDocument:
    path = Path(path)
    limit = limits.current()
    try:
        size = path.stat().st_size
        if size > limit.max_bytes:      # refused before it is read
            raise TooLarge(path, f"{size / limits.MB:.1f} MB, limit {limit.max_bytes / limits.MB:.0f} MB (--max-mb)")
        data = path.read_bytes()
    except OSError as err:
        raise Unreadable(path, err.strerror or str(err)) from err
    return read_bytes(path, data)


def read_bytes(path: Path | str, data: bytes) -> RawDocument:
    """The same for bytes already in memory (an archive member); `path` names it in messages."""
    path = Path(path)
    limit = limits.current()
    if len(data) > limit.max_bytes:
        raise TooLarge(path, f"{len(data) / limits.MB:.1f} MB, limit {limit.max_bytes / limits.MB:.0f} MB (--max-mb)")
    if not data.strip() or data in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff") or not _without_bom(data).strip():
        raise EmptyDocument(path)
    kind = sniff(path, data)
    if kind == "text":
        from . import text as reader
    elif kind == "html":
        from . import html as reader
    elif kind == "pdf":
        from . import pdf as reader
    else:
        from . import docx as reader
    raw = reader.read(path, data)
    if raw.pages is not None and raw.pages > limit.max_pages:
        raise TooLarge(path, f"{raw.pages} pages, limit {limit.max_pages} (--max-pages)")
    return raw
