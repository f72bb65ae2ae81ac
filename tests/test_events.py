"""Event types on a three-state world: the Goldstein impulse convention, persistent effects, when the
interest baseline X0 moves, and the registry's documentation promises.

Impulse convention (events/base.py): an event of AAA toward CCC with actor-side score g and
target-side score g' adds kappa * g / 10 * intensity * scale to W[AAA, CCC] and
kappa_reciprocal * g' / 10 * intensity * scale to W[CCC, AAA].
"""

from __future__ import annotations

import inspect
import re
from typing import Any

import numpy as np
import pytest
from conftest import QUIET, REPO, SCENARIOS, make_scenario
from pydantic import ValidationError

from alignsim.model.model import AlignmentModel
from alignsim.world.events.base import EVENT_TYPES, Event
from alignsim.world.params import Params
from alignsim.world.spec import WorldState, interest_baseline

A, B, C = 0, 1, 2  # AAA, BBB, CCC in the three-state world
NEED_C = 0.4  # CCC's humanitarian need in the three-state world
KAPPAS = {"kappa": 0.4, "kappa_reciprocal": 0.1}  # unequal, so a swapped kappa shows

# type, its own fields, actor-side g, target-side g', scale (level, need or default intensity)
IMPULSE_TABLE: list[tuple[str, dict[str, Any], float, float, float]] = [
    ("recognition", {}, 6.0, 6.0, 1.0),
    ("sever_relations", {}, -4.0, -4.0, 1.0),
    ("visit", {"level": "minister"}, 1.9, 2.8, 1.0),
    ("visit", {"level": "head_of_state"}, 1.9, 2.8, 1.5),
    ("visit", {"level": "deputy_minister"}, 1.9, 2.8, 0.7),
    ("invitation", {}, 4.0, 4.0, 1.0),
    ("talks", {}, 4.0, 4.0, 1.0),
    ("talks", {"via": "BBB"}, 2.5, 2.5, 1.0),
    ("security_dialogue", {}, 3.5, 3.5, 1.0),
    ("media_freeze", {}, -4.0, -4.0, 0.5),  # half intensity by default
    ("aid", {"kind": "humanitarian"}, 7.4, 7.4, 1.0 + NEED_C),
    ("aid", {"kind": "economic"}, 7.4, 7.4, 1.0 + NEED_C),
    ("aid", {"kind": "military"}, 8.3, 8.3, 1.0 + NEED_C),
    ("agreement", {"action": "sign"}, 8.0, 8.0, 1.0),
    ("agreement", {"action": "abandon"}, -7.0, -7.0, 1.0),
    ("sanction", {"action": "impose"}, -8.0, -8.0, 1.0),
    ("sanction", {"action": "lift"}, 7.0, 7.0, 1.0),
    ("condemn", {}, -2.0, -2.0, 1.0),
    ("condemn", {"form": "protest"}, -2.0, -2.0, 1.0),
    ("threaten", {}, -7.0, -7.0, 1.0),
    ("threaten", {"form": "sanctions"}, -5.8, -5.8, 1.0),
    ("expel_diplomats", {}, -7.0, -7.0, 1.0),
    ("military_posture", {}, -7.2, -7.2, 1.0),
    ("use_force", {}, -10.0, -10.0, 1.0),
    ("use_force", {"form": "blockade"}, -9.5, -9.5, 1.0),
    ("rally_support", {}, 3.8, 3.8, 1.0),
]
IMPULSE_IDS = [f"{t}-{'-'.join(map(str, f.values())) or 'default'}" for t, f, *_ in IMPULSE_TABLE]

SINGLE_STATE_TYPES = ["interest_shift", "capability_change", "border_closure", "border_reopening", "disaster"]


def shock(type_: str, step: int = 0, source: str = "AAA", target: str | None = "CCC", **fields: Any) -> dict[str, Any]:
    d = {"type": type_, "step": step, "source": source, **fields}
    if target is not None:
        d["target"] = target
    return d


def make_event(data: dict[str, Any]) -> Event:
    return EVENT_TYPES[data["type"]].model_validate(data)


def fresh_world() -> WorldState:
    return WorldState.from_spec(make_scenario().world_spec)


# ---------------------------------------------------------------------------- impulses


@pytest.mark.parametrize(("type_", "fields", "g", "g_target", "scale"), IMPULSE_TABLE, ids=IMPULSE_IDS)
def test_impulse_is_kappa_g_over_10_with_target_side_kappa_reciprocal(
    type_: str, fields: dict[str, Any], g: float, g_target: float, scale: float
) -> None:
    event = make_event(shock(type_, **fields))
    params = Params(**KAPPAS)
    assert event.goldstein() == g
    assert event.goldstein_target() == g_target
    impulses = event.impulses(fresh_world(), params)
    assert [(i, j) for i, j, _ in impulses] == [(A, C), (C, A)]
    assert impulses[0][2] == pytest.approx(0.4 * g / 10 * scale, rel=1e-12)
    assert impulses[1][2] == pytest.approx(0.1 * g_target / 10 * scale, rel=1e-12)


@pytest.mark.parametrize(("type_", "fields", "g", "g_target", "scale"), IMPULSE_TABLE, ids=IMPULSE_IDS)
def test_scripted_shock_moves_relations_by_its_impulse(
    type_: str, fields: dict[str, Any], g: float, g_target: float, scale: float
) -> None:
    """One Euler step with alpha = 0 is linear: W1(shock) - W1(no shock) = impulse + beta (X0' - X0)."""
    params = {
        **QUIET,
        **KAPPAS,
        "alpha": 0.0,
        "beta": 0.2,
        "memory_weight": 0.0,
    }  # the memory of hostility: tested below
    plain = AlignmentModel(make_scenario(params=params, steps=1)).run()
    shocked = AlignmentModel(make_scenario(params=params, steps=1, shocks=[shock(type_, **fields)])).run()
    moved_x0 = 0.2 * (shocked.recorder.baselines[1] - plain.recorder.baselines[1])
    jump = shocked.relations - plain.relations - moved_x0
    expected = np.zeros((3, 3))
    expected[A, C] = 0.4 * g / 10 * scale
    expected[C, A] = 0.1 * g_target / 10 * scale
    np.testing.assert_allclose(jump, expected, atol=1e-12)
    (entry,) = shocked.log
    assert (entry.origin, entry.rule, entry.step) == ("scenario", "scripted", 0)
    assert entry.impulse == pytest.approx(expected[A, C])


@pytest.mark.parametrize("intensity", [0.25, 1.0, 3.0])
def test_intensity_multiplies_both_sides(intensity: float) -> None:
    world, params = fresh_world(), Params(**KAPPAS)
    one = make_event(shock("invitation")).impulses(world, params)
    scaled = make_event(shock("invitation", intensity=intensity)).impulses(world, params)
    assert [d for *_, d in scaled] == pytest.approx([intensity * d for *_, d in one])


def test_kappa_zero_gives_no_actor_side_move_but_keeps_the_target_side() -> None:
    params = Params(kappa=0.0, kappa_reciprocal=0.2)
    (_, _, actor), (_, _, target) = make_event(shock("recognition")).impulses(fresh_world(), params)
    assert actor == 0.0
    assert target == pytest.approx(0.2 * 6.0 / 10)


def test_logged_impulse_is_the_actor_side_change_even_when_kappa_is_zero() -> None:
    """The events table's ``impulse`` is documented as the change of W[source, target]."""
    model = AlignmentModel(make_scenario(params={**QUIET, "kappa": 0.0}, steps=1, shocks=[shock("visit")])).run()
    assert model.log[0].impulse == 0.0


def test_aid_amount_is_recorded_but_does_not_scale_the_impulse() -> None:
    world, params = fresh_world(), Params()
    small = make_event(shock("aid", amount_usd=1_000)).impulses(world, params)
    large = make_event(shock("aid", amount_usd=1e9)).impulses(world, params)
    assert small == large
    assert "amount_usd=1000" in make_event(shock("aid", amount_usd=1_000)).detail()


def test_aid_counts_more_after_a_disaster_raises_need() -> None:
    params = {**QUIET, "alpha": 0.0}
    model = AlignmentModel(
        make_scenario(
            params=params,
            steps=3,
            shocks=[
                shock("aid", step=0),
                shock("disaster", step=1, source="CCC", target=None, need=1.0),
                shock("aid", step=2),
            ],
        )
    ).run()
    before, after = model.log[0].impulse, model.log[2].impulse
    assert before == pytest.approx(0.3 * 7.4 / 10 * (1 + NEED_C))
    assert after == pytest.approx(0.3 * 7.4 / 10 * 2.0)


@pytest.mark.parametrize("type_", SINGLE_STATE_TYPES)
def test_single_state_events_have_no_impulse(type_: str) -> None:
    fields = {
        "interest_shift": {"dimension": "bloc", "delta": 0.1},
        "capability_change": {"factor": 2.0},
        "disaster": {"need": 0.5},
    }.get(type_, {})
    event = make_event(shock(type_, target=None, **fields))
    assert event.goldstein() == 0.0
    assert event.impulses(fresh_world(), Params()) == []


# ---------------------------------------------------------------------------- persistent effects and X0


def world_changes(before: WorldState, after: WorldState) -> set[str]:
    """Names of the world's arrays (and tie kinds) that differ."""
    changed = {
        name
        for name in ("capability", "economy", "loyalty", "need", "interests", "salience", "contact")
        if not np.array_equal(getattr(before, name), getattr(after, name))
    }
    changed |= {f"ties.{k}" for k in before.ties if not np.array_equal(before.ties[k], after.ties[k])}
    return changed


# shock, what it must change in the world, whether X0 must move
PERSISTENCE_TABLE: list[tuple[dict[str, Any], set[str], bool]] = [
    (shock("recognition"), {"ties.diplomatic"}, True),
    (shock("recognition", source="AAA", target="BBB"), set(), False),  # already recognised: nothing changes
    (shock("sever_relations", target="BBB"), {"ties.diplomatic"}, True),
    (shock("visit"), set(), False),
    (shock("invitation"), set(), False),
    (shock("talks", via="BBB"), set(), False),
    (shock("security_dialogue"), set(), False),
    (shock("media_freeze"), set(), False),
    (shock("aid", amount_usd=5e5), set(), False),
    (shock("agreement", action="sign"), {"ties.treaty"}, True),
    (shock("agreement", action="abandon"), set(), False),  # there was no treaty to abandon
    (shock("sanction", action="impose"), {"ties.sanction"}, True),
    (shock("sanction", action="lift"), set(), False),  # there was no sanction to lift
    (shock("interest_shift", target=None, dimension="bloc", position=0.0), {"interests"}, True),
    (shock("interest_shift", target=None, dimension="trade", salience=3.0), {"salience"}, True),
    (shock("capability_change", target=None, factor=2.0), {"capability"}, False),
    (shock("border_closure", target=None, open_to=["BBB"]), {"contact"}, False),
    (shock("border_reopening", target=None), set(), False),  # borders were open
    (shock("disaster", source="CCC", target=None, need=0.9), {"need"}, False),
]


@pytest.mark.parametrize(
    ("data", "changes", "x0_moves"), PERSISTENCE_TABLE, ids=lambda v: v["type"] if isinstance(v, dict) else ""
)
def test_persistent_effects_and_x0_moves_only_when_it_should(
    data: dict[str, Any], changes: set[str], x0_moves: bool
) -> None:
    model = AlignmentModel(make_scenario(params={**QUIET, "memory_weight": 0.0}, steps=2, shocks=[data])).run()
    assert world_changes(fresh_world(), model.world) == changes
    baselines = model.recorder.baselines
    assert (not np.array_equal(baselines[0], baselines[1])) == x0_moves
    np.testing.assert_array_equal(baselines[1], baselines[2])  # nothing else moves it afterwards
    np.testing.assert_array_equal(model.baseline, interest_baseline(model.world, model.params))


def test_recognition_adds_tie_diplomatic_to_x0_both_ways() -> None:
    world, params = fresh_world(), Params(tie_diplomatic=0.2)
    x0 = interest_baseline(world, params)
    assert make_event(shock("recognition")).apply(world) is True
    assert world.ties["diplomatic"][A, C] == world.ties["diplomatic"][C, A] == 1.0
    delta = interest_baseline(world, params) - x0
    expected = np.zeros((3, 3))
    expected[A, C] = expected[C, A] = 0.2
    np.testing.assert_allclose(delta, expected, atol=1e-12)


def test_sever_relations_removes_the_tie_both_ways() -> None:
    world, params = fresh_world(), Params()
    x0 = interest_baseline(world, params)
    make_event(shock("sever_relations", target="BBB")).apply(world)
    assert world.ties["diplomatic"][A, B] == world.ties["diplomatic"][B, A] == 0.0
    assert interest_baseline(world, params)[A, B] == pytest.approx(x0[A, B] - params.tie_diplomatic)
    assert interest_baseline(world, params)[B, A] == pytest.approx(x0[B, A] - params.tie_diplomatic)


def test_agreement_sign_then_abandon_restores_x0() -> None:
    world, params = fresh_world(), Params()
    x0 = interest_baseline(world, params)
    make_event(shock("agreement", action="sign", domain="trade")).apply(world)
    assert world.ties["treaty"][A, C] == world.ties["treaty"][C, A] == 1.0
    assert interest_baseline(world, params)[C, A] == pytest.approx(x0[C, A] + params.tie_treaty)
    make_event(shock("agreement", action="abandon")).apply(world)
    np.testing.assert_array_equal(interest_baseline(world, params), x0)


def test_sanction_is_directed_but_lowers_x0_both_ways() -> None:
    world, params = fresh_world(), Params()
    x0 = interest_baseline(world, params)
    make_event(shock("sanction", action="impose")).apply(world)
    assert world.ties["sanction"][A, C] == 1.0 and world.ties["sanction"][C, A] == 0.0
    x1 = interest_baseline(world, params)
    assert x1[A, C] == pytest.approx(x0[A, C] + params.tie_sanction)
    assert x1[C, A] == pytest.approx(x0[C, A] + params.tie_sanction)
    make_event(shock("sanction", action="lift")).apply(world)
    np.testing.assert_array_equal(interest_baseline(world, params), x0)


def test_interest_shift_moves_only_the_shifted_states_pairs() -> None:
    world, params = fresh_world(), Params()
    x0 = interest_baseline(world, params)
    make_event(shock("interest_shift", source="CCC", target=None, dimension="bloc", position=1.0)).apply(world)
    assert world.interests[C, 0] == 1.0
    x1 = interest_baseline(world, params)
    assert x1[A, B] == x0[A, B] and x1[B, A] == x0[B, A]
    # AAA (1, 0.5) and CCC (1, 0) with combined saliences (1, 0.5): S = 1 - 2 * 0.25 / 3; no tie
    assert x1[A, C] == x1[C, A] == pytest.approx(1 - 0.5 / 3)


def test_interest_shift_delta_is_clipped_and_salience_is_set() -> None:
    world = fresh_world()
    make_event(shock("interest_shift", target=None, dimension="trade", delta=2.0, salience=4.0)).apply(world)
    assert world.interests[A, 1] == 1.0  # 0.5 + 2 clipped
    assert world.salience[A, 1] == 4.0
    make_event(shock("interest_shift", target=None, dimension="trade", delta=-0.25)).apply(world)
    assert world.interests[A, 1] == 0.75


def test_capability_change_multiplies() -> None:
    world = fresh_world()
    make_event(shock("capability_change", source="BBB", target=None, factor=0.5)).apply(world)
    np.testing.assert_allclose(world.capability, [0.5, 0.15, 0.2])


def test_border_closure_and_reopening_set_contact() -> None:
    world = fresh_world()
    make_event(shock("border_closure", target=None, open_to=["BBB"])).apply(world)
    np.testing.assert_array_equal(world.contact, [[1, 1, 0], [1, 1, 1], [0, 1, 1]])
    make_event(shock("border_reopening", target=None, partners=["CCC"])).apply(world)
    np.testing.assert_array_equal(world.contact, np.ones((3, 3)))
    make_event(shock("border_closure", target=None)).apply(world)
    np.testing.assert_array_equal(world.contact, [[1, 0, 0], [0, 1, 1], [0, 1, 1]])
    make_event(shock("border_reopening", target=None)).apply(world)  # no partners: all
    np.testing.assert_array_equal(world.contact, np.ones((3, 3)))


def test_closed_border_stops_direct_contact_in_the_model() -> None:
    model = AlignmentModel(
        make_scenario(params=QUIET, steps=1, shocks=[shock("border_closure", target=None, open_to=["BBB"])])
    ).run()
    assert model.can_meet(A, B)
    assert not model.can_meet(A, C) and not model.can_meet(C, A)


def test_disaster_sets_need_and_recovery_lowers_it() -> None:
    model = AlignmentModel(
        make_scenario(
            params=QUIET,
            steps=3,
            shocks=[
                shock("disaster", source="CCC", target=None, need=0.9, kind="flood"),
                shock("disaster", step=2, source="CCC", target=None, need=0.1, kind="recovery"),
            ],
        )
    ).run()
    assert model.world.need[C] == 0.1
    assert [e.event.need for e in model.log] == [0.9, 0.1]


def test_a_hostile_act_makes_the_actor_hold_a_grievance() -> None:
    model = AlignmentModel(make_scenario(params=QUIET, steps=1, shocks=[shock("media_freeze")])).run()
    assert model.grieves(A, C)
    assert not model.grieves(C, A)


# ---------------------------------------------------------------------------- event validation


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (shock("visit", target="AAA"), "same state"),
        ({"type": "visit", "step": 0, "target": "CCC"}, "needs 'source'"),
        (shock("visit", target=None), "needs 'target'"),
        (shock("disaster", target="BBB", need=0.5), "give 'source' only"),
        (shock("interest_shift", target=None, dimension="bloc"), "at least one of"),
        (shock("interest_shift", target=None, dimension="bloc", position=0.1, delta=0.1), "not both"),
        (shock("visit", until=5), "'until' needs 'every'"),
        (shock("visit", intensity=0), "greater than 0"),
        (shock("capability_change", target=None, factor=0), "greater than 0"),
    ],
)
def test_event_validation(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        make_event(data)


def test_events_are_frozen() -> None:
    event = make_event(shock("visit"))
    with pytest.raises(ValidationError):
        event.intensity = 2.0  # type: ignore[misc]


# ---------------------------------------------------------------------------- the registry's promises


def goldstein_values(cls: type[Event]) -> set[float]:
    from alignsim.world.goldstein import goldstein

    codes = set(cls.variants.values()) | {c for c in (cls.cameo, cls.cameo_target) if c}
    return {goldstein(c) for c in codes}


def cameo_codes(cls: type[Event]) -> set[str]:
    return set(cls.variants.values()) | {c for c in (cls.cameo, cls.cameo_target) if c}


@pytest.mark.parametrize("name", list(EVENT_TYPES))
def test_every_event_type_documents_its_source_and_goldstein_value(name: str) -> None:
    cls = EVENT_TYPES[name]
    doc = inspect.getdoc(cls) or ""
    assert cls.__doc__ and cls.__doc__ is not Event.__doc__, f"{name} has no docstring of its own"
    assert "CAMEO" in doc, f"{name}: the docstring should name its CAMEO source (or say it has no CAMEO equivalent)"
    codes = cameo_codes(cls)
    for code in codes:
        assert re.search(rf"\b{code}\b", doc), f"{name}: CAMEO code {code} missing from the docstring"
    for g in goldstein_values(cls):
        assert f"{g:+.1f}" in doc or f"{g:.1f}" in doc, f"{name}: Goldstein value {g:+.1f} missing from the docstring"
    if not codes:
        assert re.search(r"no CAMEO", doc) and re.search(r"Goldstein", doc), (
            f"{name}: without a CAMEO code the docstring should say so and give its Goldstein impulse (none)"
        )


@pytest.mark.parametrize("name", list(EVENT_TYPES))
def test_every_event_type_appears_in_the_scenario_reference(name: str) -> None:
    readme = SCENARIOS / "README.md"
    assert readme.is_file(), "scenarios/README.md (the scenario reference) is missing"
    assert f"`{name}`" in readme.read_text(encoding="utf-8"), (
        f"event type `{name}` is not described in scenarios/README.md"
    )


@pytest.mark.parametrize("name", list(EVENT_TYPES))
def test_every_event_type_is_used_by_a_scenario_or_a_test(name: str) -> None:
    texts = [p.read_text(encoding="utf-8") for p in (*SCENARIOS.glob("*.yaml"), *(REPO / "tests").glob("test_*.py"))]
    pattern = re.compile(rf"""type["']?\s*[:=]\s*["']?{name}\b|\bshock\(\s*["']{name}["']""")
    assert any(pattern.search(t) for t in texts), f"event type {name} is used by no scenario and no test"


def test_every_event_type_has_a_literal_type_matching_its_registry_name() -> None:
    for name, cls in EVENT_TYPES.items():
        assert cls.model_fields["type"].default == name
        assert cls(source="AAA", **({"target": "BBB"} if cls.needs_target else {}), **_required(cls)).type == name


def _required(cls: type[Event]) -> dict[str, Any]:
    return {
        "interest_shift": {"dimension": "bloc", "delta": 0.1},
        "capability_change": {"factor": 1.5},
        "disaster": {"need": 0.3},
        "external_attack": {"attacker": "an armed group"},
    }.get(cls.model_fields["type"].default, {})


def test_in_the_flagship_x0_moves_only_in_months_with_a_tie_or_interest_event() -> None:
    """Agents act (visits, aid, invitations, talks, media freezes) but never move X0; only the
    scripted abandonment and recognition of February 2024 do -- and, after the abandonment (a
    hostile act), the fading memory of hostility, which is all that moves X0 in later months."""
    from conftest import FLAGSHIP

    from alignsim.config.scenario import load_scenario

    scenario = load_scenario(FLAGSHIP)
    forgetful = scenario.model_copy(update={"params": scenario.params.model_copy(update={"memory_weight": 0.0})})
    model = AlignmentModel(forgetful).run()
    x0_types = {"recognition", "sever_relations", "agreement", "sanction", "interest_shift"}
    moved = {
        t
        for t in range(model.config.steps)
        if not np.array_equal(model.recorder.baselines[t], model.recorder.baselines[t + 1])
    }
    expected = {e.step for e in model.log if e.event.type in x0_types}
    assert moved == expected == {7}
    assert any(e.origin == "agent" for e in model.log)
    remembering = AlignmentModel(scenario).run()
    kor, prk = remembering.world.index("KOR"), remembering.world.index("PRK")
    x0 = remembering.recorder.baselines
    assert x0[8][prk, kor] < x0[7][prk, kor] and x0[-1][prk, kor] > x0[8][prk, kor]  # remembered, then fading
    steps_after = x0[9:] - x0[8:-1]
    assert np.count_nonzero(steps_after[:, [prk, kor], :][:, :, [kor, prk]]) > 0
    changed = np.abs(steps_after).sum(axis=0) > 0
    hostile = {(e.source, e.target) for e in remembering.log if e.event.goldstein() < 0 and e.source != e.target}
    expected_pairs = np.zeros_like(changed)
    for a, b in hostile:
        expected_pairs[a, b] = expected_pairs[b, a] = True
    np.testing.assert_array_equal(changed, expected_pairs)  # only the pairs that remember a hostile act
