"""Running a scenario: one replicate or an ensemble, stepped to the end and gathered into a RunResult.

A single run uses the scenario's seed as it is. An ensemble of N replicates uses the seeds
``SeedSequence(seed).spawn(N)`` (:func:`alignsim.experiments.replicates.replicate_seeds`), derived here in the
parent and handed to the workers, so the result does not depend on how many processes ran it.

Workers run batches of replicates (:func:`run_batch`: a :class:`alignsim.model.batch.ReplicateBatch`
advances their relations as one R x N x N array), not single replicates; a replicate's numbers do
not depend on the batch it ran in (docs/ensembles.md, "Batches").
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from alignsim.config.scenario import Scenario
from alignsim.errors import InputError
from alignsim.experiments.progress import Progress
from alignsim.experiments.replicates import SeedLike, map_replicates, replicate_seeds, resolve_workers
from alignsim.model.batch import ReplicateBatch
from alignsim.model.cube import RelationCube
from alignsim.model.model import AlignmentModel
from alignsim.model.recorder import Recorder
from alignsim.results.manifest import make_manifest
from alignsim.results.run import RunResult


def run_scenario(
    scenario: Scenario,
    *,
    seed: int | None = None,
    source_text: str | None = None,
    replicates: int | None = None,
    workers: int | None = None,
    progress: bool = False,
    scheduler: str | None = None,
) -> RunResult:
    """Run ``scenario`` and return its tables.

    ``seed`` overrides the scenario's (``0`` is a seed like any other); ``replicates`` overrides
    the scenario's ``replicates``. An ensemble runs on ``workers`` processes (``None``: all cores;
    1: in this process) and shows a progress bar on a terminal when ``progress`` is true; or on
    the Dask cluster at ``scheduler`` (default: ``ALIGNSIM_SCHEDULER``; the same results). Every
    table gains a ``replicate`` column (0 for a single run).
    """
    return run_scenarios(
        [scenario],
        seed=seed,
        source_texts=[source_text],
        replicates=replicates,
        workers=workers,
        progress=progress,
        scheduler=scheduler,
    )[0]


def run_scenarios(
    scenarios: Sequence[Scenario],
    *,
    seed: int | None = None,
    source_texts: Sequence[str | None] | None = None,
    replicates: int | None = None,
    workers: int | None = None,
    progress: bool = False,
    scheduler: str | None = None,
) -> list[RunResult]:
    """Run several scenarios (as :func:`run_scenario` does each) in one pool of workers, so that
    the processes start once and stay busy. With one ``seed`` for all, replicate k of every
    scenario has the same seed: common random numbers."""
    texts = list(source_texts) if source_texts is not None else [None] * len(scenarios)
    plans = [_plan(scenario, text, seed, replicates) for scenario, text in zip(scenarios, texts)]
    total = sum(n for _, _, n, _, _ in plans if n > 1)
    largest = max(recorded_values(p[0]) for p in plans)
    size = batch_size(total, resolve_workers(workers, max(total, 1)), values=largest)
    tasks = [
        (k, batch)
        for k, (_, run_seed, n, _, _) in enumerate(plans)
        if n > 1
        for batch in in_batches(replicate_seeds(run_seed, n), size)
    ]
    label = plans[0][0].name if len(plans) == 1 else f"{len(plans)} scenarios"
    bar = Progress(f"{label}: replicates", enabled=progress)
    batches = map_replicates(
        partial(_run_task, [p[0] for p in plans]), tasks, workers, progress=bar, scheduler=scheduler, weight=_weight
    )
    stream = itertools.chain.from_iterable(batches)
    results = []
    try:
        for scenario, run_seed, n, run, manifest in plans:
            cube, events, metrics = single_run(scenario, run_seed) if n == 1 else gather(itertools.islice(stream, n), n)
            results.append(RunResult(scenario=run, relations=cube, events=events, metrics=metrics, manifest=manifest))
    finally:
        batches.close()  # shuts the pool down now, not when the generator is collected
    return results


def _plan(
    scenario: Scenario, text: str | None, seed: int | None, replicates: int | None
) -> tuple[Scenario, int, int, Scenario, dict[str, Any]]:
    """What one scenario of :func:`run_scenarios` runs: the scenario, its seed and replicate count,
    the scenario as run (:func:`scenario_as_run`) and its manifest."""
    run_seed = scenario.seed if seed is None else seed
    n = scenario.replicates if replicates is None else replicates
    if n < 1:
        raise ValueError("replicates must be 1 or more")
    return (
        scenario,
        run_seed,
        n,
        scenario_as_run(scenario, seed, n),
        make_manifest(scenario, run_seed, text, replicates=n),
    )


#: Most replicates in a batch: enough to spread the fixed cost of numpy calls (a flagship month's
#: update costs about one call whatever R), few enough to keep every worker busy to the end.
BATCH_REPLICATES = 64


#: Most recorded relation values a batch holds (2^25: 256 MiB of float64): a batch of 193-state
#: replicates of 120 months holds 7, not 64.
BATCH_VALUES = 2**25


def batch_size(replicates: int, workers: int, most: int | None = None, values: int = 0) -> int:
    """Replicates per batch: at most ``most`` (default :data:`BATCH_REPLICATES`), at most
    :data:`BATCH_VALUES` recorded relations for replicates of ``values`` each, and at least four
    batches per worker when there are enough."""
    most = BATCH_REPLICATES if most is None else most
    if values > 0:
        most = min(most, max(1, BATCH_VALUES // values))
    return max(1, min(most, math.ceil(replicates / (4 * workers))))


def recorded_values(scenario: Scenario) -> int:
    """The relation values one replicate of ``scenario`` records: (steps + 1) x N x N."""
    n = len(scenario.world_spec.states)
    return (scenario.steps + 1) * n * n


def in_batches(seeds: Sequence[SeedLike], size: int) -> list[list[SeedLike]]:
    """Consecutive batches of ``size`` seeds (the last may be smaller), in replicate order."""
    return [list(seeds[k : k + size]) for k in range(0, len(seeds), size)]


def _weight(task: tuple[int, Sequence[SeedLike]]) -> int:
    return len(task[1])


def _run_task(scenarios: Sequence[Scenario], task: tuple[int, Sequence[SeedLike]]) -> list[Replicate]:
    """Run the batch of replicates ``task = (k, seeds)`` of scenario k (in a worker process)."""
    k, seeds = task
    return run_batch(scenarios[k], seeds)


def scenario_as_run(scenario: Scenario, seed: int | None, replicates: int) -> Scenario:
    """The scenario as run: with the seed and replicate count that produced the result."""
    if seed is None and replicates == scenario.replicates:
        return scenario
    if seed is not None and not 0 <= seed <= 2**63 - 1:
        raise InputError(f"must be a whole number from 0 to 2**63 - 1 (got {seed})", field="seed")
    # a copy with the world inlined, as resolved() writes it; validating a 193-state world again would cost a second
    update = {"world": scenario.world_spec.model_dump(mode="json"), "replicates": replicates}
    return scenario.model_copy(update=update if seed is None else {**update, "seed": seed})


def single_run(scenario: Scenario, seed: SeedLike) -> tuple[RelationCube, pd.DataFrame, pd.DataFrame]:
    """A single run's relations as arrays (the long table is built only when asked for: 4.5 million
    rows at N = 193), and its events and metrics tables, each with a ``replicate`` column of 0."""
    rec = AlignmentModel(scenario, seed=seed).run().recorder
    events, metrics = rec.events_frame(), rec.metrics_frame()
    for frame in (events, metrics):
        frame.insert(0, "replicate", np.zeros(len(frame), dtype=np.int64))
    return rec.relation_cube(), events, metrics


@dataclass
class Columns:
    """A small table as one numpy array per column: cheaper to pickle, unpickle and stack than a
    DataFrame, whose fixed overhead dwarfs a replicate's few dozen rows."""

    names: list[str]
    arrays: list[np.ndarray]

    @classmethod
    def of(cls, columns: dict[str, np.ndarray]) -> Columns:
        return cls(list(columns), list(columns.values()))

    def __len__(self) -> int:
        return len(self.arrays[0]) if self.arrays else 0


@dataclass
class Replicate:
    """What a worker sends back: relations, events and metrics of one replicate, as arrays."""

    relations: RelationCube
    events: Columns
    metrics: Columns


def run_replicate(scenario: Scenario, seed: SeedLike) -> Replicate:
    """Run one replicate of an ensemble (in a worker process); its tables stay arrays."""
    return replicate_of(AlignmentModel(scenario, seed=seed).run().recorder)


#: Above this many states a batch's replicates run one after another: there the update's arithmetic
#: outweighs the fixed cost of its numpy calls, and stacking the inputs only adds copies (a 150-state
#: world ran 15% slower stacked).
BATCH_MAX_N = 32


def run_batch(scenario: Scenario, seeds: Sequence[SeedLike]) -> list[Replicate]:
    """Run a batch of replicates (in a worker process): together (:class:`alignsim.model.batch.ReplicateBatch`)
    in worlds of up to :data:`BATCH_MAX_N` states, else one after another; either way the replicates
    :func:`run_replicate` gives, one per seed, bit for bit."""
    if len(scenario.world_spec.states) > BATCH_MAX_N:
        return [run_replicate(scenario, seed) for seed in seeds]
    return [replicate_of(model.recorder) for model in ReplicateBatch(scenario, seeds).run().models]


def replicate_of(rec: Recorder) -> Replicate:
    """What a worker sends back of a run: its tables as arrays."""
    return Replicate(rec.relation_cube(), Columns.of(rec.events_columns()), Columns.of(rec.metrics_columns()))


def gather(replicates: Iterable[Replicate], n: int) -> tuple[RelationCube, pd.DataFrame, pd.DataFrame]:
    """Merge replicates, arriving in replicate order, into one cube and two long tables.

    Relations go straight into preallocated arrays (replicate x step x pair); the small events and
    metrics tables are stacked in batches, so the parent never holds a thousand small DataFrames
    (each costs far more memory than its few rows).
    """
    first: RelationCube | None = None
    values: dict[str, np.ndarray] = {}
    events, metrics = _Stack(), _Stack()
    count = 0
    for k, rep in enumerate(replicates):
        if first is None:
            first = rep.relations
            values = {c: np.empty((n, *v.shape[1:])) for c, v in first.values.items()}
        elif not first.same_layout(rep.relations):
            raise RuntimeError(f"replicate {k} recorded a different set of pairs or steps than replicate 0")
        for c, v in rep.relations.values.items():
            values[c][k] = v[0]
        events.add(rep.events)
        metrics.add(rep.metrics)
        count += 1
    if first is None or count != n:
        raise RuntimeError(f"expected {n} replicates, got {count}")
    cube = RelationCube(first.steps, first.dates, first.sources, first.targets, values, first.columns)
    return cube, events.frame(), metrics.frame()


class _Stack:
    """Per-replicate tables stacked column by column, with their replicate number in front."""

    def __init__(self) -> None:
        self.counts: list[int] = []
        self.names: list[str] | None = None
        self.parts: list[list[np.ndarray]] = []
        self.empty: list[np.ndarray] = []

    def add(self, table: Columns) -> None:
        if self.names is None:
            self.names, self.parts, self.empty = table.names, [[] for _ in table.names], table.arrays
        elif table.names != self.names:
            raise RuntimeError(f"replicate {len(self.counts)} recorded other columns than replicate 0")
        self.counts.append(len(table))
        if len(table):  # empty tables are left out: their arrays have no type to contribute
            for part, array in zip(self.parts, table.arrays):
                part.append(array)

    def frame(self) -> pd.DataFrame:
        assert self.names is not None
        arrays = [np.concatenate(part) if part else empty for part, empty in zip(self.parts, self.empty)]
        out = pd.DataFrame(dict(zip(self.names, arrays)), columns=self.names)
        out.insert(0, "replicate", np.repeat(np.arange(len(self.counts), dtype=np.int64), self.counts))
        return out
