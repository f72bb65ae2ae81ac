"""H4, the model's hindcast (alignsim hindcast): known answers of the scores, the observed signs of
well-known dyads, and the whole section on a tiny slice (a handful of states, two runs)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alignsim.cli.arguments import HINDCAST_DEFAULTS
from alignsim.cli.main import main
from alignsim.validation import model_hindcast as mh
from alignsim.validation.hindcast import MODEL_SECTION, Settings, build_hindcast, write_hindcast


def test_auc_and_brier_known_answers():
    y = np.array([1, 1, 0, 0])
    assert mh.auc(y, np.array([0.9, 0.8, 0.2, 0.1])) == 1.0
    assert mh.auc(y, np.array([0.1, 0.2, 0.8, 0.9])) == 0.0
    assert mh.auc(y, np.zeros(4)) == 0.5  # ties count half: a constant prediction ranks nothing
    assert mh.auc(y, np.array([0.9, 0.2, 0.5, 0.1])) == 0.75  # 3 of the 4 (+, -) pairs in order
    assert np.isnan(mh.auc(np.ones(3), np.arange(3.0)))
    assert mh.brier(y, np.array([1.0, 0.5, 0.0, 0.5])) == pytest.approx((0 + 0.25 + 0 + 0.25) / 4)


def test_observed_signs_of_well_known_dyads():
    codes = ["USA", "GBR", "CHN", "RUS", "IND", "PAK"]
    s = mh.observed_signs(codes, 2000)
    assert (s == s.T).all() and (np.diag(s) == 0).all()
    assert s[0, 1] == 1  # NATO
    assert s[2, 3] == 1  # China-Russia treaty commitments
    assert s[0, 2] == -1  # US-China rivalry
    # ATOP stops in 2018: 2020 is scored on ATOP 2018; disputes stop in 2010, rivalries run to 2020
    assert mh.observed_signs(codes, 2020)[0, 1] == 1


def synthetic(perfect: bool) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    rows = []
    for start in (1990, 2000):
        y = rng.integers(0, 2, 60)
        mean = np.where(y == 1, 0.5, -0.5) if perfect else rng.normal(0, 1, 60)  # no signal at all
        rows.append(
            pd.DataFrame(
                {
                    "start": start,
                    "horizon": 5,
                    "a": "A",
                    "b": "B",
                    "positive": y,
                    "model_p": (mean > 0).astype(float),
                    "model_mean": mean,
                    "persistence": rng.choice([-1, 0, 1], 60),
                    "x0": rng.normal(0, 1, 60),
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def test_a_perfect_model_beats_both_baselines_and_a_noisy_one_does_not():
    scores, diffs = mh.score_dyads(synthetic(True), seed=1, resamples=300)
    pooled = scores[scores.start == "all"].set_index("predictor")
    assert pooled.loc["model", "auc"] == 1.0 and pooled.loc["model", "brier"] == 0.0
    assert set(scores.start) == {"all", "1990", "2000"}
    assert (diffs.auc_difference_lo95 > 0).all()
    _, noisy = mh.score_dyads(synthetic(False), seed=1, resamples=300)
    assert (
        noisy.auc_difference_lo95 < 0
    ).all()  # a model without signal is not declared better than baselines without one
    again, _ = mh.score_dyads(synthetic(True), seed=1, resamples=300)
    assert again.equals(scores)


@pytest.fixture(scope="module")
def tiny() -> Settings:
    return Settings(seed=3, resamples=200, replicates=2, states=8, start_years=(2000,), horizons=(1, 2), workers=1)


def test_the_model_section_on_a_tiny_slice(tiny, tmp_path):
    (section,) = build_hindcast(tiny, progress=False, sections=(MODEL_SECTION,))
    assert [r.name for r in section.rows] == [
        f"model hindcast, t + {h}: AUC of the model - AUC of {b}" for h in (1, 2) for b in ("persistence", "X0 alone")
    ]
    assert all(not r.error and r.lo <= r.value <= r.hi for r in section.rows)
    dyads = section.tables["hindcast_dyads"]
    assert section.tables["hindcast_worlds"].alpha_over_alpha_c.gt(0).all()
    assert set(dyads.horizon) == {1, 2} and set(dyads.start) == {2000}
    assert dyads.model_p.between(0, 1).all() and set(dyads.persistence) <= {-1, 0, 1}
    assert len(dyads[dyads.horizon == 1]) <= 8 * 7 // 2  # only dyads with a recorded tie are scored
    out = write_hindcast([section], tiny, tmp_path / "report")
    assert (out / "charts" / "hindcast.png").is_file() and (out / "tables" / "hindcast_scores.csv").is_file()
    assert "H4. The model's hindcast" in (out / "report.md").read_text()


def test_the_model_hindcast_does_not_depend_on_the_number_of_processes():
    one = mh.start_year_dyads(2000, states=6, horizons=(1,), replicates=3, seed=5, workers=1).frame
    two = mh.start_year_dyads(2000, states=6, horizons=(1,), replicates=3, seed=5, workers=2).frame
    assert one.equals(two)


def test_hindcast_refuses_bad_model_options(tmp_path, capsys):
    assert main(["hindcast", "--replicates", "0", "--out", str(tmp_path / "r")]) == 2
    assert "--replicates" in capsys.readouterr().err
    assert main(["hindcast", "--states", "2", "--out", str(tmp_path / "r")]) == 2
    assert "--states" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


def test_the_command_line_defaults_are_the_settings_defaults() -> None:
    """cli/arguments.py spells the hindcast's defaults out (it may not import pandas); they must agree."""
    assert HINDCAST_DEFAULTS == {name: getattr(Settings, name) for name in HINDCAST_DEFAULTS}
