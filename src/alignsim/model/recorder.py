"""Collects a run into tidy tables: relations per pair and step, measures per step, the event log.

Memory. W is kept for every step: (steps + 1) x N x N values. In float64 while that is at most
``FULL_PRECISION_VALUES`` values (2^25, 256 MiB: e.g. 121 steps of 500 states), in float32 above
(121 steps of 1000 states: 121M values, 484 MiB instead of 968 MiB); float32 keeps 7 significant
digits, far finer than any relation the model distinguishes (thresholds are tenths), and the
dynamics themselves always run in float64. X0 changes only when a shock changes interests or ties,
so it is kept once per change with the step from which it holds.

Measures. In worlds of up to ``metrics.STACKED_MAX_N`` states the measures of every step are
computed together when the metrics table is asked for (:func:`alignsim.measures.metrics.stacked_metrics`),
from the recorded W and X0, which there are always float64: one numpy call per measure for the
whole run instead of one per step, which at N ~ 10 is what a run's recording cost. Larger worlds
are measured step by step as the run goes (:func:`alignsim.measures.metrics.step_metrics`), on the float64
W of the model.
"""

from __future__ import annotations

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


class Recorder:
    """Keeps W per step in a preallocated array and each distinct X0 once; measures every step when
    its table is asked for (small worlds) or as it goes, a row per step (larger worlds)."""

    def __init__(self, model: AlignmentModel) -> None:
        self.model = model
        steps, n = model.config.steps + 1, model.world.n
        dtype = np.float64 if steps * n * n <= FULL_PRECISION_VALUES else np.float32
        self.relations = np.zeros((steps, n, n), dtype=dtype)
        self._baseline_versions: list[np.ndarray] = []
        self._baseline_version = np.zeros(steps, dtype=np.intp)  # step -> index into _baseline_versions
        self.recorded = 0  # steps collected so far
        self.stacked = (
            n <= STACKED_MAX_N and dtype == np.float64
        )  # measured all steps at once, on demand (module docstring)
        self.rows: list[dict[str, object]] = []  # per-step measures (larger worlds only)

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
        t, p, w = m.month, m.params, m.world
        self.relations[t] = m.relations
        versions = self._baseline_versions
        if not versions or not np.array_equal(versions[-1], m.baseline):
            versions.append(m.baseline.copy())
        self._baseline_version[t] = len(versions) - 1
        self.recorded = t + 1
        if not self.stacked:
            row: dict[str, object] = {"step": t, "date": m.date.isoformat()}
            row.update(
                step_metrics(
                    m.relations,
                    m.baseline,
                    m.initial_relations,
                    w.capability,
                    w.codes,
                    step=t,
                    alpha=p.alpha,
                    beta=p.beta,
                    friend_threshold=p.friend_threshold,
                )
            )
            self.rows.append(row)

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
        """The ISO date of every recorded step."""
        return np.array([self.model.config.date_of(t).isoformat() for t in range(self.recorded)], dtype=object)

    def relations_frame(self) -> pd.DataFrame:
        """step, date, source, target, weight, baseline -- one row per directed pair and step."""
        return self.relation_cube().frame().drop(columns="replicate")

    def metrics_columns(self) -> dict[str, np.ndarray]:
        """step, date and the measures of every recorded step (docs/model.md, "Measures")."""
        if not self.stacked:
            return {str(k): v.to_numpy() for k, v in pd.DataFrame(self.rows).items()}
        m, p, w, steps = self.model, self.model.params, self.model.world, self.recorded
        with blas.limited():
            columns = stacked_metrics(
                self.relations[:steps],
                self.baselines[:steps],
                m.initial_relations,
                w.capability,
                w.codes,
                alpha=p.alpha,
                beta=p.beta,
                friend_threshold=p.friend_threshold,
            )
        return {"step": np.arange(steps, dtype=np.int64), "date": self._dates(), **columns}

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
