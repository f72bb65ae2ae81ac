"""Hostile events: condemnations, threats, expulsions, force postures, uses of force, attacks by
actors the world does not model, and the rallying of support for their victims.

Each carries a CAMEO code and its Goldstein (1992) score from ``data/cameo_goldstein.csv``. They act
through impulses only (no persistent effects); the states' answers -- retaliation, solidarity,
balancing -- are agents' rules (docs/model.md, "Agents decide").
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, model_validator

from alignsim.world.events.base import Event, register
from alignsim.world.goldstein import goldstein
from alignsim.world.params import Params
from alignsim.world.spec import WorldState


class _Variant(Event):
    """An event whose CAMEO code is chosen by its ``form`` field (same score for both sides)."""

    form: str = ""

    def goldstein(self) -> float:
        return goldstein(self.variants[self.form])

    def goldstein_target(self) -> float:
        return self.goldstein()


@register
class Condemn(_Variant):
    """A public condemnation (CAMEO 111 'criticize or denounce', -2.0) or an official protest
    (CAMEO 114 'complain officially', -2.0).

    E.g. Gulf states condemning Israel's strikes on Gaza, October 2023. Persistent: none.
    """

    type: Literal["condemn"] = "condemn"
    form: Literal["condemn", "protest"] = "condemn"
    variants: ClassVar[dict[str, str]] = {"condemn": "111", "protest": "114"}


@register
class Threaten(_Variant):
    """A threat of force (CAMEO 138 'threaten to use military force', -7.0), of sanctions (CAMEO
    1312, -5.8) or to reduce or break relations (CAMEO 1313, -5.8).

    E.g. Iran's warnings to Israel after the strike on its Damascus consulate, April 2024.
    Persistent: none.
    """

    type: Literal["threaten"] = "threaten"
    form: Literal["force", "sanctions", "relations"] = "force"
    variants: ClassVar[dict[str, str]] = {"force": "138", "sanctions": "1312", "relations": "1313"}
    coercive = True


@register
class ExpelDiplomats(_Variant):
    """Expel the target's diplomats or withdraw one's own (CAMEO 166 'expel or withdraw', -7.0).

    Diplomatic relations stand (use ``sever_relations`` to break them). E.g. Turkey recalling its
    ambassador from Israel, November 2023. Persistent: none.
    """

    type: Literal["expel_diplomats"] = "expel_diplomats"
    form: Literal["expel", "withdraw"] = "expel"
    variants: ClassVar[dict[str, str]] = {"expel": "166", "withdraw": "166"}
    coercive = True


@register
class MilitaryPosture(_Variant):
    """A force posture aimed at the target: an exercise or show of force (CAMEO 150 'demonstrate
    military power', -7.2), a raised alert (152, -7.2) or a mobilisation (154, -7.2).

    E.g. a naval deployment to deter a state. Persistent: none.
    """

    type: Literal["military_posture"] = "military_posture"
    form: Literal["exercise", "alert", "mobilization"] = "exercise"
    variants: ClassVar[dict[str, str]] = {"exercise": "150", "alert": "152", "mobilization": "154"}
    coercive = True


@register
class UseForce(_Variant):
    """Conventional force against the target: air or missile strikes (CAMEO 195 'employ aerial
    weapons', -10.0), ground fighting (194 'fight with artillery and tanks', -10.0), a blockade (191,
    -9.5) or an occupation (192, -9.5).

    E.g. Iran's drone and missile attack on Israel, 13-14 April 2024. Persistent: none.
    """

    type: Literal["use_force"] = "use_force"
    form: Literal["strike", "ground", "blockade", "occupation"] = "strike"
    variants: ClassVar[dict[str, str]] = {"strike": "195", "ground": "194", "blockade": "191", "occupation": "192"}
    coercive = True


@register
class ExternalAttack(_Variant):
    """An attack on ``source`` by an actor the world does not model (``attacker``, a name): an
    armed attack (CAMEO 190 'use conventional military force', -10.0), a bombing (183, -10.0), a
    hostage-taking (181, -9.0) or a missile or drone strike (195, -10.0).

    With ``sponsor`` (a state of the world held responsible), the victim's regard of the sponsor
    moves by kappa_reciprocal * g / 10 * intensity, and the sponsor counts as the attacker for the
    states' answers. E.g. the Hamas attack on Israel of 7 October 2023. Persistent: none.
    """

    type: Literal["external_attack"] = "external_attack"
    attacker: str = Field(min_length=1, description="Who attacked (an actor the world does not model).")
    sponsor: str | None = Field(None, description="A state of the world held responsible (ISO alpha-3), if any.")
    form: Literal["armed_attack", "bombing", "hostage_taking", "strike"] = "armed_attack"
    coercive = True
    variants: ClassVar[dict[str, str]] = {
        "armed_attack": "190",
        "bombing": "183",
        "hostage_taking": "181",
        "strike": "195",
    }
    needs_target = False

    @model_validator(mode="after")
    def _sponsor_is_another_state(self) -> ExternalAttack:
        if self.sponsor is not None and self.sponsor == self.source:
            raise ValueError(f"'external_attack': the sponsor is the attacked state itself ({self.source})")
        return self

    def impulses(self, world: WorldState, params: Params) -> list[tuple[int, int, float]]:
        if self.sponsor is None:
            return []
        victim, sponsor = world.index(self.source or ""), world.index(self.sponsor)
        return [(victim, sponsor, params.kappa_reciprocal * self.goldstein() * self.intensity / 10.0)]

    @property
    def aggressor(self) -> str | None:
        return self.sponsor

    @property
    def victim(self) -> str | None:
        return self.source


@register
class RallySupport(Event):
    """Public support for the target (CAMEO 053 'rally support on behalf of', +3.8): how the
    target's friends answer an attack on it by an actor the world does not model.

    Persistent: none.
    """

    type: Literal["rally_support"] = "rally_support"
    cameo: ClassVar[str | None] = "053"
