"""The ``sweep:`` block of a scenario: which parameters to vary over which design, and what to
measure (see :mod:`alignsim.experiments.sweep` for running it and docs/sensitivity.md)."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from alignsim.world.types import Int, Real

NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]*$")


PARAM_PATH = re.compile(r"^(?:params\.)?([A-Za-z_][A-Za-z0-9_]*)$")


SHOCK_PATH = re.compile(r"^shocks\[(\d+)\]\.([A-Za-z_][A-Za-z0-9_]*)$")


RESERVED = ("point", "replicate")


class SweepParameter(BaseModel):
    """One input of the sweep: a parameter or a shock magnitude, and the range it takes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str = Field(
        description="'beta' or 'params.beta' (a model parameter), or 'shocks[K].FIELD' (a magnitude of shock K, 0-based)."
    )
    name: str | None = Field(None, description="Column name in the tables (default: the path without 'params.').")
    bounds: tuple[Real, Real] | None = Field(
        None, description="[low, high]: the range sobol and morris sample, or that a grid spans with 'levels' values."
    )
    values: tuple[Real, ...] | None = Field(None, min_length=1, description="Grid only: the values to take.")

    @field_validator("path")
    @classmethod
    def _path(cls, path: str) -> str:
        if not (PARAM_PATH.match(path) or SHOCK_PATH.match(path)):
            raise ValueError(
                f"'{path}' is not a path; write a parameter ('beta' or 'params.beta') or a shock magnitude ('shocks[2].intensity')"
            )
        return path

    @field_validator("name")
    @classmethod
    def _name(cls, name: str | None) -> str | None:
        if name is not None and not NAME.match(name):
            raise ValueError(
                f"'{name}' is not a usable column name: start with a letter; letters, digits, '_', '.', '-'"
            )
        return name

    @model_validator(mode="after")
    def _range(self) -> SweepParameter:
        if self.bounds is not None and not self.bounds[0] < self.bounds[1]:
            raise ValueError(
                f"bounds [{self.bounds[0]:g}, {self.bounds[1]:g}]: the first (low) must be below the second (high)"
            )
        if self.bounds is not None and self.values is not None:
            raise ValueError("give 'bounds' or 'values', not both")
        return self

    @property
    def column(self) -> str:
        return self.name or self.path.removeprefix("params.")


OUTCOME_FIELDS: dict[str, tuple[set[str], set[str]]] = {  # kind -> (required, allowed) fields besides name and kind
    "relation": ({"pair"}, {"pair", "column", "at"}),
    "metric": ({"metric"}, {"metric", "at"}),
    "first_event": ({"source"}, {"source", "target", "rule", "type", "never"}),
}


class OutcomeSpec(BaseModel):
    """What to measure in every run, by ``kind``:

    - ``relation``: W (``column: weight``) or the interest baseline X0 (``column: baseline``) of the
      directed pair ``pair`` (``PRK-CUB``: how PRK regards CUB) ``at`` the end, a step or a date;
    - ``metric``: a numeric column of the metrics table (``endurance``, ``polarization``,
      ``tipping_ratio``, ``isolation_PRK``, ...) ``at`` the end, a step or a date;
    - ``first_event``: the month (step from the start) in which an event of ``source`` (toward
      ``target``, by ``rule``, of ``type``: each optional) first happens; ``never`` when it does
      not happen in the run (default: the scenario's number of steps, the first month after it).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    kind: Literal["relation", "metric", "first_event"]
    pair: str | None = Field(None, description="relation: the directed pair 'AAA-BBB'.")
    column: Literal["weight", "baseline"] | None = Field(
        None, description="relation: W (weight, the default) or X0 (baseline)."
    )
    metric: str | None = Field(None, description="metric: a column of the metrics table.")
    at: Literal["end"] | Int | dt.date | None = Field(
        None, description="relation, metric: 'end' (default), a step (0 = start) or a date (its month's step)."
    )
    source: str | None = Field(None, description="first_event: the acting state.")
    target: str | None = Field(None, description="first_event: the state acted upon (any when omitted).")
    rule: str | None = Field(
        None,
        description="first_event: 'scripted' or an agent rule (alignsim.model.rules; any when omitted).",
    )
    type: str | None = Field(None, description="first_event: the event type, e.g. 'visit' (any when omitted).")
    never: Real | None = Field(
        None, description="first_event: the value when it never happens (default: the scenario's steps)."
    )

    @model_validator(mode="after")
    def _fields_of_kind(self) -> OutcomeSpec:
        required, allowed = OUTCOME_FIELDS[self.kind]
        given = {f for f in type(self).model_fields if f not in ("name", "kind") and getattr(self, f) is not None}
        missing = sorted(required - given)
        if missing:
            raise ValueError(f"a {self.kind} outcome needs '{missing[0]}'")
        foreign = sorted(given - allowed)
        if foreign:
            raise ValueError(
                f"'{foreign[0]}' does not apply to a {self.kind} outcome; its keys: name, kind, {', '.join(sorted(allowed))}"
            )
        return self

    @property
    def when(self) -> Literal["end"] | int | dt.date:
        return "end" if self.at is None else self.at


class SweepSpec(BaseModel):
    """A scenario's ``sweep:`` block: the design, the inputs and the outcomes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    design: Literal["grid", "sobol", "morris"] = "sobol"
    samples: Int = Field(
        64,
        ge=1,
        le=65536,
        description="sobol: base samples N (a power of 2; N x (D + 2) points); morris: trajectories (N x (D + 1) points); unused by grid.",
    )
    levels: Int = Field(
        4, ge=2, le=100, description="morris: levels of its grid; grid: values per parameter given by 'bounds'."
    )
    replicates: Int = Field(
        1, ge=1, le=10_000, description="Runs per point; replicate k uses the same seed at every point."
    )
    seed: Int | None = Field(
        None, ge=0, le=2**63 - 1, description="Seed of the design and the replicates (default: the scenario's)."
    )
    confidence: Real = Field(0.95, gt=0, lt=1, description="Level of the confidence intervals of the indices.")
    parameters: tuple[SweepParameter, ...] = Field(min_length=1)
    outcomes: tuple[OutcomeSpec, ...] = Field(min_length=1)

    @field_validator("outcomes")
    @classmethod
    def _outcome_names(cls, outcomes: tuple[OutcomeSpec, ...]) -> tuple[OutcomeSpec, ...]:
        for o in outcomes:
            if not NAME.match(o.name):
                raise ValueError(
                    f"outcome name '{o.name}' is not a usable column name: start with a letter; letters, digits, '_', '.', '-'"
                )
        return outcomes

    @model_validator(mode="after")
    def _consistent(self) -> SweepSpec:
        if self.design == "sobol" and self.samples & (self.samples - 1):
            raise ValueError(
                f"sobol: samples must be a power of 2 (the Sobol' sequence balances only then), e.g. {_pow2_near(self.samples)}, not {self.samples}"
            )
        if self.design == "sobol" and len(self.parameters) < 2:
            raise ValueError("sobol needs at least two parameters (indices are shares of the variance between them)")
        for k, p in enumerate(self.parameters):
            if self.design in ("sobol", "morris") and p.bounds is None:
                raise ValueError(
                    f"parameters[{k}] ({p.path}): {self.design} samples within 'bounds: [low, high]'; 'values' are for the grid design"
                )
            if self.design == "grid" and p.bounds is None and p.values is None:
                raise ValueError(
                    f"parameters[{k}] ({p.path}): a grid needs 'values: [...]' or 'bounds: [low, high]' (with 'levels')"
                )
        columns = [p.column for p in self.parameters]
        names = [o.name for o in self.outcomes]
        for name in dict.fromkeys(columns + names):  # first mistake first, the same in every process
            if (columns + names).count(name) > 1:
                raise ValueError(
                    f"the name '{name}' is used twice among parameters and outcomes; give each a distinct 'name'"
                )
            if name in RESERVED:
                raise ValueError(f"'{name}' is reserved for a column of the results table; choose another name")
        paths = [p.path.removeprefix("params.") for p in self.parameters]
        for path in dict.fromkeys(paths):
            if paths.count(path) > 1:
                raise ValueError(f"'{path}' is swept twice")
        return self

    @property
    def problem(self) -> dict[str, Any]:
        """SALib's problem: names and bounds."""
        return {
            "num_vars": len(self.parameters),
            "names": [p.column for p in self.parameters],
            "bounds": [list(p.bounds or (0.0, 1.0)) for p in self.parameters],
        }


def _pow2_near(n: int) -> int:
    return 1 << max(1, round(math.log2(max(n, 1))))
