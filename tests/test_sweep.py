"""Sweeps: grid, Sobol and Morris designs over parameters and shock magnitudes; a known answer
(only kappa moves a goodwill impulse when agents are off and there is no noise); common random
numbers; validation with file, line and field; the ``alignsim sweep`` command."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import QUIET, SCENARIOS, alignsim_cli, alignsim_cli_many, three_state_world
from matplotlib.figure import Figure

from alignsim.api import load
from alignsim.config.scenario import Scenario, parse_scenario
from alignsim.errors import InputError
from alignsim.experiments.simulate import run_scenario
from alignsim.experiments.sweep import SweepResult, design_size, load_sweep_scenario, run_sweep, sobol_data
from alignsim.viz.sensitivity import plot_sobol

GOODWILL = [{"type": "aid", "step": 0, "source": "AAA", "target": "BBB"}]  # +7.4: W[AAA, BBB] += kappa * 0.74


def tiny(
    sweep: dict[str, Any],
    *,
    params: dict[str, Any] | None = None,
    steps: int = 6,
    shocks: list[dict[str, Any]] | None = None,
) -> Scenario:
    """The three-state world with a goodwill shock and a sweep block."""
    return Scenario.model_validate(
        {
            "name": "tiny",
            "world": three_state_world(),
            "params": QUIET if params is None else params,
            "steps": steps,
            "seed": 3,
            "shocks": copy.deepcopy(GOODWILL if shocks is None else shocks),
            "sweep": sweep,
        }
    )


def relation_outcome(name: str = "ab_end", pair: str = "AAA-BBB", **more: Any) -> dict[str, Any]:
    return {"name": name, "kind": "relation", "pair": pair, **more}


# ---------------------------------------------------------------------------------------------
# designs
def test_a_grid_runs_every_combination_with_its_replicates_and_measures_what_a_run_shows() -> None:
    scenario = tiny(
        {
            "design": "grid",
            "replicates": 2,
            "parameters": [
                {"path": "kappa", "values": [0.1, 0.4]},
                {"path": "params.beta", "bounds": [0.1, 0.3]},
                {"path": "shocks[0].intensity", "values": [1.0, 2.0]},
            ],
            "outcomes": [
                relation_outcome(),
                relation_outcome("ab_x0", column="baseline"),
                {"name": "endurance_2", "kind": "metric", "metric": "endurance", "at": 2},
            ],
        },
        params={**QUIET, "noise": 0.02},
        steps=5,
    )
    assert scenario.sweep is not None and scenario.sweep.levels == 4
    result = run_sweep(scenario, workers=1)
    assert design_size(scenario.sweep) == len(result.design) == 2 * 4 * 2
    assert result.results.columns.tolist() == [
        "point",
        "replicate",
        "kappa",
        "beta",
        "shocks[0].intensity",
        "ab_end",
        "ab_x0",
        "endurance_2",
    ]
    assert len(result.results) == 16 * 2 and result.results.replicate.tolist()[:4] == [0, 1, 0, 1]
    assert sorted(result.design.beta.unique()) == pytest.approx([0.1, 0.1 + 0.2 / 3, 0.1 + 0.4 / 3, 0.3])
    # a point's outcome is what the run of that point shows, replicate k with child k of the seed
    row = result.results.iloc[7]
    point = Scenario.model_validate(
        {
            **scenario.resolved(),
            "sweep": None,
            "replicates": 1,
            "params": {**scenario.params.model_dump(), "kappa": row.kappa, "beta": row.beta},
            "shocks": [{**GOODWILL[0], "intensity": row["shocks[0].intensity"]}],
        }
    )
    run = run_scenario(point, replicates=2, workers=1)
    assert row.replicate == 1
    assert row.ab_end == run.relation("AAA", "BBB", replicate=1).iloc[-1]
    assert row.ab_x0 == run.band("AAA", "BBB", column="baseline")["mean"].iloc[-1]
    assert row.endurance_2 == run.metrics[(run.metrics.replicate == 1) & (run.metrics.step == 2)].endurance.iloc[0]
    effects = result.indices
    assert set(effects.columns) == {"outcome", "parameter", "value", "mean", "std", "runs"}
    assert effects[(effects.outcome == "ab_end") & (effects.parameter == "kappa")].runs.tolist() == [16, 16]


def test_replicate_k_uses_the_same_seed_at_every_point() -> None:
    # cool_threshold does nothing with agents off: any difference between points would be noise
    scenario = tiny(
        {
            "design": "grid",
            "replicates": 3,
            "parameters": [{"path": "cool_threshold", "values": [0.2, 0.4, 0.6]}],
            "outcomes": [relation_outcome()],
        },
        params={**QUIET, "noise": 0.05},
    )
    table = run_sweep(scenario, workers=1).results.pivot(index="replicate", columns="point", values="ab_end").to_numpy()
    assert np.all(table == table[:, :1])  # the same at every point (common random numbers) ...
    assert len(set(table[:, 0].tolist())) == 3  # ... and different between replicates


def test_sobol_finds_that_only_kappa_moves_a_goodwill_impulse() -> None:
    """Agents off, no noise: W[AAA, BBB] at the end is X0 plus the decayed impulse kappa * 0.74,
    so kappa drives it; the balance force (alpha up to its default) barely moves it, and the agents'
    cool_threshold cannot move it at all."""
    scenario = tiny(
        {
            "design": "sobol",
            "samples": 32,
            "parameters": [
                {"path": "kappa", "bounds": [0.1, 0.5]},
                {"path": "alpha", "bounds": [0.0, 0.003]},
                {"path": "cool_threshold", "bounds": [0.2, 0.6]},
            ],
            "outcomes": [relation_outcome()],
        }
    )
    result = run_sweep(scenario, workers=1)
    assert len(result.design) == 32 * (3 + 2)
    table = result.indices.set_index("parameter")
    assert table.columns.tolist() == ["outcome", "S1", "S1_conf", "ST", "ST_conf"]
    assert table.loc["kappa", "ST"] > 0.8 and table.loc["kappa", "S1"] > 0.8
    assert table.loc["alpha", "ST"] < 0.01
    assert table.loc["cool_threshold", "ST"] == 0 and table.loc["cool_threshold", "S1"] == 0
    assert table.loc["kappa", "ST"] > 100 * table.loc["alpha", "ST"]
    # the chart: bars per parameter, ordered by ST, with the intervals as error bars
    data = sobol_data(result, "ab_end")
    assert data.parameters[0] == "kappa"
    assert data.series["total ST"].tolist() == table.loc[data.parameters, "ST"].tolist()
    assert data.errors["first order S1"].tolist() == table.loc[data.parameters, "S1_conf"].tolist()
    fig = plot_sobol(data)
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    host = Figure()
    ax = host.add_subplot()
    assert plot_sobol(data, ax=ax) is host


def test_morris_ranks_kappa_first_and_the_same_on_two_workers() -> None:
    scenario = tiny(
        {
            "design": "morris",
            "samples": 6,
            "levels": 4,
            "parameters": [{"path": "kappa", "bounds": [0.1, 0.5]}, {"path": "alpha", "bounds": [0.0, 0.003]}],
            "outcomes": [relation_outcome()],
        }
    )
    one = run_sweep(scenario, workers=1)
    two = run_sweep(scenario, workers=2)
    pd.testing.assert_frame_equal(one.results, two.results, check_exact=True)
    table = one.indices.set_index("parameter")
    assert table.columns.tolist() == ["outcome", "mu", "mu_star", "mu_star_conf", "sigma"]
    assert table.loc["kappa", "mu_star"] > 100 * table.loc["alpha", "mu_star"]


def test_first_event_gives_its_month_or_the_documented_never_value() -> None:
    scenario = tiny(
        {
            "design": "grid",
            "parameters": [{"path": "kappa", "values": [0.2]}],
            "outcomes": [
                {"name": "aid_month", "kind": "first_event", "source": "AAA", "target": "BBB", "type": "aid"},
                {"name": "never_default", "kind": "first_event", "source": "AAA", "rule": "court"},
                {"name": "never_set", "kind": "first_event", "source": "AAA", "rule": "court", "never": -1},
            ],
        },
        shocks=[{**GOODWILL[0], "step": 2}],
        steps=8,
    )
    row = run_sweep(scenario, workers=1).results.iloc[0]
    assert (row.aid_month, row.never_default, row.never_set) == (2.0, 8.0, -1.0)  # never: the steps, or as set


def test_integer_parameters_are_rounded_as_the_runs_use_them() -> None:
    scenario = tiny(
        {
            "design": "sobol",
            "samples": 2,
            "parameters": [{"path": "court_interval", "bounds": [1, 12]}, {"path": "kappa", "bounds": [0.1, 0.2]}],
            "outcomes": [relation_outcome()],
        }
    )
    results = run_sweep(scenario, workers=1).results
    assert results.court_interval.dtype == np.int64 and results.court_interval.between(1, 12).all()


# ---------------------------------------------------------------------------------------------
# validation: pydantic structure and checks against the scenario, with file, line and field
BASE = """\
world: korea_2024
steps: 6
shocks:
  - {type: recognition, step: 1, source: KOR, target: CUB}
sweep:
  design: sobol
  samples: 8
  parameters:
    - path: beta
      bounds: [0.05, 0.2]
    - path: shocks[0].intensity
      bounds: [0.5, 2.0]
  outcomes:
    - {name: prk_cub, kind: relation, pair: PRK-CUB}
"""


def write_variant(tmp_path: Path, old: str, new: str, name: str = "sweep.yaml") -> Path:
    assert old in BASE
    path = tmp_path / name
    path.write_text(BASE.replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "words"),
    [
        ("path: beta", "path: betta", 9, "sweep.parameters[0].path", ["'betta' is not a parameter", "kappa"]),
        (
            "bounds: [0.05, 0.2]",
            "bounds: [0.0, 0.2]",
            10,
            "sweep.parameters[0].bounds",
            ["0 outside the allowed range of beta", "> 0 and <= 1"],
        ),
        ("bounds: [0.05, 0.2]", "bounds: [0.2, 0.05]", 9, "sweep.parameters[0]", ["low", "below"]),
        ("shocks[0].intensity", "shocks[3].intensity", 11, "sweep.parameters[1].path", ["1 shocks, numbered 0..0"]),
        ("shocks[0].intensity", "shocks[0].source", 11, "sweep.parameters[1].path", ["not a magnitude", "intensity"]),
        ("bounds: [0.5, 2.0]", "bounds: [0.5, 6]", 12, "sweep.parameters[1].bounds", ["6 outside", "<= 5"]),
        ("path: beta", "path: agents", 9, "sweep.parameters[0].path", ["'agents' is not a number"]),
        ("samples: 8", "samples: 10", 5, "sweep", ["power of 2", "e.g. 8"]),
        ("samples: 8", "sampels: 8", 7, "sweep.sampels", ["unknown key 'sampels'", "samples"]),
        ("pair: PRK-CUB", "pair: PRK-XXX", 14, "sweep.outcomes[0].pair", ["unknown state code 'XXX'"]),
        (
            "pair: PRK-CUB}",
            "pair: PRK-CUB, metric: endurance}",
            14,
            "sweep.outcomes[0]",
            ["'metric' does not apply to a relation outcome"],
        ),
        (
            "{name: prk_cub, kind: relation, pair: PRK-CUB}",
            "{name: e, kind: metric, metric: endurence}",
            14,
            "sweep.outcomes[0].metric",
            ["unknown metric 'endurence'", "endurance"],
        ),
        (
            "{name: prk_cub, kind: relation, pair: PRK-CUB}",
            "{name: beta, kind: relation, pair: PRK-CUB}",
            5,
            "sweep",
            ["'beta' is used twice"],
        ),
        ("design: sobol", "design: fast", 6, "sweep.design", ["'fast' is not allowed"]),
    ],
)
def test_mistakes_name_the_file_line_and_field(
    tmp_path: Path, old: str, new: str, line: int, field: str, words: list[str]
) -> None:
    path = write_variant(tmp_path, old, new)
    with pytest.raises(InputError) as caught:
        load_sweep_scenario(path)
    err = caught.value
    assert (err.path, err.line, err.field) == (str(path), line, field), str(err)
    for word in words:
        assert word in str(err)


def test_a_scenario_without_a_sweep_block_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plain.yaml"
    path.write_text("world: korea_2024\nsteps: 3\n", encoding="utf-8")
    with pytest.raises(InputError, match="no 'sweep:' block"):
        load_sweep_scenario(path)


def test_the_sweep_block_survives_a_run_folder_round_trip() -> None:
    scenario = parse_scenario(BASE)
    again = Scenario.model_validate(yaml.safe_load(yaml.safe_dump(scenario.resolved())))
    assert again.sweep == scenario.sweep and again.resolved() == scenario.resolved()


def test_the_shipped_example_is_valid() -> None:
    scenario = load_sweep_scenario(SCENARIOS / "sensitivity_article.yaml")
    assert scenario.sweep is not None and scenario.sweep.design == "sobol"
    assert {o.name for o in scenario.sweep.outcomes} >= {"prk_cub_end", "prk_courts_mng", "endurance_end"}


# ---------------------------------------------------------------------------------------------
# the command
def test_cli_sweep_writes_the_folder_and_loads_back(tmp_path: Path) -> None:
    path = write_variant(tmp_path, "samples: 8", "samples: 4\n  replicates: 2")
    bad = write_variant(tmp_path, "path: beta", "path: betta", "bad.yaml")
    ok, invalid, validate = alignsim_cli_many(
        [
            ("sweep", path, "--out", tmp_path / "out", "--workers", "2", "--quiet"),
            ("sweep", bad, "--out", tmp_path / "bad"),
            ("validate", bad),
        ],
        cwd=tmp_path,
    )
    assert ok.returncode == 0, ok.stderr
    assert "sobol sweep of beta, shocks[0].intensity; 16 points x 2 replicates = 32 runs" in ok.stdout
    assert "prk_cub: " in ok.stdout and "ST" in ok.stdout
    out = tmp_path / "out"
    files = set(json.loads((out / "manifest.json").read_text())["files"])
    assert files >= {
        "design.csv",
        "results.csv",
        "results.parquet",
        "sobol.csv",
        "sobol.md",
        "charts/sobol_prk_cub.png",
        "manifest.json",
        "scenario.resolved.yaml",
    }
    sobol = pd.read_csv(out / "sobol.csv")
    assert sobol.columns.tolist() == ["outcome", "parameter", "S1", "S1_conf", "ST", "ST_conf"]
    assert sobol.parameter.tolist() == ["beta", "shocks[0].intensity"]
    assert "| parameter | S1 |" in (out / "sobol.md").read_text()
    loaded = load(out)
    assert isinstance(loaded, SweepResult) and len(loaded.results) == 32
    assert loaded.results.columns.tolist() == ["point", "replicate", "beta", "shocks[0].intensity", "prk_cub"]
    for proc in (invalid, validate):
        assert proc.returncode == 2
        assert f"{bad}:9: field 'sweep.parameters[0].path'" in proc.stderr, proc.stderr
    assert not (tmp_path / "bad").exists()
    # options override the block, with the same checks as the file
    wrong = alignsim_cli("sweep", path, "--samples", "6", "--out", tmp_path / "six", cwd=tmp_path)
    assert wrong.returncode == 2 and "--samples" in wrong.stderr and "power of 2" in wrong.stderr
