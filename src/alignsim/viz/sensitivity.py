"""Charts of a sweep: Sobol and Morris indices as bars, grid main effects as lines; drawn from
plain data (:mod:`alignsim.experiments.sweep` computes it)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from alignsim.viz import style
from alignsim.viz.charts import figure


@dataclass
class IndexData:
    """Bars of one outcome: a value per parameter with its confidence half-width."""

    outcome: str
    parameters: list[str]
    series: dict[str, np.ndarray]  # label -> value per parameter
    errors: dict[str, np.ndarray]  # label -> confidence half-width per parameter
    title: str
    ylabel: str


@dataclass
class EffectsData:
    outcome: str
    table: pd.DataFrame  # parameter, value, mean, std, runs


def plot_sobol(data: IndexData, ax: Axes | None = None) -> Figure:
    """Grouped bars per parameter with confidence-interval error bars."""
    return _bars(data, ax, ylim=(min(0.0, _low(data)), max(1.0, _high(data))))


def plot_morris(data: IndexData, ax: Axes | None = None) -> Figure:
    return _bars(data, ax, ylim=None)


def _low(data: IndexData) -> float:
    vals = [v - e for s in data.series for v, e in zip(data.series[s], data.errors[s]) if np.isfinite(v)]
    return float(min(vals)) - 0.05 if vals else 0.0


def _high(data: IndexData) -> float:
    vals = [v + e for s in data.series for v, e in zip(data.series[s], data.errors[s]) if np.isfinite(v)]
    return float(max(vals)) + 0.05 if vals else 1.0


def _bars(data: IndexData, ax: Axes | None, *, ylim: tuple[float, float] | None) -> Figure:
    fig, a = figure(ax, (max(5.0, 1.2 * len(data.parameters) + 2), 3.8))
    x = np.arange(len(data.parameters))
    width = 0.8 / max(1, len(data.series))
    for k, (label, values) in enumerate(data.series.items()):
        a.bar(
            x + (k - (len(data.series) - 1) / 2) * width,
            values,
            width,
            yerr=data.errors[label],
            capsize=3,
            color=style.series_color(k),
            label=label,
            error_kw={"elinewidth": 1},
        )
    a.axhline(0, color=style.INK, lw=0.6)
    a.set_xticks(x, data.parameters, rotation=20, ha="right")
    a.set_ylabel(data.ylabel)
    a.set_title(data.title, fontsize=9)
    if ylim is not None:
        a.set_ylim(*ylim)
    a.legend(fontsize=8, frameon=False)
    return fig


def plot_effects(data: EffectsData, ax: Axes | None = None) -> Figure:
    """Main effects: the outcome's mean (± std across runs) against each parameter's values."""
    params = list(dict.fromkeys(data.table.parameter))
    if ax is not None:
        fig, axes = ax.figure, [ax] * len(params)
    else:
        fig = Figure(figsize=(3.2 * len(params) + 0.5, 3.2), layout="constrained")
        axes = list(np.atleast_1d(fig.subplots(1, len(params), sharey=True)))
    for a, p in zip(axes, params):
        rows = data.table[data.table.parameter == p]
        a.errorbar(
            rows.value, rows["mean"], yerr=rows["std"], marker="o", capsize=3, color=style.series_color(0), label=p
        )
        a.set_xlabel(p)
    axes[0].set_ylabel(f"{data.outcome} (mean ± std)")
    return fig  # type: ignore[return-value]
