"""``alignsim compare``: scenarios as ensembles with common random numbers, written to one folder."""

from __future__ import annotations

import argparse

from alignsim.cli.common import check_ensemble_options, print_warnings
from alignsim.cli.output import numbered_note
from alignsim.config.scenario import load_scenario
from alignsim.errors import InputError
from alignsim.experiments.comparison import CompareResult, compare_scenarios
from alignsim.results.folders import check_out, default_folder


def cmd_compare(args: argparse.Namespace) -> int:
    """Load the scenarios, run them as ensembles with the same seeds, write the comparison folder and
    print the end relations, the largest effects and the most frequent reactions."""
    check_ensemble_options(args)
    if len(args.scenarios) < 2:
        raise InputError("give at least two scenario files; the first is the reference", field="SCENARIO")
    scenarios = [load_scenario(path) for path in args.scenarios]
    for scenario in scenarios:
        print_warnings(scenario.warnings)
    name = "compare_" + "_vs_".join(s.name for s in scenarios)
    out = args.out or default_folder(name)
    check_out(out, overwrite=args.overwrite)
    result = compare_scenarios(
        scenarios,
        replicates=args.replicates,
        seed=args.seed,
        workers=args.workers,
        at=args.at,
        progress=not args.quiet,
        source_texts=[p.read_text(encoding="utf-8") for p in args.scenarios],
        scheduler=args.scheduler,
    )
    result.save(out, overwrite=args.overwrite, charts=not args.no_charts, parquet=args.parquet, runs=not args.no_runs)
    print(
        f"compared {', '.join(result.names)}: {result.replicates} replicates each, seed {result.manifest['seed']} (same seeds in every scenario)"
    )
    _print_end_relations(result)
    _print_largest_effects(result)
    _print_frequent_reactions(result)
    print(f"wrote {out}{numbered_note(out, args.out, name)} (README.md, outcomes, reactions, blocs, charts/)")
    return 0


def _print_end_relations(result: CompareResult) -> None:
    """Each tracked pair at the end: every scenario's mean [5%, 95%] and its difference from the reference."""
    end = result.outcomes[result.outcomes.when == "end"]
    print(f"relations at the end ({end.date.iloc[0]}): mean [5%, 95%], difference from {result.reference}")
    for pair in result.pairs:
        rows = end[end.pair == pair]
        cells = []
        for r in rows.itertuples():
            text = f"{r.scenario} {r.mean:+.2f} [{r.p5:+.2f}, {r.p95:+.2f}]"
            if r.scenario != result.reference and r.diff_mean == r.diff_mean:  # not NaN
                text += f" (Δ {r.diff_mean:+.2f} [{r.diff_p5:+.2f}, {r.diff_p95:+.2f}])"
            cells.append(text)
        print(f"  {pair.replace('-', ' -> '):12} " + "; ".join(cells))


def _print_largest_effects(result: CompareResult) -> None:
    """Each other scenario's largest mean difference from the reference on a tracked pair, in any month."""
    bands = result.bands.dropna(subset=["diff_mean"])
    if len(bands):
        print(
            f"largest effect of each scenario on a tracked pair (mean difference from {result.reference} [5%, 95%], any month):"
        )
        for name in result.names[1:]:
            mine = bands[bands.scenario == name]
            if len(mine):
                r = mine.loc[mine.diff_mean.abs().idxmax()]
                print(
                    f"  {name}: {r.pair.replace('-', ' -> ')} {r.diff_mean:+.2f} [{r.diff_p5:+.2f}, {r.diff_p95:+.2f}] in {r.date[:7]}"
                )


def _print_frequent_reactions(result: CompareResult) -> None:
    """The six agent reactions that happen in the largest share of runs, of any scenario."""
    top = result.reactions.sort_values("share", ascending=False, kind="stable").head(6)
    if len(top):
        print("most frequent agent reactions (share of runs):")
        for r in top.itertuples():
            print(f"  {r.share:5.0%}  {r.scenario}: {r.source} {r.rule.replace('_', '-')} -> {r.target} ({r.forms})")
