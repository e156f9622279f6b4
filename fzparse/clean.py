"""Clean stage: reader blocks → paragraphs.

Normalises white space (never the characters themselves: full-width stays full-width, the
comparison form is made only where matching needs it), drops page furniture and export
headers — keeping each removed piece with its reason and place — and rejoins lines that a
fixed-width layout wrapped mid-sentence.
"""
from __future__ import annotations

import unicodedata
from collections import Counter

import regex as re

from . import patterns as P
from .models import Block, Paragraph, RawDocument, Removed

SPACES = re.compile(r"[ \t\u00a0\u2002\u2003\u2009\u3000]+")
# An entity a web page printed unresolved (&sp; &ensp without its semicolon…): layout, not text.
STRAY_ENTITY = re.compile(r"&(?:[a-z]{2,6}|#\d{2,5});?")


def normalise_space(text: str) -> str:
    text = P.INVISIBLE.sub("", text).replace("\r", "").replace("\n", " ")
    text = SPACES.sub(" ", STRAY_ENTITY.sub(" ", text)).strip()
    # A space between two CJK characters is layout, not content — except where it separates
    # names on one line (署名 lines, joint 版头): keep runs of 2+ original spaces as one space.
    return text


def squeeze(text: str) -> str:
    """Every whitespace character removed (a printed 发文字号, title or unit name is compared
    without the spaces layout put in)."""
    return "".join(text.split())


def nfkc(text: str) -> str:
    """The comparison form: full-width → half-width, compatibility characters folded."""
    return unicodedata.normalize("NFKC", text)


def furniture_reason(text: str) -> str | None:
    for reason, pattern in P.FURNITURE:
        if pattern.match(text):
            return reason
    return None


def clean(raw: RawDocument) -> tuple[list[Paragraph], list[Removed]]:
    removed: list[Removed] = list(raw.removed)
    kept: list[Block] = []
    for block in raw.blocks:
        text = block.text if block.table is not None else normalise_space(block.text)
        if not text:
            continue
        reason = None if block.table is not None else furniture_reason(text)
        if reason:
            removed.append(Removed(text=text, reason=reason, page=block.page, line=block.line, offset=block.offset))
            continue
        kept.append(_with_text(block, text))
    if raw.format == "text":
        kept = join_unindented_continuations(join_wrapped_lines(kept, removed))
    paragraphs = [
        Paragraph(index=i, text=b.text, page=b.page, line=b.line, offset=b.offset, align=b.align,
                  bold=b.bold, font_size=b.font_size, table=b.table)
        for i, b in enumerate(kept)
    ]
    return paragraphs, removed


def _with_text(block: Block, text: str) -> Block:
    if text == block.text:
        return block
    return Block(text=text, page=block.page, line=block.line, offset=block.offset, xpath=block.xpath,
                 align=block.align, bold=block.bold, font_size=block.font_size, indent=block.indent,
                 table=block.table)


def is_heading_start(text: str) -> bool:
    return any(pattern.match(text) for _, pattern in P.HEADING_STYLES) or bool(P.ARTICLE.match(text))


def join_unindented_continuations(blocks: list[Block]) -> list[Block]:
    """Rejoin the lines of a text file whose paragraphs open indented (　　) and were wrapped by
    hand, at no one width: a line not indented after an indented paragraph that does not end a
    sentence goes on with that sentence (…全年培训 / 1.5万人次以上。（…负责）). Files that do not
    indent their paragraphs are left alone, and a heading alone on its line is never continued."""
    indented = sum(1 for b in blocks if (b.indent or 0) >= 1)
    if indented < 5 or indented < 0.3 * len(blocks):
        return blocks
    long_lines = sorted(len(b.text) for b in blocks if len(b.text) >= 10)
    # a wrapped line runs (nearly) to the margin; a short one (a date, a name) ends where it is
    wrapped_at_least = 0.6 * long_lines[len(long_lines) // 2] if long_lines else 0
    out: list[Block] = []
    opened_indented = False              # the last paragraph in `out` opened indented
    last_line = 0                        # the length of its last line
    for block in blocks:
        prev = out[-1] if out else None
        if (prev is not None and opened_indented and not (block.indent or 0) and block.table is None
                and prev.table is None and last_line >= wrapped_at_least
                and not prev.text.endswith(P.SENTENCE_END) and not is_heading_start(block.text)
                and not (is_heading_start(prev.text) and not _has_sentence_end(prev.text))
                and not _ends_with_date(prev.text)
                # the rest of a sentence ends one, or runs to the margin itself; a short line that
                # does neither (填报单位, 申请部门：) is a form's field under a title, not the title's rest
                and (len(block.text) >= wrapped_at_least or
                     (block.text.endswith(P.SENTENCE_END) and not block.text.endswith(("：", ":"))))):
            out[-1] = _with_text(prev, prev.text + block.text)
            last_line = len(block.text)
            continue
        out.append(block)
        opened_indented = (block.indent or 0) >= 1
        last_line = len(block.text) + int(block.indent or 0)
    return out


def _has_sentence_end(text: str) -> bool:
    return any(ch in text for ch in "。；;！!？?")


def _ends_with_date(text: str) -> bool:
    tail = text[-16:]
    return any(m.end() == len(tail) for pattern in (P.DATE_ARABIC, P.DATE_CN) for m in pattern.finditer(tail))


def join_wrapped_lines(blocks: list[Block], removed: list[Removed]) -> list[Block]:
    """Rejoin a text file that was hard-wrapped at a fixed width (a PDF pasted as text).

    Only fires when a clear majority of long lines share one length: ordinary one-paragraph-
    per-line files are left alone. A line of the wrap width that does not end a sentence is
    joined with the next, unless the next starts a heading."""
    lengths = [len(b.text) for b in blocks if len(b.text) >= 15]
    if len(lengths) < 10:
        return blocks
    width, count = Counter(lengths).most_common(1)[0]
    near = sum(1 for n in lengths if abs(n - width) <= 1)
    # a wrapped file has most of its long lines at the wrap width; a notice written one
    # paragraph per line has a few of one length by chance
    if near < 0.6 * len(lengths) or count < 8 or width < 15:
        return blocks
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if (prev is not None and abs(len(prev.text.split("\n")[-1]) - width) <= 1
                and not prev.text.endswith(P.SENTENCE_END) and not is_heading_start(block.text)
                and not block.text.endswith(("：", ":")) and prev.table is None and block.table is None):
            out[-1] = _with_text(prev, prev.text + "\n" + block.text)
        else:
            out.append(block)
    # The "\n" marks where lines were joined while joining; the paragraph text has none.
    return [_with_text(b, b.text.replace("\n", "")) for b in out]
