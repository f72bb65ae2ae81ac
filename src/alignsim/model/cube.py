"""The relations of every replicate as arrays (:class:`RelationCube`): what the recorder hands over
and what results, charts and streaming read, without building millions of table rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

KEY_COLUMNS = ("step", "date", "source", "target")


KEY_COLUMNS = ("step", "date", "source", "target")


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

    def ends(self, column: str = "weight") -> np.ndarray:
        """``column`` at the first and the last step: an array replicates x 2 x pairs (what drift and
        end-of-run views read; a cube on disk answers it without reading the months between)."""
        return self.values[column][:, [0, -1], :]

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
            raise ValueError(
                f"a relations table needs the columns {', '.join(KEY_COLUMNS)}; missing {', '.join(missing)}"
            )
        columns = tuple(c for c in frame.columns if c != "replicate")
        fast = cls._from_recorder_order(frame, columns)
        if fast is not None:
            return fast
        rep_values = (
            frame["replicate"].to_numpy() if "replicate" in frame.columns else np.zeros(len(frame), dtype=np.int64)
        )
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
        if len(frame) == 0:
            return None
        if "replicate" in frame.columns:  # one replicate's table with its replicate column
            rep = frame["replicate"].to_numpy()
            if not (rep == rep[0]).all():
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
