"""``alignsim hindcast [--out DIR]``: the thesis "only interests endure" against seventy years of
alliances, rivalries, disputes and UN votes (docs/validation.md, "The thesis against history").

The analyses and the report live in :mod:`alignsim.validation.hindcast`. Exit status: 0 when every
row passes its declared threshold, 1 when one fails (the report is written either way, as with
``alignsim check``), 2 on bad options.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from alignsim.errors import InputError
from alignsim.validation.hindcast import Settings, run_hindcast

EXIT_ROW_FAILED = 1


def register(sub: Any) -> None:
    cmd = sub.add_parser(
        "hindcast",
        help="test the thesis against history (alliances, rivalries, disputes, UN votes); writes a report folder",
        description=(
            "Do alliances of states whose UN votes diverge end sooner (Cox models)? Are real signed networks more balanced "
            "than chance, and do imbalanced triads change sooner? Do ties out of line with interests end sooner? "
            "Writes report.md, report.html, charts/*.png and tables/*.csv. Exits with 1 when a row fails its threshold "
            "declared in docs/validation.md."
        ),
    )
    cmd.add_argument("--out", type=Path, default=Path("hindcast-report"), help="report folder (default: hindcast-report/); an earlier report there is replaced")
    cmd.add_argument("--seed", type=int, default=0, help="seed of the null networks and the bootstrap (default 0)")
    cmd.add_argument("--null-samples", type=int, default=Settings.null_samples, metavar="N", help=f"randomised networks per year (default {Settings.null_samples})")
    cmd.add_argument("--resamples", type=int, default=Settings.resamples, metavar="N", help=f"bootstrap samples (default {Settings.resamples})")
    cmd.add_argument("--quiet", action="store_true", help="no progress bar")
    cmd.set_defaults(func=cmd_hindcast)


def cmd_hindcast(args: argparse.Namespace) -> int:
    if args.seed < 0:
        raise InputError("must be 0 or more", field="--seed")
    for name, value, least in (("--null-samples", args.null_samples, 2), ("--resamples", args.resamples, 100)):
        if value < least:
            raise InputError(f"must be {least} or more", field=name)
    started = time.perf_counter()
    settings = Settings(seed=args.seed, null_samples=args.null_samples, resamples=args.resamples)
    sections = run_hindcast(args.out, settings, progress=not args.quiet)
    rows = [r for s in sections for r in s.rows]
    for r in rows:
        print(f"{'pass' if r.passed else 'FAIL'}  {r.name:<75} {r.error or r.shown():<26} threshold {r.threshold}")
    print(f"{sum(r.passed for r in rows)} of {len(rows)} rows pass ({time.perf_counter() - started:.0f} s)")
    print(f"wrote {args.out / 'report.md'} and {args.out / 'report.html'}")
    return 0 if all(r.passed for r in rows) else EXIT_ROW_FAILED
