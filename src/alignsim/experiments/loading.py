"""Reading any saved folder back: a run, a streamed ensemble, a comparison or a sweep."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from alignsim.errors import InputError
from alignsim.experiments.comparison import load_comparison
from alignsim.experiments.streaming import load_parts
from alignsim.experiments.sweep import load_sweep
from alignsim.results.integrity import read_manifest, verify_folder
from alignsim.results.run import load_run

#: What reading a damaged folder can raise inside pandas, pyarrow, yaml or pydantic (pyarrow's
#: ArrowInvalid and pydantic's ValidationError are ValueErrors, ArrowIOError an OSError).
#: A manifest that claims another kind of folder, or nests thousands deep, trips assertions and recursion.
READ_ERRORS = (
    OSError,
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    AssertionError,
    RecursionError,
    yaml.YAMLError,
)


def load(folder: str | Path, *, verify: bool = True) -> Any:
    """Read a saved folder back: a run folder gives a :class:`RunResult`, a comparison folder
    (``alignsim compare``) a :class:`~alignsim.experiments.comparison.CompareResult`, a sweep folder a
    :class:`~alignsim.experiments.sweep.SweepResult`, a streamed run (Parquet parts) a lazily read
    :class:`~alignsim.experiments.streaming.PartedRunResult`. Tables are read from Parquet
    when present and pyarrow is installed (exact floats), else from CSV (10 significant digits).

    Every file is first checked against the sizes and sha256 sums its ``manifest.json`` records
    (``verify=False`` skips that); a damaged or missing file is an :class:`~alignsim.errors.InputError`
    naming it, and so is anything else that keeps the folder from being read."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    if verify:
        verify_folder(folder, manifest)
    try:
        return _load_kind(folder, manifest)
    except InputError:
        raise
    except READ_ERRORS as err:
        where = getattr(err, "filename", None) or folder
        raise InputError(f"damaged: cannot be read ({type(err).__name__}: {_first_line(err)})", path=where) from err


def _load_kind(folder: Path, manifest: dict[str, Any]) -> Any:
    if manifest.get("kind") == "comparison":
        return load_comparison(folder)
    if manifest.get("kind") == "sweep":
        return load_sweep(folder)
    if manifest.get("storage") == "parquet-parts":  # a streamed ensemble: read lazily
        return load_parts(folder)
    return load_run(folder)


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else "no detail"
