"""The warning that a scenario's given initial relations lie far from the model's steady state
(docs/model.md, the start). It builds a model (Mesa): validate imports it only for such scenarios."""

from __future__ import annotations

import sys
from typing import Any

from alignsim.model.model import AlignmentModel


def warn_far_from_steady_state(scenario: Any, shown: int = 6) -> None:
    """A warning (not an error) naming the pairs whose given initial relations lie far from the
    model's steady state, which the first months would spend relaxing toward (docs/model.md, the start)."""
    if scenario.params.initial_relations != "given" or len(scenario.world_spec.states) > 300:
        return
    far = AlignmentModel(scenario).far_from_steady_state()
    if not far:
        return
    pairs = ", ".join(f"{a}->{b} {w:+.2f} (steady {s:+.2f})" for a, b, w, s in far[:shown])
    more = f" and {len(far) - shown} more" if len(far) > shown else ""
    print(
        f"warning: {len(far)} initial relations lie far from the model's steady state: {pairs}{more}; "
        "the first months relax toward it (set params: {initial_relations: equilibrium} to start there)",
        file=sys.stderr,
    )
