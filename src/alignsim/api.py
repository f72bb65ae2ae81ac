"""The Python API that notebooks use: load a scenario, run it (once or as an ensemble), compare
scenarios, load saved folders back. Every CLI command has a twin here:

==========================================================  ==============================================
command line                                                Python
==========================================================  ==============================================
``alignsim run S.yaml --replicates 100 --seed 7``           ``alignsim.run("S.yaml", replicates=100, seed=7)``
``alignsim run S.yaml --out DIR``                           ``alignsim.run("S.yaml").save("DIR")``
``alignsim compare A.yaml B.yaml --replicates 50``          ``alignsim.compare("A.yaml", "B.yaml", replicates=50)``
(a run or comparison folder)                                ``alignsim.load("DIR")``
==========================================================  ==============================================

Parameters of the model (``alignsim.world.params.Params``: ``beta``, ``alpha``, ``noise``, ...) are
overridden by keyword, validated like a scenario file's ``params:``.

The examples below run from the repository's root folder (where ``scenarios/`` is).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from alignsim.config.scenario import Scenario
from alignsim.config.scenario import load_scenario as _load_scenario
from alignsim.errors import InputError
from alignsim.experiments.comparison import CompareResult, compare_scenarios
from alignsim.experiments.loading import load as _load
from alignsim.experiments.simulate import run_scenario
from alignsim.results.run import RunResult

ScenarioLike = Scenario | str | Path


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; mistakes raise :class:`~alignsim.errors.InputError`
    naming the file, line and field.

    >>> import alignsim
    >>> scenario = alignsim.load_scenario("scenarios/article_timeline_2024.yaml")
    >>> scenario.name, scenario.steps, scenario.seed
    ('article_timeline_2024', 36, 2024)
    >>> scenario.params.beta
    0.1
    """
    return _load_scenario(path)


def run(
    scenario: ScenarioLike,
    *,
    replicates: int | None = None,
    seed: int | None = None,
    workers: int | None = None,
    progress: bool = True,
    scheduler: str | None = None,
    **param_overrides: Any,
) -> RunResult:
    """Run a scenario (a :class:`Scenario` or the path of its file) and return a :class:`RunResult`.

    ``replicates`` (default: the scenario's, usually 1) makes it an ensemble whose replicate seeds
    are spawned from ``seed`` (default: the scenario's); ``workers`` processes run them (default: all
    cores; 1: in this process), or the Dask cluster whose scheduler address is ``scheduler``
    (default: the ``ALIGNSIM_SCHEDULER`` environment variable; the same results). ``progress`` shows
    a bar with the time left on a terminal (never in a notebook). Other keywords override model
    parameters.

    The tables are pandas DataFrames with a ``replicate`` column; plot methods take an optional
    matplotlib ``ax`` and return the Figure; ``save(folder)`` writes a run folder.

    >>> import alignsim
    >>> result = alignsim.run("scenarios/article_timeline_2024.yaml")
    >>> result.replicates, len(result.metrics)
    (1, 37)
    >>> result.relations.columns.tolist()
    ['replicate', 'step', 'date', 'source', 'target', 'weight', 'baseline']
    >>> result.events[result.events.origin == "agent"][["source", "type", "target", "rule"]].values.tolist()
    [['JPN', 'invitation', 'MNG', 'reciprocate']]

    The rules the history data do not support (docs/model.md, "Evidence for each rule") are off by
    default; switched on, Pyongyang freezes its coverage of Havana after Seoul's recognition:

    >>> on = alignsim.run("scenarios/article_timeline_2024.yaml", cool_on=True, court_on=True)
    >>> on.events[on.events.rule == "cool"][["source", "type", "target"]].values.tolist()
    [['PRK', 'media_freeze', 'CUB']]

    An ensemble, with a parameter changed (a faster return to what interests justify):

    >>> ensemble = alignsim.run("scenarios/baseline_2024.yaml", replicates=8, seed=1, workers=1, beta=0.2)
    >>> ensemble.replicates, ensemble.scenario.params.beta
    (8, 0.2)
    >>> sorted(ensemble.metrics.replicate.unique().tolist())
    [0, 1, 2, 3, 4, 5, 6, 7]
    >>> band = ensemble.band("PRK", "CUB")      # one row per date: mean, p5, median, p95
    >>> bool((band.p5 <= band["median"]).all() and (band["median"] <= band.p95).all())
    True
    >>> fig = ensemble.plot_pairs(["PRK-CUB"])
    >>> type(fig).__name__
    'Figure'
    """
    resolved, text = _resolve(scenario, param_overrides)
    return run_scenario(
        resolved,
        seed=seed,
        source_text=text,
        replicates=replicates,
        workers=workers,
        progress=progress,
        scheduler=scheduler,
    )


def compare(
    *scenarios: ScenarioLike | Sequence[ScenarioLike],
    replicates: int | None = None,
    seed: int | None = None,
    workers: int | None = None,
    at: Sequence[str | dt.date] = (),
    progress: bool = True,
    scheduler: str | None = None,
    **param_overrides: Any,
) -> CompareResult:
    """Run two or more scenarios as ensembles with common random numbers (replicate k of every
    scenario uses the same seed) and compare them; the first is the reference.

    ``replicates`` defaults to the largest among the scenarios, or 100 when none asks for an
    ensemble; ``seed`` to the first scenario's; ``at`` adds months (``"2024-06"``) to the outcome
    table besides the end; ``scheduler`` runs the replicates on a Dask cluster, as in :func:`run`.
    Other keywords override model parameters in every scenario.

    >>> import alignsim
    >>> cmp = alignsim.compare("scenarios/baseline_2024.yaml", "scenarios/dzud_aid.yaml", replicates=6, workers=1, at=["2024-06"])
    >>> cmp.names
    ['baseline_2024', 'dzud_aid']
    >>> row = cmp.outcomes.query("pair == 'KOR-MNG' and scenario == 'dzud_aid' and when == '2024-06'").iloc[0]
    >>> bool(row.diff_p5 > 0)     # three months after the aid, Seoul likes Ulaanbaatar better in every run
    True
    >>> cmp.reactions.columns.tolist()
    ['scenario', 'source', 'rule', 'target', 'forms', 'share', 'mean_count']
    >>> type(cmp.plot_pair("KOR-MNG")).__name__
    'Figure'
    """
    items: list[ScenarioLike] = []
    for s in scenarios:
        items.extend(s if isinstance(s, (list, tuple)) else [s])  # type: ignore[arg-type]
    resolved = [_resolve(s, param_overrides) for s in items]
    return compare_scenarios(
        [s for s, _ in resolved],
        replicates=replicates,
        seed=seed,
        workers=workers,
        at=at,
        progress=progress,
        source_texts=[t for _, t in resolved],
        scheduler=scheduler,
    )


def load(folder: str | Path, *, verify: bool = True) -> RunResult | CompareResult:
    """Read a saved run folder (a :class:`RunResult`) or comparison folder (a :class:`CompareResult`)
    back: the same tables, plot methods and ``save``. Every file is first checked against the
    checksums of its manifest, and the folder must hold exactly the files listed; ``verify=False``
    reads a folder that cannot be verified (one written before checksums existed) as it is.

    >>> import alignsim, pathlib, tempfile
    >>> result = alignsim.run("scenarios/baseline_2024.yaml", replicates=3, workers=1)
    >>> folder = result.save(pathlib.Path(tempfile.mkdtemp()) / "baseline", charts=False)
    >>> again = alignsim.load(folder)
    >>> again.replicates, again.relations.shape == result.relations.shape
    (3, True)
    """
    return _load(folder, verify=verify)  # type: ignore[no-any-return]


def _resolve(scenario: ScenarioLike, overrides: dict[str, Any]) -> tuple[Scenario, str | None]:
    """The scenario with its parameter overrides, and its file's text (for the manifest's sha256;
    ``None`` once parameters are overridden, so that the hash describes what ran)."""
    text: str | None = None
    if isinstance(scenario, Scenario):
        resolved = scenario
    elif isinstance(scenario, (str, Path)):
        resolved = _load_scenario(scenario)
        text = Path(scenario).read_text(encoding="utf-8")
    else:
        raise TypeError(f"expected a Scenario or the path of a scenario file, got {type(scenario).__name__}")
    if not overrides:
        return resolved, text
    try:
        return resolved.with_overrides(**overrides), None
    except ValidationError as err:
        first = err.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise InputError(f"{first['msg']} (got {first.get('input')!r})", field=field) from None
