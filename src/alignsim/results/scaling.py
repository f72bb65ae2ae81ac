"""What a run folder holds as worlds grow: when tables go to Parquet first, and writing a large
resolved scenario in time proportional to its size.

A 193-state world's relations table has 37,000 rows a month (4.5 million over ten years: 215 MB
of CSV that pandas takes half a minute to write; 46 MB of Parquet written in about a second), and
its resolved scenario is 73,000 lines of YAML that PyYAML's representer takes seconds to build.
So past :data:`CSV_ROWS_PER_REPLICATE` the relations are written as Parquet only (CSV on request),
and past :data:`PLAIN_YAML_STATES` states the resolved scenario is emitted by :func:`fast_yaml`,
which writes the same data (``yaml.safe_load`` reads back an equal mapping) in a fraction of the time.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import yaml

from alignsim.config.scenario import Scenario
from alignsim.config.yaml_reader import SafeDumper, read_yaml

#: A replicate's relations table larger than this many rows is written as Parquet only (unless CSV is asked for).
CSV_ROWS_PER_REPLICATE = 500_000
#: Worlds with more states than this have their resolved scenario written by :func:`fast_yaml`.
PLAIN_YAML_STATES = 60
#: Worlds with more states than this are "large": a single run keeps its relations as arrays, and
#: the charts take the views of :func:`alignsim.results.chart_data.large_world_figures`.
LARGE_WORLD_STATES = 30

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# keys that YAML 1.1 would read as something other than a string
# characters a YAML stream may not hold raw, or that it reads as line breaks (NEL, LS, PS) or a BOM
_UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_SPECIAL = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "none", "~"}


def is_large_world(scenario: Scenario) -> bool:
    return len(scenario.world_spec.states) > LARGE_WORLD_STATES


def csv_by_default(rows_per_replicate: int) -> bool:
    """Whether a relations table of this many rows per replicate is written as CSV when nobody asked."""
    return rows_per_replicate <= CSV_ROWS_PER_REPLICATE


def resolved_yaml(resolved: dict[str, Any]) -> str:
    """The text of ``scenario.resolved.yaml``: PyYAML's block style for a world of up to
    :data:`PLAIN_YAML_STATES` states (unchanged from earlier folders), :func:`fast_yaml` above."""
    states = resolved.get("world", {}).get("states", []) if isinstance(resolved.get("world"), dict) else []
    if len(states) <= PLAIN_YAML_STATES:
        return plain_yaml(resolved)
    return fast_yaml(resolved)


def plain_yaml(data: Any, **options: Any) -> str:
    """``yaml.safe_dump`` in block style, keys in order, UTF-8 kept -- checked by reading it back:
    PyYAML writes a few characters raw that its reader then takes for a line break (NEL, U+0085, in
    a note), so a text that does not read back as ``data`` is written again with every non-ASCII
    character escaped."""
    text = yaml.dump(data, Dumper=SafeDumper, sort_keys=False, allow_unicode=True, **options)
    if read_yaml(text, "<resolved scenario>")[0] == data:
        return text
    return yaml.dump(data, Dumper=SafeDumper, sort_keys=False, allow_unicode=False, **options)


def fast_yaml(data: Any) -> str:
    """Block-style YAML of plain data (dicts with string keys, lists, str, int, float, bool, None):
    strings double-quoted with JSON's escapes (valid YAML, UTF-8 kept), floats always with a dot or an
    exponent YAML 1.1 reads as a float. ``yaml.safe_load(fast_yaml(x)) == x``."""
    lines: list[str] = []
    _emit(data, 0, lines)
    return "\n".join(lines) + "\n"


def _emit(value: Any, indent: int, lines: list[str]) -> None:
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            lines.append(pad + "{}")
        for key, item in value.items():
            _emit_entry(f"{pad}{_key(key)}:", item, indent, lines)
    elif isinstance(value, list):
        if not value:
            lines.append(pad + "[]")
        for item in value:
            _emit_item(pad, item, indent, lines)
    else:
        lines.append(pad + _scalar(value))


def _emit_entry(head: str, item: Any, indent: int, lines: list[str]) -> None:
    if isinstance(item, (dict, list)) and item:
        lines.append(head)
        _emit(item, indent + 2, lines)
    else:
        lines.append(f"{head} {_scalar(item)}")


def _emit_item(pad: str, item: Any, indent: int, lines: list[str]) -> None:
    """One list item; a mapping's first key goes on the dash's line, as PyYAML writes it."""
    if isinstance(item, dict) and item:
        first = True
        for key, sub in item.items():
            _emit_entry(f"{pad}{'- ' if first else '  '}{_key(key)}:", sub, indent + 2, lines)
            first = False
    elif isinstance(item, list) and item:
        lines.append(pad + "-")
        _emit(item, indent + 2, lines)
    else:
        lines.append(f"{pad}- {_scalar(item)}")


def _key(key: Any) -> str:
    if not isinstance(key, str):
        raise TypeError(f"fast_yaml writes string keys only, not {key!r}")
    return key if _PLAIN_KEY.match(key) and key.lower() not in _SPECIAL else _quoted(key)


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, str):
        return _quoted(value)
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    raise TypeError(f"fast_yaml writes plain data only, not {type(value).__name__}")


def _quoted(text: str) -> str:
    """A double-quoted YAML scalar: JSON's escapes are YAML's; what YAML may not hold raw is escaped too."""
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def _float(value: float) -> str:
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value)
    if "e" in text and "." not in text:  # YAML 1.1 reads 1e-05 as a string, 1.0e-05 as a float
        mantissa, exponent = text.split("e")
        text = f"{mantissa}.0e{exponent}"
    return text
