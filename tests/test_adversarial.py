"""The adversarial corpus of issue 23: names, options and damaged folders that once wrote or read outside
the places a command names, lost finished work, or ended in a traceback, a hang or a memory blow-up.
Each case runs the command as a user would and asserts exit status 2, a message, no traceback and
nothing written outside; a subprocess timeout guards against a hang (a guard, not a timed assertion)."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import time
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from conftest import REPO, make_scenario

import alignsim
from alignsim.cli.cost import MAX_BYTES, MAX_SECONDS
from alignsim.cli.sweep import sweep_estimate
from alignsim.config.scenario import Scenario, parse_scenario
from alignsim.config.yaml_reader import read_yaml
from alignsim.errors import InputError
from alignsim.experiments.comparison import CompareResult, compare_scenarios
from alignsim.experiments.simulate import run_scenario
from alignsim.experiments.streaming import stream_scenario
from alignsim.experiments.sweep import load_sweep_scenario
from alignsim.results import chart_data
from alignsim.results.integrity import write_manifest
from alignsim.results.scaling import resolved_yaml

GUARD = 120  # seconds: a case that has not ended by then hangs (a guard, not a timed assertion)
BOMB = "\n".join(
    ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"l{k}: &l{k} [{', '.join([f'*l{k - 1}'] * 9)}]" for k in range(1, 9)]
)


def cli(*args: str | os.PathLike[str], cwd: Path, guard: float = GUARD) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "alignsim", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=guard,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )


def refused(proc: subprocess.CompletedProcess[str], *fragments: str) -> None:
    """Exit 2, each fragment in the message, no traceback."""
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr
    for fragment in fragments:
        assert fragment in proc.stderr, proc.stderr


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every entry under ``folder`` (links not followed) with its kind and size: what 'nothing changed' compares."""
    return {
        p.relative_to(folder).as_posix(): (stat.S_IFMT(p.lstat().st_mode), p.lstat().st_size)
        for p in sorted(folder.rglob("*"))
    }


def reseal(folder: Path) -> None:
    """Rewrite the manifest's checksums over whatever the folder now holds (what an attacker can do)."""
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest.pop("checksums", None)
    (folder / "manifest.json").unlink()
    write_manifest(folder, manifest)


def edit_manifest(folder: Path, change: dict[str, object] | None = None, text: str | None = None) -> None:
    manifest = json.loads((folder / "manifest.json").read_text())
    (folder / "manifest.json").write_text(text if text is not None else json.dumps({**manifest, **(change or {})}))


@pytest.fixture(scope="module")
def whole(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("whole")
    scenario = make_scenario(steps=4, replicates=2)
    run_scenario(scenario, workers=1).save(root / "run", charts=False, parquet=True)
    stream_scenario(scenario, root / "stream", workers=1, part_replicates=1, charts=False)
    return {"run": root / "run", "stream": root / "stream"}


@pytest.fixture
def short(tmp_path: Path) -> Path:
    (tmp_path / "short.yaml").write_text("name: short\nworld: korea_2024\nsteps: 2\n")
    return tmp_path / "short.yaml"


# ---------------------------------------------------------------------------------------------- --out
def test_run_out_a_symlinked_folder_is_refused_and_the_link_kept(tmp_path: Path, short: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    refused(cli("run", short, "--out", "link", "--no-charts", cwd=tmp_path), "symbolic link")
    assert (tmp_path / "link").is_symlink() and not any((tmp_path / "real").iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real", "short.yaml"]


def test_overwrite_replaces_only_a_folder_alignsim_wrote(tmp_path: Path, short: Path) -> None:
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "thesis.tex").write_text("years of work")
    refused(cli("run", short, "--out", "home", "--overwrite", "--no-charts", cwd=tmp_path), "not written by alignsim")
    assert (tmp_path / "home" / "thesis.tex").read_text() == "years of work"


def test_world_build_never_replaces_a_device_and_an_existing_file_only_with_overwrite(tmp_path: Path) -> None:
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        os.mkfifo(node)  # not root: a FIFO is just as much not a regular file
    kind = stat.S_IFMT(node.lstat().st_mode)
    build = ("world", "build", "--states", "PRK", "KOR", "--year", "2019", "--out")
    for extra in ((), ("--overwrite",)):
        refused(cli(*build, node, *extra, cwd=tmp_path), "not a regular file")
        assert stat.S_IFMT(node.lstat().st_mode) == kind
    (tmp_path / "mine.yaml").write_text("keep me")
    refused(cli(*build, "mine.yaml", cwd=tmp_path), "exists", "--overwrite")
    assert (tmp_path / "mine.yaml").read_text() == "keep me"
    assert cli(*build, "mine.yaml", "--overwrite", cwd=tmp_path).returncode == 0
    assert "states:" in (tmp_path / "mine.yaml").read_text()


@pytest.mark.parametrize("out", ["afile/w.yaml", "/proc/w.yaml", "missing/w.yaml"])
def test_world_build_out_where_nothing_can_be_written_is_a_message(tmp_path: Path, out: str) -> None:
    (tmp_path / "afile").write_text("x")
    before = snapshot(tmp_path)
    refused(cli("world", "build", "--states", "PRK", "KOR", "--year", "2019", "--out", out, cwd=tmp_path), "--out")
    assert snapshot(tmp_path) == before


# ---------------------------------------------------------------------------------------------- damaged folders
def test_an_alias_bomb_in_a_folder_is_refused_by_load_and_verify(whole: dict[str, Path], tmp_path: Path) -> None:
    folder = shutil.copytree(whole["run"], tmp_path / "run")
    (folder / "scenario.resolved.yaml").write_text(BOMB + "\nsteps: 3\n")
    reseal(folder)  # checksums match: only the input limits stand in the way
    with pytest.raises(InputError, match="alias bomb"):
        alignsim.load(folder)
    edit_manifest(folder, text=json.dumps({"alignsim": "x"}))  # no checksums: nothing to verify, nothing parsed
    refused(cli("verify", folder, cwd=tmp_path), "records no 'checksums'")


def test_verify_refuses_an_unlisted_file_and_load_never_reads_it(whole: dict[str, Path], tmp_path: Path) -> None:
    folder = shutil.copytree(whole["run"], tmp_path / "run")
    (folder / "relations.parquet").unlink()
    reseal(folder)
    shutil.copy(whole["run"] / "relations.parquet", folder / "relations.parquet")  # slipped in afterwards
    refused(cli("verify", folder, cwd=tmp_path), "relations.parquet", "not listed in the manifest")
    with pytest.raises(InputError, match="not listed"):
        alignsim.load(folder)


def test_an_extra_part_of_a_streamed_run_is_refused(whole: dict[str, Path], tmp_path: Path) -> None:
    folder = shutil.copytree(whole["stream"], tmp_path / "stream")
    shutil.copy(folder / "relations" / "part-00000.parquet", folder / "relations" / "part-00009.parquet")
    refused(cli("verify", folder, cwd=tmp_path), "part-00009.parquet", "not listed")


def test_a_link_in_a_folder_is_never_followed(whole: dict[str, Path], tmp_path: Path) -> None:
    folder = shutil.copytree(whole["run"], tmp_path / "run")
    (folder / "events.csv").unlink()
    (folder / "events.csv").symlink_to("/etc/hostname")
    refused(cli("verify", folder, cwd=tmp_path), "symbolic link")
    edit_manifest(folder, {"checksums": {"../../etc/hostname": {"bytes": 1, "sha256": "0"}}})
    refused(cli("verify", folder, cwd=tmp_path), "not a file inside the folder")


def test_a_manifest_without_checksums_is_refused(whole: dict[str, Path], tmp_path: Path) -> None:
    folder = shutil.copytree(whole["run"], tmp_path / "run")
    with (folder / "relations.csv").open("r+b") as fh:
        fh.truncate(300)
    manifest = json.loads((folder / "manifest.json").read_text())
    del manifest["checksums"]
    edit_manifest(folder, text=json.dumps(manifest))
    refused(cli("verify", folder, cwd=tmp_path), "records no 'checksums'")
    with pytest.raises(InputError, match="records no 'checksums'"):
        alignsim.load(folder)


def _records(folder: Path) -> dict[str, dict[str, object]]:
    return json.loads((folder / "manifest.json").read_text())["checksums"]  # type: ignore[no-any-return]


DAMAGED_MANIFESTS = {
    "null_bytes": lambda f: {"checksums": {**_records(f), "events.csv": {**_records(f)["events.csv"], "bytes": None}}},
    "text_rows": lambda f: {"checksums": {**_records(f), "events.csv": {**_records(f)["events.csv"], "rows": "many"}}},
    "nested": lambda f: "[" * 100_000 + "]" * 100_000,
    "another_kind": lambda f: {"kind": "sweep"},
    "parts_claimed": lambda f: {"parts": 7, "replicates": 7},
    "parts_text": lambda f: {"part_replicates": "one"},
}


@pytest.mark.parametrize("damage", DAMAGED_MANIFESTS, ids=list(DAMAGED_MANIFESTS))
def test_a_damaged_manifest_is_a_message(whole: dict[str, Path], tmp_path: Path, damage: str) -> None:
    kind = "stream" if damage.startswith("parts") else "run"
    folder = shutil.copytree(whole[kind], tmp_path / kind)
    change = DAMAGED_MANIFESTS[damage](folder)
    edit_manifest(folder, **({"text": change} if isinstance(change, str) else {"change": change}))
    script = (
        "import sys, alignsim\nfrom alignsim.errors import InputError\n"
        f"try:\n    alignsim.load({str(folder)!r})\nexcept InputError as err:\n    sys.exit(f'error: {{err}}')\n"
        "sys.exit('loaded')"
    )
    for proc in (
        cli("verify", folder, cwd=tmp_path),
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=GUARD, cwd=tmp_path),
    ):
        if proc.returncode == 0 and proc.args[-1] == str(folder):
            continue  # verify checks files, not the fields it does not use: then load must say what is wrong
        assert proc.returncode in (1, 2) and "Traceback" not in proc.stderr, proc.stderr
        assert proc.stderr.startswith("error:") and "damaged" in proc.stderr or "not a sweep" in proc.stderr


# ---------------------------------------------------------------------------------------------- output
def test_a_long_note_with_commas_does_not_lose_the_run(tmp_path: Path) -> None:
    note = "a, b, " * 30_000  # 180,000 characters, quoted in events.csv
    (tmp_path / "s.yaml").write_text(
        "name: long_note\nworld: korea_2024\nsteps: 3\nshocks:\n"
        f"  - {{type: recognition, date: 2024-02-01, source: KOR, target: CUB, note: {json.dumps(note)}}}\n"
    )
    proc = cli("run", "s.yaml", "--out", "out", "--no-charts", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert cli("verify", "out", cwd=tmp_path).returncode == 0


def test_a_name_with_terminal_escapes_is_printed_escaped(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text('name: "evil\\e]0;pwned\\a\\e[2J"\nworld: korea_2024\nsteps: 2\n')
    proc = cli("run", "s.yaml", "--no-charts", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stdout + proc.stderr and "\x07" not in proc.stdout + proc.stderr
    assert "evil\\x1b]0;pwned\\x07" in proc.stdout


# ---------------------------------------------------------------------------------------------- dashboard
def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _answers(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_dashboard_host_that_cannot_resolve_is_a_message(tmp_path: Path) -> None:
    pytest.importorskip("streamlit")
    refused(cli("dashboard", "--host", "999.1.1.1", cwd=tmp_path), "--host", "999.1.1.1")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_dashboard_server_stops_when_its_launcher_is_killed(tmp_path: Path) -> None:
    pytest.importorskip("streamlit")
    port = _port()
    launcher = subprocess.Popen(
        [sys.executable, "-m", "alignsim", "dashboard", "--port", str(port)],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + GUARD
        while not _answers(port):
            assert time.monotonic() < deadline and launcher.poll() is None, "the dashboard never started"
            time.sleep(0.5)
        launcher.kill()  # SIGKILL: no handler of the launcher runs
        launcher.wait()
        deadline = time.monotonic() + GUARD
        while _answers(port):
            assert time.monotonic() < deadline, "the server outlived its launcher"
            time.sleep(0.5)
    finally:
        if launcher.poll() is None:
            launcher.kill()


# ---------------------------------------------------------------------------------------------- compare
@pytest.fixture(scope="module")
def comparison() -> CompareResult:
    scenarios = [make_scenario(steps=4, replicates=3), make_scenario(steps=4, replicates=3, seed=1, name="other")]
    return compare_scenarios(scenarios, workers=1)


def test_compare_draws_a_difference_whose_mean_lies_outside_its_band(comparison: CompareResult, tmp_path: Path) -> None:
    stuck = copy.deepcopy(comparison)
    rows = stuck.outcomes.diff_mean.notna()
    assert rows.any()
    stuck.outcomes.loc[rows, "diff_p5"] = stuck.outcomes.loc[rows, "diff_mean"] + 0.25  # the mean below its band
    folder = stuck.save(tmp_path / "c", runs=False)
    assert (folder / "charts" / "differences_end.png").stat().st_size > 0
    assert "chart_errors" not in json.loads((folder / "manifest.json").read_text())


def test_a_chart_that_fails_is_reported_and_the_tables_kept(
    comparison: CompareResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("'xerr' must not contain negative values")

    monkeypatch.setattr(CompareResult, "plot_differences", broken)
    folder = copy.deepcopy(comparison).save(tmp_path / "c")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert "xerr" in manifest["chart_errors"]["differences_end.png"] and "could not be drawn" in caplog.text
    assert (folder / "outcomes.csv").is_file() and (folder / "runs" / "other" / "relations.csv").is_file()
    assert any((folder / "charts").glob("pair_*.png"))
    alignsim.load(folder)  # whole and verified


# ---------------------------------------------------------------------------------------------- after the work
def test_a_repeated_shock_shows_its_own_firing_date(tmp_path: Path) -> None:
    scenario = parse_scenario(
        "world: korea_2024\nsteps: 7\nstart: 2024-01-01\nshocks:\n"
        "  - {type: recognition, date: 2024-02-14, every: 2, source: KOR, target: CUB}\n"
    )
    events = run_scenario(scenario).events
    fired = events[(events.origin == "scenario") & (events.type == "recognition")]
    assert list(fired.date) == ["2024-02-14", "2024-04-14", "2024-06-14"]
    assert list(fired.step) == [1, 3, 5]
    shocks, _ = chart_data.shocks_and_reactions(events, [])  # what the chart's footer lists
    recognitions = shocks[shocks.label.str.contains("recognition")]
    assert [f"{d:%Y-%m-%d}" for d in recognitions.date] == ["2024-02-14", "2024-04-14", "2024-06-14"]


def test_a_world_file_whose_top_level_is_a_list_is_a_message(tmp_path: Path) -> None:
    (tmp_path / "w.yaml").write_text("- AAA\n- BBB\n")
    (tmp_path / "s.yaml").write_text("world: w.yaml\nsteps: 2\n")
    for command in ("validate", "run"):
        refused(cli(command, "s.yaml", cwd=tmp_path), "w.yaml:1", "a world file is a mapping")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.yaml", "w.yaml"]


def test_an_exponent_without_dot_or_sign_is_a_number_and_text_that_looks_like_one_stays_text() -> None:
    scenario = parse_scenario("world: korea_2024\nsteps: 2\nname: '1e10'\nparams: {beta: 1e-1, alpha: 5.0e-1}\n")
    assert scenario.params.beta == 0.1 and scenario.params.alpha == 0.5
    again = Scenario.model_validate(read_yaml(resolved_yaml(scenario.resolved()), "again")[0])
    assert again.name == "1e10" and again.params.beta == 0.1


# ---------------------------------------------------------------------------------------------- limits of time and memory
def _keys(indent: str, n: int) -> str:
    return "".join(f"{indent}unknown_key_{k}: 1\n" for k in range(n))


BIG_NOTE = "x" * 2**20
LIMITS = {
    "unknown_keys": ("world: korea_2024\nsteps: 2\n" + _keys("", 32_000), ("unknown key", "more problems")),
    "unknown_params": ("world: korea_2024\nsteps: 2\nparams:\n" + _keys("  ", 32_000), ("more problems",)),
    "duplicate_pairs": ("world: korea_2024\nsteps: 2\ntrack:\n" + "  - PRK-KOR\n" * 500_000, ("tracked twice",)),
    "aliased_string": (
        f'world: korea_2024\nsteps: 2\ndescription: &big "{BIG_NOTE}"\nshocks:\n'
        + "  - {type: recognition, date: 2024-02-01, source: KOR, target: CUB, note: *big}\n" * 300,
        ("MiB of text", "alias bomb"),
    ),
    "aliased_string_with_merge_key": (  # the node-tree path (a merge key is left to PyYAML's constructor)
        f'x: {{<<: {{a: 1}}}}\nworld: korea_2024\nsteps: 2\ndescription: &big "{BIG_NOTE}"\nnotes: [{", ".join(["*big"] * 300)}]\n',
        ("MiB of text", "alias bomb"),
    ),
}


@pytest.mark.parametrize("case", LIMITS, ids=list(LIMITS))
def test_a_file_under_the_size_cap_is_refused_with_bounded_work(tmp_path: Path, case: str) -> None:
    text, fragments = LIMITS[case]
    (tmp_path / "s.yaml").write_text(text)
    refused(cli("validate", "s.yaml", cwd=tmp_path), *fragments)
    refused(cli("run", "s.yaml", "--no-charts", cwd=tmp_path), *fragments)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.yaml"]


SWEEP = """\
world: korea_2024
steps: 36
sweep:
  design: grid
  levels: {levels}
  replicates: {replicates}
  parameters:
    - {{path: beta, bounds: [0.05, 0.2]}}
    - {{path: kappa, bounds: [0.1, 0.5]}}
    - {{path: alpha, bounds: [0, 0.005]}}
  outcomes:
    - {{name: end, kind: relation, pair: PRK-KOR}}
"""


def _landscape(n: int) -> str:
    actors = ", ".join(f"{{name: A{k}, size: 1}}" for k in range(n))
    rows = ", ".join("[" + ", ".join("0" if i == j else "0.5" for j in range(n)) + "]" for i in range(n))
    return f"actors: [{actors}]\npropensity: [{rows}]\n"


def test_a_costly_sweep_is_refused_with_its_estimate_before_any_run(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(SWEEP.format(levels=30, replicates=10))
    refused(cli("sweep", "s.yaml", "--workers", "2", cwd=tmp_path), "27,000 points x 10 replicates", "--accept-cost")
    (tmp_path / "huge.yaml").write_text(SWEEP.format(levels=100, replicates=10_000))
    refused(cli("sweep", "huge.yaml", "--accept-cost", cwd=tmp_path), "more than this machine has")
    warned = cli("validate", "s.yaml", cwd=tmp_path)
    assert warned.returncode == 0 and "--accept-cost" in warned.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["huge.yaml", "s.yaml"]


def test_the_shipped_sweep_needs_no_confirmation() -> None:
    scenario = load_sweep_scenario(REPO / "scenarios" / "sensitivity_article.yaml")
    _, seconds, memory = sweep_estimate(scenario, workers=2)
    assert seconds < MAX_SECONDS and memory < MAX_BYTES


def test_a_costly_exact_landscape_is_refused_with_its_estimate(tmp_path: Path) -> None:
    (tmp_path / "l.yaml").write_text(_landscape(30))
    refused(cli("landscape", "l.yaml", "--exact-limit", "30", cwd=tmp_path), "2^29", "GB of memory", "--accept-cost")
    (tmp_path / "small.yaml").write_text(_landscape(12))
    assert cli("landscape", "small.yaml", "--exact-limit", "30", cwd=tmp_path).returncode == 0


def test_identical_runs_of_the_193_state_world_write_identical_parquet(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text("name: un\nworld: un193\nsteps: 14\n")  # past 500,000 rows: Parquet only
    for out in ("a", "b"):  # separate processes, as two users would run it
        assert cli("run", "s.yaml", "--out", out, "--no-charts", "--quiet", cwd=tmp_path, guard=600).returncode == 0
    a, b = (json.loads((tmp_path / out / "manifest.json").read_text())["checksums"] for out in ("a", "b"))
    assert "relations.parquet" in a and a == b


def test_a_48_month_chart_draws_without_a_date_locator_warning() -> None:
    result = run_scenario(parse_scenario("world: korea_2024\nsteps: 48\ntrack: [PRK-KOR]\n"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # AutoDateLocator's "unable to pick an appropriate interval" fails here
        fig = result.plot_pairs()
        fig.canvas.draw()
    plt.close(fig)


def test_a_name_that_climbs_out_names_a_folder_inside_runs(tmp_path: Path) -> None:
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "s.yaml").write_text("name: ../../escape\nworld: korea_2024\nsteps: 2\n")
    assert cli("run", "s.yaml", "--no-charts", "--quiet", cwd=tmp_path / "work").returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]
    assert sorted(p.name for p in (tmp_path / "work").iterdir()) == ["runs", "s.yaml"]
    assert [p.name for p in (tmp_path / "work" / "runs").iterdir()] == ["escape"]


# ---------------------------------------------------------------------------------------------- one home per name
ONE_HOME = ("tipping_ratio", "leading_eigenvalue", "read_yaml", "scenario_sha256", "EXIT_BAD_INPUT", "code_check")


@pytest.mark.parametrize("name", ONE_HOME)
def test_each_name_has_one_home(name: str) -> None:
    pattern = re.compile(rf"^(def _?{name}\(|_?{name}\b\s*(: [^=]+)?=)", re.MULTILINE)
    homes = [p for p in (REPO / "src" / "alignsim").rglob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert len(homes) == 1, [str(p.relative_to(REPO)) for p in homes]


def test_the_number_rules_page_says_what_the_reader_reads() -> None:
    page = (REPO / "docs" / "worlds.md").read_text(encoding="utf-8")
    block = page.split("How a\nvalue is read", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    data, _ = read_yaml(block, "docs/worlds.md")
    assert data == {
        "a": 0.5,
        "b": 0.001,
        "c": 1e10,
        "d": "0.5",
        "e": 1000,
        "f": 16,
        "g": True,
        "h": dt.date(2024, 2, 14),
    }
    assert type(data["b"]) is float and type(data["c"]) is float


def test_compare_keeps_names_as_given_and_names_files_safely(tmp_path: Path) -> None:
    scenarios = [make_scenario(steps=3, replicates=2, name="with the gift"), make_scenario(steps=3, replicates=2)]
    scenarios.append(make_scenario(steps=3, replicates=2, seed=1, name="../with the gift"))  # the same folder name
    result = compare_scenarios(scenarios, workers=1)
    assert list(result.runs) == ["with the gift", "test", "../with the gift"]
    folder = result.save(tmp_path / "c", charts=False)
    assert sorted(p.name for p in (folder / "runs").iterdir()) == ["test", "with_the_gift", "with_the_gift-2"]
    again = alignsim.load(folder)
    assert list(again.runs) == list(result.runs)
    manifest = json.loads((folder / "manifest.json").read_text())
    edit_manifest(folder, {"scenarios_order": ["../../../outside", *manifest["scenarios_order"]]})
    (folder / "manifest.json").write_text((folder / "manifest.json").read_text())
    assert "../../../outside" not in alignsim.load(folder, verify=False).runs  # never read outside the folder
