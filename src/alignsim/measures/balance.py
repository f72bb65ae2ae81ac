r"""Structural balance of signed relation matrices.

Conventions
-----------
A relation matrix ``W`` is a real ``N x N`` array; ``W[i, j]`` is how actor ``i``
stands towards actor ``j`` (positive = friendly, negative = hostile).  Structural
balance (Heider 1946; Cartwright & Harary 1956) is a property of *pairs*, so a
directed matrix is first symmetrised,

.. math::  \bar W = (W + W^\top) / 2,

and the sign of the pair ``{i, j}`` is

.. math::  s_{ij} = \operatorname{sign}(\bar W_{ij})
           \text{ if } |\bar W_{ij}| \ge \varepsilon, \text{ else } 0,

with ``eps`` = 1e-9 by default.  The threshold exists because relation values
produced by a simulation are floats: two opposite directed relations that cancel
to round-off (say ``1e-17``) mean "no net relation", not "friends".  The diagonal
(self-relations) is always 0.

Balance statistics
------------------
* A *complete* triad is three actors whose three pairs are all nonzero; it is
  *balanced* when :math:`s_{ij}s_{jk}s_{ki} > 0` ("the friend of my friend is my
  friend", "the enemy of my enemy is my friend").  With ``S`` the sign matrix and
  zero diagonal, every closed walk of length 3 visits three distinct actors, and
  each triad is visited by 6 such walks, so

  .. math::  B - I = \operatorname{tr}(S^3)/6, \qquad B + I = \operatorname{tr}(|S|^3)/6.

* The *frustration index* (Harary 1959; Aref & Wilson 2018, J. Complex Networks)
  is the minimum number of nonzero pairs that violate some two-faction partition.
* *Factions* follow Marvel, Kleinberg, Kleinberg & Strogatz (2011, PNAS 108,
  1771-1776): under :math:`\dot X = X^2` the relation matrix approaches
  :math:`v_1 v_1^\top / (1 - t\lambda_1)`, so the sign pattern of the leading
  eigenvector :math:`v_1` is the two-faction split the dynamics will produce;
  the leading eigenvalue :math:`\lambda_1` is a measure of polarisation (it sets
  the blow-up time :math:`1/\lambda_1`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "TriadCensus",
    "factions",
    "frustration_index",
    "pair_signs",
    "polarization",
    "symmetrise",
    "triad_census",
]

#: Largest N for which :func:`frustration_index` enumerates all partitions; at
#: N = 20 that is 2**19 ~ 5e5 partitions, about a second of vectorised numpy.
EXACT_FRUSTRATION_MAX_N: int = 20


def _as_square(W: ArrayLike) -> NDArray[np.float64]:
    """Return ``W`` as a finite float ``N x N`` array, or raise ``ValueError``."""
    A = np.asarray(W, dtype=float)
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError(f"relation matrix must be square N x N, got shape {A.shape}")
    if not np.all(np.isfinite(A)):
        # NaN/inf would make every sign and eigenvector below meaningless.
        raise ValueError("relation matrix contains non-finite entries")
    return A


def symmetrise(W: ArrayLike) -> NDArray[np.float64]:
    r"""Symmetric part :math:`(W + W^\top)/2` of a relation matrix."""
    A = _as_square(W)
    return (A + A.T) / 2.0


def pair_signs(W: ArrayLike, eps: float = 1e-9) -> NDArray[np.int64]:
    r"""Sign matrix of the pairs of ``W``.

    .. math::  S_{ij} = \operatorname{sign}\big((W_{ij}+W_{ji})/2\big)
               \cdot \mathbb 1\big[|W_{ij}+W_{ji}|/2 \ge \varepsilon\big],
               \qquad S_{ii} = 0.

    Parameters
    ----------
    W : array_like, shape (N, N)
        Relation matrix, directed or not.
    eps : float
        Magnitudes of the symmetrised value below ``eps`` count as *no relation*.

    Returns
    -------
    numpy.ndarray of int64, shape (N, N)
        Symmetric, entries in {-1, 0, 1}, zero diagonal.
    """
    if eps < 0:
        raise ValueError("eps must be non-negative")
    Wbar = symmetrise(W)
    S = np.sign(Wbar).astype(np.int64)
    S[np.abs(Wbar) < eps] = 0
    np.fill_diagonal(S, 0)
    return S


@dataclass(frozen=True)
class TriadCensus:
    """Counts of complete triads (all three pairs nonzero) by balance.

    Attributes
    ----------
    balanced : int
        Complete triads whose sign product is +1.
    imbalanced : int
        Complete triads whose sign product is -1.
    complete : int
        ``balanced + imbalanced``.
    """

    balanced: int
    imbalanced: int
    complete: int

    @property
    def imbalanced_share(self) -> float:
        """``imbalanced / complete``; 0.0 when there is no complete triad."""
        return self.imbalanced / self.complete if self.complete else 0.0


def triad_census(W: ArrayLike, eps: float = 1e-9) -> TriadCensus:
    r"""Count balanced and imbalanced complete triads of ``W``.

    .. math::  B - I = \operatorname{tr}(S^3)/6, \qquad
               C = B + I = \operatorname{tr}(|S|^3)/6,

    with ``S = pair_signs(W, eps)``.  Integer matrix products keep the counts exact
    (no floating-point rounding of the traces); two matrix products replace the
    Python-level loop over the N(N-1)(N-2)/6 triads.
    """
    S = pair_signs(W, eps)
    A = np.abs(S)
    signed = int(np.trace(S @ S @ S))
    total = int(np.trace(A @ A @ A))
    # Both traces are multiples of 6 by construction (6 closed walks per triad).
    complete = total // 6
    diff = signed // 6
    balanced = (complete + diff) // 2
    return TriadCensus(balanced=balanced, imbalanced=complete - balanced, complete=complete)


def _exact_frustration(S: NDArray[np.int64]) -> int:
    r"""Exact frustration index by enumerating all 2^(N-1) two-faction partitions.

    For spins :math:`\sigma \in \{\pm1\}^N` (faction membership), the number of
    violated nonzero pairs is

    .. math::  F(\sigma) = \big(m - \tfrac12 \sigma^\top S \sigma\big)/2,

    where ``m`` is the number of nonzero pairs, because each pair contributes
    :math:`S_{ij}\sigma_i\sigma_j = +1` when satisfied and -1 when violated, and
    :math:`\sigma^\top S\sigma` counts every pair twice.  Actor 0 is pinned to
    faction +1: flipping every spin leaves ``F`` unchanged.
    """
    n = S.shape[0]
    if n <= 1:
        return 0
    m = int(np.count_nonzero(np.triu(S, 1)))
    if m == 0:
        return 0
    S32 = S.astype(np.int32)
    shifts = np.arange(n - 1, dtype=np.int64)
    n_conf = 1 << (n - 1)
    best = m
    # Chunks bound memory to ~chunk * N int32 values per temporary (a few MB).
    chunk = 1 << 15
    for start in range(0, n_conf, chunk):
        codes = np.arange(start, min(start + chunk, n_conf), dtype=np.int64)
        bits = (codes[:, None] >> shifts) & 1
        sigma = np.empty((codes.size, n), dtype=np.int32)
        sigma[:, 0] = 1
        sigma[:, 1:] = 1 - 2 * bits
        quad = np.einsum("ki,ki->k", sigma @ S32, sigma)
        best = min(best, int((m - quad // 2).min()) // 2)
        if best == 0:
            break
    return best


def _greedy_frustration(S: NDArray[np.int64], restarts: int, seed: int) -> int:
    r"""Upper bound on the frustration index by multi-start steepest descent.

    Flipping actor ``i`` changes the number of violated pairs by
    :math:`\Delta_i = \sigma_i (S\sigma)_i` (its satisfied minus violated pairs),
    so we repeatedly flip the actor with the most negative :math:`\Delta_i` until
    no single flip helps (a 1-flip local optimum).  Starts: the spectral partition
    (sign of the leading eigenvector of ``S``, which is exact for balanced
    graphs) and ``restarts`` random partitions from a seeded generator, so the
    result is reproducible.  Local optima need not be global, hence *upper bound*.
    """
    n = S.shape[0]
    m = int(np.count_nonzero(np.triu(S, 1)))
    Sf = S.astype(np.int64)
    rng = np.random.default_rng(seed)
    _, vecs = np.linalg.eigh(S.astype(float))
    starts = [np.where(vecs[:, -1] < 0, -1, 1).astype(np.int64)]
    starts += [rng.choice(np.array([-1, 1], dtype=np.int64), size=n) for _ in range(restarts)]
    best = m
    for sigma in starts:
        sigma = sigma.copy()
        field = Sf @ sigma
        while True:
            delta = sigma * field
            i = int(np.argmin(delta))
            if delta[i] >= 0:
                break
            # sigma_i -> -sigma_i changes S @ sigma by -2 sigma_i S[:, i].
            field -= 2 * sigma[i] * Sf[:, i]
            sigma[i] = -sigma[i]
        violated = (m - int(sigma @ field) // 2) // 2
        best = min(best, violated)
    return best


def frustration_index(
    W: ArrayLike,
    eps: float = 1e-9,
    *,
    exact_max_n: int = EXACT_FRUSTRATION_MAX_N,
    restarts: int = 64,
    seed: int = 0,
) -> int:
    r"""Minimum number of nonzero pairs violating a two-faction partition.

    A pair is violated by a partition when it is positive across the factions or
    negative within one (Harary 1959's "line index of balance"):

    .. math::  F(S) = \min_{\sigma\in\{\pm1\}^N}\; \#\{i<j: S_{ij}\sigma_i\sigma_j = -1\}.

    ``F = 0`` iff the signed graph is balanced (Cartwright & Harary 1956).

    For ``N <= exact_max_n`` (default 20) the value is **exact**: all 2^(N-1)
    partitions are enumerated in vectorised chunks.  For larger ``N`` the problem
    is NP-hard and the value returned is an **upper bound** from a multi-start
    greedy local search (see :func:`_greedy_frustration`; ``restarts`` random
    starts with generator ``seed`` plus the spectral start).
    """
    S = pair_signs(W, eps)
    if S.shape[0] <= exact_max_n:
        return _exact_frustration(S)
    return _greedy_frustration(S, restarts=restarts, seed=seed)


def factions(
    W: ArrayLike,
    capability: ArrayLike | None = None,
    *,
    zero_tol: float = 1e-10,
) -> NDArray[np.int64]:
    r"""Two-faction split from the leading eigenvector (Marvel et al. 2011, PNAS).

    With :math:`\bar W = (W+W^\top)/2` and :math:`v_1` the unit eigenvector of its
    largest eigenvalue, actor ``i`` is in faction 1 when :math:`v_{1,i} < 0` after
    orienting :math:`v_1` so that the reference actor has a non-negative component.
    Under :math:`\dot X = X^2` from :math:`X_0=\bar W`,
    :math:`X(t)\to v_1v_1^\top/(1-t\lambda_1)`, so these are the factions the
    balance dynamics converge to.

    Parameters
    ----------
    W : array_like, shape (N, N)
        Relation matrix (raw values, not signs: magnitudes shape :math:`v_1`).
    capability : array_like, shape (N,), optional
        The actor with the largest capability (first on ties) is the reference and
        always lands in faction 0; without it the reference is actor 0.  This makes
        labels stable across time steps, where an eigen-solver may flip
        :math:`v_1 \to -v_1` at will.
    zero_tol : float
        Components with :math:`|v_{1,i}| \le` ``zero_tol`` count as zero and go to
        faction 0.  If the reference component itself is zero, ``v1`` is oriented
        so that its largest-magnitude component is positive.

    Returns
    -------
    numpy.ndarray of int64, shape (N,)
        0/1 faction labels.

    Notes
    -----
    When :math:`\lambda_1` is degenerate the leading eigenvector is not unique and
    the split is whichever vector ``numpy.linalg.eigh`` returns; an all-zero
    matrix yields all actors in faction 0.
    """
    Wbar = symmetrise(W)
    n = Wbar.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if capability is None:
        ref = 0
    else:
        cap = np.asarray(capability, dtype=float)
        if cap.shape != (n,):
            raise ValueError(f"capability must have shape ({n},), got {cap.shape}")
        ref = int(np.argmax(cap))
    if not np.any(Wbar):
        return np.zeros(n, dtype=np.int64)
    _, vecs = np.linalg.eigh(Wbar)
    v = vecs[:, -1].copy()  # eigh sorts eigenvalues ascending
    v[np.abs(v) <= zero_tol] = 0.0
    pivot = v[ref] if v[ref] != 0.0 else v[int(np.argmax(np.abs(v)))]
    if pivot < 0:
        v = -v
    return (v < 0).astype(np.int64)


def polarization(W: ArrayLike) -> float:
    r"""Leading eigenvalue :math:`\lambda_1` of :math:`(W+W^\top)/2`.

    Under Marvel dynamics :math:`\dot X = X^2` the relations diverge at
    :math:`t^* = 1/\lambda_1` (Marvel et al. 2011), and with interest anchoring a
    peaceful equilibrium exists only while :math:`\alpha < \beta/(4\lambda_1)`
    (Morrison, Kutz & Gabbay 2023), so larger :math:`\lambda_1` = more polarised.
    Returns 0.0 for an empty matrix.
    """
    Wbar = symmetrise(W)
    if Wbar.shape[0] == 0:
        return 0.0
    return float(np.linalg.eigvalsh(Wbar)[-1])
