"""PDF: characters and their boxes from pypdfium2 → lines → paragraphs (with layout hints).

pypdfium2 is the text source (fast, and it reads CJK text layers that pdfminer returns empty
for), and the source of ruling lines: on pages whose drawing objects look like a ruled table,
the straight path segments are read from pdfium and handed to pdfplumber's table finder (its
'lines' algorithm, default tolerances), so pdfminer never parses a page for a table. pdfminer
(through pdfplumber) is only a second opinion before a PDF is called scanned (no text on any
page).

Works for GB/T 9704 layouts and for web pages printed by a browser alike: the text block's
margins are found per page (mirrored margins preferred), a paragraph ends at a short line or
where a heading / indented line starts, and a browser's printed header and footer (date and
time, address and 'N/M') are furniture like page numbers.

Page coordinates throughout are PDF user space (origin bottom-left, y up), as pdfium gives them.
"""
from __future__ import annotations

import ctypes
import io
import re
import statistics
import struct
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..errors import EncryptedDocument, ScannedDocument, Unreadable
from ..models import Block, Cell, RawDocument, Removed, Table

# --------------------------------------------------------------------------- characters

CJK_RE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef\u2014\u2026\u201c\u201d\u2018\u2019\u00b7]")
LATIN_RE = re.compile(r"[0-9A-Za-z\u00c0-\u024f]")
# characters that never start a line (禁则): the previous line pushed a character down with them
NO_LINE_START = set("，。、；：？！）》」』】〕〉”’…—,.;:?!)]%")
HEADING_RE = re.compile(
    r"^(?:[一二三四五六七八九十百零〇]+[、．.]"
    r"|[（(][一二三四五六七八九十百零〇]+[）)]"
    r"|\d{1,3}[.．、](?!\d)"
    r"|[（(]\d{1,3}[）)]"
    r"|[①-⑳]"
    r"|第[一二三四五六七八九十百零〇\d]+[章节条编款部分]"
    r"|附件\s*\d*[：:\s]?$|附件\s*\d+[：:]?)"
)
LABEL_END_RE = re.compile(r"第[一二三四五六七八九十百零〇\d]+[章节条编]$")
PAGE_NUMBER_RES = [
    re.compile(r"^[-—–－―~～·•\s]*\d{1,4}[-—–－―~～·•\s]*$"),
    re.compile(r"^第\s*\d{1,4}\s*页(\s*[,，/]?\s*共\s*\d{1,4}\s*页)?$"),
    re.compile(r"^共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页$"),
    re.compile(r"^\d{1,4}\s*/\s*\d{1,4}$"),
    re.compile(r"^(page\s*)?\d{1,4}\s*(of\s*\d{1,4})?$", re.I),
    re.compile(r"^[-—–－―\s]*[IVXL]{1,6}[-—–－―\s]*$"),
]
FURNITURE_ZONE = 0.10
# what a browser prints in the page margins when it prints a web page: the date and time
# (with the page title after it) at the top, the address and 'N/M' at the bottom
PRINT_STAMP_RE = re.compile(
    r"^(?:\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}[,，]?\s*(?:上午|下午|[AaPp][Mm])?\s*\d{1,2}:\d{2}(?::\d{2})?"
    r"(?:\s*[AaPp][Mm])?(?:\s|$)"
    r"|(?:https?|file)://\S+(?:\s+\d{1,4}\s*/\s*\d{1,4})?$)")

try:  # pdfium calls with plain-address arguments and results (no ctypes pointer objects per char)
    _TEXT_OBJECT_ADDR = ctypes.cast(pdfium_c.FPDFText_GetTextObject,
                                    ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int))
    _LOOSE_BOX = ctypes.cast(pdfium_c.FPDFText_GetLooseCharBox,
                             ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p))
except Exception:  # pragma: no cover - older pypdfium2
    _TEXT_OBJECT_ADDR = _LOOSE_BOX = None
_RECT = struct.Struct("4f")


@dataclass(slots=True)
class Char:
    ch: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    bold: bool = False
    red: bool = False

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass(slots=True)
class Line:
    page: int
    chars: list[Char]
    text: str = ""
    x0: float = 0.0
    x1: float = 0.0
    y0: float = 0.0
    y1: float = 0.0
    size: float = 0.0
    bold: bool = False
    red: bool = False
    align: str | None = None
    table: Table | None = None   # a table placeholder in the page's item stream

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class PageInfo:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)


_CJK: dict[str, bool] = {}
_LATIN: dict[str, bool] = {}


def _is_cjk(ch: str) -> bool:
    got = _CJK.get(ch)
    if got is None:
        got = _CJK[ch] = bool(CJK_RE.match(ch))
    return got


def _is_latin(ch: str) -> bool:
    got = _LATIN.get(ch)
    if got is None:
        got = _LATIN[ch] = bool(LATIN_RE.match(ch))
    return got


def _median(values: list[float]) -> float:
    values = sorted(values)
    n = len(values)
    mid = n // 2
    return values[mid] if n % 2 else (values[mid - 1] + values[mid]) / 2


def _page_chars(textpage) -> list[Char]:
    """Every printed character of a page with its loose box (font ascent/descent box, so a
    line's characters share one vertical band) and its font size in points.

    Two pdfium calls per character (loose box, text object); the page text comes in one call,
    and size / weight / colour are looked up once per text object."""
    tp = textpage.raw if hasattr(textpage, "raw") else textpage
    n = pdfium_c.FPDFText_CountChars(tp)
    if n <= 0:
        return []
    buf = ctypes.create_string_buffer((n + 1) * 2)
    got = pdfium_c.FPDFText_GetText(tp, 0, n, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
    text = buf.raw[: max(got - 1, 0) * 2].decode("utf-16-le", errors="replace")
    if len(text) != n:   # characters outside the BMP: fall back to one call per character
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(tp, i) or 0xFFFE) for i in range(n))
    chars: list[Char] = []
    append = chars.append
    rect = pdfium_c.FS_RECTF()
    matrix = pdfium_c.FS_MATRIX()
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    loose, text_object = pdfium_c.FPDFText_GetLooseCharBox, pdfium_c.FPDFText_GetTextObject
    styles: dict[int | None, tuple[float, bool, bool]] = {}
    tp_addr = ctypes.cast(tp, ctypes.c_void_p).value
    fast = _TEXT_OBJECT_ADDR is not None and _LOOSE_BOX is not None
    if fast:
        box, obj_addr, rect_addr = _LOOSE_BOX, _TEXT_OBJECT_ADDR, ctypes.addressof(rect)
    skip = "\r\n\x00\ufffe\uffff"
    unpack = _RECT.unpack_from     # FS_RECTF: left, top, right, bottom
    for i, ch in enumerate(text):
        if ch in skip:
            continue
        if fast:
            box(tp_addr, i, rect_addr)
            key = obj_addr(tp_addr, i)
        else:
            loose(tp, i, rect)
            obj = text_object(tp, i)
            key = ctypes.cast(obj, ctypes.c_void_p).value if obj else None
        left, top, right, bottom = unpack(rect)
        style = styles.get(key) if key is not None else None
        if style is None:
            pdfium_c.FPDFText_GetMatrix(tp, i, matrix)
            scale = (abs(matrix.a * matrix.d - matrix.b * matrix.c)) ** 0.5 or 1.0
            size = pdfium_c.FPDFText_GetFontSize(tp, i) * scale
            bold = pdfium_c.FPDFText_GetFontWeight(tp, i) >= 600
            red = False
            if size >= 18 and pdfium_c.FPDFText_GetFillColor(tp, i, r, g, b, a):
                red = r.value > 150 and g.value < 100 and b.value < 100
            style = (size, bold, red)
            if key is not None and not ch.isspace():
                styles[key] = style
        if ch.isspace():
            append(Char(" ", left, bottom, right, top, style[0]))
        else:
            append(Char(ch, left, bottom, right, top, *style))
    return chars


def _plumber_chars(page) -> list[Char]:
    """pdfplumber's characters in pdfium's coordinate system (fallback text source)."""
    height = float(page.height)
    out = []
    for c in page.chars:
        text = c.get("text") or ""
        if len(text) != 1 or text in "\r\n":
            continue
        color = c.get("non_stroking_color")
        red = bool(isinstance(color, (list, tuple)) and len(color) == 3 and color[0] > 0.6
                   and color[1] < 0.4 and color[2] < 0.4)
        font = (c.get("fontname") or "").lower()
        out.append(Char(" " if text.isspace() else text, float(c["x0"]), height - float(c["bottom"]),
                        float(c["x1"]), height - float(c["top"]), float(c.get("size") or 0),
                        "bold" in font, red))
    return out


# --------------------------------------------------------------------------- lines

def _group_lines(chars: list[Char], page: int) -> list[Line]:
    """Characters → lines, top to bottom, each line's characters left to right.

    Characters come in content-stream order; they are first cut into runs (a run ends where the
    baseline jumps or the pen moves back left), then runs sharing a baseline are merged into
    lines. A smaller run overlapping a line (a superscript) joins it. Baselines, not bare
    vertical overlap, decide: a joint 版头's '文件' sits between its two issuer lines."""
    chars = [c for c in chars if c.x1 >= c.x0 and c.y1 > c.y0]
    if not chars:
        return []
    runs: list[list[Char]] = []
    cur: list[Char] = []
    last: Char | None = None
    last_h = 0.0
    for c in chars:
        c_h = c.y1 - c.y0
        if c_h < 1.0:
            c_h = 1.0
        if last is not None:
            h = c_h if c_h < last_h else last_h
            if -0.25 * h <= c.y0 - last.y0 <= 0.25 * h and c.x0 >= last.x0 - 0.5 * h:
                cur.append(c)
                last, last_h = c, c_h
                continue
        cur = [c]
        runs.append(cur)
        last, last_h = c, c_h

    def box(run):
        printed = [c for c in run if c.ch != " "] or run
        y0s = [c.y0 for c in printed]
        return min(y0s), max([c.y1 for c in printed]), _median(y0s)

    boxed = [(box(r), r) for r in runs]
    boxed.sort(key=lambda item: -(item[0][0] + item[0][1]))
    groups: list[list] = []   # [y0, y1, baseline, chars]
    for (y0, y1, base), run in boxed:
        h = y1 - y0
        target = None
        for g in reversed(groups[-6:]):
            gh = g[1] - g[0]
            overlap = min(y1, g[1]) - max(y0, g[0])
            if overlap <= 0.5 * min(h, gh):
                continue
            if abs(base - g[2]) <= 0.25 * max(h, gh) or h < 0.8 * gh or gh < 0.8 * h:
                target = g
                break
        if target is None:
            groups.append([y0, y1, base, list(run)])
        else:
            if h > target[1] - target[0]:
                target[2] = base
            target[0], target[1] = min(target[0], y0), max(target[1], y1)
            target[3].extend(run)
    lines = []
    for g in groups:
        band = sorted(g[3], key=lambda c: c.x0)
        line = _make_line(band, page)
        if line is not None:
            lines.append(line)
    lines.sort(key=lambda ln: -ln.cy)
    return _attach_wenjian(lines)


def _attach_wenjian(lines: list[Line]) -> list[Line]:
    """A joint 版头 prints its issuers stacked and one '文件' beside the stack: the '文件'
    goes onto the last issuer line (so that line reads 'XX办公厅文件')."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.text.replace(" ", "") in ("文件", "文 件") and out and i + 1 < len(lines):
            below = lines[i + 1]
            above = out[-1]
            if below.x1 <= ln.x0 + 1 and above.x1 <= ln.x0 + 1 and below.y1 > ln.y0:
                merged = _make_line(below.chars + ln.chars, below.page)
                if merged is not None:
                    merged.text = below.text + "文件"
                    merged.red = below.red or ln.red
                    out.append(merged)
                    i += 2
                    continue
        out.append(ln)
        i += 1
    return out


def _make_line(chars: list[Char], page: int) -> Line | None:
    printed = [c for c in chars if c.ch != " "]
    if not printed:
        return None
    sizes = []
    x1 = y1 = -1e9
    y0 = 1e9
    bold = True
    red = 0
    for c in printed:
        if c.size > 0:
            sizes.append(c.size)
        if c.x1 > x1:
            x1 = c.x1
        if c.y0 < y0:
            y0 = c.y0
        if c.y1 > y1:
            y1 = c.y1
        if not c.bold:
            bold = False
        if c.red:
            red += 1
    size = _median(sizes) if sizes else (printed[0].y1 - printed[0].y0)
    line = Line(page=page, chars=chars, x0=printed[0].x0, x1=x1, y0=y0, y1=y1, size=round(size, 1),
                bold=bold, red=red > len(printed) / 2)
    line.text = _chars_text(chars, size)
    return line


def _chars_text(chars: list[Char], size: float) -> str:
    """Text of one line from character positions: spaces come from the geometry, not from the
    text layer. Between CJK characters (or CJK and digits) a gap is a typesetting artefact and
    is dropped ('344 号' → '344号'), unless it is very wide (two runs on one line) or follows a
    第X章/第X条 label; between Latin letters/digits a word gap keeps one space."""
    out: list[str] = []
    prev: Char | None = None
    saw_space = False
    em = max(size, 1.0)
    for c in chars:
        if c.ch == " ":
            saw_space = True
            continue
        if prev is not None and (saw_space or c.x0 - prev.x1 > 0.18 * em):
            gap = c.x0 - prev.x1
            latin_pair = _is_latin(prev.ch) and _is_latin(c.ch)
            if latin_pair:
                if gap > 0.18 * em or (saw_space and gap > 0.05 * em):
                    out.append(" ")
            elif gap > 1.8 * em:
                out.append(" ")
            elif gap > 0.8 * em and not (_is_cjk(prev.ch) and _is_cjk(c.ch)):
                out.append(" ")     # '表1 禁燃区…', '1 适用范围', 'GB/T 15173 声校准器'

            elif gap > 0.45 * em and LABEL_END_RE.search("".join(out[-12:])):
                out.append(" ")
            elif saw_space and gap > 0.4 * em:
                out.append(" ")     # a printed space: '国务院办公厅　中央军委办公厅', '主  任：'
            elif (saw_space or gap > 0.3 * em) and not (_is_cjk(prev.ch) or _is_cjk(c.ch)):
                out.append(" ")     # e.g. 'GB 12523-2011', '(see 3.1)'
        out.append("-" if c.ch == "\u00ad" else c.ch)
        prev = c
        saw_space = False
    return "".join(out)


# --------------------------------------------------------------------------- furniture

def _furniture(pages: list[PageInfo], removed: list[Removed]) -> None:
    """Drop page numbers and running headers/footers (recorded in `removed`)."""
    def zone(page: PageInfo, line: Line) -> str | None:
        if line.y0 < page.height * FURNITURE_ZONE + 20:
            return "bottom"
        if line.y1 > page.height * (1 - FURNITURE_ZONE) - 10:
            return "top"
        return None

    def key(text: str) -> str:
        return re.sub(r"\d+", "#", text.replace(" ", ""))

    # running headers/footers: the same text (digits aside) in the same zone on most pages
    counts: dict[tuple[str, str], set[int]] = {}
    for page in pages:
        for line in page.lines:
            where = zone(page, line)
            if where and line.table is None:
                counts.setdefault((where, key(line.text)), set()).add(page.number)
    many = max(2, int(len(pages) * 0.5 + 0.5))
    running = {k for k, seen in counts.items() if len(pages) >= 2 and len(seen) >= many and len(k[1]) > 0
               and not PAGE_NUMBER_RES[0].match(k[1].replace("#", "1"))}

    for page in pages:
        kept = []
        text_lines = [ln for ln in page.lines if ln.table is None]
        lowest = min((ln.y0 for ln in text_lines), default=0)
        highest = max((ln.y1 for ln in text_lines), default=0)
        for line in page.lines:
            where = zone(page, line) if line.table is None else None
            compact = line.text.replace(" ", "")
            if where:
                is_number = any(rx.match(compact) for rx in PAGE_NUMBER_RES[1:-1]) or (
                    (PAGE_NUMBER_RES[0].match(compact) or PAGE_NUMBER_RES[-1].match(compact)) and (
                        (PAGE_NUMBER_RES[0].match(compact) and not compact.isdigit())
                        or line.y0 <= lowest + 1 or line.y1 >= highest - 1))
                if is_number:
                    removed.append(Removed(text=line.text, reason="page-number", page=page.number))
                    continue
                if (line.y0 <= lowest + 1 or line.y1 >= highest - 1) and PRINT_STAMP_RE.match(line.text.strip()):
                    removed.append(Removed(text=line.text, reason=f"print-{'footer' if where == 'bottom' else 'header'}",
                                           page=page.number))
                    continue
                if (where, key(line.text)) in running:
                    removed.append(Removed(text=line.text, reason=f"running-{'footer' if where == 'bottom' else 'header'}",
                                           page=page.number))
                    continue
            kept.append(line)
        page.lines = kept


# --------------------------------------------------------------------------- tables

def _has_ruling(page) -> bool:
    """Cheap check: does the page draw enough straight lines / plain boxes to hold a ruled
    table? (Curvy vector art such as a drawn 版头 does not count, so such pages stay fast.)"""
    horizontal = vertical = 0
    try:
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=3):
            left, bottom, right, top = obj.get_bounds()
            w, h = right - left, top - bottom
            if w > 15 and h < 3:
                horizontal += 1
            elif h > 15 and w < 3:
                vertical += 1
            elif w > 8 and h > 8 and _is_box(obj):
                horizontal += 2
                vertical += 2
            if horizontal >= 3 and vertical >= 3:
                return True
    except pdfium.PdfiumError:
        return False
    return False


def _is_box(obj) -> bool:
    """A path of at most 6 straight segments (a rectangle, possibly several: re ops count 5)."""
    n = pdfium_c.FPDFPath_CountSegments(obj.raw)
    if n <= 0 or n > 6 * 8:
        return False
    for i in range(n):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj.raw, i)
        if pdfium_c.FPDFPathSegment_GetType(seg) == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            return False
    return True


def _page_edges(page, height: float) -> list[dict]:
    """The straight horizontal and vertical strokes of a page's vector paths (inside form
    XObjects too), as pdfplumber edges (top-down coordinates): each straight segment of a path,
    a rectangle as its four sides. Read from pdfium, so pdfminer never parses the page."""
    edges: list[dict] = []
    matrix = pdfium_c.FS_MATRIX()
    fx, fy = ctypes.c_float(), ctypes.c_float()
    path_type, form_type = pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM
    lineto, moveto = pdfium_c.FPDF_SEGMENT_LINETO, pdfium_c.FPDF_SEGMENT_MOVETO

    def edge(x0, y0, x1, y1):
        if abs(y0 - y1) <= 0.5 and abs(x1 - x0) > 0.5:
            y = height - (y0 + y1) / 2
            a, b = min(x0, x1), max(x0, x1)
            edges.append({"object_type": "line", "x0": a, "x1": b, "top": y, "bottom": y, "doctop": y,
                          "width": b - a, "height": 0.0, "orientation": "h"})
        elif abs(x0 - x1) <= 0.5 and abs(y1 - y0) > 0.5:
            x = (x0 + x1) / 2
            top, bottom = height - max(y0, y1), height - min(y0, y1)
            edges.append({"object_type": "line", "x0": x, "x1": x, "top": top, "bottom": bottom, "doctop": top,
                          "width": 0.0, "height": bottom - top, "orientation": "v"})

    def path(obj, m):
        a, b, c, d, e, f = m
        start = last = None
        for k in range(pdfium_c.FPDFPath_CountSegments(obj)):
            seg = pdfium_c.FPDFPath_GetPathSegment(obj, k)
            if not pdfium_c.FPDFPathSegment_GetPoint(seg, fx, fy):
                continue
            x, y = fx.value, fy.value
            pt = (a * x + c * y + e, b * x + d * y + f)
            kind = pdfium_c.FPDFPathSegment_GetType(seg)
            if kind == moveto:
                start = pt
            elif kind == lineto and last is not None:
                edge(*last, *pt)
            last = pt
            if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None and last is not None:
                edge(*last, *start)
                last = start

    def walk(objects, m):
        for obj in objects:
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind not in (path_type, form_type):
                continue
            if not pdfium_c.FPDFPageObj_GetMatrix(obj, matrix):
                continue
            a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
            pa, pb, pc, pd, pe, pf = m
            here = (a * pa + b * pc, a * pb + b * pd, c * pa + d * pc, c * pb + d * pd,
                    e * pa + f * pc + pe, e * pb + f * pd + pf)
            if kind == path_type:
                path(obj, here)
            else:
                walk([pdfium_c.FPDFFormObj_GetObject(obj, i) for i in range(pdfium_c.FPDFFormObj_CountObjects(obj))],
                     here)

    raw = page.raw if hasattr(page, "raw") else page
    walk([pdfium_c.FPDFPage_GetObject(raw, i) for i in range(pdfium_c.FPDFPage_CountObjects(raw))],
         (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))
    return edges


@dataclass
class _Found:
    cells: list
    bbox: tuple


def _find_tables(edges: list[dict]) -> list[_Found]:
    """pdfplumber's 'lines' table finder (default settings) on edges we read ourselves."""
    from pdfplumber import table as pt
    from pdfplumber.utils import filter_edges
    edges = filter_edges(edges, min_length=1)
    edges = pt.merge_edges(edges, snap_x_tolerance=3, snap_y_tolerance=3, join_x_tolerance=3, join_y_tolerance=3)
    edges = filter_edges(edges, min_length=3)
    cells = pt.intersections_to_cells(pt.edges_to_intersections(edges, 3, 3))
    out = []
    for group in pt.cells_to_tables(cells):
        out.append(_Found(cells=group, bbox=(min(c[0] for c in group), min(c[1] for c in group),
                                             max(c[2] for c in group), max(c[3] for c in group))))
    return out


def _tables(pdf_page, page: PageInfo, chars: list[Char]) -> tuple[list[Line], list[Char]]:
    """Ruled tables of one page as placeholder lines (in page coordinates), and the characters
    that are outside every table. The ruling lines come from pdfium; pdfplumber's table finder
    turns them into cells."""
    height = float(page.height)
    try:
        found = _find_tables(_page_edges(pdf_page, height))
    except Exception:  # odd drawings: no table then
        return [], chars
    out: list[Line] = []
    inside: set[int] = set()
    for table in found:
        cells = [c for c in table.cells if c]
        if len(cells) < 2:
            continue
        xs = sorted({round(v, 1) for c in cells for v in (c[0], c[2])})
        ys = sorted({round(v, 1) for c in cells for v in (c[1], c[3])})
        xs, ys = _merge_close(xs), _merge_close(ys)
        ncols, nrows = len(xs) - 1, len(ys) - 1
        if ncols < 1 or nrows < 1 or (ncols == 1 and nrows == 1):
            continue
        grid: list[list[Cell | None]] = [[None] * ncols for _ in range(nrows)]
        for (x0, top, x1, bottom) in sorted(cells, key=lambda c: (c[1], c[0])):
            c0, c1 = _index(xs, x0), _index(xs, x1)
            r0, r1 = _index(ys, top), _index(ys, bottom)
            if c1 <= c0 or r1 <= r0:
                continue
            y_low, y_high = height - bottom, height - top
            mine = [i for i, ch in enumerate(chars) if i not in inside
                    and x0 - 1 <= (ch.x0 + ch.x1) / 2 <= x1 + 1 and y_low - 1 <= ch.cy <= y_high + 1]
            inside.update(mine)
            text = _cell_text([chars[i] for i in mine], page.number)
            for r in range(r0, r1):
                for c in range(c0, c1):
                    if grid[r][c] is None:
                        grid[r][c] = Cell(text=text, spanned=(r, c) != (r0, c0))
        # a slot no cell covers (pdfplumber left a hole): inherit from above, else empty
        for r in range(nrows):
            for c in range(ncols):
                if grid[r][c] is None:
                    grid[r][c] = Cell(text=grid[r - 1][c].text, spanned=True) if r else Cell(text="")
        rows = [list(row) for row in grid]
        rows = [row for row in rows if any(cell.text for cell in row)]
        if not rows:
            continue
        tbl = Table(rows=rows)  # type: ignore[arg-type]
        x0, top, x1, bottom = table.bbox
        out.append(Line(page=page.number, chars=[], text=_table_text(tbl), x0=x0, x1=x1,
                        y0=height - bottom, y1=height - top, table=tbl))
    # characters of a table not in any detected cell (e.g. outside the grid) are dropped too
    # only when they fall inside the table's box
    boxes = [(ln.x0, ln.y0, ln.x1, ln.y1) for ln in out]
    rest = [ch for i, ch in enumerate(chars) if i not in inside and not any(
        b[0] <= (ch.x0 + ch.x1) / 2 <= b[2] and b[1] <= ch.cy <= b[3] for b in boxes)]
    return out, rest


def _merge_close(values: list[float], tol: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in values:
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _index(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


def _cell_text(chars: list[Char], page: int) -> str:
    lines = _group_lines(chars, page)
    text = ""
    for line in lines:
        text = _join(text, line.text) if text else line.text
    return text.strip()


def _table_text(table: Table) -> str:
    return "\n".join("\t".join(c.text for c in row if not c.spanned) for row in table.rows)


# --------------------------------------------------------------------------- paragraphs

def _join(left: str, right: str) -> str:
    """Join a wrapped line onto its paragraph: CJK without a space, Latin words with one."""
    if not left:
        return right
    if not right:
        return left
    a, b = left[-1], right[0]
    if a == "-" and len(left) > 1 and _is_latin(left[-2]) and b.isalpha():
        return left + right             # a hyphen at the line end stays, no space
    if _is_latin(a) and _is_latin(b):
        return left + " " + right
    if a in ",;:.?!)" and _is_latin(b):
        return left + " " + right
    return left + right


def _open_parens(text: str) -> int:
    return (text.count("（") + text.count("(")) - (text.count("）") + text.count(")"))


def _first_unit_width(line: Line) -> float:
    """Width of what the previous line would have had to fit to hold this line's start: the
    first CJK character (with any punctuation that may not start a line), or the first word."""
    chars = [c for c in line.chars if c.ch != " "]
    if not chars:
        return 0.0
    end = 0
    if _is_latin(chars[0].ch):
        while end + 1 < len(chars) and _is_latin(chars[end + 1].ch) or (
                end + 1 < len(chars) and chars[end + 1].ch in ".-,/" and end + 2 < len(chars)
                and _is_latin(chars[end + 2].ch)):
            end += 1
    while end + 1 < len(chars) and chars[end + 1].ch in NO_LINE_START:
        end += 1
    return chars[end].x1 - chars[0].x0


@dataclass
class Frame:
    left: float
    right: float
    size: float     # body font size
    pitch: float    # body line pitch

    @property
    def width(self) -> float:
        return max(self.right - self.left, 1.0)


def _frame(lines: list[Line], fallback: Frame | None = None, width: float | None = None,
           least: int = 4) -> Frame | None:
    """The text block of a page (or of the document): left and right margins, body size and
    pitch. With fewer than `least` body lines there is too little to go on: `fallback`."""
    body = [ln for ln in lines if ln.table is None and len(ln.text) >= 6]
    if len(body) < least:
        return fallback
    size = statistics.median_low([ln.size for ln in body])
    same = [ln for ln in body if abs(ln.size - size) <= 1.0] or body
    # the left margin: the leftmost edge (2 pt bins, a bin and its right neighbour together)
    # that two lines share — not the most common edge: in a list of one-line paragraphs the
    # indented first lines outnumber the full lines
    bins: dict[int, int] = {}
    for ln in same:
        b = int(ln.x0 // 2)
        bins[b] = bins.get(b, 0) + 1
    shared = [b for b, n in bins.items() if n + bins.get(b + 1, 0) >= 2]
    left = min(ln.x0 for ln in same if int(ln.x0 // 2) in (min(shared), min(shared) + 1)) if shared \
        else min(ln.x0 for ln in same)
    # the right margin: the most common right edge (2 pt bins) among long lines; hanging
    # punctuation lines stick out past it and must not move it. Pages have mirrored margins
    # more often than not: lines ending near `width - left` are the full lines, whatever
    # edges a list of short lines shares more often.
    rights = [ln.x1 for ln in same if ln.x1 > (ln.x0 + 200)]
    if width:
        mirror = width - left
        near = [x for x in rights if mirror - 2.5 * size <= x <= mirror + 0.75 * size]
        if near:
            rights = near
    if len(rights) >= 3 or (width and rights):
        modes = statistics.multimode([round(x / 2) for x in rights])
        bin_ = max(modes)
        right = max(x for x in rights if round(x / 2) == bin_)
    else:
        right = max(ln.x1 for ln in same)
    pitches = [a.cy - b.cy for a, b in zip(same, same[1:]) if a.page == b.page and 0 < a.cy - b.cy < 4 * size]
    pitch = statistics.median(pitches) if pitches else size * 1.8
    return Frame(left=float(left), right=float(right), size=float(size), pitch=float(pitch))


def _align(line: Line, frame: Frame, span: tuple[float, float] | None = None) -> str | None:
    """'center' | 'right' | None from where the line sits between the page's text margins.
    `span` is the horizontal extent of the group the line belongs to (a stacked red 版头)."""
    x0, x1 = span or (line.x0, line.x1)
    big = line.size >= frame.size + 2
    left_gap, right_gap = x0 - frame.left, frame.right - x1
    need = (1.0 if big else 3.0) * frame.size
    if left_gap > need and right_gap > need * 0.6 and abs(left_gap - right_gap) <= max(1.5 * frame.size, 0.06 * frame.width):
        return "center"
    if left_gap > 0.4 * frame.width and right_gap < 0.35 * frame.width:
        return "right"
    return None


def _red_spans(lines: list[Line]) -> dict[int, tuple[float, float]]:
    """Consecutive red large lines (a 版头, joint ones stacked) → their common extent."""
    spans: dict[int, tuple[float, float]] = {}
    i = 0
    while i < len(lines):
        if lines[i].red and lines[i].table is None:
            j = i
            while j + 1 < len(lines) and lines[j + 1].red and lines[j + 1].table is None:
                j += 1
            extent = (min(ln.x0 for ln in lines[i:j + 1]), max(ln.x1 for ln in lines[i:j + 1]))
            for k in range(i, j + 1):
                spans[id(lines[k])] = extent
            i = j + 1
        else:
            i += 1
    return spans


def _paragraphs(pages: list[PageInfo]) -> list[Block]:
    widths = [round(p.width) for p in pages]
    doc_frame = _frame([ln for p in pages for ln in p.lines], width=max(set(widths), key=widths.count))
    blocks: list[Block] = []
    cur: dict | None = None
    prev: Line | None = None
    prev_frame: Frame | None = None

    def flush():
        nonlocal cur
        if cur is not None:
            text = cur["text"].strip()
            if text:
                blocks.append(Block(text=text, page=cur["page"], align=cur["align"], bold=cur["bold"],
                                    font_size=cur["size"], indent=cur["indent"]))
        cur = None

    for page in pages:
        # a page's own frame only where it has lines enough (a last page with the 署名 and
        # 成文日期 alone would put its left margin under the signature)
        frame = _frame(page.lines, doc_frame, page.width, least=8 if doc_frame else 4) \
            or Frame(72, page.width - 72, 12, 20)
        spans = _red_spans(page.lines)
        for line in page.lines:
            if line.table is not None:
                flush()
                last = blocks[-1] if blocks else None
                if (last is not None and last.table is not None and last.page == line.page - 1
                        and prev is None and len(last.table.rows[0]) == len(line.table.rows[0])
                        and line is page.lines[0]):
                    # a table continued on the next page (header row repeated or not)
                    rows = line.table.rows
                    if [c.text for c in rows[0]] == [c.text for c in last.table.rows[0]]:
                        rows = rows[1:]
                    last.table.rows.extend(rows)
                    last.text = _table_text(last.table)
                else:
                    blocks.append(Block(text=line.text, page=line.page, table=line.table))
                prev = None
                continue
            line.align = _align(line, frame, spans.get(id(line)))
            em = max(line.size, 1.0)
            indent = round((line.x0 - frame.left) / em, 1)
            heading = bool(HEADING_RE.match(line.text))
            new = True
            if cur is not None and prev is not None:
                same_page = prev.page == line.page
                gap = prev.cy - line.cy if same_page else 0.0
                pf = prev_frame or frame
                ended = (pf.right - prev.x1) > _first_unit_width(line) + 0.35 * em
                if line.align or prev.align:
                    # centered lines continue only a centered run of the same size (a title
                    # wrapped over two lines); red 版头 lines and lines ending 文件 stand alone
                    new = not (line.align == prev.align == "center" and same_page and abs(line.size - prev.size) <= 0.6
                               and 0 < gap <= 2.0 * max(line.size, pf.pitch / 1.3) and not line.red and not prev.red
                               and not prev.text.endswith("文件") and line.size < 1.7 * pf.size)
                elif abs(line.size - prev.size) > 1.5:
                    new = True
                elif same_page and gap > 1.7 * pf.pitch:
                    new = True
                elif _open_parens(cur["text"]) > 0 and indent < 1.0 and not heading and re.search(r"[）)]", line.text):
                    new = False      # a parenthetical split over two lines
                elif heading or indent >= 1.2:
                    new = True
                else:
                    new = ended
            if new:
                flush()
                cur = {"text": line.text, "page": line.page, "align": line.align, "bold": line.bold,
                       "size": line.size, "indent": indent if line.align is None else None}
            else:
                cur["text"] = _join(cur["text"], line.text)
                cur["bold"] = cur["bold"] and line.bold
            prev, prev_frame = line, frame
    flush()
    return blocks


# --------------------------------------------------------------------------- entry point

def _open(path: Path, data: bytes):
    if b"%%EOF" not in data[-4096:] and b"%%EOF" not in data[-65536:]:
        raise Unreadable(path, "truncated PDF (no end-of-file marker)")
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        code = getattr(err, "err_code", None)
        if code == getattr(pdfium_c, "FPDF_ERR_PASSWORD", 4):
            raise EncryptedDocument(path, "the PDF needs a password to open") from err
        if code == getattr(pdfium_c, "FPDF_ERR_SECURITY", 6):
            raise EncryptedDocument(path, "unsupported security handler") from err
        raise Unreadable(path, f"damaged PDF ({err})") from err


def read(path: Path, data: bytes) -> RawDocument:
    pdf = _open(path, data)
    plumber = None

    def plumber_doc():
        nonlocal plumber
        if plumber is None:
            import pdfplumber
            try:
                plumber = pdfplumber.open(io.BytesIO(data))
            except Exception as err:  # pdfminer is stricter than pdfium on some files
                plumber = False
                raise Unreadable(path, f"pdfplumber cannot open it ({err})") from err
        return plumber

    try:
        npages = len(pdf)
        if npages == 0:
            raise Unreadable(path, "PDF with no pages")
        page_chars: list[list[Char]] = []
        infos: list[PageInfo] = []
        ruled: list[bool] = []
        kept_pages: dict[int, object] = {}     # ruled pages stay open for the table pass
        for i in range(npages):
            try:
                page = pdf[i]
                width, height = page.get_size()
                textpage = page.get_textpage()
                chars = _page_chars(textpage)
                ruled.append(_has_ruling(page))
                if ruled[-1]:
                    kept_pages[i] = page
            except pdfium.PdfiumError as err:
                raise Unreadable(path, f"page {i + 1} cannot be read ({err})") from err
            page_chars.append(chars)
            infos.append(PageInfo(number=i + 1, width=width, height=height))

        warnings: list[tuple[str, str]] = []
        if not any(c.ch != " " for chars in page_chars for c in chars):
            # pdfium found nothing: ask pdfminer before calling it a scan
            try:
                doc = plumber_doc()
                page_chars = [_plumber_chars(p) for p in doc.pages]
            except Unreadable:
                page_chars = []
            if not any(c.ch != " " for chars in page_chars for c in chars):
                raise ScannedDocument(path, f"{npages} page(s) without a text layer")
            warnings.append(("pdf-text-fallback", "pdfium found no text; text taken from pdfminer"))

        for info, chars, has_rules in zip(infos, page_chars, ruled):
            tables: list[Line] = []
            if has_rules and chars:
                tables, chars = _tables(kept_pages.get(info.number - 1) or pdf[info.number - 1], info, chars)
            lines = _group_lines(chars, info.number) + tables
            lines.sort(key=lambda ln: -ln.y1 if ln.table is not None else -ln.cy)
            info.lines = lines

        removed: list[Removed] = []
        _furniture(infos, removed)
        blocks = _paragraphs(infos)
        metadata = {k: v for k, v in (pdf.get_metadata_dict() or {}).items() if v}
    finally:
        pdf.close()
        if plumber:
            plumber.close()
    return RawDocument(path=path, format="pdf", blocks=blocks, pages=npages, removed=removed,
                       page_metadata=metadata, warnings=warnings)
