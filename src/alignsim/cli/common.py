"""Checks and messages that several commands share; light imports only (validate uses them too)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from alignsim.config.scenario import check_option
from alignsim.errors import InputError

MAX_WORKERS = 1024  # more processes than any machine runs usefully; a typo like 10000 would fork-bomb


def check_ensemble_options(args: argparse.Namespace) -> None:
    """The options' values, with the messages a scenario file's ``seed:`` and ``replicates:`` get."""
    check_option("--replicates", "replicates", args.replicates)
    check_option("--seed", "seed", args.seed)
    if args.workers is not None and not 1 <= args.workers <= MAX_WORKERS:
        raise InputError(f"{args.workers} is out of range (allowed: >= 1 and <= {MAX_WORKERS})", field="--workers")
    if args.show_runs < 0:
        raise InputError("must be 0 or more", field="--show-runs")


def print_warnings(warnings: Sequence[str]) -> None:
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
