"""States as Mesa agents: each month a state reads the news and may act by the decision rules of
:mod:`alignsim.model.rules` (one module per rule: its trigger, screened for all states at once,
and its act), using the same event types as scripted shocks. No rule names a country; every rule
reads only relations (W), the interest baseline (X0), ties, capability and need.

Each month :func:`read_news` runs every rule's screen over the news for all states at once; a state
then runs the acts of its own rows only, in the briefing's order, and courts at the end if it lost
a partner or support (docs/model.md, "Agents decide").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from alignsim.model.rules import RULES, Row, Turn
from alignsim.model.rules.base import enabled
from alignsim.model.rules.court import court
from alignsim.model.rules.news import ANSWERS, MAX_DEPTH, Briefing, noise_floor_support, read_news
from alignsim.model.rules.retaliate import ladder

if TYPE_CHECKING:
    from alignsim.model.model import AlignmentModel

__all__ = ["ANSWERS", "MAX_DEPTH", "Briefing", "StateAgent", "ladder", "noise_floor_support", "read_news"]

_ACTS = [rule.act for rule in RULES.values()]  # by rule index, as the briefing numbers them


class StateAgent(mesa.Agent):
    """One state. The relation matrix lives in the model; the agent makes the discrete choices."""

    model: AlignmentModel

    def __init__(self, model: AlignmentModel, index: int) -> None:
        super().__init__(model)
        self.index = index
        self.code = model.world.codes[index]

    @property
    def remembered_support(self) -> float:
        """The state's remembered friendly capability share (kept by the model for all states)."""
        return float(self.model.remembered_support[self.index])

    def decide(self) -> None:
        """Run the acts of my briefing's rows, in its order, then court if I lost a partner or support."""
        m, i = self.model, self.index
        brief = m.briefing
        if brief is None:  # called on its own, outside the model's step
            brief = read_news(m)
            m.remembered_support[i] = brief.updated[i]
        turn = Turn(m.params.max_actions)
        mine = slice(brief.first[i], brief.first[i + 1])
        for k, rule, partner, value in zip(
            brief.item[mine].tolist(),
            brief.rule[mine].tolist(),
            brief.partner[mine].tolist(),
            brief.value[mine].tolist(),
        ):
            act = _ACTS[rule]
            if act is not None:
                act(self, turn, Row(brief.news[k], partner, value))
        lost = [(why, depth) for why, depth in turn.lost if depth <= MAX_DEPTH]  # no court deeper than the limit
        if brief.dropped[i]:
            share = f"its friendly capability share fell to {brief.support[i]:.3f} from a remembered {brief.remembered[i]:.3f}"
            lost.append((share, 1))  # an initiative: the first link of its own chain
        if lost and turn.budget > 0 and enabled(RULES["court"], m.params):
            court(self, turn, "; ".join(r for r, _ in lost), max(d for _, d in lost))
