"""`--engine dask`: the same tasks on dask.distributed (a LocalCluster of 2 worker processes here)
give the same outputs and the same manifest as the local engine, archives included."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from fzparse import batch  # noqa: E402
from fzparse.limits import Limits  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOTICES = sorted((ROOT / "corpus").glob("*.txt")) + sorted((ROOT / "tests" / "data" / "notices").glob("*.txt"))


def inputs(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    for i, f in enumerate(NOTICES):
        (src / ("sub" if i % 2 else "") / f.name).write_bytes(f.read_bytes())
    with zipfile.ZipFile(src / "pack.zip", "w", zipfile.ZIP_DEFLATED) as z:
        for f in NOTICES[:4]:
            z.writestr(f"zipped/{f.name}", f.read_bytes())
        z.writestr("../escape.txt", NOTICES[0].read_bytes())
    (src / "empty.txt").write_bytes(b"")
    return src


def comparable(out: Path) -> tuple:
    files = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*")
             if p.suffix in (".json", ".csv") and p.name != "manifest.csv" and ".fzparse" not in p.parts}
    manifest = [(e["input"], e["member"], e["output"], e["status"], e["reason"], e["sha256"], e["outputs"])
                for e in map(json.loads, (out / "manifest.jsonl").read_text("utf-8").splitlines())]
    return files, manifest


def test_dask_local_cluster_matches_the_local_engine(tmp_path):
    src = inputs(tmp_path)
    local = batch.run([src], tmp_path / "local", jobs=2)
    dask = batch.run([src], tmp_path / "dask", jobs=2, engine="dask")
    assert len(dask.failed) == len(local.failed) == 2                 # empty.txt, ../escape.txt
    assert comparable(tmp_path / "local") == comparable(tmp_path / "dask")
    assert len([e for e in dask.entries if e.status == "ok"]) == len(NOTICES) + 4
    workers = {e.worker for e in dask.entries if e.status == "ok"}
    assert len(workers) == 2, workers
    again = batch.run([src], tmp_path / "dask", jobs=2, engine="dask")  # resume works the same
    assert len(again.unchanged) == len(NOTICES) + 4 and len(again.failed) == 2


def test_dask_time_limit_inside_a_worker_thread(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text(NOTICES[0].read_text("utf-8") * 400, "utf-8")
    small = tmp_path / "small.txt"
    small.write_bytes(NOTICES[1].read_bytes())
    result = batch.run([big, small], tmp_path / "out", Limits(seconds=0.5), jobs=2, engine="dask")
    failed = {Path(o.job.source).name: o.reason for o in result.failed}
    assert list(failed) == ["big.txt"] and "longer than the time limit" in failed["big.txt"]
    assert (tmp_path / "out" / "small.json").exists()


def test_dask_from_the_command_line(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "fzparse", "parse", str(ROOT / "corpus"), "-o", str(tmp_path / "out"),
                           "--engine", "dask", "-j", "2"], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr
    assert f"{len(list((ROOT / 'corpus').glob('*.txt')))} parsed, 0 failed" in proc.stderr
