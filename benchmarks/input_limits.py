"""How long each input limit takes to refuse its file (the hardening of issue 14): an alias bomb,
deep nesting, an oversized file, /dev/zero, a FIFO. Prints seconds per case; no assertion on time.

    .venv/bin/python benchmarks/input_limits.py
    .venv/bin/python benchmarks/input_limits.py --quick   # a 2 MiB file instead of 21 MiB (refused all the same)
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from alignsim.config.scenario import load_scenario
from alignsim.errors import InputError


def bomb() -> str:
    lines = ['description: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{k}: &l{k} [{', '.join([f'*l{k - 1}'] * 9)}]" for k in range(1, 9)]
    return "\n".join(lines) + "\nsteps: 3\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller oversized file: a smoke run")
    mib = 2 if parser.parse_args().quick else 21
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = {
            "alias bomb (9^9 values)": bomb(),
            "nesting 3,000 deep": "description: " + "[" * 3000 + "]" * 3000 + "\n",
            f"{mib} MiB file": "# " + "x" * (mib * 2**20) + "\n",
        }
        paths = {}
        for name, text in cases.items():
            paths[name] = folder / f"{len(paths)}.yaml"
            paths[name].write_text(text)
        os.mkfifo(folder / "fifo.yaml")
        paths["FIFO"] = folder / "fifo.yaml"
        paths["/dev/zero"] = Path("/dev/zero")
        for name, path in paths.items():
            started = time.perf_counter()
            try:
                load_scenario(path)
                outcome = "accepted (!)"
            except InputError as err:
                outcome = err.message[:60]
            print(f"{name:26} {time.perf_counter() - started:8.4f} s  {outcome}")


if __name__ == "__main__":
    main()
