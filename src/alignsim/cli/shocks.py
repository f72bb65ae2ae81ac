"""``alignsim shocks``: the event types, their fields, allowed values and Goldstein scores."""

from __future__ import annotations

import argparse

from alignsim.world.events.base import EVENT_TYPES
from alignsim.world.events.catalog import common_fields, event_rows


def cmd_shocks(args: argparse.Namespace) -> int:
    rows = event_rows(EVENT_TYPES)
    if args.markdown:
        print("| type | Goldstein (actor / target) | CAMEO | fields | what it does |")
        print("|---|---|---|---|---|")
        for r in rows:
            print(f"| `{r.name}` | {r.goldstein} | {r.cameo} | {'; '.join(r.allowed) or '-'} | {r.summary} |")
        return 0
    for r in rows:
        print(f"{r.name:18} Goldstein {r.goldstein:14} CAMEO {r.cameo}")
        print(f"{'':18} {r.summary}")
        for line in r.allowed or ("(no fields of its own)",):
            print(f"{'':18} {line}")
    print()
    print("every shock also takes:")
    for line in common_fields():
        print(f"  {line}")
    return 0
