"""Reading YAML safely with line numbers, and turning validation problems into one
:class:`InputError` that names the file, line and field of each."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

import yaml

from alignsim.errors import InputError

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: about 10x faster


def read_yaml(text: str, path: str | Path) -> tuple[Any, yaml.Node | None]:
    """What yaml.safe_load gives, and the node tree (for line numbers), in one pass; every YAML
    mistake (syntax, an impossible date, a key given twice) is an InputError naming the line."""
    loader = _SafeLoader(text)
    try:
        try:
            root = loader.get_single_node()
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            raise InputError(f"not valid YAML: {getattr(err, 'problem', None) or err}", path=path, line=line) from None
        if root is None:
            return None, None
        check_nodes(root, [], path)
        try:
            return loader.construct_document(root), root
        except (yaml.YAMLError, ValueError) as err:  # a value YAML cannot construct
            raise InputError(f"not valid YAML: {err}", path=path) from None
    finally:
        loader.dispose()


def check_nodes(node: yaml.Node, names: list[str], path: str | Path) -> None:
    """Keys given twice (YAML keeps the last silently) and dates that do not exist (2024-02-30)."""
    here = ".".join(names) or "(top level)"
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key, value in node.value:
            line = key.start_mark.line + 1
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    raise InputError(f"key '{key.value}' is given twice (first on line {seen[key.value]}); YAML would silently keep the last",
                                     path=path, line=line, field=".".join([*names, key.value]))
                seen[key.value] = line
            check_nodes(value, [*names, str(getattr(key, "value", "?"))], path)
    elif isinstance(node, yaml.SequenceNode):
        for n, item in enumerate(node.value):
            check_nodes(item, [*names[:-1], f"{names[-1]}[{n}]"] if names else [f"[{n}]"], path)
    elif isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:timestamp":
        try:
            yaml.safe_load(node.value)
        except ValueError as err:
            raise InputError(f"'{node.value}' is not a valid date ({err}); write YYYY-MM-DD", path=path,
                             line=node.start_mark.line + 1, field=here) from None


def input_error(problems: list[tuple[list[Any], str]], root: yaml.Node | None, path: str | Path, tags: Collection[str] = ()) -> InputError:
    """One InputError for all problems: the first's line and field, every problem on its own line.
    ``tags`` are the names of a discriminated union's members (they appear in a location, not in the file)."""
    located = []
    for loc, message in problems:
        line, field_path = locate(root, loc, tags)
        located.append((line, field_path, message))
    lines = [f"{path}{f':{line}' if line else ''}: field '{field_path or '(top level)'}': {message}" for line, field_path, message in located]
    line, field_path, message = located[0]
    error = InputError("\n".join([message, *lines[1:]]), path=path, line=line, field=field_path or "(top level)")
    error.full_text = str(error)  # type: ignore[attr-defined]
    return error


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
            names[-1:] = [f"{names[-1]}[{part}]"] if names else [f"[{part}]"]
        elif isinstance(part, str) and part not in tags:
            names.append(part)
    return line, ".".join(names)
