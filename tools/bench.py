#!/usr/bin/env python3
"""`make bench`: fzparse bulk-conversion throughput next to the bare extractors, in one run.

Inputs are generated from our own notices (corpus/*.txt, tests/data/notices/*.txt) by light
variation — years, serials, dates, unit names and figures changed — and rendered to txt, HTML (a
simple gov-like page), PDF and DOCX (tools/make_fixtures.py) into bench/generated/ (git-ignored;
reused by later runs). Then, all numbers from this one run:

1. per format, a zip archive of N notices through `fzparse parse ARCHIVE -j 1` and `-j 2`
   (members parsed in place; each `--repeat` times in turn, the fastest reported): docs/s, MB/s,
   and the 2-worker speed-up;
2. floors on the same files: the whole pipeline (parse + JSON) in one process next to a bare lxml
   parse + text_content() (HTML) and bare pdfplumber extract_text / pypdfium2 (PDF), with ratios;
3. time per stage (read, clean, segment, elements, outline, extract, resolve, export) per format, by
   wrapping the stage functions;
4. peak memory (RSS summed over the process tree, sampled every 20 ms) of a mixed-format
   archive of 200 and of N documents (-j 2), and their ratio;
5. the previous HTML / PDF comparisons on ../shared's real pages and PDFs, when it is there.

Never asserts: the bars are read off the output (each line says PASS or MISS against its bar).
    python tools/bench.py [--n 2000] [--small 200] [--pdf-floor 300] [--quick]
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import multiprocessing
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
GENERATED = ROOT / "bench" / "generated"
FORMATS = ("txt", "html", "pdf", "docx")
GENERATOR_VERSION = 2          # bump when the generated inputs change


# ----------------------------------------------------------------------------- bare extractors

def bare_lxml(path: Path) -> str:
    import lxml.html
    return lxml.html.fromstring(path.read_bytes()).text_content()


def bare_pdfplumber(path: Path) -> str:
    import pdfplumber
    with pdfplumber.open(path) as pdf:
        return "".join(page.extract_text() or "" for page in pdf.pages)


def bare_pdfium(path: Path) -> str:
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(path))
    try:
        return "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def pages_of(path: Path) -> int:
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def pipeline(path: Path) -> str:
    from fzparse import parse
    from fzparse.export import to_json
    return to_json(parse(path))


def timed(fn, files, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for f in files:
            fn(f)
        best = min(best, time.perf_counter() - t0)
    return best


# ----------------------------------------------------------------------------- generation

def fixtures():
    if "make_fixtures" in sys.modules:
        return sys.modules["make_fixtures"]
    spec = importlib.util.spec_from_file_location("make_fixtures", ROOT / "tools" / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_fixtures"] = module     # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


BASES = sorted((ROOT / "corpus").glob("*.txt")) + sorted((ROOT / "tests" / "data" / "notices").glob("*.txt"))
UNIT_POOL = ["市司法局", "市公安局", "市财政局", "市教育局", "市民政局", "市商务局", "市审计局", "市统计局",
             "市应急局", "市林业局", "市水利局", "市文旅局", "市卫生健康委", "市住房城乡建设委", "市交通运输委",
             "市生态环境局", "市市场监管局", "市人力社保局", "市规划自然资源局", "市农业农村委"]
UNIT_RE = re.compile(r"市[\u4e00-\u9fff]{1,6}?(?:局|委)(?![\u4e00-\u9fff]*(?:人民政府|办公厅))")
YEAR_RE = re.compile(r"(?<!\d)(20[12]\d)(?=年|〕|\]|］|】|）|\))")
SERIAL_RE = re.compile(r"([〕\]］】）)])(\d{1,4})号")
DATE_RE = re.compile(r"(20\d\d)年(\d{1,2})月(\d{1,2})日")
FIGURE_RE = re.compile(r"(?<![\d年月〔\[])(\d{2,5})(?=(?:家|个|人|万|件|台|项|所|次|亿|公里|%))")


def vary(text: str, i: int) -> str:
    """A light variation of a notice: another year, serial, date, unit names and figures."""
    rnd = random.Random(i)
    shift = rnd.randint(-5, 1)
    text = YEAR_RE.sub(lambda m: str(int(m[1]) + shift), text)
    text = SERIAL_RE.sub(lambda m: f"{m[1]}{rnd.randint(1, 300)}号", text)
    text = DATE_RE.sub(lambda m: f"{m[1]}年{rnd.randint(1, 12)}月{rnd.randint(1, 28)}日", text)
    names: dict[str, str] = {}

    def unit(m: re.Match) -> str:
        if m[0] not in names:
            names[m[0]] = rnd.choice(UNIT_POOL)
        return names[m[0]]
    text = UNIT_RE.sub(unit, text)
    text = FIGURE_RE.sub(lambda m: str(max(1, int(int(m[1]) * rnd.uniform(0.5, 1.5)))), text)
    return text


PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<meta name="ArticleTitle" content="{title}"><link rel="stylesheet" href="/css/main.css"></head>
<body><div class="header"><div class="logo">澜州市人民政府门户网站</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/bsfw/">办事服务</a></li>
<li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政策文件</div>
<div class="article"><div class="article-title">{title}</div>
<div class="article-info">发布时间：{date} 来源：市政府办公室 【字体：大 中 小】</div>
<div class="article-content" id="zoom">
{body}
</div></div>
<div class="share">分享到：微信 微博</div>
<div class="footer"><p>主办：澜州市人民政府办公室 承办：澜州市大数据发展局</p><p>网站标识码：0000000000 备案号：澜ICP备00000000号</p></div>
</body></html>
"""


def html_page(text: str) -> str:
    from html import escape
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    body, table = [], []
    for ln in lines + [""]:
        if "|" in ln:
            table.append(ln.split("|"))
            continue
        if table:
            rows = "".join("<tr>" + "".join(f"<td>{escape(c.strip())}</td>" for c in r if c.strip() != "^") + "</tr>"
                           for r in table)
            body.append(f'<table border="1" cellspacing="0">{rows}</table>')
            table = []
        if ln:
            body.append(f"<p>{escape(ln)}</p>")
    title = lines[2] if len(lines) > 2 else lines[0]
    dates = [ln for ln in lines if DATE_RE.fullmatch(ln)]
    date = dates[0] if dates else ""
    return PAGE.format(title=escape(title), date=escape(date), body="\n".join(body))


def _render(job: tuple[int, str]) -> tuple[int, dict[str, int]]:
    i, out = job
    out = Path(out)
    fx = fixtures()
    base = BASES[i % len(BASES)]
    text = vary(base.read_text("utf-8"), i)
    name = f"{i:05d}-{base.stem}"
    txt = out / "txt" / f"{name}.txt"
    txt.write_text(text, "utf-8")
    (out / "html" / f"{name}.html").write_text(html_page(text), "utf-8")
    fx.render_pdf(txt, out / "pdf" / f"{name}.pdf")
    fx.render_docx(txt, out / "docx" / f"{name}.docx")
    return i, {f: (out / f / f"{name}.{f}").stat().st_size for f in FORMATS}


def generate(n: int, small: int, out: Path = GENERATED) -> dict:
    stamp = out / "stamp.json"
    want = {"version": GENERATOR_VERSION, "n": n, "small": small, "bases": [b.name for b in BASES]}
    if stamp.exists() and json.loads(stamp.read_text("utf-8")) == want:
        return want
    t0 = time.perf_counter()
    if out.exists():
        shutil.rmtree(out)
    for f in FORMATS:
        (out / f).mkdir(parents=True)
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(_render, [(i, str(out)) for i in range(n)], chunksize=20))
    files = {f: sorted((out / f).iterdir()) for f in FORMATS}
    for f in FORMATS:                       # one archive per format, members in place
        _zip(out / f"{f}.zip", files[f], f)
    mixed = [files[FORMATS[i % 4]][i] for i in range(n)]
    _zip(out / f"mixed-{n}.zip", mixed, "mixed")
    _zip(out / f"mixed-{small}.zip", mixed[:small], "mixed")
    stamp.write_text(json.dumps(want), "utf-8")
    print(f"generated {n} notices × {len(FORMATS)} formats into {out.relative_to(ROOT)} "
          f"in {time.perf_counter() - t0:.0f} s", flush=True)
    return want


def _zip(target: Path, files: list[Path], folder: str) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for f in files:
            z.write(f, f"{folder}/{f.suffix[1:]}/{f.name}")


# ----------------------------------------------------------------------------- measured runs

class TreeMemory:
    """Peak RSS summed over a process and all its descendants, sampled every `interval` s."""

    def __init__(self, pid: int, interval: float = 0.02):
        import psutil
        self.psutil = psutil
        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        ps = self.psutil
        while not self._stop.is_set():
            try:
                procs = [self.root] + self.root.children(recursive=True)
            except ps.Error:
                break
            total = 0
            for p in procs:
                try:
                    total += p.memory_info().rss
                except ps.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


# Every run's output folder stays until the bench ends: on ext4 without a journal (this dev
# machine's disk), a file created within a minute or more of thousands of deletions in the same
# block group makes the inode allocator walk past every recently deleted inode (the kernel's
# recently_deleted()), and a run started right after the previous run's outputs were removed
# spent 3-7 s in the kernel instead of 0.7 s, at random, and more with two workers.
RUNS = Path(tempfile.gettempdir())


def cli_run(inputs: list[Path], jobs: int, extra: tuple[str, ...] = ()) -> dict:
    """`fzparse parse INPUTS -o TMP -j JOBS --force`, timed from outside, peak tree RSS."""
    out = Path(tempfile.mkdtemp(prefix="run-", dir=RUNS))
    cmd = [sys.executable, "-m", "fzparse", "parse", *map(str, inputs), "-o", str(out), "-j", str(jobs),
           "--force", "--no-progress", *extra]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    mem = TreeMemory(proc.pid)
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    peak = mem.stop()
    entries = [json.loads(ln) for ln in (out / "manifest.jsonl").read_text("utf-8").splitlines()]
    ok = [e for e in entries if e["status"] in ("ok", "skipped") and e["output"]]
    failed = [e for e in entries if e["status"] == "failed"]
    return {"wall": wall, "peak": peak, "ok": len(ok), "failed": len(failed), "bytes": sum(e["bytes"] or 0 for e in ok),
            "status": proc.returncode, "stderr": err.strip().splitlines()[-1:] if err else []}


# ----------------------------------------------------------------------------- stages

STAGES = ("read", "clean", "segment", "elements", "outline", "extract", "resolve", "export")


def stage_times(files: list[Path]) -> dict[str, float]:
    """Seconds per stage over `files`, in this process, by wrapping the stage functions."""
    from fzparse import export, pipeline
    acc = dict.fromkeys(STAGES + ("outline+extract",), 0.0)
    wrapped = {"read": "read", "clean": "clean", "segment": "segment", "elements": "fill_elements",
               "resolve": "resolve_document",
               "outline+extract": "fill_outline", "extract": ("units_in_paragraph", "references_in",
                                                              "task_table_nodes")}
    saved = {}

    def wrap(stage, name):
        fn = getattr(pipeline, name, None)
        if fn is None:
            return
        saved[name] = fn

        def timed_fn(*a, **k):
            t0 = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                acc[stage] += time.perf_counter() - t0
        setattr(pipeline, name, timed_fn)
    for stage, names in wrapped.items():
        for name in (names if isinstance(names, tuple) else (names,)):
            wrap(stage, name)
    try:
        for f in files:
            doc = pipeline.parse(f)
            t0 = time.perf_counter()
            export.to_json(doc)
            export.rows([doc])
            acc["export"] += time.perf_counter() - t0
    finally:
        for name, fn in saved.items():
            setattr(pipeline, name, fn)
    acc["outline"] = max(0.0, acc.pop("outline+extract") - acc["extract"])
    return acc


def _burn(_=None) -> float:
    t0 = time.perf_counter()
    x = 0
    for i in range(8_000_000):
        x += i
    return time.perf_counter() - t0


def cpu_scaling() -> tuple[float, float]:
    """How much two CPU-bound processes slow each other here (shared or busy cores)."""
    one = min(_burn() for _ in range(2))
    with ProcessPoolExecutor(max_workers=2) as pool:
        two = max(pool.map(_burn, [0, 1]))
    return one, two


# ----------------------------------------------------------------------------- report

SECTIONS = ("throughput", "floors", "stages", "memory", "real")


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000, help="notices generated (each in 4 formats) [%(default)s]")
    ap.add_argument("--small", type=int, default=200, help="the small run for the memory comparison [%(default)s]")
    ap.add_argument("--pdf-floor", type=int, default=300, help="PDFs timed against bare pdfplumber [%(default)s]")
    ap.add_argument("--stage-docs", type=int, default=100, help="documents per format for stage times [%(default)s]")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--repeat", type=int, default=2,
                    help="runs per worker count, taken in turn; the fastest is reported [%(default)s]")
    ap.add_argument("--quick", action="store_true", help="n=200, small=40: a smoke run")
    ap.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections to run [%(default)s]")
    args = ap.parse_args(argv)
    only = set(args.only.split(","))
    if only - set(SECTIONS):
        ap.error(f"unknown section(s): {', '.join(sorted(only - set(SECTIONS)))}")
    if args.quick:
        args.n, args.small, args.pdf_floor, args.stage_docs = 200, 40, 40, 20
    t_all = time.perf_counter()
    generate(args.n, args.small)
    global RUNS
    RUNS = Path(tempfile.mkdtemp(prefix="fzparse-bench-"))
    try:
        return _sections(args, only, t_all)
    finally:
        shutil.rmtree(RUNS, ignore_errors=True)


def _sections(args, only: set[str], t_all: float) -> int:
    print(f"machine: {platform.machine()} {platform.processor() or ''} python {platform.python_version()}, "
          f"{os.cpu_count()} cores; fzparse {__import__('fzparse').__version__}; inputs: {args.n} generated "
          f"notices per format (bench/generated)", flush=True)
    files = {f: sorted((GENERATED / f).iterdir()) for f in FORMATS}
    one, two = cpu_scaling()
    print(f"load average {os.getloadavg()[0]:.2f}; a pure-Python loop: 1 process {one:.2f} s, 2 processes at once "
          f"{two:.2f} s each → this machine's ceiling for 2 workers ≈ {2 * one / two:.2f}×", flush=True)

    # 1. per format and worker count, through the CLI on an archive
    if "throughput" in only:
        print("\n== throughput: fzparse parse FORMAT.zip -j N --force (members read in place; wall time, startup "
              "and run tables included)")
        speedups = {}
        for f in FORMATS:
            # -j 1 and -j 2 taken in turn, `--repeat` times: on a shared machine a neighbour's
            # burst lands on one run; each worker count is reported by its fastest run
            runs: dict[int, list[dict]] = {1: [], 2: []}
            for _ in range(args.repeat):
                for j in (1, 2):
                    runs[j].append(cli_run([GENERATED / f"{f}.zip"], j))
            for j in (1, 2):
                r = min(runs[j], key=lambda r: r["wall"])
                mb = r["bytes"] / 1e6
                print(f"{f:5} -j {j}  {r['ok']:5d} docs  {r['wall']:6.1f} s  {r['ok'] / r['wall']:7.1f} docs/s  "
                      f"{mb / r['wall']:6.2f} MB/s  peak RSS {r['peak'] / 1e6:6.0f} MB"
                      + (f"  ({r['failed']} failed)" if r["failed"] else "")
                            + (f"  (runs: {', '.join(format(x['wall'], '.1f') for x in runs[j])} s)" if args.repeat > 1 else ""),
                      flush=True)
            speedups[f] = min(r["wall"] for r in runs[1]) / min(r["wall"] for r in runs[2])
            print(f"{f:5} 2 workers / 1 worker: {speedups[f]:.2f}×  [{verdict(speedups[f] >= 1.7)} bar ≥ 1.7×]", flush=True)

    # 2. floors, in one process, same files
    if "floors" in only:
        print("\n== floors: the whole pipeline (parse + JSON) in one process vs bare extraction of the same files")
        html = files["html"]
        pipeline(html[0])
        t_fz = timed(pipeline, html)
        t_lx = timed(bare_lxml, html)
        mb = sum(p.stat().st_size for p in html) / 1e6
        html_ratio = t_fz / t_lx
        print(f"html  {len(html)} pages  fzparse {len(html) / t_fz:7.1f} docs/s {mb / t_fz:6.2f} MB/s   bare lxml "
              f"{len(html) / t_lx:7.1f} docs/s   fzparse costs {html_ratio:.2f}× bare lxml  "
              f"[{verdict(html_ratio <= 2.0)} bar ≤ 2×]", flush=True)
        # The bar names text notices without tables; notices with ruled tables are reported apart
        # (their table pages may cost pdfplumber's speed). Which is which comes from our own source
        # text: a table row there is a line with "|".
        pdfs = files["pdf"][:args.pdf_floor]
        has_table = {p: "|" in (GENERATED / "txt" / f"{p.stem}.txt").read_text("utf-8") for p in pdfs}
        pipeline(pdfs[0])
        for label, subset, bar in (("pdf, text notices without tables", [p for p in pdfs if not has_table[p]], True),
                                   ("pdf, notices with ruled tables", [p for p in pdfs if has_table[p]], False)):
            if not subset:
                continue
            pages = sum(pages_of(p) for p in subset)
            t_fz = timed(pipeline, subset, 2)
            t_pl = timed(bare_pdfplumber, subset)
            # in a fresh process: fzparse's reader gives pdfium no system fonts (process-wide),
            # and bare pypdfium2 is timed as it comes, with pdfium's default font lookup
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
                t_pd = pool.submit(timed, bare_pdfium, subset, 2).result()
            pdf_ratio = t_pl / t_fz
            print(f"{label}: {len(subset)} files {pages} pages  fzparse {pages / t_fz:7.1f} pages/s   bare pdfplumber "
                  f"extract_text {pages / t_pl:7.1f} pages/s   bare pypdfium2 (default fonts) {pages / t_pd:7.1f} pages/s", flush=True)
            print(f"      fzparse is {pdf_ratio:.2f}× as fast as bare pdfplumber"
                  + (f"  [{verdict(pdf_ratio >= 6)} bar ≥ 6×]" if bar else "  (no bar: table pages)")
                  + f"; it costs {t_fz / t_pd:.1f}× bare pypdfium2", flush=True)

    # 3. stages
    if "stages" in only:
        print(f"\n== time per stage, ms per document ({args.stage_docs} documents per format, one process)")
        print(f"{'':6}" + "".join(f"{s:>9}" for s in STAGES) + f"{'total':>9}")
        for f in FORMATS:
            sample = files[f][:args.stage_docs]
            stage_times(sample[:2])                     # warm
            acc = stage_times(sample)
            print(f"{f:6}" + "".join(f"{acc[s] * 1000 / len(sample):9.2f}" for s in STAGES)
                  + f"{sum(acc.values()) * 1000 / len(sample):9.2f}", flush=True)

    # 4. memory, and the headline mixed archive
    if "memory" in only:
        print("\n== peak memory (RSS summed over the process tree) and the mixed-format archive, -j 2")
        small = cli_run([GENERATED / f"mixed-{args.small}.zip"], 2)
        bigs, big1s = [], []
        for _ in range(args.repeat):          # in turn, as above
            bigs.append(cli_run([GENERATED / f"mixed-{args.n}.zip"], 2))
            big1s.append(cli_run([GENERATED / f"mixed-{args.n}.zip"], 1))
        big = min(bigs, key=lambda r: r["wall"])
        big1 = min(big1s, key=lambda r: r["wall"])
        for label, r in ((f"mixed-{args.small}.zip -j 2", small), (f"mixed-{args.n}.zip -j 2", big),
                         (f"mixed-{args.n}.zip -j 1", big1)):
            print(f"{label:22} {r['ok']:5d} docs  {r['wall']:6.1f} s  {r['ok'] / r['wall']:7.1f} docs/s  "
                  f"{r['bytes'] / 1e6 / r['wall']:6.2f} MB/s  peak RSS {r['peak'] / 1e6:6.0f} MB", flush=True)
        growth = max(r["peak"] for r in bigs) / small["peak"]     # the highest peak of the big runs
        mixed_speedup = big1["wall"] / big["wall"]
        print(f"peak memory {args.n} / {args.small} documents: {growth:.2f}×  [{verdict(growth <= 1.2)} bar ≤ 1.2×]")
        print(f"mixed archive 2 workers / 1 worker: {mixed_speedup:.2f}×  [{verdict(mixed_speedup >= 1.7)} bar ≥ 1.7×]")

    # 5. the real pages and PDFs of ../shared, as before
    if "real" in only:
        shared = args.shared / "corpus"
        real_html = sorted((shared / "govcn").glob("*.html")) + sorted((shared / "real" / "html").glob("*.html"))
        real_pdf = sorted((shared / "real" / "pdf").glob("cqupt-*.pdf")) + sorted((shared / "real" / "pdf").glob("govdoccn-*.pdf"))
        if real_html or real_pdf:
            print(f"\n== real documents in {args.shared} (best of 3)")
            if real_html:
                t_fz, t_lx = timed(pipeline, real_html, 3), timed(bare_lxml, real_html, 3)
                print(f"html  {len(real_html)} pages   fzparse {len(real_html) / t_fz:7.1f} docs/s   bare lxml "
                      f"{len(real_html) / t_lx:7.1f} docs/s   fzparse costs {t_fz / t_lx:.2f}× bare lxml")
            if real_pdf:
                pages = sum(pages_of(p) for p in real_pdf)
                t_fz, t_pl = timed(pipeline, real_pdf, 3), timed(bare_pdfplumber, real_pdf, 1)
                print(f"pdf   {len(real_pdf)} files {pages} pages   fzparse {pages / t_fz:7.1f} pages/s   bare pdfplumber "
                      f"{pages / t_pl:7.1f} pages/s   fzparse is {t_pl / t_fz:.2f}× its speed")

    print(f"\nbench took {time.perf_counter() - t_all:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
