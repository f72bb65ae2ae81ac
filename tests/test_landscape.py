"""Tests for alignsim.measures.landscape (Axelrod & Bennett 1993)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alignsim.config.landscape_file import landscape_report, load_landscape_file
from alignsim.errors import InputError
from alignsim.measures.landscape import LandscapeProblem, Minimum, energy, frustration, local_minima

ROOT = Path(__file__).resolve().parents[1]


def random_problem(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    p = rng.normal(size=(n, n))
    p = (p + p.T) / 2
    return rng.uniform(1, 10, n), p


def reference_minima(sizes: np.ndarray, p: np.ndarray) -> dict[tuple[int, ...], float]:
    """Plain-Python descent from every configuration: {normalised minimum: basin}."""
    n = len(sizes)
    counts: dict[tuple[int, ...], int] = {}
    for cfg in itertools.product((0, 1), repeat=n - 1):
        sides = [0, *cfg]
        while True:
            f = frustration(sizes, p, sides)
            deltas = []
            for i in range(n):
                flipped = list(sides)
                flipped[i] = 1 - flipped[i]
                deltas.append(frustration(sizes, p, flipped)[i] - f[i])
            best = min(deltas)
            if best >= -1e-9:
                break
            i = next(k for k, d in enumerate(deltas) if d <= best + 1e-9)
            sides[i] = 1 - sides[i]
        key = tuple(s ^ sides[0] for s in sides)
        counts[key] = counts.get(key, 0) + 1
    return {k: c / 2 ** (n - 1) for k, c in counts.items()}


# --- hand-computed cases -----------------------------------------------------


def test_energies_by_hand_three_actors() -> None:
    # sizes 1, 2, 3; p_AB = 1, p_AC = -1, p_BC = -2.
    s = [1.0, 2.0, 3.0]
    p = [[0, 1, -1], [1, 0, -2], [-1, -2, 0]]
    # E = 2 * sum over cross pairs of s_i s_j p_ij
    assert energy(s, p, [0, 0, 0]) == 0.0
    assert energy(s, p, [0, 0, 1]) == 2 * (1 * 3 * -1 + 2 * 3 * -2)  # -30
    assert energy(s, p, [0, 1, 0]) == 2 * (1 * 2 * 1 + 2 * 3 * -2)  # -20
    assert energy(s, p, [0, 1, 1]) == 2 * (1 * 2 * 1 + 1 * 3 * -1)  # -2
    assert energy(s, p, [1, 1, 0]) == energy(s, p, [0, 0, 1])  # mirror image
    np.testing.assert_allclose(frustration(s, p, [0, 0, 1]), [-3.0, -6.0, -5.0])
    # Every descent ends at {A, B} vs {C}: 000 -> B moves (tie with C, lower index)
    # -> 010 -> A moves -> 110 = 001; 011 -> B moves -> 001.
    (only,) = local_minima(s, p)
    assert only == Minimum(sides=(0, 0, 1), energy=-30.0, basin=1.0, frustration=(-3.0, -6.0, -5.0))


def test_frustrated_triangle_basins_by_hand() -> None:
    # Three equal mutually hostile actors: every 2-1 split is a minimum (E = -4);
    # from 000 all three tie and actor 0 moves, giving 100 = 011.
    minima = local_minima([1, 1, 1], [[0, -1, -1], [-1, 0, -1], [-1, -1, 0]])
    assert [(m.sides, m.energy, m.basin) for m in minima] == [
        ((0, 0, 1), -4.0, 0.25),
        ((0, 1, 0), -4.0, 0.25),
        ((0, 1, 1), -4.0, 0.5),
    ]


def test_four_actor_two_blocs_by_hand() -> None:
    # Pairs AB and CD like each other (+1) and dislike the other pair (-1).
    p = np.array([[0, 1, -1, -1], [1, 0, -1, -1], [-1, -1, 0, 1], [-1, -1, 1, 0]], dtype=float)
    assert energy([1, 1, 1, 1], p, [0, 0, 1, 1]) == -8.0  # 4 hostile cross pairs, twice
    assert energy([1, 1, 1, 1], p, [0, 1, 0, 1]) == 0.0  # 2 friendly + 2 hostile across
    minima = local_minima([1, 1, 1, 1], p)
    assert minima[0].sides == (0, 0, 1, 1) and minima[0].energy == -8.0


def test_diagonal_is_ignored() -> None:
    s, p = random_problem(5, 3)
    q = p.copy()
    np.fill_diagonal(q, 99.0)
    sides = [0, 1, 1, 0, 1]
    assert energy(s, q, sides) == pytest.approx(energy(s, p - np.diag(np.diag(p)), sides))


# --- properties ----------------------------------------------------------------


@st.composite
def landscapes(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = draw(st.integers(2, 7))
    sizes = np.array(draw(st.lists(st.floats(0.1, 10), min_size=n, max_size=n)))
    upper = draw(st.lists(st.floats(-5, 5), min_size=n * n, max_size=n * n))
    p = np.array(upper).reshape(n, n)
    p = np.triu(p, 1)
    p = p + p.T
    sides = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    return sizes, p, sides


@settings(max_examples=200)
@given(landscapes())
def test_switch_lowering_frustration_lowers_energy(case: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    sizes, p, sides = case
    f = frustration(sizes, p, sides)
    e = energy(sizes, p, sides)
    assert e == pytest.approx(float(sizes @ f))
    for i in range(len(sizes)):
        flipped = sides.copy()
        flipped[i] = 1 - flipped[i]
        d_f = frustration(sizes, p, flipped)[i] - f[i]
        d_e = energy(sizes, p, flipped) - e
        assert d_e == pytest.approx(2 * sizes[i] * d_f, abs=1e-9)  # dE = 2 s_i dF_i
        if d_f < -1e-9:
            assert d_e < 0


@pytest.mark.parametrize("seed", range(5))
def test_exact_matches_plain_python_reference(seed: int) -> None:
    sizes, p = random_problem(6, seed)
    if seed == 0:
        p = np.round(p)  # integer propensities create exact ties
    ref = reference_minima(sizes, p)
    minima = local_minima(sizes, p)
    assert {m.sides: m.basin for m in minima} == pytest.approx(ref)
    for m in minima:
        assert m.energy == pytest.approx(energy(sizes, p, m.sides))
        np.testing.assert_allclose(m.frustration, frustration(sizes, p, m.sides))


@pytest.mark.parametrize("n", [1, 2, 5, 9, 13])
def test_exact_basins_sum_to_one_and_are_sorted(n: int) -> None:
    sizes, p = random_problem(n, n)
    minima = local_minima(sizes, p)
    assert sum(m.basin for m in minima) == pytest.approx(1.0)
    assert all(m.sides[0] == 0 for m in minima)
    keys = [(m.energy, m.sides) for m in minima]
    assert keys == sorted(keys)
    # No single switch lowers anyone's frustration at a minimum.
    for m in minima:
        f = np.array(m.frustration)
        for i in range(n):
            flipped = list(m.sides)
            flipped[i] = 1 - flipped[i]
            assert frustration(sizes, p, flipped)[i] >= f[i] - 1e-9


def test_exact_seventeen_actors_basins_cover_every_configuration() -> None:
    # the size of Axelrod & Bennett's 1936 case; speed is measured by benchmarks, not asserted here
    sizes, p = random_problem(17, 17)
    minima = local_minima(sizes, p)
    assert sum(m.basin for m in minima) == pytest.approx(1.0)


def test_heuristic_finds_exact_global_minimum() -> None:
    sizes, p = random_problem(12, 2024)
    exact = local_minima(sizes, p)
    rng = np.random.default_rng(7)
    heuristic = local_minima(sizes, p, exact_limit=11, rng=rng, starts=2000)
    assert heuristic[0].sides == exact[0].sides
    assert heuristic[0].energy == pytest.approx(exact[0].energy)
    assert sum(m.basin for m in heuristic) == pytest.approx(1.0)
    assert {m.sides for m in heuristic} <= {m.sides for m in exact}
    # Shares of 2000 starts estimate the exact basin (binomial sd < 0.012).
    assert heuristic[0].basin == pytest.approx(exact[0].basin, abs=0.05)


def test_heuristic_requires_rng() -> None:
    sizes, p = random_problem(6, 1)
    with pytest.raises(ValueError, match="rng"):
        local_minima(sizes, p, exact_limit=5)


def test_rejects_bad_arrays() -> None:
    with pytest.raises(ValueError, match="symmetric"):
        energy([1, 1], [[0, 1], [2, 0]], [0, 1])
    with pytest.raises(ValueError, match="sizes"):
        energy([1, 0], [[0, 1], [1, 0]], [0, 1])
    with pytest.raises(ValueError, match="sides"):
        energy([1, 1], [[0, 1], [1, 0]], [0, 2])


# --- landscape files -------------------------------------------------------------

VALID = """\
actors:
  - {name: A, size: 10}
  - {name: B, size: 20}
  - {name: C, size: 5}
propensity:
  - [0, 1, -1]
  - [1, 0, -2]
  - [-1, -2, 0]
offset: 0.5
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "landscape.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_valid_file(tmp_path: Path) -> None:
    problem = load_landscape_file(write(tmp_path, VALID))
    assert isinstance(problem, LandscapeProblem)
    assert problem.names == ("A", "B", "C")
    np.testing.assert_array_equal(problem.sizes, [10, 20, 5])
    np.testing.assert_array_equal(problem.propensity, [[0, 1.5, -0.5], [1.5, 0, -1.5], [-0.5, -1.5, 0]])


def test_load_example_scenario() -> None:
    problem = load_landscape_file(ROOT / "examples" / "landscape_example.yaml")
    assert len(problem.names) == 5
    report = landscape_report(problem)
    assert report["global_minimum"]["sides"] == [["North", "NorthEast", "Middle"], ["South", "SouthWest"]]


# (description, file text, expected field, expected line, words in the message)
BAD_FILES = [
    ("unknown top-level key", VALID + "colour: red\n", "colour", 10, ["unknown key"]),
    (
        "unknown actor key",
        VALID.replace("{name: B, size: 20}", "{name: B, size: 20, color: 1}"),
        "actors[1].color",
        3,
        ["unknown key"],
    ),
    ("missing key", "actors:\n  - {name: A, size: 1}\n", "propensity", 1, ["missing"]),
    ("non-square", VALID.replace("[1, 0, -2]", "[1, 0]"), "propensity[1]", 7, ["square", "2 entries", "3 rows"]),
    ("row count", VALID.replace("  - {name: C, size: 5}\n", ""), "propensity", 5, ["3 rows", "2 actors"]),
    ("asymmetric", VALID.replace("[1, 0, -2]", "[1, 0, -3]"), "propensity[1][2]", 7, ["symmetric", "B-C", "-3", "-2"]),
    ("size zero", VALID.replace("size: 20", "size: 0"), "actors[1].size", 3, ["> 0"]),
    ("size negative", VALID.replace("size: 5", "size: -5"), "actors[2].size", 4, ["> 0", "-5"]),
    ("duplicate name", VALID.replace("name: C", "name: A"), "actors[2].name", 4, ["'A'", "twice"]),
    ("non-numeric entry", VALID.replace("[-1, -2, 0]", "[-1, x, 0]"), "propensity[2][1]", 8, ["number", "'x'"]),
    ("boolean entry", VALID.replace("[0, 1, -1]", "[0, yes, -1]"), "propensity[0][1]", 6, ["number", "True"]),
    ("non-numeric size", VALID.replace("size: 10", "size: big"), "actors[0].size", 2, ["number", "'big'"]),
    ("non-numeric offset", VALID.replace("offset: 0.5", "offset: [1]"), "offset", 9, ["number"]),
    ("duplicate key", VALID + "offset: 1\n", "offset", 10, ["twice"]),
]


@pytest.mark.parametrize(
    ("text", "field", "line", "words"), [case[1:] for case in BAD_FILES], ids=[c[0] for c in BAD_FILES]
)
def test_loader_errors_name_field_and_line(tmp_path: Path, text: str, field: str, line: int, words: list[str]) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as info:
        load_landscape_file(path)
    err = info.value
    message = str(err)
    assert (err.field, err.line) == (field, line), message
    assert f"field '{field}'" in message
    assert message.startswith(f"{path}:{line}:")
    for word in words:
        assert word in message


def test_loader_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(InputError, match="not found") as info:
        load_landscape_file(path)
    assert info.value.path == str(path)


def test_loader_not_yaml(tmp_path: Path) -> None:
    path = write(tmp_path, "actors: [{name: A, size: 1}\npropensity: [[0]]\n")
    with pytest.raises(InputError, match="not valid YAML") as info:
        load_landscape_file(path)
    assert info.value.line == 2
    assert f"{path}:2:" in str(info.value)


def test_loader_not_a_mapping(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="mapping"):
        load_landscape_file(write(tmp_path, "- 1\n- 2\n"))
    with pytest.raises(InputError, match="empty"):
        load_landscape_file(write(tmp_path, "# nothing\n"))


# --- report ------------------------------------------------------------------------


def test_landscape_report_shape(tmp_path: Path) -> None:
    problem = load_landscape_file(write(tmp_path, VALID))
    report = landscape_report(problem)
    assert set(report) == {"minima", "global_minimum"}
    assert json.loads(json.dumps(report)) == report  # plain JSON types only
    for item in report["minima"]:
        assert set(item) == {"energy", "sides", "basin", "frustration"}
        assert type(item["energy"]) is float and type(item["basin"]) is float
        assert len(item["sides"]) == 2 and sorted(item["sides"][0] + item["sides"][1]) == ["A", "B", "C"]
        assert "A" in item["sides"][0]
        assert set(item["frustration"]) == {"A", "B", "C"}
    assert report["global_minimum"] == report["minima"][0]
    assert report["global_minimum"]["energy"] == min(m["energy"] for m in report["minima"])
    assert sum(m["basin"] for m in report["minima"]) == pytest.approx(1.0)
    # {A, B} vs {C}: cross pairs A-C (10*5*-0.5) and B-C (20*5*-1.5), counted twice.
    assert report["global_minimum"]["sides"] == [["A", "B"], ["C"]]
    assert report["global_minimum"]["energy"] == pytest.approx(2 * (10 * 5 * -0.5 + 20 * 5 * -1.5))
