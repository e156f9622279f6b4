"""`fzparse xlsx OUTDIR`: the 任务分工表 of a run as an Excel workbook (openpyxl).

One sheet per document — 序号 / 工作任务 / 牵头单位 / 配合单位 / 责任单位 / 完成时限 / 依据文件, a
row per node that has units — plus a sheet of every assignment (单位 / 角色 / 文件 / 节点 /
工作任务). Header frozen and filtered, text wrapped, columns sized to their content. Sheet
names are made legal (no []:*?/\\, ≤31 characters, not blank, not starting or ending with ')
and unique (Excel compares them case-blind). Every cell that a spreadsheet would run as a
formula (= + - @, tab, CR) is prefixed with ', characters XML cannot hold are dropped, and
cells are cut to Excel's 32,767 characters. The file is written atomically.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from . import export
from .export import safe_cell
from .report import ROLE_LABELS, TASK_COLUMNS, _list, _str, node_heading, task_rows, walk, units_by_role

UNITS_SHEET = "全部单位"
UNIT_COLUMNS = ["单位", "角色", "文件", "节点", "工作任务"]
MAX_CELL = 32767
WIDTHS = {"序号": (6, 8), "工作任务": (16, 60), "牵头单位": (10, 30), "配合单位": (10, 40), "责任单位": (10, 30),
          "完成时限": (10, 18), "依据文件": (10, 40), "单位": (10, 30), "角色": (6, 8), "文件": (10, 30),
          "节点": (8, 20)}
BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def sheet_name(raw: str, used: set[str]) -> str:
    """A legal sheet name from `raw`, unique among `used` (lower-cased names; updated)."""
    name = BAD_SHEET_CHARS.sub("_", _str(raw)).strip().strip("'").strip() or "Sheet"
    if name.lower() == "history":      # reserved by Excel
        name = "History_"
    base, n = name[:31], 1
    name = base
    while name.lower() in used:
        n += 1
        suffix = f"~{n}"
        name = base[:31 - len(suffix)].rstrip("'") + suffix
    used.add(name.lower())
    return name


def cell_value(value):
    """Neutralise formulas, drop characters XML cannot carry, keep numbers as numbers."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, (int, float)):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", _str(value))
    text = safe_cell(text)
    return text[:MAX_CELL]


def _fill_sheet(ws, columns: list[str], rows: list[list]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    ws.append(columns)
    for row in rows:
        ws.append([cell_value(v) for v in row])
    head_font, head_fill = Font(bold=True), PatternFill("solid", fgColor="DCE6F1")
    wrap = Alignment(wrap_text=True, vertical="top")
    for cell in ws[1]:
        cell.font, cell.fill, cell.alignment = head_font, head_fill, Alignment(wrap_text=True, vertical="center")
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    for j, col in enumerate(columns, start=1):
        lo, hi = WIDTHS.get(col, (8, 40))
        longest = max([display_width(col)] + [display_width(_str(r[j - 1])) for r in rows if j - 1 < len(r)])
        ws.column_dimensions[get_column_letter(j)].width = max(lo, min(hi, longest + 2))
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    ws.print_title_rows = "1:1"


def build_workbook(docs: list[dict]):
    from openpyxl import Workbook
    wb = Workbook()
    wb.remove(wb.active)
    used = {UNITS_SHEET.lower()}
    unit_rows: list[list] = []
    for doc in docs:
        key = _str(doc.get("key")) or "doc"
        ws = wb.create_sheet(sheet_name(key, used))
        if doc.get("title"):
            ws.sheet_properties.tabColor = "1F3A5F"
        rows = task_rows(doc)
        _fill_sheet(ws, TASK_COLUMNS, [[r[c] for c in TASK_COLUMNS] for r in rows])
        for node, _ in walk(_list(doc.get("outline"))):
            task = node_heading(node) if node.get("source") != "table" else _str(node.get("title"))
            for role, names in units_by_role(node).items():
                for name in names:
                    unit_rows.append([name, ROLE_LABELS[role], key, _str(node.get("id")), task])
    unit_rows.sort(key=lambda r: (r[0], list(ROLE_LABELS.values()).index(r[1]), r[2]))
    _fill_sheet(wb.create_sheet(UNITS_SHEET), UNIT_COLUMNS, unit_rows)
    return wb


def write_workbook(docs: list[dict], target: Path) -> Path:
    """Build and save atomically (temporary file beside the target, then rename)."""
    target = Path(target)
    wb = build_workbook(docs)
    with export.atomic_path(target) as tmp:
        wb.save(tmp)
    return target
