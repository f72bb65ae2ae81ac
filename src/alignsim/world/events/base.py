"""The event base class, the registry, and the impulse convention shared by every event type.

Impulse convention (documented in docs/model.md): an event of actor i toward target j with
actor-side Goldstein score g and target-side score g' adds

    kappa * g / 10 * intensity * scale     to W_ij  (the actor commits itself by acting), and
    kappa_reciprocal * g' / 10 * intensity * scale   to W_ji  (the target's perception of the act).

``scale`` is 1 except where an event type says otherwise (aid counts more for a needy target).
Persistent effects (ties, interests, capability, borders, need) are applied by :meth:`Event.apply`;
they move the interest baseline X0, impulses do not.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from alignsim.world.goldstein import goldstein
from alignsim.world.params import Params
from alignsim.world.spec import WorldState
from alignsim.world.types import Int, Real

EVENT_TYPES: dict[str, type[Event]] = {}


def register[E: type[Event]](cls: E) -> E:
    """Class decorator: make an event type available to scenarios, agents and the CLI."""
    name = cls.model_fields["type"].default
    if not isinstance(name, str) or name in EVENT_TYPES:
        raise ValueError(f"event type {name!r} is missing or registered twice")
    EVENT_TYPES[name] = cls
    return cls


class Event(BaseModel):
    """A shock or an agent's act. Subclasses set ``type`` (a Literal), the CAMEO codes and effects."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: str
    source: str | None = Field(
        None, description="Acting state (ISO alpha-3); for single-state events, the state concerned."
    )
    target: str | None = Field(None, description="State acted upon (ISO alpha-3).")
    intensity: Real = Field(1.0, gt=0, le=5, description="Multiplies the event's impulse.")
    note: str = Field("", description="Provenance: the fact this shock encodes.")
    date: dt.date | None = Field(None, description="Calendar date the shock fires (mapped to its month's step).")
    step: Int | None = Field(None, ge=0, description="Step the shock fires (alternative to date).")
    every: Int | None = Field(None, ge=1, description="Repeat every this many steps.")
    until: dt.date | Int | None = Field(None, description="Last date or step of a repeating shock.")

    cameo: ClassVar[str | None] = None  # actor side
    cameo_target: ClassVar[str | None] = None  # target side; defaults to the actor side
    needs_target: ClassVar[bool] = True
    mutual: ClassVar[bool] = False  # both parties act (a recognition), not only the source
    variants: ClassVar[dict[str, str]] = {}  # variant -> CAMEO code, for types whose code depends on a field
    #: Coercive acts (threats, force, expulsions, sanctions: docs/model.md, "How each event type is read"):
    #: True for every variant of the type, or the names of the coercive variants.
    coercive: ClassVar[bool | frozenset[str]] = False

    @model_validator(mode="after")
    def _parties(self) -> Event:
        if self.source is None:
            raise ValueError(f"'{self.type}' needs 'source'")
        if self.needs_target and self.target is None:
            raise ValueError(f"'{self.type}' needs 'target'")
        if not self.needs_target and self.target is not None:
            raise ValueError(f"'{self.type}' concerns one state: give 'source' only, not 'target'")
        if self.needs_target and self.source == self.target:
            raise ValueError(f"'{self.type}': source and target are the same state ({self.source})")
        if self.every is None and self.until is not None:
            raise ValueError("'until' needs 'every'")
        for name in ("open_to", "partners"):  # the lists of states of border events
            codes = list(getattr(self, name, ()))
            if self.source in codes:
                raise ValueError(
                    f"'{self.type}': '{name}' lists {self.source}, the state itself; a state is always in contact with itself"
                )
            if len(set(codes)) < len(codes):
                twice = sorted({c for c in codes if codes.count(c) > 1})
                raise ValueError(f"'{self.type}': '{name}' lists {', '.join(twice)} twice")
        return self

    # --- Goldstein scores ---
    def goldstein(self) -> float:
        """Actor-side Goldstein score (0 for events with no CAMEO equivalent)."""
        return goldstein(self.cameo) if self.cameo else 0.0

    def goldstein_target(self) -> float:
        code = self.cameo_target or self.cameo
        return goldstein(code) if code else 0.0

    def scale(self, world: WorldState) -> float:
        """Extra multiplier on the impulse; 1 unless the event type says otherwise."""
        return 1.0

    def impulses(self, world: WorldState, params: Params) -> list[tuple[int, int, float]]:
        """(i, j, delta W_ij) pairs, following the convention in the module docstring."""
        if self.target is None or self.source is None:
            return []
        i, j = world.index(self.source), world.index(self.target)
        common = self.intensity * self.scale(world) / 10.0
        return [
            (i, j, params.kappa * self.goldstein() * common),
            (j, i, params.kappa_reciprocal * self.goldstein_target() * common),
        ]

    def apply(self, world: WorldState) -> bool:
        """Persistent effects on the world; returns True when the interest baseline must be rebuilt."""
        return False

    def detail(self) -> str:
        """The type's own fields, for the event log."""
        own = set(type(self).model_fields) - set(Event.model_fields)
        return " ".join(f"{k}={getattr(self, k)}" for k in sorted(own) if getattr(self, k) not in (None, (), ""))

    def variant(self) -> str:
        """Which of the type's ``variants`` this event is ('' for a type without variants)."""
        for name in ("form", "action", "kind"):
            if self.variants and name in type(self).model_fields:
                return str(getattr(self, name))
        return ""

    def coding(self) -> str:
        """How states read the act: 'warming' (g > 0), 'neutral' (g = 0), 'coercive' (a threat, force,
        an expulsion or sanctions: what retaliation and solidarity answer) or 'cooling' (the other
        hostile acts: criticism, reduced relations, a halted agreement)."""
        return coding_of(type(self), self.variant(), self.goldstein())

    def order_key(self) -> tuple[float, str, str, str, str]:
        """Within one date, how events are read: the most severe first, then by codes and content
        (never by the order of a list)."""
        return (-self.severity(), self.source or "", self.target or "", self.type, self.model_dump_json())

    def severity(self) -> float:
        """How hostile the act is: max(0, -g) / 10 x intensity (1 for a full use of force)."""
        return max(0.0, -self.goldstein()) / 10.0 * self.intensity

    @property
    def aggressor(self) -> str | None:
        """The state that acted with hostility (the source of a two-state act of negative score)."""
        return self.source if self.target is not None and self.goldstein() < 0 else None

    @property
    def victim(self) -> str | None:
        """The state a hostile act was aimed at (None for acts that are not hostile)."""
        return self.target if self.goldstein() < 0 else None

    @property
    def warming(self) -> bool:
        """A cooperative act (positive Goldstein score): what other states read as courting."""
        return self.goldstein() > 0


def coding_of(cls: type[Event], variant: str, g: float) -> str:
    """The coding of an event of type ``cls``, variant ``variant`` and actor-side Goldstein score ``g``."""
    if g > 0:
        return "warming"
    if g == 0:
        return "neutral"
    coercive = cls.coercive if isinstance(cls.coercive, bool) else variant in cls.coercive
    return "coercive" if coercive else "cooling"


def coding_rows(registry: dict[str, type[Event]]) -> list[tuple[str, str, str, float, str]]:
    """(type, variant, CAMEO code, Goldstein, coding) of every registered type and variant: the
    table "How each event type is read" of docs/model.md."""
    rows = []
    for name, cls in registry.items():
        for variant, code in (cls.variants or {"": cls.cameo or ""}).items():
            g = goldstein(code) if code else 0.0
            rows.append((name, variant, code, g, coding_of(cls, variant, g)))
    return rows


def set_tie(world: WorldState, kind: str, a: str, b: str, value: float) -> None:
    i, j = world.index(a), world.index(b)
    world.ties[kind][i, j] = world.ties[kind][j, i] = value
