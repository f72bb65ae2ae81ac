"""The evidence on the thesis in one table (notebook 03, Part 4): each claim, its value with its 95%
interval and a verdict computed from the interval, so the lesson's conclusions come from the numbers
it has just computed and change when they do."""

from __future__ import annotations

import pandas as pd

__all__ = ["evidence_summary", "verdict"]


def verdict(lo: float, hi: float, null: float, *, higher_supports: bool) -> str:
    """Whether the claim holds: the interval [lo, hi] entirely on its side of ``null``, entirely on the other, or across it."""
    above, below = lo > null, hi < null
    if (above and higher_supports) or (below and not higher_supports):
        return "supported"
    if above or below:
        return "contradicted"
    return "cannot tell (the interval includes no effect)"


def evidence_summary(
    hazards: pd.DataFrame, reversion: pd.DataFrame, triads: pd.DataFrame, hindcast: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Rows of claim, value [interval], verdict from: the hazard table of ``alliance_survival``
    (``SurvivalResult.table()``), ``reversion_rates``, ``change_difference`` and, when given, the
    differences of ``score_dyads`` (a model that beats a baseline supports the thesis it is built on)."""
    rows = []
    claims = {
        "S at formation": "Agreement when an alliance forms predicts how long it lasts",
        "S of each year (time-varying)": "Agreement during an alliance goes with it lasting",
    }
    for r in hazards.itertuples():
        claim = claims.get(
            r.model, f"Agreement during an alliance goes with it lasting ({r.model.replace(' (time-varying)', '')})"
        )
        rows.append(
            (
                claim,
                f"hazard ratio {r.hazard_ratio_per_sd:.2f} [{r.lo95:.2f}, {r.hi95:.2f}]",
                verdict(r.lo95, r.hi95, 1.0, higher_supports=False),
            )
        )
    for r in reversion.itertuples():
        ties = "Alliances" if r.tie == "alliance" else "Rivalries"
        rows.append(
            (
                f"{ties} out of line with interests end sooner",
                f"rate ratio {r.rate_ratio:.2f} [{r.lo95:.2f}, {r.hi95:.2f}]",
                verdict(r.lo95, r.hi95, 1.0, higher_supports=True),
            )
        )
    d = triads.set_index("quantity").loc["difference imbalanced - balanced"]
    rows.append(
        (
            "Unbalanced triangles change more often (structural balance: a rival mechanism, not evidence that interests endure)",
            f"difference of shares {d.value:.2f} [{d.lo95:.2f}, {d.hi95:.2f}]",
            verdict(d.lo95, d.hi95, 0.0, higher_supports=True),
        )
    )
    for r in hindcast.itertuples() if hindcast is not None else ():
        rows.append(
            (
                f"The model forecasts ties {r.horizon} years ahead better than {r.baseline}",
                f"AUC difference {r.auc_difference:+.2f} [{r.auc_difference_lo95:+.2f}, {r.auc_difference_hi95:+.2f}]",
                verdict(r.auc_difference_lo95, r.auc_difference_hi95, 0.0, higher_supports=True),
            )
        )
    return pd.DataFrame(rows, columns=["claim", "value [95% interval]", "verdict"])
