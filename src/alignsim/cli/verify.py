"""``alignsim verify FOLDER...``: check saved folders against the checksums in their manifests.

Exit status: 0 when every folder is whole, 2 when one is damaged (the message names the file and
what is wrong with it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from alignsim.errors import InputError
from alignsim.experiments.loading import READ_ERRORS, load
from alignsim.results.integrity import read_manifest, verify_folder

EXIT_DAMAGED = 2


def cmd_verify(args: argparse.Namespace) -> int:
    damaged = 0
    for folder in args.folders:
        try:
            print(f"ok: {folder} ({verify_one(folder)})")
        except InputError as err:
            damaged += 1
            print(f"error: {err}", file=sys.stderr)
    return EXIT_DAMAGED if damaged else 0


def verify_one(folder: Path) -> str:
    """What was checked, or an InputError naming the damaged file."""
    checked = verify_folder(folder, read_manifest(folder))
    if checked:
        return f"{checked} files match their checksums"
    result = load(folder, verify=False)
    for table in ("relations", "events", "metrics"):  # reading each table is the only check left
        try:
            getattr(result, table, None)
        except READ_ERRORS as err:
            raise InputError(
                f"damaged: its {table} table cannot be read ({type(err).__name__}: {err})", path=folder
            ) from err
    return "no checksums recorded (written by an older alignsim); its tables read back"
