"""Ensembles streamed to Parquet parts: the same tables as the ensemble held in memory, read back
lazily, charts drawn from the parts with the data of the whole ensemble."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from alignsim.api import load
from alignsim.config.scenario import Scenario, load_scenario
from alignsim.experiments.simulate import run_scenario
from alignsim.experiments.streaming import (
    STREAM_THRESHOLD,
    PartedRunResult,
    chart_pairs,
    chart_view,
    read_ends,
    stream_scenario,
    wants_stream,
)
from alignsim.results import chart_data
from alignsim.results.chart_data import run_report
from alignsim.results.run import RunResult
from alignsim.viz.report_html import run_page

pytest.importorskip("pyarrow")

from conftest import FLAGSHIP, alignsim_cli_many  # noqa: E402

REPLICATES = 7
PART = 3  # parts of 3, 3 and 1 replicates: a short last part too


@pytest.fixture(scope="module")
def flagship() -> Scenario:
    return load_scenario(FLAGSHIP)


@pytest.fixture(scope="module")
def in_memory(flagship: Scenario) -> RunResult:
    return run_scenario(flagship, replicates=REPLICATES, workers=1)


@pytest.fixture(scope="module")
def streamed(flagship: Scenario, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("stream") / "run"
    stream_scenario(flagship, folder, replicates=REPLICATES, workers=1, part_replicates=PART)
    return folder


def test_a_streamed_run_has_the_tables_of_the_run_held_in_memory(streamed: Path, in_memory: RunResult) -> None:
    loaded = load(streamed)
    assert isinstance(loaded, PartedRunResult)
    assert loaded.replicates == REPLICATES and loaded.is_ensemble
    for table in ("relations", "events", "metrics"):
        pd.testing.assert_frame_equal(getattr(loaded, table), getattr(in_memory, table), check_exact=True)
    assert loaded.scenario == in_memory.scenario
    for key in ("seed", "replicates", "replicate_seeds", "scenario_sha256"):
        assert loaded.manifest[key] == in_memory.manifest[key]


def test_the_folder_holds_parts_and_a_manifest_that_lists_them(streamed: Path) -> None:
    manifest = json.loads((streamed / "manifest.json").read_text())
    assert manifest["storage"] == "parquet-parts" and manifest["parts"] == 3 and manifest["part_replicates"] == PART
    for table in ("relations", "events", "metrics"):
        parts = sorted(p.name for p in (streamed / table).iterdir())
        assert parts == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
        assert all(f"{table}/{p}" in manifest["files"] for p in parts)
    assert not list(streamed.glob("*.csv"))  # no CSV: 10,000 replicates would be gigabytes of text
    assert sorted(p.name for p in (streamed / "charts").iterdir()) == sorted(
        [
            "tracked_pairs.png",
            "relations_start_end.png",
            "alignment_network_end.png",
            "blocs_over_time.png",
            "drift.png",
        ]
    )
    # pandas reads a table's folder of parts as one table
    assert len(pd.read_parquet(streamed / "metrics")) == REPLICATES * 37


def test_loading_reads_nothing_until_asked_and_then_only_what_is_asked(streamed: Path, in_memory: RunResult) -> None:
    loaded = load(streamed)
    assert loaded._frame is None and loaded._tables == {}  # nothing read yet
    pd.testing.assert_frame_equal(loaded.band("PRK", "CUB"), in_memory.band("PRK", "CUB"))
    pd.testing.assert_frame_equal(loaded.relation("KOR", "MNG"), in_memory.relation("KOR", "MNG"))
    assert loaded._frame is None and loaded._tables == {}  # one pair's rows only, no table built
    one = loaded.replicate(4)  # from the part that holds it
    for table in ("relations", "events", "metrics"):
        pd.testing.assert_frame_equal(getattr(one, table), getattr(in_memory.replicate(4), table), check_exact=True)
    parts = list(loaded.iter_parts("metrics", columns=["replicate", "endurance"]))
    assert [sorted(p.replicate.unique()) for p in parts] == [[0, 1, 2], [3, 4, 5], [6]]
    assert loaded.dataset("relations").count_rows() == len(in_memory.relations)
    pd.testing.assert_frame_equal(
        loaded.relation_cube.frame(2, 5), in_memory.relation_cube.frame(2, 5), check_exact=True
    )
    for column in ("weight", "baseline"):
        assert np.array_equal(loaded.relation_cube.values[column], in_memory.relation_cube.values[column])
    with pytest.raises(KeyError, match="no relation"):
        loaded.band("PRK", "XXX")


def test_streamed_charts_show_the_data_of_the_whole_ensemble(streamed: Path, in_memory: RunResult) -> None:
    loaded = load(streamed)
    small = chart_view(loaded)
    ends = read_ends(loaded)
    assert ends.replicates == REPLICATES and list(ends.dates) == [
        in_memory.relation_cube.dates[0],
        in_memory.relation_cube.dates[-1],
    ]
    a, b = chart_data.ensemble_matrices_data(small), chart_data.ensemble_matrices_data(in_memory)
    assert (
        a.codes == b.codes
        and np.array_equal(a.start, b.start)
        and np.array_equal(a.end, b.end)
        and (a.start_date, a.end_date) == (b.start_date, b.end_date)
    )
    pd.testing.assert_frame_equal(chart_data.ensemble_drift_data(small), chart_data.ensemble_drift_data(in_memory))
    assert chart_data.ensemble_network_data(small) == chart_data.ensemble_network_data(in_memory)
    blocs_a, blocs_b = chart_data.ensemble_blocs_data(small), chart_data.ensemble_blocs_data(in_memory)
    assert blocs_a.names == blocs_b.names and blocs_a.dates == blocs_b.dates
    assert np.array_equal(blocs_a.blocs, blocs_b.blocs) and np.array_equal(blocs_a.agreement, blocs_b.agreement)
    pairs = chart_pairs(loaded, chart_data.ensemble_drift_data(small))
    band_a, band_b = chart_data.band_data(loaded, pairs, runs=3), chart_data.band_data(in_memory, runs=3)
    for name in ("series", "runs", "shocks", "reactions"):
        pd.testing.assert_frame_equal(getattr(band_a, name), getattr(band_b, name))


def test_a_streamed_folder_has_the_report_of_the_ensemble_held_in_memory(streamed: Path, in_memory: RunResult) -> None:
    pytest.importorskip("plotly")
    assert (streamed / "report.html").read_text(encoding="utf-8") == run_page(run_report(in_memory))
    assert "report.html" in json.loads((streamed / "manifest.json").read_text(encoding="utf-8"))["files"]


def test_the_python_copy_of_a_streamed_folder_loads_the_same(streamed: Path, tmp_path: Path) -> None:
    copy = load(streamed).save(tmp_path / "copy", charts=False)
    again = load(copy)
    assert isinstance(again, PartedRunResult) and not (copy / "charts").exists()
    pd.testing.assert_frame_equal(again.events, load(streamed).events)


def test_when_a_run_streams() -> None:
    assert wants_stream(None, STREAM_THRESHOLD) and not wants_stream(None, STREAM_THRESHOLD - 1)
    assert wants_stream(True, 2) and not wants_stream(False, 10 * STREAM_THRESHOLD)


def test_cli_run_streams_on_request_and_refuses_a_contradiction(tmp_path: Path) -> None:
    streamed, contradiction, small = alignsim_cli_many(
        [
            (
                "run",
                FLAGSHIP,
                "--replicates",
                "3",
                "--stream",
                "--no-charts",
                "--quiet",
                "--workers",
                "1",
                "--out",
                tmp_path / "s",
            ),
            ("run", FLAGSHIP, "--replicates", "3", "--stream", "--no-parquet", "--out", tmp_path / "bad"),
            (
                "run",
                FLAGSHIP,
                "--replicates",
                "3",
                "--no-charts",
                "--quiet",
                "--workers",
                "1",
                "--out",
                tmp_path / "plain",
            ),
        ],
        cwd=tmp_path,
    )
    assert streamed.returncode == 0, streamed.stderr
    assert "Parquet parts" in streamed.stdout
    assert (tmp_path / "s" / "relations" / "part-00000.parquet").is_file()
    assert contradiction.returncode == 2 and "--stream" in contradiction.stderr and not (tmp_path / "bad").exists()
    assert (
        small.returncode == 0 and (tmp_path / "plain" / "relations.csv").is_file()
    )  # below the threshold: CSV as before
    pd.testing.assert_frame_equal(load(tmp_path / "s").metrics, load(tmp_path / "plain").metrics, check_exact=True)
