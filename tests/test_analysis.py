"""The run's analysis outputs: a Parquet dataset and a DuckDB database with documents, nodes,
assignments, references and units — "which tasks did 市司法局 lead from 2019 to 2023" is one query —
and CSV tables identical to what export.write_tables writes."""
from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

import fzparse
from fzparse import analysis, batch, export

duckdb = pytest.importorskip("duckdb")
pq = pytest.importorskip("pyarrow.parquet")

ROOT = Path(__file__).resolve().parents[1]

# the query the README gives
LEAD_TASKS = """
SELECT d.date, d.doc_number, d.title AS document, a.node_id, a.node_title
FROM assignments a JOIN documents d USING (doc_id)
WHERE a.unit = '市司法局' AND a.role = 'lead'
  AND d.date BETWEEN DATE '2019-01-01' AND DATE '2023-12-31'
ORDER BY d.date, a.node_id
"""


def notice(year: int, serial: int, lead: str, task: str) -> str:
    return (f"澜州市人民政府办公厅关于做好{year}年法治政府建设工作的通知\n澜府办发〔{year}〕{serial}号\n"
            "各区县人民政府，市政府各部门：\n现就有关事项通知如下。\n"
            f"一、{task}。全面推行行政执法公示制度。（牵头单位：{lead}；配合单位：各区县政府）\n"
            "二、加强法治宣传教育。落实普法责任制。（市委宣传部牵头，市司法局配合）\n"
            "三、强化督促检查。定期通报进展。（市政府督查室负责）\n"
            f"澜州市人民政府办公厅\n{year}年3月{serial}日\n")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("analysis")
    src = tmp / "in"
    (src / "b").mkdir(parents=True)
    docs = [(2018, 1, "市司法局", "深化行政执法改革"), (2019, 2, "市司法局", "推进严格规范公正文明执法"),
            (2021, 3, "市公安局", "整治突出治安问题"), (2023, 4, "市司法局", "建设公共法律服务体系"),
            (2024, 5, "市司法局", "完善行政复议体制")]
    for year, serial, lead, task in docs:
        (src / f"n{year}.txt").write_text(notice(year, serial, lead, task), "utf-8")
    # the same key in another folder: doc_id tells them apart
    (src / "b" / "n2019.txt").write_text(notice(2020, 6, "市司法局", "规范行政执法监督"), "utf-8")
    out = tmp / "out"
    result = batch.run([src], out, jobs=2)
    assert not result.failed
    return src, out


def test_the_lead_tasks_query(run):
    _, out = run
    con = duckdb.connect(str(out / analysis.DUCKDB_FILE), read_only=True)
    rows = con.execute(LEAD_TASKS).fetchall()
    con.close()
    assert [(r[0], r[1], r[4]) for r in rows] == [
        (dt.date(2019, 3, 2), "澜府办发〔2019〕2号", "推进严格规范公正文明执法"),
        (dt.date(2020, 3, 6), "澜府办发〔2020〕6号", "规范行政执法监督"),
        (dt.date(2023, 3, 4), "澜府办发〔2023〕4号", "建设公共法律服务体系")]
    assert analysis.query(out, LEAD_TASKS) == rows
    assert " ".join(analysis.LEAD_TASKS_SQL.split()) == " ".join(LEAD_TASKS.split())


def test_the_database_has_the_five_tables(run):
    _, out = run
    con = duckdb.connect(str(out / analysis.DUCKDB_FILE), read_only=True)
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {"documents", "nodes", "assignments", "references", "units"} <= tables
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 6
    assert con.execute("SELECT count(DISTINCT doc_id) FROM documents").fetchone()[0] == 6
    assert con.execute("SELECT count(DISTINCT key) FROM documents").fetchone()[0] == 5
    lead, support, docs = con.execute(
        "SELECT lead, support, documents FROM units WHERE name = '澜州市司法局'").fetchone()  # canonical
    assert (lead, support, docs) == (5, 6, 6)
    types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns "
                             "WHERE table_name = 'documents'").fetchall())
    assert types["date"] == "DATE" and types["year"] == "BIGINT" and types["is_gongwen"] == "BOOLEAN"
    con.close()


def test_parquet_dataset_matches_the_csv(run):
    src, out = run
    for name, columns in export.COLUMNS.items():
        table = pq.read_table(out / analysis.PARQUET_DIR / f"{name}.parquet")
        assert table.column_names == ["doc_id"] + columns
    docs = pq.read_table(out / analysis.PARQUET_DIR / "documents.parquet").to_pylist()
    assert sorted(d["doc_id"] for d in docs) == ["b/n2019", "n2018", "n2019", "n2021", "n2023", "n2024"]
    units = pq.read_table(out / analysis.PARQUET_DIR / "units.parquet")
    assert "澜州市司法局" in units.column("name").to_pylist()      # grouped by canonical unit


def test_csv_tables_are_what_write_tables_writes(run, tmp_path):
    src, out = run
    inputs = sorted(p for p in src.rglob("*.txt"))
    docs = [fzparse.parse(p) for p in inputs]
    export.write_tables(tmp_path, docs)
    for name in export.COLUMNS:
        assert (out / f"{name}.csv").read_bytes() == (tmp_path / f"{name}.csv").read_bytes(), name


def test_no_analysis_writes_csv_only(tmp_path):
    src = ROOT / "corpus" / "lz-2024-21-pifu.txt"
    out = tmp_path / "out"
    batch.run([src], out, analysis=False)
    assert (out / "documents.csv").exists()
    assert not (out / analysis.DUCKDB_FILE).exists() and not (out / analysis.PARQUET_DIR).exists()


def analysis_outputs(out: Path) -> dict:
    files = {name: (out / name).read_bytes() for name in ["units.csv", "units.jsonl"] + [f"{t}.csv" for t in export.COLUMNS]}
    con = duckdb.connect(str(out / analysis.DUCKDB_FILE), read_only=True)
    for t in list(export.COLUMNS) + ["units"]:
        files[f"db:{t}"] = con.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall()
        files[f"pq:{t}"] = pq.read_table(out / analysis.PARQUET_DIR / f"{t}.parquet").to_pylist()
    con.close()
    return files


def old_rows_files(out: Path) -> int:
    """Rewrite every rows file the way fzparse wrote them before they had sections: one JSON
    object with the columns, the rows and the CSV lines."""
    import json
    n = 0
    for f in (out / batch.ROWS_DIR).rglob("*.rows"):
        head, _, body = f.read_bytes().partition(b"\n")
        sections, at = {}, 0
        for name, size in json.loads(head)["sections"]:
            sections[name], at = body[at:at + size], at + size
        rows = {t: [json.loads(line)[1:] for line in sections[f"rows:{t}"].splitlines()] for t in export.COLUMNS}
        csv_lines = {t: sections[f"csv:{t}"].decode("utf-8") for t in export.COLUMNS}
        f.write_text(json.dumps({"columns": export.COLUMNS, "rows": rows, "csv": csv_lines}, ensure_ascii=False), "utf-8")
        n += 1
    return n


def test_tables_from_the_rows_files_of_an_older_fzparse(run, tmp_path):
    import shutil
    src, out = run
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    want = analysis_outputs(out)
    assert old_rows_files(copy) == 6
    result = batch.run([src], copy, jobs=2)
    assert len(result.unchanged) == 6
    assert analysis_outputs(copy) == want


def test_a_damaged_rows_file_leaves_its_document_out(run, tmp_path, caplog):
    import shutil
    src, out = run
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    damaged = next((copy / batch.ROWS_DIR).rglob("n2018.json.rows"))
    damaged.write_bytes(damaged.read_bytes()[:-10])          # what a crash of the machine may leave
    batch.run([src], copy, jobs=1)
    assert "unreadable table rows" in caplog.text
    keys = [line.split(",")[0] for line in (copy / "documents.csv").read_text("utf-8-sig").splitlines()[1:]]
    assert sorted(keys) == ["n2019", "n2019", "n2021", "n2023", "n2024"]


CELLS = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False),
                  st.text(alphabet=st.sampled_from(list("=+-@\t\r\n,\"' a中0")), max_size=5))


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(CELLS, min_size=1, max_size=6), max_size=4))
def test_csv_lines_are_written_cell_by_cell_safe(rows):
    """The fast CSV lines (written whole, redone only when a cell may start a formula) are what
    writing every cell through safe_cell gives."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([export.safe_cell(v) for v in row] for row in rows)
    assert analysis._csv_lines(rows) == buf.getvalue().encode("utf-8")
    assert export.csv_text(["c"], rows) == "\ufeffc\r\n" + buf.getvalue()
