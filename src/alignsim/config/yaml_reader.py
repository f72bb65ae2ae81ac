"""Reading YAML files safely: regular UTF-8 files of bounded size, no alias bombs, no keys given
twice, no impossible dates -- each mistake an :class:`InputError` naming the line.

Plain data (mappings, lists and the standard scalars, which is every scenario, world and landscape
file) is built straight from libyaml's event stream: one pass, no node tree in memory, each scalar
resolved once per distinct spelling. That keeps a 17 MB resolved 500-state scenario at a few seconds
and a few hundred MB. The node tree, needed only to put a line number on a validation message, is
composed from the text when a message asks for it (:class:`YamlTree`). Anything unusual (an explicit
tag such as ``!!binary``, a merge key ``<<``) is read by PyYAML's own safe constructor instead.
"""

from __future__ import annotations

import os
import re
import stat
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from alignsim.errors import InputError

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: about 10x faster

#: YAML 1.2's floats that YAML 1.1 (PyYAML) reads as text: an exponent without a dot or without a sign
#: ('1e10', '1.0e10', '2E-3'). A parameter written 1.0e10 is a number, as a user means it.
EXPONENT_FLOAT = re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$")


class _SafeLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader, with :data:`EXPONENT_FLOAT` read as a float."""


class SafeDumper(yaml.SafeDumper):
    """The safe dumper, quoting text such as '1e10' that :class:`_SafeLoader` would read back as a float."""


for _cls in (_SafeLoader, SafeDumper):
    _cls.add_implicit_resolver("tag:yaml.org,2002:float", EXPONENT_FLOAT, list("-+0123456789"))

MAX_FILE_BYTES = 20 * 2**20  # no scenario, world or landscape file comes near 20 MiB; /dev/zero would fill memory
MAX_ALIAS_VALUES = 100_000  # values that aliases may add once expanded: a "billion laughs" file adds billions
#: characters of text that aliases may add once expanded: a 1 MiB note aliased 300 times passed the
#: count above and took a run 284 s and 1.9 GB; this bounds the expanded data to twice a file's size
MAX_ALIAS_CHARS = MAX_FILE_BYTES
MAX_DEPTH = 200  # nesting of lists and mappings

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_IMPLICIT_TAGS = {None, "!"}  # a collection left untagged; !!map and !!seq only on their own kind


def read_text_file(path: str | Path, what: str = "file", *, limit: int = MAX_FILE_BYTES, kind: str = "YAML") -> str:
    """The UTF-8 text of a regular file of at most ``limit`` bytes; anything else (a missing file, a
    folder, a FIFO or device that would hang or never end, an oversized or binary file) is an InputError."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(f"{what} not found", path=path) from None
    except OSError as err:
        raise InputError(f"cannot read the {what}: {err.strerror or err}", path=path) from None
    if not stat.S_ISREG(info.st_mode):
        found = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (a pipe, socket or device)"
        raise InputError(f"is {found}; give the path of a {kind} {what}", path=path)
    if info.st_size > limit:
        raise InputError(f"is {info.st_size / 2**20:.1f} MiB; a {what} may be at most {limit // 2**20} MiB", path=path)
    try:
        # O_NONBLOCK: a file swapped for a FIFO after the check above still cannot hang the open
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise InputError(f"is not a regular file; give the path of a {kind} {what}", path=path)
            data = fh.read(limit + 1)
    except OSError as err:
        raise InputError(f"cannot read the {what}: {err.strerror or err}", path=path) from None
    if len(data) > limit:
        raise InputError(f"is larger than {limit // 2**20} MiB, the most a {what} may be", path=path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(f"is not UTF-8 text (byte {err.start}); save it as UTF-8", path=path, line=line) from None


class YamlTree:
    """The node tree of a YAML text (for line numbers), composed on first use -- and checked for
    alias bombs, depth, duplicate keys and dates unless ``checked`` says the event builder has done so
    (its duplicate keys are those equal once constructed; checking again on the raw text would differ)."""

    def __init__(self, text: str, path: str | Path, *, checked: bool = False) -> None:
        self.text, self.path, self.checked = text, path, checked

    @cached_property
    def root(self) -> yaml.Node | None:
        loader = _SafeLoader(self.text)
        try:
            root = loader.get_single_node()
        except yaml.YAMLError as err:
            raise _syntax_error(err, self.path) from None
        finally:
            loader.dispose()
        if root is not None and not self.checked:
            check_size(root, self.path)
            check_nodes(root, [], self.path)
        return root


def read_yaml(text: str, path: str | Path) -> tuple[Any, YamlTree]:
    """What yaml.safe_load gives, and the file's node tree (composed lazily, for line numbers); every
    YAML mistake (syntax, an alias bomb, an impossible date, a key given twice) is an InputError naming the line."""
    try:
        return _EventBuilder(text, path).document(), YamlTree(text, path, checked=True)
    except _Unusual:
        pass
    tree = YamlTree(text, path)
    if tree.root is None:
        return None, tree
    loader = _SafeLoader("")
    try:
        return loader.construct_document(tree.root), tree
    except (yaml.YAMLError, ValueError, KeyError, IndexError, AttributeError) as err:  # a value YAML cannot construct
        raise InputError(f"not valid YAML: {err}", path=path) from None
    finally:
        loader.dispose()


def read_yaml_file(path: str | Path, what: str = "file") -> Any:
    """The data of a YAML file read with every input limit (size, aliases, depth, keys given twice):
    for the files of a saved folder as much as for a user's scenario, as a shared folder is input too."""
    data, _ = read_yaml(read_text_file(path, what), path)
    return data


def _syntax_error(err: yaml.YAMLError, path: str | Path) -> InputError:
    mark = getattr(err, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    return InputError(f"not valid YAML: {getattr(err, 'problem', None) or err}", path=path, line=line)


class _Unusual(Exception):
    """The file uses a YAML feature the event builder leaves to PyYAML's constructor."""


class _Open:
    """A mapping or list being built: its value, anchor, where its keys were first seen."""

    __slots__ = ("value", "anchor", "start", "start_chars", "key", "key_lines")

    def __init__(self, value: dict[Any, Any] | list[Any], anchor: str | None, start: int, start_chars: int) -> None:
        self.value, self.anchor, self.start, self.start_chars = value, anchor, start, start_chars
        self.key: Any = _Open  # _Open itself stands for "no key read yet"
        self.key_lines: dict[Any, int] = {}


class _EventBuilder:
    """Plain data from libyaml's events in one pass, checked as it is built (depth, aliases, keys, dates)."""

    def __init__(self, text: str, path: str | Path) -> None:
        self.loader, self.path = _SafeLoader(text), path
        self.anchors: dict[str, tuple[Any, int, int]] = {}  # name -> (value, values and characters expanded)
        self.open_anchors: set[str] = set()
        self.scalars: dict[tuple[Any, ...], Any] = {}  # (tag, text, implicit) -> value: most values repeat
        self.count = self.added = 0  # values built (aliases expanded); values added by aliases
        self.chars = self.added_chars = 0  # the same in characters of text

    def document(self) -> Any:
        try:
            get = self.loader.get_event
            get()  # the stream's start
            if isinstance(get(), yaml.StreamEndEvent):
                return None
            value = self.value()
            get()  # the document's end
            if not isinstance(extra := get(), yaml.StreamEndEvent):
                raise InputError(
                    "not valid YAML: expected a single document in the stream, found another",
                    path=self.path,
                    line=extra.start_mark.line + 1,
                )
            return value
        except yaml.YAMLError as err:
            raise _syntax_error(err, self.path) from None
        finally:
            self.loader.dispose()

    def value(self) -> Any:
        """The document's one value; a stack of open containers instead of recursion (3,000-deep files exist)."""
        stack: list[_Open] = []
        while True:
            event = self.loader.get_event()
            kind = type(event)
            if kind is yaml.ScalarEvent:
                value = self.scalar(event, stack)
            elif kind is yaml.AliasEvent:
                value = self.alias(event)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                stack.append(self.open(event, stack))
                continue
            else:  # the end of the innermost mapping or list
                done = stack.pop()
                value = done.value
                if done.anchor is not None:
                    self.anchors[done.anchor] = (value, self.count - done.start, self.chars - done.start_chars)
                    self.open_anchors.discard(done.anchor)
            if not stack:
                return value
            self.place(value, event, stack[-1], stack)

    def open(self, event: yaml.CollectionStartEvent, stack: list[_Open]) -> _Open:
        mapping = isinstance(event, yaml.MappingStartEvent)
        if event.tag not in _IMPLICIT_TAGS and event.tag != _TAG + ("map" if mapping else "seq"):
            raise _Unusual  # PyYAML's constructor reads the tag, or says why it cannot
        if len(stack) >= MAX_DEPTH:
            raise self.error(f"nests lists and mappings more than {MAX_DEPTH} deep", event)
        self.new_anchor(event)
        if event.anchor is not None:
            self.open_anchors.add(event.anchor)
        self.count += 1
        return _Open({} if mapping else [], event.anchor, self.count - 1, self.chars)

    def scalar(self, event: yaml.ScalarEvent, stack: list[_Open]) -> Any:
        key = (event.tag, event.value, event.implicit)
        try:
            value = self.scalars[key]
        except KeyError:
            value = self.scalars[key] = self.construct(event, stack)
        self.count += 1
        self.chars += len(event.value)
        if event.anchor is not None:
            self.new_anchor(event)
            self.anchors[event.anchor] = (value, 1, len(event.value))
        return value

    def construct(self, event: yaml.ScalarEvent, stack: list[_Open]) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag not in _SCALAR_TAGS:
            raise _Unusual  # a merge key '<<', '=', or a tag such as !!binary
        if tag == _TAG + "str":
            return event.value
        node = yaml.ScalarNode(tag, event.value)
        try:
            return self.loader.yaml_constructors[tag](self.loader, node)
        except (
            ValueError,
            KeyError,
            IndexError,
            AttributeError,
        ) as err:  # '!!bool maybe': KeyError; '!!int': IndexError
            if tag == _TAG + "timestamp" and isinstance(err, ValueError):
                message = f"'{event.value}' is not a valid date ({err}); write YYYY-MM-DD"
                raise self.error(message, event, _field(stack)) from None
            raise self.error(f"not valid YAML: cannot read '{event.value}' as {tag[len(_TAG) :]}", event) from None

    def alias(self, event: yaml.AliasEvent) -> Any:
        name = event.anchor
        if name in self.open_anchors:
            raise self.error(
                "an alias refers to the value that contains it (a recursive anchor); write the value out", event
            )
        if name not in self.anchors:
            raise self.error(f"not valid YAML: found undefined alias '{name}'", event)
        value, size, chars = self.anchors[name]
        self.count += size
        self.added += size
        self.chars += chars
        self.added_chars += chars
        if self.added > MAX_ALIAS_VALUES:
            raise self.error(
                f"its aliases (*name) expand to more than {MAX_ALIAS_VALUES:,} values beyond those written, the "
                "most that may be added that way (is this an alias bomb?)",
                event,
            )
        if self.added_chars > MAX_ALIAS_CHARS:
            raise self.error(
                f"its aliases (*name) expand to more than {MAX_ALIAS_CHARS // 2**20} MiB of text beyond what is "
                "written, the most that may be added that way (is this an alias bomb?)",
                event,
            )
        return value

    def new_anchor(self, event: yaml.NodeEvent) -> None:
        if event.anchor is not None and (event.anchor in self.anchors or event.anchor in self.open_anchors):
            raise self.error(f"not valid YAML: the anchor '&{event.anchor}' is defined twice", event)

    def place(self, value: Any, event: yaml.Event, top: _Open, stack: list[_Open]) -> None:
        if isinstance(top.value, list):
            top.value.append(value)
        elif top.key is _Open:
            self.check_key(value, event, top, stack)
            top.key = value
        else:
            top.value[top.key] = value
            top.key = _Open

    def check_key(self, key: Any, event: yaml.Event, top: _Open, stack: list[_Open]) -> None:
        line = event.start_mark.line + 1
        try:
            first = top.key_lines.setdefault(key, line)
        except TypeError:
            raise self.error("not valid YAML: a key must be a single value, not a list or mapping", event) from None
        if first != line or key in top.value:
            field = ".".join(filter(None, [_field(stack), str(key)]))
            message = f"key '{key}' is given twice (first on line {first}); YAML would silently keep the last"
            raise self.error(message, event, field)

    def error(self, message: str, event: yaml.Event, field: str | None = None) -> InputError:
        return InputError(message, path=self.path, line=event.start_mark.line + 1, field=field)


def _field(stack: list[_Open]) -> str:
    """The dotted path of the value being read, as 'states[3].interests' (for a message)."""
    names: list[str] = []
    for item in stack:
        if isinstance(item.value, list):
            names[-1:] = [f"{names[-1] if names else ''}[{len(item.value)}]"]
        elif item.key is not _Open:
            names.append(str(item.key))
    return ".".join(names)


def check_size(root: yaml.Node, path: str | Path) -> None:
    """Refuse a node tree whose aliases add more than MAX_ALIAS_VALUES values once expanded (a
    "billion laughs" bomb), that refers to itself, or nests deeper than MAX_DEPTH -- before anything
    walks or constructs it. Sizes are memoised per node, so this costs one pass over the file's nodes."""
    sizes: dict[int, int] = {}
    chars: dict[int, int] = {}  # characters of text under each node, aliases expanded
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
        total, text = 1, len(node.value) if isinstance(node, yaml.ScalarNode) else 0
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            open_nodes.add(key)
            children = [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else node.value
            total += sum(size(child, depth + 1) for child in children)
            text = sum(chars[id(child)] for child in children)
            open_nodes.discard(key)
        sizes[key], chars[key] = total, text
        return total

    expanded = size(root, 0)
    written = sum(len(n.value) for n in _scalars(root))
    if chars[id(root)] - written > MAX_ALIAS_CHARS:
        raise InputError(
            f"its aliases (*name) expand to {chars[id(root)] / 2**20:,.0f} MiB of text; at most "
            f"{MAX_ALIAS_CHARS // 2**20} MiB may be added that way (is this an alias bomb?)",
            path=path,
            line=1,
        )
    if expanded - len(sizes) > MAX_ALIAS_VALUES:
        raise InputError(
            f"its aliases (*name) expand to {expanded:,} values, {expanded - len(sizes):,} more than written; at most "
            f"{MAX_ALIAS_VALUES:,} may be added that way (is this an alias bomb?)",
            path=path,
            line=1,
        )


def _scalars(root: yaml.Node) -> list[yaml.ScalarNode]:
    """Every distinct scalar node under ``root``, each once (an alias is the same node again)."""
    seen: set[int] = set()
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            found.append(node)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in node.value for n in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return found


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
