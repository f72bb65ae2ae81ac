"""The relation dynamics in plain numpy (no Mesa): one monthly step of W.

    dW/dt = -beta (W - X0) + L tanh(alpha B(W) / L) + impulses + noise

after Morrison, Kutz & Gabbay (2023, Network Science): the restoring term pulls relations toward
what interests justify (X0); the saturating balance force B(W) is W W^T (Traag, Van Dooren &
De Leenheer 2013) by default or W^2 (Marvel, Kleinberg, Kleinberg & Strogatz 2011). One explicit
Euler step per month, then relations are clipped to [-1, 1] with a zero diagonal. Noise enters as
``noise * sqrt(dt) * N(0, 1)`` per directed pair, drawn from the Generator passed in.

Stacks. :func:`balance_force`, :func:`drift` and :func:`step_relations` take one N x N matrix or a
stack R x N x N of them (the replicates of a batch, :mod:`alignsim.model.batch`), each matrix of a
stack computed exactly as alone: the products are one BLAS call per matrix either way and the rest
is elementwise, so a batched replicate moves bit for bit as its unbatched run (tests/test_batch.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np

if TYPE_CHECKING:
    from alignsim.world.params import Params

Kernel = Literal["traag", "marvel"]


def balance_force(relations: np.ndarray, kernel: Kernel = "traag") -> np.ndarray:
    """B(W) with a zero diagonal.

    ``traag``: B = W W^T, so B_ij = sum_k W_ik W_jk -- i warms to j when they regard third states
    alike ("I cool toward those who like my enemies"). ``marvel``: B = W^2, B_ij = sum_k W_ik W_kj --
    i takes the view of j held by the states i likes.
    """
    w = relations
    b = w @ np.swapaxes(w, -1, -2) if kernel == "traag" else w @ w
    zero_diagonal(b)
    return b


def zero_diagonal(matrices: np.ndarray) -> None:
    """Set the diagonal of a matrix, or of every matrix of a stack, to zero (in place)."""
    idx = np.arange(matrices.shape[-1])
    matrices[..., idx, idx] = 0.0


def drift(
    relations: np.ndarray,
    baseline: np.ndarray,
    *,
    beta: float,
    alpha: float,
    saturation: float,
    kernel: Kernel = "traag",
) -> np.ndarray:
    """The deterministic right-hand side -beta (W - X0) + L tanh(alpha B(W) / L)."""
    # In place on two arrays (at N = 500 the temporaries of the plain expression cost half as much
    # as the product); each operation is the plain expression's, in its order: the same numbers.
    force = balance_force(relations, kernel)
    np.multiply(force, alpha, out=force)
    np.divide(force, saturation, out=force)
    np.tanh(force, out=force)
    np.multiply(force, saturation, out=force)
    restoring = np.subtract(relations, baseline)
    np.multiply(restoring, -beta, out=restoring)
    return np.add(restoring, force, out=restoring)


def month_step(
    params: Params, relations: np.ndarray, baseline: np.ndarray, impulses: np.ndarray, shocks: np.ndarray
) -> np.ndarray:
    """:func:`step_relations` with a scenario's parameters and the month's standard normals: the one
    call of the model's step and of a batch's (one matrix or a stack)."""
    p = params
    return step_relations(
        relations,
        baseline,
        impulses,
        beta=p.beta,
        alpha=p.alpha,
        saturation=p.saturation,
        noise=p.noise,
        kernel=p.balance_kernel,
        shocks=shocks,
    )


def step_relations(
    relations: np.ndarray,
    baseline: np.ndarray,
    impulses: np.ndarray,
    *,
    beta: float,
    alpha: float,
    saturation: float,
    noise: float,
    kernel: Kernel,
    rng: np.random.Generator | None = None,
    shocks: np.ndarray | None = None,
    dt: float = 1.0,
) -> np.ndarray:
    """One Euler step of the relation dynamics; returns the new matrix (input untouched). All the
    arrays may be R x N x N stacks (one step of every replicate of a batch).

    ``impulses`` are the summed event impulses of the step, added once (they are jumps, not rates).
    The noise is ``shocks`` (N x N standard normals) or, without them, drawn from ``rng`` for every
    entry, diagonal included, so that the number of draws per step is fixed at N*N whatever happens.
    """
    if shocks is None:
        if rng is None:
            raise ValueError("step_relations needs rng or shocks")
        shocks = rng.standard_normal(relations.shape)
    # relations + dt drift + (impulses + noise sqrt(dt) shocks), in place, operation by operation
    new = drift(relations, baseline, beta=beta, alpha=alpha, saturation=saturation, kernel=kernel)
    np.multiply(new, dt, out=new)
    np.add(relations, new, out=new)
    jumps = np.multiply(shocks, noise * np.sqrt(dt))
    np.add(impulses, jumps, out=jumps)
    np.add(new, jumps, out=new)
    np.clip(new, -1.0, 1.0, out=new)
    zero_diagonal(new)
    return new


def hold_at_war(new: np.ndarray, old: np.ndarray, waging: np.ndarray, friend_threshold: float) -> np.ndarray:
    """Hostile acts of an ongoing war keep relations from warming while they last: in a month in
    which state a committed a coercive act (``waging[a]``), the relation toward it of every state
    that is not its friend (W_ia < friend_threshold) does not rise -- min(new, old) in column a."""
    if not waging.any():
        return new
    hold = np.zeros_like(new, dtype=bool)
    hold[:, waging] = old[:, waging] < friend_threshold
    np.fill_diagonal(hold, False)
    return np.where(hold, np.minimum(new, old), new)


def steady_state(
    relations: np.ndarray,
    baseline: np.ndarray,
    *,
    beta: float,
    alpha: float,
    saturation: float,
    kernel: Kernel,
    tol: float = 1e-10,
    max_steps: int = 6000,
) -> tuple[np.ndarray, int]:
    """The spin-up: the noise-free, shock-free monthly map iterated from ``relations`` until no
    relation moves by more than ``tol`` (or ``max_steps`` months). Returns (W*, months taken).

    W* solves W = clip(W - beta (W - X0) + L tanh(alpha B(W) / L), -1, 1): the steady state of the
    basin the given relations lie in (Morrison et al. 2023 -- below the tipping point, the peaceful
    branch near X0; above it, the polarized one)."""
    w = relations.copy()
    for months in range(1, max_steps + 1):
        new = w + drift(w, baseline, beta=beta, alpha=alpha, saturation=saturation, kernel=kernel)
        np.clip(new, -1.0, 1.0, out=new)
        np.fill_diagonal(new, 0.0)
        moved = float(np.max(np.abs(new - w))) if w.size else 0.0
        w = new
        if moved < tol:
            return w, months
    return w, max_steps


def far_from(
    relations: np.ndarray, steady: np.ndarray, codes: list[str], threshold: float
) -> list[tuple[str, str, float, float]]:
    """Directed pairs whose relation lies at least ``threshold`` from the steady state: (i, j, W_ij, W*_ij),
    farthest first."""
    gap = np.abs(relations - steady)
    i, j = np.nonzero(gap >= threshold)
    order = np.argsort(-gap[i, j], kind="stable")
    return [
        (codes[a], codes[b], float(relations[a, b]), float(steady[a, b]))
        for a, b in zip(i[order], j[order], strict=True)
    ]


def others_total(x: np.ndarray) -> np.ndarray:
    """sum_{j != i} x_j for each i, as sum - x_i; inf where that vanishes (one state holds the whole
    total to float precision), so that a share over the others is 0 there instead of a division by zero."""
    others = x.sum() - x
    return np.where(others > 0, others, np.inf)
