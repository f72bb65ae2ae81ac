"""``alignsim landscape FILE.yaml [--json]``: readable table, exact JSON, exit 2 on bad files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from alignsim.cli.main import main
from alignsim.config.landscape_file import landscape_report, load_landscape_file

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "landscape_example.yaml"
NAMES = ["North", "NorthEast", "South", "SouthWest", "Middle"]

GOOD = (
    "actors:\n  - {name: A, size: 10}\n  - {name: B, size: 20}\n  - {name: C, size: 5}\n"
    "propensity:\n  - [0, 1, -0.5]\n  - [1, 0, -1.5]\n  - [-0.5, -1.5, 0]\n"
)


def write(tmp_path: Path, text: str, name: str = "land.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_table_lists_every_minimum(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["landscape", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    report = landscape_report(load_landscape_file(EXAMPLE))
    assert f"{len(report['minima'])} local minim" in out and "exact" in out
    for heading in ("energy", "basin", "side A", "side B", "frustration"):
        assert heading in out
    for name in NAMES:
        assert name in out
    g = report["global_minimum"]
    assert f"global minimum: {{{', '.join(g['sides'][0])}}} vs {{{', '.join(g['sides'][1])}}}" in out
    assert f"{g['energy']:.6g}" in out


def test_table_shows_several_minima_with_basins(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Three equal mutually hostile actors: three minima, basins 25 %, 25 %, 50 %.
    path = write(
        tmp_path,
        "actors: [{name: X, size: 1}, {name: Y, size: 1}, {name: Z, size: 1}]\n"
        "propensity: [[0, -1, -1], [-1, 0, -1], [-1, -1, 0]]\n",
    )
    assert main(["landscape", str(path)]) == 0
    out = capsys.readouterr().out
    assert "3 local minima" in out
    assert out.count("25.0%") == 2 and out.count("50.0%") == 1


def test_json_is_exactly_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, GOOD)
    assert main(["landscape", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"minima", "global_minimum"}
    for item in data["minima"]:
        assert set(item) == {"energy", "sides", "basin", "frustration"}
    assert data == landscape_report(load_landscape_file(path))
    assert data["global_minimum"]["sides"] == [["A", "B"], ["C"]]
    assert data["global_minimum"]["energy"] == pytest.approx(2 * (10 * 5 * -0.5 + 20 * 5 * -1.5))
    assert data["global_minimum"]["basin"] == 1.0


def test_heuristic_above_exact_limit(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["landscape", str(EXAMPLE), "--json", "--exact-limit", "3", "--starts", "300", "--seed", "4"]) == 0
    heuristic = json.loads(capsys.readouterr().out)
    exact = landscape_report(load_landscape_file(EXAMPLE))
    assert heuristic["global_minimum"]["sides"] == exact["global_minimum"]["sides"]
    assert sum(m["basin"] for m in heuristic["minima"]) == pytest.approx(1.0)
    assert main(["landscape", str(EXAMPLE), "--exact-limit", "3"]) == 0
    assert "heuristic" in capsys.readouterr().out


BAD_FILES = [
    (
        "asymmetric",
        "actors: [{name: A, size: 1}, {name: B, size: 2}]\npropensity: [[0, 1], [2, 0]]\n",
        "propensity[0][1]",
        "symmetric",
    ),
    (
        "not_square",
        "actors: [{name: A, size: 1}, {name: B, size: 2}]\npropensity: [[0, 1], [1]]\n",
        "propensity[1]",
        "square",
    ),
    (
        "rows_vs_actors",
        "actors: [{name: A, size: 1}, {name: B, size: 2}, {name: C, size: 1}]\npropensity: [[0, 1], [1, 0]]\n",
        "propensity",
        "3 actors",
    ),
    (
        "size_zero",
        "actors: [{name: A, size: 0}, {name: B, size: 2}]\npropensity: [[0, 1], [1, 0]]\n",
        "actors[0].size",
        "> 0",
    ),
    (
        "size_negative",
        "actors: [{name: A, size: 1}, {name: B, size: -2}]\npropensity: [[0, 1], [1, 0]]\n",
        "actors[1].size",
        "> 0",
    ),
    (
        "duplicate_name",
        "actors: [{name: A, size: 1}, {name: A, size: 2}]\npropensity: [[0, 1], [1, 0]]\n",
        "actors[1].name",
        "twice",
    ),
    (
        "not_a_number",
        "actors: [{name: A, size: 1}, {name: B, size: 2}]\npropensity: [[0, x], [1, 0]]\n",
        "propensity[0][1]",
        "number",
    ),
    ("unknown_key", "actors: [{name: A, size: 1}]\npropensity: [[0]]\nofset: 1\n", "ofset", "unknown key"),
    ("empty", "", None, "empty"),
]


@pytest.mark.parametrize(("name", "text", "field", "words"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_exit_2_with_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, field: str | None, words: str
) -> None:
    path = write(tmp_path, text, f"{name}.yaml")
    assert main(["landscape", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("error: ") and str(path) in captured.err
    assert words in captured.err
    if field is not None:
        assert f"field '{field}'" in captured.err


def test_missing_file_and_bad_options_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["landscape", str(tmp_path / "nowhere.yaml")]) == 2
    assert "file not found" in capsys.readouterr().err
    for option, value in (("--starts", "0"), ("--seed", "-1"), ("--exact-limit", "31")):
        assert main(["landscape", str(EXAMPLE), option, value]) == 2
        assert option in capsys.readouterr().err


def test_entry_point_runs_as_a_user_would(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "alignsim", "landscape", str(EXAMPLE), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert sorted(np.concatenate(data["global_minimum"]["sides"]).tolist()) == sorted(NAMES)
    bad = write(tmp_path, BAD_FILES[0][1])
    proc = subprocess.run(
        [sys.executable, "-m", "alignsim", "landscape", str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert proc.returncode == 2 and "symmetric" in proc.stderr and proc.stdout == ""
