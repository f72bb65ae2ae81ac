"""Standalone landscape files (``alignsim landscape FILE.yaml``): actors with sizes and a propensity
matrix, validated with file, line and field; and the report of their minima."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from alignsim.config.yaml_reader import read_text_file, read_yaml
from alignsim.errors import InputError
from alignsim.measures.landscape import LandscapeProblem, Minimum, local_minima

_Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]


class _ActorModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, Field(strict=True, min_length=1)]
    size: Annotated[float, Field(strict=True, allow_inf_nan=False, gt=0)]


class _FileModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    actors: Annotated[list[_ActorModel], Field(min_length=1)]
    propensity: list[list[_Number]]
    offset: _Number = 0.0


def _field_name(loc: tuple[int | str, ...]) -> str:
    """('actors', 0, 'size') -> 'actors[0].size'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _node_at(root: yaml.Node, loc: tuple[int | str, ...]) -> yaml.Node:
    """Deepest YAML node along ``loc`` (for its line number)."""
    node = root
    for part in loc:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for key, value in node.value:
                if key.value == part:
                    child = value
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            child = node.value[part]
        if child is None:
            break
        node = child
    return node


def _key_node(root: yaml.Node, loc: tuple[int | str, ...]) -> yaml.Node:
    """The key node of the last element of ``loc`` (for unknown keys)."""
    parent = _node_at(root, loc[:-1])
    if isinstance(parent, yaml.MappingNode):
        for key, _ in parent.value:
            if key.value == loc[-1]:
                return key
    return parent


def _line(node: yaml.Node) -> int:
    """The 1-based line where ``node`` starts."""
    return node.start_mark.line + 1


def _pydantic_message(err: Any) -> str:
    """Turn one pydantic error into a sentence a scenario author can act on."""
    kind = err["type"]
    value = err.get("input")
    if kind == "extra_forbidden":
        return f"unknown key '{err['loc'][-1]}'"
    if kind == "missing":
        return f"required key '{err['loc'][-1]}' is missing"
    if kind in ("float_type", "finite_number", "float_parsing"):
        hint = "; a number in quotes is text: write it without quotes" if isinstance(value, str) else ""
        return f"expected a finite number, got {value!r}{hint}"
    if kind == "greater_than":
        return f"must be > {err['ctx']['gt']:g}, got {value!r}"
    if kind == "string_type":
        return f"expected a text name, got {value!r} (quote it)"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "list_type":
        return f"expected a list, got {value!r}"
    if kind == "too_short":
        return "must not be empty"
    if kind == "model_type":
        return f"expected a mapping, got {value!r}"
    return str(err["msg"])


def load_landscape_file(path: str | Path) -> LandscapeProblem:
    """Read and validate a landscape YAML file.

    Format::

        actors: [{name: A, size: 10}, {name: B, size: 20}]
        propensity: [[0, 1], [1, 0]]  # square, symmetric, actor order
        offset: 0                     # optional, added to every entry

    Raises :class:`alignsim.errors.InputError` naming the file, the 1-based
    line and the field for: a missing file, invalid YAML, unknown or
    repeated keys, non-numeric entries, sizes <= 0, repeated names, a
    non-square matrix, a row count that differs from the number of actors,
    and an asymmetric matrix (first offending pair in row-major order).
    """
    p = Path(path)
    data, tree = read_yaml(read_text_file(p, "landscape file"), p)  # size, alias and duplicate-key limits
    root = tree.root  # a small file: its lines are always wanted
    _check_mapping(root, data, p)
    model = _validated(data, root, p)
    names = [actor.name for actor in model.actors]
    _check_unique_names(names, root, p)
    rows = model.propensity
    _check_square(rows, len(names), root, p)
    _check_symmetric(rows, names, root, p)
    n_rows = len(rows)
    prop = np.array(rows, dtype=np.float64).reshape(n_rows, n_rows) + model.offset
    np.fill_diagonal(prop, 0.0)  # ignored by the theory; zero keeps it inert
    sizes = np.array([actor.size for actor in model.actors], dtype=np.float64)
    _check_energy_finite(sizes, prop, p)
    return LandscapeProblem(
        names=tuple(names),
        sizes=sizes,
        propensity=prop,
    )


def _check_mapping(root: yaml.Node | None, data: Any, p: Path) -> None:
    """Refuse an empty file and one whose top level is not a mapping."""
    if root is None:
        raise InputError("file is empty; expected keys 'actors' and 'propensity'", path=p)
    if not isinstance(root, yaml.MappingNode) or not isinstance(data, dict):
        raise InputError("expected a mapping with keys 'actors' and 'propensity'", path=p, line=_line(root))


def _validated(data: dict[str, Any], root: yaml.Node, p: Path) -> _FileModel:
    """The file's data checked by pydantic; its first problem as an InputError at its line, with a
    count of the others."""
    try:
        return _FileModel.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        err = errors[0]
        loc = tuple(err["loc"])
        node = _key_node(root, loc) if err["type"] == "extra_forbidden" else _node_at(root, loc)
        message = _pydantic_message(err)
        if len(errors) > 1:
            message += f" ({len(errors) - 1} more problem(s) in this file)"
        raise InputError(message, path=p, line=_line(node), field=_field_name(loc)) from None


def _check_unique_names(names: list[str], root: yaml.Node, p: Path) -> None:
    """Refuse an actor name given twice (at its second place)."""
    first_seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in first_seen:
            loc = ("actors", i, "name")
            raise InputError(
                f"name '{name}' is given twice (actors[{first_seen[name]}] and actors[{i}])",
                path=p,
                line=_line(_node_at(root, loc)),
                field=_field_name(loc),
            )
        first_seen[name] = i


def _check_square(rows: list[list[float]], actors: int, root: yaml.Node, p: Path) -> None:
    """Refuse a matrix that is not square (first short or long row) or not one row per actor."""
    n_rows = len(rows)
    for i, row in enumerate(rows):
        if len(row) != n_rows:
            raise InputError(
                f"matrix must be square: row {i} has {len(row)} entries but there are {n_rows} rows",
                path=p,
                line=_line(_node_at(root, ("propensity", i))),
                field=f"propensity[{i}]",
            )
    if n_rows != actors:
        raise InputError(
            f"matrix has {n_rows} rows but there are {actors} actors (one row per actor, in actor order)",
            path=p,
            line=_line(_node_at(root, ("propensity",))),
            field="propensity",
        )


def _check_symmetric(rows: list[list[float]], names: list[str], root: yaml.Node, p: Path) -> None:
    """Refuse an asymmetric matrix, naming the first offending pair in row-major order."""
    n_rows = len(rows)
    for i in range(n_rows):
        for j in range(i + 1, n_rows):
            if rows[i][j] != rows[j][i]:
                raise InputError(
                    f"matrix must be symmetric: propensity[{i}][{j}] ({names[i]}-{names[j]}) = {rows[i][j]:g} "
                    f"but propensity[{j}][{i}] ({names[j]}-{names[i]}) = {rows[j][i]:g}",
                    path=p,
                    line=_line(_node_at(root, ("propensity", i, j))),
                    field=f"propensity[{i}][{j}]",
                )


def _check_energy_finite(sizes: np.ndarray, prop: np.ndarray, path: Path) -> None:
    """Refuse sizes and propensities whose energy E = sum s_i s_j p_ij |d_ij| overflows a float64
    (1e300 is finite, 1e300 x 1e300 is not): the minima would all be inf or nan."""
    with np.errstate(over="ignore", invalid="ignore"):
        bound = float(np.abs(np.outer(sizes, sizes) * prop).sum())
    if not np.isfinite(bound):
        raise InputError(
            f"sizes x propensities overflow: the energy (sum of s_i s_j |p_ij|) exceeds {np.finfo(np.float64).max:.3g}; "
            "rescale them (only their ratios decide the minima), e.g. sizes as shares that sum to 1",
            path=path,
            field="actors",
        )


def _minimum_dict(m: Minimum, names: tuple[str, ...]) -> dict[str, Any]:
    return {
        "energy": float(m.energy),
        "sides": [
            [name for name, side in zip(names, m.sides) if side == 0],
            [name for name, side in zip(names, m.sides) if side == 1],
        ],
        "basin": float(m.basin),
        "frustration": {name: float(f) for name, f in zip(names, m.frustration)},
    }


def landscape_report(
    problem: LandscapeProblem,
    rng: np.random.Generator | None = None,
    *,
    exact_limit: int = 20,
    starts: int = 2000,
) -> dict[str, Any]:
    """JSON-ready summary of a problem's local minima.

    ``{"minima": [{"energy", "sides": [[names], [names]], "basin",
    "frustration": {name: F}}, ...], "global_minimum": <first minimum>}``;
    minima are sorted by energy (then sides), so on an energy tie the global
    minimum is the first in that order. Side 0 is the side of the first actor.
    """
    minima = local_minima(problem.sizes, problem.propensity, exact_limit=exact_limit, rng=rng, starts=starts)
    items = [_minimum_dict(m, problem.names) for m in minima]
    return {"minima": items, "global_minimum": _minimum_dict(minima[0], problem.names)}
