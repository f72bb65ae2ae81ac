"""The one place where chart colours and the words on axes are chosen: every chart module (charts,
sensitivity, history, report_html and the comparison's charts) takes them from here, so a colour
means one thing in every chart.

Concept colours are the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"); the
categorical palettes are Paul Tol's "muted" (series: scenarios, pairs) and "light" (blocs, drawn as
pale fills with dark text) schemes (Tol 2021, "Colour schemes", SRON/EPS/TN/09-002). All of them stay
distinguishable under the common colour-vision deficiencies. No other alignsim import."""

from __future__ import annotations

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

#: Agent reactions: marker shape and colour, by the rule's place in the list of rules the chart data
#: passes (the registry's order; the rules' names live in alignsim.model.rules, not here). Told apart
#: by shape too.
REACTION_MARKS = (
    ("^", "#009E73"),  # bluish green
    ("v", "#56B4E9"),  # sky blue
    ("D", "#882255"),  # wine (Tol muted)
    ("o", "#F0E442"),  # yellow, drawn with a dark edge
    ("X", "#CC3311"),  # red (Tol vibrant)
    ("s", "#0077BB"),  # blue (Tol vibrant)
    ("P", "#EE3377"),  # magenta (Tol vibrant)
    ("*", "#009988"),  # teal (Tol vibrant)
    ("h", "#EE7733"),  # orange (Tol vibrant)
)


def reaction_marks(rules: dict[str, str], present: list[str]) -> list[tuple[str, str, str, str]]:
    """(rule, label, marker, colour) for each rule in ``rules`` (name -> label, in the order that
    fixes its mark) followed by any rule ``present`` in the data but not named there."""
    names = list(rules) + [r for r in dict.fromkeys(present) if r not in rules]
    out = []
    for k, name in enumerate(names):
        marker, color = REACTION_MARKS[k % len(REACTION_MARKS)]
        out.append((name, rules.get(name, name.replace("_", "-")), marker, color))
    return out


REACTION_EDGE = INK

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


def bloc_colors(names: list[str]) -> list[str]:
    """One fill per bloc name, in order; the non-aligned get their own grey and use up no bloc colour."""
    out, k = [], 0
    for name in names:
        out.append(NONALIGNED if name == NONALIGNED_NAME else bloc_color(k))
        k += name != NONALIGNED_NAME
    return out or [bloc_color(0)]


def bloc_label(name: str) -> str:
    return name if name == NONALIGNED_NAME else f"bloc of {name}"
