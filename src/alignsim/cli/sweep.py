"""``alignsim sweep``: run a scenario's ``sweep:`` block and write its sensitivity analysis."""

from __future__ import annotations

import argparse
import os
import time
from typing import TYPE_CHECKING

from alignsim.cli.common import MAX_WORKERS
from alignsim.cli.cost import check_cost, sweep_cost
from alignsim.cli.output import numbered_note
from alignsim.config.scenario import Scenario, check_option
from alignsim.errors import InputError
from alignsim.experiments.sweep import (
    INDEX_FILES,
    SweepResult,
    design_size,
    is_constant,
    load_sweep_scenario,
    run_sweep,
)
from alignsim.results.folders import check_out, default_folder

if TYPE_CHECKING:
    import pandas as pd


def cmd_sweep(args: argparse.Namespace) -> int:
    """Check the options, load the scenario and its sweep, run every point, write the sweep folder
    and print each outcome's sensitivity in a line."""
    _check_options(args)
    scenario = load_sweep_scenario(args.scenario)
    out = args.out or default_folder(f"sweep_{scenario.name}")
    check_out(out, overwrite=args.overwrite)
    _check_sweep_cost(scenario, args)
    started = time.perf_counter()
    result = run_sweep(
        scenario,
        seed=args.seed,
        replicates=args.replicates,
        samples=args.samples,
        workers=args.workers,
        scheduler=args.scheduler,
        progress=not args.quiet,
        source_text=args.scenario.read_text(encoding="utf-8"),
    )
    elapsed = time.perf_counter() - started
    spec = result.spec
    result.save(out, charts=not args.no_charts, overwrite=args.overwrite)
    print(
        f"{scenario.name}: {spec.design} sweep of {', '.join(result.parameters)}; {design_size(spec)} points x {spec.replicates} "
        f"replicates = {len(result.results)} runs, seed {result.manifest['seed']} ({elapsed:.1f} s)"
    )
    for outcome in result.outcomes:
        print(_outcome_line(result, outcome))
    kind = INDEX_FILES[spec.design]
    print(
        f"wrote {out}{numbered_note(out, args.out, f'sweep_{scenario.name}')} (design.csv, results.csv, "
        f"{kind}.csv, {kind}.md{', charts/' if not args.no_charts else ''})"
    )
    return 0


def _check_options(args: argparse.Namespace) -> None:
    """Refuse --replicates, --samples, --seed and --workers outside their ranges, before any work."""
    for name in ("replicates", "samples", "seed"):
        check_option(f"--{name}", f"sweep.{name}", getattr(args, name))
    if args.workers is not None and not 1 <= args.workers <= MAX_WORKERS:
        raise InputError(f"{args.workers} is out of range (allowed: >= 1 and <= {MAX_WORKERS})", field="--workers")


def _check_sweep_cost(scenario: Scenario, args: argparse.Namespace) -> None:
    """Refuse a sweep estimated past the cost limits before any run, unless --accept-cost."""
    what, seconds, memory = sweep_estimate(
        scenario, samples=args.samples, replicates=args.replicates, workers=args.workers
    )
    check_cost(what, seconds, memory, accepted=args.accept_cost, field="sweep", path=args.scenario)


def sweep_estimate(
    scenario: Scenario, *, samples: int | None = None, replicates: int | None = None, workers: int | None = None
) -> tuple[str, float, float]:
    """The sweep described, with its estimated seconds and bytes (:func:`alignsim.cli.cost.sweep_cost`)."""
    assert scenario.sweep is not None  # load_sweep_scenario refused a scenario without one
    updates = {k: v for k, v in {"samples": samples, "replicates": replicates}.items() if v is not None}
    spec = scenario.sweep.model_copy(update=updates)
    points = design_size(spec)
    workers = workers or os.cpu_count() or 1
    states = len(scenario.world_spec.states)
    seconds, memory = sweep_cost(points, spec.replicates, len(spec.parameters), states, scenario.steps, workers)
    what = (
        f"a {spec.design} sweep of {points:,} points x {spec.replicates:,} replicates "
        f"({states} states, {scenario.steps} steps, {workers} workers)"
    )
    return what, seconds, memory


def sweep_cost_warning(scenario: Scenario) -> str | None:
    """What ``alignsim validate`` says of a sweep that ``alignsim sweep`` would refuse without --accept-cost."""
    what, seconds, memory = sweep_estimate(scenario)
    try:
        check_cost(what, seconds, memory, accepted=False, field="sweep")
    except InputError as err:
        return f"warning: {err.message}"
    return None


def _outcome_line(result: SweepResult, outcome: str) -> str:
    """One outcome's sensitivity, most influential parameter first (or that it did not vary)."""
    values = result.point_means()[outcome]
    if is_constant(values.to_numpy(dtype=float)):
        return f"  {outcome}: did not vary across the points (always {values.iloc[0]:.4g}); no parameter moves it, and the indices are undefined"
    return f"  {outcome}: " + "; ".join(
        _index_cells(result.spec.design, result.indices[result.indices.outcome == outcome])
    )


def _index_cells(design: str, rows: pd.DataFrame) -> list[str]:
    """One outcome's indices, parameter by parameter: Sobol's ST (and S1), Morris's mu*, or how far a
    grid parameter moves the mean."""
    if design == "sobol":
        rows = rows.sort_values("ST", ascending=False, kind="stable")
        return [
            f"{r.parameter} ST {r.ST:.2f}±{r.ST_conf:.2f} (S1 {r.S1:.2f}±{r.S1_conf:.2f})" for r in rows.itertuples()
        ]
    if design == "morris":
        rows = rows.sort_values("mu_star", ascending=False, kind="stable")
        return [f"{r.parameter} mu* {r.mu_star:.3g}±{r.mu_star_conf:.3g}" for r in rows.itertuples()]
    spread = rows.groupby("parameter", sort=False)["mean"].agg(lambda s: s.max() - s.min())
    return [f"{p} moves the mean by {v:.3g}" for p, v in spread.sort_values(ascending=False).items()]
