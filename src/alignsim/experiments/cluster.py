"""Replicates and sweep points on a Dask cluster, with the results of a local run, byte for byte.

:func:`alignsim.experiments.replicates.map_replicates` calls :func:`map_on_cluster` when it is given a scheduler
address (``--scheduler tcp://HOST:PORT`` on the command line, or the ``ALIGNSIM_SCHEDULER``
environment variable). Nothing about the results depends on the backend:

- every task carries its inputs, seeds included: the seeds were spawned in the parent process
  (:func:`alignsim.experiments.replicates.replicate_seeds`) before anything was sent, so a task computes the same
  numbers on any worker, however often it runs;
- chunks come back in any order and are yielded in the order of the items (reordered by index);
- a worker that dies (killed, out of memory, its machine gone) loses the tasks it held; the
  scheduler gives them to other workers (Dask's ``distributed.scheduler.allowed-failures``, 3 by
  default, bounds how often one task may take a worker down with it), so the run still completes.

The workers need alignsim installed (the same version as the client: the functions are sent by
reference to their module). Each task gets a readable, unique key (``alignsim-<run>-<chunk>``), so
concurrent runs on a shared cluster never mix.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from alignsim.errors import InputError
from alignsim.experiments.executors import chunk_weight, run_chunk

if TYPE_CHECKING:
    from alignsim.experiments.progress import Progress

#: Seconds to wait for the scheduler to answer, and for a first worker when the cluster has none.
CONNECT_TIMEOUT = 30.0


def map_on_cluster[T, R](
    fn: Callable[[T], R],
    items: Sequence[T],
    address: str,
    *,
    progress: Progress | None = None,
    chunksize: int | None = None,
    weight: Callable[[T], int] | None = None,
) -> Iterator[R]:
    """Yield ``fn(item)`` for every item, in order, computed on the Dask cluster at ``address``
    (``weight``: what an item counts for on the progress bar, as for local processes).

    Items are sent in chunks (``chunksize``; default: about 16 chunks per worker thread) to amortise
    the cost of a task; results are yielded as soon as they are contiguous.
    """
    client = connect(address)
    try:
        threads = sum(client.nthreads().values())
        if threads == 0:
            try:
                client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
            except TimeoutError:
                raise InputError(
                    f"the Dask cluster at {address} has no workers (waited {CONNECT_TIMEOUT:.0f} s); start some with: dask worker {address}",
                    field="--scheduler",
                ) from None
            threads = sum(client.nthreads().values())
        n = len(items)
        size = chunksize or max(1, math.ceil(n / (max(1, threads) * 16)))
        chunks = [items[k : k + size] for k in range(0, n, size)]
        run = uuid.uuid4().hex[:10]
        futures = {
            client.submit(run_chunk, fn, chunk, key=f"alignsim-{run}-{k:06d}"): k for k, chunk in enumerate(chunks)
        }
        yield from _in_order(client, futures, [chunk_weight(chunk, weight) for chunk in chunks], progress)
    finally:
        client.close()


def _in_order[R](
    client: Any, futures: dict[Any, int], weights: Sequence[int], progress: Progress | None
) -> Iterator[R]:
    from distributed import as_completed

    ready: dict[int, list[R]] = {}
    next_chunk = 0
    try:
        for future in as_completed(list(futures), loop=client.loop):  # not the default client: name its loop
            k = futures.pop(future)
            try:
                ready[k] = future.result()
            except Exception as err:
                if type(err).__name__ == "KilledWorker":
                    raise RuntimeError(
                        f"Dask gave up on a chunk of tasks: it took down a worker every time it ran ({err})"
                    ) from err
                raise
            future.release()  # the scheduler may forget it now
            if progress is not None:
                progress.advance(weights[k])
            while next_chunk in ready:
                yield from ready.pop(next_chunk)
                next_chunk += 1
    finally:
        for future in futures:  # stopped early (an error, or the caller closed the generator)
            future.cancel()


def connect(address: str) -> Any:
    """A :class:`distributed.Client` of the scheduler at ``address`` (not made the default client)."""
    try:
        from distributed import Client
    except ImportError:
        raise InputError(
            "running on a Dask cluster needs dask's distributed package: pip install 'alignsim[dask]'",
            field="--scheduler",
        ) from None
    try:
        return Client(address, set_as_default=False, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as err:
        raise InputError(f"cannot reach a Dask scheduler at {address!r}: {err}", field="--scheduler") from None
