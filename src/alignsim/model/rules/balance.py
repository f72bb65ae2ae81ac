"""Balance: after a serious attack, the victim courts its attacker's adversaries.

Trigger: a hostile act (not an answer) of a state a against i of severity >= ``balance_threshold``.
Act: within the budget, approach the states hostile to a (W_ja <= -enemy_threshold) that are
neither i's adversaries nor yet its friends, the most hostile to a first. Balance of threat:
Walt 1987, *The Origins of Alliances*.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from alignsim.model.rules.approach import approach
from alignsim.model.rules.base import Row, Rows, Rule, Turn

if TYPE_CHECKING:
    from alignsim.model.agents import StateAgent
    from alignsim.model.model import AlignmentModel
    from alignsim.model.rules.news import Items


def screen(m: AlignmentModel, items: Items) -> Rows:
    k = np.flatnonzero((items.victim >= 0) & (items.aggressor >= 0) & (items.severity >= m.params.balance_threshold))
    return Rows(k, items.victim[k], items.aggressor[k], items.severity[k])


def act(agent: StateAgent, turn: Turn, row: Row) -> None:
    m, i, p, e = agent.model, agent.index, agent.model.params, row.event
    if turn.budget <= 0:
        return
    a, W = row.partner, m.relations
    foes = np.flatnonzero((W[:, a] <= -p.enemy_threshold) & (W[i] > -p.enemy_threshold) & (W[i] < p.friend_threshold))
    foes = foes[(foes != i) & (foes != a)]
    foes = foes[np.argsort(W[foes, a], kind="stable")]
    for j in foes[m.may_court_all(i, foes)].tolist():
        if turn.budget <= 0:
            break
        why = f"balancing: {m.code(a)} attacked it ({e.event.type} at step {e.step}); {m.code(j)} regards {m.code(a)} at {W[j, a]:+.2f}"
        turn.budget -= int(approach(m, i, j, rule="balance", cause=why, depth=e.depth + 1))


RULE = Rule(
    name="balance",
    label="balance",
    summary="after a serious attack the victim courts its attacker's adversaries",
    kind="initiative",
    screen=screen,
    act=act,
)
