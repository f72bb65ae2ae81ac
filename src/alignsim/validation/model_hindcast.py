"""H4, the model's own hindcast (docs/validation.md): worlds built from data for a start year t, ensembles
run to t + 5 and t + 10, and the predicted sign of every dyad scored against the ties the data show
then, beside two baselines: persistence (t's ties) and X0 alone.

The model runs as any user runs it (a :class:`~alignsim.config.scenario.Scenario` with a world mapping,
:func:`~alignsim.experiments.simulate.run_scenario`, default parameters: nothing is calibrated), so
mechanisms added to the model later enter the hindcast unchanged. Observed signs come from the same
packaged tables the world builder reads (``alignsim/data/real/``): + any ATOP commitment, - a TSS
strategic rivalry or a GML dispute; dyads with neither or both are not scored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from alignsim.config.scenario import Scenario
from alignsim.experiments.simulate import run_scenario
from alignsim.measures.analytics import alpha_critical
from alignsim.world.from_data import (
    build_world,
    check_window,
    latest,
    select_states,
    table,
)

__all__ = [
    "PREDICTORS",
    "Hindcast",
    "auc",
    "brier",
    "hindcast_dyads",
    "hindcast_states",
    "observed_signs",
    "score_dyads",
    "start_year_dyads",
]

PREDICTORS = ("model", "persistence", "X0 alone")
ATOP_LAST, MID_LAST = 2018, 2010  # the data's last years (TSS rivalries run to 2020)


def hindcast_states(year: int, n: int) -> list[str]:
    """The ``n`` most capable states in ``year`` (CINC of the latest year <= ``year``) among those with
    data (in the state system, voting in the Assembly, with a CINC); ties broken by code."""
    usable = select_states(None, None, True, check_window(year, 5))
    cinc = latest(table("cow_nmc.csv.gz"), year, "cinc").cinc
    return sorted(usable, key=lambda c: (-float(cinc[c]), c))[:n]


def observed_signs(codes: Sequence[str], year: int) -> np.ndarray:
    """Symmetric n x n int8: +1 any ATOP commitment in min(year, 2018); -1 a TSS rivalry active in
    ``year`` or a GML dispute in ``year`` (none recorded after 2010); 0 neither, or both (ambiguous)."""
    index = {c: i for i, c in enumerate(codes)}
    n = len(codes)

    def mask(frame: pd.DataFrame) -> np.ndarray:
        frame = frame[frame.a.isin(index) & frame.b.isin(index)]
        out = np.zeros((n, n), dtype=bool)
        i, j = frame.a.map(index).to_numpy(int), frame.b.map(index).to_numpy(int)
        out[i, j] = out[j, i] = True
        return out

    atop = table("atop_alliances.csv.gz")
    allied = mask(atop[atop.year == min(year, ATOP_LAST)])
    tss = table("rivalries_tss.csv")
    mids = table("gml_mids.csv.gz")
    hostile = mask(tss[(tss.start <= year) & (tss.end >= year)]) | mask(mids[mids.year == year])
    return (allied & ~hostile).astype(np.int8) - (hostile & ~allied).astype(np.int8)


def _symmetric(m: np.ndarray) -> np.ndarray:
    return (m + np.swapaxes(m, -1, -2)) / 2


@dataclass(frozen=True)
class StartYear:
    year: int
    codes: list[str]
    frame: pd.DataFrame  # the scored dyads (see start_year_dyads)
    world: dict[str, float]  # diagnostics of the run: alpha / alpha_c, share of relations at the extremes


def start_year_dyads(
    year: int, *, states: int, horizons: Sequence[int], replicates: int, seed: int, workers: int | None = None
) -> StartYear:
    """Build the world of ``year``, run the ensemble from 1 January of year + 1 for 12 x max(horizons)
    months, and return one row per scored dyad and horizon: the observed sign then (``positive``),
    the model's share of runs with a positive relation (``model_p``) and ensemble mean (``model_mean``),
    t's observed sign (``persistence``) and X0 at the start (``x0``)."""
    codes = hindcast_states(year, states)
    # The earlier construction (issue-mean interests, default parameters), as H4 and notebook 03 describe it.
    world = build_world(codes, year=year, name=f"hindcast_{year}", params_set_name=None).world
    steps = 12 * max(horizons)
    scenario = Scenario.model_validate(
        {"name": f"hindcast_{year}", "world": world, "start": dt.date(year + 1, 1, 1), "steps": steps, "seed": seed}
    )
    cube = run_scenario(scenario, replicates=replicates, workers=workers).relation_cube
    order = cube.codes
    at = [int(np.searchsorted(cube.steps, 12 * h)) for h in horizons]
    w = _symmetric(cube.as_matrices(cube.values["weight"][:, at, :]))  # replicates x horizons x n x n
    x0 = _symmetric(cube.as_matrices(cube.values["baseline"][0, 0, :]))
    params = scenario.params
    ratio = params.alpha / alpha_critical(x0, params.beta)  # the unsaturated tipping point (docs/model.md)
    world_row = {
        "start": year,
        "states": len(order),
        "alpha_over_alpha_c": float(ratio),
        **{
            f"share_at_extremes_t+{h}": float(
                (np.abs(w[:, k]) > 0.95).sum() / (w.shape[0] * len(order) * (len(order) - 1))
            )
            for k, h in enumerate(horizons)
        },
    }
    now = observed_signs(order, year)
    i, j = np.triu_indices(len(order), k=1)
    parts = []
    for k, h in enumerate(horizons):
        later = observed_signs(order, year + h)[i, j]
        keep = later != 0
        parts.append(
            pd.DataFrame(
                {
                    "start": year,
                    "horizon": h,
                    "a": np.asarray(order)[i[keep]],
                    "b": np.asarray(order)[j[keep]],
                    "positive": (later[keep] > 0).astype(int),
                    "model_p": (w[:, k, i, j] > 0).mean(axis=0)[keep],
                    "model_mean": w[:, k, i, j].mean(axis=0)[keep],
                    "persistence": now[i, j][keep],
                    "x0": x0[i, j][keep],
                }
            )
        )
    return StartYear(year, list(order), pd.concat(parts, ignore_index=True), world_row)


@dataclass(frozen=True)
class Hindcast:
    dyads: pd.DataFrame  # the scored dyads of every start year (start_year_dyads)
    worlds: pd.DataFrame  # one row per start year: states, alpha / alpha_c, share of relations at +-1


def hindcast_dyads(
    start_years: Sequence[int],
    *,
    states: int,
    horizons: Sequence[int],
    replicates: int,
    seed: int,
    workers: int | None = None,
    advance: Callable[[int], None] | None = None,
) -> Hindcast:
    """:func:`start_year_dyads` of every start year, stacked; ``advance(1)`` after each."""
    runs = []
    for year in start_years:
        runs.append(
            start_year_dyads(year, states=states, horizons=horizons, replicates=replicates, seed=seed, workers=workers)
        )
        if advance is not None:
            advance(1)
    return Hindcast(pd.concat([r.frame for r in runs], ignore_index=True), pd.DataFrame([r.world for r in runs]))


# ------------------------------------------------------------------------------------ scoring
def auc(positive: np.ndarray, score: np.ndarray) -> float:
    """Area under the ROC curve: P(a random positive outranks a random negative), ties count half
    (the Mann-Whitney U over n+ n-). NaN without both classes."""
    pos = positive.astype(bool)
    n1, n0 = int(pos.sum()), int((~pos).sum())
    if n1 == 0 or n0 == 0:
        return float("nan")
    ranks = rankdata(score)
    return float((ranks[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def brier(positive: np.ndarray, p: np.ndarray) -> float:
    """Mean squared error of the probability of a positive tie."""
    return float(np.mean((p - positive) ** 2)) if len(p) else float("nan")


def _predictions(frame: pd.DataFrame) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """predictor -> (ranking score for AUC, probability of + for Brier)."""
    persistence = frame.persistence.to_numpy(float)
    x0 = frame.x0.to_numpy(float)
    return {
        "model": (frame.model_mean.to_numpy(float), frame.model_p.to_numpy(float)),
        "persistence": (persistence, (persistence + 1) / 2),
        "X0 alone": (x0, (x0 > 0).astype(float)),
    }


def _scores(frame: pd.DataFrame) -> dict[str, tuple[float, float]]:
    y = frame.positive.to_numpy(int)
    return {name: (auc(y, s), brier(y, p)) for name, (s, p) in _predictions(frame).items()}


def _resamples(frame: pd.DataFrame, rng: np.random.Generator, resamples: int) -> list[np.ndarray]:
    """Row indices of bootstrap samples that resample dyads within each start year."""
    groups = [np.flatnonzero(frame.start.to_numpy() == s) for s in np.unique(frame.start)]
    return [np.concatenate([g[rng.integers(0, len(g), len(g))] for g in groups]) for _ in range(resamples)]


def score_dyads(dyads: pd.DataFrame, *, seed: int = 0, resamples: int = 2000) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Scores per horizon and start year (and pooled: start ``all``) and, pooled, the differences
    model - baseline; 95% bootstrap intervals resampling dyads within start years (the differences
    on the same samples)."""
    rng = np.random.default_rng(seed)
    rows, diffs = [], []
    for h, part in dyads.groupby("horizon", sort=True):
        part = part.reset_index(drop=True)
        boot = [_scores(part.iloc[idx]) for idx in _resamples(part, rng, resamples)]
        point = _scores(part)
        for name in PREDICTORS:
            a, b = (np.array([s[name][k] for s in boot]) for k in (0, 1))
            rows.append(_score_row(h, "all", name, part, point[name], a, b))
        for base in PREDICTORS[1:]:
            da = np.array([s["model"][0] - s[base][0] for s in boot])
            db = np.array([s["model"][1] - s[base][1] for s in boot])
            diffs.append(
                {
                    "horizon": int(h),
                    "baseline": base,
                    "auc_difference": point["model"][0] - point[base][0],
                    **_interval("auc_difference", da),
                    "brier_difference": point["model"][1] - point[base][1],
                    **_interval("brier_difference", db),
                }
            )
        for start, one in part.groupby("start", sort=True):
            sub = [_scores(one.iloc[idx]) for idx in _resamples(one.reset_index(drop=True), rng, resamples)]
            pt = _scores(one)
            for name in PREDICTORS:
                a, b = (np.array([s[name][k] for s in sub]) for k in (0, 1))
                rows.append(_score_row(h, str(start), name, one, pt[name], a, b))
    return pd.DataFrame(rows), pd.DataFrame(diffs)


def _interval(name: str, values: np.ndarray) -> dict[str, float]:
    known = values[~np.isnan(values)]
    lo, hi = (float(np.quantile(known, q)) for q in (0.025, 0.975)) if len(known) else (float("nan"), float("nan"))
    return {f"{name}_lo95": lo, f"{name}_hi95": hi}


def _score_row(
    h: int, start: str, name: str, part: pd.DataFrame, point: tuple[float, float], a: np.ndarray, b: np.ndarray
) -> dict:
    return {
        "horizon": int(h),
        "start": start,
        "predictor": name,
        "dyads": len(part),
        "positive": int(part.positive.sum()),
        "negative": int((part.positive == 0).sum()),
        "auc": point[0],
        **_interval("auc", a),
        "brier": point[1],
        **_interval("brier", b),
    }
