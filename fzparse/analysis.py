"""The run tables, written while the run goes, in plan order, from each document's rows file
(OUTDIR/.fzparse/rows/*.rows), so that memory does not grow with the run and little is left for
its end:

- `documents.csv`, `nodes.csv`, `assignments.csv`, `references.csv` — as `export.write_tables`
  writes them (UTF-8 with BOM, formula cells neutralised);
- `units.csv` (a row per canonical unit × node × role, in document order) and `units.jsonl` (a
  line per canonical unit, in order of first mention, with its nodes by role);
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

A document's rows file is made by the work, in parallel: its lines of every CSV table and its
rows as JSON lines `[doc_id, ...]`. The parent only appends those bytes: to the CSV files, and to
one spool file per table. At the end DuckDB (one thread, a memory limit, spilling to disk) types
the spools into tables, writes the Parquet files and the database from them, and groups the
assignments into units.jsonl and the units table. The parent never imports pyarrow (with pandas,
which pyarrow loads, ~80 MB in every process forked after it).

Every file is written to a temporary name and renamed: a killed run leaves the previous tables.
"""
from __future__ import annotations

import importlib.util
import json
import logging
import os
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import BinaryIO

import orjson

from . import export
from .manifest import syncfs
from .units import UNIT_INDEX_COLUMNS, filter_rows

log = logging.getLogger("fzparse")

PARQUET_DIR = "parquet"
DUCKDB_FILE = "fzparse.duckdb"
# one thread and a small buffer pool: memory must not grow with the run (DuckDB spills to its own
# temporary folder); insertion order kept, so that every table is in plan order. A checkpoint at
# every commit: a table made goes straight into the database file instead of through the
# write-ahead log first (written, synced, then copied by the CHECKPOINT after it) — a tenth of the
# commit, for a file that is a temporary one until it is complete anyway
DUCKDB_CONFIG = {"threads": 1, "memory_limit": "64MB", "preserve_insertion_order": True, "checkpoint_threshold": "1kB"}
ROW_GROUP_ROWS = 16384           # DuckDB holds a Parquet row group in memory while it writes it
BUFFER = 256 * 1024              # per table file: a write call per ~25 documents, not several per document
FETCH_ROWS = 4096
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
CSV_TABLES = {**export.COLUMNS, "units": UNIT_INDEX_COLUMNS}


# ----------------------------------------------------------------------------- a document's rows file

A = {c: i for i, c in enumerate(export.ASSIGNMENT_COLUMNS)}


def unit_rows(assignments: list[list]) -> list[list]:
    """units.csv: a row per canonical unit × node × role, from the assignment rows."""
    return [[a[A["canonical"]] or a[A["unit"]], a[A["kind"]], a[A["role"]], a[A["key"]], a[A["node_id"]],
             a[A["path"]], a[A["node_title"]], a[A["explicit"]], a[A["confidence"]]] for a in assignments]


def rows_file(table: dict[str, list[list]], doc_id: str) -> bytes:
    """What the work writes beside a document's JSON: a header line (the columns, and the name and
    length of each section), then the sections — the document's lines of each CSV table and its
    rows as JSON lines — so that adding the document to the run tables is copying bytes."""
    sections = _sections(table, doc_id)
    head = {"columns": export.COLUMNS, "sections": [[name, len(data)] for name, data in sections.items()]}
    return orjson.dumps(head) + b"\n" + b"".join(sections.values())


def _sections(table: dict[str, list[list]], doc_id: str, min_confidence: float = 0.0) -> dict[str, bytes]:
    """`csv:NAME` (the CSV lines of each table of CSV_TABLES) and `rows:NAME` (a JSON line
    `[doc_id, ...]` per row of each export table); `min_confidence` leaves the less sure units out
    of the assignments and units."""
    if min_confidence > 0:
        table = {**table, "assignments": filter_rows(table["assignments"], min_confidence, "confidence",
                                                     export.ASSIGNMENT_COLUMNS)}
    out = {f"csv:{name}": _csv_lines(table[name]) for name in export.COLUMNS}
    out["csv:units"] = _csv_lines(unit_rows(table["assignments"]))
    for name in export.COLUMNS:
        out[f"rows:{name}"] = b"".join(orjson.dumps([doc_id, *row], default=str) + b"\n" for row in table[name])
    return out


def _csv_lines(data: list[list]) -> bytes:
    """The lines export.csv_text writes for `data`, without its BOM and header."""
    return export.csv_lines(data).encode("utf-8")


def _read_rows_file(path: Path | str, doc_id: str, min_confidence: float) -> dict[str, bytes | memoryview] | None:
    """A document's sections for this run's tables; None (and a warning) when its rows file cannot
    be read. The sections are used as written unless the file was made for other columns (an
    older fzparse) or this run leaves units out: then they are made again from its rows."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
        end = data.find(b"\n")
        end = len(data) if end < 0 else end
        head = orjson.loads(data[:end])
        columns = head.get("columns", {})
        if "sections" in head:
            body = memoryview(data)[end + 1:]        # sections sliced, not copied
            sections, at = {}, 0
            for name, size in head["sections"]:
                sections[name] = body[at:at + size]
                at += size
            if at != len(body):
                raise ValueError(f"{len(body)} bytes where the header says {at}")
            if columns == export.COLUMNS and min_confidence <= 0:
                return sections
            table = {name: [orjson.loads(line)[1:] for line in bytes(sections.get(f"rows:{name}", b"")).splitlines()]
                     for name in columns}
        else:                           # written before rows files had sections: one JSON object
            table = head.get("rows", {})
        return _sections(_on_todays_columns(table, columns), doc_id, min_confidence)
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError) as err:
        log.warning("%s: unreadable table rows (%s); the document is left out of the tables", path, err)
        return None


def _on_todays_columns(table: dict[str, list[list]], columns: dict[str, list[str]]) -> dict[str, list[list]]:
    """The rows mapped onto today's export.COLUMNS (a column the file lacks is empty)."""
    out = {}
    for name, want in export.COLUMNS.items():
        have = columns.get(name, want)
        if have == want:
            out[name] = table.get(name, [])
        else:
            at = {c: i for i, c in enumerate(have)}
            out[name] = [[r[at[c]] if c in at and at[c] < len(r) else None for c in want]
                         for r in table.get(name, [])]
    return out


# ----------------------------------------------------------------------------- the run's tables

class Tables:
    """The run tables, written as documents are added (in plan order): `add()` appends a
    document's rows file, `commit()` puts the tables in place, `abort()` leaves the previous ones.
    `min_confidence` leaves less sure units out of assignments and units (the JSON keeps all)."""

    def __init__(self, outdir: Path, scratch: Path, analysis: bool = True, min_confidence: float = 0.0):
        self.outdir = Path(outdir)
        self.scratch = Path(scratch)          # spools and DuckDB's temporary files
        self.min_confidence = min_confidence
        self.duckdb = importlib.util.find_spec("duckdb") is not None    # imported at the end only
        if not self.duckdb:
            log.warning("duckdb is not installed: no units.jsonl, Parquet dataset or DuckDB database for this run")
        self.analysis = analysis and self.duckdb
        self.outputs = ExitStack()            # the CSV tables' temporary files, renamed by commit()
        self.csv: dict[str, BinaryIO] = {}
        self.spools: dict[str, tuple[str, BinaryIO]] = {}
        try:
            for name, columns in CSV_TABLES.items():
                tmp = self.outputs.enter_context(export.atomic_path(self.outdir / f"{name}.csv"))
                self.csv[name] = fh = open(tmp, "wb", buffering=BUFFER)
                fh.write("\ufeff".encode("utf-8") + _csv_lines([columns]))
            # every table for the analysis outputs; else only the assignments, for units.jsonl
            spooled = list(export.COLUMNS) if self.analysis else ["assignments"] if self.duckdb else []
            self.scratch.mkdir(parents=True, exist_ok=True)
            for name in spooled:
                fd, path = tempfile.mkstemp(prefix=f".{name}.jsonl.", suffix=".tmp", dir=self.scratch)
                self.spools[name] = (path, os.fdopen(fd, "wb", buffering=BUFFER))
        except BaseException as err:
            self.abort(err)
            raise

    def add(self, rows: Path | str, doc_id: str) -> None:
        sections = _read_rows_file(rows, doc_id, self.min_confidence)
        if sections is None:
            return
        for name, fh in self.csv.items():
            fh.write(sections[f"csv:{name}"])
        for name, (_, fh) in self.spools.items():
            fh.write(sections[f"rows:{name}"])

    def commit(self) -> None:
        """The CSV tables in place, then what DuckDB makes of the spools (if it fails, the CSV
        tables stand and a warning says why the rest is missing)."""
        try:
            try:
                self._close_files()
                syncfs(self.outdir)           # the tables reach the disk before their names
            except BaseException as err:
                self.abort(err)
                raise
            self.outputs.close()
            if self.spools:
                try:
                    self._duckdb()
                except Exception as err:
                    log.warning("no units.jsonl%s for this run: %s",
                                ", Parquet dataset or DuckDB database" if self.analysis else "", err)
        finally:
            self._drop_spools()

    def abort(self, err: BaseException) -> None:
        """Called with the error that stops the run: every temporary file is removed."""
        self._close_files()
        self.outputs.__exit__(type(err), err, err.__traceback__)   # as when the blocks of atomic_path fail
        self._drop_spools()

    def _close_files(self) -> None:
        for fh in [*self.csv.values(), *(fh for _, fh in self.spools.values())]:
            fh.close()

    def _drop_spools(self) -> None:
        for path, fh in self.spools.values():
            fh.close()
            try:
                os.unlink(path)
            except OSError:
                pass

    def _duckdb(self) -> None:
        import duckdb
        with ExitStack() as outputs:          # each file renamed into place when all are made
            def temporary(target: Path, by_duckdb: bool = False) -> str:
                tmp = outputs.enter_context(export.atomic_path(target))
                if by_duckdb:
                    os.unlink(tmp)            # DuckDB makes the file itself
                return tmp

            if self.analysis:
                (self.outdir / PARQUET_DIR).mkdir(parents=True, exist_ok=True)
                database = temporary(self.outdir / DUCKDB_FILE, by_duckdb=True)
                outputs.callback(_remove, database + ".wal")
            con = duckdb.connect(database if self.analysis else ":memory:",
                                 config={**DUCKDB_CONFIG, "temp_directory": str(self.scratch / "duckdb-tmp")})
            try:
                for name, (spool, _) in self.spools.items():
                    con.execute(f'CREATE TABLE "{name}" AS {_typed_spool(name, spool)}')
                    if self.analysis:
                        _copy_to_parquet(con, name, temporary(self.outdir / PARQUET_DIR / f"{name}.parquet", True))
                        con.execute("CHECKPOINT")     # the table in the database file: its memory may go (made so
                                                      # already, by the commit: see DUCKDB_CONFIG)
                with open(temporary(self.outdir / "units.jsonl"), "w", encoding="utf-8", newline="") as fh:
                    _write_unit_index(con, fh)
                if self.analysis:
                    con.execute(f"CREATE TABLE units AS {UNITS_SQL}")
                    _copy_to_parquet(con, "units", temporary(self.outdir / PARQUET_DIR / "units.parquet", True))
                    con.execute("CHECKPOINT")
            finally:
                con.close()
            syncfs(self.outdir)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _cast(column: str, value: str) -> str:
    """SQL for a cell of `column` from its text (JSON numbers and booleans arrive as their text):
    typed as the column is, NULL where it does not convert."""
    if column in INT_COLUMNS:
        return f"TRY_CAST({value} AS BIGINT)"
    if column in BOOL_COLUMNS:
        return f"TRY_CAST({value} AS BOOLEAN)"
    if column in DATE_COLUMNS:
        return f"TRY_CAST(left({value}, 10) AS DATE)"
    if column in FLOAT_COLUMNS:
        return f"TRY_CAST({value} AS DOUBLE)"
    return value


def _typed_spool(name: str, spool: str) -> str:
    """A SELECT of a spool (a JSON line `[doc_id, ...]` per row) as the typed table `name`."""
    cells = ['j[1] AS "doc_id"'] + [f'{_cast(c, f"j[{i}]")} AS "{c}"' for i, c in enumerate(export.COLUMNS[name], 2)]
    return (f"SELECT {', '.join(cells)} FROM read_ndjson('{_sql_str(spool)}', columns={{'j': 'VARCHAR[]'}}, "
            "records=false)")


def _copy_to_parquet(con, table: str, target: str) -> None:
    con.execute(f"COPY \"{table}\" TO '{_sql_str(target)}' (FORMAT parquet, COMPRESSION zstd, "
                f"ROW_GROUP_SIZE {ROW_GROUP_ROWS})")


# units.jsonl: the assignments (in plan order: rowid) grouped by canonical unit, in order of first
# mention, and within a unit by role, in order of first mention
UNIT_INDEX_SQL = """
SELECT name, kind, role, to_json(struct_pack(key := key, node_id := node_id, title := node_title)) FROM (
    SELECT *, min(seq) OVER (PARTITION BY name) AS first_of_unit,
              min(seq) OVER (PARTITION BY name, role) AS first_of_role
    FROM (SELECT coalesce(nullif(canonical, ''), unit) AS name, kind, role, key, node_id, node_title,
                 rowid AS seq
          FROM assignments))
ORDER BY first_of_unit, first_of_role, seq
"""


def _write_unit_index(con, fh) -> None:
    """units.jsonl, a line per canonical unit (like the manifest; no document output is .jsonl),
    in compact JSON: streamed from DuckDB, one unit in memory at a time. DuckDB writes each
    assignment's JSON; Python only joins them (building the objects here was most of the cost)."""
    def text(value) -> str:
        return json.dumps(value, ensure_ascii=False)

    cursor = con.execute(UNIT_INDEX_SQL)
    unit = kind = role = None
    roles: list[str] = []        # the unit's '"role":[...]' parts
    items: list[str] = []        # the current role's assignments

    def close_role() -> None:
        roles.append(f"{text(role)}:[{','.join(items)}]")
        items.clear()

    def close_unit() -> None:
        close_role()
        fh.write(f'{{"unit":{text(unit)},"kind":{text(kind)},"roles":{{{",".join(roles)}}}}}\n')
        roles.clear()

    while batch := cursor.fetchmany(FETCH_ROWS):
        for name, name_kind, name_role, item in batch:
            if name != unit:
                if unit is not None:
                    close_unit()
                unit, kind, role = name, name_kind, name_role
            elif name_role != role:
                close_role()
                role = name_role
            items.append(item)
    if unit is not None:
        close_unit()


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


def _sql_str(p: Path | str) -> str:
    return str(p).replace("'", "''")


def query(outdir: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Run `sql` on OUTDIR/fzparse.duckdb (read-only)."""
    import duckdb
    con = duckdb.connect(str(Path(outdir) / DUCKDB_FILE), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()
