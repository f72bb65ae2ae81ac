"""Tests for alignsim.measures.similarity: Signorino & Ritter (1999) Table 6 and properties."""

from __future__ import annotations

import csv
import io
from importlib.resources import files

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from alignsim.measures.similarity import cohens_kappa, kendall_tau_b, s_score, s_score_matrix, scotts_pi

LEVELS = [0, 1, 2, 3]  # alliance scale: 0 none ... 3 defence pact


@pytest.fixture(scope="module")
def gmyrus14() -> dict[str, np.ndarray]:
    """Germany and Russia 1914 alliance profiles over 20 European states (incl. themselves)."""
    text = (files("alignsim") / "data/validation/signorino_ritter_1999_gmyrus14.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 20
    return {
        "gmy": np.array([int(r["gmy"]) for r in rows]),
        "rus": np.array([int(r["rus"]) for r in rows]),
        "syscap": np.array([float(r["syscap"]) for r in rows]),
    }


# --- Signorino & Ritter (1999), Table 6 ------------------------------------


def test_tau_b_published(gmyrus14: dict[str, np.ndarray]) -> None:
    assert kendall_tau_b(gmyrus14["gmy"], gmyrus14["rus"]) == pytest.approx(0.0303, abs=5e-5)


def test_s_unweighted_published(gmyrus14: dict[str, np.ndarray]) -> None:
    assert s_score(gmyrus14["gmy"], gmyrus14["rus"], d_max=3) == pytest.approx(0.40, abs=5e-3)
    # The observed range is also 0..3 here, so the default d_max agrees.
    assert s_score(gmyrus14["gmy"], gmyrus14["rus"]) == pytest.approx(0.40, abs=5e-3)


def test_s_weighted_published(gmyrus14: dict[str, np.ndarray]) -> None:
    s = s_score(gmyrus14["gmy"], gmyrus14["rus"], weights=gmyrus14["syscap"], d_max=3)
    assert s == pytest.approx(-0.46, abs=5e-3)
    # Normalising the capability shares cannot matter: S divides by sum(w).
    w = gmyrus14["syscap"] * 7.0
    assert s_score(gmyrus14["gmy"], gmyrus14["rus"], weights=w, d_max=3) == pytest.approx(s, abs=1e-12)


def test_kappa_quadratic_published(gmyrus14: dict[str, np.ndarray]) -> None:
    k = cohens_kappa(gmyrus14["gmy"], gmyrus14["rus"], levels=LEVELS, weights="quadratic")
    assert k == pytest.approx(-0.0776, abs=5e-5)


def test_scotts_pi_published(gmyrus14: dict[str, np.ndarray]) -> None:
    assert scotts_pi(gmyrus14["gmy"], gmyrus14["rus"], levels=LEVELS) == pytest.approx(-0.0448, abs=5e-5)


# --- hand checks and errors --------------------------------------------------


def test_s_extremes_and_squared() -> None:
    assert s_score([0, 3], [3, 0], d_max=3) == -1.0
    assert s_score([0, 1], [1, 0], d_max=2, squared=True) == pytest.approx(1 - 2 * 2 / (2 * 4))
    assert s_score([2, 2], [2, 2]) == 1.0  # constant profiles, zero range


def test_s_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="d_max"):
        s_score([0, 3], [3, 0], d_max=2)
    with pytest.raises(ValueError, match="equal length"):
        s_score([0, 1], [0, 1, 2])
    with pytest.raises(ValueError, match="weights"):
        s_score([0, 1], [1, 0], weights=[-1, 1])


def test_kappa_unweighted_and_linear_by_hand() -> None:
    x, y = [0, 0, 1, 1], [0, 1, 1, 1]
    # O = [[.5,.5],[0,1]]/... : p_o = 3/4, p_e = .5*.25 + .5*.75 = .5
    assert cohens_kappa(x, y, levels=[0, 1]) == pytest.approx((0.75 - 0.5) / 0.5)
    # With two levels linear and quadratic weights equal the nominal ones.
    assert cohens_kappa(x, y, levels=[0, 1], weights="linear") == pytest.approx(0.5)
    with pytest.raises(ValueError, match="levels"):
        cohens_kappa([0, 5], [0, 1], levels=[0, 1])


def test_tau_b_matches_scipy_on_examples() -> None:
    stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(1)
    for _ in range(20):
        x, y = rng.integers(0, 4, 30), rng.integers(0, 4, 30)
        assert kendall_tau_b(x, y) == pytest.approx(stats.kendalltau(x, y).statistic, abs=1e-12)
    assert np.isnan(kendall_tau_b([1, 1, 1], [0, 1, 2]))


# --- properties ---------------------------------------------------------------

profiles = st.integers(1, 15).flatmap(
    lambda k: st.tuples(
        arrays(np.float64, k, elements=st.floats(-1, 1)),
        arrays(np.float64, k, elements=st.floats(-1, 1)),
        arrays(np.float64, k, elements=st.floats(0.01, 5)),
    )
)


@given(profiles)
def test_s_self_is_one(data: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    x, _, w = data
    assert s_score(x, x, d_max=2) == 1.0
    assert s_score(x, x, weights=w, d_max=2, squared=True) == 1.0
    assert s_score(x, x) == 1.0


@given(profiles)
def test_s_bounded_and_symmetric(data: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    x, y, w = data
    s = s_score(x, y, weights=w, d_max=2)
    assert -1.0 - 1e-12 <= s <= 1.0 + 1e-12
    assert s == pytest.approx(s_score(y, x, weights=w, d_max=2), abs=1e-12)


@settings(max_examples=50)
@given(
    st.integers(1, 8).flatmap(
        lambda n: st.integers(1, 10).flatmap(
            lambda k: st.tuples(
                arrays(np.float64, (n, k), elements=st.floats(-1, 1)),
                arrays(np.float64, (n, k), elements=st.floats(0.01, 5)),
                st.booleans(),
            )
        )
    )
)
def test_matrix_agrees_with_pairwise(data: tuple[np.ndarray, np.ndarray, bool]) -> None:
    x, w, squared = data
    n = x.shape[0]
    shared = s_score_matrix(x, weights=w[0], d_max=2, squared=squared)
    per_row = s_score_matrix(x, weights=w, d_max=2, squared=squared)
    plain = s_score_matrix(x, d_max=2, squared=squared)
    assert np.array_equal(per_row, per_row.T)
    assert np.all(np.diag(plain) == 1.0)
    for i in range(n):
        for j in range(n):
            assert shared[i, j] == pytest.approx(s_score(x[i], x[j], weights=w[0], d_max=2, squared=squared), abs=1e-12)
            pair_w = 0.5 * (w[i] + w[j])
            assert per_row[i, j] == pytest.approx(
                s_score(x[i], x[j], weights=pair_w, d_max=2, squared=squared), abs=1e-12
            )
            assert plain[i, j] == pytest.approx(s_score(x[i], x[j], d_max=2, squared=squared), abs=1e-12)


@given(
    arrays(np.int64, st.integers(1, 25), elements=st.integers(0, 3)),
    st.sampled_from([None, "linear", "quadratic"]),
)
def test_kappa_and_pi_identical_is_one(x: np.ndarray, weights: str | None) -> None:
    assert cohens_kappa(x, x, levels=LEVELS, weights=weights) == pytest.approx(1.0)  # type: ignore[arg-type]
    assert scotts_pi(x, x, levels=LEVELS) == pytest.approx(1.0)


@given(
    st.integers(2, 30).flatmap(
        lambda n: st.tuples(
            arrays(np.int64, n, elements=st.integers(0, 4)),
            arrays(np.int64, n, elements=st.integers(0, 4)),
        )
    )
)
def test_tau_b_matches_scipy(data: tuple[np.ndarray, np.ndarray]) -> None:
    stats = pytest.importorskip("scipy.stats")
    x, y = data
    ours = kendall_tau_b(x, y)
    ref = stats.kendalltau(x, y).statistic
    if np.isnan(ref):
        assert np.isnan(ours)
    else:
        assert ours == pytest.approx(ref, abs=1e-12)
