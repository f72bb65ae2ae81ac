"""Charts of the history checks (``alignsim hindcast``), drawn from plain tables: each function takes
DataFrames with the columns named in its docstring and returns a Figure; colours from :mod:`alignsim.viz.style`."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from alignsim.viz import style

SAVE_OPTIONS = {"dpi": 110, "metadata": {"Software": None}}  # no version stamp: the same bytes per run
COLORS = (
    style.series_color(0),
    style.series_color(3),
    style.REVERSE,
)  # observed / agreeing; the contrast; the null model


def plot_alliance_survival(curves: dict[str, pd.DataFrame], hazards: pd.DataFrame) -> Figure:
    """Kaplan-Meier curves (label -> years, survival, lo, hi) and the hazard ratios per SD of S
    (model, hazard_ratio_per_sd, lo95, hi95) with their intervals."""
    fig = Figure(figsize=(10, 4.2), layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=(1.6, 1))
    for (label, c), color in zip(curves.items(), COLORS):
        left.step(c.years, c.survival, where="post", color=color, label=label)
        left.fill_between(c.years, c.lo, c.hi, step="post", color=color, alpha=0.2, linewidth=0)
    left.set(
        xlabel="years since the alliance was formed",
        ylabel="share of alliances still in force",
        title="Alliances formed 1947-2017 (ATOP), by UN-vote agreement at formation",
    )
    low = min(float(c.lo.min()) for c in curves.values())
    left.set_ylim(max(0.0, low - 0.05), 1.005)  # few alliances lapse: zoom on the part of the axis in use
    left.legend(loc="lower left", fontsize=9)
    y = np.arange(len(hazards))[::-1]
    right.errorbar(
        hazards.hazard_ratio_per_sd,
        y,
        xerr=[hazards.hazard_ratio_per_sd - hazards.lo95, hazards.hi95 - hazards.hazard_ratio_per_sd],
        fmt="o",
        color=style.INK,
        capsize=4,
    )
    right.axvline(1.0, color=style.ZERO_LINE, linestyle="--", linewidth=1)
    right.set_yticks(y, [m.replace(" (", "\n(") for m in hazards.model])
    right.set(
        xlabel="hazard ratio of ending per SD more agreement\n(< 1: agreeing allies last longer)",
        title="Cox models, 95% intervals",
    )
    right.set_ylim(-0.7, len(hazards) - 0.3)
    return fig


def plot_balance(by_year: pd.DataFrame, changes: pd.DataFrame) -> Figure:
    """Left: balanced share per year (year, balanced_share, null_mean, null_lo, null_hi). Right:
    change shares with intervals (quantity, value, lo95, hi95) for the first four quantities."""
    fig = Figure(figsize=(12, 4.4), layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=(1.5, 1))
    left.fill_between(
        by_year.year,
        by_year.null_lo,
        by_year.null_hi,
        color=COLORS[2],
        alpha=0.35,
        linewidth=0,
        label="random networks, same ties per state (95%)",
    )
    left.plot(by_year.year, by_year.null_mean, color=COLORS[2], linewidth=1)
    left.plot(by_year.year, by_year.balanced_share, color=COLORS[0], marker="o", markersize=3, label="observed")
    left.set(
        xlabel="year",
        ylabel="share of closed triads that are balanced",
        title="Structural balance: alliances (+), disputes and rivalries (-)",
    )
    left.legend(loc="lower right", fontsize=9)
    shown = changes.iloc[:4]
    x = np.arange(len(shown))
    colors = [COLORS[1], COLORS[0], COLORS[1], COLORS[0]]
    right.bar(
        x, shown.value, color=colors, alpha=0.85, yerr=[shown.value - shown.lo95, shown.hi95 - shown.value], capsize=4
    )
    for k in (2, 3):  # the expectations drawn paler than the observations
        right.patches[k].set_alpha(0.35)
    right.set_xticks(x, ["imbalanced", "balanced", "imbalanced\n(expected)", "balanced\n(expected)"], fontsize=9)
    right.set(
        ylabel="share of triads in which a tie changes\nwithin five years",
        title="Do imbalanced triads change more? (1950-2005)",
    )
    right.text(
        0.98,
        0.97,
        "pale: expected if each tie changed\nat the usual rate of ties of its sign",
        transform=right.transAxes,
        ha="right",
        va="top",
        fontsize=8,
    )
    return fig


def plot_reversion(rates: pd.DataFrame) -> Figure:
    """End rates per year of ties out of line and in line with interests (tie, rate_out, rate_in) and
    their ratio with its interval (rate_ratio, lo95, hi95)."""
    fig = Figure(figsize=(10, 4.2), layout="constrained")
    left, right = fig.subplots(1, 2)
    x = np.arange(len(rates))
    left.bar(x - 0.2, 100 * rates.rate_out, width=0.4, color=COLORS[1], label="out of line with interests")
    left.bar(x + 0.2, 100 * rates.rate_in, width=0.4, color=COLORS[0], label="in line with interests")
    left.set_xticks(
        x,
        [
            f"{_plural(t)}\nout of line: {o.replace(' the year', chr(10) + 'the year')}"
            for t, o in zip(rates.tie, rates.out_of_line)
        ],
        fontsize=8,
    )
    left.set(ylabel="ties ending per 100 dyad-years", title="How often ties end")
    left.legend(fontsize=9)
    right.errorbar(
        rates.rate_ratio,
        x[::-1],
        xerr=[rates.rate_ratio - rates.lo95, rates.hi95 - rates.rate_ratio],
        fmt="o",
        color=style.INK,
        capsize=4,
    )
    right.axvline(1.0, color=style.ZERO_LINE, linestyle="--", linewidth=1)
    right.set_yticks(x[::-1], [_plural(t) for t in rates.tie])
    right.set_ylim(-0.7, len(rates) - 0.3)
    right.set(
        xlabel="end rate out of line / in line\n(> 1: ties against interests end sooner)",
        title="Rate ratio, 95% bootstrap interval",
    )
    return fig


def _plural(tie: str) -> str:
    return tie[:-1] + "ies" if tie.endswith("y") else tie + "s"


def plot_hindcast(scores: pd.DataFrame) -> Figure:
    """AUC and Brier score per predictor and horizon, pooled over start years (rows with start
    ``all``; columns horizon, predictor, auc, auc_lo95, auc_hi95, brier, brier_lo95, brier_hi95)."""
    pooled = scores[scores.start == "all"]
    predictors = list(dict.fromkeys(pooled.predictor))
    horizons = sorted(pooled.horizon.unique())
    fig = Figure(figsize=(11, 4.2), layout="constrained")
    axes = fig.subplots(1, 2)
    width = 0.8 / max(len(predictors), 1)
    for ax, col, label, title in (
        (
            axes[0],
            "auc",
            "chance a future ally is ranked above\na future enemy (AUC; 0.5 = a coin toss)",
            "Ranking future friends above future enemies",
        ),
        (
            axes[1],
            "brier",
            "error of the predicted chance of a\nfriendly tie (Brier score; lower is better)",
            "Predicted chance of a friendly tie",
        ),
    ):
        for k, (name, color) in enumerate(zip(predictors, COLORS)):
            part = pooled[pooled.predictor == name].set_index("horizon").loc[horizons]
            x = np.arange(len(horizons)) + (k - (len(predictors) - 1) / 2) * width
            ax.bar(
                x,
                part[col],
                width=width,
                color=color,
                alpha=0.85,
                label=name,
                yerr=[part[col] - part[f"{col}_lo95"], part[f"{col}_hi95"] - part[col]],
                capsize=4,
            )
        ax.set_xticks(np.arange(len(horizons)), [f"{h} years later" for h in horizons])
        ax.set(ylabel=label, title=title)
    axes[0].axhline(0.5, color=style.ZERO_LINE, linestyle="--", linewidth=1)  # a coin toss
    axes[0].set_ylim(0, 1)
    axes[0].legend(fontsize=9, loc="lower right")
    return fig
