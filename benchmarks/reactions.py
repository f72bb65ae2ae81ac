"""How often the article's reactions happen across an ensemble of a scenario (default: the flagship).

    python benchmarks/reactions.py [SCENARIO.yaml] [--replicates 100] [--seed 2024] [--set name=value ...]
    python benchmarks/reactions.py scenarios/article_timeline_2024_data.yaml --replicates 200
    python benchmarks/reactions.py --quick        # 4 replicates: a smoke run

The second line measures the data-built twin of the article world (docs/model.md section 11).

Prints, for each of the article's agent reactions, the share of replicates in which it happened,
and the most frequent agent reactions overall.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

import alignsim
from alignsim.errors import InputError

FLAGSHIP = Path(__file__).resolve().parent.parent / "scenarios" / "article_timeline_2024.yaml"

ARTICLE = [
    ("North Korea cools toward Cuba", "PRK", "CUB", "cool"),
    ("North Korea courts Mongolia", "PRK", "MNG", "court"),
    ("North Korea reaches Japan (talks)", "PRK", "JPN", "court"),
    ("South Korea counter-courts Mongolia", "KOR", "MNG", "counter_court"),
    ("Mongolia answers North Korea", "MNG", "PRK", "reciprocate"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "scenario",
        nargs="?",
        type=Path,
        default=FLAGSHIP,
        help="scenario file (default: the flagship article timeline)",
    )
    parser.add_argument("--replicates", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a parameter (YAML value), e.g. noise_z=0",
    )
    parser.add_argument("--quick", action="store_true", help="4 replicates: a smoke run")
    args = parser.parse_args()
    if args.quick:
        args.replicates = 4
    overrides = {k: yaml.safe_load(v) for k, v in (item.split("=", 1) for item in args.set)}
    try:
        result = alignsim.run(args.scenario, replicates=args.replicates, seed=args.seed, progress=False, **overrides)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)  # bad input, as the alignsim command
    if overrides:
        print("parameters set:", ", ".join(f"{k}={v}" for k, v in overrides.items()))
    agent = result.events[result.events.origin == "agent"]
    print(f"{args.replicates} replicates of {args.scenario.name}, seed {args.seed}")
    together = None
    for label, source, target, rule in ARTICLE:
        hits = agent[(agent.source == source) & (agent.target == target) & (agent.rule == rule)]
        runs = set(hits.replicate.unique())
        together = runs if together is None else together & runs
        print(f"  {label:40} {len(runs) / args.replicates:6.0%}")
    print(f"  {'all five in the same run':40} {len(together or ()) / args.replicates:6.0%}")
    top = agent.groupby(["source", "type", "target", "rule"]).replicate.nunique().sort_values(ascending=False)
    print("most frequent agent reactions (share of runs):")
    print((top.head(12) / args.replicates).to_string(float_format=lambda x: f"{x:.0%}"))


if __name__ == "__main__":
    main()
