"""Runs on a real Dask cluster (a scheduler and two workers started as separate processes on
loopback) give the tables of a local run, byte for byte -- also when a worker is killed mid-run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from alignsim.config.scenario import Scenario, load_scenario
from alignsim.experiments.progress import Progress
from alignsim.experiments.replicates import map_replicates, replicate_seeds
from alignsim.experiments.simulate import gather, run_replicate, run_scenario

pytest.importorskip("distributed")

from conftest import FLAGSHIP, SCENARIOS, alignsim_cli_many  # noqa: E402

STARTUP_SECONDS = 90


@dataclass
class Cluster:
    """A scheduler and its workers, each a process group of its own (so that tearing down, or
    killing a worker, takes its child processes too)."""

    address: str
    scheduler: subprocess.Popen[bytes]
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def stop(self) -> None:
        for proc in [*self.workers, self.scheduler]:
            _stop(proc)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    else:  # the group leader is gone; children it left behind go with the group
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def start_cluster(folder: Path, workers: int = 2) -> Cluster:
    """``dask scheduler`` on a free port of 127.0.0.1 and ``workers`` single-threaded ``dask worker``
    processes, all from this interpreter's environment; returns once every worker has joined."""
    from distributed import Client

    folder.mkdir(parents=True, exist_ok=True)
    info = folder / "scheduler.json"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("ALIGNSIM_SCHEDULER", None)

    def spawn(args: list[str], log: str) -> subprocess.Popen[bytes]:
        with (folder / log).open("wb") as out:
            return subprocess.Popen(
                [sys.executable, "-m", *args],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=folder,
                start_new_session=True,
            )

    scheduler = spawn(
        [
            "distributed.cli.dask_scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--no-dashboard",
            "--scheduler-file",
            str(info),
        ],
        "scheduler.log",
    )
    cluster = Cluster("", scheduler)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not (info.is_file() and info.stat().st_size and "address" in info.read_text()):
            if scheduler.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the Dask scheduler did not start:\n{(folder / 'scheduler.log').read_text()}")
            time.sleep(0.1)
        cluster.address = json.loads(info.read_text())["address"]
        for k in range(workers):
            cluster.workers.append(
                spawn(
                    [
                        "distributed.cli.dask_worker",
                        cluster.address,
                        "--nthreads",
                        "1",
                        "--nworkers",
                        "1",
                        "--host",
                        "127.0.0.1",
                        "--no-dashboard",
                        "--memory-limit",
                        "0",
                        "--death-timeout",
                        "60",
                    ],
                    f"worker{k}.log",
                )
            )
        with Client(cluster.address, set_as_default=False, timeout=STARTUP_SECONDS) as client:
            client.wait_for_workers(workers, timeout=STARTUP_SECONDS)
    except BaseException:
        cluster.stop()
        raise
    return cluster


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    running = start_cluster(tmp_path_factory.mktemp("dask"))
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def flagship() -> Scenario:
    return load_scenario(FLAGSHIP)


def assert_same_tables(a: object, b: object) -> None:
    for table in ("relations", "events", "metrics"):
        pd.testing.assert_frame_equal(getattr(a, table), getattr(b, table), check_exact=True)


# ---------------------------------------------------------------------------------------------
def test_an_ensemble_on_the_cluster_equals_the_local_run(cluster: Cluster, flagship: Scenario) -> None:
    on_cluster = run_scenario(flagship, replicates=12, scheduler=cluster.address)
    local = run_scenario(flagship, replicates=12, workers=1)
    assert_same_tables(on_cluster, local)
    # any chunking gives the same: tasks carry their seeds, results come back in replicate order
    one_each = list(map_replicates(abs, list(range(-20, 0)), scheduler=cluster.address, chunksize=1))
    assert one_each == list(range(20, 0, -1))


def test_the_python_api_reaches_the_cluster(
    cluster: Cluster, flagship: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    import alignsim
    from alignsim.experiments import replicates

    addresses: list[str] = []
    real = replicates.map_on_cluster

    def spy(fn: object, items: object, address: str, **kwargs: object) -> object:
        addresses.append(address)
        return real(fn, items, address, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(replicates, "map_on_cluster", spy)
    on_cluster = alignsim.run(flagship, replicates=4, progress=False, scheduler=cluster.address, beta=0.2)
    assert_same_tables(on_cluster, alignsim.run(flagship, replicates=4, workers=1, progress=False, beta=0.2))
    pair = (SCENARIOS / "baseline_2024.yaml", SCENARIOS / "dzud_aid.yaml")
    on_cluster_cmp = alignsim.compare(*pair, replicates=2, progress=False, scheduler=cluster.address)
    local_cmp = alignsim.compare(*pair, replicates=2, workers=1, progress=False)
    pd.testing.assert_frame_equal(on_cluster_cmp.outcomes, local_cmp.outcomes, check_exact=True)
    assert addresses == [
        cluster.address,
        cluster.address,
    ]  # run and compare went to the cluster, the local twins did not


def test_a_comparison_on_the_cluster_equals_the_local_one(cluster: Cluster) -> None:
    from alignsim.experiments.comparison import compare_scenarios

    scenarios = [load_scenario(SCENARIOS / "baseline_2024.yaml"), load_scenario(SCENARIOS / "dzud_aid.yaml")]
    on_cluster = compare_scenarios(scenarios, replicates=3, scheduler=cluster.address)
    local = compare_scenarios(scenarios, replicates=3, workers=1)
    for name in ("outcomes", "bands", "reactions", "blocs"):
        pd.testing.assert_frame_equal(getattr(on_cluster, name), getattr(local, name), check_exact=True)


def test_the_environment_variable_selects_the_cluster(cluster: Cluster, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIGNSIM_SCHEDULER", cluster.address)
    # os.getpgid(0): the process group of the process that runs the task; the workers have their own
    groups = list(map_replicates(os.getpgid, [0] * 8, workers=1, chunksize=1))
    assert os.getpgid(0) not in groups
    assert set(groups) <= {w.pid for w in cluster.workers}


def test_cli_run_and_sweep_on_the_cluster_write_the_same_bytes(cluster: Cluster, tmp_path: Path) -> None:
    sweep_file = tmp_path / "sweep.yaml"
    sweep_file.write_text(SWEEP_YAML, encoding="utf-8")
    calls = [
        (
            "run",
            FLAGSHIP,
            "--replicates",
            "6",
            "--out",
            tmp_path / "dask_run",
            "--no-charts",
            "--quiet",
            "--scheduler",
            cluster.address,
        ),
        (
            "run",
            FLAGSHIP,
            "--replicates",
            "6",
            "--out",
            tmp_path / "local_run",
            "--no-charts",
            "--quiet",
            "--workers",
            "1",
        ),
        (
            "sweep",
            sweep_file,
            "--out",
            tmp_path / "dask_sweep",
            "--no-charts",
            "--quiet",
            "--scheduler",
            cluster.address,
        ),
        ("sweep", sweep_file, "--out", tmp_path / "local_sweep", "--no-charts", "--quiet", "--workers", "1"),
    ]
    procs = alignsim_cli_many(calls, cwd=tmp_path)
    for proc in procs:
        assert proc.returncode == 0, proc.stderr
    assert f"on the Dask cluster at {cluster.address}" in procs[0].stdout
    for name in ("relations.csv", "events.csv", "metrics.csv", "relations.parquet"):
        assert (tmp_path / "dask_run" / name).read_bytes() == (tmp_path / "local_run" / name).read_bytes(), name
    for name in ("design.csv", "results.csv", "sobol.csv", "sobol.md"):
        assert (tmp_path / "dask_sweep" / name).read_bytes() == (tmp_path / "local_sweep" / name).read_bytes(), name


SWEEP_YAML = """\
world: korea_2024
steps: 6
seed: 11
params: {noise: 0.02}
shocks:
  - {type: recognition, step: 1, source: KOR, target: CUB}
sweep:
  design: sobol
  samples: 4
  replicates: 2
  parameters:
    - {path: beta, bounds: [0.05, 0.2]}
    - {path: "shocks[0].intensity", bounds: [0.5, 2.0]}
  outcomes:
    - {name: kor_cub, kind: relation, pair: KOR-CUB}
"""


# ---------------------------------------------------------------------------------------------
class KillAfterFirstResults(Progress):
    """Progress that SIGKILLs one busy worker (its whole process group: nanny and worker) as soon
    as the first results have arrived."""

    def __init__(self, cluster: Cluster) -> None:
        super().__init__("test", enabled=False)
        self.cluster = cluster
        self.killed_at: int | None = None
        self.victim: subprocess.Popen[bytes] | None = None

    def advance(self, k: int) -> None:
        super().advance(k)
        if self.killed_at is None:
            self.victim = self.cluster.workers[0]
            os.killpg(self.victim.pid, signal.SIGKILL)
            self.killed_at = self.done


def test_a_run_survives_a_worker_killed_midway(tmp_path: Path, flagship: Scenario) -> None:
    from distributed import Client

    running = start_cluster(tmp_path / "cluster")
    try:
        n = 60
        seeds = replicate_seeds(flagship.seed, n)
        progress = KillAfterFirstResults(running)
        # many small tasks (2 replicates each), so that most are still to run when the worker dies
        stream = map_replicates(
            partial(run_replicate, flagship), seeds, scheduler=running.address, progress=progress, chunksize=2
        )
        cube, events, metrics = gather(stream, n)
        assert progress.killed_at is not None and progress.killed_at < n // 2, (
            "the worker should die with most of the run to go"
        )
        assert progress.victim is not None and progress.victim.wait(timeout=10) == -signal.SIGKILL
        with Client(running.address, set_as_default=False) as client:
            assert len(client.scheduler_info()["workers"]) == 1  # it did not come back: one worker finished the run
    finally:
        running.stop()
    local = run_scenario(flagship, replicates=n, workers=1)
    for column, values in local.relation_cube.values.items():
        assert np.array_equal(cube.values[column], values), column
    pd.testing.assert_frame_equal(events, local.events, check_exact=True)
    pd.testing.assert_frame_equal(metrics, local.metrics, check_exact=True)
