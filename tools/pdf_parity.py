#!/usr/bin/env python3
"""PDF parity: a notice printed to PDF must parse to the same answer as its web page.

    python tools/pdf_parity.py [--shared ../shared] [--out tests/generated/parity]
                               [--keys govcn-5341736,...] [--no-browser] [--jobs 4]

For every gov.cn notice in ../shared/corpus/govcn (KEY.body.html + KEY.gold.json) it

1. prints the body page to PDF with headless Chromium (`browser/KEY.pdf`; skipped, with a
   message, when no `chromium` is installed) — from a local copy whose Content-Security-Policy
   forbids every remote load, so nothing leaves the machine;
2. renders the notice's paragraphs (fzparse's own HTML parse) into a GB/T 9704-style A4 PDF
   with tools/make_fixtures.py (`own/KEY.pdf`);
3. parses the HTML and both PDF sets with the CLI into `out-html/`, `out-browser/`, `out-own/`;
4. scores each against the gold with ../shared/eval/score.py and prints per-field F1 for
   html / browser-pdf / own-pdf and the largest gap between a PDF set and the HTML.

Exit status 0, or 1 when any field's gap exceeds --max-gap (0.02), or 2 when the corpus is
missing.
"""
from __future__ import annotations

import argparse
import concurrent.futures as futures
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "tests" / "generated" / "parity"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--no-pdf-header-footer"]
# injected into the local copy: inline styles only, no fetch of anything
CSP = ('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
       'style-src \'unsafe-inline\'; img-src data:; font-src data:">')


def _load_fixtures():
    spec = importlib.util.spec_from_file_location("make_fixtures", ROOT / "tools" / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_fixtures", module)
    spec.loader.exec_module(module)
    return module


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def notices(shared: Path, keys: list[str] | None = None) -> list[tuple[str, Path]]:
    folder = shared / "corpus" / "govcn"
    out = []
    for body in sorted(folder.glob("*.body.html")):
        key = body.name[: -len(".body.html")]
        if (folder / f"{key}.gold.json").exists() and (not keys or key in keys):
            out.append((key, body))
    return out


def offline_copy(html: Path, dest: Path) -> Path:
    """The page with a CSP that blocks every remote resource (scripts, styles, images, fonts)."""
    text = html.read_text("utf-8", errors="replace")
    m = re.search(r"<head[^>]*>", text, re.I)
    text = text[: m.end()] + CSP + text[m.end():] if m else CSP + text
    dest.write_text(text, "utf-8")
    return dest


def print_with_chromium(chromium: str, html: Path, pdf: Path, timeout: float = 120) -> str | None:
    """Print one page to PDF; an error message, or None."""
    with tempfile.TemporaryDirectory(prefix="fzparse-chromium-") as profile:
        src = offline_copy(html, Path(profile) / html.name)
        cmd = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}/user", f"--print-to-pdf={pdf}",
               src.as_uri()]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return f"chromium timed out after {timeout:.0f} s"
        if not pdf.exists() or pdf.stat().st_size == 0:
            return f"chromium exit {proc.returncode}: {proc.stderr.strip()[-300:]}"
    return None


def render_own(mf, html: Path, pdf: Path) -> None:
    import fzparse
    mf.render_document_pdf(fzparse.parse(html), pdf)


def parse_set(inputs: Path, out: Path) -> tuple[float, list[str]]:
    if out.exists():
        shutil.rmtree(out)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "fzparse", "parse", str(inputs), "-o", str(out)],
                          capture_output=True, text=True, cwd=ROOT)
    failures = [ln for ln in proc.stderr.splitlines() if ln.startswith("fzparse: ") and " parsed, " not in ln]
    return time.perf_counter() - t0, failures


def score(shared: Path, pred: Path) -> dict[str, float]:
    table = pred / "score.json"
    subprocess.run([sys.executable, str(shared / "eval" / "score.py"), "--gold", str(shared / "corpus" / "govcn"),
                    "--pred", str(pred), "--json", str(table)], capture_output=True, text=True, check=False)
    data = json.loads(table.read_text("utf-8"))
    return {f: r["f1"] for f, r in data["fields"].items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--keys", help="comma-separated notice keys (default: all)")
    ap.add_argument("--no-browser", action="store_true", help="skip the Chromium PDFs")
    ap.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1))
    ap.add_argument("--max-gap", type=float, default=0.02)
    ap.add_argument("--reuse", action="store_true", help="keep PDFs already rendered")
    args = ap.parse_args(argv)
    shared = args.shared.resolve()
    if not (shared / "eval" / "score.py").exists() or not (shared / "corpus" / "govcn").is_dir():
        print(f"pdf_parity: {shared} has no eval/score.py or corpus/govcn: nothing to compare")
        return 2
    keys = args.keys.split(",") if args.keys else None
    items = notices(shared, keys)
    if not items:
        print("pdf_parity: no notices")
        return 2
    out = args.out.resolve()
    html_dir, own_dir, browser_dir = out / "html", out / "own", out / "browser"
    for d in (html_dir, own_dir, browser_dir):
        if d.exists() and not args.reuse:
            shutil.rmtree(d)
        d.mkdir(parents=True, exist_ok=True)

    mf = _load_fixtures()
    t0 = time.perf_counter()
    for key, body in items:
        shutil.copyfile(body, html_dir / f"{key}.html")
        pdf = own_dir / f"{key}.pdf"
        if not (args.reuse and pdf.exists()):
            render_own(mf, body, pdf)
    print(f"own renderer: {len(items)} PDFs in {time.perf_counter() - t0:.1f} s → {own_dir}")

    sets = {"html": html_dir, "own-pdf": own_dir}
    chromium = None if args.no_browser else find_chromium()
    if args.no_browser:
        print("browser PDFs: skipped (--no-browser)")
    elif chromium is None:
        print("browser PDFs: skipped — no chromium on PATH "
              "(Debian: apt-get install -y chromium fonts-wqy-zenhei)")
    else:
        t0 = time.perf_counter()
        todo = [(key, body) for key, body in items
                if not (args.reuse and (browser_dir / f"{key}.pdf").exists())]
        with futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            errors = dict(zip([k for k, _ in todo], pool.map(
                lambda kb: print_with_chromium(chromium, kb[1], browser_dir / f"{kb[0]}.pdf"), todo)))
        for key, err in errors.items():
            if err:
                print(f"browser PDF {key}: {err}")
        print(f"browser (chromium): {len(todo)} PDFs in {time.perf_counter() - t0:.1f} s → {browser_dir}")
        sets["browser-pdf"] = browser_dir

    scores: dict[str, dict[str, float]] = {}
    for name, folder in sets.items():
        seconds, failures = parse_set(folder, out / f"out-{name}")
        for line in failures:
            print(f"{name}: {line}")
        scores[name] = score(shared, out / f"out-{name}")
        print(f"parsed {name}: {seconds:.1f} s")

    names = [n for n in ("html", "browser-pdf", "own-pdf") if n in scores]
    fields = sorted(set().union(*(s.keys() for s in scores.values())))
    print()
    print(f"{'field':24}" + "".join(f"{n:>13}" for n in names) + f"{'max gap':>10}")
    worst = 0.0
    for f in fields:
        base = scores["html"].get(f, 0.0)
        gap = max((abs(scores[n].get(f, 0.0) - base) for n in names if n != "html"), default=0.0)
        worst = max(worst, gap)
        mark = "  <-" if gap > args.max_gap + 1e-9 else ""
        print(f"{f:24}" + "".join(f"{scores[n].get(f, 0.0):13.3f}" for n in names) + f"{gap:10.3f}{mark}")
    print(f"\nmax gap {worst:.3f} (allowed {args.max_gap:.3f}): {'ok' if worst <= args.max_gap + 1e-9 else 'FAIL'}")
    return 0 if worst <= args.max_gap + 1e-9 else 1


if __name__ == "__main__":
    sys.exit(main())
