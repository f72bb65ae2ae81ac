"""Comparing scenarios as ensembles with common random numbers.

Every scenario runs the same N replicates: replicate k of every scenario uses the same seed (child
k of ``SeedSequence(seed)``), so the difference between two scenarios is measured run by run and
the noise they share cancels (common random numbers; e.g. Law, *Simulation Modeling and Analysis*,
ch. 11). Runs are aligned by calendar date.

What a comparison reports, per tracked pair (the union of the scenarios' ``track`` lists):

- ``bands``: each scenario's mean, median and 5-95% band of W at every date, and the paired
  difference from the first scenario (the reference) with its band;
- ``outcomes``: at the end and at chosen dates, the mean, the 5-95% interval, the share of runs in
  which the relation is positive and in which it changed sign since the start, and the paired
  difference from the reference;
- ``reactions``: how often each agent reaction happened in each scenario (share of runs);
- ``blocs``: the bloc partitions at the end and how often each occurs.
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from alignsim.config.scenario import Scenario, month_index
from alignsim.errors import InputError
from alignsim.experiments.simulate import run_scenarios
from alignsim.model.rules import rule_labels
from alignsim.results.chart_data import ensemble_drift_data, largest_drift_pairs
from alignsim.results.folders import has_pyarrow, safe_name, write_csv, write_folder, write_parquet_chunks
from alignsim.results.integrity import read_manifest, write_manifest
from alignsim.results.manifest import make_manifest
from alignsim.results.run import RunResult, load_run, reaction_frequencies, read_table
from alignsim.results.scaling import resolved_yaml
from alignsim.viz import report_html, style
from alignsim.viz.charts import SAVE_OPTIONS, figure, plot_comparison_pair, plot_differences

#: Replicates per scenario when neither the command line nor the scenarios ask for an ensemble.
DEFAULT_REPLICATES = 100
LOW, HIGH = 0.05, 0.95
COMPARISON_TABLES = ("outcomes", "reactions", "blocs", "bands")
LOG = logging.getLogger("alignsim")


@dataclass
class CompareResult:
    """Scenarios run as ensembles with common random numbers, and what tells them apart.

    ``runs`` maps each scenario's name to its ensemble (the first is the reference). The tables
    (pandas DataFrames) are described in the module docstring; ``relations``, ``events`` and
    ``metrics`` are the runs' tables stacked, with a ``scenario`` column in front.
    """

    runs: dict[str, RunResult]
    bands: pd.DataFrame
    outcomes: pd.DataFrame
    reactions: pd.DataFrame
    blocs: pd.DataFrame
    manifest: dict[str, Any] = field(default_factory=dict)
    #: Charts that could not be drawn when the folder was saved (file name -> error); the tables were written.
    chart_errors: dict[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"<CompareResult {' vs '.join(self.names)}: {self.replicates} replicates each, seed {self.manifest.get('seed')}>"

    @property
    def names(self) -> list[str]:
        return list(self.manifest.get("scenarios_order") or self.runs)

    @property
    def reference(self) -> str:
        return self.names[0]

    @property
    def pairs(self) -> list[str]:
        return list(dict.fromkeys(self.bands.pair))

    @property
    def replicates(self) -> int:
        return int(self.manifest.get("replicates", 0)) or next(iter(self.runs.values())).replicates

    # ------------------------------------------------------------------ stacked tables
    def _stacked(self, name: str) -> pd.DataFrame:
        if not self.runs:
            raise InputError(
                "this comparison was saved without its runs (runs/); only its summary tables are available"
            )
        frames = [getattr(run, name).assign(scenario=key) for key, run in self.runs.items()]
        out = pd.concat(frames, ignore_index=True)
        return out[["scenario", *[c for c in out.columns if c != "scenario"]]]

    @property
    def relations(self) -> pd.DataFrame:
        return self._stacked("relations")

    @property
    def events(self) -> pd.DataFrame:
        return self._stacked("events")

    @property
    def metrics(self) -> pd.DataFrame:
        return self._stacked("metrics")

    def difference(self, source: str, target: str, scenario: str) -> pd.DataFrame:
        """W[source, target] in ``scenario`` minus the reference's, run by run: dates x replicates."""
        ref, other = self.runs[self.reference], self.runs[scenario]
        a, b = ref.relation(source, target), other.relation(source, target)
        common = a.index.intersection(b.index)
        return b.loc[common] - a.loc[common]

    # ------------------------------------------------------------------ charts
    def plot_pair(self, pair: str, ax: Any = None, *, difference: bool = False) -> Any:
        """Each scenario's band for one tracked pair and the differences from the reference (two
        panels); with ``ax``, one panel (the differences when ``difference``)."""
        rows = self.bands[self.bands.pair == pair]
        if rows.empty:
            raise KeyError(f"{pair} is not a tracked pair of this comparison; pairs: {', '.join(self.pairs)}")
        return plot_comparison_pair(rows, ax=ax, difference=difference)

    def plot_differences(self, ax: Any = None, *, date: str | None = None) -> Any:
        """Every scenario's effect on every tracked pair at the end (or ``date``), with 5-95% intervals."""
        return plot_differences(self.outcomes, ax=ax, date=date)

    def plot_reactions(self, ax: Any = None, *, top: int = 12) -> Any:
        """The most frequent agent reactions: share of runs in which each happened, per scenario."""
        every = reactions_wide(self.reactions, self.names)
        table = every.head(top).iloc[::-1]
        fig, a = figure(ax, (8.5, 0.36 * max(1, len(table)) * max(1, len(self.names)) / 2 + 2.0))
        height = 0.8 / len(self.names)
        y = np.arange(len(table))
        for k, name in enumerate(self.names):
            a.barh(
                y + (len(self.names) - 1) / 2 * height - k * height,
                table[name] if name in table else 0,
                height=height,
                color=style.series_color(k),
                label=name,
            )
        a.set_yticks(y, table.reaction)
        a.set_xlim(0, 1)
        a.set_xlabel(f"share of the {self.replicates} runs in which it happened")
        a.legend(
            fontsize=8,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.12 if len(table) > 5 else -0.3),
            ncols=min(4, len(self.names)),
            frameon=False,
        )
        shown = (
            f"all {len(every)}"
            if len(table) == len(every)
            else f"the {len(table)} most frequent of {len(every)}; all in reactions.md"
        )
        a.set_title(f"How often each agent reaction happened ({shown})", fontsize=10)
        return fig

    # ------------------------------------------------------------------ text
    def report(self) -> report_html.CompareReport:
        """What report.html shows, as typed data."""
        return report_html.CompareReport(self.names, self.replicates, self.bands, self.outcomes, self.reactions)

    def to_markdown(self) -> str:
        """The comparison as a Markdown report (the folder's README.md)."""
        return comparison_markdown(self)

    # ------------------------------------------------------------------ saving
    def save(
        self,
        out: str | Path,
        *,
        overwrite: bool = False,
        charts: bool = True,
        parquet: bool | None = None,
        runs: bool = True,
    ) -> Path:
        """Write the comparison folder whole or not at all: README.md, the tables as CSV and
        Markdown (Parquet too when pyarrow is installed), charts/ (one per tracked pair, the
        differences, the reactions) and, with ``runs``, each scenario's run folder in runs/."""
        if parquet is None:
            parquet = has_pyarrow()
        elif parquet and not has_pyarrow():
            raise InputError("Parquet output needs pyarrow: pip install 'alignsim[parquet]'", field="parquet")
        return write_folder(
            out, lambda folder: self._write(folder, charts=charts, parquet=parquet, runs=runs), overwrite=overwrite
        )

    def _write(self, folder: Path, *, charts: bool, parquet: bool, runs: bool) -> None:
        scen = folder / "scenarios"
        scen.mkdir()
        folders = run_folders(self.names)  # the names load_comparison numbers the folders by, whatever runs it found
        for name, run in self.runs.items():
            (scen / f"{folders[name]}.resolved.yaml").write_text(
                resolved_yaml(run.scenario.resolved()), encoding="utf-8"
            )
        for name in COMPARISON_TABLES:
            table = getattr(self, name)
            write_csv(table, folder / f"{name}.csv")
            if parquet:
                write_parquet_chunks(iter([table]), folder / f"{name}.parquet")
        (folder / "outcomes.md").write_text(outcomes_markdown(self.outcomes, self.names) + "\n", encoding="utf-8")
        (folder / "reactions.md").write_text(reactions_markdown(self.reactions, self.names) + "\n", encoding="utf-8")
        (folder / "blocs.md").write_text(blocs_markdown(self.blocs, self.names) + "\n", encoding="utf-8")
        if runs:
            for name, run in self.runs.items():
                (folder / "runs" / folders[name]).mkdir(parents=True)
                run._write(folder / "runs" / folders[name], charts=False, parquet=parquet)
        if charts:  # last, and never fatal: the tables above are the computed work
            self.chart_errors = self._write_charts(folder)
        (folder / "README.md").write_text(self.to_markdown(), encoding="utf-8")
        manifest = {
            **self.manifest,
            "files": sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()),
        }
        if self.chart_errors:
            manifest["chart_errors"] = self.chart_errors
        write_manifest(folder, manifest)

    def _write_charts(self, folder: Path) -> dict[str, str]:
        """Draw and save every chart; one that fails is logged and named in the result, the rest still drawn."""
        (folder / "charts").mkdir()
        drawers: dict[str, Callable[[], Any]] = {
            f"pair_{pair}.png": partial(self.plot_pair, pair) for pair in self.pairs
        }
        drawers["differences_end.png"] = self.plot_differences
        if len(self.reactions):
            drawers["reactions.png"] = self.plot_reactions
        drawers["report.html"] = lambda: report_html.write_report(self.report(), folder)  # the interactive twin
        errors: dict[str, str] = {}
        for name, draw in drawers.items():
            try:
                fig = draw()
                if name.endswith(".png"):
                    fig.savefig(folder / "charts" / name, **SAVE_OPTIONS)
            except Exception as err:  # noqa: BLE001 - a chart that cannot be drawn must not lose the tables
                errors[name] = f"{type(err).__name__}: {err}"
                LOG.warning("the comparison's %s could not be drawn (%s); the tables are written", name, errors[name])
        return errors


# ---------------------------------------------------------------------------------------------
def compare_scenarios(
    scenarios: Sequence[Scenario],
    *,
    replicates: int | None = None,
    seed: int | None = None,
    workers: int | None = None,
    at: Sequence[str | dt.date] = (),
    progress: bool = False,
    source_texts: Sequence[str | None] | None = None,
    scheduler: str | None = None,
) -> CompareResult:
    """Run every scenario as an ensemble with the same replicate seeds and compare them.

    ``seed`` defaults to the first scenario's; ``replicates`` to the largest ``replicates`` among
    the scenarios, or :data:`DEFAULT_REPLICATES` when none asks for an ensemble. ``at`` adds dates
    (``YYYY-MM`` or ``YYYY-MM-DD``: the step in that month) to the outcome table, besides the end.
    ``scheduler`` runs the replicates on a Dask cluster (default: ``ALIGNSIM_SCHEDULER``; the same results).
    """
    if len(scenarios) < 2:
        raise InputError("compare needs at least two scenarios", field="SCENARIO")
    _check_shared_states(scenarios)
    master = scenarios[0].seed if seed is None else seed
    n = _replicates(scenarios, replicates)
    texts = list(source_texts) if source_texts is not None else [None] * len(scenarios)
    names = unique_names([s.name for s in scenarios])  # files and folders are named by run_folders
    results = run_scenarios(
        scenarios,
        seed=master,
        replicates=n,
        workers=workers,
        progress=progress,
        source_texts=texts,
        scheduler=scheduler,
    )
    runs: dict[str, RunResult] = dict(zip(names, results))
    pairs = tracked_pairs(scenarios) or _default_pairs(runs[names[0]])
    manifest = _comparison_manifest(scenarios, runs, master, n, at)
    return CompareResult(
        runs=runs,
        bands=bands_frame(runs, pairs),
        outcomes=outcomes_frame(runs, pairs, at),
        reactions=reactions_frame(runs),
        blocs=blocs_frame(runs),
        manifest=manifest,
    )


def _replicates(scenarios: Sequence[Scenario], replicates: int | None) -> int:
    """The replicates of every scenario: ``replicates`` when given, else the largest a scenario asks
    for, or :data:`DEFAULT_REPLICATES` when none asks for an ensemble."""
    asked = max(s.replicates for s in scenarios)
    n = replicates if replicates is not None else (asked if asked > 1 else DEFAULT_REPLICATES)
    if n < 1:
        raise InputError("must be 1 or more", field="--replicates")
    return n


def _comparison_manifest(
    scenarios: Sequence[Scenario], runs: dict[str, RunResult], seed: int, n: int, at: Sequence[str | dt.date]
) -> dict[str, Any]:
    """The comparison's manifest: the first scenario's software and settings, the seed and its use,
    and each scenario's name, checksum, steps and start (``runs`` in scenario order)."""
    names = list(runs)
    return {
        "kind": "comparison",
        **{
            k: v
            for k, v in make_manifest(scenarios[0], seed).items()
            if k not in ("scenario", "scenario_sha256", "steps", "created")
        },
        "seed": seed,
        "replicates": n,
        "replicate_seeds": "common random numbers: replicate k of every scenario uses child k of numpy SeedSequence(seed).spawn(replicates)"
        if n > 1
        else "every scenario uses the seed itself",
        "scenarios_order": names,
        "scenarios": [
            {
                "name": name,
                "scenario_sha256": runs[name].manifest["scenario_sha256"],
                "steps": s.steps,
                "start": s.start.isoformat(),
            }
            for name, s in zip(names, scenarios)
        ],
        "at": [str(d) for d in at],
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def _check_shared_states(scenarios: Sequence[Scenario]) -> None:
    """Refuse scenarios whose worlds share no pair of states with the first one: a comparison
    aligns relations by state codes, and there would be nothing to compare."""
    reference = set(scenarios[0].world_spec.codes)
    for s in scenarios[1:]:
        shared = reference & set(s.world_spec.codes)
        if len(shared) < 2:
            raise InputError(
                f"scenario '{s.name}' (world '{s.world_spec.name}') shares {len(shared)} state(s) with '{scenarios[0].name}' "
                f"(world '{scenarios[0].world_spec.name}'); a comparison needs at least two states in common, so that a pair's relations can be compared",
                field="SCENARIO",
            )


def run_folders(names: Sequence[str]) -> dict[str, str]:
    """Each scenario's folder (``runs/``) and file (``scenarios/``) name in a comparison folder: its name
    made one harmless path component (:func:`~alignsim.results.folders.safe_name`: ``../../x`` -> ``x``),
    numbered when two names give the same one. The result keeps the names as given."""
    used: set[str] = set()
    folders: dict[str, str] = {}
    for name in names:
        base = candidate = safe_name(name)
        k = 2
        while _folded(candidate) in used:  # 'A' and 'a' are one folder on macOS and Windows
            candidate, k = f"{base}-{k}", k + 1
        used.add(_folded(candidate))
        folders[name] = candidate
    return folders


def _folded(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def unique_names(names: list[str]) -> list[str]:
    """Scenario names made unique by numbering repeats: a, a-2, a-3 (never a number a given name holds:
    ['a', 'a', 'a-2'] -> ['a', 'a-3', 'a-2'], so no run is lost)."""
    taken, out = set(names), []
    for name in names:
        candidate, k = name, 2
        while candidate in out or (candidate != name and candidate in taken):
            candidate, k = f"{name}-{k}", k + 1
        out.append(candidate)
    return out


def tracked_pairs(scenarios: Sequence[Scenario]) -> list[str]:
    """The union of the scenarios' tracked pairs, in order of first mention."""
    return list(dict.fromkeys(pair for s in scenarios for pair in s.track))


def _default_pairs(run: RunResult) -> list[str]:
    """The pairs a comparison charts when no scenario tracks any: the reference run's largest drifts."""
    return largest_drift_pairs(ensemble_drift_data(run))


def _pair_values(run: RunResult, pair: str) -> np.ndarray | None:
    """W of a directed pair, replicates x steps; None when the pair is not in the run's world."""
    a, b = pair.split("-")
    try:
        return run.relation_cube.series(a, b)
    except KeyError:
        return None


def bands_frame(runs: dict[str, RunResult], pairs: Sequence[str], low: float = LOW, high: float = HIGH) -> pd.DataFrame:
    """scenario, pair, date, mean, p5, median, p95 of W; and diff_mean, diff_p5, diff_median,
    diff_p95 of the paired difference from the first scenario on the dates both have."""
    names = list(runs)
    ref = runs[names[0]]
    ref_dates = {d: t for t, d in enumerate(ref.relation_cube.dates.tolist())}
    frames = []
    for pair in pairs:
        ref_values = _pair_values(ref, pair)
        for name in names:
            values = _pair_values(runs[name], pair)
            if values is None:
                continue
            dates = runs[name].relation_cube.dates.tolist()
            lo, mid, hi = np.quantile(values, [low, 0.5, high], axis=0)
            diff = np.full((4, len(dates)), np.nan)
            if name != names[0] and ref_values is not None and len(ref_values) == len(values):
                for t, d in enumerate(dates):
                    if d in ref_dates:
                        delta = values[:, t] - ref_values[:, ref_dates[d]]
                        diff[:, t] = [delta.mean(), *np.quantile(delta, [low, 0.5, high])]
            frames.append(
                pd.DataFrame(
                    {
                        "scenario": name,
                        "pair": pair,
                        "date": dates,
                        "mean": values.mean(axis=0),
                        "p5": lo,
                        "median": mid,
                        "p95": hi,
                        "diff_mean": diff[0],
                        "diff_p5": diff[1],
                        "diff_median": diff[2],
                        "diff_p95": diff[3],
                    }
                )
            )
    if not frames:
        raise InputError("none of the tracked pairs exists in these scenarios' worlds", field="track")
    return pd.concat(frames, ignore_index=True)


def resolve_dates(runs: dict[str, RunResult], at: Sequence[str | dt.date]) -> list[tuple[str, str]]:
    """(label, date) pairs for the outcome table: each date in ``at`` mapped to the step of its
    month, then the end -- the last date all scenarios share."""
    common = set.intersection(*(set(r.relation_cube.dates.tolist()) for r in runs.values()))
    if not common:
        raise InputError(
            "the scenarios share no date, so they cannot be compared; give them overlapping 'start' and 'steps'",
            field="start",
        )
    out = []
    for when in at:
        day = _parse_when(when)
        matches = [d for d in sorted(common) if month_index(dt.date.fromisoformat(d), day) == 0]
        if not matches:
            raise InputError(
                f"{when} is not a month that every scenario covers ({min(common)[:7]} to {max(common)[:7]})",
                field="--at",
            )
        out.append((str(when), matches[0]))
    out.append(("end", max(common)))
    return out


def _parse_when(when: str | dt.date) -> dt.date:
    if isinstance(when, dt.date):
        return when
    text = str(when)
    try:
        return dt.date.fromisoformat(text if len(text) > 7 else f"{text}-01")
    except ValueError:
        raise InputError(f"'{when}' is not a date; write YYYY-MM or YYYY-MM-DD", field="--at") from None


def outcomes_frame(
    runs: dict[str, RunResult],
    pairs: Sequence[str],
    at: Sequence[str | dt.date] = (),
    low: float = LOW,
    high: float = HIGH,
) -> pd.DataFrame:
    """when, date, pair, scenario, start, mean, p5, p95, p_positive (share of runs with W > 0),
    p_sign_change (share of runs whose W has the opposite strict sign to its start; empty when the
    start is 0), and the paired difference from the first scenario: diff_mean, diff_p5, diff_p95,
    p_above_reference (share of runs in which W is higher than in the reference's same run)."""
    names = list(runs)
    rows = []
    for label, date in resolve_dates(runs, at):
        for pair in pairs:
            ref = _at(runs[names[0]], pair, date)
            for name in names:
                got = _at(runs[name], pair, date)
                if got is None:
                    continue
                start, values = got
                lo, hi = np.quantile(values, [low, high])
                row: dict[str, Any] = {
                    "when": label,
                    "date": date,
                    "pair": pair,
                    "scenario": name,
                    "start": start,
                    "mean": values.mean(),
                    "p5": lo,
                    "p95": hi,
                    "p_positive": float((values > 0).mean()),
                    "p_sign_change": float((np.sign(values) == -np.sign(start)).mean()) if start != 0 else np.nan,
                    "diff_mean": np.nan,
                    "diff_p5": np.nan,
                    "diff_p95": np.nan,
                    "p_above_reference": np.nan,
                }
                if name != names[0] and ref is not None and len(ref[1]) == len(values):
                    delta = values - ref[1]
                    d_lo, d_hi = np.quantile(delta, [low, high])
                    row.update(
                        diff_mean=delta.mean(), diff_p5=d_lo, diff_p95=d_hi, p_above_reference=float((delta > 0).mean())
                    )
                rows.append(row)
    return pd.DataFrame(rows)


def _at(run: RunResult, pair: str, date: str) -> tuple[float, np.ndarray] | None:
    """The start value and every replicate's W of ``pair`` on ``date``."""
    values = _pair_values(run, pair)
    if values is None:
        return None
    t = run.relation_cube.dates.tolist().index(date)
    return float(values[0, 0]), values[:, t]


def reactions_frame(runs: dict[str, RunResult]) -> pd.DataFrame:
    """scenario, source, rule, target, forms, share (of runs with it at least once), mean_count."""
    frames = [reaction_frequencies(run.events, run.replicates).assign(scenario=name) for name, run in runs.items()]
    frames = [f for f in frames if len(f)]
    columns = ["scenario", "source", "rule", "target", "forms", "share", "mean_count"]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def blocs_frame(runs: dict[str, RunResult]) -> pd.DataFrame:
    """scenario, blocs (the end partition, e.g. 'CHN: PRK CHN RUS CUB vs USA: KOR JPN USA MNG'),
    runs (how many replicates ended in it), share; most frequent first."""
    rows = []
    for name, run in runs.items():
        m = run.metrics
        end = m[m.step == m.step.max()]
        codes = [c.removeprefix("bloc_") for c in m.columns if c.startswith("bloc_")]
        labels = end[[f"bloc_{c}" for c in codes]].astype(str).to_numpy()
        partitions = [_partition(codes, row) for row in labels]
        counts = pd.Series(partitions).value_counts(sort=False)
        counts = counts.iloc[np.lexsort((counts.index.to_numpy(), -counts.to_numpy()))]
        for partition, count in counts.items():
            rows.append({"scenario": name, "blocs": partition, "runs": int(count), "share": count / len(partitions)})
    return pd.DataFrame(rows, columns=["scenario", "blocs", "runs", "share"])


def _partition(codes: list[str], labels: Sequence[str]) -> str:
    groups: dict[str, list[str]] = {}
    for code, label in zip(codes, labels):
        groups.setdefault(label, []).append(code)
    return " vs ".join(f"{label}: {' '.join(members)}" for label, members in sorted(groups.items()))


# ---------------------------------------------------------------------------------------------
# Markdown
def _md_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def _interval(mean: float, lo: float, hi: float) -> str:
    return f"{mean:+.2f} [{lo:+.2f}, {hi:+.2f}]"


def _share(x: float) -> str:
    return "–" if pd.isna(x) else f"{x:.0%}"


def outcomes_markdown(outcomes: pd.DataFrame, names: list[str]) -> str:
    """One table per date: a row per tracked pair, a column per scenario with the mean [5%, 95%]
    of W, the paired difference from the reference, and the probability of a sign change."""
    parts = []
    for label in dict.fromkeys(outcomes.when):
        rows_at = outcomes[outcomes.when == label]
        date = rows_at.date.iloc[0]
        parts.append(f"### {'End of the runs' if label == 'end' else 'At ' + str(label)} ({date})")
        header = [
            "pair",
            *[f"{n}: W mean [5%, 95%]" for n in names],
            *[f"{n} − {names[0]}" for n in names[1:]],
            "P(sign changed since start)",
        ]
        rows = []
        for pair in dict.fromkeys(rows_at.pair):
            mine = rows_at[rows_at.pair == pair].set_index("scenario")
            cells = [pair.replace("-", " → ")]
            cells += [
                _interval(mine.at[n, "mean"], mine.at[n, "p5"], mine.at[n, "p95"]) if n in mine.index else "–"
                for n in names
            ]
            cells += [
                _interval(mine.at[n, "diff_mean"], mine.at[n, "diff_p5"], mine.at[n, "diff_p95"])
                if n in mine.index and pd.notna(mine.at[n, "diff_mean"])
                else "–"
                for n in names[1:]
            ]
            cells.append(", ".join(f"{n} {_share(mine.at[n, 'p_sign_change'])}" for n in names if n in mine.index))
            rows.append(cells)
        parts.append(_md_table(header, rows))
    note = (
        "\nW is how the first state regards the second (-1 hostile … +1 friendly). Intervals hold 90% of runs. "
        "Differences are paired: replicate k of every scenario uses the same seed, so the difference is taken run by run. "
        "A sign change counts when W ends with the opposite sign to its start (– when it started at 0)."
    )
    return "\n\n".join(parts) + "\n" + note


def reactions_wide(reactions: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """reaction (e.g. 'PRK court → MNG (visit)') x scenario: share of runs; most frequent first."""
    if reactions.empty:
        return pd.DataFrame(columns=["reaction", *names])
    forms = reactions.groupby(["source", "rule", "target"], sort=False)["forms"].agg(
        lambda s: ", ".join(sorted({f for x in s for f in x.split(", ")}))
    )
    wide = (
        reactions.pivot_table(
            index=["source", "rule", "target"], columns="scenario", values="share", aggfunc="first", sort=False
        )
        .reindex(columns=names)
        .fillna(0.0)
    )
    wide = wide.assign(_max=wide.max(axis=1)).sort_values("_max", ascending=False, kind="stable").drop(columns="_max")
    labels = [f"{s} {r.replace('_', '-')} → {t} ({forms.loc[(s, r, t)]})" for s, r, t in wide.index]
    out = wide.reset_index(drop=True)
    out.insert(0, "reaction", labels)
    out.columns.name = None
    return out


def reactions_markdown(reactions: pd.DataFrame, names: list[str]) -> str:
    wide = reactions_wide(reactions, names)
    if wide.empty:
        return "No agent reactions in any run."
    rows = [[str(r[0]), *[_share(x) for x in r[1:]]] for r in wide[["reaction", *names]].to_numpy().tolist()]
    return (
        _md_table(["agent reaction (forms)", *names], rows)
        + "\n\nShare of runs in which the reaction happened at least once ("
        + ", ".join(rule_labels().values())
        + ": see docs/model.md)."
    )


def blocs_markdown(blocs: pd.DataFrame, names: list[str]) -> str:
    rows = []
    for name in names:
        mine = blocs[blocs.scenario == name]
        for k, r in enumerate(mine.head(4).itertuples()):
            rows.append([name if k == 0 else "", r.blocs, _share(r.share)])
        if len(mine) > 4:
            rows.append(["", f"{len(mine) - 4} other partitions", _share(mine.share.iloc[4:].sum())])
    return (
        _md_table(
            ["scenario", "blocs at the end (named after the most capable committed member)", "share of runs"], rows
        )
        + "\n\nBlocs are the sign pattern of the leading eigenvector of W (docs/model.md, Measures)."
    )


def comparison_markdown(result: CompareResult) -> str:
    names = result.names
    m = result.manifest
    lines = [
        f"# Comparison: {' vs '.join(names)}",
        "",
        f"{result.replicates} replicates per scenario, seed {m.get('seed')}: replicate k of every scenario uses the same seed "
        "(common random numbers), so differences are measured run by run. The first scenario is the reference.",
        "",
    ]
    for name in names:
        run = result.runs.get(name)
        if run is not None:
            s = run.scenario
            lines.append(
                f"- **{name}** — {s.description.strip() or '(no description)'} ({s.steps} steps from {s.start}, "
                f"{len(s.shocks)} scripted shock{'' if len(s.shocks) == 1 else 's'})"
            )
        else:
            lines.append(f"- **{name}**")
    lines += ["", "## Outcomes of the tracked pairs", "", outcomes_markdown(result.outcomes, names), ""]
    lines += ["## Agent reactions", "", reactions_markdown(result.reactions, names), ""]
    lines += ["## Blocs", "", blocs_markdown(result.blocs, names), ""]
    lines += ["## Charts", ""]
    lines += [
        f"- `charts/pair_{p}.png` — {p.replace('-', ' → ')}: each scenario's band, and the difference from {names[0]}"
        for p in result.pairs
    ]
    lines += [
        "- `charts/differences_end.png` — every scenario's effect on every tracked pair at the end",
        "- `charts/reactions.png` — how often each agent reaction happened",
        "",
    ]
    lines += [
        "Tables: `outcomes.csv`, `reactions.csv`, `blocs.csv`, `bands.csv` (Parquet copies when pyarrow is installed); each scenario's run folder in `runs/`.",
        "",
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
def load_comparison(folder: Path) -> CompareResult:
    """Read a comparison folder back."""
    manifest = read_manifest(folder)
    names = manifest.get("scenarios_order", [])
    if not (isinstance(names, list) and all(isinstance(n, str) for n in names)):
        raise InputError("damaged: 'scenarios_order' is not a list of names", path=folder / "manifest.json")
    folders = run_folders(names)  # as written: a name in the manifest never leads outside the folder
    runs = {
        name: load_run(folder / "runs" / folders[name])
        for name in names
        if (folder / "runs" / folders[name] / "manifest.json").is_file()
    }
    tables = {name: read_table(folder, name) for name in COMPARISON_TABLES}
    for name in ("outcomes", "bands"):  # dates stay text, as written
        tables[name]["date"] = tables[name]["date"].astype(str)
    tables["outcomes"]["when"] = tables["outcomes"]["when"].astype(str)
    return CompareResult(runs=runs, manifest=manifest, **tables)
