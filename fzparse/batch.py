"""The batch runner: many inputs → one output folder. A thin shell over `parse`."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import limits as limits_mod
from .errors import FzparseError, TimeLimitExceeded
from .export import to_json, write_atomic, write_tables
from .models import Document
from .pipeline import document_key, parse

log = logging.getLogger("fzparse")

INPUT_EXTENSIONS = {".txt", ".text", ".html", ".htm", ".xhtml", ".shtml", ".pdf", ".docx", ".doc", ".wps"}


@dataclass
class Job:
    source: Path
    output: Path


@dataclass
class Outcome:
    job: Job
    status: str                 # 'ok' | 'failed'
    reason: str | None = None
    seconds: float = 0.0
    document: Document | None = None


@dataclass
class RunResult:
    outcomes: list[Outcome] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status != "ok"]


def plan(inputs: list[Path], outdir: Path) -> tuple[list[Job], list[Path]]:
    """Map inputs to output files: a folder's sub-folders are mirrored; two inputs never share
    an output (colliding names keep their extension: a.txt → a.txt.json beside a.html.json)."""
    pairs: list[tuple[Path, Path]] = []
    skipped: list[Path] = []
    for item in inputs:
        if item.is_dir():
            for f in sorted(p for p in item.rglob("*") if p.is_file()):
                rel = f.relative_to(item)
                if any(part.startswith(".") for part in rel.parts):
                    skipped.append(f)        # hidden files are counted, not parsed
                    continue
                if f.suffix.lower() not in INPUT_EXTENSIONS:
                    skipped.append(f)
                    continue
                pairs.append((f, rel.parent))
        else:
            pairs.append((item, Path()))
    targets: dict[Path, list[int]] = {}
    for n, (f, sub) in enumerate(pairs):
        targets.setdefault(outdir / sub / f"{document_key(f)}.json", []).append(n)
    jobs: list[Job] = [None] * len(pairs)  # type: ignore[list-item]
    for target, members in targets.items():
        for n in members:
            f, sub = pairs[n]
            out = target if len(members) == 1 else outdir / sub / f"{f.name}.json"
            jobs[n] = Job(f, out)
    return jobs, skipped


def run(inputs: list[Path], outdir: Path, limits: limits_mod.Limits | None = None) -> RunResult:
    jobs, skipped = plan(inputs, outdir)
    result = RunResult(skipped=skipped)
    limit = limits or limits_mod.current()
    for job in jobs:
        t0 = time.perf_counter()
        try:
            try:
                with limits_mod.time_limit(limit.seconds):
                    doc = parse(job.source, limit)
            except TimeoutError as err:
                raise TimeLimitExceeded(job.source, str(err)) from None
            write_atomic(job.output, to_json(doc))
            result.outcomes.append(Outcome(job, "ok", seconds=time.perf_counter() - t0, document=doc))
        except FzparseError as err:
            log.debug("%s", err, exc_info=True)
            result.outcomes.append(Outcome(job, "failed", str(err), time.perf_counter() - t0))
        except Exception as err:  # a bug must not stop the batch; it is reported like a failure
            log.debug("unexpected error", exc_info=True)
            result.outcomes.append(Outcome(job, "failed", f"{job.source}: internal error: {type(err).__name__}: {err}",
                                           time.perf_counter() - t0))
    docs = [o.document for o in result.outcomes if o.document is not None]
    write_tables(outdir, docs)
    return result
