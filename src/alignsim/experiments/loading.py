"""Reading any saved folder back: a run, a streamed ensemble, a comparison or a sweep."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from alignsim.errors import InputError
from alignsim.experiments.comparison import load_comparison
from alignsim.experiments.streaming import load_parts
from alignsim.experiments.sweep import load_sweep
from alignsim.results.run import load_run


def load(folder: str | Path) -> Any:
    """Read a saved folder back: a run folder gives a :class:`RunResult`, a comparison folder
    (``alignsim compare``) a :class:`~alignsim.experiments.comparison.CompareResult`, a sweep folder a
    :class:`~alignsim.experiments.sweep.SweepResult`, a streamed run (Parquet parts) a lazily read
    :class:`~alignsim.experiments.streaming.PartedRunResult`. Tables are read from Parquet
    when present and pyarrow is installed (exact floats), else from CSV (10 significant digits)."""
    folder = Path(folder)
    if not (folder / "manifest.json").is_file():
        raise InputError("not a run folder (no manifest.json)", path=folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    if manifest.get("kind") == "comparison":
        return load_comparison(folder)
    if manifest.get("kind") == "sweep":
        return load_sweep(folder)
    if manifest.get("storage") == "parquet-parts":  # a streamed ensemble: read lazily
        return load_parts(folder)
    return load_run(folder)
