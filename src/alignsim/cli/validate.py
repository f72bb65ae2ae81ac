"""``alignsim validate FILE...``: check scenario, world and landscape files without running them.
It loads files only (pydantic, PyYAML, numpy), never Mesa, pandas, matplotlib or scipy, so it answers
at once; the checks that need a model are imported, on purpose, only for the files that need them."""

from __future__ import annotations

import argparse
import importlib
import sys

from alignsim.cli.common import print_warnings
from alignsim.config.scenario import load_any, world_file_warnings
from alignsim.errors import EXIT_BAD_INPUT, InputError
from alignsim.measures.landscape import LandscapeProblem
from alignsim.world.spec import WorldSpec

#: The checks of a ``sweep:`` block build a model to list its metrics (Mesa, pandas).
SWEEP_CHECKS = "alignsim.experiments.sweep"
#: The estimated cost of a sweep (alignsim sweep refuses a costly one without --accept-cost).
SWEEP_COST = "alignsim.cli.sweep"
#: The steady-state warning for given initial relations builds a model too.
STEADY_STATE = "alignsim.cli.steady"


def cmd_validate(args: argparse.Namespace) -> int:
    failed = 0
    for path in args.scenarios:
        try:
            s = load_any(path)
        except InputError as err:
            failed += 1
            print(f"error: {getattr(err, 'full_text', None) or err}", file=sys.stderr)
            continue
        if isinstance(s, LandscapeProblem):
            print(f"ok: {path} (a landscape file: {len(s.names)} actors; 'alignsim landscape {path}' finds its minima)")
            continue
        if isinstance(s, WorldSpec):
            print_warnings(world_file_warnings(path, s))
            ties = sum(len(getattr(s.ties, kind)) for kind in ("diplomatic", "treaty", "alliance", "sanction"))
            print(
                f"ok: {path} (a world file: {s.name}, {len(s.states)} states, {len(s.dimensions)} dimensions, "
                f"{len(s.relations)} relations, {ties} ties)"
            )
            continue
        print_warnings(s.warnings)
        if s.sweep is not None:
            try:
                importlib.import_module(SWEEP_CHECKS).raise_problems(
                    s, path
                )  # paths, bounds and codes of the sweep: block
                if warning := importlib.import_module(SWEEP_COST).sweep_cost_warning(s):
                    print(warning, file=sys.stderr)
            except InputError as err:
                failed += 1
                print(f"error: {getattr(err, 'full_text', None) or err}", file=sys.stderr)
                continue
        dates = f"{s.steps} steps from {s.start:%Y-%m}: {s.steps + 1} dated rows, {s.start:%Y-%m} to {s.date_of(s.steps):%Y-%m}"
        print(
            f"ok: {path} (a scenario: world {s.world_spec.name}, {len(s.world_spec.states)} states, {dates}, {len(s.shocks)} shocks)"
        )
        if s.params.initial_relations == "given":
            importlib.import_module(STEADY_STATE).warn_far_from_steady_state(s)
    return EXIT_BAD_INPUT if failed else 0
