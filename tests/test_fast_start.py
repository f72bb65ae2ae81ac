"""The light commands start fast: ``alignsim --help``, ``shocks`` and ``validate FILE`` never import
the heavy libraries (Mesa, pandas, matplotlib, scipy, networkx), whose import alone costs seconds.
Checked in a fresh interpreter, as a user runs the command; times are measured by
benchmarks/cli.py, not here."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FLAGSHIP

HEAVY = ("matplotlib", "pandas", "scipy", "mesa", "networkx")

PROBE = """
import contextlib, io, json, sys
from alignsim.cli.main import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        code = main(sys.argv[1:])
    except SystemExit as exit:
        code = exit.code
print(json.dumps({"code": code, "out": out.getvalue(), "heavy": sorted(m for m in HEAVY if m in sys.modules)}))
""".replace("HEAVY", repr(HEAVY))


def probe(*args: str, cwd: Path) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "args", [("--help",), ("shocks",), ("shocks", "--markdown"), ("validate", str(FLAGSHIP))], ids=" ".join
)
def test_light_commands_import_no_heavy_library(args: tuple[str, ...], tmp_path: Path) -> None:
    result = probe(*args, cwd=tmp_path)
    assert result["code"] == 0
    assert result["heavy"] == [], f"alignsim {' '.join(args)} imported {result['heavy']}"


def test_help_still_lists_every_command(tmp_path: Path) -> None:
    text = str(probe("--help", cwd=tmp_path)["out"])
    for command in ("run", "validate", "shocks", "new", "check", "compare", "landscape", "sweep"):
        assert re.search(rf"^    {command}\b", text, re.M), text


def test_validate_still_checks_a_sweep_block(tmp_path: Path) -> None:
    """A scenario with a sweep: block is checked against the model (its metrics), so it may load
    the model; a mistake in the block is still reported with exit status 2."""
    good = Path(__file__).resolve().parents[1] / "scenarios" / "sensitivity_article.yaml"
    assert probe("validate", str(good), cwd=tmp_path)["code"] == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        good.read_text(encoding="utf-8").replace("metric: endurance", "metric: no_such_metric"), encoding="utf-8"
    )
    assert "metric: no_such_metric" in bad.read_text(encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "alignsim", "validate", str(bad)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "no_such_metric" in done.stderr and "Traceback" not in done.stderr, done.stderr
