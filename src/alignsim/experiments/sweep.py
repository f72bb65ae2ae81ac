"""Parameter sweeps and sensitivity analysis: which parameters drive an outcome, and how much.

A scenario's ``sweep:`` block (or ``alignsim sweep SCENARIO``) varies model parameters and shock
magnitudes over a design, runs every point ``replicates`` times and measures the outcomes::

    sweep:
      design: sobol            # grid | sobol | morris
      samples: 64              # sobol: base samples N (a power of 2); morris: trajectories
      replicates: 4            # runs per point; replicate k uses the same seed at every point
      parameters:
        - {path: beta, bounds: [0.05, 0.2]}
        - {path: "shocks[2].intensity", name: recognition_intensity, bounds: [0.5, 2.0]}  # quoted: [ ] in a flow mapping
      outcomes:
        - {name: prk_cub_end, kind: relation, pair: PRK-CUB}
        - {name: prk_courts_mng, kind: first_event, source: PRK, target: MNG, rule: court}
        - {name: endurance_end, kind: metric, metric: endurance}

Designs. ``grid``: every combination of each parameter's ``values`` (or ``levels`` evenly spaced
values within its ``bounds``). ``sobol``: Saltelli's scheme as SALib implements it
(:func:`SALib.sample.sobol.sample`, scrambled Sobol' sequence, first-order and total indices only:
N x (D + 2) points for D parameters); analysed with :func:`SALib.analyze.sobol.analyze` (Saltelli
et al. 2010, Jansen's total-effect estimator), confidence intervals by bootstrap. ``morris``: r
one-at-a-time trajectories (:func:`SALib.sample.morris.sample`, N x (D + 1) points), analysed with
:func:`SALib.analyze.morris.analyze` (mu*, sigma; Campolongo et al. 2007).

Outcomes are measured in each run: ``relation`` (W, or the baseline X0, of a directed pair at the
end or at a step or date), ``metric`` (a column of the metrics table, e.g. ``endurance``,
``polarization``, ``isolation_PRK``) and ``first_event`` (the month -- step index from the start --
in which a matching event first happens; when it never happens the value is ``never``, by default
the run's number of steps, i.e. the first month after the run, so that "never" counts as "later
than any month it could have happened"; the analysis needs a number for every run). Indices are
computed on the outcome averaged over a point's replicates.

Seeds. The design is drawn from the sweep's seed (``seed:``, default the scenario's); replicate k
of every point runs with child k of ``SeedSequence(seed).spawn(replicates)`` (the seed itself
when there is one replicate): common random numbers, so that differences between points are not
differences of noise. Runs go through :func:`alignsim.experiments.replicates.map_replicates`, so local processes
and a Dask cluster give the same table. A sweep keeps only a few numbers per run (its outcomes),
never a run's tables, so it needs no streaming to disk however many points it has.

Paths. ``beta`` or ``params.beta``: any numeric model parameter (integer ones are rounded to the
nearest integer); ``shocks[K].FIELD``: a magnitude of the scenario's shock K (0-based, in file
order): ``intensity`` for every type, and the type's own numbers (``need``, ``factor``,
``amount_usd``, ``position``, ``delta``, ``salience``). Bounds are checked against the field's
allowed range; every mistake is reported with file, line and field.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import math
import types
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union, get_args, get_origin

import numpy as np
import pandas as pd
from pydantic import ValidationError

from alignsim.config.scenario import Scenario, load_scenario, month_index
from alignsim.config.sweep_spec import PARAM_PATH, SHOCK_PATH, OutcomeSpec, SweepSpec
from alignsim.config.yaml_errors import input_error
from alignsim.config.yaml_reader import YamlTree, read_text_file, read_yaml_file
from alignsim.errors import InputError
from alignsim.experiments.progress import Progress
from alignsim.experiments.replicates import map_replicates, replicate_seeds, resolve_workers
from alignsim.experiments.simulate import BATCH_MAX_N, batch_size, recorded_values
from alignsim.model.batch import ReplicateBatch
from alignsim.model.model import AlignmentModel
from alignsim.model.rules import rule_names
from alignsim.results.folders import has_pyarrow, safe_name, write_csv, write_folder
from alignsim.results.integrity import read_manifest, write_manifest
from alignsim.results.manifest import make_manifest
from alignsim.results.scaling import resolved_yaml
from alignsim.viz.charts import SAVE_OPTIONS
from alignsim.viz.sensitivity import EffectsData, IndexData, plot_effects, plot_morris, plot_sobol
from alignsim.world.events.base import EVENT_TYPES
from alignsim.world.params import Params

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from alignsim.config.scenario import Scenario


# ---------------------------------------------------------------------------------------------
# the sweep: block


# ---------------------------------------------------------------------------------------------
# checks against the scenario (paths, bounds, codes), reported with file and line
def check_sweep(scenario: Scenario) -> list[tuple[tuple[Any, ...], str]]:
    """Problems of the scenario's sweep that only the scenario can reveal: paths that name nothing,
    bounds outside a field's allowed range, unknown state codes or metrics. Each is
    (location in the file, message); empty when all is well."""
    spec = scenario.sweep
    if spec is None:
        return []
    problems = _parameter_problems(scenario, spec) + _outcome_problems(scenario, spec)
    if not problems:  # the values at both ends must make a valid scenario (the field's own checks)
        problems += _end_value_problems(scenario, spec)
    return problems


def _parameter_problems(scenario: Scenario, spec: SweepSpec) -> list[tuple[tuple[Any, ...], str]]:
    """Parameters whose path names nothing, with values or bounds outside the field's range, or
    with fractional values for a whole-number field."""
    problems: list[tuple[tuple[Any, ...], str]] = []
    for k, p in enumerate(spec.parameters):
        loc = ("sweep", "parameters", k)
        try:
            target = resolve_path(scenario, p.path)
        except ValueError as err:
            problems.append(((*loc, "path"), str(err)))
            continue
        values = list(p.values or ()) + list(p.bounds or ())
        where = "values" if p.values is not None else "bounds"
        outside = [v for v in values if not target.allows(v)]
        if outside:
            problems.append(
                (
                    (*loc, where),
                    f"{', '.join(f'{v:g}' for v in outside)} outside the allowed range of {p.path} ({target.range_text()})",
                )
            )
        elif target.integer and p.values is not None and any(v != round(v) for v in p.values):
            problems.append(((*loc, "values"), f"{p.path} is a whole number; give whole values"))
    return problems


def _outcome_problems(scenario: Scenario, spec: SweepSpec) -> list[tuple[tuple[Any, ...], str]]:
    """Outcomes that name an unknown pair, state, metric or event type, or a month outside the run."""
    codes = scenario.world_spec.codes
    metric_names: list[str] | None = None  # found once, when an outcome names a metric
    problems: list[tuple[tuple[Any, ...], str]] = []
    for k, o in enumerate(spec.outcomes):
        loc = ("sweep", "outcomes", k)
        if o.kind == "relation":
            problems += _pair_problems(o, loc, codes)
        elif o.kind == "metric":
            metric_names = metric_names if metric_names is not None else numeric_metrics(scenario)
            if o.metric not in metric_names:
                problems.append(
                    ((*loc, "metric"), f"unknown metric '{o.metric}'; numeric metrics: {', '.join(metric_names)}")
                )
        else:
            problems += _event_problems(o, loc, codes)
        problems += _when_problems(scenario, o, loc)
    return problems


def _pair_problems(o: OutcomeSpec, loc: tuple[Any, ...], codes: Sequence[str]) -> list[tuple[tuple[Any, ...], str]]:
    """A relation outcome's pair: two different state codes of the world, joined by '-'."""
    problems: list[tuple[tuple[Any, ...], str]] = []
    parts = (o.pair or "").split("-")
    if len(parts) != 2 or parts[0] == parts[1]:
        problems.append(
            ((*loc, "pair"), f"'{o.pair}' is not a pair; write two state codes joined by '-', e.g. 'PRK-CUB'")
        )
    for code in parts if len(parts) == 2 else ():
        if code not in codes:
            problems.append(((*loc, "pair"), f"unknown state code '{code}'; known states: {', '.join(codes)}"))
    return problems


def _event_problems(o: OutcomeSpec, loc: tuple[Any, ...], codes: Sequence[str]) -> list[tuple[tuple[Any, ...], str]]:
    """A first-event outcome's source, target (state codes of the world) and event type (a registered one)."""
    problems: list[tuple[tuple[Any, ...], str]] = []
    for field in ("source", "target"):
        code = getattr(o, field)
        if code is not None and code not in codes:
            problems.append(((*loc, field), f"unknown state code '{code}'; known states: {', '.join(codes)}"))
    if o.type is not None and o.type not in EVENT_TYPES:
        problems.append(((*loc, "type"), f"unknown event type '{o.type}'; registered types: {', '.join(EVENT_TYPES)}"))
    rules = ("scripted", *rule_names())
    if o.rule is not None and o.rule not in rules:
        problems.append(((*loc, "rule"), f"unknown rule '{o.rule}'; rules: {', '.join(rules)}"))
    return problems


def _when_problems(scenario: Scenario, o: OutcomeSpec, loc: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], str]]:
    """The step or month an outcome is measured at must lie within the run (first events have none)."""
    at = o.when
    if o.kind == "first_event" or at == "end":
        return []
    step = at if isinstance(at, int) else month_index(scenario.start, at)
    if 0 <= step <= scenario.steps:
        return []
    return [
        (
            (*loc, "at"),
            f"{at} is outside the run: steps 0..{scenario.steps} (months {scenario.start:%Y-%m} to {scenario.date_of(scenario.steps):%Y-%m})",
        )
    ]


def _end_value_problems(scenario: Scenario, spec: SweepSpec) -> list[tuple[tuple[Any, ...], str]]:
    """Parameters whose smallest or largest value (or a bound) makes an invalid scenario."""
    problems: list[tuple[tuple[Any, ...], str]] = []
    for k, p in enumerate(spec.parameters):
        for v in (min(p.values), max(p.values)) if p.values is not None else (p.bounds or ()):
            try:
                point_scenario(base_data(scenario), {p.path: v})
            except InputError as err:
                problems.append(
                    (
                        ("sweep", "parameters", k, "values" if p.values is not None else "bounds"),
                        f"{p.path} = {v:g} makes an invalid scenario: {err.message}",
                    )
                )
    return problems


@dataclass(frozen=True)
class PathTarget:
    """What a sweep path names: its allowed range and whether it is a whole number."""

    path: str
    integer: bool
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None

    def allows(self, v: float) -> bool:
        return (
            (self.ge is None or v >= self.ge)
            and (self.gt is None or v > self.gt)
            and (self.le is None or v <= self.le)
            and (self.lt is None or v < self.lt)
        )

    def range_text(self) -> str:
        parts = [
            f"{sym} {b:g}"
            for b, sym in ((self.ge, ">="), (self.gt, ">"), (self.le, "<="), (self.lt, "<"))
            if b is not None
        ]
        return "allowed: " + (" and ".join(parts) if parts else "any number")


def resolve_path(scenario: Scenario, path: str) -> PathTarget:
    """The field a sweep path names, or ValueError saying what can be swept."""
    m = SHOCK_PATH.match(path)
    if m is not None:
        k, name = int(m.group(1)), m.group(2)
        if not scenario.shocks:
            raise ValueError(f"'{path}': the scenario has no shocks")
        if k >= len(scenario.shocks):
            raise ValueError(
                f"'{path}': the scenario has {len(scenario.shocks)} shocks, numbered 0..{len(scenario.shocks) - 1} in file order"
            )
        shock = scenario.shocks[k]
        fields = type(shock).model_fields
        magnitudes = [f for f, info in fields.items() if _number_type(info.annotation) is float]
        if name not in fields or name not in magnitudes:
            what = "has no field" if name not in fields else "is not a magnitude (a number to sweep):"
            raise ValueError(
                f"'{path}': shock {k} ({shock.type}) {what} '{name}'; its magnitudes: {', '.join(magnitudes)}"
            )
        return _target(path, fields[name])
    m = PARAM_PATH.match(path)
    name = m.group(1) if m is not None else path
    numeric = [f for f, info in Params.model_fields.items() if _number_type(info.annotation) is not None]
    if name not in Params.model_fields or name not in numeric:
        what = "is not a number" if name in Params.model_fields else "is not a parameter"
        raise ValueError(
            f"'{path}' {what}; numeric parameters: {', '.join(numeric)}; or a shock magnitude like 'shocks[0].intensity'"
        )
    return _target(path, Params.model_fields[name])


def _number_type(annotation: Any) -> type | None:
    """float or int for a numeric annotation (Optional allowed), else None (bool is not a number here)."""
    if annotation in (float, int):
        return annotation  # type: ignore[no-any-return]
    if get_origin(annotation) in (Union, types.UnionType):
        inner = [a for a in get_args(annotation) if a is not type(None)]
        if len(inner) == 1 and inner[0] in (float, int):
            return inner[0]  # type: ignore[no-any-return]
    return None


def _target(path: str, info: Any) -> PathTarget:
    bounds: dict[str, float] = {}
    for meta in info.metadata:
        for key in ("ge", "gt", "le", "lt"):
            if getattr(meta, key, None) is not None:
                bounds[key] = float(getattr(meta, key))
    return PathTarget(path, _number_type(info.annotation) is int, **bounds)


def numeric_metrics(scenario: Scenario) -> list[str]:
    """The numeric columns of the scenario's metrics table (those an outcome can name)."""
    frame = AlignmentModel(scenario.model_copy(update={"sweep": None}), seed=0).recorder.metrics_frame()
    return [
        str(c)
        for c in frame.columns
        if c not in ("step", "date")
        and pd.api.types.is_numeric_dtype(frame[c])
        and not pd.api.types.is_bool_dtype(frame[c])
    ]


def load_sweep_scenario(path: str | Path) -> Scenario:
    """Load a scenario and check its ``sweep:`` block against it; every mistake is an
    :class:`InputError` with the file, line and field. A scenario without a block is an error."""
    scenario = load_scenario(path)
    if scenario.sweep is None:
        raise InputError(
            "has no 'sweep:' block; add one (see docs/sensitivity.md) to say what to vary and what to measure",
            path=path,
            field="sweep",
        )
    raise_problems(scenario, path)
    return scenario


def raise_problems(scenario: Scenario, path: str | Path) -> None:
    """Raise :func:`check_sweep`'s problems as one InputError located in the file at ``path``
    (each problem on its own line, with its line number and field)."""
    problems = check_sweep(scenario)
    if not problems:
        return
    tree = YamlTree(read_text_file(path, "scenario file"), path, checked=True)  # loaded (and checked) before
    raise input_error([(list(loc), msg) for loc, msg in problems], tree, path, EVENT_TYPES)


# ---------------------------------------------------------------------------------------------
# the design and the points
def make_design(spec: SweepSpec, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    """The points: a DataFrame (point, one column per parameter, integer ones rounded later) and
    the raw sample matrix SALib's analysis expects."""
    names = [p.column for p in spec.parameters]
    if spec.design == "grid":
        axes = [
            list(p.values) if p.values is not None else np.linspace(*(p.bounds or (0.0, 1.0)), spec.levels).tolist()
            for p in spec.parameters
        ]
        x = np.array(list(itertools.product(*axes)), dtype=float)
    elif spec.design == "sobol":
        from SALib.sample import sobol as sobol_sample

        x = sobol_sample.sample(spec.problem, spec.samples, calc_second_order=False, seed=seed)
    else:
        from SALib.sample import morris as morris_sample

        x = morris_sample.sample(spec.problem, spec.samples, num_levels=spec.levels, seed=seed)
    design = pd.DataFrame(x, columns=names)
    design.insert(0, "point", np.arange(len(design), dtype=np.int64))
    return design, x


def design_size(spec: SweepSpec) -> int:
    """Number of points of the design."""
    d = len(spec.parameters)
    if spec.design == "sobol":
        return spec.samples * (d + 2)
    if spec.design == "morris":
        return spec.samples * (d + 1)
    return math.prod(len(p.values) if p.values is not None else spec.levels for p in spec.parameters)


def base_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as a mapping, ready for overrides: the sweep block removed, one replicate."""
    data = scenario.resolved()
    data.pop("sweep", None)
    data["replicates"] = 1
    return data


def point_scenario(data: dict[str, Any], overrides: dict[str, float]) -> Scenario:
    """The scenario of one point: ``data`` (from :func:`base_data`) with the swept values set."""
    data = copy.deepcopy(data)
    for path, value in overrides.items():
        m = SHOCK_PATH.match(path)
        if m is not None:
            data["shocks"][int(m.group(1))][m.group(2)] = float(value)
            continue
        name = path.removeprefix("params.")
        integer = _number_type(Params.model_fields[name].annotation) is int
        data.setdefault("params", {})[name] = int(round(value)) if integer else float(value)
    try:
        return Scenario.model_validate(data)
    except (ValidationError, InputError) as err:
        message = "; ".join(e["msg"] for e in err.errors()) if isinstance(err, ValidationError) else str(err)
        raise InputError(message, field="sweep") from None


def applied_values(spec: SweepSpec, design: pd.DataFrame) -> pd.DataFrame:
    """The design with integer parameters rounded, as the runs use them."""
    out = design.copy()
    for p in spec.parameters:
        m = PARAM_PATH.match(p.path)
        if (
            m is not None
            and SHOCK_PATH.match(p.path) is None
            and _number_type(Params.model_fields[m.group(1)].annotation) is int
        ):
            out[p.column] = out[p.column].round().astype(np.int64)
    return out


class PointRunner:
    """Runs one task -- a point and a batch of its replicates' seeds -- in a worker and returns each
    replicate's outcomes. Picklable; keeps the last point's validated scenario, since a chunk holds
    consecutive batches of a point."""

    def __init__(self, data: dict[str, Any], outcomes: Sequence[OutcomeSpec]) -> None:
        self.data = data
        self.outcomes = tuple(outcomes)
        self._last: tuple[tuple[tuple[str, float], ...], Scenario] | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"data": self.data, "outcomes": self.outcomes, "_last": None}

    def __call__(self, task: tuple[int, tuple[tuple[str, float], ...], Sequence[Any]]) -> list[list[float]]:
        _, overrides, seeds = task
        if self._last is None or self._last[0] != overrides:
            self._last = (overrides, point_scenario(self.data, dict(overrides)))
        scenario = self._last[1]
        if len(scenario.world_spec.states) > BATCH_MAX_N:  # as ensembles do: stacking pays in small worlds only
            return [measure(scenario, seed, self.outcomes) for seed in seeds]
        return [measure_model(model, scenario, self.outcomes) for model in ReplicateBatch(scenario, seeds).run().models]


def measure(scenario: Scenario, seed: Any, outcomes: Sequence[OutcomeSpec]) -> list[float]:
    """Run ``scenario`` once with ``seed`` and measure each outcome."""
    return measure_model(AlignmentModel(scenario, seed=seed).run(), scenario, outcomes)


def measure_model(model: AlignmentModel, scenario: Scenario, outcomes: Sequence[OutcomeSpec]) -> list[float]:
    """Each outcome of a model that has run ``scenario`` (alone or in a batch: the same numbers)."""
    rec = model.recorder
    steps = {id(o): _outcome_step(model, scenario, o) for o in outcomes if o.kind != "first_event"}
    measured = sorted({steps[id(o)] for o in outcomes if o.kind == "metric"})  # only the months an outcome reads
    metrics = rec.metrics_columns(steps=measured) if measured else None
    codes = {c: i for i, c in enumerate(model.world.codes)}
    out = []
    for o in outcomes:
        if o.kind == "first_event":
            hits = [
                e.step
                for e in model.log
                if model.code(e.source) == o.source
                and (o.target is None or (e.target != e.source and model.code(e.target) == o.target))
                and (o.rule is None or e.rule == o.rule)
                and (o.type is None or e.event.type == o.type)
            ]
            out.append(float(min(hits)) if hits else float(scenario.steps if o.never is None else o.never))
            continue
        step = steps[id(o)]
        if o.kind == "relation":
            a, b = (o.pair or "").split("-")
            matrix = rec.relations[step] if o.column != "baseline" else rec.baselines[step]
            out.append(float(matrix[codes[a], codes[b]]))
        else:
            assert metrics is not None
            out.append(float(metrics[o.metric][measured.index(step)]))  # type: ignore[index]
    return out


def _outcome_step(model: AlignmentModel, scenario: Scenario, o: OutcomeSpec) -> int:
    """The step an outcome reads: the last for ``end``, else the step or month it names."""
    at = o.when
    return model.month if at == "end" else (at if isinstance(at, int) else month_index(scenario.start, at))


# ---------------------------------------------------------------------------------------------
# running and analysing
@dataclass
class SweepResult:
    """A sweep's design, its tidy results (one row per point and replicate) and the indices."""

    scenario: Scenario
    spec: SweepSpec
    design: pd.DataFrame
    results: pd.DataFrame
    indices: pd.DataFrame
    manifest: dict[str, Any]

    def __repr__(self) -> str:
        return (
            f"<SweepResult {self.scenario.name}: {self.spec.design}, {len(self.design)} points x {self.spec.replicates} replicates, "
            f"outcomes {', '.join(self.outcomes)}>"
        )

    @property
    def outcomes(self) -> list[str]:
        return [o.name for o in self.spec.outcomes]

    @property
    def parameters(self) -> list[str]:
        return [p.column for p in self.spec.parameters]

    def point_means(self) -> pd.DataFrame:
        """The outcomes averaged over each point's replicates, with the point's inputs."""
        means = self.results.groupby("point", sort=True)[self.outcomes].mean()
        return self.design.set_index("point").join(means).reset_index()

    def plot_indices(self, outcome: str, ax: Axes | None = None) -> Figure:
        """The sensitivity chart of ``outcome`` (Sobol S1/ST, Morris mu*, grid main effects)."""
        if self.spec.design == "sobol":
            return plot_sobol(sobol_data(self, outcome), ax=ax)
        if self.spec.design == "morris":
            return plot_morris(morris_data(self, outcome), ax=ax)
        return plot_effects(effects_data(self, outcome), ax=ax)

    def to_markdown(self) -> str:
        return indices_markdown(self)

    def save(
        self, out: str | Path, *, charts: bool = True, overwrite: bool = False, parquet: bool | None = None
    ) -> Path:
        """Write the sweep folder, whole or not at all (a temporary sibling renamed into place)."""
        if parquet and not has_pyarrow():
            raise InputError("Parquet output needs pyarrow: pip install 'alignsim[parquet]'", field="parquet")
        parquet = has_pyarrow() if parquet is None else parquet

        def write(folder: Path) -> None:
            (folder / "scenario.resolved.yaml").write_text(resolved_yaml(self.scenario.resolved()), encoding="utf-8")
            write_csv(self.design, folder / "design.csv")
            write_csv(self.results, folder / "results.csv")
            if parquet:
                self.results.to_parquet(folder / "results.parquet", index=False)
            kind = INDEX_FILES[self.spec.design]
            write_csv(self.indices, folder / f"{kind}.csv")
            (folder / f"{kind}.md").write_text(self.to_markdown(), encoding="utf-8")
            if charts:
                (folder / "charts").mkdir()
                for outcome in self.outcomes:
                    fig = self.plot_indices(outcome)
                    fig.savefig(folder / "charts" / f"{kind}_{safe_name(outcome)}.png", **SAVE_OPTIONS)
            files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
            write_manifest(folder, {**self.manifest, "files": [*files, "manifest.json"]})

        return write_folder(out, write, overwrite=overwrite)


INDEX_FILES = {"sobol": "sobol", "morris": "morris", "grid": "effects"}


def run_sweep(
    scenario: Scenario,
    *,
    seed: int | None = None,
    replicates: int | None = None,
    samples: int | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool = False,
    source_text: str | None = None,
) -> SweepResult:
    """Run the scenario's ``sweep:`` block and analyse it. ``seed``, ``replicates`` and ``samples``
    override the block's; ``workers`` / ``scheduler`` say where the runs go (as for ensembles)."""
    scenario = _with_options(scenario, replicates=replicates, samples=samples, seed=seed)
    spec = scenario.sweep
    assert spec is not None
    sweep_seed = scenario.seed if spec.seed is None else spec.seed
    design, _ = make_design(spec, sweep_seed)
    applied = applied_values(spec, design)
    tasks = _tasks(spec, applied, sweep_seed)
    bar = Progress(f"{scenario.name}: sweep runs", enabled=progress)
    runner = PointRunner(base_data(scenario), spec.outcomes)
    runs = len(tasks) * spec.replicates
    size = batch_size(runs, resolve_workers(workers, runs), values=recorded_values(scenario))
    batches = [(k, overrides, seeds[a : a + size]) for k, overrides, seeds in tasks for a in range(0, len(seeds), size)]
    outcomes = map_replicates(runner, batches, workers, progress=bar, scheduler=scheduler, weight=_batch_weight)
    values = np.array([row for batch in outcomes for row in batch], dtype=float).reshape(runs, len(spec.outcomes))
    results = _results_table(spec, applied, values)
    manifest = _sweep_manifest(
        scenario,
        spec,
        sweep_seed,
        source_text,
        points=len(design),
        runs=runs,
        outcomes=list(results.columns[2 + len(spec.parameters) :]),
    )
    result = SweepResult(scenario, spec, design, results, pd.DataFrame(), manifest)
    result.indices = analyse(result, sweep_seed)
    return result


def _with_options(scenario: Scenario, **options: int | None) -> Scenario:
    """The scenario with the command line's --replicates / --samples / --seed in its sweep block,
    checked against it; every mistake an InputError."""
    if scenario.sweep is None:
        raise InputError("the scenario has no 'sweep:' block", field="sweep")
    updates = {k: v for k, v in options.items() if v is not None}
    try:
        spec = SweepSpec.model_validate({**scenario.sweep.model_dump(), **updates}) if updates else scenario.sweep
    except Exception as err:  # pydantic's message names the option's rule (e.g. a power of 2)
        bad = next(iter(updates), "sweep")
        raise InputError(_first_message(err), field=f"--{bad}") from None
    if spec is not scenario.sweep:
        scenario = scenario.model_copy(update={"sweep": spec})
    problems = check_sweep(scenario)
    if problems:
        raise InputError("; ".join(f"{'.'.join(map(str, loc))}: {msg}" for loc, msg in problems), field="sweep")
    return scenario


def _tasks(
    spec: SweepSpec, applied: pd.DataFrame, sweep_seed: int
) -> list[tuple[int, tuple[tuple[str, float], ...], list[Any]]]:
    """One entry per point: (point, the swept values, its replicates' seeds); replicate k of every
    point has the same seed (common random numbers). Workers get batches of a point's replicates."""
    paths = [p.path for p in spec.parameters]
    seeds = replicate_seeds(sweep_seed, spec.replicates)
    return [
        (int(row[0]), tuple(zip(paths, (float(v) for v in row[1:]))), list(seeds))
        for row in applied.itertuples(index=False)
    ]


def _batch_weight(task: tuple[int, tuple[tuple[str, float], ...], Sequence[Any]]) -> int:
    return len(task[2])


def _results_table(spec: SweepSpec, applied: pd.DataFrame, values: np.ndarray) -> pd.DataFrame:
    """point, replicate, the applied values and one column per outcome: a row per run."""
    results = applied.loc[applied.index.repeat(spec.replicates)].reset_index(drop=True)
    results.insert(1, "replicate", np.tile(np.arange(spec.replicates, dtype=np.int64), len(applied)))
    for j, o in enumerate(spec.outcomes):
        results[o.name] = values[:, j]
    return results


def _sweep_manifest(
    scenario: Scenario,
    spec: SweepSpec,
    sweep_seed: int,
    source_text: str | None,
    *,
    points: int,
    runs: int,
    outcomes: list[str],
) -> dict[str, Any]:
    return {
        "kind": "sweep",
        **{k: v for k, v in make_manifest(scenario, sweep_seed, source_text).items() if k != "created"},
        "design": spec.design,
        "samples": spec.samples if spec.design != "grid" else None,
        "points": points,
        "replicates": spec.replicates,
        "runs": runs,
        "parameters": {p.column: p.path for p in spec.parameters},
        "outcomes": outcomes,
        "replicate_seeds": "common random numbers: replicate k of every point uses child k of numpy SeedSequence(seed).spawn(replicates)"
        if spec.replicates > 1
        else "every point uses the seed itself",
        "design_seed": f"SALib sampler seed={sweep_seed}" if spec.design != "grid" else "a grid has no randomness",
        "never": {
            o.name: (scenario.steps if o.never is None else o.never) for o in spec.outcomes if o.kind == "first_event"
        },
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def _first_message(err: Exception) -> str:
    errors = getattr(err, "errors", None)
    if callable(errors):
        return "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in errors())
    return str(err)


def is_constant(y: np.ndarray) -> bool:
    """An outcome that does not vary across points (up to rounding): its indices are undefined,
    and SALib would share out noise of the 15th digit as if it were variance."""
    return bool(np.ptp(y) <= 1e-12 * max(1.0, float(np.max(np.abs(y))))) if len(y) else True


_SOBOL_KEYS = ("S1", "S1_conf", "ST", "ST_conf")  # the columns of sobol.csv after outcome and parameter
_MORRIS_KEYS = ("mu", "mu_star", "mu_star_conf", "sigma")  # ... of morris.csv


def analyse(result: SweepResult, seed: int) -> pd.DataFrame:
    """The sensitivity table of every outcome: Sobol (outcome, parameter, S1, S1_conf, ST,
    ST_conf), Morris (outcome, parameter, mu, mu_star, mu_star_conf, sigma) or, for a grid, main
    effects (outcome, parameter, value, mean, std, runs)."""
    design = result.spec.design
    means = result.point_means()
    rows = []
    for name in result.outcomes:
        y = means[name].to_numpy(dtype=float)
        if design == "sobol":
            rows += _index_rows(name, result.parameters, _sobol_indices(result, y, seed), _SOBOL_KEYS)
        elif design == "morris":
            rows += _index_rows(name, result.parameters, _morris_indices(result, y, seed), _MORRIS_KEYS)
        else:
            rows += _effect_rows(result, name)
    return pd.DataFrame(rows)


def _sobol_indices(result: SweepResult, y: np.ndarray, seed: int) -> dict[str, Any]:
    """SALib's Sobol indices of the point means ``y`` (first-order and total, with their confidence
    intervals); NaN for an outcome that does not vary, whose variance there is none to share out."""
    spec = result.spec
    if is_constant(y):
        return {k: np.full(len(spec.parameters), np.nan) for k in _SOBOL_KEYS}
    from SALib.analyze import sobol as sobol_analyze

    return sobol_analyze.analyze(spec.problem, y, calc_second_order=False, conf_level=spec.confidence, seed=seed)


def _morris_indices(result: SweepResult, y: np.ndarray, seed: int) -> dict[str, Any]:
    """SALib's Morris elementary-effect statistics of the point means ``y``; zero for an outcome
    that does not vary."""
    spec = result.spec
    x = result.design[result.parameters].to_numpy(dtype=float)
    if is_constant(y):
        return {k: np.zeros(len(spec.parameters)) for k in _MORRIS_KEYS}
    from SALib.analyze import morris as morris_analyze

    return morris_analyze.analyze(spec.problem, x, y, conf_level=spec.confidence, num_levels=spec.levels, seed=seed)


def _index_rows(
    outcome: str, parameters: list[str], res: dict[str, Any], keys: tuple[str, ...]
) -> list[dict[str, Any]]:
    """One row per parameter: the outcome, the parameter and its indices ``keys`` from ``res``."""
    return [
        {"outcome": outcome, "parameter": p, **{key: float(res[key][k]) for key in keys}}
        for k, p in enumerate(parameters)
    ]


def _effect_rows(result: SweepResult, outcome: str) -> list[dict[str, Any]]:
    """A grid's main effects: for each parameter and value, the mean and spread of the outcome over
    the runs at that value."""
    rows = []
    for p in result.parameters:
        grouped = result.results.groupby(p, sort=True)[outcome]
        for value, group in grouped:
            rows.append(
                {
                    "outcome": outcome,
                    "parameter": p,
                    "value": float(value),
                    "mean": float(group.mean()),  # type: ignore[arg-type]
                    "std": float(group.std(ddof=0)),
                    "runs": int(len(group)),
                }
            )
    return rows


def indices_markdown(result: SweepResult) -> str:
    """The sensitivity tables as Markdown, one section per outcome, with how the outcome varied."""
    lines = _markdown_design(result)
    for o in result.spec.outcomes:
        lines += _markdown_outcome(result, o)
        lines += _markdown_indices(result.spec, result.indices[result.indices.outcome == o.name])
    return "\n".join(lines) + "\n"


def _markdown_design(result: SweepResult) -> list[str]:
    """The title, the design and its run count, and the swept parameters with their ranges."""
    spec = result.spec
    lines = [f"# Sensitivity of {result.scenario.name}", ""]
    lines.append(
        f"Design: {spec.design}, {len(result.design)} points x {spec.replicates} replicates = {len(result.results)} runs "
        f"(seed {result.manifest.get('seed')}). Indices are computed on each point's mean over its replicates."
    )
    lines.append("")
    lines.append("| parameter | path | range |")
    lines.append("|---|---|---|")
    for p in spec.parameters:
        span = (
            f"[{p.bounds[0]:g}, {p.bounds[1]:g}]"
            if p.bounds is not None
            else ", ".join(f"{v:g}" for v in p.values or ())
        )
        lines.append(f"| {p.column} | `{p.path}` | {span} |")
    return lines


def _markdown_outcome(result: SweepResult, o: OutcomeSpec) -> list[str]:
    """An outcome's heading and how it varied across all runs (and how often a first event never happened)."""
    values = result.results[o.name]
    lines = [
        "",
        f"## {o.name}",
        "",
        f"{_describe(o, result.scenario)}. Across all runs: mean {values.mean():.4g}, "
        f"std {values.std(ddof=0):.4g}, range [{values.min():.4g}, {values.max():.4g}].",
    ]
    if o.kind == "first_event":
        never = result.manifest.get("never", {}).get(o.name, result.scenario.steps)
        lines[-1] += f" Never happened (value {never:g}) in {np.mean(values == never):.0%} of runs."
    lines.append("")
    return lines


def _markdown_indices(spec: SweepSpec, table: pd.DataFrame) -> list[str]:
    """One outcome's index table: Sobol's S1 and ST, Morris's mu*, mu and sigma, or a grid's main effects."""
    if spec.design == "sobol":
        if table["ST"].isna().all():
            return ["The outcome did not vary across points: the indices are undefined."]
        lines = [
            f"| parameter | S1 | ±{spec.confidence:.0%} | ST | ±{spec.confidence:.0%} |",
            "|---|---:|---:|---:|---:|",
        ]
        for r in table.sort_values("ST", ascending=False, kind="stable").itertuples():
            lines.append(f"| {r.parameter} | {r.S1:.3f} | {r.S1_conf:.3f} | {r.ST:.3f} | {r.ST_conf:.3f} |")
    elif spec.design == "morris":
        lines = [f"| parameter | mu* | ±{spec.confidence:.0%} | mu | sigma |", "|---|---:|---:|---:|---:|"]
        for r in table.sort_values("mu_star", ascending=False, kind="stable").itertuples():
            lines.append(f"| {r.parameter} | {r.mu_star:.4g} | {r.mu_star_conf:.4g} | {r.mu:.4g} | {r.sigma:.4g} |")
    else:
        lines = ["| parameter | value | mean | std | runs |", "|---|---:|---:|---:|---:|"]
        for r in table.itertuples():
            lines.append(f"| {r.parameter} | {r.value:g} | {r.mean:.4g} | {r.std:.4g} | {r.runs} |")
    return lines


def _describe(o: OutcomeSpec, scenario: Scenario) -> str:
    at = "at the end" if o.when == "end" else f"at {o.when}"
    if o.kind == "relation":
        a, b = (o.pair or "").split("-")
        return f"{'X0' if o.column == 'baseline' else 'W'}[{a}, {b}] {at} (how {a} regards {b})"
    if o.kind == "metric":
        return f"metric {o.metric} {at}"
    what = " ".join(
        x
        for x in (
            o.source,
            o.rule.replace("_", "-") if o.rule else "acts",
            f"({o.type})" if o.type else "",
            f"-> {o.target}" if o.target else "",
        )
        if x
    )
    return f"month (step from {scenario.start:%Y-%m}) in which {what} first"


# ---------------------------------------------------------------------------------------------
# charts: *_data computes, plot_* draws and returns the Figure


def sobol_data(result: SweepResult, outcome: str) -> IndexData:
    """First-order (S1) and total (ST) Sobol indices of ``outcome`` with their confidence intervals,
    parameters ordered by ST."""
    table = _indices_of(result, outcome).sort_values("ST", ascending=False, kind="stable")
    level = f"{result.spec.confidence:.0%}"
    return IndexData(
        outcome,
        table.parameter.tolist(),
        {"first order S1": table.S1.to_numpy(), "total ST": table.ST.to_numpy()},
        {"first order S1": table.S1_conf.to_numpy(), "total ST": table.ST_conf.to_numpy()},
        f"Sobol indices of {outcome} ({len(result.design)} points x {result.spec.replicates} runs; {level} intervals)",
        "share of the outcome's variance",
    )


def morris_data(result: SweepResult, outcome: str) -> IndexData:
    """Morris mu* (mean absolute elementary effect) and sigma of ``outcome``, ordered by mu*."""
    table = _indices_of(result, outcome).sort_values("mu_star", ascending=False, kind="stable")
    return IndexData(
        outcome,
        table.parameter.tolist(),
        {"mu*": table.mu_star.to_numpy(), "sigma": table.sigma.to_numpy()},
        {"mu*": table.mu_star_conf.to_numpy(), "sigma": np.zeros(len(table))},
        f"Morris screening of {outcome} ({result.spec.samples} trajectories x {result.spec.replicates} runs)",
        "elementary effect",
    )


def effects_data(result: SweepResult, outcome: str) -> EffectsData:
    """Main effects on a grid: the outcome's mean and std at each value of each parameter."""
    return EffectsData(
        outcome, _indices_of(result, outcome)[["parameter", "value", "mean", "std", "runs"]].reset_index(drop=True)
    )


def _indices_of(result: SweepResult, outcome: str) -> pd.DataFrame:
    if outcome not in result.outcomes:
        raise KeyError(f"no outcome {outcome!r}; outcomes: {', '.join(result.outcomes)}")
    return result.indices[result.indices.outcome == outcome]


# ---------------------------------------------------------------------------------------------
def load_sweep(folder: str | Path) -> SweepResult:
    """A sweep folder read back (tables from CSV; results from Parquet when present)."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    scenario = Scenario.model_validate(read_yaml_file(folder / "scenario.resolved.yaml", "resolved scenario"))
    if scenario.sweep is None:
        raise InputError("not a sweep folder: its scenario has no 'sweep:' section", path=folder)
    spec = scenario.sweep
    if manifest.get("design") and spec.design != manifest["design"]:
        raise InputError("the sweep folder's manifest and scenario disagree on the design", path=folder)
    design = pd.read_csv(folder / "design.csv")
    results = (
        pd.read_parquet(folder / "results.parquet")
        if (folder / "results.parquet").is_file() and has_pyarrow()
        else pd.read_csv(folder / "results.csv")
    )
    indices = pd.read_csv(folder / f"{INDEX_FILES[spec.design]}.csv")
    return SweepResult(scenario, spec, design, results, indices, manifest)
