"""The arguments of every ``alignsim`` command, and nothing else: this module imports only the
standard library, so that ``alignsim --help`` (and parsing any command line) costs no more than
argparse. What a command does lives in its own module, imported once it is chosen (cli/main.py).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alignsim.errors import InputError


def add_run(sub: Any) -> argparse.ArgumentParser:
    run = sub.add_parser("run", help="run a scenario and write a run folder")
    run.add_argument("scenario", type=Path)
    run.add_argument("--out", type=Path, help="run folder (default: runs/<scenario name>, numbered if taken)")
    run.add_argument("--seed", type=int, help="override the scenario's seed")
    run.add_argument("--overwrite", action="store_true", help="replace an existing --out folder")
    run.add_argument("--no-charts", action="store_true", help="skip the PNG charts")
    add_ensemble_options(run)
    run.add_argument("--stream", action=argparse.BooleanOptionalAction, default=None,
                     help="write the ensemble to Parquet parts as it runs, never holding it whole (default: from 2,000 replicates, when pyarrow is installed)")
    return run


def add_validate(sub: Any) -> argparse.ArgumentParser:
    validate = sub.add_parser("validate", help="check scenario files without running them")
    validate.add_argument("scenarios", type=Path, nargs="+")
    return validate


def add_shocks(sub: Any) -> argparse.ArgumentParser:
    shocks = sub.add_parser("shocks", help="list the event types, their fields and Goldstein values")
    shocks.add_argument("--markdown", action="store_true", help="print a Markdown table")
    return shocks


def add_new(sub: Any) -> argparse.ArgumentParser:
    new = sub.add_parser("new", help="write a commented starter scenario")
    new.add_argument("name", help="scenario name; writes NAME.yaml")
    new.add_argument("--dir", type=Path, default=Path("."), help="folder to write into")
    return new


def add_check(sub: Any) -> argparse.ArgumentParser:
    cmd = sub.add_parser(
        "check",
        help="check the model against published results; writes report.md, report.html and plots",
        description=(
            "Recompute every published number alignsim is validated against (Signorino & Ritter 1999; "
            "Antal, Krapivsky & Redner 2006; Marvel et al. 2011; Morrison, Kutz & Gabbay 2023; hand-checked "
            "Axelrod & Bennett 1993 landscapes) and write a report with one plot per source. "
            "Exits with 1 when a case fails. See docs/validation.md."
        ),
    )
    cmd.add_argument("--out", type=Path, default=Path("check-report"),
                     help="report folder (default: check-report/); an earlier report there is replaced")
    return cmd


def add_compare(sub: Any) -> argparse.ArgumentParser:
    cmp = sub.add_parser(
        "compare",
        help="run scenarios as ensembles with the same seeds and write a comparison folder",
        description=(
            "Run every scenario as an ensemble in which replicate k of every scenario uses the same seed, "
            "align them by date and write a comparison folder: per tracked pair each scenario's band and the "
            "difference from the first scenario; outcome tables (CSV and Markdown); how often each agent "
            "reaction happened; the blocs of each scenario."
        ),
    )
    cmp.add_argument("scenarios", type=Path, nargs="+", metavar="SCENARIO", help="two or more scenario files; the first is the reference")
    cmp.add_argument("--out", type=Path, help="comparison folder (default: runs/compare_<names>, numbered if taken)")
    cmp.add_argument("--seed", type=int, help="seed of every scenario's ensemble (default: the first scenario's)")
    cmp.add_argument("--at", action="append", default=[], metavar="DATE", help="also report outcomes in this month (YYYY-MM or YYYY-MM-DD); repeatable")
    cmp.add_argument("--overwrite", action="store_true", help="replace an existing --out folder")
    cmp.add_argument("--no-charts", action="store_true", help="skip the PNG charts")
    cmp.add_argument("--no-runs", action="store_true", help="do not keep each scenario's run folder in runs/")
    add_ensemble_options(cmp, default_replicates="the largest 'replicates' among the scenarios, else 100")
    return cmp


def add_landscape(sub: Any) -> argparse.ArgumentParser:
    cmd = sub.add_parser(
        "landscape",
        help="local minima of an Axelrod-Bennett landscape file",
        description=(
            "Split the actors of a landscape file (sizes, symmetric propensities) into two sides and "
            "list every local minimum of the energy with its basin of attraction and each actor's "
            "frustration (Axelrod & Bennett 1993). Exact up to --exact-limit actors; above, the "
            "minima reached by --starts random descents."
        ),
    )
    cmd.add_argument("file", metavar="FILE.yaml", help="landscape file: actors (name, size), propensity, optional offset")
    cmd.add_argument("--json", action="store_true", help='print {"minima": [...], "global_minimum": {...}} as JSON')
    cmd.add_argument("--exact-limit", type=int, default=20, help="enumerate every configuration up to this many actors (default 20, at most 30)")
    cmd.add_argument("--starts", type=int, default=2000, help="random descents above --exact-limit (default 2000)")
    cmd.add_argument("--seed", type=int, default=0, help="seed of the random descents above --exact-limit (default 0)")
    return cmd


def add_sweep(sub: Any) -> argparse.ArgumentParser:
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
    return sweep


#: Every command in the order ``--help`` lists them, with the function that adds its arguments.
ARGUMENTS: dict[str, Callable[[Any], argparse.ArgumentParser]] = {
    "run": add_run, "validate": add_validate, "shocks": add_shocks, "new": add_new,
    "check": add_check, "compare": add_compare, "landscape": add_landscape, "sweep": add_sweep,
}


def add_ensemble_options(parser: argparse.ArgumentParser, *, default_replicates: str = "the scenario's 'replicates', else 1") -> None:
    """Options shared by the commands that run ensembles (run, compare)."""
    parser.add_argument("--replicates", type=int, metavar="N", help=f"run N replicates with seeds spawned from the run's seed (default: {default_replicates})")
    parser.add_argument("--workers", type=int, metavar="N", help="processes that run replicates in parallel (default: all cores; 1: no subprocesses)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--show-runs", type=int, nargs="?", const=30, default=0, metavar="N", help="draw N individual runs (default 30) over the bands of the ensemble charts")
    parser.add_argument("--parquet", action=argparse.BooleanOptionalAction, default=None, help="also write the tables as Parquet (default: for ensembles, when pyarrow is installed)")
    parser.add_argument("--scheduler", metavar="ADDRESS", help="run the replicates on the Dask cluster at tcp://HOST:PORT (default: $ALIGNSIM_SCHEDULER; unset: local processes)")


def check_ensemble_options(args: argparse.Namespace) -> None:
    """The ensemble options' values: counts of 1 or more, seeds and --show-runs of 0 or more."""
    for name in ("replicates", "workers"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise InputError("must be 1 or more", field=f"--{name}")
    if args.show_runs < 0:
        raise InputError("must be 0 or more", field="--show-runs")
    if args.seed is not None and args.seed < 0:
        raise InputError("must be 0 or more", field="--seed")
