"""Per-step measures of a world's alignment (docs/model.md, "Measures"; docs/validation.md).

System: imbalanced-triad share, polarization λ1(W), distance to the tipping point alpha/alpha_c,
the endurance index, blocs (leading eigenvector and Axelrod-Bennett landscape), and the S-score
similarity of relation profiles within and across blocs. Per state: isolation.

Each function here but :func:`stacked_metrics` is vectorised numpy over one N x N matrix and
defines its measure; :func:`step_metrics` gathers one step's row. :func:`stacked_metrics` computes
the rows of every step of a small world at once (N <= ``STACKED_MAX_N``; one numpy call per measure
over the T x N x N stack, equal to the per-step rows to rounding), which the recorder uses for such
worlds: there a run's recording cost was the fixed cost of per-step numpy calls. The per-step
columns go through the exact fast kernels of :mod:`alignsim.measures.kernels` (one partial
eigendecomposition per step shared by the polarization and the blocs, triad traces with BLAS, X0's
eigenvalue only when X0 changes, sorted sums for the bloc similarity above
``SORTED_SIMILARITY_MIN_N`` states).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy.spatial.distance import cdist

from alignsim.measures import kernels
from alignsim.measures.analytics import alpha_critical
from alignsim.measures.landscape import global_minima, global_minimum, landscape_of_world

#: Up to this many states the landscape's global minimum is exact (2^(N-1) configurations:
#: 2048 at N = 12, well under a millisecond).
LANDSCAPE_EXACT_MAX_N: int = 12
#: Above this many states the ``landscape_bloc_*`` columns are not recorded: the heuristic's cost
#: grows as N^3 per step and its answer is not guaranteed to be the global minimum.
LANDSCAPE_MAX_N: int = 60
#: Random descents per step for LANDSCAPE_EXACT_MAX_N < N <= LANDSCAPE_MAX_N.
LANDSCAPE_STARTS: int = 200
# Mixed into the per-step seed of the landscape heuristic so that its stream is not the stream
# of any other generator seeded with a small integer (e.g. a run seed equal to a step number).
_LANDSCAPE_SEED_TAG = 0x1A9D5CA7
#: Largest recorded ``tipping_ratio`` (see :func:`tipping_ratio`).
TIPPING_RATIO_CAP: float = 1e12
# Width of the relation scale [-1, 1]: the d_max of the S-score of relation profiles.
_D_MAX_RELATIONS = 2.0
#: From this many states :func:`bloc_similarity` sums distances by sorting (O(N^2 log N)) instead of
#: building every pair's profile similarity (O(N^3)), and :func:`endurance_index` sums squares
#: without copying the off-diagonal values; each agrees with its plain form to rounding (~1e-13).
SORTED_SIMILARITY_MIN_N: int = 128
#: Up to this many states a run's measures are computed for all its steps at once when the table
#: is asked for (:func:`stacked_metrics`); above, step by step as the run goes (:func:`step_metrics`).
STACKED_MAX_N: int = 32
#: Steps measured together by :func:`stacked_metrics` (bounds its memory).
STACK_BLOCK: int = 64


def rms(a: np.ndarray) -> float:
    return float(np.sqrt(np.mean(a * a)))


def endurance_index(relations: np.ndarray, baseline: np.ndarray, initial: np.ndarray) -> float:
    """How far W has moved toward what interests justify rather than staying where it began.

    E = d(W, W0) / (d(W, X0) + d(W, W0)), d the root-mean-square difference over pairs: 1 when W
    sits on the interest baseline X0, 0 when W still equals the initial relations W0 (and differs
    from X0). When W equals both, E = 1.
    """
    n = len(relations)
    if n >= SORTED_SIMILARITY_MIN_N:  # the same sums without copying the N(N-1) off-diagonal values
        to_base, to_start = _rms_off_diagonal(relations - baseline), _rms_off_diagonal(relations - initial)
    else:
        off = ~np.eye(n, dtype=bool)
        to_base, to_start = rms((relations - baseline)[off]), rms((relations - initial)[off])
    total = to_base + to_start
    return 1.0 if total < 1e-12 else to_start / total


def _rms_off_diagonal(a: np.ndarray) -> float:
    n = len(a)
    squares = float(np.einsum("ij,ij->", a, a)) - float(np.einsum("ii,ii->", a, a))
    return float(np.sqrt(max(squares, 0.0) / (n * n - n)))


def isolation(relations: np.ndarray, capability: np.ndarray, friend_threshold: float) -> np.ndarray:
    """Per state: 1 - share of the others' capability it regards as friends (W_ij >= threshold).
    ``relations`` may be a stack (T x N x N); the answer then is T x N."""
    others = capability[None, :] * (1.0 - np.eye(len(capability)))
    friendly = (others * (relations >= friend_threshold)).sum(axis=-1)
    return 1.0 - friendly / others.sum(axis=1)


#: The label of a state committed to neither side.
NONALIGNED = "non-aligned"
#: A state is committed to its side when its mean symmetrised relation to the side's other members
#: exceeds its mean relation to the other side by at least this (the default friend threshold).
BLOC_MARGIN = 0.3


def side_names(
    sides: np.ndarray,
    capability: np.ndarray,
    codes: Sequence[str],
    relations: np.ndarray | None = None,
    margin: float = BLOC_MARGIN,
) -> list[str]:
    """Name each state's side (0/1 labels) after the most capable member of that side. With
    ``relations``, only committed members count (:func:`committed`): the others are ``non-aligned``,
    and a side is named after its most capable committed member."""
    stack = None if relations is None else np.asarray(relations, dtype=float)[None]
    return _side_names_of_stack(np.asarray(sides)[None], np.asarray(capability, dtype=float), codes, stack, margin)[
        0
    ].tolist()


def committed(sides: np.ndarray, relations: np.ndarray, margin: float = BLOC_MARGIN) -> np.ndarray:
    """T x N: state i is committed to its side when mean_{j on its side, j != i} S_ij -
    mean_{j on the other side} S_ij >= margin, S = (W + W^T) / 2 (an empty side's mean is 0).
    ``sides`` T x N of 0/1, ``relations`` T x N x N."""
    sym = (relations + relations.transpose(0, 2, 1)) / 2.0
    n = sides.shape[1]
    same = (sides[:, :, None] == sides[:, None, :]) & ~np.eye(n, dtype=bool)[None]
    other = sides[:, :, None] != sides[:, None, :]

    def mean(mask: np.ndarray) -> np.ndarray:
        count = mask.sum(axis=2)
        return np.where(count > 0, np.where(mask, sym, 0.0).sum(axis=2) / np.maximum(count, 1), 0.0)

    return mean(same) - mean(other) >= margin


def bloc_labels(relations: np.ndarray, capability: np.ndarray, codes: Sequence[str]) -> list[str]:
    """Each state's bloc (leading eigenvector, :func:`alignsim.measures.balance.factions`), named
    after the most capable committed member of its faction; ``non-aligned`` for a state committed
    to neither side (:func:`committed`)."""
    return side_names(kernels.factions(relations, capability), capability, codes, relations)


def landscape_bloc_labels(
    relations: np.ndarray, capability: np.ndarray, codes: Sequence[str], *, step: int
) -> list[str] | None:
    """Each state's side in the global minimum of the Axelrod & Bennett (1993) landscape.

    Sizes are the capabilities and propensities the symmetrised relations (W + W^T)/2
    (:func:`alignsim.measures.landscape.landscape_of_world`); sides are named like :func:`bloc_labels`.
    Exact for N <= ``LANDSCAPE_EXACT_MAX_N``; up to ``LANDSCAPE_MAX_N`` the best of
    ``LANDSCAPE_STARTS`` random descents, drawn from a Generator seeded from ``step`` alone (so a
    run's metrics do not depend on, or disturb, the model's random stream); above, ``None``.
    """
    n = len(codes)
    if n > LANDSCAPE_MAX_N:
        return None
    problem = landscape_of_world(relations, capability, codes)
    rng = None if n <= LANDSCAPE_EXACT_MAX_N else np.random.default_rng((_LANDSCAPE_SEED_TAG, step))
    sides = global_minimum(
        problem.sizes, problem.propensity, exact_limit=LANDSCAPE_EXACT_MAX_N, rng=rng, starts=LANDSCAPE_STARTS
    )
    return side_names(np.asarray(sides), problem.sizes, codes, relations)


def profile_similarity(relations: np.ndarray) -> np.ndarray:
    """S-score of every pair's relation profiles over the third states (Signorino & Ritter 1999).

    S_ij = 1 - 2 sum_{k != i, j} |W_ik - W_jk| / (d_max (N - 2)), unweighted, d_max = 2 (relations
    lie in [-1, 1]): :func:`alignsim.measures.similarity.s_score` of rows i and j without columns i and j.
    The two states' views of each other are left out: they say how i and j regard each other, not
    whether they stand alike toward the world. Computed for all pairs at once from the city-block
    distances of whole rows (scipy's cdist, C speed: the O(N^3) sum dominates at N ~ 200), from which
    the columns k = i and k = j are subtracted. Unit diagonal; all NaN when N < 3 (no third state).
    """
    w = np.asarray(relations, dtype=np.float64)
    n = w.shape[0]
    if n < 3:
        return np.full((n, n), np.nan)
    d = np.diag(w)
    # Column k = i contributes |W_ii - W_ji|, column k = j contributes |W_ij - W_jj|.
    own = np.abs(d[:, None] - w.T) + np.abs(w - d[None, :])
    third = np.clip(cdist(w, w, "cityblock") - own, 0.0, None)  # clip: rounding below zero
    sim = 1.0 - 2.0 * third / (_D_MAX_RELATIONS * (n - 2))
    np.fill_diagonal(sim, 1.0)
    return sim


def bloc_similarity(relations: np.ndarray, blocs: Sequence[str]) -> tuple[float, float]:
    """Mean :func:`profile_similarity` over pairs in the same bloc and over pairs across blocs.

    Each unordered pair counts once. NaN where there is no such pair (every state alone in its
    bloc, or a single bloc) or fewer than three states.
    """
    ids = {bloc: k for k, bloc in enumerate(dict.fromkeys(blocs))}
    labels = np.fromiter((ids[b] for b in blocs), dtype=np.int64, count=len(blocs))
    if len(blocs) >= SORTED_SIMILARITY_MIN_N:
        return _bloc_similarity_sorted(np.asarray(relations, dtype=np.float64), labels)
    sim = profile_similarity(relations)
    upper = np.triu(np.ones(sim.shape, dtype=bool), 1)
    same = labels[:, None] == labels[None, :]
    within, across = sim[upper & same], sim[upper & ~same]
    return (
        float(within.mean()) if within.size else float("nan"),
        float(across.mean()) if across.size else float("nan"),
    )


def _bloc_similarity_sorted(relations: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """:func:`bloc_similarity` from sums: mean S = 1 - 2 mean(third) / (d_max (N - 2)), where a pair's
    third-state distance is its whole-row city-block distance less the columns k = i and k = j."""
    n = relations.shape[0]
    d = np.diag(relations)
    own = np.abs(d[:, None] - relations.T) + np.abs(relations - d[None, :])  # symmetric, zero diagonal
    members = (labels[:, None] == np.unique(labels)[None, :]).astype(np.float64)  # N x groups
    sizes = members.sum(axis=0)
    own_within = float(np.sum(members * (own @ members))) / 2.0  # over unordered pairs in a group
    own_across = float(own.sum()) / 2.0 - own_within
    count_within = int(np.sum(sizes * (sizes - 1))) // 2
    count_across = n * (n - 1) // 2 - count_within
    rows_within, rows_across = kernels.pair_distance_sums(relations, labels)
    out = []
    for rows, own_sum, count in ((rows_within, own_within, count_within), (rows_across, own_across, count_across)):
        third = (rows - own_sum) / count if count else float("nan")
        out.append(1.0 - 2.0 * third / (_D_MAX_RELATIONS * (n - 2)) if count else float("nan"))
    return out[0], out[1]


def _tipping_ratio(baseline: np.ndarray, alpha: float, beta: float) -> float:
    critical = alpha_critical(baseline, beta)
    if alpha == 0.0 or math.isinf(critical):
        return 0.0
    return float(alpha / critical) if critical > alpha / TIPPING_RATIO_CAP else TIPPING_RATIO_CAP


# X0 changes only when a shock changes interests or ties: its eigenvalue is computed once per change.
_tipping_ratio_of_last_baseline = kernels.LastResult(_tipping_ratio)


def tipping_ratio(alpha: float, beta: float, baseline: np.ndarray) -> float:
    """alpha / alpha_c with alpha_c = beta / (4 λ1(X0)) from :func:`alignsim.measures.analytics.alpha_critical`.

    Above 1 no peaceful equilibrium exists in the unsaturated dynamics (Morrison, Kutz & Gabbay
    2023); 0 when alpha = 0 or λ1(X0) <= 0 (alpha_c infinite: no tipping point). Capped at
    ``TIPPING_RATIO_CAP``: only a beta so small that alpha_c underflows (beta ~ 1e-300, allowed by
    ``beta > 0``) reaches it, and the ratio would otherwise be infinite or a division by zero.
    """
    return float(_tipping_ratio_of_last_baseline(np.asarray(baseline, dtype=float), float(alpha), float(beta)))


def system_metrics(
    relations: np.ndarray, baseline: np.ndarray, initial: np.ndarray, *, alpha: float, beta: float
) -> dict[str, float]:
    """Imbalanced-triad share (:func:`alignsim.measures.balance.triad_census`), polarization
    (:func:`alignsim.measures.balance.polarization`), tipping ratio and endurance of one step."""
    return {
        "imbalanced_triad_share": kernels.imbalanced_triad_share(relations),
        "polarization": kernels.leading_eigenvalue(relations),
        "tipping_ratio": tipping_ratio(alpha, beta, baseline),
        "endurance": endurance_index(relations, baseline, initial),
    }


def bloc_metrics(
    relations: np.ndarray, capability: np.ndarray, codes: Sequence[str], *, step: int
) -> dict[str, object]:
    """The bloc columns of a metrics row.

    ``similarity_within`` / ``similarity_across`` (:func:`bloc_similarity` over the eigenvector
    blocs), ``bloc_<CODE>`` (:func:`bloc_labels`) and ``landscape_bloc_<CODE>``
    (:func:`landscape_bloc_labels`; omitted above ``LANDSCAPE_MAX_N`` states).
    """
    sides = kernels.factions(relations, capability)
    blocs = side_names(sides, capability, codes, relations)
    within, across = bloc_similarity(relations, [str(side) for side in sides])  # the two sides, as in stacked_metrics
    row: dict[str, object] = {"similarity_within": within, "similarity_across": across}
    row.update({f"bloc_{code}": bloc for code, bloc in zip(codes, blocs, strict=True)})
    landscape = landscape_bloc_labels(relations, capability, codes, step=step)
    if landscape is not None:
        row.update({f"landscape_bloc_{code}": bloc for code, bloc in zip(codes, landscape, strict=True)})
    return row


def step_metrics(
    relations: np.ndarray,
    baseline: np.ndarray,
    initial: np.ndarray,
    capability: np.ndarray,
    codes: Sequence[str],
    *,
    step: int,
    alpha: float,
    beta: float,
    friend_threshold: float,
) -> dict[str, object]:
    """One step's row of metrics.csv (without step and date): :func:`system_metrics`,
    :func:`bloc_metrics` and ``isolation_<CODE>`` (:func:`isolation`)."""
    row: dict[str, object] = dict(system_metrics(relations, baseline, initial, alpha=alpha, beta=beta))
    row.update(bloc_metrics(relations, capability, codes, step=step))
    for code, value in zip(codes, isolation(relations, capability, friend_threshold)):
        row[f"isolation_{code}"] = float(value)
    return row


def stacked_metrics(
    relations: np.ndarray,
    baselines: np.ndarray,
    initial: np.ndarray,
    capability: np.ndarray,
    codes: Sequence[str],
    *,
    alpha: float,
    beta: float,
    friend_threshold: float,
    first_step: int = 0,
) -> dict[str, np.ndarray]:
    """:func:`step_metrics` of every step at once, as columns: ``relations`` and ``baselines`` are
    T x N x N stacks (W and X0 of steps ``first_step``, ``first_step + 1``, ...). Meant for small
    worlds (N <= ``STACKED_MAX_N``), where a run's per-step measures are dominated by the fixed cost
    of numpy calls: one call per measure over a block of steps is ~T times cheaper. Blocks of
    ``STACK_BLOCK`` steps bound the temporaries (T x N^3 for the similarities, T x 2^(N-1) x N for
    the landscape) to a few tens of MiB however long the run. Equal to the per-step rows up to
    rounding (~1e-15; tests/test_metrics.py); the eigenvector comes from another LAPACK routine,
    which matters only for a degenerate leading eigenvalue, where either answer is as right.
    """
    if len(relations) > STACK_BLOCK:
        return _stacked_in_blocks(
            relations,
            baselines,
            initial,
            capability,
            codes,
            alpha=alpha,
            beta=beta,
            friend_threshold=friend_threshold,
            first_step=first_step,
        )
    w = np.asarray(relations, dtype=np.float64)
    cap = np.asarray(capability, dtype=np.float64)
    lam, vectors = kernels.leading_eigenpairs(w)
    cols: dict[str, np.ndarray] = {
        "imbalanced_triad_share": kernels.imbalanced_triad_shares(w),
        "polarization": lam,
        "tipping_ratio": _stacked_tipping_ratio(baselines, alpha, beta),
        "endurance": _stacked_endurance(w, baselines, initial),
    }
    labels = kernels.factions_of_stack(w, cap, vectors)
    cols["similarity_within"], cols["similarity_across"] = _stacked_bloc_similarity(w, labels)
    cols.update(_state_columns("bloc", _side_names_of_stack(labels, cap, codes, w), codes))
    landscape = _stacked_landscape(w, cap, codes, first_step)
    if landscape is not None:
        cols.update(_state_columns("landscape_bloc", landscape, codes))
    cols.update(_state_columns("isolation", isolation(w, cap, friend_threshold), codes))
    return cols


def _stacked_in_blocks(
    relations: np.ndarray,
    baselines: np.ndarray,
    initial: np.ndarray,
    capability: np.ndarray,
    codes: Sequence[str],
    *,
    alpha: float,
    beta: float,
    friend_threshold: float,
    first_step: int,
) -> dict[str, np.ndarray]:
    """:func:`stacked_metrics` of a long run, ``STACK_BLOCK`` steps at a time, the columns joined."""
    blocks = [
        stacked_metrics(
            relations[t : t + STACK_BLOCK],
            baselines[t : t + STACK_BLOCK],
            initial,
            capability,
            codes,
            alpha=alpha,
            beta=beta,
            friend_threshold=friend_threshold,
            first_step=first_step + t,
        )
        for t in range(0, len(relations), STACK_BLOCK)
    ]
    return {name: np.concatenate([b[name] for b in blocks]) for name in blocks[0]}


def _stacked_endurance(w: np.ndarray, baselines: np.ndarray, initial: np.ndarray) -> np.ndarray:
    """:func:`endurance_index` of every step: d(W, W0) / (d(W, X0) + d(W, W0)), 1 when both are 0."""
    off = ~np.eye(w.shape[1], dtype=bool)
    to_base = np.sqrt(np.mean((w - baselines)[:, off] ** 2, axis=1))
    to_start = np.sqrt(np.mean((w - initial)[:, off] ** 2, axis=1))
    total = to_base + to_start
    return np.where(total < 1e-12, 1.0, to_start / np.where(total < 1e-12, 1.0, total))


def _stacked_landscape(w: np.ndarray, cap: np.ndarray, codes: Sequence[str], first_step: int) -> np.ndarray | None:
    """Each step's landscape blocs (T x N codes): the exact global minimum up to ``LANDSCAPE_EXACT_MAX_N``
    states, the seeded heuristic up to ``LANDSCAPE_MAX_N``, none above."""
    if w.shape[1] <= LANDSCAPE_EXACT_MAX_N:
        sym = (w + w.transpose(0, 2, 1)) / 2.0
        return _side_names_of_stack(global_minima(cap, sym), cap, codes, w)
    if w.shape[1] <= LANDSCAPE_MAX_N:  # the heuristic draws from a generator seeded per step
        return np.array(
            [landscape_bloc_labels(w[t], cap, codes, step=first_step + t) for t in range(w.shape[0])], dtype=object
        )
    return None


def _state_columns(prefix: str, table: np.ndarray, codes: Sequence[str]) -> dict[str, np.ndarray]:
    """The columns ``<prefix>_<CODE>`` of a T x N table, one per state."""
    return {f"{prefix}_{code}": table[:, k] for k, code in enumerate(codes)}


def _stacked_tipping_ratio(baselines: np.ndarray, alpha: float, beta: float) -> np.ndarray:
    """:func:`tipping_ratio` of every step, computed once per change of X0: the λ1 of all the
    distinct X0 in one stacked LAPACK call (one ``syevd`` per matrix, as alone: the same numbers)."""
    if beta < 0:
        raise ValueError("beta must be non-negative")
    changed = np.ones(len(baselines), dtype=bool)
    changed[1:] = np.any(baselines[1:] != baselines[:-1], axis=(1, 2))
    distinct = np.asarray(baselines[changed], dtype=float)
    if distinct.shape[1] == 0:
        return np.zeros(len(baselines))
    lam = np.linalg.eigvalsh((distinct + distinct.transpose(0, 2, 1)) / 2.0)[:, -1]
    ratios = np.array([_ratio_of(float(x), alpha, beta) for x in lam])
    return ratios[np.cumsum(changed) - 1]


def _ratio_of(lam1: float, alpha: float, beta: float) -> float:
    """:func:`_tipping_ratio` from λ1(X0) (:func:`alignsim.measures.analytics.alpha_critical`'s formula)."""
    critical = math.inf if lam1 <= 0 else beta / (4.0 * lam1)
    if alpha == 0.0 or math.isinf(critical):
        return 0.0
    return float(alpha / critical) if critical > alpha / TIPPING_RATIO_CAP else TIPPING_RATIO_CAP


def _side_names_of_stack(
    sides: np.ndarray,
    capability: np.ndarray,
    codes: Sequence[str],
    relations: np.ndarray | None = None,
    margin: float = BLOC_MARGIN,
) -> np.ndarray:
    """:func:`side_names` of every row of a T x N array of 0/1 sides (a T x N array of codes);
    with ``relations`` (T x N x N), states not :func:`committed` are ``non-aligned``."""
    sides = np.asarray(sides)
    names = np.full(sides.shape, NONALIGNED, dtype=object)
    code_of = np.array(codes, dtype=object)
    sure = (
        np.ones(sides.shape, dtype=bool)
        if relations is None
        else committed(sides, np.asarray(relations, dtype=float), margin)
    )
    for side in (0, 1):
        member = (sides == side) & sure
        lead = np.argmax(np.where(member, capability[None, :], -np.inf), axis=1)  # first among equals
        names = np.where(member, code_of[lead][:, None], names)
    return names


def _stacked_bloc_similarity(w: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`bloc_similarity` of every step (labels T x N: each state's bloc at that step)."""
    steps, n = w.shape[0], w.shape[1]
    if n < 3:
        return np.full(steps, np.nan), np.full(steps, np.nan)
    sim = kernels.profile_similarities(w)
    upper = np.triu(np.ones((n, n), dtype=bool), 1)[None]
    same = labels[:, :, None] == labels[:, None, :]
    out = []
    for mask in (upper & same, upper & ~same):
        count = mask.sum(axis=(1, 2))
        total = np.where(mask, sim, 0.0).sum(axis=(1, 2))
        out.append(np.where(count > 0, total / np.maximum(count, 1), np.nan))
    return out[0], out[1]
