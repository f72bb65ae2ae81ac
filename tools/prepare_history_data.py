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
from pathlib import Path

import numpy as np
import pandas as pd

from alignsim.measures.similarity import s_score
from alignsim.world.from_data import converter

FIRST_YEAR, LAST_YEAR = 1946, 2018
MIN_COMMON_VOTES = 10
VOTE_CODES = {"yes": 1, "abstain": 2, "no": 3}
INPUTS = (
    "unga/votes.csv.gz",
    "unga/roll_calls.csv.gz",
    "unga/countries.csv",
    "unga/ideal_points_bsv_2020.csv.gz",
    "atop/alliance_dyad_year.csv.gz",
    "mid/gml_dyad_year.csv.gz",
    "rivalries/thompson_dreyer.csv",
    "cow/states.csv",
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def iso2_to_cow(raw: Path) -> pd.DataFrame:
    """(session, country_code, country) -> COW ccode: ISO2 (or, for the three states without one, the
    name) -> ISO3 with country_converter, then (session, ISO3) -> ccode from the BSV ideal points
    (which carry both codes per session, so Germany is 260 before 1990 and 255 after); what is still
    unmatched (historical states) is matched on the country name shared by the two UN files."""
    countries = pd.read_csv(raw / "unga/countries.csv", keep_default_na=False)
    bsv = pd.read_csv(
        raw / "unga/ideal_points_bsv_2020.csv.gz",
        keep_default_na=False,
        usecols=["ccode", "session", "iso3c", "Countryname"],
    )
    cc = converter()  # one home for the workaround that keeps Namibia's ISO2 code 'NA'
    iso3 = [
        cc.convert(code, src="ISO2", to="ISO3", not_found=None) if code else cc.convert(name, to="ISO3", not_found=None)
        for code, name in zip(countries.country_code, countries.country)
    ]
    countries["iso3"] = [c if isinstance(c, str) and c.isupper() and len(c) == 3 else "" for c in iso3]
    sessions = pd.DataFrame({"session": range(1, bsv.session.max() + 1)})
    grid = countries.merge(sessions, how="cross")
    by_iso = bsv.drop_duplicates(["session", "iso3c"], keep=False)[["session", "iso3c", "ccode"]]
    grid = grid.merge(by_iso, left_on=["session", "iso3"], right_on=["session", "iso3c"], how="left")
    by_name = bsv.drop_duplicates(["session", "Countryname"])[["session", "Countryname", "ccode"]].rename(
        columns={"ccode": "by_name"}
    )
    grid = grid.merge(by_name, left_on=["session", "country"], right_on=["session", "Countryname"], how="left")
    grid["ccode"] = grid.ccode.fillna(grid.by_name)
    return grid.dropna(subset=["ccode"]).astype({"ccode": int})[["session", "country_code", "country", "ccode"]]


def code_votes(votes: pd.DataFrame, codes: pd.DataFrame) -> pd.DataFrame:
    """COW codes of the votes. The rows of the three states without an ISO2 code (West Germany,
    the Yemen Arab Republic, Zanzibar) carry no name either; the file lists each roll call's votes
    in COW code order, so such a row is the state (of those three, in that session) whose code lies
    between the codes of the rows before and after it. Rows it cannot place uniquely are dropped."""
    coded = votes.merge(
        codes[codes.country_code != ""][["session", "country_code", "ccode"]],
        on=["session", "country_code"],
        how="left",
    )
    coded = coded.sort_values("order")
    before = coded.groupby("rcid").ccode.ffill()
    after = coded.groupby("rcid").ccode.bfill()
    coded["before"], coded["after"] = (
        before.shift(1).where(coded.rcid.eq(coded.rcid.shift(1))),
        after.shift(-1).where(coded.rcid.eq(coded.rcid.shift(-1))),
    )
    blank = codes[codes.country_code == ""]
    unplaced = coded.ccode.isna() & (coded.country_code == "")
    for idx, row in coded[unplaced].iterrows():
        options = blank[(blank.session == row.session)].ccode
        lo, hi = (row.before if pd.notna(row.before) else -np.inf), (row.after if pd.notna(row.after) else np.inf)
        fits = options[(options > lo) & (options < hi)]
        if len(fits) == 1:
            coded.at[idx, "ccode"] = fits.iloc[0]
    placed = int(coded.loc[unplaced, "ccode"].notna().sum())
    print(f"votes without ISO2 code placed by position: {placed} of {int(unplaced.sum())}")
    return coded.dropna(subset=["ccode"]).astype({"ccode": int}).drop(columns=["before", "after"])


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
    votes = code_votes(votes.assign(order=np.arange(len(votes))).merge(calls, on="rcid"), iso2_to_cow(raw))
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
    mid = (
        _undirected(pd.read_csv(raw / "mid/gml_dyad_year.csv.gz", usecols=["ccode1", "ccode2", "year"]))
        .drop_duplicates()
        .assign(mid=1)
    )
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
    rows = {
        (int(r.ccode), y)
        for r in states.itertuples()
        for y in range(max(r.styear, FIRST_YEAR), (LAST_YEAR if r.endyear == last else r.endyear) + 1)
    }
    return pd.DataFrame(sorted(rows), columns=["ccode", "year"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--raw",
        type=Path,
        default=Path(__file__).resolve().parents[1].parent / "shared" / "data" / "real",
        help="the raw data folder (default: ../shared/data/real beside the repository)",
    )
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parents[1] / "src" / "alignsim" / "data" / "history"
    )
    args = parser.parse_args()
    raw, out = args.raw.resolve(), args.out
    out.mkdir(parents=True, exist_ok=True)
    s = vote_similarity(raw)
    summary = s.groupby("year").s.agg(dyads="size", mean="mean", sd="std", median="median").reset_index()
    tie = ties(raw).merge(s, on=["year", "ccode1", "ccode2"], how="left")
    opts = {"index": False, "float_format": "%.4g", "lineterminator": "\n"}
    tie.sort_values(["year", "ccode1", "ccode2"]).to_csv(
        out / "dyad_years.csv.gz", compression={"method": "gzip", "mtime": 0}, **opts
    )
    summary.to_csv(out / "s_by_year.csv.gz", compression={"method": "gzip", "mtime": 0}, **opts)
    state_years(raw).to_csv(out / "state_years.csv.gz", compression={"method": "gzip", "mtime": 0}, **opts)
    pd.DataFrame({"file": list(INPUTS), "sha256": [sha256(raw / f) for f in INPUTS]}).to_csv(
        out / "inputs.csv", index=False, lineterminator="\n"
    )
    for f in sorted(out.iterdir()):
        print(f"{f.name:22} {f.stat().st_size:>9,} bytes")


if __name__ == "__main__":
    main()
