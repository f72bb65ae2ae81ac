"""``alignsim run SCENARIO``: run a scenario (or an ensemble) and write its run folder."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from alignsim.cli.common import check_ensemble_options, print_warnings
from alignsim.cli.output import numbered_note
from alignsim.cli.steady import warn_far_from_steady_state
from alignsim.config.scenario import Scenario, load_scenario
from alignsim.errors import InputError
from alignsim.experiments.replicates import resolve_scheduler, resolve_workers
from alignsim.experiments.simulate import run_scenario
from alignsim.experiments.streaming import stream_scenario, wants_stream
from alignsim.results.folders import check_out, default_folder
from alignsim.results.run import RunResult


def cmd_run(args: argparse.Namespace) -> int:
    """Load the scenario, check the output folder, run it (streamed or in memory), write the run
    folder and print what happened."""
    check_ensemble_options(args)
    scenario = load_scenario(args.scenario)
    out = args.out or default_folder(scenario.name)
    check_out(out, overwrite=args.overwrite)  # before any work: a folder that cannot be written fails at once
    print_warnings(scenario.warnings)
    warn_far_from_steady_state(scenario)
    result, elapsed = _run_and_write(args, scenario, out)
    if result.is_ensemble:
        _print_ensemble(args, scenario, result, out, elapsed)
    else:
        _print_single_run(args, scenario, result, out)
    return 0


def _run_and_write(args: argparse.Namespace, scenario: Scenario, out: Path) -> tuple[RunResult, float]:
    """Run the scenario and write its folder: streamed to Parquet parts as the replicates arrive, or
    held in memory and saved; with the seconds the run took (not counting the saving of a run in memory)."""
    started = time.perf_counter()
    n = scenario.replicates if args.replicates is None else args.replicates
    if _streams(args, n):
        result = stream_scenario(
            scenario,
            out,
            seed=args.seed,
            source_text=args.scenario.read_text(encoding="utf-8"),
            replicates=n,
            workers=args.workers,
            scheduler=args.scheduler,
            progress=not args.quiet,
            charts=not args.no_charts,
            show_runs=args.show_runs,
            overwrite=args.overwrite,
        )
        return result, time.perf_counter() - started
    result = run_scenario(
        scenario,
        seed=args.seed,
        source_text=args.scenario.read_text(encoding="utf-8"),
        replicates=args.replicates,
        workers=args.workers,
        progress=not args.quiet,
        scheduler=args.scheduler,
    )
    elapsed = time.perf_counter() - started
    result.save(
        out,
        charts=not args.no_charts,
        overwrite=args.overwrite,
        parquet=args.parquet,
        show_runs=args.show_runs,
        csv=args.csv,
    )
    return result, elapsed


def _print_ensemble(args: argparse.Namespace, scenario: Scenario, result: RunResult, out: Path, elapsed: float) -> None:
    """An ensemble's summary: where it ran, agent reactions per run, the most frequent reactions, the folder."""
    agent = result.agent_events()
    n = result.replicates
    print(
        f"{scenario.name}: {n} replicates of {scenario.steps} steps from {scenario.start}, seed {result.manifest['seed']} "
        f"({_where(args, n)}, {elapsed:.1f} s)"
    )
    per_run = agent.groupby("replicate").size().reindex(range(n), fill_value=0).to_numpy()
    scripted = int((result.events.origin == "scenario").sum()) // n
    print(
        f"  {scripted} scripted shocks; agent reactions per run: mean {per_run.mean():.1f}, 5-95%: "
        f"{int(np.quantile(per_run, 0.05))}-{int(np.quantile(per_run, 0.95))}"
    )
    table = result.reaction_frequencies()
    for r in table.head(8).itertuples():
        print(f"  {r.share:5.0%} of runs  {r.source} {r.rule.replace('_', '-')} -> {r.target}  ({r.forms})")
    if len(table) > 8:
        print(f"  ... {len(table) - 8} more reactions in events.csv")
    print(
        f"wrote {out}{numbered_note(out, args.out, scenario.name)}"
        + (
            f" (tables in {result.manifest['parts']} Parquet parts each; alignsim.load reads them lazily)"
            if result.manifest.get("storage")
            else ""
        )
    )


def _where(args: argparse.Namespace, replicates: int) -> str:
    """Where an ensemble ran: the Dask cluster's address, or the number of local workers."""
    return (
        f"on the Dask cluster at {resolve_scheduler(args.scheduler)}"
        if resolve_scheduler(args.scheduler)
        else f"{resolve_workers(args.workers, replicates)} workers"
    )


def _print_single_run(args: argparse.Namespace, scenario: Scenario, result: RunResult, out: Path) -> None:
    """A single run's summary: the shocks, the first agent reactions, the folder."""
    agent = result.agent_events()
    print(f"{scenario.name}: {scenario.steps} steps from {scenario.start}, seed {result.manifest['seed']}")
    print(f"  {len(result.events) - len(agent)} scripted shocks, {len(agent)} agent reactions")
    for e in agent.head(8).itertuples():
        print(f"  {e.date}  {e.source} {e.type} -> {e.target or '-'}  [{e.rule}]")
    if len(agent) > 8:
        print(f"  ... {len(agent) - 8} more in events.csv")
    print(f"wrote {out}{numbered_note(out, args.out, scenario.name)}")


def _streams(args: argparse.Namespace, replicates: int) -> bool:
    """Whether ``run`` streams to Parquet parts (alignsim.experiments.streaming): --stream / --no-stream, else
    from STREAM_THRESHOLD replicates when pyarrow is installed and Parquet was not refused."""
    if args.stream and args.parquet is False:
        raise InputError(
            "a streamed run is written as Parquet parts; drop --no-parquet or pass --no-stream", field="--stream"
        )
    if args.stream is None and args.parquet is False:
        return False
    return replicates > 1 and wants_stream(args.stream, replicates)
