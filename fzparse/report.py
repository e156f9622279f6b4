"""`fzparse report OUTDIR`: a static, offline HTML site over a finished run (OUTDIR/report/).

It reads only the JSON files a run wrote (so it works on any run, old or new) and writes
`index.html` (every document with its elements and counts, the units' load across the run)
and one page per document: the elements, the doubtful extractions (document flags, unit
flags, evidence that does not point at its value), the task table (序号 / 工作任务 / 牵头单位 /
配合单位 / 责任单位 / 完成时限 / 依据文件, a row per node that has units), an inline-SVG chart of
each unit's lead / support load, the outline, and the text with every unit and reference
highlighted at its evidence span and linked to its node.

The inputs are hostile: every value is escaped with `html.escape`, and each page carries a
Content-Security-Policy that forbids scripts and every remote load (no CDN, no web fonts).
The helpers for reading a run (`load_run`, `walk`, `task_rows`) are shared by `xlsx` and `diff`.
"""
from __future__ import annotations

import html
import json
import logging
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterable, Iterator
from urllib.parse import quote

log = logging.getLogger("fzparse")

REPORT_DIR = "report"
ROLES = ("lead", "support", "guide", "responsible")
ROLE_LABELS = {"lead": "牵头", "support": "配合", "guide": "指导", "responsible": "责任"}
TASK_COLUMNS = ["序号", "工作任务", "牵头单位", "配合单位", "责任单位", "完成时限", "依据文件"]


# ----------------------------------------------------------------------------- reading a run

def is_document_json(data: Any) -> bool:
    return (isinstance(data, dict) and isinstance(data.get("key"), str) and isinstance(data.get("outline"), list)
            and isinstance(data.get("paragraphs", []), list))


def load_run(outdir: Path) -> list[dict]:
    """Every fzparse document JSON under `outdir` (sub-folders too, the report folder and hidden
    files skipped), sorted by relative path. Each dict gets `_file`: its path relative to outdir.
    Files that are not fzparse JSON are skipped with a warning."""
    outdir = Path(outdir)
    docs = []
    for f in sorted(outdir.rglob("*.json")):
        rel = f.relative_to(outdir)
        if rel.parts[0] == REPORT_DIR or any(part.startswith(".") for part in rel.parts):
            continue
        try:
            data = json.loads(f.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            log.warning("%s: not readable JSON (%s); skipped", f, exc)
            continue
        if not is_document_json(data):
            log.warning("%s: not an fzparse document; skipped", f)
            continue
        data["_file"] = rel.as_posix()
        docs.append(data)
    return docs


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _str(value) -> str:
    return "" if value is None else str(value)


def _int(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def walk(nodes: Iterable, parents: tuple = ()) -> Iterator[tuple[dict, tuple]]:
    """Depth first over an outline of node dicts: (node, its ancestors outermost first)."""
    for node in nodes:
        if not isinstance(node, dict):
            continue
        yield node, parents
        yield from walk(_list(node.get("children")), parents + (node,))


def node_units(node: dict) -> list[dict]:
    return [u for u in _list(node.get("units")) if isinstance(u, dict) and u.get("name")]


def units_by_role(node: dict) -> dict[str, list[str]]:
    """Unit names per role, each name once per role, in printed order."""
    out: dict[str, list[str]] = {r: [] for r in ROLES}
    for u in node_units(node):
        role = u.get("role") if u.get("role") in ROLES else "responsible"
        name = _str(u["name"])
        if name not in out[role]:
            out[role].append(name)
    return out


def reference_text(ref: dict) -> str:
    text = f"《{_str(ref.get('title'))}》"
    if ref.get("doc_number"):
        text += f"（{_str(ref['doc_number'])}）"
    return text


def node_heading(node: dict) -> str:
    label, title = _str(node.get("label")).strip(), _str(node.get("title")).strip()
    sep = " " if label and title and label[-1].isalnum() else ""     # a table row's bare 序号
    return f"{label}{sep}{title}"


def task_rows(doc: dict) -> list[dict]:
    """The 任务分工表: a row per node that has units, in outline order. Keys are TASK_COLUMNS
    plus node_id / label / title / path for linking."""
    out = []
    for node, parents in walk(_list(doc.get("outline"))):
        if not node_units(node):
            continue
        by_role = units_by_role(node)
        lead = "、".join(by_role["lead"])
        if by_role["guide"]:
            lead = "；".join(x for x in (lead, "指导：" + "、".join(by_role["guide"])) if x)
        refs = []
        for r in _list(node.get("references")):
            if isinstance(r, dict) and r.get("title") and reference_text(r) not in refs:
                refs.append(reference_text(r))
        out.append({
            "序号": len(out) + 1,
            "工作任务": node_heading(node) if node.get("source") != "table" else _str(node.get("title")),
            "牵头单位": lead,
            "配合单位": "、".join(by_role["support"]),
            "责任单位": "、".join(by_role["responsible"]),
            "完成时限": _str(node.get("deadline")),
            "依据文件": "；".join(refs),
            "node_id": _str(node.get("id")),
            "label": _str(node.get("label")),
            "title": _str(node.get("title")),
            "path": " › ".join(node_heading(p) for p in parents),
        })
    return out


def unit_load(docs: Iterable[dict]) -> dict[str, Counter]:
    """unit name → Counter of roles: how many nodes give it each role (a name counted once per
    node and role)."""
    load: dict[str, Counter] = defaultdict(Counter)
    for doc in docs:
        for node, _ in walk(_list(doc.get("outline"))):
            for role, names in units_by_role(node).items():
                for name in names:
                    load[name][role] += 1
    return dict(load)


def doc_counts(doc: dict) -> dict[str, int]:
    nodes = [n for n, _ in walk(_list(doc.get("outline")))]
    unit_flags = sum(1 for n in nodes for u in node_units(n) if _list(u.get("flags")))
    return {
        "nodes": len(nodes),
        "tasks": sum(1 for n in nodes if node_units(n)),
        "assignments": sum(len(node_units(n)) for n in nodes),
        "references": len(_list(doc.get("references"))) + sum(len(_list(n.get("references"))) for n in nodes),
        "flags": len(_list(doc.get("flags"))) + unit_flags,
        "paragraphs": len(_list(doc.get("paragraphs"))),
    }


# ----------------------------------------------------------------------------- HTML helpers

def e(value) -> str:
    """Escape anything for HTML text or a quoted attribute."""
    return html.escape(_str(value), quote=True)


CSS = """
:root{--lead:#c0392b;--support:#2471a3;--guide:#b9770e;--responsible:#7d3c98;--ref:#1e8449;--flag:#d35400;
--bg:#fbfbf8;--ink:#1c2833;--mute:#6c7a89;--line:#d5d8dc}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);
font:15px/1.6 "Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei","Microsoft YaHei","PingFang SC",sans-serif}
header.top{background:#1f3a5f;color:#fff;padding:10px 24px}
header.top a{color:#fff}
header.top h1{margin:4px 0 0;font-size:20px}
main.wrap{padding:16px 24px;max-width:1400px}
h2{border-bottom:2px solid #1f3a5f;padding-bottom:2px;font-size:17px;margin-top:28px}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid var(--line);padding:4px 8px;vertical-align:top;text-align:left}
th{background:#eaf0f6}
tr:nth-child(even) td{background:#f7f9fb}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.docs th,table.docs td:first-child,table.docs td:nth-child(6){white-space:nowrap}
.muted{color:var(--mute)}
.badge{display:inline-block;border-radius:3px;padding:0 6px;color:#fff;font-size:12px;margin-right:4px}
.b-lead{background:var(--lead)}.b-support{background:var(--support)}.b-guide{background:var(--guide)}
.b-responsible{background:var(--responsible)}.b-ref{background:var(--ref)}.b-flag{background:var(--flag)}
.b-new{background:#1e8449}.b-dropped{background:#922b21}.b-changed{background:#b9770e}
.layout{display:grid;grid-template-columns:minmax(220px,320px) 1fr;gap:20px;align-items:start}
nav.outline{position:sticky;top:8px;max-height:92vh;overflow:auto;background:#fff;border:1px solid var(--line);
padding:8px 10px;font-size:13px}
nav.outline ul{list-style:none;margin:0;padding-left:14px}
nav.outline>ul{padding-left:0}
nav.outline li{margin:2px 0}
nav.outline li:target{background:#fff3c4}
nav.outline .n-units{color:var(--mute);font-size:11px}
article.text{background:#fff;border:1px solid var(--line);padding:10px 18px}
article.text p{margin:6px 0;white-space:pre-wrap;word-break:break-all}
article.text p:target{background:#fff8dc}
article.text p .pno{color:var(--mute);font-size:11px;margin-right:6px;user-select:none}
a.u,a.r{text-decoration:none;border-radius:2px;padding:0 1px;color:inherit}
a.u{border-bottom:2px solid}
a.role-lead{background:#f9dedb;border-color:var(--lead)}
a.role-support{background:#d6e6f5;border-color:var(--support)}
a.role-guide{background:#f8ead3;border-color:var(--guide)}
a.role-responsible{background:#ebdef0;border-color:var(--responsible)}
a.r{background:#d5f0de;border-bottom:2px dotted var(--ref)}
a.u.doubt{border-bottom-style:dashed}a.u.doubt::after{content:"?";font-size:10px;color:var(--flag);vertical-align:super}
.legend span{margin-right:12px}
.flags li{margin:3px 0}
svg.chart text{font-size:12px;fill:var(--ink)}
svg.chart .lead{fill:var(--lead)}svg.chart .support{fill:var(--support)}
svg.chart .guide{fill:var(--guide)}svg.chart .responsible{fill:var(--responsible)}
dl.elements{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;background:#fff;border:1px solid var(--line);
padding:8px 12px;margin:0}
dl.elements dt{color:var(--mute)}dl.elements dd{margin:0}
"""

GENERATOR = "fzparse report"
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def page(title: str, body: str, *, crumbs: str = "") -> str:
    """A complete standalone page: inline CSS, no scripts, nothing remote (CSP enforces it)."""
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"
            "<meta name=\"referrer\" content=\"no-referrer\">"
            f"<meta name=\"generator\" content=\"{GENERATOR}\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{e(title)}</title><style>{CSS}</style></head><body>"
            f"<header class=\"top\">{crumbs}<h1>{e(title)}</h1></header>"
            f"<main class=\"wrap\">{body}</main></body></html>\n")


def role_badge(role: str) -> str:
    role = role if role in ROLES else "responsible"
    return f'<span class="badge b-{role}">{e(ROLE_LABELS[role])}</span>'


def load_chart(load: dict[str, Counter], *, limit: int = 60) -> str:
    """Horizontal stacked bars (lead / support / guide / responsible) per unit, inline SVG."""
    if not load:
        return '<p class="muted">没有单位。</p>'
    items = sorted(load.items(), key=lambda kv: (-sum(kv[1].values()), -kv[1]["lead"], kv[0]))
    shown = items[:limit]
    label_w, bar_w, row_h, top = 230, 520, 22, 28
    peak = max(sum(c.values()) for _, c in shown) or 1
    scale = bar_w / peak
    height = top + row_h * len(shown) + 10
    out = [f'<svg class="chart" role="img" aria-label="单位牵头/配合任务数" xmlns="http://www.w3.org/2000/svg" '
           f'width="{label_w + bar_w + 160}" height="{height}" viewBox="0 0 {label_w + bar_w + 160} {height}">']
    x = label_w
    for role in ROLES:
        out.append(f'<rect class="{role}" x="{x}" y="6" width="12" height="12"/>'
                   f'<text x="{x + 16}" y="17">{e(ROLE_LABELS[role])}</text>')
        x += 70
    for i, (name, counts) in enumerate(shown):
        y = top + i * row_h
        short = name if len(name) <= 16 else name[:15] + "…"
        out.append(f'<g><title>{e(name)}：' + "，".join(f"{ROLE_LABELS[r]} {counts[r]}" for r in ROLES if counts[r])
                   + f'</title><text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{e(short)}</text>')
        x = label_w
        for role in ROLES:
            if counts[role]:
                w = max(counts[role] * scale, 2)
                out.append(f'<rect class="{role}" x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}"/>')
                x += w
        detail = " / ".join(f"{counts[r]}" for r in ("lead", "support"))
        extra = "".join(f" +{ROLE_LABELS[r]}{counts[r]}" for r in ("guide", "responsible") if counts[r])
        out.append(f'<text x="{x + 6:.1f}" y="{y + 15}">{e(detail + extra)}</text></g>')
    out.append("</svg>")
    note = "" if len(items) <= limit else f'<p class="muted">只显示任务最多的 {limit} 个单位（共 {len(items)} 个）。</p>'
    return "".join(out) + note


# ----------------------------------------------------------------------------- one document

ELEMENTS = [("发文字号", "doc_number"), ("发文机关", "issuer"), ("标题", "title"), ("文种", "doc_type"),
            ("主送机关", "recipients"), ("成文日期", "date"), ("署名", "signers"), ("签发人", "signatory"),
            ("密级", "classification"), ("紧急程度", "urgency"), ("附件", "attachments"), ("抄送", "cc"),
            ("印发机关", "printed_by"), ("印发日期", "printed_date"), ("所附文件", "enclosed_title")]


def element_text(doc: dict, key: str) -> str:
    value = doc.get(key)
    if key == "doc_number":
        return _str(value.get("text")) if isinstance(value, dict) else ""
    if key == "date" and doc.get("date_printed") and doc.get("date_printed") != value:
        return f"{_str(value)}（{_str(doc['date_printed'])}）"
    if isinstance(value, list):
        return "；".join(_str(v) for v in value)
    return _str(value)


def _locate(text: str, needle: str, start: int, end: int, hint: str | None) -> tuple[int, int] | None:
    """Where `needle` stands for an evidence span [start, end) of `text`: the span itself when it
    holds exactly the needle; else the needle inside the span (in a task table's paragraph, on the
    first row that names the node `hint`); else None."""
    if not needle:
        return None
    if 0 <= start < end <= len(text) and text[start:end] == needle:
        return start, end
    lo, hi = (max(0, start), min(len(text), end)) if 0 <= start < end else (0, len(text))
    if hint:
        pos = lo
        for line in text[lo:hi].split("\n"):
            if hint in line:
                at = line.find(needle, line.find(hint) + len(hint))
                if at < 0:
                    at = line.find(needle)
                if at >= 0:
                    return pos + at, pos + at + len(needle)
            pos += len(line) + 1
    at = text.find(needle, lo, hi)
    if at >= 0:
        return at, at + len(needle)
    return None


def _evidence(obj: dict) -> tuple[int | None, int, int]:
    ev = obj.get("evidence") if isinstance(obj.get("evidence"), dict) else {}
    return _int(ev.get("paragraph")), _int(ev.get("start")) or 0, _int(ev.get("end")) or 0


def document_page(doc: dict, *, index_href: str = "index.html") -> tuple[str, int]:
    """HTML for one document and the number of task-table rows it holds."""
    paragraphs = [p for p in _list(doc.get("paragraphs")) if isinstance(p, dict)]
    texts = {(_int(p.get("index")) if _int(p.get("index")) is not None else i): _str(p.get("text"))
             for i, p in enumerate(paragraphs)}
    nodes = list(walk(_list(doc.get("outline"))))
    anchor = {id(n): f"n{i + 1}" for i, (n, _) in enumerate(nodes)}
    spans: dict[int, list[tuple[int, int, str]]] = defaultdict(list)  # paragraph -> (start, end, html open tag)
    doubts: list[str] = []
    unit_doubts: dict[tuple, tuple[dict, list[str], list[int]]] = {}   # (node, flag codes) -> units

    def node_link(node: dict) -> str:
        return f'<a href="#{anchor[id(node)]}">{e(node_heading(node) or node.get("id"))}</a>'

    for node, _ in nodes:
        hint = _str(node.get("title")) or None
        for u in node_units(node):
            role = u.get("role") if u.get("role") in ROLES else "responsible"
            para, start, end = _evidence(u)
            flags = [_str(f) for f in _list(u.get("flags"))]
            where = None if para is None or para not in texts else _locate(texts[para], _str(u["name"]), start, end, hint)
            tip = f"{ROLE_LABELS[role]}单位 · {node_heading(node)}" + (f" · {'、'.join(flags)}" if flags else "")
            if where is not None:
                doubt = " doubt" if flags or u.get("explicit") is False else ""
                spans[para].append((where[0], where[1],
                                    f'<a class="u role-{role}{doubt}" href="#{anchor[id(node)]}" title="{e(tip)}">'))
            elif para is not None:
                doubts.append(f'<li><span class="badge b-flag">evidence</span>{node_link(node)}：单位「{e(u["name"])}」'
                              f'的证据（第 {para} 段 {start}–{end}）不指向这个名称</li>')
            if flags or u.get("explicit") is False:
                codes = tuple(flags + ([] if u.get("explicit") is not False else ["not-explicit"]))
                group = unit_doubts.setdefault((id(node), codes), (node, [], []))
                group[1].append(f"{role_badge(role)}{e(u['name'])}")
                if para is not None and para not in group[2]:
                    group[2].append(para)
    for (_, codes), (node, units, paras) in unit_doubts.items():
        badges = "".join(f'<span class="badge b-flag">{e(c)}</span>' for c in codes)
        links = "".join(f' <a href="#p{p}">¶{p}</a>' for p in paras)
        doubts.append(f"<li>{badges}{node_link(node)}：{'、'.join(units)}{links}</li>")
    all_refs = [(r, n) for n, _ in nodes for r in _list(n.get("references")) if isinstance(r, dict)]
    all_refs += [(r, None) for r in _list(doc.get("references")) if isinstance(r, dict)]
    for r, node in all_refs:
        para, start, end = _evidence(r)
        if para is None or para not in texts:
            continue
        where = _locate(texts[para], f"《{_str(r.get('title'))}》", start, end, None)
        if where is None:
            where = _locate(texts[para], f"〈{_str(r.get('title'))}〉", start, end, None)
        href = f"#{anchor[id(node)]}" if node is not None else f"#p{para}"
        tip = "引用" + (f" · {_str(r.get('doc_number'))}" if r.get("doc_number") else "")
        if where is not None:
            spans[para].append((where[0], where[1], f'<a class="r" href="{href}" title="{e(tip)}">'))
        else:
            doubts.append(f'<li><span class="badge b-flag">evidence</span>'
                          f'{node_link(node) if node is not None else "正文"}：引用《{e(r.get("title"))}》'
                          f'的证据（第 {para} 段 {start}–{end}）不指向这个标题</li>')

    # ---- elements and counts
    counts = doc_counts(doc)
    ev = doc.get("evidence") if isinstance(doc.get("evidence"), dict) else {}
    items = []
    for label, key in ELEMENTS:
        value = element_text(doc, key)
        if not value:
            continue
        loc = ev.get(key) if isinstance(ev.get(key), dict) else {}
        p = _int(loc.get("paragraph"))
        link = f' <a class="muted" href="#p{p}">¶{p}</a>' if p is not None else ""
        items.append(f"<dt>{e(label)}</dt><dd>{e(value)}{link}</dd>")
    src = doc.get("source") if isinstance(doc.get("source"), dict) else {}
    items.append(f"<dt>来源</dt><dd>{e(src.get('path'))} <span class=\"muted\">{e(src.get('format'))}</span></dd>")
    if doc.get("is_gongwen") is False:
        items.append(f"<dt>非公文</dt><dd>{e(doc.get('not_gongwen_reason'))}</dd>")
    items.append("<dt>计数</dt><dd>" + "，".join(
        f"{label} {counts[k]}" for label, k in (("节点", "nodes"), ("任务", "tasks"), ("单位分配", "assignments"),
                                               ("引用", "references"), ("提示", "flags"), ("段落", "paragraphs")))
                 + "</dd>")
    body = [f'<section id="elements"><h2>公文要素</h2><dl class="elements">{"".join(items)}</dl></section>']

    # ---- flags
    doc_flags = []
    for f in _list(doc.get("flags")):
        if not isinstance(f, dict):
            continue
        p = _evidence(f)[0]
        doc_flags.append(f'<li><span class="badge b-flag">{e(f.get("code"))}</span>{e(f.get("message"))}'
                         + (f' <a href="#p{p}">¶{p}</a>' if p is not None else "") + "</li>")
    flag_items = doc_flags + doubts
    body.append('<section id="flags"><h2>需要核对</h2>'
                + (f'<ul class="flags">{"".join(flag_items)}</ul>' if flag_items else '<p class="muted">没有提示。</p>')
                + "</section>")

    # ---- task table
    rows = task_rows(doc)
    by_id = {_str(n.get("id")): n for n, _ in nodes}
    trs = []
    for row in rows:
        node = by_id.get(row["node_id"])
        cells = [f'<td class="num"><a href="#{anchor[id(node)]}">{row["序号"]}</a></td>' if node is not None
                 else f'<td class="num">{row["序号"]}</td>']
        cells += [f"<td>{e(row[c])}</td>" for c in TASK_COLUMNS[1:]]
        trs.append(f'<tr class="task" data-node="{e(row["node_id"])}">{"".join(cells)}</tr>')
    head = "".join(f"<th>{e(c)}</th>" for c in TASK_COLUMNS)
    body.append(f'<section id="tasks"><h2>任务分工表（{len(rows)} 项）</h2>'
                + (f'<table class="tasks"><thead><tr>{head}</tr></thead><tbody>{"".join(trs)}</tbody></table>'
                   if rows else '<p class="muted">没有带责任单位的任务。</p>') + "</section>")

    # ---- load chart
    body.append(f'<section id="load"><h2>单位任务量（牵头 / 配合）</h2>{load_chart(unit_load([doc]))}</section>')

    # ---- outline + text
    def outline_html(items: list) -> str:
        lis = []
        for node in items:
            if not isinstance(node, dict):
                continue
            para = _evidence(node)[0]
            n_units = len(node_units(node))
            target = f"#p{para}" if para is not None else f"#{anchor[id(node)]}"
            badge = f' <span class="n-units">{n_units} 单位</span>' if n_units else ""
            dl = f' <span class="n-units">{e(node.get("deadline"))}</span>' if node.get("deadline") else ""
            kids = outline_html(_list(node.get("children")))
            lis.append(f'<li id="{anchor[id(node)]}"><a href="{target}">{e(node_heading(node) or node.get("id"))}</a>'
                       f"{badge}{dl}{kids}</li>")
        return f"<ul>{''.join(lis)}</ul>" if lis else ""

    paras_html = []
    for i, p in enumerate(paragraphs):
        idx = _int(p.get("index"))
        idx = i if idx is None else idx
        paras_html.append(f'<p id="p{idx}"><span class="pno">{idx}</span>{highlight(texts.get(idx, ""), spans.get(idx, []))}</p>')
    legend = ('<p class="legend">' + "".join(f'<span><a class="u role-{r}">{ROLE_LABELS[r]}单位</a></span>' for r in ROLES)
              + '<span><a class="r">《引用》</a></span><span><a class="u role-lead doubt">需核对</a></span></p>')
    body.append(f'<section id="document"><h2>大纲与正文</h2>{legend}<div class="layout">'
                f'<nav class="outline" aria-label="大纲">{outline_html(_list(doc.get("outline"))) or "<p class=muted>没有大纲</p>"}</nav>'
                f'<article class="text">{"".join(paras_html)}</article></div></section>')
    crumbs = f'<a href="{e(index_href)}">← 全部文件</a> <span class="muted">{e(doc.get("key"))}</span>'
    return page(_str(doc.get("title")) or _str(doc.get("key")), "".join(body), crumbs=crumbs), len(rows)


def highlight(text: str, spans: list[tuple[int, int, str]]) -> str:
    """`text` escaped, with each non-overlapping span wrapped in its tag (earlier, then longer, wins)."""
    out, pos = [], 0
    for start, end, tag in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if start < pos or start >= end or end > len(text):
            continue
        out.append(e(text[pos:start]))
        out.append(tag + e(text[start:end]) + "</a>")
        pos = end
    out.append(e(text[pos:]))
    return "".join(out)


# ----------------------------------------------------------------------------- the site

def page_names(docs: list[dict]) -> list[str]:
    """A safe, unique file name per document (from its JSON's relative path)."""
    names, seen = [], set()
    for doc in docs:
        stem = re.sub(r"\.json$", "", _str(doc.get("_file")) or _str(doc.get("key")))
        stem = re.sub(r"[^\w.-]+", "_", stem).strip("._")[:80] or "doc"
        name, n = f"doc-{stem}.html", 1
        while name.lower() in seen:
            n += 1
            name = f"doc-{stem}-{n}.html"
        seen.add(name.lower())
        names.append(name)
    return names


def index_page(docs: list[dict], names: list[str], *, has_diff: bool = False) -> str:
    heads = ["文件", "标题", "发文字号", "发文机关", "文种", "成文日期", "节点", "任务", "单位分配", "引用", "提示"]
    trs = []
    for doc, name in zip(docs, names):
        c = doc_counts(doc)
        flag_codes = sorted({_str(f.get("code")) for f in _list(doc.get("flags")) if isinstance(f, dict)})
        flag_cell = f'<td class="num">{c["flags"]}' + (f' <span class="muted">{e("、".join(flag_codes))}</span>'
                                                        if flag_codes else "") + "</td>"
        not_gw = "" if doc.get("is_gongwen") is not False else ' <span class="badge b-flag">非公文</span>'
        trs.append(f'<tr class="doc"><td><a href="{quote(name)}">{e(doc.get("key"))}</a>{not_gw}</td>'
                   f'<td>{e(doc.get("title"))}</td><td>{e(element_text(doc, "doc_number"))}</td>'
                   f'<td>{e(doc.get("issuer"))}</td><td>{e(doc.get("doc_type"))}</td><td>{e(doc.get("date"))}</td>'
                   + "".join(f'<td class="num">{c[k]}</td>' for k in ("nodes", "tasks", "assignments", "references"))
                   + flag_cell + "</tr>")
    body = [f'<p class="muted">{len(docs)} 个文件。'
            + ('<a href="diff.html">版本对比</a>' if has_diff else "") + "</p>",
            '<section id="documents"><h2>文件</h2><table class="docs"><thead><tr>'
            + "".join(f"<th>{e(h)}</th>" for h in heads) + f'</tr></thead><tbody>{"".join(trs)}</tbody></table></section>',
            f'<section id="load"><h2>单位任务量（全部文件）</h2>{load_chart(unit_load(docs))}</section>']
    return page("fzparse 审阅报告", "".join(body))


def build_report(outdir: Path, target: Path | None = None) -> tuple[Path, list[dict]]:
    """Write the site into `target` (default OUTDIR/report); returns (index path, documents)."""
    from .export import write_atomic
    outdir = Path(outdir)
    target = Path(target) if target is not None else outdir / REPORT_DIR
    docs = load_run(outdir)
    names = page_names(docs)
    for doc, name in zip(docs, names):
        html_text, _ = document_page(doc)
        write_atomic(target / name, html_text)
    # pages of documents no longer in the run go (only pages this tool wrote)
    marker = f'<meta name="generator" content="{GENERATOR}">'
    for stale in target.glob("doc-*.html"):
        if stale.name not in names:
            try:
                if marker in stale.read_text("utf-8", errors="replace")[:4000]:
                    stale.unlink()
            except OSError:
                pass
    index = target / "index.html"
    write_atomic(index, index_page(docs, names, has_diff=(target / "diff.html").exists()))
    return index, docs
