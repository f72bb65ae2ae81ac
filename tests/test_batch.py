"""Batched replicates (alignsim.model.batch): R Mesa models of one scenario whose relations move as
one R x N x N array give each replicate exactly its unbatched run -- relations, events and measures
bit for bit -- whatever the batch size, the number of workers (and, in tests/test_dask.py, on a
Dask cluster); an ensemble's files are byte-identical however it was batched."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import FLAGSHIP, SCENARIOS

from alignsim.config.scenario import Scenario, load_scenario
from alignsim.experiments import simulate
from alignsim.experiments.replicates import replicate_seeds
from alignsim.experiments.simulate import gather, run_batch, run_replicate, run_scenario
from alignsim.experiments.sweep import run_sweep
from alignsim.model.batch import ReplicateBatch
from alignsim.model.model import AlignmentModel
from alignsim.world.generate import generate_world


def busy_world(n: int, steps: int = 18) -> Scenario:
    """A generated world with two scripted acts a month: states answer, cool, counter-court and court."""
    rng = np.random.default_rng(n)
    world = generate_world(n, rng).model_dump(mode="json")
    codes = [s["code"] for s in world["states"]]
    acts = ("visit", "aid", "media_freeze", "invitation")
    shocks = []
    for t in range(steps):
        for _ in range(2):
            a, b = rng.choice(n, size=2, replace=False)
            shocks.append({"type": acts[int(rng.integers(4))], "step": t, "source": codes[a], "target": codes[b]})
    data = {"name": f"busy{n}", "world": world, "seed": n, "start": "2024-01-01", "steps": steps, "shocks": shocks}
    return Scenario.model_validate(data)


SCENARIO_CASES = {
    "flagship": lambda: load_scenario(FLAGSHIP),
    "middle_east": lambda: load_scenario(SCENARIOS / "middle_east_2022_2025.yaml"),
    "busy_20": lambda: busy_world(20),
    "busy_40": lambda: busy_world(40, steps=8),
}


@pytest.mark.parametrize("case", sorted(SCENARIO_CASES))
def test_a_batched_replicate_is_its_unbatched_run(case: str) -> None:
    scenario = SCENARIO_CASES[case]()
    seeds = replicate_seeds(scenario.seed, 5)
    alone = [AlignmentModel(scenario, seed=s).run() for s in seeds]
    batch = ReplicateBatch(scenario, seeds).run()
    assert len(batch) == 5
    for a, b in zip(alone, batch.models, strict=True):
        assert b.month == a.month == scenario.steps
        assert np.array_equal(a.recorder.relations, b.recorder.relations)
        assert np.array_equal(a.recorder.baselines, b.recorder.baselines)
        assert [(e.step, e.source, e.target, e.rule, e.cause, e.impulse) for e in a.log] == [
            (e.step, e.source, e.target, e.rule, e.cause, e.impulse) for e in b.log
        ]
        assert b.relations.base is not None  # a view into the batch's stack
    if case != "flagship":
        assert len({len(m.log) for m in batch.models}) > 1  # the replicates differ: each drew its own streams


@pytest.mark.parametrize("n", [20, 40])
def test_run_batch_returns_what_run_replicate_does(n: int) -> None:
    """Stacked (20 states) or one after another (40, above BATCH_MAX_N): the same replicates."""
    scenario = busy_world(n, steps=10)
    seeds = replicate_seeds(3, 4)
    a = gather(run_batch(scenario, seeds), 4)
    b = gather([run_replicate(scenario, s) for s in seeds], 4)
    assert all(np.array_equal(a[0].values[c], b[0].values[c]) for c in a[0].values)
    assert a[1].equals(b[1]) and a[2].equals(b[2])


def test_every_model_of_a_batch_steps_before_the_update() -> None:
    batch = ReplicateBatch(load_scenario(FLAGSHIP), replicate_seeds(1, 2))
    batch.models[0].step()
    with pytest.raises(RuntimeError, match="every model of a batch"):
        batch._update()
    with pytest.raises(ValueError, match="at least one seed"):
        ReplicateBatch(load_scenario(FLAGSHIP), [])


def _folder_bytes(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix == ".csv"
    }


@pytest.mark.parametrize("scenario_name", ["flagship", "busy_20"])
def test_ensemble_files_are_byte_identical_whatever_the_batches_and_workers(
    scenario_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = SCENARIO_CASES[scenario_name]()
    written = {}
    for label, most, workers in (
        ("one by one", 1, 1),
        ("batches of 3", 3, 1),
        ("default", None, 1),
        ("2 workers", 4, 2),
    ):
        monkeypatch.setattr(simulate, "BATCH_REPLICATES", most or 64)
        result = run_scenario(scenario, replicates=9, workers=workers)
        written[label] = _folder_bytes(result.save(tmp_path / label.replace(" ", "_"), charts=False))
    first = written["one by one"]
    assert set(first) >= {"relations.csv", "events.csv", "metrics.csv"}
    for label, files in written.items():
        assert files == first, label


def test_batches_split_an_ensemble_for_the_workers() -> None:
    assert simulate.batch_size(1000, 2) == 64
    assert simulate.batch_size(40, 2) == 5  # at least four batches per worker
    assert simulate.batch_size(3, 8) == 1
    un193_decade = 121 * 193 * 193
    assert simulate.batch_size(1000, 2, values=un193_decade) == 2**25 // un193_decade == 7  # 256 MiB a batch
    assert simulate.batch_size(1000, 2, values=2**26) == 1
    seeds = replicate_seeds(1, 10)
    batches = simulate.in_batches(seeds, 4)
    assert [len(b) for b in batches] == [4, 4, 2]
    assert [s.spawn_key for b in batches for s in b] == [s.spawn_key for s in seeds]  # replicate order kept


def test_a_sweep_gives_the_same_results_in_batches_and_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sweeps send workers batches of a point's replicates: the results table is the same, bit for
    bit, as with one replicate per task."""
    scenario = load_scenario(SCENARIOS / "sensitivity_article.yaml")
    tables = []
    for most in (1, 64):
        monkeypatch.setattr(simulate, "BATCH_REPLICATES", most)
        tables.append(run_sweep(scenario, replicates=3, samples=4, workers=1).results)
    pd.testing.assert_frame_equal(tables[0], tables[1], check_exact=True)
    assert len(tables[0]) == 3 * len(tables[0]["point"].unique())
