"""The run-level unit index: one canonical unit across notices that print it differently."""
from __future__ import annotations

from pathlib import Path

import pytest

import fzparse
from fzparse.units import UNIT_INDEX_COLUMNS, filter_rows, unit_index, unit_index_rows

DATA = Path(__file__).parent / "data" / "resolve"


@pytest.fixture(scope="module")
def docs():
    return [fzparse.parse(DATA / "cq-yingsu.txt"), fzparse.parse(DATA / "cq-sifaju.txt")]


def test_one_canonical_unit_across_notices(docs):
    rows = unit_index_rows(docs)
    assert all(len(r) == len(UNIT_INDEX_COLUMNS) for r in rows)
    sifa = [r for r in rows if r[0] == "重庆市司法局"]
    assert {r[3] for r in sifa} == {"cq-yingsu", "cq-sifaju"}            # 市司法局 in one, 重庆市司法局 in the other
    assert {r[2] for r in sifa} == {"lead", "support", "responsible"}
    assert ["重庆市司法局", "government", "lead", "cq-yingsu", "cq-yingsu#1.1", "1.1", "落实负责人出庭应诉制度", True, 0.8] in sifa
    index = unit_index(docs)
    entry = index["重庆市司法局"]
    assert entry["names"] == ["市司法局", "重庆市司法局"] and entry["kind"] == "government"
    assert len(entry["nodes"]) == len(sifa)
    # 市大数据局 and 重庆市大数据应用发展管理局 are one body too
    assert set(index["重庆市大数据局"]["names"]) == {"市大数据局", "重庆市大数据应用发展管理局"}


def test_index_is_sorted_and_deterministic(docs):
    rows = unit_index_rows(docs)
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)
    assert rows == unit_index_rows(list(docs))
    # a unit without a canonical name is listed under its printed name
    assert any(r[0] == "有关部门" and r[1] == "collective" for r in rows)


def test_filter_rows(docs):
    rows = unit_index_rows(docs)
    high = filter_rows(rows, 0.9)
    assert high and all(r[8] >= 0.9 for r in high)
    assert len(filter_rows(rows, 0.0)) == len(rows)
    assert all(r[8] >= 0.7 for r in filter_rows(rows, 0.7))
    # by name, over another table's columns
    cols = ["unit", "confidence"]
    assert filter_rows([["a", 0.5], ["b", 0.95], ["c", None]], 0.9, "confidence", cols) == [["b", 0.95], ["c", None]]


def test_a_run_writes_the_unit_index_and_honours_min_confidence(tmp_path):
    """units.csv / units.jsonl from the CLI; --min-confidence leaves the less sure rows out."""
    import csv
    import json
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    src = tmp_path / "in"
    src.mkdir()
    for name in ("cq-2021-40.txt", "lz-2024-8-yijian.txt"):
        (src / name).write_bytes((root / "corpus" / name).read_bytes())

    def run(out, *extra):
        proc = subprocess.run([sys.executable, "-m", "fzparse", "parse", str(src), "-o", str(out), "-j", "1",
                               "--no-analysis", *extra], capture_output=True, text=True, cwd=root)
        assert proc.returncode == 0, proc.stderr
        rows = list(csv.DictReader((out / "units.csv").read_text("utf-8-sig").splitlines()))
        index = [json.loads(line) for line in (out / "units.jsonl").read_text("utf-8").splitlines()]
        return rows, index

    rows, index = run(tmp_path / "all")
    assert {r["unit"] for r in rows} >= {"重庆市司法局", "重庆市委党校"}          # canonical names
    lead = next(e for e in index if e["unit"] == "重庆市司法局")["roles"]["lead"]
    assert {x["node_id"] for x in lead} >= {"cq-2021-40#1.1", "cq-2021-40#1.2"}
    sure, _ = run(tmp_path / "sure", "--min-confidence", "0.85")
    assert 0 < len(sure) < len(rows)
    assert all(float(r["confidence"]) >= 0.85 for r in sure)
