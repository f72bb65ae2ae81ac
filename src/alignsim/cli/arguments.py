"""The arguments of every ``alignsim`` command, and nothing else: this module imports only the
standard library, so that ``alignsim --help`` (and parsing any command line) costs no more than
argparse. What a command does lives in its own module, imported once it is chosen (cli/main.py).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alignsim.dashboard.launch import DEFAULT_HOST, DEFAULT_PORT

ACCEPT_COST_HELP = (
    "run a request estimated at more than 10 minutes or 1 GB of memory (refused otherwise, with the estimate)"
)


def add_run(sub: Any) -> argparse.ArgumentParser:
    run = sub.add_parser("run", help="run a scenario and write a run folder")
    run.add_argument("scenario", type=Path)
    run.add_argument("--out", type=Path, help="run folder (default: runs/<scenario name>, numbered if taken)")
    run.add_argument("--seed", type=int, help="override the scenario's seed")
    run.add_argument("--overwrite", action="store_true", help="replace an existing --out folder")
    run.add_argument("--no-charts", action="store_true", help="skip the PNG charts")
    run.add_argument(
        "--csv",
        action="store_true",
        default=None,
        help="write relations.csv even for a large world (default: CSV up to 500,000 rows per replicate, beyond that relations.parquet only)",
    )
    add_ensemble_options(run)
    run.add_argument(
        "--stream",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="write the ensemble to Parquet parts as it runs, never holding it whole (default: from 2,000 replicates, when pyarrow is installed)",
    )
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
    new.add_argument(
        "--world",
        type=Path,
        help="start from this world file (as `alignsim world build` writes): its states, a start after its year, pairs to track",
    )
    return new


def add_check(sub: Any) -> argparse.ArgumentParser:
    cmd = sub.add_parser(
        "check",
        help="check the model against published results; writes report.md, report.html and plots",
        description=(
            "Recompute every published number alignsim is validated against (Signorino & Ritter 1999; "
            "Antal, Krapivsky & Redner 2006; Marvel et al. 2011; Morrison, Kutz & Gabbay 2023; hand-checked "
            "Axelrod & Bennett 1993 landscapes; UN-vote interests against ATOP alliances and strategic rivalries) "
            "and write a report with one plot per source. "
            "Exits with 1 when a case fails. See docs/validation.md."
        ),
    )
    cmd.add_argument(
        "--out",
        type=Path,
        default=Path("check-report"),
        help="report folder (default: check-report/); an earlier report there is replaced",
    )
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
    cmp.add_argument(
        "scenarios",
        type=Path,
        nargs="+",
        metavar="SCENARIO",
        help="two or more scenario files; the first is the reference",
    )
    cmp.add_argument("--out", type=Path, help="comparison folder (default: runs/compare_<names>, numbered if taken)")
    cmp.add_argument("--seed", type=int, help="seed of every scenario's ensemble (default: the first scenario's)")
    cmp.add_argument(
        "--at",
        action="append",
        default=[],
        metavar="DATE",
        help="also report outcomes in this month (YYYY-MM or YYYY-MM-DD); repeatable",
    )
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
    cmd.add_argument(
        "file", metavar="FILE.yaml", help="landscape file: actors (name, size), propensity, optional offset"
    )
    cmd.add_argument("--json", action="store_true", help='print {"minima": [...], "global_minimum": {...}} as JSON')
    cmd.add_argument(
        "--exact-limit",
        type=int,
        default=20,
        help="enumerate every configuration up to this many actors (default 20, at most 30)",
    )
    cmd.add_argument("--starts", type=int, default=2000, help="random descents above --exact-limit (default 2000)")
    cmd.add_argument("--seed", type=int, default=0, help="seed of the random descents above --exact-limit (default 0)")
    cmd.add_argument("--accept-cost", action="store_true", help=ACCEPT_COST_HELP)
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
    sweep.add_argument(
        "--seed", type=int, help="seed of the design and the replicates (default: the block's, else the scenario's)"
    )
    sweep.add_argument("--replicates", type=int, metavar="N", help="runs per point (default: the block's)")
    sweep.add_argument(
        "--samples",
        type=int,
        metavar="N",
        help="sobol: base samples (a power of 2); morris: trajectories (default: the block's)",
    )
    sweep.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="processes that run the points (default: all cores; 1: no subprocesses)",
    )
    sweep.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on the Dask cluster at tcp://HOST:PORT (default: $ALIGNSIM_SCHEDULER; unset: local processes)",
    )
    sweep.add_argument("--overwrite", action="store_true", help="replace an existing --out folder")
    sweep.add_argument("--accept-cost", action="store_true", help=ACCEPT_COST_HELP)
    sweep.add_argument("--no-charts", action="store_true", help="skip the PNG charts")
    sweep.add_argument("--quiet", action="store_true", help="no progress bar")
    return sweep


def add_world(sub: Any) -> argparse.ArgumentParser:
    world = sub.add_parser("world", help="build world files from real data")
    verbs = world.add_subparsers(dest="world_command", required=True, metavar="ACTION")
    build = verbs.add_parser(
        "build",
        help="write a world file from UN votes, COW, ATOP, MIDs and rivalries",
        description=(
            "Build a world file from the real data shipped with alignsim: interests from UN General Assembly "
            "votes (six issue areas and the Bailey-Strezhnev-Voeten ideal point), CINC capability, ATOP "
            "alliances, strategic rivalries as rivalry ties, and initial relations from X0, militarized disputes "
            "and shared IGOs. See docs/model.md section 10 and src/alignsim/data/real/README.md."
        ),
    )
    which = build.add_mutually_exclusive_group()
    which.add_argument("--states", nargs="+", metavar="CODE", help="ISO 3166-1 alpha-3 codes, e.g. PRK KOR CHN")
    which.add_argument("--region", help="a continent (Asia) or UN region (Eastern Asia)")
    which.add_argument("--all", action="store_true", help="every state with votes and capability data that year")
    build.add_argument("--year", type=int, required=True, help="the world's year (1946-2019); nothing later is read")
    build.add_argument("--window", type=int, default=5, help="years of votes to pool, ending at --year (default 5)")
    build.add_argument("--out", type=Path, required=True, help="the world file to write (written whole or not at all)")
    build.add_argument("--overwrite", action="store_true", help="replace an existing world file (only a regular file)")
    build.add_argument("--name", help="the world's name (default real_<year>_<N>)")
    build.add_argument(
        "--no-diplomatic",
        nargs="+",
        default=[],
        metavar="A-B",
        help="pairs without diplomatic relations (the data have none; all pairs are assumed to have them)",
    )
    build.add_argument(
        "--interest-measure",
        choices=("kappa", "pi", "kappa_issues", "ideal", "issue_mean"),
        help="pair interest similarity (default: the calibrated set's, kappa; docs/validation.md C1)",
    )
    build.add_argument(
        "--params-set",
        default="default",
        help="calibrated parameter set the world's X0 terms are built for (default: history_1950_1989 when shipped; 'none': the defaults)",
    )
    build.add_argument(
        "--min-relation",
        type=float,
        default=0.0,
        help="omit initial relations smaller than this in magnitude (they start at 0); keeps large worlds small",
    )
    return world


def add_dashboard(sub: Any) -> argparse.ArgumentParser:
    p = sub.add_parser("dashboard", help="start the classroom dashboard, a local web app (needs the 'dashboard' extra)")
    p.add_argument(
        "scenario", type=Path, nargs="?", help="scenario to open first (default: the shipped article timeline)"
    )
    p.add_argument(
        "--host", default=DEFAULT_HOST, help=f"address to serve on (default {DEFAULT_HOST}: this machine only)"
    )
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    return p


#: Defaults of ``alignsim hindcast``'s sizes, as in validation.hindcast.Settings (a test keeps them equal;
#: this module cannot import that one without the weight of pandas and lifelines).
HINDCAST_DEFAULTS = {"null_samples": 20, "resamples": 2000, "replicates": 20, "states": 40}


def add_hindcast(sub: Any) -> argparse.ArgumentParser:
    cmd = sub.add_parser(
        "hindcast",
        help="test the thesis against history (alliances, rivalries, disputes, UN votes); writes a report folder",
        description=(
            "Do alliances of states whose UN votes diverge end sooner (Cox models)? Are real signed networks more balanced "
            "than chance, and do imbalanced triads change sooner? Do ties out of line with interests end sooner? "
            "Does the model, run from worlds built for 1990, 2000 and 2010, predict the ties of five and ten years later "
            "better than persistence and than X0 alone? "
            "Writes report.md, report.html, charts/*.png and tables/*.csv. Exits with 1 when a row fails its threshold "
            "declared in docs/validation.md."
        ),
    )
    d = HINDCAST_DEFAULTS
    cmd.add_argument(
        "--out",
        type=Path,
        default=Path("hindcast-report"),
        help="report folder (default: hindcast-report/); an earlier report there is replaced",
    )
    cmd.add_argument("--seed", type=int, default=0, help="seed of the null networks and the bootstrap (default 0)")
    cmd.add_argument(
        "--null-samples",
        type=int,
        default=d["null_samples"],
        metavar="N",
        help=f"randomised networks per year (default {d['null_samples']})",
    )
    cmd.add_argument(
        "--resamples",
        type=int,
        default=d["resamples"],
        metavar="N",
        help=f"bootstrap samples (default {d['resamples']})",
    )
    cmd.add_argument(
        "--replicates",
        type=int,
        default=d["replicates"],
        metavar="N",
        help=f"runs of the model per start year in the model's hindcast (default {d['replicates']})",
    )
    cmd.add_argument(
        "--states",
        type=int,
        default=d["states"],
        metavar="N",
        help=f"the N most capable states of each start year's world in the model's hindcast (default {d['states']})",
    )
    cmd.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="processes for the model's ensembles (default: all cores; the results do not depend on it)",
    )
    cmd.add_argument(
        "--years",
        type=int,
        nargs="+",
        metavar="Y",
        help="start years of the all-state hindcast (default 1990 1995 2000 2005 2008 2010 2013; each scored where t + h <= 2018)",
    )
    cmd.add_argument("--horizon", type=int, nargs="+", metavar="H", help="years ahead to forecast (default 5 10)")
    cmd.add_argument(
        "--quick", action="store_true", help="a reduced run (few years and runs) that checks the machinery, as CI does"
    )
    cmd.add_argument("--quiet", action="store_true", help="no progress bar")
    return cmd


def add_calibrate(sub: Any) -> argparse.ArgumentParser:
    cmd = sub.add_parser(
        "calibrate",
        help="fit the interest measure, X0 weights and time scales on 1950-1989; writes a report and a parameter set",
        description=(
            "Choose the interest measure, fit the X0 weights (least squares of tie status on lagged features) and the "
            "time scales (vote persistence, dispute recurrence, balance as a fraction of the tipping point) on 1950-1989 "
            "only, as declared in docs/validation.md. Writes report.md, tables/*.csv and history_1950_1989.json, the "
            "parameter set a scenario names with 'params_set: history_1950_1989'."
        ),
    )
    cmd.add_argument("--out", type=Path, default=Path("calibration"), help="report folder (default: calibration/)")
    cmd.add_argument("--seed", type=int, default=0, help="seed of the bootstrap and the model runs (default 0)")
    cmd.add_argument("--quick", action="store_true", help="a reduced run for CI (its numbers are not the shipped set)")
    return cmd


def add_verify(sub: Any) -> argparse.ArgumentParser:
    cmd = sub.add_parser(
        "verify",
        help="check run, comparison and sweep folders for missing, truncated or changed files",
        description="Recompute the size and sha256 of every file a folder's manifest.json records and "
        "report the first that is missing or differs. A folder written before checksums "
        "existed is read back whole instead.",
    )
    cmd.add_argument("folders", type=Path, nargs="+")
    return cmd


#: Every command in the order ``--help`` lists them, with the function that adds its arguments.
ARGUMENTS: dict[str, Callable[[Any], argparse.ArgumentParser]] = {
    "run": add_run,
    "validate": add_validate,
    "shocks": add_shocks,
    "new": add_new,
    "check": add_check,
    "compare": add_compare,
    "landscape": add_landscape,
    "sweep": add_sweep,
    "world": add_world,
    "hindcast": add_hindcast,
    "calibrate": add_calibrate,
    "verify": add_verify,
    "dashboard": add_dashboard,
}


def add_ensemble_options(
    parser: argparse.ArgumentParser, *, default_replicates: str = "the scenario's 'replicates', else 1"
) -> None:
    """Options shared by the commands that run ensembles (run, compare)."""
    parser.add_argument(
        "--replicates",
        type=int,
        metavar="N",
        help=f"run N replicates with seeds spawned from the run's seed (default: {default_replicates})",
    )
    parser.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="processes that run replicates in parallel (default: all cores; 1: no subprocesses)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument(
        "--show-runs",
        type=int,
        nargs="?",
        const=30,
        default=0,
        metavar="N",
        help="draw N individual runs (default 30) over the bands of the ensemble charts",
    )
    parser.add_argument(
        "--parquet",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="also write the tables as Parquet (default: for ensembles, when pyarrow is installed)",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run the replicates on the Dask cluster at tcp://HOST:PORT (default: $ALIGNSIM_SCHEDULER; unset: local processes)",
    )
