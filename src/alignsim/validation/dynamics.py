"""What the dynamics add (docs/validation.md C3 and C4): the model run on all-state worlds of a start year,
scored beside persistence, X0 alone and a static triad baseline on signs and changes of ties.

:func:`start_year` builds the world of year t with a calibration (a parameter set as ``alignsim calibrate``
writes it), runs the ensemble for 12 x h months with alpha = f x beta / (4 lambda1(X0)) and returns one row
per dyad with every predictor and every target. :func:`fit_triads` fits the static baseline on training
rows; :func:`score` gives AUCs with state-clustered intervals; :func:`dynamics_added` the model minus the
best static baseline per target.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from alignsim.config.scenario import Scenario
from alignsim.experiments.simulate import run_scenario
from alignsim.measures.analytics import alpha_critical
from alignsim.validation.panel import weighted_auc, year_data
from alignsim.world.from_data import build_world
from alignsim.world.params import Params
from alignsim.world.spec import WorldSpec, WorldState, interest_baseline

__all__ = [
    "TARGETS",
    "dynamics_added",
    "fit_triads",
    "run_start_years",
    "score",
    "start_year",
]

# target -> (rows it applies to, what counts as positive, the sign the model's W carries for it)
TARGETS = ("sign", "formation", "lapse", "rivalry onset", "rivalry end")
SIGN_OF = {"sign": 1, "formation": 1, "lapse": -1, "rivalry onset": -1, "rivalry end": 1}
FRIEND = 0.3  # a relation at or beyond +-0.3 counts as friend / enemy for the triad counts (friend_threshold)


def _params(chosen: dict[str, Any], fraction: float, x0: np.ndarray) -> dict[str, Any]:
    values = dict(chosen["params"])
    critical = alpha_critical(x0, float(values["beta"]))
    values["alpha"] = 0.0 if math.isinf(critical) else float(min(1.0, fraction * critical))
    return values


def _x0(world: dict[str, Any], values: dict[str, Any]) -> tuple[list[str], np.ndarray]:
    state = WorldState.from_spec(WorldSpec.model_validate(world))
    return state.codes, interest_baseline(state, Params(**values))


def triad_counts(x0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Common friends, and third states that are a friend of one and an enemy of the other, in X0."""
    f = (x0 >= FRIEND).astype(float)
    e = (x0 <= -FRIEND).astype(float)
    np.fill_diagonal(f, 0)
    np.fill_diagonal(e, 0)
    return f @ f, f @ e + e @ f


def start_year(
    year: int,
    chosen: dict[str, Any],
    fraction: float,
    *,
    horizons: Sequence[int],
    replicates: int,
    seed: int,
    workers: int | None = 1,
    simulate: bool = True,
) -> pd.DataFrame:
    """One row per dyad and horizon of the all-state world of ``year``: predictors and targets (see module).
    ``simulate`` False leaves the model column NaN (training rows of the static baseline need no runs)."""
    world = build_world(None, year=year, everyone=True, name=f"hindcast_{year}", calibration=chosen).world
    codes, x0 = _x0(world, chosen["params"])
    values = _params(chosen, fraction, x0)
    w = _model_relations(world, codes, values, year, horizons, replicates, seed, workers) if simulate else None
    friends, split = triad_counts(x0)
    now = year_data(year)
    i, j = np.triu_indices(len(codes), 1)
    base = {
        "start": year,
        "a": np.asarray(codes)[i],
        "b": np.asarray(codes)[j],
        "x0": x0[i, j],
        "friends": friends[i, j],
        "split": split[i, j],
        "status": now.on(codes, "status")[i, j],
        "ally": now.on(codes, "any_ally")[i, j],
        "rival": now.on(codes, "rivalry")[i, j],
        "ratio": values["alpha"] / alpha_critical(x0, float(values["beta"])) if values["alpha"] > 0 else 0.0,
    }
    parts = []
    for k, h in enumerate(horizons):
        later = year_data(year + h)
        present = np.isin(codes, later.codes)
        parts.append(
            pd.DataFrame(
                {
                    **base,
                    "horizon": h,
                    "model": w[k][i, j] if w is not None else np.nan,
                    "both_later": present[i] & present[j],
                    "status_later": later.on(codes, "status")[i, j],
                    "ally_later": later.on(codes, "any_ally")[i, j],
                    "rival_later": later.on(codes, "rivalry")[i, j],
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _model_relations(
    world: dict[str, Any],
    codes: list[str],
    values: dict[str, Any],
    year: int,
    horizons: Sequence[int],
    replicates: int,
    seed: int,
    workers: int | None,
) -> np.ndarray:
    """Ensemble mean of the symmetrised relations at each horizon (horizons x n x n, ``codes`` order)."""
    scenario = Scenario.model_validate(
        {
            "name": f"hindcast_{year}",
            "world": world,
            "start": dt.date(year + 1, 1, 1),
            "steps": 12 * max(horizons),
            "params": values,
            "seed": seed,
        }
    )
    cube = run_scenario(scenario, replicates=replicates, workers=workers).relation_cube
    index = {c: k for k, c in enumerate(cube.codes)}
    order = np.array([index[c] for c in codes])
    at = [int(np.searchsorted(cube.steps, 12 * h)) for h in horizons]
    w = cube.as_matrices(cube.values["weight"][:, at, :])  # replicates x horizons x n x n
    return ((w + np.swapaxes(w, -1, -2)) / 2).mean(axis=0)[:, order][:, :, order]


def run_start_years(
    years: Sequence[int],
    chosen: dict[str, Any],
    fraction: float,
    *,
    horizons: Sequence[int],
    replicates: int,
    seed: int,
    simulate: bool = True,
) -> pd.DataFrame:
    """:func:`start_year` of each year, with the horizons the data reach (t + h <= 2018), stacked."""
    frames = [
        start_year(
            y,
            chosen,
            fraction,
            horizons=[h for h in horizons if y + h <= 2018],
            replicates=replicates,
            seed=seed,
            simulate=simulate,
        )
        for y in years
        if any(y + h <= 2018 for h in horizons)
    ]
    return pd.concat(frames, ignore_index=True)


def target_rows(frame: pd.DataFrame, target: str) -> tuple[pd.DataFrame, np.ndarray]:
    """The dyads a target applies to and its outcome (1 positive)."""
    f = frame[frame.both_later]
    if target == "sign":
        f = f[f.status_later != 0]
        return f, (f.status_later > 0).to_numpy(int)
    if target == "formation":
        f = f[f.ally == 0]
        return f, f.ally_later.to_numpy(int)
    if target == "lapse":
        f = f[f.ally == 1]
        return f, (1 - f.ally_later).to_numpy(int)
    if target == "rivalry onset":
        f = f[f.rival == 0]
        return f, f.rival_later.to_numpy(int)
    f = f[f.rival == 1]
    return f, (1 - f.rival_later).to_numpy(int)


# ------------------------------------------------------------------------------ triad baseline
def _logit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    def loss(b: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ b
        p = 1 / (1 + np.exp(-z))
        ll = np.sum(np.logaddexp(0, z) - y * z) + 1e-6 * b @ b
        return float(ll), x.T @ (p - y) + 2e-6 * b

    return minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B").x


def _triad_design(f: pd.DataFrame) -> np.ndarray:
    return np.column_stack([np.ones(len(f)), f.x0, np.log1p(f.friends), np.log1p(f.split)])


def fit_triads(train: pd.DataFrame) -> dict[tuple[str, int], np.ndarray]:
    """The static triad baseline per target and horizon: logistic regression on X0, log(1 + common friends)
    and log(1 + friend-of-one-enemy-of-the-other), on training start years."""
    out = {}
    for h, part in train.groupby("horizon"):
        for target in TARGETS:
            f, y = target_rows(part, target)
            if len(np.unique(y)) == 2:
                out[(target, int(h))] = _logit(_triad_design(f), y.astype(float))
    return out


# ------------------------------------------------------------------------------------- scoring
def _predictors(f: pd.DataFrame, target: str, coef: np.ndarray | None) -> dict[str, np.ndarray]:
    sign = SIGN_OF[target]
    out = {"X0 alone": sign * f.x0.to_numpy(), "model": sign * f.model.to_numpy()}
    if coef is not None:
        out["triad baseline"] = _triad_design(f) @ coef
    if target == "sign":
        out["persistence"] = f.status.to_numpy(float)
    return out


def score(
    test: pd.DataFrame, triads: dict[tuple[str, int], np.ndarray], *, seed: int = 0, resamples: int = 500
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """AUC per target, horizon and predictor with state-clustered 95% intervals; and model minus the best
    static baseline (highest test AUC) with its interval (the same resamples)."""
    rng = np.random.default_rng(seed)
    rows, added = [], []
    states = sorted(set(test.a) | set(test.b))
    index = {c: k for k, c in enumerate(states)}
    draws = [np.bincount(rng.integers(0, len(states), len(states)), minlength=len(states)) for _ in range(resamples)]
    for h, part in test.groupby("horizon"):
        for target in TARGETS:
            f, y = target_rows(part, target)
            if len(np.unique(y)) < 2:
                continue
            preds = _predictors(f, target, triads.get((target, int(h))))
            ia, ib = f.a.map(index).to_numpy(), f.b.map(index).to_numpy()
            point = {k: weighted_auc(y, s) for k, s in preds.items()}
            boot = {k: [] for k in preds}
            for d in draws:
                w = (d[ia] * d[ib]).astype(float)
                for k, s in preds.items():
                    boot[k].append(weighted_auc(y, s, w))
            for k in preds:
                b = np.array(boot[k])
                rows.append(_row(target, int(h), k, point[k], b, len(y), int(y.sum())))
            static = [k for k in preds if k != "model"]
            best = max(static, key=lambda k: point[k])
            diff = np.array(boot["model"]) - np.array(boot[best])
            lo, hi = _ci(diff)
            added.append(
                {
                    "target": target,
                    "horizon": int(h),
                    "baseline": best,
                    "difference": point["model"] - point[best],
                    "low": lo,
                    "high": hi,
                    "n": len(y),
                }
            )
    return pd.DataFrame(rows), pd.DataFrame(added)


def _ci(values: np.ndarray) -> tuple[float, float]:
    v = values[~np.isnan(values)]
    return (float(np.quantile(v, 0.025)), float(np.quantile(v, 0.975))) if v.size else (math.nan, math.nan)


def _row(target: str, h: int, name: str, auc: float, boot: np.ndarray, n: int, positive: int) -> dict[str, Any]:
    lo, hi = _ci(boot)
    return {
        "target": target,
        "horizon": h,
        "predictor": name,
        "auc": auc,
        "low": lo,
        "high": hi,
        "n": n,
        "positive": positive,
    }


def dynamics_added(added: pd.DataFrame) -> pd.DataFrame:
    """The report's first table: target (with horizon), baseline, difference, low, high, n."""
    out = added.assign(target=[f"{t}, t+{h}" for t, h in zip(added.target, added.horizon)])
    return out[["target", "baseline", "difference", "low", "high", "n"]]
