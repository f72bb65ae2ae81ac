"""A starter scenario written from a world (``alignsim new NAME --world FILE`` and a world uploaded
alone to the dashboard): the world's states, a start date after the world's year, pairs to track."""

from __future__ import annotations

import datetime as dt
import json
import re

from alignsim.world.spec import WorldSpec

#: How many pairs a starter scenario tracks: the most capable state with each of the next ones.
STARTER_PAIRS = 3


def world_year(spec: WorldSpec, text: str = "") -> int | None:
    """The year a world describes: the 'Year YYYY' of a built world's header, else a year in its name."""
    for pattern, where in ((r"^#\s*Year (\d{4})\b", text), (r"(?<!\d)(1[7-9]\d\d|2[0-2]\d\d)(?!\d)", spec.name)):
        found = re.search(pattern, where, flags=re.MULTILINE)
        if found:
            return int(found.group(1))
    return None


def starter_pairs(spec: WorldSpec, count: int = STARTER_PAIRS) -> list[str]:
    """The most capable state with each of the next ``count`` most capable ones, both ways round
    as the first regards the others: 'USA-CHN', 'USA-RUS', ..."""
    ranked = sorted(spec.states, key=lambda s: (-s.capability, s.code))
    return [f"{ranked[0].code}-{s.code}" for s in ranked[1 : count + 1]]


def starter_text(name: str, world_ref: str, spec: WorldSpec, world_text: str = "") -> str:
    """The YAML of a commented starter scenario on ``spec`` (named ``world_ref`` in the file)."""
    year = world_year(spec, world_text)
    start = dt.date(year + 1, 1, 1) if year is not None else dt.date(2024, 1, 1)
    states = ", ".join(f"{s.code} ({s.name})" for s in spec.states)
    pairs = "\n".join(f"  - {p}" for p in starter_pairs(spec))
    since = f"the world describes {year}, so the run starts after it" if year else "no year found in the world"
    return (
        f"# {name}: a starter scenario on the world {spec.name}. Run it with `alignsim run {name}.yaml`.\n"
        f"# States: {states}.\n"
        "# Add shocks (`alignsim shocks` lists the event types); every key is documented in scenarios/README.md.\n"
        f"name: {name}\n"
        f'description: "What this scenario asks of {spec.name}, in one sentence."\n'
        f"world: {world_ref if re.fullmatch(r'[\w./-]+', world_ref) else json.dumps(world_ref)}\n"
        f"start: {start.isoformat()}   # {since}\n"
        "steps: 24\n"
        "seed: 1\n"
        "shocks: []\n"
        "# The most capable state and how it regards the next most capable ones:\n"
        f"track:\n{pairs}\n"
    )
