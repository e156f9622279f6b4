"""Archives as inputs: `.zip` / `.tar(.gz)` members parsed in place (read from the archive, never
unpacked to disk), named safely under OUTDIR/<archive name>/, unsafe names and zip bombs refused
with one line each, and nothing written outside OUTDIR."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from fzparse import archive, batch

ROOT = Path(__file__).resolve().parents[1]
NOTICE = (ROOT / "corpus" / "lz-2024-12-yinfa.txt").read_text("utf-8")
SMALL = (ROOT / "corpus" / "lz-2024-21-pifu.txt").read_text("utf-8")


def cli(*args, cwd=None, timeout=120):
    return subprocess.run([sys.executable, "-m", "fzparse", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, cwd=cwd, env={**os.environ, "PYTHONPATH": str(ROOT)})


def failures(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ln.startswith("fzparse: ") and " parsed, " not in ln]


def make_zip(path: Path, members: dict[str, bytes], utf8_names: bool = True) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return path


def make_tar(path: Path, members: dict[str, bytes], mode: str = "w:gz") -> Path:
    with tarfile.open(path, mode) as t:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return path


def snapshot(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


@pytest.mark.parametrize("kind", ["zip", "tar.gz", "tar"])
def test_members_become_a_folder_of_outputs(tmp_path, kind):
    src = tmp_path / "in"
    src.mkdir()
    members = {"x/y.txt": NOTICE.encode(), "x/z/pifu.txt": SMALL.encode("gbk"), "top.txt": NOTICE.encode(),
               "readme.md.bak": b"not a notice", ".hidden.txt": NOTICE.encode(), "__MACOSX/._top.txt": b"\0\1"}
    name = f"a.{kind}"
    if kind == "zip":
        make_zip(src / name, members)
    else:
        make_tar(src / name, members, "w:gz" if kind == "tar.gz" else "w")
    before = snapshot(tmp_path)
    out = tmp_path / "out"
    proc = cli("parse", src, "-o", out, "-j", "2")
    assert proc.returncode == 0, proc.stderr
    jsons = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.json"))
    assert jsons == [f"{name}/top.json", f"{name}/x/y.json", f"{name}/x/z/pifu.json"]
    data = json.loads((out / name / "x" / "y.json").read_text("utf-8"))
    assert data["doc_number"]["text"] == "澜府办发〔2024〕12号"
    assert data["source"]["path"] == str(src / name / "x" / "y.txt")
    # parsed in place: nothing new beside the inputs, everything under OUTDIR
    assert snapshot(tmp_path) - before - {"out"} == {f"out/{p}" for p in snapshot(out)}
    assert snapshot(src) == {name}
    manifest = [json.loads(ln) for ln in (out / "manifest.jsonl").read_text("utf-8").splitlines()]
    by_member = {m["member"]: m for m in manifest}
    assert by_member["x/y.txt"]["status"] == "ok" and by_member["x/y.txt"]["input"] == str(src / name)
    assert by_member["x/y.txt"]["output"] == f"{name}/x/y.json"
    assert by_member["readme.md.bak"]["status"] == "skipped"
    assert by_member[".hidden.txt"]["status"] == "skipped"
    rows = (out / "documents.csv").read_text("utf-8-sig")
    assert rows.count("澜府办发〔2024〕12号") == 2


def test_explicit_archive_input_and_colliding_member_names(tmp_path):
    html = "<html><body>" + "".join(f"<p>{ln}</p>" for ln in SMALL.splitlines() if ln.strip()) + "</body></html>"
    path = make_zip(tmp_path / "b.zip", {"d/a.txt": NOTICE.encode(), "d/a.html": html.encode()})
    out = tmp_path / "out"
    proc = cli("parse", path, "-o", out, "-j", "1")
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.json")) == ["b.zip/d/a.html.json",
                                                                                   "b.zip/d/a.txt.json"]


@pytest.mark.parametrize("bad", ["../evil.txt", "/etc/evil.txt", "x/../../evil.txt", "C:/evil.txt", "..\\evil.txt"])
def test_unsafe_member_names_are_refused_in_one_line(tmp_path, bad):
    path = make_zip(tmp_path / "evil.zip", {bad: NOTICE.encode(), "ok.txt": NOTICE.encode()})
    out = tmp_path / "work" / "out"
    proc = cli("parse", path, "-o", out)
    assert proc.returncode == 1, proc.stderr
    lines = failures(proc.stderr)
    assert len(lines) == 1 and "evil.zip" in lines[0] and "unsafe member path" in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.json")) == ["evil.zip/ok.json"]
    assert not (tmp_path / "work" / "evil.txt").exists() and not (tmp_path / "evil.txt").exists()
    assert all(p.resolve().is_relative_to(out.resolve()) for p in out.rglob("*"))


def test_unsafe_tar_member_and_links(tmp_path):
    path = tmp_path / "t.tar"
    with tarfile.open(path, "w") as t:
        for name, data in {"../up.txt": NOTICE.encode(), "fine.txt": NOTICE.encode()}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("link.txt")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        t.addfile(link)
    out = tmp_path / "out"
    proc = cli("parse", path, "-o", out)
    assert proc.returncode == 1
    assert len(failures(proc.stderr)) == 1 and "up.txt" in failures(proc.stderr)[0]
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.json")) == ["t.tar/fine.json"]
    assert "1 skipped" in proc.stderr                       # the link, not followed


def test_zip_bomb_member_is_refused_by_ratio(tmp_path):
    path = make_zip(tmp_path / "bomb.zip", {"bomb.txt": b"0" * (30 * 1024 * 1024), "ok.txt": NOTICE.encode()})
    assert path.stat().st_size < 1024 * 1024
    out = tmp_path / "out"
    proc = cli("parse", path, "-o", out)
    assert proc.returncode == 1
    lines = failures(proc.stderr)
    assert len(lines) == 1 and "bomb.txt" in lines[0] and "ratio" in lines[0]
    assert (out / "bomb.zip" / "ok.json").exists()
    # a higher ratio lets it through to the size limit (the member is 30 MB, the limit 10 MB)
    proc = cli("parse", path, "-o", tmp_path / "out2", "--max-zip-ratio", "100000", "--max-unzipped-mb", "10")
    assert proc.returncode == 1 and "--max-unzipped-mb" in failures(proc.stderr)[0]


def test_tar_bomb_stops_reading(tmp_path):
    path = tmp_path / "bomb.tar.gz"
    with tarfile.open(path, "w:gz") as t:
        info = tarfile.TarInfo("ok.txt")
        data = NOTICE.encode()
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
        info = tarfile.TarInfo("zeros.txt")
        info.size = 40 * 1024 * 1024
        t.addfile(info, io.BytesIO(b"\0" * info.size))
    assert path.stat().st_size < 1024 * 1024
    listing = archive.list_members(path, "tar")
    assert [m.name for m in listing.members] == ["ok.txt", "zeros.txt"]
    assert listing.members[1].error and listing.members[0].error is None
    out = tmp_path / "out"
    proc = cli("parse", path, "-o", out)
    assert proc.returncode == 1 and len(failures(proc.stderr)) == 1 and "zeros.txt" in failures(proc.stderr)[0]
    assert (out / "bomb.tar.gz" / "ok.json").exists()


def test_gbk_member_names_from_windows(tmp_path):
    path = tmp_path / "cn.zip"
    name = "通知/关于做好工作的通知.txt"

    class GbkInfo(zipfile.ZipInfo):              # what a Chinese Windows zip tool stores: GBK, no UTF-8 flag
        def _encodeFilenameFlags(self):
            return self.filename.encode("gbk"), self.flag_bits & ~0x800

    with zipfile.ZipFile(path, "w") as z:
        z.writestr(GbkInfo(name), NOTICE.encode())
    with zipfile.ZipFile(path) as z:
        assert z.namelist() != [name]            # zipfile alone reads it as cp437 mojibake
    out = tmp_path / "out"
    proc = cli("parse", path, "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert (out / "cn.zip" / "通知" / "关于做好工作的通知.json").exists()


def test_docx_and_pdf_members(tmp_path):
    sys.path.insert(0, str(ROOT / "tests"))
    from support import make_fixtures as fixtures
    fx = fixtures()
    src = ROOT / "tests" / "data" / "notices" / "nongye-2024-3.txt"
    pdf = fx.render_pdf(src, tmp_path / "n.pdf").read_bytes()
    docx = fx.render_docx(src, tmp_path / "n.docx").read_bytes()
    path = make_zip(tmp_path / "mixed.zip", {"p/n.pdf": pdf, "d/n.docx": docx})
    out = tmp_path / "out"
    proc = cli("parse", path, "-o", out, "-j", "2")
    assert proc.returncode == 0, proc.stderr
    a = json.loads((out / "mixed.zip" / "p" / "n.json").read_text("utf-8"))
    b = json.loads((out / "mixed.zip" / "d" / "n.json").read_text("utf-8"))
    assert a["source"]["format"] == "pdf" and b["source"]["format"] == "docx"
    assert a["doc_number"]["text"] == b["doc_number"]["text"]


def test_damaged_archive_is_one_failure(tmp_path):
    path = tmp_path / "broken.zip"
    path.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    proc = cli("parse", path, "-o", tmp_path / "out")
    assert proc.returncode == 1 and len(failures(proc.stderr)) == 1 and "broken.zip" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_renamed_docx_is_a_document_not_an_archive(tmp_path):
    sys.path.insert(0, str(ROOT / "tests"))
    from support import make_fixtures as fixtures
    docx = fixtures().render_docx(ROOT / "tests" / "data" / "notices" / "nongye-2024-3.txt", tmp_path / "n.docx")
    assert archive.archive_kind(docx) is None
    os.replace(docx, tmp_path / "n.zip")
    assert archive.archive_kind(tmp_path / "n.zip") is None


@pytest.mark.parametrize("name,expected", [("a/b.txt", "a/b.txt"), ("./a//b.txt", "a/b.txt"), ("a\\b.txt", "a/b.txt"),
                                           ("../a", None), ("/a", None), ("a/../../b", None), ("c:x", None),
                                           ("a\x00b", None), ("", None)])
def test_safe_member_path(name, expected):
    got = archive.safe_member_path(name)
    assert (got.as_posix() if got is not None else None) == expected
    assert archive.safe_member_name(name) == expected          # the string the plan uses


def test_plan_maps_members_under_the_archive_name(tmp_path):
    make_zip(tmp_path / "a.zip", {"x/y.txt": b"x"})
    items = batch.plan_items([tmp_path / "a.zip"], tmp_path / "OUT")
    assert [i.job.output for i in items if i.kind == "job"] == [tmp_path / "OUT" / "a.zip" / "x" / "y.json"]


def test_the_plan_names_what_pathlib_would(tmp_path):
    """The plan makes each job's output (relative) and display name as strings: the same as the
    paths they were made from before."""
    src = tmp_path / "in"
    (src / "d" / "e").mkdir(parents=True)
    for name in ("a.txt", "a.html", "d/b.txt", "d/e/c.d.txt", "d/e/x."):
        (src / name).write_text("x", "utf-8")
    make_zip(src / "d" / "m.zip", {"./p//q\\r.txt": b"x", "top.txt": b"x", "top.htm": b"x", "s/n.pdf": b"x",
                                   "s/noext": b"x", "s/dot.": b"x"})
    out = tmp_path / "OUT"
    items = batch.plan_items([src, tmp_path / "in" / "d" / "m.zip"], out)
    jobs = [i.job for i in items if i.kind == "job"]
    assert len(jobs) == 12
    for job in jobs:
        assert job.rel == job.output.relative_to(out).as_posix()
        old = str(job.source) if job.member is None else str(job.source / archive.safe_member_path(job.member))
        assert job.display == old
    rels = sorted(j.rel for j in jobs)
    assert "a.txt.json" in rels and "a.html.json" in rels                      # a collision keeps extensions
    assert "d/m.zip/p/q/r.json" in rels and "m.zip/p/q/r.json" in rels
    assert "d/m.zip/top.txt.json" in rels and "d/e/c.d.json" in rels
    skipped = {i.member or i.source.name: i.reason for i in items if i.kind == "skip"}
    assert skipped["x."] == skipped["s/dot."] == "not a notice format (no extension)"   # PurePath("x.").suffix is ''
    assert skipped["s/noext"] == "not a notice format (no extension)"


@pytest.mark.parametrize("name", ["a.txt", "a", "a.", "a.b.c", "a..b", "中文.HTML", "x.tar.gz"])
def test_suffix_of_a_name_as_pathlib_makes_it(name):
    assert batch._suffix(name) == Path(name).suffix


def test_zip_members_are_read_by_the_work_and_tar_members_sent(tmp_path):
    """The parent sends a zip member by name (the worker opens the archive itself) and a tar
    member's bytes (a tar is one stream); either way the work hashes what it parses."""
    seen = []

    def work(task):
        seen.append((Path(task.input).suffix, task.archive is not None, task.data is not None))
        return batch.run_task(task)
    src = tmp_path / "in"
    src.mkdir()
    make_zip(src / "a.zip", {"n1.txt": NOTICE.encode(), "n2.txt": SMALL.encode()})
    make_tar(src / "b.tar.gz", {"n3.txt": NOTICE.encode()})
    result = batch.run([src], tmp_path / "out", jobs=1, work=work)
    assert not result.failed
    assert sorted(seen) == [(".txt", False, True), (".txt", True, False), (".txt", True, False)]
    by_member = {e.member: e for e in result.entries}
    import hashlib
    assert by_member["n2.txt"].sha256 == hashlib.sha256(SMALL.encode()).hexdigest()
    assert by_member["n3.txt"].bytes == len(NOTICE.encode())


@pytest.mark.parametrize("jobs", [1, 2])
def test_archives_resume_member_by_member(tmp_path, jobs):
    src = tmp_path / "in"
    src.mkdir()
    members = {f"m{i}.txt": (NOTICE if i % 2 else SMALL).encode() for i in range(4)}
    make_zip(src / "a.zip", members)
    make_tar(src / "b.tar", members, "w")
    out = tmp_path / "out"
    first = batch.run([src], out, jobs=jobs)
    assert len(first.outcomes) == 8 and not first.failed
    tables = (out / "documents.csv").read_bytes()
    again = batch.run([src], out, jobs=jobs)
    assert len(again.unchanged) == 8 and not again.outcomes
    assert (out / "documents.csv").read_bytes() == tables
    members["m1.txt"] = NOTICE.replace("通知", "通告", 1).encode()
    make_zip(src / "a.zip", members)
    redone = batch.run([src], out, jobs=jobs)
    assert [o.job.member for o in redone.outcomes] == ["m1.txt"] and len(redone.unchanged) == 7
    assert (out / "documents.csv").read_bytes().count(b"\r\n") == 9         # the header and 8 documents
