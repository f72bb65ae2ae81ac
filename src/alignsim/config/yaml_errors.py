"""Reading YAML safely with line numbers, and turning validation problems into one
:class:`InputError` that names the file, line and field of each."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Collection
from pathlib import Path
from typing import Any

import yaml

from alignsim.errors import InputError

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: about 10x faster

MAX_FILE_BYTES = 20 * 2**20  # no scenario, world or landscape file comes near 20 MiB; /dev/zero would fill memory
MAX_ALIAS_VALUES = 100_000  # values that aliases may add once expanded: a "billion laughs" file adds billions
MAX_PROBLEMS = 30  # lines of one error message; a list of a million bad items is not a million lines
MAX_DEPTH = 200  # nesting of lists and mappings


def read_text_file(path: str | Path, what: str = "file") -> str:
    """The UTF-8 text of a regular file of at most MAX_FILE_BYTES; anything else (a missing file, a
    folder, a FIFO or device that would hang or never end, an oversized or binary file) is an InputError."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(f"{what} not found", path=path) from None
    except OSError as err:
        raise InputError(f"cannot read the {what}: {err.strerror or err}", path=path) from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (a pipe, socket or device)"
        raise InputError(f"is {kind}; give the path of a YAML {what}", path=path)
    if info.st_size > MAX_FILE_BYTES:
        raise InputError(
            f"is {info.st_size / 2**20:.1f} MiB; a {what} may be at most {MAX_FILE_BYTES // 2**20} MiB", path=path
        )
    try:
        # O_NONBLOCK: a file swapped for a FIFO after the check above still cannot hang the open
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise InputError(f"is not a regular file; give the path of a YAML {what}", path=path)
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise InputError(f"cannot read the {what}: {err.strerror or err}", path=path) from None
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"is larger than {MAX_FILE_BYTES // 2**20} MiB, the most a {what} may be", path=path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(f"is not UTF-8 text (byte {err.start}); save it as UTF-8", path=path, line=line) from None


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
        check_size(root, path)
        check_nodes(root, [], path)
        try:
            return loader.construct_document(root), root
        except (yaml.YAMLError, ValueError) as err:  # a value YAML cannot construct
            raise InputError(f"not valid YAML: {err}", path=path) from None
    finally:
        loader.dispose()


def check_size(root: yaml.Node, path: str | Path) -> None:
    """Refuse a node tree whose aliases add more than MAX_ALIAS_VALUES values once expanded (a
    "billion laughs" bomb), that refers to itself, or nests deeper than MAX_DEPTH -- before anything
    walks or constructs it. Sizes are memoised per node, so this costs one pass over the file's nodes."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: yaml.Node, depth: int) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        line = node.start_mark.line + 1
        if key in open_nodes:
            raise InputError(
                "an alias refers to the value that contains it (a recursive anchor); write the value out",
                path=path,
                line=line,
            )
        if depth > MAX_DEPTH:
            raise InputError(f"nests lists and mappings more than {MAX_DEPTH} deep", path=path, line=line)
        total = 1
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            open_nodes.add(key)
            children = [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else node.value
            total += sum(size(child, depth + 1) for child in children)
            open_nodes.discard(key)
        sizes[key] = total
        return total

    expanded = size(root, 0)
    if expanded - len(sizes) > MAX_ALIAS_VALUES:
        raise InputError(
            f"its aliases (*name) expand to {expanded:,} values, {expanded - len(sizes):,} more than written; at most "
            f"{MAX_ALIAS_VALUES:,} may be added that way (is this an alias bomb?)",
            path=path,
            line=1,
        )


def check_nodes(node: yaml.Node, names: list[str], path: str | Path) -> None:
    """Keys given twice (YAML keeps the last silently) and dates that do not exist (2024-02-30)."""
    here = ".".join(names) or "(top level)"
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key, value in node.value:
            line = key.start_mark.line + 1
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    raise InputError(
                        f"key '{key.value}' is given twice (first on line {seen[key.value]}); YAML would silently keep the last",
                        path=path,
                        line=line,
                        field=".".join([*names, key.value]),
                    )
                seen[key.value] = line
            check_nodes(value, [*names, str(getattr(key, "value", "?"))], path)
    elif isinstance(node, yaml.SequenceNode):
        for n, item in enumerate(node.value):
            check_nodes(item, [*names[:-1], f"{names[-1]}[{n}]"] if names else [f"[{n}]"], path)
    elif isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:timestamp":
        try:
            yaml.safe_load(node.value)
        except ValueError as err:
            raise InputError(
                f"'{node.value}' is not a valid date ({err}); write YYYY-MM-DD",
                path=path,
                line=node.start_mark.line + 1,
                field=here,
            ) from None


def input_error(
    problems: list[tuple[list[Any], str]], root: yaml.Node | None, path: str | Path, tags: Collection[str] = ()
) -> InputError:
    """One InputError for all problems: the first's line and field, every problem on its own line.
    ``tags`` are the names of a discriminated union's members (they appear in a location, not in the file)."""
    found = []
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


def located(loc: list[Any], message: str, root: yaml.Node | None, path: str | Path, tags: Collection[str] = ()) -> str:
    """One message as 'file:line: field '...': message' (for warnings, which are not raised)."""
    line, field_path = locate(root, loc, tags)
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
