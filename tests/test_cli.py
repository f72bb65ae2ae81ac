"""The ``alignsim`` command, always in a subprocess (``python -m alignsim``) as a user runs it:
run, validate, shocks, new; every bad input exits 2 with one clear message, no traceback, and no
output folder left behind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import BAD_CASES, FLAGSHIP, SHIPPED_SCENARIOS, BadCase, alignsim_cli, alignsim_cli_many

from alignsim.world.events.base import EVENT_TYPES

SHORT = (
    "name: short\nworld: korea_2024\nsteps: 3\nseed: 1\nshocks:\n  - {type: visit, step: 1, source: KOR, target: MNG}\n"
)


def test_python_dash_m_alignsim_help_lists_the_commands(tmp_path: Path) -> None:
    proc = alignsim_cli("--help", cwd=tmp_path)
    assert proc.returncode == 0
    for command in ("run", "validate", "shocks", "new"):
        assert command in proc.stdout
    assert not proc.stderr


def test_no_command_is_a_usage_error(tmp_path: Path) -> None:
    proc = alignsim_cli(cwd=tmp_path)
    assert proc.returncode == 2
    assert "usage" in proc.stderr and "Traceback" not in proc.stderr


# ---------------------------------------------------------------------------- bad input, every message


# One bad file of each family goes through a real subprocess; every case goes through the same
# entry point in-process (alignsim.cli.main.main), which is what makes the subprocess exit 2. (A failing
# `alignsim run` costs ~2 s of imports before it reads the file, so all cases as subprocesses would
# dominate the suite's time.)
SUBPROCESS_CASES = {
    "unknown_state",
    "unknown_shock_type",
    "weight_out_of_range",
    "impossible_date",
    "bad_yaml_syntax",
    "missing_file",
    "world_file_error",
}


def check_bad_run(case: BadCase, returncode: int, stdout: str, stderr: str, folder: Path) -> None:
    where = f"[{case.id}] {stderr}"
    assert returncode == 2, where
    assert "Traceback" not in stderr, where
    assert stdout == "", where
    assert stderr.startswith("error: "), where
    assert not (folder / "X").exists(), where
    assert not (folder / "runs").exists(), where
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == [], where
    assert case.reported_file in stderr, where
    if case.line is not None:
        assert f"{case.reported_file}:{case.line}:" in stderr, where
    if case.field is not None:
        assert f"field '{case.field}'" in stderr, where
    for fragment in case.fragments:
        assert fragment in stderr, where


def test_bad_scenarios_exit_2_without_traceback_or_output_folder(tmp_path: Path) -> None:
    cases = [case for case in BAD_CASES if case.id in SUBPROCESS_CASES]
    assert len(cases) == len(SUBPROCESS_CASES)
    folders = []
    for case in cases:
        folder = tmp_path / case.id  # each case in its own folder, so that '--out X' is its own
        folder.mkdir()
        case.write(folder)
        folders.append(folder)
    procs = alignsim_cli_many([("run", case.filename, "--out", "X") for case in cases], cwd=folders)
    for case, proc, folder in zip(cases, procs, folders):
        check_bad_run(case, proc.returncode, proc.stdout, proc.stderr, folder)


@pytest.mark.parametrize("case", BAD_CASES, ids=lambda c: c.id)
def test_every_bad_scenario_exits_2_through_the_cli_entry_point(
    case: BadCase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    case.write(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, err = cli_main("run", case.filename, "--out", "X", capsys=capsys)
    check_bad_run(case, code, out, err, tmp_path)


def test_validate_reports_every_bad_file_and_passes_the_good_ones(tmp_path: Path) -> None:
    for case in BAD_CASES:
        case.write(tmp_path)
    good = tmp_path / "good.yaml"
    good.write_text(SHORT)
    proc = alignsim_cli("validate", good, *[case.filename for case in BAD_CASES], cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert f"ok: {good}" in proc.stdout
    for case in BAD_CASES:
        assert case.reported_file in proc.stderr, case.id
        if case.line is not None:
            assert f"{case.reported_file}:{case.line}:" in proc.stderr, case.id


def test_validate_passes_every_shipped_scenario(tmp_path: Path) -> None:
    proc = alignsim_cli("validate", *SHIPPED_SCENARIOS, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("ok: ") == len(SHIPPED_SCENARIOS)
    assert "korea_2024, 8 states" in proc.stdout


# ---------------------------------------------------------------------------- run


def test_run_writes_a_run_folder_and_summarises(tmp_path: Path) -> None:
    proc = alignsim_cli("run", FLAGSHIP, "--out", tmp_path / "out", "--no-charts", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == [
        "events.csv",
        "manifest.json",
        "metrics.csv",
        "relations.csv",
        "scenario.resolved.yaml",
    ]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 2024 and manifest["steps"] == 36 and manifest["scenario"] == "article_timeline_2024"
    assert sorted(manifest["files"]) == sorted(p.name for p in out.iterdir() if p.name != "manifest.json")
    assert "5 scripted shocks" in proc.stdout and "agent reactions" in proc.stdout
    assert "JPN invitation -> MNG  [reciprocate]" in proc.stdout  # cool and court are off by default
    assert f"wrote {out}" in proc.stdout


def cli_main(*args: str | Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """The CLI's entry point in-process (cheaper than a subprocess where the process adds nothing)."""
    from alignsim.cli.main import main

    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_run_default_folder_is_runs_name_then_numbered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "short.yaml").write_text(SHORT)
    monkeypatch.chdir(tmp_path)
    first = cli_main("run", "short.yaml", "--no-charts", capsys=capsys)
    second = cli_main("run", "short.yaml", "--no-charts", capsys=capsys)
    assert first[0] == second[0] == 0, first[2] + second[2]
    assert (tmp_path / "runs" / "short" / "manifest.json").is_file()
    assert (tmp_path / "runs" / "short-2" / "manifest.json").is_file()
    assert "wrote runs/short-2" in second[1]


def test_run_keeps_an_existing_folder_unless_overwrite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "short.yaml").write_text(SHORT)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "taken"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    code, _, err = cli_main("run", "short.yaml", "--out", out, "--no-charts", capsys=capsys)
    assert code == 2 and "--overwrite" in err
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    code, _, err = cli_main("run", "short.yaml", "--out", out, "--no-charts", "--overwrite", capsys=capsys)
    assert code == 2 and "not written by alignsim" in err  # --overwrite replaces only alignsim's own folders
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    (out / "notes.txt").unlink()
    assert alignsim_cli("run", "short.yaml", "--out", out, "--no-charts", cwd=tmp_path).returncode == 0
    (out / "events.csv").write_text("edited")
    replaced = alignsim_cli("run", "short.yaml", "--out", out, "--no-charts", "--overwrite", cwd=tmp_path)
    assert replaced.returncode == 0, replaced.stderr
    assert (out / "events.csv").read_text() != "edited" and (out / "manifest.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["short.yaml", "taken"]  # no temporary leftovers


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--seed", "-1"), "--seed"),
        (("--out", "a_file.txt"), "a_file.txt"),
    ],
)
def test_run_rejects_bad_options_with_exit_2(
    args: tuple[str, ...],
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "short.yaml").write_text(SHORT)
    (tmp_path / "a_file.txt").write_text("not a folder")
    monkeypatch.chdir(tmp_path)
    code, out, err = cli_main("run", "short.yaml", *args, capsys=capsys)
    assert code == 2 and out == ""
    assert message in err
    assert not (tmp_path / "runs").exists()
    assert (tmp_path / "a_file.txt").read_text() == "not a folder"


# ---------------------------------------------------------------------------- shocks and new


def test_shocks_lists_every_event_type_with_its_goldstein_value(tmp_path: Path) -> None:
    plain = alignsim_cli("shocks", cwd=tmp_path)
    table = alignsim_cli("shocks", "--markdown", cwd=tmp_path)
    assert plain.returncode == table.returncode == 0
    assert "+6.0" in plain.stdout and "+1.9 / +2.8" in plain.stdout and "0 (no impulse)" in plain.stdout
    rows = [line for line in table.stdout.splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == list(EVENT_TYPES)
    for name in EVENT_TYPES:
        assert name in plain.stdout


def test_new_writes_a_starter_that_runs(tmp_path: Path) -> None:
    made = alignsim_cli("new", "x", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "x.yaml").is_file()
    assert "alignsim run x.yaml" in made.stdout
    ran = alignsim_cli("run", "x.yaml", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert (tmp_path / "runs" / "x" / "manifest.json").is_file()
    assert (tmp_path / "runs" / "x" / "charts").is_dir()
    assert json.loads((tmp_path / "runs" / "x" / "manifest.json").read_text())["scenario"] == "x"


def test_new_refuses_to_overwrite_and_rejects_bad_names(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("# mine\n")
    again = alignsim_cli("new", "x", cwd=tmp_path)
    assert again.returncode == 2 and "exists" in again.stderr and "Traceback" not in again.stderr
    assert (tmp_path / "x.yaml").read_text() == "# mine\n"
    bad = alignsim_cli("new", "bad name!", cwd=tmp_path)
    assert bad.returncode == 2 and "letters, digits" in bad.stderr
    into = alignsim_cli("new", "y", "--dir", "sub/dir", cwd=tmp_path)
    assert into.returncode == 0 and (tmp_path / "sub" / "dir" / "y.yaml").is_file()
