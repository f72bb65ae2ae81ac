"""The month's news, screened for every state at once by every rule's screen.

The news is read in canonical order (date, the most severe first, codes: never list order); a
state takes its rows most severe item first. Items at depth :data:`MAX_DEPTH` are answered by no
rule, and agents' courting is answered by reciprocation alone (docs/model.md, "No echo chains").

Each month :func:`read_news` turns last month's events into arrays (:class:`Items`), runs each
registered rule's screen over them (numpy over items x states) and sorts the rows it gets by
state, then news order, then rule. A state then runs only its own rows' acts
(:meth:`alignsim.model.agents.StateAgent.decide`). Screens read what cannot change while states
decide (W, X0, ties, loyalty, capability, the attack memory, last month's news); the acts check
what can (answers already given this month, the state's own new grievances, its budget).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from alignsim.model.dynamics import others_total
from alignsim.model.rules.base import RULES, Rows, enabled
from alignsim.world.params import Params

if TYPE_CHECKING:
    from alignsim.model.model import AlignmentModel, LoggedEvent

ANSWERS = frozenset(
    {"reciprocate", "retaliate", "solidarity", "cool"}
)  # answers are not answered (but cool on warm ones)
COURTING = frozenset({"court", "counter_court", "balance"})  # agents' courting: answered by reciprocation alone
#: The deepest chain of answers: a scripted act (0) -> an answer (1) -> at most one counter-answer (2).
#: Items of this depth are answered by no rule, and a court whose reason lies deeper does not happen.
MAX_DEPTH = 2


@dataclass(frozen=True)
class Items:
    """The news items a rule may fire on (``usable``, indices into ``news``, in news order), as arrays."""

    news: list[LoggedEvent]
    usable: np.ndarray
    src: np.ndarray
    tgt: np.ndarray
    answer: np.ndarray  # the item is itself an answer (ANSWERS): it is not answered
    mutual: np.ndarray  # both parties act
    warm: np.ndarray  # a warming act between two states
    loud: np.ndarray  # it moved the actor's relation by noise_z x noise or more
    victim: np.ndarray  # the victim of a hostile act that is not an answer (-1: none)
    aggressor: np.ndarray  # its aggressor (-1: none, or an actor the world does not model)
    severity: np.ndarray  # |g| / 10 x intensity of hostile acts (0 for the others)
    depth: np.ndarray  # the item's place in its chain of answers
    courting: np.ndarray  # an agent's courting (COURTING): neither cooled toward nor counter-courted


@dataclass(frozen=True)
class Briefing:
    """The month's news, screened for every state at once.

    Rows (one per rule firing for a state on a news item), sorted by state, then news order, then
    rule: ``item`` (index into ``news``), ``rule`` (index into the registry), ``partner`` and
    ``value`` (what the rule's screen gave). State i's rows are ``first[i]:first[i + 1]``.
    ``support``: each state's friendly capability share now; ``remembered``: what it remembered
    before this month; ``dropped``: support < remembered - the support drop; ``updated``:
    remembered + (support - remembered) / ``support_memory``.
    """

    news: list[LoggedEvent]
    item: np.ndarray
    rule: np.ndarray
    partner: np.ndarray
    value: np.ndarray
    first: np.ndarray
    support: np.ndarray
    remembered: np.ndarray
    dropped: np.ndarray
    updated: np.ndarray
    friends: np.ndarray  # W >= friend_threshold, for the wedge
    meet: np.ndarray  # direct contact: diplomatic relations and no closed border, for brokers


def noise_floor_support(m: AlignmentModel) -> np.ndarray:
    """The support drop each state needs before it courts: max(support_drop, noise_z x SD of its
    friendly share under the noise), SD = noise_sd x sqrt(sum_{j != i} c_j^2) / sum_{j != i} c_j."""
    p = m.params
    return _noise_floor(m.world.capability.tobytes(), p.noise_sd, p.noise_z, p.support_drop)


@lru_cache(maxsize=16)
def _noise_floor(capability: bytes, noise_sd: float, noise_z: float, support_drop: float) -> np.ndarray:
    # Capability changes only with a shock: computed once per capability vector, not every month.
    c = np.frombuffer(capability)
    sd = noise_sd * np.sqrt(np.maximum((c**2).sum() - c**2, 0.0)) / others_total(c)
    floor = np.maximum(support_drop, noise_z * sd)
    floor.flags.writeable = False
    return floor


def read_news(m: AlignmentModel) -> Briefing:
    """Screen last month's news with every rule and measure every state's support (changes nothing)."""
    news = m.news()
    support, remembered, dropped, updated = _support_now(m)
    items = _items(m, news)
    found = [
        (rule_id, rule.screen(m, items))
        for rule_id, rule in enumerate(RULES.values())
        if rule.screen is not None and enabled(rule, m.params)
    ]
    item, rule, partner, value, first = _by_state(m.world.n, items, found)
    friends = m.relations >= m.params.friend_threshold
    meet = (m.world.ties["diplomatic"] != 0) & (m.world.contact != 0)
    return Briefing(news, item, rule, partner, value, first, support, remembered, dropped, updated, friends, meet)


def _support_now(m: AlignmentModel) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each state's friendly capability share now, what it remembered, whether the share dropped
    below the memory by more than the noise floor, and the memory updated with the share."""
    support = m.friendly_support_all()
    remembered = m.remembered_support.copy()
    dropped = support < remembered - noise_floor_support(m)
    updated = remembered + (support - remembered) / m.params.support_memory
    return support, remembered, dropped, updated


def _items(m: AlignmentModel, news: list[LoggedEvent]) -> Items:
    """The items a rule may fire on (warming acts between two states, hostile acts that are not
    answers), in news order, as arrays."""
    p: Params = m.params
    live = [k for k, e in enumerate(news) if e.depth < MAX_DEPTH]
    warm_k = [k for k in live if news[k].source != news[k].target and news[k].event.warming]
    hostile_k = [k for k in live if _parties(m, news[k])[0] >= 0]
    usable = np.array(sorted(set(warm_k) | set(hostile_k)), dtype=np.intp)
    noticed = p.noise_z * p.noise  # a warming act must move the actor's relation more than this
    picked = [news[k] for k in usable.tolist()]
    victim, aggressor = zip(*(_parties(m, e) for e in picked)) if picked else ((), ())
    return Items(
        news=news,
        usable=usable,
        src=np.array([e.source for e in picked], dtype=np.intp),
        tgt=np.array([e.target for e in picked], dtype=np.intp),
        answer=np.array([e.rule in ANSWERS for e in picked], dtype=bool),
        mutual=np.array([bool(e.event.mutual) for e in picked], dtype=bool),
        warm=np.isin(usable, warm_k),
        loud=np.array([abs(e.impulse) >= noticed for e in picked], dtype=bool),
        victim=np.array(victim, dtype=np.intp),
        aggressor=np.array(aggressor, dtype=np.intp),
        severity=np.array([e.event.severity() for e in picked], dtype=float),
        depth=np.array([e.depth for e in picked], dtype=np.intp),
        courting=np.array([e.rule in COURTING for e in picked], dtype=bool),
    )


def _parties(m: AlignmentModel, e: LoggedEvent) -> tuple[int, int]:
    """(victim, aggressor) of a coercive act that is not an answer, -1 where there is none (a
    self-inflicted act has neither). Cooling acts (criticism, reduced relations, a halted agreement)
    have no victim for the rules: retaliation and solidarity answer coercion, not displeasure."""
    if e.rule in ANSWERS or e.event.victim is None or e.event.coding() != "coercive":
        return -1, -1
    v = m.world.index(e.event.victim)
    a = m.world.index(e.event.aggressor) if e.event.aggressor is not None else -1
    return (-1, -1) if a == v else (v, a)


def third(items: Items, k: np.ndarray, i: np.ndarray) -> np.ndarray:
    """Whether state i[j] is neither party of item k[j]."""
    return (i != items.src[k]) & (i != items.tgt[k])


def _by_state(
    n: int, items: Items, found: list[tuple[int, Rows]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """All rules' rows sorted by state, then the most severe item first (the most severe trigger
    wins a pair-month: one answer per pair per month), then news order, then rule, then the order
    each screen gave them; ``item`` as an index into the news."""
    k = np.concatenate([r.item for _, r in found] + [np.zeros(0, dtype=np.intp)]).astype(np.intp)
    state = np.concatenate([r.state for _, r in found] + [np.zeros(0, dtype=np.intp)]).astype(np.intp)
    rule = np.concatenate([np.full(len(r.item), rid, dtype=np.intp) for rid, r in found] + [np.zeros(0, np.intp)])
    partner = np.concatenate([r.partner for _, r in found] + [np.zeros(0, dtype=np.intp)]).astype(np.intp)
    value = np.concatenate([r.value for _, r in found] + [np.zeros(0)]).astype(float)
    order = np.lexsort((np.arange(len(k)), rule, k, -items.severity[k], state))
    state = state[order]
    return (
        items.usable[k[order]],
        rule[order],
        partner[order],
        value[order],
        np.searchsorted(state, np.arange(n + 1)),
    )
