"""``alignsim world build``: write a world file from the packaged real data.

The builder lives in :mod:`alignsim.world.from_data`. A bad option raises :class:`alignsim.errors.InputError`
before anything is written (the CLI prints it and exits with 2).
"""

from __future__ import annotations

import argparse
import shlex
import sys

from alignsim.world.from_data import build_world, check_world_out, write_world


def cmd_build(args: argparse.Namespace) -> int:
    command = "alignsim " + " ".join(shlex.quote(a) for a in sys.argv[1:]) if sys.argv[1:2] == ["world"] else ""
    check_world_out(args.out, overwrite=args.overwrite)  # before the work: a bad --out fails at once
    built = build_world(
        args.states,
        year=args.year,
        window=args.window,
        region=args.region,
        everyone=args.all,
        no_diplomatic=args.no_diplomatic,
        name=args.name,
        min_relation=args.min_relation,
        command=command,
        interest_measure=args.interest_measure,
        params_set_name=None if args.params_set == "none" else args.params_set,
    )
    write_world(built, args.out, overwrite=args.overwrite)
    for warning in built.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if built.summary:
        print(built.summary)
    n = len(built.world["states"])
    print(
        f"wrote {args.out}: {n} states, {len(built.world['relations'])} initial relations, "
        f"{len(built.world['ties']['alliance'])} alliance and {len(built.world['ties']['treaty'])} treaty ties"
    )
    return 0
