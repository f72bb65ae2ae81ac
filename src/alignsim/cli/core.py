"""The core commands: run, validate, shocks, new."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from alignsim.config.scenario import (
    check_option,
    load_any,
    load_scenario,
    world_file_warnings,
)
from alignsim.errors import InputError, OutputError
from alignsim.experiments.replicates import resolve_scheduler, resolve_workers
from alignsim.experiments.simulate import run_scenario
from alignsim.experiments.streaming import stream_scenario, wants_stream
from alignsim.experiments.sweep import raise_problems
from alignsim.measures.landscape import LandscapeProblem
from alignsim.model.model import AlignmentModel
from alignsim.results.folders import check_out, default_folder, safe_name
from alignsim.world.events.base import EVENT_TYPES
from alignsim.world.events.catalog import common_fields, event_rows
from alignsim.world.spec import WorldSpec

EXIT_BAD_INPUT = 2
MAX_WORKERS = 1024  # more processes than any machine runs usefully; a typo like 10000 would fork-bomb


def register(sub: Any) -> None:
    run = sub.add_parser("run", help="run a scenario and write a run folder")
    run.add_argument("scenario", type=Path)
    run.add_argument("--out", type=Path, help="run folder (default: runs/<scenario name>, numbered if taken)")
    run.add_argument("--seed", type=int, help="override the scenario's seed")
    run.add_argument("--overwrite", action="store_true", help="replace an existing --out folder")
    run.add_argument("--no-charts", action="store_true", help="skip the PNG charts")
    run.add_argument("--csv", action="store_true", default=None,
                     help="write relations.csv even for a large world (default: CSV up to 500,000 rows per replicate, beyond that relations.parquet only)")
    add_ensemble_options(run)
    run.add_argument("--stream", action=argparse.BooleanOptionalAction, default=None,
                     help="write the ensemble to Parquet parts as it runs, never holding it whole (default: from 2,000 replicates, when pyarrow is installed)")
    run.set_defaults(func=cmd_run)

    validate = sub.add_parser("validate", help="check scenario files without running them")
    validate.add_argument("scenarios", type=Path, nargs="+")
    validate.set_defaults(func=cmd_validate)

    shocks = sub.add_parser("shocks", help="list the event types, their fields and Goldstein values")
    shocks.add_argument("--markdown", action="store_true", help="print a Markdown table")
    shocks.set_defaults(func=cmd_shocks)

    new = sub.add_parser("new", help="write a commented starter scenario")
    new.add_argument("name", help="scenario name; writes NAME.yaml")
    new.add_argument("--dir", type=Path, default=Path("."), help="folder to write into")
    new.set_defaults(func=cmd_new)


def add_ensemble_options(parser: argparse.ArgumentParser, *, default_replicates: str = "the scenario's 'replicates', else 1") -> None:
    """Options shared by the commands that run ensembles (run, compare)."""
    parser.add_argument("--replicates", type=int, metavar="N", help=f"run N replicates with seeds spawned from the run's seed (default: {default_replicates})")
    parser.add_argument("--workers", type=int, metavar="N", help="processes that run replicates in parallel (default: all cores; 1: no subprocesses)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--show-runs", type=int, nargs="?", const=30, default=0, metavar="N", help="draw N individual runs (default 30) over the bands of the ensemble charts")
    parser.add_argument("--parquet", action=argparse.BooleanOptionalAction, default=None, help="also write the tables as Parquet (default: for ensembles, when pyarrow is installed)")
    parser.add_argument("--scheduler", metavar="ADDRESS", help="run the replicates on the Dask cluster at tcp://HOST:PORT (default: $ALIGNSIM_SCHEDULER; unset: local processes)")


def check_ensemble_options(args: argparse.Namespace) -> None:
    """The options' values, with the messages a scenario file's ``seed:`` and ``replicates:`` get."""
    check_option("--replicates", "replicates", args.replicates)
    check_option("--seed", "seed", args.seed)
    if args.workers is not None and not 1 <= args.workers <= MAX_WORKERS:
        raise InputError(f"{args.workers} is out of range (allowed: >= 1 and <= {MAX_WORKERS})", field="--workers")
    if args.show_runs < 0:
        raise InputError("must be 0 or more", field="--show-runs")


def cmd_run(args: argparse.Namespace) -> int:
    import numpy as np

    check_ensemble_options(args)
    scenario = load_scenario(args.scenario)
    print_warnings(scenario.warnings)
    warn_far_from_steady_state(scenario)
    out = args.out or default_folder(scenario.name)
    check_out(out, overwrite=args.overwrite)
    started = time.perf_counter()
    n = scenario.replicates if args.replicates is None else args.replicates
    if _streams(args, n):
        result = stream_scenario(
            scenario, out, seed=args.seed, source_text=args.scenario.read_text(encoding="utf-8"), replicates=n, workers=args.workers,
            scheduler=args.scheduler, progress=not args.quiet, charts=not args.no_charts, show_runs=args.show_runs, overwrite=args.overwrite,
        )
        elapsed = time.perf_counter() - started
    else:
        result = run_scenario(
            scenario, seed=args.seed, source_text=args.scenario.read_text(encoding="utf-8"),
            replicates=args.replicates, workers=args.workers, progress=not args.quiet, scheduler=args.scheduler,
        )
        elapsed = time.perf_counter() - started
        result.save(out, charts=not args.no_charts, overwrite=args.overwrite, parquet=args.parquet, show_runs=args.show_runs, csv=args.csv)
    agent = result.agent_events()
    if result.is_ensemble:
        n = result.replicates
        where = f"on the Dask cluster at {resolve_scheduler(args.scheduler)}" if resolve_scheduler(args.scheduler) else f"{resolve_workers(args.workers, n)} workers"
        print(f"{scenario.name}: {n} replicates of {scenario.steps} steps from {scenario.start}, seed {result.manifest['seed']} "
              f"({where}, {elapsed:.1f} s)")
        per_run = agent.groupby("replicate").size().reindex(range(n), fill_value=0).to_numpy()
        scripted = int((result.events.origin == "scenario").sum()) // n
        print(f"  {scripted} scripted shocks; agent reactions per run: mean {per_run.mean():.1f}, 5-95%: {int(np.quantile(per_run, 0.05))}-{int(np.quantile(per_run, 0.95))}")
        table = result.reaction_frequencies()
        for r in table.head(8).itertuples():
            print(f"  {r.share:5.0%} of runs  {r.source} {r.rule.replace('_', '-')} -> {r.target}  ({r.forms})")
        if len(table) > 8:
            print(f"  ... {len(table) - 8} more reactions in events.csv")
        print(f"wrote {out}{numbered_note(out, args.out, scenario.name)}" + (f" (tables in {result.manifest['parts']} Parquet parts each; alignsim.load reads them lazily)" if result.manifest.get("storage") else ""))
        return 0
    print(f"{scenario.name}: {scenario.steps} steps from {scenario.start}, seed {result.manifest['seed']}")
    print(f"  {len(result.events) - len(agent)} scripted shocks, {len(agent)} agent reactions")
    for e in agent.head(8).itertuples():
        print(f"  {e.date}  {e.source} {e.type} -> {e.target or '-'}  [{e.rule}]")
    if len(agent) > 8:
        print(f"  ... {len(agent) - 8} more in events.csv")
    print(f"wrote {out}{numbered_note(out, args.out, scenario.name)}")
    return 0


def numbered_note(out: Path, given: Path | None, name: str) -> str:
    """Say so when the default folder was taken and the run went to ``-2``, ``-3``, ..."""
    first = Path("runs") / safe_name(name)
    if given is not None or out == first:
        return ""
    return f" ({first} exists already, so this run went to a new folder; --out {first} --overwrite replaces it)"


def _streams(args: argparse.Namespace, replicates: int) -> bool:
    """Whether ``run`` streams to Parquet parts (alignsim.experiments.streaming): --stream / --no-stream, else
    from STREAM_THRESHOLD replicates when pyarrow is installed and Parquet was not refused."""
    if args.stream and args.parquet is False:
        raise InputError("a streamed run is written as Parquet parts; drop --no-parquet or pass --no-stream", field="--stream")
    if args.stream is None and args.parquet is False:
        return False
    return replicates > 1 and wants_stream(args.stream, replicates)



def warn_far_from_steady_state(scenario: Any, shown: int = 6) -> None:
    """A warning (not an error) naming the pairs whose given initial relations lie far from the
    model's steady state, which the first months would spend relaxing toward (docs/model.md, the start)."""
    if scenario.params.initial_relations != "given" or len(scenario.world_spec.states) > 300:
        return
    far = AlignmentModel(scenario).far_from_steady_state()
    if not far:
        return
    pairs = ", ".join(f"{a}->{b} {w:+.2f} (steady {s:+.2f})" for a, b, w, s in far[:shown])
    more = f" and {len(far) - shown} more" if len(far) > shown else ""
    print(f"warning: {len(far)} initial relations lie far from the model's steady state: {pairs}{more}; "
          "the first months relax toward it (set params: {initial_relations: equilibrium} to start there)", file=sys.stderr)


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
            print(f"ok: {path} (a world file: {s.name}, {len(s.states)} states, {len(s.dimensions)} dimensions, "
                  f"{len(s.relations)} relations, {ties} ties)")
            continue
        print_warnings(s.warnings)
        if s.sweep is not None:
            try:
                raise_problems(s, path)  # paths, bounds and codes of the sweep: block
            except InputError as err:
                failed += 1
                print(f"error: {getattr(err, 'full_text', None) or err}", file=sys.stderr)
                continue
        dates = f"{s.steps} steps from {s.start:%Y-%m}: {s.steps + 1} dated rows, {s.start:%Y-%m} to {s.date_of(s.steps):%Y-%m}"
        print(f"ok: {path} (a scenario: world {s.world_spec.name}, {len(s.world_spec.states)} states, {dates}, {len(s.shocks)} shocks)")
        warn_far_from_steady_state(s)
    return EXIT_BAD_INPUT if failed else 0


def print_warnings(warnings: Sequence[str]) -> None:
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)


def cmd_shocks(args: argparse.Namespace) -> int:
    rows = event_rows(EVENT_TYPES)
    if args.markdown:
        print("| type | Goldstein (actor / target) | CAMEO | fields | what it does |")
        print("|---|---|---|---|---|")
        for r in rows:
            print(f"| `{r.name}` | {r.goldstein} | {r.cameo} | {"; ".join(r.allowed) or "-"} | {r.summary} |")
        return 0
    for r in rows:
        print(f"{r.name:18} Goldstein {r.goldstein:14} CAMEO {r.cameo}")
        print(f"{'':18} {r.summary}")
        for line in r.allowed or ("(no fields of its own)",):
            print(f"{'':18} {line}")
    print()
    print("every shock also takes:")
    for line in common_fields():
        print(f"  {line}")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from importlib import resources

    name = args.name.removesuffix(".yaml")
    if not name.replace("_", "").replace("-", "").isalnum():
        raise InputError("use letters, digits, '-' and '_' only", field="NAME")
    path = args.dir / f"{name}.yaml"
    if path.exists():
        raise InputError("exists already; choose another name", path=path)
    template = (resources.files("alignsim") / "templates" / "starter.yaml").read_text(encoding="utf-8")
    try:
        args.dir.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as fh:  # "x": never replace a file written meanwhile
            fh.write(template.replace("{name}", name))
    except FileExistsError:
        raise InputError("exists already; choose another name", path=path) from None
    except OSError as err:
        raise OutputError(f"cannot write the scenario: {err.strerror or err}; choose another --dir", path=path) from None
    print(f"wrote {path}; run it with: alignsim run {path}")
    return 0
