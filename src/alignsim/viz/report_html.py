"""``report.html``: one self-contained, interactive page in every run, ensemble and comparison folder.

The page draws the same typed chart data as the PNG charts (:class:`RunReport`, built by
:func:`alignsim.results.chart_data.run_report`; a comparison's :class:`CompareReport`): the same
tracked pairs, the same reactions with their causes, the same network layout and the colours of
:mod:`alignsim.viz.style`. Charts are Plotly figures: hovering shows the values, the dates and, on
each event marker, the event's cause. Plotly's JavaScript is embedded once, in the first figure, so
the file opens without a network connection and no request leaves the machine.

Plotly is imported only in viz/. When it is missing the run folder is written all the same and
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from alignsim.viz import style
from alignsim.viz.charts import BandData, BlocsData, NetworkData, PairsData, one_direction, with_reverse

REPORT_NAME = "report.html"
PALETTE = style.SERIES  # colours of the PNG charts: one meaning per concept (alignsim.viz.style)
BLOC_COLORS = style.BLOCS
#: The system measures, with the one line that explains each to a reader.
MEASURES = {
    "polarization": "Polarization: the largest eigenvalue of W; it grows as the world splits into two camps",
    "imbalanced_triad_share": "Imbalanced triads: share of triangles where a friend of a friend is an enemy",
    "similarity_within": "Similarity within blocs: how alike bloc members regard everyone (S score)",
    "similarity_across": "Similarity across blocs: how alike members of different blocs regard everyone",
    "endurance": "Endurance: how closely W tracks what interests justify, against how closely it tracks W at the start",
}
MAX_LOG_ROWS = 400


@dataclass
class RunReport:
    """What report.html and the dashboard show of a run or an ensemble, as typed chart data."""

    name: str
    description: str
    kind: str  # "one run, seed 1" or "an ensemble of 30 runs"
    world: str  # the world's own name
    start: str
    steps: int
    replicates: int
    names: dict[str, str]  # state code -> full name
    pairs: PairsData | BandData
    network: NetworkData
    blocs: BlocsData
    drift: pd.DataFrame  # chart_data.drift_data / ensemble_drift_data
    measures: pd.DataFrame  # measure, date, p5, median, p95
    reactions: pd.DataFrame  # source, rule, target, forms, share, mean_count, cause (an example)
    shocks: pd.DataFrame  # the scripted shocks: date, source, type, target, detail, cause
    events: pd.DataFrame  # a single run's log: date, source, type, target, origin, rule, cause
    notes: list[str] = field(default_factory=list)

    @property
    def is_ensemble(self) -> bool:
        return self.replicates > 1


@dataclass
class CompareReport:
    """What a comparison's report.html shows: each scenario's bands, the outcomes and the reactions."""

    names: list[str]
    replicates: int
    bands: pd.DataFrame
    outcomes: pd.DataFrame
    reactions: pd.DataFrame

    @property
    def pairs(self) -> list[str]:
        return list(dict.fromkeys(self.bands.pair))


def has_plotly() -> bool:
    try:
        import plotly  # noqa: F401
    except ImportError:
        return False
    return True


def write_report(report: RunReport | CompareReport, folder: Path) -> Path | None:
    """Write ``folder/report.html``; ``None`` (and a one-line note on stderr) when plotly is not installed."""
    if not has_plotly():
        print(f"note: plotly is not installed, so {REPORT_NAME} was skipped (pip install plotly)", file=sys.stderr)
        return None
    text = compare_page(report) if isinstance(report, CompareReport) else run_page(report)
    path = Path(folder) / REPORT_NAME
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# helpers
def _wrap(text: Any, width: int = 70) -> str:
    """Hover text: escaped and wrapped, since Plotly does not wrap hover labels."""
    if text is None or (isinstance(text, float) and np.isnan(text)) or text == "":
        return ""
    return "<br>".join(textwrap.wrap(html.escape(str(text)), width))


def _round(values: Any) -> list[float]:
    return np.round(np.asarray(values, dtype=float), 4).tolist()  # four decimals keep the page small


def _target(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def _alpha(color: str, alpha: float) -> str:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _dates(values: Any) -> list[str]:
    return [str(d)[:10] for d in pd.to_datetime(pd.Series(list(values)))]


def _band(x: Any, low: Any, high: Any, color: str, opacity: float, **upper: Any) -> tuple[Any, Any]:
    """A 5-95% band as two traces: the unseen lower edge, then the upper edge filled down to it.
    ``upper``: the upper trace's own settings (name, hover); a ``legendgroup`` holds both."""
    import plotly.graph_objects as go

    group = {"legendgroup": upper["legendgroup"]} if "legendgroup" in upper else {}
    lower = go.Scatter(x=x, y=_round(low), line={"width": 0}, showlegend=False, hoverinfo="skip", **group)
    top = go.Scatter(x=x, y=_round(high), fill="tonexty", fillcolor=_alpha(color, opacity), line={"width": 0}, **upper)
    return lower, top


def event_label(e: Any) -> str:
    """'<b>2024-03-01 PRK media_freeze → CUB</b>' plus the rule and the cause, for hover labels."""
    arrow = f" → {_target(e.target)}" if _target(e.target) else ""
    rule = getattr(e, "rule", "")
    who = "scripted shock" if not isinstance(rule, str) or not rule else f"agent reaction: {rule}"
    detail = getattr(e, "detail", "")
    more = f"<br>{_wrap(detail)}" if isinstance(detail, str) and detail else ""
    return f"<b>{str(e.date)[:10]} {e.source} {e.type}{arrow}</b><br>{who}{more}<br>cause: {_wrap(e.cause)}"


def pair_title(pair: str, names: dict[str, str]) -> str:
    """'North Korea → Cuba' (codes when a name is missing)."""
    s, t = pair.split("-")
    return f"{names.get(s, s)} → {names.get(t, t)}"


def zoomed_range(low: Any, high: Any, *extra: Any) -> list[float]:
    """A y range around the data (never beyond [-1.05, 1.05]), at least 0.2 tall: a dip shows."""
    values = np.concatenate([np.ravel(np.asarray(v, dtype=float)) for v in (low, high, *extra)])
    values = values[np.isfinite(values)]
    lo, hi = (float(values.min()), float(values.max())) if values.size else (-1.0, 1.0)
    pad = max(0.1 - (hi - lo) / 2, 0.0) + 0.08 * (hi - lo) + 0.02
    return [max(lo - pad, -1.05), min(hi + pad, 1.05)]


# ---------------------------------------------------------------------------------------------
# figures
def pairs_figure(
    data: PairsData | BandData,
    names: dict[str, str] | None = None,
    *,
    pairs: Sequence[str] | None = None,
    height: int | None = None,
    columns: int = 2,
    until: str | None = None,
) -> Any:
    """One panel per tracked pair, as the PNG: W (black; reddish purple for old friends) with an
    ensemble's 5-95% band, the other way round (grey), what interests justify (X0, orange dashes),
    the scripted shocks (dotted) and the agent reactions (markers by rule; hover for the cause).
    Each panel's axis is zoomed to its data; ``until`` marks a month (the time scrubber)."""
    from plotly.subplots import make_subplots

    names = names or {}
    shown = list(pairs) if pairs is not None else list(dict.fromkeys(data.series.pair))
    cols = min(columns, max(1, len(shown)))
    rows = -(-len(shown) // cols)
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=[_panel_title(data, p, names) for p in shown],
        vertical_spacing=0.16 if rows > 1 else 0.1,
        horizontal_spacing=0.07,
    )
    styles = style.reaction_styles(data.reactions.rule)
    legend: set[str] = set()
    for k, pair in enumerate(shown):
        row, col = k // cols + 1, k % cols + 1
        _pair_panel(fig, data, pair, row, col, styles, legend)
        if until is not None:
            _vlines(fig, [until], row, col, {"color": style.INK, "width": 1.5})
    ensemble = isinstance(data, BandData)
    fig.update_layout(
        height=height or 80 + 260 * rows,
        hovermode="closest",
        margin={"l": 50, "r": 20, "t": 40, "b": 40},
        legend={"orientation": "h", "y": -0.08 if rows > 1 else -0.2, "font": {"size": 11}},
        plot_bgcolor=style.PAPER,
    )
    fig.update_annotations(font_size=13)
    fig.update_xaxes(type="date", showgrid=True, gridcolor=style.MIDPOINT)
    fig.update_yaxes(showgrid=True, gridcolor=style.MIDPOINT, zeroline=True, zerolinecolor=style.ZERO_LINE)
    fig.layout.meta = {"ensemble": ensemble}
    return fig


def _panel_title(data: PairsData | BandData, pair: str, names: dict[str, str]) -> str:
    s = data.series[data.series.pair == pair]
    mid = s["median"] if "median" in s else s.weight
    friend = bool(s.old_friend.iloc[0]) if len(s) else False
    tail = "  (old friends)" if friend else ""
    return f"{pair_title(pair, names)}: {mid.iloc[0]:+.2f} → {mid.iloc[-1]:+.2f}{tail}" if len(s) else pair


def _pair_panel(
    fig: Any, data: PairsData | BandData, pair: str, row: int, col: int, styles: dict[str, Any], legend: set[str]
) -> None:
    import plotly.graph_objects as go

    s = data.series[data.series.pair == pair]
    dates = _dates(s.date)
    friend = bool(s.old_friend.iloc[0])
    color = style.OLD_FRIEND if friend else style.RELATION
    mid = s["median"] if isinstance(data, BandData) else s.weight
    name = style.LABEL_W + (" of the old friends" if friend else "")

    def once(label: str) -> dict[str, Any]:
        first = label not in legend
        legend.add(label)
        return {"name": label, "legendgroup": label, "showlegend": first}

    if isinstance(data, BandData):
        band = _band(
            dates,
            s.p5,
            s.p95,
            color,
            0.2,
            customdata=_round(s.p5),
            hovertemplate=f"{pair} %{{x}}<br>5–95% of runs: %{{customdata:+.3f}} to %{{y:+.3f}}<extra></extra>",
            **once(f"5–95% of {data.replicates} runs"),
        )
        for trace in band:
            fig.add_trace(trace, row=row, col=col)
    # the markers before the lines: where both sit on one point, hover picks the first, the event and its cause
    _reaction_markers(fig, data, pair, s, mid, row, col, styles, once)
    s_, t_ = pair.split("-")
    fig.add_trace(
        go.Scatter(
            x=dates,
            y=_round(mid),
            line={"color": color, "width": 2.4},
            hovertemplate=f"{s_}→{t_} %{{x}}<br>W %{{y:+.3f}}<extra></extra>",
            meta=f"{s_}→{t_}",
            **once(name),
        ),
        row=row,
        col=col,
    )
    fig.add_trace(
        go.Scatter(
            x=dates,
            y=_round(s.reverse),
            line={"color": style.REVERSE, "width": 1},
            hovertemplate=f"{t_}→{s_} %{{x}}<br>W %{{y:+.3f}}<extra></extra>",
            **once("the other way round"),
        ),
        row=row,
        col=col,
    )
    fig.add_trace(
        go.Scatter(
            x=dates,
            y=_round(s.baseline),
            line={"color": style.BASELINE, "width": 1.4, "dash": "dash"},
            hovertemplate=f"{s_}→{t_} %{{x}}<br>what interests justify (X0) %{{y:+.3f}}<extra></extra>",
            **once(style.LABEL_X0),
        ),
        row=row,
        col=col,
    )
    _shock_lines(fig, data.shocks, row, col)
    low, high = (s.p5, s.p95) if isinstance(data, BandData) else (mid, mid)
    fig.update_yaxes(range=zoomed_range(low, high, s.reverse, s.baseline), row=row, col=col)


def _shock_lines(fig: Any, shocks: pd.DataFrame, row: int, col: int) -> None:
    """Dotted lines at the scripted shocks, as layout shapes of the panel's axes (added at once:
    plotly's add_vline per line and panel costs a second on a four-panel chart)."""
    dates = sorted(set(_dates(shocks.date))) if len(shocks) else []
    _vlines(fig, dates, row, col, {"color": style.SHOCK, "width": 1, "dash": "dot"})


def _vlines(fig: Any, dates: Sequence[str], row: int, col: int, line: dict[str, Any]) -> None:
    cols = fig._grid_ref[0].__len__() if getattr(fig, "_grid_ref", None) else 1
    k = (row - 1) * cols + col
    axis = "" if k == 1 else str(k)
    shapes = [
        {
            "type": "line",
            "x0": d,
            "x1": d,
            "xref": f"x{axis}",
            "y0": 0,
            "y1": 1,
            "yref": f"y{axis} domain",
            "line": line,
        }
        for d in dates
    ]
    fig.layout.shapes = (*fig.layout.shapes, *shapes)


def _reaction_markers(
    fig: Any,
    data: PairsData | BandData,
    pair: str,
    s: pd.DataFrame,
    mid: pd.Series,
    row: int,
    col: int,
    styles: dict[str, Any],
    once: Any,
) -> None:
    """The agent reactions inside the pair, by rule (every rule in the data), at the line's height."""
    import plotly.graph_objects as go

    react = data.reactions[data.reactions.pair == pair]
    x = pd.to_datetime(s.date).astype("int64").to_numpy()
    for rule, (marker, color) in styles.items():
        hits = react[react.rule == rule]
        if isinstance(data, BandData):
            hits = hits[hits.share >= 0.05]
        if hits.empty:
            continue
        y = np.interp(pd.to_datetime(hits.date).astype("int64").to_numpy(), x, np.asarray(mid, dtype=float))
        texts = [event_label(e) for e in hits.itertuples()]
        if isinstance(data, BandData):
            texts = [f"{t}<br><i>in {share:.0%} of runs that month</i>" for t, share in zip(texts, hits.share)]
        sizes = (
            (8 + 14 * hits.share).tolist() if isinstance(data, BandData) else 12
        )  # larger than a line point: hover finds the event
        fig.add_trace(
            go.Scatter(
                x=_dates(hits.date),
                y=_round(y),
                mode="markers",
                marker={
                    "symbol": style.PLOTLY_MARKERS.get(marker, "circle"),
                    "color": color,
                    "size": sizes,
                    "line": {"color": style.REACTION_EDGE, "width": 0.5},
                },
                text=texts,
                hovertemplate="%{text}<extra></extra>",
                meta=f"events {pair.replace('-', '–')}",
                **once(style.reaction_label(rule)),
            ),
            row=row,
            col=col,
        )


def story_figure(
    variants: Sequence[tuple[str, PairsData | BandData]],
    names: dict[str, str],
    pairs: Sequence[str],
    *,
    height: int = 560,
    until: str | None = None,
) -> Any:
    """The thesis at a glance: each chosen pair in two (or more) variants, say the scenario as shipped
    and as edited, one colour per variant (an ensemble's 5-95% band shaded), what interests justify
    (X0, orange dashes, of the last variant), scripted shocks dotted; axes zoomed to the data, full
    country names in the titles; ``until`` marks the month of the time scrubber."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    cols = 2 if len(pairs) > 1 else 1
    rows = -(-len(pairs) // cols)
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=[pair_title(p, names) for p in pairs],
        vertical_spacing=0.2 if rows > 1 else 0.1,
        horizontal_spacing=0.08,
    )
    styles = style.reaction_styles(variants[-1][1].reactions.rule)
    legend: set[str] = set()

    def once(label: str) -> dict[str, Any]:
        first = label not in legend
        legend.add(label)
        return {"name": label, "legendgroup": label, "showlegend": first}

    for k, pair in enumerate(pairs):
        row, col = k // cols + 1, k % cols + 1
        spans = []
        for v, (label, data) in enumerate(variants):
            s = data.series[data.series.pair == pair]
            if s.empty:
                continue
            color, dates = style.series_color(v), _dates(s.date)
            mid = s["median"] if isinstance(data, BandData) else s.weight
            if isinstance(data, BandData):
                for trace in _band(dates, s.p5, s.p95, color, 0.16, showlegend=False, hoverinfo="skip"):
                    fig.add_trace(trace, row=row, col=col)
                spans += [s.p5, s.p95]
            fig.add_trace(
                go.Scatter(
                    x=dates,
                    y=_round(mid),
                    name=label,
                    legendgroup=label,
                    showlegend=k == 0,
                    line={"color": color, "width": 2.6 if v else 2.0},
                    meta=f"{label}: {pair.replace('-', '→')}",
                    hovertemplate=f"{label}<br>{pair_title(pair, names)} %{{x}}<br>W %{{y:+.3f}}<extra></extra>",
                ),
                row=row,
                col=col,
            )
            spans.append(mid)
        last = variants[-1][1].series
        base = last[last.pair == pair]
        if len(base):
            fig.add_trace(
                go.Scatter(
                    x=_dates(base.date),
                    y=_round(base.baseline),
                    name=style.LABEL_X0,
                    legendgroup="x0",
                    showlegend=k == 0,
                    line={"color": style.BASELINE, "width": 1.4, "dash": "dash"},
                    hovertemplate="what interests justify (X0) %{x}: %{y:+.3f}<extra></extra>",
                ),
                row=row,
                col=col,
            )
            spans.append(base.baseline)
        _shock_lines(fig, variants[-1][1].shocks, row, col)
        last_data = variants[-1][1]
        s_last = last.loc[last.pair == pair]
        if len(s_last):
            mid_last = s_last["median"] if isinstance(last_data, BandData) else s_last.weight
            _reaction_markers(fig, last_data, pair, s_last, mid_last, row, col, styles, once)
        if until is not None:
            _vlines(fig, [until], row, col, {"color": style.INK, "width": 1.5})
        if spans:
            fig.update_yaxes(range=zoomed_range(*spans), row=row, col=col)
    fig.update_layout(
        height=height,
        hovermode="closest",
        margin={"l": 45, "r": 10, "t": 30, "b": 30},
        legend={"orientation": "h", "y": 1.06 + 0.04 * (rows == 1), "x": 0, "yanchor": "bottom", "font": {"size": 12}},
        plot_bgcolor=style.PAPER,
    )
    fig.update_annotations(font_size=14)
    fig.update_xaxes(type="date", showgrid=True, gridcolor=style.MIDPOINT)
    fig.update_yaxes(showgrid=True, gridcolor=style.MIDPOINT, zeroline=True, zerolinecolor=style.ZERO_LINE)
    return fig


def line_figure(
    x: Sequence[float], y: Sequence[float], low: Any, high: Any, *, x_title: str, y_title: str, title: str
) -> Any:
    """One outcome against one parameter (the sweep): median with its 5-95% band of runs."""
    import plotly.graph_objects as go

    color = style.series_color(0)
    fig = go.Figure(
        [
            *_band(list(x), low, high, color, 0.2, name="5–95% of runs"),
            go.Scatter(
                x=list(x), y=_round(y), mode="lines+markers", line={"color": color, "width": 2.4}, name="median"
            ),
        ]
    )
    fig.update_layout(
        title={"text": title, "font": {"size": 14}},
        height=420,
        xaxis={"title": x_title},
        yaxis={"title": y_title},
        margin={"l": 60, "r": 20, "t": 50, "b": 50},
        legend={"orientation": "h", "y": -0.2},
    )
    return fig


def network_figure(
    data: NetworkData, names: dict[str, str] | None = None, *, height: int = 520, title: str | None = None
) -> Any:
    """The alignment network as the PNG draws it: the same layout (data.positions), node size by
    capability, fill by bloc, friendly ties blue and hostile ties vermillion dashes; hover a state
    for its name and bloc, a tie's midpoint for its mean relation."""
    import plotly.graph_objects as go

    names = names or {}
    pos = data.positions or {}
    fig = go.Figure()
    for friendly in (False, True):
        for u, v, w in sorted(data.edges, key=lambda e: e[2]):
            if (w > 0) != friendly:
                continue
            fig.add_trace(
                go.Scatter(
                    x=[pos[u][0], pos[v][0]],
                    y=[pos[u][1], pos[v][1]],
                    mode="lines",
                    hoverinfo="skip",
                    showlegend=False,
                    opacity=0.75 if friendly else 0.45,
                    line={
                        "color": style.FRIENDLY if friendly else style.HOSTILE,
                        "width": 0.5 + 4 * w if friendly else 0.6 + 1.2 * abs(w),
                        "dash": "solid" if friendly else "dash",
                    },
                )
            )
    fig.add_trace(
        go.Scatter(
            x=[(pos[u][0] + pos[v][0]) / 2 for u, v, _ in data.edges],
            y=[(pos[u][1] + pos[v][1]) / 2 for u, v, _ in data.edges],
            mode="markers",
            marker={"size": 8, "color": "rgba(0,0,0,0)"},
            showlegend=False,
            name="ties",
            text=[
                f"<b>{names.get(u, u)} – {names.get(v, v)}</b><br>mean relation W {w:+.2f}" for u, v, w in data.edges
            ],
            hovertemplate="%{text}<extra></extra>",
        )
    )
    blocs = sorted(set(data.blocs))
    palette = style.bloc_colors(blocs)
    top = max(data.capability) if data.capability else 1.0
    scale = min(1.0, 24 / max(1, len(data.codes)))
    fig.add_trace(
        go.Scatter(
            x=[pos[c][0] for c in data.codes],
            y=[pos[c][1] for c in data.codes],
            mode="markers+text",
            text=data.codes,
            textposition="middle center",
            textfont={"color": style.BLOC_TEXT, "size": 10},
            marker={
                "size": [scale * (18 + 40 * np.sqrt(c / top)) for c in data.capability],
                "color": [palette[blocs.index(b)] for b in data.blocs],
                "line": {"color": style.INK, "width": 1},
            },
            showlegend=False,
            name="states",
            customdata=[f"{names.get(c, c)}<br>{style.bloc_label(b)}" for c, b in zip(data.codes, data.blocs)],
            hovertemplate="<b>%{customdata}</b><extra></extra>",
        )
    )
    fig.update_layout(
        title={"text": title or f"Alignment network at the end{data.note.strip()}", "font": {"size": 14}},
        height=height,
        xaxis={"visible": False},
        yaxis={"visible": False, "scaleanchor": "x"},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        plot_bgcolor=style.PAPER,
        hovermode="closest",
    )
    return fig


def matrix_figure(codes: list[str], matrix: np.ndarray, title: str, *, height: int = 420) -> Any:
    """The relation matrix (row regards column) on the relation scale of the PNG."""
    import plotly.graph_objects as go

    scale = [[0.0, style.HOSTILE], [0.5, style.MIDPOINT], [1.0, style.FRIENDLY]]
    fig = go.Figure(
        go.Heatmap(
            z=_round(matrix),
            x=codes,
            y=codes,
            zmin=-1,
            zmax=1,
            colorscale=scale,
            hovertemplate="%{y} regards %{x}: %{z:+.2f}<extra></extra>",
            colorbar={"title": {"text": "W"}},
        )
    )
    fig.update_layout(
        title={"text": title, "font": {"size": 14}},
        height=height,
        yaxis={"autorange": "reversed"},
        margin={"l": 50, "r": 20, "t": 50, "b": 40},
    )
    return fig


def blocs_figure(data: BlocsData, *, height: int = 360) -> Any:
    """Each state's bloc at each date (for an ensemble the most common one, with its share)."""
    import plotly.graph_objects as go

    colors = style.bloc_colors(data.names)
    k = max(len(data.names), 1)
    scale = [[(i + edge) / k, c] for i, c in enumerate(colors) for edge in (0, 1)]  # one flat colour per bloc
    labels = np.asarray(data.names, dtype=object)[data.blocs] if data.names else data.blocs
    if data.agreement is not None:
        text = [[f"{b} in {a:.0%} of runs" for b, a in zip(row, share)] for row, share in zip(labels, data.agreement)]
    else:
        text = [[str(b) for b in row] for row in labels]
    fig = go.Figure(
        go.Heatmap(
            x=_dates(data.dates),
            y=list(data.codes),
            z=np.asarray(data.blocs, dtype=float),
            zmin=-0.5,
            zmax=k - 0.5,
            colorscale=scale,
            showscale=False,
            text=text,
            ygap=2,
            hovertemplate="<b>%{y}</b> %{x}<br>bloc %{text}<extra></extra>",
        )
    )
    key = ", ".join(f"<span style='color:{colors[i]}'>■</span> {style.bloc_label(b)}" for i, b in enumerate(data.names))
    fig.update_layout(
        title={"text": f"Blocs over time: {key}", "font": {"size": 14}},
        height=height,
        margin={"l": 50, "r": 20, "t": 50, "b": 40},
        xaxis={"type": "date"},
        yaxis={"autorange": "reversed"},
    )
    return fig


def drift_figure(drift: pd.DataFrame, names: dict[str, str] | None = None, *, top: int = 12, height: int = 440) -> Any:
    """The pairs of states whose relation drifted most, each pair once (its larger direction), as the
    PNG: the drift bar (reddish purple for old friends), the other way round and where interests alone
    would have taken it."""
    import plotly.graph_objects as go

    names = names or {}
    rows = with_reverse(one_direction(drift).head(top), drift).iloc[::-1]
    labels = [f"{names.get(s, s)} → {names.get(t, t)}" for s, t in zip(rows.source, rows.target)]
    error = None
    if "drift_p5" in rows:
        error = {
            "type": "data",
            "symmetric": False,
            "array": _round(rows.drift_p95 - rows.drift),
            "arrayminus": _round(rows.drift - rows.drift_p5),
            "color": style.INK,
        }
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=labels,
            x=_round(rows.drift),
            orientation="h",
            name=style.LABEL_DRIFT,
            marker_color=[style.OLD_FRIEND if f else style.REVERSE for f in rows.old_friend],
            error_x=error,
            hovertemplate="<b>%{y}</b><br>change %{x:+.3f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            y=labels,
            x=_round(rows.reverse_drift),
            mode="markers",
            name="the same pair the other way round",
            marker={"symbol": "circle-open", "color": style.INK, "size": 9},
        )
    )
    fig.add_trace(
        go.Scatter(
            y=labels,
            x=_round(rows.interest_pull),
            mode="markers",
            name=f"{style.LABEL_X0} at the end − W at start",
            marker={"symbol": "line-ns-open", "color": style.BASELINE, "size": 16, "line": {"width": 3}},
        )
    )
    pairs = len(one_direction(drift))
    fig.update_layout(
        title={"text": f"Largest drifts ({len(rows)} of {pairs} pairs of states)", "font": {"size": 14}},
        height=height,
        margin={"l": 200, "r": 20, "t": 50, "b": 40},
        legend={"orientation": "h", "y": -0.15},
        xaxis={"title": style.LABEL_DRIFT},
    )
    return fig


def measures_figure(measures: pd.DataFrame, *, height: int = 460) -> Any:
    """The system measures over time (rows: measure, date, p5, median, p95); an ensemble's band."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    present = [m for m in MEASURES if m in set(measures.measure)]
    rows = max(1, (len(present) + 1) // 2)
    fig = make_subplots(
        rows=rows, cols=2, subplot_titles=[MEASURES[m].split(":")[0] for m in present], vertical_spacing=0.14
    )
    color = style.series_color(0)
    for k, measure in enumerate(present):
        row, col = k // 2 + 1, k % 2 + 1
        q = measures[measures.measure == measure]
        dates = _dates(q.date)
        if (q.p5 != q.p95).any():
            for trace in _band(dates, q.p5, q.p95, color, 0.2, showlegend=False, hoverinfo="skip"):
                fig.add_trace(trace, row=row, col=col)
        fig.add_trace(
            go.Scatter(
                x=dates,
                y=_round(q["median"]),
                line={"color": color},
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


def comparison_pair_figure(cmp: CompareReport, pair: str, *, height: int = 380) -> Any:
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
            band = _band(
                dates,
                b[f"{prefix}p5"],
                b[f"{prefix}p95"],
                color,
                0.18,
                showlegend=False,
                legendgroup=name,
                customdata=_round(b[f"{prefix}p5"]),
                hovertemplate=f"{name} %{{x}}<br>5–95%: %{{customdata:+.3f}} to %{{y:+.3f}}<extra></extra>",
            )
            for trace in band:
                fig.add_trace(trace, row=1, col=col)
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
def reactions_table_html(report: RunReport) -> str:
    """Every agent reaction with its cause: a single run's log of them, or an ensemble's frequencies
    (with the cause of one run as an example); then the scripted shocks."""
    if report.is_ensemble:
        freq = report.reactions.assign(share=report.reactions.share.map("{:.0%}".format))
        body = _table(freq, ["source", "rule", "target", "forms", "share", "mean_count", "cause"])
    else:
        agent = report.events[report.events.origin == "agent"]
        body = _table(agent, ["date", "source", "type", "target", "rule", "cause"])
    return (
        body
        + "<h3>Scripted shocks</h3>"
        + _table(report.shocks, ["date", "source", "type", "target", "detail", "cause"])
    )


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
def run_page(report: RunReport) -> str:
    intro = (
        f"<p>{html.escape(report.description)}</p><p class='note'>{html.escape(report.name)}: {report.kind}; "
        f"{report.steps} monthly steps from {report.start}; world {html.escape(report.world)}. "
        "Hover a chart for values, dates and each event's cause.</p>"
    )
    sections: list[tuple[str, list[Any] | str]] = [
        ("Tracked pairs", [pairs_figure(report.pairs, report.names)]),
        ("Network and blocs", [network_figure(report.network, report.names), blocs_figure(report.blocs)]),
        ("Drift", [drift_figure(report.drift, report.names), measures_figure(report.measures)]),
    ]
    if report.is_ensemble and len(report.reactions):
        sections.append(("Reactions", [reactions_figure(report.reactions)]))
    sections.append(("Reactions and their causes", reactions_table_html(report)))
    return page(f"alignsim report: {report.name}", intro, sections)


def compare_page(cmp: CompareReport) -> str:
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
        for trace in _band(
            dates,
            d.p5,
            d.p95,
            color,
            0.15,
            legendgroup=name,
            showlegend=False,
            customdata=_round(d.p5),
            hovertemplate=f"{name} %{{x}}<br>5–95%: %{{customdata:+.3f}} to %{{y:+.3f}}<extra></extra>",
        ):
            fig.add_trace(trace)
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
