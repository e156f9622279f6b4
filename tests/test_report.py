"""`fzparse report OUTDIR`: a static, offline HTML site over a run's JSON.

The structure (index, one page per document, the task table's rows, highlights, escaping,
nothing remote) is checked on the HTML itself; a headless Chromium then renders a document
page (`--dump-dom`: the task table has a row per node with units; `--screenshot`: the PNG is
not blank). The Chromium tests skip when no chromium is installed
(`apt-get install -y chromium`)."""
from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

import pytest
from lxml import html as lxml_html

from fzparse.cli import main
from fzparse.report import TASK_COLUMNS, load_run, page_names, task_rows, walk

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data" / "review"
REAL = Path("/work/shared/corpus/real/html/gz-wsjw-2023-1930.html")
NOTICES = [DATA / "plan-2023.txt", DATA / "plan-2024.txt", DATA / "hostile.txt", REPO / "corpus" / "lz-2024-8-yijian.txt"]


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("run")
    assert main(["parse", *map(str, NOTICES), "-o", str(out)]) == 0
    assert main(["report", str(out)]) == 0
    return out


def docs_by_key(run: Path) -> dict[str, dict]:
    return {d["key"]: d for d in load_run(run)}


def page_of(run: Path, key: str) -> Path:
    docs = load_run(run)
    names = dict(zip((d["key"] for d in docs), page_names(docs)))
    return run / "report" / names[key]


def tasks_in(doc: dict) -> int:
    return sum(1 for n, _ in walk(doc["outline"]) if n["units"])


# ----------------------------------------------------------------------------- structure

def test_index_lists_every_document_with_counts(run):
    index = run / "report" / "index.html"
    tree = lxml_html.fromstring(index.read_text("utf-8"))
    rows = tree.xpath('//table[@class="docs"]/tbody/tr')
    assert len(rows) == len(NOTICES)
    docs = docs_by_key(run)
    for row in rows:
        link = row.xpath("./td[1]/a")[0]
        key = link.text_content()
        assert key in docs
        assert (index.parent / link.get("href")).is_file()
        cells = [c.text_content().strip() for c in row.xpath("./td")]
        assert cells[7] == str(tasks_in(docs[key]))          # 任务
    assert tree.xpath('//section[@id="load"]//svg//rect')


def test_document_page_task_table_and_highlights(run):
    doc = docs_by_key(run)["plan-2023"]
    tree = lxml_html.fromstring(page_of(run, "plan-2023").read_text("utf-8"))
    heads = [th.text_content() for th in tree.xpath('//table[@class="tasks"]/thead//th')]
    assert heads == TASK_COLUMNS
    rows = tree.xpath('//table[@class="tasks"]/tbody/tr[@class="task"]')
    assert len(rows) == tasks_in(doc) == 11
    first = [td.text_content() for td in rows[1].xpath("./td")]
    assert first == ["2", "（二）推进企业开办便利化", "市市场监管局", "市公安局、市税务局", "", "2024年6月底前", ""]
    # every unit highlighted at its evidence span, linked to its node in the outline
    marks = tree.xpath('//article[@class="text"]//a[contains(@class, "u ")]')
    units = [(u["name"], u["role"]) for n, _ in walk(doc["outline"]) for u in n["units"]]
    assert len(marks) == len(units)
    for a in marks:
        assert a.get("href").startswith("#n")
        assert tree.xpath(f'//nav[@class="outline"]//li[@id="{a.get("href")[1:]}"]')
    assert {(a.text_content(), re.search(r"role-(\w+)", a.get("class"))[1]) for a in marks} == set(units)
    # the reference in the preamble, and every paragraph is there
    refs = [a.text_content() for a in tree.xpath('//article[@class="text"]//a[@class="r"]')]
    assert refs == ["《澜州市2023年优化营商环境工作要点》", "《优化营商环境条例》"]
    assert len(tree.xpath('//article[@class="text"]/p')) == len(doc["paragraphs"])
    # the chart has a bar per unit and role
    assert len(tree.xpath('//section[@id="load"]//svg/g')) == len({n for n, _ in units})


def test_task_rows_match_the_json():
    from fzparse import parse
    doc = parse(DATA / "plan-2024.txt").to_dict()
    rows = task_rows(doc)
    assert [r["序号"] for r in rows] == list(range(1, 12))
    by_title = {r["title"]: r for r in rows}
    assert by_title["保障重点项目用地"]["完成时限"] == "2023年12月底前"
    assert by_title["加强企业融资服务"]["牵头单位"] == "市地方金融管理局"


def test_flags_are_shown(run):
    text = page_of(run, "lz-2024-8-yijian").read_text("utf-8")
    tree = lxml_html.fromstring(text)
    flags = tree.xpath('//section[@id="flags"]//li')
    assert flags and all("role-from-positional-rule" in li.text_content() for li in flags)
    hostile = lxml_html.fromstring(page_of(run, "hostile").read_text("utf-8"))
    assert any("unparsed-assignment" in li.text_content() for li in hostile.xpath('//section[@id="flags"]//li'))


def test_hostile_text_is_escaped_and_nothing_is_remote(run):
    for f in (run / "report").glob("*.html"):
        text = f.read_text("utf-8")
        tree = lxml_html.fromstring(text)
        assert not tree.xpath("//script"), f.name
        assert not tree.xpath("//img | //iframe | //object | //embed | //link | //b | //table//table"), f.name
        assert not [el for el in tree.iter() if isinstance(el.tag, str) and any(a.startswith("on") for a in el.attrib)]
        assert "<script" not in text.lower() and "@import" not in text and "url(" not in text
        for el in tree.xpath("//*[@href or @src]"):
            target = el.get("href") or el.get("src")
            assert not re.match(r"^(?:[a-z]+:|//)", target, re.I), (f.name, target)
        assert "Content-Security-Policy" in text and "default-src 'none'" in text
    hostile = page_of(run, "hostile").read_text("utf-8")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in hostile
    assert "&lt;img src=x onerror=alert(1)&gt;" in hostile


def test_report_on_a_folder_without_json(tmp_path, capsys):
    assert main(["report", str(tmp_path)]) == 1
    assert "no fzparse JSON" in capsys.readouterr().err
    assert main(["report", str(tmp_path / "missing")]) == 2


def test_report_skips_foreign_and_broken_json(tmp_path):
    assert main(["parse", str(DATA / "plan-2023.txt"), "-o", str(tmp_path)]) == 0
    (tmp_path / "other.json").write_text(json.dumps({"hello": 1}), "utf-8")
    (tmp_path / "broken.json").write_text("{", "utf-8")
    assert main(["report", str(tmp_path), "-o", str(tmp_path / "site")]) == 0
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["doc-plan-2023.html", "index.html"]
    # a page of a document that left the run goes; files the report did not write stay
    (tmp_path / "plan-2023.json").rename(tmp_path / "renamed.json")
    (tmp_path / "site" / "doc-mine.html").write_text("<p>mine</p>", "utf-8")
    assert main(["report", str(tmp_path), "-o", str(tmp_path / "site")]) == 0
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["doc-mine.html", "doc-renamed.html", "index.html"]


@pytest.mark.skipif(not REAL.exists(), reason="the shared real corpus is not beside this checkout")
def test_real_task_table(tmp_path):
    assert main(["parse", str(REAL), "-o", str(tmp_path)]) == 0
    assert main(["report", str(tmp_path)]) == 0
    doc = load_run(tmp_path)[0]
    tree = lxml_html.fromstring(next((tmp_path / "report").glob("doc-*.html")).read_text("utf-8"))
    assert len(tree.xpath('//table[@class="tasks"]/tbody/tr')) == tasks_in(doc) > 0


# ----------------------------------------------------------------------------- headless Chromium

def chromium() -> str:
    for name in (os.environ.get("FZPARSE_CHROMIUM"), "chromium", "chromium-browser"):
        if name and shutil.which(name):
            return shutil.which(name)
    pytest.skip("chromium is not installed (apt-get install -y chromium)")


def render(page: Path, *mode: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-extensions", "--disable-default-apps", "--mute-audio", f"--user-data-dir={profile}",
             *mode, page.resolve().as_uri()],
            capture_output=True, text=True, timeout=180)


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB/RGBA PNG with zlib and struct: (width, height, pixels as bytes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8 and colour in (2, 6), (depth, colour)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    pixels = []
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + ((a + b) >> 1)) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        pixels.extend(bytes(line[x:x + 3]) for x in range(0, stride, bpp))
        prev = line
    return width, height, pixels


def test_chromium_dom_has_the_task_table(run):
    doc = docs_by_key(run)["plan-2023"]
    result = render(page_of(run, "plan-2023"), "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    tree = lxml_html.fromstring(result.stdout)
    assert len(tree.xpath('//table[@class="tasks"]/tbody/tr[@class="task"]')) == tasks_in(doc) == 11
    assert tree.xpath('//section[@id="load"]//*[local-name()="svg"]//*[local-name()="rect"]')
    # the hostile page stays inert in a real browser: no script element made it into the DOM
    hostile = lxml_html.fromstring(render(page_of(run, "hostile"), "--dump-dom").stdout)
    assert not hostile.xpath("//script | //img")


def test_chromium_screenshot_is_not_blank(run, tmp_path):
    shot = tmp_path / "page.png"
    result = render(page_of(run, "plan-2023"), f"--screenshot={shot}", "--window-size=900,1100",
                    "--hide-scrollbars")
    assert result.returncode == 0 and shot.exists(), result.stderr[-2000:]
    width, height, pixels = png_pixels(shot.read_bytes())
    assert (width, height) == (900, 1100)
    colours = {}
    for p in pixels:
        colours[p] = colours.get(p, 0) + 1
    assert len(colours) >= 20, f"only {len(colours)} colours: a blank page?"
    assert max(colours.values()) / len(pixels) < 0.9, "one colour covers the page"
    # the header's dark blue, the lead red and the support blue of the chart/highlights are drawn
    def near(rgb):
        return any(sum(abs(x - y) for x, y in zip(p, rgb)) < 40 for p in colours)
    assert near((0x1F, 0x3A, 0x5F))
