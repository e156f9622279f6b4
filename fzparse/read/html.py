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
WS_RE = re.compile(f"(?<=([{_CJK}]))?[ \\t\\n\\r\\f\\v\\xa0]+(?=([{_CJK}]))?")
INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
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
_label_key = "translate(normalize-space(text()[1]), '\u3000\u00a0 ', '')"
META_XP = _xp(
    f"//body//*[text()][string-length(normalize-space(text()[1])) < 80][{' or '.join(f'starts-with({_label_key}, {chr(39)}{lab}{chr(39)})' for lab in META_LABELS)}]")
KNOWN_XP = [(f"id={k}", _xp(f"//*[@id='{k}']")) for k in KNOWN_IDS] + [
    (f"class={k}", _xp(f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {k} ')]")) for k in KNOWN_CLASSES]
STRING = _xp("string()")


# --------------------------------------------------------------------------- entry point

def read(path: Path, data: bytes) -> RawDocument:
    text, encoding, warnings = _decode(path, data)
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


def _parse(path: Path, data: bytes, text: str, encoding: str) -> etree._Element:
    parser = etree.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True,
                              huge_tree=False, remove_blank_text=False, compact=True, default_doctype=False)
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
    return root


# --------------------------------------------------------------------------- text helpers

def _ws(match: re.Match) -> str:
    run = match.group(0)
    if match.group(1) and match.group(2):        # between two CJK characters
        # Source line breaks and single spaces vanish; a deliberate gap of 2+ spaces (two
        # signers on one line, 机关 + 日期) stays a single space.
        if len(run) >= 2 and "\n" not in run and "\r" not in run and "\t" not in run:
            return " "
        return ""
    return " "


def normalize(text: str) -> str:
    """One paragraph's text: invisible characters out, whitespace runs collapsed (to nothing
    between CJK characters), U+00A0/U+3000 indentation stripped. No NFKC."""
    if not text:
        return ""
    text = INVISIBLE_RE.sub("", text).strip(STRIP_CHARS)
    if not text:
        return ""
    return WS_RE.sub(_ws, text)


def _label(text: str) -> str:
    return SPACES_RE.sub("", text).rstrip(":：")


def _cjk_count(text: str) -> int:
    return len(CJK_RE.findall(text)) if text else 0


# --------------------------------------------------------------------------- the reader

class _Para:
    __slots__ = ("pieces", "el", "align", "size", "indent", "bold_all")

    def __init__(self):
        self.pieces: list[str] = []
        self.el = None
        self.align = None
        self.size = None
        self.indent = None
        self.bold_all = True


class _Reader:
    def __init__(self, path: Path, root: etree._Element, text: str):
        self.path = path
        self.root = root
        self.tree = root.getroottree()
        self.source = text
        self.removed: list[Removed] = []
        self.style_cache: dict[str, tuple] = {}
        self.meta_holders: set = set()
        self.page_metadata: dict[str, str] = {}
        self.hidden: list[tuple[etree._Element, etree._Element]] = []
        # offset bookkeeping: (line number, offset of that line's start), monotonic cursor
        self._line = 1
        self._line_start = 0
        self._cursor = 0

    # ------------------------------------------------------------------ driver
    def run(self, encoding: str, warnings: list) -> RawDocument:
        root = self.root
        title_el = root.find(".//title")
        page_title = normalize("".join(title_el.itertext())) if title_el is not None else None
        self._drop_invisible()
        container = self._container()
        self._metadata(container)
        heading = self._heading(container)
        for el, parent in self.hidden:
            if parent is container or any(a is container for a in parent.iterancestors()):
                txt = normalize("".join(el.itertext()))
                if txt:
                    self.removed.append(Removed(text=txt, reason="hidden", line=el.sourceline))
        self._seek(container.sourceline)
        blocks = self._blocks(container)
        if not blocks:
            raise EmptyDocument(self.path)
        return RawDocument(path=self.path, format="html", blocks=blocks, encoding=encoding,
                           page_metadata=self.page_metadata, page_title=page_title or None,
                           removed=self.removed, page_heading=heading, warnings=list(warnings))

    # ------------------------------------------------------------------ invisible content
    def _drop_invisible(self) -> None:
        root = self.root
        hidden = HIDDEN_XP(root)
        gone = set()
        for el in hidden:
            parent = el.getparent()
            if parent is None or any(a in gone for a in el.iterancestors()):
                continue
            gone.add(el)
            self.hidden.append((el, parent))
            _remove_keep_tail(el)
        etree.strip_elements(root, *SKIP_TAGS, with_tail=False)

    # ------------------------------------------------------------------ container
    def _container(self) -> etree._Element:
        root = self.root
        for _name, xp in KNOWN_XP:
            for el in xp(root):
                if _cjk_count(STRING(el)) >= 20:
                    return el
        return self._densest()

    def _densest(self) -> etree._Element:
        """The element that directly holds the most CJK text in its paragraphs: each text node
        counts for its nearest block ancestor (link text not at all), each block passes its count
        to its parent; the best-scoring element wins."""
        direct: dict = {}
        body = self.root.find("body")
        if body is None:
            body = self.root
        for el in body.iter():
            tag = el.tag
            if not isinstance(tag, str):
                continue
            for txt, owner in ((el.text, el), (el.tail, el.getparent())):
                if not txt or owner is None:
                    continue
                n = _cjk_count(txt)
                if not n:
                    continue
                # nearest block ancestor; text inside links is furniture-like
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
        # a paragraph passes its text to its parent; any other block keeps its own direct text
        # too (text cut by <br> straight inside a <td>/<div>)
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
        holders: dict = {}
        for el in META_XP(self.root):
            inside = el is container or any(a is container for a in el.iterancestors())
            txt = "".join(el.itertext()) if len(el) else (el.text or "")
            key = value = None
            m = META_ONLY_RE.fullmatch(txt)
            if m:
                # a bare label is a label only with its colon, or as a table cell before a cell
                if not txt.rstrip(STRIP_CHARS).endswith((":", "：")) and not (
                        el.tag in CELL_TAGS and el.getnext() is not None and el.getnext().tag in CELL_TAGS):
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
            holder = self._holder(el)
            holders.setdefault(holder, []).append((key, value, inside))
        # holders of several pairs (the metadata table) before stray single pairs
        for holder, pairs in sorted(holders.items(), key=lambda item: len(item[1]) < 2):
            inside = pairs[0][2]
            if inside and len(pairs) < 2:
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
                    found = [h for h in sib.iter("h1", "h2", "h3")]
                    if found:
                        cand = found[-1]
                    else:
                        cls = (sib.get("class") or "") + " " + (sib.get("id") or "")
                        if "title" in cls.lower() and "sub" not in cls.lower():
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
    def _style(self, el, tag):
        """(align, bold, font_size_pt, indent_chars, hidden) declared on this element."""
        style = el.get("style")
        align = el.get("align")
        if style is None:
            res = (None, None, None, None)
        else:
            res = self.style_cache.get(style)
            if res is None:
                s_align = s_bold = s_size = s_indent = None
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
                res = (s_align, s_bold, s_size, s_indent)
                self.style_cache[style] = res
        if align and res[0] is None:
            res = (align.strip().lower() or None,) + res[1:]
        if tag == "center" and res[0] is None:
            res = ("center",) + res[1:]
        return res

    # ------------------------------------------------------------------ walking
    def _blocks(self, container) -> list[Block]:
        out: list[Block] = []
        self._walk(container, out, cell=False)
        return out

    def _walk(self, top, out: list, cell: bool) -> None:
        """Iterative walk of `top`: appends Blocks (or, for a table cell, plain Blocks whose
        texts become the cell's lines)."""
        para = _Para()
        # stack entries: (align, bold, size, indent, is_block)
        stack: list[tuple] = []
        align, bold, size, indent = None, False, None, None
        walker = etree.iterwalk(top, events=("start", "end"))
        meta_holders = self.meta_holders
        for event, el in walker:
            tag = el.tag
            if not isinstance(tag, str):
                continue
            if event == "start":
                skip = False
                if tag in SKIP_SET:
                    skip = True
                elif el in meta_holders and el is not top:
                    skip = True
                elif tag == "table" and el is not top and not cell and self._table(el, out, para, (align, bold, size)):
                    para = _Para()
                    skip = True
                elif el is not top and (tag in FURNITURE_TAGS or self._furniture_attr(el)):
                    txt = normalize(STRING(el))
                    if tag in FURNITURE_TAGS or len(txt) < 200:
                        if txt:
                            self.removed.append(Removed(text=txt, reason=f"furniture <{tag}>", line=el.sourceline))
                        skip = True
                is_block = tag in BLOCK_TAGS
                if is_block:
                    para = self._flush(para, out)
                stack.append((align, bold, size, indent, is_block))
                if skip:
                    walker.skip_subtree()
                    continue
                s_align, s_bold, s_size, s_indent = self._style(el, tag)
                if is_block and s_align:
                    align = s_align
                if tag in BOLD_TAGS or s_bold:
                    bold = True
                elif s_bold is False:
                    bold = False
                if s_size:
                    size = s_size
                if is_block:
                    indent = s_indent
                if el.text:
                    self._add(para, el.text, el, align, bold, size, indent)
            else:
                align, bold, size, indent, is_block = stack.pop()
                if is_block:
                    para = self._flush(para, out)
                if el is top:
                    break
                if el.tail:
                    self._add(para, el.tail, el.getparent(), align, bold, size, indent)
        self._flush(para, out)

    def _add(self, para: _Para, text: str, el, align, bold, size, indent) -> None:
        if para.el is None:
            if not text.strip(STRIP_CHARS):
                para.pieces.append(text)
                return
            para.el = el
            para.align = align
            para.size = size
            para.indent = indent
        if not bold and text.strip(STRIP_CHARS):
            para.bold_all = False
        para.pieces.append(text)

    def _flush(self, para: _Para, out: list) -> _Para:
        if para.el is None:
            if para.pieces:
                para.pieces.clear()
            return para
        raw = "".join(para.pieces)
        text = normalize(raw)
        if text:
            el = para.el
            if FURNITURE_LINE_RE.fullmatch(text) and len(text) < 300:
                self.removed.append(Removed(text=text, reason="furniture", line=el.sourceline))
            else:
                indent = para.indent
                if indent is None:
                    lead = len(raw) - len(raw.lstrip(" \t\n\r\xa0\u3000"))
                    if lead:
                        head = raw[:lead]
                        n = head.count("\u3000") + head.count("\xa0") * 0.5
                        indent = n or None
                align = para.align if para.align in ("center", "right", "left", "justify") else None
                line = el.sourceline
                out.append(Block(text=text, line=line, offset=self._offset(line, para.pieces),
                                 xpath=self.tree.getpath(el), align=align, bold=para.bold_all,
                                 font_size=para.size, indent=indent))
        return _Para()

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

    def _offset(self, line: int | None, pieces: list[str]) -> int | None:
        self._seek(line)
        needle = ""
        for piece in pieces:
            s = piece.strip(STRIP_CHARS)
            if s:
                # a short text node ("4" of a split heading) is only found with its closing tag
                needle = s[:8] if len(s) >= 6 else (s + "<" if piece.endswith(s) else s)
                break
        if not needle or "\n" in needle:
            needle = needle.split("\n", 1)[0]
            if not needle:
                return None
        src = self.source
        start = self._cursor
        pos = src.find(needle, start, start + 200000)
        if pos < 0:
            return None
        self._cursor = pos + len(needle)
        return pos

    # ------------------------------------------------------------------ furniture
    def _furniture_attr(self, el) -> bool:
        cls = el.get("class")
        ident = el.get("id")
        if not cls and not ident:
            return False
        return bool(FURNITURE_ATTR_RE.search(f"{cls or ''} {ident or ''}"))

    # ------------------------------------------------------------------ tables
    def _table(self, table, out: list, para: _Para, style) -> bool:
        """If `table` is a data table, flush the open paragraph, append its block(s) and return
        True; a layout table returns False (the walk descends into it)."""
        if table.find(".//table") is not None:
            return False            # nested: the innermost data table is the table
        trs = [tr for tr in table.iter("tr")]
        if len(trs) < 2:
            return False
        rows_cells: list[list] = []
        multi = 0
        for tr in trs:
            cells = [c for c in tr if c.tag in CELL_TAGS]
            rows_cells.append(cells)
            if sum(1 for c in cells if STRING(c).strip(STRIP_CHARS)) >= 2:
                multi += 1
        if multi < 2:
            return False
        if any(el in self.meta_holders for el in (table,)):
            return False
        # layout guard: a "cell" holding a whole article is a page layout, not data
        for cells in rows_cells:
            for c in cells:
                if len(c.findall(".//p")) > 40 or len(STRING(c)) > 5000:
                    return False
        self._flush(para, out)
        line = table.sourceline
        self._seek(line)
        m = TABLE_TAG_RE.search(self.source, self._cursor)
        offset = m.start() if m else None
        if m:
            self._cursor = m.end()
        nrows = len(trs)
        grid: dict[tuple[int, int], Cell] = {}
        ncols = 0
        for r, cells in enumerate(rows_cells):
            c = 0
            for td in cells:
                while (r, c) in grid:
                    c += 1
                rs = _span(td.get("rowspan"), nrows - r)
                cs = _span(td.get("colspan"), 200)
                lines: list[Block] = []
                self._walk(td, lines, cell=True)
                text = "\n".join(b.text for b in lines)
                for dr in range(rs):
                    for dc in range(cs):
                        grid[(r + dr, c + dc)] = Cell(text=text, spanned=bool(dr or dc))
                c += cs
            ncols = max(ncols, c)
        rows = [[grid.get((r, c)) or Cell(text="", spanned=False) for c in range(ncols)] for r in range(nrows)]
        rows = [row for row in rows if any(cell.text for cell in row)]
        keep = [c for c in range(ncols) if any(row[c].text for row in rows)]
        if len(keep) < ncols:
            rows = [[row[c] for c in keep] for row in rows]
        xpath = self.tree.getpath(table)
        # leading title rows (one cell across the whole table: 附件2 / the table's title) are
        # paragraphs before the table, where a reader of the notice sees them
        while len(rows) > 1 and len(rows[0]) > 1 and all(c.spanned for c in rows[0][1:]) and rows[0][0].text:
            for piece in rows[0][0].text.split("\n"):
                out.append(Block(text=piece, line=line, offset=offset, xpath=xpath, align="center"))
            rows.pop(0)
        if not rows:
            return True
        text = "\n".join(" | ".join(c.text for c in row) for row in rows)
        out.append(Block(text=text, line=line, offset=offset, xpath=xpath,
                         table=Table(rows=rows)))
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
