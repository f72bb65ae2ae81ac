"""Time ``alignsim calibrate`` and check that one seed gives identical files (target: <= 30 min on 2 cores).

    python benchmarks/calibrate.py [--seed 0] [--quick] [--out DIR]

Runs the command twice into DIR/a and DIR/b (default: a temporary folder), prints each wall time and
whether every file is byte-identical. Not a timed test: run it by hand; the figures go in docs/validation.md.
"""

from __future__ import annotations

import argparse
import filecmp
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(out: Path, seed: int, quick: bool) -> float:
    started = time.perf_counter()
    cmd = [sys.executable, "-m", "alignsim", "calibrate", "--out", str(out), "--seed", str(seed)]
    subprocess.run(cmd + (["--quick"] if quick else []), check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def same(a: Path, b: Path) -> bool:
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    return files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file()) and all(
        filecmp.cmp(a / f, b / f, shallow=False) for f in files
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    root = args.out or Path(tempfile.mkdtemp(prefix="calibrate-bench-"))
    first = run(root / "a", args.seed, args.quick)
    second = run(root / "b", args.seed, args.quick)
    print(f"calibrate{' --quick' if args.quick else ''} --seed {args.seed}: {first:.0f} s, again {second:.0f} s")
    print(f"identical files: {same(root / 'a', root / 'b')} ({root})")


if __name__ == "__main__":
    main()
