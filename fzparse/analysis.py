"""The run tables, built once per run from each document's rows (OUTDIR/.fzparse/rows/*.rows),
streamed so memory does not grow with the run:

- `documents.csv`, `nodes.csv`, `assignments.csv`, `references.csv` — as `export.write_tables`
  writes them (UTF-8 with BOM, formula cells neutralised);
- `parquet/<table>.parquet` — the same tables typed (dates as DATE, counts as integers, flags as
  booleans), each row carrying `doc_id` (the JSON's path in OUTDIR without `.json`: unique even
  when two documents share a key), plus `units` (one row per unit name: how many documents and
  tasks name it, in which role, first and last document date);
- `fzparse.duckdb` — a DuckDB database with those five tables, so that

      SELECT d.date, d.doc_number, d.title, a.node_id, a.node_title
      FROM assignments a JOIN documents d USING (doc_id)
      WHERE a.unit = '市司法局' AND a.role = 'lead'
        AND d.date BETWEEN DATE '2019-01-01' AND DATE '2023-12-31'
      ORDER BY d.date, a.node_id;

  answers "which tasks did 市司法局 lead from 2019 to 2023".

Every file is written to a temporary name and renamed: a killed run leaves the previous tables.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any, Iterable

from . import export
from .units import UNIT_INDEX_COLUMNS, filter_rows

log = logging.getLogger("fzparse")

PARQUET_DIR = "parquet"
DUCKDB_FILE = "fzparse.duckdb"
BATCH_ROWS = 4096
LEAD_TASKS_SQL = """\
SELECT d.date, d.doc_number, d.title AS document, a.node_id, a.node_title
FROM assignments a JOIN documents d USING (doc_id)
WHERE a.unit = '市司法局' AND a.role = 'lead'
  AND d.date BETWEEN DATE '2019-01-01' AND DATE '2023-12-31'
ORDER BY d.date, a.node_id"""

INT_COLUMNS = {"year", "serial", "nodes", "assignments", "references", "depth", "paragraph", "start", "end",
               "page", "line", "pages"}
BOOL_COLUMNS = {"is_gongwen", "explicit", "collective", "internal", "bracketed", "self_reference"}
DATE_COLUMNS = {"date", "printed_date"}
FLOAT_COLUMNS = {"confidence"}


def _load_rows(path: Path) -> tuple[dict[str, list[list]], dict[str, str]] | None:
    """One document's rows, mapped onto today's export.COLUMNS (missing columns empty), and its
    CSV lines per table when they were made for today's columns."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as err:
        log.warning("%s: unreadable table rows (%s); the document is left out of the tables", path, err)
        return None
    cols, table, texts = data.get("columns", {}), data.get("rows", {}), data.get("csv") or {}
    out: dict[str, list[list]] = {}
    csv_lines: dict[str, str] = {}
    for name, columns in export.COLUMNS.items():
        have = cols.get(name, columns)
        if have == columns:
            out[name] = table.get(name, [])
            if isinstance(texts.get(name), str):
                csv_lines[name] = texts[name]
        else:
            at = {c: i for i, c in enumerate(have)}
            out[name] = [[r[at[c]] if c in at and at[c] < len(r) else None for c in columns]
                         for r in table.get(name, [])]
    return out, csv_lines


class _CsvSink:
    def __init__(self, target: Path, columns: list[str]):
        self.target = target
        fd, self.tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        self.fh = os.fdopen(fd, "w", encoding="utf-8", newline="")
        self.fh.write("\ufeff")
        self.w = csv.writer(self.fh, lineterminator="\r\n")
        self.w.writerow(columns)

    def add(self, data: list[list], text: str | None = None) -> None:
        if text is not None:
            self.fh.write(text)           # made by the worker with export.csv_text
            return
        for row in data:
            self.w.writerow([export.safe_cell(v) for v in row])

    def commit(self) -> None:
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
        os.replace(self.tmp, self.target)

    def abort(self) -> None:
        if not self.fh.closed:
            self.fh.close()
        try:
            os.unlink(self.tmp)
        except OSError:
            pass


def _arrow_type(pa, column: str):
    if column in INT_COLUMNS:
        return pa.int64()
    if column in BOOL_COLUMNS:
        return pa.bool_()
    if column in DATE_COLUMNS:
        return pa.date32()
    if column in FLOAT_COLUMNS:
        return pa.float64()
    return pa.string()


def _coerce(column: str, value: Any) -> Any:
    if value is None or value == "":
        return None
    if column in INT_COLUMNS:
        try:
            return int(value)
        except (TypeError, ValueError):
            return None
    if column in BOOL_COLUMNS:
        return value if isinstance(value, bool) else str(value).lower() in ("true", "1", "yes")
    if column in DATE_COLUMNS:
        try:
            return dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            return None
    if column in FLOAT_COLUMNS:
        try:
            return float(value)
        except (TypeError, ValueError):
            return None
    return value if isinstance(value, str) else str(value)


class _ParquetSink:
    def __init__(self, target: Path, columns: list[str]):
        import pyarrow as pa
        import pyarrow.parquet as pq
        self.pa = pa
        self.columns = ["doc_id"] + columns
        self.schema = pa.schema([(c, _arrow_type(pa, c)) for c in self.columns])
        self.target = target
        fd, self.tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
        self.writer = pq.ParquetWriter(self.tmp, self.schema, compression="zstd")
        self.buffer: list[list] = []
        self.ids: list[str] = []

    def add(self, doc_id: str, data: list[list]) -> None:
        self.ids.extend([doc_id] * len(data))
        self.buffer.extend(data)
        if len(self.buffer) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        arrays = [self.pa.array(self.ids, type=self.pa.string())]
        for i, (col, field) in enumerate(zip(self.columns[1:], list(self.schema)[1:])):
            values = [r[i] for r in self.buffer]
            if col not in DATE_COLUMNS:
                try:                       # the rows hold str / int / bool / None already
                    arrays.append(self.pa.array(values, type=field.type))
                    continue
                except (self.pa.ArrowInvalid, self.pa.ArrowTypeError, TypeError, ValueError, OverflowError):
                    pass
            arrays.append(self.pa.array([_coerce(col, v) for v in values], type=field.type))
        self.writer.write_table(self.pa.Table.from_arrays(arrays, schema=self.schema))
        self.buffer, self.ids = [], []

    def commit(self) -> None:
        self.flush()
        self.writer.close()
        os.replace(self.tmp, self.target)

    def abort(self) -> None:
        try:
            self.writer.close()
        except Exception:
            pass
        try:
            os.unlink(self.tmp)
        except OSError:
            pass


def doc_id_of(rows_file: Path, rows_root: Path) -> str:
    """`x/y.json.rows` → `x/y`: the JSON's path in OUTDIR without `.json`."""
    rel = rows_file.relative_to(rows_root).as_posix()
    return rel.removesuffix(".rows").removesuffix(".json")


A = {c: i for i, c in enumerate(export.ASSIGNMENT_COLUMNS)}


def unit_rows(assignments: list[list]) -> list[list]:
    """units.csv: a row per canonical unit × node × role, from the assignment rows."""
    return [[a[A["canonical"]] or a[A["unit"]], a[A["kind"]], a[A["role"]], a[A["key"]], a[A["node_id"]],
             a[A["path"]], a[A["node_title"]], a[A["explicit"]], a[A["confidence"]]] for a in assignments]


def build(outdir: Path, rows_files: Iterable[Path], analysis: bool = True, min_confidence: float = 0.0) -> list[Path]:
    """Write the run tables of the documents whose rows are in `rows_files` (plan order).
    `min_confidence` leaves less sure units out of assignments.csv and units.csv (the JSON keeps all)."""
    outdir = Path(outdir)
    from .batch import ROWS_DIR
    rows_root = outdir / ROWS_DIR
    sinks: dict[str, _CsvSink] = {}
    psinks: dict[str, _ParquetSink] = {}
    if analysis:
        try:
            import pyarrow  # noqa: F401
            import pyarrow.parquet  # noqa: F401
        except ImportError:
            log.warning("pyarrow is not installed: no Parquet dataset or DuckDB database for this run")
            analysis = False
    if analysis:
        (outdir / PARQUET_DIR).mkdir(parents=True, exist_ok=True)
    index: dict[str, dict] = {}
    try:
        for name, columns in export.COLUMNS.items():
            sinks[name] = _CsvSink(outdir / f"{name}.csv", columns)
            if analysis:
                psinks[name] = _ParquetSink(outdir / PARQUET_DIR / f"{name}.parquet", columns)
        sinks["units"] = _CsvSink(outdir / "units.csv", UNIT_INDEX_COLUMNS)
        for f in rows_files:
            loaded = _load_rows(f)
            if loaded is None:
                continue
            table, csv_lines = loaded
            doc_id = doc_id_of(f, rows_root)
            if min_confidence > 0:
                table["assignments"] = filter_rows(table["assignments"], min_confidence, "confidence",
                                                   export.ASSIGNMENT_COLUMNS)
                csv_lines.pop("assignments", None)
            for name in export.COLUMNS:
                sinks[name].add(table[name], csv_lines.get(name))
                if analysis:
                    psinks[name].add(doc_id, table[name])
            units = unit_rows(table["assignments"])
            sinks["units"].add(units)
            for u in units:          # the run's unit index for units.jsonl
                entry = index.setdefault(u[0], {"kind": u[1], "roles": {}})
                entry["roles"].setdefault(u[2], []).append({"key": u[3], "node_id": u[4], "title": u[6]})
        written = []
        sinks["units"].commit()
        written.append(outdir / "units.csv")
        # JSON Lines, like the manifest: a line per canonical unit (no document output is .jsonl)
        export.write_atomic(outdir / "units.jsonl", "".join(
            json.dumps({"unit": name, **entry}, ensure_ascii=False) + "\n" for name, entry in index.items()))
        written.append(outdir / "units.jsonl")
        for name in export.COLUMNS:
            sinks[name].commit()
            written.append(outdir / f"{name}.csv")
            if analysis:
                psinks[name].commit()
                written.append(outdir / PARQUET_DIR / f"{name}.parquet")
    except BaseException:
        for s in list(sinks.values()) + list(psinks.values()):
            s.abort()
        raise
    if analysis:
        try:
            written += _duckdb(outdir)
        except Exception as err:  # the CSV and Parquet tables stand; say why there is no database
            log.warning("no DuckDB database for this run: %s", err)
    return written


UNITS_SQL = """
SELECT coalesce(a.canonical, a.unit) AS name,
       count(DISTINCT a.doc_id) AS documents,
       count(*) AS assignments,
       count(*) FILTER (WHERE a.role = 'lead') AS lead,
       count(*) FILTER (WHERE a.role = 'support') AS support,
       count(*) FILTER (WHERE a.role = 'guide') AS guide,
       count(*) FILTER (WHERE a.role = 'responsible') AS responsible,
       bool_or(a.collective) AS collective,
       bool_or(a.internal) AS internal,
       min(d.date) AS first_date,
       max(d.date) AS last_date
FROM assignments a LEFT JOIN documents d USING (doc_id)
GROUP BY coalesce(a.canonical, a.unit)
ORDER BY assignments DESC, name
"""


def _duckdb(outdir: Path) -> list[Path]:
    try:
        import duckdb
    except ImportError:
        log.warning("duckdb is not installed: no DuckDB database for this run")
        return []
    pq_dir = outdir / PARQUET_DIR
    target = outdir / DUCKDB_FILE
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=outdir)
    os.close(fd)
    os.unlink(tmp)                       # duckdb creates the file itself
    units_pq = pq_dir / "units.parquet"
    units_tmp = pq_dir / ".units.parquet.building.tmp"
    try:
        # one thread and a small buffer pool: the database is built from files, and memory must
        # not grow with the run (DuckDB spills to its own temporary folder beside the database)
        con = duckdb.connect(tmp, config={"threads": 1, "memory_limit": "128MB",
                                          "temp_directory": str(outdir / ".fzparse" / "duckdb-tmp")})
        try:
            for name in export.COLUMNS:
                con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM read_parquet(?)',
                            [str(pq_dir / f"{name}.parquet")])
            if "units" not in export.COLUMNS:
                con.execute(f"CREATE TABLE units AS {UNITS_SQL}")
                con.execute(f"COPY units TO '{_sql_str(units_tmp)}' (FORMAT parquet, COMPRESSION zstd)")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        if units_tmp.exists():
            os.replace(units_tmp, units_pq)
        for leftover in (tmp + ".wal",):
            if os.path.exists(leftover):
                os.unlink(leftover)
        os.replace(tmp, target)
    except BaseException:
        for leftover in (tmp, tmp + ".wal", str(units_tmp)):
            try:
                os.unlink(leftover)
            except OSError:
                pass
        raise
    return [target, units_pq]


def _sql_str(p: Path) -> str:
    return str(p).replace("'", "''")


def query(outdir: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Run `sql` on OUTDIR/fzparse.duckdb (read-only)."""
    import duckdb
    con = duckdb.connect(str(Path(outdir) / DUCKDB_FILE), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()
