"""One seed gives byte-identical output: the same run folder twice (manifest ``created`` aside),
charts included; the seed override, seed 0 included, is honoured and recorded."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml
from conftest import FLAGSHIP, alignsim_cli, alignsim_cli_many

from alignsim.config.scenario import load_scenario
from alignsim.experiments.simulate import run_scenario


@pytest.fixture(scope="module")
def short_flagship(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The flagship cut to 14 months: its shocks and the agents' first reactions, quickly."""
    data = yaml.safe_load(FLAGSHIP.read_text(encoding="utf-8"))
    data["steps"] = 14
    path = tmp_path_factory.mktemp("scenario") / "short_flagship.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def folder_files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_gives_byte_identical_run_folders(short_flagship: Path, tmp_path: Path) -> None:
    runs = alignsim_cli_many([("run", short_flagship, "--out", tmp_path / out) for out in ("a", "b")], cwd=tmp_path)
    assert [r.returncode for r in runs] == [0, 0], [r.stderr for r in runs]
    a, b = folder_files(tmp_path / "a"), folder_files(tmp_path / "b")
    assert sorted(a) == sorted(b)
    assert {"manifest.json", "scenario.resolved.yaml", "relations.csv", "events.csv", "metrics.csv"} <= set(a)
    charts = [name for name in a if name.startswith("charts/") and name.endswith(".png")]
    assert charts, "no charts were written"
    for name in a:
        if name == "manifest.json":
            continue
        assert a[name] == b[name], f"{name} differs between two runs with one seed"
    ma, mb = json.loads(a["manifest.json"]), json.loads(b["manifest.json"])
    assert "created" in ma
    ma.pop("created"), mb.pop("created")
    assert ma == mb
    events = a["events.csv"].decode()
    assert ",agent," in events  # the agents acted, so their choices were reproduced too


def test_same_seed_same_tables_in_process() -> None:
    s = load_scenario(FLAGSHIP)
    one, two = run_scenario(s), run_scenario(s)
    for name in ("relations", "events", "metrics"):
        assert getattr(one, name).equals(getattr(two, name)), name


def test_another_seed_gives_another_run_and_is_recorded() -> None:
    s = load_scenario(FLAGSHIP)
    base, other = run_scenario(s), run_scenario(s, seed=s.seed + 1)
    assert not np.array_equal(base.relations.weight.to_numpy(), other.relations.weight.to_numpy())
    assert other.manifest["seed"] == s.seed + 1
    assert other.scenario.seed == s.seed + 1  # the saved scenario reruns this replicate


def test_seed_zero_is_a_seed_like_any_other() -> None:
    s = load_scenario(FLAGSHIP)
    assert s.seed != 0
    zero = run_scenario(s, seed=0)
    assert zero.manifest["seed"] == 0 and zero.scenario.seed == 0
    assert zero.relations.equals(run_scenario(s.with_overrides(seed=0)).relations)
    assert not zero.relations.equals(run_scenario(s).relations)


def test_cli_seed_override_is_used_and_recorded(short_flagship: Path, tmp_path: Path) -> None:
    alignsim_cli(
        "run", short_flagship, "--out", tmp_path / "zero", "--seed", "0", "--no-charts", cwd=tmp_path, check=True
    )
    manifest = json.loads((tmp_path / "zero" / "manifest.json").read_text())
    resolved = yaml.safe_load((tmp_path / "zero" / "scenario.resolved.yaml").read_text())
    assert manifest["seed"] == 0 and resolved["seed"] == 0
    expected = run_scenario(load_scenario(short_flagship), seed=0)
    assert (tmp_path / "zero" / "relations.csv").read_text().splitlines()[1:4] == expected.relations.head(3).to_csv(
        index=False, header=False, float_format="%.10g", lineterminator="\n"
    ).splitlines()
