"""Writing run folders whole or not at all, and their tables as CSV and Parquet."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import glob
import importlib.util
import logging
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from alignsim.errors import InputError, OutputError
from alignsim.model.cube import KEY_COLUMNS, RelationCube
from alignsim.results.integrity import MAX_MANIFEST_BYTES

FLOAT_FORMAT = "%.10g"
LOG = logging.getLogger("alignsim")


ROWS_PER_CHUNK = 100_000  # rows of the relations table formatted at a time when saving


def has_pyarrow() -> bool:
    """True when the optional ``parquet`` extra (pyarrow) is installed."""
    return importlib.util.find_spec("pyarrow") is not None


MAX_NAME = 100  # bytes of a default folder name (file systems allow 255, and -2, .tmp-PID are added)


def safe_name(name: str) -> str:
    """A scenario name as one harmless path component: letters and digits (of any script), '.', '-', '_' kept, anything
    else (a '/', '..', a space) becomes '_', no dot or '_' at either end, at most MAX_NAME bytes
    ('../../escape' -> 'escape', '/tmp/x' -> 'tmp_x', '..' -> 'scenario')."""
    clean = re.sub(r"[^\w.-]+|\.{2,}", "_", name)  # \w: letters and digits of any script
    clean = re.sub(r"_{2,}", "_", clean).strip("._-")
    clean = clean.encode()[:MAX_NAME].decode(errors="ignore").rstrip("._-")  # bytes: file systems count them
    return clean or "scenario"


def default_folder(name: str, root: Path = Path("runs")) -> Path:
    """Where a run goes without ``--out``: ``runs/<safe name>``, numbered ``-2``, ``-3``, ... if taken."""
    return free_folder(root / safe_name(name))


def free_folder(base: Path) -> Path:
    """``base`` if it does not exist yet, else the first free ``base-2``, ``base-3``, ..."""
    if not base.exists():
        return base
    k = 2
    while (candidate := base.with_name(f"{base.name}-{k}")).exists():
        k += 1
    return candidate


def check_out(out: Path, *, overwrite: bool) -> None:
    """Refuse an ``--out`` that cannot take a run folder, before any work is done: a file, device or
    symbolic link (or a file on its path), an existing non-empty folder without ``overwrite``, and
    with ``overwrite`` any non-empty folder that is not one alignsim wrote (:func:`is_ours`)."""
    if out.is_symlink():  # replacing it would hide the user's link and write where it does not point
        raise OutputError("is a symbolic link; give the folder it points to, or another --out", path=out)
    for part in [out, *out.parents]:
        if part.exists() and not part.is_dir():  # a file, a FIFO, a device
            raise OutputError(
                "is a file, not a folder" if part == out else f"cannot hold a folder: {part} is a file", path=out
            )
    if not (out.is_dir() and _not_empty(out)):
        return
    if not overwrite:
        raise OutputError(
            "the output folder exists and is not empty; choose another --out or pass --overwrite", path=out
        )
    if not is_ours(out):
        raise OutputError(
            "the output folder exists and was not written by alignsim (no manifest.json or report.md); "
            "--overwrite replaces only alignsim's own folders: choose another --out",
            path=out,
        )


def is_ours(folder: Path) -> bool:
    """A folder alignsim wrote: a run, comparison or sweep folder (a regular ``manifest.json`` naming
    alignsim) or a report folder (``report.md``); only these may be replaced by ``--overwrite``."""
    report, manifest = folder / "report.md", folder / "manifest.json"
    if report.is_file() and not report.is_symlink():
        return True
    if not manifest.is_file() or manifest.is_symlink():
        return False
    try:
        if manifest.stat().st_size > MAX_MANIFEST_BYTES:
            return False
        text = manifest.read_bytes()
    except OSError:
        return False
    return b'"alignsim"' in text or b'"checksums"' in text


def _not_empty(folder: Path) -> bool:
    try:
        return any(folder.iterdir())
    except OSError as err:
        raise _output_error(err, folder) from None


def write_folder(out: str | Path, write: Callable[[Path], None], *, overwrite: bool = False) -> Path:
    """Call ``write(folder)`` on a temporary sibling of ``out`` and rename it into place, so that
    ``out`` appears whole or not at all. An existing non-empty ``out`` is kept unless ``overwrite``.
    A lock beside ``out`` makes a second writer of the same folder wait; once it may write, it
    finds the first one's folder and refuses (or, with ``overwrite``, replaces it). Every OS error
    is an :class:`OutputError`, and nothing -- no temporary folder, no created parent -- is left."""
    out = Path(out)
    check_out(out, overwrite=overwrite)
    created = _make_parents(out.parent)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    made = done = False
    try:
        with _folder_lock(out):
            check_out(out, overwrite=overwrite)  # again: another run may have written it meanwhile
            remove_stale_temps(out)
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir()
            made = True
            write(tmp)
            _move_into_place(tmp, out)
            done = True
    except OSError as err:
        raise _output_error(err, out) from None
    finally:
        if made:  # only our own: another thread of this process may be writing a folder of the same name
            shutil.rmtree(tmp, ignore_errors=True)
        if not done:
            _remove_empty(created)
    return out


def remove_stale_temps(out: Path) -> list[Path]:
    """Remove the temporary siblings of ``out`` (``.NAME.tmp-PID``, ``.NAME.old-PID``) left by runs
    that were killed before they could clean up (``kill -9``, a power cut): those whose process no
    longer exists. Each removal is logged as a warning; returns the folders removed."""
    removed = []
    for path in sorted(out.parent.glob(f".{glob.escape(out.name)}.*-*")):
        kind, _, pid = path.name.removeprefix(f".{out.name}.").partition("-")
        if kind not in ("tmp", "old") or not pid.isdigit() or process_exists(int(pid)) or not path.is_dir():
            continue
        shutil.rmtree(path, ignore_errors=True)
        if not path.exists():
            removed.append(path)
            LOG.warning("removed %s, left by an interrupted run (process %s no longer exists)", path, pid)
    return removed


def process_exists(pid: int) -> bool:
    """True while process ``pid`` runs (ours, or anyone's we may not signal)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _move_into_place(tmp: Path, out: Path) -> None:
    if out.exists():
        trash = out.parent / f".{out.name}.old-{os.getpid()}"
        out.rename(trash)
        tmp.rename(out)
        shutil.rmtree(trash)
    else:
        tmp.rename(out)


def _make_parents(parent: Path) -> list[Path]:
    """Create ``parent`` and its missing ancestors; the ones created, deepest first (to undo)."""
    missing = [p for p in [parent, *parent.parents] if not p.exists()]
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        _remove_empty(missing)
        raise _output_error(err, parent) from None
    return missing


def _remove_empty(folders: list[Path]) -> None:
    for folder in folders:  # deepest first; rmdir leaves a folder someone else filled meanwhile
        with contextlib.suppress(OSError):
            folder.rmdir()


@contextlib.contextmanager
def _folder_lock(out: Path) -> Iterator[None]:
    """An exclusive flock on ``.<name>.lock`` beside ``out``, waited for (and said so) when another
    process holds it. The kernel drops a flock when its process dies, so a killed run never blocks
    the next; the file is removed on release, and a lock on a file removed meanwhile is retaken."""
    lock = out.parent / f".{out.name}.lock"
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting: another alignsim process is writing {out}", file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        if _same_file(fd, lock):
            break
        os.close(fd)  # the holder removed the file on release: lock the new one
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            lock.unlink()
        os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except OSError:
        return False


_FIXED_BY_ANOTHER_OUT = {
    errno.EACCES,
    errno.EPERM,
    errno.EROFS,
    errno.ENOTDIR,
    errno.EEXIST,
    errno.ENOTEMPTY,
    errno.EISDIR,
    errno.ENAMETOOLONG,
    errno.ENOENT,
    errno.EINVAL,
    errno.ELOOP,
}


def _output_error(err: OSError, out: Path) -> OutputError:
    """An OS error while writing ``out`` as a message: what failed, and what to do. Exit status 2
    when another --out fixes it (permissions, a read-only or missing place), 1 otherwise (a full disk)."""
    reason = err.strerror or str(err)
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        hint = "free some space or choose another --out"
    elif err.errno in _FIXED_BY_ANOTHER_OUT:
        hint = "choose another --out"
    else:
        hint = "check the disk, or choose another --out"
    where = f" ({err.filename})" if err.filename and str(err.filename) != str(out) else ""
    return OutputError(
        f"cannot write the output folder: {reason}{where}; {hint}. Nothing was written",
        path=out,
        exit_status=2 if err.errno in _FIXED_BY_ANOTHER_OUT else 1,
    )


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, float_format=FLOAT_FORMAT, lineterminator="\n")


def write_relations_csv(cube: RelationCube, path: Path) -> None:
    """The long relations table as CSV, formatted replicate by replicate (the same bytes as
    ``write_csv(cube.frame(), path)``, about four times faster, without building the whole table)."""
    values = [c for c in cube.columns if c not in KEY_COLUMNS]
    plain = cube.columns[:4] == KEY_COLUMNS and all(_plain_text(s) for s in [*cube.dates, *cube.sources, *cube.targets])
    finite = all(np.isfinite(cube.values[c]).all() for c in values)
    if not (plain and finite):  # quoting or missing values: leave the rules to pandas
        with path.open("w", encoding="utf-8", newline="") as fh:
            for k, chunk in enumerate(_relation_chunks(cube)):
                chunk.to_csv(fh, index=False, header=k == 0, float_format=FLOAT_FORMAT, lineterminator="\n")
        return
    p = len(cube.sources)
    keys = [
        f"{step},{date},{src},{tgt}"
        for step, date in zip(cube.steps.tolist(), cube.dates.tolist())
        for src, tgt in zip(cube.sources.tolist(), cube.targets.tolist())
    ]
    assert len(keys) == len(cube.steps) * p
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(["replicate", *cube.columns]) + "\n")
        for r in range(cube.replicates):
            formatted = [[FLOAT_FORMAT % v for v in cube.values[c][r].ravel().tolist()] for c in values]
            prefix = f"{r},"
            fh.write("".join([prefix + ",".join(row) + "\n" for row in zip(keys, *formatted)]))


def _plain_text(text: str) -> bool:
    """Text that CSV writes without quotes."""
    return bool(text) and not any(ch in text for ch in ',"\n\r')


def _relation_chunks(cube: RelationCube) -> Iterator[pd.DataFrame]:
    per_replicate = max(1, len(cube.steps) * len(cube.sources))
    step = max(1, ROWS_PER_CHUNK // per_replicate)
    for start in range(0, cube.replicates, step):
        yield cube.frame(start, start + step)


def write_relations_parquet(cube: RelationCube, path: Path) -> None:
    """The long relations table as Parquet, built from the arrays a chunk of replicates at a time.
    Dates and codes go in as dictionary indices, so no column of millions of strings is built; the
    file stores no Arrow schema, so readers see plain string columns, as in a table written from pandas."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    t, p = len(cube.steps), len(cube.sources)
    dates = pa.array(np.asarray(cube.dates, dtype=object).tolist(), type=pa.string())
    # each state code once in its dictionary: a dictionary of 37,056 codes with repeats made the
    # writer's bytes differ between identical runs of the 193-state world (the data did not)
    source_codes, source_index = np.unique(np.asarray(cube.sources, dtype=str), return_inverse=True)
    target_codes, target_index = np.unique(np.asarray(cube.targets, dtype=str), return_inverse=True)
    codes = {
        "source": (pa.array(source_codes.tolist(), type=pa.string()), source_index.astype(np.int32)),
        "target": (pa.array(target_codes.tolist(), type=pa.string()), target_index.astype(np.int32)),
    }
    per_chunk = max(1, ROWS_PER_CHUNK // max(1, t * p))
    with pq.ParquetWriter(path, _relations_schema(cube), store_schema=False) as writer:
        for start in range(0, cube.replicates, per_chunk):
            stop = min(start + per_chunk, cube.replicates)
            reps = stop - start
            step_index = np.tile(np.repeat(np.arange(t, dtype=np.int32), p), reps)
            pair_index = np.tile(np.arange(p, dtype=np.int32), reps * t)
            columns: dict[str, pa.Array] = {
                "replicate": pa.array(np.repeat(np.arange(start, stop, dtype=np.int64), t * p))
            }
            for column in cube.columns:
                if column == "step":
                    columns[column] = pa.array(cube.steps[step_index])
                elif column == "date":
                    columns[column] = pa.DictionaryArray.from_arrays(pa.array(step_index), dates)
                elif column in ("source", "target"):
                    dictionary, index = codes[column]
                    columns[column] = pa.DictionaryArray.from_arrays(pa.array(index[pair_index]), dictionary)
                else:
                    columns[column] = pa.array(cube.values[column][start:stop].reshape(-1))
            writer.write_table(pa.table(columns, schema=writer.schema))


def _relations_schema(cube: RelationCube) -> Any:
    import pyarrow as pa

    text = pa.dictionary(pa.int32(), pa.string())
    types = {"step": pa.int64(), "date": text, "source": text, "target": text}
    return pa.schema([("replicate", pa.int64()), *[(c, types.get(c, pa.float64())) for c in cube.columns]])


def write_parquet_chunks(chunks: Iterator[pd.DataFrame], path: Path) -> None:
    """Write DataFrames with the same columns as one Parquet file, one row group at a time."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer = None
    try:
        for chunk in chunks:
            table = pa.Table.from_pandas(chunk, preserve_index=False)
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema)
            writer.write_table(table.cast(writer.schema))
    finally:
        if writer is not None:
            writer.close()


def report_folder(out: str | Path) -> Path:
    """``out`` as the folder of a report (``check``, ``hindcast``): one that holds an earlier report,
    or nothing, may be replaced; any other existing folder or file is refused."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError("is a file, not a folder", path=out, field="--out")
    if out.is_dir() and any(out.iterdir()) and not (out / "report.md").is_file():
        raise InputError(
            "the folder exists, is not empty and holds no earlier report; choose another --out", path=out, field="--out"
        )
    return out
