"""Checksums and row counts of a finished folder, kept in its ``manifest.json`` and checked on load.

A folder is *sealed* as its last step: every file but the manifest gets its size, sha256 and (for a
table) row count under the manifest's ``checksums`` key. :func:`verify_folder` recomputes them and
checks that the folder holds exactly the files listed, so a truncated CSV, a missing chart, a corrupt
Parquet part, an edited table or a file slipped in afterwards is reported as an
:class:`~alignsim.errors.InputError` naming the file and what is wrong, instead of loading silently
or failing deep inside pandas or pyarrow. A manifest without checksums (a folder written before
they existed, or one whose checksums were deleted) cannot be verified and is refused; such a folder
is read only on request (``alignsim.load(folder, verify=False)``).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from alignsim.config.yaml_reader import read_text_file
from alignsim.errors import InputError

MANIFEST = "manifest.json"
CHECKSUMS = "checksums"
_BLOCK = 1 << 20  # bytes read at a time while hashing
MAX_MANIFEST_BYTES = 64 * 2**20  # a sweep of thousands of points lists a few MB of files
_CSV_FIELD = 2**31 - 1  # a note may be longer than the csv module's default 131,072 characters


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
    with _long_fields(), path.open(encoding="utf-8", errors="replace", newline="") as fh:
        return max(0, sum(1 for _ in csv.reader(fh)) - 1)


@contextlib.contextmanager
def _long_fields() -> Iterator[None]:
    """Let the csv module read fields of any length (a shock's note may be megabytes) for a while."""
    previous = csv.field_size_limit(_CSV_FIELD)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


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
    """The folder's manifest, or an InputError that says why it cannot be read (read with a size limit:
    a saved folder may come from anyone)."""
    path = folder / MANIFEST
    if not path.is_file():
        raise InputError("not a run folder (no manifest.json)", path=folder)
    text = read_text_file(path, "manifest", limit=MAX_MANIFEST_BYTES, kind="JSON")
    try:
        manifest = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(
            f"damaged or truncated: not valid JSON ({err.msg} at line {err.lineno}, column {err.colno})",
            path=path,
            line=err.lineno,
        ) from None
    except RecursionError:
        raise InputError("damaged: its JSON nests thousands deep, as no manifest does", path=path) from None
    if not isinstance(manifest, dict):
        raise InputError(f"damaged: a manifest is a JSON object, found {type(manifest).__name__}", path=path)
    return manifest


def verify_folder(folder: str | Path, manifest: dict[str, Any] | None = None) -> int:
    """Check every file against the checksums in the folder's manifest, and that the folder holds
    exactly the files listed; return how many were checked. Raises an InputError naming the first
    damaged, missing or unlisted file and what is wrong with it, or saying that the manifest records
    no checksums (then nothing can be verified)."""
    folder = Path(folder)
    manifest = read_manifest(folder) if manifest is None else manifest
    records = manifest.get(CHECKSUMS)
    if records is None:
        raise InputError(
            f"cannot be verified: its manifest records no '{CHECKSUMS}' (written by an alignsim older than "
            "checksums, or edited); read it anyway with alignsim.load(folder, verify=False)",
            path=folder / MANIFEST,
            field=CHECKSUMS,
        )
    if not isinstance(records, dict):
        raise InputError(f"damaged: '{CHECKSUMS}' is not a JSON object", path=folder / MANIFEST, field=CHECKSUMS)
    for name in records:
        _check_name(folder, name)
    for name in sorted(set(_files_on_disk(folder)) - set(records)):
        raise InputError(
            "unexpected: this file is not listed in the manifest (added after the folder was written?); "
            "remove it or restore the folder",
            path=folder / name,
        )
    for name, expected in records.items():
        _verify_file(folder, name, expected)
    return len(records)


def _files_on_disk(folder: Path) -> list[str]:
    """Every file and link under ``folder`` but its manifest, as relative POSIX names (links are not
    followed: one pointing elsewhere is reported as unlisted, never read)."""
    names = []
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        for name in [*files, *(d for d in dirs if (here / d).is_symlink())]:
            relative = (here / name).relative_to(folder).as_posix()
            if relative != MANIFEST:
                names.append(relative)
    return names


def _check_name(folder: Path, name: Any) -> None:
    """A listed name must be a plain relative path inside the folder: never absolute, never '..', no link."""
    parts = PurePosixPath(name).parts if isinstance(name, str) else ()
    if not parts or parts[0] == "/" or ".." in parts or "\\" in name or "\x00" in name:
        raise InputError(
            f"damaged: lists {name!r}, which is not a file inside the folder", path=folder / MANIFEST, field=CHECKSUMS
        )
    here = folder
    for part in parts:
        here = here / part
        if here.is_symlink():
            raise InputError("damaged: a symbolic link where the manifest lists a file; it is not followed", path=here)


def _verify_file(folder: Path, name: str, expected: Any) -> None:
    path = folder / name
    if not _is_record(expected):
        raise InputError(
            f"damaged: the record of {name} needs 'bytes' (a whole number) and 'sha256' (text)",
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


def _is_record(expected: Any) -> bool:
    if not isinstance(expected, dict):
        return False
    size, digest, rows = expected.get("bytes"), expected.get("sha256"), expected.get("rows")
    rows = 0 if rows is None else rows  # None: a Parquet file written without pyarrow to count it
    whole = [v for v in (size, rows) if isinstance(v, int) and not isinstance(v, bool) and v >= 0]
    return len(whole) == 2 and isinstance(digest, str)


def _rows_note(path: Path, expected: dict[str, Any]) -> str:
    """' (12 of 728 rows)' when the file is a CSV table whose row count differs."""
    if "rows" not in expected or expected["rows"] is None or path.suffix != ".csv":
        return ""
    rows = file_record(path).get("rows")
    return f" ({rows:,} of {expected['rows']:,} rows)" if rows != expected["rows"] else ""
