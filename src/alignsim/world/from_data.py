"""Worlds from real data: interests from UN votes, capability from COW, ties from ATOP, rivalries, MIDs.

:func:`build_world` turns the compact data in ``alignsim/data/real/`` (see its README for sources,
versions, licences and citations) into an ordinary world mapping that :class:`alignsim.world.spec.WorldSpec`
accepts; :func:`write_world` validates it and writes it atomically with a header that records the
data and formulas. Every value carries a note saying where it came from. The formulas are stated in
``docs/model.md`` section 10. Nothing after ``year`` is read: the vote window ends at ``year`` and
every other table is taken at its latest year <= ``year``.
"""

from __future__ import annotations

import logging
import os
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.metadata import version
from pathlib import Path
from typing import Any

import country_converter as coco
import numpy as np
import pandas as pd
import yaml
from country_converter.country_converter import COUNTRY_DATA_FILE

from alignsim.errors import InputError
from alignsim.measures.analytics import alpha_critical
from alignsim.world.affinity import MEASURES, centred_measure
from alignsim.world.params import Params, params_set, params_set_names
from alignsim.world.spec import WorldSpec, WorldState, interest_baseline

# The six issue areas of the UN vote data (Voeten et al.), in the order of the world's dimensions.
ISSUES: dict[str, str] = {
    "me": "Palestinian conflict",
    "nu": "Nuclear weapons and nuclear material",
    "di": "Arms control and disarmament",
    "co": "Colonialism",
    "hr": "Human rights",
    "ec": "Economic development",
}
DIMENSION_IDS: dict[str, str] = {
    "me": "palestinian_conflict",
    "nu": "nuclear_weapons",
    "di": "arms_control",
    "co": "colonialism",
    "hr": "human_rights",
    "ec": "economic_development",
}
IDEAL = "us_led_order"
# The vote data run to 14 January 2020 (one roll call in 2020): 2019 is the last full year.
FIRST_YEAR, LAST_YEAR = 1946, 2019
MAX_WINDOW = 20
# Initial-relation terms on top of X0 (docs/model.md section 10): a strategic rivalry is a tie in X0
# itself (tie_rivalry), a militarized dispute in the window weighs like a sanction tie (t_s), shared
# IGOs at most like a diplomatic tie (t_d); contiguity has no sign of its own and only is recorded.
MID_TERM, IGO_TERM = -0.15, 0.1
ATOP_ALLIANCE = ("atop_defense", "atop_offense")
ATOP_TREATY = ("atop_neutral", "atop_nonagg", "atop_consul")


@cache
def converter() -> Any:
    """A country_converter instance whose table keeps Namibia's ISO2 code "NA".

    coco 1.3.2 reads its table with pandas' default missing-value markers except "NA", but pandas 3
    still turns "NA" into a missing value there, and the constructor then fails. Reading the same
    bundled table ourselves with ``keep_default_na=False`` and handing it over avoids that.
    """
    # coco logs every unknown name; our own errors say what is unknown and what is allowed.
    logging.getLogger("country_converter").setLevel(logging.ERROR)

    table = pd.read_csv(COUNTRY_DATA_FILE, sep="\t", encoding="utf-8", dtype=str, keep_default_na=False, na_values=[""])
    return coco.CountryConverter(country_data=table)


@cache
def table(name: str) -> pd.DataFrame:
    """One packaged table; ``keep_default_na`` off so that no code turns into a missing value."""
    path = resources.files("alignsim") / "data" / "real" / name
    with resources.as_file(path) as p:
        df = pd.read_csv(p, keep_default_na=False, na_values=[""])
    return df


def package_data_files() -> list[str]:
    folder = resources.files("alignsim") / "data" / "real"
    return sorted(p.name for p in folder.iterdir() if ".csv" in p.name)


# ----------------------------------------------------------------------------------- interests


@dataclass(frozen=True)
class Window:
    year: int
    years: int

    @property
    def first(self) -> int:
        return max(FIRST_YEAR, self.year - self.years + 1)

    @property
    def label(self) -> str:
        return f"{self.first}-{self.year}" if self.first < self.year else str(self.year)


def check_window(year: int, window: int) -> Window:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InputError(
            f"year {year} is outside the data: UN votes cover {FIRST_YEAR}-{LAST_YEAR} (the data end on "
            f"14 Jan 2020); COW capabilities run to 2022, ATOP to 2018, IGOs to 2014, MIDs to 2010",
            field="--year",
        )
    if not 1 <= window <= MAX_WINDOW:
        raise InputError(f"window {window} is not allowed: 1 to {MAX_WINDOW} years of votes", field="--window")
    return Window(year, window)


def issue_interests(w: Window) -> pd.DataFrame:
    """Per state and issue over the window: vote counts, position and salience.

    position = (yes - no) / (yes + abstain + no)  (mean of yes 1, abstain 0, no -1)
    salience = max(yes, no) / roll calls held on the issue: how often the state took its usual side,
    so it is high only when the state votes often *and* consistently on the issue.
    """
    v = table("unga_votes_by_issue.csv.gz")
    v = v[(v.year >= w.first) & (v.year <= w.year) & (v.issue != "all")]
    sums = v.groupby(["iso3", "issue"])[["yes", "abstain", "no"]].sum().reset_index()
    held = table("unga_roll_calls_by_issue.csv")
    held = held[(held.year >= w.first) & (held.year <= w.year)].groupby("issue").roll_calls.sum()
    cast = sums.yes + sums.abstain + sums.no
    sums["held"] = sums.issue.map(held).fillna(0).astype(int)
    sums["position"] = ((sums.yes - sums.no) / cast).where(cast > 0, 0.0)
    sums["salience"] = (np.maximum(sums.yes, sums.no) / sums.held).where(sums.held > 0, 0.0).clip(0, 1)
    return sums


def ideal_interests(w: Window) -> pd.DataFrame:
    """Per state: mean BSV ideal point over the window's sessions, rescaled across all states.

    position = 2 (ip - min) / (max - min) - 1, min and max over every state with an ideal point in
    the window (so a state's position does not depend on which others are built; the US-led
    order's pole is +1); salience = votes it cast / roll calls held in the window (participation).
    """
    ip = table("unga_ideal_points.csv.gz")
    ip = ip[(ip.year >= w.first) & (ip.year <= w.year)]
    agg = (
        ip.groupby("iso3")
        .agg(ideal=("ideal", "mean"), nvotes=("nvotes", "sum"), sessions=("session", "nunique"))
        .reset_index()
    )
    held = table("unga_roll_calls_by_issue.csv")
    held = held[(held.year >= w.first) & (held.year <= w.year) & (held.issue == "all")].roll_calls.sum()
    lo, hi = agg.ideal.min(), agg.ideal.max()
    agg["position"] = 2 * (agg.ideal - lo) / (hi - lo) - 1 if hi > lo else 0.0
    agg["salience"] = (agg.nvotes / held).clip(0, 1) if held else 0.0
    agg.attrs["range"] = (lo, hi)
    return agg


def voters(w: Window) -> set[str]:
    v = table("unga_votes_by_issue.csv.gz")
    v = v[(v.year >= w.first) & (v.year <= w.year) & (v.issue == "all")]
    return set(v.loc[(v.yes + v.abstain + v.no) > 0, "iso3"])


def interests_of(code: str, issues: pd.DataFrame, ideal: pd.DataFrame, w: Window) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    mine = issues[issues.iso3 == code].set_index("issue")
    for key, dim in DIMENSION_IDS.items():
        if key not in mine.index:
            out[dim] = {
                "position": 0.0,
                "salience": 0.0,
                "note": f"UNGA {w.label}: no vote on {ISSUES[key]}; salience 0.",
            }
            continue
        r = mine.loc[key]
        out[dim] = {
            "position": round(float(r.position), 3),
            "salience": round(float(r.salience), 3),
            "note": (
                f"UNGA {w.label}, {int(r.held)} roll calls on {ISSUES[key]}: yes {int(r.yes)}, abstain {int(r.abstain)}, "
                f"no {int(r.no)}; position (yes-no)/cast, salience max(yes,no)/held."
            ),
        }
    row = ideal[ideal.iso3 == code]
    if row.empty:
        out[IDEAL] = {"position": 0.0, "salience": 0.0, "note": f"BSV 2020: no ideal point in {w.label}; salience 0."}
    else:
        r = row.iloc[0]
        lo, hi = ideal.attrs["range"]
        out[IDEAL] = {
            "position": round(float(r.position), 3),
            "salience": round(float(r.salience), 3),
            "note": (
                f"BSV 2020 ideal point, mean of {int(r.sessions)} session(s) {w.label}: {r.ideal:.3f} on [{lo:.3f}, {hi:.3f}] "
                f"(all states) rescaled to [-1, 1]; salience {int(r.nvotes)} votes cast / roll calls held."
            ),
        }
    return out


def interest_arrays(codes: Sequence[str], issues: pd.DataFrame, ideal: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Positions and saliences (N x 7, the world's dimension order) of :func:`interests_of` for many
    states at once, without the notes: the same values, rounded alike, 0 where a state has no vote."""
    dims = [*DIMENSION_IDS, IDEAL]
    issue_cols = issues.set_index(["iso3", "issue"])[["position", "salience"]].unstack("issue")
    ideal_cols = ideal.set_index("iso3")[["position", "salience"]]
    out = []
    for column in ("position", "salience"):
        wide = pd.concat([issue_cols[column], ideal_cols[column].rename(IDEAL)], axis=1)
        values = wide.reindex(index=list(codes), columns=dims).fillna(0.0).to_numpy(dtype=float)
        out.append(np.array([[round(float(v), 3) for v in row] for row in values]).reshape(len(codes), len(dims)))
    return out[0], out[1]


# ------------------------------------------------------------------------------------ states


def latest(df: pd.DataFrame, year: int, column: str) -> pd.DataFrame:
    """Each state's row of the latest year <= ``year`` with a positive ``column``."""
    df = df[(df.year <= year) & (df[column] > 0)]
    return df.sort_values("year").groupby("iso3").tail(1).set_index("iso3")


def in_system(year: int) -> dict[str, tuple[int, int]]:
    """ISO3 -> (first, last) year of the COW spell covering ``year``; 2016 (the data's end) = ongoing."""
    s = table("cow_states.csv")
    s = s.assign(endyear=s.endyear.where(s.endyear < 2016, 9999))
    on = s[(s.styear <= year) & (s.endyear >= year)]
    return {r.iso3: (int(r.styear), int(r.endyear)) for r in on.itertuples()}


def name_of(code: str) -> str:
    name = converter().convert(code, src="ISO3", to="name_short", not_found=None)
    return name if isinstance(name, str) else code


def region_codes(region: str) -> tuple[str, list[str]]:
    """ISO3 codes of a coco continent ('Asia') or UN region ('Eastern Asia'); case-insensitive."""
    data = converter().data
    for column in ("continent", "UNregion"):
        values = {str(v).lower(): str(v) for v in data[column].dropna().unique()}
        if region.lower() in values:
            exact = values[region.lower()]
            return exact, sorted(data.loc[data[column] == exact, "ISO3"].dropna())
    known = sorted({*data.continent.dropna(), *data.UNregion.dropna()})
    raise InputError(
        f"unknown region '{region}'; known regions (continents and UN regions): {', '.join(known)}", field="--region"
    )


def select_states(states: Sequence[str] | None, region: str | None, everyone: bool, w: Window) -> list[str]:
    """The requested ISO3 codes, each checked: a real code, a state in ``year``, with votes and CINC."""
    system, voted = in_system(w.year), voters(w)
    cinc = set(latest(table("cow_nmc.csv.gz"), w.year, "cinc").index)
    usable = sorted(set(system) & voted & cinc)
    if everyone or region:
        if states:
            raise InputError("give either --states or --region/--all, not both", field="--states")
        pool = usable if everyone else [c for c in region_codes(region)[1] if c in usable]  # type: ignore[arg-type]
        if len(pool) < 2:
            raise InputError(
                f"region '{region}' has {len(pool)} state(s) with data in {w.year}; a world needs 2", field="--region"
            )
        return pool
    if not states:
        raise InputError(
            "name the states (--states CODE..., ISO 3166-1 alpha-3) or pass --region NAME or --all", field="--states"
        )
    codes = [c.strip().upper() for c in states]
    for code in codes:
        check_state(code, w, system, voted, cinc, usable)
    if len(set(codes)) != len(codes):
        raise InputError(f"a code is given twice: {' '.join(codes)}", field="--states")
    if len(codes) < 2:
        raise InputError("a world needs at least 2 states", field="--states")
    return codes


def check_state(
    code: str, w: Window, system: dict[str, Any], voted: set[str], cinc: set[str], usable: list[str]
) -> None:
    available = f"states with data in {w.year}: {', '.join(usable)}"
    spells = table("cow_states.csv")
    if code not in set(spells.iso3) and code not in set(converter().data.ISO3.dropna()):
        raise InputError(
            f"unknown code '{code}' (not an ISO 3166-1 alpha-3 code in the data); {available}", field="--states"
        )
    if code not in system:
        mine = spells[spells.iso3 == code]
        when = ", ".join(f"{a}-{'' if b >= 2016 else b}" for a, b in zip(mine.styear, mine.endyear)) or "never"
        raise InputError(
            f"'{code}' was not a state in {w.year} (COW state system: {when}); {available}", field="--states"
        )
    if code not in voted:
        raise InputError(f"'{code}' cast no UN General Assembly vote in {w.label}; {available}", field="--states")
    if code not in cinc:
        raise InputError(f"'{code}' has no COW capability (CINC) up to {w.year}; {available}", field="--states")


def state_entry(
    code: str, w: Window, issues: pd.DataFrame, ideal: pd.DataFrame, nmc: pd.DataFrame, energy: pd.DataFrame
) -> dict[str, Any]:
    c = nmc.loc[code]
    entry: dict[str, Any] = {
        "code": code,
        "name": name_of(code),
        "capability": float(f"{max(float(c.cinc), 1e-7):.4g}"),
        "capability_note": f"COW NMC CINC {int(c.year)} (share of world capability; latest year <= {w.year}).",
    }
    if code in energy.index:
        e = energy.loc[code]
        entry["economy"] = float(f"{e.pec / 1000:.4g}")
        entry["economy_note"] = (
            f"Proxy, not GDP: COW NMC primary energy consumption {int(e.year)}, million tonnes "
            "coal-equivalent. The model only compares economies (aid_capacity_ratio), so the unit cancels."
        )
    else:
        entry["economy_note"] = "No COW energy figure: the model's default (GDP in proportion to capability)."
    entry["loyalty_note"] = "Not in the data: the model's default loyalty (0.3)."
    entry["interests"] = interests_of(code, issues, ideal, w)
    return entry


# ------------------------------------------------------------------------------------ pairs


def pairs_in(df: pd.DataFrame, codes: Sequence[str]) -> pd.DataFrame:
    keep = set(codes)
    return df[df.a.isin(keep) & df.b.isin(keep)]


def alliance_ties(codes: Sequence[str], year: int) -> tuple[list[dict[str, str]], list[dict[str, str]], int]:
    """ATOP at min(year, 2018): defence or offence pact -> alliance; neutrality, non-aggression or
    consultation only -> treaty."""
    atop = table("atop_alliances.csv.gz")
    at = min(year, int(atop.year.max()))
    rows = pairs_in(atop[atop.year == at], codes)
    alliance, treaty = [], []
    for r in rows.itertuples():
        kinds = [k[5:] for k in (*ATOP_ALLIANCE, *ATOP_TREATY) if getattr(r, k) == 1]
        tie = {"a": r.a, "b": r.b, "note": f"ATOP v5 {at}: {', '.join(kinds)}."}
        (alliance if any(getattr(r, k) == 1 for k in ATOP_ALLIANCE) else treaty).append(tie)
    return alliance, treaty, at


def pair_facts(codes: Sequence[str], w: Window) -> dict[tuple[str, str], dict[str, Any]]:
    """Per unordered pair (a < b): rivalry, MIDs in the window, shared IGOs, contiguity."""
    facts: dict[tuple[str, str], dict[str, Any]] = {}

    def fact(a: str, b: str) -> dict[str, Any]:
        return facts.setdefault((min(a, b), max(a, b)), {})

    tss = pairs_in(table("rivalries_tss.csv"), codes)
    for r in tss[(tss.start <= w.year) & (tss.end >= w.year)].itertuples():
        fact(r.a, r.b)["rivalry"] = (
            f"TSS strategic rivalry '{r.rivalry}' ({r.start}-{r.end if r.end < 2020 else ''}, {r.type})"
        )
    mid = pairs_in(table("gml_mids.csv.gz"), codes)
    mid = mid[(mid.year >= w.first) & (mid.year <= w.year)]
    for (a, b), g in mid.groupby(["a", "b"]):
        fact(a, b)["mid"] = (
            f"GML MIDs {w.label}: {g.dispnum.nunique()} dispute(s), highest hostility {int(g.hostlev.max())}"
        )
    igo = table("cow_igo.csv.gz")
    igo_year = min(w.year, int(igo.year.max()))
    year_igo = igo[igo.year == igo_year]
    top = int(year_igo.dyadigos.max())
    for r in pairs_in(year_igo, codes).itertuples():
        fact(r.a, r.b)["igo"] = (int(r.dyadigos), top, igo_year)
    cont = pairs_in(table("cow_contiguity.csv"), codes)
    for r in cont[(cont.start <= w.year) & (cont.end >= min(w.year, 2016))].itertuples():
        fact(r.a, r.b)["contiguity"] = (
            "land border" if r.conttype == 1 else f"contiguous by sea (COW type {r.conttype})"
        )
    return facts


def rivalry_ties(facts: dict[tuple[str, str], dict[str, Any]]) -> list[dict[str, str]]:
    """A strategic rivalry active in the year is a rivalry tie: it lowers X0 both ways (docs/model.md §1)."""
    return [
        {"a": a, "b": b, "note": f"{fact['rivalry']}."} for (a, b), fact in sorted(facts.items()) if "rivalry" in fact
    ]


def initial_relations(
    spec_raw: dict[str, Any],
    facts: dict[tuple[str, str], dict[str, Any]],
    w: Window,
    min_abs: float,
    params: Params | None = None,
) -> list[dict[str, Any]]:
    """W0 = clip(X0 + MID + IGO terms, -1, 1), symmetric; X0 with the default parameters (a rivalry
    enters X0 as a tie, so it is not added again). With a calibrated set (``params``), W0 = X0 of that
    set, whose affinities already hold the fitted dispute, IGO and contiguity terms."""
    state = WorldState.from_spec(WorldSpec.model_validate(spec_raw))
    x0 = interest_baseline(state, params or Params())
    codes, out = state.codes, []
    for i in range(len(codes)):
        for j in range(i + 1, len(codes)):
            key = (min(codes[i], codes[j]), max(codes[i], codes[j]))
            if params is not None:
                weight = round(float(np.clip(x0[i, j], -1, 1)), 3)
                parts = [f"X0 {weight:+.3f} (calibrated set)"]
            else:
                weight, parts = relation_terms(float(x0[i, j]), facts.get(key, {}), w)
            if abs(weight) >= min_abs and (weight != 0 or min_abs == 0):
                out.append({"source": codes[i], "target": codes[j], "weight": weight, "note": "; ".join(parts)})
    return out


def relation_terms(x0: float, fact: dict[str, Any], w: Window) -> tuple[float, list[str]]:
    total, parts = x0, [f"X0 {x0:+.3f} (votes and ties, default params)"]
    if "rivalry" in fact:
        parts.append(f"{fact['rivalry']}: a rivalry tie, in X0")
    if "mid" in fact:
        total += MID_TERM
        parts.append(f"{fact['mid']}: {MID_TERM:+.2f}")
    elif w.first > 2010:
        parts.append("MIDs: none recorded (GML data end in 2010)")
    if "igo" in fact:
        n, top, at = fact["igo"]
        term = IGO_TERM * n / top
        total += term
        parts.append(f"COW IGO {at}: {n} shared (most of any pair {top}): {term:+.3f}")
    if "contiguity" in fact:
        parts.append(f"COW contiguity: {fact['contiguity']} (recorded, no term)")
    return round(float(np.clip(total, -1, 1)), 3), parts


def diplomatic_ties(codes: Sequence[str], absent: Sequence[tuple[str, str]]) -> list[dict[str, str]]:
    """Every pair, except those the user names: the data hold no diplomatic relations (assumption)."""
    gone = {frozenset(p) for p in absent}
    note = "Assumption (see header): the data hold no diplomatic relations; every pair is assumed to have them."
    return [
        {"a": a, "b": b, "note": note if len(codes) <= 40 else "assumed"}
        for i, a in enumerate(codes)
        for b in codes[i + 1 :]
        if frozenset((a, b)) not in gone
    ]


def parse_pairs(items: Sequence[str], codes: Sequence[str]) -> list[tuple[str, str]]:
    pairs = []
    for item in items:
        parts = item.upper().split("-")
        if len(parts) != 2 or not all(p in codes for p in parts) or parts[0] == parts[1]:
            raise InputError(
                f"'{item}' is not a pair of this world's states like 'PRK-KOR'; states: {', '.join(codes)}",
                field="--no-diplomatic",
            )
        pairs.append((parts[0], parts[1]))
    return pairs


# ------------------------------------------------------------------------------------ world


@dataclass(frozen=True)
class Built:
    """A world mapping (ready for WorldSpec), the header that records how it was made, and warnings."""

    world: dict[str, Any]
    header: str
    warnings: tuple[str, ...] = ()
    summary: str = ""


DEFAULT_PARAMS_SET = "history_1950_1989"


def default_params_set() -> str | None:
    """The calibrated set data worlds use unless told otherwise (None before ``alignsim calibrate`` has run)."""
    return DEFAULT_PARAMS_SET if DEFAULT_PARAMS_SET in params_set_names() else None


def affinity_entries(
    codes: Sequence[str],
    measure: str,
    w: Window,
    facts: dict[tuple[str, str], dict[str, Any]],
    chosen: dict[str, Any] | None,
) -> list[dict[str, Any]]:
    """Every pair's affinity on X0's scale: interest_weight x the centred measure, plus (with a calibrated
    set) its fitted dispute, shared-IGO and contiguity terms (docs/model.md §10)."""
    m = centred_measure(measure, codes, w.first, w.year)
    params = chosen["params"] if chosen else {}
    weight = float(params.get("interest_weight", Params().interest_weight))
    terms = chosen.get("terms", {}) if chosen else {}
    out = []
    for i, a in enumerate(codes):
        for j in range(i + 1, len(codes)):
            b = codes[j]
            fact = facts.get((min(a, b), max(a, b)), {})
            value = weight * m[i, j]
            if terms:
                value += terms["dispute"] * ("mid" in fact) + terms["contiguity"] * ("contiguity" in fact)
                if "igo" in fact:
                    value += terms["igo"] * fact["igo"][0] / fact["igo"][1]
            out.append({"a": a, "b": b, "value": round(float(np.clip(value, -1, 1)), 4)})
    return out


def tie_sign_warnings(world: dict[str, Any], params: Params) -> tuple[list[str], str]:
    """An active rivalry with a positive X0, or a defence pact with a negative one (X0 contradicts the
    ties); and a one-line summary: the shares of each, and the world's tipping point at these parameters."""
    state = WorldState.from_spec(WorldSpec.model_validate(world))
    x0 = interest_baseline(state, params)
    index = {c: i for i, c in enumerate(state.codes)}
    out = []
    rivalries = world["ties"].get("rivalry", [])
    pacts = [t for t in world["ties"].get("alliance", []) if "defense" in t.get("note", "")]
    for t in rivalries:
        value = x0[index[t["a"]], index[t["b"]]]
        if value > 0:
            out.append(f"active rivalry {t['a']}-{t['b']} has a positive X0 ({value:+.3f})")
    for t in pacts:
        value = x0[index[t["a"]], index[t["b"]]]
        if value < 0:
            out.append(f"defence pact {t['a']}-{t['b']} has a negative X0 ({value:+.3f})")
    rival_bad = sum(w.startswith("active rivalry") for w in out)
    pact_bad = len(out) - rival_bad
    critical = alpha_critical(x0, params.beta)
    summary = (
        f"X0 against the ties: {rival_bad} of {len(rivalries)} active rivalries positive "
        f"({rival_bad / max(len(rivalries), 1):.0%}), {pact_bad} of {len(pacts)} defence pacts negative "
        f"({pact_bad / max(len(pacts), 1):.0%}); lambda1(X0) {params.beta / (4 * critical) if critical else 0:.3g}, "
        f"tipping point alpha_c = {critical:.3g}"
    )
    return out, summary


def build_world(
    states: Sequence[str] | None = None,
    *,
    year: int,
    window: int = 5,
    region: str | None = None,
    everyone: bool = False,
    no_diplomatic: Sequence[str] = (),
    name: str | None = None,
    min_relation: float = 0.0,
    command: str = "",
    interest_measure: str | None = None,
    params_set_name: str | None = "default",
    calibration: dict[str, Any] | None = None,
) -> Built:
    """Build a world from the packaged real data (see the module docstring and docs/model.md §10).

    ``params_set_name`` "default" uses the shipped calibrated set when there is one (None: the default
    parameters and the earlier relation terms); ``interest_measure`` defaults to the set's measure, else
    ``issue_mean`` (interest positions only, no affinity)."""
    w = check_window(year, window)
    set_name = default_params_set() if params_set_name == "default" else params_set_name
    try:
        chosen = calibration if calibration is not None else (params_set(set_name) if set_name else None)
    except KeyError as err:
        raise InputError(str(err.args[0]), field="--params-set") from None
    measure = interest_measure or (chosen["measure"] if chosen else "issue_mean")
    if measure not in MEASURES:
        raise InputError(
            f"unknown interest measure '{measure}'; allowed: {', '.join(MEASURES)}", field="--interest-measure"
        )
    codes = select_states(states, region, everyone, w)
    absent = parse_pairs(no_diplomatic, codes)
    issues, ideal = issue_interests(w), ideal_interests(w)
    nmc = table("cow_nmc.csv.gz")
    cinc, energy = latest(nmc, year, "cinc"), latest(nmc, year, "pec")
    alliance, treaty, atop_year = alliance_ties(codes, year)
    overrides = [
        {"a": a, "b": b, "note": "Override (builder option --no-diplomatic): no diplomatic relations."}
        for a, b in absent
    ]
    raw: dict[str, Any] = {
        "name": name or f"real_{year}_{len(codes)}",
        "description": (
            f"{len(codes)} states in {year}, built from real data by alignsim world build: interests from UN votes "
            f"{w.label}, CINC capability, ATOP {atop_year} ties, rivalries, MIDs and shared IGOs in the initial relations."
        ),
        "dimensions": dimensions(),
        "states": [state_entry(c, w, issues, ideal, cinc, energy) for c in codes],
        "relations": [],
        "ties": {"diplomatic": diplomatic_ties(codes, absent), "treaty": treaty, "alliance": alliance},
    }
    facts = pair_facts(codes, w)
    raw["ties"]["rivalry"] = rivalry_ties(facts)
    params = Params(**chosen["params"]) if chosen else None
    if measure != "issue_mean":
        raw["affinity"] = affinity_entries(codes, measure, w, facts, chosen)
    if chosen and calibration is None:
        raw["params_set"] = set_name
    raw["relations"] = initial_relations(raw, facts, w, min_relation, params)
    lines = header(codes, w, atop_year, overrides, min_relation, command) + measure_header(measure, set_name)
    warnings, summary = tie_sign_warnings(raw, params or Params())
    if chosen:
        summary += f"; the set puts alpha at {chosen['alpha_fraction']} x alpha_c"
    return Built(raw, lines, tuple(warnings), summary)


def measure_header(measure: str, set_name: str | None) -> str:
    lines = []
    if measure != "issue_mean":
        lines.append(
            f"Interest measure '{measure}' (alignsim/world/affinity.py): affinity = interest_weight x the measure centred on the "
            "year's median pair (0 = a typical pair), votes cast up to 31 December of Y only"
            + ("; the BSV ideal points pool 1946-2019 in one estimate." if measure == "ideal" else ".")
        )
    if set_name:
        lines.append(
            f"Parameter set '{set_name}' (alignsim/data/calibration/{set_name}.json, fitted on 1950-1989 by alignsim calibrate): "
            "affinity adds its fitted dispute, shared-IGO and contiguity terms; ties weigh as the set says; W0 = X0 of the set; "
            "scenarios on this world use the set unless they name their own."
        )
    return "".join(f"# {line}\n" for line in lines)


def dimensions() -> list[dict[str, str]]:
    dims = [
        {"id": DIMENSION_IDS[k], "meaning": f"UNGA votes on {v} (+1 always yes, -1 always no)."}
        for k, v in ISSUES.items()
    ]
    dims.append(
        {
            "id": IDEAL,
            "meaning": "Stance toward the US-led liberal order: BSV ideal point rescaled (+1 the US pole, -1 the opposite pole).",
        }
    )
    return dims


def header(
    codes: Sequence[str], w: Window, atop_year: int, overrides: list[dict[str, str]], min_relation: float, command: str
) -> str:
    lines = [
        f"BUILT FROM REAL DATA by alignsim {version('alignsim')} `alignsim world build`"
        + (f": {command}" if command else ""),
        f"Year {w.year}, vote window {w.label}; nothing after {w.year} is read. Every value's note names its source.",
        "Data (alignsim/data/real/README.md gives versions, licences, citations and input sha256):",
        "  UN General Assembly votes (Voeten, Strezhnev & Bailey, Dataverse hdl:1902.1/12379, CC0; unvotes 0.2.0.9000);",
        "  ideal points (Bailey, Strezhnev & Voeten 2017, JCR 61(2), April 2020 release);",
        "  COW NMC (CINC; energy as economy proxy), COW state system v2016, COW contiguity v3.2, COW IGO v3;",
        f"  ATOP v5 (alliances; year {atop_year}); GML MIDs v2.2.1 (to 2010); Thompson, Sakuwa & Suzuki (2022) rivalries.",
        "Formulas (docs/model.md section 10):",
        "  issue position = (yes - no) / (yes + abstain + no) over the window; salience = max(yes, no) / roll calls held;",
        "  us_led_order position = BSV ideal point (window mean) rescaled over all states to [-1, 1]; salience = votes cast / held;",
        "  capability = CINC of the latest year <= Y; economy = primary energy consumption (proxy, not GDP);",
        "  alliance tie = ATOP defence or offence pact; treaty tie = ATOP neutrality, non-aggression or consultation only;",
        "  rivalry tie = a Thompson-Sakuwa-Suzuki strategic rivalry active in Y (tie_rivalry in X0);",
        "  diplomatic ties = ASSUMED for every pair (the data have none) except --no-diplomatic overrides; no sanctions;",
        f"  initial relation W0 = clip(X0 {MID_TERM:+} MID-in-window + {IGO_TERM} * shared IGOs / most shared, -1, 1),",
        "  symmetric, X0 from this file with the default parameters; contiguity is recorded in notes, without a term.",
    ]
    if min_relation > 0:
        lines.append(
            f"  Pairs with |W0| < {min_relation} are omitted and start at 0 (they relax toward X0 within months)."
        )
    for o in overrides:
        lines.append(f"Override: no diplomatic relations {o['a']}-{o['b']}.")
    return "".join(f"# {line}\n" for line in lines)


def world_text(built: Built) -> str:
    """The world file's text, after checking that WorldSpec accepts it."""
    WorldSpec.model_validate(built.world)
    # libyaml's emitter when present: the pure-Python one spends 16 of 19 s on a 193-state world.
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    body = yaml.dump(
        built.world, Dumper=dumper, sort_keys=False, allow_unicode=True, default_flow_style=None, width=240
    )
    return built.header + body


def check_world_out(out: Path, *, overwrite: bool = False) -> None:
    """Refuse an ``--out`` the world file cannot go to, before the work: a folder, a device, FIFO or
    symbolic link (never replaced), an existing file without ``overwrite``, a missing or unwritable folder."""
    out = Path(out)
    try:
        info = out.lstat()
    except FileNotFoundError:
        info = None
    except OSError as err:
        raise InputError(f"cannot be written: {err.strerror or err}", field="--out", path=out) from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise InputError("is a folder; give a file name like world.yaml", field="--out", path=out)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(
                "is not a regular file (a device, pipe, socket or symbolic link), which is never replaced; "
                "give a file name like world.yaml",
                field="--out",
                path=out,
            )
        if not overwrite:
            raise InputError("exists; choose another --out or pass --overwrite to replace it", field="--out", path=out)
    parent = out.parent
    if not parent.is_dir():
        what = "does not exist" if not parent.exists() else "is not a folder"
        raise InputError(f"folder '{parent}' {what}", field="--out", path=out)
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(f"folder '{parent}' is not writable; choose another --out", field="--out", path=out)


def write_world(built: Built, out: Path, *, overwrite: bool = False) -> Path:
    """Write atomically: a temporary file in the target folder, renamed over ``out`` when complete.
    Only a regular file is ever replaced, and only with ``overwrite`` (:func:`check_world_out`)."""
    text = world_text(built)
    out = Path(out)
    check_world_out(out, overwrite=overwrite)
    try:
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    except OSError as err:
        raise InputError(
            f"cannot be written: {err.strerror or err}; choose another --out", field="--out", path=out
        ) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a world file is meant to be read by others
        check_world_out(out, overwrite=overwrite)  # again: something may have appeared there meanwhile
        os.replace(tmp, out)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(
            f"cannot be written: {err.strerror or err}; choose another --out", field="--out", path=out
        ) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out
