"""Aggregate the public research data the history checks need into src/alignsim/data/history/.

    .venv/bin/python tools/prepare_history_data.py [--raw ../shared/data/real] [--out src/alignsim/data/history]

Reads the raw files once (UN General Assembly votes, BSV ideal points for their country codes, ATOP
alliance dyad-years, GML MID dyad-years, Thompson & Dreyer rivalries, COW state system) and writes:

- ``dyad_years.csv.gz``: one row per undirected dyad (ccode1 < ccode2) and year 1946-2018 in which the
  dyad has an alliance, a militarised dispute or a strategic rivalry: ``ally`` (any ATOP commitment),
  ``defense``, ``mid`` (a GML dispute ongoing), ``rival`` (Thompson & Dreyer rivalry active), and ``s``
  (Signorino-Ritter S of the two states' UN votes that year; empty when fewer than 10 common votes);
- ``s_by_year.csv.gz``: mean, standard deviation and median of S over *all* dyads with an S, per year;
- ``state_years.csv.gz``: COW system members per year 1946-2018 (to tell a lapsed alliance from a
  state that left the system);
- ``inputs.csv``: the sha256 of every raw file read, so a rebuild can be checked against the README.

The package never reads the raw files; the package's tests read only these outputs.
"""

from __future__ import annotations

import argparse
import hashlib
from importlib.resources import files
from pathlib import Path

import country_converter as coco
import numpy as np
import pandas as pd

from alignsim.measures.similarity import s_score

FIRST_YEAR, LAST_YEAR = 1946, 2018
MIN_COMMON_VOTES = 10
VOTE_CODES = {"yes": 1, "abstain": 2, "no": 3}
INPUTS = (
    "unga/votes.csv.gz", "unga/roll_calls.csv.gz", "unga/countries.csv", "unga/ideal_points_bsv_2020.csv.gz", "atop/alliance_dyad_year.csv.gz",
    "mid/gml_dyad_year.csv.gz", "rivalries/thompson_dreyer.csv", "cow/states.csv",
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _converter() -> coco.CountryConverter:
    # coco's own table read with Namibia's ISO2 'NA' kept as text (pandas 3 turns it into a missing value)
    table = pd.read_csv(files("country_converter") / "country_data.tsv", sep="\t", dtype=str, keep_default_na=False, na_values=[""])
    return coco.CountryConverter(country_data=table)


def iso2_to_cow(raw: Path) -> pd.DataFrame:
    """(session, ISO2) -> COW ccode: ISO2 -> ISO3 with country_converter, then (session, ISO3) -> ccode
    from the BSV ideal points (which carry both codes per session, so West Germany before 1990 is 260
    and Germany after is 255); codes country_converter does not know (historical states) are matched
    on the country name shared by the two UN files."""
    countries = pd.read_csv(raw / "unga/countries.csv", keep_default_na=False)
    bsv = pd.read_csv(raw / "unga/ideal_points_bsv_2020.csv.gz", keep_default_na=False, usecols=["ccode", "session", "iso3c", "Countryname"])
    iso3 = _converter().convert(countries.country_code.tolist(), src="ISO2", to="ISO3", not_found=None)
    countries["iso3"] = [c if isinstance(c, str) and c.isupper() and len(c) == 3 else "" for c in iso3]
    sessions = pd.DataFrame({"session": range(1, bsv.session.max() + 1)})
    grid = countries.merge(sessions, how="cross")
    by_iso = bsv.drop_duplicates(["session", "iso3c"], keep=False)[["session", "iso3c", "ccode"]]
    grid = grid.merge(by_iso, left_on=["session", "iso3"], right_on=["session", "iso3c"], how="left")
    by_name = bsv.drop_duplicates(["session", "Countryname"])[["session", "Countryname", "ccode"]].rename(columns={"ccode": "by_name"})
    grid = grid.merge(by_name, left_on=["session", "country"], right_on=["session", "Countryname"], how="left")
    grid["ccode"] = grid.ccode.fillna(grid.by_name)
    return grid.dropna(subset=["ccode"]).astype({"ccode": int})[["session", "country_code", "ccode"]]


def s_of_session(votes: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """S (d_max = 2, votes coded 1/2/3) of every pair of states over the roll calls both voted on."""
    codes = np.sort(votes.ccode.unique())
    calls = np.sort(votes.rcid.unique())
    v = np.zeros((len(codes), len(calls)), dtype=np.int8)
    v[np.searchsorted(codes, votes.ccode), np.searchsorted(calls, votes.rcid)] = votes.value
    hot = [(v == k).astype(np.float64) for k in (1, 2, 3)]
    common = np.zeros((len(codes), len(codes)))
    distance = np.zeros_like(common)
    for a in range(3):
        for b in range(3):
            n_ab = hot[a] @ hot[b].T
            common += n_ab
            distance += abs(a - b) * n_ab
    i, j = np.triu_indices(len(codes), k=1)
    keep = common[i, j] >= MIN_COMMON_VOTES
    s = 1.0 - distance[i, j][keep] / common[i, j][keep]  # 1 - 2 sum d / (n d_max), d_max = 2
    return pd.DataFrame({"ccode1": codes[i][keep], "ccode2": codes[j][keep], "s": s}), codes, v


def vote_similarity(raw: Path) -> pd.DataFrame:
    votes = pd.read_csv(raw / "unga/votes.csv.gz", keep_default_na=False)
    calls = pd.read_csv(raw / "unga/roll_calls.csv.gz", usecols=["rcid", "session"])
    votes = votes[votes.country_code != ""].merge(calls, on="rcid").merge(iso2_to_cow(raw), on=["session", "country_code"])
    votes["value"] = votes.vote.map(VOTE_CODES).astype(np.int8)
    frames = []
    for session, group in votes.groupby("session"):
        group = group.drop_duplicates(["ccode", "rcid"])
        s, codes, v = s_of_session(group)
        if session == 40:  # spot check of the matrix shortcut against the package's own S
            a, b = 0, 1
            both = (v[a] > 0) & (v[b] > 0)
            expected = s_score(v[a][both], v[b][both], d_max=2)
            got = s[(s.ccode1 == codes[a]) & (s.ccode2 == codes[b])].s.iloc[0]
            assert abs(expected - got) < 1e-12, (expected, got)
        frames.append(s.assign(year=1945 + int(session)))
    return pd.concat(frames, ignore_index=True)


def _undirected(frame: pd.DataFrame) -> pd.DataFrame:
    a, b = frame.ccode1.to_numpy(), frame.ccode2.to_numpy()
    return frame.assign(ccode1=np.minimum(a, b), ccode2=np.maximum(a, b))


def ties(raw: Path) -> pd.DataFrame:
    atop = _undirected(pd.read_csv(raw / "atop/alliance_dyad_year.csv.gz"))
    kinds = ["atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul"]
    atop = atop[atop[kinds].sum(axis=1) > 0].assign(ally=1, defense=atop.atop_defense)
    atop = atop.groupby(["year", "ccode1", "ccode2"], as_index=False)[["ally", "defense"]].max()
    mid = _undirected(pd.read_csv(raw / "mid/gml_dyad_year.csv.gz", usecols=["ccode1", "ccode2", "year"])).drop_duplicates().assign(mid=1)
    td = _undirected(pd.read_csv(raw / "rivalries/thompson_dreyer.csv"))
    rows = [(y, r.ccode1, r.ccode2) for r in td.itertuples() for y in range(max(r.styear, FIRST_YEAR), r.endyear + 1)]
    rival = pd.DataFrame(rows, columns=["year", "ccode1", "ccode2"]).drop_duplicates().assign(rival=1)
    keys = ["year", "ccode1", "ccode2"]
    out = atop.merge(mid, on=keys, how="outer").merge(rival, on=keys, how="outer")
    out = out[out.year.between(FIRST_YEAR, LAST_YEAR)].fillna(0)
    return out.astype({c: int for c in ["year", "ccode1", "ccode2", "ally", "defense", "mid", "rival"]})


def state_years(raw: Path) -> pd.DataFrame:
    states = pd.read_csv(raw / "cow/states.csv")
    last = states.endyear.max()  # members at the data's end are continued to LAST_YEAR
    rows = {(int(r.ccode), y) for r in states.itertuples()
            for y in range(max(r.styear, FIRST_YEAR), (LAST_YEAR if r.endyear == last else r.endyear) + 1)}
    return pd.DataFrame(sorted(rows), columns=["ccode", "year"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=Path(__file__).resolve().parents[1] / ".." / ".." / "shared" / "data" / "real")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "src" / "alignsim" / "data" / "history")
    args = parser.parse_args()
    raw, out = args.raw.resolve(), args.out
    out.mkdir(parents=True, exist_ok=True)
    s = vote_similarity(raw)
    summary = s.groupby("year").s.agg(dyads="size", mean="mean", sd="std", median="median").reset_index()
    tie = ties(raw).merge(s, on=["year", "ccode1", "ccode2"], how="left")
    opts = {"index": False, "float_format": "%.4g", "lineterminator": "\n"}
    tie.sort_values(["year", "ccode1", "ccode2"]).to_csv(out / "dyad_years.csv.gz", compression={"method": "gzip", "mtime": 0}, **opts)
    summary.to_csv(out / "s_by_year.csv.gz", compression={"method": "gzip", "mtime": 0}, **opts)
    state_years(raw).to_csv(out / "state_years.csv.gz", compression={"method": "gzip", "mtime": 0}, **opts)
    pd.DataFrame({"file": list(INPUTS), "sha256": [sha256(raw / f) for f in INPUTS]}).to_csv(out / "inputs.csv", index=False, lineterminator="\n")
    for f in sorted(out.iterdir()):
        print(f"{f.name:22} {f.stat().st_size:>9,} bytes")


if __name__ == "__main__":
    main()
