"""Property tests: for any valid scenario -- parameters anywhere in their declared ranges, any
registered shocks -- relations stay in [-1, 1] with no NaN, and a scenario survives save-then-load.

Parameters and event fields are generated from their pydantic declarations, so a new parameter or
event type is covered without editing this file. Examples are derandomized (the same every run) and
not shrunk, since shrinking whole model runs can take minutes; set ALIGNSIM_SHRINK=1 to shrink a
failure to a minimal scenario.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pydantic.fields import FieldInfo

from alignsim.config.scenario import Scenario, add_months, parse_scenario
from alignsim.measures.kernels import leading_eigenpairs
from alignsim.model.model import AlignmentModel
from alignsim.results.scaling import resolved_yaml
from alignsim.world.events.base import EVENT_TYPES, Event
from alignsim.world.params import Params
from alignsim.world.spec import shipped_world_path

KOREA = yaml.safe_load(shipped_world_path("korea_2024").read_text(encoding="utf-8"))
CODES = [s["code"] for s in KOREA["states"]]
DIMS = [d["id"] for d in KOREA["dimensions"]]
START = dt.date(2024, 1, 1)

PHASES = (Phase.explicit, Phase.generate, *((Phase.shrink,) if os.environ.get("ALIGNSIM_SHRINK") else ()))
SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True, phases=PHASES
)


def bounds(field: FieldInfo) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for meta in field.metadata:
        for key in ("ge", "gt", "le", "lt"):
            if getattr(meta, key, None) is not None:
                out[key] = getattr(meta, key)
    return out


def number(field: FieldInfo, kind: type) -> st.SearchStrategy[Any]:
    b = bounds(field)
    lo, hi = b.get("ge", b.get("gt")), b.get("le", b.get("lt"))
    if kind is int:
        return st.integers(
            min_value=None if lo is None else math.ceil(lo) + ("gt" in b),
            max_value=None if hi is None else math.floor(hi) - ("lt" in b),
        )
    return st.floats(
        min_value=lo,
        max_value=hi if hi is not None else 1e12,
        exclude_min="gt" in b,
        exclude_max="lt" in b,
        allow_nan=False,
        allow_infinity=False,
    )


def plain(ann: Any) -> Any:
    """The type inside Optional[...] and Annotated[..., Strict()] (alignsim.world.types): float for Real."""
    inner = [a for a in get_args(ann) if a is not type(None)] if get_origin(ann) in (Union, types.UnionType) else [ann]
    ann = inner[0] if len(inner) == 1 else ann
    return get_args(ann)[0] if get_origin(ann) is Annotated else ann


def value_for(field: FieldInfo) -> st.SearchStrategy[Any]:
    """A strategy for one declared field: numbers within bounds, Literal choices, booleans."""
    ann = plain(field.annotation)
    if get_origin(ann) is Literal:
        return st.sampled_from(get_args(ann))
    if ann is bool:
        return st.booleans()
    if ann in (int, float):
        return number(field, ann)
    raise NotImplementedError(f"no strategy for {ann}")


def params_strategy() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({name: value_for(f) for name, f in Params.model_fields.items()})


def text() -> st.SearchStrategy[str]:
    return st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


@st.composite
def shock_strategy(draw: st.DrawFn, steps: int) -> dict[str, Any]:
    """A valid shock of any registered type, firing inside a run of ``steps`` months."""
    name = draw(st.sampled_from(sorted(EVENT_TYPES)))
    cls = EVENT_TYPES[name]
    source = draw(st.sampled_from(CODES))
    shock: dict[str, Any] = {"type": name, "source": source}
    if cls.needs_target:
        shock["target"] = draw(st.sampled_from([c for c in CODES if c != source]))
    first = draw(st.integers(0, steps - 1))
    if draw(st.booleans()):
        shock["step"] = first
    else:
        month = add_months(START, first)
        shock["date"] = month.replace(day=draw(st.integers(1, 28))).isoformat()
    if draw(st.booleans()):
        shock["every"] = draw(st.integers(1, 4))
        if draw(st.booleans()):
            shock["until"] = draw(st.integers(first, steps + 2))
    if draw(st.booleans()):
        shock["intensity"] = draw(number(Event.model_fields["intensity"], float))
    if draw(st.booleans()):
        shock["note"] = draw(text())
    for field_name, field in cls.model_fields.items():
        if field_name in Event.model_fields:
            continue
        if field_name == "dimension":
            shock["dimension"] = draw(st.sampled_from(DIMS))
        elif field_name in ("open_to", "partners"):
            shock[field_name] = draw(
                st.lists(st.sampled_from([c for c in CODES if c != source]), unique=True, max_size=4)
            )
        elif field_name == "via":
            shock["via"] = draw(
                st.one_of(st.none(), st.sampled_from([c for c in CODES if c not in (source, shock.get("target"))]))
            )
        elif field_name == "sponsor":
            shock["sponsor"] = draw(st.one_of(st.none(), st.sampled_from([c for c in CODES if c != source])))
        elif field_name == "attacker":
            shock["attacker"] = draw(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12))
        elif field.annotation is str:
            shock[field_name] = draw(text())
        elif name == "interest_shift":
            continue  # below: exactly the combinations the type accepts
        elif not field.is_required() and draw(st.booleans()):
            continue  # keep the default
        else:
            shock[field_name] = draw(value_for(field))
    if name == "interest_shift":
        fields = cls.model_fields
        change = draw(st.sampled_from(["position", "delta", None]))
        if change is not None:
            shock[change] = draw(number(fields[change], float))
        if change is None or draw(st.booleans()):
            shock["salience"] = draw(number(fields["salience"], float))
    return shock


@st.composite
def scenario_strategy(draw: st.DrawFn, max_steps: int = 10) -> Scenario:
    steps = draw(st.integers(2, max_steps))
    data = {
        "name": "property",
        "world": "korea_2024",
        "start": START.isoformat(),
        "steps": steps,
        "seed": draw(st.integers(0, 2**63 - 1)),
        "params": draw(params_strategy()),
        "shocks": draw(st.lists(shock_strategy(steps), max_size=6)),
    }
    return Scenario.model_validate(data)


@pytest.mark.filterwarnings("error::RuntimeWarning")  # an overflow or 0/0 on the way is a bug even if clipped later
@SETTINGS
@given(scenario=scenario_strategy())
def test_relations_stay_in_bounds_without_nan_for_any_valid_scenario(scenario: Scenario) -> None:
    model = AlignmentModel(scenario).run()
    rec = model.recorder
    for name, arrays in (("relations", rec.relations), ("baseline", rec.baselines)):
        assert np.isfinite(arrays).all(), f"{name} has NaN or inf"
        assert np.abs(arrays).max() <= 1.0, f"{name} leaves [-1, 1]"
        assert (np.diagonal(arrays, axis1=1, axis2=2) == 0).all(), f"{name} has a self-relation"
    assert all(math.isfinite(e.impulse) for e in model.log)
    assert all(e.cause for e in model.log)


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_a_state_that_outgrows_all_others_divides_by_no_zero() -> None:
    """Found by the property above: capability x 98 a month makes the others' total (sum - own) cancel to 0."""
    shock = {"type": "capability_change", "source": "JPN", "step": 0, "every": 1, "factor": 98.6}
    model = AlignmentModel(Scenario.model_validate({"world": "korea_2024", "steps": 12, "shocks": [shock]})).run()
    assert np.isfinite(model.recorder.relations).all()


def test_capability_changes_that_compound_neither_erase_a_state_nor_stop_the_measures() -> None:
    """Found by the property below: a factor of 1e-285 twice left a capability of 0, which the
    landscape measure refuses (sizes must be > 0)."""
    shock = {"type": "capability_change", "source": "KOR", "step": 1, "every": 1, "factor": 1e-285}
    check_measures(Scenario.model_validate({"world": "korea_2024", "steps": 4, "shocks": [shock]}))


def test_a_note_with_a_character_yaml_takes_for_a_line_break_survives_save_then_load() -> None:
    """Found by the property below: PyYAML writes NEL (U+0085) raw, and reads it back as a space."""
    note = "before\x85after \u2028 end"
    scenario = Scenario.model_validate({"world": "korea_2024", "steps": 2, "description": note})
    assert parse_scenario(resolved_yaml(scenario.resolved())).description == note


def korea_with(**params: Any) -> Scenario:
    return Scenario.model_validate({"world": "korea_2024", "steps": 2, "params": params})


@SETTINGS
@given(scenario=scenario_strategy())
def test_the_numeric_measures_are_finite_for_any_valid_scenario(scenario: Scenario) -> None:
    check_measures(scenario)


def test_the_measures_are_finite_at_the_smallest_valid_beta() -> None:
    """Found by the property above: alpha_c = beta / (4 λ1) underflows to 0 for beta = 5e-324."""
    check_measures(korea_with(beta=5e-324))


def check_measures(scenario: Scenario) -> None:
    recorder = AlignmentModel(scenario).run().recorder
    metrics = recorder.metrics_frame()
    numeric = metrics.select_dtypes("number").drop(columns="step")
    finite = np.isfinite(numeric.to_numpy(dtype=float))
    # documented NaN: similarity across the two sides of the leading eigenvector when no two nonzero
    # components differ in sign (everyone on one side, whichever the orientation); the bloc names cannot
    # tell, since they also say "non-aligned"
    w = recorder.relations[: len(metrics)]
    v = leading_eigenpairs(w)[1]
    v[np.abs(v) <= 1e-10] = 0.0
    one_side = (v >= 0).all(axis=1) | (v <= 0).all(axis=1) | ~np.any(w + w.transpose(0, 2, 1), axis=(1, 2))
    if "similarity_across" in numeric:
        finite[:, numeric.columns.get_loc("similarity_across")] |= one_side
    bad = numeric.columns[~finite.all(axis=0)].tolist()
    assert not bad, f"non-finite measures: {bad}"


@SETTINGS
@given(scenario=scenario_strategy(max_steps=24))
def test_any_valid_scenario_survives_save_then_load(scenario: Scenario) -> None:
    text = resolved_yaml(scenario.resolved())  # as a run folder writes it
    back = parse_scenario(text, path="scenario.resolved.yaml")
    assert back.resolved() == scenario.resolved()
    assert back.shocks == scenario.shocks
    assert back.params == scenario.params
    assert back.schedule() == scenario.schedule()
