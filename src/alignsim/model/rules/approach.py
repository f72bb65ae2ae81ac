"""The form of an approach, shared by the courting rules (court, counter-court, balance)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alignsim.world.events.base import Event
from alignsim.world.events.diplomatic import Talks, Visit
from alignsim.world.events.material import Aid

if TYPE_CHECKING:
    from alignsim.model.model import AlignmentModel


def approach(m: AlignmentModel, i: int, j: int, *, rule: str, cause: str, depth: int) -> bool:
    """State i courts state j by the fitting means: talks through a broker without direct contact,
    aid to a needy and much poorer state, else a visit whose level rises with W_ij. False if impossible."""
    p, w = m.params, m.world
    source, target = m.code(i), m.code(j)
    event: Event
    if not m.can_meet(i, j):
        broker = m.broker(i, j)
        if broker is None:
            return False
        event = Talks(source=source, target=target, via=m.code(broker))
        cause += f"; no direct contact, so through {m.code(broker)}'s channel"
    elif w.need[j] >= p.need_threshold and w.economy[i] >= p.aid_capacity_ratio * w.economy[j]:
        event = Aid(source=source, target=target, kind="humanitarian")
        cause += f"; {target}'s humanitarian need is {w.need[j]:.2f}"
    else:
        rel = m.relations[i, j]
        level = "deputy_minister" if rel < p.friend_threshold else "minister" if rel < 0.6 else "head_of_state"
        event = Visit(source=source, target=target, level=level)
    m.act(event, rule=rule, cause=cause, depth=depth)
    m.note_courted(i, j)
    return True
