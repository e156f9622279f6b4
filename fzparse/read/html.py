"""HTML pages: the main text of a notice as paragraph blocks, the page's metadata table as a dict.

Steps, all in one pass over the parts of the tree that matter:
  1. decode the bytes (BOM, <meta charset>, http-equiv, then strict UTF-8 → GB18030);
  2. parse with a hostile-input-safe libxml2 HTML parser (no network, no entities from
     outside, comments/PIs dropped, depth and size limits on);
  3. drop what a browser would not show (script, style, display:none …);
  4. read the page's label/value metadata (索引号, 发文字号 …) wherever it sits;
  5. find the main text container: known CMS ids/classes first, else the element that directly
     holds the most CJK text in paragraphs (link text does not count);
  6. walk the container once (iteratively: no recursion, whatever the nesting), cutting
     paragraphs at block elements and <br>, joining inline elements without spaces, turning
     data tables into one table block each, dropping site furniture into `removed`.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from lxml import etree

from .. import limits
from .. import patterns as P
from ..errors import EmptyDocument, Unreadable
from ..models import Block, Cell, RawDocument, Removed, Table
from .text import decode as decode_text

# --------------------------------------------------------------------------- tag classes

# Subtrees a browser does not show as text: dropped silently.
SKIP_TAGS = (
    "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object", "embed",
    "applet", "svg", "math", "canvas", "head", "title", "meta", "link", "base", "select", "option",
    "optgroup", "button", "input", "textarea", "map", "area", "audio", "video", "source", "track",
    "datalist", "dialog", "img", "picture",
)
SKIP_SET = frozenset(SKIP_TAGS)
# Site furniture by tag: dropped with their text kept in `removed`.
FURNITURE_TAGS = frozenset({"nav", "header", "footer", "aside", "menu"})
# Elements that end a paragraph (before and after them).
BLOCK_TAGS = frozenset({
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td",
    "th", "table", "tbody", "thead", "tfoot", "caption", "blockquote", "section", "article", "main",
    "aside", "header", "footer", "nav", "form", "fieldset", "legend", "center", "address", "pre",
    "hr", "figure", "figcaption", "body", "html", "details", "summary", "br", "colgroup", "col",
})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
BOLD_TAGS = frozenset({"b", "strong"}) | HEADING_TAGS
CELL_TAGS = frozenset({"td", "th"})
CELL_BREAK_TAGS = tuple(sorted(BLOCK_TAGS - {"td", "th", "tr", "tbody", "thead", "tfoot", "colgroup", "col"}))
STOP_TAGS = BLOCK_TAGS | FURNITURE_TAGS | SKIP_SET
ALIGNS = frozenset({"center", "right", "left", "justify"})
PARA_TAGS = frozenset({"p", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "tr", "caption"})

# Main-text containers of known government CMSs, most specific first (id, then class).
KNOWN_IDS = ("UCAP-CONTENT", "zoom", "Zoom", "zoomcon", "info_cont", "fontzoom", "textBox", "xxgk_content",
             "content_text", "BodyLabel", "ContentRegion", "art_content", "article_content", "mainText")
KNOWN_CLASSES = ("pages_content", "article-content", "article_content", "TRS_Editor", "TRS_UEDITOR",
                 "info_cont", "trs_editor_view", "view TRS_UEDITOR", "zw", "zwnr", "article-con",
                 "news_content", "content_text", "art_con", "article")

# --------------------------------------------------------------------------- text patterns

_CJK = ("\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u31a0-\u31ff\u3200-\u4dbf\u4e00-\u9fff"
        "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2010-\u2027\u2e80-\u2eff")
CJK_RE = re.compile(f"[{_CJK}]")
# Collapsible whitespace (U+3000 is a printed full-width character: kept inside a paragraph).
WS_RE = re.compile("[ \t\n\r\f\v\xa0]+")
STRIP_CHARS = " \t\n\r\f\v\xa0\u3000\u200b\ufeff"

STYLE_RE = re.compile(r"(text-align|font-weight|font-size|display|visibility|text-indent)\s*:\s*([^;]+)", re.I)
TABLE_TAG_RE = re.compile(r"<table\b", re.I)
SIZE_RE = re.compile(r"([\d.]+)\s*(pt|px|em|rem)?", re.I)

# Class/id of furniture inside a container (checked only on elements that carry class/id).
FURNITURE_ATTR_RE = re.compile(
    r"(?:^|[\s_-])(?:share|bdshare|bshare|fenxiang|print|dayin|close|guanbi|crumb|breadcrumb|position|"
    r"location|weizhi|pager|prev|next|prevnext|related|xgwz|xgxx|xglj|ewm|qrcode|erweima|toolbar|"
    r"tools|font-?size|zihao|fontsize|goto-?top|backtop|scan)(?:$|[\s_-])", re.I)

_FURN_TOKEN = (r"(?:打印本页|打印文章|打印|关闭本页|关闭窗口|关闭|返回顶部|返回|收藏本页|加入收藏|收藏|保存本页|保存|"
               r"分享到?[:：]?|字体\s*[:：]?\s*(?:[大中小]\s*){1,3}|字号\s*[:：]?\s*(?:[大中小]\s*){1,3}|[大中小]|"
               r"扫一扫在手机打开当前页|扫一扫在手机上查看当前页面|扫一扫|下载文字版|下载图片版|纠错|我要纠错|默认|"
               r"在手机上查看|手机版|无障碍|长者助手|关怀版)")
FURNITURE_LINE_RE = re.compile(
    rf"(?:[【\[〔(（]?\s*{_FURN_TOKEN}\s*[】\]〕)）]?\s*[|｜/、·]?\s*)+"
    r"|(?:当前位置|您当前的位置|您现在的位置|当前的位置|您的位置|所在位置)\s*[:：].*"
    r"|(?:上一篇|下一篇|上一条|下一条|上一页|下一页)\s*[:：].*"
    r"|您即将离开.*|(?:相关(?:链接|文章|阅读|新闻|文件|稿件|信息))\s*[:：]?"
    r"|浏览次数\s*[:：].*|【?\s*字体\s*[:：].*", re.S)

FURNITURE_FIRST = frozenset("当您所上下相浏【[字")

# Page metadata labels (after removing spaces); value cells follow them.
META_LABELS = (
    "索引号", "主题分类", "发文机关", "发布机构", "成文日期", "标题", "名称", "发文字号", "文号", "发布日期",
    "实施日期", "失效日期", "统一编号", "主题词", "分类", "发布机关", "文件状态", "有效性", "公开方式",
    "发布时间", "成文时间", "生效日期", "废止日期", "效力状态", "时效性", "体裁分类", "组配分类", "公文种类",
    "发文单位", "发布单位", "发文日期", "印发日期", "生成日期", "文件编号", "信息分类", "内容分类",
    "公开范围", "有效期", "登记号", "发文时间", "所属主题", "服务对象", "信息来源", "来源",
)
_SP = "[ \t\n\r\xa0\u3000]*"
_LABEL_ALT = "|".join(_SP.join(map(re.escape, lab)) for lab in sorted(META_LABELS, key=len, reverse=True))
META_ONLY_RE = re.compile(rf"{_SP}({_LABEL_ALT}){_SP}[:：]?{_SP}")
META_INLINE_RE = re.compile(rf"{_SP}({_LABEL_ALT}){_SP}[:：]{_SP}(\S.*)", re.S)
META_SPLIT_RE = re.compile(r"[ \t\xa0\u3000]{2,}(?=[^\s:：]{2,6}[:：])|[ \t\xa0\u3000]+(?=[^\s:：]{2,6}[:：])")
SPACES_RE = re.compile("[ \t\n\r\xa0\u3000]+")

CHARSET_RE = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
XML_ENC_RE = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.\-]+)""", re.I)
CHARSET_ALIASES = {
    "gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
    "euc-cn": "gb18030", "gb18030": "gb18030", "hz-gb-2312": "gb18030", "utf8": "utf-8", "utf-8": "utf-8",
    "unicode": "utf-8", "big5": "big5hkscs", "big5-hkscs": "big5hkscs",
}
SINGLE_BYTE = {"iso-8859-1", "latin1", "latin-1", "windows-1252", "cp1252", "us-ascii", "ascii", "iso8859-1"}


def _xp(expr: str) -> etree.XPath:
    return etree.XPath(expr, smart_strings=False)


# What a browser does not show. Not <body>/<html>: pages hide those until their scripts ran;
# not visibility:hidden, used the same way on content blocks.
HIDDEN_XP = _xp(
    "//body//*[@hidden or contains(translate(translate(@style, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', "
    "'abcdefghijklmnopqrstuvwxyz'), ' ', ''), 'display:none')]")
# libxml2 registers HTML id attributes: id() is a lookup, not a scan.
KNOWN_ID_XP = _xp(f"id('{' '.join(KNOWN_IDS)}')")
KNOWN_CLASS_XP = _xp("//*[@class][" + " or ".join(
    f"contains(concat(' ', normalize-space(@class), ' '), ' {k} ')" for k in KNOWN_CLASSES) + "]")
STRING = _xp("string()")


# --------------------------------------------------------------------------- entry point

def read(path: Path, data: bytes) -> RawDocument:
    text, encoding, warnings = _decode(path, data)
    if not text.strip():
        raise EmptyDocument(path)
    root = _parse(path, data, text, encoding)
    reader = _Reader(path, root, text)
    return reader.run(encoding, warnings)


# --------------------------------------------------------------------------- decoding

def _decode(path: Path, data: bytes) -> tuple[str, str, list[tuple[str, str]]]:
    """Return (text, encoding, warnings): BOM first, then the page's own declaration, then the
    strict UTF-8 → GB18030 sniffing of the text reader."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_text(path, data)
    head = data[:4096]
    m = XML_ENC_RE.match(head) or CHARSET_RE.search(head)
    if m:
        declared = m.group(1).decode("ascii", "replace").strip().lower()
        codec = CHARSET_ALIASES.get(declared, declared)
        if declared in SINGLE_BYTE:
            # Western single-byte declarations on Chinese pages are almost always wrong; trust
            # the bytes when they are valid UTF-8 or GB18030.
            text, enc, warnings = decode_text(path, data)
            if not data.isascii():
                warnings.append(("charset-mismatch", f"page declares {declared}; decoded as {enc}"))
            return text, enc, warnings
        try:
            return data.decode(codec), codec, []
        except (UnicodeDecodeError, LookupError):
            text, enc, warnings = decode_text(path, data)
            warnings.append(("charset-mismatch", f"page declares {declared} but its bytes are not; decoded as {enc}"))
            return text, enc, warnings
    return decode_text(path, data)


LIBXML_DEPTH = 256          # libxml2 refuses deeper nesting unless its huge-tree mode is on (then 2048)


def _parse(path: Path, data: bytes, text: str, encoding: str) -> etree._Element:
    max_depth = limits.current().max_depth
    parser = etree.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True,
                              huge_tree=max_depth > LIBXML_DEPTH, remove_blank_text=False, compact=True,
                              default_doctype=False)
    raw = data if encoding == "utf-8" else text.lstrip("\ufeff").encode("utf-8", "replace")
    try:
        root = etree.fromstring(raw, parser)
    except (etree.XMLSyntaxError, etree.ParserError, ValueError) as err:
        raise Unreadable(path, f"the HTML parser refused the page: {err}") from None
    for entry in parser.error_log:
        if entry.type_name == "ERR_RESOURCE_LIMIT" or "Excessive depth" in entry.message:
            raise Unreadable(path, f"the page exceeds the HTML parser's limits ({entry.message.strip()})")
    if root is None:
        raise EmptyDocument(path)
    if max_depth < LIBXML_DEPTH:
        depth = deepest = 0
        for event, _el in etree.iterwalk(root, events=("start", "end")):
            depth += 1 if event == "start" else -1
            deepest = max(deepest, depth)
        if deepest > max_depth:
            raise Unreadable(path, f"the page nests {deepest} elements deep, limit {max_depth} (--max-depth)")
    return root


# --------------------------------------------------------------------------- text helpers

def normalize(text: str) -> str:
    """One paragraph's text: invisible characters out, whitespace runs collapsed (to nothing
    between CJK characters, else one space), U+00A0/U+3000 indentation stripped. No NFKC.

    Between two CJK characters a source line break or a single space vanishes, but a deliberate
    gap of two or more spaces on one line (two signers side by side, 机关 + 日期) stays one space."""
    if not text:
        return ""
    text = P.INVISIBLE.sub("", text)
    text = text.strip(STRIP_CHARS)
    if not text or not WS_RE.search(text):
        return text

    def repl(m: re.Match) -> str:
        start, end = m.span()
        if CJK_RE.match(text, start - 1) and CJK_RE.match(text, end):
            run = m.group(0)
            if len(run) >= 2 and "\n" not in run and "\r" not in run and "\t" not in run:
                return " "
            return ""
        return " "

    return WS_RE.sub(repl, text)


def _label(text: str) -> str:
    return SPACES_RE.sub("", text).rstrip(":：")


def _cjk_count(text: str) -> int:
    return len(CJK_RE.findall(text)) if text else 0


# --------------------------------------------------------------------------- the reader

class _Para:
    """The paragraph being collected by the slow path of the walk."""
    __slots__ = ("pieces", "el", "first", "align", "size", "indent", "bold_all")

    def __init__(self):
        self.pieces: list[str] = []
        self.el = None
        self.first = ""
        self.align = None
        self.size = None
        self.indent = None
        self.bold_all = True


_NO_STYLE = (None, None, None, None, False)
# style attribute -> parsed hints; shared across pages (CMS pages repeat the same few styles)
_STYLE_CACHE: dict[str, tuple] = {}


class _Reader:
    def __init__(self, path: Path, root: etree._Element, text: str):
        self.path = path
        self.root = root
        self.tree = root.getroottree()
        self.source = text
        self.removed: list[Removed] = []
        self.style_cache = _STYLE_CACHE
        if len(_STYLE_CACHE) > 20000:       # bounded: hostile pages can carry endless styles
            _STYLE_CACHE.clear()
        self.meta_holders: set = set()
        self.page_metadata: dict[str, str] = {}
        self.fallback = False
        self.dropped: dict = {}         # hidden elements taken out before density scoring -> parent
        # offset bookkeeping: (line number, offset of that line's start), monotonic cursor
        self._line = 1
        self._line_start = 0
        self._cursor = 0

    # ------------------------------------------------------------------ driver
    def run(self, encoding: str, warnings: list) -> RawDocument:
        root = self.root
        title_el = root.find(".//title")
        page_title = normalize("".join(title_el.itertext())) if title_el is not None else None
        etree.strip_elements(root, *SKIP_TAGS, with_tail=False)
        container = self._container()
        self._metadata(container)
        heading = self._heading(container)
        for el, parent in self.dropped.items():
            if parent is container or any(a is container for a in parent.iterancestors()):
                txt = normalize(STRING(el))
                if txt:
                    self.removed.append(Removed(text=txt, reason="hidden", line=el.sourceline))
        self._seek(container.sourceline)
        blocks: list[Block] = []
        self._walk(container, blocks, cell=False)
        if not blocks:
            raise EmptyDocument(self.path)
        return RawDocument(path=self.path, format="html", blocks=blocks, encoding=encoding,
                           page_metadata=self.page_metadata, page_title=page_title or None,
                           removed=self.removed, page_heading=heading, warnings=list(warnings))

    # ------------------------------------------------------------------ container
    def _container(self) -> etree._Element:
        root = self.root
        found = {el.get("id"): el for el in KNOWN_ID_XP(root)}
        for key in KNOWN_IDS:
            el = found.get(key)
            if el is not None and self._usable(el):
                return el
        by_class = KNOWN_CLASS_XP(root)
        if by_class:
            for key in KNOWN_CLASSES:
                for el in by_class:
                    if f" {key} " in f" {' '.join((el.get('class') or '').split())} " and self._usable(el):
                        return el
        self.fallback = True
        return self._densest()

    def _usable(self, el) -> bool:
        n = 0
        for piece in el.itertext():
            n += _cjk_count(piece)
            if n >= 20:
                break
        else:
            return False
        for node in (el, *el.iterancestors()):
            style = node.get("style")
            if style and self._style_of(style)[4]:
                return False
        return True

    def _densest(self) -> etree._Element:
        """The element that directly holds the most CJK text in its paragraphs: each text node
        counts for its nearest block ancestor (link text not at all); a paragraph passes its count
        to its parent, any other block keeps it as well (text cut by <br> straight in a <td>)."""
        for el in HIDDEN_XP(self.root):
            parent = el.getparent()
            if parent is not None and not any(a in self.dropped for a in el.iterancestors()):
                self.dropped[el] = parent
                _remove_keep_tail(el)
        body = self.root.find("body")
        if body is None:
            body = self.root
        direct: dict = {}
        for el in body.iter():
            if not isinstance(el.tag, str):
                continue
            for txt, owner in ((el.text, el), (el.tail, el.getparent())):
                if not txt or owner is None:
                    continue
                n = _cjk_count(txt)
                if not n:
                    continue
                node, linked = owner, False
                while node is not None and node.tag not in BLOCK_TAGS:
                    if node.tag == "a":
                        linked = True
                    node = node.getparent()
                if linked or node is None:
                    continue
                direct[node] = direct.get(node, 0) + n
        if not direct:
            return body
        score: dict = {}
        for node, n in direct.items():
            if node.tag not in PARA_TAGS:
                score[node] = score.get(node, 0) + n
            parent = node.getparent()
            if parent is not None:
                score[parent] = score.get(parent, 0) + n
        return max(score, key=score.get)

    # ------------------------------------------------------------------ metadata
    def _metadata(self, container) -> None:
        """Label/value pairs (索引号：…) outside the main text; inside it only as a block of
        several pairs (then that block is not body text)."""
        holders: dict = {}
        walker = etree.iterwalk(self.root, events=("start",))
        skip_container = not self.fallback
        for _, el in walker:
            if el is container and skip_container:
                walker.skip_subtree()
                continue
            text = el.text
            if not text or len(text) > 150:
                continue
            tag = el.tag
            if "：" not in text and ":" not in text and tag not in CELL_TAGS:
                continue
            if not isinstance(tag, str):
                continue
            txt = "".join(el.itertext()) if len(el) else text
            key = value = None
            m = META_ONLY_RE.fullmatch(txt)
            if m:
                # a bare label is a label only with its colon, or as a table cell before a cell
                if not txt.rstrip(STRIP_CHARS).endswith((":", "：")) and not (
                        tag in CELL_TAGS and el.getnext() is not None and el.getnext().tag in CELL_TAGS):
                    continue
                key = _label(m.group(1))
                value = self._meta_value(el)
            else:
                m = META_INLINE_RE.fullmatch(txt)
                if m:
                    key, value = _label(m.group(1)), m.group(2)
            if key is None:
                continue
            value = normalize(META_SPLIT_RE.split(value or "", 1)[0])
            if META_ONLY_RE.fullmatch(value or ""):
                value = ""
            inside = skip_container is False and (el is container or any(a is container for a in el.iterancestors()))
            holders.setdefault(self._holder(el), []).append((key, value, inside))
        # holders of several pairs (the metadata table) before stray single pairs
        for holder, pairs in sorted(holders.items(), key=lambda item: len(item[1]) < 2):
            if pairs[0][2] and len(pairs) < 2:
                continue        # a lone "文号：…" line inside the body is body text
            if len(pairs) >= 2:
                self.meta_holders.add(holder)
            for key, value, _ in pairs:
                if value and key not in self.page_metadata:
                    self.page_metadata[key] = value

    @staticmethod
    def _meta_value(el) -> str:
        tail = (el.tail or "").strip(STRIP_CHARS)
        if tail:
            return tail
        node = el
        for _ in range(4):
            nxt = node.getnext()
            if nxt is not None:
                return STRING(nxt)
            node = node.getparent()
            if node is None:
                return ""
            if (node.tail or "").strip(STRIP_CHARS):
                return node.tail
        return ""

    @staticmethod
    def _holder(el):
        node = el
        for _ in range(6):
            parent = node.getparent()
            if parent is None:
                break
            if parent.tag in ("table", "ul", "ol", "dl"):
                return parent
            node = parent
        return el.getparent() if el.getparent() is not None else el

    # ------------------------------------------------------------------ heading
    def _heading(self, container) -> str | None:
        """The title shown above the body: the nearest h1-h3 (or *title* element) before the
        container, looking at preceding siblings of the container and its first few ancestors."""
        node = container
        for _ in range(4):
            for sib in node.itersiblings(preceding=True):
                if not isinstance(sib.tag, str) or sib in self.meta_holders:
                    continue
                cand = None
                if sib.tag in ("h1", "h2", "h3"):
                    cand = sib
                else:
                    found = list(sib.iter("h1", "h2", "h3"))
                    if found:
                        cand = found[-1]
                    else:
                        cls = f"{sib.get('class') or ''} {sib.get('id') or ''}".lower()
                        if "title" in cls and "sub" not in cls:
                            cand = sib
                if cand is not None:
                    txt = normalize(STRING(cand))
                    if 4 <= len(txt) <= 200:
                        return txt
            node = node.getparent()
            if node is None or node.tag in ("body", "html"):
                break
        return None

    # ------------------------------------------------------------------ styles
    def _style_of(self, style: str) -> tuple:
        res = self.style_cache.get(style)
        if res is None:
            s_align = s_bold = s_size = s_indent = None
            hidden = False
            for prop, val in STYLE_RE.findall(style):
                prop = prop.lower()
                val = val.strip().lower()
                if prop == "text-align":
                    s_align = val.split()[0] if val else None
                elif prop == "font-weight":
                    s_bold = val in ("bold", "bolder") or (val.isdigit() and int(val) >= 600)
                elif prop == "font-size":
                    m = SIZE_RE.match(val)
                    if m:
                        num, unit = float(m.group(1)), (m.group(2) or "px").lower()
                        if unit == "pt":
                            s_size = num
                        elif unit == "px":
                            s_size = round(num * 0.75, 1)
                elif prop == "text-indent":
                    m = SIZE_RE.match(val)
                    if m and (m.group(2) or "").lower() == "em":
                        s_indent = float(m.group(1))
                elif prop == "display":
                    hidden = val.startswith("none")
            res = (s_align, s_bold, s_size, s_indent, hidden)
            self.style_cache[style] = res
        return res

    def _style(self, el, tag) -> tuple:
        """(align, bold, font_size_pt, indent_chars, hidden) declared on this element."""
        style = el.get("style")
        res = self._style_of(style) if style else _NO_STYLE
        if res[0] is None:
            align = el.get("align")
            if align:
                res = (align.strip().lower() or None,) + res[1:]
            elif tag == "center":
                res = ("center",) + res[1:]
        return res

    def _furniture(self, el, tag) -> str | None:
        """Text of a furniture element (share bar, print/close links, breadcrumbs …), else None."""
        if tag in FURNITURE_TAGS:
            return normalize(STRING(el))
        cls = el.get("class")
        ident = el.get("id")
        if (cls or ident) and FURNITURE_ATTR_RE.search(f"{cls or ''} {ident or ''}"):
            txt = normalize(STRING(el))
            if len(txt) < 200:
                return txt
        return None

    # ------------------------------------------------------------------ walking
    def _walk(self, top, out: list, cell: bool) -> None:
        """Iterative walk of `top` (never recursive in the depth of the tree). Appends Blocks, or
        for a table cell (`cell`) the cell's lines as strings. A block element holding only
        inline elements is read in one go (`_simple`); anything else event by event."""
        para = _Para()
        stack: list[tuple] = []
        align, bold, size, indent = None, False, None, None
        block_el = top
        walker = etree.iterwalk(top, events=("start", "end"))
        meta_holders = self.meta_holders
        style_of = self._style
        for event, el in walker:
            if event == "start":
                tag = el.tag
                if tag.__class__ is not str:
                    stack.append(None)
                    walker.skip_subtree()
                    continue
                st = style_of(el, tag)
                is_block = tag in BLOCK_TAGS
                if is_block and (para.el is not None or para.pieces):
                    para = self._flush(para, out, cell)
                skip = False
                if el is not top:
                    if st[4] or el.get("hidden") is not None:
                        txt = normalize(STRING(el))
                        if txt and not cell:
                            self.removed.append(Removed(text=txt, reason="hidden", line=el.sourceline))
                        skip = True
                    elif tag in SKIP_SET or el in meta_holders:
                        skip = True
                    else:
                        furniture = self._furniture(el, tag)
                        if furniture is not None:
                            if furniture and not cell:
                                self.removed.append(Removed(text=furniture, reason=f"furniture <{tag}>",
                                                            line=el.sourceline))
                            skip = True
                        elif is_block and tag != "br":
                            if tag == "table" and not cell:
                                skip = self._table(el, out)
                            elif tag not in ("table", "tr", "tbody", "thead", "tfoot"):
                                skip = self._simple(el, st, align, bold, size, out, cell)
                stack.append((align, bold, size, indent, block_el) if is_block else (align, bold, size, indent, None))
                if skip:
                    walker.skip_subtree()
                    continue
                if is_block:
                    block_el = el
                    if st[0]:
                        align = st[0]
                    indent = st[3]
                if tag in BOLD_TAGS or st[1]:
                    bold = True
                elif st[1] is False:
                    bold = False
                if st[2]:
                    size = st[2]
                text = el.text
                if text:
                    self._add(para, text, block_el, align, bold, size, indent)
            else:
                saved = stack.pop()
                if saved is None:
                    continue
                align, bold, size, indent, prev_block = saved
                if prev_block is not None:          # leaving a block element
                    if para.el is not None or para.pieces:
                        para = self._flush(para, out, cell)
                    block_el = prev_block
                if el is top:
                    break
                tail = el.tail
                if tail:
                    self._add(para, tail, block_el, align, bold, size, indent)
        self._flush(para, out, cell)

    @staticmethod
    def _add(para: _Para, text: str, el, align, bold, size, indent) -> None:
        if para.el is None:
            if text.isspace():
                para.pieces.append(text)
                return
            para.el = el
            para.first = text
            para.align = align
            para.size = size
            para.indent = indent
        if not bold and text.strip(STRIP_CHARS):
            para.bold_all = False
        para.pieces.append(text)

    def _flush(self, para: _Para, out: list, cell: bool) -> _Para:
        if para.el is not None:
            self._emit(out, "".join(para.pieces), para.el, para.first, para.align, para.size, para.indent,
                       para.bold_all, cell)
        return _Para()

    def _simple(self, el, st, align, bold, size, out: list, cell: bool) -> bool:
        """Read a block element that holds only inline elements in one go; False (nothing done)
        when it holds anything else (blocks, hidden or furniture elements)."""
        desc = list(el.iterdescendants())
        if len(desc) > 200:
            return False
        b0 = True if (el.tag in BOLD_TAGS or st[1]) else (False if st[1] is False else bold)
        s0 = st[2] or size
        first = None
        first_size = s0
        bold_all = True
        text = el.text
        if text and not text.isspace():
            first, bold_all = text, b0
        if desc:
            flat = len(desc) == len(el)     # only children: every parent is `el`
            ctx = None if flat else {el: (b0, s0)}
            style_of = self._style_of
            late = None                     # a tail seen before deeper text (non-flat only)
            for d in desc:
                dtag = d.tag
                if dtag.__class__ is not str or dtag in STOP_TAGS:
                    return False
                style = d.get("style")
                if style:
                    dst = style_of(style)
                    if dst[4]:
                        return False
                    db, ds = dst[1], dst[2]
                else:
                    db = ds = None
                if (d.get("class") is not None or d.get("id") is not None) and self._furniture(d, dtag) is not None:
                    return False
                pb, ps = (b0, s0) if flat else ctx[d.getparent()]
                b = True if (db or dtag in BOLD_TAGS) else (False if db is False else pb)
                sz = ds or ps
                if not flat:
                    ctx[d] = (b, sz)
                text = d.text
                if text and not text.isspace():
                    if first is None:
                        first, first_size = text, sz
                    if not b:
                        bold_all = False
                text = d.tail
                if text and not text.isspace():
                    if first is None:
                        if flat:
                            first, first_size = text, ps
                        elif late is None:
                            late = (text, ps)
                    if not pb:
                        bold_all = False
            if first is None and late is not None:
                first, first_size = late
        if first is not None:
            raw = "".join(el.itertext()) if desc else el.text
            self._emit(out, raw, el, first, st[0] or align, first_size, st[3], bold_all, cell)
        return True

    def _emit(self, out: list, raw: str, el, first: str, align, size, indent, bold_all: bool, cell: bool) -> None:
        text = normalize(raw)
        if not text:
            return
        if cell:
            out.append(text)
            return
        if (len(text) <= 40 or text[0] in FURNITURE_FIRST) and len(text) < 300 and FURNITURE_LINE_RE.fullmatch(text):
            self.removed.append(Removed(text=text, reason="furniture", line=el.sourceline))
            return
        if indent is None:
            lead = len(raw) - len(raw.lstrip(" \t\n\r\xa0\u3000"))
            if lead:
                head = raw[:lead]
                indent = (head.count("\u3000") + head.count("\xa0") * 0.5) or None
        line = el.sourceline
        out.append(Block(text=text, line=line, offset=self._offset(line, first), xpath=self.tree.getpath(el),
                         align=align if align in ALIGNS else None, bold=bold_all, font_size=size, indent=indent))

    # ------------------------------------------------------------------ offsets
    def _seek(self, line: int | None) -> None:
        """Advance the line bookkeeping to `line` (1-based) in the decoded source."""
        if not line or line <= self._line:
            return
        src = self.source
        pos, cur = self._line_start, self._line
        while cur < line:
            nxt = src.find("\n", pos)
            if nxt < 0:
                break
            pos, cur = nxt + 1, cur + 1
        self._line, self._line_start = cur, pos
        if pos > self._cursor:
            self._cursor = pos

    def _offset(self, line: int | None, first: str) -> int | None:
        """Offset in the decoded page of a block's first text node: searched forward from the
        previous block (reading order is source order), starting at the block's source line."""
        self._seek(line)
        s = first.strip(STRIP_CHARS).split("\n", 1)[0]
        if not s:
            return None
        # a short text node ("4" of a split heading) is only found with its closing tag
        needle = s[:8] if len(s) >= 6 else (s + "<" if first.endswith(s) else s)
        start = self._cursor
        pos = self.source.find(needle, start, start + 200000)
        if pos < 0:
            return None
        self._cursor = pos + len(needle)
        return pos

    # ------------------------------------------------------------------ tables
    def _cell_lines(self, td) -> list[str] | None:
        """A cell's lines (its paragraphs and <br>-cut pieces); None for a hidden cell."""
        if not len(td):                                   # the common leaf cell: text only
            text = normalize(td.text) if td.text else ""
            return [text] if text else []
        st = self._style(td, td.tag)
        if st[4]:
            return None
        # fast paths, all in C: a cell of one paragraph, or of sibling paragraphs and nothing else
        breaks = list(td.iterdescendants(*CELL_BREAK_TAGS))
        if not breaks or (len(breaks) == 1 and breaks[0].tag != "br"):
            text = normalize("".join(td.itertext()))
            return [text] if text else []
        if (len(breaks) == len(td) and not (td.text or "").strip(STRIP_CHARS)
                and all(b.tag in ("p", "div") and not (b.tail or "").strip(STRIP_CHARS) for b in breaks)):
            lines = [normalize("".join(b.itertext())) for b in breaks]
            return [t for t in lines if t]
        lines: list[str] = []
        if not (td.text or "").strip(STRIP_CHARS):        # a cell of plain <p>s
            for child in td:
                ctag = child.tag
                if (ctag not in ("p", "div") or (child.tail or "").strip(STRIP_CHARS)
                        or not self._simple(child, self._style(child, ctag), None, False, None, lines, True)):
                    break
            else:
                return lines
            lines = []
        self._walk(td, lines, cell=True)
        return lines

    def _table(self, table, out: list) -> bool:
        """A data table (≥2 rows with ≥2 cells of text, no table inside) becomes one table block
        (leading full-width title rows become paragraphs before it) and True; a layout table
        returns False and the walk descends into it."""
        if table.find(".//table") is not None:
            return False            # nested: the innermost data table is the table
        trs = list(table.iter("tr"))
        if len(trs) < 2:
            return False
        if table in self.meta_holders:
            return False
        nrows = len(trs)
        rows_cells: list[list] = []
        multi = 0
        for tr in trs:
            cells = []
            filled = 0
            for td in tr:
                if td.tag not in CELL_TAGS:
                    continue
                lines = self._cell_lines(td)
                if lines is None:
                    continue
                if len(lines) > 40 or sum(map(len, lines)) > 5000:
                    return False    # a "cell" holding a whole article: page layout
                text = "\n".join(lines)
                if text:
                    filled += 1
                cells.append((td, text))
            if filled >= 2:
                multi += 1
            rows_cells.append(cells)
        if multi < 2:
            return False
        line = table.sourceline
        self._seek(line)
        m = TABLE_TAG_RE.search(self.source, self._cursor)
        offset = m.start() if m else None
        if m:
            self._cursor = m.end()
        grid: dict[tuple[int, int], Cell] = {}
        ncols = 0
        for r, cells in enumerate(rows_cells):
            c = 0
            for td, text in cells:
                while (r, c) in grid:
                    c += 1
                rs = _span(td.get("rowspan"), nrows - r)
                cs = _span(td.get("colspan"), 200)
                for dr in range(rs):
                    for dc in range(cs):
                        grid[(r + dr, c + dc)] = Cell(text=text, spanned=bool(dr or dc))
                c += cs
            ncols = max(ncols, c)
        empty = Cell(text="")
        rows = [[grid.get((r, c)) or empty for c in range(ncols)] for r in range(nrows)]
        rows = [row for row in rows if any(cell.text for cell in row)]
        keep = [c for c in range(ncols) if any(row[c].text for row in rows)]
        if len(keep) < ncols:
            rows = [[row[c] for c in keep] for row in rows]
        rows = [[Cell(text="") if cell is empty else cell for cell in row] for row in rows]
        xpath = self.tree.getpath(table)
        # leading title rows (one cell across the whole table: 附件2 / the table's title) are
        # paragraphs before the table, where a reader of the notice sees them
        while len(rows) > 1 and len(rows[0]) > 1 and rows[0][0].text and all(c.spanned for c in rows[0][1:]):
            for piece in rows[0][0].text.split("\n"):
                out.append(Block(text=piece, line=line, offset=offset, xpath=xpath, align="center"))
            rows.pop(0)
        if rows:
            text = "\n".join(" | ".join(c.text for c in row) for row in rows)
            out.append(Block(text=text, line=line, offset=offset, xpath=xpath, table=Table(rows=rows)))
        return True


def _span(value: str | None, limit: int) -> int:
    try:
        n = int(str(value).strip()) if value is not None else 1
    except ValueError:
        digits = re.match(r"\s*(\d+)", str(value))
        n = int(digits.group(1)) if digits else 1
    return max(1, min(n, max(1, limit)))


def _remove_keep_tail(el) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)
