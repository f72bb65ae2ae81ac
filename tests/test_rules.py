"""The decision rules have one home: every registered rule (alignsim.model.rules) is drawn in the
PNG charts and in report.html, can be the outcome of a sweep, and is documented in docs/model.md
with its evidence; each rule is one module with its trigger (a screen) declared once."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from conftest import QUIET, three_state_world

from alignsim.config.scenario import Scenario
from alignsim.experiments.simulate import run_scenario
from alignsim.experiments.sweep import check_sweep
from alignsim.model import rules as rules_package
from alignsim.model.model import AlignmentModel
from alignsim.model.rules import REGISTERED, RULES, rule_labels, rule_names
from alignsim.results.chart_data import band_data
from alignsim.validation.rule_evidence import evidence
from alignsim.viz import charts, report_html
from alignsim.world.events.base import EVENT_TYPES, coding_rows
from alignsim.world.events.material import Agreement, Sanction
from alignsim.world.params import Params

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _series(pair: str) -> pd.DataFrame:
    dates = pd.date_range("2024-01-01", periods=12, freq="MS")
    return pd.DataFrame(
        {"pair": pair, "date": dates, "weight": 0.1, "reverse": 0.0, "baseline": 0.2, "old_friend": False}
    )


def _legend(fig: Any) -> list[str]:
    return [t.get_text() for legend in fig.legends for t in legend.get_texts()]


def test_the_registry_is_the_one_vocabulary() -> None:
    assert rule_names() == tuple(RULES) == tuple(m.RULE.name for m in REGISTERED)
    assert {"court", "cool", "counter_court", "reciprocate", "retaliate", "solidarity", "balance"} <= set(rule_names())
    for module in REGISTERED:
        rule = module.RULE
        assert inspect.getdoc(module), f"rules/{module.__name__}: no docstring"
        assert rule.summary and rule.label
        # an answer to news declares its trigger once, as a screen, and acts only where it fires
        assert (rule.screen is None) == (rule.kind == "initiative" and rule.name == "court"), rule.name
    assert set(rules_package.__all__) >= {"RULES", "rule_names"}


@pytest.mark.parametrize("rule", rule_names())
def test_every_rule_is_drawn_in_the_png_charts(rule: str) -> None:
    dates = pd.date_range("2024-01-01", periods=12, freq="MS")
    reactions = pd.DataFrame({"pair": ["AAA-BBB"], "date": [dates[4]], "rule": [rule], "label": ["AAA: x"]})
    single = charts.PairsData(_series("AAA-BBB"), pd.DataFrame(columns=["date", "label"]), reactions, rule_labels())
    assert f"agent reaction: {RULES[rule].label}" in _legend(charts.plot_pairs(single))


def test_the_ensemble_chart_data_names_every_rule_and_draws_it() -> None:
    scenario = Scenario.model_validate(
        {"name": "t", "world": three_state_world(), "params": QUIET, "steps": 3, "seed": 1, "track": ["AAA-BBB"]}
    )
    result = run_scenario(scenario, replicates=2, seed=1, progress=False)
    data = band_data(result)
    assert data.rules == rule_labels()
    rows = [{"pair": "AAA-BBB", "date": data.series.date.iloc[1], "rule": r, "share": 0.5} for r in rule_names()]
    data.reactions = pd.DataFrame(rows)
    labels = _legend(charts.plot_band(data))
    for rule in RULES.values():
        assert f"agent reaction: {rule.label} (size: share of runs)" in labels


@pytest.mark.parametrize("rule", rule_names())
def test_every_rule_is_drawn_in_report_html(rule: str) -> None:
    table = pd.DataFrame(
        {"source": ["AAA"], "rule": [rule], "target": ["BBB"], "forms": ["x"], "share": [0.5], "mean_count": [1.0]}
    )
    fig = report_html.reactions_figure(table)
    assert any(RULES[rule].label in str(y) for y in fig.data[0].y)


@pytest.mark.parametrize("rule", ("scripted", *rule_names()))
def test_every_rule_can_be_a_sweep_outcome(rule: str) -> None:
    sweep = {
        "design": "grid",
        "parameters": [{"path": "kappa", "values": [0.2]}],
        "outcomes": [{"name": "first", "kind": "first_event", "source": "AAA", "rule": rule}],
    }
    scenario = Scenario.model_validate(
        {"name": "t", "world": three_state_world(), "params": QUIET, "steps": 3, "seed": 1, "sweep": sweep}
    )
    assert check_sweep(scenario) == []


def test_an_unknown_rule_is_refused_with_the_vocabulary() -> None:
    sweep = {
        "design": "grid",
        "parameters": [{"path": "kappa", "values": [0.2]}],
        "outcomes": [{"name": "first", "kind": "first_event", "source": "AAA", "rule": "solidarty"}],
    }
    scenario = Scenario.model_validate(
        {"name": "t", "world": three_state_world(), "params": QUIET, "steps": 3, "seed": 1, "sweep": sweep}
    )
    (problem,) = check_sweep(scenario)
    assert problem[0][-1] == "rule" and "solidarity" in problem[1] and "balance" in problem[1]


@pytest.mark.parametrize("rule", rule_names())
def test_every_rule_is_documented_with_its_evidence(rule: str) -> None:
    text = (DOCS / "model.md").read_text(encoding="utf-8")
    evidence = text[text.index("### Evidence for each rule") :]
    row = next((line for line in evidence.splitlines() if line.startswith(f"| `{rule}`")), None)
    assert row is not None, f"docs/model.md: no evidence row for rule {rule}"
    assert row.count("|") >= 5


def test_the_coding_of_every_event_type_is_declared_in_the_docs() -> None:
    text = (DOCS / "model.md").read_text(encoding="utf-8")
    for name, variant, code, g, coding in coding_rows(EVENT_TYPES):
        row = f"| `{name}` | {variant or '-'} | {code or '-'} | {g:+.1f} | {coding} |"
        assert row in text, f"docs/model.md, 'How each event type is read': no row {row}"
    codings = {r[4] for r in coding_rows(EVENT_TYPES)}
    assert codings == {"warming", "cooling", "coercive", "neutral"}
    assert Agreement(source="A", target="B", action="abandon").coding() == "cooling"  # halting is cooling
    assert Sanction(source="A", target="B").coding() == "coercive"


def test_a_war_keeps_relations_toward_the_belligerent_from_warming() -> None:
    """Issue 20, "wars warm relations": while a state strikes every month, no state that is not its
    friend comes to regard it better; once the strikes stop, relations may warm again."""
    shocks = [{"type": "use_force", "source": "AAA", "target": "BBB", "step": 0, "every": 1, "until": 11}]
    params = {"noise": 0.02, "agents": True}
    scenario = Scenario.model_validate(
        {"name": "war", "world": three_state_world(), "params": params, "steps": 24, "seed": 5, "shocks": shocks}
    )
    model = AlignmentModel(scenario).run()
    w, a = model.recorder.relations, 0
    ft = scenario.params.friend_threshold
    for t in range(12):
        for i in (1, 2):
            if w[t, i, a] < ft:
                assert w[t + 1, i, a] <= w[t, i, a]
    assert (np.diff(w[12:, 2, a]) > 0).any()  # after the war, relations move both ways again


def test_the_evidence_runs_on_the_shipped_data() -> None:
    """The evidence machinery on a reduced span (the figures of docs/model.md come from
    benchmarks/rule_evidence.py on 1950-1989 and 1990-2017)."""
    findings = evidence(1970, 1975, reps=20)
    assert {f.rule for f in findings} == {"court", "cool", "solidarity", "balance"}
    for f in findings:
        assert np.isfinite(f.estimate) and f.low <= f.high and f.cases > 0, f
    joining = next(f for f in findings if f.measure.startswith("rate ratio of a dispute"))
    assert joining.passed  # allies join disputes, even in six years


def test_a_rule_whose_test_failed_is_off_by_default() -> None:
    text = (DOCS / "model.md").read_text(encoding="utf-8")
    evidence_rows = text[text.index("### Evidence for each rule") :].splitlines()
    defaults = Params()
    for name, rule in RULES.items():
        row = next(line for line in evidence_rows if line.startswith(f"| `{name}`"))
        if "**Not supported: off by default**" in row:
            assert rule.switch is not None and not getattr(defaults, rule.switch), name
        else:
            assert rule.switch is None or getattr(defaults, rule.switch), name
