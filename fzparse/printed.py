"""Notices printed in traditional characters (reposts, mirror pages) are matched on a
simplified copy — every pattern is written in simplified characters — and every value is then
given back as printed. The copy is made only where the conversion keeps each paragraph's length,
so a span found in the copy is the same span of the printed text."""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

from .models import Cell, Document, Flag, Paragraph, Table
from .units import is_traditional, to_simplified

SAMPLE = 60        # paragraphs looked at to tell a traditional-character notice


def simplified_copy(paras: list[Paragraph]) -> list[Paragraph] | None:
    """The paragraphs in simplified characters, or None when they are simplified already or a
    conversion would change a paragraph's length."""
    if not any(is_traditional(p.text) for p in paras[:SAMPLE]):
        return None
    out = []
    for p in paras:
        text = to_simplified(p.text)
        if len(text) != len(p.text):
            return None
        table = p.table
        if table is not None:
            table = Table(rows=[[Cell(to_simplified(c.text), c.spanned) for c in row] for row in table.rows])
        out.append(replace(p, text=text, table=table))
    return out


class Printer:
    """Maps a value read from the simplified copy back to the printed characters."""

    def __init__(self, printed: list[Paragraph], simplified: list[Paragraph]):
        self.printed_text = "\n".join(p.text for p in printed)
        self.simplified_text = "\n".join(p.text for p in simplified)
        votes: dict[str, Counter] = {}
        for a, b in zip(self.simplified_text, self.printed_text):
            if a != b:
                votes.setdefault(a, Counter())[b] += 1
        self.chars = {a: c.most_common(1)[0][0] for a, c in votes.items()}

    def __call__(self, value: str | None) -> str | None:
        if not value:
            return value
        at = self.simplified_text.find(value)
        if at >= 0:
            return self.printed_text[at:at + len(value)]
        return "".join(self.chars.get(ch, ch) for ch in value)


def restore_printed(doc: Document, printed: list[Paragraph], simplified: list[Paragraph]) -> None:
    """Every value of `doc` (read from `simplified`) as printed; the paragraphs as printed."""
    pr = Printer(printed, simplified)
    for name in ("title", "issuer", "enclosed_title", "covering_text", "preamble", "closing", "printed_by",
                 "date_printed", "signatory", "classification", "urgency"):
        setattr(doc, name, pr(getattr(doc, name)))
    for name in ("issuers", "recipients", "signers", "attachments", "cc"):
        setattr(doc, name, [pr(v) for v in getattr(doc, name)])
    if doc.doc_number is not None:       # canonical brackets, printed characters
        dn = doc.doc_number
        dn.printed, dn.text, dn.agency_code = pr(dn.printed), pr(dn.text), pr(dn.agency_code)
    for ref in doc.references:
        _ref(ref, pr)
    for node in doc.nodes():
        node.title, node.text, node.label = pr(node.title), pr(node.text), pr(node.label)
        node.deadline = pr(node.deadline)
        for unit in node.units:
            unit.name = pr(unit.name)
        for ref in node.references:
            _ref(ref, pr)
    doc.paragraphs = printed
    doc.flags.append(Flag("traditional-characters", "printed in traditional characters: matched on a simplified "
                                                    "copy, values kept as printed (canonical forms are simplified)"))


def _ref(ref, pr: Printer) -> None:
    ref.title, ref.nested_in, ref.full_title = pr(ref.title), pr(ref.nested_in), pr(ref.full_title)
