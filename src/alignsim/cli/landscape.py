"""``alignsim landscape FILE.yaml [--json]``: the local minima of an Axelrod-Bennett landscape.

The file format is described in :func:`alignsim.measures.landscape.load_landscape_file` (an example is
``examples/landscape_example.yaml``). A bad file raises :class:`alignsim.errors.InputError`, which
the CLI prints and turns into exit status 2.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

import numpy as np

from alignsim.cli.cost import check_cost, landscape_cost
from alignsim.config.landscape_file import landscape_report, load_landscape_file
from alignsim.errors import InputError

MAX_DESCENT_CELLS = 20_000_000  # starts x actors: the descents advance in lockstep, ~10 float64 arrays of that size


def cmd_landscape(args: argparse.Namespace) -> int:
    if not 1 <= args.exact_limit <= 30:
        raise InputError("must be between 1 and 30 (2^(N-1) configurations are enumerated)", field="--exact-limit")
    if args.starts < 1:
        raise InputError("must be 1 or more", field="--starts")
    if args.seed < 0:
        raise InputError("must be 0 or more", field="--seed")
    problem = load_landscape_file(args.file)
    n = len(problem.names)
    if n <= args.exact_limit:
        seconds, memory = landscape_cost(n)
        what = f"enumerating the 2^{n - 1} = {2 ** (n - 1):,} configurations of {n} actors (--exact-limit {args.exact_limit})"
        check_cost(what, seconds, memory, accepted=args.accept_cost, field="--exact-limit")
    if n > args.exact_limit and args.starts * n > MAX_DESCENT_CELLS:
        raise InputError(
            f"{args.starts:,} descents of {n} actors would hold {args.starts * n:,} sides in memory at once; "
            f"at most {MAX_DESCENT_CELLS:,} (here --starts up to {MAX_DESCENT_CELLS // n:,})",
            field="--starts",
        )
    report = landscape_report(
        problem, np.random.default_rng(args.seed), exact_limit=args.exact_limit, starts=args.starts
    )
    if args.json:
        print(json.dumps(report, indent=2, allow_nan=False))
    else:
        exact = len(problem.names) <= args.exact_limit
        print(format_report(report, problem.names, exact=exact, starts=args.starts, seed=args.seed))
    return 0


def format_report(report: dict[str, Any], names: tuple[str, ...], *, exact: bool, starts: int, seed: int) -> str:
    """The minima as a plain-text table: one row per minimum, then each actor's frustration."""
    minima = report["minima"]
    how = (
        "exact: every configuration enumerated"
        if exact
        else f"heuristic: {starts} random descents, seed {seed}; the global minimum may be missed"
    )
    lines = [f"{len(minima)} local minim{'um' if len(minima) == 1 else 'a'} of {len(names)} actors ({how})", ""]
    width = max(len("side A"), *(len(", ".join(m["sides"][0])) for m in minima))
    lines.append(f"{'#':>3}  {'energy':>12}  {'basin':>7}  {'side A':<{width}}  side B")
    for k, m in enumerate(minima, start=1):
        side_a, side_b = (", ".join(side) or "-" for side in m["sides"])
        lines.append(f"{k:>3}  {m['energy']:>12.6g}  {m['basin']:>7.1%}  {side_a:<{width}}  {side_b}")
    lines += ["", "frustration F_i = sum_j s_j p_ij d_ij of each actor at each minimum (lower = more content):"]
    name_width = max(len("actor"), *(len(n) for n in names))
    lines.append(f"{'actor':<{name_width}}  " + "  ".join(f"{'#' + str(k):>10}" for k in range(1, len(minima) + 1)))
    for name in names:
        lines.append(f"{name:<{name_width}}  " + "  ".join(f"{m['frustration'][name]:>10.4g}" for m in minima))
    g = report["global_minimum"]
    lines += [
        "",
        f"global minimum: {{{', '.join(g['sides'][0])}}} vs {{{', '.join(g['sides'][1]) or '-'}}}, energy {g['energy']:.6g}",
    ]
    return "\n".join(lines)
