"""Per-step measures in metrics.csv: blocs by landscape minimum, S-score similarity within and across
blocs, the tipping ratio; and the one implementation of the interest similarity."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from alignsim.config.scenario import Scenario, load_scenario
from alignsim.experiments.simulate import run_scenario
from alignsim.measures import metrics as M
from alignsim.measures.analytics import alpha_critical
from alignsim.measures.landscape import energy, global_minimum, landscape_of_world, local_minima
from alignsim.measures.similarity import s_score, s_score_matrix
from alignsim.model import recorder as recorder_module
from alignsim.model.model import AlignmentModel
from alignsim.world.generate import generate_world
from alignsim.world.spec import interest_similarity

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline_2024.yaml"


@pytest.fixture(scope="module")
def baseline_metrics() -> tuple[pd.DataFrame, list[str]]:
    result = run_scenario(load_scenario(BASELINE))
    codes = list(dict.fromkeys(result.relations.source))
    return result.metrics, codes


def planted(sides: list[int]) -> np.ndarray:
    """Complete balanced signed matrix: +1 within a side, -1 across, zero diagonal."""
    s = np.where(np.array(sides) == 0, 1.0, -1.0)
    w = np.outer(s, s)
    np.fill_diagonal(w, 0.0)
    return w


# ------------------------------------------------------------------------------ metrics.csv columns


def test_new_columns_exist_and_lie_in_range(baseline_metrics: tuple[pd.DataFrame, list[str]]) -> None:
    m, codes = baseline_metrics
    for column in ["tipping_ratio", "similarity_within", "similarity_across"] + [f"landscape_bloc_{c}" for c in codes]:
        assert column in m.columns, column
    for column in ("similarity_within", "similarity_across"):
        assert m[column].notna().all()
        assert m[column].between(-1.0, 1.0).all(), column
    # Allies stand alike toward third states: within-bloc profiles are more similar than across.
    assert (m.similarity_within > m.similarity_across).all()
    assert (m.tipping_ratio >= 0).all()


@pytest.mark.parametrize("prefix", ["bloc_", "landscape_bloc_"])
def test_blocs_are_named_after_their_most_capable_member(
    baseline_metrics: tuple[pd.DataFrame, list[str]], prefix: str
) -> None:
    m, codes = baseline_metrics
    capability = dict(
        zip(
            load_scenario(BASELINE).world_spec.codes,
            (s.capability for s in load_scenario(BASELINE).world_spec.states),
            strict=True,
        )
    )
    for _, row in m.iterrows():
        blocs = {c: row[f"{prefix}{c}"] for c in codes}
        for name in set(blocs.values()):
            members = [c for c, b in blocs.items() if b == name]
            assert blocs[name] == name  # the bloc's namesake belongs to it
            assert max(members, key=capability.__getitem__) == name


def test_landscape_blocs_agree_with_eigenvector_blocs_at_the_end(
    baseline_metrics: tuple[pd.DataFrame, list[str]],
) -> None:
    m, codes = baseline_metrics
    last = m.iloc[-1]
    assert [last[f"landscape_bloc_{c}"] for c in codes] == [last[f"bloc_{c}"] for c in codes]
    assert {last[f"bloc_{c}"] for c in codes} == {"USA", "CHN"}


def test_tipping_ratio_is_alpha_over_alpha_critical() -> None:
    model = AlignmentModel(load_scenario(BASELINE))
    row = model.recorder.metrics_frame().iloc[0]
    p = model.params
    assert row["tipping_ratio"] == pytest.approx(p.alpha / alpha_critical(model.baseline, p.beta), rel=1e-12)
    assert M.tipping_ratio(0.1, 1.0, -np.eye(3)) == 0.0  # lambda_1 <= 0: no tipping point


# ------------------------------------------------------------------------------ profile similarity


@pytest.mark.parametrize("n", [3, 4, 7])
def test_profile_similarity_is_s_over_third_states(n: int) -> None:
    rng = np.random.default_rng(n)
    w = rng.uniform(-1, 1, (n, n))
    np.fill_diagonal(w, 0.0)
    sim = M.profile_similarity(w)
    for i in range(n):
        assert sim[i, i] == 1.0
        for j in range(n):
            if i != j:
                third = [k for k in range(n) if k not in (i, j)]
                assert sim[i, j] == pytest.approx(s_score(w[i, third], w[j, third], d_max=2), abs=1e-12)
    assert np.array_equal(sim, sim.T)


def test_profile_similarity_needs_a_third_state() -> None:
    assert np.isnan(M.profile_similarity(np.zeros((2, 2)))).all()


def test_bloc_similarity_by_hand() -> None:
    # Two blocs of two: partners see the others identically (S = 1), opponents oppositely (S = -1).
    w = planted([0, 0, 1, 1])
    assert M.bloc_similarity(w, ["A", "A", "B", "B"]) == (1.0, -1.0)
    within, across = M.bloc_similarity(w, ["A", "A", "A", "A"])
    assert np.isnan(across) and within == pytest.approx((2 * 1.0 + 4 * -1.0) / 6)
    within, across = M.bloc_similarity(w, ["A", "B", "C", "D"])
    assert np.isnan(within)


# ------------------------------------------------------------------------------ landscape blocs


def test_landscape_blocs_exact_match_local_minima() -> None:
    rng = np.random.default_rng(3)
    n = 9
    w = rng.uniform(-1, 1, (n, n))
    cap = rng.uniform(0.01, 1, n)
    codes = [f"S{i}" for i in range(n)]
    problem = landscape_of_world(w, cap, codes)
    best = local_minima(problem.sizes, problem.propensity)[0]
    assert M.landscape_bloc_labels(w, cap, codes, step=0) == M.side_names(np.array(best.sides), cap, codes, w)


def test_landscape_blocs_heuristic_is_seeded_by_step_and_finds_planted_blocs() -> None:
    n = 30
    sides = [0] * 12 + [1] * 18
    rng = np.random.default_rng(1)
    w = np.clip(planted(sides) * 0.6 + rng.normal(0, 0.1, (n, n)), -1, 1)
    cap = rng.uniform(0.01, 1, n)
    codes = [f"S{i:02d}" for i in range(n)]
    assert M.LANDSCAPE_EXACT_MAX_N < n <= M.LANDSCAPE_MAX_N
    first = M.landscape_bloc_labels(w, cap, codes, step=5)
    assert first == M.landscape_bloc_labels(w, cap, codes, step=5)  # deterministic
    assert first is not None
    assert {frozenset(c for c, b in zip(codes, first, strict=True) if b == name) for name in set(first)} == {
        frozenset(codes[:12]),
        frozenset(codes[12:]),
    }


def test_landscape_columns_are_skipped_above_the_size_limit() -> None:
    n = M.LANDSCAPE_MAX_N + 1
    w = planted([0] * (n // 2) + [1] * (n - n // 2))
    codes = [f"S{i:03d}" for i in range(n)]
    cap = np.ones(n)
    assert M.landscape_bloc_labels(w, cap, codes, step=0) is None
    row = M.bloc_metrics(w, cap, codes, step=0)
    assert not any(k.startswith("landscape_bloc_") for k in row)
    assert {"similarity_within", "similarity_across", f"bloc_{codes[0]}"} <= set(row)


def test_side_names_use_the_most_capable_member() -> None:
    assert M.side_names(np.array([0, 1, 1, 0]), np.array([0.1, 0.2, 0.5, 0.3]), ["A", "B", "C", "D"]) == [
        "D",
        "C",
        "C",
        "D",
    ]


# ------------------------------------------------------------------------------ landscape of a state


def test_landscape_of_world_symmetrises_and_validates() -> None:
    w = np.array([[5.0, 1.0, -1.0], [0.0, 0.0, 0.5], [-0.5, 0.5, 0.0]])
    problem = landscape_of_world(w, [0.2, 0.3, 0.5], ["A", "B", "C"])
    assert problem.names == ("A", "B", "C")
    np.testing.assert_array_equal(problem.propensity, [[0, 0.5, -0.75], [0.5, 0, 0.5], [-0.75, 0.5, 0]])
    np.testing.assert_array_equal(problem.sizes, [0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match="capabilities must be > 0"):
        landscape_of_world(w, [0.2, 0.0, 0.5], ["A", "B", "C"])
    with pytest.raises(ValueError, match="3 x 3"):
        landscape_of_world(w, [0.2, 0.3], ["A", "B", "C"])
    with pytest.raises(ValueError, match="distinct"):
        landscape_of_world(w, [0.2, 0.3, 0.5], ["A", "B", "A"])


@pytest.mark.parametrize("seed", range(40))
def test_global_minimum_is_the_lowest_local_minimum(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 10))
    p = rng.normal(size=(n, n))
    p = (p + p.T) / 2
    s = rng.uniform(0.1, 5, n)
    assert global_minimum(s, p) == local_minima(s, p)[0].sides
    if n >= 2:  # heuristic path: the best endpoint of the same seeded descents
        g = global_minimum(s, p, exact_limit=1, rng=np.random.default_rng(seed), starts=64)
        best = local_minima(s, p, exact_limit=1, rng=np.random.default_rng(seed), starts=64)[0]
        assert energy(s, p, g) == pytest.approx(best.energy)


def test_global_minimum_breaks_ties_by_first_sides() -> None:
    # Three mutually hostile equal actors: three minima of equal energy.
    assert global_minimum([1, 1, 1], [[0, -1, -1], [-1, 0, -1], [-1, -1, 0]]) == (0, 0, 1)
    assert global_minimum([1, 1], np.zeros((2, 2))) == (0, 0)  # nothing to gain: one side
    with pytest.raises(ValueError, match="rng"):
        global_minimum(np.ones(4), np.zeros((4, 4)), exact_limit=2)


# ------------------------------------------------------------------------------ interest similarity


def reference_interest_similarity(interests: np.ndarray, salience: np.ndarray) -> np.ndarray:
    """The former inline implementation: S with the pair's mean salience, 0 where no salience."""
    w = (salience[:, None, :] + salience[None, :, :]) / 2.0
    dist = np.abs(interests[:, None, :] - interests[None, :, :])
    total = w.sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = 1.0 - 2.0 * (w * dist).sum(axis=2) / (2.0 * total)
    s = np.where(total > 0, s, 0.0)
    np.fill_diagonal(s, 0.0)
    return s


@pytest.mark.parametrize("seed", range(12))
def test_interest_similarity_same_numbers_as_before(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(2, 9)), int(rng.integers(1, 5))
    u = rng.uniform(-1, 1, (n, k))
    w = rng.uniform(0, 3, (n, k)) * (rng.random((n, k)) < 0.6)
    if seed % 3 == 0:
        w[: 1 + seed % 2] = 0.0  # states without any salience
    np.testing.assert_allclose(interest_similarity(u, w), reference_interest_similarity(u, w), atol=1e-14)


def test_interest_similarity_is_s_score_matrix() -> None:
    rng = np.random.default_rng(0)
    u, w = rng.uniform(-1, 1, (6, 3)), rng.uniform(0.1, 2, (6, 3))
    expected = s_score_matrix(u, weights=w, d_max=2.0)
    np.fill_diagonal(expected, 0.0)
    np.testing.assert_array_equal(interest_similarity(u, w), expected)
    both_empty = interest_similarity(u[:2], np.zeros((2, 3)))
    np.testing.assert_array_equal(both_empty, np.zeros((2, 2)))


def test_tipping_ratio_stays_finite_when_alpha_critical_underflows() -> None:
    x0 = np.array([[0.0, 1.0], [1.0, 0.0]])  # lambda_1 = 1
    assert alpha_critical(x0, 5e-324) == 0.0
    assert M.tipping_ratio(0.003, 5e-324, x0) == M.TIPPING_RATIO_CAP
    assert M.tipping_ratio(0.0, 5e-324, x0) == 0.0
    assert M.tipping_ratio(0.003, 0.1, x0) == pytest.approx(0.003 * 4 / 0.1)


# ------------------------------------------------------------------------------ all steps at once


def _assert_rows_equal(row: dict[str, object], columns: dict[str, np.ndarray], t: int) -> None:
    assert [k for k in columns if k not in ("step", "date")] == list(row)
    for key, value in row.items():
        got = columns[key][t]
        if isinstance(value, str):
            assert got == value, (key, t)
        else:
            assert got == pytest.approx(value, abs=1e-12, nan_ok=True), (key, t)


@pytest.mark.parametrize("n", [2, 3, 5, 8, 12, 13, 20])
def test_stacked_metrics_equal_the_step_by_step_rows(n: int) -> None:
    """What the recorder computes for all steps of a small world at once equals the row it
    would compute step by step -- including empty relations, a dense world and an all-zero step."""
    rng = np.random.default_rng(1000 + n)
    steps = 7
    w = rng.uniform(-1, 1, (steps, n, n))
    w[1] *= rng.random((n, n)) < 0.5  # sparse: incomplete triads, pairs without a relation
    w[2] = 0.0  # no relations at all: one faction, no complete triad
    idx = np.arange(n)
    w[:, idx, idx] = 0.0
    x0 = np.repeat(rng.uniform(-1, 1, (2, n, n)), [3, steps - 3], axis=0)  # X0 changes once
    x0[:, idx, idx] = 0.0
    capability = rng.uniform(0.5, 3.0, n)
    codes = [f"S{k:02d}" for k in range(n)]
    kwargs = {"alpha": 0.02, "beta": 0.1, "friend_threshold": 0.3}
    columns = M.stacked_metrics(w, x0, w[0], capability, codes, **kwargs)
    for t in range(steps):
        _assert_rows_equal(M.step_metrics(w[t], x0[t], w[0], capability, codes, step=t, **kwargs), columns, t)


def test_a_recorded_run_measures_every_step_as_the_step_by_step_rule_would() -> None:
    model = AlignmentModel(load_scenario(ROOT / "scenarios" / "article_timeline_2024.yaml")).run()
    rec, p, w = model.recorder, model.params, model.world
    assert rec.stacked
    table = rec.metrics_frame()
    columns = {c: table[c].to_numpy() for c in table.columns}
    assert len(table) == model.config.steps + 1
    for t in range(len(table)):
        row = M.step_metrics(
            rec.relations[t],
            rec.baselines[t],
            model.initial_relations,
            w.capability,
            w.codes,
            step=t,
            alpha=p.alpha,
            beta=p.beta,
            friend_threshold=p.friend_threshold,
        )
        _assert_rows_equal(row, columns, t)


def test_global_minima_of_a_stack_are_each_landscape_s_global_minimum() -> None:
    from alignsim.measures.landscape import global_minima

    rng = np.random.default_rng(7)
    sizes = rng.uniform(0.5, 2.0, 9)
    p = rng.uniform(-1, 1, (5, 9, 9))
    p = (p + p.transpose(0, 2, 1)) / 2
    p[3] = planted([0, 1, 1, 0, 0, 1, 0, 1, 1])  # a known answer
    sides = global_minima(sizes, p)
    assert sides.shape == (5, 9)
    for t in range(5):
        assert tuple(sides[t]) == global_minimum(sizes, p[t])
    assert tuple(sides[3]) == (0, 1, 1, 0, 0, 1, 0, 1, 1)
    with pytest.raises(ValueError, match="symmetric"):
        global_minima(sizes, rng.uniform(-1, 1, (2, 9, 9)))


def test_stacked_metrics_in_blocks_equal_the_step_by_step_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Long runs are measured a block of steps at a time; each step keeps its own number (which
    seeds the landscape heuristic above 12 states)."""
    monkeypatch.setattr(M, "STACK_BLOCK", 3)
    rng = np.random.default_rng(5)
    n, steps = 13, 8
    w = rng.uniform(-1, 1, (steps, n, n))
    x0 = np.repeat(rng.uniform(-1, 1, (1, n, n)), steps, axis=0)
    capability, codes = rng.uniform(0.5, 3.0, n), [f"S{k:02d}" for k in range(n)]
    kwargs = {"alpha": 0.02, "beta": 0.1, "friend_threshold": 0.3}
    columns = M.stacked_metrics(w, x0, w[0], capability, codes, **kwargs)
    assert len(columns["polarization"]) == steps
    for t in range(steps):
        _assert_rows_equal(M.step_metrics(w[t], x0[t], w[0], capability, codes, step=t, **kwargs), columns, t)


def test_a_state_committed_to_neither_side_is_non_aligned_and_names_cannot_mislead() -> None:
    """Two blocs {A, B} and {C, D}; E is lukewarm to everyone; F, the most capable, sits on the
    eigenvector's side of C and D but is only slightly warmer to them: both are non-aligned, and
    the side is named after its most capable committed member (C), not after F."""
    codes = ["A", "B", "C", "D", "E", "F"]
    cap = np.array([0.1, 0.1, 0.2, 0.1, 0.05, 0.5])
    w = np.zeros((6, 6))
    w[0, 1] = w[2, 3] = 0.8
    w[0, 2] = w[0, 3] = w[1, 2] = w[1, 3] = -0.6
    w[4, :4] = 0.05
    w[5, 2] = w[5, 3] = 0.15
    w[5, 0] = w[5, 1] = 0.05
    w = w + w.T
    labels = M.bloc_labels(w, cap, codes)
    assert labels[:4] == ["A", "A", "C", "C"] or labels[:4] == ["B", "B", "C", "C"]
    assert labels[4] == labels[5] == M.NONALIGNED
    assert M.side_names(np.array([0, 0, 1, 1, 0, 1]), cap, codes) == [
        "A",
        "A",
        "F",
        "F",
        "A",
        "F",
    ]  # without relations: the old naming


def test_one_lukewarm_bloc_is_all_non_aligned() -> None:
    w = np.full((4, 4), 0.1)
    np.fill_diagonal(w, 0.0)
    assert M.bloc_labels(w, np.ones(4) / 4, ["A", "B", "C", "D"]) == [M.NONALIGNED] * 4


def _bench_world(n: int, steps: int) -> Scenario:
    """A generated world of n states with scripted acts and a capability change (so that the
    measures' inputs move during the run)."""
    rng = np.random.default_rng(n)
    world = generate_world(n, rng).model_dump(mode="json")
    codes = [s["code"] for s in world["states"]]
    shocks = [
        {"type": "visit", "step": t, "source": codes[t % n], "target": codes[(3 * t + 1) % n]} for t in range(steps)
    ]
    shocks.append({"type": "capability_change", "step": 2, "source": codes[0], "factor": 3.0})
    data = {"name": f"w{n}", "world": world, "seed": n, "start": "2024-01-01", "steps": steps, "shocks": shocks}
    return Scenario.model_validate(data)


@pytest.mark.parametrize("n", [40, 70])
def test_measures_taken_when_asked_are_those_of_a_measurement_during_the_run(n: int) -> None:
    """Worlds above the stacked size are measured from the record when the table is asked for, not
    as the run goes (nothing measured while stepping); the numbers are, bit for bit, those that
    measuring each month as it happened gives -- capability changes and all."""
    scenario = _bench_world(n, 6)
    model = AlignmentModel(scenario)
    p, w = model.params, model.world
    during = []

    def measure_now() -> None:
        row = M.step_metrics(
            model.relations,
            model.baseline,
            model.initial_relations,
            w.capability.copy(),
            w.codes,
            step=model.month,
            alpha=p.alpha,
            beta=p.beta,
            friend_threshold=p.friend_threshold,
        )
        during.append({"step": model.month, "date": model.date.isoformat(), **row})

    calls = []
    real = recorder_module.step_metrics
    recorder_module.step_metrics = lambda *a, **k: calls.append(1) or real(*a, **k)  # type: ignore[assignment]
    try:
        measure_now()
        for _ in range(scenario.steps):
            model.step()
            measure_now()
        assert calls == []  # nothing measured while stepping
        table = model.recorder.metrics_frame()
        assert len(calls) == scenario.steps + 1
    finally:
        recorder_module.step_metrics = real  # type: ignore[assignment]
    expected = pd.DataFrame(during)
    pd.testing.assert_frame_equal(table, expected, check_exact=True)
    assert not np.array_equal(model.recorder._capabilities[0], model.recorder._capabilities[-1])


@pytest.mark.parametrize("n", [8, 20, 40])
def test_measuring_chosen_steps_gives_those_rows_of_the_whole_table(n: int) -> None:
    """A sweep's outcome reads one month: measuring that step alone gives its row of the whole
    table, bit for bit, small (stacked) worlds and larger alike."""
    model = AlignmentModel(_bench_world(n, 7)).run()
    whole = model.recorder.metrics_frame()
    chosen = [0, 3, 7]
    some = pd.DataFrame(model.recorder.metrics_columns(steps=chosen))
    pd.testing.assert_frame_equal(some, whole.iloc[chosen].reset_index(drop=True), check_exact=True)
    with pytest.raises(ValueError, match="0..7"):
        model.recorder.metrics_columns(steps=[8])
