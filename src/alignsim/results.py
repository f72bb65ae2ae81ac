"""A run's results: tidy tables, the manifest, saving a run folder whole or not at all, loading it back."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import matplotlib
import mesa
import numpy as np
import pandas as pd
import yaml

import alignsim
from alignsim.errors import InputError
from alignsim.scenario import Scenario

FLOAT_FORMAT = "%.10g"
TABLES = ("relations", "events", "metrics")


@dataclass
class RunResult:
    """What a run produced: ``relations`` (step, date, source, target, weight, baseline),
    ``events`` (step, date, type, source, target, origin, rule, cause, impulse, detail) and
    ``metrics`` (one row per step) as pandas DataFrames, with the scenario and the manifest."""

    scenario: Scenario
    relations: pd.DataFrame
    events: pd.DataFrame
    metrics: pd.DataFrame
    manifest: dict[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------------ convenience views
    def relation(self, source: str, target: str) -> pd.Series:
        """W[source, target] over time, indexed by date."""
        r = self.relations
        rows = r[(r.source == source) & (r.target == target)]
        return rows.set_index("date")["weight"]

    def agent_events(self) -> pd.DataFrame:
        return self.events[self.events.origin == "agent"]

    # ------------------------------------------------------------------ charts (see alignsim.charts)
    def plot_pairs(self, pairs: list[str] | None = None, ax: Any = None) -> Any:
        from alignsim import charts

        return charts.plot_pairs(charts.pairs_data(self, pairs), ax=ax)

    def plot_matrices(self) -> Any:
        from alignsim import charts

        return charts.plot_matrices(charts.matrices_data(self))

    def plot_network(self, ax: Any = None) -> Any:
        from alignsim import charts

        return charts.plot_network(charts.network_data(self), ax=ax)

    def plot_blocs(self, ax: Any = None) -> Any:
        from alignsim import charts

        return charts.plot_blocs(charts.blocs_data(self), ax=ax)

    def plot_drift(self, ax: Any = None) -> Any:
        from alignsim import charts

        return charts.plot_drift(charts.drift_data(self), ax=ax)

    # ------------------------------------------------------------------ saving
    def save(self, out: str | Path, *, charts: bool = True, overwrite: bool = False) -> Path:
        """Write the run folder: written into a temporary sibling, then renamed into place, so the
        folder appears whole or not at all. An existing non-empty folder is kept unless ``overwrite``."""
        out = Path(out)
        if out.exists() and any(out.iterdir()) and not overwrite:
            raise InputError("the output folder exists and is not empty; choose another --out or pass --overwrite", path=out)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        try:
            tmp.mkdir()
            self._write(tmp, charts=charts)
            if out.exists():
                trash = out.parent / f".{out.name}.old-{os.getpid()}"
                out.rename(trash)
                tmp.rename(out)
                shutil.rmtree(trash)
            else:
                tmp.rename(out)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return out

    def _write(self, folder: Path, *, charts: bool) -> None:
        resolved = yaml.safe_dump(self.scenario.resolved(), sort_keys=False, allow_unicode=True)
        (folder / "scenario.resolved.yaml").write_text(resolved, encoding="utf-8")
        for name in TABLES:
            getattr(self, name).to_csv(folder / f"{name}.csv", index=False, float_format=FLOAT_FORMAT, lineterminator="\n")
        if charts:
            from alignsim.charts import save_charts

            save_charts(self, folder / "charts")
        manifest = {**self.manifest, "files": sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())}
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def make_manifest(scenario: Scenario, seed: int, source_text: str | None = None) -> dict[str, Any]:
    """Versions, seed and the scenario's sha256 (of its file when given, else of the resolved form)."""
    text = source_text if source_text is not None else yaml.safe_dump(scenario.resolved(), sort_keys=True)
    return {
        "alignsim": alignsim.__version__,
        "mesa": mesa.__version__,
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "matplotlib": matplotlib.__version__,
        "python": platform.python_version(),
        "scenario": scenario.name,
        "scenario_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "seed": seed,
        "steps": scenario.steps,
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }


def load(folder: str | Path) -> RunResult:
    """Read a saved run folder back into a :class:`RunResult`."""
    folder = Path(folder)
    if not (folder / "manifest.json").is_file():
        raise InputError("not a run folder (no manifest.json)", path=folder)
    scenario = Scenario.model_validate(yaml.safe_load((folder / "scenario.resolved.yaml").read_text(encoding="utf-8")))
    tables = {name: pd.read_csv(folder / f"{name}.csv", keep_default_na=False, na_values=[]) for name in TABLES}
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return RunResult(scenario, manifest=manifest, **tables)
