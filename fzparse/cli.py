"""Command line: `fzparse parse INPUT... -o OUTDIR`. Exit 0 all parsed, 1 some failed, 2 usage."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from . import __version__
from .limits import MB, Limits


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="fzparse", description="Parse Chinese government notices (公文) into JSON and CSV.")
    ap.add_argument("--version", action="version", version=f"fzparse {__version__}")
    ap.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("parse", help="parse files or folders (recursively) into OUTDIR")
    p.add_argument("inputs", nargs="+", type=Path, metavar="INPUT")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="OUTDIR")
    d = Limits()
    p.add_argument("--max-mb", type=float, default=d.max_bytes / MB, help="largest input file (MB) [%(default)g]")
    p.add_argument("--max-pages", type=int, default=d.max_pages, help="most PDF pages [%(default)s]")
    p.add_argument("--max-unzipped-mb", type=float, default=d.max_unzipped_bytes / MB,
                   help="most a DOCX may unpack to (MB) [%(default)g]")
    p.add_argument("--max-zip-ratio", type=float, default=d.max_zip_ratio, help="unpacked/packed ratio [%(default)g]")
    p.add_argument("--max-depth", type=int, default=d.max_depth, help="deepest HTML/XML nesting [%(default)s]")
    p.add_argument("--timeout", type=float, default=d.seconds, help="seconds per document, 0 for none [%(default)g]")
    from . import review
    review.register(sub)     # report / xlsx / diff: the tools for the people who check the data
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING, stream=sys.stderr,
                        format="fzparse: %(message)s")
    if args.command == "parse":
        missing = [str(p) for p in args.inputs if not p.exists()]
        if missing:
            print(f"fzparse: no such file or folder: {', '.join(missing)}", file=sys.stderr)
            return 2
        from .batch import run
        limits = Limits(max_bytes=int(args.max_mb * MB), max_pages=args.max_pages,
                        max_unzipped_bytes=int(args.max_unzipped_mb * MB), max_zip_ratio=args.max_zip_ratio,
                        max_depth=args.max_depth, seconds=args.timeout or None)
        result = run(args.inputs, args.output, limits)
        for outcome in result.failed:
            print(f"fzparse: {outcome.reason}", file=sys.stderr)
        ok = len(result.outcomes) - len(result.failed)
        print(f"fzparse: {ok} parsed, {len(result.failed)} failed, {len(result.skipped)} skipped "
              f"(hidden, or not a notice format) → {args.output}", file=sys.stderr)
        return 1 if result.failed else 0
    handler = getattr(args, "handler", None)
    if handler is not None:
        return handler(args)
    return 2
