"""``alignsim run SCENARIO``: one run or an ensemble, written to a run folder (streamed to Parquet
parts for large ensembles), with a short summary of what the agents did."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from alignsim.cli.arguments import check_ensemble_options
from alignsim.cli.output import output_folder
from alignsim.config.scenario import Scenario, load_scenario
from alignsim.errors import InputError
from alignsim.experiments.replicates import resolve_scheduler, resolve_workers
from alignsim.experiments.simulate import run_scenario
from alignsim.experiments.streaming import stream_scenario, wants_stream
from alignsim.results.run import RunResult


def cmd_run(args: argparse.Namespace) -> int:
    check_ensemble_options(args)
    scenario = load_scenario(args.scenario)
    out = output_folder(args.out, Path("runs") / scenario.name, overwrite=args.overwrite)
    result, elapsed = _run_and_write(args, scenario, out)
    if result.is_ensemble:
        _print_ensemble(args, scenario, result, elapsed)
    else:
        _print_single(scenario, result)
    print(f"wrote {out}" + _storage_note(result))
    return 0


def _run_and_write(args: argparse.Namespace, scenario: Scenario, out: Path) -> tuple[RunResult, float]:
    """Run the scenario as the flags ask and write its folder: streamed to Parquet parts as it
    runs, or saved whole afterwards. Also the seconds the run took (a saved run's without saving)."""
    n = scenario.replicates if args.replicates is None else args.replicates
    text = args.scenario.read_text(encoding="utf-8")
    started = time.perf_counter()
    if _streams(args, n):
        result = stream_scenario(
            scenario, out, seed=args.seed, source_text=text, replicates=n, workers=args.workers,
            scheduler=args.scheduler, progress=not args.quiet, charts=not args.no_charts, show_runs=args.show_runs, overwrite=args.overwrite,
        )
        return result, time.perf_counter() - started
    result = run_scenario(
        scenario, seed=args.seed, source_text=text,
        replicates=args.replicates, workers=args.workers, progress=not args.quiet, scheduler=args.scheduler,
    )
    elapsed = time.perf_counter() - started
    result.save(out, charts=not args.no_charts, overwrite=args.overwrite, parquet=args.parquet, show_runs=args.show_runs)
    return result, elapsed


def _print_ensemble(args: argparse.Namespace, scenario: Scenario, result: RunResult, elapsed: float) -> None:
    """Where and how fast the ensemble ran, the spread of agent reactions per run and the most frequent ones."""
    n, agent = result.replicates, result.agent_events()
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


def _print_single(scenario: Scenario, result: RunResult) -> None:
    """The run's first agent reactions, with the rule that caused each."""
    agent = result.agent_events()
    print(f"{scenario.name}: {scenario.steps} steps from {scenario.start}, seed {result.manifest['seed']}")
    print(f"  {len(result.events) - len(agent)} scripted shocks, {len(agent)} agent reactions")
    for e in agent.head(8).itertuples():
        print(f"  {e.date}  {e.source} {e.type} -> {e.target or '-'}  [{e.rule}]")
    if len(agent) > 8:
        print(f"  ... {len(agent) - 8} more in events.csv")


def _storage_note(result: RunResult) -> str:
    if not (result.is_ensemble and result.manifest.get("storage")):
        return ""
    return f" (tables in {result.manifest['parts']} Parquet parts each; alignsim.load reads them lazily)"


def _streams(args: argparse.Namespace, replicates: int) -> bool:
    """Whether ``run`` streams to Parquet parts (alignsim.experiments.streaming): --stream / --no-stream, else
    from STREAM_THRESHOLD replicates when pyarrow is installed and Parquet was not refused."""
    if args.stream and args.parquet is False:
        raise InputError("a streamed run is written as Parquet parts; drop --no-parquet or pass --no-stream", field="--stream")
    if args.stream is None and args.parquet is False:
        return False
    return replicates > 1 and wants_stream(args.stream, replicates)
