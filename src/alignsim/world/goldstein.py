"""The CAMEO event codes and their Goldstein (1992) conflict-cooperation scores.

Goldstein, J. S. (1992). A conflict-cooperation scale for WEIS events data. Journal of Conflict
Resolution 36(2), 369-385; mapped to CAMEO codes by Schrodt et al. (CAMEO manual 1.1b3). The table
ships as ``data/cameo_goldstein.csv`` (see ``data/SOURCES.md``).
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources


@cache
def goldstein_table() -> dict[str, tuple[str, float]]:
    """CAMEO code -> (description, Goldstein score in [-10, 10])."""
    text = (resources.files("alignsim") / "data" / "cameo_goldstein.csv").read_text(encoding="utf-8")
    return {
        row["cameo_code"]: (row["description"], float(row["goldstein"])) for row in csv.DictReader(text.splitlines())
    }


def goldstein(code: str) -> float:
    """The Goldstein score of a CAMEO code, e.g. ``goldstein("054") == 6.0`` (grant recognition)."""
    return goldstein_table()[code][1]


def cameo_description(code: str) -> str:
    return goldstein_table()[code][0]
