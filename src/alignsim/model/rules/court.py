"""Court: after losing a partner or support, a state approaches new friends.

Trigger (an initiative, measured for all states at once by :func:`read_news`): the state lost a
partner this month (it cooled toward a friend, at most one link below the depth limit), or its
friendly capability share fell more than the support drop below what it remembers. Act: within
its budget, approach the states not yet its friends with the highest interest affinity X0_ij
(above ``court_affinity``) that it can reach -- partner substitution by affinity (Most & Starr
1984; Morrow 1991; on the shipped data, docs/model.md, the evidence table) -- and, only with
``wedge`` (off by default: untested), the weakest link of its adversaries' coalition (Crawford 2011).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from alignsim.model.rules.approach import approach
from alignsim.model.rules.base import Rule, Turn

if TYPE_CHECKING:
    from alignsim.model.agents import StateAgent
    from alignsim.model.model import AlignmentModel


def court(agent: StateAgent, turn: Turn, reason: str, depth: int) -> None:
    """Approach the planned states, within the budget."""
    m, i = agent.model, agent.index
    affinity = m.baseline[i]
    order = np.argsort(-affinity, kind="stable")  # highest affinity first, lowest index among equals
    new_friend = m.relations[i, order] < m.params.friend_threshold
    order = order[(affinity[order] > m.params.court_affinity) & (order != i) & new_friend]
    plan: list[int] = order[m.may_court_all(i, order)].tolist()
    wedge = weakest_link(m, i) if m.params.wedge else None
    if wedge is not None and wedge not in plan:
        plan.insert(min(1, len(plan)), wedge)
    else:
        wedge = None  # already planned for its gap, and explained by it
    for j in plan:
        if turn.budget <= 0:
            break
        if j == wedge:
            why = f"{reason}; wedge: {m.code(wedge)} is the member of its adversaries' coalition that regards it least badly ({m.relations[wedge, i]:+.2f})"
        else:
            why = f"{reason}; {m.code(j)} is not yet a friend ({m.relations[i, j]:+.2f}) and its interest affinity is {affinity[j]:+.2f}"
        turn.budget -= int(approach(m, i, j, rule="court", cause=why, depth=depth))


def weakest_link(m: AlignmentModel, i: int) -> int | None:
    """Among states that regard i badly and are friends of one of its adversaries, the one that
    regards i least badly (and that i may court)."""
    p, W = m.params, m.relations
    adversaries = np.flatnonzero(W[i] <= -p.enemy_threshold)
    if adversaries.size == 0:
        return None
    friends = m.briefing.friends if m.briefing is not None else W >= p.friend_threshold
    coalition = friends[:, adversaries].any(axis=1) & (W[:, i] < 0) & (W[i] < 0)
    coalition[i] = False
    candidates = np.flatnonzero(coalition)
    candidates = candidates[m.may_court_all(i, candidates)]
    if candidates.size == 0:
        return None
    return int(candidates[np.argmax(W[candidates, i])])  # the first among equals, as max() would


RULE = Rule(
    name="court",
    label="court",
    summary="after losing a partner or support, a state approaches new friends",
    kind="initiative",
    switch="court_on",
)
