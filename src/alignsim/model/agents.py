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

Each month :func:`read_news` screens the news for all states at once: an item reaches a state only
if one of the rules could fire on it, judged on what cannot change while states decide (W, X0,
loyalty); what can (grievances, courting intervals, the action budget) is checked by the rule itself.
The decisions, their order and their random draws are those of the rules as stated (docs/model.md,
"Equivalence with the reference implementation").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, NamedTuple

import mesa
import numpy as np

from alignsim.model.dynamics import others_total
from alignsim.world.events.base import Event
from alignsim.world.events.diplomatic import Invitation, MediaFreeze, Talks, Visit
from alignsim.world.events.hostile import (
    Condemn,
    MilitaryPosture,
    RallySupport,
    Threaten,
    UseForce,
)
from alignsim.world.events.material import Aid
from alignsim.world.params import Params

if TYPE_CHECKING:
    from alignsim.model.model import AlignmentModel, LoggedEvent


REPLY, COOL, COUNTER, STRUCK, SOLIDARITY = 1, 2, 4, 8, 16  # what a news item may make a state do (flags)
ANSWERS = frozenset({"reciprocate", "retaliate", "solidarity", "cool"})  # answers are not answered
_Pairs = tuple[np.ndarray, np.ndarray, int]  # (items, states, flag): the flag's rule may fire for states[k] on items[k]


#: The retaliation ladder, most severe first: (severity |g| / 10 of the rung, the event it takes).
@cache
def ladder() -> tuple[tuple[float, type[Event], str], ...]:
    """Rungs of retaliation, most severe first: (severity, event type, form)."""
    rungs = [(UseForce, "strike"), (MilitaryPosture, "exercise"), (Threaten, "force"), (Condemn, "condemn")]
    out = []
    for cls, form in rungs:
        probe = cls(source="AAA", target="BBB", form=form)
        out.append((probe.severity(), cls, form))
    return tuple(out)


def court_gap(p: Params) -> float:
    """The smallest gap X0 - W a state courts: max(court_gap, noise_z x noise_sd)."""
    return max(p.court_gap, p.noise_z * p.noise_sd)


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


@dataclass(frozen=True)
class Briefing:
    """The month's news, screened for every state at once.

    For each (state, item) pair on which a rule may fire, sorted by state and then news order:
    ``item`` (index into ``news``), ``flags`` (REPLY: the state is the courted target and may
    reciprocate; COOL: it may cool toward an actor; COUNTER: it may counter-court the target),
    ``chance`` (the counter-courting probability) and ``free`` (the state may court the target as
    the month begins; during the month a courting can only become impossible, by the state's own
    acts, which the rule checks). State i's pairs are ``first[i]:first[i + 1]``.
    Items on which no rule can fire for a state are left out: skipping them changes nothing and
    draws no random number. ``support``: each state's friendly capability share now;
    ``remembered``: what it remembered before this month; ``dropped``: support < remembered -
    ``support_drop``; ``updated``: remembered + (support - remembered) / ``support_memory``.
    """

    news: list[LoggedEvent]
    item: np.ndarray
    flags: np.ndarray
    chance: np.ndarray
    free: np.ndarray
    first: np.ndarray
    support: np.ndarray
    remembered: np.ndarray
    dropped: np.ndarray
    updated: np.ndarray
    friends: np.ndarray  # W >= friend_threshold, for the wedge
    meet: np.ndarray  # direct contact: diplomatic relations and no closed border, for brokers


@dataclass(frozen=True)
class _Items:
    """The news items a rule may fire on (``usable``, indices into the news, in news order), as arrays."""

    usable: np.ndarray
    src: np.ndarray
    tgt: np.ndarray
    answer: np.ndarray  # the item is itself an answer (ANSWERS): it is not answered
    mutual: np.ndarray  # both parties act
    warm: np.ndarray  # a warming act between two states
    loud: np.ndarray  # it moved the actor's relation by noise_z x noise or more


class _Screened(NamedTuple):
    """The (state, item) pairs on which a rule may fire, as :class:`Briefing` holds them."""

    item: np.ndarray
    flags: np.ndarray
    chance: np.ndarray
    free: np.ndarray
    first: np.ndarray


def read_news(m: AlignmentModel) -> Briefing:
    """Screen last month's news and measure every state's support (changes nothing in the model).

    Only warming items (Goldstein > 0) between two states count. For an item of source s and target t:

    - REPLY: t may reciprocate, unless the item is itself an answer (rule "reciprocate");
    - COOL: a third state i may cool toward an actor f that acted warmly with o (o = t for f = s; and
      f = t, o = s when both parties act) when W_if >= friend_threshold, W_io <= -enemy_threshold and
      W_if (-W_io) loyalty_i >= cool_threshold;
    - COUNTER: a third state i may counter-court t when the item is not an answer,
      W_is <= -enemy_threshold, W_it > -enemy_threshold, X0_it > 0 and W_ts > -enemy_threshold, with
      chance min(1, 2 (-W_is) X0_it).

    These conditions read W, X0 and loyalty, which do not change while states decide (agents' acts
    have no persistent effects); the rest (grievances, courting intervals, the budget) the rules check.
    """
    news = m.news()
    support, remembered, dropped, updated = _support_now(m)
    usable, warm_k = _usable_items(news)
    if len(usable) == 0:  # most months: nothing to screen (the same answer as below, sooner)
        screened = _nothing_screened(m.world.n)
    else:
        items = _item_arrays(m.params, news, usable, warm_k)
        found = [
            *_cool_pairs(m, items),
            _counter_pairs(m, items),
            _reply_pairs(items),
            *_hostile_pairs(m, news, usable),
        ]
        screened = _by_state(m, items, found)
    friends = m.relations >= m.params.friend_threshold
    meet = (m.world.ties["diplomatic"] != 0) & (m.world.contact != 0)
    return Briefing(news, *screened, support, remembered, dropped, updated, friends, meet)


def _support_now(m: AlignmentModel) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each state's friendly capability share now, what it remembered, whether the share dropped
    below the memory by more than the noise floor, and the memory updated with the share."""
    support = m.friendly_support_all()
    remembered = m.remembered_support.copy()
    dropped = support < remembered - noise_floor_support(m)
    updated = remembered + (support - remembered) / m.params.support_memory
    return support, remembered, dropped, updated


def _usable_items(news: list[LoggedEvent]) -> tuple[np.ndarray, list[int]]:
    """Indices of the items a rule may fire on (warming acts between two states, hostile acts that
    are not answers), in news order, and those of the warming ones."""
    warm_k = [k for k, e in enumerate(news) if e.source != e.target and e.event.warming]
    hostile_k = [k for k, e in enumerate(news) if e.rule not in ANSWERS and e.event.victim is not None]
    return np.array(sorted(set(warm_k) | set(hostile_k)), dtype=np.intp), warm_k


def _item_arrays(p: Params, news: list[LoggedEvent], usable: np.ndarray, warm_k: list[int]) -> _Items:
    """The usable items' source, target and kind as arrays."""
    noticed = p.noise_z * p.noise  # a warming act must move the actor's relation more than this
    return _Items(
        usable=usable,
        src=np.array([news[k].source for k in usable], dtype=np.intp),
        tgt=np.array([news[k].target for k in usable], dtype=np.intp),
        answer=np.array([news[k].rule in ANSWERS for k in usable], dtype=bool),
        mutual=np.array([bool(news[k].event.mutual) for k in usable], dtype=bool),
        warm=np.isin(usable, warm_k),
        loud=np.array([abs(news[k].impulse) >= noticed for k in usable], dtype=bool),
    )


def _nothing_screened(n: int) -> _Screened:
    """No pairs: what :func:`_by_state` gives for a month without usable news."""
    return _Screened(
        np.zeros(0, dtype=np.intp),
        np.zeros(0, dtype=np.int8),
        np.zeros(0),
        np.zeros(0, dtype=bool),
        np.zeros(n + 1, dtype=np.intp),
    )


def _third(items: _Items, k: np.ndarray, i: np.ndarray) -> np.ndarray:
    """Whether state i[j] is neither party of item k[j]."""
    return (i != items.src[k]) & (i != items.tgt[k])


def _cool_pairs(m: AlignmentModel, items: _Items) -> list[_Pairs]:
    """COOL pairs, for the source as the actor and then for the target of a mutual act: third
    states whose friend acted warmly with their adversary or attacker, with friendship x hostility x
    loyalty >= cool_threshold."""
    p, W = m.params, m.relations
    et = p.enemy_threshold
    # Row s of these: which states regard s as a friend / a foe. The screens run on booleans, item by
    # state; scores are computed only for the pairs that pass them.
    friend_of = np.ascontiguousarray((W >= p.friend_threshold).T)
    # An attacker counts as an adversary for the cool rule, as hostile as its act was severe.
    attacked = (m.attacked_until >= m.month) & (m.attack_severity > 0)
    hostility = np.maximum(-W, np.where(attacked, m.attack_severity, 0.0))
    foe_of = np.ascontiguousarray(((W <= -et) | attacked).T)
    found: list[_Pairs] = []
    for actor, other, only in ((items.src, items.tgt, items.warm), (items.tgt, items.src, items.mutual & items.warm)):
        screen = friend_of[actor] & foe_of[other] & only[:, None]
        k, i = np.nonzero(screen)
        score = W[i, actor[k]] * hostility[i, other[k]] * m.world.loyalty[i]
        keep = (score >= p.cool_threshold) & _third(items, k, i)
        found.append((k[keep], i[keep], COOL))
    return found


def _counter_pairs(m: AlignmentModel, items: _Items) -> _Pairs:
    """COUNTER pairs: third states hostile to the source of a loud warming item that is not an
    answer, not hostile to its target and with interests toward it (X0 > 0), when the target is not
    hostile to the source."""
    W, et = m.relations, m.params.enemy_threshold
    src, tgt = items.src, items.tgt
    enemy_of = np.ascontiguousarray((W <= -et).T)  # row s: which states regard s as an adversary
    owed = np.ascontiguousarray((m.baseline > 0).T)  # row t: which states have X0 > 0 toward t
    contested = items.warm & items.loud & ~items.answer & (W[tgt, src] > -et)
    k, i = np.nonzero(enemy_of[src] & ~enemy_of[tgt] & owed[tgt] & contested[:, None])
    keep = _third(items, k, i)
    return k[keep], i[keep], COUNTER


def _reply_pairs(items: _Items) -> _Pairs:
    """REPLY pairs: the target of each warming item that is not an answer."""
    asked = np.flatnonzero(items.warm & ~items.answer)
    return asked, items.tgt[asked], REPLY


def _by_state(m: AlignmentModel, items: _Items, found: list[_Pairs]) -> _Screened:
    """The pairs found, one per (state, item) with the flags of every rule that may fire on it, sorted
    by state and then news order; the counter-courting chance and whether the state may court the
    target as the month begins."""
    p, W, X0 = m.params, m.relations, m.baseline
    src, tgt = items.src, items.tgt
    width = max(len(items.usable), 1)
    item_k = np.concatenate([f[0] for f in found])
    states = np.concatenate([f[1] for f in found])
    kinds = np.concatenate([np.full(len(f[0]), f[2], dtype=np.int8) for f in found])
    key, where = np.unique(states * width + item_k, return_inverse=True)  # by state, then news order
    flags = np.zeros(len(key), dtype=np.int8)
    np.bitwise_or.at(flags, where, kinds)
    who, col = key // width, key % width
    chance = np.minimum(1.0, 2.0 * -W[who, src[col]] * X0[who, tgt[col]]) if len(key) else np.zeros(0)
    courted = tgt[col]
    free = (m.grievance_until[who, courted] < m.month) & (m.month - m.courted_at[who, courted] >= p.court_interval)
    return _Screened(items.usable[col], flags, chance, free, np.searchsorted(who, np.arange(m.world.n + 1)))


def _hostile_pairs(m: AlignmentModel, news: list[LoggedEvent], usable: np.ndarray) -> list[_Pairs]:
    """(items, states, flag) for hostile items that are not answers: STRUCK for the victim of a
    known aggressor (retaliate, balance); SOLIDARITY for third states committed to the victim --
    commitment k_iv = max(W_iv, 0) + alliance_commitment A_iv, k_iv x severity >= solidarity_threshold,
    and W_ia < W_iv (more committed to the victim than to the aggressor, if there is one)."""
    p, W = m.params, m.relations
    at = m.world.index
    commitment = np.maximum(W, 0.0) + p.alliance_commitment * m.world.ties["alliance"]
    items, states, kinds = [], [], []
    for pos, k in enumerate(usable.tolist()):
        e = news[k]
        if e.rule in ANSWERS or e.event.victim is None:
            continue
        v = at(e.event.victim)
        a = at(e.event.aggressor) if e.event.aggressor is not None else -1
        if a == v:
            continue
        if a >= 0:
            items.append(pos), states.append(v), kinds.append(STRUCK)
        rally = commitment[:, v] * e.event.severity() >= p.solidarity_threshold
        if a >= 0:
            rally &= W[:, a] < W[:, v]
        rally[v] = False
        if a >= 0:
            rally[a] = False
        for i in np.flatnonzero(rally).tolist():
            items.append(pos), states.append(i), kinds.append(SOLIDARITY)
    item_arr, state_arr, kind_arr = (np.array(x, dtype=np.intp) for x in (items, states, kinds))
    return [(item_arr[kind_arr == flag], state_arr[kind_arr == flag], flag) for flag in (STRUCK, SOLIDARITY)]


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

    # ------------------------------------------------------------------ the monthly decision
    def decide(self) -> None:
        """Answer who courted me, cool toward friends who courted my adversaries, counter-court my
        adversaries' targets -- in news order -- then court if I lost a partner or support."""
        m, i = self.model, self.index
        brief = m.briefing
        if brief is None:  # called on its own, outside the model's step
            brief = read_news(m)
            m.remembered_support[i] = brief.updated[i]
        budget = m.params.max_actions
        lost: list[str] = []
        mine = slice(brief.first[i], brief.first[i + 1])
        pairs = zip(
            brief.item[mine].tolist(),
            brief.flags[mine].tolist(),
            brief.chance[mine].tolist(),
            brief.free[mine].tolist(),
        )
        for k, flags, chance, free in pairs:
            e = brief.news[k]
            if flags & REPLY:
                self._reciprocate(e)
                continue
            if flags & COOL:
                lost += self._cool(e)
            if flags & COUNTER and budget > 0 and free:
                budget -= self._counter_court(e, chance)
            if flags & STRUCK:
                self._retaliate(e)
                if budget > 0:
                    budget -= self._balance(e, budget)
            if flags & SOLIDARITY:
                self._solidarity(e)
        if brief.dropped[i]:
            lost.append(
                f"its friendly capability share fell to {brief.support[i]:.3f} from a remembered {brief.remembered[i]:.3f}"
            )
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
            if friend == i or other == i or m.grieves(i, friend) or m.answered(i, friend):
                continue
            attacked = m.attacked_until[i, other] >= m.month and m.attack_severity[i, other] > 0
            if W[i, friend] >= p.friend_threshold and (W[i, other] <= -p.enemy_threshold or attacked):
                hostility = max(-W[i, other], m.attack_severity[i, other] if attacked else 0.0)
                score = W[i, friend] * hostility * m.world.loyalty[i]
                if score < p.cool_threshold:
                    continue
                role = "attacker" if attacked else "adversary"
                why = (
                    f"{m.code(friend)} (friend, {W[i, friend]:+.2f}) acted warmly with {m.code(other)} "
                    f"({role}, {W[i, other]:+.2f}): {e.event.type} at step {e.step}; "
                    f"loyalty {m.world.loyalty[i]:.2f} x friendship x hostility {hostility:.2f} = {score:.2f}"
                )
                intensity = min(1.5, 0.5 * score / p.cool_threshold)
                m.act(MediaFreeze(source=self.code, target=m.code(friend), intensity=intensity), rule="cool", cause=why)
                m.hold_grievance(i, friend)
                lost.append(f"lost partner {m.code(friend)}")
        return lost

    def _counter_court(self, e: LoggedEvent, chance: float) -> int:
        """My adversary courts a third state: court that state too (if I have actions left this
        month). Returns actions taken.

        :func:`read_news` has found the state contested (I am hostile to the courter, not to the
        courted, whose interests I share, and the courted is not hostile to the courter) and set the
        ``chance`` min(1, 2 x my hostility x my interest baseline toward the courted)."""
        m, i = self.model, self.index
        c, target = e.source, e.target
        if (
            m.grievance_until[i, target] >= m.month
            or m.month - m.courted_at[i, target] < m.params.court_interval
            or m.acted_at[i, target] == m.month
        ):
            return 0  # not m.may_court(i, target), inline: this is the innermost loop of a busy month
        if m.streams.draws.random() >= chance:
            return 0
        W, X0 = m.relations, m.baseline
        why = (
            f"adversary {m.code(c)} ({W[i, c]:+.2f}) courted {m.code(target)}: {e.event.type} at step {e.step}; "
            f"interest baseline toward {m.code(target)} {X0[i, target]:+.2f}"
        )
        return int(self._approach(target, rule="counter_court", cause=why))

    def _court(self, reason: str, budget: int) -> None:
        """Approach the states, not yet friends, whose relations lie furthest below what interests
        justify, and the weakest link of the adversaries' coalition (a wedge, after Crawford 2011)."""
        m, i = self.model, self.index
        gap = m.baseline[i] - m.relations[i]
        order = np.argsort(-gap, kind="stable")  # largest gap first, lowest index among equals
        # a lost partner is replaced by new friends: states not yet friends, below what interests justify
        new_friend = m.relations[i, order] < m.params.friend_threshold
        order = order[(gap[order] >= court_gap(m.params)) & (order != i) & new_friend]
        plan: list[int] = order[m.may_court_all(i, order)].tolist()
        wedge = self._weakest_link() if m.params.wedge else None
        if wedge is not None and wedge not in plan:
            plan.insert(min(1, len(plan)), wedge)
        else:
            wedge = None  # already planned for its gap, and explained by it
        for j in plan:
            if budget <= 0:
                break
            if j == wedge:
                why = f"{reason}; wedge: {m.code(wedge)} is the member of its adversaries' coalition that regards it least badly ({m.relations[wedge, i]:+.2f})"
            else:
                why = f"{reason}; relation to {m.code(j)} is {gap[j]:.2f} below its interest baseline"
            budget -= int(self._approach(j, rule="court", cause=why))

    def _weakest_link(self) -> int | None:
        """Among states that regard me badly and are friends of one of my adversaries, the one
        that regards me least badly (and that I may court)."""
        m, i, p = self.model, self.index, self.model.params
        W = m.relations
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

    def _reciprocate(self, e: LoggedEvent) -> None:
        """Answer a courting state in proportion to my interest baseline toward it."""
        m, i, p = self.model, self.index, self.model.params
        j = e.source
        baseline = m.baseline[i, j]
        if baseline <= 0 or p.reciprocity == 0 or m.grieves(i, j) or m.answered(i, j):
            return
        intensity = float(min(2.0, max(0.2, p.reciprocity * baseline / p.friend_threshold)))  # clip to [0.2, 2]
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

    def _retaliate(self, e: LoggedEvent) -> None:
        """Answer a hostile act in kind, in proportion to its severity and limited by capability:
        the most severe rung of the ladder whose severity is at most severity x min(1, c_me / c_aggressor)."""
        m, i, p = self.model, self.index, self.model.params
        a = m.world.index(e.event.aggressor or "")
        if p.retaliation == 0 or m.answered(i, a):
            return
        c = m.world.capability
        ratio = min(1.0, float(c[i] / c[a]))
        reach = e.event.severity() * ratio
        rung = next((r for r in ladder() if r[0] <= reach), ladder()[-1])
        news = m.briefing.news if m.briefing is not None else m.news()
        if any(
            n.event.aggressor == self.code and n.event.victim == m.code(a) and n.event.severity() >= rung[0]
            for n in news
        ):
            return  # already answered in kind that month (a scripted counter-strike, say)
        why = (
            f"retaliating for {m.code(a)}'s {e.event.type} at step {e.step} (severity {e.event.severity():.2f}); "
            f"capability ratio {ratio:.2f} allows severity {reach:.2f}"
        )
        m.act(
            rung[1](source=self.code, target=m.code(a), form=rung[2], intensity=p.retaliation),
            rule="retaliate",
            cause=why,
        )

    def _balance(self, e: LoggedEvent, budget: int) -> int:
        """After a serious attack, court the aggressor's adversaries that are not mine nor yet my
        friends (balance of threat, Walt 1987), most hostile to the aggressor first. Returns actions taken."""
        m, i, p = self.model, self.index, self.model.params
        if e.event.severity() < p.balance_threshold:
            return 0
        a = m.world.index(e.event.aggressor or "")
        W = m.relations
        foes = np.flatnonzero(
            (W[:, a] <= -p.enemy_threshold) & (W[i] > -p.enemy_threshold) & (W[i] < p.friend_threshold)
        )
        foes = foes[(foes != i) & (foes != a)]
        foes = foes[np.argsort(W[foes, a], kind="stable")]
        taken = 0
        for j in foes[m.may_court_all(i, foes)].tolist():
            if taken >= budget:
                break
            why = f"balancing: {m.code(a)} attacked it ({e.event.type} at step {e.step}); {m.code(j)} regards {m.code(a)} at {W[j, a]:+.2f}"
            taken += int(self._approach(j, rule="balance", cause=why))
        return taken

    def _solidarity(self, e: LoggedEvent) -> None:
        """Stand by a victim I am committed to: condemn its aggressor, or rally support for it when
        the attacker is not a state of the world (intensity min(1.5, 0.5 score / solidarity_threshold))."""
        m, i, p = self.model, self.index, self.model.params
        v = m.world.index(e.event.victim or "")
        a = m.world.index(e.event.aggressor) if e.event.aggressor is not None else None
        toward = v if a is None else a
        if m.answered(i, toward):
            return
        allied = bool(m.world.ties["alliance"][i, v])
        commitment = max(float(m.relations[i, v]), 0.0) + p.alliance_commitment * allied
        score = commitment * e.event.severity()
        intensity = min(1.5, 0.5 * score / p.solidarity_threshold)
        why = (
            f"solidarity with {m.code(v)} ({'ally, ' if allied else ''}relation {m.relations[i, v]:+.2f}) after "
            f"{e.event.type} at step {e.step}: commitment x severity = {score:.2f}"
        )
        if a is None:
            m.act(RallySupport(source=self.code, target=m.code(v), intensity=intensity), rule="solidarity", cause=why)
        else:
            m.act(Condemn(source=self.code, target=m.code(a), intensity=intensity), rule="solidarity", cause=why)

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
