"""Dyad-year panels of all states with data, for calibration (1950-1989) and the hindcast (1990-2018).

One :class:`YearData` per year t holds n x n matrices over the states in the COW state system in t that
voted in the UN General Assembly in t - 4 ... t: the tie status (+1 any ATOP commitment, -1 an active TSS
rivalry or a GML dispute in t, 0 neither or both), the ties themselves, disputes in the window, shared IGOs,
contiguity and the centred interest measures of :mod:`alignsim.world.affinity`. Everything is read from
the packaged tables in ``alignsim/data/real/``; nothing after t enters year t's features.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from alignsim.world.affinity import centred_measure
from alignsim.world.from_data import (
    Window,
    ideal_interests,
    in_system,
    interest_arrays,
    issue_interests,
    table,
    voters,
)
from alignsim.world.spec import interest_similarity

__all__ = ["TRAIN", "YearData", "cluster_weights", "weighted_auc", "year_data"]

TRAIN = (1950, 1989)
WINDOW = 5
ATOP_LAST, MID_LAST, IGO_LAST = 2018, 2010, 2014


@dataclass
class YearData:
    year: int
    codes: list[str]
    mats: dict[str, np.ndarray] = field(default_factory=dict)
    _measures: dict[str, np.ndarray] = field(default_factory=dict)

    def measure(self, name: str) -> np.ndarray:
        if name not in self._measures:
            self._measures[name] = _measure(name, self.codes, self.year)
        return self._measures[name]

    def on(self, codes: list[str], name: str) -> np.ndarray:
        """Matrix ``name`` (a tie matrix or a measure) over ``codes``; 0 for states absent this year."""
        m = self.mats[name] if name in self.mats else self.measure(name)
        index = {c: i for i, c in enumerate(self.codes)}
        at = np.array([index.get(c, -1) for c in codes], dtype=int)
        out = np.zeros((len(codes), len(codes)))
        ok = at >= 0
        out[np.ix_(ok, ok)] = m[np.ix_(at[ok], at[ok])]
        return out


def _measure(name: str, codes: list[str], year: int) -> np.ndarray:
    w = Window(year, WINDOW)
    if name == "issue_mean":
        u, s = interest_arrays(codes, issue_interests(w), ideal_interests(w))
        return interest_similarity(u, s)
    return centred_measure(name, codes, w.first, w.year)


def _mask(frame: pd.DataFrame, index: dict[str, int], n: int) -> np.ndarray:
    frame = frame[frame.a.isin(index) & frame.b.isin(index)]
    out = np.zeros((n, n))
    i, j = frame.a.map(index).to_numpy(int), frame.b.map(index).to_numpy(int)
    out[i, j] = out[j, i] = 1.0
    return out


@cache
def year_data(year: int) -> YearData:
    """The states with data in ``year`` and their tie matrices (see the module docstring)."""
    w = Window(year, WINDOW)
    codes = sorted(set(in_system(year)) & voters(w))
    index, n = {c: i for i, c in enumerate(codes)}, len(codes)
    atop = table("atop_alliances.csv.gz")
    now = atop[atop.year == min(year, ATOP_LAST)]
    pact = now[(now.atop_defense == 1) | (now.atop_offense == 1)]
    tss = table("rivalries_tss.csv")
    mids = table("gml_mids.csv.gz")
    igo = table("cow_igo.csv.gz")
    igo_now = igo[igo.year == min(year, IGO_LAST)]
    cont = table("cow_contiguity.csv")
    m = {
        "any_ally": _mask(now, index, n),
        "alliance": _mask(pact, index, n),
        "defense": _mask(now[now.atop_defense == 1], index, n),
        "rivalry": _mask(tss[(tss.start <= year) & (tss.end >= year)], index, n),
        "mid_year": _mask(mids[mids.year == year], index, n),
        "dispute": _mask(mids[(mids.year >= year - WINDOW + 1) & (mids.year <= year)], index, n),
        "contiguity": _mask(cont[(cont.start <= year) & (cont.end >= min(year, 2016))], index, n),
    }
    m["treaty"] = m["any_ally"] * (1 - m["alliance"])
    shared = np.zeros((n, n))
    sub = igo_now[igo_now.a.isin(index) & igo_now.b.isin(index)]
    i, j = sub.a.map(index).to_numpy(int), sub.b.map(index).to_numpy(int)
    top = float(igo_now.dyadigos.max()) if len(igo_now) else 1.0
    shared[i, j] = shared[j, i] = sub.dyadigos.to_numpy(float) / top
    m["igo"] = shared
    hostile = np.maximum(m["rivalry"], m["mid_year"])
    m["status"] = m["any_ally"] * (1 - hostile) - hostile * (1 - m["any_ally"])
    return YearData(year, codes, m)


# ------------------------------------------------------------------------------ clustered scoring
def cluster_weights(a: np.ndarray, b: np.ndarray, states: list[str], rng: np.random.Generator) -> np.ndarray:
    """Weights of dyads (state indices a, b into ``states``) in one bootstrap resample of states."""
    draw = np.bincount(rng.integers(0, len(states), len(states)), minlength=len(states)).astype(float)
    return draw[a] * draw[b]


def weighted_auc(positive: np.ndarray, score: np.ndarray, weight: np.ndarray | None = None) -> float:
    """P(a random positive outranks a random negative), ties half, with case weights; NaN without both."""
    pos = positive.astype(bool)
    w = np.ones(len(score)) if weight is None else weight
    wp, wn = float(w[pos].sum()), float(w[~pos].sum())
    if wp <= 0 or wn <= 0:
        return float("nan")
    if weight is None:
        ranks = rankdata(score)
        n1 = int(pos.sum())
        return float((ranks[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * int((~pos).sum())))
    values, inverse = np.unique(score, return_inverse=True)
    neg_at = np.bincount(inverse, weights=w * ~pos, minlength=len(values))
    pos_at = np.bincount(inverse, weights=w * pos, minlength=len(values))
    below = np.cumsum(neg_at) - neg_at
    return float((pos_at * (below + neg_at / 2)).sum() / (wp * wn))
