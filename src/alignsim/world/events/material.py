"""Material events: aid, agreements and sanctions."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from alignsim.world.events.base import Event, register, set_tie
from alignsim.world.goldstein import goldstein
from alignsim.world.spec import WorldState
from alignsim.world.types import Real


@register
class Aid(Event):
    """Aid from source to target (CAMEO 073 humanitarian +7.4, 071 economic +7.4, 072 military +8.3).

    The impulse is scaled by (1 + need of the target): aid counts for more where it is needed (a
    judgement, documented in docs/model.md). ``amount_usd`` is recorded in the log; the impulse does
    not grow with it, since Goldstein scores rate the kind of act, not its size. E.g. South Korea's
    USD 200,000 of emergency aid to Mongolia for the 2023-24 dzud (article). Persistent: none.
    """

    type: Literal["aid"] = "aid"
    kind: Literal["humanitarian", "economic", "military"] = "humanitarian"
    amount_usd: Real | None = Field(None, gt=0, description="Amount in US dollars.")
    variants: ClassVar[dict[str, str]] = {"humanitarian": "073", "economic": "071", "military": "072"}

    def goldstein(self) -> float:
        return goldstein(self.variants[self.kind])

    def goldstein_target(self) -> float:
        return self.goldstein()

    def scale(self, world: WorldState) -> float:
        return 1.0 + float(world.need[world.index(self.target or "")])


@register
class Agreement(Event):
    """Sign (CAMEO 057 'sign formal agreement', +8.0) or abandon (CAMEO 164 'halt negotiations',
    -7.0) a cooperation agreement.

    Persistent: signing sets the pair's treaty tie (X0 gains ``tie_treaty``); abandoning removes it.
    E.g. North Korea abandoning its economic cooperation agreements with South Korea (article);
    the Rare Metal Cooperation Center of South Korea and Mongolia (article).
    """

    type: Literal["agreement"] = "agreement"
    action: Literal["sign", "abandon"] = "sign"
    domain: str = Field("", description="What the agreement covers, e.g. 'economic cooperation'.")
    variants: ClassVar[dict[str, str]] = {"sign": "057", "abandon": "164"}

    def goldstein(self) -> float:
        return goldstein(self.variants[self.action])

    def goldstein_target(self) -> float:
        return self.goldstein()

    @property
    def mutual(self) -> bool:  # type: ignore[override]
        return self.action == "sign"

    def apply(self, world: WorldState) -> bool:
        set_tie(world, "treaty", self.source or "", self.target or "", 1.0 if self.action == "sign" else 0.0)
        return True


@register
class Sanction(Event):
    """Impose (CAMEO 163 'impose embargo, boycott, or sanctions', -8.0) or lift (CAMEO 085 'ease
    economic sanctions, boycott, embargo', +7.0) sanctions on the target.

    Persistent: sets or clears the sanction tie, which adds ``tie_sanction`` to X0 both ways.
    """

    type: Literal["sanction"] = "sanction"
    action: Literal["impose", "lift"] = "impose"
    variants: ClassVar[dict[str, str]] = {"impose": "163", "lift": "085"}
    coercive = frozenset({"impose"})

    def goldstein(self) -> float:
        return goldstein(self.variants[self.action])

    def goldstein_target(self) -> float:
        return self.goldstein()

    def apply(self, world: WorldState) -> bool:
        i, j = world.index(self.source or ""), world.index(self.target or "")
        world.ties["sanction"][i, j] = 1.0 if self.action == "impose" else 0.0
        return True
