"""The Middle-East scenario of 2022-2025 (scenarios/middle_east_2022_2025.yaml): the strikes draw
answers, and the Saudi-Iranian enmity does not dissolve without a cause."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SCENARIOS

from alignsim.config.scenario import Scenario, load_scenario
from alignsim.model.model import AlignmentModel

PATH = SCENARIOS / "middle_east_2022_2025.yaml"
DEAL = {"talks", "recognition"}  # the Beijing talks and the restoration of relations, March 2023


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(PATH)


def without_deal(scenario: Scenario) -> Scenario:
    """The counterfactual: no Beijing talks, no restoration of relations, no Saudi visit to Tehran."""
    kept = [s for s in scenario.shocks if {s.source, s.target} != {"SAU", "IRN"}]
    assert len(kept) == len(scenario.shocks) - 3
    return scenario.model_copy(update={"shocks": tuple(kept)})


def test_every_scripted_event_has_its_provenance(scenario: Scenario) -> None:
    assert all(len(s.note) > 40 for s in scenario.shocks)
    assert {s.type for s in scenario.shocks} >= {
        "use_force",
        "external_attack",
        "expel_diplomats",
        "condemn",
        "recognition",
        "visit",
    }


def test_the_strikes_draw_answers(scenario: Scenario) -> None:
    model = AlignmentModel(scenario).run()
    agent = [e for e in model.log if e.origin == "agent"]
    strikes = {e.step for e in model.log if e.event.type == "use_force" and e.origin == "scenario"}
    answers = [e for e in agent if e.step - 1 in strikes and e.rule in ("solidarity", "retaliate", "balance")]
    assert answers, "no state answered the strikes"
    condemned = {(model.code(e.source), model.code(e.target)) for e in answers if e.event.type == "condemn"}
    assert ("USA", "IRN") in condemned  # Israel's ally condemns Iran's strikes on it
    tower22 = [
        e for e in agent if e.rule == "retaliate" and model.code(e.source) == "USA" and model.code(e.target) == "IRN"
    ]
    assert tower22 and "external_attack" in tower22[0].cause  # the sponsor of the militia's attack is answered
    # the scripted counter-strikes are not doubled by the agents: Iran's April 2024 strike answers Damascus
    april = {
        e.step
        for e in model.log
        if e.event.type == "use_force" and model.code(e.source) == "ISR" and e.date.isoformat() == "2024-04-01"
    }
    assert not [e for e in agent if e.rule == "retaliate" and model.code(e.source) == "IRN" and e.step - 1 in april]


def test_the_saudi_iranian_enmity_does_not_dissolve_without_a_cause(scenario: Scenario) -> None:
    """Without the Beijing deal, the relation stays negative both ways for three years in every run."""
    counterfactual = without_deal(scenario)
    sau, irn = counterfactual.world_spec.codes.index("SAU"), counterfactual.world_spec.codes.index("IRN")
    worst = []
    for seed in range(20):
        model = AlignmentModel(counterfactual, seed=np.random.SeedSequence(2022).spawn(20)[seed])
        for _ in range(36):
            model.step()
        history = model.recorder.relations[:37]
        worst.append(max(history[:, sau, irn].max(), history[:, irn, sau].max()))
    assert max(worst) < 0.0


def test_the_deal_is_a_cause_the_relation_follows(scenario: Scenario) -> None:
    codes = scenario.world_spec.codes
    sau, irn = codes.index("SAU"), codes.index("IRN")
    with_deal = AlignmentModel(scenario).run()
    no_deal = AlignmentModel(without_deal(scenario)).run()
    march_2023 = 9  # steps from July 2022
    assert with_deal.relations[sau, irn] > no_deal.relations[sau, irn]
    assert with_deal.recorder.baselines[march_2023 + 1][sau, irn] > no_deal.recorder.baselines[march_2023 + 1][sau, irn]
