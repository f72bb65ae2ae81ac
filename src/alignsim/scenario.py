"""Scenario files: YAML -> validated, frozen :class:`Scenario`, with file and line in every error.

A scenario names a world (a shipped world, a file, inline, or a reference plus overrides), the
parameters, the start date and number of monthly steps, the seed, the scripted shocks and the pairs
to chart. :func:`load_scenario` is the one entry point; every mistake raises
:class:`~alignsim.errors.InputError` carrying the file, the line and the field.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Annotated, Any, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, ValidationInfo, field_validator, model_validator

from alignsim.errors import InputError
from alignsim.events import EVENT_TYPES, Event
from alignsim.params import Params
from alignsim.world import WorldSpec, merge_world, shipped_world_path, shipped_worlds

Shock = Annotated[Union[tuple(EVENT_TYPES.values())], Field(discriminator="type")]  # type: ignore[valid-type]


def add_months(start: dt.date, months: int) -> dt.date:
    """The date ``months`` after ``start``, day clamped to 28 so every month has it."""
    y, m = divmod(start.month - 1 + months, 12)
    return dt.date(start.year + y, m + 1, min(start.day, 28))


def month_index(start: dt.date, date: dt.date) -> int:
    return (date.year - start.year) * 12 + date.month - start.month


class Scenario(BaseModel):
    """A validated scenario. Build with :func:`load_scenario` or ``Scenario.model_validate``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field("scenario", min_length=1)
    description: str = ""
    world: str | dict[str, Any] = Field("korea_2024", description="A shipped world's name, a path to a world file, or a mapping (inline world, or 'base:' plus overrides).")
    params: Params = Params()
    start: dt.date = dt.date(2024, 1, 1)
    steps: int = Field(36, ge=1, le=1200, description="Number of monthly steps.")
    seed: int = Field(0, ge=0, le=2**63 - 1)
    shocks: tuple[Shock, ...] = ()
    track: tuple[str, ...] = Field((), description="Directed pairs to chart, written 'PRK-CUB'.")

    _world_spec: WorldSpec = PrivateAttr()

    @field_validator("track")
    @classmethod
    def _pairs(cls, track: tuple[str, ...]) -> tuple[str, ...]:
        for pair in track:
            if pair.count("-") != 1:
                raise ValueError(f"'{pair}' is not a pair; write two state codes joined by '-', e.g. 'PRK-CUB'")
        return track

    @model_validator(mode="after")
    def _resolve(self, info: ValidationInfo) -> Scenario:
        base_dir = Path((info.context or {}).get("base_dir", "."))
        self._world_spec = resolve_world(self.world, base_dir)
        spec = self._world_spec
        codes, dims = set(spec.codes), [d.id for d in spec.dimensions]
        known = ", ".join(spec.codes)
        problems: list[tuple[tuple[Any, ...], str]] = []

        def check(code: str | None, loc: tuple[Any, ...]) -> None:
            if code is not None and code not in codes:
                problems.append((loc, f"unknown state code '{code}'; known states: {known}"))

        for n, shock in enumerate(self.shocks):
            for field in ("source", "target", "via"):
                check(getattr(shock, field, None), ("shocks", n, field))
            for field in ("open_to", "partners"):
                for code in getattr(shock, field, ()):
                    check(code, ("shocks", n, field))
            dim = getattr(shock, "dimension", None)
            if dim is not None and dim not in dims:
                problems.append((("shocks", n, "dimension"), f"unknown dimension '{dim}'; known dimensions: {', '.join(dims)}"))
            if (shock.date is None) == (shock.step is None):
                problems.append((("shocks", n), "give exactly one of 'date' or 'step'"))
                continue
            first = self._first_step(shock)
            if not 0 <= first < self.steps:
                end = add_months(self.start, self.steps - 1)
                when = ("shocks", n, "date" if shock.date is not None else "step")
                problems.append((when, f"fires at step {first}, outside the run (steps 0..{self.steps - 1}, dates {self.start} to {end})"))
        for n, pair in enumerate(self.track):
            for code in pair.split("-"):
                check(code, ("track", n))
        if problems:
            raise ScenarioProblems(problems)
        return self

    def _first_step(self, shock: Event) -> int:
        return shock.step if shock.step is not None else month_index(self.start, shock.date)  # type: ignore[arg-type]

    @property
    def world_spec(self) -> WorldSpec:
        return self._world_spec

    def date_of(self, step: int) -> dt.date:
        return add_months(self.start, step)

    def schedule(self) -> dict[int, list[Event]]:
        """Steps at which each scripted shock fires, repeats included, in file order."""
        plan: dict[int, list[Event]] = {}
        for shock in self.shocks:
            step = self._first_step(shock)
            last = step
            if shock.every is not None:
                until = shock.until
                last = self.steps - 1 if until is None else (until if isinstance(until, int) else month_index(self.start, until))
            while step <= min(last, self.steps - 1):
                plan.setdefault(step, []).append(shock)
                if shock.every is None:
                    break
                step += shock.every
        return plan

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


class ScenarioProblems(InputError):
    """Semantic mistakes found after the structure validated; each carries its location."""

    def __init__(self, problems: list[tuple[tuple[Any, ...], str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{'.'.join(map(str, loc))}: {msg}" for loc, msg in problems))


def resolve_world(world: str | dict[str, Any], base_dir: Path) -> WorldSpec:
    """Turn a scenario's ``world:`` into a validated :class:`WorldSpec`."""
    if isinstance(world, str):
        raw = _load_world_raw(world, base_dir)
    else:
        overrides = dict(world)
        base = overrides.pop("base", None)
        raw = merge_world(_load_world_raw(base, base_dir), overrides) if base is not None else overrides
    try:
        return WorldSpec.model_validate(raw)
    except ValidationError as err:
        problems = []
        for e in err.errors():
            inner = ".".join(str(p) for p in e["loc"])
            # inline worlds map onto the file; overrides are reported at their 'world' key
            loc = ("world", *e["loc"]) if "base" not in world else ("world",)
            problems.append((loc, f"world.{inner}: {_message(e, list(e['loc']))}" if inner else _message(e, [])))
        raise ScenarioProblems(problems) from None


def _load_world_raw(ref: Any, base_dir: Path) -> dict[str, Any]:
    if not isinstance(ref, str):
        raise ScenarioProblems([(("world", "base"), "'base' names a shipped world or a world file")])
    if ref in shipped_worlds():
        path = shipped_world_path(ref)
    else:
        path = (base_dir / ref) if not Path(ref).is_absolute() else Path(ref)
        if not path.is_file():
            raise ScenarioProblems([(("world",), f"world '{ref}' is neither a shipped world ({', '.join(shipped_worlds())}) nor a file")])
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise ScenarioProblems([(("world",), f"world file {path} is not valid YAML: {err}")]) from None
    if not isinstance(data, dict):
        raise ScenarioProblems([(("world",), f"world file {path} is not a mapping")])
    return data


# ---------------------------------------------------------------- loading with line numbers


def load_scenario(path: str | Path) -> Scenario:
    """Read, validate and resolve a scenario file; raise :class:`InputError` on any mistake."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("file not found", path=path) from None
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read the file: {err}", path=path) from None
    return parse_scenario(text, path=path)


def parse_scenario(text: str, *, path: str | Path = "<string>") -> Scenario:
    """Validate scenario YAML text (``path`` is used for messages and relative world files)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise InputError(f"not valid YAML: {getattr(err, 'problem', err)}", path=path, line=line) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError("a scenario is a mapping of keys (world, params, start, steps, seed, shocks, track)", path=path, line=1)
    data.setdefault("name", Path(path).stem)
    try:
        return Scenario.model_validate(data, context={"base_dir": Path(path).parent})
    except ValidationError as err:
        raise _input_error([(list(e["loc"]), _message(e, list(e["loc"]))) for e in err.errors()], root, path) from None
    except ScenarioProblems as err:
        raise _input_error([(list(loc), msg) for loc, msg in err.problems], root, path) from None


def _input_error(problems: list[tuple[list[Any], str]], root: yaml.Node | None, path: str | Path) -> InputError:
    messages, first_line, first_field = [], None, None
    for loc, message in problems:
        line, field_path = _locate(root, loc)
        shown = f"{path}:{line}" if line else str(path)
        messages.append(f"{shown}: field '{field_path or '(top level)'}': {message}")
        if first_line is None:
            first_line, first_field = line, field_path
    text = messages[0] if len(messages) == 1 else "\n".join(messages)
    error = InputError(text, path=path, line=first_line, field=first_field)
    error.full_text = text  # type: ignore[attr-defined]
    return error


def _message(e: Any, loc: list[Any]) -> str:
    kind, msg = e["type"], _clean(e["msg"])
    if kind == "union_tag_invalid":
        return f"unknown shock type '{e['input'].get('type')}'; registered types: {', '.join(EVENT_TYPES)}"
    if kind == "union_tag_not_found":
        return f"a shock needs 'type:'; registered types: {', '.join(EVENT_TYPES)}"
    if kind == "extra_forbidden":
        return f"unknown key '{loc[-1]}' here; allowed keys: {', '.join(_allowed_keys(loc))}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        ctx = e.get("ctx", {})
        return f"{e['input']!r} is out of range: {msg.lower()} ({_range_text(ctx)})"
    if kind == "literal_error":
        return f"{e['input']!r} is not allowed: {msg.lower()}"
    return msg


def _range_text(ctx: dict[str, Any]) -> str:
    parts = []
    for key, sym in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")):
        if key in ctx:
            parts.append(f"{sym} {ctx[key]}")
    return "allowed: " + " and ".join(parts)


def _allowed_keys(loc: list[Any]) -> list[str]:
    model: Any = Scenario
    for part in loc[:-1]:
        if part == "params" and model is Scenario:
            model = Params
        elif isinstance(part, str) and part in EVENT_TYPES:
            model = EVENT_TYPES[part]
    return list(model.model_fields)


def _clean(msg: str) -> str:
    return msg.removeprefix("Value error, ")


def _locate(root: yaml.Node | None, loc: list[Any]) -> tuple[int | None, str]:
    """The YAML line of the deepest node on ``loc`` and a dotted field path; skips union tags."""
    node, line, names = root, (root.start_mark.line + 1 if root is not None else None), []
    for part in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for key, value in node.value:
                if key.value == part:
                    line, node = key.start_mark.line + 1, value
                    names.append(part)
                    break
            else:
                if part in EVENT_TYPES or part.startswith("function-"):
                    continue  # a discriminated-union tag, not a key
                names.append(part)
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
            names[-1:] = [f"{names[-1]}[{part}]"] if names else [f"[{part}]"]
        elif isinstance(part, str) and part not in EVENT_TYPES:
            names.append(part)
    return line, ".".join(names)


def scenario_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
