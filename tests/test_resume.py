"""A run killed mid-way (SIGKILL on its process group) leaves no half-written file, and a re-run
redoes only what was not finished: every input once in the manifest, every JSON whole."""
from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fzparse.batch import UNCHANGED

ROOT = Path(__file__).resolve().parents[1]
NOTICES = sorted((ROOT / "corpus").glob("*.txt")) + sorted((ROOT / "tests" / "data" / "notices").glob("*.txt"))
N = 240


def command(src: Path, out: Path, jobs: int) -> list[str]:
    return [sys.executable, "-m", "fzparse", "parse", str(src), "-o", str(out), "-j", str(jobs)]


def entries(out: Path) -> list[dict]:
    got = []
    for line in (out / "manifest.jsonl").read_text("utf-8").splitlines(keepends=True):
        if line.endswith("\n"):
            got.append(json.loads(line))
    return got


def all_json_parses(out: Path) -> list[Path]:
    files = [p for p in out.rglob("*.json")]
    for p in files:
        json.loads(p.read_text("utf-8"))
    return files


@pytest.mark.parametrize("jobs", [2, 1])
def test_killed_run_resumes_with_only_the_unfinished_inputs(tmp_path, jobs):
    src = tmp_path / "in"
    for i in range(N):
        f = NOTICES[i % len(NOTICES)]
        target = src / f"part{i % 4}" / f"{i:03d}-{f.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(f.read_bytes())
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(command(src, out, jobs), env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    done_before: list[dict] = []
    while time.monotonic() < deadline:
        if (out / "manifest.jsonl").exists():
            done_before = entries(out)
            if len(done_before) >= 25:
                break
        assert proc.poll() is None, "the run finished before it could be killed: make it longer"
        time.sleep(0.005)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(30)
    assert proc.poll() is None or proc.returncode == -signal.SIGKILL
    killed_at = entries(out)                              # what the manifest holds after the kill
    assert 25 <= len(killed_at) < N, len(killed_at)
    assert all(e["status"] == "ok" for e in killed_at)
    all_json_parses(out)                                  # atomic: a JSON is whole or absent

    proc = subprocess.run(command(src, out, jobs), env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    final = entries(out)
    inputs = sorted(str(p) for p in src.rglob("*.txt"))
    assert sorted(e["input"] for e in final) == inputs            # every input, once
    finished = {e["input"] for e in killed_at}
    for e in final:
        if e["input"] in finished:
            assert e["status"] == "skipped" and e["reason"] == UNCHANGED, e
        else:
            assert e["status"] == "ok", e
    redone = N - len(finished)
    assert f"{redone} parsed, 0 failed" in proc.stderr and f"{len(finished)} unchanged" in proc.stderr, proc.stderr
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    outputs = all_json_parses(out)
    assert len(outputs) == N
    raw = (out / "documents.csv").read_bytes()
    assert len(list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"))))) == N
    manifest_csv = list(csv.DictReader(io.StringIO((out / "manifest.csv").read_bytes()[3:].decode("utf-8"))))
    assert sorted(r["input"] for r in manifest_csv) == inputs
