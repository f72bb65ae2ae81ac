"""``alignsim shocks [--markdown]``: the event types a scenario can script, with their fields,
CAMEO codes and Goldstein values (the registry of :mod:`alignsim.world.events`)."""

from __future__ import annotations

import argparse

from alignsim.world.events.base import EVENT_TYPES
from alignsim.world.events.catalog import event_rows


def cmd_shocks(args: argparse.Namespace) -> int:
    rows = event_rows(EVENT_TYPES)
    if args.markdown:
        print("| type | Goldstein (actor / target) | CAMEO | fields | what it does |")
        print("|---|---|---|---|---|")
        for r in rows:
            print(f"| `{r.name}` | {r.goldstein} | {r.cameo} | {r.fields} | {r.summary} |")
        return 0
    for r in rows:
        print(f"{r.name:18} Goldstein {r.goldstein:14} CAMEO {r.cameo}")
        print(f"{'':18} {r.summary}")
        print(f"{'':18} fields: {r.fields}")
    return 0
