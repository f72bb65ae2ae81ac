"""How often the Middle-East scenario's reactions happen, and whether the Saudi-Iranian enmity holds.

    python benchmarks/middle_east.py [--replicates 200] [--seed 2022]
    python benchmarks/middle_east.py --quick      # 4 replicates: a smoke run

Prints the share of replicates with each agent reaction (source, type, target, rule), and for the
scenario without the Beijing deal, with and without the rivalry tie and the memory of hostility,
the share of runs in which Saudi Arabia's or Iran's regard of the other turns positive within 36 months.
"""

from __future__ import annotations

import argparse

import numpy as np

import alignsim
from alignsim.config.scenario import load_scenario
from alignsim.model.model import AlignmentModel

PATH = "scenarios/middle_east_2022_2025.yaml"


def turned_positive(scenario, seeds) -> float:  # type: ignore[no-untyped-def]
    codes = scenario.world_spec.codes
    sau, irn = codes.index("SAU"), codes.index("IRN")
    hits = 0
    for seed in seeds:
        model = AlignmentModel(scenario, seed=seed)
        for _ in range(36):
            model.step()
        w = model.recorder.relations[:37]
        hits += bool(max(w[:, sau, irn].max(), w[:, irn, sau].max()) > 0)
    return hits / len(seeds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--quick", action="store_true", help="4 replicates: a smoke run")
    args = parser.parse_args()
    if args.quick:
        args.replicates = 4
    result = alignsim.run(PATH, replicates=args.replicates, seed=args.seed, progress=False)
    agent = result.events[result.events.origin == "agent"]
    top = agent.groupby(["source", "type", "target", "rule"]).replicate.nunique().sort_values(ascending=False)
    print(
        f"{args.replicates} replicates of the Middle-East scenario, seed {args.seed}; agent reactions (share of runs):"
    )
    print((top.head(25) / args.replicates).to_string(float_format=lambda x: f"{x:.0%}"))
    scenario = load_scenario(PATH)
    no_deal = scenario.model_copy(
        update={"shocks": tuple(s for s in scenario.shocks if {s.source, s.target} != {"SAU", "IRN"})}
    )
    seeds = np.random.SeedSequence(args.seed).spawn(args.replicates)
    print("without the Beijing deal: SAU->IRN or IRN->SAU above 0 within 36 months, share of runs")
    for label, update in [
        ("defaults", {}),
        ("no rivalry tie", {"tie_rivalry": 0.0}),
        ("no rivalry tie, no memory", {"tie_rivalry": 0.0, "memory_weight": 0.0}),
        (
            "no rivalry tie, no memory, given start",
            {"tie_rivalry": 0.0, "memory_weight": 0.0, "initial_relations": "given"},
        ),
    ]:
        variant = no_deal.model_copy(update={"params": no_deal.params.model_copy(update=update)})
        print(f"  {label:42} {turned_positive(variant, seeds):6.0%}")


if __name__ == "__main__":
    main()
