"""Time building the 193-state world from the packaged real data (target: <= 10 s on the project machine).

    python benchmarks/world_build.py [--year 2019] [--repeat 1]
    python benchmarks/world_build.py --quick     # the article's eight states: a smoke run

Prints the time to build (data loaded from the package), to validate and to write the YAML text.
Not a timed test: run it by hand.
"""

from __future__ import annotations

import argparse
import time

from alignsim.world import from_data as world_data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2019)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="build the article's eight states only (a smoke run)")
    args = parser.parse_args()
    states = ["PRK", "KOR", "MNG", "JPN", "CHN", "RUS", "USA", "CUB"] if args.quick else None
    for _ in range(args.repeat):
        world_data.table.cache_clear()
        t0 = time.perf_counter()
        built = world_data.build_world(states, everyone=states is None, year=args.year, name="un193", min_relation=0.5)
        t1 = time.perf_counter()
        text = world_data.world_text(built)
        t2 = time.perf_counter()
        n = len(built.world["states"])
        print(
            f"{n} states, year {args.year}: build {t1 - t0:.2f} s, validate + YAML {t2 - t1:.2f} s, "
            f"total {t2 - t0:.2f} s ({len(text) / 1e6:.1f} MB of YAML)"
        )


if __name__ == "__main__":
    main()
