"""The static charts speak one visual language: colours come from alignsim.viz.style only, every
scripted shock is numbered and listed, legends sit outside the data, a world without bloc change
says so, and the drift chart lists each pair of states once."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

import alignsim
from alignsim.experiments.comparison import CompareResult
from alignsim.viz import charts, report_html, style

SRC = Path(alignsim.__file__).parent
HEX = re.compile(r"#[0-9a-fA-F]{3,8}\b")


@pytest.mark.parametrize(
    "module", ["viz/charts.py", "viz/sensitivity.py", "viz/history.py", "experiments/comparison.py"]
)
def test_chart_modules_take_every_colour_from_the_style_module(module: str) -> None:
    text = (SRC / module).read_text(encoding="utf-8")
    assert not HEX.findall(text), f"{module} spells colours itself; use alignsim.viz.style"
    assert re.search(r"from alignsim\.viz import .*\bstyle\b", text)
    assert not re.search(r"color=\"(black|white|grey|gray|red|green|blue|0\.\d+)\"", text)


def test_the_interactive_report_uses_the_same_palettes() -> None:
    assert report_html.PALETTE is style.SERIES and report_html.BLOC_COLORS is style.BLOCS
    script = (SRC / "viz/report_html.py").read_text(encoding="utf-8")
    assert not HEX.findall(script.replace(report_html.STYLE, "")), (
        "report_html spells chart colours outside its stylesheet"
    )


def test_concepts_have_distinct_colours() -> None:
    concepts = [style.RELATION, style.REVERSE, style.BASELINE, style.OLD_FRIEND, style.FRIENDLY, style.HOSTILE]
    concepts += [c for _, c in style.REACTION_STYLES]
    assert len({c.lower() for c in concepts}) == len(concepts)
    assert not {c.lower() for c in concepts} & {
        c.lower() for c in style.BLOCS
    }  # a bloc is never "hostile" or "old friend"


def _pairs(shocks: int) -> charts.PairsData:
    dates = pd.date_range("2024-01-01", periods=24, freq="MS")
    series = pd.DataFrame(
        {
            "pair": "AAA-BBB",
            "date": dates,
            "weight": np.linspace(0.1, 0.5, 24),
            "reverse": 0.2,
            "baseline": 0.3,
            "old_friend": False,
        }
    )
    when = [dates[1], dates[1], dates[2], dates[2]] + list(dates[3 : 3 + shocks - 4])  # four crowd into two months
    labels = [f"shock_{k} AAA" for k in range(1, shocks + 1)]
    reactions = pd.DataFrame({"pair": ["AAA-BBB"], "date": [dates[5]], "rule": ["court"], "label": ["AAA: visit"]})
    return charts.PairsData(series, pd.DataFrame({"date": when, "label": labels}), reactions)


def test_the_shock_key_lists_every_shock_numbered_as_on_the_lines() -> None:
    data = _pairs(18)  # more than the twelve the old footer kept
    fig = charts.plot_pairs(data)
    key = fig._supxlabel.get_text()  # type: ignore[attr-defined]
    assert key.count("scripted shocks") == 1  # the heading once, not on every line
    for k in range(1, 19):
        assert re.search(rf"(^|\s){k}  \d{{4}}-\d\d-01 shock_{k} AAA", key, re.MULTILINE), k
    numbers = charts.shock_numbers(data.shocks.date, np.timedelta64(40, "D"))
    written = [n for _, text in numbers for n in _expand(text)]
    assert sorted(written) == list(range(1, 19))  # every shock numbered once, crowded ones grouped
    assert len(numbers) < 18  # the four shocks of two neighbouring months share labels
    panel_texts = {t.get_text() for t in fig.axes[0].texts}
    assert {text for _, text in numbers} <= panel_texts


def _expand(text: str) -> list[int]:
    if "–" in text:
        a, b = text.split("–")
        return list(range(int(a), int(b) + 1))
    return [int(x) for x in text.split(",")]


def test_the_pairs_legend_is_outside_the_panels_and_in_plain_words() -> None:
    fig = charts.plot_pairs(_pairs(5))
    assert all(a.get_legend() is None for a in fig.axes)  # no legend over the lines
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert style.LABEL_W in labels and style.LABEL_X0 in labels and "agent reaction: court" in labels
    assert fig.axes[0].get_ylabel() == "relation (W)"


def test_no_bloc_change_is_said_not_drawn() -> None:
    data = charts.BlocsData(
        ["AAA", "BBB", "CCC"], ["2024-01-01", "2024-06-01"], np.array([[0, 0], [1, 1], [0, 0]]), ["AAA", "BBB"]
    )
    fig = charts.plot_blocs(data)
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "No bloc change" in texts and "bloc of AAA: AAA, CCC" in texts and "bloc of BBB: BBB" in texts
    assert not fig.axes[0].images
    moving = charts.BlocsData(data.codes, data.dates, np.array([[0, 1], [1, 1], [0, 0]]), data.names)
    assert charts.plot_blocs(moving).axes[0].images  # a change is drawn


def test_the_drift_chart_lists_each_pair_of_states_once() -> None:
    rows = [
        ("AAA", "BBB", 0.5),
        ("BBB", "AAA", 0.45),
        ("AAA", "CCC", -0.3),
        ("CCC", "AAA", -0.2),
        ("BBB", "CCC", 0.1),
        ("CCC", "BBB", 0.05),
    ]
    data = pd.DataFrame(rows, columns=["source", "target", "drift"]).assign(interest_pull=0.0, old_friend=False)
    fig = charts.plot_drift(data)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert sorted(labels) == ["AAA → BBB", "AAA → CCC", "BBB → CCC"]
    assert "3 of 3 pairs of states" in fig.axes[0].get_title()
    reverse = dict(
        zip(labels, fig.axes[0].collections[0].get_offsets()[:, 0])
    )  # the hollow markers: the other direction
    assert reverse == pytest.approx({"AAA → BBB": 0.45, "AAA → CCC": -0.2, "BBB → CCC": 0.05})


def test_the_comparison_reactions_chart_says_how_many_it_shows() -> None:
    rules = ["court", "cool", "reciprocate"]
    rows = [
        {
            "source": f"S{k:02d}",
            "rule": rules[k % 3],
            "target": "TGT",
            "forms": "visit",
            "scenario": name,
            "share": (k + 1) / 20,
        }
        for k in range(18)
        for name in ("base", "shock")
    ]
    cmp = SimpleNamespace(reactions=pd.DataFrame(rows), names=["base", "shock"], replicates=20)
    title = CompareResult.plot_reactions(cmp).axes[0].get_title()  # type: ignore[arg-type]
    assert "the 12 most frequent of 18" in title
    assert "all 18" in CompareResult.plot_reactions(cmp, top=30).axes[0].get_title()  # type: ignore[arg-type]
