"""Charts of a run, drawn from plain data. Each chart has a data class (computed by
:mod:`alignsim.results.chart_data`, tested with numbers) and a ``plot_*(data, ax=None)`` function
that draws it and returns the Figure. Nothing here imports another alignsim layer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import ListedColormap, to_rgb
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

#: The matrices chart writes each cell's value up to this many states, and labels rows and columns up to LABELLED_STATES.
ANNOTATED_STATES = 20
LABELLED_STATES = 40
#: The network names at most this many states (the most capable).
LABELLED_NODES = 100
RULE_MARKERS = {"cool": ("v", "#c0392b"), "court": ("^", "#2471a3"), "counter_court": ("D", "#7d3c98"), "reciprocate": ("o", "#229954")}
SAVE_OPTIONS: dict[str, Any] = {"dpi": 110, "metadata": {"Software": None}}


def figure(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax  # type: ignore[return-value]
    fig = Figure(figsize=size, layout="constrained")
    return fig, fig.add_subplot()


# ---------------------------------------------------------------- tracked pairs over time
@dataclass
class PairsData:
    series: pd.DataFrame  # pair, date, weight, reverse, baseline, old_friend
    shocks: pd.DataFrame  # scripted shocks: date, label
    reactions: pd.DataFrame  # agent events within a tracked pair: pair, date, rule, label


def plot_pairs(data: PairsData, ax: Axes | None = None) -> Figure:
    """One panel per tracked pair: W (thick if an old friendship), the reverse view, the interest
    baseline, scripted shocks as grey lines and agent reactions as markers."""
    pairs = list(dict.fromkeys(data.series.pair))
    fig, axes = _panels(len(pairs), ax, (6.2, 2.6))
    for pair, a in zip(pairs, axes):
        s = data.series[data.series.pair == pair]
        src, tgt, friend = _pair_panel(a, s, pair, data.shocks)
        a.plot(s.date, s.weight, color="#c0392b" if friend else "#1f4e79", lw=2.6 if friend else 1.8, label=f"{src} → {tgt}")
        a.plot(s.date, s.reverse, color="0.45", lw=1.0, label=f"{tgt} → {src}")
        a.plot(s.date, s.baseline, color="#e67e22", lw=1.2, ls="--", label="interest baseline X0")
        react = data.reactions[data.reactions.pair == pair]
        for rule, (marker, color) in RULE_MARKERS.items():
            hits = react[react.rule == rule]
            if len(hits):
                y = np.interp(hits.date.astype("int64"), s.date.astype("int64"), s.weight)
                a.scatter(hits.date, y, marker=marker, color=color, zorder=5, s=36, label=rule.replace("_", "-"))
        start, end = s.weight.iloc[0], s.weight.iloc[-1]
        _finish_pair_panel(a, f"{src} → {tgt}: {start:+.2f} → {end:+.2f}", friend)
        a.legend(fontsize=7, loc="lower left", ncols=3, frameon=False)
    if ax is None:
        _pairs_titles(fig, "Tracked relations: how each state regards the other, against what interests justify", data.shocks)
    return fig


def _pair_panel(a: Axes, s: pd.DataFrame, pair: str, shocks: pd.DataFrame) -> tuple[str, str, bool]:
    """A tracked pair's panel frame: the zero line and the scripted shocks (dotted). Returns the
    pair's source, target and whether they are old friends."""
    src, tgt = pair.split("-")
    a.axhline(0, color="0.6", lw=0.6)
    for d in shocks.date:
        a.axvline(d, color="0.75", lw=0.8, ls=":")
    return src, tgt, bool(s.old_friend.iloc[0])


def _finish_pair_panel(a: Axes, title: str, friend: bool) -> None:
    a.set_title(title + ("   (old friends)" if friend else ""), fontsize=10, color="#c0392b" if friend else "black", loc="left")
    a.set_ylim(-1.05, 1.05)
    a.set_ylabel("relation W")
    _date_axis(a)


def _pairs_titles(fig: Figure, title: str, shocks: pd.DataFrame) -> None:
    """The figure's title and, underneath, the scripted shocks the dotted lines stand for."""
    fig.suptitle(title, fontsize=11)
    named = [f"{d:%Y-%m-%d} {lab}" for d, lab in zip(shocks.date, shocks.label)]
    if named:
        lines = ["Dotted lines, scripted shocks: " + "; ".join(named[k : k + 4]) for k in range(0, min(len(named), 12), 4)]
        fig.supxlabel("\n".join(lines), fontsize=8, ha="left", x=0.01)


# ---------------------------------------------------------------- relation matrix at start and end
@dataclass
class MatricesData:
    codes: list[str]
    start: np.ndarray
    end: np.ndarray
    start_date: str
    end_date: str
    note: str = ""  # appended to each panel's title, e.g. ", median of 100 runs"


def plot_matrices(data: MatricesData) -> Figure:
    fig = Figure(figsize=(11, 4.8), layout="constrained")
    axes = fig.subplots(1, 2)
    for a, mat, when in ((axes[0], data.start, data.start_date), (axes[1], data.end, data.end_date)):
        image = a.imshow(mat, cmap="RdBu", vmin=-1, vmax=1)
        n = len(data.codes)
        labels = data.codes if n <= LABELLED_STATES else []  # hundreds of labels would be a black bar
        a.set_xticks(range(n) if labels else [], labels)
        a.set_yticks(range(n) if labels else [], labels)
        for i in range(n if n <= ANNOTATED_STATES else 0):
            for j in range(n):
                if i != j:
                    a.text(j, i, f"{mat[i, j]:+.1f}", ha="center", va="center", fontsize=7, color="white" if abs(mat[i, j]) > 0.6 else "black")
        a.set_title(f"Relations on {when} (row regards column){data.note}", fontsize=10)
    fig.colorbar(image, ax=axes, shrink=0.8, label="W: -1 hostile … +1 friendly")
    return fig


# ---------------------------------------------------------------- alignment network at the end
@dataclass
class NetworkData:
    codes: list[str]
    capability: list[float]
    blocs: list[str]
    edges: list[tuple[str, str, float]]  # symmetric mean relation, |w| >= 0.2
    note: str = ""  # appended to the title


def plot_network(data: NetworkData, ax: Axes | None = None) -> Figure:
    fig, a = figure(ax, (7, 6))
    g = nx.Graph()
    g.add_nodes_from(data.codes)
    for u, v, w in data.edges:
        g.add_edge(u, v, weight=w, strength=abs(w) if w > 0 else 0.05)
    pos = nx.spring_layout(g, weight="strength", seed=1)
    blocs = sorted(set(data.blocs))
    palette = _bloc_palette(blocs)
    colors = [palette[blocs.index(b)] for b in data.blocs]
    scale = min(1.0, 24 / max(1, len(data.codes)))  # a large world: smaller nodes and labels
    sizes = [scale * (300 + 4000 * np.sqrt(c / max(data.capability))) for c in data.capability]
    for friendly in (True, False):  # one collection per line style: hundreds of edges draw at once
        edges = [(u, v, w) for u, v, w in data.edges if (w > 0) == friendly]
        if edges:
            a.add_collection(LineCollection([[pos[u], pos[v]] for u, v, _ in edges], colors="#229954" if friendly else "#c0392b",
                                            linewidths=[0.5 + 4 * abs(w) for _, _, w in edges], linestyles="-" if friendly else "--", alpha=0.7, zorder=1))
    a.scatter([pos[c][0] for c in data.codes], [pos[c][1] for c in data.codes], s=sizes, c=colors, zorder=2, edgecolors="white")
    labelled = sorted(range(len(data.codes)), key=lambda i: -data.capability[i])[:LABELLED_NODES]
    for c in (data.codes[i] for i in sorted(labelled)):
        a.annotate(c, pos[c], ha="center", va="center", color="white", fontsize=9 * max(scale, 0.5), fontweight="bold", zorder=3)
    handles = [Line2D([], [], color="#229954", lw=2, label="friendly"), Line2D([], [], color="#c0392b", lw=2, ls="--", label="hostile")]
    handles += [Line2D([], [], marker="o", ls="", color=palette[k], label=_bloc_label(b)) for k, b in enumerate(blocs)]
    a.legend(handles=handles, fontsize=8, loc="best")
    a.set_axis_off()
    a.margins(0.12)
    a.set_title(f"Alignment network at the end{data.note} (node size: capability; edges: mean relation, |W| ≥ 0.2)", fontsize=9)
    return fig


# ---------------------------------------------------------------- blocs over time
@dataclass
class BlocsData:
    codes: list[str]
    dates: list[str]
    blocs: np.ndarray  # states x steps, index into names
    names: list[str]
    agreement: np.ndarray | None = None  # ensembles: share of runs in the shown bloc (states x steps)


NONALIGNED = "non-aligned"  # the label alignsim.measures.metrics gives a state committed to neither side


def _bloc_label(name: str) -> str:
    return name if name == NONALIGNED else f"bloc of {name}"


def _bloc_palette(names: list[str]) -> list[str]:
    """One colour per bloc name, grey for the non-aligned."""
    palette = ["#2471a3", "#c0392b", "#229954", "#7d3c98"]
    out, k = [], 0
    for name in names:
        if name == NONALIGNED:
            out.append("#999999")
        else:
            out.append(palette[k % len(palette)])
            k += 1
    return out or [palette[0]]


def plot_blocs(data: BlocsData, ax: Axes | None = None) -> Figure:
    fig, a = figure(ax, (10, min(0.4 * len(data.codes), 0.08 * len(data.codes) + 6) + 1.6))
    palette = _bloc_palette(data.names)
    if data.agreement is None:
        a.imshow(data.blocs, aspect="auto", cmap=ListedColormap(palette), vmin=0, vmax=max(1, len(data.names)) - 1 + 1e-9, interpolation="nearest")
    else:  # an ensemble: the most common bloc, paler where fewer runs agree
        rgb = np.array([to_rgb(c) for c in palette])[data.blocs]
        strength = data.agreement[..., None]
        a.imshow(strength * rgb + (1 - strength) * 1.0, aspect="auto", interpolation="nearest")
    a.set_yticks(range(len(data.codes)), data.codes, fontsize=10 if len(data.codes) <= 40 else 4)
    ticks = list(range(0, len(data.dates), max(1, len(data.dates) // 12)))
    a.set_xticks(ticks, [data.dates[t][:7] for t in ticks], rotation=45, fontsize=8)
    handles = [Line2D([], [], marker="s", ls="", color=palette[k], label=_bloc_label(n)) for k, n in enumerate(data.names)]
    a.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    title = "Blocs over time (sign of the leading eigenvector of W; named after the most capable committed member; grey: non-aligned)"
    if data.agreement is not None:
        title = "Most common bloc over time across runs (paler: fewer runs agree; named after the most capable committed member)"
    a.set_title(title, fontsize=9)
    return fig


# ---------------------------------------------------------------- drift of every pair


def plot_drift(data: pd.DataFrame, ax: Axes | None = None, top: int = 16) -> Figure:
    rows = data.head(top).iloc[::-1]
    fig, a = figure(ax, (7.5, 0.32 * len(rows) + 1.4))
    colors = ["#c0392b" if f else "#7f8c8d" for f in rows.old_friend]
    labels = [f"{s} → {t}" for s, t in zip(rows.source, rows.target)]
    a.barh(labels, rows.drift, color=colors)
    if "drift_p5" in rows.columns:  # an ensemble: median drift with its 5-95% interval
        a.errorbar(rows.drift, labels, xerr=[rows.drift - rows.drift_p5, rows.drift_p95 - rows.drift], fmt="none", ecolor="black", elinewidth=0.9, capsize=2)
    a.scatter(rows.interest_pull, labels, marker="|", s=220, color="#e67e22", zorder=3)
    a.axvline(0, color="black", lw=0.8)
    a.set_xlabel("change of relation W, start to end")
    a.legend(handles=[
        Line2D([], [], color="#c0392b", lw=6, label="old friends (W ≥ friend threshold at start)"),
        Line2D([], [], color="#7f8c8d", lw=6, label="other pairs"),
        Line2D([], [], color="#e67e22", marker="|", ls="", markersize=14, label="interest baseline at the end − W at start"),
    ], fontsize=8, loc="best")
    if "drift_p5" in rows.columns:
        runs = data.attrs.get("replicates", "all")
        a.set_title(f"Largest median drifts over {runs} runs ({len(rows)} of {len(data)} directed pairs; lines: 5–95% of runs)", fontsize=10)
    else:
        a.set_title(f"Largest drifts ({len(rows)} of {len(data)} directed pairs)", fontsize=10)
    return fig


# ---------------------------------------------------------------- ensembles: the median and its band
BAND_COLOR = "#1f4e79"
SCENARIO_COLORS = ["#1f4e79", "#c0392b", "#229954", "#7d3c98", "#e67e22", "#17a589", "#7f8c8d", "#b7950b"]


@dataclass
class BandData:
    """What the ensemble's tracked-pairs chart shows.

    ``series``: pair, date, mean, p5, median, p95 of W, the medians of the reverse view and of the
    baseline, old_friend. ``runs``: pair, replicate, date, weight of the individual runs drawn (the
    first ``runs`` replicates; empty unless asked). ``shocks``: date, label of the scripted shocks.
    ``reactions``: pair, date, rule, share -- the share of runs in which an agent of the pair
    reacted to the other by that rule in that month.
    """

    series: pd.DataFrame
    runs: pd.DataFrame
    shocks: pd.DataFrame
    reactions: pd.DataFrame
    replicates: int
    low: float = 0.05
    high: float = 0.95


def draw_band(a: Axes, dates: Any, low: Any, mid: Any, high: Any, *, color: str, label: str, lw: float = 2.0) -> None:
    """The median as a line over its band (shaded)."""
    a.fill_between(dates, low, high, color=color, alpha=0.22, lw=0)
    a.plot(dates, mid, color=color, lw=lw, label=label)


def _date_axis(a: Axes) -> None:
    locator = _ViewCachedDateLocator(maxticks=8)
    a.xaxis.set_major_locator(locator)
    a.xaxis.set_major_formatter(ConciseDateFormatter(locator))


class _ViewCachedDateLocator(AutoDateLocator):
    """AutoDateLocator that keeps its ticks for the view they were computed for. Drawing a figure
    (its constrained layout most of all) asks every axis for its ticks dozens of times while the
    view stays put, and each answer walks a dateutil rrule: about a third of drawing the eight-panel tracked-pairs chart.
    The ticks depend on the view interval alone, so the cache changes no picture."""

    _view: tuple[float, float] | None = None
    _ticks: Any = None

    def __call__(self) -> Any:
        view = tuple(self.axis.get_view_interval()) if self.axis is not None else None
        if view is None or view != self._view:
            self._view, self._ticks = view, super().__call__()  # type: ignore[assignment]
        return self._ticks


def _panels(count: int, ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, list[Axes]]:
    if ax is not None:
        return ax.figure, [ax]  # type: ignore[return-value]
    cols = 2 if count > 1 else 1
    rows = -(-count // cols)
    fig = Figure(figsize=(size[0] * cols, size[1] * rows + 0.8), layout="constrained")
    axes = list(np.atleast_1d(fig.subplots(rows, cols, sharex=True, squeeze=False).ravel()))
    for extra in axes[count:]:
        extra.set_visible(False)
    return fig, axes[:count]


def plot_band(data: BandData, ax: Axes | None = None) -> Figure:
    """One panel per tracked pair (only the first when ``ax`` is given): the median of W across runs
    with its band, individual runs when asked, the medians of the reverse view and of the interest
    baseline, scripted shocks as dotted lines and agent reactions sized by the share of runs."""
    pairs = list(dict.fromkeys(data.series.pair))
    fig, axes = _panels(len(pairs), ax, (6.2, 2.6))
    band = f"{data.low * 100:g}–{data.high * 100:g}%"
    for pair, a in zip(pairs, axes):
        s = data.series[data.series.pair == pair]
        src, tgt, friend = _pair_panel(a, s, pair, data.shocks)
        mine = data.runs[data.runs.pair == pair]
        for k, (_, run) in enumerate(mine.groupby("replicate", sort=True)):
            a.plot(run.date, run.weight, color="0.55", lw=0.5, alpha=0.45, label="individual runs" if k == 0 else None)
        color = "#c0392b" if friend else BAND_COLOR
        draw_band(a, s.date, s.p5, s["median"], s.p95, color=color, label=f"{src} → {tgt} (median, {band} band)", lw=2.4 if friend else 1.9)
        a.plot(s.date, s.reverse, color="0.45", lw=1.0, label=f"{tgt} → {src} (median)")
        a.plot(s.date, s.baseline, color="#e67e22", lw=1.2, ls="--", label="interest baseline X0 (median)")
        react = data.reactions[data.reactions.pair == pair]
        for rule, (marker, mcolor) in RULE_MARKERS.items():
            hits = react[(react.rule == rule) & (react.share >= 0.05)]
            if len(hits):
                y = np.interp(hits.date.astype("int64"), s.date.astype("int64"), s["median"])
                a.scatter(hits.date, y, marker=marker, color=mcolor, zorder=5, s=12 + 90 * hits.share, label=f"{rule.replace('_', '-')} (size: share of runs)")
        start, end = s["median"].iloc[0], s["median"].iloc[-1]
        _finish_pair_panel(a, f"{src} → {tgt}: median {start:+.2f} → {end:+.2f}  [{band}: {s.p5.iloc[-1]:+.2f}, {s.p95.iloc[-1]:+.2f}]", friend)
        a.legend(fontsize=6.5, loc="best", ncols=2, frameon=False)
    if ax is None:
        _pairs_titles(fig, f"Tracked relations over {data.replicates} runs: median with the {band} band of runs, against what interests justify", data.shocks)
    return fig


# ---------------------------------------------------------------- comparisons (data: alignsim.experiments.comparison)
def plot_comparison_pair(bands: pd.DataFrame, ax: Axes | None = None, *, difference: bool = False) -> Figure:
    """One tracked pair in several scenarios, from the rows of :attr:`CompareResult.bands` for that
    pair. Without ``ax``: two panels, each scenario's median and band (left) and each scenario's
    difference from the first, paired run by run, with its band (right). With ``ax``: the left
    panel, or the right one when ``difference``."""
    scenarios = list(dict.fromkeys(bands.scenario))
    pair = str(bands.pair.iloc[0])
    src, tgt = pair.split("-")
    if ax is None:
        fig = Figure(figsize=(12.5, 4.2), layout="constrained")
        level_ax, diff_ax = fig.subplots(1, 2, sharex=True)
        panels = [(level_ax, False), (diff_ax, True)]
    else:
        fig = ax.figure  # type: ignore[assignment]
        panels = [(ax, difference)]
    dates = pd.to_datetime(bands.date)
    for a, diff in panels:
        a.axhline(0, color="0.6", lw=0.6)
        for k, name in enumerate(scenarios):
            rows = bands.scenario == name
            color = SCENARIO_COLORS[k % len(SCENARIO_COLORS)]
            if diff:
                if k == 0:
                    continue
                ok = rows & bands.diff_median.notna()
                draw_band(a, dates[ok], bands.diff_p5[ok], bands.diff_median[ok], bands.diff_p95[ok], color=color, label=f"{name} − {scenarios[0]}")
            else:
                draw_band(a, dates[rows], bands.p5[rows], bands["median"][rows], bands.p95[rows], color=color, label=name)
        _date_axis(a)
        a.legend(fontsize=7.5, loc="best", frameon=False)
        if diff:
            a.set_title(f"difference from {scenarios[0]}, run by run (median, 5–95%)", fontsize=9.5, loc="left")
            a.set_ylabel("difference of W")
        else:
            a.set_title(f"{src} → {tgt}: each scenario's median and 5–95% band of runs", fontsize=9.5, loc="left")
            low, high = a.get_ylim()
            a.set_ylim(max(low, -1.05), min(high, 1.05))  # zoomed on the bands, never beyond [-1, 1]
            a.set_ylabel("relation W")
    if ax is None:
        fig.suptitle(f"{src} → {tgt} in {len(scenarios)} scenarios (same seeds in every scenario)", fontsize=11)
    return fig


def plot_differences(outcomes: pd.DataFrame, ax: Axes | None = None, *, date: str | None = None) -> Figure:
    """Each scenario's effect on every tracked pair at one date (default: the end): the mean
    difference from the first scenario with its 5–95% interval, from :attr:`CompareResult.outcomes`."""
    rows = outcomes[outcomes.diff_mean.notna()]
    when = date or str(rows.date.max())
    rows = rows[rows.date == when]
    pairs = list(dict.fromkeys(rows.pair))
    scenarios = list(dict.fromkeys(rows.scenario))
    fig, a = figure(ax, (8.5, 0.42 * len(pairs) * max(1, len(scenarios)) + 1.6))
    height = 0.8 / max(1, len(scenarios))
    for k, name in enumerate(scenarios):
        mine = rows[rows.scenario == name].set_index("pair").reindex(pairs)
        y = np.arange(len(pairs))[::-1] + (len(scenarios) - 1) / 2 * height - k * height
        color = SCENARIO_COLORS[(k + 1) % len(SCENARIO_COLORS)]
        a.errorbar(mine.diff_mean, y, xerr=[mine.diff_mean - mine.diff_p5, mine.diff_p95 - mine.diff_mean], fmt="o", color=color, capsize=3, label=name)
    a.set_yticks(np.arange(len(pairs))[::-1], [p.replace("-", " → ") for p in pairs])
    a.axvline(0, color="black", lw=0.8)
    reference = outcomes.scenario.iloc[0]
    a.set_xlabel(f"difference of W from {reference} on {when} (mean and 5–95% of paired runs)")
    a.legend(fontsize=8, loc="best")
    a.set_title(f"What each scenario changes, relative to {reference}", fontsize=10)
    return fig


# ---------------------------------------------------------------- all of them
