"""The engine computes the model as documented: it matches the plain reference implementation
(tests/reference_model.py) on random worlds -- N from 3 to 50, every event type scripted, agents on,
random parameters -- event for event, and relations and baselines to 1e-12, from the same seeds."""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from reference_model import SUPPORTED_TYPES, RefEntry, ReferenceModel

from alignsim.config.scenario import Scenario, load_scenario
from alignsim.model.model import AlignmentModel, LoggedEvent
from alignsim.world.events.base import EVENT_TYPES
from alignsim.world.generate import WorldRecipe, generate_world

TOL = 1e-12

# (states, seed, steps): sizes from 3 to 50; the seed draws the world, the parameters and the shocks.
CASES = [
    (3, 1, 30),
    (3, 2, 30),
    (4, 3, 30),
    (5, 4, 30),
    (6, 5, 24),
    (8, 6, 24),
    (10, 7, 24),
    (12, 8, 24),
    (16, 9, 24),
    (20, 10, 20),
    (25, 11, 16),
    (30, 12, 16),
    (40, 13, 12),
    (50, 14, 12),
]

Codes = list[str]
ShockMaker = Callable[[np.random.Generator, Codes, list[str]], dict[str, Any]]


def _pair(rng: np.random.Generator, codes: Codes) -> dict[str, str]:
    a, b = rng.choice(len(codes), size=2, replace=False)
    return {"source": codes[a], "target": codes[b]}


def _pair_ab(rng: np.random.Generator, codes: Codes) -> dict[str, str]:
    pair = _pair(rng, codes)
    return {"a": pair["source"], "b": pair["target"]}


def _one(rng: np.random.Generator, codes: Codes) -> str:
    return codes[int(rng.integers(len(codes)))]


def _some(rng: np.random.Generator, codes: Codes) -> list[str]:
    return [c for c in codes if rng.random() < 0.3]


def _intensity(rng: np.random.Generator) -> float:
    return float(np.round(rng.uniform(0.3, 2.0), 2))


def _talks(rng: np.random.Generator, codes: Codes, dims: list[str]) -> dict[str, Any]:
    shock = {**_pair(rng, codes), "intensity": _intensity(rng)}
    if len(codes) > 2 and rng.random() < 0.5:
        shock["via"] = next(c for c in rng.permutation(codes) if c not in shock.values())
    return shock


def _interest_shift(rng: np.random.Generator, codes: Codes, dims: list[str]) -> dict[str, Any]:
    shock: dict[str, Any] = {"source": _one(rng, codes), "dimension": dims[int(rng.integers(len(dims)))]}
    form = int(rng.integers(3))
    if form == 0:
        shock["position"] = float(np.round(rng.uniform(-1, 1), 2))
    elif form == 1:
        shock["delta"] = float(np.round(rng.uniform(-1.5, 1.5), 2))
    if form == 2 or rng.random() < 0.3:
        shock["salience"] = float(np.round(rng.uniform(0, 3), 2))
    return shock


def _external_attack(rng: np.random.Generator, codes: Codes, dims: list[str]) -> dict[str, Any]:
    pair = _pair(rng, codes)
    shock: dict[str, Any] = {
        "source": pair["target"],
        "attacker": "an armed group",
        "form": str(rng.choice(["armed_attack", "bombing", "strike"])),
    }
    if rng.random() < 0.6:
        shock["sponsor"] = pair["source"]
    return shock


def _border(rng: np.random.Generator, codes: Codes, field: str) -> dict[str, Any]:
    """A border event: its partners are other states (a state's border is never closed to itself)."""
    source = _one(rng, codes)
    return {"source": source, field: _some(rng, [c for c in codes if c != source])}


#: How to draw a shock of each registered event type (fields beyond type and step).
SHOCKS: dict[str, ShockMaker] = {
    "recognition": lambda rng, codes, dims: _pair(rng, codes),
    "sever_relations": lambda rng, codes, dims: _pair(rng, codes),
    "visit": lambda rng, codes, dims: {
        **_pair(rng, codes),
        "level": str(rng.choice(["head_of_state", "minister", "deputy_minister"])),
    },
    "invitation": lambda rng, codes, dims: {**_pair(rng, codes), "intensity": _intensity(rng)},
    "talks": _talks,
    "security_dialogue": lambda rng, codes, dims: _pair(rng, codes),
    "media_freeze": lambda rng, codes, dims: {**_pair(rng, codes), "intensity": _intensity(rng)},
    "aid": lambda rng, codes, dims: {
        **_pair(rng, codes),
        "kind": str(rng.choice(["humanitarian", "economic", "military"])),
    },
    "agreement": lambda rng, codes, dims: {**_pair(rng, codes), "action": str(rng.choice(["sign", "abandon"]))},
    "sanction": lambda rng, codes, dims: {**_pair(rng, codes), "action": str(rng.choice(["impose", "lift"]))},
    "interest_shift": _interest_shift,
    "capability_change": lambda rng, codes, dims: {
        "source": _one(rng, codes),
        "factor": float(np.round(rng.uniform(0.3, 3), 2)),
    },
    "border_closure": lambda rng, codes, dims: _border(rng, codes, "open_to"),
    "border_reopening": lambda rng, codes, dims: _border(rng, codes, "partners"),
    "disaster": lambda rng, codes, dims: {"source": _one(rng, codes), "need": float(np.round(rng.uniform(0, 1), 2))},
    "condemn": lambda rng, codes, dims: {
        **_pair(rng, codes),
        "form": str(rng.choice(["condemn", "protest"])),
        "intensity": _intensity(rng),
    },
    "threaten": lambda rng, codes, dims: {
        **_pair(rng, codes),
        "form": str(rng.choice(["force", "sanctions", "relations"])),
    },
    "expel_diplomats": lambda rng, codes, dims: {**_pair(rng, codes), "form": str(rng.choice(["expel", "withdraw"]))},
    "military_posture": lambda rng, codes, dims: {
        **_pair(rng, codes),
        "form": str(rng.choice(["exercise", "alert", "mobilization"])),
    },
    "use_force": lambda rng, codes, dims: {
        **_pair(rng, codes),
        "form": str(rng.choice(["strike", "ground", "blockade", "occupation"])),
        "intensity": _intensity(rng),
    },
    "external_attack": _external_attack,
    "rally_support": lambda rng, codes, dims: {**_pair(rng, codes), "intensity": _intensity(rng)},
}
WARMING = ("visit", "invitation", "talks", "aid", "security_dialogue", "recognition")
HOSTILE = ("condemn", "threaten", "use_force", "external_attack", "military_posture")


def random_params(rng: np.random.Generator) -> dict[str, Any]:
    """Parameters over their useful ranges, tilted so that every rule gets to fire."""
    return {
        "beta": float(rng.uniform(0.05, 0.5)),
        "alpha": float(rng.uniform(0.0, 0.05)),
        "saturation": float(rng.choice([0.5, 1.0, 6.0])),
        "balance_kernel": str(rng.choice(["traag", "marvel"])),
        "noise": float(rng.uniform(0.0, 0.05)),
        "kappa": float(rng.uniform(0.1, 0.6)),
        "kappa_reciprocal": float(rng.uniform(0.0, 0.4)),
        "friend_threshold": float(rng.uniform(0.1, 0.35)),
        "enemy_threshold": float(rng.uniform(0.05, 0.3)),
        "cool_threshold": float(rng.uniform(0.01, 0.2)),
        "support_drop": float(rng.uniform(0.0, 0.05)),
        "support_memory": float(rng.uniform(1.0, 8.0)),
        "grievance_months": int(rng.integers(0, 8)),
        "court_affinity": float(rng.uniform(-0.2, 0.2)),
        "cool_on": bool(rng.random() < 0.85),
        "court_on": bool(rng.random() < 0.85),
        "cross_pressure_abstention": float(rng.choice([0.0, 0.032, 0.5])),
        "wedge": bool(rng.random() < 0.7),
        "court_interval": int(rng.integers(1, 6)),
        "max_actions": int(rng.integers(1, 4)),
        "aid_capacity_ratio": float(rng.uniform(1.0, 5.0)),
        "need_threshold": float(rng.uniform(0.2, 0.6)),
        "reciprocity": float(rng.choice([0.0, 0.5, 1.0, 2.0], p=[0.1, 0.3, 0.3, 0.3])),
        "noise_z": float(rng.choice([0.0, 1.0, 2.0, 3.0])),
        "retaliation": float(rng.choice([0.0, 0.5, 1.0], p=[0.1, 0.3, 0.6])),
        "solidarity_threshold": float(rng.uniform(0.05, 0.5)),
        "alliance_commitment": float(rng.uniform(0.0, 1.0)),
        "balance_threshold": float(rng.uniform(0.1, 1.0)),
        "tie_rivalry": float(rng.uniform(-0.5, 0.0)),
        "memory_weight": float(rng.uniform(0.0, 0.3)),
        "memory_half_life": float(rng.uniform(2.0, 120.0)),
    }


def random_scenario(n: int, seed: int, steps: int) -> Scenario:
    """A random world of n states with random parameters, every event type scripted at least once
    and a warming shock or two most months (so that states have news to react to).

    The world is in general position, so that no decision hangs on the last bit of a sum (where two
    correct implementations may differ): interests are not rounded (with round numbers an X0 entry
    can be exactly 0 -- S = -0.1 plus a diplomatic tie of 0.1 -- and "X0 > 0" is then decided by
    rounding), and each position is shrunk by a random factor in [0.9, 1) (positions clipped at +-1
    would give two states identical interests, and a state equal gaps X0 - W toward both, whose
    order is then decided by rounding)."""
    rng = np.random.default_rng(seed)
    recipe = WorldRecipe(
        dimensions=int(rng.integers(2, 6)),
        blocs=int(rng.integers(2, 4)),
        loyalty_a=4.0,
        loyalty_b=2.0,
        need_share=0.3,
        interest_spread=0.3,
        diplomatic_base=0.3,
        relation_noise=0.3,
        alliance_within=0.2,
        sanction_rate=0.1,
        decimals=None,
    )
    world = generate_world(n, rng, recipe).model_dump(mode="json")
    for state in world["states"]:
        for interest in state["interests"].values():
            interest["position"] *= float(rng.uniform(0.9, 1.0))
        if rng.random() < 0.15:  # a closed border: contact only through brokers
            state["border"] = {
                "closed": True,
                "open_to": _some(rng, [s["code"] for s in world["states"] if s is not state]),
            }
        if rng.random() < 0.1:
            state["economy"] = None  # GDP implied by capability
    codes = [s["code"] for s in world["states"]]
    dims = [d["id"] for d in world["dimensions"]]
    rivals = [_pair_ab(rng, codes) for _ in range(int(rng.integers(0, 3)))]
    world["ties"]["rivalry"] = list({frozenset(r.values()): r for r in rivals}.values())  # a pair is listed once
    kinds = [kind for kind in EVENT_TYPES if kind in SHOCKS]
    shocks = [{"type": kind, "step": int(rng.integers(steps)), **SHOCKS[kind](rng, codes, dims)} for kind in kinds]
    for step in range(steps):
        for _ in range(int(rng.integers(0, 3))):
            kind = str(rng.choice(WARMING))
            shocks.append({"type": kind, "step": step, **SHOCKS[kind](rng, codes, dims)})
        if rng.random() < 0.3:
            kind = str(rng.choice(HOSTILE))
            shocks.append({"type": kind, "step": step, **SHOCKS[kind](rng, codes, dims)})
    params = random_params(rng)
    if n <= 12 and rng.random() < 0.4:  # the spin-up (the reference's is slow beyond a dozen states)
        params["initial_relations"] = "equilibrium"
    data = {
        "name": f"random_{n}_{seed}",
        "world": world,
        "params": params,
        "steps": steps,
        "seed": seed,
        "shocks": shocks,
    }
    return Scenario.model_validate(data)


def same_event(engine: LoggedEvent, ref: RefEntry) -> bool:
    """Same step, date, parties, origin, rule, depth and event fields (floats to TOL), and the same impulse."""
    if (engine.step, engine.date, engine.source, engine.target, engine.origin, engine.rule, engine.depth) != (
        ref.step,
        ref.date,
        ref.source,
        ref.target,
        ref.origin,
        ref.rule,
        ref.depth,
    ):
        return False
    a, b = engine.event.model_dump(), ref.event.model_dump()
    if a.keys() != b.keys() or abs(engine.impulse - ref.impulse) > TOL:
        return False
    return all(abs(a[k] - b[k]) <= TOL if isinstance(a[k], float) else a[k] == b[k] for k in a)


def run_side_by_side(scenario: Scenario) -> AlignmentModel:
    model = AlignmentModel(scenario)
    ref = ReferenceModel(scenario, copy.deepcopy(model.streams))  # the same stream states after construction
    np.testing.assert_allclose(model.baseline, np.array(ref.X0), rtol=0, atol=TOL, err_msg="X0 at the start")
    for t in range(scenario.steps):
        model.step()
        ref.step()
        assert len(model.log) == len(ref.log), (
            f"step {t}: engine logged {len(model.log)} events, reference {len(ref.log)}"
        )
        for k, (e, r) in enumerate(zip(model.log, ref.log, strict=True)):
            assert same_event(e, r), (
                f"step {t}, event {k}: engine {e.rule} {e.event!r} vs reference {r.rule} {r.event!r}"
            )
        np.testing.assert_allclose(model.relations, np.array(ref.W), rtol=0, atol=TOL, err_msg=f"W after step {t}")
        np.testing.assert_allclose(model.baseline, np.array(ref.X0), rtol=0, atol=TOL, err_msg=f"X0 after step {t}")
        np.testing.assert_allclose(
            model.remembered_support, ref.remembered, rtol=0, atol=TOL, err_msg=f"support memory after step {t}"
        )
    # Both consumed the same random numbers: every stream ends in the same state.
    for name in ("noise", "order", "draws"):
        assert getattr(model.streams, name).bit_generator.state == getattr(ref.streams, name).bit_generator.state, name
    return model


def test_every_registered_event_type_is_in_the_reference_and_drawn_here() -> None:
    missing = set(EVENT_TYPES) - (SUPPORTED_TYPES & set(SHOCKS))
    assert not missing, (
        f"event types {sorted(missing)}: write their effects in tests/reference_model.py and a SHOCKS entry here"
    )


@pytest.mark.parametrize(("n", "seed", "steps"), CASES, ids=[f"N{n}-seed{s}" for n, s, _ in CASES])
def test_engine_matches_the_reference_implementation(n: int, seed: int, steps: int) -> None:
    run_side_by_side(random_scenario(n, seed, steps))


SMALL_SHIPPED = [
    p for p in sorted((Path(__file__).resolve().parent.parent / "scenarios").glob("*.yaml")) if "un193" not in p.name
]


@pytest.mark.parametrize("path", SMALL_SHIPPED, ids=[p.stem for p in SMALL_SHIPPED])
def test_shipped_scenarios_run_as_the_reference_says(path: Path) -> None:
    """The shipped small worlds, run in full (the 193-state one is left out: its reference takes minutes)."""
    scenario = load_scenario(path)
    if len(scenario.world_spec.states) > 50:
        pytest.skip("the reference implementation takes too long beyond 50 states")
    run_side_by_side(scenario)


def test_the_random_worlds_exercise_every_rule_and_event_type() -> None:
    """The cases above are only a proof if the rules actually fire in them."""
    rules: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    for n, seed, steps in CASES:
        model = AlignmentModel(random_scenario(n, seed, steps)).run()
        rules.update(e.rule for e in model.log)
        kinds.update(e.event.type for e in model.log)
        kinds.update(f"{e.event.type} by {e.rule}" for e in model.log if e.origin == "agent")
        kinds.update("wedge" for e in model.log if "wedge:" in e.cause)
        kinds.update(
            "cool toward an attacker's friend" for e in model.log if e.rule == "cool" and "(attacker," in e.cause
        )
    for rule in ("scripted", "cool", "counter_court", "court", "reciprocate", "retaliate", "solidarity", "balance"):
        assert rules[rule] > 0, f"no '{rule}' in the random worlds: {rules}"
    for kind in (
        *EVENT_TYPES,
        "talks by reciprocate",
        "talks by court",
        "aid by court",
        "visit by court",
        "invitation by reciprocate",
        "wedge",
        "use_force by retaliate",
        "condemn by retaliate",
        "condemn by solidarity",
        "rally_support by solidarity",
        "cool toward an attacker's friend",
    ):
        assert kinds[kind] > 0, f"no '{kind}' in the random worlds: {kinds}"


# ---------------------------------------------------------------------------- the recorder's fast measures


def _relations(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    w = np.clip(rng.normal(0.0, 0.6, (n, n)), -1, 1)
    w[rng.random((n, n)) < 0.1] = 0.0
    np.fill_diagonal(w, 0.0)
    return w


@pytest.mark.parametrize("n", [1, 2, 3, 8, 60, 127, 128, 255, 256, 300])
def test_fast_measures_equal_the_documented_ones(n: int) -> None:
    """The kernels behind the metrics columns (alignsim.measures.kernels) give the numbers of the
    plain definitions in alignsim.measures.balance and alignsim.measures.metrics, on both sides of every size threshold."""
    from alignsim.measures import kernels as metric_kernels
    from alignsim.measures import metrics
    from alignsim.measures.balance import factions, polarization, triad_census

    w, capability = _relations(n, n), np.random.default_rng(0).random(n)
    assert metric_kernels.imbalanced_triad_share(w) == triad_census(w).imbalanced_share  # exact counts
    assert metric_kernels.leading_eigenvalue(w) == pytest.approx(polarization(w), rel=1e-12, abs=1e-12)
    np.testing.assert_array_equal(metric_kernels.factions(w, capability), factions(w, capability=capability))
    if n >= 3:
        blocs = metrics.bloc_labels(w, capability, [f"S{i}" for i in range(n)])
        labels = np.unique(blocs, return_inverse=True)[1]
        sim, upper = metrics.profile_similarity(w), np.triu(np.ones((n, n), dtype=bool), 1)
        same = labels[:, None] == labels[None, :]
        for got, mask in zip(metrics.bloc_similarity(w, blocs), (upper & same, upper & ~same), strict=True):
            assert got == pytest.approx(sim[mask].mean(), abs=1e-12) if mask.any() else np.isnan(got)
        x0, w0 = _relations(n, n + 1), _relations(n, n + 2)
        off = ~np.eye(n, dtype=bool)
        d_base, d_start = metrics.rms((w - x0)[off]), metrics.rms((w - w0)[off])
        assert metrics.endurance_index(w, x0, w0) == pytest.approx(d_start / (d_base + d_start), abs=1e-12)


def test_two_mirror_blocs_are_split_by_the_lanczos_path() -> None:
    """A start vector orthogonal to the leading eigenvector would miss it; the fixed generic one does not."""
    from alignsim.measures import kernels as metric_kernels

    n = 300
    w = np.ones((n, n))
    w[: n // 2, n // 2 :] = w[n // 2 :, : n // 2] = -1.0
    np.fill_diagonal(w, 0.0)
    assert metric_kernels.leading_eigenvalue(w) == pytest.approx(n - 1)
    assert metric_kernels.factions(w).tolist() == [0] * (n // 2) + [1] * (n // 2)


def test_the_memo_sees_a_matrix_changed_in_place() -> None:
    from alignsim.measures import kernels as metric_kernels

    w = _relations(300, 1)
    first = metric_kernels.leading_eigenvalue(w)
    w[5, 7] = w[7, 5] = 1.0  # off the memo's sampling stride
    assert metric_kernels.leading_eigenvalue(w) != first
    assert metric_kernels.leading_eigenvalue(w) == pytest.approx(np.linalg.eigvalsh((w + w.T) / 2)[-1])


def test_large_histories_are_kept_in_float32_with_the_same_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Above recorder.FULL_PRECISION_VALUES the relation history is float32; tables and X0 keep their shape."""
    from alignsim.model import recorder

    scenario = random_scenario(6, 3, 8)
    full = AlignmentModel(scenario).run().recorder
    monkeypatch.setattr(recorder, "FULL_PRECISION_VALUES", 10)
    small = AlignmentModel(scenario).run().recorder
    assert full.relations.dtype == np.float64 and small.relations.dtype == np.float32
    np.testing.assert_allclose(small.relations, full.relations, atol=1e-7)
    np.testing.assert_array_equal(small.baselines, full.baselines)
    a, b = full.relations_frame(), small.relations_frame()
    assert a.columns.tolist() == b.columns.tolist() and len(a) == len(b)
    np.testing.assert_allclose(b["weight"], a["weight"], atol=1e-7)
    np.testing.assert_array_equal(b["baseline"], a["baseline"])
