"""The thesis, as tests: friendships and hostilities change, only interests endure.

- With no shocks, relations from any start converge to one interest-determined equilibrium W*:
  the fixed point of -beta (W - X0) + L tanh(alpha B(W) / L), which lies near X0 for small alpha.
- A goodwill impulse decays with half-life ln2/beta (continuous time); the monthly Euler step makes
  the excess shrink by (1 - beta) per month, a discrete half-life of ln2 / -ln(1 - beta).
- An interest shift moves the equilibrium, and the relations follow it for good.

Agents are off and noise is 0 (scenario params) so that the claims are exact.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from conftest import QUIET, SCENARIOS

from alignsim.config.scenario import Scenario, load_scenario
from alignsim.model.dynamics import balance_force
from alignsim.model.model import AlignmentModel
from alignsim.world.params import Params
from alignsim.world.spec import WorldState, interest_baseline

KOREA_CODES = ["PRK", "KOR", "JPN", "USA", "CHN", "RUS", "CUB", "MNG"]


def korea(
    params: dict[str, Any] | None = None,
    *,
    steps: int,
    shocks: list[dict[str, Any]] | None = None,
    relations: list[dict[str, Any]] | None = None,
) -> Scenario:
    world: Any = "korea_2024" if relations is None else {"base": "korea_2024", "relations": relations}
    return Scenario.model_validate(
        {
            "name": "thesis",
            "world": world,
            "steps": steps,
            "start": "2024-01-01",
            "params": {**QUIET, **(params or {})},
            "shocks": shocks or [],
        }
    )


def random_start(seed: int) -> list[dict[str, Any]]:
    """Every pair of the article world with random initial relations in [-1, 1], both directions."""
    rng = np.random.default_rng(seed)
    return [
        {"source": a, "target": b, "weight": float(rng.uniform(-1, 1)), "reverse": float(rng.uniform(-1, 1))}
        for n, a in enumerate(KOREA_CODES)
        for b in KOREA_CODES[n + 1 :]
    ]


def equilibrium(x0: np.ndarray, p: Params) -> np.ndarray:
    """W* with -beta (W* - X0) + L tanh(alpha B(W*) / L) = 0, relations held in [-1, 1]: where the
    root lies beyond a bound (allies whose X0 is already 1), W* sits on the bound and the drift
    pushes outward. By fixed-point iteration of W = clip(X0 + (L / beta) tanh(alpha B(W) / L))."""
    w = x0.copy()
    for _ in range(10_000):
        new = np.clip(
            x0 + (p.saturation / p.beta) * np.tanh(p.alpha * balance_force(w, p.balance_kernel) / p.saturation), -1, 1
        )
        np.fill_diagonal(new, 0.0)
        if np.abs(new - w).max() < 1e-15:
            return new
        w = new
    raise AssertionError("fixed-point iteration did not converge")


def excess(shocked: Scenario, plain: Scenario, source: str, target: str) -> np.ndarray:
    """W[source, target](shocked) - W[source, target](plain), per recorded step."""
    i, j = KOREA_CODES.index(source), KOREA_CODES.index(target)
    a = AlignmentModel(shocked).run().recorder.relations
    b = AlignmentModel(plain).run().recorder.relations
    return (a - b)[:, i, j]


def halving_time(e: np.ndarray, start: int) -> float:
    """Months after ``start`` for e to fall to half of e[start], interpolated log-linearly."""
    e0 = e[start]
    k = next(k for k in range(start + 1, len(e)) if e[k] <= e0 / 2)
    return (k - 1 - start) + math.log(e[k - 1] / (e0 / 2)) / math.log(e[k - 1] / e[k])


# ---------------------------------------------------------------------------- one equilibrium


def test_twenty_random_starts_converge_to_the_same_interest_equilibrium() -> None:
    finals, starts = [], []
    for seed in range(20):
        model = AlignmentModel(korea(steps=200, relations=random_start(seed))).run()
        finals.append(model.relations)
        starts.append(model.recorder.relations[0])
    spread_start = max(np.abs(a - starts[0]).max() for a in starts)
    spread_end = max(np.abs(a - finals[0]).max() for a in finals)
    assert spread_start > 1.0  # they really did start far apart
    assert spread_end < 1e-7
    p = Params(**QUIET)
    x0 = interest_baseline(WorldState.from_spec(korea(steps=1).world_spec), p)
    w_star = equilibrium(x0, p)
    for final in finals:
        np.testing.assert_allclose(final, w_star, atol=1e-7)
    # near X0: |W* - X0| <= alpha (N - 2) / beta, since |B_ij| <= N - 2 and tanh x <= x
    assert np.abs(w_star - x0).max() <= p.alpha * (len(KOREA_CODES) - 2) / p.beta
    assert np.abs(w_star - x0).max() < 0.1


def test_the_equilibrium_approaches_x0_as_alpha_shrinks() -> None:
    x0 = interest_baseline(WorldState.from_spec(korea(steps=1).world_spec), Params())
    gaps = [np.abs(equilibrium(x0, Params(alpha=a)) - x0).max() for a in (0.003, 0.0003, 0.00003)]
    assert gaps[0] > gaps[1] > gaps[2]
    assert gaps[2] / gaps[1] == pytest.approx(0.1, rel=0.05)  # about linear in alpha once small
    assert gaps[2] < 1e-3
    final = AlignmentModel(korea({"alpha": 0.0}, steps=300, relations=random_start(1))).run().relations
    np.testing.assert_allclose(final, x0, atol=1e-12)  # alpha = 0: W* = X0 exactly


# ---------------------------------------------------------------------------- goodwill fades


GOODWILL = [{"type": "visit", "step": 2, "source": "KOR", "target": "CHN", "level": "head_of_state"}]


@pytest.mark.parametrize("beta", [0.05, 0.1, 0.3, 1.0])
def test_goodwill_decays_by_one_minus_beta_per_month_when_alpha_is_zero(beta: float) -> None:
    params = {"alpha": 0.0, "beta": beta}
    e = excess(korea(params, steps=40, shocks=GOODWILL), korea(params, steps=40), "KOR", "CHN")
    kick = 0.3 * 1.9 / 10 * 1.5  # kappa * g / 10 * head-of-state level
    assert e[3] == pytest.approx(kick, rel=1e-12)  # the visit of step 2 lands in W at step 3
    np.testing.assert_allclose(e[:3], 0.0, atol=1e-15)
    k = np.arange(0, 38)
    np.testing.assert_allclose(e[3:], kick * (1 - beta) ** k, rtol=1e-9, atol=1e-15)
    if beta < 1:
        discrete = math.log(2) / -math.log(1 - beta)
        assert halving_time(e, 3) == pytest.approx(discrete, rel=1e-9)


def test_goodwill_half_life_is_about_ln2_over_beta_with_the_default_balance_force() -> None:
    p = Params()
    e = excess(korea(steps=60, shocks=GOODWILL), korea(steps=60), "KOR", "CHN")
    measured = halving_time(e, 3)
    discrete = math.log(2) / -math.log(1 - p.beta)  # 6.58 months at beta = 0.1
    assert measured == pytest.approx(discrete, rel=0.02)
    assert measured == pytest.approx(p.half_life, rel=0.06)  # ln2/beta = 6.93 months
    assert abs(e[-1]) < 0.01 * e[3]  # after five years, under 1% of the goodwill is left


def test_goodwill_target_side_decays_too() -> None:
    e = excess(korea(steps=48, shocks=GOODWILL), korea(steps=48), "CHN", "KOR")
    assert e[3] == pytest.approx(0.15 * 2.8 / 10 * 1.5, rel=0.01)  # kappa_reciprocal * host-a-visit score
    assert abs(e[-1]) < 0.01 * e[3]


@pytest.mark.parametrize("beta", [0.5, 0.9, 1.0])
def test_large_beta_relaxes_without_overshooting_x0(beta: float) -> None:
    """Up to the top of beta's declared range the excess shrinks monotonically, never flipping sign."""
    assert beta <= Params.model_fields["beta"].metadata[-1].le
    e = excess(
        korea({"beta": beta, "alpha": 0.0}, steps=12, shocks=GOODWILL),
        korea({"beta": beta, "alpha": 0.0}, steps=12),
        "KOR",
        "CHN",
    )
    tail = e[3:]
    assert (tail >= -1e-15).all()
    assert (np.diff(tail) <= 1e-15).all()


def test_beta_above_one_is_rejected() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        Params(beta=2.0)  # an Euler step of 2 would flip the excess forever: W - X0 -> -(W - X0)


# ---------------------------------------------------------------------------- interests endure


SHIFT = [{"type": "interest_shift", "step": 2, "source": "MNG", "dimension": "us_alliance", "position": 0.6}]


def test_an_interest_shift_moves_the_equilibrium_and_relations_follow_it() -> None:
    shifted_s, plain_s = korea(steps=240, shocks=SHIFT), korea(steps=240)
    shifted, plain = AlignmentModel(shifted_s).run(), AlignmentModel(plain_s).run()
    m, u = KOREA_CODES.index("MNG"), KOREA_CODES.index("USA")
    x0_before, x0_after = plain.baseline, shifted.baseline
    assert x0_after[m, u] > x0_before[m, u] + 0.05  # leaning toward the US alliance raises X0(MNG, USA)
    np.testing.assert_array_equal(shifted.recorder.baselines[2], x0_before)
    np.testing.assert_array_equal(shifted.recorder.baselines[3], x0_after)  # the month it happens
    p = Params(**QUIET)
    np.testing.assert_allclose(shifted.relations, equilibrium(x0_after, p), atol=1e-9)  # the new equilibrium
    np.testing.assert_allclose(plain.relations, equilibrium(x0_before, p), atol=1e-9)
    gap, dx0 = shifted.relations[m, u] - plain.relations[m, u], x0_after[m, u] - x0_before[m, u]
    assert 0.8 * dx0 < gap < 1.3 * dx0  # it stays (interests endure), amplified a little by balance


def test_interests_vs_sentiment_scenario_shows_the_contrast() -> None:
    """The shipped teaching scenario: KOR's goodwill toward CHN fades, MNG follows its new interests."""
    s = load_scenario(SCENARIOS / "interests_vs_sentiment.yaml")
    assert s.params.agents is False and s.params.noise == 0.0
    plain = Scenario.model_validate({**s.resolved(), "shocks": []})
    k, c, m, u = (KOREA_CODES.index(x) for x in ("KOR", "CHN", "MNG", "USA"))
    a, b = AlignmentModel(s).run(), AlignmentModel(plain).run()
    goodwill = a.recorder.relations[:, k, c] - b.recorder.relations[:, k, c]
    follow = a.recorder.relations[:, m, u] - b.recorder.relations[:, m, u]
    shot = s.schedule()
    first = min(shot) + 1
    assert goodwill[first] > 0.2 and goodwill[-1] < 0.01 * goodwill[first]
    assert follow[first] < follow[-1]  # it grows toward the new baseline, then stays
    assert follow[-1] == pytest.approx(a.baseline[m, u] - b.baseline[m, u], rel=0.15)
