"""Issue 19: interest measures with a meaningful zero, measured affinities in X0, calibrated parameter sets,
``alignsim calibrate`` and the all-state hindcast in reduced mode (the full runs are benchmarks)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from alignsim.cli.main import main
from alignsim.config.scenario import Scenario
from alignsim.measures.analytics import alpha_critical
from alignsim.validation.dynamics import TARGETS, dynamics_added, target_rows
from alignsim.validation.hindcast import SECTIONS, Settings, build_hindcast
from alignsim.validation.panel import weighted_auc
from alignsim.world.affinity import _window_votes, agreement, centred_measure
from alignsim.world.from_data import build_world
from alignsim.world.params import Params, params_set
from alignsim.world.spec import WorldSpec, WorldState, interest_baseline


def _pair(codes: list[str], value: np.ndarray, a: str, b: str) -> float:
    return float(value[codes.index(a), codes.index(b)])


def test_kappa_separates_the_koreas_that_issue_means_call_alike() -> None:
    codes, k = agreement(2015, 2019)
    assert _pair(codes, k, "PRK", "KOR") == pytest.approx(-0.087, abs=0.005)
    assert _pair(codes, k, "KOR", "JPN") == pytest.approx(0.653, abs=0.005)
    assert np.allclose(k, k.T, equal_nan=True)


def test_cohens_kappa_matches_its_definition_on_one_pair() -> None:
    """Recount one pair by hand: observed agreement and each state's own shares over the common roll calls."""
    codes, v = _window_votes(2015, 2019)
    a, b = v[codes.index("USA")], v[codes.index("ISR")]
    both = (a > 0) & (b > 0)
    po = float((a[both] == b[both]).mean())
    pe = sum(float((a[both] == c).mean()) * float((b[both] == c).mean()) for c in (1, 2, 3))
    known, k = agreement(2015, 2019)
    assert _pair(known, k, "USA", "ISR") == pytest.approx((po - pe) / (1 - pe))


def test_centred_measures_have_the_median_pair_at_zero_and_unknown_pairs_at_zero() -> None:
    codes, _ = agreement(2000, 2004)
    m = centred_measure("kappa", codes, 2000, 2004)
    upper = m[np.triu_indices(len(codes), 1)]
    assert abs(float(np.median(upper))) < 0.01
    assert (m[np.diag_indices(len(codes))] == 0).all()
    out = centred_measure("kappa", ["USA", "ZZZ"], 2000, 2004)
    assert out[0, 1] == 0.0


def test_votes_after_the_worlds_year_never_enter() -> None:
    early = centred_measure("kappa", ["USA", "ISR", "CUB"], 2010, 2014)
    again = centred_measure("kappa", ["USA", "ISR", "CUB"], 2010, 2014)
    later = centred_measure("kappa", ["USA", "ISR", "CUB"], 2010, 2015)
    assert np.array_equal(early, again) and not np.array_equal(early, later)


def test_a_measured_affinity_replaces_the_interest_term_and_interest_shocks_still_move_it() -> None:
    world = {
        "name": "t",
        "dimensions": [{"id": "d", "meaning": "x"}],
        "states": [
            {"code": "AAA", "name": "A", "capability": 0.5, "interests": {"d": {"position": 1.0, "salience": 1.0}}},
            {"code": "BBB", "name": "B", "capability": 0.3, "interests": {"d": {"position": 0.0, "salience": 1.0}}},
            {"code": "CCC", "name": "C", "capability": 0.2, "interests": {"d": {"position": 1.0, "salience": 1.0}}},
        ],
        "affinity": [{"a": "AAA", "b": "BBB", "value": -0.4}],
    }
    state = WorldState.from_spec(WorldSpec.model_validate(world))
    params = Params(interest_weight=0.5, tie_diplomatic=0.0)
    x0 = interest_baseline(state, params)
    assert x0[0, 1] == pytest.approx(-0.4) and x0[1, 0] == pytest.approx(-0.4)
    assert x0[0, 2] == pytest.approx(0.5)  # unlisted pair: interest_weight x S (S = 1)
    state.interests[1, 0] = 1.0  # B moves to A's position: S(A, B) goes from 0 to 1
    assert interest_baseline(state, params)[0, 1] == pytest.approx(-0.4 + 0.5 * 1.0)
    with pytest.raises(ValueError, match="ZZZ"):
        WorldSpec.model_validate({**world, "affinity": [{"a": "AAA", "b": "ZZZ", "value": 0.1}]})


@pytest.fixture(scope="module")
def shipped() -> dict:
    return params_set("history_1950_1989")


def test_the_shipped_set_says_where_it_came_from_and_what_was_held_out(shipped: dict) -> None:
    assert shipped["measure"] in ("kappa", "pi", "kappa_issues", "ideal", "issue_mean")
    assert "1990-2018" in shipped["provenance"]["held_out"]
    Params(**shipped["params"])  # a valid parameter set
    for name, (lo, hi) in shipped["provenance"]["intervals"].items():
        assert lo <= hi, name


def test_a_data_world_names_its_set_and_a_scenario_puts_alpha_at_the_declared_fraction(shipped: dict) -> None:
    built = build_world(["USA", "CHN", "RUS", "IND", "PAK", "KOR", "PRK", "JPN"], year=2015)
    assert built.world["params_set"] == "history_1950_1989" and built.world["affinity"]
    scenario = Scenario.model_validate({"world": built.world, "start": "2016-01-01", "steps": 2})
    p = scenario.params
    assert p.beta == shipped["params"]["beta"] and scenario.params_set == "history_1950_1989"
    state = WorldState.from_spec(scenario.world_spec)
    critical = alpha_critical(interest_baseline(state, p), p.beta)
    assert p.alpha == pytest.approx(shipped["alpha_fraction"] * critical)
    own = Scenario.model_validate({"world": built.world, "start": "2016-01-01", "steps": 2, "params": {"beta": 0.5}})
    assert own.params.beta == 0.5  # the scenario's own keys win
    again = Scenario.model_validate(scenario.resolved())
    assert again.params == scenario.params  # saving and loading gives the same run


def test_hand_written_worlds_keep_their_own_parameters() -> None:
    scenario = Scenario.model_validate({"world": "korea_2024", "steps": 2})
    assert scenario.params_set is None and scenario.params == Params()


def test_an_unknown_parameter_set_is_a_clear_error() -> None:
    with pytest.raises(Exception, match="unknown parameter set 'nope'.*history_1950_1989"):
        Scenario.model_validate({"world": "korea_2024", "steps": 2, "params_set": "nope"})


def test_the_builder_warns_when_x0_contradicts_a_rivalry() -> None:
    built = build_world(["IND", "PAK", "USA"], year=2015, params_set_name=None, interest_measure="issue_mean")
    assert any("rivalry IND-PAK has a positive X0" in w for w in built.warnings)


def test_weighted_auc_known_answers() -> None:
    y = np.array([1, 1, 0, 0])
    s = np.array([0.9, 0.2, 0.5, 0.1])
    assert weighted_auc(y, s) == pytest.approx(0.75)
    assert weighted_auc(y, s, np.ones(4)) == pytest.approx(0.75)
    assert weighted_auc(y, s, np.array([1.0, 0.0, 1.0, 1.0])) == pytest.approx(
        1.0
    )  # the one misranked positive left out
    assert np.isnan(weighted_auc(np.ones(3), np.arange(3.0)))


def test_targets_pick_their_dyads() -> None:
    frame = pd.DataFrame(
        {
            "both_later": [True] * 4,
            "status_later": [1, -1, 0, 1],
            "ally": [0, 1, 0, 1],
            "ally_later": [1, 0, 0, 1],
            "rival": [0, 0, 1, 0],
            "rival_later": [0, 1, 0, 0],
        }
    )
    f, y = target_rows(frame, "formation")
    assert list(y) == [1, 0]
    f, y = target_rows(frame, "lapse")
    assert list(y) == [1, 0]
    f, y = target_rows(frame, "rivalry end")
    assert list(y) == [1]
    f, y = target_rows(frame, "sign")
    assert list(y) == [1, 0, 1]
    assert set(TARGETS) == {"sign", "formation", "lapse", "rivalry onset", "rivalry end"}


def test_the_hindcast_in_reduced_mode_leads_with_what_the_dynamics_add() -> None:
    quick = Settings(test_years=(1995,), train_years=(1985,), horizons=(5,), runs=1, dynamics_resamples=30)
    (section,) = build_hindcast(quick, progress=False, sections=(SECTIONS[0],))
    assert section.key == "dynamics" and not any(r.error for r in section.rows)
    table = section.tables["dynamics_added"]
    assert list(table.columns) == ["target", "baseline", "difference", "low", "high", "n"]
    assert (table.low <= table.difference).all() and (table.difference <= table.high).all()
    assert set(table.baseline) <= {"X0 alone", "triad baseline", "persistence"}
    assert dynamics_added(
        pd.DataFrame(
            [{"target": "sign", "horizon": 5, "baseline": "X0 alone", "difference": 0.1, "low": 0, "high": 0.2, "n": 9}]
        )
    ).target.tolist() == ["sign, t+5"]


def test_calibrate_in_reduced_mode_writes_a_report_and_a_set_scenarios_accept(tmp_path) -> None:
    assert main(["calibrate", "--quick", "--out", str(tmp_path / "cal"), "--seed", "1"]) == 0
    out = tmp_path / "cal"
    assert {p.name for p in out.iterdir()} == {"report.md", "tables", "history_1950_1989.json"}
    data = json.loads((out / "history_1950_1989.json").read_text())
    Params(**data["params"])
    assert 0 <= data["alpha_fraction"] < 1 and data["provenance"]["quick"] is True
    assert "Held out: 1990–2018" in (out / "report.md").read_text()


def test_calibrate_refuses_a_negative_seed(tmp_path, capsys) -> None:
    assert main(["calibrate", "--seed", "-1", "--out", str(tmp_path / "c")]) == 2
    assert "--seed" in capsys.readouterr().err and not (tmp_path / "c").exists()


def test_hindcast_refuses_start_years_and_horizons_beyond_the_data(tmp_path, capsys) -> None:
    assert main(["hindcast", "--years", "2018", "--out", str(tmp_path / "r")]) == 2
    assert "--years" in capsys.readouterr().err
    assert main(["hindcast", "--horizon", "0", "--out", str(tmp_path / "r")]) == 2
    assert "--horizon" in capsys.readouterr().err and not (tmp_path / "r").exists()
