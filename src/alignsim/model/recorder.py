"""Collects a run into tidy tables: relations per pair and step, measures per step, the event log.

Memory. W is kept for every step: (steps + 1) x N x N values. In float64 while that is at most
``FULL_PRECISION_VALUES`` values (2^25, 256 MiB: e.g. 121 steps of 500 states), in float32 above
(121 steps of 1000 states: 121M values, 484 MiB instead of 968 MiB); float32 keeps 7 significant
digits, far finer than any relation the model distinguishes (thresholds are tenths), and the
dynamics themselves always run in float64. X0 changes only when a shock changes interests or ties,
so it is kept once per change with the step from which it holds.

Measures. A run's measures (eigendecomposition, blocs, triads, similarities: at N = 193 four
fifths of a month's work) are taken when the metrics table is asked for, from the recorded W and
X0 -- not as the run goes: most uses of a model (a dashboard stepping it, a sweep reading one
outcome, a calibration reading relations) never read most of them. In worlds of up to
``metrics.STACKED_MAX_N`` states every step is measured together
(:func:`alignsim.measures.metrics.stacked_metrics`: one numpy call per measure for the whole run);
larger worlds step by step (:func:`alignsim.measures.metrics.step_metrics`) on the recorded float64 W,
the very matrix the model held, so the numbers are those a measurement during the run gives
(tests/test_metrics.py). ``metrics_columns(steps=...)`` measures only the steps asked for (a sweep's
outcome at one month) in larger worlds. Only where W is recorded in float32 (above ``FULL_PRECISION_VALUES``) is each
step measured as the run goes, on the model's float64 W, which the record does not keep exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from alignsim import blas
from alignsim.measures.metrics import STACKED_MAX_N, stacked_metrics, step_metrics
from alignsim.model.cube import RelationCube

if TYPE_CHECKING:
    from alignsim.model.model import AlignmentModel

RELATION_COLUMNS = ("step", "date", "source", "target", "weight", "baseline")
EVENT_COLUMNS = ["step", "date", "type", "source", "target", "origin", "rule", "depth", "cause", "impulse", "detail"]


#: Above this many recorded relation values the history is kept in float32 (see the module docstring).
FULL_PRECISION_VALUES: int = 2**25
# ISO dates of steps 0..count-1 of runs starting at a date (Scenario.date_of depends on the start alone).
_DATES: dict[tuple[object, int], np.ndarray] = {}


class Recorder:
    """Keeps W per step in a preallocated array and each distinct X0 once; measures the steps when
    their table is asked for (as it goes only where W is kept in float32)."""

    def __init__(self, model: AlignmentModel) -> None:
        self.model = model
        steps, n = model.config.steps + 1, model.world.n
        dtype = np.float64 if steps * n * n <= FULL_PRECISION_VALUES else np.float32
        self.relations = np.zeros((steps, n, n), dtype=dtype)
        self._baseline_versions: list[np.ndarray] = []
        self._baseline_version = np.zeros(steps, dtype=np.intp)  # step -> index into _baseline_versions
        self.recorded = 0  # steps collected so far
        self.stacked = n <= STACKED_MAX_N and dtype == np.float64  # all steps at once, on demand
        self.deferred = dtype == np.float64  # measured on demand from the record (module docstring)
        self.rows: list[dict[str, object]] = []  # per-step measures taken during the run (float32 records only)
        self._capabilities: list[np.ndarray] = []  # each distinct capability vector (a shock may change it) ...
        self._capability_version: list[int] = []  # ... and the one of each step (deferred larger worlds)
        self._last_baseline: np.ndarray | None = (
            None  # the X0 object last compared (the model replaces, never edits, it)
        )

    @property
    def baselines(self) -> np.ndarray:
        """X0 per step, (steps + 1) x N x N (built on demand; unrecorded steps are zero)."""
        out = np.zeros((len(self._baseline_version), *self.relations.shape[1:]))
        recorded = self.recorded
        if recorded:
            out[:recorded] = np.stack(self._baseline_versions)[self._baseline_version[:recorded]]
        return out

    def collect(self) -> None:
        m = self.model
        t = m.month
        self.relations[t] = m.relations
        versions = self._baseline_versions
        if m.baseline is not self._last_baseline:  # a new X0 object: compare its values (O(N^2)) only then
            if not versions or not np.array_equal(versions[-1], m.baseline):
                versions.append(m.baseline.copy())
            self._last_baseline = m.baseline
        self._baseline_version[t] = len(versions) - 1
        self.recorded = t + 1
        if self.stacked:
            return
        if self.deferred:
            cap = m.world.capability
            if not self._capabilities or not np.array_equal(self._capabilities[-1], cap):
                self._capabilities.append(cap.copy())
            self._capability_version.append(len(self._capabilities) - 1)
            return
        self.rows.append(self._row(t, m.relations, m.baseline, m.world.capability))

    def _row(self, t: int, relations: np.ndarray, baseline: np.ndarray, capability: np.ndarray) -> dict[str, object]:
        """The measures of step ``t`` (:func:`alignsim.measures.metrics.step_metrics`) with its step and date."""
        m, p = self.model, self.model.params
        row: dict[str, object] = {"step": t, "date": m.config.date_of(t).isoformat()}
        row.update(
            step_metrics(
                relations,
                baseline,
                m.initial_relations,
                capability,
                m.world.codes,
                step=t,
                alpha=p.alpha,
                beta=p.beta,
                friend_threshold=p.friend_threshold,
            )
        )
        return row

    # ------------------------------------------------------------------ tables
    # Each table as named numpy columns (what an ensemble worker sends back: no DataFrame is built
    # in the worker) and as a DataFrame.
    def relation_cube(self) -> RelationCube:
        """The relations table of this run as arrays: weight and baseline, one replicate x step x pair."""
        m = self.model
        codes, n, steps = np.array(m.world.codes), m.world.n, self.recorded
        src, tgt = np.nonzero(~np.eye(n, dtype=bool))
        x0 = np.stack([v[src, tgt] for v in self._baseline_versions])  # versions x pairs
        values = {
            "weight": self.relations[:steps, src, tgt].astype(np.float64, copy=False)[None],
            "baseline": x0[self._baseline_version[:steps]][None],
        }
        return RelationCube(
            np.arange(steps, dtype=np.int64),
            self._dates().astype(str),
            codes[src],
            codes[tgt],
            values,
            RELATION_COLUMNS,
        )

    def _dates(self) -> np.ndarray:
        """The ISO date of every recorded step (the dates of a scenario's steps computed once per process:
        every replicate of an ensemble has them)."""
        config = self.model.config
        key = (config.start, self.recorded)
        dates = _DATES.get(key)
        if dates is None:
            dates = np.array([config.date_of(t).isoformat() for t in range(self.recorded)], dtype=object)
            dates.flags.writeable = False
            if len(_DATES) >= 64:
                _DATES.clear()
            _DATES[key] = dates
        return dates

    def relations_frame(self) -> pd.DataFrame:
        """step, date, source, target, weight, baseline -- one row per directed pair and step."""
        return self.relation_cube().frame().drop(columns="replicate")

    def metrics_columns(self, steps: Sequence[int] | None = None) -> dict[str, np.ndarray]:
        """step, date and the measures of every recorded step, or of ``steps`` only (docs/model.md, "Measures")."""
        chosen = list(range(self.recorded)) if steps is None else [int(t) for t in steps]
        if any(not 0 <= t < self.recorded for t in chosen):
            raise ValueError(f"steps must lie in 0..{self.recorded - 1}, the steps recorded")
        if self.stacked:
            return self._stacked_columns(chosen)
        if self.deferred:
            with blas.limited():
                rows = [self._deferred_row(t) for t in chosen]
        else:
            rows = [self.rows[t] for t in chosen]
        return {str(k): v.to_numpy() for k, v in pd.DataFrame(rows).items()}

    def _deferred_row(self, t: int) -> dict[str, object]:
        baseline = self._baseline_versions[self._baseline_version[t]]
        return self._row(t, self.relations[t], baseline, self._capabilities[self._capability_version[t]])

    def _stacked_columns(self, chosen: list[int]) -> dict[str, np.ndarray]:
        """All steps of a small world at once (a whole run costs about what one step's numpy calls
        do), then the chosen rows: a step measured alone would sum in another order, 1 ulp apart."""
        m, p, w = self.model, self.model.params, self.model.world
        with blas.limited():
            columns = stacked_metrics(
                self.relations[: self.recorded],
                self.baselines[: self.recorded],
                m.initial_relations,
                w.capability,
                w.codes,
                alpha=p.alpha,
                beta=p.beta,
                friend_threshold=p.friend_threshold,
            )
        whole = {"step": np.arange(self.recorded, dtype=np.int64), "date": self._dates(), **columns}
        if chosen == list(range(self.recorded)):
            return whole
        return {name: values[chosen] for name, values in whole.items()}

    def metrics_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.metrics_columns())

    def events_columns(self) -> dict[str, np.ndarray]:
        """The event log: what happened, who did it, and why."""
        m, log = self.model, self.model.log
        codes = m.world.codes

        def text(values: list[str]) -> np.ndarray:
            return np.array(values, dtype=object)

        return {
            "step": np.array([e.step for e in log], dtype=np.int64),
            "date": text([e.date.isoformat() for e in log]),
            "type": text([e.event.type for e in log]),
            "source": text([codes[e.source] for e in log]),
            "target": text([codes[e.target] if e.target != e.source else "" for e in log]),
            "origin": text([e.origin for e in log]),
            "rule": text([e.rule for e in log]),
            "depth": np.array([e.depth for e in log], dtype=np.int64),
            "cause": text([e.cause for e in log]),
            "impulse": np.array([e.impulse for e in log], dtype=np.float64),
            "detail": text([e.event.detail() for e in log]),
        }

    def events_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.events_columns(), columns=EVENT_COLUMNS)
