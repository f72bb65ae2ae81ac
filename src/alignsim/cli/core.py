"""The light commands: validate, shocks, new. They load scenarios and the event catalogue only
(pydantic, PyYAML, numpy), never Mesa, pandas, matplotlib or scipy, so they answer at once."""

from __future__ import annotations

import argparse
import importlib
import sys
from importlib import resources

from alignsim.config.scenario import Scenario, load_scenario
from alignsim.errors import InputError
from alignsim.world.events.base import EVENT_TYPES
from alignsim.world.events.catalog import event_rows

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


def cmd_shocks(args: argparse.Namespace) -> int:
    rows = event_rows(EVENT_TYPES)
    if args.markdown:
        print("| type | Goldstein (actor / target) | CAMEO | fields | what it does |")
        print("|---|---|---|---|---|")
        for r in rows:
            print(f"| `{r.name}` | {r.goldstein} | {r.cameo} | {r.fields} | {r.summary} |")
        return 0
    for r in rows:
        print(f"{r.name:18} Goldstein {r.goldstein:14} CAMEO {r.cameo}")
        print(f"{'':18} {r.summary}")
        print(f"{'':18} fields: {r.fields}")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    name = args.name.removesuffix(".yaml")
    if not name.replace("_", "").replace("-", "").isalnum():
        raise InputError("use letters, digits, '-' and '_' only", field="NAME")
    path = args.dir / f"{name}.yaml"
    if path.exists():
        raise InputError("exists already; choose another name", path=path)
    template = (resources.files("alignsim") / "templates" / "starter.yaml").read_text(encoding="utf-8")
    args.dir.mkdir(parents=True, exist_ok=True)
    path.write_text(template.replace("{name}", name), encoding="utf-8")
    print(f"wrote {path}; run it with: alignsim run {path}")
    return 0
