"""Answers to hostility, the memory of hostility and rivalries, the spin-up, the noise-scaled
triggers, one answer per pair per month and independent random streams (docs/model.md)."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest
from conftest import QUIET, make_scenario

from alignsim.model.model import AlignmentModel, LoggedEvent
from alignsim.world.params import Params
from alignsim.world.spec import WorldState, interest_baseline

CALM = {"noise": 0.0}  # agents on, no noise: every act below has a traceable cause

# AAA strong, BBB its friend, CCC weak and hostile to AAA, DDD hostile to CCC and neutral to AAA.
FOUR: dict[str, Any] = {
    "name": "four_states",
    "dimensions": [{"id": "bloc", "meaning": "+1 west, -1 east."}],
    "states": [
        {
            "code": "AAA",
            "name": "Alpha",
            "capability": 0.5,
            "loyalty": 0.8,
            "interests": {"bloc": {"position": 0.6, "salience": 1.0}},
        },
        {
            "code": "BBB",
            "name": "Beta",
            "capability": 0.2,
            "loyalty": 0.3,
            "interests": {"bloc": {"position": 0.5, "salience": 1.0}},
        },
        {
            "code": "CCC",
            "name": "Gamma",
            "capability": 0.1,
            "loyalty": 0.3,
            "interests": {"bloc": {"position": -0.6, "salience": 1.0}},
        },
        {
            "code": "DDD",
            "name": "Delta",
            "capability": 0.2,
            "loyalty": 0.3,
            "interests": {"bloc": {"position": 0.1, "salience": 1.0}},
        },
    ],
    "relations": [
        {"source": "AAA", "target": "BBB", "weight": 0.35},
        {"source": "AAA", "target": "CCC", "weight": -0.2},
        {"source": "AAA", "target": "DDD", "weight": 0.0},
        {"source": "BBB", "target": "CCC", "weight": -0.1},
        {"source": "CCC", "target": "DDD", "weight": -0.5},
    ],
    "ties": {"diplomatic": [{"a": "AAA", "b": "BBB"}, {"a": "AAA", "b": "DDD"}, {"a": "BBB", "b": "DDD"}]},
}


def four(**changes: Any) -> dict[str, Any]:
    world = copy.deepcopy(FOUR)
    for key, value in changes.items():
        world[key] = value
    return world


def run(
    shocks: list[dict[str, Any]], *, world: dict[str, Any] | None = None, steps: int = 3, **params: Any
) -> AlignmentModel:
    return AlignmentModel(
        make_scenario(
            world=world or four(),
            params={**CALM, "initial_relations": "equilibrium", **params},
            steps=steps,
            shocks=shocks,
        )
    ).run()


def agent_acts(model: AlignmentModel, rule: str | None = None) -> list[LoggedEvent]:
    return [e for e in model.log if e.origin == "agent" and (rule is None or e.rule == rule)]


def parties(model: AlignmentModel, e: LoggedEvent) -> tuple[str, str, str]:
    return model.code(e.source), e.event.type, model.code(e.target)


# ---------------------------------------------------------------------------- retaliation


def test_retaliation_is_in_kind_and_limited_by_capability() -> None:
    """A strike answered: the strong victim strikes back; the weak one (capability ratio 0.2) can
    only afford a rung of severity <= 0.2: a condemnation."""
    strong = run([{"type": "use_force", "source": "CCC", "target": "AAA", "step": 0}])
    (answer,) = agent_acts(strong, "retaliate")
    assert parties(strong, answer) == ("AAA", "use_force", "CCC") and answer.step == 1
    weak = run([{"type": "use_force", "source": "AAA", "target": "CCC", "step": 0}])
    (answer,) = agent_acts(weak, "retaliate")
    assert parties(weak, answer) == ("CCC", "condemn", "AAA")
    assert "capability ratio 0.20" in answer.cause


def test_retaliation_is_not_answered_and_can_be_switched_off() -> None:
    model = run([{"type": "use_force", "source": "CCC", "target": "AAA", "step": 0}], steps=4)
    assert not [e for e in agent_acts(model, "retaliate") if model.code(e.source) == "CCC"]  # no spiral
    off = run([{"type": "use_force", "source": "CCC", "target": "AAA", "step": 0}], retaliation=0.0)
    assert not agent_acts(off, "retaliate")


# ---------------------------------------------------------------------------- solidarity and balancing


@pytest.mark.parametrize(("allied", "condemns"), [(False, False), (True, True)])
def test_solidarity_is_stronger_under_an_alliance(allied: bool, condemns: bool) -> None:
    """A half-strength strike on AAA (severity 0.5): BBB's friendship 0.35 x 0.5 < 0.3 stays silent;
    as an ally (commitment 0.35 + 0.5) it condemns the attacker."""
    ties = copy.deepcopy(FOUR["ties"])
    if allied:
        ties["alliance"] = [{"a": "AAA", "b": "BBB"}]
    model = run(
        [{"type": "use_force", "source": "CCC", "target": "AAA", "step": 0, "intensity": 0.5}],
        world=four(ties=ties),
        initial_relations="given",
    )
    rallied = [parties(model, e) for e in agent_acts(model, "solidarity")]
    assert (("BBB", "condemn", "CCC") in rallied) == condemns


def test_an_attack_by_an_actor_outside_the_world_rallies_the_victims_friends() -> None:
    ties = {**copy.deepcopy(FOUR["ties"]), "alliance": [{"a": "AAA", "b": "BBB"}]}
    model = run(
        [{"type": "external_attack", "source": "AAA", "attacker": "an armed group", "step": 0}], world=four(ties=ties)
    )
    # BBB (an ally) and DDD (a friend at equilibrium, 0.62) stand by AAA
    assert sorted(parties(model, e) for e in agent_acts(model, "solidarity")) == [
        ("BBB", "rally_support", "AAA"),
        ("DDD", "rally_support", "AAA"),
    ]
    assert not agent_acts(model, "retaliate")  # nobody in the world to answer
    sponsored = run(
        [{"type": "external_attack", "source": "AAA", "attacker": "an armed group", "sponsor": "CCC", "step": 0}],
        world=four(ties=ties),
    )
    acts = {parties(sponsored, e) for e in agent_acts(sponsored)}
    assert {("AAA", "use_force", "CCC"), ("BBB", "condemn", "CCC")} <= acts
    assert sponsored.log[0].impulse < 0  # the victim's regard of the sponsor drops


def test_a_victim_balances_by_courting_its_attackers_adversaries() -> None:
    model = run([{"type": "use_force", "source": "CCC", "target": "AAA", "step": 0}], initial_relations="given")
    balance = agent_acts(model, "balance")
    assert [parties(model, e)[::2] for e in balance] == [("AAA", "DDD")]
    assert "balancing: CCC attacked it" in balance[0].cause
    threat = run([{"type": "condemn", "source": "CCC", "target": "AAA", "step": 0}], initial_relations="given")
    assert not agent_acts(threat, "balance")  # a condemnation (severity 0.2) is no threat to balance against


def test_a_friend_warm_with_my_attacker_is_cooled_toward() -> None:
    """AAA does not count CCC as an adversary by relations alone (-0.2 > -0.3), but CCC struck it:
    BBB's visit to CCC that month costs BBB AAA's media coverage."""
    world = four(
        relations=[{"source": "AAA", "target": "BBB", "weight": 0.6}, *FOUR["relations"][1:]]
    )  # AAA-BBB warmer than in FOUR
    shocks = [
        {"type": "use_force", "source": "CCC", "target": "AAA", "step": 0},
        {"type": "visit", "source": "BBB", "target": "CCC", "step": 0},
    ]
    model = run(shocks, world=world, initial_relations="given", cool_on=True)
    cools = agent_acts(model, "cool")
    assert [parties(model, e) for e in cools] == [("AAA", "media_freeze", "BBB")]
    assert "(attacker," in cools[0].cause
    calm = run(shocks[1:], world=world, initial_relations="given", cool_on=True)
    assert not agent_acts(calm, "cool")


# ---------------------------------------------------------------------------- one answer per pair and month


def test_one_answer_per_pair_per_month() -> None:
    shocks = [{"type": "invitation", "source": "BBB", "target": "AAA", "step": 0, "note": f"act {k}"} for k in range(3)]
    model = run(shocks)
    answers = [e for e in agent_acts(model, "reciprocate") if parties(model, e)[::2] == ("AAA", "BBB")]
    assert len(answers) == 1


# ---------------------------------------------------------------------------- the memory of hostility, rivalries


def test_the_memory_of_hostility_fades_with_its_half_life() -> None:
    half_life = 24.0
    model = AlignmentModel(
        make_scenario(
            world=four(),
            params={**QUIET, "memory_half_life": half_life},
            steps=49,
            shocks=[{"type": "use_force", "source": "CCC", "target": "AAA", "step": 0}],
        )
    ).run()
    a, c = model.world.index("AAA"), model.world.index("CCC")
    x0 = model.recorder.baselines
    plain = AlignmentModel(make_scenario(world=four(), params=QUIET, steps=1)).baseline
    dip = plain[a, c] - x0[:, a, c]  # the memory, as X0 sees it, after each month
    assert dip[1] == pytest.approx(
        0.1 * 2 ** (-1 / half_life), rel=1e-12
    )  # memory_weight x severity 1, one month faded
    assert dip[25] == pytest.approx(dip[1] / 2, rel=1e-9) and dip[49] == pytest.approx(dip[1] / 4, rel=1e-9)
    np.testing.assert_allclose(x0[:, a, c], x0[:, c, a])  # both ways


def test_a_rivalry_tie_lowers_x0_both_ways() -> None:
    world = four(ties={**FOUR["ties"], "rivalry": [{"a": "AAA", "b": "CCC", "note": "a strategic rivalry"}]})
    rival = WorldState.from_spec(make_scenario(world=world).world_spec)
    plain = WorldState.from_spec(make_scenario(world=four()).world_spec)
    p = Params(tie_rivalry=-0.25)
    diff = interest_baseline(rival, p) - interest_baseline(plain, p)
    a, c = rival.index("AAA"), rival.index("CCC")
    expected = np.zeros_like(diff)
    expected[a, c] = expected[c, a] = -0.25
    np.testing.assert_allclose(diff, expected, atol=1e-15)


# ---------------------------------------------------------------------------- the spin-up


def test_a_start_at_equilibrium_does_not_drift_and_a_given_start_is_reported() -> None:
    quiet = {**QUIET, "alpha": 0.01}
    steady = AlignmentModel(
        make_scenario(world=four(), params={**quiet, "initial_relations": "equilibrium"}, steps=24)
    ).run()
    np.testing.assert_allclose(steady.recorder.relations[-1], steady.recorder.relations[0], atol=1e-9)
    given = AlignmentModel(make_scenario(world=four(), params=quiet, steps=24))
    far = given.far_from_steady_state()
    assert far and all(abs(w - s) >= 0.1 for _, _, w, s in far)
    assert ("CCC", "DDD") in {(a, b) for a, b, _, _ in far}  # -0.5, while interests say about -0.7+... far either way
    np.testing.assert_allclose(steady.initial_relations, given.steady, atol=1e-12)


# ---------------------------------------------------------------------------- noise-scaled triggers


def test_the_noise_sd_is_the_stationary_sd_of_the_relation() -> None:
    loud = Params(noise=0.05, beta=0.1)
    assert loud.noise_sd == pytest.approx(0.05 / np.sqrt(1 - 0.9**2))


def test_noise_alone_makes_few_courtings_at_the_equilibrium() -> None:
    """No shocks, a start at equilibrium: with triggers scaled to the noise, noise alone rarely
    makes a state court; unscaled (noise_z = 0, support_drop = 0) it does so all the time."""
    counts = {}
    codes = [s["code"] for s in FOUR["states"]]
    everyone = four(ties={"diplomatic": [{"a": a, "b": b} for k, a in enumerate(codes) for b in codes[k + 1 :]]})
    for z in (0.0, 2.0):
        params = {
            "noise": 0.03,
            "noise_z": z,
            "initial_relations": "equilibrium",
            "support_drop": 0.0,
            "court_affinity": -1.0,  # any non-friend may be courted: count the triggers
            "court_on": True,
        }
        model = AlignmentModel(make_scenario(world=everyone, params=params, steps=60)).run()
        counts[z] = len(agent_acts(model, "court"))
    assert counts[2.0] <= 2 < counts[0.0]


# ---------------------------------------------------------------------------- random streams


def test_two_scenarios_differing_in_one_late_shock_draw_identical_noise(monkeypatch: pytest.MonkeyPatch) -> None:
    """The noise matrices are identical at every step, the runs identical before the shock, and
    every later difference traces to the model (the shock and the answers to it)."""
    draws: list[np.ndarray] = []
    original = AlignmentModel.draw_noise

    def spy(self: AlignmentModel) -> np.ndarray:
        z = original(self)
        draws.append(z.copy())
        return z

    monkeypatch.setattr(AlignmentModel, "draw_noise", spy)
    late = 14
    base = {"world": four(), "params": {"noise": 0.03, "initial_relations": "equilibrium"}, "steps": 24, "seed": 7}
    plain = AlignmentModel(make_scenario(**base)).run()
    first = list(draws)
    draws.clear()
    shocked = AlignmentModel(
        make_scenario(**base, shocks=[{"type": "use_force", "source": "CCC", "target": "AAA", "step": late}])
    ).run()
    assert len(first) == len(draws) == 24
    for a, b in zip(first, draws, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(plain.recorder.relations[: late + 1], shocked.recorder.relations[: late + 1])
    assert [(e.step, e.rule, e.event) for e in plain.log if e.step < late] == [
        (e.step, e.rule, e.event) for e in shocked.log if e.step < late
    ]
    assert any(e.rule == "retaliate" for e in shocked.log)
    # a pair no event touched differs only through the dynamics (balance force), not through noise
    b, d = plain.world.index("BBB"), plain.world.index("DDD")
    assert abs(plain.relations[b, d] - shocked.relations[b, d]) < 0.02


# ---------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("shock", "message"),
    [
        (
            {"type": "external_attack", "source": "AAA", "attacker": "a militia", "sponsor": "ZZZ", "step": 0},
            "shocks.0.sponsor",
        ),
        (
            {"type": "external_attack", "source": "AAA", "attacker": "a militia", "sponsor": "AAA", "step": 0},
            "the sponsor is the attacked state itself",
        ),
        ({"type": "external_attack", "source": "AAA", "step": 0}, "attacker"),
        ({"type": "use_force", "source": "AAA", "target": "CCC", "form": "nuclear", "step": 0}, "form"),
        ({"type": "threaten", "source": "AAA", "step": 0}, "needs 'target'"),
    ],
)
def test_bad_hostile_shocks_are_refused_with_the_field_named(shock: dict[str, Any], message: str) -> None:
    from alignsim.errors import InputError

    with pytest.raises((InputError, ValueError), match=message):
        make_scenario(world=four(), shocks=[shock])


def test_a_scripted_counter_strike_is_not_doubled_by_the_agents() -> None:
    """Both struck the other in the same month (scripted): each act already answers the other's,
    so no agent retaliation comes on top; a strike answered only by a condemnation is still answered."""
    shocks = [
        {"type": "use_force", "source": "CCC", "target": "AAA", "step": 0},
        {"type": "use_force", "source": "AAA", "target": "CCC", "step": 0},
    ]
    assert not agent_acts(run(shocks), "retaliate")
    shocks[1] = {"type": "condemn", "source": "AAA", "target": "CCC", "step": 0}
    model = run(shocks)
    assert [parties(model, e) for e in agent_acts(model, "retaliate")] == [("AAA", "use_force", "CCC")]
