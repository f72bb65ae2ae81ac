"""The code passes ``ruff check`` with the rules in pyproject.toml ([tool.ruff]): unused names,
unsorted imports, likely bugs and outdated syntax fail the build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_check_is_clean() -> None:
    ruff = Path(sys.executable).with_name("ruff")
    done = subprocess.run([str(ruff), "check", "--no-cache", "src", "tests", "benchmarks", "notebooks"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
