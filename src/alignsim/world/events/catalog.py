"""A readable catalogue of the registered event types (for ``alignsim shocks`` and the docs)."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any

from alignsim.world.events.base import Event
from alignsim.world.goldstein import goldstein


@dataclass(frozen=True)
class EventRow:
    name: str
    goldstein: str
    cameo: str
    fields: str
    summary: str


def event_rows(registry: dict[str, type[Event]]) -> list[EventRow]:
    rows = []
    for name, cls in registry.items():
        doc = inspect.getdoc(cls) or ""
        summary = " ".join(doc.split("\n\n")[0].split())
        own = [f for f in cls.model_fields if f not in Event.model_fields or f == "intensity" and cls.model_fields[f].default != 1.0]
        fields = ", ".join(f"{f}{_default(cls.model_fields[f])}" for f in own) or "-"
        rows.append(EventRow(name, _scores(cls), _codes(cls), fields, summary))
    return rows


def _default(field: Any) -> str:
    if field.is_required():
        return " (required)"
    return f"={field.default}" if field.default not in (None, (), "") else ""


def _codes(cls: type[Event]) -> str:
    codes = list(dict.fromkeys(cls.variants.values())) or [c for c in (cls.cameo, cls.cameo_target) if c]
    return "/".join(codes) if codes else "-"


def _scores(cls: type[Event]) -> str:
    """The Goldstein value(s) an instance of the type can carry, from its CAMEO codes or variants."""
    if cls.variants:
        return ", ".join(f"{goldstein(code):+.1f} {variant}" for variant, code in cls.variants.items())
    if not cls.cameo:
        return "0 (no impulse)"
    actor = goldstein(cls.cameo)
    target = goldstein(cls.cameo_target) if cls.cameo_target else actor
    return f"{actor:+.1f}" if actor == target else f"{actor:+.1f} / {target:+.1f}"
