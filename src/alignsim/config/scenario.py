"""Scenario files: YAML -> validated, frozen :class:`Scenario`, with file and line in every error.

A scenario names a world (a shipped world, a file, inline, or a reference plus overrides), the
parameters, the start date and number of monthly steps, the seed, the scripted shocks and the pairs
to chart. :func:`load_scenario` is the one entry point; every mistake raises
:class:`~alignsim.errors.InputError` carrying the file, the line and the field.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, ValidationInfo, field_validator, model_validator

from alignsim.config.sweep_spec import SweepSpec
from alignsim.config.yaml_errors import input_error, read_yaml
from alignsim.errors import InputError
from alignsim.world.events.base import EVENT_TYPES, Event
from alignsim.world.params import Params
from alignsim.world.spec import WorldSpec, merge_world, shipped_world_path, shipped_worlds

WORLD_FORMS = "a shipped world's name ({}), a path to a world file, or a mapping (a whole world, or 'base:' plus overrides)"

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
    world: str | dict[str, Any] = Field("korea_2024", description="A shipped world's name, a path to a world file, or a mapping (inline world, or 'base:' plus overrides).")
    params: Params = Params()
    start: dt.date = dt.date(2024, 1, 1)
    steps: int = Field(36, ge=1, le=1200, description="Number of monthly steps.")
    seed: int = Field(0, ge=0, le=2**63 - 1)
    replicates: int = Field(1, ge=1, le=100_000, description="Replicates of the run (an ensemble); replicate seeds are spawned from 'seed' with numpy SeedSequence.")
    shocks: tuple[Shock, ...] = ()
    track: tuple[str, ...] = Field((), description="Directed pairs to chart, written 'PRK-CUB'.")
    sweep: SweepSpec | None = None

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
                when = ("shocks", n, "date" if shock.date is not None else "step")
                problems.append((when, f"fires at step {first}, outside the run: {self._span()}"))
            elif shock.until is not None and self._step_of(shock.until) < first:
                problems.append((("shocks", n, "until"), f"'until' ({shock.until}) comes before the first firing (step {first}): the shock would never fire"))
        for n, pair in enumerate(self.track):
            for code in pair.split("-"):
                check(code, ("track", n))
        if problems:
            raise ScenarioProblems(problems)
        return self

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
        """Steps at which each scripted shock fires, repeats included, in file order."""
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
    """Turn a scenario's ``world:`` into a validated :class:`WorldSpec`.

    Mistakes are reported where the user wrote them: in a world file (its own path and line), in an
    inline world (the scenario's line), or in the overrides of a ``base:`` world.
    """
    if isinstance(world, str):
        raw, path, root = _load_world_raw(world, base_dir, ("world",))
        if path is not None:
            try:
                return WorldSpec.model_validate(raw)
            except ValidationError as err:
                problems = [(list(loc), msg) for loc, msg in _world_problems(err, raw, None, "")]
                raise input_error(problems, root, path, EVENT_TYPES) from None
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


def _world_problems(err: ValidationError, raw: dict[str, Any], overrides: dict[str, Any] | None, prefix: str) -> list[tuple[tuple[Any, ...], str]]:
    """(location, message) of each world mistake, the location within the text the user wrote."""
    head = (prefix,) if prefix else ()
    problems = []
    errors = err.errors()
    for e in errors:
        loc = tuple(e["loc"])
        if e["type"] == "too_short" and any(len(o["loc"]) > len(loc) and tuple(o["loc"][: len(loc)]) == loc for o in errors):
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
    if not isinstance(merged, list) or not isinstance(given, list) or index >= len(merged) or not isinstance(merged[index], dict):
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


def _load_world_raw(ref: Any, base_dir: Path, at: tuple[Any, ...]) -> tuple[dict[str, Any], Path | None, yaml.Node | None]:
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
            raise ScenarioProblems([(at, f"world '{ref}' is neither a shipped world ({shipped}) nor a file (looked for {path})")])
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read the world file: {err}", path=path) from None
    data, root = read_yaml(text, path)
    if not isinstance(data, dict):
        raise InputError("a world file is a mapping of keys (name, dimensions, states, relations, ties)", path=path, line=1)
    return data, user_file, root


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
    data, root = read_yaml(text, path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError("a scenario is a mapping of keys (world, params, start, steps, seed, shocks, track)", path=path, line=1)
    data.setdefault("name", Path(path).stem)
    try:
        return Scenario.model_validate(data, context={"base_dir": Path(path).parent})
    except ValidationError as err:
        problems = []
        for e in err.errors():
            loc = list(e["loc"])
            if loc[:1] == ["world"] and len(loc) == 2 and loc[1] in ("str", "dict[str,any]"):
                if any(p[0] == ["world"] for p in problems):
                    continue  # one message for the two branches of world's union
                loc, message = ["world"], f"{e['input']!r} is not a world: {WORLD_FORMS.format(', '.join(shipped_worlds()))}"
            else:
                message = _message(e, loc)
                if e["type"] == "union_tag_invalid":
                    loc.append("type")
            problems.append((loc, message))
        raise input_error(problems, root, path, EVENT_TYPES) from None
    except ScenarioProblems as err:
        raise input_error([(list(loc), msg) for loc, msg in err.problems], root, path, EVENT_TYPES) from None


def _message(e: Any, loc: list[Any]) -> str:
    kind, msg = e["type"], _clean(e["msg"])
    if kind == "union_tag_invalid":
        return f"unknown shock type '{e['input'].get('type')}'; registered types: {', '.join(EVENT_TYPES)}"
    if kind == "union_tag_not_found":
        return f"a shock needs 'type:'; registered types: {', '.join(EVENT_TYPES)}"
    if kind == "extra_forbidden":
        model, _ = _model_at(loc)
        allowed = f"; allowed keys: {', '.join(model.model_fields)}" if model is not None else ""
        return f"unknown key '{loc[-1]}' here{allowed}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{e['input']!r} is out of range: {msg.lower()} ({_range_text(loc, e.get('ctx', {}))})"
    if kind == "literal_error":
        return f"{e['input']!r} is not allowed: {msg.lower()}"
    if kind in ("tuple_type", "list_type"):
        return f"should be a list (YAML '[a, b]' or one '- item' per line), not {type(e['input']).__name__} {e['input']!r}"
    if kind == "missing":
        return "is required but missing"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"should be a mapping ('key: value' lines), not {type(e['input']).__name__} {e['input']!r}"
    if isinstance(e.get("input"), (str, int, float)):
        return f"{e['input']!r}: {msg}"  # show what was written: 'many': Input should be a valid integer
    return msg


def _range_text(loc: list[Any], ctx: dict[str, Any]) -> str:
    """The field's whole allowed range (both bounds), not only the bound that was crossed."""
    bounds = dict(ctx)
    model, name = _model_at(loc)
    if model is not None and name in model.model_fields:
        for meta in model.model_fields[name].metadata:
            for key in ("ge", "gt", "le", "lt"):
                if getattr(meta, key, None) is not None:
                    bounds.setdefault(key, getattr(meta, key))
    parts = [f"{sym} {bounds[key]:g}" if isinstance(bounds[key], float) else f"{sym} {bounds[key]}"
             for key, sym in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")) if key in bounds]
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


def scenario_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
