"""A small golden run of the flagship scenario (scenarios/article_timeline_2024.yaml).

The article's reactions must come out of the agents' rules, logged with origin ``agent`` and a cause
naming what triggered them: Pyongyang's media freeze on Havana after Seoul's recognition, its
courting of Mongolia and its channel to Japan through Mongolia, Seoul's counter-courting of Mongolia
with aid, and Mongolia's answer to Pyongyang. These are asserted on the events table's content,
not on floats. The (step, type, source, target, origin, rule) columns are also compared with a
stored golden file; after an intended change of behaviour, regenerate it with

    ALIGNSIM_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py

and review the diff of tests/golden/ like any other change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from conftest import FLAGSHIP

from alignsim.config.scenario import load_scenario
from alignsim.experiments.simulate import run_scenario
from alignsim.results.run import RunResult

GOLDEN = Path(__file__).parent / "golden" / "article_timeline_2024_events.csv"
GOLDEN_COLUMNS = ["step", "type", "source", "target", "origin", "rule"]


@pytest.fixture(scope="module")
def flagship() -> RunResult:
    return run_scenario(load_scenario(FLAGSHIP))


@pytest.fixture(scope="module")
def events(flagship: RunResult) -> pd.DataFrame:
    return flagship.events


def only(events: pd.DataFrame, **match: str) -> pd.Series:
    """The single row matching every column=value given (fails if none or several)."""
    rows = events
    for column, value in match.items():
        rows = rows[rows[column] == value]
    assert len(rows) >= 1, f"no event with {match}\n{events[GOLDEN_COLUMNS].to_string()}"
    return rows.iloc[0]


def step_of(events: pd.DataFrame, **match: str) -> int:
    return int(only(events, **match)["step"])


def test_scripted_shocks_are_logged_as_scenario_events(events: pd.DataFrame) -> None:
    scripted = events[events.origin == "scenario"]
    assert set(scripted.rule) == {"scripted"}
    assert list(scripted.type) == ["border_reopening", "agreement", "recognition", "disaster", "security_dialogue"]
    assert only(events, type="recognition", source="KOR", target="CUB")["date"] == "2024-02-14"


def test_pyongyang_freezes_havana_for_recognising_seoul(events: pd.DataFrame) -> None:
    freeze = only(events, type="media_freeze", source="PRK", target="CUB")
    assert (freeze.origin, freeze.rule) == ("agent", "cool")
    assert "KOR" in freeze.cause and "recognition" in freeze.cause  # the trigger is named
    assert freeze.step > step_of(events, type="recognition", source="KOR", target="CUB")


def test_pyongyang_courts_mongolia_after_losing_havana(events: pd.DataFrame) -> None:
    court = only(events, source="PRK", target="MNG", origin="agent", rule="court")
    assert court.type in ("visit", "talks", "aid")
    assert "CUB" in court.cause  # it courts because it lost a partner
    assert court.step >= step_of(events, type="media_freeze", source="PRK", target="CUB")


def test_pyongyang_talks_with_tokyo_through_mongolia(events: pd.DataFrame) -> None:
    talks = only(events, type="talks", source="PRK", target="JPN", origin="agent")
    assert talks.rule == "court"
    assert "via=MNG" in talks.detail
    assert "MNG" in talks.cause and "channel" in talks.cause


def test_seoul_counter_courts_mongolia_with_aid(events: pd.DataFrame) -> None:
    aid = only(events, type="aid", source="KOR", target="MNG", origin="agent")
    assert aid.rule == "counter_court"
    assert "PRK" in aid.cause  # the adversary whose courting it answers
    assert aid.step > step_of(events, source="PRK", target="MNG", origin="agent", rule="court")


def test_mongolia_reciprocates_toward_pyongyang(events: pd.DataFrame) -> None:
    answer = only(events, source="MNG", target="PRK", origin="agent", rule="reciprocate")
    assert "PRK" in answer.cause
    assert answer.step > step_of(events, source="PRK", target="MNG", origin="agent", rule="court")


def test_every_agent_event_has_a_cause_and_a_known_rule(events: pd.DataFrame) -> None:
    agent = events[events.origin == "agent"]
    assert len(agent) >= 5
    assert set(agent.rule) <= {"court", "counter_court", "cool", "reciprocate"}
    assert (agent.cause.str.len() > 20).all()


def test_events_match_the_golden_file(events: pd.DataFrame) -> None:
    table = events[GOLDEN_COLUMNS]
    if os.environ.get("ALIGNSIM_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        table.to_csv(GOLDEN, index=False, lineterminator="\n")
    golden = pd.read_csv(GOLDEN, keep_default_na=False, dtype={"step": int})
    assert list(golden.columns) == GOLDEN_COLUMNS
    pd.testing.assert_frame_equal(table.reset_index(drop=True), golden, check_dtype=False)
