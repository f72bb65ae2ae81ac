"""Outputs that scale with the world: Parquet first for large worlds (CSV on request), the resolved
scenario written fast and read back equal, and chart views fit for hundreds of states."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st

import alignsim
from alignsim.cli.main import main
from alignsim.config.scenario import Scenario, load_scenario
from alignsim.experiments.simulate import run_scenario
from alignsim.model.model import AlignmentModel
from alignsim.results import chart_data, scaling
from alignsim.results.scaling import fast_yaml, resolved_yaml
from alignsim.viz.charts import plot_matrices, plot_network
from alignsim.world.generate import generate_world

N = 40  # above LARGE_WORLD_STATES: the large-world paths, at the cost of a small world


@pytest.fixture(scope="module")
def large() -> Scenario:
    world = generate_world(N, np.random.default_rng(N)).model_dump(mode="json")
    return Scenario.model_validate(
        {"name": "large", "world": world, "seed": 3, "steps": 4, "start": "2024-01-01", "params": {"alpha": 0.0005}}
    )


@pytest.fixture(scope="module")
def single(large: Scenario):  # noqa: ANN201 - a RunResult
    return run_scenario(large, workers=1)


plain = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**12), 10**12) | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(plain)
def test_fast_yaml_reads_back_as_the_same_data(data: object) -> None:
    assert yaml.safe_load(fast_yaml(data)) == data


def test_the_un_worlds_resolved_scenario_reads_back_equal() -> None:
    resolved = load_scenario(REPO / "scenarios" / "un193_baseline.yaml").resolved()
    text = resolved_yaml(resolved)
    assert text == fast_yaml(resolved) and yaml.safe_load(text) == resolved
    small = load_scenario(REPO / "scenarios" / "article_timeline_2024.yaml").resolved()
    assert resolved_yaml(small) == yaml.safe_dump(small, sort_keys=False, allow_unicode=True)  # small worlds: as before


def test_a_large_single_run_keeps_arrays_with_the_tables_of_a_recorded_run(large: Scenario, single) -> None:  # noqa: ANN001
    assert single._cube is not None  # no long table built unless asked
    rec = AlignmentModel(large, seed=large.seed).run().recorder  # the tables of a recorded run
    tables = (rec.relations_frame(), rec.events_frame(), rec.metrics_frame())
    for frame, ours in zip(tables, (single.relations, single.events, single.metrics)):
        frame.insert(0, "replicate", np.zeros(len(frame), dtype=np.int64))
        pd.testing.assert_frame_equal(ours, frame)


def test_a_large_worlds_relations_go_to_parquet_first_and_to_csv_when_asked(
    single, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # noqa: ANN001
    monkeypatch.setattr(scaling, "CSV_ROWS_PER_REPLICATE", 1000)  # this world's 7,800 rows count as large
    folder = single.save(tmp_path / "parquet", charts=False)
    names = {p.name for p in folder.iterdir()}
    assert "relations.parquet" in names and "relations.csv" not in names
    assert {"events.csv", "metrics.csv", "events.parquet", "metrics.parquet"} <= names
    assert "relations.parquet" in json.loads((folder / "manifest.json").read_text())["checksums"]
    again = alignsim.load(folder)
    pd.testing.assert_frame_equal(again.relations, single.relations)
    asked = single.save(tmp_path / "csv", charts=False, csv=True)
    assert (asked / "relations.csv").is_file()  # as a small world writes it
    refused = single.save(tmp_path / "no-parquet", charts=False, parquet=False)
    assert {p.name for p in refused.iterdir()} >= {"relations.csv"} and not (refused / "relations.parquet").exists()
    monkeypatch.undo()
    small = single.save(tmp_path / "small", charts=False)  # under the limit: CSV as always
    assert (small / "relations.csv").is_file() and not (small / "relations.parquet").exists()


def test_large_world_charts_show_every_state_in_views_that_stay_readable(single, tmp_path: Path) -> None:  # noqa: ANN001
    paths = chart_data.save_charts(single, tmp_path / "charts")
    assert sorted(p.name for p in paths) == [
        "alignment_network_end.png",
        "blocs_over_time.png",
        "drift.png",
        "relations_start_end.png",
        "tracked_pairs.png",
    ]
    net = chart_data.large_network_data(single)
    assert len(net.codes) == N and len(net.edges) <= N * chart_data.NETWORK_TIES_PER_STATE
    assert all(abs(w) >= 0.2 for _, _, w in net.edges)
    mats = chart_data.large_matrices_data(single)
    blocs = chart_data._end_blocs(single)
    order = [blocs[c] for c in mats.codes]
    assert order == sorted(order)  # states grouped by their bloc at the end
    i, j = single.relation_cube.codes.index(mats.codes[0]), single.relation_cube.codes.index(mats.codes[1])
    assert mats.end[0, 1] == single.relation_cube.as_matrices(single.relation_cube.values["weight"][0, -1])[i, j]
    assert not plot_matrices(mats).axes[0].texts  # no per-cell numbers for 40 x 40
    assert len(plot_network(net).axes[0].texts) <= 100


def test_cli_run_of_a_large_world_writes_parquet_and_csv_on_request(
    large: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "large.yaml"
    path.write_text(resolved_yaml(large.resolved()), encoding="utf-8")
    monkeypatch.setattr(scaling, "CSV_ROWS_PER_REPLICATE", 1000)
    assert main(["run", str(path), "--out", str(tmp_path / "a"), "--no-charts"]) == 0
    assert main(["run", str(path), "--out", str(tmp_path / "b"), "--no-charts", "--csv"]) == 0
    capsys.readouterr()
    assert not (tmp_path / "a" / "relations.csv").exists() and (tmp_path / "a" / "relations.parquet").is_file()
    assert (tmp_path / "b" / "relations.csv").is_file()
    pd.testing.assert_frame_equal(alignsim.load(tmp_path / "a").relations, alignsim.load(tmp_path / "b").relations)
