"""Large ensembles streamed to disk in Parquet parts, and read back lazily.

An ensemble held in memory costs about 33 MB of relations per 1,000 replicates of the article
timeline, plus its long tables when they are built and written as CSV (a 10,000-replicate
relations.csv alone is 1.4 GB of text). A *streamed* run never holds more than one part: the parent
gathers ``part_replicates`` replicates as they arrive (in replicate order), writes them as one
Parquet file per table and lets them go::

    run/
      manifest.json              storage: "parquet-parts", replicates, part_replicates, parts
      scenario.resolved.yaml
      relations/part-00000.parquet   replicates 0 .. part_replicates - 1
      relations/part-00001.parquet   ...
      events/part-00000.parquet ...
      metrics/part-00000.parquet ...
      charts/                    the ensemble charts, drawn from the parts
      report.html                the interactive report, from the parts too

When. ``alignsim run`` streams from :data:`STREAM_THRESHOLD` replicates when pyarrow is installed
(``--stream`` / ``--no-stream`` decide explicitly); below that a run folder keeps its CSV tables
(with Parquet copies for ensembles), exactly as before. In Python, :func:`stream_scenario` runs and
writes a streamed folder. The tables are the same, row for row and bit for bit, as those of the
same ensemble held in memory.

Reading. :func:`alignsim.load` of a streamed folder gives a :class:`PartedRunResult`: nothing is
read until asked. ``result.band("PRK", "CUB")`` and the tracked-pairs chart read only that pair's
rows; ``result.iter_parts("relations")`` yields one part at a time; ``result.dataset("relations")``
is a :mod:`pyarrow.dataset` for filtered scans; ``result.relations`` reads the whole table (for a
10,000-replicate run that is 20 million rows: prefer the others). pandas reads the folder of parts
as one table too: ``pd.read_parquet("run/metrics")``.
"""

from __future__ import annotations

import itertools
import json
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from alignsim.config.scenario import Scenario
from alignsim.config.yaml_reader import read_yaml_file
from alignsim.errors import InputError
from alignsim.experiments.progress import Progress
from alignsim.experiments.replicates import map_replicates, replicate_seeds, resolve_workers
from alignsim.experiments.simulate import (
    batch_size,
    gather,
    in_batches,
    recorded_values,
    run_batch,
    scenario_as_run,
)
from alignsim.model.cube import KEY_COLUMNS, RelationCube
from alignsim.results import chart_data
from alignsim.results.folders import has_pyarrow, write_folder
from alignsim.results.integrity import read_manifest, write_manifest
from alignsim.results.manifest import make_manifest
from alignsim.results.run import TABLES, RunResult
from alignsim.results.scaling import is_large_world, resolved_yaml
from alignsim.viz import charts as viz
from alignsim.viz.report_html import write_report

#: ``alignsim run`` streams an ensemble of this many replicates or more (when pyarrow is installed).
STREAM_THRESHOLD = 2000
#: Replicates per Parquet part: ~0.5 million relation rows of the article timeline, ~8 MB in memory.
PART_REPLICATES = 250
#: Most replicates in one task sent to a worker while streaming (what a worker holds and sends back at once).
CHUNK_REPLICATES = 32
STORAGE = "parquet-parts"


def wants_stream(stream: bool | None, replicates: int) -> bool:
    """Whether a run of ``replicates`` streams: ``stream`` when given, else from
    :data:`STREAM_THRESHOLD` replicates if pyarrow is installed."""
    if stream is None:
        return replicates >= STREAM_THRESHOLD and has_pyarrow()
    if stream:
        _require_pyarrow()
    return stream


def stream_scenario(
    scenario: Scenario,
    out: str | Path,
    *,
    seed: int | None = None,
    source_text: str | None = None,
    replicates: int | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool = False,
    charts: bool = True,
    show_runs: int = 0,
    overwrite: bool = False,
    part_replicates: int = PART_REPLICATES,
) -> PartedRunResult:
    """Run ``scenario`` as an ensemble (arguments as :func:`alignsim.experiments.simulate.run_scenario`) and
    write it to the folder ``out`` in Parquet parts as the replicates arrive; return the folder
    loaded lazily. The folder appears whole or not at all (written as a temporary sibling, then
    renamed), and the seeds are those of the in-memory run, so are the numbers.
    """
    _require_pyarrow()
    if part_replicates < 1:
        raise ValueError("part_replicates must be 1 or more")
    run_seed = scenario.seed if seed is None else seed
    n = scenario.replicates if replicates is None else replicates
    if n < 1:
        raise ValueError("replicates must be 1 or more")
    run = scenario_as_run(scenario, seed, n)
    manifest = make_manifest(scenario, run_seed, source_text, replicates=n)

    def write(folder: Path) -> None:
        _write_layout(folder, run.resolved())
        arriving = _run_replicates(scenario, run_seed, n, workers=workers, scheduler=scheduler, progress=progress)
        try:
            parts, ends = _write_parts(arriving, folder, n, part_replicates)
        finally:
            arriving.close()
        info = {**manifest, "storage": STORAGE, "part_replicates": part_replicates, "parts": parts}
        (folder / "manifest.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
        if charts:
            written = load_parts(folder)
            written._ends = ends  # held already: the parts' first and last months need not be read again
            save_streamed_charts(written, folder / "charts", ends=ends, show_runs=show_runs)
            write_report(
                chart_data.run_report(written), folder
            )  # the interactive twin of the charts, as in every run folder
        info["files"] = _listed_files(folder)
        write_manifest(folder, info)

    return load_parts(write_folder(out, write, overwrite=overwrite))


def _require_pyarrow() -> None:
    """Streaming writes Parquet: without pyarrow, an InputError (for ``--stream``) that says how to install it."""
    if not has_pyarrow():
        raise InputError(
            "streaming a run to Parquet parts needs pyarrow: pip install 'alignsim[parquet]'", field="--stream"
        )


def _write_layout(folder: Path, resolved: dict[str, Any]) -> None:
    """The resolved scenario and one empty folder per table, for the parts."""
    (folder / "scenario.resolved.yaml").write_text(resolved_yaml(resolved), encoding="utf-8")
    for table in TABLES:
        (folder / table).mkdir()


def _run_replicates(
    scenario: Scenario, seed: int, n: int, *, workers: int | None, scheduler: str | None, progress: bool
) -> Iterator[Any]:
    """The ``n`` replicates of ``scenario`` as they arrive, in replicate order (a generator: close it)."""
    bar = Progress(f"{scenario.name}: replicates", enabled=progress)
    # small batches, one per task: a worker holds (and sends back) 32 replicates at most
    size = batch_size(n, resolve_workers(workers, n), most=CHUNK_REPLICATES, values=recorded_values(scenario))
    batches = map_replicates(
        partial(run_batch, scenario),
        in_batches(replicate_seeds(seed, n), size),
        workers,
        progress=bar,
        scheduler=scheduler,
        chunksize=1,
        weight=len,
    )
    return _flat(batches)


def _flat(batches: Iterator[list[Any]]) -> Iterator[Any]:
    """The replicates of each batch in turn; closing it closes the batches' stream (and its workers)."""
    try:
        for batch in batches:
            yield from batch
    finally:
        batches.close()


def _listed_files(folder: Path) -> list[str]:
    """The files of ``folder`` as its manifest lists them: sorted relative paths, manifest.json last."""
    return sorted(
        str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and p.name != "manifest.json"
    ) + ["manifest.json"]


def _write_parts(stream: Iterator[Any], folder: Path, n: int, part_replicates: int) -> tuple[int, RelationCube | None]:
    """Gather the replicates arriving from ``stream`` into parts of ``part_replicates`` and write
    each table's part as it is complete; return the number of parts and the cube of every
    replicate's first and last month (what the charts need), held while the parts go to disk."""
    parts = 0
    ends: RelationCube | None = None
    for start in range(0, n, part_replicates):
        size = min(part_replicates, n - start)
        cube, events, metrics = gather(itertools.islice(stream, size), size)
        name = f"part-{parts:05d}.parquet"
        _write_relations_part(cube, start, folder / "relations" / name)
        for table, frame in (("events", events), ("metrics", metrics)):
            frame["replicate"] += start
            frame.to_parquet(folder / table / name, index=False)
        if ends is None:
            ends = _empty_ends(cube, n)
        for c, v in cube.values.items():
            ends.values[c][start : start + size] = v[:, [0, -1]]
        parts += 1
        del cube, events, metrics  # let the part go before the next one is gathered
        _release_arrow_memory()
    return parts, ends


def _empty_ends(cube: RelationCube, n: int) -> RelationCube:
    """A cube for the first and last month of ``n`` replicates, with the steps, pairs and columns of
    ``cube``, its values to be filled part by part."""
    return RelationCube(
        cube.steps[[0, -1]],
        cube.dates[[0, -1]],
        cube.sources,
        cube.targets,
        {c: np.empty((n, 2, v.shape[2])) for c, v in cube.values.items()},
        cube.columns,
    )


def save_streamed_charts(
    result: PartedRunResult, folder: Path, *, ends: RelationCube | None = None, show_runs: int = 0
) -> list[Path]:
    """The five ensemble charts of :func:`alignsim.results.chart_data.save_charts`, drawn without loading the
    whole relations table (see :func:`chart_view`); ``ends`` is the cube of every replicate's first
    and last month when the caller has it (read from the parts otherwise)."""
    small = chart_view(result, ends)
    folder.mkdir(parents=True, exist_ok=True)
    drift = chart_data.ensemble_drift_data(small)
    large = is_large_world(result.scenario)  # the views of chart_data.large_world_figures
    figures = {
        "tracked_pairs.png": lambda: viz.plot_band(
            chart_data.band_data(result, chart_pairs(result, drift), runs=show_runs)
        ),
        "relations_start_end.png": lambda: viz.plot_matrices(
            (chart_data.large_matrices_data if large else chart_data.ensemble_matrices_data)(small)
        ),
        "alignment_network_end.png": lambda: viz.plot_network(
            (chart_data.large_network_data if large else chart_data.ensemble_network_data)(small)
        ),
        "blocs_over_time.png": lambda: viz.plot_blocs(chart_data.ensemble_blocs_data(small)),
        "drift.png": lambda: viz.plot_drift(drift),
    }
    paths = []
    for name, draw in figures.items():
        viz.save_png(draw(), folder / name)
        paths.append(folder / name)
    return paths


def chart_view(result: PartedRunResult, ends: RelationCube | None = None) -> RunResult:
    """What the matrices, network, blocs and drift charts of an ensemble read, small enough for
    any number of replicates: a run result whose relations are the first and last month of every
    replicate (a cube of those two steps; 10,000 replicates of 56 pairs: 18 MB instead of 330 MB)
    and whose metrics are the bloc columns. Those charts use nothing else, so their data equal
    those of the whole ensemble (tests/test_streaming.py checks it). The tracked-pairs chart reads
    its pairs' whole series from the parts itself (:meth:`PartedRunResult.pair_values`)."""
    blocs = pd.read_parquet(
        result.folder / "metrics",
        columns=["replicate", "step", "date", *[c for c in _metric_columns(result) if c.startswith("bloc_")]],
    )
    return RunResult(
        result.scenario,
        relations=ends if ends is not None else result.ends_cube(),
        events=result.events,
        metrics=blocs,
        manifest=result.manifest,
    )


def chart_pairs(result: RunResult, drift: pd.DataFrame) -> list[str]:
    """The pairs of the tracked-pairs chart: the scenario's ``track``, else the six largest drifts
    (as :func:`alignsim.results.chart_data.band_data` picks them)."""
    return list(result.scenario.track) or chart_data.largest_drift_pairs(drift)


def read_ends(result: PartedRunResult) -> RelationCube:
    """The first and last month of every replicate, read from the parts (two steps of each)."""
    import pyarrow.parquet as pq

    cube = result.relation_cube
    first, last = int(cube.steps[0]), int(cube.steps[-1])
    names = [c for c in cube.columns if c not in KEY_COLUMNS]
    values = {c: np.empty((result.replicates, 2, len(cube.sources))) for c in names}
    start = 0
    for path in result.parts("relations"):
        table = pq.read_table(path, columns=["replicate", "step", *names], filters=[("step", "in", [first, last])])
        reps, steps = table.column("replicate").to_numpy(), table.column("step").to_numpy()
        order = np.lexsort((steps, reps))  # stable: pairs keep their order within a step
        r = len(np.unique(reps))
        for c in names:
            values[c][start : start + r] = table.column(c).to_numpy()[order].reshape(r, 2, -1)
        start += r
    return RelationCube(cube.steps[[0, -1]], cube.dates[[0, -1]], cube.sources, cube.targets, values, cube.columns)


def _metric_columns(result: PartedRunResult) -> list[str]:
    import pyarrow.parquet as pq

    return list(pq.read_schema(result.parts("metrics")[0]).names)


def _release_arrow_memory() -> None:
    """Hand the memory pyarrow's allocator keeps for reuse back to the system, so that the parent's
    footprint stays that of one part."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


def _write_relations_part(cube: RelationCube, offset: int, path: Path) -> None:
    """One part of the long relations table, built from the arrays: replicates ``offset`` ...
    ``offset + cube.replicates - 1`` (strings taken from a dictionary, never a Python string column)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    t, p, r = len(cube.steps), len(cube.sources), cube.replicates
    step_index = np.tile(np.repeat(np.arange(t), p), r)
    pair_index = np.tile(np.arange(p), r * t)
    labels = {
        name: pa.array(np.asarray(a, dtype=object).tolist(), type=pa.string())
        for name, a in (("date", cube.dates), ("source", cube.sources), ("target", cube.targets))
    }
    columns: dict[str, Any] = {"replicate": pa.array(np.repeat(np.arange(offset, offset + r, dtype=np.int64), t * p))}
    for column in cube.columns:
        if column == "step":
            columns[column] = pa.array(cube.steps[step_index].astype(np.int64))
        elif column == "date":
            columns[column] = labels["date"].take(pa.array(step_index))
        elif column in ("source", "target"):
            columns[column] = labels[column].take(pa.array(pair_index))
        else:
            columns[column] = pa.array(np.ascontiguousarray(cube.values[column]).reshape(-1))
    pq.write_table(pa.table(columns), path)


# ---------------------------------------------------------------------------------------------
def is_parted(folder: str | Path) -> bool:
    """True for a run folder written in parts (:func:`stream_scenario`)."""
    path = Path(folder) / "manifest.json"
    return path.is_file() and json.loads(path.read_text(encoding="utf-8")).get("storage") == STORAGE


def load_parts(folder: str | Path) -> PartedRunResult:
    """A streamed run folder, read lazily (see the module docstring)."""
    folder = Path(folder)
    if not has_pyarrow():
        raise InputError(
            "this run folder holds Parquet parts; reading them needs pyarrow: pip install 'alignsim[parquet]'",
            path=folder,
        )
    manifest = read_manifest(folder)
    data = read_yaml_file(folder / "scenario.resolved.yaml", "resolved scenario")  # with the input limits
    _check_parts(folder, manifest)
    return PartedRunResult(folder, Scenario.model_validate(data), manifest)


def _check_parts(folder: Path, manifest: dict[str, Any]) -> None:
    """The manifest's replicates, part size and part count agree, and every part it claims is there."""
    counts = [manifest.get(k) for k in ("replicates", "part_replicates", "parts")]
    if not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in counts):
        raise InputError(
            "damaged: 'replicates', 'part_replicates' and 'parts' must be positive whole numbers",
            path=folder / "manifest.json",
        )
    replicates, size, parts = counts
    if parts != -(-replicates // size):
        raise InputError(
            f"damaged: {replicates} replicates in parts of {size} make {-(-replicates // size)} parts, not {parts}",
            path=folder / "manifest.json",
        )
    for table in TABLES:
        for k in range(parts):
            if not (folder / table / f"part-{k:05d}.parquet").is_file():
                raise InputError(
                    "missing: the manifest claims this part but it is not in the folder",
                    path=folder / table / f"part-{k:05d}.parquet",
                )


class PartedRunResult(RunResult):
    """A :class:`~alignsim.results.run.RunResult` whose tables stay on disk, in Parquet parts, until
    asked for. Every method of a run result works; those that need only a pair, a replicate or a
    column read only that."""

    def __init__(self, folder: Path, scenario: Scenario, manifest: dict[str, Any]) -> None:
        self.folder = Path(folder)
        self._tables: dict[str, pd.DataFrame] = {}
        self._ends: RelationCube | None = None
        super().__init__(scenario, relations=pd.DataFrame(), events=None, metrics=None, manifest=manifest)  # type: ignore[arg-type]
        self._frame = None

    def __repr__(self) -> str:
        return f"<PartedRunResult {self.scenario.name}: {self.replicates} replicates in {self.manifest.get('parts')} parts at {self.folder}>"

    # ------------------------------------------------------------------ parts
    def parts(self, table: str) -> list[Path]:
        """The part files of ``table`` (relations, events or metrics), in replicate order."""
        if table not in TABLES:
            raise KeyError(f"no table {table!r}; tables: {', '.join(TABLES)}")
        return sorted((self.folder / table).glob("part-*.parquet"))

    def iter_parts(self, table: str, columns: list[str] | None = None) -> Iterator[pd.DataFrame]:
        """``table`` one part at a time (each a DataFrame of ``part_replicates`` replicates)."""
        for path in self.parts(table):
            yield pd.read_parquet(path, columns=columns)

    def dataset(self, table: str) -> Any:
        """``table`` as a :class:`pyarrow.dataset.Dataset`: filtered, column-wise scans of all parts."""
        import pyarrow.dataset as ds

        return ds.dataset([str(p) for p in self.parts(table)], format="parquet")

    def _read_all(self, table: str) -> pd.DataFrame:
        frames = list(self.iter_parts(table))
        filled = [f for f in frames if len(f)]  # an empty part's all-missing columns would change dtypes
        return pd.concat(filled, ignore_index=True) if filled else frames[0]

    # ------------------------------------------------------------------ tables, on first use
    @property
    def relations(self) -> pd.DataFrame:
        """The whole long relations table (read from every part; large: prefer :meth:`band`,
        :meth:`relation`, :meth:`iter_parts` or :meth:`dataset`)."""
        if self._frame is None:
            self._frame = self._read_all("relations")
        return self._frame

    @relations.setter
    def relations(self, frame: pd.DataFrame) -> None:
        self._frame = frame

    @property
    def events(self) -> pd.DataFrame:  # type: ignore[override]
        if "events" not in self._tables:
            self._tables["events"] = self._read_all("events")
        return self._tables["events"]

    @events.setter
    def events(self, frame: pd.DataFrame | None) -> None:
        if frame is not None:
            self._tables["events"] = frame

    @property
    def metrics(self) -> pd.DataFrame:  # type: ignore[override]
        if "metrics" not in self._tables:
            self._tables["metrics"] = self._read_all("metrics")
        return self._tables["metrics"]

    @metrics.setter
    def metrics(self, frame: pd.DataFrame | None) -> None:
        if frame is not None:
            self._tables["metrics"] = frame

    @property
    def replicates(self) -> int:
        return int(self.manifest.get("replicates", 1))

    @property
    def relation_cube(self) -> RelationCube:
        """The relations as arrays replicate x step x pair, each column read from the parts when
        used (and not kept); one pair's series reads only that pair's rows."""
        if self._cube is None:
            import pyarrow.parquet as pq

            first = self.parts("relations")[0]
            keys = pq.read_table(
                first,
                filters=[("replicate", "==", int(pq.read_table(first, columns=["replicate"]).column(0)[0].as_py()))],
            ).to_pandas()
            steps = np.unique(keys["step"].to_numpy())
            p = len(keys) // len(steps)
            columns = tuple(c for c in keys.columns if c != "replicate")
            self._cube = _PartedCube(
                steps.astype(np.int64),
                keys["date"].to_numpy().astype(str)[::p],
                keys["source"].to_numpy().astype(str)[:p],
                keys["target"].to_numpy().astype(str)[:p],
                _PartColumns(self, [c for c in columns if c not in KEY_COLUMNS]),
                columns,
                owner=self,
            )
        return self._cube

    def ends_cube(self) -> RelationCube:
        """Every replicate's first and last month as a cube of those two steps (read once from the parts)."""
        if self._ends is None:
            self._ends = read_ends(self)
        return self._ends

    def replicate(self, k: int) -> RunResult:
        """Replicate ``k`` alone, read from the part that holds it."""
        if not 0 <= k < self.replicates:
            raise IndexError(f"replicate {k} does not exist; this result has replicates 0..{self.replicates - 1}")
        part = k // int(self.manifest["part_replicates"])
        tables = {}
        for table in TABLES:
            frame = pd.read_parquet(self.parts(table)[part], filters=[("replicate", "==", k)])
            tables[table] = frame.reset_index(drop=True)
        return RunResult(
            self.scenario.model_copy(update={"replicates": 1}), manifest={**self.manifest, "replicate": k}, **tables
        )

    def pair_values(self, source: str, target: str, column: str = "weight") -> np.ndarray:
        """``column`` of one directed pair, replicates x steps, reading only its rows."""
        import pyarrow.parquet as pq

        cube = self.relation_cube
        cube.pair(source, target)  # a clear KeyError for an unknown pair
        out = []
        for path in self.parts("relations"):  # one part at a time: memory stays that of a part
            scan = pq.read_table(
                path,
                columns=["replicate", "step", column],
                filters=[("source", "==", source), ("target", "==", target)],
            )
            reps, steps, values = (scan.column(c).to_numpy() for c in ("replicate", "step", column))
            out.append(values[np.lexsort((steps, reps))])
        return np.concatenate(out).reshape(self.replicates, len(cube.steps))

    # ------------------------------------------------------------------ saving: a copy of the folder
    def save(
        self,
        out: str | Path,
        *,
        charts: bool = True,
        overwrite: bool = False,
        parquet: bool | None = None,
        show_runs: int = 0,
    ) -> Path:
        """Copy the run folder (its parts as they are) to ``out``, whole or not at all."""
        if Path(out).resolve() == self.folder.resolve():
            return self.folder

        def copy(folder: Path) -> None:
            for path in self.folder.iterdir():
                if path.name == "charts" and not charts:
                    continue
                (shutil.copytree if path.is_dir() else shutil.copy2)(path, folder / path.name)
            if not charts:  # the copy's manifest lists (and checks) what the copy holds
                files = [f for f in self.manifest.get("files", []) if not f.startswith("charts/")]
                write_manifest(folder, {k: v for k, v in self.manifest.items() if k != "checksums"} | {"files": files})

        return write_folder(out, copy, overwrite=overwrite)


class _PartColumns(Mapping[str, np.ndarray]):
    """Value columns of a streamed relations table as arrays replicate x step x pair, read from the
    parts on every access: a 10,000-replicate column is 170 MB, so it is not kept."""

    def __init__(self, owner: PartedRunResult, names: list[str]) -> None:
        self.owner, self.names = owner, names

    def __getitem__(self, column: str) -> np.ndarray:
        if column not in self.names:
            raise KeyError(column)
        import pyarrow.parquet as pq

        cube = self.owner.relation_cube
        t, p = len(cube.steps), len(cube.sources)
        out = np.empty((self.owner.replicates, t, p))
        start = 0
        for path in self.owner.parts("relations"):
            values = pq.read_table(path, columns=[column]).column(0).to_numpy()
            r = len(values) // (t * p)
            out[start : start + r] = values.reshape(r, t, p)
            start += r
        return out

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


@dataclass(frozen=True, eq=False)
class _PartedCube(RelationCube):
    """A :class:`RelationCube` over parts: ``series`` reads one pair, ``values[c]`` one column."""

    owner: PartedRunResult | None = field(default=None, repr=False)

    @property
    def replicates(self) -> int:
        assert self.owner is not None
        return self.owner.replicates

    def series(self, source: str, target: str, column: str = "weight") -> np.ndarray:
        assert self.owner is not None
        return self.owner.pair_values(source, target, column)

    def ends(self, column: str = "weight") -> np.ndarray:
        assert self.owner is not None
        return self.owner.ends_cube().values[column]

    def frame(self, start: int = 0, stop: int | None = None) -> pd.DataFrame:
        assert self.owner is not None
        stop = self.replicates if stop is None else min(stop, self.replicates)
        table = self.owner.dataset("relations").to_table(filter=_between("replicate", start, stop))
        return table.to_pandas()


def _between(column: str, start: int, stop: int) -> Any:
    import pyarrow.dataset as ds

    return (ds.field(column) >= start) & (ds.field(column) < stop)
