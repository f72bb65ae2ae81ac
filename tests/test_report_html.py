"""report.html in run folders: self-contained (Plotly's JavaScript inline, once), carries every
event's cause for the hover labels, deterministic, and skipped without breaking the folder when
plotly is missing. The browser checks (charts render offline, a hover shows a cause) are in
test_browser.py."""

from __future__ import annotations

import html
import json
import re
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import FLAGSHIP

import alignsim
from alignsim.results.chart_data import run_report
from alignsim.viz.report_html import REPORT_NAME, pairs_figure, run_page

PLOTLY_BANNER = re.compile(r"plotly\.js v\d")
ALL_RULES = {"cool_on": True, "court_on": True}  # off by default; on, the article run has reactions to draw


@pytest.fixture(scope="module")
def article() -> alignsim.api.RunResult:  # type: ignore[name-defined]
    return alignsim.run(FLAGSHIP, progress=False, **ALL_RULES)


def test_run_folder_holds_a_self_contained_report(article, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = article.save(tmp_path / "article")
    report = folder / REPORT_NAME
    text = report.read_text(encoding="utf-8")
    print(f"report.html of the article run: {report.stat().st_size / 1e6:.2f} MB")
    assert REPORT_NAME in json.loads((folder / "manifest.json").read_text())["files"]
    assert len(PLOTLY_BANNER.findall(text)) == 1, "Plotly's JavaScript must be embedded exactly once"
    assert not re.search(r"<script[^>]+src=", text), "no script may be loaded from elsewhere"
    assert text.count("Plotly.newPlot") == 5  # pairs, network, blocs, drift, measures
    # The hover labels carry each reaction's cause, e.g. why North Korea cooled toward Cuba
    # (Plotly writes its JSON with "<", "/" and non-ASCII characters escaped).
    cool = article.events.query("rule == 'cool'").iloc[0]
    assert "PRK media_freeze \\u2192 CUB" in text
    for chunk in textwrap.wrap(html.escape(cool.cause), 70):
        assert json.dumps(chunk)[1:-1].replace("/", "\\u002f") in text, chunk


def test_report_is_deterministic(article) -> None:  # type: ignore[no-untyped-def]
    """The same run gives the same bytes: run folders of one seed stay identical."""
    assert run_page(run_report(article)) == run_page(run_report(article))


def test_without_plotly_the_folder_is_written_and_the_report_skipped(
    article, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(sys.modules, "plotly", None)  # `import plotly` now raises ImportError
    folder = article.save(tmp_path / "no_plotly")
    assert not (folder / REPORT_NAME).exists()
    assert (folder / "events.csv").exists() and (folder / "charts").is_dir()
    note = capsys.readouterr().err.strip().splitlines()
    assert note == ["note: plotly is not installed, so report.html was skipped (pip install plotly)"]


def test_no_charts_means_no_report(article, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """--no-charts keeps a run folder to its tables: the report is a chart too."""
    folder = article.save(tmp_path / "bare", charts=False)
    assert not (folder / REPORT_NAME).exists()


# ---------------------------------------------------------------------------- ensembles and comparisons
def test_ensemble_report_draws_medians_and_bands_not_every_run(tmp_path: Path) -> None:
    small = alignsim.run(FLAGSHIP, replicates=4, seed=3, workers=1, progress=False, **ALL_RULES)
    large = alignsim.run(FLAGSHIP, replicates=12, seed=3, workers=1, progress=False, **ALL_RULES)
    # One band, one median, one X0 line and one marker trace per rule and pair, whatever the number of runs.
    small_fig, large_fig = pairs_figure(run_report(small).pairs), pairs_figure(run_report(large).pairs)
    assert len(small_fig.data) == len(large_fig.data)
    metas = {trace.meta for trace in large_fig.data}
    assert "PRK→CUB" in metas and "events PRK–CUB" in metas
    folder = large.save(tmp_path / "ensemble")
    text = (folder / REPORT_NAME).read_text(encoding="utf-8")
    assert len(PLOTLY_BANNER.findall(text)) == 1
    assert json.dumps("5–95% of 12 runs")[1:-1] in text
    assert "of runs that month" in text  # reaction markers say how often they happened


def test_comparison_folder_holds_a_report(tmp_path: Path) -> None:
    cmp = alignsim.compare(
        FLAGSHIP.with_name("baseline_2024.yaml"),
        FLAGSHIP.with_name("dzud_aid.yaml"),
        replicates=6,
        workers=1,
        progress=False,
    )
    folder = cmp.save(tmp_path / "cmp", runs=False)
    text = (folder / REPORT_NAME).read_text(encoding="utf-8")
    assert REPORT_NAME in json.loads((folder / "manifest.json").read_text())["files"]
    assert len(PLOTLY_BANNER.findall(text)) == 1
    assert text.count("Plotly.newPlot") == len(cmp.pairs) + 1  # one figure per tracked pair, and the reactions
    assert "difference from baseline_2024, run by run" in text
