"""``alignsim sweep``: run a scenario's ``sweep:`` block and write its sensitivity analysis."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from alignsim.cli.core import MAX_WORKERS, numbered_note
from alignsim.config.scenario import check_option
from alignsim.errors import InputError
from alignsim.experiments.sweep import (
    INDEX_FILES,
    design_size,
    is_constant,
    load_sweep_scenario,
    run_sweep,
)
from alignsim.results.folders import check_out, default_folder


def register(sub: Any) -> None:
    sweep = sub.add_parser(
        "sweep",
        help="vary parameters and shock magnitudes (grid, Sobol or Morris design) and measure which drive the outcomes",
        description=(
            "Run the scenario's 'sweep:' block: every point of the design (a grid, a Sobol/Saltelli or a Morris design "
            "over parameters and shock magnitudes) is run with replicates that share their seeds across points. Writes a "
            "folder with design.csv, results.csv (one row per point and replicate; also Parquet), the sensitivity table "
            "(sobol.csv: S1, ST and their confidence intervals; morris.csv; or effects.csv for a grid) as CSV and "
            "Markdown, a chart per outcome and manifest.json. See docs/sensitivity.md."
        ),
    )
    sweep.add_argument("scenario", type=Path, metavar="SCENARIO", help="a scenario file with a 'sweep:' block")
    sweep.add_argument("--out", type=Path, help="sweep folder (default: runs/sweep_<scenario name>, numbered if taken)")
    sweep.add_argument("--seed", type=int, help="seed of the design and the replicates (default: the block's, else the scenario's)")
    sweep.add_argument("--replicates", type=int, metavar="N", help="runs per point (default: the block's)")
    sweep.add_argument("--samples", type=int, metavar="N", help="sobol: base samples (a power of 2); morris: trajectories (default: the block's)")
    sweep.add_argument("--workers", type=int, metavar="N", help="processes that run the points (default: all cores; 1: no subprocesses)")
    sweep.add_argument("--scheduler", metavar="ADDRESS", help="run on the Dask cluster at tcp://HOST:PORT (default: $ALIGNSIM_SCHEDULER; unset: local processes)")
    sweep.add_argument("--overwrite", action="store_true", help="replace an existing --out folder")
    sweep.add_argument("--no-charts", action="store_true", help="skip the PNG charts")
    sweep.add_argument("--quiet", action="store_true", help="no progress bar")
    sweep.set_defaults(func=cmd_sweep)


def cmd_sweep(args: argparse.Namespace) -> int:
    for name in ("replicates", "samples", "seed"):
        check_option(f"--{name}", f"sweep.{name}", getattr(args, name))
    if args.workers is not None and not 1 <= args.workers <= MAX_WORKERS:
        raise InputError(f"{args.workers} is out of range (allowed: >= 1 and <= {MAX_WORKERS})", field="--workers")
    scenario = load_sweep_scenario(args.scenario)
    out = args.out or default_folder(f"sweep_{scenario.name}")
    check_out(out, overwrite=args.overwrite)
    started = time.perf_counter()
    result = run_sweep(
        scenario, seed=args.seed, replicates=args.replicates, samples=args.samples, workers=args.workers,
        scheduler=args.scheduler, progress=not args.quiet, source_text=args.scenario.read_text(encoding="utf-8"),
    )
    elapsed = time.perf_counter() - started
    spec = result.spec
    result.save(out, charts=not args.no_charts, overwrite=args.overwrite)
    print(f"{scenario.name}: {spec.design} sweep of {', '.join(result.parameters)}; {design_size(spec)} points x {spec.replicates} "
          f"replicates = {len(result.results)} runs, seed {result.manifest['seed']} ({elapsed:.1f} s)")
    table = result.indices
    for outcome in result.outcomes:
        rows = table[table.outcome == outcome]
        values = result.point_means()[outcome]
        if is_constant(values.to_numpy(dtype=float)):
            print(f"  {outcome}: did not vary across the points (always {values.iloc[0]:.4g}); no parameter moves it, and the indices are undefined")
            continue
        if spec.design == "sobol":
            rows = rows.sort_values("ST", ascending=False, kind="stable")
            cells = [f"{r.parameter} ST {r.ST:.2f}±{r.ST_conf:.2f} (S1 {r.S1:.2f}±{r.S1_conf:.2f})" for r in rows.itertuples()]
        elif spec.design == "morris":
            rows = rows.sort_values("mu_star", ascending=False, kind="stable")
            cells = [f"{r.parameter} mu* {r.mu_star:.3g}±{r.mu_star_conf:.3g}" for r in rows.itertuples()]
        else:
            spread = rows.groupby("parameter", sort=False)["mean"].agg(lambda s: s.max() - s.min())
            cells = [f"{p} moves the mean by {v:.3g}" for p, v in spread.sort_values(ascending=False).items()]
        print(f"  {outcome}: " + "; ".join(cells))
    kind = INDEX_FILES[spec.design]
    print(f"wrote {out}{numbered_note(out, args.out, f"sweep_{scenario.name}")} (design.csv, results.csv, {kind}.csv, {kind}.md{', charts/' if not args.no_charts else ''})")
    return 0
