"""Ensembles: replicate seeds spawned in the parent, replicates run in parallel, merged in order.

Reproducibility does not depend on how the work is spread. The parent derives every replicate's
seed with numpy's :class:`~numpy.random.SeedSequence` before anything runs, each replicate draws
only from its own seed, and results come back in replicate order whatever finished first -- so
1 worker and 8 workers give identical tables (the lesson of Axelrod-Python's issue #1277).

:func:`map_replicates` is the one place that decides *where* replicates run. Today that is this
process (``workers=1``) or a :class:`~concurrent.futures.ProcessPoolExecutor` started with the
"forkserver" context ("spawn" where forkserver does not exist). Neither forks the calling process,
so it is safe inside Jupyter kernels, which hold threads that a plain ``fork`` can deadlock. Another
backend (a Dask cluster, say) slots in by returning its executor from :func:`_executor`. A Dask
cluster does: ``scheduler=`` (or ``ALIGNSIM_SCHEDULER``) sends the chunks to it instead
(:mod:`alignsim.experiments.cluster`), with the same seeds and the same order, hence the same results.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence

import numpy as np

from alignsim.experiments.cluster import map_on_cluster
from alignsim.experiments.executors import map_local
from alignsim.experiments.progress import Progress

#: Modules the forkserver imports once, so that each worker starts warm (~0.1 s, not ~1.5 s).

SeedLike = int | np.random.SeedSequence | np.random.Generator

#: Environment variable naming a Dask scheduler (``tcp://HOST:PORT``) that runs replicates and sweep points.
SCHEDULER_ENV = "ALIGNSIM_SCHEDULER"


def replicate_seeds(seed: int, replicates: int) -> list[np.random.SeedSequence]:
    """The seed of every replicate, derived from the run's seed in the parent process.

    One replicate uses ``SeedSequence(seed)`` itself, which gives the same random stream as the
    plain integer seed, so a single run is what it always was. An ensemble of N uses the children
    ``SeedSequence(seed).spawn(N)``; child k depends only on ``seed`` and k, so replicate k is the
    same in every ensemble that has it (the first 100 of a 1,000-run ensemble are the 100-run one).

    >>> [s.spawn_key for s in replicate_seeds(2024, 3)]
    [(0,), (1,), (2,)]
    >>> replicate_seeds(2024, 1)[0].entropy
    2024
    """
    if replicates < 1:
        raise ValueError("replicates must be 1 or more")
    root = np.random.SeedSequence(seed)
    return [root] if replicates == 1 else root.spawn(replicates)


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def resolve_workers(workers: int | None, tasks: int) -> int:
    """``None`` means all cores; never more workers than tasks."""
    if workers is not None and workers < 1:
        raise ValueError("workers must be 1 or more")
    return max(1, min(default_workers() if workers is None else workers, tasks))


def map_replicates[T, R](
    fn: Callable[[T], R],
    items: Sequence[T],
    workers: int | None = None,
    *,
    progress: Progress | None = None,
    chunksize: int | None = None,
    scheduler: str | None = None,
    weight: Callable[[T], int] | None = None,
) -> Iterator[R]:
    """Yield ``fn(item)`` for every item, in the order of ``items``, computed on ``workers``
    processes (``None``: all cores; 1: in this process, no pool) -- or on the Dask cluster whose
    scheduler is at ``scheduler`` (``tcp://HOST:PORT``; default: the ``ALIGNSIM_SCHEDULER``
    environment variable), in which case ``workers`` is ignored (see :mod:`alignsim.experiments.cluster`).

    ``fn`` and the items must pickle (a module-level function, or a :func:`functools.partial` of
    one). Items are sent in chunks to amortise the cost of a task; results are yielded in order as
    soon as they are contiguous, so the caller can aggregate or write them while the rest run.
    ``weight(item)``: what an item counts for on the progress bar (a batch: its replicates; default 1).

    >>> list(map_replicates(abs, [-3, 1, -2], workers=1))
    [3, 1, 2]
    """
    n = len(items)
    if n == 0:
        return
    workers = resolve_workers(workers, n)
    address = resolve_scheduler(scheduler)
    if progress is not None:
        progress.start(n if weight is None else sum(weight(item) for item in items))
    try:
        if address is not None:
            yield from map_on_cluster(fn, items, address, progress=progress, chunksize=chunksize, weight=weight)
            return
        yield from map_local(fn, items, workers, progress=progress, chunksize=chunksize, weight=weight)
    finally:
        if progress is not None:
            progress.close()


def resolve_scheduler(scheduler: str | None) -> str | None:
    """The Dask scheduler to run on: ``scheduler`` when given, else the ``ALIGNSIM_SCHEDULER``
    environment variable; ``None`` (or an empty value) means local processes."""
    address = scheduler if scheduler is not None else os.environ.get(SCHEDULER_ENV)
    if address is None:
        return None
    return address.strip() or None
