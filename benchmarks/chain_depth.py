"""The deepest chain of answers (events.csv ``depth``) over an ensemble of a scenario (issue 20: at most 2).

python benchmarks/chain_depth.py scenarios/middle_east_2022_2025.yaml --replicates 100
"""

from __future__ import annotations

import argparse
from pathlib import Path

import alignsim


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", type=Path, nargs="?", default=Path("scenarios/middle_east_2022_2025.yaml"))
    parser.add_argument("--replicates", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--quick", action="store_true", help="3 replicates (a smoke test, run by CI)")
    args = parser.parse_args()
    if args.quick:
        args.replicates = 3
    result = alignsim.run(args.scenario, replicates=args.replicates, seed=args.seed, progress=False, workers=1)
    agent = result.events[result.events.origin == "agent"]
    counts = agent.depth.value_counts().sort_index()
    print(f"{args.replicates} replicates of {args.scenario.name}, seed {args.seed}")
    print(f"  deepest chain: {int(result.events.depth.max())}")
    print("  agent acts by depth: " + ", ".join(f"{d}: {n}" for d, n in counts.items()))


if __name__ == "__main__":
    main()
