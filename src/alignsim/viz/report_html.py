"""``report.html``: one self-contained, interactive page in every run, ensemble and comparison folder.

The page is built from the result's DataFrames alone (``relations``, ``events``, ``metrics``; a
comparison's ``bands``, ``outcomes`` and ``reactions``), so it does not depend on how the PNG charts
are drawn. Charts are Plotly figures: hovering shows the values, the dates and, on each event
marker, the event's cause. Plotly's JavaScript is embedded once, in the first figure, so the file
opens without a network connection and no request leaves the machine.

Plotly is imported only here. When it is missing the run folder is written all the same and
``report.html`` is skipped with a one-line note. The page is deterministic (fixed element ids, no
timestamps), so that one seed still gives byte-identical run folders.

The figure builders (:func:`pairs_figure`, :func:`network_figure`, ...) are shared with the
dashboard (``alignsim.dashboard``).
"""

from __future__ import annotations

import html
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from alignsim.viz import style

REPORT_NAME = "report.html"
PALETTE = style.SERIES  # colours of the PNG charts: one meaning per concept (alignsim.viz.style)
BLOC_COLORS = style.BLOCS
MEASURES = {
    "endurance": "Endurance: how close relations are to what interests justify (1 = identical)",
    "polarization": "Polarization (largest eigenvalue of W)",
    "imbalanced_triad_share": "Share of imbalanced triads",
    "similarity_within": "Similarity within blocs",
    "similarity_across": "Similarity across blocs",
}
MAX_EDGES = 150  # the network of a 193-state world draws only its strongest ties
MAX_LOG_ROWS = 400


def has_plotly() -> bool:
    try:
        import plotly  # noqa: F401
    except ImportError:
        return False
    return True


def write_report(result: Any, folder: Path) -> Path | None:
    """Write ``folder/report.html`` for a RunResult or a CompareResult; ``None`` (and a one-line
    note on stderr) when plotly is not installed."""
    if not has_plotly():
        print(f"note: plotly is not installed, so {REPORT_NAME} was skipped (pip install plotly)", file=sys.stderr)
        return None
    page = compare_page(result) if is_comparison(result) else run_page(result)
    path = Path(folder) / REPORT_NAME
    path.write_text(page, encoding="utf-8")
    return path


def is_comparison(result: Any) -> bool:
    return hasattr(result, "runs") and hasattr(result, "bands")


# ---------------------------------------------------------------------------------------------
# helpers on the result's tables
def tracked_pairs(result: Any, limit: int = 8) -> list[str]:
    """The scenario's tracked pairs, else the directed pairs that drifted most."""
    if result.scenario.track:
        return list(result.scenario.track)
    drift = end_minus_start(result)
    return drift.abs().sort_values(ascending=False).index[:limit].tolist()


def dates_of(result: Any) -> list[str]:
    return [str(d) for d in result.relation_cube.dates]


def end_minus_start(result: Any) -> pd.Series:
    """Median over replicates of W(end) - W(start), per directed pair 'A-B'."""
    cube = result.relation_cube
    w = cube.ends("weight")
    drift = np.median(w[:, 1, :] - w[:, 0, :], axis=0)
    return pd.Series(drift, index=[f"{s}-{t}" for s, t in zip(cube.sources, cube.targets)])


def _wrap(text: Any, width: int = 70) -> str:
    """Hover text: escaped and wrapped, since Plotly does not wrap hover labels."""
    if text is None or (isinstance(text, float) and np.isnan(text)) or text == "":
        return ""
    return "<br>".join(textwrap.wrap(html.escape(str(text)), width))


def _round(values: np.ndarray) -> list[float]:
    return np.round(np.asarray(values, dtype=float), 4).tolist()  # four decimals keep the page small


def _target(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def event_label(e: Any) -> str:
    """'<b>2024-03-01 PRK media_freeze → CUB</b>' plus the rule and the cause, for hover labels."""
    arrow = f" → {_target(e.target)}" if _target(e.target) else ""
    who = "scripted shock" if e.origin == "scenario" else f"agent reaction: {e.rule}"
    detail = f"<br>{_wrap(e.detail)}" if isinstance(e.detail, str) and e.detail else ""
    return f"<b>{e.date} {e.source} {e.type}{arrow}</b><br>{who}{detail}<br>cause: {_wrap(e.cause)}"


def _pair_events(events: pd.DataFrame, s: str, t: str) -> pd.DataFrame:
    """Events between s and t in either direction: both move how s regards t."""
    hit = ((events.source == s) & (events.target == t)) | ((events.source == t) & (events.target == s))
    return events[hit]


def _first_replicate(events: pd.DataFrame) -> pd.DataFrame:
    return events[events.replicate == events.replicate.min()] if len(events) else events


def blocs_at(metrics: pd.DataFrame, codes: Sequence[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The modal bloc of each state at each date across replicates (ties to the alphabetically
    first), and the share of runs that put it there: two tables, dates x states. One grouping of
    all states at once: a 193-state world has 193 bloc columns."""
    columns = {f"bloc_{code}": code for code in codes if f"bloc_{code}" in metrics}
    long = metrics[["date", *columns]].melt(id_vars="date", var_name="state", value_name="bloc")
    counts = long.groupby(["date", "state", "bloc"]).size().rename("n").reset_index()
    counts = counts.sort_values(["date", "state", "n", "bloc"], ascending=[True, True, False, True])
    modal = counts.drop_duplicates(["date", "state"]).assign(state=lambda d: d.state.map(columns))
    labels, counts = (
        modal.pivot(index="date", columns="state", values=v)
        .reindex(columns=list(columns.values()))
        .rename_axis(columns=None)
        for v in ("bloc", "n")
    )
    return labels, counts.div(metrics.groupby("date").size(), axis=0)


# ---------------------------------------------------------------------------------------------
# figures
def pairs_figure(result: Any, pairs: Sequence[str] | None = None, *, height: int = 520) -> Any:
    """Tracked pairs over time against what interests justify (X0, dashed); an ensemble's median
    with its 5-95% band. Markers are the events between the two states, the strip at the top the
    scripted shocks; hovering shows each event's cause."""
    import plotly.graph_objects as go

    pairs = list(pairs) if pairs is not None else tracked_pairs(result)
    dates, cube = dates_of(result), result.relation_cube
    ensemble = result.is_ensemble
    fig = go.Figure()
    for k, pair in enumerate(pairs):
        s, t = pair.split("-")
        color = PALETTE[k % len(PALETTE)]
        w, x0 = cube.series(s, t), cube.series(s, t, "baseline")
        mid = np.median(w, axis=0)
        if ensemble:
            _add_band(fig, dates, w, color, pair)
        fig.add_trace(
            go.Scatter(
                x=dates,
                y=_round(mid),
                name=f"{s}→{t}",
                legendgroup=pair,
                line={"color": color, "width": 2},
                hovertemplate=f"{s}→{t} %{{x}}<br>W {'median ' if ensemble else ''}%{{y:+.3f}}<extra></extra>",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=dates,
                y=_round(np.median(x0, axis=0)),
                name=f"{s}→{t} X0",
                legendgroup=pair,
                showlegend=False,
                line={"color": color, "width": 1, "dash": "dash"},
                hovertemplate=f"{s}→{t} %{{x}}<br>what interests justify (X0) %{{y:+.3f}}<extra></extra>",
            )
        )
        _add_pair_events(fig, result, s, t, mid, color, pair)
    _add_shock_strip(fig, result)
    title = "Tracked pairs: how A regards B (solid) against what interests justify, X0 (dashed)"
    if ensemble:
        title += f"; median and 5–95% band of {result.replicates} runs"
    fig.update_layout(
        title={"text": title, "font": {"size": 14}},
        height=height,
        hovermode="closest",
        margin={"l": 50, "r": 20, "t": 50, "b": 40},
        yaxis={"title": "relation W", "range": [-1.15, 1.2], "zeroline": True},
        xaxis={"type": "date"},
        legend={"orientation": "h", "y": -0.12},
    )
    return fig


def _add_band(fig: Any, dates: list[str], w: np.ndarray, color: str, pair: str) -> None:
    import plotly.graph_objects as go

    lo, hi = np.quantile(w, [0.05, 0.95], axis=0)
    fig.add_trace(
        go.Scatter(x=dates, y=_round(lo), line={"width": 0}, legendgroup=pair, showlegend=False, hoverinfo="skip")
    )
    fig.add_trace(
        go.Scatter(
            x=dates,
            y=_round(hi),
            fill="tonexty",
            fillcolor=_alpha(color, 0.18),
            line={"width": 0},
            legendgroup=pair,
            showlegend=False,
            customdata=_round(lo),
            hovertemplate=f"{pair} %{{x}}<br>5–95%: %{{customdata:+.3f}} to %{{y:+.3f}}<extra></extra>",
        )
    )


def _alpha(color: str, alpha: float) -> str:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _add_pair_events(fig: Any, result: Any, s: str, t: str, mid: np.ndarray, color: str, pair: str) -> None:
    """Event markers on the pair's line: one per event for a single run; for an ensemble one per
    reaction, sized by the share of runs in which it happened, at its median step."""
    import plotly.graph_objects as go

    events = _pair_events(result.events, s, t)
    if events.empty:
        return
    if result.is_ensemble:
        steps, texts, sizes = _ensemble_markers(events, result.replicates)
    else:
        steps = events.step.to_numpy()
        texts = [event_label(e) for e in events.itertuples()]
        sizes = [11 if o == "agent" else 9 for o in events.origin]
    symbols = "diamond" if result.is_ensemble else ["diamond" if o == "agent" else "square" for o in events.origin]
    dates = dates_of(result)
    fig.add_trace(
        go.Scatter(
            x=[dates[int(k)] for k in steps],
            y=_round(mid[np.asarray(steps, dtype=int)]),
            mode="markers",
            legendgroup=pair,
            showlegend=False,
            marker={"color": color, "size": sizes, "symbol": symbols, "line": {"color": "white", "width": 1}},
            text=texts,
            hovertemplate="%{text}<extra></extra>",
            name=f"events {s}–{t}",
        )
    )


def _ensemble_markers(events: pd.DataFrame, replicates: int) -> tuple[list[int], list[str], list[float]]:
    steps, texts, sizes = [], [], []
    for _, group in events.groupby(["source", "target", "type", "rule"], dropna=False, sort=True):
        first = group.sort_values("step").drop_duplicates("replicate")
        share = first.replicate.nunique() / replicates
        lo, med, hi = np.quantile(first.step, [0.05, 0.5, 0.95]).astype(int)
        example = first.sort_values("replicate").iloc[0]
        when = f"{example.date}" if lo == hi else f"steps {lo}–{hi} (median {med})"
        texts.append(
            f"{event_label(example)}<br><i>in {share:.0%} of runs; {when}; cause shown from run {example.replicate}</i>"
        )
        steps.append(int(med))
        sizes.append(6 + 14 * share)
    return steps, texts, sizes


def _add_shock_strip(fig: Any, result: Any) -> None:
    import plotly.graph_objects as go

    shocks = _first_replicate(result.events[result.events.origin == "scenario"]).drop_duplicates(
        ["step", "type", "source", "target"]
    )
    if shocks.empty:
        return
    dates = dates_of(result)
    for step in sorted(set(shocks.step)):
        fig.add_vline(x=dates[int(step)], line={"color": style.SHOCK, "width": 1, "dash": "dot"})
    fig.add_trace(
        go.Scatter(
            x=[dates[int(k)] for k in shocks.step],
            y=[1.12] * len(shocks),
            mode="markers",
            name="scripted shocks",
            marker={"symbol": "triangle-down", "size": 12, "color": style.SHOCK},
            hovertext=[event_label(e) for e in shocks.itertuples()],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )


def end_matrix(result: Any, column: str = "weight") -> tuple[list[str], np.ndarray]:
    """Codes and the N x N matrix of ``column`` at the last step (median over replicates)."""
    cube = result.relation_cube
    return cube.codes, cube.as_matrices(np.median(cube.ends(column)[:, 1, :], axis=0))


def network_figure(result: Any, *, height: int = 520) -> Any:
    """The alignment network at the end: states on a circle coloured by bloc, ties blue (friendly)
    or vermillion (hostile) by the mean of the two directions; hover a tie's midpoint for both directions
    and X0."""
    import plotly.graph_objects as go

    codes, w = end_matrix(result)
    _, x0 = end_matrix(result, "baseline")
    n = len(codes)
    angle = np.pi / 2 - 2 * np.pi * np.arange(n) / n
    xy = np.column_stack([np.cos(angle), np.sin(angle)])
    ties = [(abs(w[i, j] + w[j, i]) / 2, i, j) for i in range(n) for j in range(i + 1, n)]
    ties = sorted(ties, reverse=True)[:MAX_EDGES]
    fig = go.Figure()
    for friendly in (True, False):
        chosen = [(m, i, j) for m, i, j in ties if ((w[i, j] + w[j, i]) > 0) == friendly and m >= 0.05]
        for m, i, j in chosen:  # one trace per tie: Plotly lines cannot vary in width within a trace
            fig.add_trace(
                go.Scatter(
                    x=[xy[i, 0], xy[j, 0]],
                    y=[xy[i, 1], xy[j, 1]],
                    mode="lines",
                    hoverinfo="skip",
                    showlegend=False,
                    line={"color": style.FRIENDLY if friendly else style.HOSTILE, "width": 0.5 + 4 * m},
                )
            )
    mids = [((xy[i] + xy[j]) / 2, i, j) for _, i, j in ties]
    fig.add_trace(
        go.Scatter(
            x=[p[0] for p, _, _ in mids],
            y=[p[1] for p, _, _ in mids],
            mode="markers",
            marker={"size": 8, "color": "rgba(0,0,0,0)"},
            showlegend=False,
            name="ties",
            text=[
                f"<b>{codes[i]}–{codes[j]}</b><br>{codes[i]}→{codes[j]} W {w[i, j]:+.2f} (X0 {x0[i, j]:+.2f})<br>"
                f"{codes[j]}→{codes[i]} W {w[j, i]:+.2f} (X0 {x0[j, i]:+.2f})"
                for _, i, j in mids
            ],
            hovertemplate="%{text}<extra></extra>",
        )
    )
    labels, shares = blocs_at(result.metrics, codes)
    bloc = labels.iloc[-1] if len(labels) else pd.Series(dtype=object)
    names = sorted(set(bloc.dropna()))
    colors = [
        BLOC_COLORS[names.index(bloc[c]) % len(BLOC_COLORS)] if c in bloc and bloc[c] in names else style.REVERSE
        for c in codes
    ]
    fig.add_trace(
        go.Scatter(
            x=xy[:, 0],
            y=xy[:, 1],
            mode="markers+text",
            text=codes,
            textposition="middle center",
            textfont={"color": style.BLOC_TEXT, "size": 10},
            marker={"size": 34, "color": colors, "line": {"color": style.INK, "width": 1}},
            showlegend=False,
            name="states",
            customdata=[
                f"bloc {bloc.get(c, '?')}"
                + (f" ({shares.iloc[-1][c]:.0%} of runs)" if result.is_ensemble and c in shares else "")
                for c in codes
            ],
            hovertemplate="<b>%{text}</b><br>%{customdata}<extra></extra>",
        )
    )
    what = "median over runs, " if result.is_ensemble else ""
    fig.update_layout(
        title={
            "text": f"Alignment network at the end ({what}blue friendly, vermillion hostile; fill = bloc)",
            "font": {"size": 14},
        },
        height=height,
        xaxis={"visible": False, "range": [-1.25, 1.25]},
        yaxis={"visible": False, "range": [-1.2, 1.2], "scaleanchor": "x"},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        plot_bgcolor="white",
        hovermode="closest",
    )
    return fig


def blocs_figure(result: Any, *, height: int = 360) -> Any:
    """Each state's bloc at each date (for an ensemble the most common one, with its share)."""
    import plotly.graph_objects as go

    codes = result.relation_cube.codes
    labels, shares = blocs_at(result.metrics, codes)
    names = sorted(set(labels.stack().dropna()))
    index = labels.apply(lambda col: col.map({b: i for i, b in enumerate(names)}))
    k = max(len(names), 1)
    colors = [BLOC_COLORS[i % len(BLOC_COLORS)] for i in range(k)]
    scale = [[(i + edge) / k, c] for i, c in enumerate(colors) for edge in (0, 1)]  # one flat colour per bloc
    share_text = shares.map(lambda v: f" in {v:.0%} of runs" if result.is_ensemble else "")
    text = labels.astype(str) + share_text
    fig = go.Figure(
        go.Heatmap(
            x=[str(d) for d in labels.index],
            y=list(labels.columns),
            z=index.T.to_numpy(dtype=float),
            zmin=-0.5,
            zmax=k - 0.5,
            colorscale=scale,
            showscale=False,
            text=text.T.to_numpy(),
            ygap=2,
            hovertemplate="<b>%{y}</b> %{x}<br>bloc %{text}<extra></extra>",
        )
    )
    legend = ", ".join(f"<span style='color:{colors[i]}'>■</span> {b}" for i, b in enumerate(names))
    fig.update_layout(
        title={"text": f"Blocs over time (named after their most capable member): {legend}", "font": {"size": 14}},
        height=height,
        margin={"l": 50, "r": 20, "t": 50, "b": 40},
        xaxis={"type": "date"},
        yaxis={"autorange": "reversed"},
    )
    return fig


def drift_figure(result: Any, *, top: int = 12, height: int = 420) -> Any:
    """The directed pairs that drifted most from start to end, beside how far each ends from what
    interests justify (W - X0)."""
    import plotly.graph_objects as go

    cube = result.relation_cube
    w, x0 = cube.ends("weight"), cube.ends("baseline")  # replicates x (first, last) x pairs
    drift = w[:, -1, :] - w[:, 0, :]
    order = np.argsort(-np.abs(np.median(drift, axis=0)), kind="stable")[:top][::-1]
    names = [f"{cube.sources[p]}→{cube.targets[p]}" for p in order]
    fig = go.Figure()
    for values, label, color in (
        (drift, "drift: W(end) − W(start)", style.REVERSE),
        (w[:, -1, :] - x0[:, -1, :], "beyond interests: W − X0 at the end", style.BASELINE),
    ):
        mid = np.median(values[:, order], axis=0)
        error = None
        if result.is_ensemble:
            lo, hi = np.quantile(values[:, order], [0.05, 0.95], axis=0)
            error = {
                "type": "data",
                "symmetric": False,
                "array": _round(hi - mid),
                "arrayminus": _round(mid - lo),
                "color": style.INK,
            }
        fig.add_trace(
            go.Bar(
                y=names,
                x=_round(mid),
                orientation="h",
                name=label,
                marker_color=color,
                error_x=error,
                customdata=np.column_stack(
                    [
                        _round(np.median(w[:, 0, order], axis=0)),
                        _round(np.median(w[:, -1, order], axis=0)),
                        _round(np.median(x0[:, -1, order], axis=0)),
                    ]
                ),
                hovertemplate="<b>%{y}</b><br>"
                + label
                + " %{x:+.3f}<br>W start %{customdata[0]:+.3f}, end %{customdata[1]:+.3f}, X0 %{customdata[2]:+.3f}<extra></extra>",
            )
        )
    fig.update_layout(
        title={
            "text": "Largest drifts" + (" (median, 5–95% whiskers)" if result.is_ensemble else ""),
            "font": {"size": 14},
        },
        barmode="group",
        height=height,
        margin={"l": 80, "r": 20, "t": 50, "b": 40},
        legend={"orientation": "h", "y": -0.15},
    )
    return fig


def measures_figure(result: Any, *, height: int = 460) -> Any:
    """The system measures over time; an ensemble's median and 5-95% band."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    present = [m for m in MEASURES if m in result.metrics]
    rows = (len(present) + 1) // 2
    fig = make_subplots(
        rows=rows, cols=2, subplot_titles=[MEASURES[m].split(":")[0] for m in present], vertical_spacing=0.14
    )
    grouped = result.metrics.groupby("date")
    for k, measure in enumerate(present):
        row, col = k // 2 + 1, k % 2 + 1
        q = grouped[measure].quantile([0.05, 0.5, 0.95]).unstack()
        dates = [str(d) for d in q.index]
        if result.is_ensemble:
            fig.add_trace(
                go.Scatter(x=dates, y=_round(q[0.05]), line={"width": 0}, showlegend=False, hoverinfo="skip"),
                row=row,
                col=col,
            )
            fig.add_trace(
                go.Scatter(
                    x=dates,
                    y=_round(q[0.95]),
                    fill="tonexty",
                    fillcolor=_alpha(style.series_color(0), 0.2),
                    line={"width": 0},
                    showlegend=False,
                    hoverinfo="skip",
                ),
                row=row,
                col=col,
            )
        fig.add_trace(
            go.Scatter(
                x=dates,
                y=_round(q[0.5]),
                line={"color": style.series_color(0)},
                showlegend=False,
                name=measure,
                hovertemplate=f"{MEASURES[measure]}<br>%{{x}}: %{{y:.3f}}<extra></extra>",
            ),
            row=row,
            col=col,
        )
    fig.update_layout(
        height=height,
        margin={"l": 50, "r": 20, "t": 50, "b": 30},
        title={"text": "Measures of the whole system", "font": {"size": 14}},
    )
    fig.update_annotations(font_size=11)
    return fig


def reactions_figure(table: pd.DataFrame, *, by: str | None = None, height: int | None = None) -> Any:
    """How often each agent reaction happened (share of runs); ``by`` groups bars (a comparison's
    scenarios)."""
    import plotly.graph_objects as go

    table = table.copy()
    table["reaction"] = table.source + " " + table.rule.str.replace("_", "-") + " → " + table.target.fillna("")
    order = table.groupby("reaction").share.max().sort_values().index.tolist()
    fig = go.Figure()
    for k, (name, group) in enumerate(table.groupby(by, sort=False) if by else [("runs", table)]):
        group = group.set_index("reaction").reindex(order)
        fig.add_trace(
            go.Bar(
                y=order,
                x=_round(group.share.fillna(0)),
                orientation="h",
                name=str(name),
                marker_color=PALETTE[k % len(PALETTE)],
                customdata=np.column_stack([group.forms.fillna("").astype(str), _round(group.mean_count.fillna(0))]),
                hovertemplate=f"<b>%{{y}}</b> ({name})<br>in %{{x:.0%}} of runs, as %{{customdata[0]}}<br>mean count per run %{{customdata[1]}}<extra></extra>",
            )
        )
    fig.update_layout(
        title={"text": "How often each agent reaction happened (share of runs)", "font": {"size": 14}},
        barmode="group",
        height=height or 120 + 22 * len(order) * (len(table[by].unique()) if by else 1),
        xaxis={"range": [0, 1], "tickformat": ".0%"},
        margin={"l": 170, "r": 20, "t": 50, "b": 40},
        legend={"orientation": "h", "y": -0.1},
    )
    return fig


def comparison_pair_figure(cmp: Any, pair: str, *, height: int = 380) -> Any:
    """One tracked pair in every scenario of a comparison: each scenario's median and band (left),
    the run-by-run difference from the reference with its band (right)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    bands = cmp.bands[cmp.bands.pair == pair]
    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=[f"{pair}: each scenario (median, 5–95%)", f"difference from {cmp.names[0]}, run by run"],
    )
    for k, name in enumerate(cmp.names):
        b = bands[bands.scenario == name]
        color, dates = PALETTE[k % len(PALETTE)], [str(d) for d in b.date]
        for col, prefix in ((1, ""), (2, "diff_")):
            if col == 2 and k == 0:
                continue  # the reference's difference from itself is zero
            fig.add_trace(
                go.Scatter(
                    x=dates,
                    y=_round(b[f"{prefix}p5"]),
                    line={"width": 0},
                    showlegend=False,
                    hoverinfo="skip",
                    legendgroup=name,
                ),
                row=1,
                col=col,
            )
            fig.add_trace(
                go.Scatter(
                    x=dates,
                    y=_round(b[f"{prefix}p95"]),
                    fill="tonexty",
                    fillcolor=_alpha(color, 0.18),
                    line={"width": 0},
                    showlegend=False,
                    legendgroup=name,
                    customdata=_round(b[f"{prefix}p5"]),
                    hovertemplate=f"{name} %{{x}}<br>5–95%: %{{customdata:+.3f}} to %{{y:+.3f}}<extra></extra>",
                ),
                row=1,
                col=col,
            )
            fig.add_trace(
                go.Scatter(
                    x=dates,
                    y=_round(b[f"{prefix}median"]),
                    line={"color": color},
                    name=name,
                    showlegend=col == 1,
                    legendgroup=name,
                    hovertemplate=f"{name} %{{x}}<br>{'difference ' if prefix else ''}median %{{y:+.3f}}<extra></extra>",
                ),
                row=1,
                col=col,
            )
    fig.add_hline(y=0, line={"color": style.ZERO_LINE, "width": 1}, row=1, col=2)
    fig.update_layout(
        height=height,
        margin={"l": 50, "r": 20, "t": 40, "b": 30},
        legend={"orientation": "h", "y": -0.15},
        hovermode="closest",
    )
    fig.update_annotations(font_size=12)
    return fig


# ---------------------------------------------------------------------------------------------
# tables
def events_table_html(result: Any) -> str:
    """The event log with each reaction's cause (a single run), or the reaction frequencies and
    the scripted shocks (an ensemble)."""
    if result.is_ensemble:
        freq = result.reaction_frequencies()
        shocks = _first_replicate(result.events[result.events.origin == "scenario"])
        return (
            _table(
                freq.assign(share=freq.share.map("{:.0%}".format)),
                ["source", "rule", "target", "forms", "share", "mean_count"],
            )
            + "<h3>Scripted shocks</h3>"
            + _table(shocks, ["date", "source", "type", "target", "detail", "cause"])
        )
    return _table(result.events, ["date", "source", "type", "target", "origin", "rule", "cause"])


def _table(frame: pd.DataFrame, columns: Sequence[str]) -> str:
    shown = frame[[c for c in columns if c in frame]].head(MAX_LOG_ROWS)
    head = "".join(f"<th>{html.escape(c)}</th>" for c in shown.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_target(v))}</td>" for v in row) + "</tr>"
        for row in shown.itertuples(index=False)
    )
    more = f"<p class='note'>{len(frame) - len(shown)} more rows in the CSV.</p>" if len(frame) > len(shown) else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{more}"


# ---------------------------------------------------------------------------------------------
# pages
def run_page(result: Any) -> str:
    s = result.scenario
    kind = (
        f"an ensemble of {result.replicates} runs"
        if result.is_ensemble
        else f"one run, seed {result.manifest.get('seed', s.seed)}"
    )
    intro = (
        f"<p>{html.escape(s.description)}</p><p class='note'>{html.escape(s.name)}: {kind}; {s.steps} monthly steps from {s.start}; "
        f"world {html.escape(s.world if isinstance(s.world, str) else 'inline')}. Hover a chart for values, dates and each event's cause.</p>"
    )
    sections: list[tuple[str, list[Any] | str]] = [
        ("Tracked pairs", [pairs_figure(result)]),
        ("Network and blocs", [network_figure(result), blocs_figure(result)]),
        ("Drift", [drift_figure(result), measures_figure(result)]),
    ]
    if result.is_ensemble and len(result.reaction_frequencies()):
        sections.append(("Reactions", [reactions_figure(result.reaction_frequencies())]))
    sections.append(("Reactions and their causes" if result.is_ensemble else "Event log", events_table_html(result)))
    return page(f"alignsim report: {s.name}", intro, sections)


def compare_page(cmp: Any) -> str:
    intro = (
        f"<p>{len(cmp.names)} scenarios, {cmp.replicates} runs each with common random numbers (run k of every scenario uses the same seed); "
        f"differences are taken run by run from <b>{html.escape(cmp.names[0])}</b>.</p>"
    )
    end = cmp.outcomes[cmp.outcomes["when"] == "end"]
    sections: list[tuple[str, list[Any] | str]] = [
        ("Tracked pairs", [comparison_pair_figure(cmp, p) for p in cmp.pairs])
    ]
    if len(cmp.reactions):
        sections.append(("Reactions", [reactions_figure(cmp.reactions, by="scenario")]))
    sections.append(
        (
            "Outcomes at the end",
            _table(
                end.round(3),
                ["pair", "scenario", "start", "mean", "p5", "p95", "p_positive", "diff_mean", "diff_p5", "diff_p95"],
            ),
        )
    )
    return page("alignsim comparison: " + " vs ".join(cmp.names), intro, sections)


STYLE = """
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 1150px; padding: 0 16px 40px; color: #222; }
h1 { font-size: 22px; margin: 18px 0 4px; } h2 { font-size: 18px; border-bottom: 1px solid #ddd; margin-top: 28px; }
nav a { margin-right: 14px; } .note { color: #666; font-size: 13px; }
table { border-collapse: collapse; font-size: 12px; width: 100%; }
th, td { border-bottom: 1px solid #eee; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f5f5f5; position: sticky; top: 0; } td:first-child { white-space: nowrap; }
"""


def page(title: str, intro: str, sections: Sequence[tuple[str, list[Any] | str]]) -> str:
    """The HTML page: Plotly's JavaScript inline in the first figure only, fixed element ids."""
    parts, n = [], 0
    nav = " ".join(f"<a href='#s{k}'>{html.escape(name)}</a>" for k, (name, _) in enumerate(sections))
    for k, (name, body) in enumerate(sections):
        parts.append(f"<h2 id='s{k}'>{html.escape(name)}</h2>")
        if isinstance(body, str):
            parts.append(body)
            continue
        for fig in body:
            parts.append(
                fig.to_html(
                    full_html=False,
                    include_plotlyjs=n == 0,
                    div_id=f"fig{n}",
                    config={"displaylogo": False, "responsive": True},
                )
            )
            n += 1
    return (
        f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title><style>{STYLE}</style></head>"
        f"<body><h1>{html.escape(title)}</h1>{intro}<nav>{nav}</nav>{''.join(parts)}</body></html>\n"
    )


def differences_figure(differences: pd.DataFrame, reference: str, *, height: int = 420) -> Any:
    """Paired differences per tracked pair (columns pair, date, median, p5, p95): median and band."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for k, (pair, d) in enumerate(differences.groupby("pair", sort=False)):
        color, dates, name = PALETTE[k % len(PALETTE)], d.date.tolist(), str(pair).replace("-", "→")
        fig.add_trace(
            go.Scatter(x=dates, y=_round(d.p5), line={"width": 0}, legendgroup=name, showlegend=False, hoverinfo="skip")
        )
        fig.add_trace(
            go.Scatter(
                x=dates,
                y=_round(d.p95),
                fill="tonexty",
                fillcolor=_alpha(color, 0.15),
                line={"width": 0},
                legendgroup=name,
                showlegend=False,
                customdata=_round(d.p5),
                hovertemplate=f"{name} %{{x}}<br>5–95%: %{{customdata:+.3f}} to %{{y:+.3f}}<extra></extra>",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=dates,
                y=_round(d["median"]),
                name=name,
                legendgroup=name,
                line={"color": color},
                hovertemplate=f"{name} %{{x}}<br>difference (median) %{{y:+.3f}}<extra></extra>",
            )
        )
    fig.add_hline(y=0, line={"color": style.ZERO_LINE, "width": 1})
    fig.update_layout(
        title={"text": f"Edited minus {reference}, run by run (median and 5–95% band)", "font": {"size": 14}},
        height=height,
        xaxis={"type": "date"},
        yaxis={"title": "difference in W"},
        margin={"l": 50, "r": 20, "t": 50, "b": 40},
        legend={"orientation": "h", "y": -0.15},
    )
    return fig
