"""The batch runner: many inputs → one output folder. A thin shell over `parse`.

`plan()` maps inputs (files, folders, `.zip`/`.tar(.gz)` archives) to outputs; `run()` parses
them — in this process (`jobs=1`), in worker processes, or on dask (`engine="dask"`) — keeps the
manifest (fzparse/manifest.py), skips inputs unchanged since the last run, and writes the run
tables (CSV, and Parquet + DuckDB through fzparse/analysis.py) as the documents come in.

The work does all it can per document, in parallel: it parses, makes the document's JSON and its
rows file (its lines of every run table, fzparse/analysis.py), and writes both atomically
(temporary file, rename), the JSON last. An input counts as done only when its manifest line is
written after both files exist; the parent only appends rows files to the run tables, in plan
order.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import operator
import os
import re
import socket
import sys
import time
import traceback
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import __version__
from . import archive as archive_mod
from . import limits as limits_mod
from . import manifest as manifest_mod
from .analysis import Tables, rows_file
from .errors import FzparseError, TimeLimitExceeded
from .export import rows, to_json, write_atomic
from .manifest import Entry
from .models import Document
from .pipeline import document_key, parse
from .read import HTML_EXTENSIONS, TEXT_EXTENSIONS

log = logging.getLogger("fzparse")

INPUT_EXTENSIONS = {".txt", ".text", ".html", ".htm", ".xhtml", ".shtml", ".pdf", ".docx", ".doc", ".wps"}
STATE_DIR = ".fzparse"               # inside OUTDIR: per-document table rows (hidden: reports skip it)
ROWS_DIR = f"{STATE_DIR}/rows"
UNCHANGED = "unchanged since the last run (same sha256 and fzparse version, outputs exist)"


@dataclass(slots=True)
class Job:
    source: Path                     # the file, or the archive holding `member`
    output: Path
    member: str | None = None        # the member's name as stored in the archive
    archive: str | None = None       # 'zip' | 'tar' when `member` is set
    # made by the plan, as strings (pathlib was most of the parent's cost per input): `output`
    # relative to OUTDIR, `/`-separated, and `display`
    rel: str = field(default="", compare=False, repr=False)
    shown: str = field(default="", compare=False, repr=False)

    @property
    def display(self) -> str:
        """The name messages and the manifest use: the file, or ARCHIVE/member."""
        if self.shown:
            return self.shown
        if self.member is None:
            return str(self.source)
        rel = archive_mod.safe_member_path(self.member)
        return str(self.source / rel) if rel is not None else f"{self.source}:{self.member}"


@dataclass(slots=True)
class Outcome:
    job: Job
    status: str                 # 'ok' | 'failed'
    reason: str | None = None
    seconds: float = 0.0
    document: Document | None = None


@dataclass(slots=True)
class RunResult:
    outcomes: list[Outcome] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)       # hidden, or not a notice format
    unchanged: list[Job] = field(default_factory=list)      # skipped: done by an earlier run
    entries: list[Entry] = field(default_factory=list)      # the manifest, in plan order
    seconds: float = 0.0

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status != "ok"]


# ----------------------------------------------------------------------------- planning

@dataclass(slots=True)
class Item:
    """One line of the plan: a job to parse, a file or member skipped, or a failure found early."""
    kind: str                        # 'job' | 'skip' | 'fail'
    source: Path
    job: Job | None = None
    member: str = ""
    reason: str = ""
    size: int | None = None
    group: int = -1                  # archive members: the index of their archive in the plan


def _is_archive(path: Path) -> str | None:
    return archive_mod.archive_kind(path)


def plan_items(inputs: list[Path], outdir: Path, limit: limits_mod.Limits | None = None) -> list[Item]:
    """Map inputs to outputs: a folder's sub-folders are mirrored, an archive `a.zip` is a folder
    `a.zip/` of its members; two inputs never share an output (colliding names keep their
    extension: a.txt → a.txt.json beside a.html.json)."""
    limit = limit or limits_mod.current()
    items: list[Item] = []
    # (item, file name, its folder in OUTDIR ('' or 'a/b'), what the job shows, member, archive
    # kind): strings, not paths
    pending: list[tuple[int, str, str, str, str | None, str | None]] = []
    seen: set[tuple[str, str]] = set()
    groups = 0

    def add_archive(f: Path, sub: str, kind: str) -> None:
        nonlocal groups
        groups += 1
        listing = archive_mod.list_members(f, kind, limit)
        if listing.error:
            items.append(Item("fail", f, reason=f"{f}: {listing.error}"))
        shown = str(f)
        under = _join(sub, f.name)
        for m in listing.members:
            if m.error:
                where = f / m.rel if m.rel is not None else f"{f}:{m.name!r}"
                items.append(Item("fail", f, member=m.name, reason=f"{where}: {m.error}", size=m.size))
                continue
            if m.skip:
                items.append(Item("skip", f, member=m.name, reason=m.skip, size=m.size))
                continue
            folder, _, name = m.rel.rpartition("/")
            suffix = _suffix(name)
            if suffix.lower() not in INPUT_EXTENSIONS:
                items.append(Item("skip", f, member=m.name, reason=f"not a notice format ({suffix or 'no extension'})",
                                  size=m.size))
                continue
            items.append(Item("job", f, member=m.name, size=m.size, group=groups))
            pending.append((len(items) - 1, name, _join(under, folder) if folder else under, f"{shown}/{m.rel}",
                            m.name, kind))

    for item in inputs:
        item = Path(item)
        if item.is_dir():
            for f in sorted(p for p in item.rglob("*") if p.is_file()):
                rel = f.relative_to(item)
                if any(part.startswith(".") for part in rel.parts):
                    items.append(Item("skip", f, reason="hidden file"))   # counted, not parsed
                    continue
                sub = "/".join(rel.parts[:-1])
                kind = _is_archive(f)
                if kind:
                    add_archive(f, sub, kind)
                    continue
                if f.suffix.lower() not in INPUT_EXTENSIONS:
                    items.append(Item("skip", f, reason=f"not a notice format ({f.suffix or 'no extension'})"))
                    continue
                if _once(seen, f, None):
                    items.append(Item("job", f))
                    pending.append((len(items) - 1, f.name, sub, str(f), None, None))
        else:
            kind = _is_archive(item) if item.is_file() else None
            if kind:
                add_archive(item, "", kind)
            elif _once(seen, item, None):
                items.append(Item("job", item))
                pending.append((len(items) - 1, item.name, "", str(item), None, None))
    targets: dict[str, list[int]] = {}
    for n, (_, name, sub, *_) in enumerate(pending):
        targets.setdefault(_join(sub, f"{document_key(name)}.json"), []).append(n)
    for target, members in targets.items():
        for n in members:
            at, name, sub, shown, member, kind = pending[n]
            rel = target if len(members) == 1 else _join(sub, f"{name}.json")
            items[at].job = Job(items[at].source, outdir / rel, member, kind, rel=rel, shown=shown)
    return items


def _join(folder: str, name: str) -> str:
    """`folder/name`, or `name` in OUTDIR itself (folder '')."""
    return f"{folder}/{name}" if folder else name


def _suffix(name: str) -> str:
    """PurePath(name).suffix, of a name without `/`."""
    i = name.rfind(".")
    return name[i:] if 0 < i < len(name) - 1 else ""


def _once(seen: set, f: Path, member: str | None) -> bool:
    try:
        key = (str(f.resolve()), member or "")
    except OSError:
        key = (str(f), member or "")
    if key in seen:
        return False
    seen.add(key)
    return True


def plan(inputs: list[Path], outdir: Path) -> tuple[list[Job], list[Path]]:
    """The jobs, and the files skipped (hidden, or not a notice format)."""
    items = plan_items(inputs, outdir)
    return ([i.job for i in items if i.kind == "job"],
            [i.source for i in items if i.kind == "skip" and not i.member])


# ----------------------------------------------------------------------------- the work

@dataclass(slots=True)
class Task:
    """One input for a worker: picklable, self-contained (dask sends it to another machine). The
    work reads and hashes the input itself — a file, or a member of a zip it opens — unless the
    parent had to read it: a tar member (a tar is one stream), or any member on dask (its workers
    need not see the archive)."""
    index: int
    input: str                      # display name
    output: str                     # absolute JSON path
    rows: str                       # absolute path of the rows file
    doc_id: str                     # the JSON's path in OUTDIR without `.json`: the tables' doc_id
    limits: limits_mod.Limits
    path: str | None = None         # a file on disk …
    archive: str | None = None      # … a member of this zip …
    member: str | None = None
    data: bytes | None = None       # … or a member's bytes
    unchanged_if: str | None = None  # the last run's sha256, when its outputs are all still there

    def __reduce__(self):
        # pickled for every input: its fields in order (half the time of the dataclass's __getstate__)
        return Task, _TASK_FIELDS(self)


@dataclass(slots=True)
class Result:
    index: int
    status: str                     # 'ok' | 'failed' | 'unchanged' (its sha256 is unchanged_if)
    reason: str = ""
    seconds: float = 0.0
    format: str = ""
    worker: str = ""
    traceback: str = ""
    sha256: str = ""                # of the input's bytes ('' when they could not be read)
    bytes: int | None = None

    def __reduce__(self):
        return Result, _RESULT_FIELDS(self)       # as Task.__reduce__


_TASK_FIELDS = operator.attrgetter(*(f.name for f in fields(Task)))
_RESULT_FIELDS = operator.attrgetter(*(f.name for f in fields(Result)))


def run_task(task: Task) -> Result:
    """Hash one input and, unless it is unchanged since the last run, parse it and write its rows
    file and its JSON atomically; never raises."""
    from .engines import deadline
    worker = f"{socket.gethostname()}:{os.getpid()}"
    try:
        data = archive_mod.read_zip_member(task.archive, task.member) if task.archive else task.data
    except archive_mod.MemberError as err:
        return Result(task.index, "failed", f"{task.input}: {err}", worker=worker)
    sha, size = (hashlib.sha256(data).hexdigest(), len(data)) if data is not None else sha256_file(Path(task.path))
    if task.unchanged_if and sha == task.unchanged_if:
        return Result(task.index, "unchanged", sha256=sha, bytes=size)
    t0 = time.perf_counter()
    try:
        try:
            with deadline(task.limits.seconds):
                if data is None:
                    doc = parse(task.path, task.limits)
                else:
                    doc = archive_mod.parse_member(task.input, data, task.limits)
                text = to_json(doc)
                table = rows_file(rows([doc]), task.doc_id)
        except TimeoutError as err:
            raise TimeLimitExceeded(task.input, str(err)) from None
        write_output(task.rows, table)
        write_output(task.output, text)
        return Result(task.index, "ok", seconds=time.perf_counter() - t0, format=doc.format or "", worker=worker,
                      sha256=sha, bytes=size)
    except FzparseError as err:
        return Result(task.index, "failed", str(err), time.perf_counter() - t0, worker=worker,
                      traceback=traceback.format_exc(), sha256=sha, bytes=size)
    except Exception as err:  # a bug must not stop the batch; it is reported like a failure
        return Result(task.index, "failed", f"{task.input}: internal error: {type(err).__name__}: {err}",
                      time.perf_counter() - t0, worker=worker, traceback=traceback.format_exc(), sha256=sha, bytes=size)


def sha256_of(task: Task) -> tuple[str, int | None]:
    """The input's hash when the work could not report it (its worker was killed or died)."""
    if task.data is not None:
        return hashlib.sha256(task.data).hexdigest(), len(task.data)
    if task.archive:
        try:
            data = archive_mod.read_zip_member(task.archive, task.member)
        except archive_mod.MemberError:
            return "", None
        return hashlib.sha256(data).hexdigest(), len(data)
    return sha256_file(Path(task.path))


WARM_UP_NOTICE = ("澜州市人民政府关于做好预热工作的通知\n澜府发〔2024〕1号\n各区县人民政府：\n现就有关事项通知如下。\n"
                  "一、加强组织领导。（牵头单位：市发展改革委；配合单位：各区县政府）\n澜州市人民政府\n2024年3月5日\n")


READERS = ("text", "html", "pdf", "docx")


def reader_of(name: str) -> str | None:
    """The reader a file or member is likely to need, from its extension (the bytes decide)."""
    ext = os.path.splitext(name)[1].lower()
    if ext in HTML_EXTENSIONS:
        return "html"
    if ext in (".pdf", ".docx"):
        return ext[1:]
    return "text" if ext in TEXT_EXTENSIONS else None


def warm_up(readers: Iterable[str] = READERS) -> None:
    """Import `readers` and parse a tiny notice once, so that a worker's first document does not
    pay for imports and lazy set-up (pdfium, lxml) inside its time limit. Only the readers the
    run needs: a run of text files must not wait for the PDF library before its first worker."""
    import importlib
    readers = set(readers)
    for name in READERS:
        if name in readers:
            try:
                importlib.import_module(f"fzparse.read.{name}")
            except ImportError:  # pragma: no cover - an optional reader missing is reported when used
                pass
    samples = [("warm-up.txt", WARM_UP_NOTICE.encode())]          # the pipeline, whatever the format
    if "html" in readers:
        html = "<html><body>" + "".join(f"<p>{ln}</p>" for ln in WARM_UP_NOTICE.splitlines()) + "</body></html>"
        samples.append(("warm-up.html", html.encode()))
    for name, data in samples:
        try:
            doc = archive_mod.parse_member(name, data)
            to_json(doc)
            rows_file(rows([doc]), name)
        except Exception:  # warming up is best effort
            log.debug("warm-up of %s failed", name, exc_info=True)


def write_output(path: Path | str, data: str | bytes) -> None:
    """Atomic like export.write_atomic (a temporary file beside the target, then a rename: a kill
    at any moment leaves the old file or the new one, never half of one), without an fsync per
    file: the run syncs the output file system once a second, before the manifest lines that
    name these files are synced (manifest.Writer.sync), instead of a journal commit per file."""
    write_atomic(path, data, fsync=False)


def sha256_file(path: Path) -> tuple[str, int | None]:
    h = hashlib.sha256()
    n = 0
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
                n += len(chunk)
    except OSError:
        return "", None
    return h.hexdigest(), n


def _whole(path: Path | str) -> bool:
    """The file is there and not empty (what a crash of the machine between checkpoints may leave)."""
    try:
        return os.stat(path).st_size > 0
    except OSError:
        return False


_TMP = re.compile(r"^\..+\.[A-Za-z0-9_]{6,}\.tmp(\.wal)?$")


def sweep_temporaries(outdir: Path) -> int:
    """Remove what write_atomic leaves when a run is killed mid-write (`.NAME.XXXXXXXX.tmp`, and
    the journal DuckDB keeps beside a database it is building, `.tmp.wal`)."""
    removed = 0
    for root, _, files in os.walk(outdir):
        for name in files:
            if _TMP.match(name):
                try:
                    os.unlink(os.path.join(root, name))
                    removed += 1
                except OSError:
                    pass
    return removed


def rows_path(outdir: Path, rel: str) -> str:
    """The rows file of the JSON `rel` (a string: made twice per document, and pathlib's joins
    were the parent's largest cost per document after the run tables themselves)."""
    return os.path.join(outdir, ROWS_DIR, f"{rel}.rows")


# ----------------------------------------------------------------------------- the run

def run(inputs: list[Path], outdir: Path, limits: limits_mod.Limits | None = None, *, jobs: int = 1,
        engine: str = "local", scheduler: str | None = None, force: bool = False, progress: bool = False,
        on_entry: Callable[[Entry], None] | None = None, analysis: bool = True, min_confidence: float = 0.0,
        work: Callable[[Task], Result] | None = None) -> RunResult:
    """Parse `inputs` into `outdir`. `jobs` worker processes (1: in this process), or `engine='dask'`
    (a LocalCluster of `jobs` workers, or `scheduler`). Inputs whose sha256 and fzparse version
    match the manifest and whose outputs exist are skipped unless `force`."""
    t_start = time.perf_counter()
    limit = limits or limits_mod.current()
    outdir = Path(outdir)
    items = plan_items(list(inputs), outdir, limit)
    outdir.mkdir(parents=True, exist_ok=True)
    lock = _lock(outdir)                  # one run per OUTDIR at a time; a killed run's lock is gone with it
    sweep_temporaries(outdir)
    absout = outdir.resolve()
    previous = manifest_mod.load(outdir)
    writer = manifest_mod.Writer(outdir, previous.values())
    entries: list[Entry | None] = [None] * len(items)
    result = RunResult()
    work = work or run_task
    bar = _progress(len(items)) if progress else None
    failures = [0]
    tables: Tables | None = None
    tabled = 0                            # entries[:tabled] are in the run tables

    def rel_of(job: Job) -> str:
        return job.rel or job.output.relative_to(outdir).as_posix()

    def record(idx: int, entry: Entry) -> None:
        nonlocal tabled
        entry.finished_at = entry.finished_at or manifest_mod.now()
        entries[idx] = entry
        writer.append(entry)
        item = items[idx]
        if entry.status == "failed":
            if item.job is not None:          # a stale output of an earlier run must not outlive a failure
                for stale in (item.job.output, rows_path(outdir, entry.output)):
                    try:
                        os.unlink(stale)
                    except OSError:
                        pass
            log.debug("%s", entry.reason)
        if bar is not None:
            bar.update(1)
            if entry.status == "failed":
                failures[0] += 1
                bar.set_postfix_str(f"{failures[0]} failed", refresh=False)
        if on_entry is not None:
            on_entry(entry)
        # the run tables are in plan order: a document goes in once every input before it is done
        # (results come back out of order; what waits is only its manifest entry, held anyway)
        while tabled < len(entries) and (done := entries[tabled]) is not None:
            if done.outputs and done.status in ("ok", "skipped"):
                tables.add(rows_path(outdir, done.output), done.output.removesuffix(".json"))
            tabled += 1

    def base_entry(idx: int) -> Entry:
        item = items[idx]
        job = item.job
        e = Entry(input=str(item.source), status="", member=item.member, bytes=item.size,
                  fzparse_version=__version__)
        if job is not None:
            e.output = rel_of(job)
        return e

    def unchanged_if(entry: Entry) -> str | None:
        """The sha256 that makes an input unchanged since the last run (the work compares it):
        the last run's, if it finished the input with this version and its outputs are all there."""
        prev = previous.get(entry.id)
        if force or prev is None or prev.status not in ("ok", "skipped") or not prev.outputs or not prev.sha256:
            return None
        if prev.fzparse_version != __version__ or prev.output != entry.output:
            return None
        if not (all(_whole(outdir / o) for o in prev.outputs) and _whole(rows_path(outdir, entry.output))):
            return None
        return prev.sha256

    def carry(idx: int, entry: Entry) -> None:
        prev = previous[entry.id]
        entry.status, entry.reason = "skipped", UNCHANGED
        entry.outputs, entry.format = list(prev.outputs), prev.format
        record(idx, entry)

    pending: dict[int, Entry] = {}

    def task_for(idx: int, data: bytes | None = None) -> Task:
        job = items[idx].job
        pending[idx] = entry = base_entry(idx)
        task = Task(idx, job.display, os.path.join(absout, entry.output), rows_path(absout, entry.output),
                    entry.output.removesuffix(".json"), limit, data=data, unchanged_if=unchanged_if(entry))
        if data is None and job.member is None:
            task.path = str(job.source)
        elif data is None:
            task.archive, task.member = str(job.source), job.member
        return task

    def produce() -> Iterator[Task]:
        i = 0
        while i < len(items):
            item = items[i]
            if item.kind != "job":
                e = base_entry(i)
                e.status, e.reason = ("skipped" if item.kind == "skip" else "failed"), item.reason
                if item.kind == "skip" and not item.member and item.reason != "hidden file":
                    e.sha256, e.bytes = sha256_file(item.source)
                record(i, e)
                i += 1
                continue
            if item.job.member is None or (item.job.archive == "zip" and runner.reads_members):
                yield task_for(i)            # the work reads the file, or the member from the zip
                i += 1
                continue
            # the members of a tar (or of any archive on dask): read here, in one pass, in archive order
            j = i
            while j < len(items) and items[j].kind == "job" and items[j].group == item.group:
                j += 1
            group = list(range(i, j))
            wanted = {items[k].member: k for k in group}
            listing = [archive_mod.Member(items[k].member, archive_mod.safe_member_name(items[k].member),
                                          items[k].size or 0) for k in group]
            for m, data, err in archive_mod.iter_member_bytes(item.source, item.job.archive, listing, limit):
                k = wanted[m.name]
                if err:
                    e = base_entry(k)
                    e.status, e.reason = "failed", f"{items[k].job.display}: {err}"
                    record(k, e)
                    continue
                yield task_for(k, data)
            i = j

    runner = _engine(engine, work, jobs, scheduler, items)
    completed = False
    try:
        tables = Tables(outdir, outdir / STATE_DIR, analysis=analysis, min_confidence=min_confidence)
        for res in runner.run(produce(), seconds_of=lambda t: t.limits.seconds):
            if isinstance(res, Result):
                e = pending.pop(res.index)
                if res.sha256:
                    e.sha256, e.bytes = res.sha256, res.bytes
                if res.status == "unchanged":
                    carry(res.index, e)
                    continue
                # the same few worker names and formats over and over: one string each, not one per entry
                e.status, e.reason, e.seconds, e.worker = res.status, res.reason, res.seconds, sys.intern(res.worker)
                e.format = sys.intern(res.format)
                if res.status == "ok":
                    e.outputs = [e.output]
                elif res.traceback:
                    log.debug("%s\n%s", res.reason, res.traceback.rstrip())
                record(res.index, e)
            else:                                   # engines.Killed: the parent stopped or lost the worker
                e = pending.pop(res.task.index)
                sha, size = sha256_of(res.task)
                if sha:
                    e.sha256, e.bytes = sha, size
                why = TimeLimitExceeded if res.reason == "timeout" else None
                e.status, e.seconds, e.worker = "failed", res.seconds, res.worker
                e.reason = (str(why(res.task.input, res.detail)) if why else f"{res.task.input}: {res.detail}")
                record(res.task.index, e)
        completed = True
    except BaseException as err:
        if tables is not None:
            tables.abort(err)
        raise
    finally:
        runner.close()
        archive_mod.close_zip()           # what this process opened (in-process work, a killed task's hash)
        if bar is not None:
            bar.close()
            global _bar
            _bar = None
        final = [e for e in entries if e is not None]
        writer.close(final if completed else None)
        if not completed:
            lock.close()
    result.entries = final
    for item, e in zip(items, entries):
        if e is None:
            continue
        if e.status == "skipped" and e.reason == UNCHANGED:
            result.unchanged.append(item.job)
        elif e.status == "skipped":
            result.skipped.append(item.source if not item.member else Path(str(item.source)) / item.member)
        else:
            job = item.job or Job(item.source, outdir, item.member or None)
            result.outcomes.append(Outcome(job, e.status, e.reason or None, e.seconds))
    try:
        tables.commit()
    finally:
        lock.close()
    result.seconds = time.perf_counter() - t_start
    return result


class OutputBusy(RuntimeError):
    """Another run is writing to the same OUTDIR."""


def _lock(outdir: Path):
    state = outdir / STATE_DIR
    state.mkdir(parents=True, exist_ok=True)
    fh = open(state / "lock", "a+")
    try:
        import fcntl
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except ImportError:  # pragma: no cover - not POSIX: no lock
        pass
    except OSError:
        fh.close()
        raise OutputBusy(f"another fzparse run is writing to {outdir}") from None
    return fh


def _engine(name: str, work, jobs: int, scheduler: str | None, items: list[Item]):
    from . import engines
    todo = [i for i in items if i.kind == "job"]
    warm = functools.partial(warm_up, sorted({reader_of(i.member or str(i.source)) for i in todo} - {None}))
    if name == "dask" or scheduler:
        return engines.Dask(work, jobs, scheduler, warm_up=warm)
    if jobs <= 1 or len(todo) <= 1:
        return engines.InProcess(work)
    return engines.Processes(work, min(jobs, len(todo)), warm_up=warm)


_bar = None


def say(line: str) -> None:
    """A line on stderr that does not tear the progress bar."""
    import sys
    if _bar is not None:
        _bar.write(line, file=sys.stderr)
    else:
        print(line, file=sys.stderr, flush=True)


def _progress(total: int):
    """A bar with files/s and ETA when stderr is a terminal and not CI; None otherwise."""
    import sys
    if not sys.stderr.isatty() or os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return None
    try:
        import tqdm
    except ImportError:
        return None
    global _bar
    tqdm.tqdm.monitor_interval = 0        # no monitor thread: worker processes are forked
    _bar = tqdm.tqdm(total=total, unit="file", file=sys.stderr, dynamic_ncols=True, smoothing=0.1,
                     desc="fzparse", leave=True)
    return _bar
