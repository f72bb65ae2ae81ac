"""The history checks (alignsim hindcast): known answers of the balance null and the hazard models on
synthetic data, and small slices of the packaged data."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from alignsim.cli.main import main
from alignsim.measures.balance import triad_census
from alignsim.validation import history as h
from alignsim.validation.hindcast import (
    Row,
    Section,
    SectionSpec,
    Settings,
    build_hindcast,
    write_hindcast,
)

DATA = Path(h.__file__).resolve().parents[1] / "data" / "history"


def two_blocs(n: int = 12) -> np.ndarray:
    side = np.where(np.arange(n) < n // 2, 1, -1)
    A = np.outer(side, side).astype(np.int8)
    np.fill_diagonal(A, 0)
    return A


def random_signed(n: int, rng: np.random.Generator, density: float = 0.4) -> np.ndarray:
    upper = np.triu(rng.choice([-1, 0, 1], size=(n, n), p=[density / 2, 1 - density, density / 2]), 1)
    return (upper + upper.T).astype(np.int8)


# ------------------------------------------------------------------ balance: known answers
def test_fully_balanced_network_has_share_one():
    share, closed = h.balanced_share(two_blocs(12))
    assert share == 1.0 and closed == 220  # every triple of 12 states is a closed triad


def test_one_imbalanced_triangle_has_share_zero():
    A = np.array([[0, 1, 1], [1, 0, -1], [1, -1, 0]], dtype=np.int8)  # two friends of mine are enemies
    assert h.balanced_share(A) == (0.0, 1)


def test_balanced_share_agrees_with_the_triad_census():
    A = random_signed(15, np.random.default_rng(3))
    census = triad_census(A)
    share, closed = h.balanced_share(A)
    assert closed == census.balanced + census.imbalanced
    assert share == pytest.approx(census.balanced / closed)


def test_signed_swap_keeps_each_states_positive_and_negative_ties():
    A = random_signed(30, np.random.default_rng(1), density=0.3)
    B = h.signed_swap(A, np.random.default_rng(2))
    for sign in (1, -1):
        assert ((B == sign).sum(axis=1) == (A == sign).sum(axis=1)).all()
    assert (B == B.T).all() and (np.diag(B) == 0).all()
    assert (B != A).sum() > 0.5 * (A != 0).sum()  # it does rewire


def sparse_blocs() -> np.ndarray:
    """Two blocs of ten: friends with the next two in their ring, enemies of their two opposites."""
    A = np.zeros((20, 20), dtype=np.int8)
    for i in range(10):
        for bloc in (0, 10):
            for step in (1, 2):
                a, b = bloc + i, bloc + (i + step) % 10
                A[a, b] = A[b, a] = 1
        for step in (0, 1):
            A[i, 10 + (i + step) % 10] = A[10 + (i + step) % 10, i] = -1
    return A


def test_the_null_of_a_balanced_network_is_less_balanced_and_reproducible():
    A = sparse_blocs()
    assert h.balanced_share(A)[0] == 1.0
    null = h.balance_null(A, np.random.default_rng(5), samples=10)
    assert null.max() < 1.0
    assert (null == h.balance_null(A, np.random.default_rng(5), samples=10)).all()


def test_imbalanced_triads_that_change_are_counted():
    # year 0: a ++- triangle (imbalanced) and a +++ triangle (balanced); year 1: the hostile tie ends
    signs = np.zeros((6, 6, 6), dtype=np.int8)
    for t in range(6):
        for a, b in [(0, 1), (0, 2), (3, 4), (3, 5), (4, 5)]:
            signs[t, a, b] = signs[t, b, a] = 1
    signs[0, 1, 2] = signs[0, 2, 1] = -1
    nets = h.SignedNetworks(np.arange(6), np.arange(2000, 2006), signs, np.zeros(6, dtype=int))
    out = h.triad_changes(nets, 2000, 2000).set_index("kind")
    assert out.loc["imbalanced", ["triads", "changed"]].tolist() == [1, 1]
    assert out.loc["balanced", ["triads", "changed"]].tolist() == [1, 0]


# ------------------------------------------------------------------ hazard model direction
def synthetic_dyads(effect: float, n: int = 600, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Alliances formed in 1950 that lapse with yearly hazard 0.08 * exp(effect * s_z)."""
    rng = np.random.default_rng(seed)
    s_z = rng.normal(size=n)
    rows = []
    for k, z in enumerate(s_z):
        for year in range(1950, 2018):
            rows.append((year, 1000 + k, 5000 + k, 1, 1, 0, 0, z))
            if rng.random() < 0.08 * np.exp(effect * z):
                break
    dyads = pd.DataFrame(rows, columns=["year", "ccode1", "ccode2", "ally", "defense", "mid", "rival", "s_z"])
    states = pd.DataFrame(
        [(c, y) for c in [*range(1000, 1000 + n), *range(5000, 5000 + n)] for y in range(1946, 2019)],
        columns=["ccode", "year"],
    )
    return dyads, states


@pytest.mark.parametrize("effect", [-0.7, 0.7])
def test_cox_models_recover_the_direction_of_a_known_effect(effect):
    dyads, states = synthetic_dyads(effect)
    spells = h.alliance_spells(dyads, states, first_start=1950)
    formation = h.cox_at_formation(spells)
    over_time = h.cox_time_varying(h.alliance_episodes(dyads, spells))
    for hr in (formation, over_time):
        assert hr.lo < np.exp(effect) < hr.hi
        assert (hr.hi < 1) if effect < 0 else (hr.lo > 1)


def test_spells_split_at_gaps_and_a_vanished_state_is_censored():
    rows = [(y, 2, 20, 1) for y in (1950, 1951, 1952, 1960, 1961)] + [
        (y, 2, 265, 1) for y in (1980, 1981, 1982, 1983, 1984, 1985, 1986, 1987, 1988, 1989, 1990)
    ]
    dyads = pd.DataFrame(rows, columns=["year", "ccode1", "ccode2", "ally"]).assign(s_z=0.0)
    states = pd.DataFrame(
        [(c, y) for c in (2, 20) for y in range(1946, 2019)] + [(265, y) for y in range(1954, 1991)],
        columns=["ccode", "year"],
    )
    spells = h.alliance_spells(dyads, states).sort_values("start")
    assert spells[["start", "end", "duration", "event"]].values.tolist() == [
        [1950, 1952, 3, 1],
        [1960, 1961, 2, 1],
        [1980, 1990, 11, 0],
    ]


def test_reversion_finds_that_out_of_line_ties_end_sooner():
    rng = np.random.default_rng(4)
    rows = []
    for k in range(400):
        low = k % 2  # half the dyads are allied against their interests
        for year in range(1950, 2018):
            rows.append((year, 1000 + k, 5000 + k, 1, 0, 0, 0.2 if low else 0.9))
            if rng.random() < (0.12 if low else 0.03):
                break
    dyads = pd.DataFrame(rows, columns=["year", "ccode1", "ccode2", "ally", "mid", "rival", "s"])
    dyads = h.add_interest_columns(
        dyads, pd.DataFrame({"year": range(1946, 2019), "mean": 0.5, "sd": 0.3, "median": 0.5})
    )
    states = pd.DataFrame(
        [(c, y) for c in [*range(1000, 1400), *range(5000, 5400)] for y in range(1946, 2019)], columns=["ccode", "year"]
    )
    alliances = h.reversion_rates(dyads, states, resamples=300).set_index("tie").loc["alliance"]
    assert alliances.lo95 > 2 and alliances.rate_ratio == pytest.approx(4, rel=0.35)


# ------------------------------------------------------------------ the packaged data
def test_packaged_history_data_is_small_and_well_formed():
    assert sum(f.stat().st_size for f in DATA.iterdir()) <= 5_000_000
    data = h.load_history()
    d = data.dyads
    assert (d.ccode1 < d.ccode2).all() and d.year.between(1946, 2018).all()
    assert not d.duplicated(["year", "ccode1", "ccode2"]).any()
    assert d.s.dropna().between(-1, 1).all()
    assert 565 in set(d[d.s.notna()].ccode1) | set(d[d.s.notna()].ccode2)  # Namibia's ISO2 'NA' survived
    # NATO's core in 1990: the USA (2), UK (200) and West Germany (260) allied, and their S is known
    core = d[(d.year == 1989) & d.ccode1.isin([2, 200]) & d.ccode2.isin([200, 260])]
    assert len(core) == 3 and core.ally.eq(1).all() and core.s.notna().all()


def test_real_networks_of_1985_to_1989_are_more_balanced_than_their_null():
    data = h.load_history()
    nets = h.signed_networks(data.dyads, range(1985, 1990))
    table = h.balance_by_year(nets, seed=1, samples=3, swaps_per_edge=3)
    assert (table.balanced_share > table.null_mean).all()
    assert table.equals(h.balance_by_year(nets, seed=1, samples=3, swaps_per_edge=3))


# ------------------------------------------------------------------ the report and the command
def test_report_folder_holds_every_part_and_a_broken_section_fails_its_rows(tmp_path):
    def good(data, settings, advance):
        fig = Figure()
        fig.add_subplot().plot([0, 1])
        return Section(
            "good",
            "A good section",
            ["text"],
            [Row("good row", 0.5, 0.4, 0.6, "lower 95% bound > 0", True)],
            {"numbers": pd.DataFrame({"x": [1, 2]})},
            {"good.png": fig},
        )

    def broken(data, settings, advance):
        raise ValueError("no data")

    specs = (
        SectionSpec("good", "A good section", good, lambda s: 1, ("good row",)),
        SectionSpec("broken", "A broken section", broken, lambda s: 1, ("broken row",)),
    )
    sections = build_hindcast(
        Settings(), progress=False, data=h.HistoryData(pd.DataFrame(), pd.DataFrame(), pd.DataFrame()), sections=specs
    )
    out = write_hindcast(sections, Settings(), tmp_path / "report")
    assert {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} == {
        "report.md",
        "report.html",
        "charts/good.png",
        "tables/numbers.csv",
        "tables/checks.csv",
    }
    md = (out / "report.md").read_text()
    assert "1 of 2 rows pass" in md and "| broken row | — | — | **FAIL** |" in md and "ValueError: no data" in md
    checks = pd.read_csv(out / "tables" / "checks.csv")
    assert checks.passed.tolist() == [True, False]


def test_hindcast_command_refuses_bad_options_before_any_work(tmp_path, capsys):
    assert main(["hindcast", "--null-samples", "1", "--out", str(tmp_path / "r")]) == 2
    assert "--null-samples" in capsys.readouterr().err
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine")
    assert main(["hindcast", "--out", str(taken), "--quiet"]) == 2
    assert "holds no earlier report" in capsys.readouterr().err
    assert [p.name for p in taken.iterdir()] == ["notes.txt"]
    assert not list(itertools.chain(tmp_path.glob(".r*"), tmp_path.glob(".taken*")))


def test_the_data_readme_records_the_hash_of_every_input():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    inputs = pd.read_csv(DATA / "inputs.csv")
    assert len(inputs) == 8
    for row in inputs.itertuples():
        assert f"| `{row.file}` | `{row.sha256}` |" in readme
