"""``alignsim hindcast [--out DIR]``: the thesis "only interests endure" against seventy years of
alliances, rivalries, disputes and UN votes (docs/validation.md, "The thesis against history").

The analyses and the report live in :mod:`alignsim.validation.hindcast`. Exit status: 0 when every
row passes its declared threshold, 1 when one fails (the report is written either way, as with
``alignsim check``), 2 on bad options.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

from alignsim.errors import InputError
from alignsim.validation.hindcast import Settings, run_hindcast

EXIT_ROW_FAILED = 1
#: ``--quick``: one start year, one horizon, one run, few resamples -- checks the machinery (CI), proves nothing.
QUICK = {
    "null_samples": 2,
    "resamples": 100,
    "first_year": 1980,
    "last_year": 1984,
    "test_years": (1990,),
    "train_years": (1980,),
    "horizons": (5,),
    "runs": 1,
    "dynamics_resamples": 50,
}


def cmd_hindcast(args: argparse.Namespace) -> int:
    if args.seed < 0:
        raise InputError("must be 0 or more", field="--seed")
    for name, value, least in (
        ("--null-samples", args.null_samples, 2),
        ("--resamples", args.resamples, 100),
        ("--replicates", args.replicates, 1),
        ("--states", args.states, 3),
        ("--workers", 1 if args.workers is None else args.workers, 1),
    ):
        if value < least:
            raise InputError(f"must be {least} or more", field=name)
    for year in args.years or ():
        if not 1951 <= year <= 2017:
            raise InputError(f"start year {year} is outside 1951-2017 (outcomes need t + h <= 2018)", field="--years")
    for h in args.horizon or ():
        if not 1 <= h <= 20:
            raise InputError(f"horizon {h} is not 1 to 20 years", field="--horizon")
    started = time.perf_counter()
    settings = Settings(
        seed=args.seed,
        null_samples=args.null_samples,
        resamples=args.resamples,
        replicates=args.replicates,
        states=args.states,
        workers=args.workers,
    )
    if args.quick:
        settings = replace(settings, **QUICK)
    if args.years:
        settings = replace(settings, test_years=tuple(args.years))
    if args.horizon:
        settings = replace(settings, horizons=tuple(args.horizon))
    sections = run_hindcast(args.out, settings, progress=not args.quiet)
    rows = [r for s in sections for r in s.rows]
    for r in rows:
        print(f"{'pass' if r.passed else 'FAIL'}  {r.name:<75} {r.error or r.shown():<26} threshold {r.threshold}")
    print(f"{sum(r.passed for r in rows)} of {len(rows)} rows pass ({time.perf_counter() - started:.0f} s)")
    print(f"wrote {args.out / 'report.md'} and {args.out / 'report.html'}")
    return 0 if all(r.passed for r in rows) else EXIT_ROW_FAILED
