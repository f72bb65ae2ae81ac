"""Worlds from real data: interests from UN votes, capability from COW, ties from ATOP and friends.

PLACEHOLDER -- filled in below.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

# The six issue areas of the UN vote data (Voeten et al.), in the order of the world's dimensions.
ISSUES: dict[str, str] = {
    "me": "Palestinian conflict",
    "nu": "Nuclear weapons and nuclear material",
    "di": "Arms control and disarmament",
    "co": "Colonialism",
    "hr": "Human rights",
    "ec": "Economic development",
}


@cache
def converter() -> object:
    """A country_converter instance whose table keeps Namibia's ISO2 code "NA".

    coco 1.3.2 reads its table with pandas' default missing-value markers except "NA", but pandas 3
    still turns "NA" into a missing value there, and the constructor then fails. Reading the same
    bundled table ourselves with ``keep_default_na=False`` and handing it over avoids that.
    """
    import country_converter as coco
    from country_converter.country_converter import COUNTRY_DATA_FILE

    table = pd.read_csv(COUNTRY_DATA_FILE, sep="\t", encoding="utf-8", dtype=str, keep_default_na=False, na_values=[""])
    return coco.CountryConverter(country_data=table)
