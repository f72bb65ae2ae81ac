"""Solidarity: a third state committed to the victim of a hostile act stands by it.

Trigger: a hostile act (not an answer) against v, for a third state i with commitment
k_iv = max(W_iv, 0) + ``alliance_commitment`` A_iv and k_iv h >= ``solidarity_threshold``, that
regards v better than the aggressor a (W_ia < W_iv). Act: ``condemn`` a (intensity min(1.5,
0.5 k h / threshold)), or ``rally_support`` for v when the attacker is not a state of the world.
Leeds, Long & Mitchell 2000; Leeds 2003. Cross-pressure: a state committed to the aggressor too
(W_ia > 0 or an alliance) abstains with probability ``cross_pressure_abstention``, one draw from
the ``draws`` stream (docs/model.md, the evidence table).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from alignsim.model.rules.base import Row, Rows, Rule, Turn
from alignsim.world.events.hostile import Condemn, RallySupport

if TYPE_CHECKING:
    from alignsim.model.agents import StateAgent
    from alignsim.model.model import AlignmentModel
    from alignsim.model.rules.news import Items


def screen(m: AlignmentModel, items: Items) -> Rows:
    p, W = m.params, m.relations
    hostile = np.flatnonzero(items.victim >= 0)
    v, a = items.victim[hostile], items.aggressor[hostile]
    commitment = np.maximum(W, 0.0) + p.alliance_commitment * m.world.ties["alliance"]
    score = commitment.T[v] * items.severity[hostile, None]  # item x state: k_iv x h
    rally = score >= p.solidarity_threshold
    known = a >= 0
    rally[known] &= W.T[a[known]] < W.T[v[known]]  # W_ia < W_iv
    rally[np.arange(len(v)), v] = False
    rally[np.flatnonzero(known), a[known]] = False
    r, i = np.nonzero(rally)
    return Rows(hostile[r], i, v[r], score[r, i])


def _cross_pressured(m: AlignmentModel, i: int, a: int) -> bool:
    """i is committed to the aggressor too: a warm relation (W_ia > 0) or an alliance with it."""
    return bool(m.relations[i, a] > 0 or m.world.ties["alliance"][i, a])


def act(agent: StateAgent, turn: Turn, row: Row) -> None:
    m, i, p, e = agent.model, agent.index, agent.model.params, row.event
    v, score = row.partner, row.value
    a = m.world.index(e.event.aggressor) if e.event.aggressor is not None else None
    if m.answered(i, v if a is None else a):
        return
    if a is not None and _cross_pressured(m, i, a) and m.streams.draws.random() < p.cross_pressure_abstention:
        return  # committed to both sides: it abstains, as cross-pressured states do in roll calls
    allied = bool(m.world.ties["alliance"][i, v])
    intensity = min(1.5, 0.5 * score / p.solidarity_threshold)
    why = (
        f"solidarity with {m.code(v)} ({'ally, ' if allied else ''}relation {m.relations[i, v]:+.2f}) after "
        f"{e.event.type} at step {e.step}: commitment x severity = {score:.2f}"
    )
    if a is None:
        event = RallySupport(source=agent.code, target=m.code(v), intensity=intensity)
    else:
        event = Condemn(source=agent.code, target=m.code(a), intensity=intensity)
    m.act(event, rule="solidarity", cause=why, depth=e.depth + 1)


RULE = Rule(
    name="solidarity",
    label="solidarity",
    summary="a third state committed to the victim of a hostile act condemns the aggressor",
    kind="answer",
    screen=screen,
    act=act,
)
