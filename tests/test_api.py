"""The Python API notebooks use: alignsim.load_scenario / run / load / compare, and the examples in
the docstrings (run here as doctests, from the repository root where ``scenarios/`` is)."""

from __future__ import annotations

import doctest
import importlib
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.figure import Figure

import alignsim
from alignsim.errors import InputError
from alignsim.experiments.comparison import CompareResult
from alignsim.results.run import RunResult

ROOT = Path(__file__).resolve().parent.parent
DOCTEST_MODULES = ["alignsim.api", "alignsim.experiments.replicates", "alignsim.results.run"]


@pytest.mark.parametrize("name", DOCTEST_MODULES)
def test_docstring_examples_run(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, report=True)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_the_package_exports_the_four_functions_and_imports_lightly() -> None:
    assert {"load_scenario", "run", "load", "compare"} <= set(alignsim.__all__) and {"run", "compare"} <= set(
        dir(alignsim)
    )
    for name in ("load_scenario", "run", "load", "compare"):
        assert callable(getattr(alignsim, name)) and getattr(alignsim, name).__doc__
    with pytest.raises(AttributeError):
        alignsim.nothing_here  # noqa: B018
    code = "import alignsim, sys; print(sorted(m for m in ('pandas', 'mesa', 'matplotlib') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"  # `import alignsim` (and so the CLI) does not pay for the scientific stack


def test_run_accepts_a_path_or_a_scenario_and_overrides_parameters(tmp_path: Path) -> None:
    path = ROOT / "scenarios" / "baseline_2024.yaml"
    scenario = alignsim.load_scenario(path)
    by_path, by_object = alignsim.run(path), alignsim.run(scenario)
    pd.testing.assert_frame_equal(by_path.relations, by_object.relations)
    faster = alignsim.run(scenario, beta=0.3, noise=0.0)
    assert faster.scenario.params.beta == 0.3 and faster.scenario.params.noise == 0.0
    assert scenario.params.beta == 0.1  # the original is untouched (scenarios are frozen)
    with pytest.raises(InputError) as err:
        alignsim.run(scenario, beta=5)
    assert "beta" in (err.value.field or "")
    with pytest.raises(InputError) as err:
        alignsim.run(scenario, betta=0.2)
    assert "betta" in (err.value.field or "")
    with pytest.raises(InputError):
        alignsim.run(tmp_path / "missing.yaml")
    with pytest.raises(TypeError):
        alignsim.run(42)  # type: ignore[arg-type]


def test_results_load_back_as_the_same_object_with_plots_that_take_an_ax(tmp_path: Path) -> None:
    result = alignsim.run(ROOT / "scenarios" / "dzud_aid.yaml", replicates=3, workers=1, progress=False)
    again = alignsim.load(result.save(tmp_path / "run", charts=False))
    assert isinstance(again, RunResult) and again.replicates == 3
    for name in ("relations", "events", "metrics"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(result, name), check_dtype=False)
    fig = Figure()
    ax = fig.add_subplot()
    for plot in (again.plot_pairs, again.plot_network, again.plot_blocs, again.plot_drift):
        assert plot(ax=ax) is fig
        ax.clear()
    assert isinstance(again.plot_matrices(), Figure)
    single = again.replicate(2)
    assert single.replicates == 1 and isinstance(single.plot_pairs(), Figure)
    freq = again.reaction_frequencies()
    assert list(freq.columns) == ["source", "rule", "target", "forms", "share", "mean_count"]


def test_compare_accepts_paths_and_a_list_and_loads_back(tmp_path: Path) -> None:
    files = [ROOT / "scenarios" / "baseline_2024.yaml", ROOT / "scenarios" / "seoul_havana_recognition.yaml"]
    cmp = alignsim.compare(files, replicates=3, workers=1, progress=False)
    assert isinstance(cmp, CompareResult) and cmp.names == ["baseline_2024", "seoul_havana_recognition"]
    assert cmp.relations.columns[:2].tolist() == ["scenario", "replicate"]
    assert cmp.difference("KOR", "CUB", "seoul_havana_recognition").shape == (37, 3)
    fig = Figure()
    ax = fig.add_subplot()
    assert cmp.plot_pair("KOR-CUB", ax=ax, difference=True) is fig
    assert isinstance(cmp.plot_differences(), Figure) and isinstance(cmp.plot_reactions(), Figure)
    again = alignsim.load(cmp.save(tmp_path / "cmp"))
    assert isinstance(again, CompareResult)
    pd.testing.assert_frame_equal(again.outcomes, cmp.outcomes, check_dtype=False)
    pd.testing.assert_frame_equal(again.reactions, cmp.reactions, check_dtype=False)
    assert isinstance(again.plot_pair("KOR-CUB"), Figure)
