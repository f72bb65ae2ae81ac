"""``alignsim calibrate``: fit the interest measure, the X0 weights and the time scales on 1950-1989 and write
a report and a parameter set that scenarios name (``params_set: history_1950_1989``).

The steps and their declared rules are in docs/validation.md ("Calibration on 1950–1989"). Only training
years enter: features to 1989, outcomes to 1999 at the latest (t + 10 of the last training start year, 1985
... 1980 + 10). ``quick`` runs a reduced set (fewer years, resamples and runs) for CI; its numbers are not
the shipped calibration.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from alignsim.results.folders import report_folder, write_csv, write_folder
from alignsim.validation.calibration import (
    CODINGS,
    choose_measure,
    fit_weights,
    measure_tests,
    spell_medians,
    time_scales,
)
from alignsim.validation.dynamics import run_start_years, target_rows
from alignsim.validation.panel import TRAIN, weighted_auc

__all__ = ["FRACTIONS", "Calibration", "calibrate", "write_calibration"]

FRACTIONS = (0.0, 0.25, 0.5, 0.75, 0.95)
SET_NAME = "history_1950_1989"


@dataclass(frozen=True)
class Calibration:
    measures: pd.DataFrame
    measure: str
    weights: pd.DataFrame
    scales: dict[str, float]
    durations: dict[str, float]
    balance: pd.DataFrame
    fraction: float
    params_set: dict[str, Any]
    quick: bool
    seed: int
    fits: pd.DataFrame  # both status codings' weights (C2 and C2b), the chosen one in ``weights``


# Params' allowed ranges for the fitted values (beta and the half-life must stay above 0).
BOUNDS = {
    "interest_weight": (0.0, 2.0),
    "beta": (1e-4, 1.0),
    "noise": (0.0, 1.0),
    "memory_half_life": (1.0, 1200.0),
}


def _bounded(name: str, value: float) -> float:
    """A fitted value inside the parameter's allowed range."""
    lo, hi = BOUNDS.get(name, (-1.0, 1.0))
    return round(min(max(float(value), lo), hi), 6)


def _draft(measure: str, weights: pd.DataFrame, scales: dict[str, float]) -> dict[str, Any]:
    est = weights.set_index("term").estimate
    params = {
        "interest_weight": _bounded("interest_weight", est["interest"]),
        "tie_diplomatic": _bounded("tie_diplomatic", est["intercept"]),
        "tie_alliance": _bounded("tie_alliance", est["alliance"]),
        "tie_treaty": _bounded("tie_treaty", est["treaty"]),
        "tie_rivalry": _bounded("tie_rivalry", est["rivalry"]),
        "beta": _bounded("beta", scales["beta"]),
        "noise": _bounded("noise", scales["noise"]),
    }
    if np.isfinite(scales["memory_half_life"]):
        params["memory_half_life"] = _bounded("memory_half_life", scales["memory_half_life"])
    terms = {k: round(float(est[k]), 6) for k in ("dispute", "igo", "contiguity")}
    return {"name": SET_NAME, "measure": measure, "params": params, "terms": terms, "alpha_fraction": 0.0}


def _balance_scores(frame: pd.DataFrame) -> dict[str, float]:
    out = {}
    for h, part in frame.groupby("horizon"):
        f, y = target_rows(part, "sign")
        out[f"sign t+{int(h)}"] = weighted_auc(y, f.model.to_numpy())
    return out


def _fit_fraction(draft: dict[str, Any], *, quick: bool, seed: int) -> tuple[float, pd.DataFrame]:
    """C3's balance fraction: the f with the best mean training AUC of the model's sign forecasts."""
    years = (1980,) if quick else (1970, 1975, 1980)
    fractions = (0.0, 0.5) if quick else FRACTIONS
    horizons = (5,) if quick else (5, 10)
    rows = []
    for f in fractions:
        frame = run_start_years(years, draft, f, horizons=horizons, replicates=1 if quick else 4, seed=seed)
        scores = _balance_scores(frame)
        rows.append({"fraction": f, **scores, "mean": float(np.mean(list(scores.values())))})
    table = pd.DataFrame(rows)
    best = float(table["mean"].max())
    chosen = float(table.loc[table["mean"] >= best - 0.005, "fraction"].min())
    return chosen, table


def calibrate(*, seed: int = 0, quick: bool = False) -> Calibration:
    """Every step of the calibration on training years (docs/validation.md C1-C3)."""
    resamples = 20 if quick else 200
    years = range(1980, 1990, 3) if quick else range(TRAIN[0], TRAIN[1] + 1)
    measures = measure_tests(list(years), seed=seed, resamples=resamples)
    measure = choose_measure(measures)
    weight_years = range(1985, 1990) if quick else None
    fits = [fit_weights(measure, years=weight_years, seed=seed, resamples=resamples, coding=c) for c in CODINGS]
    # C2b's rule: the coding whose fit contradicts the training ties least; equal sums keep C2 (the first).
    weights = min(fits, key=lambda f: float(f.contradictions.iloc[0]))
    interest = float(weights.set_index("term").estimate["interest"])
    scales = time_scales(interest, quick=quick)
    durations = spell_medians()
    draft = _draft(measure, weights, scales)
    fraction, balance = _fit_fraction(draft, quick=quick, seed=seed)
    draft["alpha_fraction"] = fraction
    draft["provenance"] = {
        "command": "alignsim calibrate" + (" --quick" if quick else "") + f" --seed {seed}",
        "training": "dyad-years 1950-1989 (features to 1989; outcomes of training rows to 1999 at most)",
        "held_out": "1990-2018: nothing from these years enters the fit",
        "declared": "docs/validation.md, 'Calibration on 1950-1989, scored on 1990-2018' (2026-12-03)",
        "intervals": {r.parameter: [round(float(r.low), 6), round(float(r.high), 6)] for r in weights.itertuples()},
        "not_fitted": "memory_weight, kappa, kappa_reciprocal and the agents' rules keep their defaults",
        "quick": quick,
    }
    draft["provenance"]["status_coding"] = {
        str(f.coding.iloc[0]): round(float(f.contradictions.iloc[0]), 6) for f in fits
    } | {"chosen": str(weights.coding.iloc[0])}
    return Calibration(
        measures, measure, weights, scales, durations, balance, fraction, draft, quick, seed, pd.concat(fits)
    )


def _report(c: Calibration) -> str:
    w = c.weights
    lines = [
        f"# Calibration {'(quick, reduced: not the shipped set)' if c.quick else ''} on 1950–1989",
        "",
        f"Seed {c.seed}. Declared rules: docs/validation.md, 'Calibration on 1950–1989' (2026-12-03). "
        "Held out: 1990–2018 (no feature after 1989 and no training outcome after 1999 enters).",
        "",
        "## C1. Interest measures (training AUCs, state-clustered 95% intervals)",
        "",
        "| measure | test | AUC [95%] |",
        "|---|---|---|",
        *[f"| {r.measure} | {r.test} | {r.auc:.3f} [{r.low:.3f}, {r.high:.3f}] |" for r in c.measures.itertuples()],
        "",
        f"Chosen (highest mean of the three; within 0.01 the simplest): **{c.measure}**.",
        "",
        "## C2. X0 weights: least squares of the tie status at t on features at t − 1",
        "",
        f"{int(w.dyad_years.iloc[0])} dyad-years, R² {w.r2.iloc[0]:.3f}; status coding '{w.coding.iloc[0]}' chosen "
        "(C2b: the smaller share of training rivalries with fitted X0 > 0 plus pacts with X0 < 0): "
        + "; ".join(
            f"{code} {v:.4f}" for code, v in c.fits.groupby("coding", sort=False).contradictions.first().items()
        )
        + ". Both fits: tables/x0_weights_both.csv.",
        "",
        "| term | parameter | estimate [95%] |",
        "|---|---|---|",
        *[f"| {r.term} | {r.parameter} | {r.estimate:+.4f} [{r.low:+.4f}, {r.high:+.4f}] |" for r in w.itertuples()],
        "",
        "## C3. Time scales",
        "",
        *[f"- {k}: {v:.4g}" for k, v in c.scales.items()],
        *[f"- {k} (diagnostic, Kaplan–Meier): {v:.3g}" for k, v in c.durations.items()],
        "",
        "Balance fraction f (alpha = f × beta / (4 λ1(X0))), training start years, AUC of the model's sign forecasts:",
        "",
        "```",
        c.balance.to_string(index=False, float_format=lambda v: f"{v:.4f}"),
        "```",
        "",
        f"Chosen f = {c.fraction} (best mean; within 0.005 the smaller).",
        "",
        "## The parameter set",
        "",
        "```json",
        json.dumps(c.params_set, indent=2, sort_keys=True),
        "```",
        "",
    ]
    return "\n".join(lines)


def write_calibration(c: Calibration, out: str | Path) -> Path:
    """report.md, tables/*.csv and ``history_1950_1989.json`` (the parameter set), whole or not at all."""
    out = report_folder(out)

    def write(folder: Path) -> None:
        (folder / "tables").mkdir()
        write_csv(c.measures, folder / "tables" / "measures.csv")
        write_csv(c.weights, folder / "tables" / "x0_weights.csv")
        write_csv(c.fits, folder / "tables" / "x0_weights_both.csv")
        write_csv(c.balance, folder / "tables" / "balance_fraction.csv")
        (folder / f"{SET_NAME}.json").write_text(
            json.dumps(c.params_set, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        (folder / "report.md").write_text(_report(c), encoding="utf-8")

    return write_folder(out, write, overwrite=True)
