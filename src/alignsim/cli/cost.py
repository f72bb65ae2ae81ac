"""Requests whose cost is known before the work starts (a sweep's runs, a landscape's 2^(N-1)
configurations): estimated from their size and refused, with the estimate, unless ``--accept-cost``.

The rates are measured on the reference machine (2 cores, shared) and rounded up; they are meant to
tell minutes from days, not to predict a run to the second. Re-measure them with
``benchmarks/cost_rates.py`` when the model's speed changes.
"""

from __future__ import annotations

import os

from alignsim.errors import InputError

MAX_SECONDS = 10 * 60  # a request estimated to take longer is confirmed first
MAX_BYTES = 2**30  # and one estimated to hold more memory at once

#: One model run: a fixed cost, a cost per step, and a cost per step and ordered pair of states
#: (0.04 s for 8 states x 36 steps, 0.95 s for 193 states x 12 steps, measured, doubled for a loaded machine).
RUN_SECONDS, STEP_SECONDS, PAIR_STEP_SECONDS = 0.04, 1e-3, 5e-6
#: The exact landscape: seconds per configuration and actor (29 s for 24 actors, loaded), and bytes
#: per configuration (its successor, the doubled copy and the sort of np.unique: three int64 arrays).
CONFIG_ACTOR_SECONDS, CONFIG_BYTES = 1.5e-7, 24


def run_seconds(states: int, steps: int) -> float:
    """Estimated seconds of one run of ``states`` states over ``steps`` months."""
    return RUN_SECONDS + steps * (STEP_SECONDS + PAIR_STEP_SECONDS * states * states)


def sweep_cost(
    points: int, replicates: int, parameters: int, states: int, steps: int, workers: int
) -> tuple[float, float]:
    """(seconds, bytes) of a sweep: its runs shared by ``workers``; its design and results held at once."""
    runs = points * replicates
    seconds = runs * run_seconds(states, steps) / max(1, workers)
    memory = 8 * 4 * (points * parameters + runs * 16)  # float64, a few copies, about 16 columns of results
    return seconds, float(memory)


def landscape_cost(actors: int) -> tuple[float, float]:
    """(seconds, bytes) of enumerating every configuration of ``actors`` actors."""
    configurations = 2 ** (actors - 1)
    return configurations * actors * CONFIG_ACTOR_SECONDS, float(configurations * CONFIG_BYTES)


def check_cost(
    what: str, seconds: float, memory: float, *, accepted: bool, field: str, path: str | os.PathLike[str] | None = None
) -> None:
    """Refuse a request estimated past :data:`MAX_SECONDS` or :data:`MAX_BYTES` unless ``accepted``;
    more memory than the machine has is refused even then."""
    if memory > _machine_bytes():
        raise InputError(
            f"{what} would need about {_bytes(memory)} of memory, more than this machine has ({_bytes(_machine_bytes())})",
            field=field,
            path=path,
        )
    if accepted or (seconds <= MAX_SECONDS and memory <= MAX_BYTES):
        return
    raise InputError(
        f"{what} is estimated at {_duration(seconds)} and {_bytes(memory)} of memory; make it smaller, "
        "or pass --accept-cost to run it anyway",
        field=field,
        path=path,
    )


def _machine_bytes() -> float:
    try:
        return float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):  # pragma: no cover - not a POSIX system
        return float("inf")


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f} minutes"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.0f} hours"
    return f"{seconds / 86400:,.0f} days"


def _bytes(n: float) -> str:
    for unit, size in (("TB", 2**40), ("GB", 2**30), ("MB", 2**20)):
        if n >= size:
            return f"{n / size:,.1f} {unit}"
    return f"{n / 2**10:,.0f} kB"
