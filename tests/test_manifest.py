"""A run's manifest fingerprints the scenario that ran, cheaply: the file's own sha256 when the run
came from a file (what ``sha256sum`` prints), else the sha256 of the resolved scenario as canonical
JSON; and a single run's relations are kept as arrays until the long table is asked for."""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import version
from pathlib import Path

import pandas as pd
import pytest
from conftest import FLAGSHIP

import alignsim
from alignsim.errors import InputError
from alignsim.results import manifest
from alignsim.results.folders import write_csv


def test_a_run_from_a_file_records_the_files_sha256() -> None:
    result = alignsim.run(FLAGSHIP, progress=False)
    assert result.manifest["scenario_sha256"] == hashlib.sha256(FLAGSHIP.read_bytes()).hexdigest()


def test_a_run_from_a_scenario_records_the_sha256_of_its_resolved_form() -> None:
    scenario = alignsim.load_scenario(FLAGSHIP)
    canonical = json.dumps(scenario.resolved(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    first = alignsim.run(scenario, progress=False).manifest["scenario_sha256"]
    assert first == hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    assert (
        alignsim.run(alignsim.load_scenario(FLAGSHIP), progress=False).manifest["scenario_sha256"] == first
    )  # same data, same hash
    changed = alignsim.run(FLAGSHIP, progress=False, beta=0.2).manifest["scenario_sha256"]
    assert changed != first  # overridden parameters: the hash describes what ran


def test_a_bad_seed_through_the_api_is_an_input_error() -> None:
    with pytest.raises(InputError, match="seed"):
        alignsim.run(FLAGSHIP, seed=-1, progress=False)


def test_another_seed_keeps_the_scenario_and_records_the_seed(tmp_path: Path) -> None:
    result = alignsim.run(FLAGSHIP, seed=11, progress=False)
    assert result.scenario.seed == 11 and result.manifest["seed"] == 11
    again = alignsim.load(result.save(tmp_path / "run", charts=False))
    assert again.scenario == result.scenario


def test_a_single_runs_relations_table_is_the_one_its_folder_holds(tmp_path: Path) -> None:
    result = alignsim.run(FLAGSHIP, progress=False)
    folder = result.save(tmp_path / "run", charts=False)
    table = result.relations
    assert table.columns.tolist() == ["replicate", "step", "date", "source", "target", "weight", "baseline"]
    assert (table.replicate == 0).all() and len(table) == 37 * 8 * 7
    write_csv(table, tmp_path / "from_table.csv")
    assert (tmp_path / "from_table.csv").read_bytes() == (folder / "relations.csv").read_bytes()
    pd.testing.assert_frame_equal(alignsim.load(folder).relations, table, check_exact=False, rtol=1e-9)


def test_versions_are_looked_up_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The package versions a manifest records come from one look-up per process (each
    importlib.metadata look-up scans the installed distributions)."""
    manifest.versions.cache_clear()
    calls: list[str] = []

    def counted(name: str) -> str:
        calls.append(name)
        return version(name)

    monkeypatch.setattr(manifest, "version", counted)
    scenario = alignsim.load_scenario(FLAGSHIP)
    first = manifest.make_manifest(scenario, 1)
    second = manifest.make_manifest(scenario, 2)
    assert sorted(calls) == sorted(manifest.VERSIONED)  # once each, not once per manifest
    assert {k: first[k] for k in (*manifest.VERSIONED, "python")} == {
        k: second[k] for k in (*manifest.VERSIONED, "python")
    }
    assert first["numpy"] == version("numpy")
