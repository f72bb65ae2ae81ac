"""Where chunks of replicates run on this machine: in this process, or in a pool of worker
processes that never forks the caller (safe inside Jupyter). :func:`map_local` has the shape of
:func:`alignsim.experiments.cluster.map_on_cluster`, so the two backends are interchangeable."""

from __future__ import annotations

import math
import multiprocessing
import os
import select
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager

from alignsim.experiments.progress import Progress
from alignsim.results.folders import process_exists

PRELOAD = ["alignsim.experiments.simulate", "alignsim.results.run"]


def run_chunk[T, R](fn: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    return [fn(item) for item in chunk]


def chunk_weight[T](chunk: Sequence[T], weight: Callable[[T], int] | None) -> int:
    """What a chunk counts for on a progress bar: its items, or the sum of their weights."""
    return len(chunk) if weight is None else sum(weight(item) for item in chunk)


@contextmanager
def workers_skip_main(fn: Callable[..., object]) -> Iterator[None]:
    """Start worker processes without re-running the caller's script in them.

    A "spawn" or "forkserver" worker normally imports the parent's ``__main__`` file first, which
    re-runs a script's top-level code unless it sits under ``if __name__ == "__main__":`` (and
    fails outright for code piped in on stdin). Replicates need only alignsim's functions, so while
    the workers start, ``__main__`` does not say where it came from and the workers skip it. A
    function defined in ``__main__`` itself needs it, so then nothing is hidden.
    """
    main = sys.modules.get("__main__")
    target = getattr(fn, "func", fn)  # a functools.partial names its function in .func
    if (
        main is None
        or getattr(target, "__module__", "__main__") == "__main__"
        or not (hasattr(main, "__file__") or getattr(main, "__spec__", None))
    ):
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


def exit_with_parent(pid: int) -> None:
    """Worker initializer: end this worker as soon as process ``pid`` (the one that started the
    pool) is gone. A forkserver worker is the fork server's child, not ours, and it keeps its own
    end of the task queue open, so without this a ``kill -9`` of the parent leaves it running."""
    threading.Thread(target=_exit_when_gone, args=(pid,), name="alignsim-exit-with-parent", daemon=True).start()


def _exit_when_gone(pid: int) -> None:
    try:
        handle = os.pidfd_open(pid)  # Linux: readable once the process has ended
    except (AttributeError, OSError):
        while process_exists(pid):
            time.sleep(0.5)
    else:
        select.select([handle], [], [])
    os._exit(1)


def stop_workers(executor: Executor) -> None:
    """End a process pool's workers now (SIGTERM), not when their current chunk is done: the run
    was interrupted or its consumer stopped listening."""
    processes = getattr(executor, "_processes", None) or {}  # ProcessPoolExecutor's pid -> Process
    for process in list(processes.values()):
        if process.is_alive():
            process.terminate()


def local_executor(workers: int) -> Executor:
    """The pool that runs replicates: local processes that never fork the caller (notebook-safe)."""
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        # only takes effect before the fork server first starts; afterwards it is reused as it is
        context.set_forkserver_preload(PRELOAD)
    else:
        context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=exit_with_parent, initargs=(os.getpid(),)
    )


def map_local[T, R](
    fn: Callable[[T], R],
    items: Sequence[T],
    workers: int,
    *,
    progress: Progress | None = None,
    chunksize: int | None = None,
    weight: Callable[[T], int] | None = None,
) -> Iterator[R]:
    """Yield ``fn(item)`` for every item, in order: in this process when ``workers`` is 1, else in
    chunks on a pool of ``workers`` processes, each result as soon as it and those before it are done.
    ``weight(item)``: what an item counts for on the progress bar (default 1)."""
    n = len(items)
    if workers == 1:
        for item in items:
            out = fn(item)
            if progress is not None:
                progress.advance(chunk_weight([item], weight))
            yield out
        return
    size = chunksize or max(1, math.ceil(n / (workers * 16)))
    chunks = [items[k : k + size] for k in range(0, n, size)]
    executor = local_executor(workers)
    futures: dict[Future[list[R]], int] = {}
    try:
        with workers_skip_main(fn):  # workers start during the first submits
            for k, chunk in enumerate(chunks):
                futures[executor.submit(run_chunk, fn, chunk)] = k
        ready: dict[int, list[R]] = {}
        next_chunk = 0
        for future in as_completed(futures):
            k = futures.pop(future)  # a done future keeps its result: drop it once it is taken
            ready[k] = future.result()
            if progress is not None:
                progress.advance(chunk_weight(chunks[k], weight))
            while next_chunk in ready:
                yield from ready.pop(next_chunk)
                next_chunk += 1
    except BrokenProcessPool as err:
        raise RuntimeError(
            "a worker process died (killed, out of memory, or it failed to start). If the function the "
            "workers run is defined in your script, put the script's top-level code under "
            '`if __name__ == "__main__":`; or pass workers=1 to run in this process'
        ) from err
    except BaseException:  # interrupted (Ctrl-C, SIGTERM) or the caller stopped early: no orphans
        if futures:  # work still queued or running (a caller closing us after the last item leaves none)
            stop_workers(executor)
        raise
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
