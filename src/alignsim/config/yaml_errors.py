"""Turning validation problems into one :class:`InputError` that names the file, line and field of
each (the lines come from the file's node tree, composed only when a message needs it)."""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path
from typing import Any

import yaml

from alignsim.config.yaml_reader import YamlTree
from alignsim.errors import InputError

MAX_PROBLEMS = 30  # lines of one error message; a list of a million bad items is not a million lines


def input_error(
    problems: list[tuple[list[Any], str]], tree: YamlTree | None, path: str | Path, tags: Collection[str] = ()
) -> InputError:
    """One InputError for all problems: the first's line and field, every problem on its own line.
    ``tags`` are the names of a discriminated union's members (they appear in a location, not in the file)."""
    found, root = [], tree.root if tree is not None else None
    for loc, message in problems[: 10 * MAX_PROBLEMS]:  # locating a million problems would take minutes
        line, field_path = locate(root, loc, tags)
        found.append((line, field_path, message))
    found.sort(key=lambda item: item[0] if item[0] is not None else float("inf"))  # in file order (stable)
    lines = [
        f"{path}{f':{line}' if line else ''}: field '{field_path or '(top level)'}': {message}"
        for line, field_path, message in found
    ]
    if len(problems) > MAX_PROBLEMS:
        lines[MAX_PROBLEMS:] = [f"... and {len(problems) - MAX_PROBLEMS:,} more problems"]
    line, field_path, message = found[0]
    error = InputError("\n".join([message, *lines[1:]]), path=path, line=line, field=field_path or "(top level)")
    error.full_text = str(error)  # type: ignore[attr-defined]
    return error


def located(loc: list[Any], message: str, tree: YamlTree | None, path: str | Path, tags: Collection[str] = ()) -> str:
    """One message as 'file:line: field '...': message' (for warnings, which are not raised)."""
    line, field_path = locate(tree.root if tree is not None else None, loc, tags)
    return f"{path}{f':{line}' if line else ''}: field '{field_path or '(top level)'}': {message}"


def locate(root: yaml.Node | None, loc: list[Any], tags: Collection[str] = ()) -> tuple[int | None, str]:
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
                if part in tags or part.startswith("function-"):
                    continue  # a discriminated-union tag, not a key
                names.append(part)
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
            label = _item_label(node, part)
            names[-1:] = [f"{names[-1]}[{label}]"] if names else [f"[{label}]"]
        elif isinstance(part, str) and part not in tags:
            names.append(part)
    return line, ".".join(names)


def _item_label(node: yaml.Node, index: int) -> str:
    """How a field path names a list item: a state by its code, a dimension by its id
    ('states[PRK].capability' says more than 'states[6].capability'), anything else by its index."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            named = (
                isinstance(key, yaml.ScalarNode) and key.value in ("code", "id") and isinstance(value, yaml.ScalarNode)
            )
            if named and re.fullmatch(r"[A-Za-z0-9_]{1,40}", value.value):
                return value.value
    return str(index)
