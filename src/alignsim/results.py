"""A run's results: tidy tables, the manifest, saving a run folder whole or not at all, loading it back.

One class serves a single run and an ensemble. Every table has a ``replicate`` column (0 for a
single run). An ensemble keeps its relations as arrays (:class:`RelationCube`, one float per
replicate, step and pair: 33 MB for 1,000 replicates of the article timeline) and builds the long
table only when asked, so the parent process of a large ensemble never holds millions of rows it
does not need; saving streams the table to disk in chunks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import os
import platform
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
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
KEY_COLUMNS = ("step", "date", "source", "target")
ROWS_PER_CHUNK = 100_000  # rows of the relations table formatted at a time when saving


def has_pyarrow() -> bool:
    """True when the optional ``parquet`` extra (pyarrow) is installed."""
    return importlib.util.find_spec("pyarrow") is not None


# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class RelationCube:
    """The relations table of every replicate as arrays: ``values[column][replicate, step, pair]``.

    ``steps``/``dates`` label the step axis, ``sources``/``targets`` the pair axis (directed pairs in
    the recorder's order) and ``columns`` is the long table's column order (without ``replicate``).
    """

    steps: np.ndarray
    dates: np.ndarray
    sources: np.ndarray
    targets: np.ndarray
    values: dict[str, np.ndarray]
    columns: tuple[str, ...]

    @property
    def replicates(self) -> int:
        return next(iter(self.values.values())).shape[0]

    @property
    def codes(self) -> list[str]:
        """State codes in the order they first appear as a source."""
        return list(dict.fromkeys(self.sources.tolist()))

    def pair(self, source: str, target: str) -> int:
        """Index of the directed pair on the pair axis."""
        hits = np.flatnonzero((self.sources == source) & (self.targets == target))
        if len(hits) == 0:
            raise KeyError(f"no relation {source} -> {target}; states: {', '.join(self.codes)}")
        return int(hits[0])

    def series(self, source: str, target: str, column: str = "weight") -> np.ndarray:
        """``column`` of one directed pair: an array replicates x steps."""
        return self.values[column][:, :, self.pair(source, target)]

    def matrices(self, column: str = "weight") -> tuple[list[str], np.ndarray]:
        """Every replicate's matrix at every step: codes and an array replicates x steps x N x N
        (zero diagonal)."""
        return self.codes, self.as_matrices(self.values[column])

    def as_matrices(self, values: np.ndarray) -> np.ndarray:
        """Values on the pair axis (last) as N x N matrices, states in :attr:`codes` order (zero diagonal)."""
        index = {c: i for i, c in enumerate(self.codes)}
        src = np.array([index[s] for s in self.sources.tolist()], dtype=np.int64)
        tgt = np.array([index[t] for t in self.targets.tolist()], dtype=np.int64)
        out = np.zeros((*values.shape[:-1], len(index), len(index)))
        out[..., src, tgt] = values
        return out

    def frame(self, start: int = 0, stop: int | None = None) -> pd.DataFrame:
        """The long table (``replicate`` first) for replicates ``start`` to ``stop``."""
        stop = self.replicates if stop is None else min(stop, self.replicates)
        reps, (t, p) = stop - start, self.values[next(iter(self.values))].shape[1:]
        data: dict[str, Any] = {"replicate": np.repeat(np.arange(start, stop, dtype=np.int64), t * p)}
        for column in self.columns:
            if column == "step":
                data[column] = np.tile(np.repeat(self.steps, p), reps)
            elif column == "date":
                data[column] = np.tile(np.repeat(self.dates, p), reps)
            elif column == "source":
                data[column] = np.tile(self.sources, reps * t)
            elif column == "target":
                data[column] = np.tile(self.targets, reps * t)
            else:
                data[column] = self.values[column][start:stop].reshape(-1)
        return pd.DataFrame(data)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> RelationCube:
        """Arrays from a long relations table (with or without a ``replicate`` column); pairs keep
        the order in which they first appear."""
        missing = [c for c in KEY_COLUMNS if c not in frame.columns]
        if missing:
            raise ValueError(f"a relations table needs the columns {', '.join(KEY_COLUMNS)}; missing {', '.join(missing)}")
        columns = tuple(c for c in frame.columns if c != "replicate")
        fast = cls._from_recorder_order(frame, columns)
        if fast is not None:
            return fast
        rep_values = frame["replicate"].to_numpy() if "replicate" in frame.columns else np.zeros(len(frame), dtype=np.int64)
        replicates, rep = np.unique(rep_values, return_inverse=True)
        steps, step = np.unique(frame["step"].to_numpy(), return_inverse=True)
        src, src_names = pd.factorize(frame["source"])
        tgt, tgt_names = pd.factorize(frame["target"])
        pair, first = pd.factorize(src * len(tgt_names) + tgt)
        r, t, p = len(replicates), len(steps), len(first)
        if r * t * p != len(frame):
            raise ValueError("the relations table is not complete: every replicate needs every pair at every step")
        sources = np.asarray(src_names)[first // len(tgt_names)].astype(str)
        targets = np.asarray(tgt_names)[first % len(tgt_names)].astype(str)
        dates = np.empty(t, dtype=object)
        dates[step] = frame["date"].astype(str).to_numpy()
        values = {}
        for c in columns:
            if c in KEY_COLUMNS:
                continue
            arr = np.full((r, t, p), np.nan)
            arr[rep, step, pair] = frame[c].to_numpy(dtype=float)
            values[c] = arr
        return cls(steps.astype(np.int64), dates.astype(str), sources, targets, values, columns)

    @classmethod
    def _from_recorder_order(cls, frame: pd.DataFrame, columns: tuple[str, ...]) -> RelationCube | None:
        """One replicate in the recorder's order (step by step, the same pairs in the same order at
        every step): a reshape. ``None`` when the frame is laid out otherwise."""
        if "replicate" in frame.columns or len(frame) == 0:
            return None
        step = frame["step"].to_numpy()
        steps = np.unique(step)
        t = len(steps)
        if len(frame) % t:
            return None
        p = len(frame) // t
        if not np.array_equal(step, np.repeat(steps, p)):
            return None
        sources, targets = frame["source"].to_numpy().astype(str), frame["target"].to_numpy().astype(str)
        if not (np.array_equal(sources, np.tile(sources[:p], t)) and np.array_equal(targets, np.tile(targets[:p], t))):
            return None
        if len(set(zip(sources[:p].tolist(), targets[:p].tolist()))) != p:
            return None
        dates = frame["date"].to_numpy().astype(str)[::p]
        values = {c: frame[c].to_numpy(dtype=float).reshape(1, t, p) for c in columns if c not in KEY_COLUMNS}
        return cls(steps.astype(np.int64), dates, sources[:p], targets[:p], values, columns)

    def same_layout(self, other: RelationCube) -> bool:
        return (
            self.columns == other.columns
            and np.array_equal(self.steps, other.steps)
            and np.array_equal(self.dates, other.dates)
            and np.array_equal(self.sources, other.sources)
            and np.array_equal(self.targets, other.targets)
        )


# ---------------------------------------------------------------------------------------------
class RunResult:
    """What a run or an ensemble produced, as pandas DataFrames:

    - ``relations``: replicate, step, date, source, target, weight, baseline -- one row per
      replicate, step and directed pair (W and the interest baseline X0);
    - ``events``: replicate, step, date, type, source, target, origin, rule, cause, impulse, detail;
    - ``metrics``: replicate, step, date and one column per measure (one row per replicate and step);

    with the ``scenario`` (its ``replicates`` says how many) and the ``manifest``. ``relations`` may
    also be given as a :class:`RelationCube`; the long table is then built on first use.

    >>> from alignsim.scenario import parse_scenario
    >>> from alignsim.simulate import run_scenario
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
        return f"<RunResult {self.scenario.name}: {self.replicates} replicate(s) of {self.scenario.steps} steps, seed {self.manifest.get('seed', self.scenario.seed)}>"

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
        sub = RelationCube(cube.steps, cube.dates, cube.sources, cube.targets, {c: v[k : k + 1] for c, v in cube.values.items()}, cube.columns)
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

    def band(self, source: str, target: str, low: float = 0.05, high: float = 0.95, column: str = "weight") -> pd.DataFrame:
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

    # ------------------------------------------------------------------ charts (see alignsim.charts)
    def plot_pairs(self, pairs: list[str] | None = None, ax: Any = None, *, runs: int = 0) -> Any:
        """Tracked pairs over time; for an ensemble the median with its 5-95% band and, when
        ``runs`` > 0, that many individual replicates."""
        from alignsim import charts

        if self.is_ensemble:
            return charts.plot_band(charts.band_data(self, pairs, runs=runs), ax=ax)
        return charts.plot_pairs(charts.pairs_data(self, pairs), ax=ax)

    def plot_matrices(self) -> Any:
        from alignsim import charts

        data = charts.ensemble_matrices_data(self) if self.is_ensemble else charts.matrices_data(self)
        return charts.plot_matrices(data)

    def plot_network(self, ax: Any = None) -> Any:
        from alignsim import charts

        data = charts.ensemble_network_data(self) if self.is_ensemble else charts.network_data(self)
        return charts.plot_network(data, ax=ax)

    def plot_blocs(self, ax: Any = None) -> Any:
        from alignsim import charts

        data = charts.ensemble_blocs_data(self) if self.is_ensemble else charts.blocs_data(self)
        return charts.plot_blocs(data, ax=ax)

    def plot_drift(self, ax: Any = None) -> Any:
        from alignsim import charts

        data = charts.ensemble_drift_data(self) if self.is_ensemble else charts.drift_data(self)
        return charts.plot_drift(data, ax=ax)

    # ------------------------------------------------------------------ saving
    def save(self, out: str | Path, *, charts: bool = True, overwrite: bool = False, parquet: bool | None = None, show_runs: int = 0) -> Path:
        """Write the run folder: written into a temporary sibling, then renamed into place, so the
        folder appears whole or not at all. An existing non-empty folder is kept unless ``overwrite``.

        Tables are always written as CSV. ``parquet`` adds Parquet copies (needs pyarrow, the
        ``parquet`` extra); by default they are written for ensembles when pyarrow is installed,
        and a single run's folder stays as it was. ``show_runs`` draws that many individual
        replicates on the ensemble's tracked-pairs chart."""
        parquet = self._wants_parquet(parquet)
        return write_folder(out, lambda folder: self._write(folder, charts=charts, parquet=parquet, show_runs=show_runs), overwrite=overwrite)

    def _wants_parquet(self, parquet: bool | None) -> bool:
        if parquet is None:
            return self.is_ensemble and has_pyarrow()
        if parquet and not has_pyarrow():
            raise InputError("Parquet output needs pyarrow: pip install 'alignsim[parquet]'", field="parquet")
        return parquet

    def _write(self, folder: Path, *, charts: bool, parquet: bool, show_runs: int = 0) -> None:
        resolved = self.scenario.resolved()
        if resolved.get("replicates") == 1:
            del resolved["replicates"]  # the default; a single run's folder stays as it always was
        (folder / "scenario.resolved.yaml").write_text(yaml.safe_dump(resolved, sort_keys=False, allow_unicode=True), encoding="utf-8")
        if self._frame is not None or self._cube is None:
            write_csv(self.relations, folder / "relations.csv")
        else:
            write_relations_csv(self._cube, folder / "relations.csv")
        write_csv(self.events, folder / "events.csv")
        write_csv(self.metrics, folder / "metrics.csv")
        if parquet:
            self._write_parquet(folder)
        if charts:
            from alignsim.charts import save_charts

            save_charts(self, folder / "charts", show_runs=show_runs)
            from alignsim.report_html import write_report  # the interactive twin of the charts

            write_report(self, folder)
        manifest = {**self.manifest, "files": sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())}
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")

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
    out = pd.DataFrame({
        "forms": grouped["type"].agg(lambda s: ", ".join(sorted(set(s)))),
        "share": grouped["replicate"].nunique() / replicates,
        "mean_count": grouped.size() / replicates,
    }).reset_index()
    return out.sort_values(["share", "mean_count", "source", "target"], ascending=[False, False, True, True], kind="stable").reset_index(drop=True)[columns]


# ---------------------------------------------------------------------------------------------
# writing folders and tables
def free_folder(base: Path) -> Path:
    """``base`` if it does not exist yet, else the first free ``base-2``, ``base-3``, ..."""
    if not base.exists():
        return base
    k = 2
    while (candidate := base.with_name(f"{base.name}-{k}")).exists():
        k += 1
    return candidate


def write_folder(out: str | Path, write: Callable[[Path], None], *, overwrite: bool = False) -> Path:
    """Call ``write(folder)`` on a temporary sibling of ``out`` and rename it into place, so that
    ``out`` appears whole or not at all. An existing non-empty ``out`` is kept unless ``overwrite``."""
    out = Path(out)
    if out.exists() and out.is_file():
        raise InputError("is a file, not a folder", path=out)
    if out.exists() and any(out.iterdir()) and not overwrite:
        raise InputError("the output folder exists and is not empty; choose another --out or pass --overwrite", path=out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        tmp.mkdir()
        write(tmp)
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


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, float_format=FLOAT_FORMAT, lineterminator="\n")


def write_relations_csv(cube: RelationCube, path: Path) -> None:
    """The long relations table as CSV, formatted replicate by replicate (the same bytes as
    ``write_csv(cube.frame(), path)``, about four times faster, without building the whole table)."""
    values = [c for c in cube.columns if c not in KEY_COLUMNS]
    plain = cube.columns[:4] == KEY_COLUMNS and all(_plain_text(s) for s in [*cube.dates, *cube.sources, *cube.targets])
    finite = all(np.isfinite(cube.values[c]).all() for c in values)
    if not (plain and finite):  # quoting or missing values: leave the rules to pandas
        with path.open("w", encoding="utf-8", newline="") as fh:
            for k, chunk in enumerate(_relation_chunks(cube)):
                chunk.to_csv(fh, index=False, header=k == 0, float_format=FLOAT_FORMAT, lineterminator="\n")
        return
    p = len(cube.sources)
    keys = [f"{step},{date},{src},{tgt}" for step, date in zip(cube.steps.tolist(), cube.dates.tolist()) for src, tgt in zip(cube.sources.tolist(), cube.targets.tolist())]
    assert len(keys) == len(cube.steps) * p
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(["replicate", *cube.columns]) + "\n")
        for r in range(cube.replicates):
            formatted = [[FLOAT_FORMAT % v for v in cube.values[c][r].ravel().tolist()] for c in values]
            prefix = f"{r},"
            fh.write("".join([prefix + ",".join(row) + "\n" for row in zip(keys, *formatted)]))


def _plain_text(text: str) -> bool:
    """Text that CSV writes without quotes."""
    return bool(text) and not any(ch in text for ch in ',"\n\r')


def _relation_chunks(cube: RelationCube) -> Iterator[pd.DataFrame]:
    per_replicate = max(1, len(cube.steps) * len(cube.sources))
    step = max(1, ROWS_PER_CHUNK // per_replicate)
    for start in range(0, cube.replicates, step):
        yield cube.frame(start, start + step)


def write_relations_parquet(cube: RelationCube, path: Path) -> None:
    """The long relations table as Parquet, built from the arrays a chunk of replicates at a time
    (strings go in as dictionary indices, so no column of Python strings is ever built)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    t, p = len(cube.steps), len(cube.sources)
    dates, sources, targets = (pa.array(np.asarray(a, dtype=object).tolist(), type=pa.string()) for a in (cube.dates, cube.sources, cube.targets))
    per_chunk = max(1, ROWS_PER_CHUNK // max(1, t * p))
    with pq.ParquetWriter(path, _relations_schema(cube)) as writer:
        for start in range(0, cube.replicates, per_chunk):
            stop = min(start + per_chunk, cube.replicates)
            reps = stop - start
            step_index = np.tile(np.repeat(np.arange(t), p), reps)
            pair_index = np.tile(np.arange(p), reps * t)
            columns: dict[str, pa.Array] = {"replicate": pa.array(np.repeat(np.arange(start, stop, dtype=np.int64), t * p))}
            for column in cube.columns:
                if column == "step":
                    columns[column] = pa.array(cube.steps[step_index])
                elif column == "date":
                    columns[column] = dates.take(pa.array(step_index))
                elif column == "source":
                    columns[column] = sources.take(pa.array(pair_index))
                elif column == "target":
                    columns[column] = targets.take(pa.array(pair_index))
                else:
                    columns[column] = pa.array(cube.values[column][start:stop].reshape(-1))
            writer.write_table(pa.table(columns, schema=writer.schema))


def _relations_schema(cube: RelationCube) -> Any:
    import pyarrow as pa

    types = {"step": pa.int64(), "date": pa.string(), "source": pa.string(), "target": pa.string()}
    return pa.schema([("replicate", pa.int64()), *[(c, types.get(c, pa.float64())) for c in cube.columns]])


def write_parquet_chunks(chunks: Iterator[pd.DataFrame], path: Path) -> None:
    """Write DataFrames with the same columns as one Parquet file, one row group at a time."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer = None
    try:
        for chunk in chunks:
            table = pa.Table.from_pandas(chunk, preserve_index=False)
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema)
            writer.write_table(table.cast(writer.schema))
    finally:
        if writer is not None:
            writer.close()


# ---------------------------------------------------------------------------------------------
def make_manifest(scenario: Scenario, seed: int, source_text: str | None = None, *, replicates: int = 1) -> dict[str, Any]:
    """Versions, seed and the scenario's sha256 (of its file when given, else of the resolved form);
    an ensemble also records its replicate count and how their seeds were derived."""
    text = source_text if source_text is not None else yaml.safe_dump(scenario.resolved(), sort_keys=True)
    manifest: dict[str, Any] = {
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
    }
    if replicates > 1:
        manifest["replicates"] = replicates
        manifest["replicate_seeds"] = "numpy SeedSequence(seed).spawn(replicates); replicate k uses child k"
    manifest["created"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    return manifest


def load(folder: str | Path) -> Any:
    """Read a saved folder back: a run folder gives a :class:`RunResult`, a comparison folder
    (``alignsim compare``) a :class:`~alignsim.comparison.CompareResult`, a sweep folder a
    :class:`~alignsim.sweep.SweepResult`, a streamed run (Parquet parts) a lazily read
    :class:`~alignsim.streaming.PartedRunResult`. Tables are read from Parquet
    when present and pyarrow is installed (exact floats), else from CSV (10 significant digits)."""
    folder = Path(folder)
    if not (folder / "manifest.json").is_file():
        raise InputError("not a run folder (no manifest.json)", path=folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    if manifest.get("kind") == "comparison":
        from alignsim.comparison import load_comparison

        return load_comparison(folder)
    if manifest.get("kind") == "sweep":
        from alignsim.sweep import load_sweep

        return load_sweep(folder)
    if manifest.get("storage") == "parquet-parts":  # a streamed ensemble: read lazily
        from alignsim.streaming import load_parts

        return load_parts(folder)
    return load_run(folder)


def load_run(folder: Path) -> RunResult:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    data = yaml.safe_load((folder / "scenario.resolved.yaml").read_text(encoding="utf-8"))
    scenario = Scenario.model_validate(data)
    tables = {name: read_table(folder, name) for name in TABLES}
    for name, frame in tables.items():
        if "replicate" not in frame.columns:  # folders written before ensembles existed
            frame.insert(0, "replicate", np.zeros(len(frame), dtype=np.int64))
    return RunResult(scenario, manifest=manifest, **tables)


def read_table(folder: Path, name: str) -> pd.DataFrame:
    """``name``.parquet when present and readable, else ``name``.csv."""
    if (folder / f"{name}.parquet").is_file() and has_pyarrow():
        return pd.read_parquet(folder / f"{name}.parquet")
    return pd.read_csv(folder / f"{name}.csv", keep_default_na=False, na_values=[])
