"""The one-pass YAML reader gives exactly what ``yaml.safe_load`` gives, and its mistakes name the line."""

from __future__ import annotations

import math
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from alignsim.config.yaml_reader import MAX_DEPTH, SafeDumper, YamlTree, read_yaml
from alignsim.errors import InputError

SNIPPETS = [
    "",
    "# only a comment\n",
    "---\n",
    "a: 1:20\nb: 0x1F\nc: yes\nd: ~\ne: .inf\nf: 1_000\ng: 2024-01-01 10:00:00\nh: '1'\nj: 0o17\nk: 017\nl: +.5\n",
    "start: 2024-03-01\nend: 2024-03-01T10:00:00Z\n",
    "i: !!str 12\nf: !!float 3\nn: !!null ''\nb: !!bool 'true'\n",
    "a: &x [1, {b: 2}]\nc: *x\nd: &s text\ne: *s\n",
    "list:\n- 1\n- - 2\n  - 3\n- {k: v, w: [x, y]}\n",
    "? complex\n: key\n'quoted key': 1\n\"1\": one\n1: int one\n",
    "<<: {a: 1}\nb: 2\n",  # a merge key: left to PyYAML's constructor
    "bin: !!binary aGVsbG8=\n",  # an explicit tag outside the plain scalars: the same
    "s: !!set {a, b}\n",
]


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("text", SNIPPETS)
def test_reads_what_safe_load_reads(text: str) -> None:
    data, _ = read_yaml(text, "f.yaml")
    assert same(data, yaml.safe_load(text))


def test_an_exponent_without_dot_or_sign_is_a_float_as_in_yaml_1_2() -> None:
    """PyYAML's YAML 1.1 rule reads '1e3' and '1.0e10' as text; a user writing them means numbers."""
    data, _ = read_yaml("a: 1e3\nb: 1.0e10\nc: -2E-3\nd: 1.0e-3\ne: 1e\nf: '1e3'\n", "f.yaml")
    assert data == {"a": 1000.0, "b": 1e10, "c": -0.002, "d": 0.001, "e": "1e", "f": "1e3"}
    assert all(type(data[k]) is float for k in "abcd")
    assert yaml.dump({"t": "1e3"}, Dumper=SafeDumper) == "t: '1e3'\n"  # written back as text, quoted


plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8) | st.dates(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5) | st.integers(), inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None, derandomize=True)  # PyYAML itself fails a rare example (a NEL in a key)
@given(plain, st.booleans())
def test_any_plain_data_round_trips_like_safe_load(data: Any, flow: bool) -> None:
    shared = {"x": data, "y": data}  # the same object twice: safe_dump writes an anchor and an alias
    text = yaml.dump(shared, Dumper=SafeDumper, default_flow_style=flow, allow_unicode=True)
    assert read_yaml(text, "f.yaml")[0] == yaml.safe_load(text)


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("a: 1\nb:\n  c: 2\n  c: 3\n", 4, "key 'c' is given twice (first on line 3)"),
        ("{a: 1, a: 2}\n", 1, "key 'a' is given twice"),
        ("when: 2024-02-30\n", 1, "'2024-02-30' is not a valid date"),
        ("a: &x 1\nb: &x 2\n", 2, "anchor '&x' is defined twice"),
        ("a: *nowhere\n", 1, "undefined alias 'nowhere'"),
        ("? [1, 2]\n: 3\n", 1, "a key must be a single value"),
        ("a: 1\n---\nb: 2\n", 2, "expected a single document"),
        ("a: [1, 2\nb: 3\n", 2, "not valid YAML"),
        ("a: !!bool maybe\n", 1, "cannot read 'maybe' as bool"),
        ("steps: !!int\n", 1, "cannot read '' as int"),
    ],
)
def test_mistakes_name_their_line(text: str, line: int, words: str) -> None:
    with pytest.raises(InputError) as err:
        read_yaml(text, "f.yaml")
    assert err.value.line == line and words in str(err.value)


@pytest.mark.parametrize("text", ["a: !!map [1, 2]\n", "a: !!seq {x: 1}\n", "a: !!float ''\n"])
def test_a_tag_on_the_wrong_kind_of_value_is_refused_as_safe_load_refuses_it(text: str) -> None:
    with pytest.raises((yaml.YAMLError, IndexError)):  # PyYAML's own error, or a crash
        yaml.safe_load(text)
    with pytest.raises(InputError, match="not valid YAML"):
        read_yaml(text, "f.yaml")


def test_keys_that_differ_once_read_keep_their_line_numbers() -> None:
    data, tree = read_yaml("'1': text\n1: number\n", "f.yaml")
    assert data == {"1": "text", 1: "number"}
    assert tree.root is not None and tree.root.value[1][0].start_mark.line == 1


def test_field_of_a_duplicate_key_inside_a_list() -> None:
    with pytest.raises(InputError) as err:
        read_yaml("states:\n- code: A\n- code: B\n  code: C\n", "f.yaml")
    assert err.value.field == "states[1].code"


def test_nesting_and_alias_bombs_are_refused_before_memory_runs_out() -> None:
    with pytest.raises(InputError, match="deep"):
        read_yaml("[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5), "deep.yaml")
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n" for p, c in zip("abcdefg", "bcdefgh", strict=True)
    )
    with pytest.raises(InputError, match="alias bomb"):
        read_yaml(bomb, "bomb.yaml")


def test_the_node_tree_is_composed_only_when_a_line_is_wanted() -> None:
    data, tree = read_yaml("a:\n  b: 1\n", "f.yaml")
    assert data == {"a": {"b": 1}} and "root" not in vars(tree)  # not composed yet
    assert tree.root is not None and tree.root.value[0][1].start_mark.line == 1
    assert YamlTree("", "empty.yaml").root is None
