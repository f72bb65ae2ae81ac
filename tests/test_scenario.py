"""Scenario files: every validation message (file, line, field, what is allowed), dates and the
schedule, the forms of ``world:``, save-then-load equality, and the shipped scenarios."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from conftest import BAD_CASES, SHIPPED_SCENARIOS, BadCase, make_scenario, three_state_world
from pydantic import ValidationError

from alignsim.api import load as load_run
from alignsim.config.scenario import Scenario, load_scenario, parse_scenario
from alignsim.errors import InputError
from alignsim.experiments.simulate import run_scenario
from alignsim.world.events.base import EVENT_TYPES
from alignsim.world.spec import WorldState

# ---------------------------------------------------------------------------- validation messages


@pytest.mark.parametrize("case", BAD_CASES, ids=lambda c: c.id)
def test_every_mistake_names_file_line_field_and_what_is_allowed(case: BadCase, tmp_path: Path) -> None:
    path = case.write(tmp_path)
    with pytest.raises(InputError) as info:
        load_scenario(path)
    err, message = info.value, str(info.value)
    assert case.reported_file in message
    assert err.path is not None and Path(err.path).name == case.reported_file
    if case.line is not None:
        assert err.line == case.line, message
        assert f"{case.reported_file}:{case.line}:" in message
    if case.field is not None:
        assert err.field == case.field, message
        assert f"field '{case.field}'" in message
    for fragment in case.fragments:
        assert fragment in message, f"{fragment!r} missing from: {message}"
    # said once, not repeated
    assert message.count(f"{case.reported_file}:") <= max(1, message.count("\n") + 1)
    assert "Traceback" not in message and "pydantic" not in message.lower()


def test_several_mistakes_are_all_reported_each_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(
        "steps: 12\nshocks:\n  - {type: visit, step: 1, source: PRK, target: XXX}\n  - {type: visit, step: 40, source: PRK, target: KOR}\n"
    )
    with pytest.raises(InputError) as info:
        load_scenario(path)
    text = str(info.value)
    assert "two.yaml:3: field 'shocks[0].target'" in text
    assert "two.yaml:4: field 'shocks[1].step'" in text
    assert info.value.line == 3


def test_parse_scenario_names_the_path_it_is_given() -> None:
    with pytest.raises(InputError, match=r"^notes/draft\.yaml:1: field 'steps'"):
        parse_scenario("steps: 0\n", path="notes/draft.yaml")


def test_an_empty_file_is_refused_not_run_as_every_default(tmp_path: Path) -> None:
    path = tmp_path / "nothing_yet.yaml"
    path.write_text("# to be written\n")
    with pytest.raises(InputError, match="the scenario is empty"):
        load_scenario(path)


def test_scenario_and_params_are_frozen() -> None:
    s = make_scenario()
    with pytest.raises(ValidationError):
        s.steps = 3  # type: ignore[misc]
    with pytest.raises(ValidationError):
        s.params.beta = 0.5  # type: ignore[misc]


# ---------------------------------------------------------------------------- dates and the schedule


def test_a_date_fires_at_its_months_step() -> None:
    s = make_scenario(
        start="2023-07-01",
        steps=36,
        shocks=[
            {"type": "visit", "date": "2023-07-31", "source": "AAA", "target": "BBB"},
            {"type": "visit", "date": "2023-09-01", "source": "AAA", "target": "BBB"},
            {"type": "visit", "date": "2024-02-14", "source": "AAA", "target": "BBB"},
        ],
    )
    assert sorted(s.schedule()) == [0, 2, 7]


def test_date_of_step_zero_is_the_start_and_months_follow() -> None:
    s = make_scenario(start="2023-07-01")
    assert [s.date_of(k) for k in (0, 1, 6, 12)] == [
        dt.date(2023, 7, 1),
        dt.date(2023, 8, 1),
        dt.date(2024, 1, 1),
        dt.date(2024, 7, 1),
    ]


@pytest.mark.parametrize("start", ["2024-01-15", "2024-01-29", "2024-01-31", "2023-08-31"])
def test_date_of_step_zero_is_the_start_whatever_the_day(start: str) -> None:
    s = make_scenario(start=start)
    assert s.date_of(0) == dt.date.fromisoformat(start)
    dates = [s.date_of(k) for k in range(14)]
    assert [(d.year * 12 + d.month) for d in dates] == list(
        range(dates[0].year * 12 + dates[0].month, dates[0].year * 12 + dates[0].month + 14)
    )


def test_repeating_shock_until_a_step_and_until_a_date() -> None:
    s = make_scenario(
        steps=12,
        shocks=[
            {"type": "visit", "step": 1, "every": 3, "until": 8, "source": "AAA", "target": "BBB"},
            {"type": "aid", "date": "2024-02-10", "every": 4, "until": "2024-10-01", "source": "AAA", "target": "CCC"},
            {"type": "invitation", "step": 10, "every": 5, "source": "BBB", "target": "AAA"},
        ],
    )
    plan = {step: [e.type for e in events] for step, events in s.schedule().items()}
    assert plan == {1: ["visit", "aid"], 4: ["visit"], 5: ["aid"], 7: ["visit"], 9: ["aid"], 10: ["invitation"]}


def test_shocks_in_one_month_fire_in_canonical_order_whatever_the_file_order() -> None:
    """Date, the most severe first, then codes and type (issue 20): never the order of the list."""
    from alignsim.model.model import AlignmentModel

    for kinds in (("invitation", "visit", "recognition"), ("recognition", "visit", "invitation")):
        shocks = [{"type": t, "step": 2, "source": "AAA", "target": "BBB"} for t in kinds]
        shocks.append({"type": "condemn", "step": 2, "source": "BBB", "target": "AAA"})
        model = AlignmentModel(make_scenario(params={"agents": False}, steps=4, shocks=shocks)).run()
        assert [e.event.type for e in model.log] == ["condemn", "invitation", "recognition", "visit"]
        assert {e.step for e in model.log} == {2}


def test_scripted_shock_keeps_its_own_date_in_the_log() -> None:
    s = make_scenario(
        steps=4,
        params={"agents": False},
        shocks=[{"type": "visit", "date": "2024-02-17", "source": "AAA", "target": "BBB"}],
    )
    result = run_scenario(s)
    assert result.events.loc[0, ["step", "date"]].tolist() == [1, "2024-02-17"]


# ---------------------------------------------------------------------------- the forms of world:


def test_world_by_shipped_name_by_file_and_inline_are_the_same_world(tmp_path: Path) -> None:
    (tmp_path / "worlds").mkdir()
    (tmp_path / "worlds" / "three.yaml").write_text(yaml.safe_dump(three_state_world()))
    (tmp_path / "by_file.yaml").write_text("world: worlds/three.yaml\n")
    by_file = load_scenario(tmp_path / "by_file.yaml")  # relative to the scenario, not the cwd
    inline = make_scenario()
    assert by_file.world_spec == inline.world_spec
    assert load_scenario_text("world: korea_2024\n").world_spec.name == "korea_2024"


def load_scenario_text(text: str) -> Scenario:
    return parse_scenario(text, path="inline.yaml")


def test_base_world_with_overrides_merges_by_code() -> None:
    s = load_scenario_text("""
world:
  base: korea_2024
  dimensions:
    - {id: arctic_access, meaning: "Stake in Arctic shipping (+1 high)."}
  states:
    - code: KOR
      loyalty: 0.6
      interests: {arctic_access: {position: 0.5, salience: 0.3}}
    - code: VNM
      name: Viet Nam
      capability: 0.012
      interests: {us_alliance: {position: -0.2, salience: 0.5}}
  relations:
    - {source: VNM, target: KOR, weight: 0.5}
    - {source: PRK, target: CUB, weight: 0.2}
""")
    w = WorldState.from_spec(s.world_spec)
    kor, vnm, prk, cub = (w.index(c) for c in ("KOR", "VNM", "PRK", "CUB"))
    assert w.codes[-1] == "VNM" and w.n == 9
    assert w.loyalty[kor] == 0.6
    assert w.interests[kor, w.dimensions.index("us_alliance")] == 0.9  # merged, not replaced
    assert w.interests[kor, w.dimensions.index("arctic_access")] == 0.5
    assert w.salience[vnm, w.dimensions.index("political_system")] == 0.0  # unmentioned: position 0, salience 0
    assert w.relations[vnm, kor] == w.relations[kor, vnm] == 0.5
    # a known relation has only the given fields replaced: its 'reverse' stays the base world's
    assert (w.relations[prk, cub], w.relations[cub, prk]) == (0.2, 0.7)


# ---------------------------------------------------------------------------- save, then load


def every_event_type_shocks() -> list[dict[str, Any]]:
    """One shock of every registered type, each with non-default values of its own fields."""
    shocks = [
        {"type": "recognition", "date": "2024-02-14", "source": "AAA", "target": "CCC", "note": "test"},
        {"type": "sever_relations", "step": 1, "source": "BBB", "target": "CCC"},
        {
            "type": "visit",
            "step": 1,
            "every": 2,
            "until": 9,
            "source": "AAA",
            "target": "BBB",
            "level": "deputy_minister",
        },
        {"type": "invitation", "step": 2, "source": "BBB", "target": "AAA", "occasion": "a forum"},
        {"type": "talks", "step": 2, "source": "AAA", "target": "CCC", "via": "BBB", "intensity": 0.5},
        {"type": "security_dialogue", "step": 3, "source": "AAA", "target": "BBB"},
        {"type": "media_freeze", "step": 3, "source": "CCC", "target": "AAA", "intensity": 1.25},
        {
            "type": "aid",
            "date": "2024-03-11",
            "every": 3,
            "until": "2024-09-30",
            "source": "AAA",
            "target": "CCC",
            "kind": "economic",
            "amount_usd": 200000,
        },
        {"type": "agreement", "step": 4, "source": "AAA", "target": "BBB", "action": "abandon", "domain": "trade"},
        {"type": "sanction", "step": 4, "source": "AAA", "target": "CCC", "action": "lift"},
        {"type": "interest_shift", "step": 5, "source": "CCC", "dimension": "trade", "delta": -0.3, "salience": 2.0},
        {"type": "capability_change", "step": 5, "source": "BBB", "factor": 1.1},
        {"type": "border_closure", "step": 6, "source": "CCC", "open_to": ["BBB"]},
        {"type": "border_reopening", "step": 8, "source": "CCC", "partners": ["AAA"]},
        {"type": "disaster", "step": 6, "source": "CCC", "need": 0.9, "kind": "flood"},
        {"type": "condemn", "step": 7, "source": "BBB", "target": "CCC", "form": "protest"},
        {"type": "threaten", "step": 7, "source": "CCC", "target": "BBB", "form": "sanctions", "intensity": 0.7},
        {"type": "expel_diplomats", "step": 8, "source": "AAA", "target": "CCC", "form": "withdraw"},
        {"type": "military_posture", "step": 8, "source": "CCC", "target": "AAA", "form": "mobilization"},
        {"type": "use_force", "step": 9, "source": "AAA", "target": "CCC", "form": "blockade"},
        {
            "type": "external_attack",
            "step": 9,
            "source": "BBB",
            "attacker": "an armed group",
            "sponsor": "CCC",
            "form": "bombing",
        },
        {"type": "rally_support", "step": 9, "source": "AAA", "target": "BBB", "intensity": 0.8},
    ]
    assert {s["type"] for s in shocks} == set(EVENT_TYPES), "add the new event type here"
    return shocks


def round_trip(s: Scenario) -> Scenario:
    """Through the resolved YAML text, as a run folder stores it (libyaml's dumper when present:
    the resolved 193-state world is a megabyte of YAML)."""
    text = yaml.dump(
        s.resolved(), Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False, allow_unicode=True
    )
    return parse_scenario(text, path="scenario.resolved.yaml")


def test_save_then_load_keeps_every_event_field() -> None:
    s = make_scenario(
        steps=12, params={"beta": 0.2, "balance_kernel": "marvel"}, track=["AAA-BBB"], shocks=every_event_type_shocks()
    )
    back = round_trip(s)
    assert back.resolved() == s.resolved()
    assert back.shocks == s.shocks
    aid = next(e for e in back.shocks if e.type == "aid")
    assert (aid.amount_usd, aid.kind, aid.until) == (200000, "economic", dt.date(2024, 9, 30))
    assert next(e for e in back.shocks if e.type == "talks").via == "BBB"
    assert next(e for e in back.shocks if e.type == "visit").until == 9
    assert back.schedule() == s.schedule()
    assert round_trip(back) == back  # and from then on, equal in every field


@pytest.mark.parametrize("path", SHIPPED_SCENARIOS, ids=lambda p: p.stem)
def test_shipped_scenarios_survive_save_then_load(path: Path) -> None:
    s = load_scenario(path)
    back = round_trip(s)
    assert back.resolved() == s.resolved()
    assert back.world_spec == s.world_spec
    assert back.shocks == s.shocks and back.params == s.params


def test_run_folder_scenario_loads_back_and_reruns_identically(tmp_path: Path) -> None:
    s = make_scenario(steps=10, shocks=every_event_type_shocks())
    first = run_scenario(s)
    folder = first.save(tmp_path / "run", charts=False)
    loaded = load_run(folder)
    assert loaded.scenario.resolved() == s.resolved()
    again = run_scenario(loaded.scenario)
    np.testing.assert_array_equal(again.relations.weight.to_numpy(), first.relations.weight.to_numpy())
    assert again.events.drop(columns="impulse").equals(first.events.drop(columns="impulse"))


def test_with_overrides_validates_and_honours_seed_zero() -> None:
    s = make_scenario(seed=7)
    assert s.with_overrides(seed=0).seed == 0
    assert s.with_overrides(beta=0.5).params.beta == 0.5
    assert s.with_overrides(beta=0.5).seed == 7
    with pytest.raises((ValidationError, InputError), match="beta"):
        s.with_overrides(beta=5.0)


# ---------------------------------------------------------------------------- shipped scenarios


def quick(s: Scenario, *, big: int = 20, months: int = 12) -> Scenario:
    """A large world's scenario cut to its first months when all its shocks fire by then (a
    193-state decade takes ~10 s; its first year exercises the same code)."""
    plan = s.schedule()
    if len(s.world_spec.states) <= big or s.steps <= months or (plan and max(plan) >= months):
        return s
    return Scenario.model_validate({**s.resolved(), "steps": months})


@pytest.mark.parametrize("path", SHIPPED_SCENARIOS, ids=lambda p: p.stem)
def test_shipped_scenario_validates_and_runs(path: Path) -> None:
    s = quick(load_scenario(path))
    assert s.name == path.stem
    result = run_scenario(s)
    n = len(s.world_spec.states)
    assert len(result.relations) == (s.steps + 1) * n * (n - 1)
    assert len(result.metrics) == s.steps + 1
    w = result.relations.weight.to_numpy()
    assert np.isfinite(w).all() and (np.abs(w) <= 1).all()
    scripted = result.events[result.events.origin == "scenario"]
    assert len(scripted) == sum(len(v) for v in s.schedule().values())
    assert set(result.events.origin) <= {"scenario", "agent"}
    assert (result.events.cause.str.len() > 0).all()
    for pair in s.track:
        a, b = pair.split("-")
        assert len(result.relation(a, b)) == s.steps + 1
