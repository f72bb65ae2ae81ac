"""`alignsim compare`: ensembles with common random numbers, aligned by date, and the comparison
folder a reader opens (bands per tracked pair, outcome tables, reactions, blocs)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from alignsim.api import load
from alignsim.cli.main import main
from alignsim.config.scenario import Scenario, load_scenario
from alignsim.errors import InputError
from alignsim.experiments.comparison import (
    CompareResult,
    compare_scenarios,
    outcomes_markdown,
    reactions_markdown,
    run_folders,
    unique_names,
)
from alignsim.experiments.simulate import run_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
NAMES = ["baseline_2024", "seoul_havana_recognition", "dzud_aid"]


@pytest.fixture(scope="module")
def three() -> list[Scenario]:
    # with every rule on (cool and court are off by default): the reactions are what these tests count
    return [load_scenario(SCENARIOS / f"{n}.yaml").with_overrides(cool_on=True, court_on=True) for n in NAMES]


@pytest.fixture(scope="module")
def comparison(three: list[Scenario]) -> CompareResult:
    return compare_scenarios(three, replicates=6, workers=1, at=["2024-06"])


def test_common_random_numbers_make_a_scenario_compared_with_itself_differ_by_exactly_zero(
    three: list[Scenario],
) -> None:
    same = compare_scenarios([three[0], three[0]], replicates=4, workers=1)
    assert same.names == ["baseline_2024", "baseline_2024-2"]
    other = same.outcomes[same.outcomes.scenario == "baseline_2024-2"]
    assert (other.diff_mean == 0).all() and (other.diff_p5 == 0).all() and (other.diff_p95 == 0).all()
    assert (other.p_above_reference == 0).all()
    assert (same.bands.loc[same.bands.scenario == "baseline_2024-2", ["diff_p5", "diff_p95"]] == 0).all().all()


def test_replicate_k_of_every_scenario_uses_the_same_seed(three: list[Scenario], comparison: CompareResult) -> None:
    assert comparison.manifest["seed"] == 2024 and comparison.replicates == 6
    for scenario in (three[0], three[2]):
        alone = run_scenario(scenario, seed=2024, replicates=6, workers=1)
        pd.testing.assert_frame_equal(comparison.runs[scenario.name].relations, alone.relations)
    # the noise is shared, so before the first shock (February) the scenarios agree run by run
    jan = comparison.bands[(comparison.bands.date == "2024-01-01") & comparison.bands.diff_mean.notna()]
    assert (jan[["diff_p5", "diff_p95"]] == 0).all().all()


def test_outcomes_are_the_statistics_of_the_runs(comparison: CompareResult) -> None:
    out = comparison.outcomes
    assert set(out.when) == {"2024-06", "end"}
    end = out[out.when == "end"]
    assert set(end.date) == {"2027-01-01"}
    assert set(end.pair) == set(comparison.pairs)
    for name in NAMES:
        run = comparison.runs[name]
        values = run.relation("KOR", "CUB").loc["2027-01-01"].to_numpy()
        row = end[(end.pair == "KOR-CUB") & (end.scenario == name)].iloc[0]
        assert row["mean"] == pytest.approx(values.mean())
        assert row.p5 == pytest.approx(np.quantile(values, 0.05)) and row.p95 == pytest.approx(
            np.quantile(values, 0.95)
        )
        first = run.relation("KOR", "CUB").loc["2024-01-01"].to_numpy()
        assert (first == first[0]).all()  # the spin-up draws nothing: every run starts alike
        assert row.start == pytest.approx(first[0])  # the steady state (about -0.45), not the world's given 0.1
        assert row.p_sign_change == pytest.approx(float((np.sign(values) != np.sign(first[0])).mean()))
        assert row.p_positive == pytest.approx(float((values > 0).mean()))
    ref = end[end.scenario == "baseline_2024"]
    assert ref.diff_mean.isna().all()
    rec = end[(end.scenario == "seoul_havana_recognition") & (end.pair == "KOR-CUB")].iloc[0]
    paired = (
        comparison.runs["seoul_havana_recognition"].relation("KOR", "CUB")
        - comparison.runs["baseline_2024"].relation("KOR", "CUB")
    ).loc["2027-01-01"]
    assert rec.diff_mean == pytest.approx(paired.mean())
    assert rec.diff_p5 > 0  # recognition leaves Seoul warmer to Havana in every run


def test_a_pair_that_starts_at_zero_has_no_sign_to_change(three: list[Scenario]) -> None:
    given = [
        s.model_copy(update={"params": s.params.model_copy(update={"initial_relations": "given"})}) for s in three[:2]
    ]
    out = compare_scenarios(given, replicates=2, workers=1).outcomes
    never = out[(out.pair == "PRK-MNG")]  # PRK -> MNG is given as exactly 0
    assert never.p_sign_change.isna().all()


def test_dzud_aid_shows_as_a_band_that_fades(comparison: CompareResult) -> None:
    b = comparison.bands
    aid = b[(b.pair == "KOR-MNG") & (b.scenario == "dzud_aid")].set_index("date")
    assert aid.loc["2024-05-01", "diff_p5"] > 0.2  # right after the aid: warmer in every run
    assert abs(aid.loc["2027-01-01", "diff_median"]) < 0.5 * aid.loc["2024-05-01", "diff_median"]  # goodwill fades
    assert (b.p5 <= b["median"]).all() and (b["median"] <= b.p95).all()
    assert (b.p95 - b.p5).max() > 0


def test_reactions_count_how_often_each_agent_reaction_happened(comparison: CompareResult) -> None:
    r = comparison.reactions
    cool = r[
        (r.scenario == "seoul_havana_recognition") & (r.source == "PRK") & (r.rule == "cool") & (r.target == "CUB")
    ]
    events = comparison.runs["seoul_havana_recognition"].events
    hits = events[(events.source == "PRK") & (events.rule == "cool") & (events.target == "CUB")]
    assert len(cool) == 1 and cool.share.iloc[0] == pytest.approx(hits.replicate.nunique() / 6)
    assert cool.share.iloc[0] > 0.5
    assert r.share.between(0, 1).all()


def test_blocs_give_each_scenarios_end_partitions(comparison: CompareResult) -> None:
    blocs = comparison.blocs
    assert set(blocs.scenario) == set(NAMES)
    for name in NAMES:
        mine = blocs[blocs.scenario == name]
        assert mine.runs.sum() == 6 and mine.share.sum() == pytest.approx(1.0)
        assert all(" vs " in p or ":" in p for p in mine.blocs)


def test_runs_are_aligned_by_date_when_scenarios_start_apart(three: list[Scenario]) -> None:
    article = load_scenario(SCENARIOS / "article_timeline_2024.yaml")  # 2023-07 to 2026-07
    cmp = compare_scenarios([three[0], article], replicates=3, workers=1)
    assert set(cmp.outcomes[cmp.outcomes.when == "end"].date) == {"2026-07-01"}  # the last shared month
    art = cmp.bands[cmp.bands.scenario == "article_timeline_2024"]
    assert art.date.min() == "2023-07-01"
    assert art[art.date < "2024-01-01"].diff_mean.isna().all()  # no reference before the baseline starts
    assert art[art.date >= "2024-01-01"].diff_mean.notna().all()


def test_bad_requests_are_input_errors(three: list[Scenario]) -> None:
    with pytest.raises(InputError):
        compare_scenarios([three[0]], replicates=2)
    with pytest.raises(InputError) as err:
        compare_scenarios(three[:2], replicates=2, workers=1, at=["2031-01"])
    assert err.value.field == "--at"
    with pytest.raises(InputError):
        compare_scenarios(three[:2], replicates=2, workers=1, at=["soon"])


def test_markdown_tables_have_one_cell_per_column(comparison: CompareResult) -> None:
    for text in (
        outcomes_markdown(comparison.outcomes, comparison.names),
        reactions_markdown(comparison.reactions, comparison.names),
        comparison.to_markdown(),
    ):
        table: list[str] = []
        for line in [*text.splitlines(), ""]:
            if line.startswith("|"):
                table.append(line)
            elif table:
                assert len({row.count("|") for row in table}) == 1, table
                table = []


def test_cli_compare_writes_the_comparison_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cmp"
    files = [str(SCENARIOS / f"{n}.yaml") for n in NAMES]
    assert (
        main(
            ["compare", *files, "--replicates", "4", "--workers", "1", "--quiet", "--at", "2024-06", "--out", str(out)]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "4 replicates each" in printed and "KOR -> MNG" in printed
    for name in (
        "README.md",
        "manifest.json",
        "outcomes.csv",
        "outcomes.md",
        "reactions.csv",
        "reactions.md",
        "blocs.csv",
        "blocs.md",
        "bands.csv",
    ):
        assert (out / name).is_file(), name
    pairs = list(dict.fromkeys(p for n in NAMES for p in load_scenario(SCENARIOS / f"{n}.yaml").track))
    charts = {p.name for p in (out / "charts").iterdir()}
    assert {f"pair_{p}.png" for p in pairs} <= charts and "differences_end.png" in charts
    for name in NAMES:
        assert (out / "runs" / name / "relations.csv").is_file()
        assert (out / "scenarios" / f"{name}.resolved.yaml").is_file()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["kind"] == "comparison" and manifest["replicates"] == 4 and manifest["scenarios_order"] == NAMES
    outcomes = pd.read_csv(out / "outcomes.csv")
    assert {"mean", "p5", "p95", "p_sign_change", "diff_mean", "diff_p5", "diff_p95"} <= set(outcomes.columns)
    assert "dzud_aid − baseline_2024" in (out / "outcomes.md").read_text()
    again = load(out)
    assert isinstance(again, CompareResult) and again.names == NAMES
    pd.testing.assert_frame_equal(
        again.outcomes,
        pd.read_parquet(out / "outcomes.parquet") if (out / "outcomes.parquet").exists() else again.outcomes,
    )
    assert len(again.relations) == 3 * 4 * 37 * 56
    # mistakes: one scenario; an existing folder
    assert main(["compare", files[0], "--out", str(tmp_path / "one")]) == 2
    assert main(["compare", *files[:2], "--replicates", "2", "--workers", "1", "--quiet", "--out", str(out)]) == 2
    assert "not empty" in capsys.readouterr().err
    assert not (tmp_path / "one").exists()


def test_a_scenario_name_cannot_lead_compare_outside_its_folder(tmp_path: Path) -> None:
    """`name: ../../x` or an absolute path names files inside the comparison folder, never outside it."""
    base = (SCENARIOS / "baseline_2024.yaml").read_text(encoding="utf-8")
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    files = []
    for i, name in enumerate(["../../escape", str(tmp_path / "absolute")]):
        path = work / f"s{i}.yaml"
        path.write_text(base.replace("name: baseline_2024", f"name: '{name}'", 1), encoding="utf-8")
        assert load_scenario(path).name == name
        files.append(str(path))
    out = work / "cmp"
    assert (
        main(["compare", *files, "--replicates", "2", "--workers", "1", "--quiet", "--no-charts", "--out", str(out)])
        == 0
    )
    written = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")}
    assert all(p.startswith("a/b") or p == "a" for p in written), sorted(written)
    assert (out / "scenarios" / "escape.resolved.yaml").is_file()
    assert [p.name.endswith("absolute") for p in sorted((out / "runs").iterdir())] == [
        False,
        True,
    ]  # escape, tmp_..._absolute


def test_repeated_names_never_lose_a_run_and_folders_never_collide_by_case() -> None:
    """unique_names never hands out a number another scenario already holds (a run would be dropped),
    and two names that differ only in case get two folders (one folder on macOS and Windows)."""
    assert unique_names(["a", "a", "a-2"]) == ["a", "a-3", "a-2"]
    assert len(set(unique_names(["b", "b", "b", "b-2"]))) == 4
    folders = run_folders(["A", "a", "../x"])
    assert len({f.casefold() for f in folders.values()}) == 3 and folders["../x"] == "x"
