"""The manifest's lines are what json.dumps and csv.writer write (formula cells neutralised);
the files at the end hold the run's entries in plan order, whatever order they finished in and
whatever the last run left."""
from __future__ import annotations

import csv
import io
import json
import os

import pytest

from fzparse import export, manifest
from fzparse.manifest import Entry

AWKWARD = ['a"b\\c', "line\nbreak\r\ttab\x00\x01\x1f\x7f", "中文：（通知）", "emoji 🙂 \u2028\u2029 \ufeff",
           "=SUM(A1)", "-1", "+x", "@y", "\tz", "\rw", "", "comma, and ;semi"]


def entries() -> list[Entry]:
    out = [Entry(input=f"/in/{i}.txt", status="ok", output=f"{i}.json", outputs=[f"{i}.json"], seconds=0.01 * i,
                 sha256="ab" * 32, bytes=i * 100, format="text", fzparse_version="0.1.0",
                 finished_at="2026-01-01T00:00:00+00:00", worker="host:1") for i in range(5)]
    for i, text in enumerate(AWKWARD):
        out.append(Entry(input=text, status="failed", member=text, reason=text, worker=text, bytes=None,
                         outputs=[text, text + "2"] if i % 2 else [], seconds=[0.0, 1e-05, 1e16, 123.456][i % 4]))
    return out


def old_jsonl(e: Entry) -> bytes:
    return (json.dumps(e.as_dict(), ensure_ascii=False) + "\n").encode("utf-8")


def old_csv(es, header: bool = False) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if header:
        w.writerow(manifest.COLUMNS)
    for e in es:
        w.writerow([export.safe_cell(v) for v in e.as_row()])
    return (("\ufeff" if header else "") + buf.getvalue()).encode("utf-8")


@pytest.mark.parametrize("e", entries(), ids=lambda e: repr(e.input[:12]))
def test_csv_lines_are_what_csv_writes(e):
    assert manifest._csv_line(e) == old_csv([e])


def read(path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


@pytest.mark.parametrize("carried", [False, True])
def test_the_files_end_in_plan_order(tmp_path, carried):
    es = entries()
    previous = [Entry(input="/old.txt", status="ok", output="old.json", outputs=["old.json"])] if carried else []
    w = manifest.Writer(tmp_path, previous)
    for e in reversed(es):                                 # finished out of order
        w.append(e)
    assert read(tmp_path / manifest.JSONL) == b"".join(map(old_jsonl, previous + es[::-1]))
    assert read(tmp_path / manifest.CSV) == old_csv(previous + es[::-1], header=True)
    w.close(es)
    assert read(tmp_path / manifest.JSONL) == b"".join(map(old_jsonl, es))
    assert read(tmp_path / manifest.CSV) == old_csv(es, header=True)
    assert list(manifest.load(tmp_path)) == [e.id for e in es]


def test_files_already_in_order_are_kept_as_they_are(tmp_path):
    es = entries()
    w = manifest.Writer(tmp_path)
    for e in es:
        w.append(e)
    inodes = [os.stat(tmp_path / name).st_ino for name in (manifest.JSONL, manifest.CSV)]
    w.close(es)
    assert [os.stat(tmp_path / name).st_ino for name in (manifest.JSONL, manifest.CSV)] == inodes   # not rewritten
    assert read(tmp_path / manifest.JSONL) == b"".join(map(old_jsonl, es))
    assert read(tmp_path / manifest.CSV) == old_csv(es, header=True)


def test_a_final_list_unlike_what_was_appended_is_written_as_given(tmp_path):
    es = entries()
    w = manifest.Writer(tmp_path)
    for e in es[:3]:
        w.append(e)
    final = [es[0], es[2], es[5]]                          # one left out, one never appended
    w.close(final)
    assert read(tmp_path / manifest.JSONL) == b"".join(map(old_jsonl, final))
    assert read(tmp_path / manifest.CSV) == old_csv(final, header=True)


def test_a_stopped_run_keeps_what_it_appended(tmp_path):
    previous = [Entry(input="/old.txt", status="ok", output="old.json", outputs=["old.json"])]
    es = entries()[:3]
    w = manifest.Writer(tmp_path, previous)
    for e in es:
        w.append(e)
    w.close(None)
    w.close(None)                                          # twice: nothing more happens
    assert read(tmp_path / manifest.JSONL) == b"".join(map(old_jsonl, previous + es))
    assert list(manifest.load(tmp_path)) == [e.id for e in previous + es]


def test_now_is_the_utc_second_datetime_gives():
    from datetime import datetime, timezone
    for _ in range(2000):
        before = datetime.now(timezone.utc).isoformat(timespec="seconds")
        got = manifest.now()
        after = datetime.now(timezone.utc).isoformat(timespec="seconds")
        assert got in (before, after) and got.endswith("+00:00")


def test_load_reads_what_json_reads(tmp_path):
    """json.loads, not orjson, reads the manifest back: orjson refuses NaN and a lone surrogate, and
    makes a float of an integer past 64 bits."""
    lines = [json.dumps(e.as_dict(), ensure_ascii=False) for e in entries()]
    lines.append('{"input": "nan", "status": "ok", "seconds": NaN}')
    lines.append('{"input": "sur\\ud800", "status": "ok"}')
    lines.append('{"input": "big", "status": "ok", "bytes": 123456789012345678901234567890}')
    lines.append('not json at all')
    lines.append('{"input": "torn", "status": "o')                 # no newline: a kill's torn line
    (tmp_path / manifest.JSONL).write_text("\n".join(lines), "utf-8", errors="surrogatepass")
    got = manifest.load(tmp_path)
    want = [Entry(**json.loads(ln)) for ln in lines[:-2]]
    assert list(got) == [e.id for e in want] and all(got[e.id] == e or e.input == "nan" for e in want)
    assert got["sur\ud800"].input == "sur\ud800" and got["big"].bytes == 123456789012345678901234567890
    assert got["nan"].seconds != got["nan"].seconds                 # NaN
    assert "torn" not in got
