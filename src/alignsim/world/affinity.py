"""Interest similarity with a meaningful zero: chance-corrected UN roll-call agreement and ideal-point distance.

Every measure is a symmetric matrix over the requested states, centred on the system of the year, so
0 means "as alike as a typical pair of states that year", not "no information":

- ``kappa``: Cohen's kappa of two states' votes (yes / abstain / no) over the roll calls both cast in the
  window, each state's own vote shares as its chance model (Häge 2011, *Political Analysis* 19(3)); minus
  the median over every pair of states voting in the window;
- ``pi``: Scott's pi, the same with the pair's pooled vote shares as the chance model;
- ``kappa_issues``: kappa computed within each of the six Voeten issue areas (at least ``MIN_COMMON``
  common votes) and averaged, then centred alike;
- ``ideal``: 1 - |ideal point_i - ideal point_j| / the median such distance, clipped to [-1, 1] (Bailey,
  Strezhnev & Voeten 2017, mean over the sessions in the window); a median pair scores 0;
- ``issue_mean``: the S-score of issue-mean vote positions (the earlier measure; no meaningful zero), kept
  as an option and computed from the world's interests by :func:`alignsim.world.spec.interest_similarity`.

Only votes cast up to 31 December of the world's year are read (``date`` of each roll call). The BSV ideal
points are one joint estimate over 1946-2019 (a dynamic model that smooths across sessions), so a session's
point carries some information from later votes; this is stated wherever ``ideal`` is used and not re-estimated.
Sessions are read up to the one that opened in the year before the world's (a session that opens in the
autumn of year t votes into t + 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from alignsim.errors import InputError

__all__ = [
    "MEASURES",
    "MIN_COMMON",
    "agreement",
    "centred_measure",
    "roll_call_votes",
]

MEASURES = ("kappa", "pi", "kappa_issues", "ideal", "issue_mean")
MIN_COMMON = 10  # fewer common votes than this: no estimate (the pair scores 0, the system's typical pair)
ISSUE_CODES = ("me", "nu", "di", "co", "hr", "ec")
VOTE_CODES = ("y", "a", "n")


@cache
def roll_call_votes() -> tuple[pd.DataFrame, list[str], np.ndarray]:
    """(roll calls with their year and issues, ISO3 codes, votes as int8 roll calls x states: 0 absent,
    1 yes, 2 abstain, 3 no) from ``data/real/unga_roll_call*`` (tools/prepare_roll_calls.py)."""
    folder = resources.files("alignsim") / "data" / "real"
    with resources.as_file(folder / "unga_roll_calls.csv") as p:
        calls = pd.read_csv(p, keep_default_na=False, dtype={"issues": str})
    with resources.as_file(folder / "unga_roll_call_votes.csv.gz") as p:
        wide = pd.read_csv(p, keep_default_na=False, dtype=str, index_col="rcid")
    codes = list(wide.columns)
    votes = np.zeros(wide.shape, dtype=np.int8)
    for k, code in enumerate(VOTE_CODES, start=1):
        votes[wide.to_numpy() == code] = k
    calls = calls.set_index("rcid").loc[wide.index].reset_index()
    calls["year"] = calls.date.str[:4].astype(int)
    return calls, codes, votes


def _window_votes(first: int, last: int, issue: str | None = None) -> tuple[list[str], np.ndarray]:
    calls, codes, votes = roll_call_votes()
    keep = (calls.year >= first).to_numpy() & (calls.year <= last).to_numpy()
    if issue is not None:
        keep &= calls.issues.str.contains(issue, regex=False).to_numpy()
    return codes, votes[keep].T  # states x roll calls


def agreement(first: int, last: int, kind: str = "kappa", issue: str | None = None) -> tuple[list[str], np.ndarray]:
    """Chance-corrected agreement of every pair of states voting in [first, last] (NaN below ``MIN_COMMON``
    common votes; the diagonal NaN). ``kind`` "kappa" (Cohen) or "pi" (Scott)."""
    codes, v = _window_votes(first, last, issue)
    voted = (v > 0).any(axis=1)
    codes = [c for c, keep in zip(codes, voted) if keep]
    v = v[voted]
    cast = (v > 0).astype(np.float64)
    cats = [(v == k).astype(np.float64) for k in (1, 2, 3)]
    common = cast @ cast.T
    agree = sum(c @ c.T for c in cats)
    own = [c @ cast.T for c in cats]  # own[k][i, j]: i's votes in k over the roll calls j also cast
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = agree / common
        if kind == "kappa":
            chance = sum(o * o.T for o in own) / common**2
        elif kind == "pi":
            chance = sum(((o + o.T) / (2 * common)) ** 2 for o in own)
        else:
            raise ValueError(f"unknown agreement {kind!r}")
        value = (observed - chance) / (1 - chance)
    # Both always voting alike with no variation at all: perfect agreement, chance-corrected or not.
    value = np.where(np.isclose(chance, 1.0) & np.isclose(observed, 1.0), 1.0, value)
    value[common < MIN_COMMON] = np.nan
    np.fill_diagonal(value, np.nan)
    return codes, value


def _issue_kappa(first: int, last: int) -> tuple[list[str], np.ndarray]:
    codes, _ = agreement(first, last)
    index = {c: i for i, c in enumerate(codes)}
    total, count = np.zeros((len(codes), len(codes))), np.zeros((len(codes), len(codes)))
    for issue in ISSUE_CODES:
        sub_codes, k = agreement(first, last, "kappa", issue)
        at = np.array([index[c] for c in sub_codes], dtype=int)
        known = ~np.isnan(k)
        block = np.ix_(at, at)
        total[block] += np.where(known, k, 0.0)
        count[block] += known
    with np.errstate(divide="ignore", invalid="ignore"):
        value = total / count
    np.fill_diagonal(value, np.nan)
    return codes, value


def _ideal_similarity(first: int, last: int) -> tuple[list[str], np.ndarray]:
    with resources.as_file(resources.files("alignsim") / "data" / "real" / "unga_ideal_points.csv.gz") as p:
        ip = pd.read_csv(p, keep_default_na=False, na_values=[""])
    # A session that opens in year y votes into y + 1: a world dated the end of ``last`` reads sessions to last - 1.
    ip = ip[(ip.year >= first - 1) & (ip.year <= last - 1)]
    mean = ip.groupby("iso3").ideal.mean().sort_index()
    codes = list(mean.index)
    d = np.abs(mean.to_numpy()[:, None] - mean.to_numpy()[None, :])
    med = float(np.median(d[np.triu_indices(len(codes), 1)])) if len(codes) > 1 else 1.0
    value = np.clip(1.0 - d / med, -1.0, 1.0) if med > 0 else np.zeros_like(d)
    value = value.astype(float)
    np.fill_diagonal(value, np.nan)
    return codes, value


def system_matrix(measure: str, first: int, last: int) -> tuple[list[str], np.ndarray]:
    """The measure over every state with data in the window, centred (its median pair at 0), NaN unknown."""
    if measure in ("kappa", "pi"):
        codes, value = agreement(first, last, measure)
    elif measure == "kappa_issues":
        codes, value = _issue_kappa(first, last)
    elif measure == "ideal":
        return _ideal_similarity(first, last)  # centred by construction
    else:
        raise InputError(
            f"unknown interest measure '{measure}'; allowed: {', '.join(MEASURES)}", field="--interest-measure"
        )
    known = value[np.triu_indices(len(codes), 1)]
    known = known[~np.isnan(known)]
    centre = float(np.median(known)) if known.size else 0.0
    return codes, np.clip(value - centre, -1.0, 1.0)


@cache
def _cached(measure: str, first: int, last: int) -> tuple[tuple[str, ...], np.ndarray]:
    codes, value = system_matrix(measure, first, last)
    value.setflags(write=False)
    return tuple(codes), value


def centred_measure(measure: str, codes: Sequence[str], first: int, last: int) -> np.ndarray:
    """The centred measure for ``codes`` (in that order); 0 (a typical pair) where unknown, 0 diagonal."""
    known, value = _cached(measure, first, last)
    index = {c: i for i, c in enumerate(known)}
    at = np.array([index.get(c, -1) for c in codes], dtype=int)
    out = np.zeros((len(codes), len(codes)))
    ok = at >= 0
    out[np.ix_(ok, ok)] = value[np.ix_(at[ok], at[ok])]
    out = np.nan_to_num(out, nan=0.0)
    np.fill_diagonal(out, 0.0)
    return out
