"""Landscape theory of aggregation (Axelrod & Bennett 1993).

Actors i = 0..N-1 with sizes s_i > 0 and symmetric propensities p_ij
(positive: they want to be together; the diagonal is ignored) split into two
sides. With d_ij = 0 on the same side and 1 across,

    frustration  F_i = sum_{j != i} s_j p_ij d_ij
    energy       E   = sum_i sum_{j != i} s_i s_j p_ij d_ij = sum_i s_i F_i

(ordered pairs, so every unordered pair counts twice). Switching actor i
changes its frustration by dF_i = T_i - 2 F_i, T_i = sum_{j != i} s_j p_ij,
and the energy by dE = 2 s_i dF_i: an actor that lowers its own frustration
lowers the energy, so single-actor descent always ends in a local minimum.

Reference: Axelrod, R. & Bennett, D. S. (1993). A landscape theory of
aggregation. *British Journal of Political Science* 23(2), 211-233.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "Minimum",
    "LandscapeProblem",
    "energy",
    "frustration",
    "local_minima",
    "global_minimum",
    "global_minima",
    "landscape_of_world",
]

FloatArray = NDArray[np.float64]

# Frustration changes smaller than this fraction of the largest possible
# frustration count as zero: rounding must neither make a descent cycle nor
# break a tie that is exact in real arithmetic.
_REL_TOL = 1e-9
# Exact enumeration stores one int64 per configuration: 2^(N-1) of them.
_EXACT_HARD_LIMIT = 30
# Configurations processed per numpy batch (bounds memory at ~N * 1M floats).
_BATCH = 1 << 17


@dataclass(frozen=True)
class Minimum:
    """A local minimum of the energy landscape.

    ``sides[i]`` is actor i's side (0/1), normalised so actor 0 is on side 0;
    ``basin`` is the share of configurations whose descent ends here;
    ``frustration[i]`` is F_i at this configuration.
    """

    sides: tuple[int, ...]
    energy: float
    basin: float
    frustration: tuple[float, ...]


@dataclass(frozen=True, eq=False)
class LandscapeProblem:
    """A validated landscape file: actor names, sizes and propensities.

    ``propensity`` already includes the file's ``offset`` and has a zero
    diagonal (the diagonal is ignored by the theory).
    """

    names: tuple[str, ...]
    sizes: FloatArray
    propensity: FloatArray


def landscape_of_world(
    relations_or_baseline: ArrayLike, capability: ArrayLike, codes: Sequence[str]
) -> LandscapeProblem:
    """The landscape of a model state: sizes = capability, propensity = (M + M^T) / 2.

    ``relations_or_baseline`` is the directed relation matrix W (the landscape
    of current sentiment) or the interest baseline X0 (the landscape interests
    alone would draw). Axelrod & Bennett's propensities are symmetric, so the
    directed matrix is symmetrised; the diagonal is set to 0 (ignored by the
    theory). Raises ``ValueError`` on mismatched shapes, non-finite entries,
    capabilities <= 0 or repeated codes.
    """
    m = np.asarray(relations_or_baseline, dtype=np.float64)
    cap = np.array(capability, dtype=np.float64)
    names = tuple(str(c) for c in codes)
    n = len(names)
    if m.shape != (n, n) or cap.shape != (n,):
        raise ValueError(f"need an {n} x {n} matrix and {n} capabilities for {n} codes, got {m.shape} and {cap.shape}")
    if len(set(names)) != n:
        raise ValueError("codes must be distinct")
    if not (np.all(np.isfinite(m)) and np.all(np.isfinite(cap))):
        raise ValueError("matrix and capabilities must be finite")
    if np.any(cap <= 0):
        raise ValueError("capabilities must be > 0 (they are the actors' sizes)")
    prop = (m + m.T) / 2.0
    np.fill_diagonal(prop, 0.0)
    return LandscapeProblem(names=names, sizes=cap, propensity=prop)


# --------------------------------------------------------------------------
# Core quantities
# --------------------------------------------------------------------------


def _validate(sizes: ArrayLike, propensity: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Return (s, A) with A_ij = s_j p_ij and a zero diagonal."""
    s = np.asarray(sizes, dtype=np.float64)
    p = np.array(propensity, dtype=np.float64)  # copy: the diagonal is zeroed
    if s.ndim != 1 or s.size == 0:
        raise ValueError(f"sizes must be a non-empty 1-D array, got shape {s.shape}")
    n = s.size
    if p.shape != (n, n):
        raise ValueError(f"propensity must be {n} x {n}, got shape {p.shape}")
    if not (np.all(np.isfinite(s)) and np.all(np.isfinite(p))):
        raise ValueError("sizes and propensity must be finite")
    if np.any(s <= 0):
        raise ValueError("sizes must be > 0")
    np.fill_diagonal(p, 0.0)
    if not np.allclose(p, p.T, rtol=1e-12, atol=1e-12):
        i, j = np.argwhere(~np.isclose(p, p.T, rtol=1e-12, atol=1e-12))[0]
        raise ValueError(f"propensity must be symmetric: p[{i},{j}]={p[i, j]} but p[{j},{i}]={p[j, i]}")
    return s, p * s[None, :]


def _sides(sides: ArrayLike, n: int) -> FloatArray:
    b = np.asarray(sides)
    if b.shape != (n,) or not np.all((b == 0) | (b == 1)):
        raise ValueError(f"sides must be {n} values, each 0 or 1")
    return b.astype(np.float64)


def _frustration_batch(bits: FloatArray, a: FloatArray, t: FloatArray) -> FloatArray:
    """F for a batch of configurations (rows of 0/1 ``bits``).

    d_ij = b_i + b_j - 2 b_i b_j, so F = b*T + (A b) - 2 b*(A b).
    """
    ab = bits @ a.T
    return bits * t + ab - 2.0 * bits * ab


def frustration(sizes: ArrayLike, propensity: ArrayLike, sides: ArrayLike) -> FloatArray:
    """Frustration F_i = sum_{j != i} s_j p_ij d_ij of every actor (A&B 1993, eq. 1)."""
    s, a = _validate(sizes, propensity)
    b = _sides(sides, s.size)
    return _frustration_batch(b[None, :], a, a.sum(axis=1))[0]


def energy(sizes: ArrayLike, propensity: ArrayLike, sides: ArrayLike) -> float:
    """Energy E = sum_i sum_{j != i} s_i s_j p_ij d_ij = sum_i s_i F_i (A&B 1993, eq. 2)."""
    s = np.asarray(sizes, dtype=np.float64)
    return float(s @ frustration(sizes, propensity, sides))


# --------------------------------------------------------------------------
# Descent and minima
# --------------------------------------------------------------------------


def _best_flip(f: FloatArray, t: FloatArray, tol: float) -> NDArray[np.intp]:
    """Actor whose switch lowers its own frustration most, or -1 if none does.

    dF_i = T_i - 2 F_i; values within ``tol`` of the best are ties, resolved
    by the lowest index; a move needs dF_i < -tol.
    """
    delta = t - 2.0 * f
    best = delta.min(axis=1)
    choice = np.argmax(delta <= best[:, None] + tol, axis=1)  # first near-best
    return np.where(best < -tol, choice, -1)


def _tolerance(a: FloatArray) -> float:
    return _REL_TOL * max(1.0, float(np.abs(a).sum(axis=1).max()))


def _bits_of(codes: NDArray[np.int64], n: int) -> FloatArray:
    """Bit i of code c is actor i's side."""
    return ((codes[:, None] >> np.arange(n, dtype=np.int64)) & 1).astype(np.float64)


def _make_minimum(s: FloatArray, a: FloatArray, t: FloatArray, code: int, n: int, basin: float) -> Minimum:
    bits = _bits_of(np.array([code], dtype=np.int64), n)
    f = _frustration_batch(bits, a, t)[0]
    return Minimum(
        sides=tuple(int(v) for v in bits[0]),
        energy=float(s @ f),
        basin=basin,
        frustration=tuple(float(v) for v in f),
    )


def _exact(s: FloatArray, a: FloatArray, t: FloatArray, tol: float) -> list[Minimum]:
    """Enumerate the 2^(N-1) configurations with actor 0 on side 0.

    Flipping every actor changes no d_ij, so each configuration stands for
    itself and its mirror image, and the descent commutes with the mirror
    (frustrations and tie-breaking are unchanged). For every configuration
    we compute its successor under one descent step (itself at a local
    minimum), then follow successors by pointer doubling, next <- next[next],
    which reaches every path's end in O(log path length) vectorised passes.
    """
    n = s.size
    full = (1 << n) - 1
    count = 1 << (n - 1)
    nxt = np.empty(count, dtype=np.int64)
    for start in range(0, count, _BATCH):
        idx = np.arange(start, min(count, start + _BATCH), dtype=np.int64)
        codes = idx << 1  # bit 0 (actor 0) is 0
        f = _frustration_batch(_bits_of(codes, n), a, t)
        move = _best_flip(f, t, tol)
        flipped = codes ^ (np.int64(1) << np.maximum(move, 0).astype(np.int64))
        # If actor 0 moved, mirror the whole configuration back to side 0.
        flipped = np.where(flipped & 1, ~flipped & full, flipped)
        nxt[start : start + idx.size] = np.where(move >= 0, flipped >> 1, idx)
    # Energy strictly falls along a path, so paths are at most `count` long
    # and pointer doubling converges within log2(count) + 1 passes.
    for _ in range(n + 1):
        jumped = nxt[nxt]
        if np.array_equal(jumped, nxt):
            break
        nxt = jumped
    else:  # pragma: no cover - would mean the descent cycles
        raise RuntimeError("descent did not converge; propensities may be ill-conditioned")
    ends, counts = np.unique(nxt, return_counts=True)
    return [_make_minimum(s, a, t, int(e) << 1, n, float(c) / count) for e, c in zip(ends, counts)]


def _random_descents(
    n: int, a: FloatArray, t: FloatArray, tol: float, rng: np.random.Generator, starts: int
) -> FloatArray:
    """Endpoints of descents from ``starts`` random configurations, all advanced in lockstep,
    normalised so that actor 0 is on side 0 (one row of 0/1 per start)."""
    bits = rng.integers(0, 2, size=(starts, n)).astype(np.float64)
    active = np.arange(starts)
    while active.size:
        f = _frustration_batch(bits[active], a, t)
        move = _best_flip(f, t, tol)
        done = move < 0
        moving = active[~done]
        bits[moving, move[~done]] = 1.0 - bits[moving, move[~done]]
        active = moving
    return np.where(bits[:, :1] == 1.0, 1.0 - bits, bits)


def _heuristic(
    s: FloatArray, a: FloatArray, t: FloatArray, tol: float, rng: np.random.Generator, starts: int
) -> list[Minimum]:
    """Descents from ``starts`` random configurations; distinct endpoints with their shares."""
    n = s.size
    bits = _random_descents(n, a, t, tol, rng, starts)
    codes = (bits.astype(np.int64) << np.arange(n, dtype=np.int64)).sum(axis=1)
    ends, counts = np.unique(codes, return_counts=True)
    return [_make_minimum(s, a, t, int(e), n, float(c) / starts) for e, c in zip(ends, counts)]


def local_minima(
    sizes: ArrayLike,
    propensity: ArrayLike,
    *,
    exact_limit: int = 20,
    rng: np.random.Generator | None = None,
    starts: int = 2000,
) -> list[Minimum]:
    """Local minima of E under single-actor switches, sorted by energy then sides.

    Descent rule: repeatedly switch the actor whose switch lowers its own
    frustration the most (ties to the lowest index) until no switch lowers
    any actor's frustration; each such switch lowers E by 2 s_i |dF_i|.

    - N <= ``exact_limit``: exact. All 2^(N-1) configurations (actor 0 fixed
      on side 0) are enumerated; ``basin`` is the exact share of them whose
      descent ends at the minimum (basins sum to 1).
    - N > ``exact_limit``: heuristic. ``starts`` descents from uniformly
      random configurations drawn from ``rng`` (required); only minima that
      are reached are returned and ``basin`` is the share of starts ending
      there, an unbiased estimate of the exact basin. The global minimum
      may be missed if its basin is small.
    """
    s, a = _validate(sizes, propensity)
    n = s.size
    t = a.sum(axis=1)
    tol = _tolerance(a)
    if n <= exact_limit:
        if n > _EXACT_HARD_LIMIT:
            raise ValueError(f"exact enumeration of {n} actors is infeasible; use exact_limit <= {_EXACT_HARD_LIMIT}")
        found = _exact(s, a, t, tol)
    else:
        if rng is None:
            raise ValueError(f"{n} actors exceed exact_limit={exact_limit}: pass rng for the heuristic search")
        if starts < 1:
            raise ValueError("starts must be >= 1")
        found = _heuristic(s, a, t, tol, rng, starts)
    return sorted(found, key=lambda m: (m.energy, m.sides))


def global_minimum(
    sizes: ArrayLike,
    propensity: ArrayLike,
    *,
    exact_limit: int = 20,
    rng: np.random.Generator | None = None,
    starts: int = 2000,
) -> tuple[int, ...]:
    """Sides of the lowest-energy configuration, actor 0 on side 0.

    The same configuration as ``local_minima(...)[0].sides``, found more
    cheaply when N <= ``exact_limit``: a global minimum of E is a local
    minimum (no switch can lower E, so none lowers the switching actor's
    frustration), so the lowest energy over all 2^(N-1) configurations needs
    no descent and no basins. Energies within rounding (relative 1e-9) are
    ties, broken by the lexicographically first ``sides``; :func:`local_minima`
    orders by the computed energies, so on a tie that is exact in real
    arithmetic but not in floating point the two may name different (equally
    low) configurations. Above ``exact_limit`` this is the heuristic
    of :func:`local_minima` (``rng`` required; the same draws give the same
    descents), which may miss the global minimum when its basin is small.
    """
    s, a = _validate(sizes, propensity)
    n = s.size
    if n > exact_limit:
        if rng is None:
            raise ValueError(f"{n} actors exceed exact_limit={exact_limit}: pass rng for the heuristic search")
        if starts < 1:
            raise ValueError("starts must be >= 1")
        t = a.sum(axis=1)
        candidates = _random_descents(n, a, t, _tolerance(a), rng, starts)
        energies = _frustration_batch(candidates, a, t) @ s
        first = _first_near_lowest(energies[None], _energy_tolerance(s, a[None]), lambda columns: candidates[columns])[
            0
        ]
        return tuple(int(v) for v in candidates[first])
    if n > _EXACT_HARD_LIMIT:
        raise ValueError(f"exact enumeration of {n} actors is infeasible; use exact_limit <= {_EXACT_HARD_LIMIT}")
    return tuple(int(v) for v in _exact_global_minima(s, a[None])[0])


def global_minima(sizes: ArrayLike, propensities: ArrayLike) -> NDArray[np.int64]:
    """:func:`global_minimum` (exact) of many landscapes with the same sizes at once.

    ``propensities`` is a stack T x N x N of symmetric matrices (diagonals ignored); the answer is
    T x N, row t the sides of landscape t's lowest configuration, actor 0 on side 0, ties within
    rounding broken by the lexicographically first sides. One numpy pass enumerates the 2^(N-1)
    configurations for every landscape, which is what makes per-step landscape blocs cheap for
    the small worlds of a run (N <= 12: 2,048 configurations).
    """
    s = np.asarray(sizes, dtype=np.float64)
    p = np.array(propensities, dtype=np.float64)
    _validate(s, np.zeros((s.size, s.size)))  # the sizes
    if p.ndim != 3 or p.shape[1:] != (s.size, s.size):
        raise ValueError(f"propensities must be a T x {s.size} x {s.size} stack, got shape {p.shape}")
    if not np.all(np.isfinite(p)):
        raise ValueError("propensities must be finite")
    if p.shape[0] == 0:
        return np.zeros((0, s.size), dtype=np.int64)
    idx = np.arange(s.size)
    p[:, idx, idx] = 0.0
    if not np.allclose(p, p.transpose(0, 2, 1), rtol=1e-12, atol=1e-12):
        raise ValueError("propensities must be symmetric")
    if s.size > _EXACT_HARD_LIMIT:
        raise ValueError(f"exact enumeration of {s.size} actors is infeasible (at most {_EXACT_HARD_LIMIT})")
    return _exact_global_minima(s, p * s[None, None, :])


def _energy_tolerance(s: FloatArray, a: FloatArray) -> FloatArray:
    """Energies within this (per landscape of the stack ``a``) of the lowest count as ties."""
    return _REL_TOL * np.maximum(1.0, np.abs(a).sum(axis=2) @ s)


def _exact_global_minima(s: FloatArray, a: FloatArray) -> NDArray[np.int64]:
    """Lowest configuration of each A_t (T x N x N, A_ij = s_j p_ij, zero diagonal) by enumeration."""
    n, count = s.size, 1 << (s.size - 1)
    rowsums = a.sum(axis=2)[:, None, :]  # T x 1 x N
    energies = np.empty((a.shape[0], count), dtype=np.float64)
    for start in range(0, count, _BATCH):
        bits = _bits_of(np.arange(start, min(count, start + _BATCH), dtype=np.int64) << 1, n)  # actor 0 on side 0
        ab = bits @ a.transpose(0, 2, 1)  # T x M x N: (A b) for every configuration
        energies[:, start : start + len(bits)] = (bits * rowsums + ab - 2.0 * bits * ab) @ s
    first = _first_near_lowest(energies, _energy_tolerance(s, a), lambda codes: _bits_of(codes << 1, n))
    return _bits_of(first << 1, n).astype(np.int64)


def _first_near_lowest(
    energies: FloatArray, tol: FloatArray, sides_of: Callable[[NDArray[np.int64]], FloatArray]
) -> NDArray[np.int64]:
    """For each row t of ``energies`` (landscapes x configurations), the configuration (column) whose
    sides come first in lexicographic order -- actor 0 the most significant digit -- among those
    within ``tol[t]`` of the row's lowest energy. ``sides_of(columns)`` gives their 0/1 sides; it is
    asked only for the few near-lowest columns."""
    rows, columns = np.nonzero(energies <= (energies.min(axis=1) + tol)[:, None])
    sides = sides_of(columns.astype(np.int64)).astype(np.int64)
    rank = sides @ (np.int64(1) << np.arange(sides.shape[1] - 1, -1, -1, dtype=np.int64))
    order = np.lexsort((rank, rows))
    return columns[order[np.searchsorted(rows[order], np.arange(len(energies)))]].astype(np.int64)  # each row's first
