"""Render the plain-text notices in tests/data/notices/*.txt into PDF and DOCX test inputs.

No binary test file is committed: tests call these functions to generate their inputs.

A notice .txt holds one paragraph per line, in 公文 order; the role of each line is told from
its place: line 1 the 版头 (red, large, centered), line 2 the 发文字号, line 3 the title, the
first line ending with '：' the 主送, a date line like 2024年3月5日 and the line before it the
署名 and 成文日期 (right-aligned), the line right after the date the enclosed plan's title
(centered, on a new page). Lines with '|' are rows of a task table ('^' in a cell: merged with
the cell above). Everything else is a body paragraph (2-character first-line indent).

    python tools/make_fixtures.py [--out tests/generated]

PDF: reportlab with its built-in CID font STSong-Light (no font file needed), A4, GB/T 9704-like
layout: 28 characters a line, 22 lines a page, page numbers '— N —' at the bottom, the task table
ruled. DOCX: python-docx, a real table (with a vertically merged cell), Word automatic numbering
(chineseCounting '%1、', '（%1）', decimal '%1.') for outline headings, a footer with a PAGE field,
and the 发文字号's serial inside a MACROBUTTON field.
"""
from __future__ import annotations

import argparse
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTICES = ROOT / "tests" / "data" / "notices"
GENERATED = ROOT / "tests" / "generated"

DATE_RE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
NO_LINE_START = set("，。、；：？！）》」』】〕〉”’…,.;:?!)]%")
CN_NUMS = "一二三四五六七八九十"
LEVEL_RES = [
    (0, re.compile(r"^([一二三四五六七八九十]+)、")),
    (1, re.compile(r"^（([一二三四五六七八九十]+)）")),
    (2, re.compile(r"^(\d+)\.")),
]


@dataclass
class Item:
    kind: str      # banner docnum title recipients body signature date plan_title table
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)   # table: '^' = merged with above


def parse_notice(text: str) -> list[Item]:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    items: list[Item] = []
    date_at = next((i for i, ln in enumerate(lines) if DATE_RE.match(ln)), None)
    recipients_seen = False
    i = 0
    while i < len(lines):
        ln = lines[i]
        if "|" in ln:
            rows = []
            while i < len(lines) and "|" in lines[i]:
                rows.append([c.strip() for c in lines[i].split("|")])
                i += 1
            items.append(Item("table", rows=rows))
            continue
        if i == 0:
            kind = "banner"
        elif i == 1:
            kind = "docnum"
        elif i == 2:
            kind = "title"
        elif not recipients_seen and ln.endswith("：") and i == 3:
            kind, recipients_seen = "recipients", True
        elif date_at is not None and i == date_at:
            kind = "date"
        elif date_at is not None and i == date_at - 1:
            kind = "signature"
        elif date_at is not None and i == date_at + 1 and "：" not in ln and not ln.endswith("。"):
            kind = "plan_title"
        else:
            kind = "body"
        items.append(Item(kind, ln))
        i += 1
    return items


def expected_paragraphs(path: Path) -> list[str]:
    """The paragraph texts a reader should give back (tables left out)."""
    return [it.text for it in parse_notice(path.read_text(encoding="utf-8")) if it.kind != "table"]


def expected_tables(path: Path) -> list[list[list[str]]]:
    """Each table as a grid of texts, merged cells expanded (a '^' repeats the cell above)."""
    out = []
    for it in parse_notice(path.read_text(encoding="utf-8")):
        if it.kind == "table":
            grid: list[list[str]] = []
            for r, row in enumerate(it.rows):
                grid.append([grid[r - 1][c] if cell == "^" and r else cell for c, cell in enumerate(row)])
            out.append(grid)
    return out


# --------------------------------------------------------------------------- PDF

A4 = (595.28, 841.89)
LEFT = 28 * 72 / 25.4              # 28 mm
TEXT_W = 156 * 72 / 25.4           # 156 mm
RIGHT = LEFT + TEXT_W
TOP_BASELINE = A4[1] - 37 * 72 / 25.4 - 14
BOTTOM = 35 * 72 / 25.4
PITCH = 225 * 72 / 25.4 / 22        # 22 lines a page
BODY = 16.0
ADV = TEXT_W / 28
FONT = "STSong-Light"


def _units(ch: str) -> float:
    return 0.5 if ord(ch) < 128 else 1.0


def wrap(text: str, first: float, rest: float) -> list[str]:
    """Break a paragraph into lines of `first` then `rest` units (CJK = 1, ASCII = 0.5); closing
    punctuation hangs on the line it follows; an ASCII run (a number) is never split."""
    lines: list[str] = []
    cur, width, limit = "", 0.0, first
    i = 0
    while i < len(text):
        ch = text[i]
        w = _units(ch)
        if width + w > limit + 1e-6 and cur and ch not in NO_LINE_START:
            m = re.search(r"[\x21-\x7e]+$", cur)
            if m and ord(ch) < 128 and m.start() > 0:
                lines.append(cur[: m.start()])
                cur = cur[m.start():]
            else:
                lines.append(cur)
                cur = ""
            width = sum(_units(c) for c in cur)
            limit = rest
        cur += ch
        width += w
        i += 1
    if cur:
        lines.append(cur)
    return lines


class _PdfWriter:
    def __init__(self, out, encrypt=None):
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        from reportlab.pdfgen import canvas
        if FONT not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        self.c = canvas.Canvas(str(out), pagesize=A4, encrypt=encrypt, invariant=1)
        self.page = 1
        self.y = TOP_BASELINE

    def chars(self, text: str, x: float, y: float, size: float, adv: float, color=(0, 0, 0)):
        # one drawString a line (pdfium cannot map one-character CID strings back to Unicode);
        # the character spacing makes a CJK character advance by `adv`
        c = self.c
        c.setFillColorRGB(*color)
        c.setFont(FONT, size)
        if len(text) == 1 and ord(text) > 127:
            text += " "     # pdfium drops a lone 2-byte CID string; a trailing space keeps it
        c.drawString(x, y, text, charSpace=adv - size)
        c.setFillColorRGB(0, 0, 0)

    def width(self, text: str, adv: float, size: float | None = None) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth
        size = adv if size is None else size
        return stringWidth(text, FONT, size) + (adv - size) * len(text)

    def new_page(self):
        self.footer()
        self.c.showPage()
        self.page += 1
        self.y = TOP_BASELINE

    def footer(self):
        label = f"— {self.page} —"
        size = 14
        w = self.width(label, size) - size * 0.0
        x = RIGHT - size - w if self.page % 2 else LEFT + size
        self.chars(label, x, BOTTOM - 36, size, size)

    def need(self, height: float):
        if self.y - height < BOTTOM:
            self.new_page()

    def line(self, text: str, x: float, size: float = BODY, adv: float = ADV, color=(0, 0, 0), pitch: float = PITCH):
        self.need(0)
        self.chars(text, x, self.y, size, adv, color)
        self.y -= pitch

    def centered(self, text: str, size: float, per_line: int, color=(0, 0, 0), pitch: float = PITCH):
        for part in wrap(text, per_line, per_line):
            w = self.width(part, size)
            self.line(part, LEFT + (TEXT_W - w) / 2, size, size, color, pitch)


    def paragraph(self, text: str, indent: float = 2):
        for n, part in enumerate(wrap(text, 28 - indent, 28)):
            self.line(part, LEFT + (indent * ADV if n == 0 else 0))

    def table(self, rows: list[list[str]]):
        """A ruled table: '^' merges a cell with the one above, '<' with the one to its left.
        A table longer than the page goes on over the next pages, row by row (a cell merged
        across the break is printed again at the top of the new page)."""
        c = self.c
        ncols = max(len(r) for r in rows)
        rows = [list(r) + [""] * (ncols - len(r)) for r in rows]
        if ncols <= 5:
            fractions = [0.09, 0.31, 0.2, 0.24, 0.16][:ncols]
        else:   # by content: the longest cell of each column, dampened
            fractions = [max(2.0, min(12.0, max(len(r[k]) for r in rows if r[k] not in "^<") ** 0.5 * 2))
                         for k in range(ncols)]
        total = sum(fractions)
        widths = [TEXT_W * f / total for f in fractions]
        xs = [LEFT]
        for wd in widths:
            xs.append(xs[-1] + wd)
        size, lead, pad = 12.0, 16.0, 5.0
        anchors = [[""] * ncols for _ in rows]     # the printed text each slot belongs to

        def span(r, col):
            end = col + 1
            while end < ncols and rows[r][end] == "<":
                end += 1
            return end

        for r, row in enumerate(rows):
            for col, text in enumerate(row):
                anchors[r][col] = (anchors[r - 1][col] if text == "^" and r else
                                   anchors[r][col - 1] if text == "<" and col else text)
        c.setLineWidth(0.8)
        top = self.y + BODY
        first = True
        for r, row in enumerate(rows):
            shown = list(row)
            if first:   # the first row on a page prints what it is merged into
                shown = [anchors[r][k] if t == "^" else t for k, t in enumerate(row)]
            cells = []
            for col, text in enumerate(shown):
                if text in ("^", "<"):
                    cells.append([])
                    continue
                wd = xs[span(r, col)] - xs[col]
                per = max(1, int((wd - 2 * pad) // size))
                cells.append(wrap(text, per, per))
            height = max(1, max(len(x) for x in cells)) * lead + 2 * pad
            if top - height < BOTTOM and not first:
                c.line(xs[0], top, xs[-1], top)
                self.new_page()
                top = self.y + BODY
                first = True
                shown = [anchors[r][k] if t == "^" else t for k, t in enumerate(row)]
                cells = []
                for col, text in enumerate(shown):
                    if text in ("^", "<"):
                        cells.append([])
                        continue
                    wd = xs[span(r, col)] - xs[col]
                    per = max(1, int((wd - 2 * pad) // size))
                    cells.append(wrap(text, per, per))
                height = max(1, max(len(x) for x in cells)) * lead + 2 * pad
            while top - height < BOTTOM:
                # a row taller than what is left of the page: print the lines that fit, go
                # on with the rest of every cell at the top of the next page
                fit = int((top - BOTTOM - 2 * pad) // lead)
                if fit < 1:
                    break
                bottom = top - (fit * lead + 2 * pad)
                self._row(xs, shown, [x[:fit] for x in cells], top, bottom, first, size, lead, pad)
                c.line(xs[0], bottom, xs[-1], bottom)
                self.new_page()
                top = self.y + BODY
                first = True
                cells = [x[fit:] for x in cells]
                shown = ["" if t == "^" else t for t in shown]
                height = max(1, max(len(x) for x in cells)) * lead + 2 * pad
            bottom = top - height
            self._row(xs, shown, cells, top, bottom, first, size, lead, pad)
            top = bottom
            first = False
        c.line(xs[0], top, xs[-1], top)
        self.y = top - PITCH

    def _row(self, xs, shown, cells, top, bottom, first, size, lead, pad):
        c = self.c
        for col in range(len(xs) - 1):
            if first or shown[col] != "^":
                c.line(xs[col], top, xs[col + 1], top)
            if shown[col] != "<":
                c.line(xs[col], top, xs[col], bottom)
        c.line(xs[-1], top, xs[-1], bottom)
        for col, lines in enumerate(cells):
            y = top - pad - size
            for ln in lines:
                self.chars(ln, xs[col] + pad, y, size, size)
                y -= lead

    def save(self):
        self.footer()
        self.c.save()


def render_pdf(notice: Path, out: Path, encrypt=None) -> Path:
    items = parse_notice(notice.read_text(encoding="utf-8"))
    w = _PdfWriter(out, encrypt=encrypt)
    for it in items:
        if it.kind == "banner":
            w.y = TOP_BASELINE - 20
            w.centered(it.text, 28, 16, color=(0.85, 0.05, 0.05), pitch=60)
        elif it.kind == "docnum":
            w.centered(it.text, BODY, 28, pitch=20)
            w.c.setStrokeColorRGB(0.85, 0.05, 0.05)
            w.c.setLineWidth(1.5)
            w.c.line(LEFT, w.y, RIGHT, w.y)
            w.c.setStrokeColorRGB(0, 0, 0)
            w.y -= PITCH * 1.5
        elif it.kind in ("title", "plan_title"):
            if it.kind == "plan_title":
                w.new_page()
            w.centered(it.text, 22, 18, pitch=32)
            w.y -= PITCH * 0.5
        elif it.kind == "recipients":
            w.paragraph(it.text, indent=0)
        elif it.kind == "signature":
            w.y -= PITCH
            date = next((x.text for x in items if x.kind == "date"), "")
            dw = w.width(date, ADV, BODY)
            center = RIGHT - 4 * ADV - dw / 2
            w.line(it.text, center - w.width(it.text, ADV, BODY) / 2)
        elif it.kind == "date":
            w.line(it.text, RIGHT - 4 * ADV - w.width(it.text, ADV, BODY))
        elif it.kind == "table":
            w.table(it.rows)
        else:
            w.paragraph(it.text)
    w.save()
    return out


def _grid_marks(table) -> list[list[str]]:
    """A reader's Table (spans expanded) → rows of texts with '^' (merged with the cell above)
    and '<' (merged with the cell to the left)."""
    rows: list[list[str]] = []
    for r, row in enumerate(table.rows):
        out = []
        for c, cell in enumerate(row):
            if cell.spanned and r and c < len(table.rows[r - 1]) and table.rows[r - 1][c].text == cell.text:
                out.append("^")
            elif cell.spanned and c and row[c - 1].text == cell.text:
                out.append("<")
            else:
                out.append(cell.text)
        rows.append(out)
    return rows


def document_items(doc) -> list[Item]:
    """A parsed notice (`fzparse.parse(...)`, e.g. of a web page) → the items of a GB/T 9704
    page: 标题 (centered, large), 发文字号 and other centered lines, 主送 flush left, body
    paragraphs with a 2-character indent, right-aligned 署名/成文日期, tables."""
    ev = getattr(doc, "evidence", {}) or {}
    title_at = ev["title"].paragraph if "title" in ev else None
    recipients_at = ev["recipients"].paragraph if "recipients" in ev else None
    items: list[Item] = []
    for p in doc.paragraphs:
        if p.table is not None:
            items.append(Item("table", rows=_grid_marks(p.table)))
            continue
        # a space between two CJK characters is printed as a full-width one, as a 公文 prints it
        text = re.sub(r"(?<=[^\x00-\x7f]) +(?=[^\x00-\x7f])", "\u3000", p.text.strip())
        if not text:
            continue
        if p.align == "center":
            big = p.index == title_at or (p.font_size or 0) >= 16 or (
                title_at is not None and p.index == title_at + 1 and items and items[-1].kind == "title")
            items.append(Item("title" if big else "center", text))
        elif p.align == "right":
            items.append(Item("right", text))
        elif p.index == recipients_at:
            items.append(Item("recipients", text))
        else:
            items.append(Item("body", text))
    return items


def render_document_pdf(doc, out: Path) -> Path:
    """Render a parsed notice's paragraphs into an A4 GB/T 9704-style PDF (see document_items):
    title 22 pt centered, body 16 pt wrapped every 28 characters, page numbers — N —."""
    items = document_items(doc)
    w = _PdfWriter(out)
    prev = None
    for it in items:
        if it.kind == "title":
            if prev not in (None, "title", "center"):
                w.y -= PITCH * 0.5
            w.centered(it.text, 22, 18, pitch=32)
        elif it.kind == "center":
            w.centered(it.text, BODY, 28)
        elif it.kind == "right":
            for part in wrap(it.text, 24, 24):
                w.line(part, RIGHT - 2 * ADV - w.width(part, ADV, BODY))
        elif it.kind == "recipients":
            w.paragraph(it.text, indent=0)
        elif it.kind == "table":
            w.table(it.rows)
        else:
            w.paragraph(it.text)
        prev = it.kind
    w.save()
    return out


def encrypted_pdf(out: Path, password: str = "secret") -> Path:
    """A small PDF that needs a user password (reportlab's standard encryption)."""
    from reportlab.lib import pdfencrypt
    w = _PdfWriter(out, encrypt=pdfencrypt.StandardEncryption(password, ownerPassword=password + "-owner"))
    w.paragraph("本文件已加密，需要密码才能打开。")
    w.save()
    return out


def truncated_pdf(source: Path, out: Path, keep: float = 0.5) -> Path:
    data = source.read_bytes()
    out.write_bytes(data[: int(len(data) * keep)])
    return out


# --------------------------------------------------------------------------- DOCX

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NUM_ID = "77"
ABSTRACT_ID = "77"


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _add_numbering(doc) -> None:
    from docx.oxml import parse_xml
    part = doc.part.numbering_part
    root = part.element
    levels = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")]
    lvl_xml = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:firstLine="640"/></w:pPr></w:lvl>'
        for i, (fmt, text) in enumerate(levels))
    abstract = parse_xml(f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{ABSTRACT_ID}">'
                         f'<w:multiLevelType w:val="multilevel"/>{lvl_xml}</w:abstractNum>')
    num = parse_xml(f'<w:num xmlns:w="{W_NS}" w:numId="{NUM_ID}"><w:abstractNumId w:val="{ABSTRACT_ID}"/></w:num>')
    first_num = root.find(_w("num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        root.append(abstract)
    root.append(num)


def _set_numbered(paragraph, level: int) -> None:
    from docx.oxml import parse_xml
    ppr = paragraph._p.get_or_add_pPr()
    ppr.insert(0, parse_xml(f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="{level}"/><w:numId w:val="{NUM_ID}"/></w:numPr>'))


def _add_field_run(paragraph, instruction: str, result: str | None) -> None:
    from docx.oxml import parse_xml
    runs = [f'<w:r xmlns:w="{W_NS}"><w:fldChar w:fldCharType="begin"/></w:r>',
            f'<w:r xmlns:w="{W_NS}"><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>']
    if result is not None:
        runs += [f'<w:r xmlns:w="{W_NS}"><w:fldChar w:fldCharType="separate"/></w:r>',
                 f'<w:r xmlns:w="{W_NS}"><w:t>{result}</w:t></w:r>']
    runs.append(f'<w:r xmlns:w="{W_NS}"><w:fldChar w:fldCharType="end"/></w:r>')
    for xml in runs:
        paragraph._p.append(parse_xml(xml))


def render_docx(notice: Path, out: Path) -> Path:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    items = parse_notice(notice.read_text(encoding="utf-8"))
    doc = Document()
    _add_numbering(doc)
    section = doc.sections[0]
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("— ")
    _add_field_run(footer, "PAGE", "1")
    footer.add_run(" —")
    section.header.paragraphs[0].text = "内部资料 注意保存"

    counters = [0, 0, 0]
    in_plan = False
    for it in items:
        if it.kind == "table":
            rows = it.rows
            table = doc.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    if text == "^":
                        top = table.cell(r - 1, c)
                        keep = top.text
                        merged = top.merge(table.cell(r, c))
                        merged.text = keep
                    else:
                        table.cell(r, c).text = text
            continue
        p = doc.add_paragraph()
        text = it.text
        size = 16
        if it.kind == "banner":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(text)
            run.font.color.rgb = RGBColor(0xD0, 0x10, 0x10)
            run.font.size = Pt(28)
            run.bold = True
            continue
        if it.kind == "docnum":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            m = re.match(r"^(.*〕)(\d+)(号)$", text)
            if m:   # the serial sits in a MACROBUTTON field, as in real 公文 templates
                p.add_run(m.group(1)).font.size = Pt(size)
                _add_field_run(p, f"MACROBUTTON EmptyMacro {m.group(2)}", None)
                p.add_run(m.group(3)).font.size = Pt(size)
                continue
        elif it.kind in ("title", "plan_title"):
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            size = 22
            if it.kind == "plan_title":
                in_plan = True
                p.paragraph_format.page_break_before = True
        elif it.kind in ("signature", "date"):
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif it.kind == "body":
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            p.paragraph_format.first_line_indent = Pt(32)
            for level, rx in LEVEL_RES:
                m = rx.match(text)
                if not m:
                    continue
                counters[level] += 1
                for deeper in range(level + 1, 3):
                    counters[deeper] = 0
                value = m.group(1)
                number = int(value) if value.isdigit() else CN_NUMS.index(value) + 1 if len(value) == 1 else None
                if number == counters[level] and (in_plan or level == 0):
                    _set_numbered(p, level)
                    text = text[m.end():]
                else:
                    counters[level] = number or counters[level]
                break
        run = p.add_run(text)
        run.font.size = Pt(size)
    doc.save(str(out))
    return out


def zip_bomb_docx(out: Path, megabytes: int = 300) -> Path:
    """A DOCX-looking zip whose document.xml unpacks to `megabytes` MB of zeros (ratio ≫ 100)."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            chunk = b"0" * (1024 * 1024)
            for _ in range(megabytes):
                fh.write(chunk)
    return out


def doctype_docx(source: Path, out: Path) -> Path:
    """A copy of a DOCX whose document.xml declares entities (billion-laughs shape)."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                head, _, rest = data.partition(b"?>")
                data = (head + b'?><!DOCTYPE w:document [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
                        + rest.replace(b"<w:t>", b"<w:t>&b;", 1))
            dst.writestr(info, data)
    return out


def generate(out_dir: Path = GENERATED, notices: Path = NOTICES) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    made = []
    for notice in sorted(notices.glob("*.txt")):
        made.append(render_pdf(notice, out_dir / f"{notice.stem}.pdf"))
        made.append(render_docx(notice, out_dir / f"{notice.stem}.docx"))
    return made


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=GENERATED)
    args = ap.parse_args(argv)
    for path in generate(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
