"""The run manifest: `manifest.jsonl` and `manifest.csv` in OUTDIR, a line per input.

Each entry: input (as given; for an archive member, the archive), member, output (the JSON,
relative to OUTDIR), status (ok / failed / skipped), reason, sha256, bytes, format,
fzparse_version, outputs, seconds, finished_at, worker.

While a run goes, every finished input is appended to both files and flushed at once (fsync
at most once a second), so a run killed at any moment loses at most the inputs in flight; a torn
last line is ignored when the manifest is read back. At the end both files are rewritten
atomically with exactly one entry per input of the run, in plan order (from the lines already
made; not at all when the appended files hold exactly that, as after a fresh run in order).
"""
from __future__ import annotations

import json
import operator
import os
import time
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

from .export import csv_lines, csv_text, write_atomic

JSONL = "manifest.jsonl"
CSV = "manifest.csv"


@dataclass(slots=True)
class Entry:
    input: str
    status: str                       # 'ok' | 'failed' | 'skipped'
    member: str = ""
    output: str = ""                  # the JSON, relative to OUTDIR ('' when none is planned)
    reason: str = ""
    sha256: str = ""
    bytes: int | None = None
    format: str = ""
    fzparse_version: str = ""
    outputs: list[str] = field(default_factory=list)
    seconds: float = 0.0
    finished_at: str = ""
    worker: str = ""

    @property
    def id(self) -> str:
        """What identifies an input across runs: its planned output, else its name."""
        return self.output or (self.input + ("!" + self.member if self.member else ""))

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in _NAMES}

    def as_row(self) -> list:
        d = self.as_dict()
        d["outputs"] = ";".join(self.outputs)
        d["seconds"] = round(self.seconds, 4)
        return [d[c] for c in COLUMNS]


COLUMNS = ["input", "member", "output", "status", "reason", "sha256", "bytes", "format", "fzparse_version",
           "outputs", "seconds", "finished_at", "worker"]
_NAMES = [f.name for f in fields(Entry)]
_FIELDS = set(_NAMES)


_now: tuple[int, str] = (-1, "")


def now() -> str:
    """The time, to the second, in UTC (made once a second: it is asked for every entry)."""
    global _now
    second = int(time.time())
    if second != _now[0]:
        _now = (second, datetime.fromtimestamp(second, timezone.utc).isoformat(timespec="seconds"))
    return _now[1]


def load(outdir: Path) -> dict[str, Entry]:
    """The last entry per input id in OUTDIR/manifest.jsonl ({} when there is none)."""
    path = Path(outdir) / JSONL
    entries: dict[str, Entry] = {}
    try:
        fh = path.open("r", encoding="utf-8", errors="replace")
    except OSError:
        return entries
    with fh:
        for line in fh:
            if not line.endswith("\n"):
                break                            # torn by a kill
            try:
                d = json.loads(line)
            except ValueError:
                continue
            if not isinstance(d, dict) or "input" not in d or "status" not in d:
                continue
            e = Entry(**{k: v for k, v in d.items() if k in _FIELDS})
            entries[e.id] = e
    return entries


def _jsonl_line(e: Entry) -> str:
    return json.dumps(e.as_dict(), ensure_ascii=False) + "\n"


def _csv_line(e: Entry) -> bytes:
    return csv_lines([e.as_row()]).encode("utf-8")


def _csv_text(entries: Iterable[Entry]) -> bytes:
    return csv_text(COLUMNS, [e.as_row() for e in entries]).encode("utf-8")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def syncfs(folder: Path) -> None:
    """Flush the file system holding `folder` in one go (Linux syncfs; elsewhere os.sync)."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        fd = os.open(folder, os.O_RDONLY)
        try:
            if libc.syncfs(fd) == 0:
                return
        finally:
            os.close(fd)
    except (OSError, AttributeError):
        pass
    if hasattr(os, "sync"):
        os.sync()


class Writer:
    """Appends entries as they finish; `close(final)` rewrites both files with the run's entries
    (an entry is not to change once appended: when `final` is the appended entries themselves, in
    the order appended, after no carried ones, the files already hold it and stay as they are)."""

    def __init__(self, outdir: Path, carried: Iterable[Entry] = ()):
        self.outdir = Path(outdir)
        self.outdir.mkdir(parents=True, exist_ok=True)
        carried = list(carried)
        # start from a clean copy of what the last run left (a torn line dropped): kept until the
        # end of this run, so a run killed before any input finished loses nothing
        write_atomic(self.outdir / JSONL, "".join(map(_jsonl_line, carried)))
        write_atomic(self.outdir / CSV, _csv_text(carried))
        self._carried = bool(carried)
        # unbuffered descriptors: a line is one write(2) each, the file holds it at once
        self._jsonl = os.open(self.outdir / JSONL, os.O_WRONLY | os.O_APPEND | os.O_CLOEXEC)
        self._csv = os.open(self.outdir / CSV, os.O_WRONLY | os.O_APPEND | os.O_CLOEXEC)
        self._appended: list[Entry] = []  # (the run holds them anyway)
        self._closed = False
        self._synced = time.monotonic()

    def append(self, e: Entry) -> None:
        _write_all(self._jsonl, _jsonl_line(e).encode("utf-8"))
        _write_all(self._csv, _csv_line(e))
        self._appended.append(e)
        if time.monotonic() - self._synced > 1.0:
            self.sync()

    def sync(self) -> None:
        syncfs(self.outdir)             # the outputs these lines name reach the disk first
        for fd in (self._jsonl, self._csv):
            os.fsync(fd)
        self._synced = time.monotonic()

    def close(self, final: Iterable[Entry] | None = None) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self.sync()
        finally:
            os.close(self._jsonl)
            os.close(self._csv)
        if final is None:
            return
        final = list(final)
        if not self._carried and len(final) == len(self._appended) and all(map(operator.is_, final, self._appended)):
            return                      # the files already hold exactly these lines, in this order, synced
        write_atomic(self.outdir / JSONL, "".join(map(_jsonl_line, final)))
        write_atomic(self.outdir / CSV, _csv_text(final))
