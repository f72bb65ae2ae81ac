"""Worlds from real data (alignsim.world.from_data, ``alignsim world build``), on small slices of the data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from conftest import alignsim_cli

from alignsim.errors import InputError
from alignsim.world.from_data import (
    DIMENSION_IDS,
    IDEAL,
    Window,
    build_world,
    ideal_interests,
    issue_interests,
    table,
    world_text,
    write_world,
)
from alignsim.world.spec import WorldSpec

ARTICLE_EIGHT = ["PRK", "KOR", "CHN", "RUS", "CUB", "MNG", "JPN", "USA"]


@pytest.fixture(scope="module")
def korea() -> dict:
    # The earlier formulas (issue-mean interests, default parameters); the calibrated set: tests/test_calibration.py.
    return build_world(["PRK", "KOR", "USA"], year=2019, window=5, params_set_name=None).world


def test_namibia_keeps_its_code_na_through_the_packaged_votes() -> None:
    votes = table("unga_votes_by_issue.csv.gz")
    assert "NAM" in set(votes.iso3) and votes.iso3.notna().all()


def test_issue_position_and_salience_follow_the_stated_formulas() -> None:
    w = Window(2019, 5)
    rows = issue_interests(w)
    raw = table("unga_votes_by_issue.csv.gz")
    raw = raw[(raw.iso3 == "PRK") & (raw.issue == "hr") & raw.year.between(2015, 2019)]
    y, a, n = raw.yes.sum(), raw.abstain.sum(), raw.no.sum()
    held = table("unga_roll_calls_by_issue.csv")
    held = held[(held.issue == "hr") & held.year.between(2015, 2019)].roll_calls.sum()
    row = rows[(rows.iso3 == "PRK") & (rows.issue == "hr")].iloc[0]
    assert row.position == pytest.approx((y - n) / (y + a + n))
    assert row.salience == pytest.approx(max(y, n) / held)
    assert 0 < row.salience <= 1


def test_the_ideal_point_dimension_spans_minus_one_to_one_with_the_us_pole_on_top() -> None:
    ideal = ideal_interests(Window(2019, 5)).set_index("iso3")
    assert ideal.position.min() == pytest.approx(-1) and ideal.position.max() == pytest.approx(1)
    assert ideal.position["USA"] > 0.9 > ideal.position["KOR"] > ideal.position["CHN"] > ideal.position["PRK"]


def test_the_window_ends_at_the_year_so_later_votes_cannot_leak(monkeypatch: pytest.MonkeyPatch) -> None:
    before = build_world(["PRK", "KOR"], year=2010, window=3).world
    votes = table("unga_votes_by_issue.csv.gz")
    assert votes.year.max() > 2010
    notes = [d["note"] for s in before["states"] for d in s["interests"].values()]
    assert all("2008-2010" in n for n in notes if "UNGA" in n)


def test_a_built_world_is_an_ordinary_valid_world_with_a_note_on_every_value(korea: dict) -> None:
    spec = WorldSpec.model_validate(korea)
    assert [d.id for d in spec.dimensions] == [*DIMENSION_IDS.values(), IDEAL]
    for s in spec.states:
        assert s.capability_note.startswith("COW NMC CINC 2019") and s.economy_note and s.loyalty_note
        assert set(s.interests) == {d.id for d in spec.dimensions}
        assert all(p.note for p in s.interests.values())
    assert all(r.note.startswith("X0 ") for r in spec.relations)
    assert all(t.note for kind in ("diplomatic", "treaty", "alliance") for t in getattr(spec.ties, kind))


def test_ties_and_initial_relations_come_from_atop_and_the_rivalry_data(korea: dict) -> None:
    alliances = {(t["a"], t["b"]) for t in korea["ties"]["alliance"]}
    assert ("KOR", "USA") in alliances and not any("PRK" in p for p in alliances)
    rel = {(r["source"], r["target"]): r for r in korea["relations"]}
    prk_kor = rel[("PRK", "KOR")]
    assert "North Korea-South Korea" in prk_kor["note"] and "rivalry tie, in X0" in prk_kor["note"]
    assert {frozenset((t["a"], t["b"])) for t in korea["ties"]["rivalry"]} >= {
        frozenset(("PRK", "KOR"))
    }  # the rivalry is a tie of the world
    x0 = float(prk_kor["note"].split()[1])
    igo_part = next(part for part in prk_kor["note"].split("; ") if part.startswith("COW IGO"))
    igo = float(igo_part.split(": ")[-1])
    assert prk_kor["weight"] == pytest.approx(
        np.clip(x0 + igo, -1, 1), abs=2e-3
    )  # X0 holds the rivalry; no second term


def test_diplomatic_relations_are_an_assumption_the_user_can_override() -> None:
    world = build_world(["PRK", "KOR", "USA"], year=2019, no_diplomatic=["PRK-KOR", "usa-prk"]).world
    pairs = {frozenset((t["a"], t["b"])) for t in world["ties"]["diplomatic"]}
    assert pairs == {frozenset(("KOR", "USA"))}
    assert "Assumption" in world["ties"]["diplomatic"][0]["note"]


def test_the_header_records_data_versions_and_formulas(korea: dict) -> None:
    built = build_world(["PRK", "KOR", "USA"], year=2019)
    text = world_text(built)
    for fragment in ("BUILT FROM REAL DATA", "ATOP v5", "CINC", "BSV", "(yes - no) / (yes + abstain + no)", "ASSUMED"):
        assert fragment in text
    assert yaml.safe_load(text)["name"] == "real_2019_3"


@pytest.mark.parametrize(
    ("kwargs", "field", "fragments"),
    [
        ({"states": ["PRK", "KOR"], "year": 2023}, "--year", ("2023", "1946-2019")),
        (
            {"states": ["PRK", "XYZ"], "year": 2019},
            "--states",
            ("unknown code 'XYZ'", "states with data in 2019", "PRK"),
        ),
        ({"states": ["SSD", "SDN"], "year": 1990}, "--states", ("'SSD' was not a state in 1990", "2011-", "SDN")),
        ({"states": ["DDR", "DEU"], "year": 2019}, "--states", ("'DDR' was not a state in 2019", "1954-1990")),
        ({"states": ["TWN", "CHN"], "year": 2019}, "--states", ("'TWN' cast no UN General Assembly vote", "2015-2019")),
        ({"states": ["PRK", "KOR"], "year": 2019, "window": 0}, "--window", ("1 to 20",)),
        ({"region": "Narnia", "year": 2019}, "--region", ("'Narnia'", "Eastern Asia")),
        ({"states": ["PRK"], "year": 2019}, "--states", ("at least 2",)),
    ],
)
def test_bad_requests_name_what_is_wrong_and_what_is_allowed(
    kwargs: dict, field: str, fragments: tuple[str, ...]
) -> None:
    with pytest.raises(InputError) as err:
        build_world(**kwargs)
    assert err.value.field == field
    for fragment in fragments:
        assert fragment in str(err.value)


def test_a_region_builds_its_states() -> None:
    world = build_world(region="eastern asia", year=2019).world
    assert {"CHN", "JPN", "KOR", "PRK", "MNG"} <= {s["code"] for s in world["states"]}


def test_write_is_atomic_and_leaves_no_temporary_file(tmp_path: Path, korea: dict) -> None:
    out = write_world(build_world(["PRK", "KOR"], year=2019), tmp_path / "w.yaml")
    assert WorldSpec.model_validate(yaml.safe_load(out.read_text()))
    assert [p.name for p in tmp_path.iterdir()] == ["w.yaml"]


def test_cli_builds_a_world_a_scenario_runs_on(tmp_path: Path) -> None:
    alignsim_cli(
        "world", "build", "--states", *ARTICLE_EIGHT, "--year", "2019", "--out", "w.yaml", cwd=tmp_path, check=True
    )
    (tmp_path / "s.yaml").write_text(
        "name: on_w\nworld: w.yaml\nstart: 2023-07-01\nsteps: 8\nseed: 1\n"
        "shocks:\n  - {type: recognition, date: 2024-02-14, source: KOR, target: CUB}\n",
        encoding="utf-8",
    )
    alignsim_cli("validate", "s.yaml", cwd=tmp_path, check=True)
    alignsim_cli("run", "s.yaml", "--out", "run", "--no-charts", cwd=tmp_path, check=True)
    assert (tmp_path / "run" / "events.csv").exists()


def test_cli_bad_input_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    proc = alignsim_cli("world", "build", "--states", "PRK", "KOR", "--year", "2030", "--out", "w.yaml", cwd=tmp_path)
    assert proc.returncode == 2 and "1946-2019" in proc.stderr
    assert list(tmp_path.iterdir()) == []
