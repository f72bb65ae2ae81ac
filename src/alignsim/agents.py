"""States as Mesa agents: each month a state reads the news and may court, cool, counter-court or
reciprocate, using the same event types as scripted shocks. No rule names a country; every rule
reads only relations (W), the interest baseline (X0), ties, capability and need.

The rules (docs/model.md, "Agents decide"):

- cool: a friend acts warmly with my adversary -> I distance myself from the friend (media freeze),
  when friendship x hostility x my loyalty reaches ``cool_threshold``. It is a lost partner.
- counter-court: my adversary courts a state that is neither hostile to me nor to it -> I court
  that state too (a contested state).
- court: when I lose a partner, or my friendly capability share falls below what I remember,
  I approach the states whose relations lie furthest below what interests justify (X0 - W).
- reciprocate: a state that courts me gets an answer in proportion to my interest baseline toward it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from alignsim.events import Event
from alignsim.events.diplomatic import Invitation, MediaFreeze, Talks, Visit
from alignsim.events.material import Aid

if TYPE_CHECKING:
    from alignsim.model import AlignmentModel, LoggedEvent


class StateAgent(mesa.Agent):
    """One state. The relation matrix lives in the model; the agent makes the discrete choices."""

    model: AlignmentModel

    def __init__(self, model: AlignmentModel, index: int) -> None:
        super().__init__(model)
        self.index = index
        self.code = model.world.codes[index]
        self.remembered_support = model.friendly_support(index)

    # ------------------------------------------------------------------ the monthly decision
    def decide(self) -> None:
        m, i = self.model, self.index
        news = m.news()
        budget = m.params.max_actions
        lost: list[str] = []
        for e in news:
            if e.target == i and e.event.warming and e.rule != "reciprocate":
                self._reciprocate(e)
            elif i not in (e.source, e.target) and e.event.warming:
                lost += self._cool(e)
                budget -= self._counter_court(e, budget)
        support = m.friendly_support(i)
        memory = m.params.support_memory
        if support < self.remembered_support - m.params.support_drop:
            lost.append(f"its friendly capability share fell to {support:.3f} from a remembered {self.remembered_support:.3f}")
        self.remembered_support += (support - self.remembered_support) / memory
        if lost and budget > 0:
            self._court("; ".join(lost), budget)

    # ------------------------------------------------------------------ rules
    def _cool(self, e: LoggedEvent) -> list[str]:
        """A friend acting warmly with my adversary: distance myself from the friend."""
        m, i, p = self.model, self.index, self.model.params
        W = m.relations
        actors = [(e.source, e.target)] + ([(e.target, e.source)] if e.event.mutual else [])
        lost = []
        for friend, other in actors:
            if friend == i or other == i or m.grieves(i, friend):
                continue
            if W[i, friend] >= p.friend_threshold and W[i, other] <= -p.enemy_threshold:
                score = W[i, friend] * -W[i, other] * m.world.loyalty[i]
                if score < p.cool_threshold:
                    continue
                why = (
                    f"{m.code(friend)} (friend, {W[i, friend]:+.2f}) acted warmly with {m.code(other)} "
                    f"(adversary, {W[i, other]:+.2f}): {e.event.type} at step {e.step}; "
                    f"loyalty {m.world.loyalty[i]:.2f} x friendship x hostility = {score:.2f}"
                )
                intensity = min(1.5, 0.5 * score / p.cool_threshold)
                m.act(MediaFreeze(source=self.code, target=m.code(friend), intensity=intensity), rule="cool", cause=why)
                m.hold_grievance(i, friend)
                lost.append(f"lost partner {m.code(friend)}")
        return lost

    def _counter_court(self, e: LoggedEvent, budget: int) -> int:
        """My adversary courts a third state: court that state too. Returns actions taken."""
        m, i, p = self.model, self.index, self.model.params
        W, X0 = m.relations, m.baseline
        c, target = e.source, e.target
        if budget <= 0 or e.rule == "reciprocate" or target == i or W[i, c] > -p.enemy_threshold:
            return 0
        if W[i, target] <= -p.enemy_threshold or X0[i, target] <= 0 or not m.may_court(i, target):
            return 0
        if W[target, c] <= -p.enemy_threshold:
            return 0  # the courted state is hostile to my adversary: nothing to contest
        chance = min(1.0, 2.0 * -W[i, c] * X0[i, target])
        if m.rng.random() >= chance:
            return 0
        why = (
            f"adversary {m.code(c)} ({W[i, c]:+.2f}) courted {m.code(target)}: {e.event.type} at step {e.step}; "
            f"interest baseline toward {m.code(target)} {X0[i, target]:+.2f}"
        )
        return int(self._approach(target, rule="counter_court", cause=why))

    def _court(self, reason: str, budget: int) -> None:
        """Approach the states whose relations lie furthest below what interests justify, and the
        weakest link of the adversaries' coalition (a wedge, after Crawford 2011)."""
        m, i = self.model, self.index
        gap = m.baseline[i] - m.relations[i]
        plan: list[tuple[int, str]] = []
        for j in np.argsort(-gap, kind="stable"):
            if gap[j] < m.params.court_gap:
                break
            if j != i and m.may_court(i, int(j)):
                plan.append((int(j), f"{reason}; relation to {m.code(int(j))} is {gap[j]:.2f} below its interest baseline"))
        wedge = self._weakest_link() if m.params.wedge else None
        if wedge is not None and wedge not in [j for j, _ in plan]:
            j, why = wedge, f"{reason}; wedge: {m.code(wedge)} is the member of its adversaries' coalition that regards it least badly ({m.relations[wedge, i]:+.2f})"
            plan.insert(min(1, len(plan)), (j, why))
        for j, why in plan:
            if budget <= 0:
                break
            budget -= int(self._approach(j, rule="court", cause=why))

    def _weakest_link(self) -> int | None:
        """Among states that regard me badly and are friends of one of my adversaries, the one
        that regards me least badly (and that I may court)."""
        m, i, p = self.model, self.index, self.model.params
        W = m.relations
        adversaries = W[i] <= -p.enemy_threshold
        coalition = (W[:, adversaries] >= p.friend_threshold).any(axis=1) & (W[:, i] < 0) & (W[i] < 0)
        coalition[i] = False
        candidates = [j for j in np.flatnonzero(coalition) if m.may_court(i, int(j))]
        if not candidates:
            return None
        return int(max(candidates, key=lambda j: W[j, i]))

    def _reciprocate(self, e: LoggedEvent) -> None:
        """Answer a courting state in proportion to my interest baseline toward it."""
        m, i, p = self.model, self.index, self.model.params
        j = e.source
        baseline = m.baseline[i, j]
        if baseline <= 0 or p.reciprocity == 0 or m.grieves(i, j):
            return
        intensity = float(np.clip(p.reciprocity * baseline / p.friend_threshold, 0.2, 2.0))
        why = f"answering {m.code(j)}'s {e.event.type} at step {e.step}; interest baseline toward it {baseline:+.2f}"
        event: Event
        if m.can_meet(i, j):
            event = Invitation(source=self.code, target=m.code(j), intensity=intensity)
        else:
            broker = m.broker(i, j)
            if broker is None:
                return
            event = Talks(source=self.code, target=m.code(j), via=m.code(broker), intensity=intensity)
        m.act(event, rule="reciprocate", cause=why)

    # ------------------------------------------------------------------ the form of an approach
    def _approach(self, j: int, *, rule: str, cause: str) -> bool:
        """Court state j by the fitting means: a channel, aid or a visit. False if impossible."""
        m, i, p = self.model, self.index, self.model.params
        w = m.world
        target = m.code(j)
        event: Event
        if not m.can_meet(i, j):
            broker = m.broker(i, j)
            if broker is None:
                return False
            event = Talks(source=self.code, target=target, via=m.code(broker))
            cause += f"; no direct contact, so through {m.code(broker)}'s channel"
        elif w.need[j] >= p.need_threshold and w.economy[i] >= p.aid_capacity_ratio * w.economy[j]:
            event = Aid(source=self.code, target=target, kind="humanitarian")
            cause += f"; {target}'s humanitarian need is {w.need[j]:.2f}"
        else:
            rel = m.relations[i, j]
            level = "deputy_minister" if rel < p.friend_threshold else "minister" if rel < 0.6 else "head_of_state"
            event = Visit(source=self.code, target=target, level=level)
        m.act(event, rule=rule, cause=cause)
        m.note_courted(i, j)
        return True
