"""The helpers of the lesson notebook (03): the measures it reads off ensembles and the verdicts it
draws from the evidence, on known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import alignsim
from alignsim.experiments import lesson
from alignsim.validation.evidence import evidence_summary, verdict


def test_half_life_of_a_geometric_decay():
    months = np.arange(40)
    assert lesson.half_life(np.r_[0.0, 0.8 * 0.5 ** (months / 7.0)]) == pytest.approx(7.0, abs=1e-9)
    assert np.isnan(lesson.half_life(np.ones(10)))  # never halves


def test_random_start_is_seeded_and_gap_to_interests_is_per_run():
    assert lesson.random_start(3) == lesson.random_start(3) != lesson.random_start(4)
    run = alignsim.run(
        lesson.world_scenario(steps=6, relations=lesson.random_start(0)), replicates=3, workers=1, progress=False
    )
    gap = lesson.gap_to_interests(run)
    assert gap.shape == (7, 3) and (gap.to_numpy() >= 0).all()
    assert gap.iloc[-1].mean() < gap.iloc[0].mean()  # random relations move toward what interests justify
    assert len(lesson.assumptions()) == len(lesson.ASSUMPTIONS)


def test_verdicts_follow_the_interval():
    assert verdict(0.6, 0.8, 1.0, higher_supports=False) == "supported"
    assert verdict(1.2, 1.5, 1.0, higher_supports=False) == "contradicted"
    assert verdict(0.9, 1.1, 1.0, higher_supports=True).startswith("cannot tell")


def test_evidence_summary_has_a_row_per_claim():
    hazards = pd.DataFrame(
        {
            "model": ["S at formation", "S of each year (time-varying)"],
            "hazard_ratio_per_sd": [1.07, 0.72],
            "lo95": [0.93, 0.65],
            "hi95": [1.23, 0.79],
        }
    )
    reversion = pd.DataFrame(
        {"tie": ["alliance", "rivalry"], "rate_ratio": [3.1, 1.6], "lo95": [2.3, 0.9], "hi95": [4.3, 3.1]}
    )
    triads = pd.DataFrame(
        {"quantity": ["difference imbalanced - balanced"], "value": [0.7], "lo95": [0.67], "hi95": [0.75]}
    )
    hindcast = pd.DataFrame(
        {
            "horizon": [5],
            "baseline": ["persistence"],
            "auc_difference": [-0.2],
            "auc_difference_lo95": [-0.3],
            "auc_difference_hi95": [-0.1],
        }
    )
    table = evidence_summary(hazards, reversion, triads, hindcast)
    assert table.verdict.tolist() == [
        "cannot tell (the interval includes no effect)",
        "supported",
        "supported",
        "cannot tell (the interval includes no effect)",
        "supported",
        "contradicted",
    ]
