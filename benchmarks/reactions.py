"""How often the article's reactions happen across an ensemble of the flagship scenario.

    python benchmarks/reactions.py [--replicates 100] [--seed 2024]

Prints, for each of the article's agent reactions, the share of replicates in which it happened,
and the most frequent agent reactions overall.
"""

from __future__ import annotations

import argparse

import alignsim

ARTICLE = [
    ("North Korea cools toward Cuba", "PRK", "CUB", "cool"),
    ("North Korea courts Mongolia", "PRK", "MNG", "court"),
    ("North Korea reaches Japan (talks)", "PRK", "JPN", "court"),
    ("South Korea counter-courts Mongolia", "KOR", "MNG", "counter_court"),
    ("Mongolia answers North Korea", "MNG", "PRK", "reciprocate"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    result = alignsim.run("scenarios/article_timeline_2024.yaml", replicates=args.replicates, seed=args.seed)
    agent = result.events[result.events.origin == "agent"]
    print(f"{args.replicates} replicates of the article timeline, seed {args.seed}")
    for label, source, target, rule in ARTICLE:
        hits = agent[(agent.source == source) & (agent.target == target) & (agent.rule == rule)]
        print(f"  {label:40} {hits.replicate.nunique() / args.replicates:6.0%}")
    top = agent.groupby(["source", "type", "target", "rule"]).replicate.nunique().sort_values(ascending=False)
    print("most frequent agent reactions (share of runs):")
    print((top.head(12) / args.replicates).to_string(float_format=lambda x: f"{x:.0%}"))


if __name__ == "__main__":
    main()
