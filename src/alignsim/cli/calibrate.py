"""``alignsim calibrate [--out DIR] [--seed N] [--quick]``: fit on 1950-1989, write a report and a parameter set.

The work lives in :mod:`alignsim.validation.calibrate`; the rules were declared in docs/validation.md before
the first run. Exit status 0, or 2 on bad options.
"""

from __future__ import annotations

import argparse
import time

from alignsim.errors import InputError
from alignsim.validation.calibrate import SET_NAME, calibrate, write_calibration


def cmd_calibrate(args: argparse.Namespace) -> int:
    if args.seed < 0:
        raise InputError("must be 0 or more", field="--seed")
    started = time.perf_counter()
    result = calibrate(seed=args.seed, quick=args.quick)
    write_calibration(result, args.out)
    p = result.params_set["params"]
    print(f"interest measure: {result.measure}; alpha = {result.fraction} x the tipping point")
    print("parameters: " + ", ".join(f"{k} {v:.4g}" for k, v in sorted(p.items())))
    print(
        f"wrote {args.out / 'report.md'} and {args.out / (SET_NAME + '.json')} ({time.perf_counter() - started:.0f} s)"
    )
    return 0
