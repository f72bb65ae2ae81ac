"""``alignsim hindcast [--out DIR]``: the thesis "only interests endure" against seventy years of
alliances, rivalries, disputes and UN votes (docs/validation.md, "The thesis against history").

The analyses and the report live in :mod:`alignsim.validation.hindcast`. Exit status: 0 when every
row passes its declared threshold, 1 when one fails (the report is written either way, as with
``alignsim check``), 2 on bad options.
"""

from __future__ import annotations

import argparse
import time

from alignsim.errors import InputError
from alignsim.validation.hindcast import Settings, run_hindcast

EXIT_ROW_FAILED = 1


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
    started = time.perf_counter()
    settings = Settings(
        seed=args.seed,
        null_samples=args.null_samples,
        resamples=args.resamples,
        replicates=args.replicates,
        states=args.states,
        workers=args.workers,
    )
    sections = run_hindcast(args.out, settings, progress=not args.quiet)
    rows = [r for s in sections for r in s.rows]
    for r in rows:
        print(f"{'pass' if r.passed else 'FAIL'}  {r.name:<75} {r.error or r.shown():<26} threshold {r.threshold}")
    print(f"{sum(r.passed for r in rows)} of {len(rows)} rows pass ({time.perf_counter() - started:.0f} s)")
    print(f"wrote {args.out / 'report.md'} and {args.out / 'report.html'}")
    return 0 if all(r.passed for r in rows) else EXIT_ROW_FAILED
