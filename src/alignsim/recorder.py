"""Collects a run into tidy tables: relations per pair and step, measures per step, the event log."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from alignsim.metrics import bloc_labels, isolation, system_metrics

if TYPE_CHECKING:
    from alignsim.model import AlignmentModel

EVENT_COLUMNS = ["step", "date", "type", "source", "target", "origin", "rule", "cause", "impulse", "detail"]


class Recorder:
    """Keeps W and X0 per step in preallocated arrays and one row of measures per step."""

    def __init__(self, model: AlignmentModel) -> None:
        self.model = model
        steps, n = model.config.steps + 1, model.world.n
        self.relations = np.zeros((steps, n, n))
        self.baselines = np.zeros((steps, n, n))
        self.rows: list[dict[str, object]] = []

    def collect(self) -> None:
        m = self.model
        t, p, w = m.month, m.params, m.world
        self.relations[t] = m.relations
        self.baselines[t] = m.baseline
        row: dict[str, object] = {"step": t, "date": m.date.isoformat()}
        row.update(system_metrics(m.relations, m.baseline, m.initial_relations, alpha=p.alpha, beta=p.beta))
        for code, bloc in zip(w.codes, bloc_labels(m.relations, w.capability, w.codes)):
            row[f"bloc_{code}"] = bloc
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
        return pd.DataFrame({
            "step": np.repeat(np.arange(steps), len(src)),
            "date": np.repeat(dates, len(src)),
            "source": np.tile(np.array(codes)[src], steps),
            "target": np.tile(np.array(codes)[tgt], steps),
            "weight": self.relations[:steps, src, tgt].ravel(),
            "baseline": self.baselines[:steps, src, tgt].ravel(),
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
