"""The relation dynamics dW/dt = -beta (W - X0) + L tanh(alpha B(W) / L) + impulses + noise:
limit cases with known answers, bounds, the two balance kernels, and common random numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import QUIET, make_scenario, three_state_world

from alignsim.measures.kernels import leading_eigenvalue
from alignsim.measures.metrics import tipping_ratio
from alignsim.model.dynamics import balance_force, drift, step_relations
from alignsim.model.model import AlignmentModel
from alignsim.world.params import Params


def random_relations(n: int, rng: np.random.Generator, *, symmetric: bool = False) -> np.ndarray:
    w = rng.uniform(-1, 1, (n, n))
    if symmetric:
        w = (w + w.T) / 2
    np.fill_diagonal(w, 0.0)
    return w


def step(
    w: np.ndarray,
    x0: np.ndarray,
    *,
    beta: float = 0.1,
    alpha: float = 0.0,
    saturation: float = 1.0,
    noise: float = 0.0,
    kernel: str = "traag",
    impulses: np.ndarray | None = None,
    seed: int = 0,
) -> np.ndarray:
    return step_relations(
        w,
        x0,
        np.zeros_like(w) if impulses is None else impulses,
        beta=beta,
        alpha=alpha,
        saturation=saturation,
        noise=noise,
        kernel=kernel,
        rng=np.random.default_rng(seed),
    )  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- the balance force


def test_balance_kernels_are_w_wt_and_w_squared_with_zero_diagonal(rng: np.random.Generator) -> None:
    w = random_relations(5, rng)
    traag, marvel = balance_force(w, "traag"), balance_force(w, "marvel")
    for i in range(5):
        for j in range(5):
            if i == j:
                assert traag[i, j] == marvel[i, j] == 0.0
            else:
                assert traag[i, j] == pytest.approx(sum(w[i, k] * w[j, k] for k in range(5)))
                assert marvel[i, j] == pytest.approx(sum(w[i, k] * w[k, j] for k in range(5)))


def test_kernels_agree_on_symmetric_relations_and_differ_otherwise(rng: np.random.Generator) -> None:
    sym = random_relations(6, rng, symmetric=True)
    np.testing.assert_allclose(balance_force(sym, "traag"), balance_force(sym, "marvel"), atol=1e-14)
    x0 = random_relations(6, rng, symmetric=True)
    np.testing.assert_allclose(
        step(sym, x0, alpha=0.3, kernel="traag"), step(sym, x0, alpha=0.3, kernel="marvel"), atol=1e-14
    )
    asym = random_relations(6, rng)
    assert not np.allclose(balance_force(asym, "traag"), balance_force(asym, "marvel"))


def test_balance_force_saturates_at_L(rng: np.random.Generator) -> None:
    w = random_relations(6, rng)
    d = drift(w, w, beta=0.1, alpha=50.0, saturation=0.2)  # at W = X0 only the balance force remains
    assert np.abs(d).max() <= 0.2 + 1e-12
    assert np.abs(d).max() > 0.19
    small = drift(w, w, beta=0.1, alpha=1e-6, saturation=0.2)
    np.testing.assert_allclose(small, 1e-6 * balance_force(w), rtol=1e-6)  # tanh(x) ~ x: unsaturated B


def test_one_step_is_explicit_euler_plus_impulses(rng: np.random.Generator) -> None:
    w, x0 = 0.5 * random_relations(4, rng), 0.5 * random_relations(4, rng, symmetric=True)
    kicks = 0.05 * random_relations(4, rng)
    new = step(w, x0, beta=0.2, alpha=0.1, saturation=1.0, impulses=kicks)
    expected = w + (-0.2 * (w - x0) + np.tanh(0.1 * balance_force(w))) + kicks
    np.fill_diagonal(expected, 0.0)
    np.testing.assert_allclose(new, expected, atol=1e-14)


# ---------------------------------------------------------------------------- limit cases


@pytest.mark.parametrize("beta", [0.05, 0.1, 0.5, 1.0])
def test_beta_only_is_exponential_relaxation(beta: float, rng: np.random.Generator) -> None:
    """alpha = 0, no noise, no impulses: W_t - X0 = (1 - beta)^t (W_0 - X0), exactly."""
    w0, x0 = random_relations(5, rng), random_relations(5, rng, symmetric=True)
    w = w0
    for t in range(1, 30):
        w = step(w, x0, beta=beta)
        np.testing.assert_allclose(w - x0, (1 - beta) ** t * (w0 - x0), atol=1e-12)


def test_beta_only_in_the_model_relaxes_every_pair_exponentially() -> None:
    s = make_scenario(params={**QUIET, "alpha": 0.0, "beta": 0.25}, steps=20)
    model = AlignmentModel(s).run()
    rel, x0 = model.recorder.relations, model.baseline
    off = ~np.eye(3, dtype=bool)
    for t in range(21):
        np.testing.assert_allclose((rel[t] - x0)[off], 0.75**t * (rel[0] - x0)[off], atol=1e-12)


def test_without_balance_or_noise_the_fixed_point_is_x0(rng: np.random.Generator) -> None:
    x0 = random_relations(6, rng, symmetric=True)
    np.testing.assert_array_equal(step(x0, x0, beta=0.3), x0)
    np.testing.assert_array_equal(drift(x0, x0, beta=0.3, alpha=0.0, saturation=1.0), np.zeros((6, 6)))
    model = AlignmentModel(make_scenario(params={**QUIET, "alpha": 0.0, "beta": 0.5}, steps=80)).run()
    np.testing.assert_allclose(model.relations, model.baseline, atol=1e-12)


def test_x0_is_not_a_fixed_point_once_balance_acts(rng: np.random.Generator) -> None:
    x0 = random_relations(6, rng, symmetric=True)
    assert not np.allclose(step(x0, x0, beta=0.3, alpha=0.1), x0)


def test_relations_stay_in_bounds_with_zero_diagonal_under_huge_kicks_and_noise(rng: np.random.Generator) -> None:
    w, x0 = random_relations(7, rng), random_relations(7, rng, symmetric=True)
    for seed in range(50):
        kicks = 10 * random_relations(7, np.random.default_rng(seed))
        w = step(w, x0, beta=2.0, alpha=1.0, saturation=100.0, noise=1.0, kernel="marvel", impulses=kicks, seed=seed)
        assert np.isfinite(w).all()
        assert np.abs(w).max() <= 1.0
        assert (np.diag(w) == 0).all()


def test_relations_stay_in_bounds_in_the_model_under_repeated_strong_shocks() -> None:
    shocks = [
        {"type": "aid", "step": 0, "every": 1, "source": "AAA", "target": "CCC", "intensity": 5, "kind": "military"},
        {"type": "sanction", "step": 0, "every": 1, "source": "BBB", "target": "CCC", "intensity": 5},
    ]
    s = make_scenario(
        params={"kappa": 2.0, "kappa_reciprocal": 2.0, "noise": 1.0, "alpha": 1.0, "saturation": 100.0},
        steps=24,
        shocks=shocks,
    )
    rel = AlignmentModel(s).run().recorder.relations
    assert np.isfinite(rel).all() and np.abs(rel).max() <= 1.0
    assert rel[:, 0, 2].max() == 1.0 and rel[:, 1, 2].min() == -1.0  # pinned at the bounds, not beyond


def test_the_two_kernels_give_the_same_run_on_a_symmetric_world() -> None:
    """A symmetric start with a symmetric X0 stays symmetric without noise or shocks, so W W^T = W^2."""
    world = three_state_world(
        relations=[
            {"source": "AAA", "target": "BBB", "weight": 0.6},
            {"source": "AAA", "target": "CCC", "weight": -0.7},
            {"source": "BBB", "target": "CCC", "weight": -0.2},
        ]
    )
    runs = {
        k: AlignmentModel(
            make_scenario(world=world, params={**QUIET, "alpha": 0.2, "balance_kernel": k}, steps=30)
        ).run()
        for k in ("traag", "marvel")
    }
    rel = runs["traag"].recorder.relations
    np.testing.assert_allclose(rel, np.transpose(rel, (0, 2, 1)), atol=1e-14)
    np.testing.assert_allclose(rel, runs["marvel"].recorder.relations, atol=1e-12)
    assert not np.allclose(rel[-1], runs["traag"].baseline, atol=1e-3)  # the balance force did act


# ---------------------------------------------------------------------------- noise and seeds


def test_noise_has_the_documented_standard_deviation() -> None:
    n = 60
    w = np.zeros((n, n))
    moved = step(w, w, beta=0.1, noise=0.02, seed=3)
    off = moved[~np.eye(n, dtype=bool)]
    assert off.std() == pytest.approx(0.02, rel=0.05)
    assert abs(off.mean()) < 0.002


def test_same_seed_gives_common_random_numbers_across_scenarios() -> None:
    """Two scenarios that differ by one shock, with one seed: the noise cancels in their difference,
    so a comparison shows the shock's effect alone (alpha = 0 keeps the dynamics linear)."""
    shock = [{"type": "visit", "step": 2, "source": "AAA", "target": "BBB"}]

    def run(noise: float, shocks: list) -> np.ndarray:
        s = make_scenario(params={"agents": False, "alpha": 0.0, "noise": noise}, steps=12, shocks=shocks, seed=5)
        return AlignmentModel(s).run().recorder.relations

    noisy_effect = run(0.01, shock) - run(0.01, [])
    clean_effect = run(0.0, shock) - run(0.0, [])
    np.testing.assert_allclose(noisy_effect, clean_effect, atol=1e-12)
    assert np.abs(run(0.01, []) - run(0.0, [])).max() > 1e-3  # the noise itself is there


def test_no_global_random_state_is_used() -> None:
    s = make_scenario(steps=12, seed=3)
    np.random.seed(1)
    first = AlignmentModel(s).run().recorder.relations
    np.random.seed(2)
    import random

    random.seed(2)
    second = AlignmentModel(s).run().recorder.relations
    np.testing.assert_array_equal(first, second)


# ---------------------------------------------------------------------------- documented quantities


def test_half_life_property_is_ln2_over_beta() -> None:
    assert Params(beta=0.1).half_life == pytest.approx(math.log(2) / 0.1)
    assert Params().half_life == pytest.approx(6.93, abs=0.01)  # the value the docs quote


def test_tipping_ratio_uses_alpha_c_equal_beta_over_4_lambda1() -> None:
    x0 = np.array([[0.0, 1.0], [1.0, 0.0]])  # λ1 = 1
    assert leading_eigenvalue(x0) == pytest.approx(1.0)
    assert tipping_ratio(0.08, 0.5, x0) == pytest.approx(0.08 / (0.5 / 4))
    assert tipping_ratio(0.08, 0.5, -x0) == pytest.approx(0.08 / (0.5 / 4))  # [[0,-1],[-1,0]] has λ1 = 1 too
    assert tipping_ratio(0.08, 0.5, np.zeros((3, 3))) == 0.0
