"""``alignsim sweep``: run a scenario's ``sweep:`` block and write its sensitivity analysis."""

from __future__ import annotations

import argparse
import time

from alignsim.cli.common import MAX_WORKERS
from alignsim.cli.output import numbered_note
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
    table = result.indices
    for outcome in result.outcomes:
        rows = table[table.outcome == outcome]
        values = result.point_means()[outcome]
        if is_constant(values.to_numpy(dtype=float)):
            print(
                f"  {outcome}: did not vary across the points (always {values.iloc[0]:.4g}); no parameter moves it, and the indices are undefined"
            )
            continue
        if spec.design == "sobol":
            rows = rows.sort_values("ST", ascending=False, kind="stable")
            cells = [
                f"{r.parameter} ST {r.ST:.2f}±{r.ST_conf:.2f} (S1 {r.S1:.2f}±{r.S1_conf:.2f})"
                for r in rows.itertuples()
            ]
        elif spec.design == "morris":
            rows = rows.sort_values("mu_star", ascending=False, kind="stable")
            cells = [f"{r.parameter} mu* {r.mu_star:.3g}±{r.mu_star_conf:.3g}" for r in rows.itertuples()]
        else:
            spread = rows.groupby("parameter", sort=False)["mean"].agg(lambda s: s.max() - s.min())
            cells = [f"{p} moves the mean by {v:.3g}" for p, v in spread.sort_values(ascending=False).items()]
        print(f"  {outcome}: " + "; ".join(cells))
    kind = INDEX_FILES[spec.design]
    print(
        f"wrote {out}{numbered_note(out, args.out, f'sweep_{scenario.name}')} (design.csv, results.csv, "
        f"{kind}.csv, {kind}.md{', charts/' if not args.no_charts else ''})"
    )
    return 0
