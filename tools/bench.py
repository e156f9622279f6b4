#!/usr/bin/env python3
"""`make bench`: fzparse throughput next to the bare extractors, on the same files, in one run.

HTML: the whole pipeline vs a bare lxml parse + text_content(). PDF: the whole pipeline vs bare
pdfplumber extract_text and bare pypdfium2 get_text_range, on text-layer notices (the cqupt and
govdoccn PDFs of ../shared, which have few or no tables) and on table-heavy PDFs separately.
Prints docs/s, pages/s and the ratios; never asserts — speed targets are read off this output.
"""
from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def timed(fn, files, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for f in files:
            fn(f)
        best = min(best, time.perf_counter() - t0)
    return best


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


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    from fzparse import parse
    shared = args.shared / "corpus"
    rows = []
    html = sorted((shared / "govcn").glob("*.html")) + sorted((shared / "real" / "html").glob("*.html"))
    if html:
        t_fz = timed(parse, html, args.repeat)
        t_lx = timed(bare_lxml, html, args.repeat)
        mb = sum(f.stat().st_size for f in html) / 1e6
        rows.append(("html", len(html), None, t_fz, {"bare lxml": t_lx}, mb))
    text_pdfs = sorted((shared / "real" / "pdf").glob("cqupt-*.pdf")) + sorted((shared / "real" / "pdf").glob("govdoccn-*.pdf"))
    table_pdfs = sorted((shared / "real" / "pdf").glob("cee-*.pdf"))
    for label, pdfs in (("pdf (text notices)", text_pdfs), ("pdf (table-heavy)", table_pdfs)):
        if not pdfs:
            continue
        pages = sum(pages_of(f) for f in pdfs)
        t_fz = timed(parse, pdfs, args.repeat)
        t_pl = timed(bare_pdfplumber, pdfs, 1)
        t_pd = timed(bare_pdfium, pdfs, args.repeat)
        mb = sum(f.stat().st_size for f in pdfs) / 1e6
        rows.append((label, len(pdfs), pages, t_fz, {"bare pdfplumber extract_text": t_pl, "bare pypdfium2": t_pd}, mb))
    texts = sorted((ROOT / "corpus").glob("*.txt"))
    if texts:
        t_fz = timed(parse, texts, args.repeat)
        rows.append(("text", len(texts), None, t_fz, {}, sum(f.stat().st_size for f in texts) / 1e6))
    import platform
    print(f"machine: {platform.machine()} {platform.processor() or ''} python {platform.python_version()}, "
          f"{__import__('os').cpu_count()} cores")
    for label, n, pages, t, floors, mb in rows:
        line = f"{label:20} {n:4d} files  fzparse {n / t:8.1f} docs/s  {mb / t:6.2f} MB/s"
        if pages:
            line += f"  {pages / t:7.1f} pages/s"
        print(line)
        for name, tb in floors.items():
            ratio = tb / t
            what = f"{pages / tb:7.1f} pages/s" if pages else f"{n / tb:8.1f} docs/s"
            print(f"{'':20} {name:30} {what}   fzparse is {ratio:5.2f}× its speed"
                  + ("" if pages else f" (costs {1 / ratio:4.2f}× it)"))
    if html:
        tracemalloc.start()
        for f in html:
            parse(f)
        _, peak = tracemalloc.get_traced_memory()
        print(f"peak traced memory over the HTML set: {peak / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
