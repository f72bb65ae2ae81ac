"""Hardening against an adversarial user: a corpus of bad inputs, each asserting the exit status, the
message and that nothing was written; output folders under OS errors and concurrent writers; and a
property-based fuzz of scenario files. Add a row to CORPUS for every new class of bad input."""

from __future__ import annotations

import errno
import io
import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alignsim.cli.main import main
from alignsim.config.scenario import Scenario, load_world_file, parse_scenario
from alignsim.errors import InputError, OutputError
from alignsim.experiments.sweep import is_constant
from alignsim.results.folders import safe_name, write_folder
from alignsim.world.params import Params
from alignsim.world.spec import WorldState, interest_baseline

REPO = Path(__file__).resolve().parent.parent
LANDSCAPE = REPO / "examples" / "landscape_example.yaml"


def _bomb(key: str, tail: str = "steps: 3\n") -> str:
    """A 'billion laughs' YAML: nine levels of nine aliases (9^9 values once expanded) under ``key``."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{k}: &l{k} [{', '.join([f'*l{k - 1}'] * 9)}]" for k in range(1, 9)]
    text = "\n".join(lines).replace("l0: &l0", f"{key}: &l0", 1) if key != "unknown" else "\n".join(lines)
    return text + "\n" + tail


TINY_WORLD = """\
name: tiny
dimensions:
  - {id: bloc, meaning: "+1 west, -1 east"}
states:
  - {code: AAA, name: Alpha, capability: 0.5, interests: {bloc: {position: 1, salience: 1}}}
  - {code: BBB, name: Beta, capability: 0.5, interests: {bloc: {position: -1, salience: 1}}}
"""


def _inline(world_extra: str = "", states_extra: str = "") -> str:
    """A scenario with an inline two-state world, with lines added to its states or its end."""
    body = "\n".join("  " + line for line in TINY_WORLD.splitlines())
    return f"steps: 3\nworld:\n{body}\n{states_extra}{world_extra}"


@dataclass(frozen=True)
class Case:
    id: str
    argv: tuple[str, ...]
    status: int
    fragments: tuple[str, ...]
    files: dict[str, str] = field(default_factory=dict)


S = "s.yaml"
CORPUS = [
    # --- denial of service: aliases, nesting, files that never end
    Case("bomb_unknown_key", ("validate", S), 2, ("alias bomb", "expand to"), {S: _bomb("unknown")}),
    Case("bomb_description", ("validate", S), 2, ("alias bomb",), {S: _bomb("description")}),
    Case("bomb_world", ("validate", S), 2, ("alias bomb",), {S: _bomb("world")}),
    Case("bomb_track", ("run", S), 2, ("alias bomb",), {S: _bomb("track")}),
    Case("recursive_alias", ("validate", S), 2, ("recursive anchor",), {S: "world: &w [*w]\n"}),
    Case(
        "deep_nesting",
        ("validate", S),
        2,
        ("s.yaml:1", "nesting"),
        {S: "description: " + "[" * 3000 + "]" * 3000 + "\n"},
    ),
    Case("dev_zero", ("validate", "/dev/zero"), 2, ("/dev/zero", "not a regular file")),
    Case("folder_as_scenario", ("run", "."), 2, ("is a folder",)),
    Case("oversized_file", ("validate", S), 2, ("MiB", "at most 20"), {S: "# " + "x" * (21 * 2**20) + "\n"}),
    Case("not_utf8", ("validate", S), 2, ("not UTF-8",), {S: "name: caf\xe9\n"}),
    Case(
        "landscape_starts_memory",
        ("landscape", str(LANDSCAPE), "--exact-limit", "2", "--starts", "100000000"),
        2,
        ("--starts", "at most 20,000,000"),
    ),
    # --- numbers that are not numbers, and values outside what the model can date
    Case("start_year_1", ("validate", S), 2, ("field 'start'", "1700 to 2261"), {S: "steps: 3\nstart: 0001-01-01\n"}),
    Case("start_year_9999", ("run", S), 2, ("field 'start'", "1700 to 2261"), {S: "steps: 3\nstart: 9999-01-01\n"}),
    Case(
        "run_ends_after_2261",
        ("validate", S),
        2,
        ("field 'steps'", "end after 2261"),
        {S: "steps: 1200\nstart: 2200-01-01\n"},
    ),
    Case("steps_true", ("run", S), 2, ("field 'steps'", "True is true/false, not an integer"), {S: "steps: true\n"}),
    Case("seed_true", ("validate", S), 2, ("field 'seed'", "not an integer"), {S: "steps: 2\nseed: true\n"}),
    Case(
        "agents_text",
        ("validate", S),
        2,
        ("field 'params.agents'", "not a boolean"),
        {S: "steps: 2\nparams: {agents: 'no'}\n"},
    ),
    Case(
        "param_bool",
        ("validate", S),
        2,
        ("field 'params.beta'", "not a number"),
        {S: "steps: 2\nparams: {beta: true}\n"},
    ),
    Case(
        "param_text_number",
        ("validate", S),
        2,
        ("field 'params.beta'", "in quotes is text: write 1e-3 without quotes"),
        {S: "steps: 2\nparams: {beta: '1e-3'}\n"},
    ),
    Case("param_nan", ("validate", S), 2, ("field 'params.noise'", "finite"), {S: "steps: 2\nparams: {noise: .nan}\n"}),
    Case(
        "infinite_economy",
        ("validate", S),
        2,
        ("economy", "finite"),
        {S: _inline().replace("capability: 0.5, interests", "capability: 0.5, economy: .inf, interests", 1)},
    ),
    Case("empty_file", ("run", S), 2, ("the scenario is empty",), {S: ""}),
    # --- meaningless relations
    Case("track_self", ("run", S), 2, ("field 'track[0]'", "with itself"), {S: "steps: 2\ntrack: [PRK-PRK]\n"}),
    Case(
        "talks_via_source",
        ("validate", S),
        2,
        ("'via' (PRK)", "third state"),
        {S: "steps: 3\nshocks:\n  - {type: talks, step: 1, source: PRK, target: JPN, via: PRK}\n"},
    ),
    Case(
        "talks_via_target",
        ("validate", S),
        2,
        ("'via' (JPN)",),
        {S: "steps: 3\nshocks:\n  - {type: talks, step: 1, source: PRK, target: JPN, via: JPN}\n"},
    ),
    Case(
        "border_open_to_self_shock",
        ("validate", S),
        2,
        ("'open_to' lists PRK",),
        {S: "steps: 3\nshocks:\n  - {type: border_closure, step: 1, source: PRK, open_to: [CHN, PRK]}\n"},
    ),
    Case(
        "border_open_to_self_world",
        ("validate", S),
        2,
        ("states[AAA].border.open_to[0]", "not opened to the state itself"),
        {
            S: _inline().replace(
                "capability: 0.5, interests", "capability: 0.5, border: {closed: true, open_to: [AAA]}, interests", 1
            )
        },
    ),
    Case(
        "tie_self",
        ("validate", S),
        2,
        ("world.ties.diplomatic[0].b", "no tie to itself"),
        {S: _inline("  ties:\n    diplomatic:\n      - {a: AAA, b: AAA}\n")},
    ),
    Case(
        "relation_twice",
        ("validate", S),
        2,
        ("world.relations[1]", "given twice"),
        {
            S: _inline(
                "  relations:\n    - {source: AAA, target: BBB, weight: 0.2}\n    - {source: BBB, target: AAA, weight: 0.1}\n"
            )
        },
    ),
    Case(
        "near_miss_code",
        ("validate", S),
        2,
        ("'PKR'", "did you mean 'PRK'?"),
        {S: "steps: 3\nshocks:\n  - {type: visit, step: 1, source: PKR, target: JPN}\n"},
    ),
    Case("near_miss_key", ("validate", S), 2, ("'stpes'", "did you mean 'steps'?"), {S: "stpes: 3\n"}),
    Case(
        "near_miss_value",
        ("validate", S),
        2,
        ("'ministre'", "did you mean 'minister'?"),
        {S: "steps: 3\nshocks:\n  - {type: visit, step: 1, source: PRK, target: MNG, level: ministre}\n"},
    ),
    # --- command-line values, checked like the file's
    Case(
        "seed_2_63",
        ("run", S, "--seed", str(2**63)),
        2,
        ("--seed", "out of range", "<= 9223372036854775807"),
        {S: "steps: 2\n"},
    ),
    Case("seed_2_80", ("run", S, "--seed", str(2**80)), 2, ("--seed", "out of range"), {S: "steps: 2\n"}),
    Case(
        "replicates_100001", ("run", S, "--replicates", "100001"), 2, ("--replicates", "<= 100000"), {S: "steps: 2\n"}
    ),
    Case("workers_0", ("run", S, "--workers", "0"), 2, ("--workers", "out of range"), {S: "steps: 2\n"}),
    # --- output folders that cannot be
    Case("out_is_a_file", ("run", S, "--out", "taken"), 2, ("taken", "is a file"), {S: "steps: 2\n", "taken": "x"}),
    Case(
        "out_under_a_file", ("run", S, "--out", "taken/run"), 2, ("taken is a file",), {S: "steps: 2\n", "taken": "x"}
    ),
    Case(
        "out_under_proc",
        ("run", S, "--out", "/proc/alignsim_nowhere/run", "--no-charts"),
        2,
        ("cannot write the output folder", "Nothing was written"),
        {S: "steps: 2\n"},
    ),
    Case("new_dir_under_a_file", ("new", "x", "--dir", "taken/sub"), 2, ("cannot write the scenario",), {"taken": "x"}),
    # --- landscapes whose energy overflows
    Case(
        "landscape_overflow",
        ("landscape", "l.yaml", "--json"),
        2,
        ("overflow", "rescale"),
        {
            "l.yaml": "actors: [{name: A, size: 1.0e+300}, {name: B, size: 1.0e+300}]\npropensity: [[0, 1.0e+300], [1.0e+300, 0]]\n"
        },
    ),
    Case(
        "landscape_exponent_text",
        ("landscape", "l.yaml"),
        2,
        ("overflow", "rescale"),  # 1e300 is a number (YAML 1.2's rule), too large for the energy
        {"l.yaml": "actors: [{name: A, size: 1e300}, {name: B, size: 1}]\npropensity: [[0, 1], [1, 0]]\n"},
    ),
    Case(
        "world_file_run_as_scenario",
        ("run", "w.yaml"),
        2,
        ("this is a world file", "world: w.yaml"),
        {"w.yaml": TINY_WORLD},
    ),
    # --- comparisons with nothing in common
    Case(
        "compare_disjoint_worlds",
        ("compare", S, "t.yaml", "--replicates", "2"),
        2,
        ("shares 0 state(s)", "at least two states in common"),
        {S: "steps: 2\n", "w.yaml": TINY_WORLD, "t.yaml": "steps: 2\nworld: w.yaml\n"},
    ),
]


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.mark.parametrize("case", CORPUS, ids=lambda c: c.id)
def test_every_bad_input_is_a_message_with_exit_status_and_nothing_written(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, text in case.files.items():
        (tmp_path / name).write_bytes(text.encode("latin-1") if case.id == "not_utf8" else text.encode())
    monkeypatch.chdir(tmp_path)
    before = _tree(tmp_path)
    status = main(list(case.argv))
    err = capsys.readouterr().err
    assert status == case.status, err
    said = [
        line for line in err.splitlines() if not line.startswith("warning: ")
    ]  # warnings may come first (docs/errors.md)
    assert said and said[0].startswith("error: ") and "Traceback" not in err
    for fragment in case.fragments:
        assert fragment in err, f"{fragment!r} missing from: {err}"
    assert _tree(tmp_path) == before, "something was written"


def test_a_fifo_is_refused_without_opening_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")  # opening it for reading would block until a writer came
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "pipe.yaml"]) == 2
    assert "not a regular file" in capsys.readouterr().err


def test_a_fifo_as_out_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / S).write_text("steps: 2\n")
    monkeypatch.chdir(tmp_path)
    assert main(["run", S, "--out", "pipe"]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe", S]


def test_all_world_mistakes_in_one_pass_named_by_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    world = TINY_WORLD + (
        "  - {code: CCC, name: Gamma, capability: 0.2, border: {closed: true, open_to: [CCD]}}\n"
        "relations:\n  - {source: AAA, target: BBX, weight: 0.1}\n  - {source: CCC, target: CCC, weight: 0.1}\n"
        "ties:\n  alliance:\n    - {a: AAA, b: BBB}\n    - {a: BBB, b: AAA}\n"
    )
    (tmp_path / "w.yaml").write_text(world)
    assert main(["validate", str(tmp_path / "w.yaml")]) == 2
    err = capsys.readouterr().err
    for fragment in (
        "states[CCC].border.open_to[0]",
        "did you mean 'CCC'?",
        "relations[0].target",
        "did you mean 'BBB'?",
        "relations[1].target",
        "alliance tie BBB-AAA is given twice",
    ):
        assert fragment in err, f"{fragment!r} missing from: {err}"


MANY_MISTAKES = """\
steps: true
seed: -3
params: {beta: 2}
world:
  base: korea_2024
  states:
    - {code: MNG, need: 1.5}
  relations:
    - {source: MNG, target: MNG, weight: 0.1}
shocks:
  - {type: visit, step: 1, source: PKR, target: JPN, level: ministre}
  - {type: interest_shift, step: 2, source: MNG, dimension: us_aliance, position: 0.2}
track: [PRK-CBU]
"""


def test_all_scenario_mistakes_in_one_pass_in_file_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / S).write_text(MANY_MISTAKES)
    assert main(["validate", str(tmp_path / S)]) == 2
    lines = capsys.readouterr().err.splitlines()
    expected = [
        "'steps'",
        "'seed'",
        "'params.beta'",
        "'world.states[MNG].need'",
        "'world.relations[0].target'",
        "'shocks[0].level'",
        "'shocks[0].source'",
        "'shocks[1].dimension'",
        "'track[0]'",
    ]
    assert len(lines) == len(expected)
    for line, key in zip(lines, expected):
        assert f"field {key}" in line, line
    assert (
        "did you mean 'PRK'?" in lines[6]
        and "did you mean 'us_alliance'?" in lines[7]
        and "did you mean 'CUB'?" in lines[8]
    )


def test_validate_reads_a_world_file_and_warns_of_a_dimension_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    world = TINY_WORLD.replace("  - {id: bloc", "  - {id: trade, meaning: open}\n  - {id: bloc", 1)
    (tmp_path / "w.yaml").write_text(world)
    assert main(["validate", str(tmp_path / "w.yaml")]) == 0
    out, err = capsys.readouterr()
    assert "a world file: tiny, 2 states, 2 dimensions" in out
    assert "warning:" in err and "w.yaml:6: field 'states[AAA].interests'" in err and "no position on 'trade'" in err


def test_a_visit_without_diplomatic_relations_is_warned_about_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "w.yaml").write_text(TINY_WORLD + "ties:\n  diplomatic: []\n")
    (tmp_path / S).write_text(
        "world: w.yaml\nsteps: 6\nshocks:\n  - {type: visit, step: 1, source: AAA, target: BBB}\n"
        "  - {type: recognition, step: 2, source: AAA, target: BBB}\n  - {type: visit, step: 3, source: BBB, target: AAA}\n"
    )
    assert main(["validate", str(tmp_path / S)]) == 0
    out, err = capsys.readouterr()
    assert "7 dated rows" in out  # steps 0..6
    visits = [
        line for line in err.splitlines() if line.startswith("warning:") and "diplomatic" in line
    ]  # (besides the steady-state warning)
    assert len(visits) == 1 and f"{S}:4: field 'shocks[0].type'" in visits[0] and "no diplomatic relations" in visits[0]


def test_shocks_lists_allowed_values(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["shocks"]) == 0
    out = capsys.readouterr().out
    assert "level: one of head_of_state, minister, deputy_minister (default minister)" in out
    assert "intensity: a number > 0 and <= 5" in out


# ---------------------------------------------------------------------------- output folders


@pytest.mark.parametrize(
    ("name", "folder"),
    [
        ("../../escape", "escape"),
        ("/tmp/abs", "tmp_abs"),
        ("..", "scenario"),
        ("x" * 300, "x" * 100),
        ("서울 2024", "서울_2024"),
    ],
)
def test_names_become_one_path_component(name: str, folder: str) -> None:
    assert safe_name(name) == folder
    assert len(safe_name(name).encode()) <= 100 and "/" not in safe_name(name)


def test_a_name_that_escapes_runs_lands_inside_runs_and_a_second_run_says_where_it_went(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "inner").mkdir()
    (tmp_path / "inner" / S).write_text("name: ../../escape\nsteps: 2\n")
    monkeypatch.chdir(tmp_path / "inner")
    assert main(["run", S, "--no-charts", "--quiet"]) == 0
    assert "wrote runs/escape\n" in capsys.readouterr().out
    assert main(["run", S, "--no-charts", "--quiet"]) == 0
    assert "wrote runs/escape-2 (runs/escape exists already" in capsys.readouterr().out
    assert sorted(p.name for p in (tmp_path / "inner" / "runs").iterdir()) == ["escape", "escape-2"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inner"]


@pytest.mark.parametrize(("code", "status"), [(errno.ENOSPC, 1), (errno.EACCES, 2), (errno.EROFS, 2)])
def test_os_errors_while_writing_are_messages_and_leave_nothing(
    code: int, status: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / S).write_text("steps: 2\n")
    monkeypatch.chdir(tmp_path)

    def failing(self: Any, folder: Path, **_: Any) -> None:
        (folder / "relations.csv").write_text("half")
        raise OSError(code, os.strerror(code), str(folder / "relations.csv"))

    monkeypatch.setattr("alignsim.results.run.RunResult._write", failing)
    assert main(["run", S, "--out", "new/parent/out", "--no-charts", "--quiet"]) == status
    err = capsys.readouterr().err
    assert os.strerror(code) in err and "Nothing was written" in err and "Traceback" not in err
    assert _tree(tmp_path) == {S}  # no folder, no temporary, no parent created for it, no lock


def test_a_second_writer_of_one_folder_waits_then_refuses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    first_inside, release, second_waiting = threading.Event(), threading.Event(), threading.Event()

    class Stderr(io.StringIO):
        def write(self, text: str) -> int:
            if "waiting: another alignsim process is writing" in text:
                second_waiting.set()
            return super().write(text)

    monkeypatch.setattr(sys, "stderr", Stderr())

    def slow(folder: Path) -> None:
        (folder / "who").write_text("first")
        first_inside.set()
        assert release.wait(60)

    outcome: dict[str, Any] = {}

    def second() -> None:
        try:
            write_folder(out, lambda folder: (folder / "who").write_text("second"))
        except OutputError as err:
            outcome["error"] = err

    one = threading.Thread(target=write_folder, args=(out, slow))
    one.start()
    assert first_inside.wait(60)
    two = threading.Thread(target=second)
    two.start()
    assert second_waiting.wait(60), "the second writer did not wait for the lock"
    release.set()
    one.join(60), two.join(60)
    assert (out / "who").read_text() == "first"
    assert "exists and is not empty" in str(outcome["error"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # lock file and temporaries gone


def test_a_lock_of_a_killed_process_does_not_block(tmp_path: Path) -> None:
    (tmp_path / ".out.lock").write_text("")  # left by a run killed with SIGKILL: the kernel dropped its flock
    write_folder(tmp_path / "out", lambda folder: (folder / "x").write_text("1"))
    assert (tmp_path / "out" / "x").read_text() == "1"


def test_a_closed_pipe_ends_quietly(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    class Closed(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(errno.EPIPE, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", Closed())
    assert main(["landscape", str(LANDSCAPE), "--json"]) == 141
    assert capsys.readouterr().err == ""


# ---------------------------------------------------------------------------- fuzz

KEYS = ["name", "description", "world", "params", "start", "steps", "seed", "replicates", "shocks", "track", "stpes"]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.dates(),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS + ["type", "source", "beta"]), inner, max_size=4)
    ),
    max_leaves=12,
)
SHOCK = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["visit", "talks", "aid", "border_closure", "recognition", "nope"]),
        "step": st.one_of(st.integers(-2, 40), st.booleans(), st.text(max_size=3)),
        "source": st.sampled_from(["PRK", "KOR", "MNG", "XXX", "", "prk"]),
        "target": st.sampled_from(["PRK", "JPN", "CUB", None]),
    },
    optional={"via": st.sampled_from(["PRK", "MNG", "JPN"]), "intensity": scalars, "open_to": values},
)
scenarios = st.fixed_dictionaries(
    {},
    optional={
        "steps": st.one_of(st.integers(-5, 1300), scalars),
        "seed": st.one_of(st.integers(-1, 2**64), scalars),
        "start": st.one_of(st.dates(), scalars),
        "params": st.dictionaries(st.sampled_from(["beta", "alpha", "agents", "noise", "betta"]), scalars, max_size=3),
        "shocks": st.lists(SHOCK, max_size=3),
        "track": st.lists(st.sampled_from(["PRK-CUB", "PRK-PRK", "XX-YY", "A-B-C", "KOR-MNG"]), max_size=3),
        "world": st.sampled_from(["korea_2024", "nowhere", 3]),
        "stpes": values,
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios)
def test_fuzzed_scenarios_validate_or_fail_with_an_input_error(data: dict[str, Any]) -> None:
    text = yaml.safe_dump(data, allow_unicode=True)
    try:
        assert isinstance(parse_scenario(text, path="fuzz.yaml"), Scenario)
    except InputError as err:
        assert str(err).startswith("fuzz.yaml")


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="ab:-[]{}&*!|>'\"#\n .1e", max_size=80))
def test_fuzzed_yaml_text_never_raises_anything_but_an_input_error(text: str) -> None:
    try:
        parse_scenario(text, path="fuzz.yaml")
    except InputError:
        pass


# ---------------------------------------------------------------------------- docs/worlds.md


def test_the_worked_example_of_docs_worlds_validates_and_gives_the_numbers_it_states(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = (REPO / "docs" / "worlds.md").read_text(encoding="utf-8")
    example = doc.split("## A worked example", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "trio.yaml").write_text(example)
    assert main(["validate", str(tmp_path / "trio.yaml")]) == 0
    assert capsys.readouterr().err == ""  # no warnings: every state positions itself on every dimension
    world = WorldState.from_spec(load_world_file(tmp_path / "trio.yaml"))
    x0 = interest_baseline(world, Params())
    assert np.round([x0[0, 1], x0[0, 2], x0[1, 2]], 3).tolist() == [-0.717, 0.489, -0.167]
    assert world.relations.tolist() == [[0, -0.4, 0.2], [-0.4, 0, 0], [0.5, 0, 0]]
    assert world.economy.tolist() == [2000, 1200, 800]
    assert world.contact[1, 2] == 0 and world.contact[0, 2] == 1


def test_an_outcome_that_does_not_vary_has_no_indices() -> None:
    assert is_constant(np.full(8, 0.25)) and is_constant(np.array([0.1, 0.1 + 1e-16, 0.1]))
    assert not is_constant(np.array([0.1, 0.1001, 0.1]))


CODE = st.sampled_from(["AAA", "BBB", "CCC", "aaa", "", "AAAA"])
STATE = st.fixed_dictionaries(
    {"code": CODE, "name": st.one_of(st.text(max_size=5), scalars)},
    optional={
        "capability": scalars,
        "economy": scalars,
        "loyalty": scalars,
        "need": scalars,
        "loyalti": scalars,
        "border": st.fixed_dictionaries(
            {}, optional={"closed": scalars, "open_to": st.lists(CODE, max_size=3) | scalars}
        ),
        "interests": st.dictionaries(
            st.sampled_from(["bloc", "trade", "blok"]),
            st.fixed_dictionaries({}, optional={"position": scalars, "salience": scalars}) | scalars,
            max_size=2,
        ),
    },
)
PAIR = st.fixed_dictionaries({"source": CODE, "target": CODE}, optional={"weight": scalars, "reverse": scalars})
TIE = st.fixed_dictionaries({"a": CODE, "b": CODE})
worlds = st.fixed_dictionaries(
    {
        "name": st.just("fuzz"),
        "dimensions": st.just([{"id": "bloc", "meaning": "x"}]) | st.lists(values, max_size=2),
        "states": st.lists(STATE, max_size=4),
    },
    optional={
        "relations": st.lists(PAIR, max_size=3) | scalars,
        "ties": st.fixed_dictionaries(
            {},
            optional={
                "diplomatic": st.lists(TIE, max_size=3),
                "sanction": st.lists(PAIR, max_size=2),
                "treaty": scalars,
            },
        ),
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds, st.booleans())
def test_fuzzed_worlds_validate_or_fail_with_an_input_error(world: dict[str, Any], inline: bool) -> None:
    scenario = {
        "steps": 3,
        "world": world if inline else {"base": "korea_2024", **{k: v for k, v in world.items() if k != "name"}},
    }
    try:
        assert isinstance(parse_scenario(yaml.safe_dump(scenario, allow_unicode=True), path="fuzz.yaml"), Scenario)
    except InputError as err:
        assert str(err).startswith("fuzz.yaml")


def test_validate_tells_a_landscape_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(LANDSCAPE)]) == 0
    assert "a landscape file: 5 actors" in capsys.readouterr().out
