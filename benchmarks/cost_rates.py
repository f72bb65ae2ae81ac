"""The rates behind the cost estimates of ``alignsim sweep`` and ``alignsim landscape --exact-limit``
(alignsim/cli/cost.py): one run's seconds for a few world sizes and the exact landscape's seconds per
configuration and actor, measured here, beside the estimate the CLI would make. No assertion on time.

    .venv/bin/python benchmarks/cost_rates.py [--quick]

``--quick`` (run by tests/test_benchmarks.py) measures one short run and one small landscape.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from alignsim.cli.cost import CONFIG_ACTOR_SECONDS, landscape_cost, run_seconds
from alignsim.config.scenario import parse_scenario
from alignsim.experiments.simulate import run_scenario
from alignsim.measures.landscape import local_minima


def runs(quick: bool) -> None:
    for world, steps in (("korea_2024", 12),) if quick else (("korea_2024", 36), ("korea_2024", 120), ("un193", 12)):
        scenario = parse_scenario(f"world: {world}\nsteps: {steps}\n")
        run_scenario(scenario, workers=1)  # warm: imports and caches
        started = time.perf_counter()
        run_scenario(scenario, workers=1)
        seconds = time.perf_counter() - started
        states = len(scenario.world_spec.states)
        print(
            f"run {world:11} {states:3} states x {steps:3} steps: {seconds:6.2f} s (estimate {run_seconds(states, steps):6.2f} s)"
        )


def landscapes(quick: bool) -> None:
    rng = np.random.default_rng(0)
    for n in (12,) if quick else (18, 20, 22):
        p = rng.uniform(-1, 1, (n, n))
        p = (p + p.T) / 2
        np.fill_diagonal(p, 0)
        started = time.perf_counter()
        local_minima(np.ones(n), p, exact_limit=n)
        seconds = time.perf_counter() - started
        rate = seconds / (2 ** (n - 1) * n)
        print(
            f"landscape {n} actors exact: {seconds:6.2f} s, {rate:.2e} s per configuration and actor "
            f"(CLI rate {CONFIG_ACTOR_SECONDS:.2e}; estimate {landscape_cost(n)[0]:6.2f} s)"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one short run and one small landscape (a smoke test)")
    quick = parser.parse_args().quick
    runs(quick)
    landscapes(quick)
