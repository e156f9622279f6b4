"""The command line: `python -m fzparse parse INPUT... -o OUTDIR` (exit 0 / 1 / 2), one JSON per
input named after it, the four run tables as UTF-8-with-BOM CSV, formula cells neutralised."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
TABLES = ("documents.csv", "nodes.csv", "assignments.csv", "references.csv")


def run_cli(*args, cwd=REPO):
    return subprocess.run([sys.executable, "-m", "fzparse", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8", timeout=300)


def key_of(path: Path) -> str:
    return path.name.rsplit(".", 1)[0]


def notice(n: int, title_prefix: str = "") -> str:
    return (f"{title_prefix}澜州市人民政府关于做好第{n}批重点工作的通知\n澜府发〔2024〕{n}号\n各区县人民政府，市政府各部门：\n"
            "现就有关事项通知如下。\n一、加强组织领导。各单位要成立工作专班。（牵头单位：市发展改革委；配合单位：各区县政府）\n"
            "二、强化督促检查。定期通报进展。（市政府督查室负责）\n澜州市人民政府\n2024年3月5日\n")


def read_csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name} has no UTF-8 BOM"
    return list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"))))


# ----------------------------------------------------------------------------- the corpus

@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    proc = run_cli("parse", "corpus", "-o", out)
    return proc, out


def test_corpus_exit_zero(corpus_run):
    proc, _ = corpus_run
    assert proc.returncode == 0, proc.stderr


def test_corpus_one_json_per_input(corpus_run):
    _, out = corpus_run
    inputs = sorted(p for p in CORPUS.iterdir() if p.suffix == ".txt")
    assert len(inputs) >= 5
    written = sorted(p.name for p in out.glob("*.json"))
    assert written == sorted(f"{key_of(p)}.json" for p in inputs)
    for p in inputs:
        data = json.loads((out / f"{key_of(p)}.json").read_text("utf-8"))
        assert data["key"] == key_of(p)
        for k in ("doc_number", "issuer", "title", "doc_type", "date", "recipients", "references", "outline"):
            assert k in data, (p.name, k)


@pytest.mark.parametrize("name", TABLES)
def test_corpus_tables_have_bom_and_rows(corpus_run, name):
    _, out = corpus_run
    rows = read_csv(out / name)
    assert rows, name
    if name == "documents.csv":
        assert sorted(r["key"] for r in rows) == sorted(key_of(p) for p in CORPUS.glob("*.txt"))


def test_corpus_json_contract_values(corpus_run):
    _, out = corpus_run
    data = json.loads((out / "lz-2024-12-yinfa.json").read_text("utf-8"))
    assert data["doc_number"]["text"] == "澜府办发〔2024〕12号"
    assert data["doc_number"]["agency_code"] == "澜府办发"
    assert data["doc_number"]["year"] == 2024 and data["doc_number"]["serial"] == 12
    assert data["title"] == "澜州市人民政府办公厅关于印发2024年全市数字政府建设工作要点的通知"
    assert data["date"] == "2024-03-05"
    first = data["outline"][0]["children"][0]
    assert first["number"] == 1 and first["title"] == "统筹建设政务云平台"
    assert [(u["name"], u["role"]) for u in first["units"]] == [
        ("市发展改革委", "lead"), ("市委党校〔澜州行政学院〕", "lead"),
        ("市政府有关部门和单位", "support"), ("各区县政府", "support")]


# ----------------------------------------------------------------------------- failures and exit codes

def test_one_broken_file_exit_one_others_written(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for n in (1, 2):
        (src / f"good-{n}.txt").write_text(notice(n), encoding="utf-8")
    (src / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    out = tmp_path / "out"
    proc = run_cli("parse", src, "-o", out)
    assert proc.returncode == 1, proc.stderr
    naming = [ln for ln in proc.stderr.splitlines() if "broken.txt" in ln]
    assert len(naming) == 1, proc.stderr
    assert not any("good-" in ln for ln in proc.stderr.splitlines()), proc.stderr
    assert sorted(p.name for p in out.glob("*.json")) == ["good-1.json", "good-2.json"]
    for name in TABLES:
        assert (out / name).exists()
    assert sorted(r["key"] for r in read_csv(out / "documents.csv")) == ["good-1", "good-2"]


def test_empty_file_is_a_failure_too(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(notice(1), encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    proc = run_cli("parse", src, "-o", out)
    assert proc.returncode == 1
    assert len([ln for ln in proc.stderr.splitlines() if "empty.txt" in ln]) == 1
    assert (out / "good.json").exists()


@pytest.mark.parametrize("args", [("parse", "no-such-folder", "-o", "OUT"),
                                  ("parse", "corpus", "no-such-file.txt", "-o", "OUT")])
def test_missing_input_exit_two(tmp_path, args):
    args = [str(tmp_path / "out") if a == "OUT" else a for a in args]
    proc = run_cli(*args)
    assert proc.returncode == 2
    assert "no-such" in proc.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_usage_error_exit_two(tmp_path):
    proc = run_cli("parse", "corpus")          # no -o
    assert proc.returncode == 2


def test_single_file_input(tmp_path):
    src = tmp_path / "one.notice.txt"
    src.write_text(notice(3), encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli("parse", src, "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert (out / "one.notice.json").exists()


HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知</title></head><body>
<p>澜州市人民政府关于做好第9批重点工作的通知</p><p>澜府发〔2024〕9号</p><p>各区县人民政府，市政府各部门：</p>
<p>现就有关事项通知如下。</p><p>一、加强组织领导。各单位要成立工作专班。</p><p>澜州市人民政府</p><p>2024年3月5日</p>
</body></html>"""


def test_same_stem_different_extension_do_not_overwrite(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(notice(4), encoding="utf-8")
    (src / "a.html").write_text(HTML, encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli("parse", src, "-o", out)
    assert proc.returncode == 0, proc.stderr
    outputs = sorted(out.glob("*.json"))
    assert len(outputs) == 2, [p.name for p in outputs]
    sources = {json.loads(p.read_text("utf-8"))["source"]["path"] for p in outputs}
    assert {Path(s).name for s in sources} == {"a.txt", "a.html"}
    numbers = {json.loads(p.read_text("utf-8"))["doc_number"]["text"] for p in outputs}
    assert numbers == {"澜府发〔2024〕4号", "澜府发〔2024〕9号"}


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_formula_cells_neutralised(tmp_path, start):
    src = tmp_path / "in"
    src.mkdir()
    body = (f"澜州市人民政府关于做好重点工作的通知\n澜府发〔2024〕5号\n各区县人民政府：\n现就有关事项通知如下。\n"
            f"一、{start}HYPERLINK(\"http://example.invalid\")加强组织领导。各单位要成立工作专班。（市发展改革委负责）\n"
            "二、强化督促检查。定期通报进展。\n澜州市人民政府\n2024年3月5日\n")
    (src / "f.txt").write_text(body, encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli("parse", src, "-o", out)
    assert proc.returncode == 0, proc.stderr
    cells = [v for r in read_csv(out / "nodes.csv") + read_csv(out / "assignments.csv")
             for v in r.values() if v and "HYPERLINK" in v]
    assert cells, "the heading text is in no CSV cell"
    assert all(c.startswith("'") for c in cells), cells
    assert not any(c.startswith(start) for c in cells)
