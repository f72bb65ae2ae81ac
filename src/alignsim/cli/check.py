"""``alignsim check [--out DIR]``: run every validation case against its published value.

The cases, the figures and the report live in :mod:`alignsim.validation.check`. Exit status: 0 when
every case passes, 1 when one fails (the report is written either way), 2 on a bad ``--out``.
"""

from __future__ import annotations

import argparse

from alignsim.validation.check import format_value, run_check

EXIT_CASE_FAILED = 1


def cmd_check(args: argparse.Namespace) -> int:
    report = run_check(args.out)
    for o in report.outcomes:
        mark = "pass" if o.passed else "FAIL"
        ours = o.error or format_value(o.ours)
        print(f"{mark}  {o.case.key:<22} published {o.case.shown():<28} ours {ours}")
    for group, error in report.figure_errors.items():
        print(f"FAIL  figure of {group}: {error}")
    n, bad = len(report.outcomes), len(report.failed)
    print(
        f"{n - bad} of {n} cases pass"
        + ("" if not report.figure_errors else f"; {len(report.figure_errors)} figure(s) failed")
    )
    print(f"wrote {args.out / 'report.md'} and {args.out / 'report.html'}")
    return 0 if report.passed else EXIT_CASE_FAILED
