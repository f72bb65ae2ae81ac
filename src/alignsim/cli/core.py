"""``alignsim validate FILE...``: check scenario files without running them. It loads scenarios only
(pydantic, PyYAML, numpy), never Mesa, pandas, matplotlib or scipy, so it answers at once."""

from __future__ import annotations

import argparse
import importlib
import sys

from alignsim.config.scenario import Scenario, load_scenario
from alignsim.errors import InputError

EXIT_BAD_INPUT = 2

#: The checks of a ``sweep:`` block build a model to list its metrics (Mesa, pandas): imported, on
#: purpose, only when a scenario has such a block.
SWEEP_CHECKS = "alignsim.experiments.sweep"


def cmd_validate(args: argparse.Namespace) -> int:
    failed = 0
    for path in args.scenarios:
        try:
            s = load_scenario(path)
        except InputError as err:
            failed += 1
            print(f"error: {getattr(err, 'full_text', None) or err}", file=sys.stderr)
            continue
        if s.sweep is not None:
            try:
                raise_sweep_problems(s, path)  # paths, bounds and codes of the sweep: block
            except InputError as err:
                failed += 1
                print(f"error: {getattr(err, 'full_text', None) or err}", file=sys.stderr)
                continue
        print(f"ok: {path} ({s.world_spec.name}, {len(s.world_spec.states)} states, {s.steps} steps, {len(s.shocks)} shocks)")
    return EXIT_BAD_INPUT if failed else 0


def raise_sweep_problems(scenario: Scenario, path: object) -> None:
    importlib.import_module(SWEEP_CHECKS).raise_problems(scenario, path)
