"""DOCX: the package XML read with lxml (no entities, no network), body paragraphs and tables
in document order, Word automatic numbering rendered into its printed labels, fields reduced to
what they display, headers/footers kept out of the body (recorded in `removed`)."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from lxml import etree

from .. import limits
from ..errors import TooLarge, Unreadable
from ..models import Block, Cell, RawDocument, Removed, Table

MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS = {"w": W}


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _part(path: Path, zf: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        return zf.read(name)
    except KeyError:
        return None
    except (zipfile.BadZipFile, OSError, RuntimeError) as err:
        raise Unreadable(path, f"damaged DOCX part {name} ({err})") from err


def _parse(path: Path, name: str, data: bytes):
    if DECLARATION.search(data):
        raise Unreadable(path, f"DOCX part {name} declares a DOCTYPE/entities (refused)")
    try:
        return etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError as err:
        raise Unreadable(path, f"DOCX part {name} is not well-formed XML ({err})") from err


def _xml(path: Path, zf: zipfile.ZipFile, name: str):
    data = _part(path, zf, name)
    return None if data is None else _parse(path, name, data)


# Word's own template carries a styles.xml of about 350 KB (every built-in and latent style);
# parsing it whole was half the time of reading a DOCX. Only the styles the body names, and the
# styles they are based on, are cut out and parsed. Anything unexpected (another namespace
# prefix, an id written as a character reference, a style not found) parses the whole part.
W_PREFIX = re.compile(rb'xmlns:([A-Za-z_][\w.-]*)="' + re.escape(W.encode()) + rb'"')


def _styles_fragment(data: bytes, wanted: set[str]) -> bytes | None:
    m = W_PREFIX.search(data, 0, 8192)
    if not m:
        return None
    w = m.group(1)
    root_start = data.find(b"<" + w + b":styles")
    root_end = data.find(b">", root_start)
    if root_start < 0 or root_end < 0:
        return None
    based_on = re.compile(rb"<" + re.escape(w) + rb":basedOn\s+" + re.escape(w) + rb':val="([^"]+)"')
    open_tag, close_tag = b"<" + w + b":style", b"</" + w + b":style>"
    pieces, seen, todo = [], set(), sorted(wanted)
    while todo:
        sid = todo.pop()
        if sid in seen:
            continue
        seen.add(sid)
        at = data.find(w + b':styleId="' + sid.encode("utf-8") + b'"')
        if at < 0:
            return None
        start = data.rfind(open_tag, 0, at)
        tag_end = data.find(b">", at)
        if start < 0 or tag_end < 0 or data[start + len(open_tag):start + len(open_tag) + 1] not in b" \t\r\n":
            return None
        end = tag_end + 1 if data[tag_end - 1:tag_end] == b"/" else data.find(close_tag, tag_end)
        if end < 0:
            return None
        piece = data[start:end if data[tag_end - 1:tag_end] == b"/" else end + len(close_tag)]
        pieces.append(piece)
        bm = based_on.search(piece)
        if bm:
            todo.append(bm.group(1).decode("utf-8", "replace"))
    return data[root_start:root_end + 1] + b"".join(pieces) + b"</" + w + b":styles>"


def _styles(path: Path, zf: zipfile.ZipFile, body):
    """The parsed styles part, cut down to the styles `body` uses where that can be done safely."""
    name = "word/styles.xml"
    data = _part(path, zf, name)
    if data is None:
        return None
    wanted = {v for el in body.iter(_q("pStyle")) if (v := el.get(_q("val")))}
    fragment = _styles_fragment(data, wanted) if not DECLARATION.search(data) else None
    return _parse(path, name, fragment if fragment is not None else data)


# --------------------------------------------------------------------------- numbering

CN_DIGITS = "零一二三四五六七八九"


def chinese_counting(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (Word's chineseCounting)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return CN_DIGITS[n]
    if n < 20:
        return "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return CN_DIGITS[n // 10] + "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if rest == 0 else ("零" + CN_DIGITS[rest] if rest < 10 else
                                     (CN_DIGITS[rest // 10] + "十" + (CN_DIGITS[rest % 10] if rest % 10 else "")))
        return CN_DIGITS[n // 100] + "百" + tail
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                       (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + sym, n - value
    return out


def format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographTraditional",
               "taiwaneseCounting", "japaneseCounting"):
        if fmt == "ideographTraditional":
            return "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10]
        if fmt == "chineseLegalSimplified":
            return chinese_counting(n).translate(str.maketrans("一二三四五六七八九十百", "壹贰叁肆伍陆柒捌玖拾佰"))
        return chinese_counting(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "decimalFullWidth":
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


class Numbering:
    """numbering.xml: num id → abstract levels (start, numFmt, lvlText); counters as Word
    keeps them (a level restarts when a higher level advances)."""

    def __init__(self, root):
        self.levels: dict[str, dict[int, dict]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        if root is None:
            return
        abstract: dict[str, dict[int, dict]] = {}
        for an in root.findall("w:abstractNum", NS):
            levels = {}
            for lvl in an.findall("w:lvl", NS):
                ilvl = int(lvl.get(_q("ilvl"), "0"))
                start = lvl.find("w:start", NS)
                fmt = lvl.find("w:numFmt", NS)
                text = lvl.find("w:lvlText", NS)
                levels[ilvl] = {
                    "start": int(start.get(_q("val"), "1")) if start is not None else 1,
                    "fmt": fmt.get(_q("val"), "decimal") if fmt is not None else "decimal",
                    "text": text.get(_q("val"), "") if text is not None else "",
                }
            abstract[an.get(_q("abstractNumId"))] = levels
        for num in root.findall("w:num", NS):
            ref = num.find("w:abstractNumId", NS)
            if ref is None:
                continue
            levels = {k: dict(v) for k, v in abstract.get(ref.get(_q("val")), {}).items()}
            for override in num.findall("w:lvlOverride", NS):
                ilvl = int(override.get(_q("ilvl"), "0"))
                so = override.find("w:startOverride", NS)
                if so is not None and ilvl in levels:
                    levels[ilvl]["start"] = int(so.get(_q("val"), "1"))
            self.levels[num.get(_q("numId"))] = levels

    def label(self, num_id: str, ilvl: int) -> str:
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        abstract_key = id(levels)
        counters = self.counters.setdefault(str(abstract_key), {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl]["start"] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]

        def value(match):
            lv = int(match.group(1)) - 1
            if lv not in levels:
                return ""
            n = counters.get(lv, levels[lv]["start"])
            return format_number(n, levels[lv]["fmt"])

        return re.sub(r"%(\d)", value, levels[ilvl]["text"])


# --------------------------------------------------------------------------- styles

class Styles:
    def __init__(self, root):
        self.para: dict[str, dict] = {}
        if root is None:
            return
        for st in root.findall("w:style", NS):
            sid = st.get(_q("styleId"))
            info: dict = {}
            based = st.find("w:basedOn", NS)
            info["based"] = based.get(_q("val")) if based is not None else None
            ppr = st.find("w:pPr", NS)
            if ppr is not None:
                jc = ppr.find("w:jc", NS)
                if jc is not None:
                    info["jc"] = jc.get(_q("val"))
                num = ppr.find("w:numPr", NS)
                if num is not None:
                    nid, lvl = num.find("w:numId", NS), num.find("w:ilvl", NS)
                    info["num"] = (nid.get(_q("val")) if nid is not None else None,
                                   int(lvl.get(_q("val"), "0")) if lvl is not None else 0)
            rpr = st.find("w:rPr", NS)
            if rpr is not None:
                sz = rpr.find("w:sz", NS)
                if sz is not None:
                    info["sz"] = float(sz.get(_q("val"), "0")) / 2
                b = rpr.find("w:b", NS)
                if b is not None:
                    info["b"] = b.get(_q("val"), "true") not in ("0", "false")
            self.para[sid] = info

    def get(self, sid: str | None, key: str):
        seen = set()
        while sid and sid not in seen:
            seen.add(sid)
            info = self.para.get(sid, {})
            if key in info:
                return info[key]
            sid = info.get("based")
        return None


# --------------------------------------------------------------------------- text

def _runs_text(p, with_bold: bool = False):
    """Displayed text of a paragraph: w:t / w:tab / w:br, fields reduced to their result
    (instrText skipped; a MACROBUTTON shows its button text). Returns (text, runs_bold)."""
    out: list[str] = []
    bolds: list[bool] = []
    sizes: list[float] = []
    depth = 0
    states: list[dict] = []   # per open field: {'instr': str, 'separated': bool}
    for el in p.iter(_q("r"), _q("fldSimple")):
        if el.tag == _q("fldSimple"):
            continue    # its runs are visited as ordinary w:r children
        if any(a.tag in (_q("del"), _q("moveFrom")) for a in el.iterancestors()):
            continue
        rpr = el.find("w:rPr", NS)
        for child in el:
            tag = child.tag
            if tag == _q("fldChar"):
                kind = child.get(_q("fldCharType"))
                if kind == "begin":
                    states.append({"instr": "", "separated": False})
                    depth += 1
                elif kind == "separate" and states:
                    states[-1]["separated"] = True
                elif kind == "end" and states:
                    st = states.pop()
                    depth -= 1
                    m = re.match(r"\s*MACROBUTTON\s+\S+\s?(.*)$", st["instr"], re.S)
                    if m and not st["separated"]:
                        out.append(m.group(1).strip())
                continue
            if tag == _q("instrText"):
                if states:
                    states[-1]["instr"] += child.text or ""
                continue
            if states and not all(s["separated"] for s in states):
                continue    # inside a field's instruction part
            if tag == _q("t"):
                text = child.text or ""
            elif tag == _q("tab"):
                text = "\t"
            elif tag in (_q("br"), _q("cr")):
                text = "\n"
            elif tag == _q("noBreakHyphen"):
                text = "-"
            elif tag == _q("sym"):
                code = child.get(_q("char"))
                text = chr(int(code, 16)) if code and re.fullmatch(r"[0-9A-Fa-f]{2,4}", code) and int(code, 16) < 0xF000 else ""
            else:
                continue
            if not text:
                continue
            out.append(text)
            if text.strip():
                b = rpr.find("w:b", NS) if rpr is not None else None
                bolds.append(b is not None and b.get(_q("val"), "true") not in ("0", "false"))
                sz = rpr.find("w:sz", NS) if rpr is not None else None
                if sz is not None:
                    try:
                        sizes.append(float(sz.get(_q("val"))) / 2)
                    except (TypeError, ValueError):
                        pass
    return "".join(out), bolds, sizes


def _clean(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    text = re.sub(r"[ \t]+", " ", text)
    return "\n".join(part.strip() for part in text.split("\n")).strip()


# --------------------------------------------------------------------------- reader

class _Reader:
    def __init__(self, path: Path, zf: zipfile.ZipFile, body):
        self.path = path
        self.zf = zf
        self.numbering = Numbering(_xml(path, zf, "word/numbering.xml"))
        self.styles = Styles(_styles(path, zf, body))
        self.blocks: list[Block] = []

    def paragraph(self, p, xpath: str) -> Block | None:
        text, bolds, sizes = _runs_text(p)
        ppr = p.find("w:pPr", NS)
        style = None
        jc = None
        num = None
        if ppr is not None:
            ps = ppr.find("w:pStyle", NS)
            style = ps.get(_q("val")) if ps is not None else None
            j = ppr.find("w:jc", NS)
            jc = j.get(_q("val")) if j is not None else None
            np_ = ppr.find("w:numPr", NS)
            if np_ is not None:
                nid, lvl = np_.find("w:numId", NS), np_.find("w:ilvl", NS)
                num = (nid.get(_q("val")) if nid is not None else None,
                       int(lvl.get(_q("val"), "0")) if lvl is not None else None)
        if num is None or num[0] is None:
            styled = self.styles.get(style, "num")
            if styled:
                num = (num[0] if num and num[0] else styled[0], num[1] if num and num[1] is not None else styled[1])
        text = _clean(text)
        if not text:
            return None
        if num and num[0] and num[0] != "0":
            label = self.numbering.label(num[0], num[1] or 0)
            if label:
                text = label + text
        jc = jc or self.styles.get(style, "jc")
        align = {"center": "center", "right": "right", "end": "right", "both": "justify", "distribute": "justify",
                 "left": "left", "start": "left"}.get(jc or "", None)
        size = sizes[0] if sizes else self.styles.get(style, "sz")
        bold = all(bolds) if bolds else bool(self.styles.get(style, "b"))
        return Block(text=text, xpath=xpath, align=align, bold=bold, font_size=size)

    def table(self, tbl, xpath: str) -> Block | None:
        rows: list[list[Cell]] = []
        vmerge_owner: dict[int, str] = {}
        for tr in tbl.findall("w:tr", NS):
            row: list[Cell] = []
            col = 0
            for tc in tr.findall("w:tc", NS):
                tcpr = tc.find("w:tcPr", NS)
                span, vmerge = 1, None
                if tcpr is not None:
                    gs = tcpr.find("w:gridSpan", NS)
                    if gs is not None:
                        try:
                            span = max(1, int(gs.get(_q("val"), "1")))
                        except ValueError:
                            span = 1
                    vm = tcpr.find("w:vMerge", NS)
                    if vm is not None:
                        vmerge = vm.get(_q("val"), "continue")
                parts = []
                for p in tc.iter(_q("p")):
                    t = _clean(_runs_text(p)[0])
                    if t:
                        parts.append(t)
                text = "\n".join(parts)
                if vmerge == "continue":
                    above = rows[-1][col].text if rows and col < len(rows[-1]) else vmerge_owner.get(col, "")
                    for _ in range(span):
                        row.append(Cell(text=above, spanned=True))
                else:
                    for k in range(span):
                        row.append(Cell(text=text, spanned=k > 0))
                        vmerge_owner[col + k] = text
                col += span
            rows.append(row)
        if not rows:
            return None
        width = max(len(r) for r in rows)
        for r in rows:
            r.extend(Cell(text="", spanned=False) for _ in range(width - len(r)))
        if not any(c.text for r in rows for c in r):
            return None
        table = Table(rows=rows)
        text = "\n".join("\t".join(c.text for c in r if not c.spanned) for r in rows)
        return Block(text=text, xpath=xpath, table=table)

    def body(self, body):
        p_i = t_i = 0
        for el in body:
            if el.tag == _q("p"):
                p_i += 1
                b = self.paragraph(el, f"/w:document/w:body/w:p[{p_i}]")
                if b:
                    self.blocks.append(b)
            elif el.tag == _q("tbl"):
                t_i += 1
                b = self.table(el, f"/w:document/w:body/w:tbl[{t_i}]")
                if b:
                    self.blocks.append(b)
            elif el.tag in (_q("sdt"), _q("customXml")):
                content = el.find("w:sdtContent", NS) if el.tag == _q("sdt") else el
                if content is not None:
                    self.body(content)


def _check_zip(path: Path, data: bytes) -> zipfile.ZipFile:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as err:
        raise Unreadable(path, f"not a valid DOCX (zip) package ({err})") from err
    total = sum(i.file_size for i in zf.infolist())
    compressed = sum(i.compress_size for i in zf.infolist()) or 1
    limit = limits.current()
    if total > limit.max_unzipped_bytes:
        raise TooLarge(path, f"DOCX unpacks to {total // (1024 * 1024)} MB "
                             f"(limit {limit.max_unzipped_bytes // (1024 * 1024)} MB)")
    if total / compressed > limit.max_zip_ratio and total > 1024 * 1024:
        raise TooLarge(path, f"DOCX compression ratio {total / compressed:.0f} exceeds {limit.max_zip_ratio:g} (zip bomb?)")
    return zf


def _main_part(path: Path, zf: zipfile.ZipFile) -> str:
    rels = _xml(path, zf, "_rels/.rels")
    if rels is not None:
        for rel in rels:
            if rel.get("Type", "").endswith("/officeDocument"):
                return rel.get("Target", "word/document.xml").lstrip("/")
    return "word/document.xml"


def read(path: Path, data: bytes) -> RawDocument:
    zf = _check_zip(path, data)
    with zf:
        name = _main_part(path, zf)
        root = _xml(path, zf, name)
        if root is None:
            raise Unreadable(path, f"DOCX without its main part {name}")
        body = root.find("w:body", NS)
        if body is None:
            raise Unreadable(path, "DOCX main part has no w:body")
        reader = _Reader(path, zf, body)
        reader.body(body)
        removed: list[Removed] = []
        for part in sorted(n for n in zf.namelist() if re.match(r"word/(header|footer)\d*\.xml$", n)):
            hroot = _xml(path, zf, part)
            if hroot is None:
                continue
            kind = "docx-header" if "header" in part else "docx-footer"
            for p in hroot.iter(_q("p")):
                text = _clean(_runs_text(p)[0])
                if text:
                    removed.append(Removed(text=text, reason=kind))
        metadata = {}
        core = _xml(path, zf, "docProps/core.xml")
        if core is not None:
            for el in core:
                if el.text and el.text.strip():
                    metadata[etree.QName(el).localname] = el.text.strip()
    return RawDocument(path=path, format="docx", blocks=reader.blocks, removed=removed, page_metadata=metadata)
