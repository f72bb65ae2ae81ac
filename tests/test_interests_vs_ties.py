"""Vote-based interests against alliances and rivalries (docs/validation.md section 8)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from alignsim.validation import check as V
from alignsim.validation import interests_vs_ties as T
from alignsim.world import from_data as F

DOCS = Path(__file__).resolve().parent.parent / "docs" / "validation.md"


def auc(
    pos: list[float], neg: list[float], pos_c: list[int] | None = None, neg_c: list[int] | None = None
) -> tuple[float, float, float]:
    """Each item its own cluster unless told otherwise."""
    pc = list(range(len(pos))) if pos_c is None else pos_c
    nc = list(range(len(pos), len(pos) + len(neg))) if neg_c is None else neg_c
    return T.clustered_auc(np.array(pos), np.array(pc), np.array(neg), np.array(nc), resamples=200, seed=0)


# ------------------------------------------------------------------------- the AUC and bootstrap
def test_perfect_separation_is_1_and_its_interval_too() -> None:
    assert auc([0.9, 0.8, 0.7], [0.1, 0.2]) == (1.0, 1.0, 1.0)


def test_reversed_scores_give_0() -> None:
    assert auc([0.1, 0.2], [0.9, 0.8, 0.7]) == (0.0, 0.0, 0.0)


def test_ties_count_half() -> None:
    assert auc([0.5, 0.5], [0.5, 0.5, 0.5])[0] == 0.5
    # hand count over the 4 pairs: 3 > 2 yes, 3 > 0 yes, 1 > 2 no, 1 > 0 yes
    assert auc([3.0, 1.0], [2.0, 0.0])[0] == 0.75
    assert auc([1.0, 2.0], [1.0])[0] == 0.75  # one tie (1/2) and one win, over 2 pairs


def test_interval_brackets_the_value_and_repeats_with_the_seed() -> None:
    rng = np.random.default_rng(5)
    pos, neg = rng.normal(1, 1, 60).tolist(), rng.normal(0, 1, 40).tolist()
    value, low, high = auc(pos, neg)
    assert low < value < high and 0.5 < value < 1
    assert auc(pos, neg) == (value, low, high)
    brute = np.mean([(p > n) + 0.5 * (p == n) for p in pos for n in neg])
    assert value == pytest.approx(brute, abs=1e-12)


def test_bootstrap_resamples_dyads_not_dyad_years() -> None:
    """Copying every item of a cluster k times changes neither the AUC nor any resample of clusters:
    the interval is that of the clusters, however many years each one has."""
    rng = np.random.default_rng(1)
    pos, neg = rng.normal(0.5, 1, 30), rng.normal(0, 1, 20)
    pc, nc = np.arange(30), np.arange(30, 50)
    once = T.clustered_auc(pos, pc, neg, nc, resamples=300, seed=3)
    thrice = T.clustered_auc(
        np.repeat(pos, 3), np.repeat(pc, 3), np.repeat(neg, 3), np.repeat(nc, 3), resamples=300, seed=3
    )
    assert thrice == pytest.approx(once, abs=1e-12)


def test_no_negatives_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one positive and one negative"):
        T.clustered_auc(np.array([0.1]), np.array([0]), np.array([]), np.array([], dtype=int))


# ------------------------------------------------------------------------------ declared rule
def test_the_threshold_is_the_declared_one() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert "**Pass: AUC >= 0.70 and the interval's lower bound > 0.5.**" in text
    assert (T.THRESHOLD, T.LOWER_BOUND_ABOVE, T.BOOTSTRAP, T.SEED, T.YEARS) == (
        0.70,
        0.5,
        1000,
        0,
        tuple(range(2010, 2019)),
    )


@pytest.mark.parametrize(
    ("value", "low", "passed"), [(0.75, 0.55, True), (0.70, 0.51, True), (0.69, 0.6, False), (0.80, 0.5, False)]
)
def test_the_case_fails_below_the_threshold_or_with_an_interval_reaching_half(
    value: float, low: float, passed: bool
) -> None:
    case = next(c for c in V.cases() if c.key == "votes-auc")
    outcome = V.evaluate(dataclasses.replace(case, ours=lambda: T.Estimate(value, low, 0.95, 100, 10, 50)))
    assert outcome.passed is passed
    assert V._tolerance_text(case) == ">= 0.70 and 95% lower bound > 0.5"
    assert V.format_value(outcome.ours).startswith(f"{value:.3f} (95% CI {low:.3f}-0.950")


# ------------------------------------------------------------------------------------ labels
def test_a_dyad_both_allied_and_rival_counts_in_neither(monkeypatch: pytest.MonkeyPatch) -> None:
    atop = pd.DataFrame(
        {"a": ["AAA", "BBB", "AAA"], "b": ["BBB", "CCC", "CCC"], "year": [2012] * 3, "atop_defense": [1, 1, 0]}
    )
    tss = pd.DataFrame(
        {"a": ["CCC", "AAA"], "b": ["BBB", "CCC"], "rivalry": ["x", "y"], "start": [2000, 2013], "end": [2020, 2020]}
    )
    monkeypatch.setattr(T, "table", {"atop_alliances.csv.gz": atop, "rivalries_tss.csv": tss}.__getitem__)
    lab = T._labels(2012)
    assert lab[["a", "b", "label"]].values.tolist() == [["AAA", "BBB", 1]]  # BBB-CCC in both; AAA-CCC not yet rivals


# ------------------------------------------------------------------------- interests and sanity
def test_interest_arrays_are_the_world_files_values() -> None:
    w = F.check_window(2018, 5)
    codes = F.select_states(None, None, True, w)
    issues, ideal = F.issue_interests(w), F.ideal_interests(w)
    u, s = F.interest_arrays(codes, issues, ideal)
    for i, code in enumerate(codes):
        entry = F.interests_of(code, issues, ideal, w)
        assert u[i].tolist() == [v["position"] for v in entry.values()], code
        assert s[i].tolist() == [v["salience"] for v in entry.values()], code


def test_s_of_identical_records_is_1_and_of_opposite_records_minus_1() -> None:
    assert len(T.vote_records()) > 150
    assert T.identical_records_s() == 1.0
    assert T.opposite_records_s() == -1.0


def test_the_cases_run_on_the_packaged_data() -> None:
    rows = {c.key: V.evaluate(c) for c in V.cases() if c.group == "interests-ties"}
    assert set(rows) == {"votes-auc", "votes-s-identical", "votes-s-opposite"}
    assert all(o.passed for o in rows.values()), {k: (o.ours, o.error) for k, o in rows.items()}
    e = rows["votes-auc"].ours
    assert isinstance(e, T.Estimate) and 0 <= e.low <= e.value <= e.high <= 1
    assert e.positives > 1000 and e.negatives > 100 and e.dyads > 100
    d = T.dyad_years()
    assert set(d.year) == set(T.YEARS) and (d.a < d.b).all() and d.score.between(-1, 1).all()
    assert not d.duplicated(["a", "b", "year"]).any()
