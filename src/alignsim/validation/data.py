"""Loaders for the small validation data sets shipped in ``alignsim/data/validation``.

Only the standard library and numpy are used so that the loaders work in every
environment the package runs in (no pandas dependency for a 66-row file).

Antal, Krapivsky & Redner (2006)
--------------------------------
``wwi_antal_2006_panels.csv`` encodes the six snapshots of great-power relations
between 1872 and 1907 drawn in Fig. 3 of

    T. Antal, P. L. Krapivsky, S. Redner (2006). "Social balance on networks:
    the dynamics of friendship and enmity". Physica D 224, 130-136.

Columns are ``panel,year_label,pair,sign``; a pair such as ``"AH-R"`` names two
actors among GB (Great Britain), F (France), R (Russia), G (Germany),
AH (Austria-Hungary) and I (Italy).  A pair not listed in a panel has *no*
relation in that panel (entry 0), which is different from a hostile one (-1).
"""

from __future__ import annotations

import csv
import io
from importlib.resources import files

import numpy as np

__all__ = ["ANTAL_ACTORS", "load_antal_panels"]

#: Canonical actor order for every Antal panel, so that the matrices of all six
#: snapshots are indexed identically and can be compared entry by entry.
ANTAL_ACTORS: tuple[str, ...] = ("GB", "F", "R", "G", "AH", "I")

_ANTAL_RESOURCE = "data/validation/wwi_antal_2006_panels.csv"


def load_antal_panels() -> dict[str, tuple[list[str], np.ndarray]]:
    """Load the Antal, Krapivsky & Redner (2006) great-power snapshots, 1872-1907.

    Returns
    -------
    dict
        Maps each ``year_label`` (e.g. ``"1904 Entente Cordiale"``) to
        ``(actors, W)``, in panel order (1872-81 first, 1907 last).  ``actors`` is
        always ``list(ANTAL_ACTORS)``; ``W`` is the symmetric ``float`` matrix with
        ``W[i, j] = W[j, i] = sign`` for each listed pair, 0 for pairs not listed
        (no relation) and a zero diagonal.

    Raises
    ------
    ValueError
        On an unknown actor, a sign other than +1/-1, a self-pair, or a pair listed
        twice in one panel with contradicting signs (all of which would silently
        corrupt the balance statistics computed from the snapshots).
    """
    text = (files("alignsim") / _ANTAL_RESOURCE).read_text(encoding="utf-8")
    index = {name: k for k, name in enumerate(ANTAL_ACTORS)}
    n = len(ANTAL_ACTORS)
    # panel number -> (label, matrix); sorted by panel number at the end because
    # dict order of the CSV rows is an accident of the file, the panel id is not.
    panels: dict[int, tuple[str, np.ndarray]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        panel = int(row["panel"])
        label = row["year_label"].strip()
        a, b = (part.strip() for part in row["pair"].split("-"))
        sign = int(row["sign"])
        if a not in index or b not in index:
            raise ValueError(f"unknown actor in pair {row['pair']!r} (panel {panel})")
        if a == b:
            raise ValueError(f"self-pair {row['pair']!r} in panel {panel}")
        if sign not in (-1, 1):
            raise ValueError(f"sign must be +1 or -1, got {sign} (panel {panel})")
        if panel not in panels:
            panels[panel] = (label, np.zeros((n, n), dtype=float))
        stored_label, W = panels[panel]
        if stored_label != label:
            raise ValueError(f"panel {panel} has two labels: {stored_label!r}, {label!r}")
        i, j = index[a], index[b]
        if W[i, j] not in (0.0, float(sign)):
            raise ValueError(f"pair {row['pair']!r} listed with both signs in panel {panel}")
        W[i, j] = W[j, i] = float(sign)
    return {label: (list(ANTAL_ACTORS), W) for _, (label, W) in sorted(panels.items())}
