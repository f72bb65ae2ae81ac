"""Scenario files: YAML -> validated, frozen :class:`Scenario`, with file and line in every error.

A scenario names a world (a shipped world, a file, inline, or a reference plus overrides), the
parameters, the start date and number of monthly steps, the seed, the scripted shocks and the pairs
to chart. :func:`load_scenario` is the one entry point; every mistake raises
:class:`~alignsim.errors.InputError` carrying the file, the line and the field.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from alignsim.config.landscape_file import load_landscape_file
from alignsim.config.sweep_spec import SweepSpec
from alignsim.config.yaml_errors import input_error, located
from alignsim.config.yaml_reader import YamlTree, read_text_file, read_yaml
from alignsim.errors import InputError
from alignsim.measures.balance import polarization
from alignsim.measures.landscape import LandscapeProblem
from alignsim.world.events.base import EVENT_TYPES, Event
from alignsim.world.params import Params, params_set
from alignsim.world.spec import (
    WorldProblems,
    WorldSpec,
    WorldState,
    code_check,
    did_you_mean,
    hint_budget,
    interest_baseline,
    merge_world,
    shipped_world_path,
    shipped_worlds,
    unknown_code_message,
    world_problems,
    world_warnings,
)
from alignsim.world.types import Int

FIRST_YEAR, LAST_YEAR = 1700, 2261  # dates become pandas Timestamps (1677-09-22 to 2262-04-11)
WORLD_FORMS = (
    "a shipped world's name ({}), a path to a world file, or a mapping (a whole world, or 'base:' plus overrides)"
)

Shock = Annotated[Union[tuple(EVENT_TYPES.values())], Field(discriminator="type")]  # type: ignore[valid-type]  # noqa: UP007 (a Union built at run time)


def add_months(start: dt.date, months: int) -> dt.date:
    """The date ``months`` after ``start``; a day the month lacks becomes its last (31 Jan + 1 = 29 Feb 2024)."""
    y, m = divmod(start.month - 1 + months, 12)
    year, month = start.year + y, m + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def month_index(start: dt.date, date: dt.date) -> int:
    return (date.year - start.year) * 12 + date.month - start.month


class Scenario(BaseModel):
    """A validated scenario. Build with :func:`load_scenario` or ``Scenario.model_validate``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field("scenario", min_length=1)
    description: str = ""
    world: str | dict[str, Any] = Field(
        "korea_2024",
        description="A shipped world's name, a path to a world file, or a mapping (inline world, or 'base:' plus overrides).",
    )
    params: Params = Params()
    params_set: str | None = Field(
        None,
        description=(
            "A calibrated parameter set (e.g. history_1950_1989, written by alignsim calibrate) under 'params'; "
            "a world built from data names its own. Keys given in 'params' win; alpha is the set's fraction of the tipping point."
        ),
    )
    start: dt.date = dt.date(2024, 1, 1)
    steps: Int = Field(36, ge=1, le=1200, description="Number of monthly steps.")
    seed: Int = Field(0, ge=0, le=2**63 - 1)
    replicates: Int = Field(
        1,
        ge=1,
        le=100_000,
        description="Replicates of the run (an ensemble); replicate seeds are spawned from 'seed' with numpy SeedSequence.",
    )
    shocks: tuple[Shock, ...] = ()
    track: tuple[str, ...] = Field((), description="Directed pairs to chart, written 'PRK-CUB'.")
    sweep: SweepSpec | None = None

    _world_spec: WorldSpec = PrivateAttr()
    _notes: list[tuple[tuple[Any, ...], str, Path | None]] = PrivateAttr(
        default_factory=list
    )  # (location, warning, world file or None)
    _warnings: tuple[str, ...] = PrivateAttr(())

    @field_validator("track")
    @classmethod
    def _pairs(cls, track: tuple[str, ...]) -> tuple[str, ...]:
        first: dict[str, int] = {}
        for n, pair in enumerate(track):
            if pair.count("-") != 1:
                raise ValueError(f"'{pair}' is not a pair; write two state codes joined by '-', e.g. 'PRK-CUB'")
            if pair in first:  # 500,000 copies of one pair kept a run busy for minutes
                raise ValueError(
                    f"'{pair}' is tracked twice (track[{first[pair]}] and track[{n}]); list each pair once"
                )
            first[pair] = n
        return track

    @field_validator("start")
    @classmethod
    def _start_year(cls, start: dt.date) -> dt.date:
        if not FIRST_YEAR <= start.year <= LAST_YEAR:
            raise ValueError(
                f"{start} is out of range: a run's dates lie within the years {FIRST_YEAR} to {LAST_YEAR} (pandas stores dates up to 2262)"
            )
        return start

    @model_validator(mode="after")
    def _resolve(self, info: ValidationInfo) -> Scenario:
        """Resolve the world, check the run's end date, the shocks and the tracked pairs against it,
        and note what is legal but odd."""
        base_dir = Path((info.context or {}).get("base_dir", "."))
        self._world_spec = resolve_world(self.world, base_dir)
        self._apply_params_set()
        problems = self._end_problems() + self._shock_problems() + self._track_problems()
        if problems:
            raise ScenarioProblems(problems)
        self._notes = [
            *_world_notes(self.world, self._world_spec, base_dir),
            *((loc, msg, None) for loc, msg in self._tie_notes()),
        ]
        return self

    def _apply_params_set(self) -> None:
        """Params = the named set (the scenario's, else the world's) under the keys the scenario gives; alpha =
        the set's fraction of this world's tipping point beta / (4 lambda1(X0)) unless given (docs/model.md §10)."""
        name = self.params_set or self._world_spec.params_set
        if name is None:
            return
        try:
            chosen = params_set(name)
        except KeyError as err:
            raise ScenarioProblems([(("params_set",), str(err.args[0]))]) from None
        given = self.params.model_dump(include=self.params.model_fields_set)
        values = {**chosen["params"], **given}
        if "alpha" not in given:
            trial = Params(**{**values, "alpha": 0.0})
            x0 = interest_baseline(WorldState.from_spec(self._world_spec), trial)
            # alpha_c = beta / (4 lambda1(X0)) (measures.analytics.alpha_critical, without scipy's import cost)
            lam1 = polarization(x0)
            values["alpha"] = 0.0 if lam1 <= 0 else float(chosen["alpha_fraction"]) * trial.beta / (4.0 * lam1)
        self.__dict__["params"] = Params(**values)
        self.__dict__["params_set"] = name

    def _end_problems(self) -> list[tuple[tuple[Any, ...], str]]:
        """A run whose last step falls after :data:`LAST_YEAR`."""
        if add_months(self.start, self.steps).year <= LAST_YEAR:
            return []
        return [
            (
                ("steps",),
                f"{self.steps} steps from {self.start} end after {LAST_YEAR}; a run's dates lie within the years {FIRST_YEAR} to {LAST_YEAR}",
            )
        ]

    def _shock_problems(self) -> list[tuple[tuple[Any, ...], str]]:
        """Shocks naming unknown states or dimensions, with both or neither of date and step, firing
        outside the run, or repeating until before they first fire."""
        spec = self._world_spec
        dims = [d.id for d in spec.dimensions]
        problems: list[tuple[tuple[Any, ...], str]] = []
        check = code_check(problems, spec)
        for n, shock in enumerate(self.shocks):
            for field in ("source", "target", "via", "sponsor"):
                check(getattr(shock, field, None), ("shocks", n, field))
            for field in ("open_to", "partners"):
                for code in getattr(shock, field, ()):
                    check(code, ("shocks", n, field))
            dim = getattr(shock, "dimension", None)
            if dim is not None and dim not in dims:
                problems.append(_unknown_dimension(dim, dims, ("shocks", n, "dimension")))
            problems += self._timing_problems(n, shock)
        return problems

    def _timing_problems(self, n: int, shock: Event) -> list[tuple[tuple[Any, ...], str]]:
        """Shock ``n`` needs exactly one of date and step, must first fire within the run, and not
        repeat ``until`` a date before that."""
        if (shock.date is None) == (shock.step is None):
            return [(("shocks", n), "give exactly one of 'date' or 'step'")]
        first = self._first_step(shock)
        if not 0 <= first < self.steps:
            when = ("shocks", n, "date" if shock.date is not None else "step")
            return [(when, f"fires at step {first}, outside the run: {self._span()}")]
        if shock.until is not None and self._step_of(shock.until) < first:
            return [
                (
                    ("shocks", n, "until"),
                    f"'until' ({shock.until}) comes before the first firing (step {first}): the shock would never fire",
                )
            ]
        return []

    def _track_problems(self) -> list[tuple[tuple[Any, ...], str]]:
        """Tracked pairs naming unknown states or pairing a state with itself."""
        problems: list[tuple[tuple[Any, ...], str]] = []
        check = code_check(problems, self._world_spec)
        for n, pair in enumerate(self.track):
            for code in pair.split("-"):
                check(code, ("track", n))
            if pair.count("-") == 1 and len(set(pair.split("-"))) == 1:
                problems.append(
                    (("track", n), f"'{pair}' pairs a state with itself; a state has no relation to itself")
                )
        return problems

    def _tie_notes(self) -> list[tuple[tuple[Any, ...], str]]:
        """Scripted visits between states without diplomatic relations at the time (after the
        recognitions and severances scripted before): legal, but rarely what history allows."""
        ties = {frozenset((t.a, t.b)) for t in self._world_spec.ties.diplomatic}
        order = {id(shock): n for n, shock in enumerate(self.shocks)}
        notes, warned = [], set()
        for step in sorted(plan := self.schedule()):
            for shock in plan[step]:
                pair = frozenset((shock.source, shock.target))
                if shock.type == "recognition":
                    ties.add(pair)
                elif shock.type == "sever_relations":
                    ties.discard(pair)
                elif shock.type in VISIT_TYPES and pair not in ties and id(shock) not in warned:
                    warned.add(id(shock))
                    message = (
                        f"a {shock.type} between {shock.source} and {shock.target}, which have no diplomatic relations in "
                        f"{self.date_of(step):%Y-%m} (no tie in the world, no recognition scripted before); "
                        "a contact without relations is usually 'talks' with 'via' a third state"
                    )
                    notes.append((("shocks", order[id(shock)], "type"), message))
        return notes

    @property
    def warnings(self) -> tuple[str, ...]:
        """Legal but odd inputs, each 'file:line: field '...': message' (filled by :func:`load_scenario`)."""
        return self._warnings

    def _first_step(self, shock: Event) -> int:
        return shock.step if shock.step is not None else month_index(self.start, shock.date)  # type: ignore[arg-type]

    def _step_of(self, when: dt.date | int) -> int:
        return when if isinstance(when, int) else month_index(self.start, when)

    def _span(self) -> str:
        end = add_months(self.start, self.steps - 1)
        return f"steps 0..{self.steps - 1}, i.e. dates in the months {self.start:%Y-%m} to {end:%Y-%m}"

    @property
    def world_spec(self) -> WorldSpec:
        return self._world_spec

    def date_of(self, step: int) -> dt.date:
        return add_months(self.start, step)

    def schedule(self) -> dict[int, list[Event]]:
        """Steps at which each scripted shock fires, repeats included. Within a step the shocks are in
        their canonical order -- date, then the most severe first, then codes and content -- so the
        order of the file's list changes nothing (docs/model.md, "Dates and severity, not list order")."""
        plan: dict[int, list[Event]] = {}
        for shock in self.shocks:
            step = self._first_step(shock)
            last = step
            if shock.every is not None:
                last = self.steps - 1 if shock.until is None else self._step_of(shock.until)
            while step <= min(last, self.steps - 1):
                plan.setdefault(step, []).append(shock)
                if shock.every is None:
                    break
                step += shock.every
        for step, shocks in plan.items():
            shocks.sort(key=lambda e, at=step: (self._day_in(e, at), *e.order_key()))
        return plan

    def _day_in(self, shock: Event, step: int) -> dt.date:
        """The shock's date in the month of ``step``: its own date in its first month, else the month's first day."""
        if shock.date is not None and self._step_of(shock.date) == step:
            return shock.date
        return self.date_of(step)

    def resolved(self) -> dict[str, Any]:
        """The scenario with the world inlined and every default filled: loading it gives the same run."""
        data = self.model_dump(mode="json", exclude_none=True)
        data["world"] = self._world_spec.model_dump(mode="json")
        return data

    def with_overrides(self, *, seed: int | None = None, **params: Any) -> Scenario:
        """A copy with another seed and/or parameters (validated like the file's)."""
        data = self.resolved()
        if seed is not None:
            data["seed"] = seed
        data["params"] = {**data["params"], **params}
        return Scenario.model_validate(data)


VISIT_TYPES = ("visit", "invitation")  # meetings that in practice need diplomatic relations


def _world_notes(
    world: str | dict[str, Any], spec: WorldSpec, base_dir: Path
) -> list[tuple[tuple[Any, ...], str, Path | None]]:
    """The world's warnings, located in the text the user wrote: a world file (its path), an inline
    world or the overrides of a 'base:' world (the scenario); none for a shipped world unchanged."""
    notes = world_warnings(spec)
    if isinstance(world, str):
        if world in shipped_worlds():
            return []
        path = Path(world) if Path(world).is_absolute() else base_dir / world
        return [(loc, msg, path) for loc, msg in notes]
    overrides = {k: v for k, v in world.items() if k != "base"}
    if "base" not in world:
        return [(("world", *loc), msg, None) for loc, msg in notes]
    merged = spec.model_dump(mode="json")
    out = []
    for loc, msg in notes:
        mapped = _override_loc(merged, overrides, loc)
        if mapped is not None:
            out.append((("world", *mapped), msg, None))
    return out


class ScenarioProblems(InputError):
    """Semantic mistakes found after the structure validated; each carries its location."""

    def __init__(self, problems: list[tuple[tuple[Any, ...], str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{'.'.join(map(str, loc))}: {msg}" for loc, msg in problems))


def resolve_world(world: str | dict[str, Any], base_dir: Path) -> WorldSpec:
    """Turn a scenario's ``world:`` into a validated :class:`WorldSpec`.

    Mistakes are reported where the user wrote them: in a world file (its own path and line), in an
    inline world (the scenario's line), or in the overrides of a ``base:`` world.
    """
    if isinstance(world, str):
        raw, path, tree = _load_world_raw(world, base_dir, ("world",))
        if path is not None:
            try:
                return WorldSpec.model_validate(raw)
            except ValidationError as err:
                problems = [(list(loc), msg) for loc, msg in _world_problems(err, raw, None, "")]
                raise input_error(problems, tree, path, EVENT_TYPES) from None
        overrides: dict[str, Any] | None = None
    else:
        overrides = dict(world)
        base = overrides.pop("base", None)
        if base is not None:
            raw = merge_world(_load_world_raw(base, base_dir, ("world", "base"))[0], overrides)
        else:
            raw, overrides = overrides, None
    try:
        return WorldSpec.model_validate(raw)
    except ValidationError as err:
        if isinstance(world, str):  # a shipped world: not the user's mistake to locate
            raise ScenarioProblems([(("world",), f"shipped world '{world}' is invalid: {err}")]) from None
        raise ScenarioProblems(_world_problems(err, raw, overrides, "world")) from None


def _world_problems(
    err: ValidationError, raw: dict[str, Any], overrides: dict[str, Any] | None, prefix: str
) -> list[tuple[tuple[Any, ...], str]]:
    """(location, message) of each world mistake, the location within the text the user wrote."""
    head = (prefix,) if prefix else ()
    problems = []
    errors = err.errors()
    for e in _expanded(errors, raw):
        loc = tuple(e["loc"])
        if e["type"] == "too_short" and any(
            len(o["loc"]) > len(loc) and tuple(o["loc"][: len(loc)]) == loc for o in errors
        ):
            continue  # an item failed and was left out; its own error says why
        message = _message(e, ["world", *loc])
        if not loc:  # a cross-reference check: find the value it names
            loc = _find_named_value(overrides if overrides is not None else raw, message) or ()
            if not loc and overrides is not None:
                problems.append((head, f"in the base world: {message}"))
                continue
        elif overrides is not None:
            mapped = _override_loc(raw, overrides, loc)
            if mapped is None:
                inner = ".".join(map(str, loc))
                problems.append((head, f"world.{inner} (after applying the overrides to the base world): {message}"))
                continue
            loc = mapped
        problems.append(((*head, *loc), message))
    return problems


def _expanded(errors: list[Any], raw: dict[str, Any]) -> list[Any]:
    """pydantic's errors with a :class:`WorldProblems` (all cross-reference mistakes of a world) split
    into one error per mistake, located where it was written. When the world's structure failed,
    pydantic never ran the cross-reference check: run it on the raw mapping, for one pass."""
    out, checked = [], False
    for e in errors:
        problems = e.get("ctx", {}).get("error")
        if isinstance(problems, WorldProblems):
            out += [
                {"type": "value_error", "loc": (*e["loc"], *loc), "msg": message} for loc, message in problems.problems
            ]
            checked = True
        else:
            out.append(e)
    if not checked:
        out += [{"type": "value_error", "loc": loc, "msg": message} for loc, message in world_problems(raw)]
    return out


_IDENTITY = {"states": ("code",), "dimensions": ("id",), "relations": ("source", "target")}


def _override_loc(merged: dict[str, Any], overrides: dict[str, Any], loc: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """Map a location in the merged world onto the override that produced it (None: it came from the base)."""
    key = loc[0]
    if key not in overrides:
        return None
    if key == "ties" and len(loc) >= 3 and isinstance(loc[2], int):
        kind = loc[1]
        ident = ("source", "target") if kind == "sanction" else ("a", "b")
        items = (merged.get("ties") or {}).get(kind)
        found = _same_item(items, (overrides.get("ties") or {}).get(kind), loc[2], ident)
        return None if found is None else ("ties", kind, found, *loc[3:])
    if key in _IDENTITY and len(loc) >= 2 and isinstance(loc[1], int):
        found = _same_item(merged.get(key), overrides.get(key), loc[1], _IDENTITY[key])
        return None if found is None else (key, found, *loc[2:])
    return loc


def _same_item(merged: Any, given: Any, index: int, ident: tuple[str, ...]) -> int | None:
    if (
        not isinstance(merged, list)
        or not isinstance(given, list)
        or index >= len(merged)
        or not isinstance(merged[index], dict)
    ):
        return None
    want = tuple(merged[index].get(k) for k in ident)
    for n, item in enumerate(given):
        if isinstance(item, dict) and tuple(item.get(k) for k in ident) == want:
            return n
    return None


def _find_named_value(data: Any, message: str) -> tuple[Any, ...] | None:
    """Where the name a cross-reference message quotes ('CCC') is written, as a value or a key; the
    last occurrence, so that for a name given twice the second one is shown."""
    quoted = re.search(r"'([^']+)'", message)
    if quoted is None:
        return None
    hits: list[tuple[Any, ...]] = []

    def walk(node: Any, loc: tuple[Any, ...]) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k == quoted.group(1):
                    hits.append((*loc, k))
                walk(v, (*loc, k))
        elif isinstance(node, list):
            for n, v in enumerate(node):
                walk(v, (*loc, n))
        elif node == quoted.group(1):
            hits.append(loc)

    walk(data, ())
    return hits[-1] if hits else None


def _load_world_raw(ref: Any, base_dir: Path, at: tuple[Any, ...]) -> tuple[dict[str, Any], Path | None, YamlTree]:
    """The raw mapping of a shipped world or a world file, the file's path (None if shipped) and node tree."""
    shipped = ", ".join(shipped_worlds())
    if not isinstance(ref, str):
        raise ScenarioProblems([(at, f"names a world: {WORLD_FORMS.format(shipped)}")])
    if ref in shipped_worlds():
        path, user_file = shipped_world_path(ref), None
    else:
        path = (base_dir / ref) if not Path(ref).is_absolute() else Path(ref)
        user_file = path
        if not path.is_file():
            raise ScenarioProblems(
                [
                    (
                        at,
                        f"world '{ref}' is neither a shipped world ({shipped}) nor a file (looked for {path}){did_you_mean(ref, shipped_worlds())}",
                    )
                ]
            )
    data, tree = read_yaml(read_text_file(path, "world file"), path)
    if not isinstance(data, dict):
        raise InputError(
            "a world file is a mapping of keys (name, dimensions, states, relations, ties)", path=path, line=1
        )
    return data, user_file, tree


# ---------------------------------------------------------------- loading with line numbers


def load_scenario(path: str | Path) -> Scenario:
    """Read, validate and resolve a scenario file; raise :class:`InputError` on any mistake."""
    path = Path(path)
    return parse_scenario(read_text_file(path, "scenario file"), path=path)


def load_any(path: str | Path) -> Scenario | WorldSpec | LandscapeProblem:
    """A scenario, a world file or a landscape file (told apart by their keys: 'dimensions' and
    'states', or 'actors' and 'propensity', and nothing else of theirs), validated with the same
    messages; a world's warnings come from :func:`world_file_warnings`."""
    path = Path(path)
    text = read_text_file(path, "file")
    data, _ = read_yaml(text, path)
    if is_world_mapping(data):
        return load_world_file(path)
    if isinstance(data, dict) and "actors" in data and data.keys() <= {"actors", "propensity", "offset"}:
        return load_landscape_file(path)
    return parse_scenario(text, path=path)


def is_world_mapping(data: Any) -> bool:
    """A world file's keys: 'dimensions' and 'states', and none that a world lacks."""
    return (
        isinstance(data, dict)
        and {"dimensions", "states"} <= data.keys()
        and data.keys() <= set(WorldSpec.model_fields)
    )


def load_world_file(path: str | Path) -> WorldSpec:
    """Read and validate a world file on its own (``alignsim validate my_world.yaml``)."""
    path = Path(path)
    with hint_budget():
        return resolve_world(str(path), Path("."))  # relative stays relative: messages name the path as given


def world_file_warnings(path: str | Path, spec: WorldSpec) -> list[str]:
    """A world file's warnings as 'file:line: field '...': message'."""
    notes = [(loc, msg, Path(path)) for loc, msg in world_warnings(spec)]
    return _located_notes(notes, None, path)


def parse_scenario(text: str, *, path: str | Path = "<string>") -> Scenario:
    """Validate scenario YAML text (``path`` is used for messages and relative world files)."""
    data, tree = read_yaml(text, path)
    _check_top_level(data, path)
    data.setdefault("name", Path(path).stem)
    with hint_budget():  # bounded work for a file of thousands of mistakes
        return _validate_scenario(data, tree, path)


def _validate_scenario(data: dict[str, Any], tree: YamlTree, path: str | Path) -> Scenario:
    try:
        scenario = Scenario.model_validate(data, context={"base_dir": Path(path).parent})
        scenario._warnings = tuple(_located_notes(scenario._notes, tree, path))
        return scenario
    except ValidationError as err:
        problems = _validation_problems(err.errors())
        given = {tuple(loc) for loc, _ in problems}
        problems += [(list(loc), msg) for loc, msg in _raw_problems(data, Path(path).parent) if tuple(loc) not in given]
        raise input_error(problems, tree, path, EVENT_TYPES) from None
    except ScenarioProblems as err:
        raise input_error([(list(loc), msg) for loc, msg in err.problems], tree, path, EVENT_TYPES) from None


def _check_top_level(data: Any, path: str | Path) -> None:
    """Refuse an empty file, one that is not a mapping, and a world file given as a scenario."""
    if data is None:  # an empty file is a mistake (a truncated save), not "every default"
        raise InputError(
            "the scenario is empty; write at least 'world:' and 'steps:' (alignsim new NAME writes a starter)",
            path=path,
            line=1,
        )
    if not isinstance(data, dict):
        raise InputError(
            "a scenario is a mapping of keys (world, params, start, steps, seed, shocks, track)", path=path, line=1
        )
    if is_world_mapping(data):
        raise InputError(
            "this is a world file (it has 'dimensions' and 'states'), not a scenario; a scenario names it with "
            f"'world: {Path(path).name}', and 'alignsim validate {path}' checks it on its own (docs/worlds.md)",
            path=path,
            line=1,
        )


def _validation_problems(errors: list[Any]) -> list[tuple[list[Any], str]]:
    """pydantic's errors as (location, message), without the echoes: a list too short because an
    item failed, the second branch of the world's union."""
    problems: list[tuple[list[Any], str]] = []
    for e in errors:
        loc = list(e["loc"])
        if e["type"] == "too_short" and any(
            len(o["loc"]) > len(loc) and list(o["loc"][: len(loc)]) == loc for o in errors
        ):
            continue  # an item failed and was left out; its own error says why
        if loc[:1] == ["world"] and len(loc) == 2 and loc[1] in ("str", "dict[str,any]"):
            if any(p[0] == ["world"] for p in problems):
                continue  # one message for the two branches of world's union
            loc, message = (
                ["world"],
                f"{e['input']!r} is not a world: {WORLD_FORMS.format(', '.join(shipped_worlds()))}",
            )
        else:
            message = _message(e, loc)
            if e["type"] == "union_tag_invalid":
                loc.append("type")
        problems.append((loc, message))
    return problems


def _unknown_dimension(dim: str, dims: list[str], loc: tuple[Any, ...]) -> tuple[tuple[Any, ...], str]:
    """The problem of a shock naming an interest dimension the world does not have."""
    return (loc, f"unknown dimension '{dim}'{did_you_mean(dim, dims)}; known dimensions: {', '.join(dims)}")


def _raw_problems(data: dict[str, Any], base_dir: Path) -> list[tuple[tuple[Any, ...], str]]:
    """The checks pydantic skipped because a field failed (they run after all fields are valid): the
    world's own mistakes, and unknown state codes and dimensions in the raw shocks and tracked pairs,
    so that one ``validate`` reports every mistake of the file."""
    world = data.get("world", Scenario.model_fields["world"].default)
    problems: list[tuple[tuple[Any, ...], str]] = []
    try:
        spec = resolve_world(world, base_dir)
        codes, dims = spec.codes, [d.id for d in spec.dimensions]
    except ScenarioProblems as err:
        problems += err.problems  # mistakes of an inline or overridden world, located in this file
        raw = _raw_world(world, base_dir)
        codes = [c for s in raw.get("states") or [] if isinstance(s, dict) and isinstance(c := s.get("code"), str)]
        dims = [d for x in raw.get("dimensions") or [] if isinstance(x, dict) and isinstance(d := x.get("id"), str)]
    except (InputError, ValidationError, TypeError):
        return []  # a world file with its own mistakes: reported once this file's are fixed
    shocks = data.get("shocks")
    for n, shock in enumerate(shocks if isinstance(shocks, list) else []):
        if not isinstance(shock, dict):
            continue
        for field in ("source", "target", "via"):
            if isinstance(code := shock.get(field), str) and code not in codes:
                problems.append((("shocks", n, field), unknown_code_message(code, codes)))
        for field in ("open_to", "partners"):
            for code in shock.get(field) if isinstance(shock.get(field), list) else ():
                if isinstance(code, str) and code not in codes:
                    problems.append((("shocks", n, field), unknown_code_message(code, codes)))
        if isinstance(dim := shock.get("dimension"), str) and dim not in dims:
            problems.append(_unknown_dimension(dim, dims, ("shocks", n, "dimension")))
    track = data.get("track")
    for n, pair in enumerate(track if isinstance(track, list) else []):
        for code in pair.split("-") if isinstance(pair, str) and pair.count("-") == 1 else ():
            if code not in codes:
                problems.append((("track", n), unknown_code_message(code, codes)))
    return problems


def _raw_world(world: Any, base_dir: Path) -> dict[str, Any]:
    """The world's mapping before validation (a base world with the overrides applied), or {}."""
    try:
        if isinstance(world, dict) and "base" in world:
            overrides = {k: v for k, v in world.items() if k != "base"}
            return merge_world(_load_world_raw(world["base"], base_dir, ("world", "base"))[0], overrides)
        return world if isinstance(world, dict) else _load_world_raw(world, base_dir, ("world",))[0]
    except (InputError, TypeError, AttributeError):
        return {}


def _located_notes(
    notes: list[tuple[tuple[Any, ...], str, Path | None]], tree: YamlTree | None, path: str | Path
) -> list[str]:
    """Each warning as 'file:line: field '...': message', in the scenario or in its world file."""
    trees: dict[Path, YamlTree] = {}
    out = []
    for loc, message, world_file in notes:
        where, node_tree = (path, tree) if world_file is None else (world_file, None)
        if world_file is not None:
            if world_file not in trees:
                trees[world_file] = YamlTree(read_text_file(world_file, "world file"), world_file, checked=True)
            node_tree = trees[world_file]
        out.append(located(list(loc), message, node_tree, where, EVENT_TYPES))
    return out


def _message(e: Any, loc: list[Any]) -> str:
    kind, msg = e["type"], _clean(e["msg"])
    if kind == "union_tag_invalid":
        given = str(e["input"].get("type"))
        return f"unknown shock type '{given}'{did_you_mean(given, list(EVENT_TYPES))}; registered types: {', '.join(EVENT_TYPES)}"
    if kind == "union_tag_not_found":
        return f"a shock needs 'type:'; registered types: {', '.join(EVENT_TYPES)}"
    if kind == "extra_forbidden":
        model, _ = _model_at(loc)
        keys = list(model.model_fields) if model is not None else []
        allowed = f"; allowed keys: {', '.join(keys)}" if keys else ""
        return f"unknown key '{loc[-1]}' here{did_you_mean(str(loc[-1]), keys)}{allowed}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{e['input']!r} is out of range: {msg.lower()} ({_range_text(loc, e.get('ctx', {}))})"
    if kind == "literal_error":
        expected = re.findall(r"'([^']*)'", msg)
        return f"{e['input']!r} is not allowed{did_you_mean(str(e['input']), expected)}: {msg.lower()}"
    if kind in ("tuple_type", "list_type"):
        return (
            f"should be a list (YAML '[a, b]' or one '- item' per line), not {type(e['input']).__name__} {e['input']!r}"
        )
    if kind == "missing":
        return "is required but missing"
    if kind in _EXPECTED:
        return f"{e['input']!r} is {_kind_of(e['input'])}, not {_EXPECTED[kind]}{_exponent_hint(e['input'])}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"should be a mapping ('key: value' lines), not {type(e['input']).__name__} {e['input']!r}"
    if isinstance(e.get("input"), (str, int, float)):
        return f"{e['input']!r}: {msg}"  # show what was written: 'many': Input should be a valid integer
    return msg


_EXPECTED = {
    "int_type": "an integer (a whole number, e.g. 36)",
    "float_type": "a number (e.g. 0.5, without quotes)",
    "bool_type": "a boolean (true or false)",
    "finite_number": "a finite number",
    "string_type": "text (quote it)",
}


def _exponent_hint(value: Any) -> str:
    """A number in quotes ('1e-3') is text: say so (unquoted, 1e-3 and 1.0e-3 are both numbers)."""
    if isinstance(value, str) and re.fullmatch(r"[-+]?\d+(\.\d*)?([eE][-+]?\d+)?", value.strip()):
        return f"; '{value}' in quotes is text: write {value.strip()} without quotes"
    return ""


def _kind_of(value: Any) -> str:
    if isinstance(value, float) and math.isnan(value):
        return "not a number (.nan)"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return "infinite"
    names = {
        bool: "true/false",
        str: "text",
        float: "a decimal number",
        int: "a whole number",
        list: "a list",
        dict: "a mapping",
    }
    return names.get(type(value), f"a {type(value).__name__}")


def _range_text(loc: list[Any], ctx: dict[str, Any]) -> str:
    """The field's whole allowed range (both bounds), not only the bound that was crossed."""
    bounds = dict(ctx)
    model, name = _model_at(loc)
    if model is not None and name in model.model_fields:
        for meta in model.model_fields[name].metadata:
            for key in ("ge", "gt", "le", "lt"):
                if getattr(meta, key, None) is not None:
                    bounds.setdefault(key, getattr(meta, key))
    parts = [
        f"{sym} {bounds[key]:g}" if isinstance(bounds[key], float) else f"{sym} {bounds[key]}"
        for key, sym in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<"))
        if key in bounds
    ]
    return "allowed: " + " and ".join(parts)


def _model_at(loc: list[Any]) -> tuple[type[BaseModel] | None, str | None]:
    """The pydantic model that holds the last key of ``loc`` (a scenario location), and that key."""
    model: type[BaseModel] | None = Scenario
    skip = False
    for part in loc[:-1]:
        if skip or isinstance(part, int):
            skip = False
            continue
        if model is None:
            return None, None
        if part in EVENT_TYPES:
            model = EVENT_TYPES[part]
            continue
        if part == "world" and model is Scenario:
            model = WorldSpec
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None, None
        model, skip = _inner_model(field.annotation)
    return model, loc[-1] if loc else None


def _inner_model(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The model inside an annotation (Optional, tuple, list, dict values) and whether a dict key
    comes next in a location."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is dict:
        return _inner_model(args[1])[0], True
    for arg in args:
        found, skip = _inner_model(arg)
        if found is not None:
            return found, skip
    return None, False


def _clean(msg: str) -> str:
    return msg.removeprefix("Value error, ")


def check_option(flag: str, field: str, value: Any) -> None:
    """A command-line value checked by the scenario field it overrides (a dotted path such as
    'sweep.replicates'), with the file's message: ``--seed 2**80`` is refused like ``seed: 2**80``."""
    if value is None:
        return
    loc = field.split(".")
    model, name = _model_at(loc)
    assert model is not None and name in model.model_fields, field
    info = model.model_fields[name]
    try:
        TypeAdapter(Annotated[info.annotation, info]).validate_python(value)
    except ValidationError as err:
        raise InputError(_message(err.errors()[0], loc), field=flag) from None
