"""Collects a run into tidy tables: relations per pair and step, measures per step, the event log.

Memory. W is kept for every step: (steps + 1) x N x N values. In float64 while that is at most
``FULL_PRECISION_VALUES`` values (2^25, 256 MiB: e.g. 121 steps of 500 states), in float32 above
(121 steps of 1000 states: 121M values, 484 MiB instead of 968 MiB); float32 keeps 7 significant
digits, far finer than any relation the model distinguishes (thresholds are tenths), and the
dynamics themselves always run in float64. X0 changes only when a shock changes interests or ties,
so it is kept once per change with the step from which it holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from alignsim.metrics import bloc_metrics, isolation, system_metrics

if TYPE_CHECKING:
    from alignsim.model import AlignmentModel

EVENT_COLUMNS = ["step", "date", "type", "source", "target", "origin", "rule", "cause", "impulse", "detail"]


#: Above this many recorded relation values the history is kept in float32 (see the module docstring).
FULL_PRECISION_VALUES: int = 2**25


class Recorder:
    """Keeps W per step in a preallocated array, each distinct X0 once, and one row of measures per step."""

    def __init__(self, model: AlignmentModel) -> None:
        self.model = model
        steps, n = model.config.steps + 1, model.world.n
        dtype = np.float64 if steps * n * n <= FULL_PRECISION_VALUES else np.float32
        self.relations = np.zeros((steps, n, n), dtype=dtype)
        self._baseline_versions: list[np.ndarray] = []
        self._baseline_version = np.zeros(steps, dtype=np.intp)  # step -> index into _baseline_versions
        self.rows: list[dict[str, object]] = []

    @property
    def baselines(self) -> np.ndarray:
        """X0 per step, (steps + 1) x N x N (built on demand; unrecorded steps are zero)."""
        out = np.zeros((len(self._baseline_version), *self.relations.shape[1:]))
        recorded = len(self.rows)
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
        row: dict[str, object] = {"step": t, "date": m.date.isoformat()}
        row.update(system_metrics(m.relations, m.baseline, m.initial_relations, alpha=p.alpha, beta=p.beta))
        row.update(bloc_metrics(m.relations, w.capability, w.codes, step=t))
        for code, value in zip(w.codes, isolation(m.relations, w.capability, p.friend_threshold)):
            row[f"isolation_{code}"] = float(value)
        self.rows.append(row)

    # ------------------------------------------------------------------ tables
    def relations_frame(self) -> pd.DataFrame:
        """step, date, source, target, weight, baseline -- one row per directed pair and step."""
        m = self.model
        codes, n, steps = m.world.codes, m.world.n, m.month + 1
        src, tgt = np.nonzero(~np.eye(n, dtype=bool))
        dates = [m.config.date_of(t).isoformat() for t in range(steps)]
        x0 = np.stack([v[src, tgt] for v in self._baseline_versions])  # versions x pairs
        return pd.DataFrame({
            "step": np.repeat(np.arange(steps), len(src)),
            "date": np.repeat(dates, len(src)),
            "source": np.tile(np.array(codes)[src], steps),
            "target": np.tile(np.array(codes)[tgt], steps),
            "weight": self.relations[:steps, src, tgt].astype(np.float64, copy=False).ravel(),
            "baseline": x0[self._baseline_version[:steps]].ravel(),
        })

    def metrics_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows)

    def events_frame(self) -> pd.DataFrame:
        m = self.model
        rows = [
            {
                "step": e.step, "date": e.date.isoformat(), "type": e.event.type,
                "source": m.code(e.source), "target": m.code(e.target) if e.target != e.source else "",
                "origin": e.origin, "rule": e.rule, "cause": e.cause, "impulse": e.impulse, "detail": e.event.detail(),
            }
            for e in m.log
        ]
        return pd.DataFrame(rows, columns=EVENT_COLUMNS)
