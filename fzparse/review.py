"""CLI subcommands for the people who check and use the data (report, xlsx, diff).

`register(sub)` adds them to the `fzparse` command; each sets `handler` to a function
taking the parsed args and returning the exit status (0 done, 1 nothing to work on or an input
failed, 2 usage error).

    fzparse report OUTDIR [-o DIR]            static offline HTML site → OUTDIR/report/
    fzparse xlsx OUTDIR [-o FILE.xlsx]        任务分工表 workbook → OUTDIR/tasks.xlsx
    fzparse diff OLD NEW [--json F] [--csv F] [--report OUTDIR]
"""
from __future__ import annotations

import sys
from pathlib import Path


def _say(msg: str) -> None:
    print(f"fzparse: {msg}", file=sys.stderr)


def _run_folder(path: Path) -> bool:
    if not path.is_dir():
        _say(f"no such folder: {path}")
        return False
    return True


def cmd_report(args) -> int:
    from .report import build_report
    if not _run_folder(args.outdir):
        return 2
    index, docs = build_report(args.outdir, args.output)
    if not docs:
        _say(f"no fzparse JSON in {args.outdir} (run `fzparse parse … -o {args.outdir}` first)")
        return 1
    _say(f"report of {len(docs)} documents → {index}")
    return 0


def cmd_xlsx(args) -> int:
    from .report import load_run
    from .xlsx import write_workbook
    if not _run_folder(args.outdir):
        return 2
    docs = load_run(args.outdir)
    if not docs:
        _say(f"no fzparse JSON in {args.outdir} (run `fzparse parse … -o {args.outdir}` first)")
        return 1
    target = args.output or args.outdir / "tasks.xlsx"
    write_workbook(docs, target)
    _say(f"任务分工表 of {len(docs)} documents → {target}")
    return 0


def cmd_diff(args) -> int:
    from . import diff
    for p in (args.old, args.new):
        if not p.exists():
            _say(f"no such file or folder: {p}")
            return 2
    try:
        result = diff.diff_paths(args.old, args.new, threshold=args.threshold, tasks=args.tasks)
    except diff.DiffInputError as exc:
        _say(str(exc))
        return 1
    if args.json:
        diff.write_json(result, args.json)
    if args.csv:
        diff.write_csv(result, args.csv)
    if args.report:
        target = diff.write_report(result, args.report)
        _say(f"diff page → {target}")
    if not args.quiet:
        sys.stdout.write(diff.render_text(result))
    return 0


def register(sub) -> None:
    p = sub.add_parser("report", help="static offline HTML review site of a run folder (OUTDIR/report/)")
    p.add_argument("outdir", type=Path, metavar="OUTDIR", help="a folder `fzparse parse` wrote")
    p.add_argument("-o", "--output", type=Path, metavar="DIR", help="where to write the site (default OUTDIR/report)")
    p.set_defaults(handler=cmd_report)

    p = sub.add_parser("xlsx", help="the 任务分工表 of a run folder as an Excel workbook")
    p.add_argument("outdir", type=Path, metavar="OUTDIR", help="a folder `fzparse parse` wrote")
    p.add_argument("-o", "--output", type=Path, metavar="FILE.xlsx", help="default OUTDIR/tasks.xlsx")
    p.set_defaults(handler=cmd_xlsx)

    p = sub.add_parser("diff", help="tasks new / dropped / changed between two versions of a notice or run")
    p.add_argument("old", type=Path, metavar="OLD", help="a notice (any input fzparse parses), a JSON, or a run folder")
    p.add_argument("new", type=Path, metavar="NEW")
    p.add_argument("--json", type=Path, metavar="FILE", help="write the diff as JSON")
    p.add_argument("--csv", type=Path, metavar="FILE", help="write the diff as CSV (a row per change)")
    p.add_argument("--report", type=Path, metavar="OUTDIR", help="write OUTDIR/report/diff.html")
    p.add_argument("--threshold", type=float, default=0.6, metavar="S",
                   help="similarity (0–1) below which a task counts as new / dropped (default 0.6)")
    p.add_argument("--tasks", choices=("units", "leaves", "both"), default="both",
                   help="what is a task: nodes with units, leaf nodes, or either (default)")
    p.add_argument("-q", "--quiet", action="store_true", help="no terminal table")
    p.set_defaults(handler=cmd_diff)
