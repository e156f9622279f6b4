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
    p.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                   help="worker processes [the CPU count]; 1 parses in this process")
    p.add_argument("--force", action="store_true",
                   help="parse every input again (default: skip inputs unchanged since the last run)")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local processes, or dask.distributed (a LocalCluster of N workers, or --scheduler)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="a dask scheduler, e.g. tcp://10.0.0.5:8786 (implies --engine dask)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar (it only shows on a terminal anyway)")
    p.add_argument("--no-analysis", action="store_true", help="CSV tables only: no Parquet dataset, no DuckDB database")
    p.add_argument("--min-confidence", type=float, default=0.0, metavar="X",
                   help="leave units below this confidence (0..1) out of assignments.csv and units.csv [%(default)g]")
    p.add_argument("--keywords", action="store_true",
                   help="keywords per node and document (loads jieba: ~2 s once, then several times the parse time)")
    from . import review
    review.register(sub)     # report / xlsx / diff: the tools for the people who check the data
    return ap


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING, stream=sys.stderr,
                        format="fzparse: %(message)s")
    if args.command == "parse":
        missing = [str(p) for p in args.inputs if not p.exists()]
        if missing:
            print(f"fzparse: no such file or folder: {', '.join(missing)}", file=sys.stderr)
            return 2
        from . import batch
        from .engines import cpu_count
        limits = Limits(max_bytes=int(args.max_mb * MB), max_pages=args.max_pages,
                        max_unzipped_bytes=int(args.max_unzipped_mb * MB), max_zip_ratio=args.max_zip_ratio,
                        max_depth=args.max_depth, seconds=args.timeout or None)

        def report(entry) -> None:            # one line per failure, as it happens
            if entry.status == "failed":
                batch.say(f"fzparse: {entry.reason}")
        if args.keywords:
            from . import resolve
            resolve.set_keywords(True)        # before the workers start: they inherit it
        try:
            result = batch.run(args.inputs, args.output, limits, jobs=args.jobs or cpu_count(),
                               engine="dask" if args.scheduler else args.engine, scheduler=args.scheduler,
                               force=args.force, progress=not args.no_progress, on_entry=report,
                               analysis=not args.no_analysis, min_confidence=args.min_confidence)
        except batch.OutputBusy as err:
            print(f"fzparse: {err}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            print("fzparse: interrupted; the manifest holds what was done, a re-run goes on from there",
                  file=sys.stderr)
            return 130
        ok = len(result.outcomes) - len(result.failed)
        unchanged = f", {len(result.unchanged)} unchanged since the last run" if result.unchanged else ""
        print(f"fzparse: {ok} parsed, {len(result.failed)} failed, {len(result.skipped)} skipped "
              f"(hidden, or not a notice format){unchanged} → {args.output}", file=sys.stderr)
        return 1 if result.failed else 0
    handler = getattr(args, "handler", None)
    if handler is not None:
        return handler(args)
    return 2
