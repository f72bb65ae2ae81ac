"""Charts of a run, drawn from plain data. Each chart has a data class (computed by
:mod:`alignsim.results.chart_data`, tested with numbers) and a ``plot_*(data, ax=None)`` function
that draws it and returns the Figure. Nothing here imports another alignsim layer."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import ListedColormap, to_rgb
from matplotlib.dates import MONTHLY, AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from PIL import Image

from alignsim.viz import style

#: The matrices chart writes each cell's value up to this many states, and labels rows and columns up to LABELLED_STATES.
ANNOTATED_STATES = 20
LABELLED_STATES = 40
#: The network names at most this many states (the most capable).
LABELLED_NODES = 100
SAVE_OPTIONS: dict[str, Any] = {"dpi": 110, "metadata": {"Software": None}}
#: zlib level of the PNGs: 3 of 9 compresses nearly as well as the default 6, in two thirds of the time.
PNG_COMPRESS_LEVEL = 3
#: Where the run charts' titles sit: at the top of the axes, where matplotlib would put them, as none of these
#: charts has ticks or an axis offset up there. Given, it spares matplotlib measuring both axes of every panel
#: to place each title, at every layout pass and at the draw.
TITLE_Y = 1.0
#: The relation axis of the tracked pairs' panels, labelled as matplotlib's own formatter would.
W_TICKS = (-1.0, -0.5, 0.0, 0.5, 1.0)
W_TICK_LABELS = [f"{t:.1f}".replace("-", "\N{MINUS SIGN}") for t in W_TICKS]


def save_png(fig: Figure, path: Path) -> None:
    """Write ``fig`` as a PNG at the charts' resolution. The layout engine runs once, here, at that
    resolution: ``savefig`` would lay the figure out in a draw of its own before the real one. The
    PNG is RGB, not RGBA: every chart is opaque, and a quarter less data compresses faster and smaller."""
    dpi = SAVE_OPTIONS["dpi"]
    fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
        fig.set_layout_engine("none")
    canvas.draw()
    rgba = Image.frombuffer("RGBA", canvas.get_width_height(physical=True), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    rgba.convert("RGB").save(path, format="png", dpi=(dpi, dpi), compress_level=PNG_COMPRESS_LEVEL)


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
    rules: dict[str, str] = field(default_factory=dict)  # rule name -> its label (the rules registry, via chart data)


def plot_pairs(data: PairsData, ax: Axes | None = None) -> Figure:
    """One panel per tracked pair: W (purple and thick if an old friendship), the reverse view, the
    interest baseline, scripted shocks as numbered dotted lines and agent reactions as markers."""
    pairs = list(dict.fromkeys(data.series.pair))
    fig, axes = _panels(len(pairs), ax, (6.2, 2.6))
    for pair, a in zip(pairs, axes):
        s = data.series[data.series.pair == pair]
        src, tgt, friend = _pair_panel(a, s, pair, data.shocks)
        a.plot(
            s.date,
            s.weight,
            color=style.OLD_FRIEND if friend else style.RELATION,
            lw=2.6 if friend else 1.8,
            label=f"{style.LABEL_W} of the old friends" if friend else style.LABEL_W,
        )
        a.plot(s.date, s.reverse, color=style.REVERSE, lw=1.0, label="the other way round")
        a.plot(s.date, s.baseline, color=style.BASELINE, lw=1.2, ls="--", label=style.LABEL_X0)
        react = data.reactions[data.reactions.pair == pair]
        for rule, (marker, color) in style.reaction_styles(data.reactions.rule).items():  # every rule in the data
            hits = react[react.rule == rule]
            if len(hits):
                y = np.interp(hits.date.astype("int64"), s.date.astype("int64"), s.weight)
                a.scatter(
                    hits.date,
                    y,
                    marker=marker,
                    color=color,
                    edgecolors=style.REACTION_EDGE,
                    linewidths=0.5,
                    zorder=5,
                    s=36,
                    label=style.reaction_label(data.rules.get(rule, rule)),
                )
        start, end = s.weight.iloc[0], s.weight.iloc[-1]
        _finish_pair_panel(a, f"{src} → {tgt}: {start:+.2f} → {end:+.2f}", friend)
    _pairs_legend(fig, axes, ax, "Tracked relations: how each state regards the other, against what interests justify")
    if ax is None:
        _shock_key(fig, data.shocks)
    return fig


def shock_numbers(dates: pd.Series, gap: pd.Timedelta | np.timedelta64) -> list[tuple[Any, str]]:
    """Where to write the shocks' numbers (1, 2, ...): shocks less than ``gap`` after the first of
    a group share one label such as "2–5", so numbers never overlap."""
    values = pd.to_datetime(pd.Series(list(dates))).reset_index(drop=True)
    if values.empty:
        return []
    order = values.sort_values(kind="stable").index.tolist()
    groups: list[list[int]] = [[order[0]]]
    for k in order[1:]:
        if values[k] - values[groups[-1][0]] < gap:
            groups[-1].append(k)
        else:
            groups.append([k])
    out = []
    for g in groups:
        nums = sorted(k + 1 for k in g)
        contiguous = nums == list(range(nums[0], nums[-1] + 1))
        text = str(nums[0]) if len(nums) == 1 else (f"{nums[0]}–{nums[-1]}" if contiguous else ",".join(map(str, nums)))
        out.append((values[g[0]], text))
    return out


def shock_key(shocks: pd.DataFrame) -> list[str]:
    """Every scripted shock, numbered as on the charts: "1  2024-02-01 dzud MNG", never truncated."""
    return [
        f"{k}  {d:%Y-%m-%d} {lab}" for k, (d, lab) in enumerate(zip(pd.to_datetime(shocks.date), shocks.label), start=1)
    ]


def _pair_panel(a: Axes, s: pd.DataFrame, pair: str, shocks: pd.DataFrame) -> tuple[str, str, bool]:
    """A tracked pair's panel frame: the zero line and the scripted shocks (dotted, numbered at the
    top). Returns the pair's source, target and whether they are old friends."""
    src, tgt = pair.split("-")
    a.axhline(0, color=style.ZERO_LINE, lw=0.6)
    if len(shocks):  # one collection, not a line per shock, drawn among the lines (zorder 2) as those were
        a.vlines(
            shocks.date, 0, 1, transform=a.get_xaxis_transform(), color=style.SHOCK, lw=0.7, ls=":", alpha=0.8, zorder=2
        )
    gap = (s.date.max() - s.date.min()) * 0.045  # about the width of a label "2–5" on a panel
    for d, text in shock_numbers(shocks.date, gap):
        a.text(
            d,
            1.0,
            text,
            transform=a.get_xaxis_transform(),
            ha="center",
            va="bottom",
            fontsize=6.5,
            color=style.SHOCK,
            clip_on=False,
        )
    return src, tgt, bool(s.old_friend.iloc[0])


def _finish_pair_panel(a: Axes, title: str, friend: bool) -> None:
    a.set_title(
        title + ("   (old friends)" if friend else ""),
        fontsize=10,
        color=style.OLD_FRIEND if friend else style.INK,
        loc="left",
        pad=9,
        y=TITLE_Y,
    )
    a.set_ylim(-1.05, 1.05)
    a.set_yticks(W_TICKS, W_TICK_LABELS)  # fixed: no locator or formatter rerun at every layout pass
    a.set_ylabel(style.LABEL_W)
    _date_axis(a)


def _pairs_legend(fig: Figure, axes: list[Axes], ax: Axes | None, title: str) -> None:
    """One legend for all panels, outside the axes, so it never covers a line; on a figure of its
    own the legend sits at the top and carries the figure's title (a suptitle and an outside legend
    would overlap under constrained layout)."""
    handles: dict[str, Any] = {}
    for a in axes:
        for h, label in zip(*a.get_legend_handles_labels()):
            handles.setdefault(label, h)
    if ax is not None:
        ax.legend(
            handles.values(),
            handles.keys(),
            fontsize=7,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.14),
            ncols=2,
            frameon=False,
        )
    else:
        width = fig.get_figwidth()
        fig.legend(
            handles.values(),
            handles.keys(),
            fontsize=8,
            loc="outside upper center",
            ncols=min(4 if width > 9 else 2, len(handles)),
            frameon=False,
            title=textwrap.fill(title, int(width * 72 / 6.2)),
            title_fontsize=11,
        )  # ~6 pt a character at 11 pt


def _shock_key(fig: Figure, shocks: pd.DataFrame) -> None:
    """Underneath the panels, the key of every numbered shock line (the heading once)."""
    key = shock_key(shocks)
    if key:
        width = max(len(k) for k in key)
        cols = max(1, min(3, int(fig.get_figwidth() * 72 / 4.6) // (width + 4)))  # monospace at 7.5 pt
        rows = -(-len(key) // cols)
        lines = [
            "   ".join(key[r + c * rows].ljust(width) for c in range(cols) if r + c * rows < len(key)).rstrip()
            for r in range(rows)
        ]
        fig.supxlabel(
            "Numbered dotted lines, the scripted shocks:\n" + "\n".join(lines),
            fontsize=7.5,
            ha="left",
            x=0.01,
            family="monospace",
        )
        fig.set_figheight(fig.get_figheight() + 0.13 * (rows + 1))  # room for the key: the panels keep their height


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
        image = a.imshow(mat, cmap=style.RELATION_CMAP, vmin=-1, vmax=1)
        n = len(data.codes)
        labels = data.codes if n <= LABELLED_STATES else []  # hundreds of labels would be a black bar
        a.set_xticks(range(n) if labels else [], labels)
        a.set_yticks(range(n) if labels else [], labels)
        for i in range(n if n <= ANNOTATED_STATES else 0):
            for j in range(n):
                if i != j:
                    a.text(
                        j,
                        i,
                        f"{mat[i, j]:+.1f}",
                        ha="center",
                        va="center",
                        fontsize=7,
                        color=style.PAPER if abs(mat[i, j]) > 0.6 else style.INK,
                        in_layout=False,  # inside its cell: the layout need not measure it
                    )
        a.set_title(f"Relations on {when} (row regards column){data.note}", fontsize=10, y=TITLE_Y)
    fig.colorbar(image, ax=axes, shrink=0.8, label=style.LABEL_SCALE)
    return fig


# ---------------------------------------------------------------- alignment network at the end
@dataclass
class NetworkData:
    codes: list[str]
    capability: list[float]
    blocs: list[str]
    edges: list[tuple[str, str, float]]  # symmetric mean relation, |w| >= 0.2
    note: str = ""  # appended to the title
    positions: dict[str, tuple[float, float]] | None = None  # the layout, computed once (network_layout)


def network_layout(codes: list[str], edges: list[tuple[str, str, float]]) -> dict[str, tuple[float, float]]:
    """Where each state sits: a spring layout pulled by friendships (hostile ties barely pull), seeded,
    so the PNG, report.html and the dashboard place the states alike."""
    g = nx.Graph()
    g.add_nodes_from(codes)
    for u, v, w in edges:
        g.add_edge(u, v, weight=w, strength=abs(w) if w > 0 else 0.05)
    pos = nx.spring_layout(g, weight="strength", seed=1)
    return {c: (float(pos[c][0]), float(pos[c][1])) for c in codes}


def bloc_handles(names: list[str], colors: list[str], *, marker: str) -> list[Line2D]:
    """Legend entries of the blocs: one marker per bloc in its colour, labelled by its name."""
    return [
        Line2D(
            [],
            [],
            marker=marker,
            ls="",
            markersize=9,
            markerfacecolor=c,
            markeredgecolor=style.INK,
            label=style.bloc_label(n),
        )
        for n, c in zip(names, colors)
    ]


def plot_network(data: NetworkData, ax: Axes | None = None) -> Figure:
    """States as nodes (size: capability, fill: bloc) placed by their friendships; friendly edges as
    solid blue lines, hostile edges as thin faint vermillion dashes behind them (so they do not
    make a hairball); the legend below the drawing."""
    fig, a = figure(ax, (7, 6.6))
    pos = data.positions or network_layout(data.codes, data.edges)
    blocs = sorted(set(data.blocs))
    palette = style.bloc_colors(blocs)
    colors = [palette[blocs.index(b)] for b in data.blocs]
    scale = min(1.0, 24 / max(1, len(data.codes)))  # a large world: smaller nodes
    sizes = [scale * (300 + 4000 * np.sqrt(c / max(data.capability))) for c in data.capability]
    edges = sorted(data.edges, key=lambda e: e[2])  # the strongest friendships drawn last, on top
    friendly, hostile = [e for e in edges if e[2] > 0], [e for e in edges if e[2] <= 0]
    a.add_collection(  # one collection per kind of edge, not a line each: hundreds in a large world
        LineCollection(
            [(pos[u], pos[v]) for u, v, _ in hostile],
            colors=style.HOSTILE,
            linewidths=[0.4 + 1.2 * abs(w) for *_, w in hostile],
            linestyles=[(0, (3, 3))],
            alpha=0.35,
            zorder=1,
        )
    )
    a.add_collection(
        LineCollection(
            [(pos[u], pos[v]) for u, v, _ in friendly],
            colors=style.FRIENDLY,
            linewidths=[0.5 + 4 * w for *_, w in friendly],
            capstyle="round",
            alpha=0.75,
            zorder=1.5,
        )
    )
    a.scatter(
        [pos[c][0] for c in data.codes],
        [pos[c][1] for c in data.codes],
        s=sizes,
        c=colors,
        zorder=2,
        edgecolors=style.INK,
        linewidths=0.6,
    )
    labelled = set(
        sorted(range(len(data.codes)), key=lambda i: -data.capability[i])[:LABELLED_NODES]
    )  # the most capable
    for c, size in (pair for i, pair in enumerate(zip(data.codes, sizes)) if i in labelled):
        inside = np.sqrt(size) >= 8.5 * len(c)  # the code fits in the node (points): else beside it
        a.annotate(
            c,
            pos[c],
            xytext=(0, 0) if inside else (0, -np.sqrt(size) / 2 - 1),
            textcoords="offset points",
            ha="center",
            va="center" if inside else "top",
            color=style.BLOC_TEXT,
            fontsize=8.5,
            fontweight="bold",
            zorder=3,
        )
    handles = [
        Line2D([], [], color=style.FRIENDLY, lw=2.5, label="friendly (W > 0)"),
        Line2D([], [], color=style.HOSTILE, lw=1.2, ls=(0, (3, 3)), alpha=0.6, label="hostile (W < 0)"),
    ]
    handles += bloc_handles(blocs, palette, marker="o")
    a.legend(
        handles=handles,
        fontsize=8,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncols=min(4, len(handles)),
        frameon=False,
    )
    a.set_axis_off()
    a.margins(0.1)
    a.set_title(
        f"Alignment network at the end{data.note}\nnode size: capability; edges: mean relation (W) of the two states, |W| ≥ 0.2",
        fontsize=9.5,
        y=TITLE_Y,
    )
    return fig


# ---------------------------------------------------------------- blocs over time
@dataclass
class BlocsData:
    codes: list[str]
    dates: list[str]
    blocs: np.ndarray  # states x steps, index into names
    names: list[str]
    agreement: np.ndarray | None = None  # ensembles: share of runs in the shown bloc (states x steps)


def plot_blocs(data: BlocsData, ax: Axes | None = None) -> Figure:
    """Each state's bloc over time; when no state ever changes bloc (and, for ensembles, the runs'
    agreement never changes) a plain statement of the blocs instead of flat bands."""
    if _no_bloc_change(data):
        return _plot_no_bloc_change(data, ax)
    fig, a = figure(ax, (10, min(0.4 * len(data.codes), 0.08 * len(data.codes) + 6) + 1.6))
    k = max(1, len(data.names))
    colors = style.bloc_colors(data.names)
    if data.agreement is None:
        a.imshow(
            data.blocs, aspect="auto", cmap=ListedColormap(colors), vmin=0, vmax=k - 1 + 1e-9, interpolation="nearest"
        )
    else:  # an ensemble: the most common bloc, paler where fewer runs agree
        rgb = np.array([to_rgb(c) for c in colors])[data.blocs]
        strength = data.agreement[..., None]
        a.imshow(strength * rgb + (1 - strength) * 1.0, aspect="auto", interpolation="nearest")
    a.set_yticks(range(len(data.codes)), data.codes, fontsize=10 if len(data.codes) <= 40 else 4)
    ticks = list(range(0, len(data.dates), max(1, len(data.dates) // 12)))
    a.set_xticks(ticks, [data.dates[t][:7] for t in ticks], rotation=45, fontsize=8)
    handles = bloc_handles(data.names, colors, marker="s")
    a.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    moved = int((data.blocs != data.blocs[:, :1]).any(axis=1).sum())
    title = "Blocs over time (sign of the leading eigenvector of W; named after the most capable committed member; grey: non-aligned)"
    if data.agreement is not None:
        title = "Most common bloc over time across runs (paler: fewer runs agree; named after the most capable committed member)"
    a.set_title(f"{title}\n{moved} of {len(data.codes)} states change bloc at least once", fontsize=9, y=TITLE_Y)
    return fig


def _no_bloc_change(data: BlocsData) -> bool:
    same = bool((data.blocs == data.blocs[:, :1]).all()) if data.blocs.size else True
    if data.agreement is not None and data.agreement.size:
        same = same and bool(np.allclose(data.agreement, data.agreement[:, :1]))
    return same


def _plot_no_bloc_change(data: BlocsData, ax: Axes | None) -> Figure:
    """The statement drawn when no state changes bloc: who is in which bloc, start to end."""
    members: dict[int, list[str]] = {}
    for code, row in zip(data.codes, data.blocs):
        members.setdefault(int(row[0]) if row.size else 0, []).append(code)
    colors = style.bloc_colors(data.names)
    blocs = [
        (k, textwrap.fill(f"{style.bloc_label(data.names[k])}: {', '.join(codes)}", 100, subsequent_indent="    "))
        for k, codes in sorted(members.items())
    ]
    span = f" from {data.dates[0][:10]} to {data.dates[-1][:10]}" if data.dates else ""
    across = (
        " (the most common bloc across runs, and as many runs agree throughout)" if data.agreement is not None else ""
    )
    heading = textwrap.fill(f"No bloc change: every state stays in the same bloc{span}.{across}", 90)
    lines = sum(text.count("\n") + 1 for _, text in blocs)
    fig, a = figure(ax, (10, 0.8 + 0.22 * (lines + heading.count("\n"))))
    a.set_axis_off()
    a.annotate(heading, (0, 1), xycoords="axes fraction", va="top", fontsize=11, fontweight="bold", color=style.INK)
    y = -32.0 - 17 * heading.count("\n")  # points below the top of the axes
    for k, text in blocs:
        a.annotate(
            "■",
            (0, 1),
            xycoords="axes fraction",
            xytext=(0, y),
            textcoords="offset points",
            va="top",
            fontsize=13,
            color=colors[k],
        )
        a.annotate(
            text,
            (0, 1),
            xycoords="axes fraction",
            xytext=(18, y - 1),
            textcoords="offset points",
            va="top",
            fontsize=9.5,
            color=style.INK,
        )
        y -= 16 * (text.count("\n") + 1)
    return fig


# ---------------------------------------------------------------- drift of every pair


def plot_drift(data: pd.DataFrame, ax: Axes | None = None, top: int = 16) -> Figure:
    """The pairs of states whose relation drifted most, each pair once (its larger direction as the
    bar, the other direction as a hollow marker), with where interests alone would have taken it."""
    pairs = one_direction(data)
    rows = with_reverse(pairs.head(top), data).iloc[::-1]
    fig, a = figure(ax, (7.5, 0.34 * len(rows) + 2.0))
    colors = [style.OLD_FRIEND if f else style.REVERSE for f in rows.old_friend]
    labels = [f"{s} → {t}" for s, t in zip(rows.source, rows.target)]
    a.barh(labels, rows.drift, color=colors)
    if "drift_p5" in rows.columns:  # an ensemble: median drift with its 5-95% interval
        a.errorbar(
            rows.drift,
            labels,
            xerr=_band_error(rows.drift, rows.drift_p5, rows.drift_p95),
            fmt="none",
            ecolor=style.INK,
            elinewidth=0.9,
            capsize=2,
        )
    a.scatter(
        rows.reverse_drift,
        labels,
        marker="o",
        s=28,
        facecolors=style.PAPER,
        edgecolors=style.INK,
        linewidths=1.0,
        zorder=4,
    )
    a.scatter(rows.interest_pull, labels, marker="|", s=220, color=style.BASELINE, zorder=3)
    a.axvline(0, color=style.INK, lw=0.8)
    a.set_xlabel(style.LABEL_DRIFT)
    a.legend(
        handles=[
            Line2D([], [], color=style.OLD_FRIEND, lw=6, label="old friends (W ≥ friend threshold at start)"),
            Line2D([], [], color=style.REVERSE, lw=6, label="other pairs"),
            Line2D(
                [],
                [],
                marker="o",
                ls="",
                markerfacecolor=style.PAPER,
                markeredgecolor=style.INK,
                label="the same pair the other way round",
            ),
            Line2D(
                [],
                [],
                color=style.BASELINE,
                marker="|",
                ls="",
                markersize=14,
                label=f"{style.LABEL_X0} at the end − W at start",
            ),
        ],
        fontsize=8,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.16 if len(rows) > 6 else -0.3),
        ncols=2,
        frameon=False,
    )
    if "drift_p5" in rows.columns:
        runs = data.attrs.get("replicates", "all")
        a.set_title(
            f"Largest median drifts over {runs} runs ({len(rows)} of {len(pairs)} pairs of states; lines: 5–95% of runs)",
            fontsize=10,
            y=TITLE_Y,
        )
    else:
        a.set_title(f"Largest drifts ({len(rows)} of {len(pairs)} pairs of states)", fontsize=10, y=TITLE_Y)
    return fig


def one_direction(data: pd.DataFrame) -> pd.DataFrame:
    """Each unordered pair once, in the direction that drifted more (the first row: the data come
    largest first)."""
    src, tgt = data.source.astype(str), data.target.astype(str)
    low, high = src.where(src < tgt, tgt), tgt.where(src < tgt, src)
    return data[~pd.DataFrame({"a": low, "b": high}).duplicated().to_numpy()]


def with_reverse(rows: pd.DataFrame, data: pd.DataFrame) -> pd.DataFrame:
    """``rows`` with the drift of the same pair the other way round (from ``data``) as ``reverse_drift``."""
    drift = data.set_index(["source", "target"]).drift
    return rows.assign(reverse_drift=drift.reindex(pd.MultiIndex.from_arrays([rows.target, rows.source])).to_numpy())


# ---------------------------------------------------------------- ensembles: the median and its band
BAND_COLOR = style.RELATION
SCENARIO_COLORS = list(style.SERIES)


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
    rules: dict[str, str] = field(default_factory=dict)  # rule name -> its label (the rules registry, via chart data)


def draw_band(a: Axes, dates: Any, low: Any, mid: Any, high: Any, *, color: str, label: str, lw: float = 2.0) -> None:
    """The median as a line over its band (shaded)."""
    a.fill_between(dates, low, high, color=color, alpha=0.22, lw=0)
    a.plot(dates, mid, color=color, lw=lw, label=label)


def _date_axis(a: Axes) -> None:
    locator = _ViewCachedDateLocator(maxticks=8)
    # 4 to 5 years have too few years and too many months for 6-monthly ticks under maxticks, which
    # warned (AutoDateLocator's own advice: add an interval); yearly ticks on the monthly scale fit
    locator.intervald[MONTHLY] = [1, 2, 3, 4, 6, 12]
    a.xaxis.set_major_locator(locator)
    a.xaxis.set_major_formatter(_ViewCachedDateFormatter(locator))


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


class _ViewCachedDateFormatter(ConciseDateFormatter):
    """ConciseDateFormatter that keeps its labels for the ticks they were made for: asked as often
    as the locator, and each answer converts and formats every date again. The offset string
    stays the one of those ticks, so the cache changes no picture."""

    _values: tuple[float, ...] | None = None
    _labels: list[str] = []

    def format_ticks(self, values: Any) -> list[str]:
        key = tuple(values)
        if key != self._values:
            self._values, self._labels = key, super().format_ticks(values)
        return self._labels


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
            a.plot(
                run.date,
                run.weight,
                color=style.REVERSE,
                lw=0.5,
                alpha=0.45,
                label="individual runs" if k == 0 else None,
            )
        color = style.OLD_FRIEND if friend else BAND_COLOR
        label = f"{style.LABEL_W}{' of the old friends' if friend else ''}: median, {band} band"
        draw_band(a, s.date, s.p5, s["median"], s.p95, color=color, label=label, lw=2.4 if friend else 1.9)
        a.plot(s.date, s.reverse, color=style.REVERSE, lw=1.0, label="the other way round (median)")
        a.plot(s.date, s.baseline, color=style.BASELINE, lw=1.2, ls="--", label=f"{style.LABEL_X0} (median)")
        react = data.reactions[data.reactions.pair == pair]
        for rule, (marker, mcolor) in style.reaction_styles(data.reactions.rule).items():
            hits = react[(react.rule == rule) & (react.share >= 0.05)]
            if len(hits):
                y = np.interp(hits.date.astype("int64"), s.date.astype("int64"), s["median"])
                a.scatter(
                    hits.date,
                    y,
                    marker=marker,
                    color=mcolor,
                    edgecolors=style.REACTION_EDGE,
                    linewidths=0.5,
                    zorder=5,
                    s=12 + 90 * hits.share,
                    label=f"{style.reaction_label(data.rules.get(rule, rule))} (size: share of runs)",
                )
        start, end = s["median"].iloc[0], s["median"].iloc[-1]
        _finish_pair_panel(
            a,
            f"{src} → {tgt}: median {start:+.2f} → {end:+.2f}  [{band}: {s.p5.iloc[-1]:+.2f}, {s.p95.iloc[-1]:+.2f}]",
            friend,
        )
    _pairs_legend(
        fig,
        axes,
        ax,
        f"Tracked relations over {data.replicates} runs: median with the {band} band of runs, against what interests justify",
    )
    if ax is None:
        _shock_key(fig, data.shocks)
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
        a.axhline(0, color=style.ZERO_LINE, lw=0.6)
        for k, name in enumerate(scenarios):
            rows = bands.scenario == name
            color = SCENARIO_COLORS[k % len(SCENARIO_COLORS)]
            if diff:
                if k == 0:
                    continue
                ok = rows & bands.diff_median.notna()
                draw_band(
                    a,
                    dates[ok],
                    bands.diff_p5[ok],
                    bands.diff_median[ok],
                    bands.diff_p95[ok],
                    color=color,
                    label=f"{name} − {scenarios[0]}",
                )
            else:
                draw_band(
                    a, dates[rows], bands.p5[rows], bands["median"][rows], bands.p95[rows], color=color, label=name
                )
        _date_axis(a)
        a.legend(fontsize=7.5, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=3, frameon=False)
        if diff:
            a.set_title(f"difference from {scenarios[0]}, run by run (median, 5–95%)", fontsize=9.5, loc="left")
            a.set_ylabel(style.LABEL_DIFF)
        else:
            a.set_title(f"{src} → {tgt}: each scenario's median and 5–95% band of runs", fontsize=9.5, loc="left")
            low, high = a.get_ylim()
            a.set_ylim(max(low, -1.05), min(high, 1.05))  # zoomed on the bands, never beyond [-1, 1]
            a.set_ylabel(style.LABEL_W)
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
        a.errorbar(
            mine.diff_mean,
            y,
            xerr=_band_error(mine.diff_mean, mine.diff_p5, mine.diff_p95),
            fmt="o",
            color=color,
            capsize=3,
            label=name,
        )
    a.set_yticks(np.arange(len(pairs))[::-1], [p.replace("-", " → ") for p in pairs])
    a.axvline(0, color=style.INK, lw=0.8)
    reference = outcomes.scenario.iloc[0]
    a.set_xlabel(f"{style.LABEL_DIFF} from {reference} on {when}\n(mean and 5–95% of paired runs)")
    a.legend(
        fontsize=8,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.22 if len(pairs) * max(1, len(scenarios)) > 4 else -0.4),
        ncols=3,
        frameon=False,
    )
    a.set_title(f"What each scenario changes, relative to {reference}", fontsize=10)
    return fig


# ---------------------------------------------------------------- all of them


def _band_error(centre: Any, low: Any, high: Any) -> list[Any]:
    """Error-bar lengths from ``centre`` to a band's ends; a centre outside its own band (a mean beside
    a band that pairs stuck at -1 collapse to a point) gets a zero-length side instead of a negative one."""
    return [np.clip(centre - low, 0, None), np.clip(high - centre, 0, None)]
