#!/usr/bin/env python3
"""Score fzparse on the shared corpus against pinned floors that only ever go up.

    python tools/score_gate.py [--shared ../shared] [--show] [--raise-floors]

Parses each shared set (seed, govcn, real) into a temporary folder with the CLI, scores it with
../shared/eval/score.py, and fails (exit 1) when any field's F1 is below its floor in
tests/score_floors.json — so no change can quietly lower accuracy. `--raise-floors` writes the
current scores as the new floors where they are higher (never lower). Without ../shared it says
so and exits 0: the gate needs the corpus, the unit tests do not.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOORS = ROOT / "tests" / "score_floors.json"
SETS = {  # set → (inputs below corpus/, gold folder below corpus/)
    "seed": (["seed"], "seed"),
    "govcn": (["govcn"], "govcn"),
    "real": (["real/pdf", "real/html", "real/txt"], "real/gold"),
}
# Inputs that must be refused with exit 1 and no output.
MUST_FAIL = ["real/scanned", "real/doc"]


def run_set(shared: Path, inputs: list[str], gold: str, out: Path) -> dict:
    cmd = [sys.executable, "-m", "fzparse", "parse", *[str(shared / "corpus" / i) for i in inputs], "-o", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"score_gate: fzparse exited {proc.returncode}: {proc.stderr[-2000:]}")
    failures = [ln for ln in proc.stderr.splitlines() if ln.startswith("fzparse: ") and " parsed, " not in ln]
    table = out / "score.json"
    subprocess.run([sys.executable, str(shared / "eval" / "score.py"), "--gold", str(shared / "corpus" / gold),
                    "--pred", str(out), "--json", str(table)], capture_output=True, text=True, check=False)
    scores = json.loads(table.read_text("utf-8"))
    return {"fields": {f: round(r["f1"], 4) for f, r in scores["fields"].items()},
            "missing": scores["problems"], "failures": failures}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--show", action="store_true", help="print every field's score")
    ap.add_argument("--raise-floors", action="store_true", help="raise the pinned floors to the current scores")
    args = ap.parse_args(argv)
    shared = args.shared.resolve()
    if not (shared / "eval" / "score.py").exists():
        print(f"score_gate: {shared} has no eval/score.py: shared corpus absent, gate skipped")
        return 0
    floors = json.loads(FLOORS.read_text("utf-8")) if FLOORS.exists() else {}
    problems: list[str] = []
    current: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, (inputs, gold) in SETS.items():
            if not all((shared / "corpus" / i).exists() for i in inputs):
                continue
            result = run_set(shared, inputs, gold, Path(tmp) / name)
            current[name] = result["fields"]
            for line in result["failures"]:
                problems.append(f"{name}: input failed: {line}")
            for line in result["missing"]:
                problems.append(f"{name}: {line}")
            for field, floor in floors.get(name, {}).items():
                got = result["fields"].get(field, 0.0)
                if got + 1e-9 < floor:
                    problems.append(f"{name}: {field} F1 {got:.4f} is below its floor {floor:.4f}")
            if args.show:
                for field, f1 in sorted(result["fields"].items()):
                    print(f"{name:6} {field:24} {f1:.4f}  (floor {floors.get(name, {}).get(field, 0):.4f})")
        for folder in MUST_FAIL:
            src = shared / "corpus" / folder
            if not src.exists():
                continue
            out = Path(tmp) / ("fail-" + folder.replace("/", "-"))
            proc = subprocess.run([sys.executable, "-m", "fzparse", "parse", str(src), "-o", str(out)],
                                  capture_output=True, text=True)
            written = [p.name for p in out.glob("*.json")] if out.exists() else []
            if proc.returncode != 1 or written:
                problems.append(f"{folder}: expected exit 1 and no JSON, got exit {proc.returncode} and {written}")
    if args.raise_floors:
        for name, fields in current.items():
            pinned = floors.setdefault(name, {})
            for field, f1 in fields.items():
                pinned[field] = max(pinned.get(field, 0.0), f1)
        FLOORS.write_text(json.dumps(floors, ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8")
        print(f"score_gate: floors written to {FLOORS}")
    for line in problems:
        print("score_gate:", line)
    print(f"score_gate: {'FAILED' if problems else 'ok'} — {sum(len(v) for v in current.values())} field scores "
          f"checked over {len(current)} sets")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
