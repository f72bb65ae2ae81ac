"""Charts of a run. Each chart has a ``*_data()`` function that computes what it shows (tested with
numbers) and a ``plot_*(data, ax=None)`` function that draws it and returns the Figure."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

if TYPE_CHECKING:
    from alignsim.results import RunResult

RULE_MARKERS = {"cool": ("v", "#c0392b"), "court": ("^", "#2471a3"), "counter_court": ("D", "#7d3c98"), "reciprocate": ("o", "#229954")}
SAVE_OPTIONS: dict[str, Any] = {"dpi": 110, "metadata": {"Software": None}}


def _figure(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax  # type: ignore[return-value]
    fig = Figure(figsize=size, layout="constrained")
    return fig, fig.add_subplot()


def _matrix(result: RunResult, step: int, column: str = "weight") -> tuple[list[str], np.ndarray]:
    codes = list(dict.fromkeys(result.relations.source))
    rows = result.relations[result.relations.step == step]
    idx = {c: i for i, c in enumerate(codes)}
    mat = np.zeros((len(codes), len(codes)))
    mat[rows.source.map(idx), rows.target.map(idx)] = rows[column].to_numpy()
    return codes, mat


def old_friends(result: RunResult, threshold: float | None = None) -> set[tuple[str, str]]:
    """Directed pairs that started as friends (W at step 0 at or above the friend threshold)."""
    t = result.scenario.params.friend_threshold if threshold is None else threshold
    r = result.relations[(result.relations.step == 0) & (result.relations.weight >= t)]
    return set(zip(r.source, r.target))


# ---------------------------------------------------------------- tracked pairs over time
@dataclass
class PairsData:
    series: pd.DataFrame  # pair, date, weight, reverse, baseline, old_friend
    shocks: pd.DataFrame  # scripted shocks: date, label
    reactions: pd.DataFrame  # agent events within a tracked pair: pair, date, rule, label


def pairs_data(result: RunResult, pairs: list[str] | None = None) -> PairsData:
    """Relations of the tracked pairs (both directions and the baseline), with shocks and the
    agent reactions inside each pair."""
    pairs = list(pairs or result.scenario.track) or _default_pairs(result)
    friends = old_friends(result)
    r = result.relations
    frames = []
    for pair in pairs:
        a, b = pair.split("-")
        fwd = r[(r.source == a) & (r.target == b)]
        back = r[(r.source == b) & (r.target == a)]
        frames.append(pd.DataFrame({
            "pair": pair, "date": pd.to_datetime(fwd.date.to_numpy()), "weight": fwd.weight.to_numpy(),
            "reverse": back.weight.to_numpy(), "baseline": fwd.baseline.to_numpy(), "old_friend": (a, b) in friends,
        }))
    ev = result.events
    scripted = ev[ev.origin == "scenario"]
    shocks = pd.DataFrame({"date": pd.to_datetime(scripted.date), "label": [_label(e) for e in scripted.itertuples()]})
    rows = []
    for pair in pairs:
        a, b = pair.split("-")
        mine = ev[(ev.origin == "agent") & (((ev.source == a) & (ev.target == b)) | ((ev.source == b) & (ev.target == a)))]
        rows += [{"pair": pair, "date": pd.Timestamp(e.date), "rule": e.rule, "label": f"{e.source}: {e.type}"} for e in mine.itertuples()]
    return PairsData(pd.concat(frames, ignore_index=True), shocks, pd.DataFrame(rows, columns=["pair", "date", "rule", "label"]))


def _default_pairs(result: RunResult) -> list[str]:
    drift = drift_data(result)
    return [f"{s}-{t}" for s, t in zip(drift.source[:6], drift.target[:6])]


def _label(e: Any) -> str:
    who = e.source + (f"-{e.target}" if e.target else "")
    return f"{e.type} {who}"


def plot_pairs(data: PairsData, ax: Axes | None = None) -> Figure:
    """One panel per tracked pair: W (thick if an old friendship), the reverse view, the interest
    baseline, scripted shocks as grey lines and agent reactions as markers."""
    pairs = list(dict.fromkeys(data.series.pair))
    if ax is not None:
        pairs, axes = pairs[:1], [ax]
        fig = ax.figure
    else:
        cols = 2 if len(pairs) > 1 else 1
        rows = -(-len(pairs) // cols)
        fig = Figure(figsize=(6.2 * cols, 2.6 * rows + 0.8), layout="constrained")
        axes = list(np.atleast_1d(fig.subplots(rows, cols, sharex=True, squeeze=False).ravel()))
        for extra in axes[len(pairs):]:
            extra.set_visible(False)
    for pair, a in zip(pairs, axes):
        s = data.series[data.series.pair == pair]
        src, tgt = pair.split("-")
        friend = bool(s.old_friend.iloc[0])
        a.axhline(0, color="0.6", lw=0.6)
        for d in data.shocks.date:
            a.axvline(d, color="0.75", lw=0.8, ls=":")
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
        title = f"{src} → {tgt}: {start:+.2f} → {end:+.2f}"
        a.set_title(title + ("   (old friends)" if friend else ""), fontsize=10, color="#c0392b" if friend else "black", loc="left")
        a.set_ylim(-1.05, 1.05)
        a.set_ylabel("relation W")
        locator = AutoDateLocator(maxticks=8)
        a.xaxis.set_major_locator(locator)
        a.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        a.legend(fontsize=7, loc="lower left", ncols=3, frameon=False)
    if ax is None:
        fig.suptitle("Tracked relations: how each state regards the other, against what interests justify", fontsize=11)
        shocks = [f"{d:%Y-%m-%d} {lab}" for d, lab in zip(data.shocks.date, data.shocks.label)]
        if shocks:
            lines = ["Dotted lines, scripted shocks: " + "; ".join(shocks[k : k + 4]) for k in range(0, min(len(shocks), 12), 4)]
            fig.supxlabel("\n".join(lines), fontsize=8, ha="left", x=0.01)
    return fig


# ---------------------------------------------------------------- relation matrix at start and end
@dataclass
class MatricesData:
    codes: list[str]
    start: np.ndarray
    end: np.ndarray
    start_date: str
    end_date: str


def matrices_data(result: RunResult) -> MatricesData:
    last = int(result.relations.step.max())
    codes, start = _matrix(result, 0)
    _, end = _matrix(result, last)
    dates = result.metrics.date
    return MatricesData(codes, start, end, str(dates.iloc[0]), str(dates.iloc[-1]))


def plot_matrices(data: MatricesData) -> Figure:
    fig = Figure(figsize=(11, 4.8), layout="constrained")
    axes = fig.subplots(1, 2)
    for a, mat, when in ((axes[0], data.start, data.start_date), (axes[1], data.end, data.end_date)):
        image = a.imshow(mat, cmap="RdBu", vmin=-1, vmax=1)
        n = len(data.codes)
        a.set_xticks(range(n), data.codes)
        a.set_yticks(range(n), data.codes)
        for i in range(n):
            for j in range(n):
                if i != j:
                    a.text(j, i, f"{mat[i, j]:+.1f}", ha="center", va="center", fontsize=7, color="white" if abs(mat[i, j]) > 0.6 else "black")
        a.set_title(f"Relations on {when} (row regards column)", fontsize=10)
    fig.colorbar(image, ax=axes, shrink=0.8, label="W: -1 hostile … +1 friendly")
    return fig


# ---------------------------------------------------------------- alignment network at the end
@dataclass
class NetworkData:
    codes: list[str]
    capability: list[float]
    blocs: list[str]
    edges: list[tuple[str, str, float]]  # symmetric mean relation, |w| >= 0.2


def network_data(result: RunResult, step: int | None = None) -> NetworkData:
    step = int(result.relations.step.max()) if step is None else step
    codes, mat = _matrix(result, step)
    sym = (mat + mat.T) / 2
    edges = [(codes[i], codes[j], float(sym[i, j])) for i in range(len(codes)) for j in range(i + 1, len(codes)) if abs(sym[i, j]) >= 0.2]
    row = result.metrics[result.metrics.step == step].iloc[0]
    caps = {s.code: s.capability for s in result.scenario.world_spec.states}
    return NetworkData(codes, [caps[c] for c in codes], [str(row[f"bloc_{c}"]) for c in codes], edges)


def plot_network(data: NetworkData, ax: Axes | None = None) -> Figure:
    fig, a = _figure(ax, (7, 6))
    g = nx.Graph()
    g.add_nodes_from(data.codes)
    for u, v, w in data.edges:
        g.add_edge(u, v, weight=w, strength=abs(w) if w > 0 else 0.05)
    pos = nx.spring_layout(g, weight="strength", seed=1)
    blocs = sorted(set(data.blocs))
    palette = ["#2471a3", "#c0392b", "#229954", "#7d3c98"]
    colors = [palette[blocs.index(b) % len(palette)] for b in data.blocs]
    sizes = [300 + 4000 * np.sqrt(c / max(data.capability)) for c in data.capability]
    for u, v, w in data.edges:
        (x1, y1), (x2, y2) = pos[u], pos[v]
        a.plot([x1, x2], [y1, y2], color="#229954" if w > 0 else "#c0392b", lw=0.5 + 4 * abs(w), ls="-" if w > 0 else "--", alpha=0.7, zorder=1)
    a.scatter([pos[c][0] for c in data.codes], [pos[c][1] for c in data.codes], s=sizes, c=colors, zorder=2, edgecolors="white")
    for c in data.codes:
        a.annotate(c, pos[c], ha="center", va="center", color="white", fontsize=9, fontweight="bold", zorder=3)
    handles = [Line2D([], [], color="#229954", lw=2, label="friendly"), Line2D([], [], color="#c0392b", lw=2, ls="--", label="hostile")]
    handles += [Line2D([], [], marker="o", ls="", color=palette[k % len(palette)], label=f"bloc of {b}") for k, b in enumerate(blocs)]
    a.legend(handles=handles, fontsize=8, loc="best")
    a.set_axis_off()
    a.margins(0.12)
    a.set_title("Alignment network at the end (node size: capability; edges: mean relation, |W| ≥ 0.2)", fontsize=9)
    return fig


# ---------------------------------------------------------------- blocs over time
@dataclass
class BlocsData:
    codes: list[str]
    dates: list[str]
    blocs: np.ndarray  # states x steps, index into names
    names: list[str]


def blocs_data(result: RunResult) -> BlocsData:
    m = result.metrics
    codes = [c.removeprefix("bloc_") for c in m.columns if c.startswith("bloc_")]
    labels = m[[f"bloc_{c}" for c in codes]].astype(str).to_numpy().T
    names = sorted(set(labels.ravel()))
    return BlocsData(codes, list(m.date), np.vectorize(names.index)(labels), names)


def plot_blocs(data: BlocsData, ax: Axes | None = None) -> Figure:
    fig, a = _figure(ax, (10, 0.4 * len(data.codes) + 1.6))
    palette = ["#2471a3", "#c0392b", "#229954", "#7d3c98"]
    a.imshow(data.blocs, aspect="auto", cmap=ListedColormap(palette[: max(1, len(data.names))]), vmin=0, vmax=max(1, len(data.names)) - 1 + 1e-9, interpolation="nearest")
    a.set_yticks(range(len(data.codes)), data.codes)
    ticks = list(range(0, len(data.dates), max(1, len(data.dates) // 12)))
    a.set_xticks(ticks, [data.dates[t][:7] for t in ticks], rotation=45, fontsize=8)
    handles = [Line2D([], [], marker="s", ls="", color=palette[k % len(palette)], label=f"bloc of {n}") for k, n in enumerate(data.names)]
    a.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    a.set_title("Blocs over time (sign of the leading eigenvector of W; named after the most capable member)", fontsize=9)
    return fig


# ---------------------------------------------------------------- drift of every pair
def drift_data(result: RunResult) -> pd.DataFrame:
    """source, target, start, end, baseline_end, drift (end - start), interest_pull (baseline_end -
    start), old_friend; largest absolute drift first. Drift close to interest_pull is relaxation toward
    interests; drift away from it is the work of events and balance."""
    r = result.relations
    last = r.step.max()
    start = r[r.step == 0].set_index(["source", "target"]).weight
    end_rows = r[r.step == last].set_index(["source", "target"])
    out = pd.DataFrame({"start": start, "end": end_rows.weight, "baseline_end": end_rows.baseline}).reset_index()
    out["drift"] = out.end - out.start
    out["interest_pull"] = out.baseline_end - out.start  # where interests alone would have moved it
    friends = old_friends(result)
    out["old_friend"] = [(s, t) in friends for s, t in zip(out.source, out.target)]
    return out.reindex(out.drift.abs().sort_values(ascending=False, kind="stable").index).reset_index(drop=True)


def plot_drift(data: pd.DataFrame, ax: Axes | None = None, top: int = 16) -> Figure:
    rows = data.head(top).iloc[::-1]
    fig, a = _figure(ax, (7.5, 0.32 * len(rows) + 1.4))
    colors = ["#c0392b" if f else "#7f8c8d" for f in rows.old_friend]
    labels = [f"{s} → {t}" for s, t in zip(rows.source, rows.target)]
    a.barh(labels, rows.drift, color=colors)
    a.scatter(rows.interest_pull, labels, marker="|", s=220, color="#e67e22", zorder=3)
    a.axvline(0, color="black", lw=0.8)
    a.set_xlabel("change of relation W, start to end")
    a.legend(handles=[
        Line2D([], [], color="#c0392b", lw=6, label="old friends (W ≥ friend threshold at start)"),
        Line2D([], [], color="#7f8c8d", lw=6, label="other pairs"),
        Line2D([], [], color="#e67e22", marker="|", ls="", markersize=14, label="interest baseline at the end − W at start"),
    ], fontsize=8, loc="best")
    a.set_title(f"Largest drifts ({len(rows)} of {len(data)} directed pairs)", fontsize=10)
    return fig


# ---------------------------------------------------------------- all of them
def save_charts(result: RunResult, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    figures = {
        "tracked_pairs.png": plot_pairs(pairs_data(result)),
        "relations_start_end.png": plot_matrices(matrices_data(result)),
        "alignment_network_end.png": plot_network(network_data(result)),
        "blocs_over_time.png": plot_blocs(blocs_data(result)),
        "drift.png": plot_drift(drift_data(result)),
    }
    paths = []
    for name, fig in figures.items():
        fig.savefig(folder / name, **SAVE_OPTIONS)
        paths.append(folder / name)
    return paths
