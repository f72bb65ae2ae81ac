"""Fast, exact kernels behind the per-step measures (``alignsim.measures.metrics``).

The recorder measures every step, so at N = 193 or 1000 states the measures, not the dynamics, set
the speed of a run. Each kernel here computes what its counterpart in ``alignsim.measures.balance`` /
``alignsim.measures.metrics`` defines, with less work:

- :func:`leading_eigenpair`: the largest eigenvalue of (W + W^T)/2 and its eigenvector, once per
  matrix, instead of a full ``eigvalsh`` for the polarization plus a full ``eigh`` for the factions
  (the last result is remembered, so asking for both costs one). Below ``LANCZOS_MIN_N`` states one
  partial LAPACK decomposition (``syevr`` for one eigenpair, ``scipy.linalg.eigh(subset_by_index=)``);
  from there, whose O(N^3) tridiagonal reduction costs 0.2 s at N = 1000, Lanczos iteration
  (ARPACK via ``scipy.sparse.linalg.eigsh``, ``which="LA"``, to machine precision, from a fixed start
  vector, so the result does not depend on the run's history), 5-10 times faster; if ARPACK does not
  converge, LAPACK. Both agree to ~1e-13 in λ1 and ~1e-15 in the eigenvector.
- :func:`factions`: the two-faction split of :func:`alignsim.measures.balance.factions` (sign pattern of
  that eigenvector, same orientation rule) from :func:`leading_eigenpair`.
- :func:`imbalanced_triad_share`: :func:`alignsim.measures.balance.triad_census`'s share from the traces
  tr(S^3) = sum_ij (S S)_ij S_ji with single-precision BLAS products (exact: every entry of S S is
  an integer of magnitude at most N < 2^24, and the final sums are taken in float64) instead of
  integer matrix products, which numpy does without BLAS.
- :func:`pair_distance_sums`: sums of sum_k |W_ik - W_jk| over the pairs within and across groups
  in O(N^2 log N) by sorting each column, instead of all N^2 city-block distances in O(N^3).
- :class:`LastResult`: a one-entry memo keyed by an array's content; X0 changes only when a shock
  changes interests or ties, so its eigenvalue (the tipping point) is computed once per change.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

import numpy as np
import scipy.linalg
import scipy.sparse.linalg

#: From this many states the leading eigenpair comes from Lanczos iteration instead of LAPACK.
LANCZOS_MIN_N: int = 256


class LastResult:
    """Remember ``fn``'s result for the last array (and extra hashable arguments) it was given.

    The key is the array's content (a copy is kept and compared, O(N^2)), so mutating an array in
    place cannot return a stale result. The entry is replaced in one assignment, so concurrent
    callers in threads see a consistent (key, value) pair.
    """

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn = fn
        self._entry: tuple[np.ndarray, tuple[Hashable, ...], Any] | None = None

    def __call__(self, array: np.ndarray, *args: Hashable) -> Any:
        entry = self._entry
        if entry is not None and entry[1] == args and entry[0].shape == array.shape:
            # A strided sample first: a new matrix nearly always differs there, without a full compare.
            sample = slice(None, None, 97)
            if np.array_equal(entry[0].ravel()[sample], np.ravel(array)[sample]) and np.array_equal(entry[0], array):
                return entry[2]
        value = self.fn(array, *args)
        self._entry = (np.array(array, dtype=float, copy=True), args, value)
        return value


def _leading_eigenpair(matrix: np.ndarray) -> tuple[float, np.ndarray]:
    a = np.asarray(matrix, dtype=float)
    sym = (a + a.T) / 2.0
    n = sym.shape[0]
    if n == 0:
        return 0.0, np.zeros(0)
    if n >= LANCZOS_MIN_N:
        # A fixed, generic start vector: not orthogonal to the leading eigenvector (as a constant
        # vector can be, for two mirror-image blocs), and the same whatever came before.
        start = np.random.default_rng(0x5EED).standard_normal(n)
        try:
            values, vectors = scipy.sparse.linalg.eigsh(sym, k=1, which="LA", v0=start, tol=0.0)
            return float(values[0]), vectors[:, 0]
        except scipy.sparse.linalg.ArpackNoConvergence:
            pass
    values, vectors = scipy.linalg.eigh(sym, subset_by_index=[n - 1, n - 1], check_finite=False)
    return float(values[0]), vectors[:, 0]


#: λ1 and v1 of (W + W^T)/2 (λ1 = 0.0 and an empty vector for an empty matrix); remembered.
leading_eigenpair = LastResult(_leading_eigenpair)


def leading_eigenvalue(matrix: np.ndarray) -> float:
    """λ1 of (W + W^T)/2 (:func:`alignsim.measures.balance.polarization`)."""
    return float(leading_eigenpair(matrix)[0])


def factions(relations: np.ndarray, capability: np.ndarray | None = None, *, zero_tol: float = 1e-10) -> np.ndarray:
    """0/1 faction labels by the rule of :func:`alignsim.measures.balance.factions`: actor i is in faction 1
    when v1_i < 0 after v1 is oriented so that the most capable actor (actor 0 without capability)
    has v1 >= 0 -- or, if that component is zero, the largest-magnitude one; |v1_i| <= zero_tol
    counts as zero; an all-zero matrix puts everyone in faction 0."""
    a = np.asarray(relations, dtype=float)
    n = a.shape[0]
    if n == 0 or not np.any(a + a.T):
        return np.zeros(n, dtype=np.int64)
    cap = np.ones(n) if capability is None else np.asarray(capability)  # without: actor 0 is the reference
    return factions_of_stack(a[None], cap, leading_eigenpair(a)[1][None], zero_tol=zero_tol)[0]


def imbalanced_triad_share(relations: np.ndarray, eps: float = 1e-9) -> float:
    """Imbalanced share of complete triads, as :func:`alignsim.measures.balance.triad_census`:
    B - I = tr(S^3)/6 and B + I = tr(|S|^3)/6 with S the pair signs."""
    return float(imbalanced_triad_shares(np.asarray(relations, dtype=float)[None], eps)[0])


def pair_distance_sums(relations: np.ndarray, labels: Sequence[int] | np.ndarray) -> tuple[float, float]:
    """Sums of D_ij = sum_k |W_ik - W_jk| (all N columns) over unordered pairs {i, j} in the same
    group and across groups.

    For one column with values sorted x_(1) <= ... <= x_(m), sum_{r<s} |x_(r) - x_(s)| =
    sum_r (2r - m - 1) x_(r); the across-group sum is the all-pairs sum minus the within sums.
    """
    w = np.asarray(relations, dtype=float)
    labels = np.asarray(labels)
    n = w.shape[0]

    def all_pairs(block: np.ndarray) -> float:
        m = block.shape[0]
        rank_weight = 2.0 * np.arange(1, m + 1) - m - 1.0
        return float(rank_weight @ np.sort(block, axis=0).sum(axis=1)) if m > 1 else 0.0

    total = all_pairs(w) if n > 1 else 0.0
    within = sum(all_pairs(w[labels == g]) for g in np.unique(labels))
    return within, total - within


# ---------------------------------------------------------------------------------------------
# Stacks: every step of a small world at once. At N ~ 10 a per-step measure is dominated by the
# fixed cost of each numpy call, so one call over the T x N x N stack of a run's steps is ~T times
# cheaper. Each function below equals its per-step counterpart applied to every matrix of the stack.


def leading_eigenpairs(stack: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """λ1 (T) and v1 (T x N) of (W_t + W_t^T)/2 for every matrix of the stack (:func:`leading_eigenpair`)."""
    a = np.asarray(stack, dtype=float)
    values, vectors = np.linalg.eigh((a + a.transpose(0, 2, 1)) / 2.0)
    return values[:, -1], vectors[:, :, -1]


def factions_of_stack(
    stack: np.ndarray, capability: np.ndarray, vectors: np.ndarray, *, zero_tol: float = 1e-10
) -> np.ndarray:
    """:func:`factions` of every matrix of the stack, given their leading eigenvectors (T x N)."""
    a = np.asarray(stack, dtype=float)
    v = np.where(np.abs(vectors) <= zero_tol, 0.0, vectors)
    rows = np.arange(len(v))
    pivot = v[:, int(np.argmax(capability))]
    pivot = np.where(pivot != 0.0, pivot, v[rows, np.argmax(np.abs(v), axis=1)])
    labels = ((v * np.where(pivot < 0, -1.0, 1.0)[:, None]) < 0).astype(np.int64)
    labels[~np.any(a + a.transpose(0, 2, 1), axis=(1, 2))] = 0  # an all-zero matrix: one faction
    return labels


def imbalanced_triad_shares(stack: np.ndarray, eps: float = 1e-9) -> np.ndarray:
    """:func:`imbalanced_triad_share` of every matrix of the stack, from the pair signs S
    (:func:`alignsim.measures.balance.pair_signs`) with single-precision BLAS products: exact, every entry of
    S S is an integer of magnitude at most N < 2^24 and the sums are taken in float64."""
    if eps < 0:
        raise ValueError("eps must be non-negative")
    a = np.asarray(stack, dtype=float)
    sym = (a + a.transpose(0, 2, 1)) / 2.0
    s = np.where(np.abs(sym) < eps, 0.0, np.sign(sym)).astype(np.float32)
    idx = np.arange(s.shape[1])
    s[:, idx, idx] = 0.0
    m = np.abs(s)
    # sum_ij (S S)_ij S_ji = tr(S^3)
    signed = np.rint(np.sum((s @ s) * s.transpose(0, 2, 1), axis=(1, 2), dtype=np.float64)).astype(np.int64)
    total = np.rint(np.sum((m @ m) * m.transpose(0, 2, 1), axis=(1, 2), dtype=np.float64)).astype(np.int64)
    complete, diff = total // 6, signed // 6
    imbalanced = complete - (complete + diff) // 2
    return np.divide(imbalanced, complete, out=np.zeros(len(a)), where=complete > 0)


def profile_similarities(stack: np.ndarray) -> np.ndarray:
    """:func:`alignsim.measures.metrics.profile_similarity` of every matrix of the stack (T x N x N; N >= 3).

    All N^3 differences per step at once: for the small worlds stacks are used for (memory T N^3).
    """
    w = np.asarray(stack, dtype=float)
    n = w.shape[1]
    d = np.diagonal(w, axis1=1, axis2=2)  # T x N
    own = np.abs(d[:, :, None] - w.transpose(0, 2, 1)) + np.abs(w - d[:, None, :])
    rows = np.abs(w[:, :, None, :] - w[:, None, :, :]).sum(axis=3)
    sim = 1.0 - 2.0 * np.clip(rows - own, 0.0, None) / (2.0 * (n - 2))
    idx = np.arange(n)
    sim[:, idx, idx] = 1.0
    return sim
