"""Cool (punish): a friend acts warmly with my adversary (or attacker) -> I distance myself from it.

Trigger: a warming act in which friend f of i acted -- as the source, or as either party of a
mutual act -- toward o, an adversary of i (W_io <= -enemy_threshold) or a recent attacker, with
score W_if x hostility x loyalty_i >= ``cool_threshold`` (hostility = max(-W_io, h), h the
remembered severity of o's attack). Act: a ``media_freeze`` of intensity min(1.5, 0.5 score /
cool_threshold), a grievance against f, and f counts as a lost partner (a reason to court).
Snyder 1984, *World Politics* 36(4): the fear of abandonment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from alignsim.model.rules.base import Row, Rows, Rule, Turn
from alignsim.model.rules.news import third
from alignsim.world.events.diplomatic import MediaFreeze

if TYPE_CHECKING:
    from alignsim.model.agents import StateAgent
    from alignsim.model.model import AlignmentModel
    from alignsim.model.rules.news import Items


def _attacked(m: AlignmentModel) -> np.ndarray:
    """attacked[i, o]: i remembers an attack by o (it counts as an adversary, as hostile as its act was severe)."""
    return (m.attacked_until >= m.month) & (m.attack_severity > 0)


def screen(m: AlignmentModel, items: Items) -> Rows:
    """For the source as the actor, then the target of a mutual act: third states whose friend
    acted warmly with their adversary or attacker, with friendship x hostility x loyalty >= cool_threshold."""
    p, W = m.params, m.relations
    attacked = _attacked(m)
    hostility = np.maximum(-W, np.where(attacked, m.attack_severity, 0.0))
    # Row s of these: which states regard s as a friend / a foe. Scores only for pairs that pass.
    friend_of = np.ascontiguousarray((W >= p.friend_threshold).T)
    foe_of = np.ascontiguousarray(((W <= -p.enemy_threshold) | attacked).T)
    parts = []
    warm = items.warm & ~items.courting  # courting does not cascade into freezes
    for actor, other, only in ((items.src, items.tgt, warm), (items.tgt, items.src, items.mutual & warm)):
        k, i = np.nonzero(friend_of[actor] & foe_of[other] & only[:, None])
        score = W[i, actor[k]] * hostility[i, other[k]] * m.world.loyalty[i]
        keep = (score >= p.cool_threshold) & third(items, k, i)
        parts.append(Rows(k[keep], i[keep], actor[k[keep]], score[keep]))
    return Rows(*(np.concatenate(cols) for cols in zip(*parts)))


def act(agent: StateAgent, turn: Turn, row: Row) -> None:
    m, i, p, e = agent.model, agent.index, agent.model.params, row.event
    friend, score = row.partner, row.value
    if m.grieves(i, friend) or m.answered(i, friend):
        return
    other = e.target if friend == e.source else e.source
    W = m.relations
    attacked = bool(m.attacked_until[i, other] >= m.month and m.attack_severity[i, other] > 0)
    hostility = max(-W[i, other], m.attack_severity[i, other] if attacked else 0.0)
    why = (
        f"{m.code(friend)} (friend, {W[i, friend]:+.2f}) acted warmly with {m.code(other)} "
        f"({'attacker' if attacked else 'adversary'}, {W[i, other]:+.2f}): {e.event.type} at step {e.step}; "
        f"loyalty {m.world.loyalty[i]:.2f} x friendship x hostility {hostility:.2f} = {score:.2f}"
    )
    intensity = min(1.5, 0.5 * score / p.cool_threshold)
    m.act(
        MediaFreeze(source=agent.code, target=m.code(friend), intensity=intensity),
        rule="cool",
        cause=why,
        depth=e.depth + 1,
    )
    m.hold_grievance(i, friend)
    turn.lost.append((f"lost partner {m.code(friend)}", e.depth + 2))  # the court it may cause: one link deeper


RULE = Rule(
    name="cool",
    label="cool",
    summary="a friend acts warmly with my adversary or attacker: I freeze my media coverage of it",
    kind="answer",
    switch="cool_on",
    screen=screen,
    act=act,
)
