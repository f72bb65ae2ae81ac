"""A run's results: tidy tables, the manifest, saving a run folder whole or not at all, loading it back.

One class serves a single run and an ensemble. Every table has a ``replicate`` column (0 for a
single run). An ensemble keeps its relations as arrays (:class:`RelationCube`, one float per
replicate, step and pair: 33 MB for 1,000 replicates of the article timeline) and builds the long
table only when asked, so the parent process of a large ensemble never holds millions of rows it
does not need; saving streams the table to disk in chunks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from alignsim.config.scenario import Scenario
from alignsim.config.yaml_reader import read_yaml_file
from alignsim.errors import InputError
from alignsim.model.cube import RelationCube
from alignsim.results import chart_data
from alignsim.results.folders import (
    has_pyarrow,
    write_csv,
    write_folder,
    write_parquet_chunks,
    write_relations_csv,
    write_relations_parquet,
)
from alignsim.results.integrity import read_manifest, write_manifest
from alignsim.results.scaling import csv_by_default, resolved_yaml
from alignsim.viz import charts as viz
from alignsim.viz import report_html

TABLES = ("relations", "events", "metrics")


# ---------------------------------------------------------------------------------------------
class RunResult:
    """What a run or an ensemble produced, as pandas DataFrames:

    - ``relations``: replicate, step, date, source, target, weight, baseline -- one row per
      replicate, step and directed pair (W and the interest baseline X0);
    - ``events``: replicate, step, date, type, source, target, origin, rule, depth (0 scripted, at most 2), cause, impulse, detail;
    - ``metrics``: replicate, step, date and one column per measure (one row per replicate and step);

    with the ``scenario`` (its ``replicates`` says how many) and the ``manifest``. ``relations`` may
    also be given as a :class:`RelationCube`; the long table is then built on first use.

    >>> from alignsim.config.scenario import parse_scenario
    >>> from alignsim.experiments.simulate import run_scenario
    >>> result = run_scenario(parse_scenario("world: korea_2024\\nsteps: 6\\nreplicates: 3"), workers=1)
    >>> result.replicates, list(result.relations.columns[:3])
    (3, ['replicate', 'step', 'date'])
    >>> result.band("PRK", "KOR").columns.tolist()
    ['mean', 'p5', 'median', 'p95']
    """

    def __init__(
        self,
        scenario: Scenario,
        relations: pd.DataFrame | RelationCube,
        events: pd.DataFrame,
        metrics: pd.DataFrame,
        manifest: dict[str, Any] | None = None,
    ) -> None:
        self.scenario = scenario
        self._frame: pd.DataFrame | None = relations if isinstance(relations, pd.DataFrame) else None
        self._cube: RelationCube | None = relations if isinstance(relations, RelationCube) else None
        self.events = events
        self.metrics = metrics
        self.manifest: dict[str, Any] = dict(manifest or {})

    def __repr__(self) -> str:
        return (
            f"<RunResult {self.scenario.name}: {self.replicates} replicate(s) of {self.scenario.steps} steps, seed "
            f"{self.manifest.get('seed', self.scenario.seed)}>"
        )

    # ------------------------------------------------------------------ tables
    @property
    def relations(self) -> pd.DataFrame:
        """The long relations table (built from the arrays on first use, then kept)."""
        if self._frame is None:
            assert self._cube is not None
            self._frame = self._cube.frame()
        return self._frame

    @relations.setter
    def relations(self, frame: pd.DataFrame) -> None:
        self._frame, self._cube = frame, None

    @property
    def relation_cube(self) -> RelationCube:
        """The relations as arrays replicate x step x pair (see :class:`RelationCube`)."""
        if self._cube is None:
            assert self._frame is not None
            self._cube = RelationCube.from_frame(self._frame)
        return self._cube

    @property
    def replicates(self) -> int:
        """Number of replicates (1 for a single run)."""
        if self._cube is not None:
            return self._cube.replicates
        frame = self.relations
        return int(frame["replicate"].nunique()) if "replicate" in frame.columns and len(frame) else 1

    @property
    def is_ensemble(self) -> bool:
        return self.replicates > 1

    def replicate(self, k: int) -> RunResult:
        """Replicate ``k`` alone, as a single-run result (its charts are the single-run charts)."""
        if not 0 <= k < self.replicates:
            raise IndexError(f"replicate {k} does not exist; this result has replicates 0..{self.replicates - 1}")
        if self.replicates == 1:
            return self
        cube = self.relation_cube
        sub = RelationCube(
            cube.steps,
            cube.dates,
            cube.sources,
            cube.targets,
            {c: v[k : k + 1] for c, v in cube.values.items()},
            cube.columns,
        )
        manifest = {**self.manifest, "replicate": k}
        return RunResult(
            self.scenario.model_copy(update={"replicates": 1}),
            _relabel(sub.frame(), k),
            _rows_of(self.events, k),
            _rows_of(self.metrics, k),
            manifest,
        )

    # ------------------------------------------------------------------ convenience views
    def relation(self, source: str, target: str, replicate: int | None = None) -> pd.Series | pd.DataFrame:
        """W[source, target] over time, indexed by date: a Series for a single run (or the given
        ``replicate``), else a DataFrame with one column per replicate."""
        cube = self.relation_cube
        index = pd.Index(cube.dates, name="date")
        values = cube.series(source, target)
        if replicate is not None or self.replicates == 1:
            return pd.Series(values[replicate or 0], index=index, name="weight")
        return pd.DataFrame(values.T, index=index, columns=pd.RangeIndex(self.replicates, name="replicate"))

    def band(
        self, source: str, target: str, low: float = 0.05, high: float = 0.95, column: str = "weight"
    ) -> pd.DataFrame:
        """Mean, ``low`` and ``high`` quantiles and median of W[source, target] across replicates,
        one row per date (columns mean, p5, median, p95 for the default 5-95% band)."""
        values = self.relation_cube.series(source, target, column)
        lo, mid, hi = np.quantile(values, [low, 0.5, high], axis=0)
        return pd.DataFrame(
            {"mean": values.mean(axis=0), f"p{_pct(low)}": lo, "median": mid, f"p{_pct(high)}": hi},
            index=pd.Index(self.relation_cube.dates, name="date"),
        )

    def agent_events(self) -> pd.DataFrame:
        return self.events[self.events.origin == "agent"]

    def reaction_frequencies(self) -> pd.DataFrame:
        """How often each agent reaction happened: source, rule, target, the forms it took, the
        share of replicates in which it happened at least once and the mean count per replicate."""
        return reaction_frequencies(self.events, self.replicates)

    # ------------------------------------------------------------------ charts (see alignsim.viz.charts)
    def plot_pairs(self, pairs: list[str] | None = None, ax: Any = None, *, runs: int = 0) -> Any:
        """Tracked pairs over time; for an ensemble the median with its 5-95% band and, when
        ``runs`` > 0, that many individual replicates."""
        if self.is_ensemble:
            return viz.plot_band(chart_data.band_data(self, pairs, runs=runs), ax=ax)
        return viz.plot_pairs(chart_data.pairs_data(self, pairs), ax=ax)

    def plot_matrices(self) -> Any:
        data = chart_data.ensemble_matrices_data(self) if self.is_ensemble else chart_data.matrices_data(self)
        return viz.plot_matrices(data)

    def plot_network(self, ax: Any = None) -> Any:
        data = chart_data.ensemble_network_data(self) if self.is_ensemble else chart_data.network_data(self)
        return viz.plot_network(data, ax=ax)

    def plot_blocs(self, ax: Any = None) -> Any:
        data = chart_data.ensemble_blocs_data(self) if self.is_ensemble else chart_data.blocs_data(self)
        return viz.plot_blocs(data, ax=ax)

    def plot_drift(self, ax: Any = None) -> Any:
        data = chart_data.ensemble_drift_data(self) if self.is_ensemble else chart_data.drift_data(self)
        return viz.plot_drift(data, ax=ax)

    # ------------------------------------------------------------------ saving
    def save(
        self,
        out: str | Path,
        *,
        charts: bool = True,
        overwrite: bool = False,
        parquet: bool | None = None,
        show_runs: int = 0,
        csv: bool | None = None,
    ) -> Path:
        """Write the run folder: written into a temporary sibling, then renamed into place, so the
        folder appears whole or not at all. An existing non-empty folder is kept unless ``overwrite``.

        Tables are always written as CSV. ``parquet`` adds Parquet copies (needs pyarrow, the
        ``parquet`` extra); by default they are written for ensembles when pyarrow is installed,
        and a single run's folder stays as it was. ``show_runs`` draws that many individual
        replicates on the ensemble's tracked-pairs chart.

        A large world's relations (more than :data:`~alignsim.results.scaling.CSV_ROWS_PER_REPLICATE`
        rows per replicate) are written as Parquet only, with the other tables in both forms;
        ``csv=True`` writes relations.csv too, ``parquet=False`` (or no pyarrow) keeps CSV."""
        csv, parquet = self._table_formats(csv, parquet)
        return write_folder(
            out,
            lambda folder: self._write(folder, charts=charts, parquet=parquet, show_runs=show_runs, csv=csv),
            overwrite=overwrite,
        )

    def _table_formats(self, csv: bool | None, parquet: bool | None) -> tuple[bool, bool]:
        """(relations as CSV, tables as Parquet): Parquet first for a large world, CSV when asked."""
        if csv is False and parquet is False:
            raise InputError("without CSV and without Parquet no relations table would be written", field="csv")
        large = not csv_by_default(self._rows_per_replicate())
        if csv is None:
            csv = not (large and has_pyarrow() and parquet is not False)
        return csv, self._wants_parquet(True if not csv else parquet)

    def _rows_per_replicate(self) -> int:
        if self._cube is not None:
            return len(self._cube.steps) * len(self._cube.sources)
        return len(self.relations) // max(1, self.replicates)

    def _wants_parquet(self, parquet: bool | None) -> bool:
        if parquet is None:
            return self.is_ensemble and has_pyarrow()
        if parquet and not has_pyarrow():
            raise InputError("Parquet output needs pyarrow: pip install 'alignsim[parquet]'", field="parquet")
        return parquet

    def _write(self, folder: Path, *, charts: bool, parquet: bool, show_runs: int = 0, csv: bool = True) -> None:
        resolved = self.scenario.resolved()
        if resolved.get("replicates") == 1:
            del resolved["replicates"]  # the default; a single run's folder stays as it always was
        (folder / "scenario.resolved.yaml").write_text(resolved_yaml(resolved), encoding="utf-8")
        if not csv:
            pass  # a large world: relations.parquet only (see _table_formats)
        elif self._frame is not None or self._cube is None:
            write_csv(self.relations, folder / "relations.csv")
        else:
            write_relations_csv(self._cube, folder / "relations.csv")
        write_csv(self.events, folder / "events.csv")
        write_csv(self.metrics, folder / "metrics.csv")
        if parquet:
            self._write_parquet(folder)
        if charts:
            chart_data.save_charts(self, folder / "charts", show_runs=show_runs)
            report_html.write_report(chart_data.run_report(self), folder)  # the interactive twin of the charts
        manifest = {
            **self.manifest,
            "files": sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()),
        }
        write_manifest(folder, manifest)

    def _write_parquet(self, folder: Path) -> None:
        if self._frame is None and self._cube is not None:
            write_relations_parquet(self._cube, folder / "relations.parquet")
        else:
            write_parquet_chunks(iter([self.relations]), folder / "relations.parquet")
        write_parquet_chunks(iter([self.events]), folder / "events.parquet")
        write_parquet_chunks(iter([self.metrics]), folder / "metrics.parquet")


def _pct(q: float) -> str:
    return f"{q * 100:g}"


def _relabel(frame: pd.DataFrame, k: int) -> pd.DataFrame:
    frame["replicate"] = k
    return frame


def _rows_of(frame: pd.DataFrame, k: int) -> pd.DataFrame:
    return frame[frame["replicate"] == k].reset_index(drop=True)


def reaction_frequencies(events: pd.DataFrame, replicates: int) -> pd.DataFrame:
    """Agent reactions grouped by (source, rule, target): ``forms`` (event types seen), ``share``
    (of replicates in which it happened at least once) and ``mean_count`` (per replicate)."""
    columns = ["source", "rule", "target", "forms", "share", "mean_count"]
    agent = events[events.origin == "agent"]
    if agent.empty:
        return pd.DataFrame(columns=columns)
    reps = agent["replicate"] if "replicate" in agent.columns else pd.Series(0, index=agent.index)
    grouped = agent.assign(replicate=reps).groupby(["source", "rule", "target"], sort=False)
    out = pd.DataFrame(
        {
            "forms": grouped["type"].agg(lambda s: ", ".join(sorted(set(s)))),
            "share": grouped["replicate"].nunique() / replicates,
            "mean_count": grouped.size() / replicates,
        }
    ).reset_index()
    return out.sort_values(
        ["share", "mean_count", "source", "target"], ascending=[False, False, True, True], kind="stable"
    ).reset_index(drop=True)[columns]


# ---------------------------------------------------------------------------------------------
# writing folders and tables


# ---------------------------------------------------------------------------------------------


def load_run(folder: Path) -> RunResult:
    manifest = read_manifest(folder)
    data = read_yaml_file(folder / "scenario.resolved.yaml", "resolved scenario")  # with the input limits
    scenario = Scenario.model_validate(data)
    tables = {name: read_table(folder, name) for name in TABLES}
    for frame in tables.values():
        if "replicate" not in frame.columns:  # folders written before ensembles existed
            frame.insert(0, "replicate", np.zeros(len(frame), dtype=np.int64))
    return RunResult(scenario, manifest=manifest, **tables)


def read_table(folder: Path, name: str) -> pd.DataFrame:
    """``name``.parquet when present and readable, else ``name``.csv."""
    if (folder / f"{name}.parquet").is_file() and has_pyarrow():
        return pd.read_parquet(folder / f"{name}.parquet")
    if not (folder / f"{name}.csv").is_file() and (folder / f"{name}.parquet").is_file():
        raise InputError(
            f"this folder holds {name} as Parquet only (a large world); reading it needs pyarrow: pip install 'alignsim[parquet]'",
            path=folder / f"{name}.parquet",
        )
    return pd.read_csv(folder / f"{name}.csv", keep_default_na=False, na_values=[])
