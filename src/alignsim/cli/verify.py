"""``alignsim verify FOLDER...``: check saved folders against the checksums in their manifests.

Exit status: 0 when every folder is whole, 2 when one is damaged (the message names the file and
what is wrong with it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from alignsim.errors import EXIT_BAD_INPUT, InputError
from alignsim.results.integrity import read_manifest, verify_folder

EXIT_DAMAGED = EXIT_BAD_INPUT


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
    """What was checked, or an InputError naming the damaged, missing or unlisted file (a folder whose
    manifest records no checksums cannot be verified, and says so)."""
    return f"{verify_folder(folder, read_manifest(folder))} files match their checksums"
