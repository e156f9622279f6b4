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

Speed: pdfium's page load is most of the cost, and the rest is kept near it. A page's characters
are parallel numpy arrays (`Chars`), not a Python object each; pdfium is called once per
character (its box) and, for font size, weight and colour, once per run of one text object
(found with FPDFText_CountRects); runs and lines are cut with array operations, and Python
loops go over runs and lines, not characters.

Page coordinates throughout are PDF user space (origin bottom-left, y up), as pdfium gives them.
"""
from __future__ import annotations

import ctypes
import io
import re
import threading
from collections import Counter, deque
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..errors import EncryptedDocument, ScannedDocument, Unreadable
from ..models import Block, Cell, RawDocument, Removed, Table

# --------------------------------------------------------------------------- characters

CJK_RE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef\u2014\u2026\u201c\u201d\u2018\u2019\u00b7]")
# Latin letters and digits (a set: looked up once or twice per line and per space candidate)
LATIN = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                   + "".join(map(chr, range(0xC0, 0x250))))
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

# pdfium's page text: its generated line breaks and unmapped characters are not characters
PDFIUM_LINE_RE = re.compile(r"[^\r\n]+")
PRINTED_RE = re.compile(r"[^\s\x00\ufffe\uffff]")
SPACE_RE = re.compile(r"[^\S\r\n]")     # whitespace (str.isspace()) other than pdfium's line breaks
SPACE = ord(" ")


def _fn(name: str, restype, nargs: int):
    """A pdfium function called with plain numbers and addresses, for the calls made per
    character or per run, where ctypes' own overhead is most of the cost (pdfium's work is a
    small part). No ctypes pointer object is made per call; the GIL is kept (PYFUNCTYPE), the
    calls being short; and every argument is declared pointer-sized (c_void_p), which ctypes
    converts from a Python int faster than c_int: an int parameter gets a whole register on the
    ABIs pdfium is built for (these take at most six arguments), so a non-negative index
    arrives unchanged."""
    return ctypes.cast(getattr(pdfium_c, name), ctypes.PYFUNCTYPE(restype, *[ctypes.c_void_p] * nargs))


# per page: pages and text pages are handled as plain addresses, not pypdfium2 pointer objects
_LOAD_PAGE = _fn("FPDF_LoadPage", ctypes.c_void_p, 2)
_CLOSE_PAGE = _fn("FPDF_ClosePage", None, 1)
_PAGE_WIDTH = _fn("FPDF_GetPageWidthF", ctypes.c_float, 1)
_PAGE_HEIGHT = _fn("FPDF_GetPageHeightF", ctypes.c_float, 1)
_LOAD_TEXT_PAGE = _fn("FPDFText_LoadPage", ctypes.c_void_p, 1)
_CLOSE_TEXT_PAGE = _fn("FPDFText_ClosePage", None, 1)
_COUNT_CHARS = _fn("FPDFText_CountChars", ctypes.c_int, 1)
_GET_UNICODE = _fn("FPDFText_GetUnicode", ctypes.c_uint, 2)
_GET_TEXT = _fn("FPDFText_GetText", ctypes.c_int, 4)
_COUNT_RECTS = _fn("FPDFText_CountRects", ctypes.c_int, 3)
_FONT_SIZE = _fn("FPDFText_GetFontSize", ctypes.c_double, 2)
_FONT_WEIGHT = _fn("FPDFText_GetFontWeight", ctypes.c_int, 2)
_MATRIX = _fn("FPDFText_GetMatrix", ctypes.c_int, 3)
_FILL_COLOR = _fn("FPDFText_GetFillColor", ctypes.c_int, 6)
_COUNT_OBJECTS = _fn("FPDFPage_CountObjects", ctypes.c_int, 1)
_GET_OBJECT = _fn("FPDFPage_GetObject", ctypes.c_void_p, 2)
_COUNT_FORM_OBJECTS = _fn("FPDFFormObj_CountObjects", ctypes.c_int, 1)
_GET_FORM_OBJECT = _fn("FPDFFormObj_GetObject", ctypes.c_void_p, 2)
_OBJECT_TYPE = _fn("FPDFPageObj_GetType", ctypes.c_int, 1)
_OBJECT_BOUNDS = _fn("FPDFPageObj_GetBounds", ctypes.c_int, 5)
_COUNT_SEGMENTS = _fn("FPDFPath_CountSegments", ctypes.c_int, 1)
_GET_SEGMENT = _fn("FPDFPath_GetPathSegment", ctypes.c_void_p, 2)
_SEGMENT_TYPE = _fn("FPDFPathSegment_GetType", ctypes.c_int, 1)


def _unchecked(name: str, restype):
    """A pdfium function without declared arguments, for the one call made per character:
    ctypes then passes each argument by its own type (a c_void_p as a pointer, an int as a C
    int, a byref() as its address) with less work per call than a declared c_void_p's
    conversion of a Python int (about a third of the call). Only ctypes objects and small
    ints may be passed to it."""
    fn = ctypes.PYFUNCTYPE(restype)(ctypes.cast(getattr(pdfium_c, name), ctypes.c_void_p).value)
    fn.argtypes = None
    return fn


_LOOSE_BOX_TO = _unchecked("FPDFText_GetLooseCharBox", None)


class _BoxSlots(threading.local):
    """Where pdfium writes the characters' boxes (FS_RECTF: left, top, right, bottom, 16
    bytes a character), with a reference to each slot to pass it: made once, grown as pages
    need, and reused page after page (a reference made per character would cost more than the
    saving of _unchecked). One per thread, as pages may be read in several; it keeps about
    90 bytes per character of the largest page read so far."""

    def __init__(self) -> None:
        self.buffer = (ctypes.c_float * 0)()
        self.slots: list = []

    def get(self, k: int) -> tuple[ctypes.Array, list]:
        """The buffer, its first k slots cleared (a box pdfium does not give stays empty),
        and the slot references (at least k)."""
        if k > len(self.slots):
            size = max(k, 2 * len(self.slots), 1024)
            self.buffer = (ctypes.c_float * (4 * size))()
            self.slots = [ctypes.byref(self.buffer, 16 * i) for i in range(size)]
        else:
            ctypes.memset(self.buffer, 0, 16 * k)
        return self.buffer, self.slots


_BOX_SLOTS = _BoxSlots()


class _NoSystemFonts:
    """pdfium's system font interface (FPDF_SYSFONTINFO) with no fonts in it, installed once,
    before the first PDF is read: a font the PDF does not embed is then drawn from pdfium's
    own built-in fonts instead of a substitute from the machine's font folders.

    Why: for such a font (reportlab's STSong-Light, a 方正小标宋 named but not embedded) pdfium
    reads the whole substitute font file into memory for every document, 17 MB for WenQuanYi
    Zen Hei, about 2.5 ms a document, a third of the time of a three-page notice, and only to
    draw glyphs, which text extraction does not do: the characters come from the PDF's own
    encoding and CMaps, the loose boxes from its widths and font descriptor. The text layer
    also no longer depends on which fonts a machine has installed (on 417 PDFs, the real ones
    of ../shared and generated ones, every block came out the same with and without it).

    It is process-wide (pdfium has one font mapper): a program that also renders PDFs with
    pypdfium2 after reading one through fzparse gets pdfium's built-in fonts for non-embedded
    fonts; installing its own handler (pypdfium2's PdfSysfontBase.setup) replaces this one."""

    def __init__(self) -> None:
        fields = dict(pdfium_c.FPDF_SYSFONTINFO._fields_)
        callbacks = {"Release": lambda this: None,
                     "EnumFonts": lambda this, mapper: None,
                     "MapFont": self._map_font,
                     "GetFont": lambda this, face: None,
                     "GetFontData": lambda this, font, table, buffer, size: 0,
                     "GetFaceName": lambda this, font, buffer, size: 0,
                     "GetFontCharset": lambda this, font: 0,
                     "DeleteFont": lambda this, font: None}
        self.info = pdfium_c.FPDF_SYSFONTINFO()
        self.info.version = 1
        # the ctypes callbacks must outlive pdfium's use of them: kept here, for the process
        self.callbacks = {name: fields[name](fn) for name, fn in callbacks.items()}
        for name, fn in self.callbacks.items():
            setattr(self.info, name, fn)
        self.lock = threading.Lock()
        self.installed = False
        self.asked = 0      # fonts pdfium asked for (not embedded in a PDF read): none is given

    def _map_font(self, this, weight, italic, charset, family, face, exact) -> None:
        self.asked += 1

    def install(self) -> None:
        if self.installed:
            return
        with self.lock:
            if not self.installed:
                pdfium_c.FPDF_SetSystemFontInfo(ctypes.byref(self.info))
                self.installed = True


_NO_SYSTEM_FONTS = _NoSystemFonts()


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _decode(codes: np.ndarray) -> str:
    return codes.tobytes().decode("utf-32-le", "surrogatepass")


@dataclass(slots=True)
class Chars:
    """Characters of a page (or of a part of one) in content-stream order, as parallel arrays.

    Only characters with a drawable box (x1 >= x0, y1 > y0) are kept: pdfium's generated spaces
    have empty boxes. `codes` are the characters (code points, whitespace as ' '), the boxes
    are loose (font ascent/descent) boxes, and size (points), bold and red describe printed
    characters only (`printed`: not a space). `seen` tells whether the source had any printed
    character, drawable or not: that, not what is kept, decides whether pdfminer is asked."""
    codes: np.ndarray
    x0: np.ndarray
    y0: np.ndarray
    x1: np.ndarray
    y1: np.ndarray
    size: np.ndarray
    bold: np.ndarray
    red: np.ndarray
    printed: np.ndarray
    seen: bool = False

    @staticmethod
    def make(codes: np.ndarray, x0, y0, x1, y1, size, bold, red) -> Chars:
        """From unfiltered columns (`codes` with whitespace already ' ')."""
        printed = codes != SPACE
        chars = Chars(codes, x0, y0, x1, y1, size, bold, red, printed, np.count_nonzero(printed) > 0)
        drawable = (x1 >= x0) & (y1 > y0)
        return chars if np.count_nonzero(drawable) == len(drawable) else chars.take(drawable.nonzero()[0])

    def __len__(self) -> int:
        return len(self.codes)

    def take(self, idx: np.ndarray) -> Chars:
        return Chars(self.codes[idx], self.x0[idx], self.y0[idx], self.x1[idx], self.y1[idx],
                     self.size[idx], self.bold[idx], self.red[idx], self.printed[idx], self.seen)


def _no_chars() -> Chars:
    empty, no = np.zeros(0), np.zeros(0, dtype=bool)
    return Chars(np.zeros(0, dtype=np.uint32), empty, empty, empty, empty, empty, no, no, no)


@dataclass(slots=True)
class Line:
    page: int
    text: str = ""
    x0: float = 0.0
    x1: float = 0.0
    y0: float = 0.0
    y1: float = 0.0
    size: float = 0.0
    bold: bool = False
    red: bool = False
    # width of what the previous line would have had to fit to hold this line's start: the
    # first CJK character (with any punctuation that may not start a line), or the first word
    first_unit: float = 0.0
    align: str | None = None
    table: Table | None = None   # a table placeholder in the page's item stream
    chars: Chars | None = None   # the characters this line was cut from ...
    members: np.ndarray | None = None   # ... and its own among them, left to right

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


def _is_cjk(ch: str) -> bool:
    got = _CJK.get(ch)
    if got is None:
        got = _CJK[ch] = bool(CJK_RE.match(ch))
    return got


def _is_latin(ch: str) -> bool:
    return ch in LATIN


_ROUNDED: dict[float, float] = {}


def _round1(x: float) -> float:
    """round(x, 1) for a float, remembered: round() to a number of digits is correctly rounded
    through a decimal conversion, slow next to a dict lookup, and the same font sizes and
    indents come back line after line. Zero is not remembered (0.0 and -0.0 are one key but
    round to themselves), and the memory is bounded."""
    got = _ROUNDED.get(x)
    if got is None:
        got = round(x, 1)
        if x and len(_ROUNDED) < 65536:
            _ROUNDED[x] = got
    return got


def _median(values: list[float]) -> float:
    values = sorted(values)
    n = len(values)
    mid = n // 2
    return values[mid] if n % 2 else (values[mid - 1] + values[mid]) / 2


def _page_chars(textpage) -> Chars:
    """Every character of a page with its loose box (font ascent/descent box, so a line's
    characters share one vertical band) and its font size in points, weight and colour.

    The page text comes in one call and each character's box in one call; the style belongs
    to the text object, so it is looked up once per run of one text object (see _style_runs).
    `textpage`: its address (as the reader has it) or a pypdfium2 pointer."""
    tp = textpage if isinstance(textpage, int) else ctypes.cast(textpage, ctypes.c_void_p).value
    n = _COUNT_CHARS(tp)
    if n <= 0:
        return _no_chars()
    # numpy buffers: a ctypes array type per buffer length would cost more than the call
    buf = np.zeros(n + 1, dtype=np.uint16)
    got = _GET_TEXT(tp, 0, n, buf.ctypes.data)
    text = buf[: max(got - 1, 0)].tobytes().decode("utf-16-le", errors="replace")
    if len(text) != n:   # characters outside the BMP: fall back to one call per character
        text = "".join(chr(_GET_UNICODE(tp, i) or 0xFFFE) for i in range(n))
    codes = _codes(SPACE_RE.sub(" ", text))
    # not characters: pdfium's line breaks, and (rarely there at all) unmapped ones
    junk = (codes == 13) | (codes == 10)
    if "\x00" in text or "\ufffe" in text or "\uffff" in text:
        junk |= (codes == 0) | (codes == 0xFFFE) | (codes == 0xFFFF)
    keep = (~junk).nonzero()[0]
    k = len(keep)
    if not k:
        return _no_chars()
    rects, slots = _BOX_SLOTS.get(k)         # FS_RECTF: left, top, right, bottom
    deque(map(_LOOSE_BOX_TO, repeat(ctypes.c_void_p(tp), k), keep.tolist(), slots), maxlen=0)
    box = np.frombuffer(rects, dtype=np.float32, count=4 * k).reshape(k, 4).astype(np.float64)
    starts, sizes, bolds, reds = _style_runs(tp, text)
    style = np.searchsorted(starts, keep, side="right") - 1
    return Chars.make(codes[keep], box[:, 0], box[:, 3], box[:, 2], box[:, 1],
                      np.array(sizes)[style], np.array(bolds)[style], np.array(reds)[style])


def _style_runs(tp: int, text: str) -> tuple[list[int], list[float], list[bool], list[bool]]:
    """Where each run of characters of one text object starts (character index), with its
    style: size in points (font size times the text matrix's scale), bold (weight ≥ 600) and
    red (large red text, a 版头), from the run's first printed character (a run of spaces
    has none: size 0).

    FPDFText_CountRects(start, count) counts the runs of one text object in a range (leaving
    out pdfium's generated characters and empty glyphs, spaces mostly, which need no style).
    Each of pdfium's text lines is one range: a line drawn by one text object is one run, and
    the runs of a mixed line are found by bisection, a few calls each. (A text object hardly
    ever spans two of pdfium's lines, so styles are not cached per object.)"""
    starts: list[int] = []
    ends: list[int] = []
    for m in PDFIUM_LINE_RE.finditer(text):
        a, b = m.span()
        runs = _COUNT_RECTS(tp, a, b - a)
        while runs > 1:
            # bisect for the shortest prefix holding two runs: its last character, lo, is
            # the first of the next run
            lo, hi = a + 1, b
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if _COUNT_RECTS(tp, a, mid - a) > 1:
                    hi = mid
                else:
                    lo = mid
            starts.append(a)
            ends.append(lo)
            a, runs = lo, runs - 1
        starts.append(a)
        ends.append(b)
    sizes: list[float] = []
    bolds: list[bool] = []
    reds: list[bool] = []
    m = pdfium_c.FS_MATRIX()      # pdfium's answers
    m_addr = ctypes.addressof(m)
    rgba = (ctypes.c_uint * 4)()
    rgba_addr = [ctypes.addressof(rgba) + 4 * i for i in range(4)]
    for a, b in zip(starts, ends):
        # the run's first printed character: mostly its first
        i = a
        if text[a].isspace() or text[a] in "\x00\ufffe\uffff":
            found = PRINTED_RE.search(text, a, b)
            if found is None:
                sizes.append(0.0)
                bolds.append(False)
                reds.append(False)
                continue
            i = found.start()
        _MATRIX(tp, i, m_addr)
        size = _FONT_SIZE(tp, i) * ((abs(m.a * m.d - m.b * m.c)) ** 0.5 or 1.0)
        red = False
        if size >= 18 and _FILL_COLOR(tp, i, *rgba_addr):
            r, g, b_ = rgba[:3]
            red = r > 150 and g < 100 and b_ < 100
        sizes.append(size)
        bolds.append(_FONT_WEIGHT(tp, i) >= 600)
        reds.append(red)
    return starts, sizes, bolds, reds


def _plumber_chars(page) -> Chars:
    """pdfplumber's characters in pdfium's coordinate system (fallback text source)."""
    height = float(page.height)
    text: list[str] = []
    cols: list[list] = [[] for _ in range(7)]
    for c in page.chars:
        ch = c.get("text") or ""
        if len(ch) != 1 or ch in "\r\n":
            continue
        color = c.get("non_stroking_color")
        red = bool(isinstance(color, (list, tuple)) and len(color) == 3 and color[0] > 0.6
                   and color[1] < 0.4 and color[2] < 0.4)
        font = (c.get("fontname") or "").lower()
        text.append(ch)
        for col, value in zip(cols, (float(c["x0"]), height - float(c["bottom"]), float(c["x1"]),
                                     height - float(c["top"]), float(c.get("size") or 0), "bold" in font, red)):
            col.append(value)
    if not text:
        return _no_chars()
    x0, y0, x1, y1, size = (np.array(col, dtype=np.float64) for col in cols[:5])
    return Chars.make(_codes(SPACE_RE.sub(" ", "".join(text))), x0, y0, x1, y1, size,
                      np.array(cols[5], dtype=bool), np.array(cols[6], dtype=bool))


# --------------------------------------------------------------------------- lines

def _group_lines(chars: Chars, page: int) -> list[Line]:
    """Characters → lines, top to bottom, each line's characters left to right.

    Characters come in content-stream order; they are first cut into runs (a run ends where the
    baseline jumps or the pen moves back left), then runs sharing a baseline are merged into
    lines. A smaller run overlapping a line (a superscript) joins it. Baselines, not bare
    vertical overlap, decide: a joint 版头's '文件' sits between its two issuer lines."""
    n = len(chars)
    if not n:
        return []
    x0, y0, y1 = chars.x0, chars.y0, chars.y1
    printed = chars.printed
    # a run goes on while the next character stays on the baseline (within a quarter of the
    # smaller height) and the pen does not move back left by more than half of it
    h = np.maximum(y1 - y0, 1.0)
    h = np.minimum(h[1:], h[:-1])
    goes_on = (np.abs(y0[1:] - y0[:-1]) <= 0.25 * h) & (x0[1:] >= x0[:-1] - 0.5 * h)
    # (np.count_nonzero and .nonzero() rather than .all(), .any() and np.flatnonzero: on arrays
    # of a few hundred elements the call overhead is most of the cost)
    breaks = ~goes_on
    firsts = np.concatenate(([0], breaks.nonzero()[0] + 1))
    ends = np.concatenate((firsts[1:], [n]))
    lengths = ends - firsts
    # a run's band comes from its printed characters (from all, in a run of spaces)
    low = np.minimum.reduceat(np.where(printed, y0, np.inf), firsts)
    high = np.maximum.reduceat(np.where(printed, y1, -np.inf), firsts)
    blank = low == np.inf
    if np.count_nonzero(blank):
        low[blank] = np.minimum.reduceat(y0, firsts)[blank]
        high[blank] = np.maximum.reduceat(y1, firsts)[blank]
    # runs top to bottom by band centre (a stable sort); on most pages every run lies wholly
    # below all the runs before it, and then no run can join another: each is a line. Mostly
    # the runs come top to bottom already, and the sort is skipped.
    centre = low + high
    if np.count_nonzero(centre[1:] > centre[:-1]):
        by = np.argsort(-centre, kind="stable")
        alone = len(by) == 1 or not np.count_nonzero(high[by[1:]] > np.minimum.accumulate(low[by])[:-1])
        in_stream_order = False
    else:
        by = None
        alone = not np.count_nonzero(high[1:] > np.minimum.accumulate(low)[:-1])
        in_stream_order = True
    if alone:
        runs, group = by, None
    else:
        runs, group = _merge_runs(np.arange(len(firsts)).tolist() if by is None else by.tolist(), low.tolist(),
                                  high.tolist(), firsts.tolist(), lengths.tolist(), y0, printed)
        in_stream_order = False
    # each line's characters: its runs one after the other, sorted left to right (a stable
    # sort: characters at the same x keep that order), which lone runs written left to right are
    if in_stream_order:
        seq = np.arange(n)
        bounds = np.concatenate((firsts, [n]))
    else:
        lengths = lengths[runs]
        seq = np.repeat(firsts[runs] - (np.cumsum(lengths) - lengths), lengths) + np.arange(n)
        bounds = np.concatenate(([0], np.cumsum(lengths)))
    if alone and not np.count_nonzero((x0[1:] < x0[:-1]) & goes_on):
        order = seq
    else:
        line = np.repeat(np.arange(len(firsts)) if group is None else group, lengths)
        order = seq[np.lexsort((x0[seq], line))]
        bounds = np.concatenate(([0], np.cumsum(np.bincount(line))))
    lines = _make_lines(chars, order, bounds, page, printed)
    lines.sort(key=lambda ln: -ln.cy)
    return _attach_wenjian(lines)


def _merge_runs(by: list[int], low: list[float], high: list[float], firsts: list[int], lengths: list[int],
                y0: np.ndarray, printed: np.ndarray) -> tuple[list[int], list[int]]:
    """Runs (top to bottom) merged into lines: a run joins one of the last six lines when it
    overlaps it by more than half the smaller height and shares its baseline (the median
    bottom of the run's printed characters), or is clearly smaller or larger (a superscript, a
    big initial). The runs, line by line, and the line of each."""
    groups: list[list] = []   # [y0, y1, baseline, runs]
    for r in by:
        r_y0, r_y1 = low[r], high[r]
        a, b = firsts[r], firsts[r] + lengths[r]
        bottoms = y0[a:b][printed[a:b]].tolist() or y0[a:b].tolist()
        base = bottoms[0] if min(bottoms) == max(bottoms) else _median(bottoms)
        h = r_y1 - r_y0
        target = None
        for g in reversed(groups[-6:]):
            if g[0] >= r_y1 or g[1] <= r_y0:
                continue    # no overlap at all (most groups: the lines above)
            gh = g[1] - g[0]
            overlap = min(r_y1, g[1]) - max(r_y0, g[0])
            if overlap <= 0.5 * min(h, gh):
                continue
            if abs(base - g[2]) <= 0.25 * max(h, gh) or h < 0.8 * gh or gh < 0.8 * h:
                target = g
                break
        if target is None:
            groups.append([r_y0, r_y1, base, [r]])
        else:
            if h > target[1] - target[0]:
                target[2] = base
            target[0], target[1] = min(target[0], r_y0), max(target[1], r_y1)
            target[3].append(r)
    runs = [r for g in groups for r in g[3]]
    group = [i for i, g in enumerate(groups) for _ in g[3]]
    return runs, group


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
                members = np.concatenate((below.members, ln.members))
                merged = _make_lines(below.chars, members, np.array([0, len(members)]), below.page,
                                     below.chars.printed)
                if merged:
                    merged[0].text = below.text + "文件"
                    merged[0].red = below.red or ln.red
                    out.append(merged[0])
                    i += 2
                    continue
        out.append(ln)
        i += 1
    return out


def _make_lines(chars: Chars, order: np.ndarray, bounds: np.ndarray, page: int,
                printed: np.ndarray) -> list[Line]:
    """Lines from characters in reading order: line j is chars[order[bounds[j]:bounds[j + 1]]],
    dropped if it has no printed character. Its box comes from the printed characters, its
    size is their median font size, bold means all of them, red more than half.

    Text from character positions: spaces come from the geometry, not from the text layer (see
    _space_between). Only after a printed space or at a gap of more than 0.18 em is there a
    decision to make; the rest of the text is taken as it is.

    A page has a few dozen lines and some hundreds of characters: only per-line values (and
    those at the few space candidates) are turned into Python numbers, never whole columns."""
    at = printed[order].nonzero()[0]        # printed characters, as positions in `order`
    if not len(at):
        return []
    # each line's printed characters are at[first[j]:first[j + 1]]
    first = np.searchsorted(at, bounds)
    kept = (first[1:] > first[:-1]).nonzero()[0]
    starts, ends = first[kept], first[kept + 1]
    idx = order[at]
    x0, x1, y0, y1, size = chars.x0[idx], chars.x1[idx], chars.y0[idx], chars.y1[idx], chars.size[idx]
    right = np.maximum.reduceat(x1, starts).tolist()
    bottom = np.minimum.reduceat(y0, starts).tolist()
    top = np.maximum.reduceat(y1, starts).tolist()
    sized = size > 0
    counts = (ends - starts).tolist()
    if np.count_nonzero(sized) == len(sized):
        n_sized = counts
        size_min = np.minimum.reduceat(size, starts).tolist()
        size_max = np.maximum.reduceat(size, starts).tolist()
    else:
        n_sized = np.add.reduceat(sized, starts, dtype=np.intp).tolist()
        size_min = np.minimum.reduceat(np.where(sized, size, np.inf), starts).tolist()
        size_max = np.maximum.reduceat(np.where(sized, size, -np.inf), starts).tolist()
    # no bold (or no red) character on the page is the common case: no sums to make then
    bold, red = chars.bold[idx], chars.red[idx]
    n_bold = np.add.reduceat(bold, starts, dtype=np.intp).tolist() if np.count_nonzero(bold) else [0] * len(kept)
    n_red = np.add.reduceat(red, starts, dtype=np.intp).tolist() if np.count_nonzero(red) else [0] * len(kept)
    # where a space may go, inside a line: after a printed space (there are characters between
    # two printed ones in `order`), or at a gap of over 0.18 em (em >= 1 pt; checked below)
    gap = x0[1:] - x1[:-1]
    saw_space = (at[1:] - at[:-1]) > 1
    maybe = saw_space | (gap > 0.18)
    maybe[starts[1:] - 1] = False       # not between two lines (starts[0] is 0)
    before = maybe.nonzero()[0]         # a candidate k is at[before + 1], after character k - 1
    candidates = (before + 1).tolist()
    candidates.append(len(at))      # a sentinel
    saw, gaps = saw_space[before].tolist(), gap[before].tolist()
    text = _decode(chars.codes[idx])
    soft_hyphen = "\u00ad" in text
    x0_start, x1_start = x0[starts].tolist(), x1[starts].tolist()
    bounds_ = bounds.tolist()
    lines: list[Line] = []
    c = 0
    for j, a, b, no in zip(range(len(kept)), starts.tolist(), ends.tolist(), kept.tolist()):
        if not n_sized[j]:
            line_size = y1[a] - y0[a]
        elif size_min[j] == size_max[j]:
            line_size = size_min[j]
        else:
            line_size = _median(size[a:b][sized[a:b]].tolist())
        if candidates[c] < b:
            em = max(line_size, 1.0)
            pieces: list[str] = []
            done = a
            while candidates[c] < b:
                k = candidates[c]
                if saw[c] or gaps[c] > 0.18 * em:
                    pieces.append(text[done:k])
                    done = k
                    if _space_between(text[k - 1], text[k], gaps[c], em, saw[c], pieces):
                        pieces.append(" ")
                c += 1
            pieces.append(text[done:b])
            line_text = "".join(pieces)
        else:
            line_text = text[a:b]
        if soft_hyphen:
            line_text = line_text.replace("\u00ad", "-")
        x_start = x0_start[j]
        # the first unit is mostly one CJK character (see _first_unit_end)
        if b - a == 1 or (text[a + 1] not in NO_LINE_START and text[a] not in LATIN):
            first_unit = x1_start[j] - x_start
        else:
            first_unit = float(x1[a + _first_unit_end(text, a, b)]) - x_start
        lines.append(Line(page, line_text, x_start, right[j], bottom[j], top[j], _round1(float(line_size)),
                          n_bold[j] == counts[j], n_red[j] > counts[j] / 2, first_unit, None, None,
                          chars, order[bounds_[no]:bounds_[no + 1]]))
    return lines


def _space_between(prev: str, ch: str, gap: float, em: float, saw_space: bool, before: list[str]) -> bool:
    """Whether a space goes between two printed characters of a line `gap` apart (`before`:
    the line's text so far). Between CJK characters (or CJK and digits) a gap is a typesetting
    artefact and is dropped ('344 号' → '344号'), unless it is very wide (two runs on one line)
    or follows a 第X章/第X条 label; between Latin letters/digits a word gap keeps one space."""
    if _is_latin(prev) and _is_latin(ch):
        return gap > 0.18 * em or (saw_space and gap > 0.05 * em)
    if gap > 1.8 * em:
        return True
    if gap > 0.8 * em and not (_is_cjk(prev) and _is_cjk(ch)):
        return True     # '表1 禁燃区…', '1 适用范围', 'GB/T 15173 声校准器'
    if gap > 0.45 * em and LABEL_END_RE.search("".join(before)[-12:]):
        return True
    if saw_space and gap > 0.4 * em:
        return True     # a printed space: '国务院办公厅　中央军委办公厅', '主  任：'
    # e.g. 'GB 12523-2011', '(see 3.1)'
    return (saw_space or gap > 0.3 * em) and not (_is_cjk(prev) or _is_cjk(ch))


def _first_unit_end(text: str, start: int, end: int) -> int:
    """How many printed characters after text[start] belong to a line's first unit (the first
    CJK character, or the first word, with any punctuation that may not start a line)."""
    n = end - start
    if n == 1 or (text[start + 1] not in NO_LINE_START and not _is_latin(text[start])):
        return 0    # the common case: a CJK character with no punctuation after it
    k = 0
    if _is_latin(text[start]):
        while k + 1 < n and _is_latin(text[start + k + 1]) or (
                k + 1 < n and text[start + k + 1] in ".-,/" and k + 2 < n and _is_latin(text[start + k + 2])):
            k += 1
    while k + 1 < n and text[start + k + 1] in NO_LINE_START:
        k += 1
    return k


# --------------------------------------------------------------------------- furniture

def _furniture(pages: list[PageInfo], removed: list[Removed]) -> None:
    """Drop page numbers and running headers/footers (recorded in `removed`)."""
    def key(text: str) -> str:
        return re.sub(r"\d+", "#", text.replace(" ", ""))

    # running headers/footers: the same text (digits aside) in the same zone on most pages
    counts: dict[tuple[str, str], set[int]] = {}
    zones = []
    for page in pages:
        bottom, top = page.height * FURNITURE_ZONE + 20, page.height * (1 - FURNITURE_ZONE) - 10
        zones.append([None if line.table is not None else "bottom" if line.y0 < bottom else "top" if line.y1 > top
                      else None for line in page.lines])
    for page, wheres in zip(pages, zones):
        for line, where in zip(page.lines, wheres):
            if where:
                counts.setdefault((where, key(line.text)), set()).add(page.number)
    many = max(2, int(len(pages) * 0.5 + 0.5))
    running = {k for k, seen in counts.items() if len(pages) >= 2 and len(seen) >= many and len(k[1]) > 0
               and not PAGE_NUMBER_RES[0].match(k[1].replace("#", "1"))}

    for page, wheres in zip(pages, zones):
        kept = []
        text_lines = [ln for ln in page.lines if ln.table is None]
        lowest = min((ln.y0 for ln in text_lines), default=0)
        highest = max((ln.y1 for ln in text_lines), default=0)
        for line, where in zip(page.lines, wheres):
            if where:
                compact = line.text.replace(" ", "")
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

def _has_ruling(page: int) -> bool:
    """Cheap check: does the page draw enough straight lines / plain boxes to hold a ruled
    table? (Curvy vector art such as a drawn 版头 does not count, so such pages stay fast.)"""
    horizontal = vertical = 0
    bounds = (ctypes.c_float * 4)()            # left, bottom, right, top
    corners = [ctypes.addressof(bounds) + 4 * i for i in range(4)]
    for obj in _path_objects(page):
        if obj is None or not _OBJECT_BOUNDS(obj, *corners):
            return False
        left, bottom, right, top = bounds
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
    return False


def _path_objects(parent: int, level: int = 0):
    """The path objects of a page, in content order, and those of its form XObjects two levels
    down (None for an object pdfium cannot give: the check gives up there)."""
    count, get = (_COUNT_FORM_OBJECTS, _GET_FORM_OBJECT) if level else (_COUNT_OBJECTS, _GET_OBJECT)
    n = count(parent)
    if n < 0:
        yield None
        return
    for i in range(n):
        obj = get(parent, i)
        if not obj:
            yield None
            return
        kind = _OBJECT_TYPE(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            yield obj
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and level < 2:
            yield from _path_objects(obj, level + 1)


def _is_box(obj: int) -> bool:
    """A path of at most 6 straight segments (a rectangle, possibly several: re ops count 5)."""
    n = _COUNT_SEGMENTS(obj)
    if n <= 0 or n > 6 * 8:
        return False
    return all(_SEGMENT_TYPE(_GET_SEGMENT(obj, i)) != pdfium_c.FPDF_SEGMENT_BEZIERTO for i in range(n))


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


def _tables(pdf_page, page: PageInfo, chars: Chars) -> tuple[list[Line], Chars]:
    """Ruled tables of one page as placeholder lines (in page coordinates), and the characters
    that are outside every table. The ruling lines come from pdfium; pdfplumber's table finder
    turns them into cells."""
    height = float(page.height)
    try:
        found = _find_tables(_page_edges(pdf_page, height))
    except Exception:  # odd drawings: no table then
        return [], chars
    out: list[Line] = []
    inside = np.zeros(len(chars), dtype=bool)
    cx, cy = (chars.x0 + chars.x1) / 2, (chars.y0 + chars.y1) / 2
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
            mine = np.flatnonzero(~inside & (x0 - 1 <= cx) & (cx <= x1 + 1) & (y_low - 1 <= cy) & (cy <= y_high + 1))
            inside[mine] = True
            text = _cell_text(chars.take(mine), page.number)
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
        out.append(Line(page=page.number, text=_table_text(tbl), x0=x0, x1=x1,
                        y0=height - bottom, y1=height - top, table=tbl))
    # characters of a table not in any detected cell (e.g. outside the grid) are dropped too
    # only when they fall inside the table's box
    rest = ~inside
    for ln in out:
        rest &= ~((ln.x0 <= cx) & (cx <= ln.x1) & (ln.y0 <= cy) & (cy <= ln.y1))
    return out, chars.take(np.flatnonzero(rest))


def _merge_close(values: list[float], tol: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in values:
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _index(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


def _cell_text(chars: Chars, page: int) -> str:
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
    size = sorted([ln.size for ln in body])[(len(body) - 1) // 2]       # the low median
    same = [ln for ln in body if abs(ln.size - size) <= 1.0] or body
    lefts, rights_all = [ln.x0 for ln in same], [ln.x1 for ln in same]
    # the left margin: the leftmost edge (2 pt bins, a bin and its right neighbour together)
    # that two lines share — not the most common edge: in a list of one-line paragraphs the
    # indented first lines outnumber the full lines
    left_bins = [int(x // 2) for x in lefts]
    bins = Counter(left_bins)
    shared = [b for b, n in bins.items() if n + bins.get(b + 1, 0) >= 2]
    if shared:
        first = min(shared)
        left = min(x for x, b in zip(lefts, left_bins) if b == first or b == first + 1)
    else:
        left = min(lefts)
    # the right margin: the most common right edge (2 pt bins) among long lines; hanging
    # punctuation lines stick out past it and must not move it. Pages have mirrored margins
    # more often than not: lines ending near `width - left` are the full lines, whatever
    # edges a list of short lines shares more often.
    rights = [x1 for x0, x1 in zip(lefts, rights_all) if x1 > (x0 + 200)]
    if width:
        mirror = width - left
        near = [x for x in rights if mirror - 2.5 * size <= x <= mirror + 0.75 * size]
        if near:
            rights = near
    if len(rights) >= 3 or (width and rights):
        right_bins = [round(x / 2) for x in rights]
        counts = Counter(right_bins)
        most = max(counts.values())
        bin_ = max(b for b, n in counts.items() if n == most)      # the highest of the modes
        right = max(x for x, b in zip(rights, right_bins) if b == bin_)
    else:
        right = max(rights_all)
    pages = [ln.page for ln in same]
    centres = [(ln.y0 + ln.y1) / 2 for ln in same]
    pitches = [d for pa, pb, a, b in zip(pages, pages[1:], centres, centres[1:])
               if pa == pb and 0 < (d := a - b) < 4 * size]
    pitch = _median(pitches) if pitches else size * 1.8
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
            indent = _round1((line.x0 - frame.left) / em)
            new = True
            if cur is not None and prev is not None:
                same_page = prev.page == line.page
                gap = (prev.y0 + prev.y1) / 2 - (line.y0 + line.y1) / 2 if same_page else 0.0
                pf = prev_frame or frame
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
                else:
                    heading = HEADING_RE.match(line.text) is not None
                    if (indent < 1.0 and not heading and _open_parens(cur["text"]) > 0
                            and ("）" in line.text or ")" in line.text)):
                        new = False      # a parenthetical split over two lines
                    else:
                        # a heading or an indented line starts a paragraph, and so does any
                        # line after one that ended short of the right margin
                        new = heading or indent >= 1.2 or (pf.right - prev.x1) > line.first_unit + 0.35 * em
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
    _NO_SYSTEM_FONTS.install()
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

    # pages are loaded through pdfium's own calls: pypdfium2's page and text page wrappers
    # (finalizers, parent bookkeeping) cost about a tenth of the page load
    kept_pages: dict[int, int] = {}     # ruled pages stay open for the table pass
    try:
        doc = ctypes.cast(pdf.raw, ctypes.c_void_p).value
        npages = len(pdf)
        if npages == 0:
            raise Unreadable(path, "PDF with no pages")
        page_chars: list[Chars] = []
        infos: list[PageInfo] = []
        for i in range(npages):
            page = _LOAD_PAGE(doc, i)
            if not page:
                raise Unreadable(path, f"page {i + 1} cannot be read (Failed to load page.)")
            ruled = False
            try:
                width, height = _PAGE_WIDTH(page), _PAGE_HEIGHT(page)
                textpage = _LOAD_TEXT_PAGE(page)
                if not textpage:
                    raise Unreadable(path, f"page {i + 1} cannot be read (Failed to load text page.)")
                try:
                    chars = _page_chars(textpage)
                finally:
                    _CLOSE_TEXT_PAGE(textpage)
                ruled = _has_ruling(page)
            finally:
                if ruled:
                    kept_pages[i] = page
                else:
                    _CLOSE_PAGE(page)
            page_chars.append(chars)
            infos.append(PageInfo(number=i + 1, width=width, height=height))

        warnings: list[tuple[str, str]] = []
        if not any(chars.seen for chars in page_chars):
            # pdfium found nothing: ask pdfminer before calling it a scan
            try:
                doc = plumber_doc()
                page_chars = [_plumber_chars(p) for p in doc.pages]
            except Unreadable:
                page_chars = []
            if not any(chars.seen for chars in page_chars):
                raise ScannedDocument(path, f"{npages} page(s) without a text layer")
            warnings.append(("pdf-text-fallback", "pdfium found no text; text taken from pdfminer"))

        for info, chars in zip(infos, page_chars):
            tables: list[Line] = []
            if info.number - 1 in kept_pages and len(chars):
                tables, chars = _tables(ctypes.cast(kept_pages[info.number - 1], pdfium_c.FPDF_PAGE), info, chars)
            lines = _group_lines(chars, info.number) + tables
            lines.sort(key=lambda ln: -ln.y1 if ln.table is not None else -ln.cy)
            info.lines = lines

        removed: list[Removed] = []
        _furniture(infos, removed)
        blocks = _paragraphs(infos)
        metadata = {k: v for k, v in (pdf.get_metadata_dict() or {}).items() if v}
    finally:
        for page in kept_pages.values():
            _CLOSE_PAGE(page)
        pdf.close()
        if plumber:
            plumber.close()
    return RawDocument(path=path, format="pdf", blocks=blocks, pages=npages, removed=removed,
                       page_metadata=metadata, warnings=warnings)
