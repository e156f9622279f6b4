"""`fzparse diff OLD NEW` on two versions of a plan we wrote (tests/data/review/plan-2023.txt,
plan-2024.txt) with planted changes: one new task, one dropped, one renamed (title reworded,
body mostly the same), one changed lead unit, one moved to another section, one changed
deadline. Tasks are matched by what they say, not where they stand (the 2024 numbering
shifts), one-to-one; the diff must find every planted change and nothing else."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from lxml import html as lxml_html

from fzparse.cli import main
from fzparse.diff import diff_docs, diff_paths, load_side, render_text

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data" / "review"
OLD, NEW = DATA / "plan-2023.txt", DATA / "plan-2024.txt"

PLANTED = {
    # old title: (new title, {change kinds})
    "加强知识产权保护": ("构建知识产权全链条保护体系", {"renamed", "text"}),
    "加强人才引进服务": ("加强人才引进服务", {"moved"}),
    "加强企业融资服务": ("加强企业融资服务", {"lead"}),
    "保障重点项目用地": ("保障重点项目用地", {"deadline"}),
}


@pytest.fixture(scope="module")
def result() -> dict:
    return diff_paths(OLD, NEW)


def test_new_and_dropped(result):
    assert [t["title"] for t in result["new"]] == ["推进跨境贸易便利化"]
    assert [t["title"] for t in result["dropped"]] == ["规范涉企收费行为"]
    assert result["new"][0]["units"] == {"lead": ["市商务局"], "support": ["澜州海关", "市交通运输局"]}


def test_every_planted_change_and_no_false_match(result):
    changed = {item["old"]["title"]: item for item in result["changed"]}
    assert set(changed) == set(PLANTED)
    for old_title, (new_title, kinds) in PLANTED.items():
        item = changed[old_title]
        assert item["new"]["title"] == new_title
        assert {c["kind"] for c in item["changes"]} == kinds, (old_title, item["changes"])
    # everything else matched to itself, unchanged
    assert result["unchanged"] and all(i["old"]["title"] == i["new"]["title"] for i in result["unchanged"])
    s = result["summary"]
    assert (s["old_tasks"], s["new_tasks"], s["matched"], s["changed"], s["unchanged"], s["new"], s["dropped"]) == \
        (12, 12, 11, 4, 7, 1, 1)
    # one-to-one
    olds = [i["old"]["id"] for i in result["changed"] + result["unchanged"]]
    news = [i["new"]["id"] for i in result["changed"] + result["unchanged"]]
    assert len(set(olds)) == len(olds) and len(set(news)) == len(news)


def test_change_details(result):
    changed = {item["old"]["title"]: {c["kind"]: c for c in item["changes"]} for item in result["changed"]}
    lead = changed["加强企业融资服务"]["lead"]
    assert (lead["added"], lead["removed"]) == (["市地方金融管理局"], ["市金融工作局"])
    moved = changed["加强人才引进服务"]["moved"]
    assert (moved["old"], moved["new"]) == ("三、强化要素保障", "一、提升政务服务效能")
    deadline = changed["保障重点项目用地"]["deadline"]
    assert (deadline["old"], deadline["new"]) == ("2023年9月底前", "2023年12月底前")
    assert (deadline["old_date"], deadline["new_date"]) == ("2023-09-30", "2023-12-31")
    renamed = changed["加强知识产权保护"]
    assert renamed["renamed"]["new"] == "构建知识产权全链条保护体系" and renamed["text"]["similarity"] > 0.9


def test_matching_is_by_content_not_position(result):
    pairs = {i["old"]["title"]: (i["old"]["label"], i["new"]["label"]) for i in result["changed"] + result["unchanged"]}
    assert pairs["落实减税降费政策"] == ("（四）", "（五）")      # renumbered, still the same task
    assert pairs["加强人才引进服务"] == ("（九）", "（四）")
    # reversing the order of NEW's tasks changes nothing
    new_docs = load_side(NEW)
    for section in new_docs[0]["outline"]:
        section["children"].reverse()
    new_docs[0]["outline"].reverse()
    again = diff_docs(load_side(OLD), new_docs)
    assert again["summary"] == result["summary"]
    assert {i["old"]["title"] for i in again["changed"]} == set(PLANTED)


def test_threshold(result):
    strict = diff_paths(OLD, NEW, threshold=0.995)
    assert {t["title"] for t in strict["new"]} == {"推进跨境贸易便利化", "构建知识产权全链条保护体系"}
    assert {t["title"] for t in strict["dropped"]} == {"规范涉企收费行为", "加强知识产权保护"}
    units_only = diff_paths(OLD, NEW, tasks="units")
    assert units_only["summary"]["old_tasks"] == 11          # 五、抓好组织实施 has no units


def test_identical_versions(tmp_path):
    same = diff_paths(OLD, OLD)
    assert not (same["new"] or same["dropped"] or same["changed"])
    assert "no changes" in render_text(same)


def test_cli_outputs(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["parse", str(OLD), "-o", str(out)]) == 0
    assert main(["report", str(out)]) == 0
    code = main(["diff", str(OLD), str(NEW), "--json", str(tmp_path / "d.json"), "--csv", str(tmp_path / "d.csv"),
                 "--report", str(out)])
    assert code == 0
    table = capsys.readouterr().out
    for word in ("新增", "删除", "改名", "移动", "牵头单位", "完成时限", "推进跨境贸易便利化", "2023年9月底前 → 2023年12月底前"):
        assert word in table
    data = json.loads((tmp_path / "d.json").read_text("utf-8"))
    assert data["summary"] == diff_paths(OLD, NEW)["summary"]
    raw = (tmp_path / "d.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"))))
    assert sorted(r["change"] for r in rows) == sorted(["new", "dropped", "renamed", "text", "moved", "lead", "deadline"])
    page = lxml_html.fromstring((out / "report" / "diff.html").read_text("utf-8"))
    assert len(page.xpath('//tr[@class="new"]')) == 1 and len(page.xpath('//tr[@class="dropped"]')) == 1
    assert len(page.xpath('//tr[@class="changed"]')) == 4
    assert page.xpath('//a[@href="index.html"]')
    assert not page.xpath("//script")
    # a later report links the diff page from its index
    assert main(["report", str(out)]) == 0
    assert lxml_html.fromstring((out / "report" / "index.html").read_text("utf-8")).xpath('//a[@href="diff.html"]')


def test_run_folders_and_json(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["parse", str(OLD), "-o", str(a)]) == 0
    assert main(["parse", str(NEW), "-o", str(b)]) == 0
    by_folder = diff_paths(a, b)
    by_json = diff_paths(a / "plan-2023.json", b / "plan-2024.json")
    direct = diff_paths(OLD, NEW)
    for r in (by_folder, by_json):
        assert r["summary"] == direct["summary"]
        assert [i["changes"] for i in r["changed"]] == [i["changes"] for i in direct["changed"]]


def test_bad_inputs(tmp_path, capsys):
    assert main(["diff", str(tmp_path / "nope.txt"), str(NEW)]) == 2
    (tmp_path / "x.json").write_text("{}", "utf-8")
    assert main(["diff", str(tmp_path / "x.json"), str(NEW)]) == 1
    (tmp_path / "empty").mkdir()
    assert main(["diff", str(tmp_path / "empty"), str(NEW)]) == 1
    assert "neither fzparse JSON nor notices" in capsys.readouterr().err
