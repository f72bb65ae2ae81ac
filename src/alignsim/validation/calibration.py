"""Calibration on 1950-1989 (docs/validation.md, "Calibration on 1950–1989"): which interest measure, the
X0 weights and the time scales, each fitted on training dyad-years only, with state-clustered intervals.

C1 :func:`measure_tests`, C2 :func:`fit_weights`, C3 :func:`time_scales` (and the balance fraction, fitted by
running the model in :mod:`alignsim.validation.dynamics`). Nothing here reads a year after 1989 as a feature
or after 1999 as an outcome of a training row, except :func:`measure_tests` when asked for test years.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from lifelines import KaplanMeierFitter

from alignsim.validation.panel import TRAIN, cluster_weights, weighted_auc, year_data
from alignsim.world.affinity import MEASURES, agreement
from alignsim.world.from_data import table

__all__ = [
    "FEATURES",
    "PREFERENCE",
    "choose_measure",
    "dyad_frame",
    "fit_weights",
    "measure_tests",
    "time_scales",
]

PREFERENCE = ("kappa", "pi", "ideal", "kappa_issues", "issue_mean")  # simpler first (docs/validation.md C1)
FEATURES = ("interest", "alliance", "treaty", "rivalry", "dispute", "igo", "contiguity")
PARAM_OF = {
    "interest": "interest_weight",
    "alliance": "tie_alliance",
    "treaty": "tie_treaty",
    "rivalry": "tie_rivalry",
    "intercept": "tie_diplomatic",
}


def dyad_frame(year: int, measures: Sequence[str], ahead: int = 5) -> pd.DataFrame:
    """One row per pair of states with data in ``year``: ties and measures at t, status and ties at t + ahead."""
    now = year_data(year)
    codes = now.codes
    i, j = np.triu_indices(len(codes), 1)
    out: dict[str, np.ndarray] = {"a": i, "b": j}
    for name in ("status", "any_ally", "alliance", "treaty", "defense", "rivalry", "dispute", "igo", "contiguity"):
        out[name] = now.mats[name][i, j]
    for m in measures:
        out[m] = now.measure(m)[i, j]
    later = year_data(year + ahead)
    for name in ("status", "any_ally", "rivalry", "mid_year"):
        out[f"{name}_later"] = later.on(codes, name)[i, j]
    present = np.isin(codes, later.codes)
    out["both_later"] = (present[i] & present[j]).astype(float)
    frame = pd.DataFrame(out)
    frame.attrs["codes"] = codes
    return frame.assign(year=year)


def _tests(frame: pd.DataFrame, measure: str, w: np.ndarray | None) -> dict[str, float]:
    pacts = (frame.defense == 1) & (frame.rivalry == 0)
    rivals = (frame.rivalry == 1) & (frame.defense == 0)
    sel = (pacts | rivals).to_numpy()
    untied = ((frame.any_ally == 0) & (frame.both_later == 1)).to_numpy()
    allied = ((frame.any_ally == 1) & (frame.both_later == 1)).to_numpy()
    s = frame[measure].to_numpy()
    later = frame.any_ally_later.to_numpy()

    def sub(mask: np.ndarray, y: np.ndarray) -> float:
        return weighted_auc(y[mask], s[mask], None if w is None else w[mask])

    return {
        "pacts vs rivals": sub(sel, pacts.to_numpy()),
        "formation": sub(untied, later),
        "survival": sub(allied, later),
    }


def _stacked(years: Sequence[int], measures: Sequence[str]) -> tuple[pd.DataFrame, list[str]]:
    """Dyad-years of ``years`` with state codes in one index (for clustering across years)."""
    frames = []
    for y in years:
        f = dyad_frame(y, measures)
        codes = f.attrs["codes"]
        frames.append(f.assign(a=[codes[k] for k in f.a], b=[codes[k] for k in f.b]))
    frame = pd.concat(frames, ignore_index=True)
    states = sorted(set(frame.a) | set(frame.b))
    index = {c: k for k, c in enumerate(states)}
    return frame.assign(ia=frame.a.map(index), ib=frame.b.map(index)), states


def measure_tests(
    years: Sequence[int], measures: Sequence[str] = MEASURES, *, seed: int = 0, resamples: int = 200
) -> pd.DataFrame:
    """C1: per measure and test, the AUC on ``years`` with a state-clustered 95% interval."""
    frame, states = _stacked(years, measures)
    rng = np.random.default_rng(seed)
    weights = [cluster_weights(frame.ia.to_numpy(), frame.ib.to_numpy(), states, rng) for _ in range(resamples)]
    rows = []
    for m in measures:
        point = _tests(frame, m, None)
        boot = [_tests(frame, m, w) for w in weights]
        for test, value in point.items():
            b = np.array([x[test] for x in boot])
            b = b[~np.isnan(b)]
            rows.append(
                {
                    "measure": m,
                    "test": test,
                    "years": f"{min(years)}-{max(years)}",
                    "auc": value,
                    "low": float(np.quantile(b, 0.025)) if b.size else float("nan"),
                    "high": float(np.quantile(b, 0.975)) if b.size else float("nan"),
                }
            )
    return pd.DataFrame(rows)


def choose_measure(train: pd.DataFrame) -> str:
    """C1's rule: the highest mean training AUC; within 0.01 of it, the simplest (``PREFERENCE``)."""
    mean = train.groupby("measure").auc.mean()
    best = float(mean.max())
    return next(m for m in PREFERENCE if m in mean.index and mean[m] >= best - 0.01)


# ------------------------------------------------------------------------------------ C2 weights
CODINGS = ("ambiguous", "hostile")  # C2: allied and hostile -> 0; C2b: hostility dominates (docs/validation.md)


def _status(f: pd.DataFrame, coding: str) -> np.ndarray:
    if coding == "ambiguous":
        return f.status_later.to_numpy(float)
    hostile = np.maximum(f.rivalry_later.to_numpy(float), f.mid_year_later.to_numpy(float))
    return np.where(hostile > 0, -1.0, f.any_ally_later.to_numpy(float))


def _design(
    years: Sequence[int], measure: str, coding: str = "ambiguous"
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Features at t - 1 and status at t over pairs present in both years."""
    xs, ys, a_all, b_all = [], [], [], []
    for t in years:
        before = dyad_frame(t - 1, [measure], ahead=1)
        codes = before.attrs["codes"]
        keep = before.both_later.to_numpy() == 1
        f = before[keep]
        x = np.column_stack(
            [np.ones(len(f))] + [f[measure if k == "interest" else k].to_numpy(float) for k in FEATURES]
        )
        xs.append(x)
        ys.append(_status(f, coding))
        a_all += [codes[k] for k in f.a]
        b_all += [codes[k] for k in f.b]
    states = sorted(set(a_all) | set(b_all))
    index = {c: k for k, c in enumerate(states)}
    return (
        np.vstack(xs),
        np.concatenate(ys),
        np.array([index[c] for c in a_all]),
        np.array([index[c] for c in b_all]),
        states,
    )


def _wls(x: np.ndarray, y: np.ndarray, w: np.ndarray | None = None) -> np.ndarray:
    if w is None:
        return np.linalg.lstsq(x, y, rcond=None)[0]
    xw = x * w[:, None]
    return np.linalg.solve(x.T @ xw + 1e-9 * np.eye(x.shape[1]), xw.T @ y)


def fit_weights(
    measure: str, *, years: Sequence[int] | None = None, seed: int = 0, resamples: int = 200, coding: str = "ambiguous"
) -> pd.DataFrame:
    """C2: least squares of status at t on features at t - 1, t in 1951-1989 (or ``years``), with
    state-clustered 95% intervals. One row per term: estimate, low, high, the model parameter it sets."""
    years = list(range(TRAIN[0] + 1, TRAIN[1] + 1)) if years is None else list(years)
    x, y, a, b, states = _design(years, measure, coding)
    point = _wls(x, y)
    rng = np.random.default_rng(seed)
    boot = np.array([_wls(x, y, cluster_weights(a, b, states, rng)) for _ in range(resamples)])
    names = ["intercept", *FEATURES]
    resid = y - x @ point
    return pd.DataFrame(
        {
            "term": names,
            "parameter": [PARAM_OF.get(n, n) for n in names],
            "estimate": point,
            "low": np.quantile(boot, 0.025, axis=0),
            "high": np.quantile(boot, 0.975, axis=0),
        }
    ).assign(
        dyad_years=len(y),
        r2=1 - float(resid.var() / y.var()),
        coding=coding,
        contradictions=_contradictions(x, point),
    )


def _contradictions(x: np.ndarray, coef: np.ndarray) -> float:
    """C2b's rule: share of rivalry rows with fitted X0 > 0 plus share of pact rows with fitted X0 < 0."""
    fitted = np.clip(x @ coef, -1, 1)
    rival, pact = x[:, 1 + FEATURES.index("rivalry")] > 0, x[:, 1 + FEATURES.index("alliance")] > 0
    return float((fitted[rival] > 0).mean() if rival.any() else 0.0) + float(
        (fitted[pact] < 0).mean() if pact.any() else 0.0
    )


# ------------------------------------------------------------------------------------ C3 time scales
def vote_persistence(years: Sequence[int], *, min_common: int = 20) -> dict[str, float]:
    """Pooled AR(1) of yearly kappa (one-year windows) around each dyad's mean over ``years``."""
    series: dict[tuple[str, str], dict[int, float]] = {}
    for t in years:
        codes, k = agreement(t, t)
        i, j = np.triu_indices(len(codes), 1)
        v = k[i, j]
        ok = ~np.isnan(v)
        for p, q, x in zip(i[ok], j[ok], v[ok]):
            series.setdefault((codes[p], codes[q]), {})[t] = float(x)
    prev, curr = [], []
    for s in series.values():
        if len(s) < 5:
            continue
        mean = np.mean(list(s.values()))
        for t, x in s.items():
            if t - 1 in s:
                prev.append(s[t - 1] - mean)
                curr.append(x - mean)
    p, c = np.array(prev), np.array(curr)
    rho = float((p * c).sum() / (p * p).sum())
    sigma = float(np.std(c - rho * p))
    return {"rho": rho, "sigma_annual": sigma, "pairs": float(len(p))}


def dispute_memory(first: int, last: int, *, horizon: int = 10) -> dict[str, float]:
    """Excess risk of a dispute onset k years after the dyad's last dispute year, fitted as exp(-k ln2 / h)."""
    mids = table("gml_mids.csv.gz")
    onset = mids.groupby(["a", "b", "dispnum"]).year.min().reset_index()
    years_of = mids.groupby(["a", "b"]).year.apply(lambda s: sorted(set(s))).to_dict()
    onsets = onset.groupby(["a", "b"]).year.apply(set).to_dict()
    at_risk = np.zeros(horizon + 1)
    events = np.zeros(horizon + 1)
    for pair, ys in years_of.items():
        starts = onsets[pair]
        for t in range(first, last + 1):
            past = [y for y in ys if y < t]
            if not past or t in ys and t not in starts:
                continue
            k = t - past[-1]
            if 1 <= k <= horizon:
                at_risk[k] += 1
                events[k] += t in starts
    rates = events[1:] / np.maximum(at_risk[1:], 1)
    # Baseline: dyad-years of all state pairs with no dispute in the previous ``horizon`` years (approximated
    # by the mean onset rate over all system dyad-years, which the dispute dyads barely move).
    total_dyads = sum(len(year_data(t).codes) * (len(year_data(t).codes) - 1) / 2 for t in range(first, last + 1))
    base = float(len(onset[(onset.year >= first) & (onset.year <= last)]) / total_dyads)
    excess = rates - base
    k = np.arange(1, horizon + 1)
    ok = excess > 0
    slope = float(np.polyfit(k[ok], np.log(excess[ok]), 1)[0]) if ok.sum() >= 2 else float("nan")
    half_years = float(np.log(2) / -slope) if slope < 0 else float("nan")
    return {
        "half_life_months": 12 * half_years,
        "base_rate": base,
        **{f"rate_after_{int(x)}y": float(r) for x, r in zip(k, rates)},
    }


def spell_medians() -> dict[str, float]:
    """Median length (years) of alliance and rivalry spells begun 1946-1989 (Kaplan-Meier, censored at the data's end)."""
    out: dict[str, float] = {}
    tss = table("rivalries_tss.csv")
    r = tss[(tss.start >= 1946) & (tss.start <= TRAIN[1])]
    km = KaplanMeierFitter().fit((r.end.clip(upper=2020) - r.start + 1).to_numpy(), (r.end < 2020).to_numpy())
    out["rivalry_median_years"] = float(km.median_survival_time_)
    atop = table("atop_alliances.csv.gz")
    spells = []
    for _, g in atop.groupby(["a", "b"]):
        ys = np.sort(g.year.to_numpy())
        breaks = np.flatnonzero(np.diff(ys) > 1)
        starts = np.r_[ys[0], ys[breaks + 1]]
        ends = np.r_[ys[breaks], ys[-1]]
        for s, e in zip(starts, ends):
            if 1946 < s <= TRAIN[1]:
                spells.append((e - s + 1, e < 2018))
    d = np.array(spells)
    km = KaplanMeierFitter().fit(d[:, 0], d[:, 1].astype(bool))
    out["alliance_median_years"] = float(km.median_survival_time_)
    return out


def time_scales(interest_weight: float, *, quick: bool = False) -> dict[str, float]:
    """C3 without the balance fraction: beta, noise and the memory half-life from 1950-1989."""
    years = range(1980 if quick else TRAIN[0], TRAIN[1] + 1)
    vp = vote_persistence(list(years))
    rho = min(max(vp["rho"], 1e-6), 1 - 1e-6)
    beta = 1 - rho ** (1 / 12)
    step = (1 - beta) ** 2
    sigma_m = vp["sigma_annual"] * np.sqrt((1 - step) / (1 - rho**2))
    memory = dispute_memory(TRAIN[0] + 10, TRAIN[1])
    return {
        "rho_annual": rho,
        "beta": float(beta),
        "noise": float(abs(interest_weight) * sigma_m),
        "sigma_annual": vp["sigma_annual"],
        "memory_half_life": memory["half_life_months"],
        "dispute_base_rate": memory["base_rate"],
        **{k: v for k, v in memory.items() if k.startswith("rate_after")},
    }
