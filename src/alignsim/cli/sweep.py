"""``alignsim sweep``: run a scenario's ``sweep:`` block and write its sensitivity analysis."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from alignsim.cli.output import output_folder
from alignsim.errors import InputError
from alignsim.experiments.sweep import INDEX_FILES, design_size, load_sweep_scenario, run_sweep


def cmd_sweep(args: argparse.Namespace) -> int:
    for name in ("replicates", "workers", "samples"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise InputError("must be 1 or more", field=f"--{name}")
    if args.seed is not None and args.seed < 0:
        raise InputError("must be 0 or more", field="--seed")
    scenario = load_sweep_scenario(args.scenario)
    out = output_folder(args.out, Path("runs") / f"sweep_{scenario.name}", overwrite=args.overwrite)
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
    print(f"wrote {out} (design.csv, results.csv, {kind}.csv, {kind}.md{', charts/' if not args.no_charts else ''})")
    return 0
