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
(:mod:`alignsim.dask_backend`), with the same seeds and the same order, hence the same results.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import IO

import numpy as np

#: Modules the forkserver imports once, so that each worker starts warm (~0.1 s, not ~1.5 s).
PRELOAD = ["alignsim.simulate", "alignsim.results"]

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
) -> Iterator[R]:
    """Yield ``fn(item)`` for every item, in the order of ``items``, computed on ``workers``
    processes (``None``: all cores; 1: in this process, no pool) -- or on the Dask cluster whose
    scheduler is at ``scheduler`` (``tcp://HOST:PORT``; default: the ``ALIGNSIM_SCHEDULER``
    environment variable), in which case ``workers`` is ignored (see :mod:`alignsim.dask_backend`).

    ``fn`` and the items must pickle (a module-level function, or a :func:`functools.partial` of
    one). Items are sent in chunks to amortise the cost of a task; results are yielded in order as
    soon as they are contiguous, so the caller can aggregate or write them while the rest run.

    >>> list(map_replicates(abs, [-3, 1, -2], workers=1))
    [3, 1, 2]
    """
    n = len(items)
    if n == 0:
        return
    workers = resolve_workers(workers, n)
    address = resolve_scheduler(scheduler)
    if progress is not None:
        progress.start(n)
    try:
        if address is not None:
            from alignsim.dask_backend import map_on_cluster

            yield from map_on_cluster(fn, items, address, progress=progress, chunksize=chunksize)
            return
        if workers == 1:
            for item in items:
                out = fn(item)
                if progress is not None:
                    progress.advance(1)
                yield out
            return
        size = chunksize or max(1, math.ceil(n / (workers * 16)))
        chunks = [items[k : k + size] for k in range(0, n, size)]
        executor = _executor(workers)
        try:
            with _workers_skip_main(fn):  # workers start during the first submits
                futures: dict[Future[list[R]], int] = {executor.submit(_run_chunk, fn, chunk): k for k, chunk in enumerate(chunks)}
            ready: dict[int, list[R]] = {}
            next_chunk = 0
            for future in as_completed(futures):
                k = futures.pop(future)  # a done future keeps its result: drop it once it is taken
                ready[k] = future.result()
                if progress is not None:
                    progress.advance(len(chunks[k]))
                while next_chunk in ready:
                    yield from ready.pop(next_chunk)
                    next_chunk += 1
        except BrokenProcessPool as err:
            raise RuntimeError(
                "a worker process died (killed, out of memory, or it failed to start). If the function the "
                "workers run is defined in your script, put the script's top-level code under "
                "`if __name__ == \"__main__\":`; or pass workers=1 to run in this process"
            ) from err
        finally:
            executor.shutdown(wait=True, cancel_futures=True)
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


def _run_chunk[T, R](fn: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    return [fn(item) for item in chunk]


@contextmanager
def _workers_skip_main(fn: Callable[..., object]) -> Iterator[None]:
    """Start worker processes without re-running the caller's script in them.

    A "spawn" or "forkserver" worker normally imports the parent's ``__main__`` file first, which
    re-runs a script's top-level code unless it sits under ``if __name__ == "__main__":`` (and
    fails outright for code piped in on stdin). Replicates need only alignsim's functions, so while
    the workers start, ``__main__`` does not say where it came from and the workers skip it. A
    function defined in ``__main__`` itself needs it, so then nothing is hidden.
    """
    main = sys.modules.get("__main__")
    target = getattr(fn, "func", fn)  # a functools.partial names its function in .func
    if main is None or getattr(target, "__module__", "__main__") == "__main__" or not (hasattr(main, "__file__") or getattr(main, "__spec__", None)):
        yield
        return
    saved = {key: main.__dict__[key] for key in ("__file__", "__spec__") if key in main.__dict__}
    main.__dict__.pop("__file__", None)
    main.__dict__["__spec__"] = None
    try:
        yield
    finally:
        main.__dict__.pop("__file__", None)
        main.__dict__.update(saved)


def _executor(workers: int) -> Executor:
    """The pool that runs replicates: local processes that never fork the caller (notebook-safe)."""
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        # only takes effect before the fork server first starts; afterwards it is reused as it is
        context.set_forkserver_preload(PRELOAD)
    else:
        context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context)


class Progress:
    """A one-line progress bar with the time left, on stderr; silent when disabled or when the
    stream is not a terminal (pipes, CI logs, notebooks)."""

    def __init__(self, label: str, *, enabled: bool = True, stream: IO[str] | None = None, min_interval: float = 0.2) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled and _is_tty(self.stream)
        self.min_interval = min_interval
        self.total = 0
        self.done = 0
        self._started = 0.0
        self._shown = 0.0

    def start(self, total: int) -> None:
        self.total, self.done = total, 0
        self._started = self._shown = time.monotonic()
        self._draw()

    def advance(self, k: int) -> None:
        self.done += k
        now = time.monotonic()
        if now - self._shown >= self.min_interval or self.done >= self.total:
            self._shown = now
            self._draw()

    def close(self) -> None:
        if self.enabled and self.total:
            self.stream.write("\r" + " " * self._width() + "\r")
            self.stream.flush()

    def line(self) -> str:
        """The bar as text, e.g. ``replicates  340/1000 [######......]  34%  0:07 left``."""
        share = self.done / self.total if self.total else 1.0
        cells = 24
        bar = "#" * int(share * cells) + "." * (cells - int(share * cells))
        elapsed = time.monotonic() - self._started
        left = "" if self.done == 0 else f"  {_clock(elapsed / self.done * (self.total - self.done))} left"
        width = len(str(self.total))
        return f"{self.label} {self.done:>{width}}/{self.total} [{bar}] {share:4.0%}{left}"

    def _draw(self) -> None:
        if self.enabled:
            self.stream.write("\r" + self.line().ljust(self._width()))
            self.stream.flush()

    def _width(self) -> int:
        return len(self.label) + 2 * len(str(self.total)) + 48


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}:{secs:02d}"


def _is_tty(stream: IO[str]) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
