"""Where a command writes: the folder given with ``--out``, else a free one under ``runs/``, and
the note that says so when the default was taken."""

from __future__ import annotations

from pathlib import Path

from alignsim.results.folders import safe_name


def numbered_note(out: Path, given: Path | None, name: str) -> str:
    """Say so when the default folder was taken and the run went to ``-2``, ``-3``, ..."""
    first = Path("runs") / safe_name(name)
    if given is not None or out == first:
        return ""
    return f" ({first} exists already, so this run went to a new folder; --out {first} --overwrite replaces it)"
