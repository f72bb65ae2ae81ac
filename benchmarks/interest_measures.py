"""The interest measures against the ties (docs/validation.md C1), on training and test years.

    python benchmarks/interest_measures.py [--resamples 200] [--seed 0]

Prints, per measure, the AUC of pacts against rivals, of alliance formation and of alliance survival
(t -> t + 5) with state-clustered 95% intervals, on 1950-1989 (training: the measure was chosen there)
and on 1990-2013 (test: outcomes to 2018). Five variants scored on test years, as declared.
"""

from __future__ import annotations

import argparse

import pandas as pd

from alignsim.validation.calibration import choose_measure, measure_tests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resamples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="training years 1980-1989 only, 20 resamples (CI)")
    args = parser.parse_args()
    if args.quick:  # a smoke test: no test year is scored
        train = measure_tests(range(1980, 1990), seed=args.seed, resamples=20)
        both = train
    else:
        train = measure_tests(range(1950, 1990), seed=args.seed, resamples=args.resamples)
        test = measure_tests(range(1990, 2014), seed=args.seed, resamples=args.resamples)
        both = pd.concat([train, test], ignore_index=True)
    both["shown"] = [f"{r.auc:.3f} [{r.low:.3f}, {r.high:.3f}]" for r in both.itertuples()]
    wide = both.pivot_table(index=["measure", "test"], columns="years", values="shown", aggfunc="first")
    print(wide.to_string())
    print(f"chosen on training years: {choose_measure(train)}")


if __name__ == "__main__":
    main()
