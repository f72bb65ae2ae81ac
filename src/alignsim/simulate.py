"""Running a scenario: the model stepped to the end, its tables gathered into a RunResult."""

from __future__ import annotations

from alignsim.model import AlignmentModel
from alignsim.results import RunResult, make_manifest
from alignsim.scenario import Scenario


def run_scenario(scenario: Scenario, *, seed: int | None = None, source_text: str | None = None) -> RunResult:
    """Run one replicate; ``seed`` overrides the scenario's (``0`` is a seed like any other)."""
    run_seed = scenario.seed if seed is None else seed
    model = AlignmentModel(scenario, seed=run_seed).run()
    rec = model.recorder
    return RunResult(
        scenario=scenario if seed is None else scenario.with_overrides(seed=run_seed),
        relations=rec.relations_frame(),
        events=rec.events_frame(),
        metrics=rec.metrics_frame(),
        manifest=make_manifest(scenario, run_seed, source_text),
    )
