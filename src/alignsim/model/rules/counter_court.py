"""Counter-court: my adversary courts a contested state -> I court it too.

Trigger: a loud warming act (not an answer) of c toward t, where i is hostile to c
(W_ic <= -enemy_threshold), not to t, has interests toward t (X0_it > 0), t is not hostile to c,
and i may court t as the month begins (no grievance, not courted within ``court_interval``). Act:
with chance min(1, 2 (-W_ic) X0_it), an approach to t (within the budget of initiatives).
Competitive courting of uncommitted states.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from alignsim.model.rules.approach import approach
from alignsim.model.rules.base import Row, Rows, Rule, Turn
from alignsim.model.rules.news import third

if TYPE_CHECKING:
    from alignsim.model.agents import StateAgent
    from alignsim.model.model import AlignmentModel
    from alignsim.model.rules.news import Items


def screen(m: AlignmentModel, items: Items) -> Rows:
    W, X0, p = m.relations, m.baseline, m.params
    et = p.enemy_threshold
    src, tgt = items.src, items.tgt
    enemy_of = np.ascontiguousarray((W <= -et).T)  # row s: which states regard s as an adversary
    owed = np.ascontiguousarray((X0 > 0).T)  # row t: which states have X0 > 0 toward t
    contested = items.warm & items.loud & ~items.answer & ~items.courting & (W[tgt, src] > -et)
    k, i = np.nonzero(enemy_of[src] & ~enemy_of[tgt] & owed[tgt] & contested[:, None])
    t = tgt[k]
    free = (m.grievance_until[i, t] < m.month) & (m.month - m.courted_at[i, t] >= p.court_interval)
    keep = third(items, k, i) & free
    k, i, t = k[keep], i[keep], t[keep]
    chance = np.minimum(1.0, 2.0 * -W[i, src[k]] * X0[i, t])
    return Rows(k, i, t, chance)


def act(agent: StateAgent, turn: Turn, row: Row) -> None:
    m, i, e = agent.model, agent.index, row.event
    target, c = row.partner, e.source
    if turn.budget <= 0:
        return
    if (
        m.grievance_until[i, target] >= m.month
        or m.month - m.courted_at[i, target] < m.params.court_interval
        or m.acted_at[i, target] == m.month
    ):
        return  # its own acts this month made courting impossible
    if m.streams.draws.random() >= row.value:
        return
    W, X0 = m.relations, m.baseline
    why = (
        f"adversary {m.code(c)} ({W[i, c]:+.2f}) courted {m.code(target)}: {e.event.type} at step {e.step}; "
        f"interest baseline toward {m.code(target)} {X0[i, target]:+.2f}"
    )
    turn.budget -= int(approach(m, i, target, rule="counter_court", cause=why, depth=e.depth + 1))


RULE = Rule(
    name="counter_court",
    label="counter-court",
    summary="my adversary courts a contested state: I court it too",
    kind="answer",
    screen=screen,
    act=act,
)
