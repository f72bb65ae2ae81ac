"""Foreign-policy similarity between two profiles.

A *profile* is a 1-D array giving one state's position towards each of the same
K third states (alliance levels, relation weights, UN votes, ...). All
functions compare two such profiles element-wise.

References
----------
- Signorino, C. S. & Ritter, J. M. (1999). Tau-b or not tau-b: measuring the
  similarity of foreign policy positions. *International Studies Quarterly*
  43(1), 115-144.
- Kendall, M. G. (1945). The treatment of ties in ranking problems.
  *Biometrika* 33(3), 239-251.
- Cohen, J. (1960). A coefficient of agreement for nominal scales.
  *Educational and Psychological Measurement* 20(1), 37-46.
- Cohen, J. (1968). Weighted kappa. *Psychological Bulletin* 70(4), 213-220.
- Scott, W. A. (1955). Reliability of content analysis: the case of nominal
  scale coding. *Public Opinion Quarterly* 19(3), 321-325.
- Häge, F. M. (2011). Choice or circumstance? Adjusting measures of foreign
  policy similarity for chance agreement. *Political Analysis* 19(3), 287-305.

Conventions reproducing Signorino & Ritter (1999), Table 6 (Germany vs Russia,
1914, 20 European states; see ``tests/test_similarity.py``):

- the profiles include the two states themselves (each state's tie with
  itself is coded 3, the top of the alliance scale);
- S uses d_max = 3, the width of the alliance scale 0..3 (here it equals the
  observed range, so the default gives the same value);
- the weighted S uses the COW capability shares as given; they sum to 1, and
  S divides by sum(w) anyway, so normalising the weights changes nothing;
- Cohen's kappa is the quadratic-weighted kappa over levels 0..3 (-0.0776);
- Scott's pi is the nominal (unweighted) pi (-0.0448).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "s_score",
    "s_score_matrix",
    "cohens_kappa",
    "scotts_pi",
    "kendall_tau_b",
]

FloatArray = NDArray[np.float64]

# Relative slack when checking that an explicit d_max bounds the observed
# distances: profiles read from text may be off by a rounding error.
_RANGE_SLACK = 1e-9


def _profiles(x: ArrayLike, y: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Validate two profiles: 1-D, same non-zero length, finite."""
    a = np.asarray(x, dtype=np.float64)
    b = np.asarray(y, dtype=np.float64)
    if a.ndim != 1 or b.ndim != 1:
        raise ValueError(f"profiles must be 1-D, got shapes {a.shape} and {b.shape}")
    if a.shape != b.shape:
        raise ValueError(f"profiles must have equal length, got {a.size} and {b.size}")
    if a.size == 0:
        raise ValueError("profiles must not be empty")
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise ValueError("profiles must be finite (no NaN or inf)")
    return a, b


def _weights(weights: ArrayLike | None, shape: tuple[int, ...]) -> FloatArray:
    """Validate non-negative finite weights of the given shape (default: ones)."""
    if weights is None:
        return np.ones(shape, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != shape:
        raise ValueError(f"weights must have shape {shape}, got {w.shape}")
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValueError("weights must be finite and >= 0")
    return w


def _check_d_max(d_max: float, largest: float) -> float:
    """An explicit d_max must be positive and bound every observed |x - y|."""
    d = float(d_max)
    if not np.isfinite(d) or d <= 0:
        raise ValueError(f"d_max must be a positive finite number, got {d_max!r}")
    # A d_max below an observed distance would push S below -1, silently
    # breaking the [-1, 1] scale, so it is a caller error.
    if largest > d * (1 + _RANGE_SLACK):
        raise ValueError(f"d_max={d} is smaller than an observed distance |x - y| = {largest}")
    return d


def s_score(
    x: ArrayLike,
    y: ArrayLike,
    *,
    weights: ArrayLike | None = None,
    d_max: float | None = None,
    squared: bool = False,
) -> float:
    """Signorino & Ritter's (1999) S between two profiles.

    S = 1 - 2 * sum_k w_k d(x_k, y_k) / (sum_k w_k * d_max),

    with d = |x - y| (or (x - y)^2 and d_max^2 when ``squared``). S is 1 for
    identical profiles and -1 when every pair sits d_max apart.

    ``d_max`` should be the width of the measurement scale (3 for the alliance
    scale 0..3, 2 for interests in [-1, 1]). When omitted it defaults to the
    observed range max - min over *both* profiles, which equals the scale
    width only if both ends of the scale occur; pass it explicitly to compare
    S across pairs. If the profiles are the same constant, S = 1.
    ``weights`` default to 1; they need not be normalised because S divides
    by their sum (Signorino & Ritter weight by capability shares).
    """
    a, b = _profiles(x, y)
    w = _weights(weights, a.shape)
    w_sum = float(w.sum())
    if w_sum <= 0:
        raise ValueError("weights must not all be zero")
    diff = np.abs(a - b)
    if d_max is None:
        span = float(max(a.max(), b.max()) - min(a.min(), b.min()))
        if span == 0.0:
            return 1.0  # both profiles the same constant: perfect agreement
        d = span
    else:
        d = _check_d_max(d_max, float(diff.max()))
    if squared:
        diff = diff**2
        d = d**2
    return float(1.0 - 2.0 * float(w @ diff) / (w_sum * d))


def s_score_matrix(
    profiles: ArrayLike,
    *,
    weights: ArrayLike | None = None,
    d_max: float,
    squared: bool = False,
) -> FloatArray:
    """S for every pair of rows of an N x K profile matrix (vectorised).

    S_ij = 1 - 2 * sum_k w_ijk d(x_ik, x_jk) / (sum_k w_ijk * d_max).

    ``weights`` is either one K-vector shared by all pairs or an N x K matrix
    of per-row weights; then the pair's weight is the mean of the two rows'
    weights, w_ijk = (w_ik + w_jk) / 2, which keeps S symmetric. ``d_max``
    is required so that all pairs share the same scale (e.g. 2 for interest
    vectors in [-1, 1]). Returns a symmetric N x N matrix with unit diagonal.
    """
    x = _profile_matrix(profiles)
    n, k = x.shape
    # Check the largest pairwise distance per column rather than the global
    # range, which could be larger than any single column's spread.
    largest = float((x.max(axis=0) - x.min(axis=0)).max()) if n else 0.0
    d = _check_d_max(d_max, largest)
    w = _matrix_weights(weights, n, k)
    out = _scores_by_blocks(x, w, d**2 if squared else d, squared=squared)
    # Summation order differs between (i, j) and (j, i) blocks; average to
    # make the matrix exactly symmetric.
    out = 0.5 * (out + out.T)
    np.fill_diagonal(out, 1.0)
    return out


def _profile_matrix(profiles: ArrayLike) -> FloatArray:
    """Validate an N x K profile matrix: two dimensions, K >= 1, finite."""
    x = np.asarray(profiles, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] == 0:
        raise ValueError(f"profiles must be an N x K matrix with K >= 1, got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError("profiles must be finite (no NaN or inf)")
    return x


def _matrix_weights(weights: ArrayLike | None, n: int, k: int) -> FloatArray:
    """The weights of :func:`s_score_matrix`: ones, one K-vector for all pairs, or N x K per row."""
    if weights is None:
        return np.ones(k)
    w = np.asarray(weights, dtype=np.float64)
    if w.shape not in ((k,), (n, k)):
        raise ValueError(f"weights must have shape ({k},) or ({n}, {k}), got {w.shape}")
    return _weights(w, w.shape)


def _scores_by_blocks(x: FloatArray, w: FloatArray, denom_d: float, *, squared: bool) -> FloatArray:
    """S of every ordered pair of rows, computed in blocks of rows (before symmetrising)."""
    n, k = x.shape
    out = np.empty((n, n), dtype=np.float64)
    # Rows in blocks so the N x N x K distance tensor never exceeds ~4M cells.
    block = max(1, 4_000_000 // max(1, n * k))
    for start in range(0, n, block):
        stop = min(n, start + block)
        diff = x[start:stop, None, :] - x[None, :, :]
        dist = diff * diff if squared else np.abs(diff)
        if w.ndim == 1:
            num = dist @ w
            den = np.full(num.shape, w.sum())
        else:
            num = 0.5 * (np.einsum("cnk,ck->cn", dist, w[start:stop]) + np.einsum("cnk,nk->cn", dist, w))
            row_sums = w.sum(axis=1)
            den = 0.5 * (row_sums[start:stop, None] + row_sums[None, :])
        if np.any(den <= 0):
            raise ValueError("every pair needs a positive total weight")
        out[start:stop] = 1.0 - 2.0 * num / (den * denom_d)
    return out


def _level_indices(x: FloatArray, levels: Sequence[float] | ArrayLike) -> tuple[NDArray[np.intp], int]:
    """Map profile values to positions in ``levels`` (which must contain them)."""
    lv = np.asarray(levels, dtype=np.float64)
    if lv.ndim != 1 or lv.size == 0:
        raise ValueError("levels must be a non-empty 1-D sequence")
    if np.unique(lv).size != lv.size:
        raise ValueError("levels must be distinct")
    idx = np.full(x.shape, -1, dtype=np.intp)
    for pos, value in enumerate(lv):
        idx[x == value] = pos
    if np.any(idx < 0):
        bad = sorted(set(x[idx < 0].tolist()))
        raise ValueError(f"values {bad} are not among levels {lv.tolist()}")
    return idx, lv.size


def _agreement_table(x: ArrayLike, y: ArrayLike, levels: Sequence[float] | ArrayLike) -> FloatArray:
    """Joint proportions O[a, b] of (x level a, y level b)."""
    a, b = _profiles(x, y)
    ia, m = _level_indices(a, levels)
    ib, _ = _level_indices(b, levels)
    table = np.zeros((m, m), dtype=np.float64)
    np.add.at(table, (ia, ib), 1.0)
    return table / a.size


def cohens_kappa(
    x: ArrayLike,
    y: ArrayLike,
    *,
    levels: Sequence[float] | ArrayLike,
    weights: Literal["linear", "quadratic"] | None = None,
) -> float:
    """Cohen's (1960, 1968) kappa, optionally weighted, over ordered ``levels``.

    kappa = 1 - sum_ab v_ab O_ab / sum_ab v_ab E_ab, E_ab = O_a. O_.b,

    with disagreement weights v_ab = [a != b] (None), |a - b| ("linear") or
    (a - b)^2 ("quadratic"), a, b being *positions* in ``levels`` (the usual
    1/(m-1) scaling cancels). Chance agreement uses each profile's own
    marginals, as Häge (2011) recommends for foreign-policy profiles.
    If expected disagreement is zero (both profiles the same constant) the
    ratio is 0/0; agreement is then perfect and 1.0 is returned.
    """
    table = _agreement_table(x, y, levels)
    m = table.shape[0]
    i, j = np.indices((m, m))
    if weights is None:
        v = (i != j).astype(np.float64)
    elif weights == "linear":
        v = np.abs(i - j).astype(np.float64)
    elif weights == "quadratic":
        v = ((i - j) ** 2).astype(np.float64)
    else:
        raise ValueError(f"weights must be None, 'linear' or 'quadratic', got {weights!r}")
    expected = np.outer(table.sum(axis=1), table.sum(axis=0))
    e_dis = float((v * expected).sum())
    if e_dis == 0.0:
        return 1.0
    return float(1.0 - float((v * table).sum()) / e_dis)


def scotts_pi(x: ArrayLike, y: ArrayLike, *, levels: Sequence[float] | ArrayLike) -> float:
    """Scott's (1955) pi: nominal agreement corrected for pooled chance.

    pi = (P_o - P_e) / (1 - P_e), P_o = sum_a O_aa, P_e = sum_a p_a^2,
    p_a = (O_a. + O_.a) / 2 (both profiles share one marginal distribution).
    Returns 1.0 when P_e = 1 (both profiles the same constant).
    """
    table = _agreement_table(x, y, levels)
    p_obs = float(np.trace(table))
    pooled = 0.5 * (table.sum(axis=1) + table.sum(axis=0))
    p_exp = float(pooled @ pooled)
    if p_exp >= 1.0:
        return 1.0
    return (p_obs - p_exp) / (1.0 - p_exp)


def kendall_tau_b(x: ArrayLike, y: ArrayLike) -> float:
    """Kendall's (1945) tau-b with tie correction.

    tau_b = (n_c - n_d) / sqrt((n_0 - n_1)(n_0 - n_2)), n_0 = n(n-1)/2,
    n_1, n_2 the pairs tied in x, y. Computed as
    sum_{i<j} sgn(dx) sgn(dy) / sqrt(sum |sgn dx| * sum |sgn dy|), O(n^2).
    Returns NaN when either profile is constant (undefined, as in scipy).
    """
    a, b = _profiles(x, y)
    n = a.size
    num = 0.0
    untied_x = 0.0
    untied_y = 0.0
    # Blocks of rows keep the n x n sign matrices small for long profiles.
    block = max(1, 2_000_000 // max(1, n))
    for start in range(0, n, block):
        stop = min(n, start + block)
        sx = np.sign(a[start:stop, None] - a[None, :])
        sy = np.sign(b[start:stop, None] - b[None, :])
        num += float((sx * sy).sum())
        untied_x += float(np.abs(sx).sum())
        untied_y += float(np.abs(sy).sum())
    # Ordered pairs count every unordered pair twice; the factor cancels.
    if untied_x == 0.0 or untied_y == 0.0:
        return float("nan")
    return float(num / np.sqrt(untied_x * untied_y))
