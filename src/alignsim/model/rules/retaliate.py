"""Retaliate: the victim of a hostile act answers in kind, limited by capability.

Trigger: a hostile act (not an answer) of a state a against i, with ``retaliation`` > 0, unless
i's own acts toward a in the same news month already reached the rung it would take (a scripted
counter-strike). Act: of the ladder use_force (strike), military_posture (exercise), threaten
(force), condemn, the most severe rung of severity at most h min(1, c_i / c_a), a condemnation at
least, with intensity ``retaliation``. Ward 1982; Goldstein & Freeman 1990; Leng 1993.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from alignsim.model.rules.base import Row, Rows, Rule, Turn
from alignsim.world.events.base import Event
from alignsim.world.events.hostile import Condemn, MilitaryPosture, Threaten, UseForce

if TYPE_CHECKING:
    from alignsim.model.agents import StateAgent
    from alignsim.model.model import AlignmentModel
    from alignsim.model.rules.news import Items


@cache
def ladder() -> tuple[tuple[float, type[Event], str], ...]:
    """Rungs of retaliation, most severe first: (severity |g| / 10 of the rung, event type, form)."""
    rungs = [(UseForce, "strike"), (MilitaryPosture, "exercise"), (Threaten, "force"), (Condemn, "condemn")]
    return tuple((cls(source="AAA", target="BBB", form=form).severity(), cls, form) for cls, form in rungs)


def rung_for(reach: float) -> int:
    """Index of the most severe rung of severity at most ``reach`` (the last, a condemnation, at least)."""
    rungs = ladder()
    return next((k for k, r in enumerate(rungs) if r[0] <= reach), len(rungs) - 1)


def screen(m: AlignmentModel, items: Items) -> Rows:
    k = np.flatnonzero((items.victim >= 0) & (items.aggressor >= 0))
    v, a = items.victim[k], items.aggressor[k]
    c = m.world.capability
    reach = items.severity[k] * np.minimum(1.0, c[v] / c[a])
    rung = np.array([rung_for(r) for r in reach.tolist()], dtype=np.intp)
    # what each victim already did to its aggressor in the same news month (a scripted counter-strike)
    hit: dict[tuple[int, int], float] = {}
    for e in items.news:
        if e.event.aggressor is not None and e.event.victim is not None:
            key = (m.world.index(e.event.aggressor), m.world.index(e.event.victim))
            hit[key] = max(hit.get(key, 0.0), e.event.severity())
    done = np.array(
        [hit.get((vi, ai), -1.0) >= ladder()[r][0] for vi, ai, r in zip(v.tolist(), a.tolist(), rung.tolist())],
        dtype=bool,
    )
    keep = ~done
    return Rows(k[keep], v[keep], a[keep], rung[keep].astype(float))


def act(agent: StateAgent, turn: Turn, row: Row) -> None:
    m, i, p, e = agent.model, agent.index, agent.model.params, row.event
    a = row.partner
    if m.answered(i, a):
        return
    severity, cls, form = ladder()[int(row.value)]
    ratio = min(1.0, float(m.world.capability[i] / m.world.capability[a]))
    why = (
        f"retaliating for {m.code(a)}'s {e.event.type} at step {e.step} (severity {e.event.severity():.2f}); "
        f"capability ratio {ratio:.2f} allows severity {e.event.severity() * ratio:.2f}"
    )
    m.act(
        cls(source=agent.code, target=m.code(a), form=form, intensity=p.retaliation),
        rule="retaliate",
        cause=why,
        depth=e.depth + 1,
    )


RULE = Rule(
    name="retaliate",
    label="retaliate",
    summary="the victim of a hostile act answers in kind, limited by capability",
    kind="answer",
    switch="retaliation",
    screen=screen,
    act=act,
)
