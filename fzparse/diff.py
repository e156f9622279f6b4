"""`fzparse diff OLD NEW`: what changed in the tasks between two versions of a notice or a run.

OLD and NEW are each a notice (any input `fzparse.parse` reads), a document JSON, or a run
folder (its JSON; a folder without JSON is parsed). A *task* is an outline node with units or
a leaf node (`tasks="units" | "leaves" | "both"`). Tasks are matched across the versions by
what they say, never by where they stand: the similarity of their titles and of their bodies
(the text with the label, the title, the assignment parentheticals and 完成时限 lines taken
out), difflib ratios weighted 0.4 / 0.6. The assignment is one-to-one, best pairs first; a
task without a partner at `threshold` or better is new (only in NEW) or dropped (only in OLD).

For every matched pair the diff reports: renamed (another title), moved (another parent
section — sections are matched too, by title and by the tasks they hold), text changed, units
added / removed per role (lead, support, guide, responsible) and a changed 完成时限. Output
as a dict (`diff_docs`), JSON, CSV (a row per change), a terminal table and a report page.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from .report import ROLE_LABELS, ROLES, _list, _str, e, load_run, node_heading, node_units, page, units_by_role, walk

ASSIGNMENT_PAREN = re.compile(r"[（(][^（）()]*?(?:牵头|配合|负责|责任单位|完成时限|完成时间|协同|参与|指导单位)[^（）()]*?[）)]")
LABELLED_LINE = re.compile(r"^\s*(?:牵头单位|配合单位|责任单位|协同单位|参与单位|指导单位|完成时限|完成时间|时间节点)\s*[：:].*$",
                           re.M)
SPACE = re.compile(r"\s+")
TITLE_WEIGHT = 0.4
SECTION_THRESHOLD = 0.5
SCREEN = 0.5          # a pair whose bigram overlap scores below threshold × SCREEN is never compared


class DiffInputError(Exception):
    """An input could not be read (names the file and the reason)."""


@dataclass
class Task:
    side: str
    index: int
    doc: str
    id: str
    label: str
    title: str
    body: str
    section: tuple[str, str] | None       # (doc key, node id) of the parent node
    path: tuple[str, ...]                 # headings of the ancestors
    units: dict[str, list[str]] = field(default_factory=dict)
    deadline: str | None = None
    deadline_date: str | None = None

    @property
    def heading(self) -> str:
        return f"{self.label}{self.title}"

    def to_dict(self) -> dict:
        return {"document": self.doc, "id": self.id, "label": self.label, "title": self.title,
                "path": list(self.path), "units": {r: list(v) for r, v in self.units.items() if v},
                "deadline": self.deadline, "deadline_date": self.deadline_date}


# ----------------------------------------------------------------------------- inputs

def load_side(path: Path) -> list[dict]:
    """Documents (JSON dicts) of one side."""
    from .errors import FzparseError
    path = Path(path)
    if path.is_dir():
        docs = load_run(path)
        if docs:
            return docs
        from .batch import INPUT_EXTENSIONS
        files = sorted(f for f in path.rglob("*") if f.is_file() and f.suffix.lower() in INPUT_EXTENSIONS
                       and not any(part.startswith(".") for part in f.relative_to(path).parts))
        if not files:
            raise DiffInputError(f"{path}: neither fzparse JSON nor notices in this folder")
        out = []
        for f in files:
            out.extend(load_side(f))
        return out
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise DiffInputError(f"{path}: not readable JSON ({exc})") from exc
        from .report import is_document_json
        if not is_document_json(data):
            raise DiffInputError(f"{path}: not an fzparse document JSON")
        return [data]
    from .pipeline import parse
    try:
        return [parse(path).to_dict()]
    except FzparseError as exc:
        raise DiffInputError(str(exc)) from exc


def norm(text: str) -> str:
    return SPACE.sub("", unicodedata.normalize("NFKC", _str(text)))


def task_body(node: dict) -> str:
    """The node's own text without its label, title, assignments and time-limit lines."""
    text = _str(node.get("text"))
    first, _, rest = text.partition("\n")
    label, title = _str(node.get("label")), _str(node.get("title"))
    if label and first.startswith(label):
        first = first[len(label):]
    if title and first.startswith(title):
        first = first[len(title):]
    text = LABELLED_LINE.sub("", first.lstrip("。．.：:，, ") + "\n" + rest)
    text = ASSIGNMENT_PAREN.sub("", text)
    return norm(text)


def collect_tasks(docs: list[dict], side: str, tasks: str = "both") -> list[Task]:
    out: list[Task] = []
    for doc in docs:
        key = _str(doc.get("key"))
        for node, parents in walk(_list(doc.get("outline"))):
            has_units = bool(node_units(node))
            is_leaf = not _list(node.get("children"))
            if not (has_units if tasks == "units" else is_leaf if tasks == "leaves" else has_units or is_leaf):
                continue
            parent = parents[-1] if parents else None
            out.append(Task(side=side, index=len(out), doc=key, id=_str(node.get("id")), label=_str(node.get("label")),
                            title=_str(node.get("title")), body=task_body(node),
                            section=(key, _str(parent.get("id"))) if parent is not None else None,
                            path=tuple(node_heading(p) for p in parents), units=units_by_role(node),
                            deadline=_str(node.get("deadline")) or None,
                            deadline_date=_str(node.get("deadline_date")) or None))
    return out


# ----------------------------------------------------------------------------- matching

def ratio(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _upper(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).quick_ratio()


def similarity(a: Task, b: Task, *, floor: float = 0.0) -> tuple[float, float, float]:
    """(score, title similarity, body similarity). Below `floor` the exact ratios may be skipped
    (returns an upper bound then)."""
    ta, tb = norm(a.title), norm(b.title)
    if not a.body and not b.body:            # headings only: the title is all there is
        t = ratio(ta, tb)
        return t, t, 1.0
    if not a.body or not b.body:
        t = ratio(ta, tb)
        return 0.7 * t, t, 0.0
    bound = TITLE_WEIGHT * _upper(ta, tb) + (1 - TITLE_WEIGHT) * _upper(a.body, b.body)
    if bound < floor:
        return bound, 0.0, 0.0
    t, s = ratio(ta, tb), ratio(a.body, b.body)
    return TITLE_WEIGHT * t + (1 - TITLE_WEIGHT) * s, t, s


def bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def dice(a: set, b: set) -> float:
    if not a and not b:
        return 1.0
    return 2 * len(a & b) / (len(a) + len(b))


def match(old: list[Task], new: list[Task], threshold: float) -> list[tuple[Task, Task, float, float, float]]:
    """One-to-one, best first: every candidate pair at `threshold` or above, sorted by score
    (ties: same section path, then nearer position), taken while both ends are free."""
    grams = {(t.side, t.index): (bigrams(norm(t.title)), bigrams(t.body)) for t in old + new}
    cands = []
    for a in old:
        ga = grams[(a.side, a.index)]
        for b in new:
            gb = grams[(b.side, b.index)]
            # cheap screen: pairs whose character bigrams barely overlap are not compared further
            if TITLE_WEIGHT * dice(ga[0], gb[0]) + (1 - TITLE_WEIGHT) * dice(ga[1], gb[1]) < threshold * SCREEN:
                continue
            score, t, s = similarity(a, b, floor=threshold)
            if score >= threshold:
                cands.append((-score, a.path != b.path, abs(a.index - b.index), a.index, b.index, t, s))
    cands.sort()
    used_a, used_b, pairs = set(), set(), []
    for neg, _, _, i, j, t, s in cands:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pairs.append((old[i], new[j], -neg, t, s))
    pairs.sort(key=lambda p: p[1].index)
    return pairs


def match_sections(old_docs: list[dict], new_docs: list[dict], pairs) -> dict:
    """Parent sections of OLD → their counterpart in NEW (by title similarity and by the share of
    their tasks that were matched into it), one-to-one, best first."""
    def sections(docs):
        out = {}
        for doc in docs:
            key = _str(doc.get("key"))
            for node, _ in walk(_list(doc.get("outline"))):
                if _list(node.get("children")):
                    out[(key, _str(node.get("id")))] = node
        return out
    olds, news = sections(old_docs), sections(new_docs)
    size_a, size_b, shared = {}, {}, {}
    for a, b, *_ in pairs:
        shared[(a.section, b.section)] = shared.get((a.section, b.section), 0) + 1
    for a, b, *_ in pairs:
        size_a[a.section] = size_a.get(a.section, 0) + 1
        size_b[b.section] = size_b.get(b.section, 0) + 1
    cands = []
    for ka, na in olds.items():
        for kb, nb in news.items():
            t = ratio(norm(na.get("title")), norm(nb.get("title")))
            overlap = shared.get((ka, kb), 0) / max(size_a.get(ka, 0), size_b.get(kb, 0), 1)
            score = 0.5 * t + 0.5 * overlap if shared.get((ka, kb)) else t * 0.9
            if score >= SECTION_THRESHOLD:
                cands.append((-score, ka, kb))
    cands.sort()
    mapping, taken = {}, set()
    for _, ka, kb in cands:
        if ka in mapping or kb in taken:
            continue
        mapping[ka] = kb
        taken.add(kb)
    return mapping


def _changes(a: Task, b: Task, t: float, s: float, sections: dict) -> list[dict]:
    ch = []
    if norm(a.title) != norm(b.title):
        ch.append({"kind": "renamed", "old": a.title, "new": b.title, "similarity": round(t, 3)})
    if (sections.get(a.section) if a.section is not None else None) != b.section:
        ch.append({"kind": "moved", "old": " › ".join(a.path), "new": " › ".join(b.path)})
    if a.body != b.body:
        ch.append({"kind": "text", "similarity": round(s, 3)})
    for role in ROLES:
        old_u, new_u = a.units.get(role, []), b.units.get(role, [])
        added = [u for u in new_u if u not in old_u]
        removed = [u for u in old_u if u not in new_u]
        if added or removed:
            ch.append({"kind": role, "old": "、".join(old_u), "new": "、".join(new_u), "added": added, "removed": removed})
    if norm(a.deadline or "") != norm(b.deadline or ""):
        ch.append({"kind": "deadline", "old": a.deadline, "new": b.deadline,
                   "old_date": a.deadline_date, "new_date": b.deadline_date})
    return ch


def diff_docs(old_docs: list[dict], new_docs: list[dict], *, threshold: float = 0.6, tasks: str = "both",
              old_source: str = "", new_source: str = "") -> dict:
    old, new = collect_tasks(old_docs, "old", tasks), collect_tasks(new_docs, "new", tasks)
    pairs = match(old, new, threshold)
    sections = match_sections(old_docs, new_docs, pairs)
    matched_a = {a.index for a, *_ in pairs}
    matched_b = {b.index for _, b, *_ in pairs}
    changed, unchanged = [], []
    for a, b, score, t, s in pairs:
        item = {"old": a.to_dict(), "new": b.to_dict(), "score": round(score, 3), "changes": _changes(a, b, t, s, sections)}
        (changed if item["changes"] else unchanged).append(item)
    added = [b.to_dict() for b in new if b.index not in matched_b]
    dropped = [a.to_dict() for a in old if a.index not in matched_a]
    return {
        "old_source": old_source, "new_source": new_source,
        "old_documents": [_str(d.get("key")) for d in old_docs], "new_documents": [_str(d.get("key")) for d in new_docs],
        "threshold": threshold, "tasks": tasks,
        "summary": {"old_tasks": len(old), "new_tasks": len(new), "matched": len(pairs), "unchanged": len(unchanged),
                    "changed": len(changed), "new": len(added), "dropped": len(dropped)},
        "new": added, "dropped": dropped, "changed": changed, "unchanged": unchanged,
    }


def diff_paths(old: Path, new: Path, *, threshold: float = 0.6, tasks: str = "both") -> dict:
    return diff_docs(load_side(old), load_side(new), threshold=threshold, tasks=tasks,
                     old_source=str(old), new_source=str(new))


# ----------------------------------------------------------------------------- output

KIND_LABELS = {"new": "新增", "dropped": "删除", "renamed": "改名", "moved": "移动", "text": "内容",
               "lead": "牵头单位", "support": "配合单位", "guide": "指导单位", "responsible": "责任单位",
               "deadline": "完成时限"}
CSV_COLUMNS = ["change", "old_document", "old_id", "old_task", "new_document", "new_id", "new_task",
               "old_value", "new_value", "added", "removed", "score"]


def _heading(t: dict) -> str:
    return f"{t['label']}{t['title']}"


def _units_text(t: dict) -> str:
    return "；".join(f"{ROLE_LABELS[r]}：{'、'.join(v)}" for r, v in t["units"].items() if v)


def change_rows(result: dict) -> list[dict]:
    """A flat row per change (what CSV and the terminal table show)."""
    rows = []
    for t in result["new"]:
        rows.append({"change": "new", "new": t, "old": None, "old_value": "", "new_value": _units_text(t)})
    for t in result["dropped"]:
        rows.append({"change": "dropped", "old": t, "new": None, "old_value": _units_text(t), "new_value": ""})
    for item in result["changed"]:
        for c in item["changes"]:
            old_v, new_v = _str(c.get("old")), _str(c.get("new"))
            if c["kind"] == "text":
                old_v, new_v = "", f"相似度 {c['similarity']}"
            rows.append({"change": c["kind"], "old": item["old"], "new": item["new"], "old_value": old_v,
                         "new_value": new_v, "added": c.get("added", []), "removed": c.get("removed", []),
                         "score": item["score"]})
    return rows


def write_json(result: dict, target: Path) -> None:
    from .export import write_atomic
    write_atomic(Path(target), json.dumps(result, ensure_ascii=False, indent=1) + "\n")


def write_csv(result: dict, target: Path) -> None:
    from .export import csv_text, write_atomic
    data = []
    for r in change_rows(result):
        o, n = r["old"] or {}, r["new"] or {}
        data.append([r["change"], o.get("document"), o.get("id"), _heading(o) if o else "", n.get("document"),
                     n.get("id"), _heading(n) if n else "", r["old_value"], r["new_value"],
                     "、".join(r.get("added", [])), "、".join(r.get("removed", [])), r.get("score", "")])
    write_atomic(Path(target), csv_text(CSV_COLUMNS, data))


def _w(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(text: str, width: int) -> str:
    text = SPACE.sub(" ", text)
    if _w(text) > width:
        out = ""
        for ch in text:
            if _w(out + ch) > width - 1:
                break
            out += ch
        text = out + "…"
    return text + " " * (width - _w(text))


def render_text(result: dict) -> str:
    s = result["summary"]
    lines = [f"{result['old_source']} → {result['new_source']}",
             f"tasks {s['old_tasks']} → {s['new_tasks']}: {s['matched']} matched ({s['unchanged']} unchanged, "
             f"{s['changed']} changed), {s['new']} new, {s['dropped']} dropped (threshold {result['threshold']})", ""]
    rows = change_rows(result)
    if not rows:
        return "\n".join(lines + ["no changes", ""])
    widths = (10, 34, 34, 44)
    head = [_fit(h, w) for h, w in zip(("change", "old", "new", "detail"), widths)]
    lines += ["  ".join(head).rstrip(), "  ".join("-" * w for w in widths)]
    for r in rows:
        o, n = r["old"], r["new"]
        if r["change"] in ("new", "dropped"):
            detail = r["new_value"] or r["old_value"]
        elif r["change"] in ("renamed", "moved", "deadline", *ROLES):
            detail = f"{r['old_value'] or '—'} → {r['new_value'] or '—'}"
        else:
            detail = r["new_value"]
        cells = (KIND_LABELS.get(r["change"], r["change"]), _heading(o) if o else "—", _heading(n) if n else "—", detail)
        lines.append("  ".join(_fit(c, w) for c, w in zip(cells, widths)).rstrip())
    return "\n".join(lines) + "\n"


def report_page(result: dict, *, index_href: str | None = None) -> str:
    s = result["summary"]
    parts = [f'<p>{e(result["old_source"])} → {e(result["new_source"])}</p>'
             f'<p>任务 {s["old_tasks"]} → {s["new_tasks"]}：匹配 {s["matched"]}（未变 {s["unchanged"]}，变化 {s["changed"]}），'
             f'<span class="badge b-new">新增 {s["new"]}</span><span class="badge b-dropped">删除 {s["dropped"]}</span>'
             f'<span class="badge b-changed">变化 {s["changed"]}</span>'
             f'<span class="muted">相似度阈值 {e(result["threshold"])}</span></p>']

    def task_table(items: list[dict], title: str, anchor: str, badge: str) -> str:
        if not items:
            return f'<section id="{anchor}"><h2>{e(title)}（0）</h2><p class="muted">无。</p></section>'
        trs = "".join(f'<tr class="{anchor}"><td><span class="badge {badge}">{e(title)}</span></td>'
                      f'<td>{e(" › ".join(t["path"]))}</td><td>{e(_heading(t))}</td><td>{e(_units_text(t))}</td>'
                      f'<td>{e(t["deadline"])}</td></tr>' for t in items)
        return (f'<section id="{anchor}"><h2>{e(title)}（{len(items)}）</h2><table><thead><tr><th></th><th>所在部分</th>'
                f'<th>任务</th><th>单位</th><th>完成时限</th></tr></thead><tbody>{trs}</tbody></table></section>')

    parts.append(task_table(result["new"], "新增任务", "new", "b-new"))
    parts.append(task_table(result["dropped"], "删除任务", "dropped", "b-dropped"))
    trs = []
    for item in result["changed"]:
        details = []
        for c in item["changes"]:
            label = KIND_LABELS.get(c["kind"], c["kind"])
            if c["kind"] == "text":
                details.append(f'<li><b>{e(label)}</b> 正文相似度 {e(c["similarity"])}</li>')
                continue
            extra = ""
            if c.get("added") or c.get("removed"):
                extra = (f' <span class="muted">（+{e("、".join(c["added"]))} −{e("、".join(c["removed"]))}）</span>')
            details.append(f'<li><b>{e(label)}</b> <del>{e(c.get("old") or "—")}</del> → '
                           f'<ins>{e(c.get("new") or "—")}</ins>{extra}</li>')
        trs.append(f'<tr class="changed"><td>{e(_heading(item["old"]))}</td><td>{e(_heading(item["new"]))}</td>'
                   f'<td class="num">{e(item["score"])}</td><td><ul>{"".join(details)}</ul></td></tr>')
    parts.append(f'<section id="changed"><h2>变化的任务（{len(trs)}）</h2>'
                 + ('<table><thead><tr><th>旧版</th><th>新版</th><th>相似度</th><th>变化</th></tr></thead>'
                    f'<tbody>{"".join(trs)}</tbody></table>' if trs else '<p class="muted">无。</p>') + "</section>")
    crumbs = f'<a href="{e(index_href)}">← 全部文件</a>' if index_href else ""
    return page("版本对比", "".join(parts), crumbs=crumbs)


def write_report(result: dict, outdir: Path) -> Path:
    from .export import write_atomic
    from .report import REPORT_DIR
    target = Path(outdir) / REPORT_DIR / "diff.html"
    index = target.with_name("index.html")
    write_atomic(target, report_page(result, index_href="index.html" if index.exists() else None))
    return target
