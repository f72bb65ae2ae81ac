"""Chart data of a run: what each chart shows, computed from a :class:`RunResult` as plain data
that :mod:`alignsim.viz.charts` draws; and the run folder's charts."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from alignsim.model.rules import rule_labels
from alignsim.results.scaling import is_large_world
from alignsim.viz.charts import (
    BandData,
    BlocsData,
    MatricesData,
    NetworkData,
    PairsData,
    network_layout,
    plot_band,
    plot_blocs,
    plot_drift,
    plot_matrices,
    plot_network,
    plot_pairs,
    save_png,
)
from alignsim.viz.report_html import MEASURES, RunReport

if TYPE_CHECKING:
    from alignsim.results.run import RunResult


def _matrix(result: RunResult, step: int, column: str = "weight") -> tuple[list[str], np.ndarray]:
    codes = list(dict.fromkeys(result.relations.source))
    rows = result.relations[result.relations.step == step]
    idx = {c: i for i, c in enumerate(codes)}
    mat = np.zeros((len(codes), len(codes)))
    mat[rows.source.map(idx), rows.target.map(idx)] = rows[column].to_numpy()
    return codes, mat


def old_friends(result: RunResult, threshold: float | None = None) -> set[tuple[str, str]]:
    """Pairs that started as friends both ways round (W at step 0 at or above the friend threshold
    in each direction): a chart says "old friends" only of a friendship both states hold."""
    t = result.scenario.params.friend_threshold if threshold is None else threshold
    r = result.relations[(result.relations.step == 0) & (result.relations.weight >= t)]
    one_way = set(zip(r.source, r.target))
    return {(a, b) for a, b in one_way if (b, a) in one_way}


def pairs_data(result: RunResult, pairs: list[str] | None = None) -> PairsData:
    """Relations of the tracked pairs (both directions and the baseline), with shocks and the
    agent reactions inside each pair."""
    pairs = list(pairs or result.scenario.track) or _default_pairs(result)
    friends = old_friends(result)
    r = result.relations
    frames = []
    for pair in pairs:
        a, b = pair.split("-")
        fwd = r[(r.source == a) & (r.target == b)]
        back = r[(r.source == b) & (r.target == a)]
        frames.append(
            pd.DataFrame(
                {
                    "pair": pair,
                    "date": pd.to_datetime(fwd.date.to_numpy()),
                    "weight": fwd.weight.to_numpy(),
                    "reverse": back.weight.to_numpy(),
                    "baseline": fwd.baseline.to_numpy(),
                    "old_friend": (a, b) in friends,
                }
            )
        )
    return PairsData(
        pd.concat(frames, ignore_index=True), *shocks_and_reactions(result.events, pairs), rules=rule_labels()
    )


#: How many pairs a chart shows when the scenario tracks none: the largest drifts from the start.
DEFAULT_PAIRS = 6


def largest_drift_pairs(drift: pd.DataFrame, count: int = DEFAULT_PAIRS) -> list[str]:
    """The pairs charted when a scenario tracks none: the first ``count`` rows of a drift table
    (:func:`drift_data` or :func:`ensemble_drift_data`, largest drift first), written 'SRC-TGT'."""
    return [f"{s}-{t}" for s, t in zip(drift.source[:count], drift.target[:count])]


def _default_pairs(result: RunResult) -> list[str]:
    return largest_drift_pairs(drift_data(result))


#: The columns of an event that a hover label or a table of causes shows.
CAUSE_COLUMNS = ["source", "type", "target", "rule", "detail", "cause"]


def shocks_and_reactions(ev: pd.DataFrame, pairs: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A single run's scripted shocks (date, label and the event's own columns) and the agent
    reactions inside each tracked pair (pair, date, rule, label, and the event's columns with its cause)."""
    return scripted_shocks(ev), _pair_reactions(ev[ev.origin == "agent"], pairs)


def scripted_shocks(ev: pd.DataFrame) -> pd.DataFrame:
    """The first run's scripted shocks: date, label, source, type, target, rule, detail, cause."""
    first = ev[(ev.origin == "scenario") & (ev.replicate == ev.replicate.min())] if len(ev) else ev
    out = first[CAUSE_COLUMNS].fillna("").reset_index(drop=True) if len(first) else pd.DataFrame(columns=CAUSE_COLUMNS)
    out.insert(0, "label", [_label(e) for e in first.itertuples()])
    out.insert(0, "date", pd.to_datetime(first.date).to_numpy())
    return out.assign(rule="")


def _pair_reactions(agent: pd.DataFrame, pairs: list[str]) -> pd.DataFrame:
    frames = []
    for pair in pairs:
        a, b = pair.split("-")
        mine = agent[((agent.source == a) & (agent.target == b)) | ((agent.source == b) & (agent.target == a))]
        frames.append(
            mine[CAUSE_COLUMNS]
            .fillna("")
            .assign(pair=pair, date=pd.to_datetime(mine.date).to_numpy(), label=mine.source + ": " + mine.type)
        )
    columns = ["pair", "date", "rule", "label", *[c for c in CAUSE_COLUMNS if c != "rule"]]
    frames = [f for f in frames if len(f)]  # pandas warns on concatenating empty date columns
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


def _label(e: Any) -> str:
    who = e.source + (f"-{e.target}" if e.target else "")
    return f"{e.type} {who}"


def matrices_data(result: RunResult) -> MatricesData:
    last = int(result.relations.step.max())
    codes, start = _matrix(result, 0)
    _, end = _matrix(result, last)
    dates = result.metrics.date
    return MatricesData(codes, start, end, str(dates.iloc[0]), str(dates.iloc[-1]))


#: The network draws a pair's tie when the mean of its two directions reaches this in magnitude.
MIN_TIE = 0.2


def network_edges(codes: list[str], mat: np.ndarray, allowed: np.ndarray | None = None) -> list[tuple[str, str, float]]:
    """(a, b, mean relation of the two directions) for each pair a before b whose mean reaches
    :data:`MIN_TIE` in magnitude -- among the ``allowed`` pairs only, when given."""
    sym = (mat + mat.T) / 2
    keep = np.abs(sym) >= MIN_TIE
    if allowed is not None:
        keep &= allowed
    return [(codes[i], codes[j], float(sym[i, j])) for i, j in zip(*np.nonzero(np.triu(keep, 1)))]


def network_data(result: RunResult, step: int | None = None) -> NetworkData:
    step = int(result.relations.step.max()) if step is None else step
    codes, mat = _matrix(result, step)
    edges = network_edges(codes, mat)
    row = result.metrics[result.metrics.step == step].iloc[0]
    caps = {s.code: s.capability for s in result.scenario.world_spec.states}
    return NetworkData(
        codes, [caps[c] for c in codes], [str(row[f"bloc_{c}"]) for c in codes], edges, "", network_layout(codes, edges)
    )


def blocs_data(result: RunResult) -> BlocsData:
    m = result.metrics
    codes = [c.removeprefix("bloc_") for c in m.columns if c.startswith("bloc_")]
    labels = m[[f"bloc_{c}" for c in codes]].astype(str).to_numpy().T
    names = sorted(set(labels.ravel()))
    return BlocsData(codes, list(m.date), np.vectorize(names.index)(labels), names)


def drift_data(result: RunResult) -> pd.DataFrame:
    """source, target, start, end, baseline_end, drift (end - start), interest_pull (baseline_end -
    start), old_friend; largest absolute drift first. Drift close to interest_pull is relaxation toward
    interests; drift away from it is the work of events and balance."""
    r = result.relations
    last = r.step.max()
    start = r[r.step == 0].set_index(["source", "target"]).weight
    end_rows = r[r.step == last].set_index(["source", "target"])
    out = pd.DataFrame({"start": start, "end": end_rows.weight, "baseline_end": end_rows.baseline}).reset_index()
    out["drift"] = out.end - out.start
    out["interest_pull"] = out.baseline_end - out.start  # where interests alone would have moved it
    friends = old_friends(result)
    out["old_friend"] = [(s, t) in friends for s, t in zip(out.source, out.target)]
    return out.reindex(out.drift.abs().sort_values(ascending=False, kind="stable").index).reset_index(drop=True)


def band_data(
    result: RunResult, pairs: list[str] | None = None, *, runs: int = 0, low: float = 0.05, high: float = 0.95
) -> BandData:
    """Median, mean and ``low``-``high`` quantile band of each tracked pair across replicates."""
    pairs = list(pairs or result.scenario.track) or _default_ensemble_pairs(result)
    cube = result.relation_cube
    reps = cube.replicates
    dates = pd.to_datetime(pd.Series(cube.dates)).to_numpy()
    threshold = result.scenario.params.friend_threshold
    frames, run_frames = [], []
    for pair in pairs:
        a, b = pair.split("-")
        w = cube.series(a, b)
        lo, mid, hi = np.quantile(w, [low, 0.5, high], axis=0)
        frames.append(
            pd.DataFrame(
                {
                    "pair": pair,
                    "date": dates,
                    "mean": w.mean(axis=0),
                    "p5": lo,
                    "median": mid,
                    "p95": hi,
                    "reverse": np.median(cube.series(b, a), axis=0),
                    "baseline": np.median(cube.series(a, b, "baseline"), axis=0),
                    "old_friend": bool(w[0, 0] >= threshold and cube.series(b, a)[0, 0] >= threshold),
                }
            )
        )
        k = min(runs, reps)
        if k:
            run_frames.append(
                pd.DataFrame(
                    {
                        "pair": pair,
                        "replicate": np.repeat(np.arange(k), len(dates)),
                        "date": np.tile(dates, k),
                        "weight": w[:k].ravel(),
                    }
                )
            )
    ev = result.events
    shocks = scripted_shocks(ev)
    rows = []
    agent = ev[ev.origin == "agent"]
    for pair in pairs:
        a, b = pair.split("-")
        mine = agent[((agent.source == a) & (agent.target == b)) | ((agent.source == b) & (agent.target == a))]
        for (date, rule), group in mine.groupby(["date", "rule"], sort=True):
            example = group.sort_values(["replicate", "step"], kind="stable").iloc[0]  # the cause of one run
            rows.append(
                {"pair": pair, "date": pd.Timestamp(date), "rule": rule, "share": group.replicate.nunique() / reps}
                | {c: ("" if pd.isna(example[c]) else example[c]) for c in CAUSE_COLUMNS if c != "rule"}
            )
    return BandData(
        pd.concat(frames, ignore_index=True),
        pd.concat(run_frames, ignore_index=True)
        if run_frames
        else pd.DataFrame(columns=["pair", "replicate", "date", "weight"]),
        shocks,
        pd.DataFrame(rows, columns=["pair", "date", "rule", "share", *[c for c in CAUSE_COLUMNS if c != "rule"]]),
        reps,
        low,
        high,
        rules=rule_labels(),
    )


def _default_ensemble_pairs(result: RunResult) -> list[str]:
    return largest_drift_pairs(ensemble_drift_data(result))


def ensemble_matrices_data(result: RunResult) -> MatricesData:
    """The median relation matrix across runs at the start and at the end."""
    cube = result.relation_cube
    weight = cube.values["weight"]
    # from the pairs' medians: no replicates x steps x N x N array of matrices
    mats = [cube.as_matrices(np.median(weight[:, step], axis=0)) for step in (0, -1)]
    note = f", median of {weight.shape[0]} runs"
    return MatricesData(cube.codes, mats[0], mats[1], str(cube.dates[0]), str(cube.dates[-1]), note)


def modal_blocs(result: RunResult) -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    """Each state's most common bloc at every step across runs: codes, dates, labels (states x
    steps) and the share of runs that agree (ties go to the alphabetically first bloc)."""
    m = result.metrics.sort_values(["replicate", "step"], kind="stable")
    codes = [c.removeprefix("bloc_") for c in m.columns if c.startswith("bloc_")]
    steps = list(dict.fromkeys(m.step))
    reps = m.replicate.nunique()
    labels = np.empty((len(codes), len(steps)), dtype=object)
    share = np.zeros((len(codes), len(steps)))
    for i, code in enumerate(codes):
        values = m[f"bloc_{code}"].astype(str).to_numpy().reshape(reps, len(steps))
        for t in range(len(steps)):
            names, counts = np.unique(values[:, t], return_counts=True)
            k = int(np.argmax(counts))
            labels[i, t], share[i, t] = names[k], counts[k] / reps
    dates = list(m.date.iloc[: len(steps)].astype(str))
    return codes, dates, labels, share


def ensemble_blocs_data(result: RunResult) -> BlocsData:
    codes, dates, labels, share = modal_blocs(result)
    names = sorted(set(labels.ravel().tolist()))
    return BlocsData(codes, dates, np.vectorize(names.index)(labels), names, share)


def ensemble_network_data(result: RunResult) -> NetworkData:
    """The median end matrix across runs, states coloured by their most common end bloc."""
    data = ensemble_matrices_data(result)
    codes, mat = data.codes, data.end
    edges = network_edges(codes, mat)
    bloc_codes, _, labels, _ = modal_blocs(result)
    end_bloc = dict(zip(bloc_codes, labels[:, -1].tolist()))
    caps = {s.code: s.capability for s in result.scenario.world_spec.states}
    return NetworkData(
        codes,
        [caps[c] for c in codes],
        [str(end_bloc[c]) for c in codes],
        edges,
        f" (median of {result.replicates} runs; most common blocs)",
        network_layout(codes, edges),
    )


def mutual_friends(cube: Any, start: np.ndarray, threshold: float) -> np.ndarray:
    """Per directed pair of ``cube``: both directions start at or above ``threshold``."""
    index = {(s, t): k for k, (s, t) in enumerate(zip(cube.sources, cube.targets))}
    reverse = np.array([start[index[(t, s)]] for s, t in zip(cube.sources, cube.targets)])
    return (start >= threshold) & (reverse >= threshold)


def ensemble_drift_data(result: RunResult, low: float = 0.05, high: float = 0.95) -> pd.DataFrame:
    """Per directed pair across runs: start, median end, median baseline_end, median drift with its
    ``low``-``high`` interval (drift_p5, drift_p95), interest_pull (median baseline_end - start),
    old_friend; largest absolute median drift first."""
    cube = result.relation_cube
    w, base = cube.values["weight"], cube.values["baseline"]
    start = w[0, 0]
    drift = w[:, -1] - w[:, 0]
    lo, mid, hi = np.quantile(drift, [low, 0.5, high], axis=0)
    baseline_end = np.median(base[:, -1], axis=0)
    out = pd.DataFrame(
        {
            "source": cube.sources,
            "target": cube.targets,
            "start": start,
            "end": np.median(w[:, -1], axis=0),
            "baseline_end": baseline_end,
            "drift": mid,
            "drift_p5": lo,
            "drift_p95": hi,
            "interest_pull": baseline_end - start,
            "old_friend": mutual_friends(cube, start, result.scenario.params.friend_threshold),
        }
    )
    out = out.reindex(out.drift.abs().sort_values(ascending=False, kind="stable").index).reset_index(drop=True)
    out.attrs["replicates"] = cube.replicates
    return out


def save_charts(result: RunResult, folder: Path, *, show_runs: int = 0) -> list[Path]:
    """The run folder's charts; an ensemble's show the median across runs and its 5–95% band
    (``show_runs`` individual runs drawn on the tracked pairs). A world of more than
    :data:`~alignsim.results.scaling.LARGE_WORLD_STATES` states gets the views of :func:`large_world_figures`."""
    folder.mkdir(parents=True, exist_ok=True)
    with _cyclic_gc_paused():
        return _save_charts(result, folder, show_runs)


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Drawing the charts allocates some 10^5 short-lived matplotlib objects, and each pass of the
    cyclic garbage collector they trigger walks every object alive, the run's tables included:
    a sixth of the drawing time. Paused while drawing (reference counting still frees at once
    what is no longer used), and the collector back on, as it was, afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _save_charts(result: RunResult, folder: Path, show_runs: int) -> list[Path]:
    if is_large_world(result.scenario):
        figures = large_world_figures(result, show_runs=show_runs)
    elif result.is_ensemble:
        figures = {
            "tracked_pairs.png": plot_band(band_data(result, runs=show_runs)),
            "relations_start_end.png": plot_matrices(ensemble_matrices_data(result)),
            "alignment_network_end.png": plot_network(ensemble_network_data(result)),
            "blocs_over_time.png": plot_blocs(ensemble_blocs_data(result)),
            "drift.png": plot_drift(ensemble_drift_data(result)),
        }
    else:
        figures = {
            "tracked_pairs.png": plot_pairs(pairs_data(result)),
            "relations_start_end.png": plot_matrices(matrices_data(result)),
            "alignment_network_end.png": plot_network(network_data(result)),
            "blocs_over_time.png": plot_blocs(blocs_data(result)),
            "drift.png": plot_drift(drift_data(result)),
        }
    paths = []
    for name, fig in figures.items():
        save_png(fig, folder / name)
        paths.append(folder / name)
    return paths


# ---------------------------------------------------------------------------------------------
# large worlds: views fit for N, computed from the relation arrays (never the long table)

#: Ties drawn per state on a large world's network (its strongest), before the threshold MIN_TIE.
NETWORK_TIES_PER_STATE = 2


def large_world_figures(result: RunResult, *, show_runs: int = 0) -> dict[str, Any]:
    """The same five charts for a world of hundreds of states, each in a view that stays readable
    and costs time in proportion to N x N once: the tracked pairs (or the largest drifts); both
    matrices with the states ordered by their bloc at the end and no numbers in the cells; the
    network of each state's strongest ties; blocs over time; the largest drifts."""
    drift = large_drift_data(result)
    pairs = list(result.scenario.track) or [f"{a}-{b}" for a, b in zip(drift.source[:6], drift.target[:6])]
    tracked = (
        plot_band(band_data(result, pairs, runs=show_runs))
        if result.is_ensemble
        else plot_pairs(large_pairs_data(result, pairs))
    )
    return {
        "tracked_pairs.png": tracked,
        "relations_start_end.png": plot_matrices(large_matrices_data(result)),
        "alignment_network_end.png": plot_network(large_network_data(result)),
        "blocs_over_time.png": plot_blocs(ensemble_blocs_data(result) if result.is_ensemble else blocs_data(result)),
        "drift.png": plot_drift(drift),
    }


def large_pairs_data(result: RunResult, pairs: list[str]) -> PairsData:
    """:func:`pairs_data` of a single run, read from the relation arrays."""
    cube = result.relation_cube
    dates = pd.to_datetime(pd.Series(cube.dates)).to_numpy()
    threshold = result.scenario.params.friend_threshold
    frames = []
    for pair in pairs:
        a, b = pair.split("-")
        w = cube.series(a, b)[0]
        frames.append(
            pd.DataFrame(
                {
                    "pair": pair,
                    "date": dates,
                    "weight": w,
                    "reverse": cube.series(b, a)[0],
                    "baseline": cube.series(a, b, "baseline")[0],
                    "old_friend": bool(w[0] >= threshold and cube.series(b, a)[0, 0] >= threshold),
                }
            )
        )
    return PairsData(
        pd.concat(frames, ignore_index=True), *shocks_and_reactions(result.events, pairs), rules=rule_labels()
    )


def large_drift_data(result: RunResult) -> pd.DataFrame:
    """:func:`ensemble_drift_data` (from the arrays); a single run's has no interval columns."""
    drift = ensemble_drift_data(result)
    return drift if result.is_ensemble else drift.drop(columns=["drift_p5", "drift_p95"])


def _end_blocs(result: RunResult) -> dict[str, str]:
    """Each state's bloc at the last step: the most common one across runs (ties to the
    alphabetically first, as :func:`modal_blocs`), from that step's rows only, all states in one grouping."""
    m = result.metrics
    columns = [c for c in m.columns if c.startswith("bloc_")]
    end = m.loc[m.step == m.step.max(), columns].astype(str).melt(var_name="column", value_name="bloc")
    counts = end.groupby(["column", "bloc"]).size().rename("n").reset_index()
    modal = counts.sort_values(["column", "n", "bloc"], ascending=[True, False, True]).drop_duplicates("column")
    found = dict(zip(modal.column, modal.bloc, strict=True))
    return {c.removeprefix("bloc_"): found[c] for c in columns}


def large_matrices_data(result: RunResult) -> MatricesData:
    """The start and end matrices (median across runs), states ordered by bloc at the end and,
    within a bloc, by capability: the bloc structure shows as blocks on the diagonal."""
    data = ensemble_matrices_data(result)
    blocs = _end_blocs(result)
    caps = {s.code: s.capability for s in result.scenario.world_spec.states}
    order = sorted(
        range(len(data.codes)), key=lambda i: (str(blocs.get(data.codes[i], "")), -caps[data.codes[i]], data.codes[i])
    )
    runs = data.note if result.is_ensemble else ""
    note = f"{runs}\n{len(order)} states, ordered by their bloc at the end"
    return MatricesData(
        [data.codes[i] for i in order],
        data.start[np.ix_(order, order)],
        data.end[np.ix_(order, order)],
        data.start_date,
        data.end_date,
        note,
    )


def strongest_edges(codes: list[str], mat: np.ndarray) -> list[tuple[str, str, float]]:
    """:func:`network_edges` among each state's :data:`NETWORK_TIES_PER_STATE` strongest ties: O(N) edges."""
    sym = np.abs((mat + mat.T) / 2)
    np.fill_diagonal(sym, 0.0)
    keep = np.zeros_like(sym, dtype=bool)
    strongest = np.argsort(-sym, axis=1, kind="stable")[:, :NETWORK_TIES_PER_STATE]
    keep[np.repeat(np.arange(len(codes)), strongest.shape[1]), strongest.ravel()] = True
    return network_edges(codes, mat, allowed=keep | keep.T)


def large_network_data(result: RunResult) -> NetworkData:
    """The end network (median across runs) with each state's strongest ties only: at most
    :data:`NETWORK_TIES_PER_STATE` per state, each with |W| >= 0.2, so every state shows and the
    drawing has O(N) edges, not O(N^2)."""
    data = ensemble_matrices_data(result)
    codes, mat = data.codes, data.end
    edges = strongest_edges(codes, mat)
    blocs = _end_blocs(result)
    caps = {s.code: s.capability for s in result.scenario.world_spec.states}
    runs = f"median of {result.replicates} runs, " if result.is_ensemble else ""
    return NetworkData(
        codes,
        [caps[c] for c in codes],
        [str(blocs[c]) for c in codes],
        edges,
        f"\n({runs}{NETWORK_TIES_PER_STATE} strongest ties per state)",
        network_layout(codes, edges),
    )


# ---------------------------------------------------------------------------------------------
# report.html and the dashboard: the same data, as one typed report
def charted_pairs(result: RunResult) -> list[str]:
    """The pairs every chart of the run shows: the scenario's tracked pairs, else the largest drifts."""
    if result.scenario.track:
        return list(result.scenario.track)
    if is_large_world(result.scenario):
        return largest_drift_pairs(large_drift_data(result))
    return _default_ensemble_pairs(result) if result.is_ensemble else _default_pairs(result)


def run_report(result: RunResult, pairs: list[str] | None = None) -> RunReport:
    """What report.html and the dashboard draw of ``result``, from the functions that feed the PNGs."""
    large, ensemble = is_large_world(result.scenario), result.is_ensemble
    pairs = list(pairs or charted_pairs(result))
    if ensemble:
        tracked: PairsData | BandData = band_data(result, pairs)
    else:
        tracked = large_pairs_data(result, pairs) if large else pairs_data(result, pairs)
    network = large_network_data if large else ensemble_network_data if ensemble else network_data
    drift = large_drift_data if large else ensemble_drift_data if ensemble else drift_data
    s = result.scenario
    seed = result.manifest.get("seed", s.seed)
    return RunReport(
        name=s.name,
        description=s.description,
        kind=f"an ensemble of {result.replicates} runs" if ensemble else f"one run, seed {seed}",
        world=s.world_spec.name,
        start=str(s.start),
        steps=s.steps,
        replicates=result.replicates,
        names={st.code: st.name for st in s.world_spec.states},
        pairs=tracked,
        network=network(result),
        blocs=ensemble_blocs_data(result) if ensemble else blocs_data(result),
        drift=drift(result),
        measures=measures_frame(result.metrics),
        reactions=reactions_with_causes(result),
        shocks=scripted_shocks(result.events),
        events=result.events if not ensemble else result.events.iloc[:0],
    )


def measures_frame(metrics: pd.DataFrame) -> pd.DataFrame:
    """measure, date, p5, median, p95 of each system measure across runs (one run: all three equal)."""
    present = [m for m in MEASURES if m in metrics]
    if not present:
        return pd.DataFrame(columns=["measure", "date", "p5", "median", "p95"])
    q = metrics.groupby("date")[present].quantile([0.05, 0.5, 0.95])
    q.index = q.index.set_names(["date", "q"])
    long = q.stack().rename("value").reset_index().rename(columns={"level_2": "measure"})
    wide = long.pivot_table(index=["measure", "date"], columns="q", values="value").reset_index()
    wide.columns = ["measure", "date", "p5", "median", "p95"]
    order = {m: k for k, m in enumerate(present)}
    return wide.sort_values(["measure", "date"], key=lambda c: c.map(order) if c.name == "measure" else c).reset_index(
        drop=True
    )


def reactions_with_causes(result: RunResult) -> pd.DataFrame:
    """The reaction frequencies (source, rule, target, forms, share, mean_count) with the cause the
    reaction had in the first run that shows it."""
    freq = result.reaction_frequencies()
    agent = result.events[result.events.origin == "agent"].sort_values(["replicate", "step"], kind="stable")
    example = agent.drop_duplicates(["source", "rule", "target"])[["source", "rule", "target", "cause"]]
    if freq.empty:
        return freq.assign(cause=pd.Series(dtype=object))
    return freq.merge(example, on=["source", "rule", "target"], how="left")


def network_at(result: RunResult, step: int, positions: dict[str, tuple[float, float]] | None = None) -> NetworkData:
    """The network at month ``step`` (median across runs; each state's most common bloc there), in
    the given layout (the end's, so states stay put while the time scrubber moves)."""
    cube = result.relation_cube
    codes = list(cube.codes)
    mat = cube.as_matrices(np.median(cube.values["weight"][:, step], axis=0))
    edges = strongest_edges(codes, mat) if is_large_world(result.scenario) else network_edges(codes, mat)
    m = result.metrics[result.metrics.step == result.metrics.step.unique()[step]]
    blocs = {c: m[f"bloc_{c}"].astype(str).mode().iloc[0] if f"bloc_{c}" in m else "" for c in codes}
    caps = {s.code: s.capability for s in result.scenario.world_spec.states}
    when = str(cube.dates[step])[:7]
    return NetworkData(
        codes,
        [caps[c] for c in codes],
        [blocs[c] for c in codes],
        edges,
        f" on {when}",
        positions or network_layout(codes, edges),
    )


def matrix_at(result: RunResult, step: int) -> tuple[list[str], np.ndarray]:
    """Codes and the relation matrix at month ``step`` (median across runs)."""
    cube = result.relation_cube
    return list(cube.codes), cube.as_matrices(np.median(cube.values["weight"][:, step], axis=0))
