"""Where a command writes: the folder given with ``--out``, else a free one under ``runs/``."""

from __future__ import annotations

from pathlib import Path

from alignsim.errors import InputError
from alignsim.results.folders import free_folder


def output_folder(given: Path | None, default: Path, *, overwrite: bool) -> Path:
    """``given`` (from ``--out``) when it may be written, else the first free ``default``,
    ``default-2``, ...; a file, or a non-empty folder without ``--overwrite``, is an InputError."""
    out = given or free_folder(default)
    if out.exists() and out.is_file():
        raise InputError("is a file, not a folder", path=out)
    if given and out.exists() and any(out.iterdir()) and not overwrite:
        raise InputError("the output folder exists and is not empty; choose another --out or pass --overwrite", path=out)
    return out
