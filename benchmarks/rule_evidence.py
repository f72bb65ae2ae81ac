"""Each decision rule's regularity tested on the shipped history data (docs/model.md, "Evidence for
each rule"; docs/validation.md H5).

    python benchmarks/rule_evidence.py                 # fit years 1950-1989, then 1990-2018
    python benchmarks/rule_evidence.py --first 1950 --last 1989

Prints one line per test: the figure, its 95% interval (years resampled) and whether it supports the rule.
"""

from __future__ import annotations

import argparse

from alignsim.validation.history import load_history
from alignsim.validation.rule_evidence import evidence


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first", type=int)
    parser.add_argument("--last", type=int)
    parser.add_argument("--reps", type=int, default=400)
    parser.add_argument("--quick", action="store_true", help="1970-1975 with 20 resamples (a smoke test, run by CI)")
    args = parser.parse_args()
    if args.quick:
        args.first, args.last, args.reps = 1970, 1975, 20
    spans = [(args.first, args.last)] if args.first and args.last else [(1950, 1989), (1990, 2017)]
    history = load_history()
    for first, last in spans:
        print(f"years {first}-{last}")
        for finding in evidence(first, last, reps=args.reps, history=history):
            print("  " + finding.line())
            print(f"      {finding.measure}")


if __name__ == "__main__":
    main()
