r"""Closed forms, equilibria and a reference integrator for balance dynamics.

The relation matrix :math:`X(t)` (``N x N``) follows

.. math::  \dot X = -\beta\,(X - X_0) + L \tanh\!\big(\alpha\,B(X)/L\big)
   \qquad\text{(tanh element-wise)},

the signed-network model of Morrison, Kutz & Gabbay (2023, *Network Science*,
"Transitions between peace and systemic war as bifurcations in a signed network
dynamical system"): :math:`-\beta(X-X_0)` pulls each dyad back to its
interest-based baseline :math:`X_0`, and the balance force
:math:`\alpha B(X)` pushes towards structural balance, with

* ``kernel="marvel"``: :math:`B(X) = X X` (Kułakowski et al. 2005; Marvel,
  Kleinberg, Kleinberg & Strogatz 2011, PNAS 108, 1771-1776),
* ``kernel="traag"``:  :math:`B(X) = X X^\top` (Traag, Van Dooren & De Leenheer
  2013, PLoS ONE 8, e60063), which differs only for directed ``X``.

``L`` bounds the balance force to :math:`(-L, L)` per dyad; ``L=None`` is the
unsaturated limit :math:`L\to\infty`, :math:`L\tanh(\alpha B/L) \to \alpha B`.

Leading-mode reduction
----------------------
For symmetric :math:`X_0 = \sum_k \lambda_k v_k v_k^\top` and the unsaturated
model started from :math:`X = X_0`, :math:`X(t)` stays a polynomial in
:math:`X_0`, so every mode evolves on its own:

.. math::  \dot x_k = -\beta(x_k - \lambda_k) + \alpha x_k^2 .

The leading mode :math:`\lambda_1` is the first to lose its equilibrium:
:math:`\alpha x^2 - \beta x + \beta\lambda_1 = 0` has a real root iff
:math:`\beta^2 \ge 4\alpha\beta\lambda_1`, i.e. :math:`\alpha < \alpha_c = \beta/(4\lambda_1)`.
With saturation, Morrison et al. reduce to the scalar equation

.. math::  \dot x = -\beta(x - \lambda_0) + L\tanh(\alpha x^2 / L)

(a leading-mode approximation, because tanh acts element-wise), which has a low
"peace" root, a high "war" root near :math:`\lambda_0 + L/\beta` and an unstable
root between them, and so bistability and hysteresis.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq

from alignsim.measures.balance import polarization

__all__ = [
    "alpha_critical",
    "eigen_equilibria",
    "integrate",
    "marvel_blowup_time",
    "marvel_closed_form",
    "peace_branch_upper_alpha",
    "relation_rhs",
    "war_branch_lower_alpha",
]

Kernel = Literal["marvel", "traag"]
Stability = Literal["stable", "unstable"]


def _as_square(X: ArrayLike, name: str) -> NDArray[np.float64]:
    A = np.asarray(X, dtype=float)
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError(f"{name} must be square N x N, got shape {A.shape}")
    return A


# ---------------------------------------------------------------------------
# Marvel et al. (2011): dX/dt = X X
# ---------------------------------------------------------------------------


def marvel_blowup_time(X0: ArrayLike) -> float:
    r"""Time at which the solution of :math:`\dot X = X X` from ``X0`` diverges.

    From :math:`X(t) = X_0 (I - tX_0)^{-1}`, the blow-up is the first :math:`t > 0`
    at which :math:`I - tX_0` is singular, i.e. :math:`t^* = 1/\mu` for the largest
    *real* positive eigenvalue :math:`\mu` of ``X0`` (complex eigenvalues never
    make :math:`I - tX_0` singular for real ``t``).  For symmetric ``X0`` this is
    :math:`1/\lambda_1` (Marvel et al. 2011, Eq. 3).  Returns ``inf`` when ``X0``
    has no positive real eigenvalue.

    Note that for a *directed* ``X0`` the relevant :math:`\mu` is an eigenvalue of
    ``X0`` itself, not of its symmetric part: the Marvel equation does not
    symmetrise.
    """
    A = _as_square(X0, "X0")
    if A.shape[0] == 0:
        return math.inf
    if np.array_equal(A, A.T):  # exact symmetry: use the symmetric solver
        lam = np.linalg.eigvalsh(A)
    else:
        ev = np.linalg.eigvals(A)
        # Tolerance relative to the spectral scale: round-off gives real
        # eigenvalues of a real matrix imaginary parts of order 1e-16 * ||A||.
        scale = max(float(np.max(np.abs(ev))), 1.0)
        lam = ev.real[np.abs(ev.imag) <= 1e-10 * scale]
    positive = lam[lam > 0]
    return math.inf if positive.size == 0 else float(1.0 / positive.max())


def marvel_closed_form(X0: ArrayLike, t: float) -> NDArray[np.float64]:
    r"""Exact solution of :math:`\dot X = X X`, :math:`X(0) = X_0` (Marvel et al. 2011).

    .. math::  X(t) = X_0\,(I - tX_0)^{-1} = (I - tX_0)^{-1} X_0,

    since :math:`\frac{d}{dt}(I-tX_0)^{-1} = (I-tX_0)^{-1}X_0(I-tX_0)^{-1}` and
    :math:`X_0` commutes with :math:`(I-tX_0)^{-1}`.  In the eigenbasis every
    eigenvalue evolves as :math:`\lambda/(1-t\lambda)`, so the solution exists for
    :math:`0 \le t < 1/\lambda_1` (:func:`marvel_blowup_time`).  Computed with a
    linear solve rather than an explicit inverse for accuracy near :math:`t^*`.

    Raises
    ------
    ValueError
        If ``t`` is negative or at/after the blow-up time.
    """
    A = _as_square(X0, "X0")
    if t < 0:
        raise ValueError("t must be non-negative")
    if t >= marvel_blowup_time(A):
        raise ValueError(f"t={t} is at or beyond the blow-up time {marvel_blowup_time(A)}")
    n = A.shape[0]
    return np.linalg.solve(np.eye(n) - t * A, A)


# ---------------------------------------------------------------------------
# Tipping point and scalar equilibria (Morrison, Kutz & Gabbay 2023)
# ---------------------------------------------------------------------------


def alpha_critical(X0: ArrayLike, beta: float) -> float:
    r"""Unsaturated peace-to-war tipping point :math:`\alpha_c = \beta / (4\lambda_1)`.

    :math:`\lambda_1` is the leading eigenvalue of :math:`(X_0 + X_0^\top)/2`.
    For the leading mode, :math:`0 = -\beta(x-\lambda_1) + \alpha x^2` has a real
    (peaceful) root iff :math:`\beta^2 - 4\alpha\beta\lambda_1 \ge 0`, so a
    peaceful equilibrium exists only for :math:`\alpha < \alpha_c`; above it the
    leading mode, and with it the relations, diverge in finite time.  This is
    exact for symmetric ``X0`` (modes decouple, see module docstring); for a
    directed ``X0`` the symmetrised :math:`\lambda_1` is the convention used here.
    Returns ``inf`` when :math:`\lambda_1 \le 0` (no tipping point).
    """
    if beta < 0:
        raise ValueError("beta must be non-negative")
    lam1 = polarization(_as_square(X0, "X0"))
    return math.inf if lam1 <= 0 else beta / (4.0 * lam1)


@lru_cache(maxsize=1)
def _u_star() -> float:
    r"""Root of :math:`4u\tanh u = 1` (:math:`u^* \approx 0.5218`).

    With :math:`u = \alpha x^2/L`, :math:`\frac{d}{dx}\big[2\alpha x\,\mathrm{sech}^2 u\big]
    = 2\alpha\,\mathrm{sech}^2 u\,(1 - 4u\tanh u)`, so :math:`u^*` is where the
    slope of the saturated balance force is extremal; it splits the peace fold
    (:math:`u < u^*`) from the war fold (:math:`u > u^*`).
    """
    return float(brentq(lambda u: 4.0 * u * math.tanh(u) - 1.0, 1e-6, 2.0, xtol=1e-15))


def _fold_h(u: float) -> float:
    r""":math:`h(u) = 2u\,\mathrm{sech}^2 u - \tanh u`; folds satisfy :math:`L h(u) = \beta\lambda_0`."""
    return 2.0 * u / math.cosh(u) ** 2 - math.tanh(u)


def _quadratic_equilibria(lam0: float, alpha: float, beta: float) -> list[tuple[float, Stability]]:
    r"""Real roots of :math:`\alpha x^2 - \beta x + \beta\lambda_0 = 0` with stability.

    Uses the cancellation-free form :math:`q = -\tfrac12(b + \operatorname{sign}(b)\sqrt D)`,
    roots :math:`q/a` and :math:`c/q` (Press et al., *Numerical Recipes* §5.6).
    A root is stable when :math:`f'(x) = 2\alpha x - \beta < 0`; a double root
    (:math:`D = 0`, the fold itself) is semi-stable and reported "unstable".
    """
    a, b, c = alpha, -beta, beta * lam0
    if a == 0.0:
        if b == 0.0:
            raise ValueError("alpha = beta = 0: every x is an equilibrium")
        roots = [-c / b]
    elif c == 0.0:
        roots = sorted({0.0, -b / a})
    else:
        D = b * b - 4.0 * a * c
        if D < 0:
            return []  # no equilibrium: the leading mode blows up
        q = -0.5 * (b + math.copysign(math.sqrt(D), b))
        roots = sorted({q / a, c / q})
    out: list[tuple[float, Stability]] = []
    for x in roots:
        slope = 2.0 * a * x + b
        out.append((float(x), "stable" if slope < 0 else "unstable"))
    return out


def _saturated_equilibria(lam0: float, alpha: float, beta: float, L: float) -> list[tuple[float, Stability]]:
    r"""All real roots of :math:`f(x) = -\beta(x-\lambda_0) + L\tanh(\alpha x^2/L)`.

    Robust by construction rather than by grid density:

    1. every root satisfies :math:`x = \lambda_0 + (L/\beta)\tanh(\cdot)`, so all
       lie in the open interval :math:`\lambda_0 \pm L/|\beta|`; a 1 % pad makes
       ``f`` strictly signed at the ends even when tanh rounds to 1;
    2. :math:`f'(x) = -\beta + 2\alpha x\,\mathrm{sech}^2(\alpha x^2/L)` is monotone
       between the points :math:`x = \pm\sqrt{u^* L/|\alpha|}` (see :func:`_u_star`),
       so each such piece holds at most one critical point of ``f``, found by
       ``brentq``;
    3. ``f`` is monotone between consecutive critical points, so each piece holds
       at most one root, found by ``brentq`` on a sign change; a critical point
       where ``f`` vanishes (to round-off) is a double root (a fold).
    """
    if beta == 0.0:
        if alpha == 0.0:
            raise ValueError("alpha = beta = 0: every x is an equilibrium")
        return [(0.0, "unstable")]  # f = L tanh(alpha x^2/L) >= 0: semi-stable at 0
    if alpha == 0.0:
        return [(float(lam0), "stable" if beta > 0 else "unstable")]

    def f(x: float) -> float:
        return -beta * (x - lam0) + L * math.tanh(alpha * x * x / L)

    def fp(x: float) -> float:
        return -beta + 2.0 * alpha * x / math.cosh(alpha * x * x / L) ** 2

    half = L / abs(beta)
    lo, hi = lam0 - 1.01 * half, lam0 + 1.01 * half
    xe = math.sqrt(_u_star() * L / abs(alpha))
    knots = [lo] + [k for k in (-xe, xe) if lo < k < hi] + [hi]

    crit: list[float] = []
    for a, b in zip(knots[:-1], knots[1:], strict=True):
        fa, fb = fp(a), fp(b)
        if fa == 0.0:
            crit.append(a)
        elif fa * fb < 0:
            crit.append(float(brentq(fp, a, b, xtol=1e-14, rtol=4 * np.finfo(float).eps)))
    crit = sorted(c for c in set(crit) if lo < c < hi)

    # Round-off floor for "f(c) == 0" at a critical point: the size of the
    # terms being cancelled times a few ulps.
    tol = 64 * np.finfo(float).eps * (abs(beta) * (abs(lam0) + 2 * half) + abs(L))
    roots: list[tuple[float, Stability]] = []
    edges = [lo, *crit, hi]
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        fa, fb = f(a), f(b)
        if fa * fb < 0:
            x = float(brentq(f, a, b, xtol=1e-14, rtol=4 * np.finfo(float).eps))
            roots.append((x, "stable" if fp(x) < 0 else "unstable"))
    for c in crit:
        if abs(f(c)) <= tol and all(abs(c - x) > 1e-9 * max(1.0, abs(c)) for x, _ in roots):
            roots.append((float(c), "unstable"))  # tangency: semi-stable fold point
    return sorted(roots)


def eigen_equilibria(lam0: float, alpha: float, beta: float, L: float | None = None) -> list[tuple[float, Stability]]:
    r"""Equilibria of the leading-mode equation and their stability.

    .. math::  0 = f(x) = -\beta(x - \lambda_0) + L\tanh(\alpha x^2/L)
       \qquad (\text{or } -\beta(x-\lambda_0) + \alpha x^2 \text{ when } L = \text{None}),

    the reduction :math:`X = x\,v v^\top` of the matrix dynamics onto the leading
    eigenvector of :math:`X_0` (eigenvalue :math:`\lambda_0`), Morrison, Kutz &
    Gabbay (2023).  An equilibrium is ``"stable"`` when :math:`f'(x) < 0` and
    ``"unstable"`` otherwise (a double root at a fold is semi-stable, hence not
    stable).  Their example, :math:`\alpha=0.08, \beta=0.5, L=6`, gives
    1.25 (peace, stable), 5.31 (unstable), 12.67 (war, stable) for
    :math:`\lambda_0 = 1` and only 13.40 (war) for :math:`\lambda_0 = 1.6`.

    Returns
    -------
    list of (x, stability)
        Sorted by ``x``; empty in the unsaturated case above :math:`\alpha_c`
        (the mode blows up).
    """
    if L is None:
        return _quadratic_equilibria(float(lam0), float(alpha), float(beta))
    if L <= 0:
        raise ValueError("L must be positive (or None for the unsaturated model)")
    return _saturated_equilibria(float(lam0), float(alpha), float(beta), float(L))


def _folds(lam0: float, beta: float, L: float) -> tuple[float | None, float | None]:
    r"""Saddle-node folds :math:`(\alpha_\text{peace}, \alpha_\text{war})` of the saturated mode.

    At a fold :math:`f = f' = 0`.  With :math:`u = \alpha x^2/L`, :math:`f' = 0`
    gives :math:`\beta x = 2uL\,\mathrm{sech}^2 u` and then :math:`f = 0` gives

    .. math::  L\,h(u) = \beta\lambda_0, \qquad h(u) = 2u\,\mathrm{sech}^2u - \tanh u,

    after which :math:`x = 2uL\,\mathrm{sech}^2u/\beta`, :math:`\alpha = uL/x^2`.
    ``h`` rises from 0 to its maximum at :math:`u^*` and then falls to -1.  Since
    :math:`f'' = 2\alpha\,\mathrm{sech}^2u\,(1-4u\tanh u)`, the root with
    :math:`u<u^*` is a local minimum of ``f`` touching 0, where the stable peace
    root merges with the unstable one (the peace-to-war tipping point), and the
    root with :math:`u>u^*` is a local maximum, where the war root merges with the
    unstable one (the war-to-peace point).  ``None`` where a fold does not exist.
    """
    if beta <= 0:
        raise ValueError("beta must be positive")
    if L <= 0:
        raise ValueError("L must be positive")
    target = beta * lam0 / L
    us = _u_star()
    hmax = _fold_h(us)
    if not target < hmax:
        return None, None  # single equilibrium for every alpha: no bistability

    def alpha_at(u: float) -> float:
        x = 2.0 * u * L / math.cosh(u) ** 2 / beta
        return u * L / (x * x)

    def g(u: float) -> float:
        return _fold_h(u) - target

    peace: float | None = None
    if target > 0:
        peace = alpha_at(brentq(g, 1e-300, us, xtol=1e-15, rtol=4 * np.finfo(float).eps))
    war: float | None = None
    if target > -1.0:
        u_hi = 2.0 * us
        while g(u_hi) > 0:  # h -> -1 monotonically beyond u*, so this terminates
            u_hi *= 2.0
        war = alpha_at(brentq(g, us, u_hi, xtol=1e-15, rtol=4 * np.finfo(float).eps))
    return peace, war


def war_branch_lower_alpha(lam0: float, beta: float, L: float) -> float:
    r"""Smallest :math:`\alpha` at which the saturated war equilibrium still exists.

    The war branch (the high stable root) persists for every :math:`\alpha` above
    this lower fold; below it, only peace remains.  Together with the peace fold
    (:func:`peace_branch_upper_alpha`) it bounds the bistable, hysteretic window:
    once at war, :math:`\alpha` must be lowered below this value, not just below
    the peace-to-war threshold, to return to peace (Morrison, Kutz & Gabbay 2023).
    Example: :math:`\lambda_0=1.6, \beta=0.5, L=6` gives :math:`\approx 0.0519`.
    See :func:`_folds` for the derivation.  Returns ``nan`` when there is no fold
    (:math:`\beta\lambda_0/L \ge \max h` or :math:`\le -1`): the equilibrium then
    moves continuously with :math:`\alpha` and no separate war branch exists.
    """
    _, war = _folds(float(lam0), float(beta), float(L))
    return math.nan if war is None else war


def peace_branch_upper_alpha(lam0: float, beta: float, L: float | None = None) -> float:
    r"""Largest :math:`\alpha` at which the peaceful (low) equilibrium exists.

    Unsaturated (``L=None``): :math:`\beta/(4\lambda_0)`, as in :func:`alpha_critical`.
    Saturated: the fold with :math:`u < u^*` of :func:`_folds`.  ``inf`` when the
    peace root never disappears (:math:`\lambda_0 \le 0`), ``nan`` when there is no
    fold at all (no bistability).
    """
    if L is None:
        if beta < 0:
            raise ValueError("beta must be non-negative")
        return math.inf if lam0 <= 0 else beta / (4.0 * lam0)
    peace, _ = _folds(float(lam0), float(beta), float(L))
    if peace is None:
        # lam0 <= 0: f(0) = beta*lam0 <= 0 < f(lam0), so a low root always exists.
        return math.inf if lam0 <= 0 else math.nan
    return peace


# ---------------------------------------------------------------------------
# Reference integrator
# ---------------------------------------------------------------------------


def relation_rhs(
    X: NDArray[np.float64],
    X0_baseline: NDArray[np.float64],
    alpha: float,
    beta: float,
    L: float | None = None,
    kernel: Kernel = "marvel",
) -> NDArray[np.float64]:
    r"""Right-hand side :math:`-\beta(X-X_0) + L\tanh(\alpha B(X)/L)` (module docstring)."""
    if kernel == "marvel":
        B = X @ X
    elif kernel == "traag":
        B = X @ X.T
    else:
        raise ValueError(f"kernel must be 'marvel' or 'traag', got {kernel!r}")
    force = alpha * B if L is None else L * np.tanh(alpha * B / L)
    return -beta * (X - X0_baseline) + force


def integrate(
    X0_baseline: ArrayLike,
    X_init: ArrayLike,
    alpha: float,
    beta: float,
    L: float | None = None,
    kernel: Kernel = "marvel",
    dt: float = 0.01,
    steps: int = 1000,
    *,
    method: Literal["rk4", "euler"] = "rk4",
    max_abs: float | None = None,
    return_path: bool = False,
) -> NDArray[np.float64]:
    r"""Integrate the matrix ODE with fixed-step RK4 (default) or explicit Euler.

    A deliberately plain reference integrator for tests: no clipping, no
    symmetrisation, no adaptive step, so whatever it returns is the model and the
    scheme, nothing else.  RK4 has global error :math:`O(dt^4)`, Euler :math:`O(dt)`.

    Parameters
    ----------
    X0_baseline : array_like (N, N)
        Interest baseline :math:`X_0` the relations are anchored to (irrelevant
        when ``beta == 0``).
    X_init : array_like (N, N)
        State at :math:`t = 0`.
    alpha, beta, L, kernel
        Model parameters; ``L=None`` is the unsaturated model.
    dt, steps
        Step size and number of steps (final time ``dt * steps``).
    method
        ``"rk4"`` or ``"euler"``.
    max_abs
        If given, stop early after the first step at which any
        :math:`|X_{ij}| >` ``max_abs``: a way to run "until the entries grow large"
        without overflowing.  Integration also stops at the first non-finite
        state (a blow-up passed within one step), which is returned as is.
    return_path
        Return the whole path, shape ``(k + 1, N, N)`` with ``k <= steps`` the
        number of steps taken (time ``dt * k``), instead of the final state.
    """
    X0b = _as_square(X0_baseline, "X0_baseline")
    X = _as_square(X_init, "X_init").copy()
    _check_integration(X0b, X, dt, steps, method, kernel)

    def rhs(Y: NDArray[np.float64]) -> NDArray[np.float64]:
        return relation_rhs(Y, X0b, alpha, beta, L, kernel)

    return _march(X, _scheme(rhs, dt, method), steps, max_abs=max_abs, return_path=return_path)


def _check_integration(
    X0b: NDArray[np.float64], X: NDArray[np.float64], dt: float, steps: int, method: str, kernel: str
) -> None:
    """Refuse mismatched shapes, a step that is not positive, negative steps, an unknown method or kernel."""
    if X.shape != X0b.shape:
        raise ValueError("X0_baseline and X_init must have the same shape")
    if dt <= 0 or steps < 0:
        raise ValueError("dt must be positive and steps non-negative")
    if method not in ("rk4", "euler"):
        raise ValueError(f"method must be 'rk4' or 'euler', got {method!r}")
    if kernel not in ("marvel", "traag"):
        raise ValueError(f"kernel must be 'marvel' or 'traag', got {kernel!r}")


def _scheme(
    rhs: Callable[[NDArray[np.float64]], NDArray[np.float64]], dt: float, method: str
) -> Callable[[NDArray[np.float64]], NDArray[np.float64]]:
    """One step of size ``dt`` of explicit Euler or classical RK4 for Y' = rhs(Y)."""
    step: Callable[[NDArray[np.float64]], NDArray[np.float64]]
    if method == "euler":

        def step(Y: NDArray[np.float64]) -> NDArray[np.float64]:
            return Y + dt * rhs(Y)

    else:

        def step(Y: NDArray[np.float64]) -> NDArray[np.float64]:
            k1 = rhs(Y)
            k2 = rhs(Y + 0.5 * dt * k1)
            k3 = rhs(Y + 0.5 * dt * k2)
            k4 = rhs(Y + dt * k3)
            return Y + (dt / 6.0) * (k1 + 2.0 * k2 + 2.0 * k3 + k4)

    return step


def _march(
    X: NDArray[np.float64],
    step: Callable[[NDArray[np.float64]], NDArray[np.float64]],
    steps: int,
    *,
    max_abs: float | None,
    return_path: bool,
) -> NDArray[np.float64]:
    """Take up to ``steps`` steps from ``X``, stopping after a non-finite state or one beyond
    ``max_abs``; the last state, or the path (initial state first)."""
    path = [X.copy()] if return_path else []
    # Overflow is an expected outcome past a blow-up; it is detected and
    # reported through the returned state, so numpy's warnings add nothing.
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            X = step(X)
            if return_path:
                path.append(X.copy())
            if not np.all(np.isfinite(X)):
                break
            if max_abs is not None and float(np.max(np.abs(X))) > max_abs:
                break
    return np.stack(path) if return_path else X
