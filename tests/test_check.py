"""``alignsim check``: every published value reproduced, a readable report, exit 1 on a failure."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from alignsim.cli.main import main
from alignsim.errors import InputError
from alignsim.validation import check as V


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """``alignsim check --out tmp/report`` run once, through a subprocess, as a user would."""
    work = tmp_path_factory.mktemp("check")
    proc = subprocess.run(
        [sys.executable, "-m", "alignsim", "check", "--out", "report"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    return work / "report", proc


def test_check_passes_and_writes_the_report(report_dir: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    out, proc = report_dir
    assert proc.returncode == 0, proc.stdout + proc.stderr
    n = len(V.cases())
    assert f"{n} of {n} cases pass" in proc.stdout
    assert "FAIL" not in proc.stdout
    assert (out / "report.md").is_file() and (out / "report.html").is_file()
    for group in V.GROUPS:
        png = out / group.figure
        assert png.is_file() and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", group.figure
    assert not list(out.parent.glob(".report.*"))  # no temporary folder left behind


def test_report_lists_each_case_with_published_ours_tolerance_result(
    report_dir: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    out, _ = report_dir
    md = (out / "report.md").read_text(encoding="utf-8")
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "| case | published | ours | tolerance | result | note |" in md
    for case in V.cases():
        row = next((line for line in md.splitlines() if line.startswith(f"| {V._md(case.title)} |")), None)
        assert row is not None, case.title
        cells = [c.strip() for c in row.strip("|").split(" | ")]
        assert cells[1] == V._md(case.shown()) and cells[3] == V._tolerance_text(case) and cells[4] == "pass"
    for group in V.GROUPS:
        assert f"## {group.title}" in md and group.citation in md
        assert f'src="{group.figure}"' in page
    assert "1936" in md and "not shipped" in md  # says plainly what is not checked
    assert page.count('class="pass"') == 2 * len(V.cases()) and 'class="fail"' not in page  # summary + group tables


def test_every_published_number_of_the_issue_is_checked() -> None:
    published = {c.published for c in V.cases()}
    for value in (0.0303, 0.40, -0.46, -0.0776, -0.0448, 1.25, 5.31, 12.67, 13.40, 0.052):
        assert value in published, value
    assert {c.group for c in V.cases()} == {g.key for g in V.GROUPS}
    keys = [c.key for c in V.cases()]
    assert len(keys) == len(set(keys))


# ---------------------------------------------------------------------------- failing cases


def case(key: str) -> V.Case:
    return next(c for c in V.cases() if c.key == key)


def test_a_wrong_published_value_fails() -> None:
    tau = case("sr-tau-b")
    assert V.evaluate(tau).passed
    wrong = dataclasses.replace(tau, published=0.0400)
    outcome = V.evaluate(wrong)
    assert not outcome.passed and outcome.ours == pytest.approx(0.0303, abs=5e-5)
    named = dataclasses.replace(case("m1904-gb-r"), published="hostile")
    assert not V.evaluate(named).passed
    count = dataclasses.replace(case("antal-triads-1907"), published=1)
    assert not V.evaluate(count).passed


def test_a_case_that_raises_fails_with_its_error() -> None:
    def broken() -> float:
        raise RuntimeError("no data")

    outcome = V.evaluate(dataclasses.replace(case("sr-pi"), ours=broken))
    assert not outcome.passed and outcome.ours is None and "RuntimeError: no data" in outcome.error


def test_matches_tolerance_edges() -> None:
    assert V.matches(0.40, 0.405, 5e-3) and not V.matches(0.40, 0.4051, 5e-3)
    assert V.matches(2, 2, None) and not V.matches(2, 2.0000001, None)
    assert not V.matches(1.0, float("nan"), 1.0)
    assert V.matches("friendly", "friendly", None) and not V.matches("friendly", "hostile", 1.0)


def test_check_exits_1_and_reports_the_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = dataclasses.replace(case("sr-s-unweighted"), published=0.55, published_text="0.55")
    chosen = [case("sr-tau-b"), wrong]
    monkeypatch.setattr(V, "cases", lambda: chosen)
    out = tmp_path / "report"
    assert main(["check", "--out", str(out)]) == 1
    assert "1 of 2 cases pass" in capsys.readouterr().out
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "1 FAIL" in md and re.search(
        r"\| S, unweighted \(d_max = 3\) \| 0\.55 \| 0\.4 \| ± 0\.005 \| \*\*FAIL\*\* \|", md
    )
    assert (out / "similarity.png").is_file() and not (out / "hysteresis.png").exists()


def test_output_folder_rules(tmp_path: Path) -> None:
    subset = [case("sr-tau-b")]
    out = tmp_path / "report"
    V.run_check(out, subset, figures=False)
    first = (out / "report.md").read_text(encoding="utf-8")
    V.run_check(out, subset, figures=False)  # an earlier report is replaced
    assert (out / "report.md").read_text(encoding="utf-8") == first
    other = tmp_path / "precious"
    other.mkdir()
    (other / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(InputError, match="holds no earlier report"):
        V.run_check(other, subset, figures=False)
    assert (other / "notes.txt").read_text(encoding="utf-8") == "keep me"
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="is a file"):
        V.run_check(a_file, subset, figures=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt", "precious", "report"]
