"""Reciprocate: a courted state answers in proportion to its interest baseline toward the courter.

Trigger: a warming act of s toward t that is not itself an answer, with X0_ts > 0 (and
``reciprocity`` > 0). Act: an ``invitation`` of intensity clip(reciprocity X0_ts / friend_threshold,
0.2, 2) when the two can meet, else ``talks`` through a broker (none: no answer).
Reciprocity of cooperation: Keohane 1986, *International Organization* 40(1); Axelrod 1984.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from alignsim.model.rules.base import Row, Rows, Rule, Turn
from alignsim.world.events.base import Event
from alignsim.world.events.diplomatic import Invitation, Talks

if TYPE_CHECKING:
    from alignsim.model.agents import StateAgent
    from alignsim.model.model import AlignmentModel
    from alignsim.model.rules.news import Items


def screen(m: AlignmentModel, items: Items) -> Rows:
    """The target of each warming item that is not an answer, when it has interests toward the source."""
    asked = np.flatnonzero(items.warm & ~items.answer)
    t, s = items.tgt[asked], items.src[asked]
    base = m.baseline[t, s]
    keep = base > 0
    return Rows(asked[keep], t[keep], s[keep], base[keep])


def act(agent: StateAgent, turn: Turn, row: Row) -> None:
    m, i, p, e = agent.model, agent.index, agent.model.params, row.event
    j, baseline = row.partner, row.value
    if m.grieves(i, j) or m.answered(i, j):
        return
    intensity = float(min(2.0, max(0.2, p.reciprocity * baseline / p.friend_threshold)))  # clip to [0.2, 2]
    why = f"answering {m.code(j)}'s {e.event.type} at step {e.step}; interest baseline toward it {baseline:+.2f}"
    event: Event
    if m.can_meet(i, j):
        event = Invitation(source=agent.code, target=m.code(j), intensity=intensity)
    else:
        broker = m.broker(i, j)
        if broker is None:
            return
        event = Talks(source=agent.code, target=m.code(j), via=m.code(broker), intensity=intensity)
    m.act(event, rule="reciprocate", cause=why, depth=e.depth + 1)


RULE = Rule(
    name="reciprocate",
    label="reciprocate",
    summary="a courted state answers in proportion to its interest baseline toward the courter",
    kind="answer",
    switch="reciprocity",
    screen=screen,
    act=act,
)
