"""Plain text: the encoding is told from the bytes (BOMs, UTF-16 NUL patterns, strict UTF-8,
then GB18030), never assumed; CRLF/CR/LF all end a line; every non-blank line is a block."""
from __future__ import annotations

import codecs

import regex as re
from pathlib import Path

from ..errors import Unreadable
from ..models import Block, RawDocument

# Share of undecodable bytes a UTF-8 file may have before it is refused (replacement chars are
# flagged, not hidden).
MAX_BAD_UTF8_SHARE = 0.002
CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f]")     # C0 controls but \t \n \v \f \r


def decode(path: Path, data: bytes) -> tuple[str, str, list[tuple[str, str]]]:
    """Return (text, encoding name, warnings)."""
    warnings: list[tuple[str, str]] = []
    if data.startswith(codecs.BOM_UTF8):
        text, enc = _strict_or_lenient(path, data[3:], "utf-8", warnings), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, enc = _utf16(path, data, "utf-16"), "utf-16"
    elif _looks_utf16(data):
        enc = "utf-16-le" if data[1::2].count(0) > data[0::2].count(0) else "utf-16-be"
        text = _utf16(path, data, enc)
    elif b"\x00" in data[:65536]:
        # UTF-16 without a BOM: CJK-only text has NULs only in its line breaks
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                candidate = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if plausible(candidate):
                text = candidate
                break
        else:
            raise Unreadable(path, "binary data, not text (NUL bytes)")
    else:
        try:
            text, enc = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            try:
                text, enc = data.decode("gb18030"), "gb18030"
            except UnicodeDecodeError:
                text, enc = _strict_or_lenient(path, data, "utf-8", warnings), "utf-8"
            else:
                if not plausible(text):
                    # GB18030 decodes almost any bytes: garbage is not a notice
                    text, enc = _strict_or_lenient(path, data, "utf-8", warnings), "utf-8"
    sample = text[:20000]
    if sample and len(CONTROL_CHARS.findall(sample)) > len(sample) * 0.01:
        raise Unreadable(path, "binary data, not text (control characters)")
    return text, enc, warnings


def plausible(text: str) -> bool:
    """Mostly characters a notice is written in: CJK, ASCII, CJK punctuation and full-width forms."""
    sample = text[:20000]
    if not sample:
        return False
    good = sum(1 for ch in sample if ch.isspace() or " " <= ch <= "~" or "\u4e00" <= ch <= "\u9fff"
               or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef" or ch in "“”‘’—…·①②③④⑤⑥⑦⑧⑨⑩○")
    return good >= 0.9 * len(sample)


def _looks_utf16(data: bytes) -> bool:
    head = data[:4000]
    if len(head) < 4:
        return False
    zeros_even, zeros_odd = head[0::2].count(0), head[1::2].count(0)
    half = len(head) / 2
    # ASCII-heavy UTF-16 has NULs in every other byte; CJK-only UTF-16 has none, so also try
    # a strict decode when the length is even and UTF-8 fails (handled by the caller's order).
    return max(zeros_even, zeros_odd) > half * 0.3 and min(zeros_even, zeros_odd) < half * 0.05


def _utf16(path: Path, data: bytes, enc: str) -> str:
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as err:
        raise Unreadable(path, f"not valid {enc.upper()} text ({err.reason} at byte {err.start})") from err
    return text.lstrip("\ufeff")


def _strict_or_lenient(path: Path, data: bytes, enc: str, warnings: list) -> str:
    try:
        return data.decode(enc)
    except UnicodeDecodeError:
        text = data.decode(enc, errors="replace")
        bad = text.count("\ufffd")
        if bad > max(1, len(data) * MAX_BAD_UTF8_SHARE):
            raise Unreadable(path, "not text in any supported encoding (UTF-8, UTF-16, GB18030)") from None
        warnings.append(("invalid-bytes", f"{bad} byte sequence(s) that are not valid {enc.upper()} were replaced by �"))
        return text


# One character per line with a BIO tag (B_发文字号 / I_正文 / O), as annotated corpora such as
# GovDoc-CN ship: the text is the characters in order, a B_ tag starting a new paragraph.
BIO_LINE = re.compile(r"^(\S)\s+([BIO])(?:[_-]\S+)?$")


def bio_to_text(text: str) -> str | None:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) < 20:
        return None
    matches = [BIO_LINE.match(ln.strip()) for ln in lines[:2000]]
    if sum(m is not None for m in matches) < 0.95 * len(matches):
        return None
    out: list[str] = []
    for ln in lines:
        m = BIO_LINE.match(ln.strip())
        if not m:
            continue
        if m.group(2) == "B" and out:
            out.append("\n")
        out.append(m.group(1))
    return "".join(out)


def indent_of(lead: str) -> float:
    """A line's indentation in characters: an ideographic space is one, an ASCII space half, a tab two."""
    return lead.count("\u3000") + 0.5 * lead.count(" ") + 2 * lead.count("\t")


def read(path: Path, data: bytes) -> RawDocument:
    text, encoding, warnings = decode(path, data)
    rebuilt = bio_to_text(text)
    if rebuilt is not None:
        text = rebuilt
        warnings.append(("bio-annotation", "one character per line with BIO tags: text rebuilt from the characters, "
                                           "a paragraph per B tag; line numbers refer to the rebuilt text"))
    blocks: list[Block] = []
    offset = 0
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        stripped = raw.strip()
        if stripped:
            lead = raw[:len(raw) - len(raw.lstrip())]
            blocks.append(Block(text=stripped, line=number, offset=offset + len(lead), indent=indent_of(lead)))
        offset += len(raw) + 1
    return RawDocument(path=path, format="text", blocks=blocks, encoding=encoding, warnings=warnings)
