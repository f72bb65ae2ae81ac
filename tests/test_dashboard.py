"""The dashboard's scenario editing and downloads, without a browser (test_browser.py drives the
real app), and the command that starts it."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from conftest import SCENARIOS, alignsim_cli

import alignsim
from alignsim.dashboard import editing as ed
from alignsim.dashboard.launch import command

DZUD = SCENARIOS / "dzud_aid.yaml"


@pytest.fixture(scope="module")
def dzud():  # type: ignore[no-untyped-def]
    return alignsim.load_scenario(DZUD)


def test_edits_switch_shocks_off_move_them_and_change_parameters(dzud) -> None:  # type: ignore[no-untyped-def]
    edits = [ed.ShockEdit(), ed.ShockEdit(enabled=False), ed.ShockEdit(date=dt.date(2024, 9, 1), intensity=2.0)]
    changed = ed.edited(dzud, edits, {"beta": 0.2, "noise": dzud.params.noise})
    assert [s.type for s in changed.shocks] == ["disaster", "disaster"]  # the aid is off
    assert changed.shocks[1].date == dt.date(2024, 9, 1) and changed.shocks[1].intensity == 2.0
    assert changed.params.beta == 0.2 and changed.params.noise == dzud.params.noise
    assert ed.edited(dzud, [ed.ShockEdit()] * 3, {}) == dzud  # no edit: the scenario as shipped


def test_a_date_outside_the_run_is_refused_like_a_file(dzud) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Exception, match="outside the run"):
        ed.edited(dzud, [ed.ShockEdit(date=dt.date(2030, 1, 1)), ed.ShockEdit(), ed.ShockEdit()], {})


def test_the_downloaded_yaml_runs_as_edited(dzud, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    changed = ed.edited(dzud, [ed.ShockEdit(), ed.ShockEdit(enabled=False), ed.ShockEdit()], {"reciprocity": 0.5})
    path = tmp_path / "edited.yaml"
    path.write_text(ed.scenario_yaml(changed), encoding="utf-8")
    again = alignsim.load_scenario(path)
    assert again.shocks == changed.shocks and again.params == changed.params and again.world == "korea_2024"
    assert "beta" not in path.read_text()  # parameters left at their defaults are not written
    proc = alignsim_cli("validate", path.name, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr


def test_a_broken_upload_gives_alignsim_validates_message(tmp_path: Path) -> None:
    text = "steps: 12\nshocks:\n  - type: visit\n    step: 1\n    source: PRK\n    target: XXX\n"
    (tmp_path / "broken.yaml").write_text(text, encoding="utf-8")
    expected = alignsim_cli("validate", "broken.yaml", cwd=tmp_path).stderr.strip()
    with pytest.raises(ed.UploadError) as caught:
        ed.load_uploaded("broken.yaml", text.encode())
    assert str(caught.value) == expected
    with pytest.raises(ed.UploadError, match="^error: binary.yaml"):
        ed.load_uploaded("binary.yaml", b"\xff\xfe\x00not yaml: [")


def test_the_run_folder_zip_and_the_differences(dzud) -> None:  # type: ignore[no-untyped-def]
    shipped = alignsim.run(dzud, replicates=4, seed=1, workers=1, progress=False)
    no_aid = alignsim.run(
        ed.edited(dzud, [ed.ShockEdit(), ed.ShockEdit(enabled=False), ed.ShockEdit()], {}),
        replicates=4,
        seed=1,
        workers=1,
        progress=False,
    )
    same = ed.paired_differences(shipped, shipped, ["KOR-MNG"])
    assert (same[["median", "p5", "p95"]] == 0).all().all()  # common random numbers: itself minus itself is zero
    diff = ed.paired_differences(no_aid, shipped, ["KOR-MNG"])
    assert diff["median"].min() < -0.1  # without the aid, Seoul regards Ulaanbaatar less well
    summary = ed.end_summary(no_aid, shipped, diff)
    assert summary.pair.tolist() == ["KOR→MNG"]
    names = zipfile.ZipFile(io.BytesIO(ed.run_folder_zip(no_aid))).namelist()
    assert {"dzud_aid/events.csv", "dzud_aid/report.html", "dzud_aid/scenario.resolved.yaml"} <= set(names)


def test_the_server_command_turns_telemetry_off_and_serves_locally() -> None:
    args = command(DZUD, port=9999)
    assert args[args.index("--browser.gatherUsageStats") + 1] == "false"
    assert args[args.index("--server.address") + 1] == "127.0.0.1" and args[args.index("--server.port") + 1] == "9999"
    assert args[-2:] == ["--scenario", str(DZUD.resolve())]


def test_dashboard_command_reports_a_broken_scenario_before_starting(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("steps: 0\n", encoding="utf-8")
    proc = alignsim_cli("dashboard", "bad.yaml", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stderr.startswith("error: bad.yaml:1")


@pytest.mark.parametrize("name", ["../x/escape", "..", "{tmp}/escape"])
def test_an_uploaded_name_cannot_lead_the_run_folder_download_outside(
    dzud, name: str, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The zip is built in a temporary folder under the scenario's name: a hostile name stays one harmless component."""
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    hostile = dzud.model_copy(update={"name": name.format(tmp=tmp_path), "steps": 3, "shocks": ()})
    result = alignsim.run(hostile, seed=1, progress=False)
    names = zipfile.ZipFile(io.BytesIO(ed.run_folder_zip(result))).namelist()
    top = {n.split("/")[0] for n in names}
    assert (
        len(top) == 1
        and ".." not in top
        and "/" not in next(iter(top))
        and "events.csv" in {n.split("/")[-1] for n in names}
    )
    assert list(tmp_path.iterdir()) == []  # '../x/escape' would have left tmp_path/x, '{tmp}/escape' tmp_path/escape


WORLDS = SCENARIOS.parent / "src" / "alignsim" / "data" / "worlds"


@pytest.mark.parametrize("world", ["/etc/passwd", "../x.yaml", "{base: /proc/self/environ}", "elsewhere.yaml"])
def test_an_upload_may_name_only_a_shipped_or_uploaded_world(world: str) -> None:
    with pytest.raises(ed.UploadError, match=r"^error: up.yaml:2: field 'world(.base)?': .*not a file on the server"):
        ed.load_uploads([("up.yaml", f"name: up\nworld: {world}\nsteps: 3\n".encode())])


def test_a_world_uploaded_with_its_scenario_or_alone(tmp_path: Path) -> None:
    world = (WORLDS / "korea_2019_data.yaml").read_bytes()
    scenario = b"name: mine\nworld: k.yaml\nstart: 2020-01-01\nsteps: 3\n"
    assert ed.load_uploads([("k.yaml", world), ("mine.yaml", scenario)]).world_spec.name == "korea_2019_data"
    starter = ed.load_uploads([("../../k.yaml", world)])  # alone: a starter scenario on it
    assert starter.start == dt.date(2020, 1, 1) and starter.track == ("CHN-USA", "CHN-RUS", "CHN-JPN")


def test_long_text_is_cut_and_markdown_escaped() -> None:
    assert ed.shown("x" * 5000).endswith("(4,400 more characters not shown)")
    assert ed.escaped("[a](http://x)") == r"\[a\]\(http\://x\)"


def test_new_from_a_world_writes_a_starter_that_validates(tmp_path: Path) -> None:
    proc = alignsim_cli("new", "mine", "--world", WORLDS / "korea_2019_data.yaml", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    text = (tmp_path / "mine.yaml").read_text()
    assert "start: 2020-01-01" in text and "PRK (North Korea)" in text and "  - CHN-USA" in text
    assert alignsim_cli("validate", "mine.yaml", cwd=tmp_path).returncode == 0
