"""Synthetic worlds of N states, drawn from documented distributions, and the shipped UN-193 world.

:func:`generate_world` draws a :class:`~alignsim.world.spec.WorldSpec` from a seeded Generator, for
benchmarks, tests and teaching worlds larger than any hand-coded one. Every quantity comes from the
distribution written next to its field in :class:`WorldRecipe`:

- capability: heavy-tailed shares c_i = x_i / sum_j x_j with x_i ~ LogNormal(0, ``capability_sigma``)
  (sigma 1.5: the largest of 200 states holds ~10 percent, 6-18 in nine seeds of ten);
- economy (GDP, USD bn): ``world_gdp`` * c_i * LogNormal(0, ``economy_sigma``) -- GDP tracks
  capability with scatter;
- loyalty ~ Beta(``loyalty_a``, ``loyalty_b``) (mean 1/3 by default, the world files' default 0.3);
- need: 0, except for a share ``need_share`` of states drawn Uniform(0.5, 1) (a disaster in progress);
- interests: each state belongs to one of ``blocs`` latent blocs (uniformly at random unless given),
  and the blocs to two camps (half each, at random). On the first round(``alignment`` K) dimensions
  the camps take opposite sides: bloc centre = camp sign (+-1) x a_k, a_k ~ Uniform(0.6, 1); on the
  others each bloc takes its own side, +-Uniform(0.4, 1). Positions u_ik = clip(centre_bk +
  Normal(0, ``interest_spread``), -1, 1); saliences ~ Uniform(``salience_low``, ``salience_high``).
  (With centres drawn uniformly from [-1, 1]^K instead, the S-score of almost every pair would be
  positive: a world without adversaries.)
- diplomatic ties (dense): pair {i, j} with probability
  ``diplomatic_scale`` * (1 - (1 - ``diplomatic_base``)(1 - r_i)(1 - r_j)), r_i in [0, 1] the capability
  rank (1 = most capable): by default the great powers talk to everyone, two micro-states to each
  other half the time (88 percent of pairs on average);
- treaties (sparse): probability ``treaty_within`` inside a bloc, ``treaty_across`` across;
- alliances (sparse, inside blocs only): probability ``alliance_within``; treaties and alliances imply
  diplomatic relations;
- sanctions (rare, directed, across blocs only): i sanctions j with probability ``sanction_rate`` * 2 r_i
  (capable states sanction);
- initial relations: W0_ij = clip(X0_ij + Normal(0, ``relation_noise``), -1, 1), each direction drawn
  independently (one draw per pair, W0 symmetric, when ``directed_relations`` is false; N x N normals
  are drawn either way), with X0 the interest baseline of the drawn world under
  ``params`` (so a run starts near what interests justify, not at a transient from zero). Pairs whose
  two rounded values are both below ``relation_cutoff`` in magnitude are left out of the file
  (they start at 0); the default cutoff 0 keeps every pair.

Positions, saliences and initial relations are rounded to ``decimals`` (2) decimals, to keep files
readable; with round numbers some X0 entries can be exactly zero in exact arithmetic, and which
side of zero they land on is then decided by floating-point rounding (``decimals=None`` keeps full
precision). Draws happen in the order of the list above, so a recipe and a seed give one world.
Codes of synthetic states are three letters counted from AAA (not ISO codes); names "State AAA".

:func:`un193_world` builds the 193 UN member states (``data/un_members.csv``: real codes, names,
regions, approximate population and GDP) with real alliances and a few real sanction programmes,
and synthetic interests, diplomatic ties, treaties and initial relations; it is shipped as
``data/worlds/un193.yaml`` (regenerate with ``python -m alignsim.world.generate un193 PATH``).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from alignsim.world.params import Params
from alignsim.world.spec import WorldSpec, WorldState, interest_baseline

WORLD_GDP_USD_BN = 100_000.0  # world GDP, order of magnitude (about USD 105 trillion in 2023)


@dataclass(frozen=True)
class WorldRecipe:
    """The distributions of a synthetic world (see the module docstring for each one)."""

    dimensions: int = 6  # K interest dimensions
    blocs: int = 4  # latent interest blocs
    capability_sigma: float = 1.5  # sigma of the lognormal behind capability shares
    world_gdp: float = WORLD_GDP_USD_BN  # USD bn shared out by capability
    economy_sigma: float = 0.5  # lognormal scatter of GDP around capability
    loyalty_a: float = 2.0  # loyalty ~ Beta(a, b)
    loyalty_b: float = 4.0
    need_share: float = 0.05  # share of states with a disaster in progress
    alignment: float = 2 / 3  # share of dimensions on which the two camps of blocs take opposite sides
    interest_spread: float = 0.3  # sd of positions around the bloc centre
    salience_low: float = 0.1  # salience ~ Uniform(low, high)
    salience_high: float = 1.0
    diplomatic_base: float = 0.5  # probability of diplomatic ties between the two least capable states
    diplomatic_scale: float = 1.0  # multiplies every pair's probability (below 1: a sparser, embassy-like network)
    treaty_within: float = 0.05  # treaty probability inside a bloc
    treaty_across: float = 0.01  # treaty probability across blocs
    alliance_within: float = 0.03  # alliance probability inside a bloc
    sanction_rate: float = 0.005  # i sanctions j (across blocs) with probability rate * 2 r_i
    relation_noise: float = 0.1  # sd of initial relations around X0
    directed_relations: bool = True  # draw each direction's noise apart (False: one draw per pair, W0 symmetric)
    relation_cutoff: float = 0.0  # leave out pairs whose initial relations are both below this
    decimals: int | None = 2  # positions, saliences and initial relations are rounded to this (None: full precision)
    params: Params = field(default_factory=Params)  # X0 weights for the initial relations


@dataclass(frozen=True)
class KnownFacts:
    """Facts about real states that replace draws: any field left ``None`` is drawn."""

    codes: Sequence[str]
    names: Sequence[str] | None = None
    capability: Sequence[float] | None = None  # shares; normalised to sum 1
    economy: Sequence[float] | None = None  # GDP, USD bn
    blocs: Sequence[int] | None = None  # bloc index per state, 0 .. recipe.blocs - 1
    alliances: Sequence[tuple[str, str]] | None = None  # replaces the drawn alliances
    sanctions: Sequence[tuple[str, str]] | None = None  # (source, target); replaces the drawn sanctions


def synthetic_codes(n: int) -> list[str]:
    """AAA, AAB, ... : n distinct three-letter codes (at most 26^3 = 17576)."""
    if not 0 < n <= 26**3:
        raise ValueError(f"n must be between 1 and {26**3}, got {n}")
    return ["".join(t) for t in itertools.islice(itertools.product(string.ascii_uppercase, repeat=3), n)]


def generate_world(
    n: int,
    rng: np.random.Generator,
    recipe: WorldRecipe = WorldRecipe(),
    *,
    facts: KnownFacts | None = None,
    name: str | None = None,
    description: str = "",
) -> WorldSpec:
    """A synthetic world of ``n`` states drawn from ``recipe``'s distributions with ``rng``.

    ``facts`` replaces draws with known values; the draws are still made (and discarded) so that
    the other quantities of a seed do not depend on which facts were given.
    """
    if n < 2:
        raise ValueError("a world needs at least 2 states")
    r = recipe
    codes, names = _codes_and_names(n, facts)
    # the draws come in this order, whatever facts are given: one seed, one world
    capability, economy, loyalty, need = _attributes(n, rng, r, facts)
    bloc, positions, salience = _interests(n, rng, r, facts)
    diplomatic, treaty, alliance, sanction = _ties(n, rng, r, facts, codes, capability, bloc)
    # Round to what the file keeps before X0 is built, so that X0 from the file equals the X0 the
    # initial relations were drawn around.
    if r.decimals is not None:
        positions, salience = np.round(positions, r.decimals), np.round(salience, r.decimals)
    states = [
        _state(codes[i], names[i], capability[i], economy[i], loyalty[i], need[i], positions[i], salience[i])
        for i in range(n)
    ]
    data: dict[str, Any] = {
        "name": name or f"synthetic_{n}",
        "description": description,
        "dimensions": _dimensions(r.dimensions),
        "states": states,
        "ties": _tie_lists(codes, diplomatic, treaty, alliance, sanction),
    }
    data["relations"] = _initial_relations(n, rng, r, data, codes)
    return WorldSpec.model_validate(data)


def _codes_and_names(n: int, facts: KnownFacts | None) -> tuple[list[str], list[str]]:
    """The states' codes (the facts', else AAA, AAB, ...) and names (the facts', else "State AAA")."""
    codes = list(facts.codes) if facts is not None else synthetic_codes(n)
    if len(codes) != n:
        raise ValueError(f"facts give {len(codes)} codes for n = {n}")
    names = list(facts.names) if facts is not None and facts.names is not None else [f"State {c}" for c in codes]
    return codes, names


def _dimensions(k: int) -> list[dict[str, str]]:
    """The ``k`` synthetic interest dimensions, dim_1 ... dim_k."""
    return [
        {"id": f"dim_{d + 1}", "meaning": f"Synthetic interest dimension {d + 1} (+1 and -1 are opposed stances)."}
        for d in range(k)
    ]


def _tie_lists(
    codes: list[str], diplomatic: np.ndarray, treaty: np.ndarray, alliance: np.ndarray, sanction: np.ndarray
) -> dict[str, Any]:
    """The ties of the world file from the masks: undirected pairs {a, b}, sanctions {source, target}."""
    return {
        "diplomatic": _pairs(diplomatic, codes),
        "treaty": _pairs(treaty, codes),
        "alliance": _pairs(alliance, codes),
        "sanction": [{"source": codes[i], "target": codes[j]} for i, j in zip(*np.nonzero(sanction), strict=True)],
    }


def _attributes(
    n: int, rng: np.random.Generator, r: WorldRecipe, facts: KnownFacts | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Capability shares (log-normal), economies (capability times a log-normal scatter), loyalty
    (beta) and need (a share of needy states); known facts replace the draws after they are made."""
    raw = rng.lognormal(0.0, r.capability_sigma, n)
    capability = raw / raw.sum()
    if facts is not None and facts.capability is not None:
        given = np.asarray(facts.capability, dtype=float)
        capability = given / given.sum()
    scatter = rng.lognormal(0.0, r.economy_sigma, n)
    economy = r.world_gdp * capability * scatter
    if facts is not None and facts.economy is not None:
        economy = np.asarray(facts.economy, dtype=float)
    loyalty = rng.beta(r.loyalty_a, r.loyalty_b, n)
    needy = rng.random(n) < r.need_share
    need = np.where(needy, rng.uniform(0.5, 1.0, n), 0.0)
    return capability, economy, loyalty, need


def _interests(
    n: int, rng: np.random.Generator, r: WorldRecipe, facts: KnownFacts | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each state's bloc, its interest positions (scattered around its bloc's centre; the blocs'
    centres split into two camps on the aligned dimensions) and their salience."""
    k = r.dimensions
    bloc = rng.integers(0, r.blocs, n)
    if facts is not None and facts.blocs is not None:
        bloc = np.asarray(facts.blocs, dtype=int)
        if bloc.min() < 0 or bloc.max() >= r.blocs:
            raise ValueError(f"bloc indices must lie in 0..{r.blocs - 1}")
    camp = rng.permutation(np.resize([1.0, -1.0], r.blocs))  # half the blocs on each side
    axis = rng.uniform(0.6, 1.0, k)  # how far the two camps stand apart on each dimension
    free = rng.choice([-1.0, 1.0], (r.blocs, k)) * rng.uniform(0.4, 1.0, (r.blocs, k))
    aligned = np.arange(k) < round(r.alignment * k)
    centres = np.where(aligned, camp[:, None] * axis, free)
    positions = np.clip(centres[bloc] + rng.normal(0.0, r.interest_spread, (n, k)), -1.0, 1.0)
    salience = rng.uniform(r.salience_low, r.salience_high, (n, k))
    return bloc, positions, salience


def _ties(
    n: int,
    rng: np.random.Generator,
    r: WorldRecipe,
    facts: KnownFacts | None,
    codes: list[str],
    capability: np.ndarray,
    bloc: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Diplomatic relations (likelier between strong states), treaties and alliances (likelier
    within a bloc), sanctions (by strong states, across blocs), as upper-triangle masks (sanctions
    directed); known alliances and sanctions replace the draws."""
    rank = np.empty(n)
    rank[np.argsort(capability, kind="stable")] = np.arange(n) / max(n - 1, 1)
    same = bloc[:, None] == bloc[None, :]
    upper = np.triu(np.ones((n, n), dtype=bool), 1)
    p_dip = r.diplomatic_scale * (1.0 - (1.0 - r.diplomatic_base) * (1.0 - rank[:, None]) * (1.0 - rank[None, :]))
    diplomatic = (rng.random((n, n)) < p_dip) & upper
    treaty = (rng.random((n, n)) < np.where(same, r.treaty_within, r.treaty_across)) & upper
    alliance = (rng.random((n, n)) < r.alliance_within) & same & upper
    sanction = (rng.random((n, n)) < r.sanction_rate * 2.0 * rank[:, None]) & ~same
    if facts is not None and facts.alliances is not None:
        alliance = _pair_matrix(facts.alliances, codes, symmetric=False)
        alliance = (alliance | alliance.T) & upper
    if facts is not None and facts.sanctions is not None:
        sanction = _pair_matrix(facts.sanctions, codes, symmetric=False)
    diplomatic |= treaty | alliance
    return diplomatic, treaty, alliance, sanction


def _initial_relations(
    n: int, rng: np.random.Generator, r: WorldRecipe, data: dict[str, Any], codes: list[str]
) -> list[dict[str, Any]]:
    """Initial relations: the interest baseline X0 of the world in ``data`` plus noise, clipped to
    [-1, 1]; pairs whose relation stays below the cutoff both ways are left out (no relation)."""
    x0 = interest_baseline(WorldState.from_spec(WorldSpec.model_validate(data)), r.params)
    noise = rng.normal(0.0, r.relation_noise, (n, n))
    if not r.directed_relations:
        noise = np.triu(noise, 1) + np.triu(noise, 1).T
    w0 = np.clip(x0 + noise, -1.0, 1.0)
    if r.decimals is not None:
        w0 = np.round(w0, r.decimals)
    np.fill_diagonal(w0, 0.0)
    upper = np.triu(np.ones((n, n), dtype=bool), 1)
    keep = upper & ((np.abs(w0) >= r.relation_cutoff) | (np.abs(w0.T) >= r.relation_cutoff)) & ((w0 != 0) | (w0.T != 0))
    return [
        {"source": codes[i], "target": codes[j], "weight": float(w0[i, j])}
        | ({"reverse": float(w0[j, i])} if r.directed_relations else {})
        for i, j in zip(*np.nonzero(keep), strict=True)
    ]


def _state(
    code: str,
    name: str,
    capability: float,
    economy: float,
    loyalty: float,
    need: float,
    positions: np.ndarray,
    salience: np.ndarray,
) -> dict[str, Any]:
    """One state's entry of the world file (capability and economy to 4 significant digits)."""
    return {
        "code": code,
        "name": name,
        "capability": _significant(capability, 4),
        "economy": _significant(economy, 4),
        "loyalty": round(float(loyalty), 2),
        "need": round(float(need), 2),
        "interests": {
            f"dim_{d + 1}": {"position": float(p), "salience": float(s)}
            for d, (p, s) in enumerate(zip(positions, salience, strict=True))
        },
    }


def _significant(x: float, digits: int) -> float:
    """``x`` rounded to ``digits`` significant digits (shares of tiny states stay positive)."""
    return float(f"{float(x):.{digits}g}")


def _pair_matrix(pairs: Sequence[tuple[str, str]], codes: list[str], *, symmetric: bool) -> np.ndarray:
    """A boolean matrix with True at each (a, b) of ``pairs`` (and (b, a) if ``symmetric``)."""
    index = {c: i for i, c in enumerate(codes)}
    out = np.zeros((len(codes), len(codes)), dtype=bool)
    for a, b in pairs:
        if a not in index or b not in index:
            raise ValueError(f"unknown state in pair ({a}, {b})")
        out[index[a], index[b]] = True
        if symmetric:
            out[index[b], index[a]] = True
    return out


def _pairs(matrix: np.ndarray, codes: list[str]) -> list[dict[str, str]]:
    """The True entries of ``matrix`` as tie entries {a, b}, row by row."""
    return [{"a": codes[i], "b": codes[j]} for i, j in zip(*np.nonzero(matrix), strict=True)]


# ---------------------------------------------------------------- the UN-193 world

UN193_SEED = 193
UN_REGIONS = ("Africa", "Americas", "Asia", "Europe", "Oceania")  # UN M49 regions: the interest blocs

#: Collective defence treaties in force on 1 January 2024 (public record), as pairs.
NATO_2024 = (
    "ALB",
    "BEL",
    "BGR",
    "CAN",
    "HRV",
    "CZE",
    "DNK",
    "EST",
    "FIN",
    "FRA",
    "DEU",
    "GRC",
    "HUN",
    "ISL",
    "ITA",
    "LVA",
    "LTU",
    "LUX",
    "MNE",
    "NLD",
    "MKD",
    "NOR",
    "POL",
    "PRT",
    "ROU",
    "SVK",
    "SVN",
    "ESP",
    "TUR",
    "GBR",
    "USA",
)  # 31; Sweden joined 7 March 2024
CSTO_2024 = ("RUS", "BLR", "ARM", "KAZ", "KGZ", "TJK")
BILATERAL_ALLIANCES = (("USA", "JPN"), ("USA", "KOR"), ("USA", "PHL"), ("USA", "AUS"), ("AUS", "NZL"), ("CHN", "PRK"))
EU_2024 = (
    "AUT",
    "BEL",
    "BGR",
    "HRV",
    "CYP",
    "CZE",
    "DNK",
    "EST",
    "FIN",
    "FRA",
    "DEU",
    "GRC",
    "HUN",
    "IRL",
    "ITA",
    "LVA",
    "LTU",
    "LUX",
    "MLT",
    "NLD",
    "POL",
    "PRT",
    "ROU",
    "SVK",
    "SVN",
    "ESP",
    "SWE",
)
#: Sanction programmes in force in 2024 (public record; directed): US programmes against seven states,
#: and the 2022- sanctions on Russia by the EU members and other OECD states.
SANCTIONS_2024 = tuple(("USA", t) for t in ("CUB", "PRK", "IRN", "SYR", "VEN", "RUS", "BLR")) + tuple(
    (s, "RUS") for s in (*EU_2024, "GBR", "CAN", "JPN", "AUS", "NZL", "CHE", "NOR", "ISL", "KOR")
)
UN193_RECIPE = WorldRecipe(blocs=len(UN_REGIONS), diplomatic_scale=0.3, directed_relations=False, relation_cutoff=0.5)

UN193_HEADER = """\
# The 193 member states of the United Nations -- a large world for classes, ensembles and benchmarks.
#
# GENERATED by alignsim.world.generate.un193_world (seed {seed}); regenerate with
#   python -m alignsim.world.generate un193 src/alignsim/data/worlds/un193_synthetic.yaml
# SYNTHETIC INTERESTS: kept for scale tests; the real-data UN world is un193.yaml (alignsim world build).
# Do not edit by hand: change the generator or data/un_members.csv and regenerate.
#
# REAL (public record, approximate):
# - codes (ISO 3166-1 alpha-3) and names of the 193 UN member states;
# - capability: the mean of each state's share of world population and share of world GDP (a
#   two-component, CINC-style composite: demographic and economic size), from data/un_members.csv:
#   populations mid-2023 after UN World Population Prospects, GDP 2023 (nominal USD) after World Bank
#   WDI / IMF WEO, both rounded and APPROXIMATE (order of magnitude only for AFG, CUB, ERI, PRK, SSD,
#   SDN, SYR, TKM, VEN, YEM);
# - economy: that 2023 GDP in USD bn (APPROXIMATE);
# - alliances in force on 1 January 2024: NATO (31 members; Sweden joined in March 2024), CSTO,
#   US-Japan, US-South Korea, US-Philippines, ANZUS (US-Australia, Australia-New Zealand), China-North Korea;
# - sanctions (directed): US programmes against CUB, PRK, IRN, SYR, VEN, RUS, BLR; sanctions on
#   Russia by the EU members, GBR, CAN, JPN, AUS, NZL, CHE, NOR, ISL and KOR.
# SYNTHETIC (drawn, seeded; NOT measurements -- see alignsim.world.generate for each distribution):
# - interests: 6 dimensions without real meaning. Each UN M49 region (Africa, Americas, Asia, Europe,
#   Oceania) is one bloc; the blocs fall at random into two camps, which take opposite sides on 4 of
#   the 6 dimensions; positions scatter around the bloc's centre; saliences are uniform. Which
#   regions end up adversaries is an accident of the seed, not a claim about the world;
# - loyalty, need, treaties, and diplomatic ties: about 30 percent of pairs (an embassy-like network,
#   denser among capable states; recipe diplomatic_scale {diplomatic_scale}), so that many contacts
#   go through third states' channels;
# - initial relations: the interest baseline X0 plus Normal(0, {relation_noise}) noise, one draw per
#   pair (symmetric), rounded to 2 decimals; pairs below {relation_cutoff} in magnitude are omitted and
#   start at 0 (they relax toward X0 within months), which keeps this file small.
"""


def un_members() -> list[dict[str, str]]:
    """Rows of ``data/un_members.csv`` (code, name, region, population_m, gdp_usd_bn)."""
    text = (resources.files("alignsim") / "data" / "un_members.csv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines))


def un193_world(seed: int = UN193_SEED) -> WorldSpec:
    """The UN-193 world: real codes, names, capability proxy, GDP, alliances and sanctions;
    synthetic interests, diplomatic ties, treaties and initial relations (see ``UN193_HEADER``)."""
    rows = un_members()
    population = np.array([float(r["population_m"]) for r in rows])
    gdp = np.array([float(r["gdp_usd_bn"]) for r in rows])
    capability = (population / population.sum() + gdp / gdp.sum()) / 2.0
    alliances = [pair for bloc in (NATO_2024, CSTO_2024) for pair in itertools.combinations(bloc, 2)]
    facts = KnownFacts(
        codes=[r["code"] for r in rows],
        names=[r["name"] for r in rows],
        capability=capability,
        economy=gdp,
        blocs=[UN_REGIONS.index(r["region"]) for r in rows],
        alliances=[*alliances, *BILATERAL_ALLIANCES],
        sanctions=SANCTIONS_2024,
    )
    return generate_world(
        len(rows),
        np.random.default_rng(seed),
        UN193_RECIPE,
        facts=facts,
        name="un193_synthetic",
        description=(
            "The 193 UN member states (2024): real capability proxy, GDP, alliances and sanctions; synthetic "
            "interests, diplomatic ties and initial relations."
        ),
    )


def world_yaml(spec: WorldSpec, header: str = "") -> str:
    """A compact, readable world file: one state per block, one relation or tie per line."""
    data = spec.model_dump(mode="json", exclude_defaults=True)
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=None, width=200)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m alignsim.world.generate", description="Write a generated world file."
    )
    parser.add_argument("world", choices=["un193", "synthetic"])
    parser.add_argument("path", type=Path)
    parser.add_argument("--n", type=int, default=50, help="states of a synthetic world")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    if args.world == "un193":
        seed = UN193_SEED if args.seed is None else args.seed
        r = UN193_RECIPE
        header = UN193_HEADER.format(
            seed=seed,
            diplomatic_scale=r.diplomatic_scale,
            relation_noise=r.relation_noise,
            relation_cutoff=r.relation_cutoff,
        )
        text = world_yaml(un193_world(seed), header)
    else:
        seed = 0 if args.seed is None else args.seed
        header = f"# GENERATED by alignsim.world.generate.generate_world(n={args.n}, seed {seed}): a synthetic world.\n"
        text = world_yaml(generate_world(args.n, np.random.default_rng(seed)), header)
    args.path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
