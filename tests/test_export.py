"""The JSON follows the committed schema, is deterministic, and the run tables agree with it."""
from __future__ import annotations

import csv
import json
import os
import stat
from pathlib import Path

import jsonschema
import pytest

import fzparse
from fzparse import batch
from fzparse.export import COLUMNS, atomic_path, csv_text, load_schema, rows, safe_cell, to_json, write_atomic

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
NOTICES = sorted(CORPUS.glob("*.txt"))


@pytest.fixture(scope="module")
def validator():
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("path", NOTICES, ids=[p.name for p in NOTICES])
def test_json_validates_against_schema(path, validator):
    data = fzparse.parse(path).to_dict()
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    assert not errors, errors[0].message


@pytest.mark.parametrize("path", NOTICES, ids=[p.name for p in NOTICES])
def test_json_is_byte_identical_on_rerun(path):
    assert to_json(fzparse.parse(path)) == to_json(fzparse.parse(path))


def test_schema_rejects_a_wrong_role(validator):
    data = fzparse.parse(NOTICES[0]).to_dict()
    nodes = [n for root in data["outline"] for n in [root] + root["children"] if n["units"]]
    assert nodes, "the sample notice assigns units"
    nodes[0]["units"][0]["role"] = "boss"
    assert list(validator.iter_errors(data))


def test_tables_match_the_model():
    docs = [fzparse.parse(p) for p in NOTICES]
    table = rows(docs)
    assert len(table["documents"]) == len(docs)
    assert len(table["nodes"]) == sum(len(list(d.nodes())) for d in docs)
    assert len(table["assignments"]) == sum(len(n.units) for d in docs for n in d.nodes())
    frames = docs[0].tables()
    assert set(frames) == set(COLUMNS)
    assert list(frames["assignments"].columns) == COLUMNS["assignments"]
    assert len(frames["assignments"]) == sum(len(n.units) for n in docs[0].nodes())


@pytest.mark.parametrize("value,expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "'+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("市司法局", "市司法局"), (None, ""), (3, 3),
])
def test_formula_cells_are_neutralised(value, expected):
    assert safe_cell(value) == expected


def test_csv_has_bom_and_header():
    text = csv_text(["a", "b"], [["=1", "x"]])
    assert text.startswith("\ufeff")
    parsed = list(csv.reader(text.lstrip("\ufeff").splitlines()))
    assert parsed == [["a", "b"], ["'=1", "x"]]


def test_atomic_write_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "sub" / "out.json"
    write_atomic(target, json.dumps({"a": 1}))
    assert json.loads(target.read_text("utf-8")) == {"a": 1}
    assert [p.name for p in target.parent.iterdir()] == ["out.json"]


def test_atomic_write_makes_an_ordinary_file_and_replaces_the_old_one(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old", "utf-8")
    mask = os.umask(0o027)
    try:
        write_atomic(target, b"new", fsync=False)
    finally:
        os.umask(mask)
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640      # 0666 less the umask, as open() makes
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_a_failed_atomic_block_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("old", "utf-8")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            Path(tmp).write_text("half", "utf-8")
            assert batch._TMP.match(Path(tmp).name)          # what a kill would leave is swept
            raise RuntimeError("stop")
    assert target.read_text("utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_write_atomic_writes_all_of_a_large_text(tmp_path):
    text = "通知" * 2_000_000
    write_atomic(tmp_path / "big.txt", text)
    assert (tmp_path / "big.txt").read_text("utf-8") == text
