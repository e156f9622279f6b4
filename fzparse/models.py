"""The data model: plain records, one place.

Readers produce a `RawDocument` (text blocks with layout hints and where each came from);
clean turns blocks into `Paragraph`s (keeping what it removed); segment, outline and extract
fill a `Document`. Every extracted value carries an `Evidence` pointing back into the source.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


# --------------------------------------------------------------------------- reader output

@dataclass
class Cell:
    """One cell of a table grid. Spanned cells are repeated in every grid slot they cover;
    `spanned` is True on the copies, so a consumer can tell printed cells from repeats."""
    text: str
    spanned: bool = False


@dataclass
class Table:
    """A table as a rectangular grid (rowspans/colspans already expanded)."""
    rows: list[list[Cell]]

    @property
    def texts(self) -> list[list[str]]:
        return [[c.text for c in row] for row in self.rows]


@dataclass
class Block:
    """One paragraph-sized piece of text as a reader found it, with layout hints.

    Location fields are whatever the format offers: `line` (1-based, text files), `page`
    (1-based, PDF), `offset` (character offset in the decoded source, text and HTML), `xpath`
    (HTML/DOCX element). A block that is a table has `table` set and `text` holding its cells
    joined row by row (so text search still sees it)."""
    text: str
    page: int | None = None
    line: int | None = None
    offset: int | None = None
    xpath: str | None = None
    align: str | None = None          # 'center' | 'right' | 'left' | 'justify'
    bold: bool = False
    font_size: float | None = None    # points, where known
    indent: float | None = None       # first-line indent in characters, where known
    table: Table | None = None


@dataclass
class Removed:
    """Something a reader or the clean stage left out of the text, and why (kept as evidence)."""
    text: str
    reason: str
    page: int | None = None
    line: int | None = None
    offset: int | None = None


@dataclass
class RawDocument:
    path: Path
    format: str                                  # 'text' | 'html' | 'pdf' | 'docx'
    blocks: list[Block]
    encoding: str | None = None
    page_metadata: dict[str, str] = field(default_factory=dict)
    page_title: str | None = None                # <title> of a web page
    pages: int | None = None
    removed: list[Removed] = field(default_factory=list)
    # A heading the page shows above the body (e.g. <h1>), when it is not part of the blocks.
    page_heading: str | None = None
    # Reader-level warnings (code, message): become Document.flags.
    warnings: list[tuple[str, str]] = field(default_factory=list)


# --------------------------------------------------------------------------- clean output

@dataclass
class Paragraph:
    """A cleaned paragraph: the unit segment/outline/extract work on."""
    index: int                   # position in Document.paragraphs
    text: str
    page: int | None = None
    line: int | None = None
    offset: int | None = None
    align: str | None = None
    bold: bool = False
    font_size: float | None = None
    table: Table | None = None

    def evidence(self, start: int = 0, end: int | None = None) -> "Evidence":
        return Evidence(paragraph=self.index, start=start, end=len(self.text) if end is None else end,
                        page=self.page, line=self.line,
                        offset=None if self.offset is None else self.offset)


@dataclass
class Evidence:
    """Where a value came from: character span [start, end) of a cleaned paragraph, plus the
    paragraph's source location (page / line / source offset of the paragraph start)."""
    paragraph: int
    start: int
    end: int
    page: int | None = None
    line: int | None = None
    offset: int | None = None


# --------------------------------------------------------------------------- document model

@dataclass
class DocNumber:
    text: str                    # canonical: 渝府办发〔2021〕40号
    agency_code: str | None
    year: int | None
    serial: int | None
    printed: str                 # as printed
    evidence: Evidence | None = None


@dataclass
class Unit:
    name: str                    # as printed
    role: str                    # 'lead' | 'support' | 'guide' | 'responsible'
    explicit: bool = True        # False: found in running prose
    method: str = "parenthetical"  # 'parenthetical' | 'labelled' | 'table' | 'prose' | 'rule' | 'note'
    collective: bool = False     # 各区县政府, 有关部门…: a class of bodies, not one body
    internal: bool = False       # an office inside the issuer (委内牵头处室)
    flags: list[str] = field(default_factory=list)
    evidence: Evidence | None = None
    canonical: str | None = None  # 市司法局 in a 重庆市 notice → 重庆市司法局; None when it cannot be told
    kind: str | None = None       # see patterns.UNIT_KINDS
    aliases: list[str] = field(default_factory=list)
    confidence: float = 1.0       # how sure the extraction is (method and flags), 0..1


@dataclass
class Reference:
    title: str                   # without 《》
    bracketed: bool = True
    doc_number: str | None = None   # 国发〔2016〕23号 printed right after the title
    nested_in: str | None = None    # the outer title for a 〈〉 title
    evidence: Evidence | None = None
    kind: str | None = None         # 法律, 行政法规, 地方性法规, 部门规章, 规范性文件, 规划… (patterns.REFERENCE_KINDS)
    level: str | None = None        # 'national' | 'provincial' | 'municipal' | 'county' | None
    full_title: str | None = None   # what an alias (以下简称《意见》) stands for
    self_reference: bool = False    # the enclosed plan citing itself
    method: str = "bracketed"       # 'bracketed' | 'alias' | 'dictionary' | 'pattern'
    confidence: float = 1.0


@dataclass
class Node:
    number: int
    label: str                   # as printed: 一、 （一） 1. …
    style: str                   # heading style key, see patterns.HEADING_STYLES
    title: str
    text: str = ""               # the node's own text (heading paragraph and its unnumbered paragraphs)
    id: str = ""                 # document key + path: stable across re-runs
    path: tuple[int, ...] = ()
    children: list["Node"] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    deadline: str | None = None  # from a task table's time column, as printed
    deadline_date: str | None = None
    source: str = "heading"      # 'heading' | 'table'
    evidence: Evidence | None = None
    keywords: list[str] = field(default_factory=list)
    targets: list["Target"] = field(default_factory=list)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Target:
    """A number a task commits to: 出庭应诉率要达到50% → value 50, unit %, measure 出庭应诉率."""
    text: str
    value: float | None = None
    unit: str | None = None
    measure: str | None = None
    evidence: Evidence | None = None


@dataclass
class Flag:
    """Something a clerk should look at: an uncertainty, a disagreement, a fallback that fired."""
    code: str
    message: str
    evidence: Evidence | None = None


@dataclass
class Document:
    key: str                               # file name without its last extension
    source_path: str
    format: str
    is_gongwen: bool = True
    not_gongwen_reason: str | None = None
    doc_number: DocNumber | None = None
    issuer: str | None = None              # joint issuers joined with 、
    issuers: list[str] = field(default_factory=list)
    title: str | None = None
    doc_type: str | None = None
    recipients: list[str] = field(default_factory=list)
    signers: list[str] = field(default_factory=list)
    date: str | None = None                # 成文日期, YYYY-MM-DD
    date_printed: str | None = None
    signatory: str | None = None           # 签发人
    classification: str | None = None      # 密级
    urgency: str | None = None             # 紧急程度
    attachments: list[str] = field(default_factory=list)   # 附件说明
    cc: list[str] = field(default_factory=list)            # 抄送
    printed_by: str | None = None          # 印发机关
    printed_date: str | None = None        # 印发日期
    enclosed_title: str | None = None      # the plan a 印发/转发 notice encloses
    covering_text: str | None = None
    preamble: str | None = None            # the enclosed plan's text before its first heading
    closing: str | None = None             # text after the last node
    outline: list[Node] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)   # outside every node
    page_metadata: dict[str, str] = field(default_factory=dict)
    evidence: dict[str, Evidence] = field(default_factory=dict)  # element name -> where
    flags: list[Flag] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    encoding: str | None = None
    pages: int | None = None
    keywords: list[str] = field(default_factory=list)
    locality: str | None = None            # the issuer's place (重庆市, 西平县), used to complete short names

    # derived views, never stored twice
    def nodes(self):
        for node in self.outline:
            yield from node.walk()

    def to_dict(self) -> dict[str, Any]:
        from .export import document_to_dict
        return document_to_dict(self)

    def tables(self) -> dict[str, Any]:
        """The run tables (documents, nodes, assignments, references) for this one document,
        as pandas DataFrames."""
        from .export import dataframes
        return dataframes([self])
