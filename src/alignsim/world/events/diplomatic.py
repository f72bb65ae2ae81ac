"""Diplomatic events: recognition, breaking relations, visits, invitations, talks, dialogues, media."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, model_validator

from alignsim.world.events.base import Event, register, set_tie
from alignsim.world.goldstein import goldstein
from alignsim.world.spec import WorldState
from alignsim.world.types import Real

VISIT_LEVELS = {"head_of_state": 1.5, "minister": 1.0, "deputy_minister": 0.7}


@register
class Recognition(Event):
    """Establish diplomatic relations (CAMEO 054 'grant diplomatic recognition', Goldstein +6.0).

    Source: CAMEO codebook 1.1b3; e.g. South Korea and Cuba, 14 Feb 2024 (article).
    Persistent: sets the pair's diplomatic tie, which adds ``tie_diplomatic`` to X0 both ways.
    """

    type: Literal["recognition"] = "recognition"
    cameo: ClassVar[str | None] = "054"
    mutual: ClassVar[bool] = True

    def apply(self, world: WorldState) -> bool:
        set_tie(world, "diplomatic", self.source or "", self.target or "", 1.0)
        return True


@register
class SeverRelations(Event):
    """Break off diplomatic relations (CAMEO 161 'reduce or break diplomatic relations', -4.0).

    Persistent: removes the pair's diplomatic tie (X0 loses ``tie_diplomatic`` both ways).
    """

    type: Literal["sever_relations"] = "sever_relations"
    cameo: ClassVar[str | None] = "161"

    def apply(self, world: WorldState) -> bool:
        set_tie(world, "diplomatic", self.source or "", self.target or "", 0.0)
        return True


@register
class Visit(Event):
    """An official visit by the source to the target (CAMEO 042 'make a visit', +1.9, for the
    visitor; 043 'host a visit', +2.8, for the host).

    The impulse is multiplied by the level: head of state 1.5, minister 1.0, deputy minister 0.7
    (a judgement: protocol rank signals commitment). E.g. North Korea's deputy foreign minister in
    Ulaanbaatar, 10-11 March 2024 (article). Persistent: none.
    """

    type: Literal["visit"] = "visit"
    level: Literal["head_of_state", "minister", "deputy_minister"] = "minister"
    cameo: ClassVar[str | None] = "042"
    cameo_target: ClassVar[str | None] = "043"

    def scale(self, world: WorldState) -> float:
        return VISIT_LEVELS[self.level]


@register
class Invitation(Event):
    """An invitation to meet or attend (CAMEO 026 'appeal to others to meet or negotiate', +4.0).

    E.g. Mongolia inviting North Korea to the Ulaanbaatar Dialogue (article). Persistent: none.
    """

    type: Literal["invitation"] = "invitation"
    occasion: str = ""
    cameo: ClassVar[str | None] = "026"


@register
class Talks(Event):
    """Talks or a contact, directly (CAMEO 036 'express intent to meet or negotiate', +4.0) or
    through a third state's channel (CAMEO 044 'meet at a third location', +2.5).

    ``via`` names the broker; a channel works where no direct contact exists (no diplomatic
    relations, or a closed border). E.g. North Korea's reported contacts with Japan through
    Mongolian channels (article). Persistent: none.
    """

    type: Literal["talks"] = "talks"
    via: str | None = Field(None, description="Broker state whose channel carries the contact.")
    cameo: ClassVar[str | None] = "036"
    variants: ClassVar[dict[str, str]] = {"direct": "036", "via": "044"}

    @model_validator(mode="after")
    def _broker(self) -> Talks:
        if self.via is not None and self.via in (self.source, self.target):
            raise ValueError(
                f"'talks': the broker 'via' ({self.via}) is one of the two parties; name a third state, or drop 'via' for direct talks"
            )
        return self

    def variant(self) -> str:
        return "via" if self.via else "direct"

    def goldstein(self) -> float:
        return goldstein(self.variants["via" if self.via else "direct"])

    def goldstein_target(self) -> float:
        return self.goldstein()


@register
class SecurityDialogue(Event):
    """A political-military or security dialogue (CAMEO 050 'engage in diplomatic cooperation', +3.5).

    E.g. the Mongolia-Japan security dialogue in Ulaanbaatar days before 10 March 2024 (article).
    Persistent: none.
    """

    type: Literal["security_dialogue"] = "security_dialogue"
    cameo: ClassVar[str | None] = "050"
    mutual: ClassVar[bool] = True


@register
class MediaFreeze(Event):
    """State media stop covering the target: a symbolic reduction of relations (CAMEO 160 'reduce
    relations, not specified', -4.0), at half intensity by default because it costs nothing.

    E.g. North Korean media silence on Cuba after 14 Feb 2024 (article). Persistent: none.
    """

    type: Literal["media_freeze"] = "media_freeze"
    intensity: Real = Field(0.5, gt=0, le=5)
    cameo: ClassVar[str | None] = "160"
