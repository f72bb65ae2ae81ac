"""Rebuild the roll-call-level UN votes shipped in ``src/alignsim/data/real/`` (chance-corrected agreement).

    .venv/bin/python tools/prepare_roll_calls.py [--source ../shared/data/real]

Writes two files, keyed like the other tables by ISO 3166-1 alpha-3 codes (ISO2 -> ISO3 with
country_converter; "YU" is Serbia, as in ``tools/prepare_real_data.py``):

- ``unga_roll_calls.csv``: one row per roll call: ``rcid``, ``date`` (ISO date of the vote) and
  ``issues`` (the Voeten issue codes joined by "+", empty when uncoded);
- ``unga_roll_call_votes.csv.gz``: one row per roll call, one column per state, ``y`` / ``a`` / ``n``
  for yes / abstain / no and empty for an absence (absences are not votes).

Run by a maintainer when the source data change -- never at run time or in tests.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
from alignsim.world.from_data import converter  # noqa: E402

OUT = ROOT / "src" / "alignsim" / "data" / "real"
INPUTS = ["unga/votes.csv.gz", "unga/roll_calls.csv.gz", "unga/issues.csv"]
CODE = {"yes": "y", "abstain": "a", "no": "n"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT.parent.parent / "shared" / "data" / "real")
    src = parser.parse_args().source
    v = pd.read_csv(src / "unga/votes.csv.gz", keep_default_na=False)  # Namibia is "NA"
    v = v[v.country_code != ""]
    codes = sorted(v.country_code.unique())
    iso = dict(zip(codes, converter().convert(codes, src="ISO2", to="ISO3", not_found=None)))
    iso["YU"] = "SRB"
    v = v.assign(iso3=v.country_code.map(iso)).dropna(subset=["iso3"])
    v = v[v.vote.isin(list(CODE))].assign(vote=lambda d: d.vote.map(CODE))
    wide = v.drop_duplicates(["rcid", "iso3"]).pivot(index="rcid", columns="iso3", values="vote").sort_index()
    wide = wide.reindex(columns=sorted(wide.columns)).fillna("")
    rc = pd.read_csv(src / "unga/roll_calls.csv.gz", usecols=["rcid", "date"])
    issues = pd.read_csv(src / "unga/issues.csv")[["rcid", "short_name"]]
    joined = issues.groupby("rcid").short_name.apply(lambda s: "+".join(sorted(set(s))))
    rc = rc[rc.rcid.isin(wide.index)].sort_values("rcid")
    rc["issues"] = rc.rcid.map(joined).fillna("")
    rc.to_csv(OUT / "unga_roll_calls.csv", index=False)
    wide.to_csv(OUT / "unga_roll_call_votes.csv.gz", index=True)
    print("inputs (sha256):")
    for name in INPUTS:
        print(f"| `{name}` | `{hashlib.sha256((src / name).read_bytes()).hexdigest()}` |")
    for name in ("unga_roll_calls.csv", "unga_roll_call_votes.csv.gz"):
        print(f"  {name:32} {(OUT / name).stat().st_size / 1024:8.0f} KiB")
    print(f"  {len(wide)} roll calls, {wide.shape[1]} states, {int((wide != '').to_numpy().sum())} votes")


if __name__ == "__main__":
    main()
