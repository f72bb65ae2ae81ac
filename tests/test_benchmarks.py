"""Every script in benchmarks/ still runs: each with ``--quick`` (a smoke run of seconds), in a fresh
interpreter from the repository's root, as a developer runs it. Their figures are not checked here
(timed tests are flaky on a shared machine); that the scripts work, and print their tables, is."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted(p.name for p in (ROOT / "benchmarks").glob("*.py"))
#: What each script prints when it has done its work (a line of its final table or report).
EXPECT = {
    "calibrate.py": "identical files: True",
    "chain_depth.py": "deepest chain",
    "interest_measures.py": "chosen on training years",
    "rule_evidence.py": "years 1970-1975",
    "cli.py": "alignsim validate",
    "cost_rates.py": "per configuration and actor",
    "engine.py": "replicate-months per CPU-s",
    "ensemble.py": "save the run folder",
    "input_limits.py": "alias bomb",
    "middle_east.py": "without the Beijing deal",
    "outputs.py": "8 states x 12 steps",
    "reactions.py": "all five in the same run",
    "world_build.py": "8 states, year 2019",
}


def test_every_script_is_covered() -> None:
    assert SCRIPTS == sorted(EXPECT), "a new benchmark needs a --quick mode and a line in EXPECT"


@pytest.mark.parametrize("script", SCRIPTS)
def test_quick_mode_runs(script: str) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert done.returncode == 0, f"{script} --quick failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    assert EXPECT[script] in done.stdout, done.stdout[-2000:]
