"""Per-step measures of a world's alignment (docs/model.md, "Measures").

System: imbalanced-triad share, polarization λ1(W), distance to the tipping point alpha/alpha_c,
blocs, and the endurance index. Per state: isolation.
"""

from __future__ import annotations

import numpy as np

from alignsim.balance import factions, triad_census
from alignsim.dynamics import leading_eigenvalue, tipping_ratio


def rms(a: np.ndarray) -> float:
    return float(np.sqrt(np.mean(a * a)))


def endurance_index(relations: np.ndarray, baseline: np.ndarray, initial: np.ndarray) -> float:
    """How far W has moved toward what interests justify rather than staying where it began.

    E = d(W, W0) / (d(W, X0) + d(W, W0)), d the root-mean-square difference over pairs: 1 when W
    sits on the interest baseline X0, 0 when W still equals the initial relations W0 (and differs
    from X0). When W equals both, E = 1.
    """
    off = ~np.eye(len(relations), dtype=bool)
    to_base, to_start = rms((relations - baseline)[off]), rms((relations - initial)[off])
    total = to_base + to_start
    return 1.0 if total < 1e-12 else to_start / total


def isolation(relations: np.ndarray, capability: np.ndarray, friend_threshold: float) -> np.ndarray:
    """Per state: 1 - share of the others' capability it regards as friends (W_ij >= threshold)."""
    others = capability[None, :] * (1.0 - np.eye(len(capability)))
    friendly = (others * (relations >= friend_threshold)).sum(axis=1)
    return 1.0 - friendly / others.sum(axis=1)


def bloc_labels(relations: np.ndarray, capability: np.ndarray, codes: list[str]) -> list[str]:
    """Each state's bloc, named after the most capable member of its faction (leading eigenvector)."""
    sides = factions(relations, capability=capability)
    names = {}
    for side in set(sides.tolist()):
        members = np.flatnonzero(sides == side)
        names[side] = codes[int(members[np.argmax(capability[members])])]
    return [names[s] for s in sides.tolist()]


def system_metrics(relations: np.ndarray, baseline: np.ndarray, initial: np.ndarray, *, alpha: float, beta: float) -> dict[str, float]:
    return {
        "imbalanced_triad_share": triad_census(relations).imbalanced_share,
        "polarization": leading_eigenvalue(relations),
        "tipping_ratio": tipping_ratio(alpha, beta, baseline),
        "endurance": endurance_index(relations, baseline, initial),
    }
