"""Synthetic worlds (alignsim.world.generate) and the shipped 193-state UN world."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from alignsim.config.scenario import load_scenario, resolve_world
from alignsim.measures.metrics import tipping_ratio
from alignsim.world.generate import (
    UN193_HEADER,
    UN193_RECIPE,
    KnownFacts,
    WorldRecipe,
    generate_world,
    main,
    un193_world,
    un_members,
    world_yaml,
)
from alignsim.world.params import Params, params_set
from alignsim.world.spec import WorldSpec, WorldState, interest_baseline, shipped_worlds

REPO = Path(__file__).resolve().parent.parent


def arrays(spec: WorldSpec) -> tuple[WorldState, np.ndarray]:
    world = WorldState.from_spec(spec)
    return world, interest_baseline(world, Params())


def pairs(n: int) -> np.ndarray:
    return np.triu(np.ones((n, n), dtype=bool), 1)


# ---------------------------------------------------------------------------- generate_world


def test_a_seed_gives_one_world_and_another_seed_another() -> None:
    one = generate_world(30, np.random.default_rng(7))
    assert generate_world(30, np.random.default_rng(7)) == one
    assert generate_world(30, np.random.default_rng(8)) != one


@pytest.mark.parametrize("n", [2, 3, 17, 120])
def test_generated_worlds_validate_and_have_n_distinct_states(n: int) -> None:
    spec = generate_world(n, np.random.default_rng(n))
    assert isinstance(spec, WorldSpec)
    assert len(spec.codes) == n == len(set(spec.codes))
    world, x0 = arrays(spec)
    assert world.capability.sum() == pytest.approx(1.0, abs=1e-3)  # shares, rounded to 4 digits
    assert np.all(np.abs(world.interests) <= 1) and np.all(world.salience >= 0)
    assert np.all((world.loyalty >= 0) & (world.loyalty <= 1)) and np.all((world.need >= 0) & (world.need <= 1))


def test_the_distributions_are_the_documented_ones() -> None:
    n = 400
    recipe = WorldRecipe()
    world, x0 = arrays(generate_world(n, np.random.default_rng(1), recipe))
    up = pairs(n)
    cap = np.sort(world.capability)[::-1]
    assert cap[0] > 20 * np.median(cap), "capability shares are heavy-tailed (lognormal, sigma 1.5)"
    assert 0.8 < world.ties["diplomatic"][up].mean() < 0.95, "diplomatic ties are dense (~88 percent)"
    assert world.ties["treaty"][up].mean() < 0.05, "treaties are sparse"
    assert 0 < world.ties["alliance"][up].mean() < 0.03, "alliances are sparse, within blocs"
    assert 0 < world.ties["sanction"].mean() < 0.01, "sanctions are rare"
    assert np.all(world.ties["diplomatic"][world.ties["alliance"] == 1] == 1), "allies have diplomatic relations"
    assert world.loyalty.mean() == pytest.approx(recipe.loyalty_a / (recipe.loyalty_a + recipe.loyalty_b), abs=0.03)
    assert (world.need > 0).mean() == pytest.approx(recipe.need_share, abs=0.03)
    off = ~np.eye(n, dtype=bool)
    assert (x0[off] >= 0.3).mean() > 0.3 and (x0[off] <= -0.3).mean() > 0.02, "friends and adversaries"
    gap = (world.relations - x0)[off]
    assert np.sqrt(np.mean(gap**2)) == pytest.approx(recipe.relation_noise, rel=0.1), "W0 = X0 + Normal(0, 0.1)"


def test_initial_relations_can_be_symmetric_and_thinned() -> None:
    n = 60
    recipe = WorldRecipe(directed_relations=False, relation_cutoff=0.4)
    spec = generate_world(n, np.random.default_rng(3), recipe)
    world, _ = arrays(spec)
    np.testing.assert_array_equal(world.relations, world.relations.T)
    assert all(r.reverse is None and abs(r.weight) >= 0.4 for r in spec.relations)
    assert len(spec.relations) < n * (n - 1) / 2


def test_known_facts_replace_the_draws() -> None:
    facts = KnownFacts(
        codes=["AAA", "BBB", "CCC", "DDD"],
        names=["A", "B", "C", "D"],
        capability=[4, 3, 2, 1],
        economy=[100, 50, 20, 1],
        blocs=[0, 0, 1, 1],
        alliances=[("AAA", "BBB")],
        sanctions=[("CCC", "AAA")],
    )
    spec = generate_world(4, np.random.default_rng(0), facts=facts)
    world, _ = arrays(spec)
    assert spec.codes == ["AAA", "BBB", "CCC", "DDD"] and [s.name for s in spec.states] == ["A", "B", "C", "D"]
    np.testing.assert_allclose(world.capability, [0.4, 0.3, 0.2, 0.1])
    np.testing.assert_allclose(world.economy, [100, 50, 20, 1])
    assert [(t.a, t.b) for t in spec.ties.alliance] == [("AAA", "BBB")]
    assert [(z.source, z.target) for z in spec.ties.sanction] == [("CCC", "AAA")]


def test_full_precision_worlds_are_not_rounded() -> None:
    spec = generate_world(10, np.random.default_rng(0), WorldRecipe(decimals=None))
    positions = [p.position for s in spec.states for p in s.interests.values()]
    assert any(round(p, 2) != p for p in positions)


def test_the_command_writes_a_world_file_that_loads(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    main(["synthetic", str(path), "--n", "12", "--seed", "5"])
    assert resolve_world(str(path), tmp_path) == generate_world(12, np.random.default_rng(5))


# ---------------------------------------------------------------------------- the UN-193 world


def test_the_un_member_table_lists_the_193_member_states() -> None:
    rows = un_members()
    codes = [r["code"] for r in rows]
    assert len(rows) == 193 == len(set(codes))
    assert all(len(c) == 3 and c.isalpha() and c.isupper() for c in codes)
    assert {"USA", "CHN", "RUS", "PRK", "KOR", "MNG", "CUB", "TUV", "SSD"} <= set(codes)
    assert not {"TWN", "PSE", "VAT", "XKX"} & set(codes), "observers and non-members are not UN members"
    regions = [r["region"] for r in rows]
    assert {region: regions.count(region) for region in set(regions)} == {
        "Africa": 54,
        "Americas": 35,
        "Asia": 47,
        "Europe": 43,
        "Oceania": 14,
    }
    assert all(float(r["population_m"]) > 0 and float(r["gdp_usd_bn"]) > 0 for r in rows)


def test_the_shipped_un193_world_validates_and_is_what_the_generator_makes() -> None:
    assert "un193_synthetic" in shipped_worlds()
    spec = resolve_world("un193_synthetic", REPO)
    assert len(spec.states) == 193
    assert spec == un193_world(), (
        "src/alignsim/data/worlds/un193_synthetic.yaml is stale: regenerate it (see its header)"
    )
    world, x0 = arrays(spec)
    big = {spec.codes[i] for i in np.argsort(world.capability)[-3:]}
    assert big == {"USA", "CHN", "IND"}, "capability = mean of population and GDP shares"
    allies = {frozenset((t.a, t.b)) for t in spec.ties.alliance}
    assert {frozenset(("USA", "JPN")), frozenset(("FRA", "DEU")), frozenset(("RUS", "BLR"))} <= allies
    assert frozenset(("USA", "SWE")) not in allies, "Sweden joined NATO in March 2024, after the world's date"
    sanctions = {(z.source, z.target) for z in spec.ties.sanction}
    assert {("USA", "CUB"), ("USA", "PRK"), ("DEU", "RUS"), ("JPN", "RUS")} <= sanctions


def test_the_shipped_un193_file_says_what_is_real_and_what_is_synthetic() -> None:
    text = (REPO / "src" / "alignsim" / "data" / "worlds" / "un193_synthetic.yaml").read_text(encoding="utf-8")
    header = "".join(line + "\n" for line in text.splitlines() if line.startswith("#"))
    for words in ("GENERATED", "seed", "APPROXIMATE", "SYNTHETIC", "World Bank", "Population Prospects", "NATO"):
        assert words in header
    assert len(text) < 1_000_000, "keep the shipped world small"
    r = UN193_RECIPE
    fields = {
        "seed": 193,
        "diplomatic_scale": r.diplomatic_scale,
        "relation_noise": r.relation_noise,
        "relation_cutoff": r.relation_cutoff,
    }
    assert text.startswith(UN193_HEADER.format(**fields))
    assert yaml.safe_load(world_yaml(un193_world())) == yaml.safe_load(text)


def test_the_un193_baseline_scenario_runs_at_its_calibrated_fraction_of_the_tipping_point() -> None:
    """The scenario names no parameters: the data world's calibrated set decides, alpha included."""
    scenario = load_scenario(REPO / "scenarios" / "un193_baseline.yaml")
    assert scenario.steps == 120 and len(scenario.world_spec.states) == 193
    assert scenario.params_set == scenario.world_spec.params_set == "history_1950_1989"
    p = scenario.params
    x0 = interest_baseline(WorldState.from_spec(scenario.world_spec), p)
    assert tipping_ratio(p.alpha, p.beta, x0) == pytest.approx(params_set("history_1950_1989")["alpha_fraction"])


def test_the_shipped_un193_world_has_real_interests_from_un_votes() -> None:
    text = (REPO / "src" / "alignsim" / "data" / "worlds" / "un193.yaml").read_text(encoding="utf-8")
    assert text.startswith("# BUILT FROM REAL DATA") and "Year 2019, vote window 2015-2019" in text
    spec = resolve_world("un193", REPO)
    assert len(spec.states) == 193 and "us_led_order" in {d.id for d in spec.dimensions}
    assert all(p.note.startswith(("UNGA", "BSV")) for s in spec.states for p in s.interests.values())
