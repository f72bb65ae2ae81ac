"""``alignsim world build``: write a world file from the packaged real data.

The builder lives in :mod:`alignsim.world.from_data`. A bad option raises :class:`alignsim.errors.InputError`
before anything is written (the CLI prints it and exits with 2).
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path
from typing import Any

from alignsim.world.from_data import build_world, write_world


def register(sub: Any) -> None:
    world = sub.add_parser("world", help="build world files from real data")
    verbs = world.add_subparsers(dest="world_command", required=True, metavar="ACTION")
    build = verbs.add_parser(
        "build",
        help="write a world file from UN votes, COW, ATOP, MIDs and rivalries",
        description=(
            "Build a world file from the real data shipped with alignsim: interests from UN General Assembly "
            "votes (six issue areas and the Bailey-Strezhnev-Voeten ideal point), CINC capability, ATOP "
            "alliances, and initial relations from X0, strategic rivalries, militarized disputes and shared "
            "IGOs. See docs/model.md section 10 and src/alignsim/data/real/README.md."
        ),
    )
    which = build.add_mutually_exclusive_group()
    which.add_argument("--states", nargs="+", metavar="CODE", help="ISO 3166-1 alpha-3 codes, e.g. PRK KOR CHN")
    which.add_argument("--region", help="a continent (Asia) or UN region (Eastern Asia)")
    which.add_argument("--all", action="store_true", help="every state with votes and capability data that year")
    build.add_argument("--year", type=int, required=True, help="the world's year (1946-2019); nothing later is read")
    build.add_argument("--window", type=int, default=5, help="years of votes to pool, ending at --year (default 5)")
    build.add_argument("--out", type=Path, required=True, help="world file to write (YAML)")
    build.add_argument("--name", help="the world's name (default real_<year>_<N>)")
    build.add_argument("--no-diplomatic", nargs="+", default=[], metavar="A-B",
                       help="pairs without diplomatic relations (the data have none; all pairs are assumed to have them)")
    build.add_argument("--min-relation", type=float, default=0.0,
                       help="omit initial relations smaller than this in magnitude (they start at 0); keeps large worlds small")
    build.set_defaults(func=cmd_build)


def cmd_build(args: argparse.Namespace) -> int:
    command = "alignsim " + " ".join(shlex.quote(a) for a in sys.argv[1:]) if sys.argv[1:2] == ["world"] else ""
    built = build_world(args.states, year=args.year, window=args.window, region=args.region, everyone=args.all,
                        no_diplomatic=args.no_diplomatic, name=args.name, min_relation=args.min_relation, command=command)
    write_world(built, args.out)
    n = len(built.world["states"])
    print(f"wrote {args.out}: {n} states, {len(built.world['relations'])} initial relations, "
          f"{len(built.world['ties']['alliance'])} alliance and {len(built.world['ties']['treaty'])} treaty ties")
    return 0
