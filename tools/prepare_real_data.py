"""Rebuild the compact real data shipped in ``src/alignsim/data/real/`` from the shared research data.

    .venv/bin/python tools/prepare_real_data.py [--source ../shared/data/real]

Run by a maintainer when the source data change -- never at run time or in tests (the package must
work from a clone alone). Every table is keyed by ISO 3166-1 alpha-3 codes, mapped with
country_converter (ISO2 -> ISO3 for the UN votes; COW state names -> ISO3 by coco's name patterns
for the COW-coded sets), and cut to 1946 onwards (the first UN votes). The sha256 of every input is
printed for ``src/alignsim/data/real/README.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
from alignsim.world.from_data import ISSUES, converter  # noqa: E402

OUT = ROOT / "src" / "alignsim" / "data" / "real"
FIRST_YEAR = 1946
INPUTS = [
    "unga/votes.csv.gz",
    "unga/roll_calls.csv.gz",
    "unga/issues.csv",
    "unga/ideal_points_bsv_2020.csv.gz",
    "cow/states.csv",
    "cow/nmc.csv.gz",
    "cow/contiguity_direct.csv",
    "cow/igo_dyad_year.csv.gz",
    "atop/alliance_dyad_year.csv.gz",
    "mid/gml_dyad_year.csv.gz",
    "rivalries/thompson_sakuwa_suzuki.csv",
    "rivalries/thompson_dreyer.csv",
]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cow_iso3(src: Path) -> dict[int, str]:
    """COW ccode -> ISO3 through coco's name patterns, checked against the ideal-point file's pairs.

    Historical states coco does not know (e.g. the GDR, Zanzibar) map to nothing and are dropped;
    a state coco and the BSV file disagree on is reported and BSV's pair (countrycode) wins, since
    it is the one the vote data were built with.
    """
    states = pd.read_csv(src / "cow/states.csv")
    names = states.drop_duplicates("ccode", keep="last")
    iso = converter().convert(names.statenme.tolist(), src="regex", to="ISO3", not_found=None)
    mapping = {int(c): i for c, i in zip(names.ccode, iso) if isinstance(i, str) and len(i) == 3}
    bsv = pd.read_csv(src / "unga/ideal_points_bsv_2020.csv.gz", keep_default_na=False)
    bsv = bsv[bsv.iso3c != ""].drop_duplicates("ccode", keep="last")  # the latest code: SRB, not YUG
    for c, i in zip(bsv.ccode.astype(int), bsv.iso3c):
        if mapping.get(c) != i:
            print(f"  ccode {c}: coco says {mapping.get(c)}, BSV says {i}; using BSV", file=sys.stderr)
            mapping[c] = i
    # COW code 345 is Yugoslavia and its continuator Serbia (COW's own convention); neither coco's
    # name pattern nor BSV (which writes YUG throughout) gives the ISO3 code the votes use since 2006.
    mapping[345] = "SRB"
    # Two COW codes for one ISO3 (e.g. 260 GFR and 255 Germany): keep each, years do not overlap.
    return mapping


def dyads(df: pd.DataFrame, iso: dict[int, str], a: str = "ccode1", b: str = "ccode2") -> pd.DataFrame:
    """Map a dyad table's COW codes to ISO3 and order each pair alphabetically (a < b)."""
    df = df.assign(a=df[a].map(iso), b=df[b].map(iso)).dropna(subset=["a", "b"])
    df = df[df.a != df.b]
    lo, hi = df[["a", "b"]].min(axis=1), df[["a", "b"]].max(axis=1)
    return df.assign(a=lo, b=hi)


def votes(src: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per state, calendar year and issue: how many yes, abstain and no votes; and roll calls held."""
    v = pd.read_csv(src / "unga/votes.csv.gz", keep_default_na=False)  # Namibia is "NA"
    rc = pd.read_csv(src / "unga/roll_calls.csv.gz", usecols=["rcid", "date"])
    rc["year"] = rc.date.str[:4].astype(int)
    issues = pd.read_csv(src / "unga/issues.csv")[["rcid", "short_name"]].rename(columns={"short_name": "issue"})
    assert set(issues.issue) == set(ISSUES), set(issues.issue)
    v = v[v.country_code != ""]
    codes = sorted(v.country_code.unique())
    iso = dict(zip(codes, converter().convert(codes, src="ISO2", to="ISO3", not_found=None)))
    # The vote data keep "YU" for the seat Serbia holds to this day (FR Yugoslavia 2000, Serbia and
    # Montenegro 2003, Serbia 2006); the same continuity as COW code 345 above.
    iso["YU"] = "SRB"
    v = v.assign(iso3=v.country_code.map(iso)).dropna(subset=["iso3"])
    v = v.merge(rc[["rcid", "year"]], on="rcid")
    # "all" pools every roll call, issue-coded or not: participation for the ideal-point salience.
    everything = v.assign(issue="all")
    coded = v.merge(issues, on="rcid")
    both = pd.concat([everything, coded])
    counts = (
        both.pivot_table(index=["iso3", "year", "issue"], columns="vote", values="rcid", aggfunc="count", fill_value=0)
        .reindex(columns=["yes", "abstain", "no"], fill_value=0)
        .reset_index()
    )
    held = pd.concat([rc.assign(issue="all"), rc.merge(issues, on="rcid")]).groupby(["year", "issue"]).rcid.nunique()
    return counts, held.rename("roll_calls").reset_index()


def ideal_points(src: Path, iso: dict[int, str]) -> pd.DataFrame:
    ip = pd.read_csv(src / "unga/ideal_points_bsv_2020.csv.gz", keep_default_na=False)
    ip = ip.assign(iso3c=ip.ccode.map(iso)).dropna(subset=["iso3c"])  # same codes as the COW tables
    # Session s opens in September of year 1945 + s; its votes fall mostly in that autumn.
    return pd.DataFrame(
        {
            "iso3": ip.iso3c,
            "year": ip.session + 1945,
            "session": ip.session,
            "nvotes": ip.NVotes,
            "ideal": ip.IdealPoint.round(4),
            "q05": ip["Q5%"].round(4),
            "q95": ip["Q95%"].round(4),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT.parent.parent / "shared" / "data" / "real")
    src = parser.parse_args().source
    OUT.mkdir(parents=True, exist_ok=True)
    iso = cow_iso3(src)

    counts, held = votes(src)
    counts.to_csv(OUT / "unga_votes_by_issue.csv.gz", index=False)
    held.to_csv(OUT / "unga_roll_calls_by_issue.csv", index=False)
    ideal_points(src, iso).to_csv(OUT / "unga_ideal_points.csv.gz", index=False)

    states = pd.read_csv(src / "cow/states.csv")
    states = states.assign(iso3=states.ccode.map(iso)).dropna(subset=["iso3"])
    states[["iso3", "ccode", "stateabb", "statenme", "styear", "endyear"]].to_csv(OUT / "cow_states.csv", index=False)

    nmc = pd.read_csv(src / "cow/nmc.csv.gz")
    nmc = nmc[nmc.year >= FIRST_YEAR].assign(iso3=lambda d: d.ccode.map(iso)).dropna(subset=["iso3"])
    nmc[["iso3", "year", "cinc", "pec", "tpop", "milper"]].to_csv(OUT / "cow_nmc.csv.gz", index=False)

    cont = dyads(pd.read_csv(src / "cow/contiguity_direct.csv"), iso)
    cont = cont.assign(start=cont.stdate.str[:4].astype(int), end=cont.enddate.str[:4].astype(int))
    cont[["a", "b", "conttype", "start", "end"]].drop_duplicates().to_csv(OUT / "cow_contiguity.csv", index=False)

    igo = dyads(pd.read_csv(src / "cow/igo_dyad_year.csv.gz"), iso)
    igo = igo[(igo.year >= FIRST_YEAR) & (igo.dyadigos > 0)]
    igo[["a", "b", "year", "dyadigos"]].drop_duplicates(["a", "b", "year"]).to_csv(OUT / "cow_igo.csv.gz", index=False)

    atop = dyads(pd.read_csv(src / "atop/alliance_dyad_year.csv.gz"), iso)
    kinds = ["atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul"]
    atop = atop[atop.year >= FIRST_YEAR].groupby(["a", "b", "year"])[kinds].max().reset_index()
    atop.to_csv(OUT / "atop_alliances.csv.gz", index=False)

    mid = dyads(pd.read_csv(src / "mid/gml_dyad_year.csv.gz"), iso)
    mid = mid[mid.year >= FIRST_YEAR].assign(hostlev=lambda d: d[["hostlev1", "hostlev2"]].max(axis=1))
    mid[["a", "b", "year", "dispnum", "hostlev"]].drop_duplicates().to_csv(OUT / "gml_mids.csv.gz", index=False)

    tss = dyads(pd.read_csv(src / "rivalries/thompson_sakuwa_suzuki.csv"), iso)
    tss = tss[tss.end >= FIRST_YEAR]
    types = ["positional", "spatial", "ideological", "interventionary"]
    tss = tss.assign(type=tss[types].apply(lambda r: "+".join(t for t in types if r[t] == 1), axis=1))
    tss[["a", "b", "rivalry", "start", "end", "type"]].to_csv(OUT / "rivalries_tss.csv", index=False)
    td = dyads(pd.read_csv(src / "rivalries/thompson_dreyer.csv"), iso)
    td = td[td.endyear >= FIRST_YEAR].rename(columns={"rivalryname": "rivalry", "styear": "start", "endyear": "end"})
    td[["a", "b", "rivalry", "start", "end", "type1"]].rename(columns={"type1": "type"}).to_csv(
        OUT / "rivalries_td.csv", index=False
    )

    print("inputs (sha256):")
    for name in INPUTS:
        print(f"| `{name}` | `{sha256(src / name)}` |")
    print("outputs:")
    for p in sorted(OUT.glob("*.csv*")):
        print(f"  {p.name:32} {p.stat().st_size / 1024:8.0f} KiB")


if __name__ == "__main__":
    main()
