#!/usr/bin/env python3
"""`make fuzz`: the property checks of tests/properties.py with many examples (outside CI).

    python tools/fuzz.py [--examples 10000]

Runs hypothesis over notice-like and arbitrary text, then over random bytes through every
reader (text, HTML, PDF, DOCX by name), and reports how many cases ran. Any exception that is
not an FzparseError, and any broken invariant, fails the run with hypothesis's minimal example."""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from properties import any_text, check, notice_text  # noqa: E402

import fzparse  # noqa: E402
from fzparse.errors import FzparseError  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--examples", type=int, default=10_000)
    args = ap.parse_args(argv)
    counted = {"n": 0}
    per = max(1, -(-args.examples // 3))
    opts = settings(max_examples=per, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))

    @opts
    @given(notice_text)
    def notices(text):
        counted["n"] += 1
        check(text)

    @opts
    @given(any_text)
    def texts(text):
        counted["n"] += 1
        check(text)

    tmp = Path(tempfile.mkdtemp(prefix="fzparse-fuzz-"))

    @opts
    @given(st.binary(max_size=3000), st.sampled_from([".txt", ".html", ".pdf", ".docx", ".xhtml"]))
    def files(data, ext):
        counted["n"] += 1
        path = tmp / f"case{ext}"
        path.write_bytes(data)
        try:
            fzparse.parse(path)
        except FzparseError:
            pass

    t0 = time.perf_counter()
    for run in (notices, texts, files):
        run()
    print(f"fuzz: {counted['n']} cases, no unexpected exception, {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
