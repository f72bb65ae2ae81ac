"""Ensembles: seeds spawned in the parent, the same tables for any number of workers, a replicate
column everywhere, single runs unchanged, run folders written whole, charts with bands."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from alignsim.api import load
from alignsim.cli.main import main
from alignsim.config.scenario import Scenario, load_scenario, parse_scenario
from alignsim.errors import InputError
from alignsim.experiments.progress import Progress
from alignsim.experiments.replicates import map_replicates, replicate_seeds, resolve_workers
from alignsim.experiments.simulate import run_scenario
from alignsim.model.cube import RelationCube
from alignsim.model.model import AlignmentModel
from alignsim.results import chart_data
from alignsim.results.folders import FLOAT_FORMAT, write_relations_csv

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "scenarios" / "article_timeline_2024.yaml"


@pytest.fixture(scope="module")
def flagship() -> Scenario:
    return load_scenario(FLAGSHIP)


@pytest.fixture(scope="module")
def ensemble(flagship: Scenario):  # type: ignore[no-untyped-def]
    # with every rule on (cool and court are off by default), so the chart data have reactions to show
    return run_scenario(flagship.with_overrides(cool_on=True, court_on=True), replicates=5, workers=1)


def recorder_tables(scenario: Scenario, seed: object) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    model = AlignmentModel(scenario, seed=seed).run()  # type: ignore[arg-type]
    rec = model.recorder
    return rec.relations_frame(), rec.events_frame(), rec.metrics_frame()


def without_replicate(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns="replicate").reset_index(drop=True)


# ---------------------------------------------------------------------------- seeds
def test_replicate_seeds_are_the_children_of_the_run_seed() -> None:
    seeds = replicate_seeds(2024, 4)
    children = np.random.SeedSequence(2024).spawn(4)
    assert [s.generate_state(4).tolist() for s in seeds] == [c.generate_state(4).tolist() for c in children]
    # replicate k does not depend on the ensemble's size: a small ensemble is the start of a large one
    assert [s.generate_state(4).tolist() for s in replicate_seeds(2024, 2)] == [
        s.generate_state(4).tolist() for s in seeds[:2]
    ]
    # one replicate is the plain seed: the same stream as the integer
    one = np.random.default_rng(replicate_seeds(2024, 1)[0]).random(3)
    assert one.tolist() == np.random.default_rng(2024).random(3).tolist()
    with pytest.raises(ValueError):
        replicate_seeds(1, 0)


def test_a_single_run_is_the_plain_seed_run_with_replicate_zero(flagship: Scenario) -> None:
    result = run_scenario(flagship)
    assert result.replicates == 1 and not result.is_ensemble
    relations, events, metrics = recorder_tables(flagship, flagship.seed)
    for table, expected in ((result.relations, relations), (result.events, events), (result.metrics, metrics)):
        assert table.columns[0] == "replicate" and (table.replicate == 0).all()
        pd.testing.assert_frame_equal(without_replicate(table), expected)
    assert "replicates" not in result.manifest  # a single run's manifest is what it always was


def test_replicate_k_is_the_model_run_with_child_seed_k(flagship: Scenario, ensemble) -> None:  # type: ignore[no-untyped-def]
    children = np.random.SeedSequence(flagship.seed).spawn(5)
    for k in (0, 3):
        relations, events, metrics = recorder_tables(ensemble.scenario, children[k])
        one = ensemble.replicate(k)
        assert one.replicates == 1
        assert (one.relations.replicate == k).all()
        pd.testing.assert_frame_equal(without_replicate(one.relations), relations)
        pd.testing.assert_frame_equal(without_replicate(one.events), events)
        pd.testing.assert_frame_equal(without_replicate(one.metrics), metrics)
    # replicates really differ (the seeds are not reused)
    a, b = ensemble.relation("PRK", "CUB", replicate=0), ensemble.relation("PRK", "CUB", replicate=1)
    assert not np.allclose(a.to_numpy(), b.to_numpy())


def test_every_table_has_a_replicate_column_in_replicate_order(flagship: Scenario, ensemble) -> None:  # type: ignore[no-untyped-def]
    assert ensemble.replicates == 5 and ensemble.scenario.replicates == 5
    steps, pairs = flagship.steps + 1, 8 * 7
    rel = ensemble.relations
    assert rel.columns.tolist() == ["replicate", "step", "date", "source", "target", "weight", "baseline"]
    assert rel.replicate.tolist() == np.repeat(np.arange(5), steps * pairs).tolist()
    assert ensemble.metrics.replicate.tolist() == np.repeat(np.arange(5), steps).tolist()
    assert ensemble.events.replicate.is_monotonic_increasing
    assert set(ensemble.events.replicate) == set(range(5))  # the scripted shocks land in every replicate
    assert ensemble.manifest["replicates"] == 5


# ---------------------------------------------------------------------------- workers
def _square(x: int) -> int:
    return x * x


def test_map_replicates_keeps_the_order_of_the_items_for_any_worker_count() -> None:
    items = list(range(23))
    expected = [x * x for x in items]
    assert list(map_replicates(_square, items, workers=1)) == expected
    assert list(map_replicates(_square, items, workers=2, chunksize=1)) == expected
    assert list(map_replicates(_square, items, workers=2, chunksize=5)) == expected
    assert list(map_replicates(_square, [], workers=2)) == []
    assert resolve_workers(8, 3) == 3 and resolve_workers(None, 1) == 1
    with pytest.raises(ValueError):
        resolve_workers(0, 5)


def test_the_same_seed_gives_identical_results_with_one_and_two_workers(flagship: Scenario, tmp_path: Path) -> None:
    one = run_scenario(flagship, replicates=6, seed=11, workers=1)
    two = run_scenario(flagship, replicates=6, seed=11, workers=2)
    for name in ("relations", "events", "metrics"):
        pd.testing.assert_frame_equal(getattr(one, name), getattr(two, name), check_exact=True)
    a, b = one.save(tmp_path / "one"), two.save(tmp_path / "two")
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    for f in files:
        if f.name == "manifest.json":
            ma, mb = json.loads((a / f).read_text()), json.loads((b / f).read_text())
            ma.pop("created"), mb.pop("created")
            assert ma == mb
        else:
            assert (a / f).read_bytes() == (b / f).read_bytes(), f


# ---------------------------------------------------------------------------- saving and loading
def test_fast_relations_csv_is_byte_identical_to_pandas(ensemble, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cube = ensemble.relation_cube
    write_relations_csv(cube, tmp_path / "fast.csv")
    cube.frame().to_csv(tmp_path / "pandas.csv", index=False, float_format=FLOAT_FORMAT, lineterminator="\n")
    assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "pandas.csv").read_bytes()


def test_relation_cube_round_trips_a_long_table(ensemble) -> None:  # type: ignore[no-untyped-def]
    frame = ensemble.relations
    shuffled = frame.sample(frac=1.0, random_state=3)
    cube = RelationCube.from_frame(shuffled)
    for source, target in (("PRK", "CUB"), ("MNG", "KOR")):
        np.testing.assert_array_equal(cube.series(source, target), ensemble.relation_cube.series(source, target))
    pd.testing.assert_frame_equal(ensemble.relation_cube.frame(), frame)


def test_an_ensemble_folder_loads_back_as_the_same_result(ensemble, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    exact = load(ensemble.save(tmp_path / "with_parquet", charts=False, parquet=True))
    assert (tmp_path / "with_parquet" / "relations.parquet").is_file()
    for name in ("relations", "events", "metrics"):
        pd.testing.assert_frame_equal(getattr(exact, name), getattr(ensemble, name), check_dtype=False)
    assert exact.replicates == 5 and exact.scenario == ensemble.scenario
    csv_only = load(ensemble.save(tmp_path / "csv_only", charts=False, parquet=False))
    assert not (tmp_path / "csv_only" / "relations.parquet").exists()
    pd.testing.assert_frame_equal(csv_only.relations, ensemble.relations, check_dtype=False, rtol=1e-9)
    pd.testing.assert_frame_equal(csv_only.metrics, ensemble.metrics, check_dtype=False, rtol=1e-9)
    resolved = yaml.safe_load((tmp_path / "csv_only" / "scenario.resolved.yaml").read_text())
    assert resolved["replicates"] == 5  # re-running the resolved scenario gives the same ensemble


def test_a_failed_save_leaves_nothing_behind(ensemble, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(chart_data, "save_charts", broken)
    with pytest.raises(RuntimeError):
        ensemble.save(tmp_path / "run")
    assert list(tmp_path.iterdir()) == []


def test_an_old_single_run_folder_without_replicate_column_still_loads(flagship: Scenario, tmp_path: Path) -> None:
    folder = run_scenario(flagship).save(tmp_path / "run", charts=False)
    for name in ("relations", "events", "metrics"):
        path = folder / f"{name}.csv"
        pd.read_csv(path, keep_default_na=False, na_values=[]).drop(columns="replicate").to_csv(path, index=False)
    manifest = json.loads((folder / "manifest.json").read_text())
    del manifest["checksums"]  # folders that old had none
    (folder / "manifest.json").write_text(json.dumps(manifest))
    again = load(folder, verify=False)  # no checksums: it cannot be verified, and is read only on request
    assert again.replicates == 1 and (again.relations.replicate == 0).all()


# ---------------------------------------------------------------------------- scenario field, CLI
def test_the_scenario_replicates_field_makes_an_ensemble() -> None:
    s = parse_scenario("world: korea_2024\nsteps: 4\nreplicates: 3\n")
    assert run_scenario(s, workers=1).replicates == 3
    assert run_scenario(s, replicates=1).replicates == 1
    with pytest.raises(InputError) as err:
        parse_scenario("world: korea_2024\nreplicates: 0\n", path="bad.yaml")
    assert err.value.line == 2 and err.value.field == "replicates"


def test_cli_run_with_replicates_writes_an_ensemble_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "ens"
    assert (
        main(
            [
                "run",
                str(FLAGSHIP),
                "--replicates",
                "3",
                "--workers",
                "1",
                "--quiet",
                "--show-runs",
                "2",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "3 replicates" in printed and "of runs" in printed
    rel = pd.read_csv(out / "relations.csv")
    assert rel.columns[0] == "replicate" and sorted(rel.replicate.unique()) == [0, 1, 2]
    assert json.loads((out / "manifest.json").read_text())["replicates"] == 3
    assert {p.name for p in (out / "charts").iterdir()} == {
        "tracked_pairs.png",
        "relations_start_end.png",
        "alignment_network_end.png",
        "blocs_over_time.png",
        "drift.png",
    }
    assert main(["run", str(FLAGSHIP), "--replicates", "0", "--out", str(tmp_path / "x")]) == 2
    assert main(["run", str(FLAGSHIP), "--workers", "0", "--out", str(tmp_path / "x")]) == 2
    assert "--replicates" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


# ---------------------------------------------------------------------------- progress bar
class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_shows_time_left_on_a_terminal_and_nothing_elsewhere() -> None:
    shown = FakeTerminal()
    bar = Progress("replicates", stream=shown, min_interval=0.0)
    list(map_replicates(_square, list(range(4)), workers=1, progress=bar))
    text = shown.getvalue()
    assert "4/4" in text and "left" in text and "100%" in text
    piped = io.StringIO()
    list(map_replicates(_square, list(range(4)), workers=1, progress=Progress("replicates", stream=piped)))
    assert piped.getvalue() == ""
    quiet = FakeTerminal()
    list(
        map_replicates(_square, list(range(4)), workers=1, progress=Progress("replicates", stream=quiet, enabled=False))
    )
    assert quiet.getvalue() == ""


# ---------------------------------------------------------------------------- charts with bands
def test_band_data_are_the_quantiles_of_the_runs(ensemble) -> None:  # type: ignore[no-untyped-def]
    data = chart_data.band_data(ensemble, ["PRK-CUB"], runs=2)
    rel = ensemble.relations
    values = (
        rel[(rel.source == "PRK") & (rel.target == "CUB")]
        .pivot(index="replicate", columns="step", values="weight")
        .to_numpy()
    )
    s = data.series
    np.testing.assert_allclose(s["median"], np.median(values, axis=0))
    np.testing.assert_allclose(s.p5, np.quantile(values, 0.05, axis=0))
    np.testing.assert_allclose(s.p95, np.quantile(values, 0.95, axis=0))
    assert (s.p5 <= s["median"]).all() and (s["median"] <= s.p95).all()
    assert (s.p95 - s.p5).iloc[-1] > 0  # noise makes a band
    assert sorted(data.runs.replicate.unique()) == [0, 1]
    cool = data.reactions[data.reactions.rule == "cool"]
    assert len(cool) and cool.share.between(0, 1).all()


def test_ensemble_charts_show_medians_and_intervals(ensemble, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    drift = chart_data.ensemble_drift_data(ensemble)
    assert ((drift.drift_p5 <= drift.drift) & (drift.drift <= drift.drift_p95)).all()
    blocs = chart_data.ensemble_blocs_data(ensemble)
    assert blocs.agreement is not None and ((blocs.agreement > 0.2) & (blocs.agreement <= 1)).all()
    mats = chart_data.ensemble_matrices_data(ensemble)
    assert "median of 5 runs" in mats.note
    paths = chart_data.save_charts(ensemble, tmp_path / "charts", show_runs=3)
    assert len(paths) == 5 and all(p.stat().st_size > 10_000 for p in paths)
    for plot in (ensemble.plot_pairs, ensemble.plot_network, ensemble.plot_blocs, ensemble.plot_drift):
        fig = plot()
        assert fig.axes
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot()
    assert ensemble.plot_pairs(["PRK-CUB"], ax=ax, runs=2) is fig
