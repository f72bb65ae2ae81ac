"""Faults: a killed run leaves neither files nor processes behind, and a damaged folder is an input
error naming the damaged file -- never a silent partial load or a raw pandas/pyarrow error."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import REPO, alignsim_cli, make_scenario

import alignsim
from alignsim.cli.main import main
from alignsim.errors import InputError
from alignsim.experiments.comparison import compare_scenarios
from alignsim.experiments.simulate import run_scenario
from alignsim.experiments.streaming import stream_scenario
from alignsim.results.folders import remove_stale_temps

BASELINE = REPO / "scenarios" / "baseline_2024.yaml"
PATIENCE = 240.0  # seconds to wait for a state of the machine (never a measured duration)


# ---------------------------------------------------------------------------------------------
# killed runs
def _session(sid: int) -> list[int]:
    """Live (not zombie) processes of session ``sid``: a run and everything it started, even
    after the run itself has gone and its children were handed to init."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":
            alive.append(int(stat.parent.name))
    return alive


def _wait(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting after {PATIENCE:.0f} s for {what}")
        time.sleep(0.2)


def _start_big_run(cwd: Path) -> subprocess.Popen[str]:
    """A streamed ensemble that runs for minutes, once its temporary folder and two workers exist."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "alignsim",
            "run",
            str(BASELINE),
            "--out",
            "k",
            "--replicates",
            "20000",
            "--workers",
            "2",
            "--quiet",
            "--no-charts",
        ],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    # the run, the fork server, the resource tracker and two workers
    _wait(
        lambda: proc.poll() is not None or (len(_session(proc.pid)) >= 5 and any(cwd.glob(".k.tmp-*"))),
        "the run's workers and temporary folder",
    )
    assert proc.poll() is None, proc.communicate()
    return proc


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process table from /proc")
def test_sigterm_is_clean_like_ctrl_c_and_stops_the_workers(tmp_path: Path) -> None:
    proc = _start_big_run(tmp_path)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=PATIENCE)
    assert proc.returncode == 128 + signal.SIGTERM
    assert "terminated (SIGTERM); nothing was written" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no folder, no hidden temporary one
    _wait(lambda: not _session(proc.pid), "the workers to exit")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process table from /proc")
def test_after_kill_9_the_workers_exit_and_the_next_run_removes_the_stale_folder(tmp_path: Path) -> None:
    proc = _start_big_run(tmp_path)
    proc.kill()
    proc.communicate(timeout=PATIENCE)
    _wait(lambda: not _session(proc.pid), "the orphaned fork server, workers and resource tracker to exit")
    stale = list(tmp_path.glob(".k.tmp-*"))
    assert len(stale) == 1  # a SIGKILL cannot be cleaned up after ...

    done = alignsim_cli(
        "run", BASELINE, "--out", "k", "--replicates", "2", "--workers", "1", "--quiet", "--no-charts", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert f"removed {Path('k').parent / stale[0].name}" in done.stderr and "no longer exists" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k"]  # ... but the next run into k removes it


def test_a_live_runs_temporary_folder_is_left_alone(tmp_path: Path) -> None:
    live = tmp_path / f".k.tmp-{os.getppid()}"
    dead = tmp_path / ".k.old-999999999"
    other = tmp_path / ".kk.tmp-999999999"
    for folder in (live, dead, other):
        folder.mkdir()
    assert remove_stale_temps(tmp_path / "k") == [dead]
    assert live.exists() and other.exists() and not dead.exists()


# ---------------------------------------------------------------------------------------------
# damaged folders
@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Whole folders of each kind: an ensemble with charts, a streamed ensemble, a comparison."""
    root = tmp_path_factory.mktemp("whole")
    scenario = make_scenario(steps=8, replicates=3)
    run_scenario(scenario, workers=1).save(root / "run", parquet=True)
    stream_scenario(scenario, root / "stream", workers=1, part_replicates=2, charts=False)
    other = make_scenario(steps=8, replicates=3, seed=1, name="other")
    compare_scenarios([scenario, other], workers=1).save(root / "compare", charts=False)
    return {"run": root / "run", "stream": root / "stream", "compare": root / "compare"}


def _truncate(size: int) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        with path.open("r+b") as fh:
            fh.truncate(size)

    return damage


def _flip_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    k = len(data) // 2
    data[k : k + 16] = bytes(b ^ 0xFF for b in data[k : k + 16])
    path.write_bytes(bytes(data))


def _edit_number(path: Path) -> None:  # same length, one digit changed
    text = path.read_text()
    k = text.index("\n", text.index("\n") + 1) - 1
    path.write_text(text[:k] + ("1" if text[k] != "1" else "2") + text[k + 1 :])


def _append_row(path: Path) -> None:
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join([*lines, lines[-1]]))


def _drop_rows(path: Path) -> None:  # a well-formed Parquet file of the wrong shape
    table = pq.read_table(path)
    pq.write_table(table.slice(0, table.num_rows - 5), path)


def _delete(path: Path) -> None:
    path.unlink()


def _overwrite(text: str) -> Callable[[Path], None]:
    return lambda path: path.write_text(text)


# kind of folder, damaged file, damage, what the message must say
DAMAGES = [
    ("run", "relations.csv", _truncate(500), "truncated"),
    ("run", "relations.csv", _edit_number, "contents changed"),
    ("run", "events.csv", _append_row, "damaged"),
    ("run", "metrics.csv", _delete, "missing"),
    ("run", "charts/drift.png", _delete, "missing"),
    ("run", "charts/blocs_over_time.png", _truncate(100), "truncated"),
    ("run", "relations.parquet", _flip_middle, "contents changed"),
    ("run", "relations.parquet", _drop_rows, "bytes where the manifest records"),
    ("run", "metrics.parquet", _truncate(64), "truncated"),
    ("run", "scenario.resolved.yaml", _overwrite("name: [unclosed\n"), "damaged"),
    ("run", "manifest.json", _truncate(120), "not valid JSON"),
    ("run", "manifest.json", _overwrite("[1, 2]\n"), "JSON object"),
    ("stream", "relations/part-00001.parquet", _flip_middle, "contents changed"),
    ("stream", "metrics/part-00000.parquet", _delete, "missing"),
    ("stream", "events/part-00001.parquet", _truncate(10), "truncated"),
    ("compare", "runs/test/relations.csv", _truncate(300), "truncated"),
    ("compare", "outcomes.csv", _delete, "missing"),
    ("compare", "bands.csv", _edit_number, "contents changed"),
]


@pytest.mark.parametrize(
    ("kind", "name", "damage", "says"),
    DAMAGES,
    ids=[f"{k}:{n}:{getattr(d, '__name__', 'edit')}" for k, n, d, _ in DAMAGES],
)
def test_every_damage_is_an_input_error_naming_the_file(
    kind: str, name: str, damage: Callable[[Path], None], says: str, folders: dict[str, Path], tmp_path: Path
) -> None:
    folder = shutil.copytree(folders[kind], tmp_path / kind)
    damage(folder / name)
    with pytest.raises(InputError) as caught:
        alignsim.load(folder)
    assert caught.value.path == str(folder / name), str(caught.value)
    assert says in str(caught.value)


def test_a_truncated_table_reports_how_many_rows_are_left(folders: dict[str, Path], tmp_path: Path) -> None:
    folder = shutil.copytree(folders["run"], tmp_path / "run")
    expected = json.loads((folder / "manifest.json").read_text())["checksums"]["relations.csv"]["rows"]
    assert expected == len(alignsim.load(folders["run"]).relations)
    _truncate(500)(folder / "relations.csv")
    with pytest.raises(InputError, match=rf"of {expected:,} rows"):
        alignsim.load(folder)


def test_the_manifest_records_every_file_with_size_checksum_and_rows(folders: dict[str, Path]) -> None:
    for folder in folders.values():
        records = json.loads((folder / "manifest.json").read_text())["checksums"]
        on_disk = sorted(
            p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p != folder / "manifest.json"
        )
        assert sorted(records) == on_disk
        for name, record in records.items():
            assert record["bytes"] == (folder / name).stat().st_size
            if name.endswith(".parquet"):
                assert record["rows"] == pq.read_metadata(folder / name).num_rows


def test_a_folder_without_checksums_still_names_what_is_broken(folders: dict[str, Path], tmp_path: Path) -> None:
    """Folders written before checksums existed (or whose checksums were deleted) are refused by
    verify, and read only on request; then raw read errors become input errors."""
    folder = shutil.copytree(folders["run"], tmp_path / "old")
    manifest = json.loads((folder / "manifest.json").read_text())
    del manifest["checksums"]
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(InputError, match="records no 'checksums'"):
        alignsim.load(folder)
    assert len(alignsim.load(folder, verify=False).relations)  # whole: it loads on request
    (folder / "scenario.resolved.yaml").unlink()
    with pytest.raises(InputError, match="resolved scenario not found") as caught:
        alignsim.load(folder, verify=False)
    assert caught.value.path == str(folder / "scenario.resolved.yaml")


def test_cli_verify_passes_whole_folders_and_fails_a_damaged_one_with_exit_2(
    folders: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", *map(str, folders.values())]) == 0
    out = capsys.readouterr().out
    assert out.count("ok: ") == 3 and "files match their checksums" in out
    folder = shutil.copytree(folders["run"], tmp_path / "run")
    _truncate(500)(folder / "relations.csv")
    assert main(["verify", str(folder), str(folders["stream"])]) == 2
    captured = capsys.readouterr()
    assert f"{folder / 'relations.csv'}: damaged: 500 bytes" in captured.err and "ok: " in captured.out
