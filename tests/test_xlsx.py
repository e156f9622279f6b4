"""`fzparse xlsx OUTDIR`: the 任务分工表 workbook — a sheet per document with the seven columns
and a row per node with units, an all-units sheet, frozen header, wrapped text, sized
columns, legal unique sheet names, formula cells neutralised."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from fzparse.cli import main
from fzparse.report import TASK_COLUMNS, load_run, walk
from fzparse.xlsx import UNIT_COLUMNS, UNITS_SHEET, build_workbook, sheet_name

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data" / "review"
NOTICES = [DATA / "plan-2023.txt", DATA / "plan-2024.txt", DATA / "hostile.txt", REPO / "corpus" / "lz-2024-8-yijian.txt"]


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("run")
    assert main(["parse", *map(str, NOTICES), "-o", str(out)]) == 0
    return out


def test_workbook_has_a_sheet_per_document_and_a_row_per_task(run, tmp_path):
    target = tmp_path / "out" / "tasks.xlsx"
    assert main(["xlsx", str(run), "-o", str(target)]) == 0
    docs = load_run(run)
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames == [d["key"] for d in docs] + [UNITS_SHEET]
    for doc in docs:
        frame = pd.read_excel(target, sheet_name=doc["key"], dtype=str).fillna("")
        assert list(frame.columns) == TASK_COLUMNS
        tasks = [n for n, _ in walk(doc["outline"]) if n["units"]]
        assert len(frame) == len(tasks)
        assert list(frame["序号"]) == [str(i) for i in range(1, len(tasks) + 1)]
        ws = wb[doc["key"]]
        assert ws.freeze_panes == "A2"
        assert all(c.alignment.wrap_text for row in ws.iter_rows(min_row=2) for c in row)
        assert ws.column_dimensions["B"].width >= 16 and ws.column_dimensions["A"].width <= 8
    plan = pd.read_excel(target, sheet_name="plan-2024", dtype=str).fillna("")
    row = plan[plan["工作任务"] == "（八）保障重点项目用地"].iloc[0]
    assert (row["牵头单位"], row["配合单位"], row["完成时限"]) == ("市自然资源局", "市发展改革委", "2023年12月底前")
    units = pd.read_excel(target, sheet_name=UNITS_SHEET, dtype=str).fillna("")
    assert list(units.columns) == UNIT_COLUMNS
    expected = sum(len({(u["name"], u["role"]) for u in n["units"]}) for d in docs for n, _ in walk(d["outline"]))
    assert len(units) == expected
    assert {"牵头", "配合"} <= set(units["角色"])
    hit = units[(units["单位"] == "市地方金融管理局")]
    assert list(hit["文件"]) == ["plan-2024"] and list(hit["角色"]) == ["牵头"]


def test_default_target_is_in_the_run_folder(run):
    assert main(["xlsx", str(run)]) == 0
    assert (run / "tasks.xlsx").is_file()


def test_sheet_names_are_legal_and_unique():
    used: set[str] = set()
    names = [sheet_name(raw, used) for raw in
             ["a/b", "a:b", "A?B", "x" * 40, "x" * 40, "'quoted'", "", "history", UNITS_SHEET.upper(), "全部单位"]]
    assert len({n.lower() for n in names}) == len(names)
    for n in names:
        assert 0 < len(n) <= 31 and not set("[]:*?/\\") & set(n) and not n.startswith("'") and not n.endswith("'")
    assert names[:3] == ["a_b", "a_b~2", "A_B~3"]
    assert names[3] == "x" * 31 and names[4] == "x" * 29 + "~2"


def test_formula_cells_are_neutralised_and_hostile_keys_survive(run, tmp_path):
    doc = next(d for d in load_run(run) if d["key"] == "plan-2023")
    evil = copy.deepcopy(doc)
    evil["key"] = "=evil]:*?/key" + "很长的名字" * 10
    node = next(n for n, _ in walk(evil["outline"]) if n["units"])
    node["source"] = "table"
    node["title"] = '=HYPERLINK("http://example.invalid","x")'
    node["units"][0]["name"] = "@SUM(1,2)"
    node["units"][1]["name"] = "+cmd|' /C calc'!A0"
    node["units"][2]["name"] = "-2+3\x07"                    # a control character XML cannot hold
    node["deadline"] = "=1+1"
    node["references"] = [{"title": "x", "doc_number": None}]
    for n, d in enumerate((evil, copy.deepcopy(evil))):
        d["_file"] = f"evil{n}.json"
        (run / "evil").mkdir(exist_ok=True)
        (run / "evil" / f"{n}.json").write_text(json.dumps(d, ensure_ascii=False), "utf-8")
    target = tmp_path / "evil.xlsx"
    try:
        assert main(["xlsx", str(run / "evil"), "-o", str(target)]) == 0
    finally:
        for f in (run / "evil").iterdir():
            f.unlink()
        (run / "evil").rmdir()
    wb = openpyxl.load_workbook(target)
    assert len(wb.sheetnames) == 3 and len(set(wb.sheetnames)) == 3
    assert all(len(n) <= 31 for n in wb.sheetnames)
    ws = wb[wb.sheetnames[0]]
    cells = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [v for v in cells if v[:1] in "=+-@"]
    assert "'" + node["title"] in cells and "'@SUM(1,2)" in cells and "'=1+1" in cells
    assert not any("\x07" in v for v in cells)
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    units = [c.value for row in wb[UNITS_SHEET].iter_rows() for c in row if isinstance(c.value, str)]
    assert "'+cmd|' /C calc'!A0" in units and not [v for v in units if v[:1] in "=+-@"]


def test_empty_run(tmp_path, capsys):
    assert main(["xlsx", str(tmp_path)]) == 1
    assert "no fzparse JSON" in capsys.readouterr().err
    assert build_workbook([]).sheetnames == [UNITS_SHEET]
