"""One chart pipeline: the PNG charts, report.html and the dashboard draw the same typed chart data
(alignsim.results.chart_data): the same tracked pairs, the same reactions with their causes, the same
network layout and one colour per meaning, for the flagship and the Middle-East scenario."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from conftest import FLAGSHIP, SCENARIOS

import alignsim
from alignsim.results import chart_data as cd
from alignsim.viz import charts, report_html, style

SRC = Path(alignsim.__file__).parent


@pytest.fixture(scope="module", params=[FLAGSHIP, SCENARIOS / "middle_east_2022_2025.yaml"], ids=["flagship", "me"])
def run(request: pytest.FixtureRequest) -> alignsim.api.RunResult:  # type: ignore[name-defined]
    return alignsim.run(request.param, seed=2, progress=False)


def _png_pairs(fig) -> list[str]:  # type: ignore[no-untyped-def]
    titles = [a.get_title(loc="left") for a in fig.axes if a.get_visible()]
    return [re.match(r"(\w+) → (\w+):", t).expand(r"\1-\2") for t in titles if re.match(r"(\w+) → (\w+):", t)]  # type: ignore[union-attr]


def test_the_same_pairs_reactions_and_causes_everywhere(run) -> None:  # type: ignore[no-untyped-def]
    report = cd.run_report(run)
    png = charts.plot_pairs(cd.pairs_data(run))
    pairs = list(dict.fromkeys(report.pairs.series.pair))
    assert _png_pairs(png) == pairs  # the PNG and report.html chart the same pairs, in the same order
    fig = report_html.pairs_figure(report.pairs, report.names)
    titles = [a.text for a in fig.layout.annotations]
    for pair, title in zip(pairs, titles):
        assert title.startswith(report_html.pair_title(pair, report.names))  # full country names
    png_rules = {t.get_text() for t in png.legends[0].get_texts() if t.get_text().startswith("agent reaction")}
    html_rules = {t.name for t in fig.data if (t.name or "").startswith("agent reaction")}
    assert png_rules == html_rules  # every rule in the data, in both
    causes = [t for trace in fig.data if (trace.meta or "").startswith("events") for t in trace.text]
    assert len(causes) == len(report.pairs.reactions) and all("cause: " in c for c in causes)
    drift = report_html.drift_figure(report.drift, report.names).data[0].y
    assert len({frozenset(label.split(" → ")) for label in drift}) == len(drift)  # mirrored pairs once
    page = report_html.run_page(report)
    assert f"world {report.world}" in page and "world inline" not in page  # the named world's own name


def test_the_same_network_layout_and_colours(run) -> None:  # type: ignore[no-untyped-def]
    report = cd.run_report(run)
    png = charts.plot_network(report.network)
    nodes = png.axes[0].collections[-1].get_offsets()
    fig = report_html.network_figure(report.network, report.names)
    states = next(t for t in fig.data if t.name == "states")
    np.testing.assert_allclose(np.column_stack([states.x, states.y]), nodes)  # one layout, computed once
    assert report.network.positions == cd.run_report(run).network.positions  # seeded: the same every time
    colours = {t.line.color for t in fig.data if t.mode == "lines"}
    assert colours <= {style.FRIENDLY, style.HOSTILE}


def test_each_meaning_has_one_colour_in_png_report_and_dashboard(run) -> None:  # type: ignore[no-untyped-def]
    report = cd.run_report(run)
    png = charts.plot_pairs(cd.pairs_data(run))
    fig = report_html.pairs_figure(report.pairs, report.names)
    png_colours = {
        t.get_text(): h.get_color() if hasattr(h, "get_color") else None
        for h, t in zip(png.legends[0].legend_handles, png.legends[0].get_texts())
    }
    html_colours = {t.name: t.line.color for t in fig.data if t.showlegend and t.mode != "markers"}
    for meaning, colour in [
        (style.LABEL_W, style.RELATION),
        (style.LABEL_X0, style.BASELINE),
        ("the other way round", style.REVERSE),
    ]:
        assert html_colours.get(meaning) == colour
        assert png_colours.get(meaning) in (colour, None) or _same(png_colours[meaning], colour)
    markers = {t.name: t.marker.color for t in fig.data if (t.name or "").startswith("agent reaction")}
    for rule, (_, colour) in style.reaction_styles(report.pairs.reactions.rule).items():
        if style.reaction_label(rule) in markers:
            assert markers[style.reaction_label(rule)] == colour
    # the dashboard draws these same figures and spells no colour of its own
    for module in ("dashboard/app.py", "viz/report_html.py"):
        text = (SRC / module).read_text(encoding="utf-8")
        assert not re.findall(r"#[0-9a-fA-F]{6}\b", text.replace(report_html.STYLE, "")), module
    assert "rh.pairs_figure(" in (SRC / "dashboard/app.py").read_text()


def _same(a, b) -> bool:  # type: ignore[no-untyped-def]
    from matplotlib.colors import to_hex

    return bool(to_hex(a) == to_hex(b))


def test_old_friends_are_friends_both_ways_round(run) -> None:  # type: ignore[no-untyped-def]
    """No chart says "old friends" of a pair that one side does not regard as a friend."""
    threshold = run.scenario.params.friend_threshold
    start = run.relations[run.relations.step == 0].set_index(["source", "target"]).weight
    friends = cd.old_friends(run)
    assert friends and all(start[(b, a)] >= threshold and start[(a, b)] >= threshold for a, b in friends)
    one_way = {(a, b) for (a, b), w in start.items() if w >= threshold and start[(b, a)] < threshold}
    assert not friends & one_way
    drift = cd.drift_data(run)
    assert not any(f and (s, t) in one_way for s, t, f in zip(drift.source, drift.target, drift.old_friend))
