"""Task tables (任务分工表) in any format → outline nodes with units and deadlines.

A table is a task table when its header names a task column and at least one unit column.
Each numbered row becomes a node titled by its task cell, under the table's section rows;
rows that a rowspan joins (the same 序号 repeated) are one node, whose units are the union of
its sub-rows' unit cells. The task and detail cells are prose of their own: a unit they name as
doing the task (由X负责…, X牵头、Y共同参与) that no unit cell of the row names is added as a
prose assignment (explicit=False). In running text prose is read only where a node has no
explicit unit, because there the prose and the explicit parenthetical are the same words; a
row's unit cells are other words than its task cell.
"""
from __future__ import annotations

import regex as re

from . import patterns as P
from .clean import squeeze
from .deadlines import normalise_deadline
from .extract import dedupe_refs, is_collective, prose_units, references_in
from .models import Flag, Node, Paragraph, Unit
from .outline import match_heading, numeral_value
from .segment import looks_like_org, split_list

TASK_HEADERS = ("工作任务", "重点任务", "工作事项", "主要任务", "具体任务", "任务名称", "任务事项", "改革事项",
                "工作内容", "任务内容", "任务", "事项")
DETAIL_HEADERS = ("主要内容", "具体内容", "工作措施", "具体措施", "任务内容", "工作内容")
NUMBER_HEADERS = ("序号", "编号", "序")
DEADLINE_HEADERS = ("完成时限", "时间节点", "完成时间", "时限", "完成期限", "时间安排", "进度安排")
UNIT_HEADER_ROLES = (("牵头", "lead"), ("配合", "support"), ("协同", "support"), ("参与", "support"),
                     ("协办", "support"), ("相关单位", "support"), ("指导", "guide"), ("责任", "responsible"),
                     ("负责", "responsible"), ("主办", "lead"))
NONE_CELL = re.compile(r"^[/／\-—–一无\s]*$")


def _column_roles(header: list[str]) -> dict[int, tuple[str, bool]]:
    roles = {}
    for j, h in enumerate(header):
        h = squeeze(h)
        if not h or len(h) > 20:
            continue
        for word, role in UNIT_HEADER_ROLES:
            if word in h and ("单位" in h or "部门" in h or "处室" in h or "科室" in h or h.endswith(word) or "机构" in h):
                internal = "处室" in h or "科室" in h or "内" in h
                roles[j] = (role, internal)
                break
    return roles


def _find(header: list[str], names: tuple[str, ...], exclude: set[int] = frozenset()) -> int | None:
    clean = [squeeze(h) for h in header]
    for name in names:
        for j, h in enumerate(clean):
            if j not in exclude and h == name:
                return j
    for name in names:
        for j, h in enumerate(clean):
            if j not in exclude and name in h and len(h) <= len(name) + 4:
                return j
    return None


def task_table_nodes(p: Paragraph, key: str, table_no: int, flags: list[Flag],
                     prefix: tuple[int, ...] = (), year: int | None = None) -> list[Node]:
    """The nodes of a task table; `year`, the year the plan is for, dates a time limit without
    one (6月底前)."""
    table = p.table
    if table is None or len(table.rows) < 2:
        return []
    grid = table.texts
    header_at = None
    for r, row in enumerate(grid[:3]):
        if _column_roles(row) and _find(row, TASK_HEADERS) is not None:
            header_at = r
            break
    if header_at is None:
        return []
    header = grid[header_at]
    roles = _column_roles(header)
    task_col = _find(header, TASK_HEADERS, exclude=set(roles))
    detail_col = _find(header, DETAIL_HEADERS, exclude=set(roles) | {task_col})
    number_col = _find(header, NUMBER_HEADERS)
    deadline_col = _find(header, DEADLINE_HEADERS)
    nodes: list[Node] = []
    section: Node | None = None
    current: Node | None = None
    current_key = None
    for r in range(header_at + 1, len(grid)):
        row = grid[r]
        cells = [c.strip() for c in row]
        distinct = {c for c in cells if c}
        if not distinct:
            continue
        # a section row: one text across the row (a colspan), or a heading-styled first cell alone
        if len(distinct) == 1 and (number_col is None or not P.ROW_NUMBER_ARABIC.fullmatch(cells[number_col] or "")):
            text = next(iter(distinct))
            hm = match_heading(text)
            number = hm.number if hm else len([n for n in nodes]) + 1
            section = Node(number=number, label=hm.label if hm else "", style=hm.style if hm else "table-section",
                           title=(hm.rest if hm else text).strip().rstrip("。"), source="table",
                           evidence=p.evidence())
            nodes.append(section)
            current, current_key = None, None
            continue
        num_text = cells[number_col] if number_col is not None else ""
        task_text = cells[task_col] if task_col is not None else ""
        row_key = (num_text, task_text)
        if current is None or row_key != current_key:
            number = numeral_value(num_text) if num_text and P.ROW_NUMBER.fullmatch(num_text) else None
            if number is None:
                number = (len(section.children) if section else len([n for n in nodes if n.source == "table"])) + 1
            title = task_text.rstrip("。.；; ")
            current = Node(number=number, label=num_text, style="table-row", title=title, source="table",
                           evidence=p.evidence())
            current_key = row_key
            (section.children if section else nodes).append(current)
        texts = [t for t in (task_text if not current.text else "", cells[detail_col] if detail_col is not None else "")
                 if t]
        current.text = "\n".join(x for x in [current.text] + texts if x)
        for j, (role, internal) in roles.items():
            if j >= len(cells) or NONE_CELL.match(cells[j]):
                continue
            for name in split_list(cells[j].replace("\n", "、"), "、，,；;"):
                name = name.strip()
                if not name or NONE_CELL.match(name):
                    continue
                unit = Unit(name=name, role=role, explicit=True, method="table", collective=is_collective(name),
                            internal=internal, evidence=p.evidence())
                if not looks_like_org(name):
                    unit.flags.append("name-does-not-look-like-a-body")
                if not any(u.name == name and u.role == role for u in current.units):
                    current.units.append(unit)
        if deadline_col is not None and deadline_col < len(cells) and cells[deadline_col] and not current.deadline:
            current.deadline = cells[deadline_col]
            current.deadline_date = normalise_deadline(cells[deadline_col], year)
    for node in nodes:
        for n in node.walk():
            n.references = dedupe_refs(references_in(p, n.text))
            if n.style == "table-row":
                n.units.extend(_prose_of_row(p, n))
    number_nodes(nodes, key, table_no, prefix)
    return nodes


def _prose_of_row(p: Paragraph, row: Node) -> list[Unit]:
    """The prose assignments of a row's task and detail cells whose unit no unit cell names
    (their evidence is the table, as for the unit cells: the model has no cell offsets)."""
    named = {u.name for u in row.units}
    found = prose_units(Paragraph(index=p.index, text=row.text, page=p.page, line=p.line, offset=p.offset))
    out = []
    for u in found:
        if u.name not in named:
            u.evidence = p.evidence()
            out.append(u)
    return out


def number_nodes(nodes: list[Node], key: str, table_no: int, prefix: tuple[int, ...] = ()) -> None:
    for n in nodes:
        n.path = prefix + (n.number,)
        n.id = f"{key}#T{table_no + 1}:{'.'.join(map(str, n.path))}"
        number_nodes(n.children, key, table_no, n.path)
