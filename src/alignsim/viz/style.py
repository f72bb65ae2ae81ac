"""The one place where chart colours and the words on axes are chosen: every chart module (charts,
sensitivity, history, report_html and the comparison's charts) takes them from here, so a colour
means one thing in every chart.

Concept colours are the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"); the
categorical palettes are Paul Tol's "muted" (series: scenarios, pairs) and "light" (blocs, drawn as
pale fills with dark text) schemes (Tol 2021, "Colour schemes", SRON/EPS/TN/09-002). All of them stay
distinguishable under the common colour-vision deficiencies. No other alignsim import."""

from __future__ import annotations

from collections.abc import Iterable

from matplotlib.colors import LinearSegmentedColormap

# ---------------------------------------------------------------- one colour per concept (Okabe–Ito)
RELATION = "#000000"  # the tracked relation W of a pair (black: the line to watch)
REVERSE = "#8c8c8c"  # the same pair seen the other way (grey: context)
BASELINE = "#E69F00"  # what interests justify, X0 (orange, dashed)
OLD_FRIEND = "#CC79A7"  # pairs that started as friends (reddish purple)
FRIENDLY = "#0072B2"  # positive relations (blue); the +1 end of the relation scale
HOSTILE = "#D55E00"  # negative relations (vermillion); the -1 end of the relation scale
SHOCK = "#555555"  # scripted shocks: numbered dotted lines
INK = "#222222"  # axes furniture: zero lines, error bars, labels on pale fills
ZERO_LINE = "#999999"
MIDPOINT = "#f7f7f7"  # W = 0 on the relation scale
PAPER = "#ffffff"  # hollow markers, text on dark cells

#: Agent reactions: marker shape and colour (also told apart by shape), given to the rules in the
#: order of their names (:func:`reaction_styles`); viz names no rule itself, so a new rule is drawn too.
REACTION_STYLES = (
    ("v", "#56B4E9"),  # sky blue
    ("D", "#882255"),  # wine (Tol muted)
    ("^", "#009E73"),  # bluish green
    ("o", "#F0E442"),  # yellow, drawn with a dark edge
    ("s", "#117733"),  # green (Tol muted)
    ("P", "#332288"),  # indigo
    ("X", "#AA4499"),  # purple
    ("h", "#999933"),  # olive
)
REACTION_EDGE = INK
#: Plotly's names of the same marker shapes (report.html and the dashboard).
PLOTLY_MARKERS = {
    "v": "triangle-down",
    "D": "diamond",
    "^": "triangle-up",
    "o": "circle",
    "s": "square",
    "P": "cross",
    "X": "x",
    "h": "hexagon",
}

# ---------------------------------------------------------------- categorical palettes (Paul Tol)
SERIES = ("#332288", "#44AA99", "#999933", "#CC6677", "#88CCEE", "#117733", "#DDCC77", "#AA4499")  # scenarios, pairs
BLOCS = (
    "#EEDD88",
    "#44BB99",
    "#BBCC33",
    "#DDDDDD",
    "#FFAABB",
    "#99DDFF",
    "#AAAA00",
    "#EE8866",
    "#77AADD",
)  # pale fills, none blue first
BLOC_TEXT = INK  # labels written on a bloc's fill
NONALIGNED = "#BBBBBB"  # a state committed to neither side (mid grey, apart from every bloc fill)
NONALIGNED_NAME = "non-aligned"  # the label alignsim.measures.metrics gives such a state

# the relation scale -1 hostile ... +1 friendly, built from the concept colours themselves
RELATION_CMAP = LinearSegmentedColormap.from_list("alignsim_relation", [HOSTILE, MIDPOINT, FRIENDLY])


def series_color(k: int) -> str:
    return SERIES[k % len(SERIES)]


def bloc_color(k: int) -> str:
    return BLOCS[k % len(BLOCS)]


# ---------------------------------------------------------------- words: plain language, symbol in brackets
LABEL_W = "relation (W)"
LABEL_X0 = "what interests justify (X0)"
LABEL_SCALE = "relation (W): −1 hostile … +1 friendly"
LABEL_DRIFT = "change of relation (W), start to end"
LABEL_DIFF = "difference of relation (W)"


def reaction_styles(rules: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Rule name -> (marker, colour): the rules in the order of their names, so every chart drawn from
    the same events gives a rule the same look (shapes repeat only past the eighth rule)."""
    names = sorted({str(r) for r in rules if isinstance(r, str) and r})
    return {rule: REACTION_STYLES[k % len(REACTION_STYLES)] for k, rule in enumerate(names)}


def reaction_label(rule: str) -> str:
    return f"agent reaction: {rule.replace('_', '-')}"


def bloc_colors(names: list[str]) -> list[str]:
    """One fill per bloc name, in order; the non-aligned get their own grey and use up no bloc colour."""
    out, k = [], 0
    for name in names:
        out.append(NONALIGNED if name == NONALIGNED_NAME else bloc_color(k))
        k += name != NONALIGNED_NAME
    return out or [bloc_color(0)]


def bloc_label(name: str) -> str:
    return name if name == NONALIGNED_NAME else f"bloc of {name}"
