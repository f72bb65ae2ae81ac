"""Events that change a state itself: interests, capability, borders and humanitarian need.

They have no Goldstein impulse (they are not acts toward another state); their effects persist.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from alignsim.world.events.base import Event, register
from alignsim.world.spec import WorldState
from alignsim.world.types import Real


@register
class InterestShift(Event):
    """A state's interest position (and optionally salience) on one dimension changes.

    E.g. a new government redefining its stance. Persistent: moves X0 for every pair involving the
    state -- the one kind of change that relations follow for good ("only interests endure").
    Source: a modelling convention (docs/model.md, the interest baseline); no CAMEO equivalent,
    since it is not an act toward another state: Goldstein 0 (no impulse).
    """

    type: Literal["interest_shift"] = "interest_shift"
    dimension: str
    position: Real | None = Field(None, ge=-1, le=1, description="New position in [-1, 1].")
    delta: Real | None = Field(None, ge=-2, le=2, description="Change of position (clipped to [-1, 1]).")
    salience: Real | None = Field(None, ge=0, le=10, description="New salience of the dimension.")
    needs_target = False

    @model_validator(mode="after")
    def _one_change(self) -> InterestShift:
        if self.position is not None and self.delta is not None:
            raise ValueError("give 'position' or 'delta', not both")
        if self.position is None and self.delta is None and self.salience is None:
            raise ValueError("give at least one of 'position', 'delta' or 'salience'")
        return self

    def apply(self, world: WorldState) -> bool:
        i, k = world.index(self.source or ""), world.dimensions.index(self.dimension)
        if self.position is not None:
            world.interests[i, k] = self.position
        if self.delta is not None:
            world.interests[i, k] = min(1.0, max(-1.0, world.interests[i, k] + self.delta))
        if self.salience is not None:
            world.salience[i, k] = self.salience
        return True


#: Capability stays within these bounds however many changes compound: repeated factors near 0 (or
#: 100) would otherwise erase a state to 0 (or make it infinite) in floating point.
CAPABILITY_RANGE = (1e-12, 1e12)


@register
class CapabilityChange(Event):
    """A state's capability is multiplied by ``factor`` (growth, war losses, sanctions' bite).

    Persistent: changes whose support counts for how much (isolation, courting, aid capacity). The
    result is kept within :data:`CAPABILITY_RANGE`.
    Source: capability as a composite share in the manner of the Correlates of War CINC; no CAMEO
    equivalent: Goldstein 0 (no impulse).
    """

    type: Literal["capability_change"] = "capability_change"
    factor: Real = Field(gt=0, le=100, description="Multiplier on capability.")
    needs_target = False

    def apply(self, world: WorldState) -> bool:
        i = world.index(self.source or "")
        world.capability[i] = min(max(world.capability[i] * self.factor, CAPABILITY_RANGE[0]), CAPABILITY_RANGE[1])
        return False


@register
class BorderClosure(Event):
    """A state closes its border (e.g. North Korea's COVID-19 closure, article), except to ``open_to``.

    Persistent: no contact with the others: agents neither act across the closed border nor
    answer across it, except through a third state's channel (``talks`` with ``via``).
    Source: the article (North Korea's pandemic closure); no CAMEO equivalent: Goldstein 0 (no impulse).
    """

    type: Literal["border_closure"] = "border_closure"
    open_to: tuple[str, ...] = ()
    needs_target = False

    def apply(self, world: WorldState) -> bool:
        i = world.index(self.source or "")
        keep = [world.index(c) for c in self.open_to]
        world.contact[i, :] = world.contact[:, i] = 0.0
        world.contact[i, keep] = world.contact[keep, i] = 1.0
        world.contact[i, i] = 1.0
        return False


@register
class BorderReopening(Event):
    """A state reopens its border to ``partners`` (all states when empty).

    E.g. North Korea letting China, Russia, Cuba and Mongolia rotate diplomats in 2023 (article).
    Persistent: restores contact with those states. Source: the article (diplomats' rotation in
    Pyongyang, 2023); no CAMEO equivalent: Goldstein 0 (no impulse).
    """

    type: Literal["border_reopening"] = "border_reopening"
    partners: tuple[str, ...] = ()
    needs_target = False

    def apply(self, world: WorldState) -> bool:
        i = world.index(self.source or "")
        others = [world.index(c) for c in self.partners] if self.partners else list(range(world.n))
        world.contact[i, others] = world.contact[others, i] = 1.0
        return False


@register
class Disaster(Event):
    """A natural or economic disaster sets the state's humanitarian need (0 none .. 1 extreme).

    E.g. Mongolia's 2023-24 dzud, the worst in 30 years (article). Persistent: need makes courting
    take the form of aid and makes aid count for more (see ``aid``). Lower it with a later
    ``disaster`` event of lower ``need`` to model recovery. Source: the article (the 2023-24 dzud);
    no CAMEO equivalent: Goldstein 0 (no impulse).
    """

    type: Literal["disaster"] = "disaster"
    need: Real = Field(ge=0, le=1, description="The state's humanitarian need after the disaster.")
    kind: str = Field("", description="What happened, e.g. 'dzud'.")
    needs_target = False

    def apply(self, world: WorldState) -> bool:
        world.need[world.index(self.source or "")] = self.need
        return False
