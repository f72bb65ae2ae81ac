"""The thesis against history: pure functions over the packaged dyad-year tables (docs/validation.md,
"The thesis against history").

- H1 :func:`alliance_spells`, :func:`alliance_survival`: do alliances of states whose UN votes
  diverge end sooner? Cox models (lifelines) with S at formation and S over time.
- H2 :func:`signed_networks`, :func:`balance_by_year`, :func:`triad_changes`: the share of balanced
  triads against a degree- and sign-preserving null, and whether imbalanced triads change sooner.
- H3 :func:`reversion_rates`: do ties out of line with interests end sooner than ties in line?

Every function takes DataFrames or arrays and, where it draws, a numpy Generator or seed.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.resources import files

import numpy as np
import pandas as pd
from lifelines import CoxPHFitter, CoxTimeVaryingFitter, KaplanMeierFitter

__all__ = [
    "HistoryData",
    "add_interest_columns",
    "alliance_episodes",
    "alliance_spells",
    "alliance_survival",
    "balance_by_year",
    "balance_null",
    "balanced_share",
    "bootstrap_ratio",
    "load_history",
    "reversion_rates",
    "signed_networks",
    "signed_swap",
    "triad_changes",
]

DATA_LAST_YEAR = 2018  # ATOP v5 ends here
MID_LAST_YEAR = 2010  # GML MIDs and Thompson & Dreyer rivalries end here


@dataclass(frozen=True)
class HistoryData:
    dyads: pd.DataFrame  # year, ccode1 < ccode2, ally, defense, mid, rival, s
    s_by_year: pd.DataFrame  # year, dyads, mean, sd, median
    state_years: pd.DataFrame  # ccode, year


def load_history() -> HistoryData:
    """The tables written by tools/prepare_history_data.py (src/alignsim/data/history/README.md)."""
    root = files("alignsim") / "data" / "history"

    def read(name: str) -> pd.DataFrame:
        return pd.read_csv(root / name, compression="gzip")

    return HistoryData(
        add_interest_columns(read("dyad_years.csv.gz"), read("s_by_year.csv.gz")),
        read("s_by_year.csv.gz"),
        read("state_years.csv.gz"),
    )


def add_interest_columns(dyads: pd.DataFrame, s_by_year: pd.DataFrame) -> pd.DataFrame:
    """``s_z``: S standardised by the year's mean and SD over all dyads; ``low_s``: S below the year's
    median (NaN where S is missing)."""
    year = s_by_year.set_index("year")
    mean, sd, median = (dyads.year.map(year[c]) for c in ("mean", "sd", "median"))
    out = dyads.assign(s_z=(dyads.s - mean) / sd)
    return out.assign(low_s=np.where(out.s.isna(), np.nan, (out.s < median).astype(float)))


def _alive_next_year(frame: pd.DataFrame, state_years: pd.DataFrame, year_col: str) -> np.ndarray:
    """Whether both members of each row's dyad are in the state system the year after ``year_col``."""
    alive = set(zip(state_years.ccode, state_years.year))
    nxt = frame[year_col] + 1
    return np.array(
        [(a, y) in alive and (b, y) in alive for a, b, y in zip(frame.ccode1, frame.ccode2, nxt)], dtype=bool
    )


# ------------------------------------------------------------------ H1: alliance survival
def alliance_spells(
    dyads: pd.DataFrame, state_years: pd.DataFrame, *, column: str = "ally", first_start: int = 1947
) -> pd.DataFrame:
    """Runs of consecutive allied years per dyad. ``event`` = 1 when the commitment lapses while both
    states live on; censored at the data's end or when a member leaves the system. Spells starting
    before ``first_start`` are dropped (their real start is not in the data)."""
    allied = dyads.loc[dyads[column] == 1, ["ccode1", "ccode2", "year", "s_z"]].sort_values(
        ["ccode1", "ccode2", "year"]
    )
    new = (allied.ccode1.diff() != 0) | (allied.ccode2.diff() != 0) | (allied.year.diff() != 1)
    allied = allied.assign(spell=new.cumsum())
    spells = (
        allied.groupby("spell")
        .agg(
            ccode1=("ccode1", "first"),
            ccode2=("ccode2", "first"),
            start=("year", "min"),
            end=("year", "max"),
            s_z_start=("s_z", "first"),
        )
        .reset_index()
    )
    spells = spells[spells.start >= first_start]
    lapsed = (spells.end < DATA_LAST_YEAR) & _alive_next_year(spells, state_years, "end")
    return spells.assign(duration=spells.end - spells.start + 1, event=lapsed.astype(int))


def alliance_episodes(dyads: pd.DataFrame, spells: pd.DataFrame, *, lag: int = 0) -> pd.DataFrame:
    """One row per spell-year for the time-varying Cox model: (start, stop] in years since formation,
    the year's ``s_z`` (carried forward over years without S) and the event flag on the spell's last
    year. Years before the spell's first S are dropped. ``lag`` > 0 uses the S of ``lag`` years
    earlier within the spell (years without one are dropped), against reverse causation."""
    years = spells.loc[spells.index.repeat(spells.duration)].copy()
    years["t"] = years.groupby("spell").cumcount()
    years["year"] = years.start + years.t
    years = years.merge(dyads[["ccode1", "ccode2", "year", "s_z"]], on=["ccode1", "ccode2", "year"], how="left")
    years["event"] = ((years.year == years.end) & (years.event == 1)).astype(int)
    # a year without S (no roll calls in 1964; a member absent from the Assembly) keeps the spell's last S
    years["s_z"] = years.groupby("spell").s_z.ffill()
    if lag:
        years["s_z"] = years.groupby("spell").s_z.shift(lag)
    return years.dropna(subset=["s_z"]).assign(start=lambda f: f.t, stop=lambda f: f.t + 1)[
        ["spell", "start", "stop", "s_z", "event"]
    ]


@contextmanager
def _lifelines_quietly() -> Iterator[None]:
    """lifelines 0.30 calls pandas in ways pandas 3 flags for version 4; the fits are unaffected."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Starting with pandas version 4.0")
        yield


@dataclass(frozen=True)
class HazardRatio:
    ratio: float
    lo: float
    hi: float
    subjects: int
    events: int


def _hazard(summary: pd.DataFrame, subjects: int, events: int) -> HazardRatio:
    row = summary.loc["s_z"]
    return HazardRatio(
        float(row["exp(coef)"]), float(row["exp(coef) lower 95%"]), float(row["exp(coef) upper 95%"]), subjects, events
    )


def cox_at_formation(spells: pd.DataFrame) -> HazardRatio:
    """Hazard ratio of an alliance's end per SD of S at formation (Cox PH, lifelines)."""
    data = spells.dropna(subset=["s_z_start"])[["duration", "event", "s_z_start"]].rename(columns={"s_z_start": "s_z"})
    with _lifelines_quietly():
        fit = CoxPHFitter().fit(data, duration_col="duration", event_col="event")
    return _hazard(fit.summary, len(data), int(data.event.sum()))


def cox_time_varying(episodes: pd.DataFrame) -> HazardRatio:
    """Hazard ratio per SD of the current year's S (lifelines CoxTimeVaryingFitter)."""
    with _lifelines_quietly():
        fit = CoxTimeVaryingFitter().fit(
            episodes, id_col="spell", event_col="event", start_col="start", stop_col="stop"
        )
    return _hazard(fit.summary, episodes.spell.nunique(), int(episodes.event.sum()))


def kaplan_meier_split(spells: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Kaplan-Meier survival of spells with S at formation above and below its median: label ->
    DataFrame(years, survival, lo, hi)."""
    data = spells.dropna(subset=["s_z_start"])
    median = data.s_z_start.median()
    out = {}
    for label, part in (
        ("S at formation above the median", data[data.s_z_start >= median]),
        ("S at formation below the median", data[data.s_z_start < median]),
    ):
        with _lifelines_quietly():
            km = KaplanMeierFitter().fit(part.duration, part.event)
        ci = km.confidence_interval_survival_function_
        out[label] = pd.DataFrame(
            {
                "years": km.survival_function_.index.to_numpy(),
                "survival": km.survival_function_.iloc[:, 0].to_numpy(),
                "lo": ci.iloc[:, 0].to_numpy(),
                "hi": ci.iloc[:, 1].to_numpy(),
            }
        )
    return out


@dataclass(frozen=True)
class SurvivalResult:
    at_formation: HazardRatio
    over_time: HazardRatio
    curves: dict[str, pd.DataFrame]
    lagged: dict[int, HazardRatio]  # lag in years -> the time-varying model on S of that many years before

    def table(self, *, lagged: bool = True) -> pd.DataFrame:
        rows = [("S at formation", self.at_formation), ("S of each year (time-varying)", self.over_time)]
        rows += (
            [(f"S {k} year{'s' if k > 1 else ''} before (time-varying)", hr) for k, hr in self.lagged.items()]
            if lagged
            else []
        )
        return pd.DataFrame(
            [
                {
                    "model": m,
                    "hazard_ratio_per_sd": h.ratio,
                    "lo95": h.lo,
                    "hi95": h.hi,
                    "spells": h.subjects,
                    "ended": h.events,
                }
                for m, h in rows
            ]
        )


def alliance_survival(
    dyads: pd.DataFrame, state_years: pd.DataFrame, *, column: str = "ally", lags: tuple[int, ...] = (1, 3)
) -> SurvivalResult:
    spells = alliance_spells(dyads, state_years, column=column)
    lagged = {k: cox_time_varying(alliance_episodes(dyads, spells, lag=k)) for k in lags}
    return SurvivalResult(
        cox_at_formation(spells), cox_time_varying(alliance_episodes(dyads, spells)), kaplan_meier_split(spells), lagged
    )


# ------------------------------------------------------------------ H2: structural balance
@dataclass(frozen=True)
class SignedNetworks:
    codes: np.ndarray  # COW codes, the index of every matrix
    years: np.ndarray
    signs: np.ndarray  # (years, n, n) int8: +1 alliance, -1 dispute or rivalry, 0 none or ambiguous
    ambiguous: np.ndarray  # per year: dyads both allied and hostile (left out)


def signed_networks(dyads: pd.DataFrame, years: range | list[int]) -> SignedNetworks:
    """Alliances (+) and disputes or rivalries (-) per year on one index of states; a dyad allied
    and hostile in the same year is left out (0) and counted in ``ambiguous``."""
    years = np.asarray(list(years))
    part = dyads[dyads.year.isin(years)]
    codes = np.unique(np.concatenate([part.ccode1, part.ccode2]))
    hostile = (part.mid == 1) | (part.rival == 1)
    sign = np.where((part.ally == 1) & ~hostile, 1, np.where(hostile & (part.ally != 1), -1, 0)).astype(np.int8)
    t, i, j = (
        np.searchsorted(years, part.year),
        np.searchsorted(codes, part.ccode1),
        np.searchsorted(codes, part.ccode2),
    )
    signs = np.zeros((len(years), len(codes), len(codes)), dtype=np.int8)
    signs[t, i, j] = sign
    signs[t, j, i] = sign
    ambiguous = np.bincount(t[(part.ally == 1).to_numpy() & hostile.to_numpy()], minlength=len(years))
    return SignedNetworks(codes, years, signs, ambiguous)


def balanced_share(A: np.ndarray) -> tuple[float, int]:
    """Share of closed signed triads whose sign product is positive, and the number of closed triads:
    trace(A^3) = 6 (balanced - imbalanced), trace(|A|^3) = 6 (balanced + imbalanced)."""
    a = A.astype(np.float64)
    closed = float(np.einsum("ij,jk,ki->", np.abs(a), np.abs(a), np.abs(a)))
    if closed == 0:
        return float("nan"), 0
    signed = float(np.einsum("ij,jk,ki->", a, a, a))
    return (1.0 + signed / closed) / 2.0, round(closed / 6)


def signed_swap(A: np.ndarray, rng: np.random.Generator, swaps_per_edge: float = 10.0) -> np.ndarray:
    """A random network with every node's number of positive and negative ties kept: repeated swaps
    (a,b),(c,d) -> (a,d),(c,b) between two ties of one sign, refused when a new pair is a self-loop
    or already tied (of either sign)."""
    n = len(A)
    i, j = np.nonzero(np.triu(A != 0, k=1))
    tied = set((i * n + j).tolist()) | set((j * n + i).tolist())  # pair codes a * n + b, both directions
    out = np.zeros_like(A)
    for sign in (1, -1):
        i, j = np.nonzero(np.triu(A == sign, k=1))
        edges = list(zip(i.tolist(), j.tolist()))
        m = len(edges)
        tries = int(swaps_per_edge * m) if m >= 2 else 0
        first, second, flip = (
            rng.integers(0, max(m, 1), tries).tolist(),
            rng.integers(0, max(m, 1), tries).tolist(),
            rng.integers(0, 2, tries).tolist(),
        )
        for x, y, f in zip(first, second, flip):
            a, b = edges[x]
            c, d = edges[y] if f else edges[y][::-1]
            if a == c or a == d or b == c or b == d or a * n + d in tied or c * n + b in tied:
                continue
            tied -= {a * n + b, b * n + a, c * n + d, d * n + c}
            tied |= {a * n + d, d * n + a, c * n + b, b * n + c}
            edges[x], edges[y] = (a, d), (c, b)
        for a, b in edges:
            out[a, b] = out[b, a] = sign
    return out


def balance_null(
    A: np.ndarray, rng: np.random.Generator, samples: int = 20, swaps_per_edge: float = 10.0
) -> np.ndarray:
    """Balanced shares of ``samples`` signed-swap randomisations of ``A``."""
    return np.array([balanced_share(signed_swap(A, rng, swaps_per_edge))[0] for _ in range(samples)])


def balance_by_year(
    nets: SignedNetworks, *, seed: int = 0, samples: int = 20, swaps_per_edge: float = 10.0, advance=None
) -> pd.DataFrame:
    """Per year: closed triads, observed balanced share, null mean / 2.5% / 97.5% and z. One child
    seed per year (SeedSequence), so a year's null does not depend on which other years run."""
    rows = []
    for year, A, child in zip(nets.years.tolist(), nets.signs, np.random.SeedSequence(seed).spawn(len(nets.years))):
        observed, closed = balanced_share(A)
        null = balance_null(A, np.random.default_rng(child), samples, swaps_per_edge)
        sd = null.std(ddof=1) if samples > 1 else float("nan")
        rows.append(
            {
                "year": year,
                "closed_triads": closed,
                "positive_ties": int((np.triu(A, 1) == 1).sum()),
                "negative_ties": int((np.triu(A, 1) == -1).sum()),
                "ambiguous_dyads": nets.ambiguous[nets.years == year][0].item(),
                "balanced_share": observed,
                "null_mean": null.mean(),
                "null_lo": np.quantile(null, 0.025),
                "null_hi": np.quantile(null, 0.975),
                "z": (observed - null.mean()) / sd if sd > 0 else float("nan"),
            }
        )
        if advance is not None:
            advance(1)
    return pd.DataFrame(rows)


def _triangles(A: np.ndarray) -> np.ndarray:
    """All closed triads (i < j < k) of a signed matrix, as an (m, 3) array."""
    B = A != 0
    out = []
    for i, j in zip(*np.nonzero(np.triu(B, k=1))):
        ks = np.nonzero(B[i] & B[j])[0]
        ks = ks[ks > j]
        if len(ks):
            out.append(np.column_stack([np.full(len(ks), i), np.full(len(ks), j), ks]))
    return np.concatenate(out) if out else np.zeros((0, 3), dtype=int)


def triad_changes(nets: SignedNetworks, first: int, last: int, horizon: int = 5) -> pd.DataFrame:
    """For the closed triads of each year t in [first, last]: how many are balanced / imbalanced, how
    many of each change (a tie's sign or presence differs in some year t+1..t+horizon), and the number
    expected to change if ties changed independently at the rate of ties of their sign that year."""
    rows = []
    for t in range(first, last + 1):
        k = int(np.searchsorted(nets.years, t))
        A, later = nets.signs[k], nets.signs[k + 1 : k + 1 + horizon]
        if len(later) < horizon:
            raise ValueError(f"year {t} needs {horizon} later years of ties")
        moved = (later != A[None]).any(axis=0)  # (n, n): the tie's state changed within the horizon
        rate = {s: moved[np.triu(A == s, 1)].mean() if (np.triu(A == s, 1)).any() else 0.0 for s in (1, -1)}
        tri = _triangles(A)
        if not len(tri):
            continue
        i, j, kk = tri.T
        s1, s2, s3 = A[i, j], A[j, kk], A[i, kk]
        balanced = (s1.astype(int) * s2 * s3) > 0
        changed = moved[i, j] | moved[j, kk] | moved[i, kk]
        p1, p2, p3 = (np.where(s == 1, rate[1], rate[-1]) for s in (s1, s2, s3))
        expected = 1 - (1 - p1) * (1 - p2) * (1 - p3)
        for label, mask in (("balanced", balanced), ("imbalanced", ~balanced)):
            rows.append(
                {
                    "year": t,
                    "kind": label,
                    "triads": int(mask.sum()),
                    "changed": int(changed[mask].sum()),
                    "expected": float(expected[mask].sum()),
                }
            )
    return pd.DataFrame(rows)


def change_difference(changes: pd.DataFrame, *, seed: int = 0, resamples: int = 2000) -> pd.DataFrame:
    """Pooled change shares of imbalanced and balanced triads (observed and expected from tie rates),
    their difference, and 95% bootstrap intervals resampling years."""
    wide = changes.pivot_table(index="year", columns="kind", values=["triads", "changed", "expected"], fill_value=0)
    years = len(wide)
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(years, np.full(years, 1 / years), size=resamples).astype(float)

    def share(col: str, kind: str, w: np.ndarray) -> np.ndarray:
        return (w @ wide[(col, kind)].to_numpy()) / (w @ wide[("triads", kind)].to_numpy())

    ones = np.ones((1, years))
    rows = []
    for name, f in (
        ("imbalanced, changed", lambda w: share("changed", "imbalanced", w)),
        ("balanced, changed", lambda w: share("changed", "balanced", w)),
        ("imbalanced, expected from tie rates", lambda w: share("expected", "imbalanced", w)),
        ("balanced, expected from tie rates", lambda w: share("expected", "balanced", w)),
        (
            "difference imbalanced - balanced",
            lambda w: share("changed", "imbalanced", w) - share("changed", "balanced", w),
        ),
        (
            "difference beyond tie rates",
            lambda w: (
                (share("changed", "imbalanced", w) - share("expected", "imbalanced", w))
                - (share("changed", "balanced", w) - share("expected", "balanced", w))
            ),
        ),
    ):
        boot = f(weights)
        rows.append(
            {
                "quantity": name,
                "value": float(f(ones)[0]),
                "lo95": float(np.quantile(boot, 0.025)),
                "hi95": float(np.quantile(boot, 0.975)),
            }
        )
    return pd.DataFrame(rows)


# ------------------------------------------------------------------ H3: reversion to interests
def bootstrap_ratio(
    counts: np.ndarray, rng: np.random.Generator, resamples: int = 1000, chunk: int = 200
) -> np.ndarray:
    """Rate ratios (e_out / n_out) / (e_in / n_in) of ``resamples`` bootstrap samples of the rows of
    ``counts`` (one row per dyad: n_out, e_out, n_in, e_in)."""
    d = len(counts)
    if d == 0:
        return np.full(resamples, np.nan)
    out = []
    for start in range(0, resamples, chunk):
        w = rng.multinomial(d, np.full(d, 1 / d), size=min(chunk, resamples - start)).astype(float)
        n_out, e_out, n_in, e_in = (w @ counts).T
        with np.errstate(divide="ignore", invalid="ignore"):  # a sample without ends has no finite ratio
            out.append((e_out / n_out) / (e_in / n_in))
    return np.concatenate(out)


def _tie_ends(dyads: pd.DataFrame, state_years: pd.DataFrame, column: str, last: int) -> pd.DataFrame:
    """Tie dyad-years up to ``last`` with S, and whether the tie is gone the next year while both live."""
    tied = dyads[(dyads[column] == 1) & (dyads.year <= last) & dyads.low_s.notna()]
    next_year = set(
        zip(
            dyads.loc[dyads[column] == 1, "ccode1"],
            dyads.loc[dyads[column] == 1, "ccode2"],
            dyads.loc[dyads[column] == 1, "year"],
        )
    )
    still = np.array([(a, b, y + 1) in next_year for a, b, y in zip(tied.ccode1, tied.ccode2, tied.year)], dtype=bool)
    alive = _alive_next_year(tied, state_years, "year")
    tied = tied.assign(ended=(~still & alive).astype(int))
    return tied[still | alive]  # a tie that vanished with a state is neither an end nor a survival


def reversion_rates(
    dyads: pd.DataFrame, state_years: pd.DataFrame, *, seed: int = 0, resamples: int = 1000
) -> pd.DataFrame:
    """End rates of alliances with low S (out of line) vs high S, and of rivalries with high S (out of
    line) vs low S, their ratio with a 95% bootstrap interval over dyads, and 1 / rate as the expected
    years a tie lasts."""
    rows = []
    rng = np.random.default_rng(seed)
    for tie, column, last, out_if_low in (
        ("alliance", "ally", DATA_LAST_YEAR - 1, True),
        ("rivalry", "rival", MID_LAST_YEAR - 1, False),
    ):
        t = _tie_ends(dyads, state_years, column, last)
        out_line = (t.low_s == 1) if out_if_low else (t.low_s == 0)
        t = t.assign(
            n_out=out_line.astype(int),
            e_out=(out_line & (t.ended == 1)).astype(int),
            n_in=(~out_line).astype(int),
            e_in=(~out_line & (t.ended == 1)).astype(int),
        )
        counts = t.groupby(["ccode1", "ccode2"])[["n_out", "e_out", "n_in", "e_in"]].sum().to_numpy(dtype=float)
        n_out, e_out, n_in, e_in = counts.sum(axis=0) if len(counts) else np.zeros(4)
        boot = bootstrap_ratio(counts, rng, resamples)
        with np.errstate(divide="ignore", invalid="ignore"):  # no dyad-years of a kind: NaN rates, a failing row
            rows.append(_reversion_row(tie, out_if_low, n_out, e_out, n_in, e_in, boot, len(counts)))
    return pd.DataFrame(rows)


def _reversion_row(
    tie: str, out_if_low: bool, n_out: float, e_out: float, n_in: float, e_in: float, boot: np.ndarray, dyads: int
) -> dict:
    known = boot[~np.isnan(boot)]  # an infinite ratio (no in-line end in a sample) is kept: no interpolation
    lo, hi = (
        (float(np.quantile(known, q, method="inverted_cdf")) for q in (0.025, 0.975))
        if len(known)
        else (float("nan"), float("nan"))
    )
    n_out, e_out, n_in, e_in = (np.float64(v) for v in (n_out, e_out, n_in, e_in))
    return {
        "tie": tie,
        "out_of_line": "S below the year's median" if out_if_low else "S above the year's median",
        "dyad_years_out": int(n_out),
        "ends_out": int(e_out),
        "rate_out": e_out / n_out,
        "dyad_years_in": int(n_in),
        "ends_in": int(e_in),
        "rate_in": e_in / n_in,
        "years_expected_out": n_out / e_out,
        "years_expected_in": n_in / e_in,
        "rate_ratio": (e_out / n_out) / (e_in / n_in),
        "lo95": lo,
        "hi95": hi,
        "dyads": dyads,
    }
