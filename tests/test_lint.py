"""The code passes ``ruff check`` with the rules in pyproject.toml ([tool.ruff]) -- unused names,
unsorted imports, likely bugs, outdated syntax and lines over 160 characters fail the build -- and
is laid out as ``ruff format`` lays it out (code wrapped at 120)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ["src", "tests", "benchmarks", "tools", "notebooks"]


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["check", "format"])
def test_ruff_is_clean(command: list[str]) -> None:
    ruff = Path(sys.executable).with_name("ruff")
    done = subprocess.run([str(ruff), *command, "--no-cache", *FOLDERS], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
