"""A readable catalogue of the registered event types (for ``alignsim shocks`` and the docs)."""

from __future__ import annotations

import datetime as dt
import inspect
import types
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from alignsim.world.events.base import Event
from alignsim.world.goldstein import goldstein


@dataclass(frozen=True)
class EventRow:
    name: str
    goldstein: str
    cameo: str
    fields: str
    summary: str
    allowed: tuple[str, ...] = ()  # 'name: what may be written (default)', one per own field


STATE_FIELDS = ("source", "target", "via", "open_to", "partners")


def event_rows(registry: dict[str, type[Event]]) -> list[EventRow]:
    rows = []
    for name, cls in registry.items():
        doc = inspect.getdoc(cls) or ""
        summary = " ".join(doc.split("\n\n")[0].split())
        own = [
            f
            for f in cls.model_fields
            if f not in Event.model_fields or f == "intensity" and cls.model_fields[f].default != 1.0
        ]
        fields = ", ".join(f"{f}{_default(cls.model_fields[f])}" for f in own) or "-"
        allowed = tuple(f"{f}: {allowed_values(f, cls.model_fields[f])}" for f in own)
        rows.append(EventRow(name, _scores(cls), _codes(cls), fields, summary, allowed))
    return rows


def common_fields() -> tuple[str, ...]:
    """The fields every shock has, with what may be written in them."""
    return tuple(f"{f}: {allowed_values(f, Event.model_fields[f])}" for f in Event.model_fields if f != "type")


def allowed_values(name: str, field: Any) -> str:
    """What a field accepts, in words: the choices of a Literal, the range of a number, state codes."""
    annotation = field.annotation
    union = get_origin(annotation) in (Union, types.UnionType)
    args = [a for a in get_args(annotation) if a is not type(None)] if union else [annotation]
    literal = next((a for a in args if get_origin(a) is Literal), None)
    if literal is not None:
        what = "one of " + ", ".join(map(str, get_args(literal)))
    elif name in STATE_FIELDS:
        what = (
            "a list of state codes of the world"
            if name in ("open_to", "partners")
            else "a state code of the world (e.g. PRK)"
        )
    elif name == "dimension":
        what = "an interest dimension of the world"
    elif dt.date in args:
        what = "a date YYYY-MM-DD" + (
            " or a step" if int in args or any(get_origin(a) is Annotated for a in args) else ""
        )
    elif any(_base(a) is bool for a in args):
        what = "true or false"
    elif any(_base(a) in (int, float) for a in args):
        kind = "an integer" if any(_base(a) is int for a in args) else "a number"
        bounds = [
            f"{sym} {getattr(m, key):g}"
            for m in field.metadata
            for key, sym in (("gt", ">"), ("ge", ">="), ("lt", "<"), ("le", "<="))
            if getattr(m, key, None) is not None
        ]
        what = kind + (f" {' and '.join(bounds)}" if bounds else "")
    else:
        what = "text"
    if not field.is_required() and field.default not in (None, (), ""):
        what += f" (default {field.default})"
    elif field.is_required():
        what += " (required)"
    return what


def _base(annotation: Any) -> Any:
    """int for Annotated[int, Strict()]."""
    return get_args(annotation)[0] if get_origin(annotation) is Annotated else annotation


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
