"""Tests for alignsim.measures.analytics: Marvel closed form, tipping point, hysteresis."""

from __future__ import annotations

import math

import numpy as np
import pytest

from alignsim.measures.analytics import (
    alpha_critical,
    eigen_equilibria,
    integrate,
    marvel_blowup_time,
    marvel_closed_form,
    peace_branch_upper_alpha,
    war_branch_lower_alpha,
)
from alignsim.measures.balance import factions, pair_signs, polarization, triad_census
from alignsim.validation.data import load_antal_panels


def random_symmetric(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(n, n))
    X = (A + A.T) / 2
    np.fill_diagonal(X, 0.0)
    return X


def snapshot(prefix: str) -> tuple[list[str], np.ndarray]:
    panels = load_antal_panels()
    return next(v for k, v in panels.items() if k.startswith(prefix))


# ---------------------------------------------------------------------------
# Marvel et al. (2011): dX/dt = X X
# ---------------------------------------------------------------------------


def test_marvel_blowup_time() -> None:
    X0 = random_symmetric(6, 1)
    assert marvel_blowup_time(X0) == pytest.approx(1.0 / np.linalg.eigvalsh(X0)[-1])
    assert marvel_blowup_time(-np.eye(3)) == math.inf
    # directed: complex eigenvalues 1 +- 5i never make I - tX0 singular
    assert marvel_blowup_time(np.array([[1.0, -5.0], [5.0, 1.0]])) == math.inf
    # directed with a real eigenvalue 2 (upper triangular): blow-up at 1/2
    assert marvel_blowup_time(np.array([[2.0, 7.0], [0.0, -1.0]])) == pytest.approx(0.5)
    with pytest.raises(ValueError):
        marvel_closed_form(X0, 1.01 * marvel_blowup_time(X0))


@pytest.mark.parametrize("directed", [False, True])
def test_marvel_closed_form_matches_integrator(directed: bool) -> None:
    X0 = random_symmetric(7, 2)
    if directed:
        X0 = X0 + 0.3 * np.random.default_rng(9).normal(size=X0.shape)
    t_star = marvel_blowup_time(X0)
    assert math.isfinite(t_star)
    t = 0.5 * t_star  # well before blow-up
    steps = 2000
    X_num = integrate(X0, X0, alpha=1.0, beta=0.0, dt=t / steps, steps=steps)
    X_cf = marvel_closed_form(X0, t)
    rel = np.linalg.norm(X_num - X_cf) / np.linalg.norm(X_cf)
    assert rel < 1e-6
    # Euler is first order: same answer, much looser
    X_eu = integrate(X0, X0, 1.0, 0.0, dt=t / 20000, steps=20000, method="euler")
    assert np.linalg.norm(X_eu - X_cf) / np.linalg.norm(X_cf) < 1e-2


def test_marvel_factions_from_leading_eigenvector() -> None:
    X0 = random_symmetric(8, 17)  # seed chosen to meet the precondition below
    lam, vecs = np.linalg.eigh(X0)
    v1 = vecs[:, -1]
    # Precondition for a clean sign pattern: no tiny component and a spectral gap.
    assert np.min(np.abs(v1)) > 0.05 and lam[-1] - lam[-2] > 0.2
    f = factions(X0)
    expected = np.where(f[:, None] == f[None, :], 1, -1)
    np.fill_diagonal(expected, 0)
    t_star = marvel_blowup_time(X0)
    X_near = marvel_closed_form(X0, 0.999 * t_star)
    assert np.array_equal(pair_signs(X_near), expected)
    steps = 20000
    t = 0.999 * t_star
    X_num = integrate(X0, X0, 1.0, 0.0, dt=t / steps, steps=steps)
    assert np.array_equal(pair_signs(X_num), expected)
    assert triad_census(X_num).imbalanced == 0


# Predicted fate of the four pairs that had no relation in the 1904 snapshot.
# Marvel dynamics from 1904 make all four hostile immediately (dX/dt at t=0 is
# -1 for each: e.g. GB-G = GB-F*F-G + GB-R*R-G + GB-AH*AH-G = -1 + 1 - 1) and
# they stay hostile; all four are indeed hostile in the 1907 snapshot.
PREDICTED_1904_MISSING = {("GB", "G"): -1, ("GB", "I"): -1, ("F", "I"): -1, ("R", "I"): -1}


def test_marvel_dynamics_from_1904_reach_1907() -> None:
    actors, W04 = snapshot("1904")
    _, W07 = snapshot("1907")
    ix = {a: k for k, a in enumerate(actors)}
    assert triad_census(W04).imbalanced == 2
    t_star = marvel_blowup_time(W04)  # 1/lambda_1 = 0.29272
    assert t_star == pytest.approx(1.0 / polarization(W04))
    dt = 1e-4
    # beta = 0: no interest anchoring, dX/dt = X @ X.  Stop when entries pass
    # 1e3, i.e. before blow-up (numerically at t ~ 0.2925 < t*).
    path = integrate(W04, W04, alpha=1.0, beta=0.0, dt=dt, steps=10**5, max_abs=1e3, return_path=True)
    X = path[-1]
    t_end = dt * (path.shape[0] - 1)
    assert np.all(np.isfinite(X)) and np.max(np.abs(X)) > 1e3 and t_end < t_star
    S = pair_signs(X)
    assert S[ix["GB"], ix["R"]] == 1  # the Anglo-Russian entente
    assert triad_census(X).imbalanced == 0
    assert np.array_equal(S, pair_signs(W07))  # exactly the 1907 pattern
    for (a, b), sign in PREDICTED_1904_MISSING.items():
        assert W04[ix[a], ix[b]] == 0
        assert np.all(np.sign(path[1:, ix[a], ix[b]]) == sign), (a, b)
    # GB-R is the only pair that changes sign; it turns at t = 0.2331 = 0.796 t*.
    flips = {
        (actors[i], actors[j])
        for i in range(6)
        for j in range(i + 1, 6)
        if W04[i, j] != 0 and np.sign(X[i, j]) != W04[i, j]
    }
    assert flips == {("GB", "R")}
    k_flip = int(np.argmax(path[:, ix["GB"], ix["R"]] > 0))
    assert dt * k_flip == pytest.approx(0.2331, abs=2e-4)


# ---------------------------------------------------------------------------
# Tipping point alpha_c = beta / (4 lambda_1)
# ---------------------------------------------------------------------------


def test_alpha_critical_bounded_below_and_blowup_above() -> None:
    X0 = random_symmetric(6, 3)
    lam = np.linalg.eigvalsh(X0)
    assert lam[-1] > 0
    beta = 1.0
    a_c = alpha_critical(X0, beta)
    assert a_c == pytest.approx(beta / (4 * lam[-1]))

    below = integrate(X0, X0, alpha=0.9 * a_c, beta=beta, dt=0.01, steps=20000, max_abs=1e6)
    assert np.all(np.isfinite(below)) and np.max(np.abs(below)) < 10 * np.max(np.abs(X0))
    # Converged to the equilibrium: each mode sits at the stable (low) root of
    # -beta (x - lam_k) + alpha x^2 = 0.
    expected = sorted(next(x for x, s in eigen_equilibria(lk, 0.9 * a_c, beta) if s == "stable") for lk in lam)
    np.testing.assert_allclose(np.linalg.eigvalsh(below), expected, rtol=1e-8, atol=1e-10)

    above = integrate(X0, X0, alpha=1.1 * a_c, beta=beta, dt=0.01, steps=20000, max_abs=1e6)
    assert not np.all(np.isfinite(above)) or np.max(np.abs(above)) > 1e6
    assert alpha_critical(-np.eye(3), 1.0) == math.inf


def test_traag_kernel_equals_marvel_for_symmetric_states() -> None:
    X0 = random_symmetric(5, 8)
    a = integrate(X0, X0, 0.1, 0.5, L=2.0, kernel="marvel", dt=0.01, steps=300)
    b = integrate(X0, X0, 0.1, 0.5, L=2.0, kernel="traag", dt=0.01, steps=300)
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    D = X0 + np.triu(np.ones_like(X0), 1)  # directed: kernels differ
    c = integrate(D, D, 0.1, 0.5, kernel="marvel", dt=0.01, steps=50)
    d = integrate(D, D, 0.1, 0.5, kernel="traag", dt=0.01, steps=50)
    assert not np.allclose(c, d)


def test_unsaturated_equilibria() -> None:
    # alpha x^2 - beta x + beta lam0 with beta=0.5, lam0=1: alpha_c = 0.125
    eq = eigen_equilibria(1.0, 0.1, 0.5)
    assert [s for _, s in eq] == ["stable", "unstable"]
    np.testing.assert_allclose([x for x, _ in eq], [(5 - math.sqrt(5)) / 2, (5 + math.sqrt(5)) / 2])
    assert eigen_equilibria(1.0, 0.125, 0.5) == [(2.0, "unstable")]  # fold: semi-stable
    assert eigen_equilibria(1.0, 0.13, 0.5) == []  # no peace: blow-up
    assert peace_branch_upper_alpha(1.0, 0.5) == pytest.approx(0.125)


# ---------------------------------------------------------------------------
# Saturated model: bistability and hysteresis (Morrison, Kutz & Gabbay 2023)
# ---------------------------------------------------------------------------


def test_hysteresis_example_equilibria() -> None:
    eq = eigen_equilibria(1.0, alpha=0.08, beta=0.5, L=6.0)
    assert [round(x, 2) for x, _ in eq] == [1.25, 5.31, 12.67]
    assert [s for _, s in eq] == ["stable", "unstable", "stable"]
    eq16 = eigen_equilibria(1.6, alpha=0.08, beta=0.5, L=6.0)
    assert [(round(x, 2), s) for x, s in eq16] == [(13.40, "stable")]


def test_hysteresis_war_branch_lower_fold() -> None:
    a_low = war_branch_lower_alpha(1.6, beta=0.5, L=6.0)
    assert round(a_low, 3) == 0.052
    a_up = peace_branch_upper_alpha(1.6, beta=0.5, L=6.0)
    assert a_low < a_up < 0.08  # at alpha=0.08 peace is gone, as in the example
    # Just above the lower fold: peace, unstable, war; just below: peace only.
    above = eigen_equilibria(1.6, a_low * (1 + 1e-6), 0.5, 6.0)
    below = eigen_equilibria(1.6, a_low * (1 - 1e-6), 0.5, 6.0)
    assert [s for _, s in above] == ["stable", "unstable", "stable"]
    assert [s for _, s in below] == ["stable"] and below[0][0] < 3
    assert math.isnan(war_branch_lower_alpha(1.6, beta=0.5, L=0.5))  # no bistability


def test_hysteresis_dynamics_scalar_mode() -> None:
    """Sweep alpha down from war on the 1x1 (leading-mode) system."""
    lam0, beta, L = 1.6, 0.5, 6.0
    X0 = np.array([[lam0]])
    a_low = war_branch_lower_alpha(lam0, beta, L)

    def relax(x: float, alpha: float) -> float:
        X = integrate(X0, np.array([[x]]), alpha, beta, L=L, dt=0.05, steps=4000)
        return float(X[0, 0])

    x = relax(lam0, 0.08)  # from the baseline at alpha=0.08: war
    assert x == pytest.approx(13.402, abs=1e-3)
    for alpha in (0.07, 0.06, 0.055, 0.053):  # peace exists again, but war persists
        x = relax(x, alpha)
        assert x > 10, alpha
    x = relax(x, 0.95 * a_low)  # below the lower fold: back to peace
    assert x < 3
    # starting from peace at alpha=0.06 (bistable window) stays at peace
    assert relax(lam0, 0.06) < 3
