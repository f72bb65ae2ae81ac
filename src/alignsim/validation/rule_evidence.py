"""Each decision rule against the shipped history data (docs/model.md, "Evidence for each rule").

Pure functions over the packaged dyad-year tables (ATOP alliances, GML disputes, Thompson & Dreyer
rivalries, S of UN votes: src/alignsim/data/history/) and the yearly UN vote counts
(src/alignsim/data/real/). Each test gives per-year counts; the figure is a ratio or a difference
of the pooled counts, its 95% interval from resampling years (a cluster bootstrap). A test passes
when its interval lies on the side the rule predicts -- declared in docs/model.md before the
first run. ``evidence(first, last)`` runs them all on a span of years; the test suite runs them on
a reduced span.

    python benchmarks/rule_evidence.py            # 1950-1989 (fit) and 1990-2018 (test)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import files

import numpy as np
import pandas as pd

from alignsim.validation.history import HistoryData, load_history

__all__ = ["Finding", "YearData", "evidence", "load_years"]

Pair = tuple[int, int]
REPS = 400


@dataclass(frozen=True)
class YearData:
    """One year of the history, as sets: members, alliances (any ATOP commitment), defence pacts,
    disputes, rivalries (unordered pairs, lower code first) and S of UN votes by pair."""

    year: int
    members: frozenset[int]
    ally: frozenset[Pair]
    defense: frozenset[Pair]
    mid: frozenset[Pair]
    rival: frozenset[Pair]
    s: dict[Pair, float]
    s_median: float
    abstain: dict[int, float]  # share of abstentions among the state's votes that calendar year


@dataclass(frozen=True)
class Finding:
    rule: str
    regularity: str
    measure: str  # what the figure is
    estimate: float
    low: float
    high: float
    expect: str  # "above" or "below" the null value
    null: float
    cases: int  # events behind the figure (the treated group)

    @property
    def passed(self) -> bool:
        return self.low > self.null if self.expect == "above" else self.high < self.null

    def line(self) -> str:
        verdict = "supported" if self.passed else "not supported"
        return (
            f"{self.rule:13} {self.measure}: {self.estimate:.3g} [{self.low:.3g}, {self.high:.3g}] "
            f"({self.cases} cases; {verdict})"
        )


def _pair(a: int, b: int) -> Pair:
    return (a, b) if a < b else (b, a)


def load_years(first: int, last: int, history: HistoryData | None = None) -> dict[int, YearData]:
    """The years first..last + 1 (the tests look one year ahead) as :class:`YearData`."""
    h = history if history is not None else load_history()
    d = h.dyads[(h.dyads.year >= first) & (h.dyads.year <= last + 1)]
    median = h.s_by_year.set_index("year")["median"]
    abstain = _abstention(first, last + 1)
    out = {}
    for year, rows in d.groupby("year", sort=True):
        pairs = list(zip(rows.ccode1.tolist(), rows.ccode2.tolist()))

        def having(column: str, rows: pd.DataFrame = rows, pairs: list[Pair] = pairs) -> frozenset[Pair]:
            return frozenset(p for p, v in zip(pairs, rows[column].tolist()) if v == 1)

        s = {p: v for p, v in zip(pairs, rows.s.tolist()) if v == v}  # noqa: PLR0124 (NaN test)
        members = frozenset(h.state_years.ccode[h.state_years.year == year].tolist())
        out[int(year)] = YearData(
            int(year),
            members,
            having("ally"),
            having("defense"),
            having("mid"),
            having("rival"),
            s,
            float(median.get(year, np.nan)),
            abstain.get(int(year), {}),
        )
    return out


def _abstention(first: int, last: int) -> dict[int, dict[int, float]]:
    """Share of abstentions among each state's UN votes per calendar year (all issues), by COW code."""
    real = files("alignsim") / "data" / "real"
    votes = pd.read_csv(real / "unga_votes_by_issue.csv.gz", compression="gzip")
    votes = votes[(votes.issue == "all") & (votes.year >= first) & (votes.year <= last)]
    codes = pd.read_csv(real / "cow_states.csv").drop_duplicates("iso3").set_index("iso3").ccode
    votes = votes[votes.iso3.isin(codes.index)]
    cast = votes.yes + votes.abstain + votes.no
    votes = votes.assign(ccode=votes.iso3.map(codes), share=votes.abstain / cast.where(cast > 0))
    out: dict[int, dict[int, float]] = defaultdict(dict)
    for year, code, share in zip(votes.year.tolist(), votes.ccode.tolist(), votes.share.tolist()):
        if share == share:  # noqa: PLR0124 (NaN test)
            out[int(year)][int(code)] = float(share)
    return out


def _allies(pairs: frozenset[Pair]) -> dict[int, set[int]]:
    out: dict[int, set[int]] = defaultdict(set)
    for a, b in pairs:
        out[a].add(b)
        out[b].add(a)
    return out


# ------------------------------------------------------------------ the tests: per-year counts
# Each returns, per year, the counts (treated hits, treated cases, control hits, control cases).
Counts = tuple[float, float, float, float]


def substitution_counts(now: YearData, before: YearData, after: YearData) -> Counts:
    """court: states that lost an ally (a partner still in the system) form a new alliance within a
    year, against states that lost none."""
    allies_now, allies_before, allies_after = _allies(now.ally), _allies(before.ally), _allies(after.ally)
    hits = cases = other_hits = others = 0.0
    for state in now.members & before.members:
        lost = any(b in now.members for b in allies_before.get(state, set()) - allies_now.get(state, set()))
        new = bool(allies_after.get(state, set()) - allies_now.get(state, set()))
        if lost:
            hits, cases = hits + new, cases + 1
        else:
            other_hits, others = other_hits + new, others + 1
    return hits, cases, other_hits, others


def affinity_counts(now: YearData, before: YearData, after: YearData) -> Counts:
    """court: the new partners of states that lost an ally, and of the others: S of their UN votes
    with the new partner above the year's median over all pairs."""
    allies_now, allies_before, allies_after = _allies(now.ally), _allies(before.ally), _allies(after.ally)
    hits = cases = other_hits = others = 0.0
    for state in now.members & before.members:
        lost = any(b in now.members for b in allies_before.get(state, set()) - allies_now.get(state, set()))
        for partner in allies_after.get(state, set()) - allies_now.get(state, set()):
            s = after.s.get(_pair(state, partner))
            if s is None:
                continue
            if lost:
                hits, cases = hits + (s > after.s_median), cases + 1
            else:
                other_hits, others = other_hits + (s > after.s_median), others + 1
    return hits, cases, other_hits, others


def joining_counts(now: YearData, before: YearData, after: YearData) -> Counts:
    """solidarity: third states with a defence pact with one side of a dispute (and no alliance with
    the other) are in a dispute with the other side, against third states allied to neither."""
    allies, pacts = _allies(now.ally), _allies(now.defense)
    foes = _allies(now.mid)
    hits = cases = other_hits = others = 0.0
    for b, c in now.mid:
        for victim, opponent in ((b, c), (c, b)):
            neither = allies.get(victim, set()) | allies.get(opponent, set()) | {victim, opponent}
            for third in pacts.get(victim, set()) - allies.get(opponent, set()) - {opponent}:
                hits, cases = hits + (third in foes.get(opponent, set())), cases + 1
            joiners = foes.get(opponent, set()) - neither
            other_hits += len(joiners & now.members)
            others += len(now.members - neither)
    return hits, cases, other_hits, others


def defection_counts(now: YearData, before: YearData, after: YearData) -> Counts:
    """cool: when an ally B of A allies with A's rival C, the change of S(A, B) over the year, against
    the change of S over every other alliance (sums of changes, counts)."""
    allies_now, allies_after = _allies(now.ally), _allies(after.ally)
    rivals = _allies(now.rival)
    treated: set[Pair] = set()
    for b in now.members:
        for c in allies_after.get(b, set()) - allies_now.get(b, set()):
            for a in rivals.get(c, set()) & allies_now.get(b, set()):
                if a != b:
                    treated.add(_pair(a, b))
    hits = cases = other_hits = others = 0.0
    for pair in now.ally:
        if pair in now.s and pair in after.s:
            change = after.s[pair] - now.s[pair]
            if pair in treated:
                hits, cases = hits + change, cases + 1
            else:
                other_hits, others = other_hits + change, others + 1
    return hits, cases, other_hits, others


def balancing_counts(now: YearData, before: YearData, after: YearData) -> Counts:
    """balance: a state in a dispute with C forms a new alliance with another of C's opponents that
    year, against its new alliances with any other state not yet its ally."""
    allies_now, allies_after = _allies(now.ally), _allies(now.ally | after.ally)
    foes = _allies(now.mid)
    hits = cases = other_hits = others = 0.0
    for a in now.members:
        mine = allies_now.get(a, set()) | {a}
        fellow = set().union(*(foes.get(c, set()) for c in foes.get(a, set()))) - mine - foes.get(a, set())
        fellow &= after.members
        new = allies_after.get(a, set()) - mine
        rest = (now.members & after.members) - mine - fellow
        hits, cases = hits + len(new & fellow), cases + len(fellow)
        other_hits, others = other_hits + len(new & rest), others + len(rest)
    return hits, cases, other_hits, others


def cross_pressure_counts(now: YearData, before: YearData, after: YearData) -> Counts:
    """solidarity (cross-pressure): the abstention share of third states allied to both of two rivals,
    against third states allied to exactly one (sums of shares, counts; one observation per rivalry)."""
    allies = _allies(now.ally)
    hits = cases = other_hits = others = 0.0
    for r1, r2 in now.rival:
        one, two = allies.get(r1, set()) - {r2}, allies.get(r2, set()) - {r1}
        for third in one | two:
            share = now.abstain.get(third)
            if share is None:
                continue
            if third in one and third in two:
                hits, cases = hits + share, cases + 1
            else:
                other_hits, others = other_hits + share, others + 1
    return hits, cases, other_hits, others


# ------------------------------------------------------------------ pooling and the bootstrap
def _ratio(c: np.ndarray) -> float:
    return float((c[0] / c[1]) / (c[2] / c[3])) if c[1] and c[3] and c[2] else float("nan")


def _difference(c: np.ndarray) -> float:
    return float(c[0] / c[1] - c[2] / c[3]) if c[1] and c[3] else float("nan")


def _share(c: np.ndarray) -> float:
    return float(c[0] / c[1]) if c[1] else float("nan")


TESTS: tuple[tuple[str, str, str, Callable[..., Counts], Callable[[np.ndarray], float], str, float], ...] = (
    (
        "court",
        "a state that loses an ally forms a new alliance more often (partner substitution)",
        "rate ratio of new alliances within a year, after a loss vs without",
        substitution_counts,
        _ratio,
        "above",
        1.0,
    ),
    (
        "court",
        "the new partner after a loss shares the state's interests (substitution by affinity)",
        "share of new partners after a loss with S of UN votes above the year's median",
        affinity_counts,
        _share,
        "above",
        0.5,
    ),
    (
        "solidarity",
        "allies stand by a state in a dispute",
        "rate ratio of a dispute with the opponent, defence pact with one side vs allied to neither",
        joining_counts,
        _ratio,
        "above",
        1.0,
    ),
    (
        "solidarity",
        "third states committed to both rivals abstain more (cross-pressure)",
        "difference of abstention share in UN votes, allied to both rivals vs to one (points of share)",
        cross_pressure_counts,
        _difference,
        "above",
        0.0,
    ),
    (
        "cool",
        "a state distances itself from an ally that allies with its rival",
        "difference of the yearly change of S(A, B) when ally B allies with A's rival vs other alliances",
        defection_counts,
        _difference,
        "below",
        0.0,
    ),
    (
        "balance",
        "a state in a dispute allies with its opponent's other opponents (balance of threat)",
        "rate ratio of a new alliance with a fellow opponent vs with any other non-ally",
        balancing_counts,
        _ratio,
        "above",
        1.0,
    ),
)


def evidence(
    first: int, last: int, *, reps: int = REPS, seed: int = 0, history: HistoryData | None = None
) -> list[Finding]:
    """Every test on the years first..last (each also reads the year before and after)."""
    years = load_years(first - 1, last, history)
    spans = [
        (years[t - 1], years[t], years[t + 1]) for t in range(first, last + 1) if {t - 1, t, t + 1} <= years.keys()
    ]
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(spans), size=(reps, len(spans)))
    out = []
    for rule, regularity, measure, counts, statistic, expect, null in TESTS:
        per_year = np.array([counts(now, before, after) for before, now, after in spans], dtype=float)
        estimate = statistic(per_year.sum(axis=0))
        boot = np.array([statistic(per_year[k].sum(axis=0)) for k in picks])
        low, high = np.nanquantile(boot, [0.025, 0.975])
        out.append(
            Finding(
                rule, regularity, measure, estimate, float(low), float(high), expect, null, int(per_year[:, 1].sum())
            )
        )
    return out
