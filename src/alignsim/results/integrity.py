"""Checksums and row counts of a finished folder, kept in its ``manifest.json`` and checked on load.

A folder is *sealed* as its last step: every file but the manifest gets its size, sha256 and (for a
table) row count under the manifest's ``checksums`` key. :func:`verify_folder` recomputes them, so
a truncated CSV, a missing chart, a corrupt Parquet part or an edited table is reported as an
:class:`~alignsim.errors.InputError` naming the file and what is wrong, instead of loading silently
or failing deep inside pandas or pyarrow. Folders written before checksums existed have none and
are read as they are.
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path
from typing import Any

from alignsim.errors import InputError

MANIFEST = "manifest.json"
CHECKSUMS = "checksums"
_BLOCK = 1 << 20  # bytes read at a time while hashing


def file_record(path: Path, *, rows: bool = True) -> dict[str, Any]:
    """Size, sha256 and (unless not ``rows``), for a CSV or Parquet table, its number of data rows."""
    digest, newlines, size, quoted = hashlib.sha256(), 0, 0, False
    is_csv = path.suffix == ".csv"
    with path.open("rb") as fh:
        while block := fh.read(_BLOCK):
            digest.update(block)
            size += len(block)
            if is_csv:
                newlines += block.count(b"\n")
                quoted = quoted or b'"' in block
    record: dict[str, Any] = {"bytes": size, "sha256": digest.hexdigest()}
    if not rows:
        return record
    if is_csv:  # a quoted field may hold a line break: then count with a CSV reader
        record["rows"] = _csv_rows(path) if quoted else max(0, newlines - 1)  # the header is not a row
    elif path.suffix == ".parquet":
        record["rows"] = _parquet_rows(path)
    return record


def _csv_rows(path: Path) -> int:
    with path.open(encoding="utf-8", errors="replace", newline="") as fh:
        return max(0, sum(1 for _ in csv.reader(fh)) - 1)


def _parquet_rows(path: Path) -> int | None:
    try:
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - written without pyarrow means no Parquet files
        return None
    return int(pq.read_metadata(path).num_rows)


def folder_checksums(folder: Path) -> dict[str, dict[str, Any]]:
    """A record (:func:`file_record`) of every file under ``folder`` except its own manifest."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.relative_to(folder).as_posix() != MANIFEST)
    return {p.relative_to(folder).as_posix(): file_record(p) for p in files}


def write_manifest(folder: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """Write ``manifest`` with the checksums of the finished ``folder`` as its ``manifest.json``
    (the folder's last file); return what was written."""
    sealed = {**manifest, CHECKSUMS: folder_checksums(folder)}
    (folder / MANIFEST).write_text(json.dumps(sealed, indent=2) + "\n", encoding="utf-8")
    return sealed


def read_manifest(folder: Path) -> dict[str, Any]:
    """The folder's manifest, or an InputError that says why it cannot be read."""
    path = folder / MANIFEST
    if not path.is_file():
        raise InputError("not a run folder (no manifest.json)", path=folder)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InputError("damaged: not UTF-8 text", path=path) from None
    except json.JSONDecodeError as err:
        raise InputError(
            f"damaged or truncated: not valid JSON ({err.msg} at line {err.lineno}, column {err.colno})",
            path=path,
            line=err.lineno,
        ) from None
    if not isinstance(manifest, dict):
        raise InputError(f"damaged: a manifest is a JSON object, found {type(manifest).__name__}", path=path)
    return manifest


def verify_folder(folder: str | Path, manifest: dict[str, Any] | None = None) -> int:
    """Check every file against the checksums in the folder's manifest; return how many were
    checked (0 for a folder written before checksums existed). Raises an InputError naming the
    first damaged file and what is wrong with it."""
    folder = Path(folder)
    manifest = read_manifest(folder) if manifest is None else manifest
    records = manifest.get(CHECKSUMS)
    if records is None:
        return 0
    if not isinstance(records, dict):
        raise InputError(f"damaged: '{CHECKSUMS}' is not a JSON object", path=folder / MANIFEST, field=CHECKSUMS)
    for name, expected in records.items():
        _verify_file(folder, name, expected)
    return len(records)


def _verify_file(folder: Path, name: str, expected: Any) -> None:
    path = folder / name
    if not isinstance(expected, dict) or "sha256" not in expected or "bytes" not in expected:
        raise InputError(
            f"damaged: the record of {name} has no 'bytes' and 'sha256'",
            path=folder / MANIFEST,
            field=f"{CHECKSUMS}.{name}",
        )
    if not path.is_file():
        raise InputError("missing: the manifest lists this file but it is not in the folder", path=path)
    size = path.stat().st_size
    if size != expected["bytes"]:
        shorter = " (truncated?)" if size < expected["bytes"] else ""
        raise InputError(
            f"damaged: {size:,} bytes where the manifest records {expected['bytes']:,}{shorter}{_rows_note(path, expected)}",
            path=path,
        )
    actual = file_record(path, rows=False)
    if actual["sha256"] != expected["sha256"]:
        raise InputError(
            f"damaged: its contents changed since it was written (sha256 differs){_rows_note(path, expected)}",
            path=path,
        )


def _rows_note(path: Path, expected: dict[str, Any]) -> str:
    """' (12 of 728 rows)' when the file is a CSV table whose row count differs."""
    if "rows" not in expected or path.suffix != ".csv":
        return ""
    rows = file_record(path).get("rows")
    return f" ({rows:,} of {expected['rows']:,} rows)" if rows != expected["rows"] else ""
