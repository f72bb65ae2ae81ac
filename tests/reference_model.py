"""The alignsim model written the plain way: one state and one pair at a time, in Python loops.

This is the executable form of docs/model.md. It shares no code with the engine's numerics: the
world is read from the WorldSpec into lists, the interest baseline X0, the balance force, the
saturation, the impulses, the persistent effects of every event type and the agents' four rules
are written out from the equations. What it takes from alignsim is only vocabulary and data: the
scenario's validated spec and schedule, the event classes (their fields, Goldstein scores from the
CAMEO table and whether both parties act), and the parameters.

``tests/test_equivalence.py`` runs it beside :class:`alignsim.model.model.AlignmentModel` on random worlds
and checks that both log the same events and give the same relations (to 1e-12).

The random-number contract (docs/model.md, "The random-number contract"): three independent
streams, children of the run's seed, start in the same states as the engine's, and each step draws

1. from ``order``, with agents on: one ``permutation(N)`` (the order in which states decide);
2. from ``draws``: one ``random()`` per counter-courting chance that is reached (all its conditions
   met) and per solidarity answer of a cross-pressured state that is reached, in decision order,
   the state's reading order within a state (most severe item first, then news order);
3. from ``noise``: N*N standard normals, pair (i, j) in row-major order, diagonal included -- the
   same numbers as one ``standard_normal((N, N))``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from alignsim.config.scenario import Scenario
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

VISIT_LEVEL_SCALE = {"head_of_state": 1.5, "minister": 1.0, "deputy_minister": 0.7}
TIE_KINDS = ("diplomatic", "treaty", "alliance", "rivalry", "sanction")
# Event types without persistent effects (they act through impulses only).
IMPULSE_ONLY = {
    "visit",
    "invitation",
    "talks",
    "security_dialogue",
    "media_freeze",
    "aid",
    "condemn",
    "threaten",
    "expel_diplomats",
    "military_posture",
    "use_force",
    "external_attack",
    "rally_support",
}
ANSWERS = ("reciprocate", "retaliate", "solidarity", "cool")
COURTING = ("court", "counter_court", "balance")  # answered by reciprocation alone
MAX_DEPTH = 2  # scripted act (0) -> answer (1) -> counter-answer (2); nothing answers depth 2
# The retaliation ladder, most severe first: Goldstein of the rung's CAMEO code / 10, the event, its form.
LADDER = (
    (1.0, UseForce, "strike"),
    (0.72, MilitaryPosture, "exercise"),
    (0.7, Threaten, "force"),
    (0.2, Condemn, "condemn"),
)
# Event types whose persistent effects are written out in ReferenceModel.apply.
PERSISTENT = {
    "recognition",
    "sever_relations",
    "agreement",
    "sanction",
    "interest_shift",
    "capability_change",
    "border_closure",
    "border_reopening",
    "disaster",
}
SUPPORTED_TYPES = IMPULSE_ONLY | PERSISTENT


@dataclass(frozen=True)
class RefEntry:
    """One logged event: what the engine's LoggedEvent holds, less the cause text."""

    step: int
    event: Event
    source: int
    target: int
    origin: str
    rule: str
    impulse: float
    date: Any = None
    depth: int = 0


def matrix(n: int, value: float = 0.0) -> list[list[float]]:
    return [[value] * n for _ in range(n)]


class ReferenceModel:
    """The model of docs/model.md, state by state and pair by pair."""

    def __init__(self, scenario: Scenario, streams: Any) -> None:
        self.p = scenario.params
        self.streams = streams  # .noise, .order, .draws: numpy Generators
        spec = scenario.world_spec
        self.codes = [s.code for s in spec.states]
        n = self.n = len(self.codes)
        at = {c: i for i, c in enumerate(self.codes)}
        self.at = at
        dims = [d.id for d in spec.dimensions]
        self.dims = dims
        self.capability = [float(s.capability) for s in spec.states]
        # GDP; a state without one gets the GDP per unit of capability of those that have one.
        known = [(s.economy, s.capability) for s in spec.states if s.economy is not None]
        per_capability = sum(g for g, _ in known) / sum(c for _, c in known) if known else 1.0
        self.economy = [
            float(s.economy) if s.economy is not None else s.capability * per_capability for s in spec.states
        ]
        self.loyalty = [float(s.loyalty) for s in spec.states]
        self.need = [float(s.need) for s in spec.states]
        self.interest = [[0.0] * len(dims) for _ in range(n)]
        self.salience = [[0.0] * len(dims) for _ in range(n)]
        for i, s in enumerate(spec.states):
            for dim, pos in s.interests.items():
                self.interest[i][dims.index(dim)] = float(pos.position)
                self.salience[i][dims.index(dim)] = float(pos.salience)
        self.W = matrix(n)
        for r in spec.relations:
            i, j = at[r.source], at[r.target]
            self.W[i][j] = float(r.weight)
            self.W[j][i] = float(r.weight if r.reverse is None else r.reverse)
        self.ties = {kind: matrix(n) for kind in TIE_KINDS}
        for kind in ("diplomatic", "treaty", "alliance", "rivalry"):
            for t in getattr(spec.ties, kind):
                self.ties[kind][at[t.a]][at[t.b]] = self.ties[kind][at[t.b]][at[t.a]] = 1.0
        for z in spec.ties.sanction:
            self.ties["sanction"][at[z.source]][at[z.target]] = 1.0
        self.contact = matrix(n, 1.0)
        for i, s in enumerate(spec.states):
            if s.border.closed:
                self.close_border(i, [at[c] for c in s.border.open_to])
        self.M = matrix(n)  # memory of hostility
        self.pending_M = matrix(n)  # agents' hostile acts of the month
        # Measured affinities (WorldSpec.affinity) replace a S_ij, shifted by a times any later change of S_ij.
        self.affinity: dict[tuple[int, int], tuple[float, float]] = {}
        for e in spec.affinity:
            i, j = at[e.a], at[e.b]
            self.affinity[(i, j)] = self.affinity[(j, i)] = (float(e.value), self.similarity(i, j))
        self.X0 = self.baseline()
        if self.p.initial_relations == "equilibrium":
            self.spin_up()
        self.month = 0
        self.log: list[RefEntry] = []
        self.pending = matrix(n)  # the month's summed impulses
        self.grievance_until = [[-1] * n for _ in range(n)]
        self.courted_at = [[-(10**6)] * n for _ in range(n)]
        self.acted_at = [[-1] * n for _ in range(n)]
        self.attacked_until = [[-1] * n for _ in range(n)]
        self.attack_severity = matrix(n)
        self.remembered = [self.support(i) for i in range(n)]
        self.plan = scenario.schedule()
        self.scenario = scenario
        self.waging: set[int] = set()  # states that committed a coercive act this month

    # ------------------------------------------------------------------ the interest baseline
    def similarity(self, i: int, j: int) -> float:
        """S_ij = 1 - 2 sum_k w_ijk |u_ik - u_jk| / (d_max sum_k w_ijk), w_ijk = (w_ik + w_jk) / 2, d_max = 2."""
        num = tot = 0.0
        for k in range(len(self.dims)):
            w = (self.salience[i][k] + self.salience[j][k]) / 2.0
            num += w * abs(self.interest[i][k] - self.interest[j][k])
            tot += w
        return 0.0 if tot == 0.0 else 1.0 - 2.0 * num / (2.0 * tot)

    def baseline(self) -> list[list[float]]:
        """X0_ij = clip(a S_ij + t_d D_ij + t_t T_ij + t_a A_ij + t_s max(Z_ij, Z_ji), -1, 1), X0_ii = 0."""
        p, t = self.p, self.ties
        x0 = matrix(self.n)
        for i in range(self.n):
            for j in range(self.n):
                if i == j:
                    continue
                if (i, j) in self.affinity:
                    value, start = self.affinity[(i, j)]
                    interest = value + p.interest_weight * (self.similarity(i, j) - start)
                else:
                    interest = p.interest_weight * self.similarity(i, j)
                x = (
                    interest
                    + p.tie_diplomatic * t["diplomatic"][i][j]
                    + p.tie_treaty * t["treaty"][i][j]
                    + p.tie_alliance * t["alliance"][i][j]
                    + p.tie_rivalry * t["rivalry"][i][j]
                    + p.tie_sanction * max(t["sanction"][i][j], t["sanction"][j][i])
                    - self.M[i][j]
                )
                x0[i][j] = min(1.0, max(-1.0, x))
        return x0

    # ------------------------------------------------------------------ the step
    def step(self) -> None:
        for shock in self.plan.get(self.month, []):
            self.act(shock, origin="scenario", rule="scripted")
        if self.p.agents:
            news = sorted((e for e in self.log if e.step == self.month - 1), key=self.reading_order)
            for e in news:  # victims remember their coercive attackers
                a, v = self.aggressor(e.event), self.victim(e.event)
                if self.coercion(e) and a is not None and v is not None and a != v:
                    self.attacked_until[v][a] = self.month + self.p.grievance_months
                    self.attack_severity[v][a] = self.severity(e.event)
            for i in self.streams.order.permutation(self.n):
                self.decide(int(i), news)
        self.update_relations()
        self.fade_memory()
        self.month += 1

    def reading_order(self, e: RefEntry) -> tuple[Any, ...]:
        """Canonical reading order of a month's news: date, most severe first, codes, type, rule, depth, content."""
        target = self.codes[e.target] if e.target != e.source else self.codes[e.source]
        return (
            e.date,
            -self.severity(e.event),
            self.codes[e.source],
            target,
            e.event.type,
            e.rule,
            e.depth,
            e.event.model_dump_json(),
        )

    def coercion(self, e: RefEntry) -> bool:
        """A coercive act that is not an answer and may still be answered: threats (CAMEO 13x), force
        postures (15x), expulsions (166), sanctions (163), force (19x)."""
        return self.is_coercive(e.event) and e.rule not in ANSWERS and e.depth < MAX_DEPTH

    def is_coercive(self, event: Event) -> bool:
        code = self.cameo(event)
        return event.goldstein() < 0 and (code[:2] in ("13", "15", "17", "18", "19", "20") or code in ("163", "166"))

    def cameo(self, event: Event) -> str:
        """The actor-side CAMEO code of the event."""
        if event.variants:
            return event.variants[event.variant()]
        return event.cameo or ""

    def fade_memory(self) -> None:
        """M <- (M + the month's agent acts) 2^(-1 / memory_half_life); entries below 1e-4 forgotten; X0 rebuilt."""
        for i in range(self.n):
            for j in range(self.n):
                self.M[i][j] += self.pending_M[i][j]
        self.pending_M = matrix(self.n)
        if not any(any(row) for row in self.M):
            return
        decay = 2.0 ** (-1.0 / self.p.memory_half_life)
        for i in range(self.n):
            for j in range(self.n):
                self.M[i][j] *= decay
                if self.M[i][j] < 1e-4:
                    self.M[i][j] = 0.0
        self.X0 = self.baseline()

    def spin_up(self) -> None:
        """The noise-free, shock-free map from the given relations until no relation moves by 1e-10."""
        zero = matrix(self.n)
        for _ in range(6000):
            old = self.W
            self.W = self.next_relations(old, zero)
            if max((abs(self.W[i][j] - old[i][j]) for i in range(self.n) for j in range(self.n)), default=0.0) < 1e-10:
                break

    def next_relations(
        self, W: list[list[float]], pending: list[list[float]], z: list[list[float]] | None = None
    ) -> list[list[float]]:
        """One Euler month: clip(W + dt [-beta (W - X0) + L tanh(alpha B / L)] + pending + noise sqrt(dt) z, -1, 1)."""
        p, n, dt = self.p, self.n, 1.0
        new = matrix(n)
        for i in range(n):
            for j in range(n):
                if i == j:
                    continue
                if p.balance_kernel == "traag":
                    b = sum(W[i][k] * W[j][k] for k in range(n))
                else:
                    b = sum(W[i][k] * W[k][j] for k in range(n))
                rate = -p.beta * (W[i][j] - self.X0[i][j]) + p.saturation * math.tanh(p.alpha * b / p.saturation)
                value = (
                    W[i][j] + dt * rate + pending[i][j] + (p.noise * math.sqrt(dt) * z[i][j] if z is not None else 0.0)
                )
                new[i][j] = min(1.0, max(-1.0, value))
        return new

    def update_relations(self) -> None:
        """W <- clip(W + dt [-beta (W - X0) + L tanh(alpha B / L)] + impulses + noise sqrt(dt) z, -1, 1), W_ii = 0,
        with B_ij = sum_k W_ik W_jk (traag) or sum_k W_ik W_kj (marvel), B_ii = 0; one z per pair, row-major."""
        n = self.n
        z = [[float(self.streams.noise.standard_normal()) for _ in range(n)] for _ in range(n)]
        old, self.W = self.W, self.next_relations(self.W, self.pending, z)
        self.pending = matrix(n)
        # a war keeps relations from warming while it lasts: toward a state that committed a coercive
        # act this month, the relation of each state not its friend does not rise
        for a in self.waging:
            for i in range(n):
                if i != a and old[i][a] < self.p.friend_threshold:
                    self.W[i][a] = min(self.W[i][a], old[i][a])
        self.waging = set()

    # ------------------------------------------------------------------ events
    def act(self, event: Event, *, origin: str = "agent", rule: str, depth: int = 0) -> None:
        """Persistent effects now (X0 rebuilt when interests or ties change), impulses at the end of the month."""
        if event.type not in SUPPORTED_TYPES:
            raise NotImplementedError(
                f"event type '{event.type}' is not in the reference model: write out its effects in tests/reference_model.py"
            )
        rebuild = self.apply(event)
        a, v = self.aggressor(event), self.victim(event)
        if a is not None and v is not None and a != v and self.p.memory_weight != 0:
            # memory of hostility: memory_weight x severity, both ways -- a scripted act at once,
            # an agent's at the end of the month
            M = self.pending_M if origin == "agent" else self.M
            M[a][v] += self.p.memory_weight * self.severity(event)
            M[v][a] += self.p.memory_weight * self.severity(event)
            rebuild = rebuild or origin != "agent"
        if rebuild:
            self.X0 = self.baseline()
        source = self.at[event.source or ""]
        target = self.at[event.target] if event.target else source
        impulse = 0.0
        if event.type == "external_attack":
            if event.sponsor is not None:  # type: ignore[attr-defined]
                # the victim's regard of the sponsor: kappa_reciprocal g / 10 x intensity
                impulse = self.p.kappa_reciprocal * event.goldstein() * event.intensity / 10.0
                self.pending[source][self.at[event.sponsor]] += impulse  # type: ignore[attr-defined]
        elif event.target is not None:
            # kappa g/10 x intensity x scale on W_st (the actor), kappa_reciprocal g'/10 x intensity x scale on W_ts.
            common = event.intensity * self.scale(event, target) / 10.0
            actor = self.p.kappa * event.goldstein() * common
            answer = self.p.kappa_reciprocal * event.goldstein_target() * common
            self.pending[source][target] += actor
            self.pending[target][source] += answer
            impulse = actor  # the change of W_st: the log's impulse
        date = event.date if origin == "scenario" and event.date is not None else self.scenario.date_of(self.month)
        self.log.append(RefEntry(self.month, event, source, target, origin, rule, impulse, date, depth))
        if event.goldstein() < 0 and target != source:
            self.grievance_until[source][target] = self.month + self.p.grievance_months
        if origin == "agent" and target != source:
            self.acted_at[source][target] = self.month
        if a is not None and self.is_coercive(event):
            self.waging.add(a)

    # ------------------------------------------------------------------ hostility
    def severity(self, event: Event) -> float:
        """max(0, -g) / 10 x intensity."""
        return max(0.0, -event.goldstein()) / 10.0 * event.intensity

    def aggressor(self, event: Event) -> int | None:
        """Who acted with hostility: the source of a two-state act with g < 0; an external attack's sponsor."""
        if event.type == "external_attack":
            return self.at[event.sponsor] if event.sponsor is not None else None  # type: ignore[attr-defined]
        return self.at[event.source or ""] if event.target is not None and event.goldstein() < 0 else None

    def victim(self, event: Event) -> int | None:
        if event.type == "external_attack":
            return self.at[event.source or ""]
        return self.at[event.target] if event.target is not None and event.goldstein() < 0 else None

    def scale(self, event: Event, target: int) -> float:
        """Aid counts (1 + need of the target) times; a visit by its level; others once."""
        if event.type == "aid":
            return 1.0 + self.need[target]
        if event.type == "visit":
            return VISIT_LEVEL_SCALE[event.level]  # type: ignore[attr-defined]
        return 1.0

    def apply(self, e: Any) -> bool:
        """Persistent effects of each event type; True when X0 must be rebuilt."""
        at = self.at
        s = at[e.source]
        if e.type in IMPULSE_ONLY:
            return False
        if e.type == "recognition":
            self.set_tie("diplomatic", s, at[e.target], 1.0)
        elif e.type == "sever_relations":
            self.set_tie("diplomatic", s, at[e.target], 0.0)
        elif e.type == "agreement":
            self.set_tie("treaty", s, at[e.target], 1.0 if e.action == "sign" else 0.0)
        elif e.type == "sanction":
            self.ties["sanction"][s][at[e.target]] = 1.0 if e.action == "impose" else 0.0
        elif e.type == "interest_shift":
            k = self.dims.index(e.dimension)
            if e.position is not None:
                self.interest[s][k] = e.position
            if e.delta is not None:
                self.interest[s][k] = min(1.0, max(-1.0, self.interest[s][k] + e.delta))
            if e.salience is not None:
                self.salience[s][k] = e.salience
        elif e.type == "capability_change":
            self.capability[s] *= e.factor
            return False
        elif e.type == "border_closure":
            self.close_border(s, [at[c] for c in e.open_to])
            return False
        elif e.type == "border_reopening":
            for j in [at[c] for c in e.partners] if e.partners else range(self.n):
                self.contact[s][j] = self.contact[j][s] = 1.0
            return False
        elif e.type == "disaster":
            self.need[s] = e.need
            return False
        return True

    def set_tie(self, kind: str, i: int, j: int, value: float) -> None:
        self.ties[kind][i][j] = self.ties[kind][j][i] = value

    def close_border(self, i: int, open_to: list[int]) -> None:
        for j in range(self.n):
            self.contact[i][j] = self.contact[j][i] = 0.0
        for j in open_to:
            self.contact[i][j] = self.contact[j][i] = 1.0
        self.contact[i][i] = 1.0

    # ------------------------------------------------------------------ what a state reads
    def support(self, i: int) -> float:
        """sum_{j != i} c_j max(W_ij, 0) / sum_{j != i} c_j."""
        num = sum(self.capability[j] * max(self.W[i][j], 0.0) for j in range(self.n) if j != i)
        return num / sum(self.capability[j] for j in range(self.n) if j != i)

    def can_meet(self, i: int, j: int) -> bool:
        return self.ties["diplomatic"][i][j] != 0.0 and self.contact[i][j] != 0.0

    def broker(self, i: int, j: int) -> int | None:
        best, best_score = None, 0.0
        for m in range(self.n):
            if m in (i, j) or not (self.can_meet(i, m) and self.can_meet(m, j)):
                continue
            score = min(self.W[i][m], self.W[m][j])
            if score > best_score:
                best, best_score = m, score
        return best

    def grieves(self, i: int, j: int) -> bool:
        return self.grievance_until[i][j] >= self.month

    def may_court(self, i: int, j: int) -> bool:
        return (
            not self.grieves(i, j)
            and self.acted_at[i][j] != self.month
            and self.month - self.courted_at[i][j] >= self.p.court_interval
        )

    # ------------------------------------------------------------------ the four rules
    def decide(self, i: int, news: list[RefEntry]) -> None:
        """News in reading order, the most severe item first (stable): the most severe trigger wins a pair-month."""
        p = self.p
        budget = p.max_actions
        lost_depths: list[int] = []  # the depth each court for a lost partner would have
        for e in sorted(news, key=lambda e: -self.severity(e.event)):
            if e.depth >= MAX_DEPTH:
                continue  # the end of a chain: answered by no rule
            warming = e.event.goldstein() > 0 and e.source != e.target
            a, v = self.aggressor(e.event), self.victim(e.event)
            if e.target == i and warming and e.rule not in ANSWERS:
                self.reciprocate(i, e)
            elif i not in (e.source, e.target) and warming:
                if e.rule in COURTING:
                    continue  # courting does not cascade into freezes and counter-courting
                if self.p.cool_on and self.cool(i, e):
                    lost_depths.append(e.depth + 2)
                budget -= self.counter_court(i, e, budget)
            elif v is not None and self.coercion(e) and a != v:
                if i == v and a is not None:
                    self.retaliate(i, e, a, news)
                    if budget > 0:
                        budget -= self.balance(i, e, a, budget)
                elif i not in (v, a):
                    self.solidarity(i, e, v, a)
        depths = [d for d in lost_depths if d <= MAX_DEPTH]
        support = self.support(i)
        others = [self.capability[j] for j in range(self.n) if j != i]
        sd = p.noise_sd * math.sqrt(sum(c * c for c in others)) / sum(others)  # SD of the friendly share under noise
        if support < self.remembered[i] - max(p.support_drop, p.noise_z * sd):
            depths.append(1)  # an initiative
        self.remembered[i] += (support - self.remembered[i]) / p.support_memory
        if depths and budget > 0 and self.p.court_on:
            self.court(i, budget, max(depths))

    def cool(self, i: int, e: RefEntry) -> bool:
        """A friend acting warmly with my adversary: a media freeze toward the friend when
        W_if x (-W_io) x loyalty_i >= cool_threshold; intensity min(1.5, score / (2 cool_threshold))."""
        p, W = self.p, self.W
        actors = [(e.source, e.target)] + ([(e.target, e.source)] if e.event.mutual else [])
        lost = False
        for friend, other in actors:
            if friend == i or other == i or self.grieves(i, friend) or self.acted_at[i][friend] == self.month:
                continue
            # an attacker (a hostile act remembered) counts as an adversary, as hostile as its act was severe
            attacked = self.attacked_until[i][other] >= self.month and self.attack_severity[i][other] > 0
            if W[i][friend] >= p.friend_threshold and (W[i][other] <= -p.enemy_threshold or attacked):
                hostility = max(-W[i][other], self.attack_severity[i][other] if attacked else 0.0)
                score = W[i][friend] * hostility * self.loyalty[i]
                if score < p.cool_threshold:
                    continue
                intensity = min(1.5, 0.5 * score / p.cool_threshold)
                self.act(
                    MediaFreeze(source=self.codes[i], target=self.codes[friend], intensity=intensity),
                    rule="cool",
                    depth=e.depth + 1,
                )
                self.grievance_until[i][friend] = self.month + p.grievance_months
                lost = True
        return lost

    def counter_court(self, i: int, e: RefEntry, budget: int) -> int:
        """My adversary c courted t: court t too, with chance min(1, 2 (-W_ic) X0_it)."""
        p, W, X0 = self.p, self.W, self.X0
        c, t = e.source, e.target
        if budget <= 0 or e.rule in ANSWERS or t == i or W[i][c] > -p.enemy_threshold:
            return 0
        if abs(e.impulse) < p.noise_z * p.noise:  # not noticed above the noise
            return 0
        if W[i][t] <= -p.enemy_threshold or X0[i][t] <= 0 or not self.may_court(i, t):
            return 0
        if W[t][c] <= -p.enemy_threshold:
            return 0
        if self.streams.draws.random() >= min(1.0, 2.0 * -W[i][c] * X0[i][t]):
            return 0
        return int(self.approach(i, t, rule="counter_court", depth=e.depth + 1))

    def court(self, i: int, budget: int, depth: int) -> None:
        """Approach non-friends (W_ij < friend_threshold) with X0_ij > court_affinity, the highest
        affinity X0_ij first, and the wedge second."""
        plan = []
        for j in sorted(range(self.n), key=lambda j: -self.X0[i][j]):
            if self.X0[i][j] <= self.p.court_affinity:
                break
            if j != i and self.W[i][j] < self.p.friend_threshold and self.may_court(i, j):
                plan.append(j)
        wedge = self.weakest_link(i) if self.p.wedge else None
        if wedge is not None and wedge not in plan:
            plan.insert(min(1, len(plan)), wedge)
        for j in plan:
            if budget <= 0:
                break
            budget -= int(self.approach(i, j, rule="court", depth=depth))

    def weakest_link(self, i: int) -> int | None:
        """Of the states that regard me badly, that I regard badly, and that are friends of one of my
        adversaries: the one that regards me least badly (first among equals)."""
        p, W = self.p, self.W
        adversaries = [k for k in range(self.n) if W[i][k] <= -p.enemy_threshold]
        candidates = [
            j
            for j in range(self.n)
            if j != i
            and W[j][i] < 0
            and W[i][j] < 0
            and any(W[j][k] >= p.friend_threshold for k in adversaries)
            and self.may_court(i, j)
        ]
        return max(candidates, key=lambda j: W[j][i]) if candidates else None

    def reciprocate(self, i: int, e: RefEntry) -> None:
        """Answer j with intensity clip(reciprocity X0_ij / friend_threshold, 0.2, 2): an invitation,
        or talks through a broker when the two cannot meet."""
        p, j = self.p, e.source
        base = self.X0[i][j]
        if base <= 0 or p.reciprocity == 0 or self.grieves(i, j) or self.acted_at[i][j] == self.month:
            return
        intensity = min(2.0, max(0.2, p.reciprocity * base / p.friend_threshold))
        if self.can_meet(i, j):
            event: Event = Invitation(source=self.codes[i], target=self.codes[j], intensity=intensity)
        else:
            broker = self.broker(i, j)
            if broker is None:
                return
            event = Talks(source=self.codes[i], target=self.codes[j], via=self.codes[broker], intensity=intensity)
        self.act(event, rule="reciprocate", depth=e.depth + 1)

    def retaliate(self, i: int, e: RefEntry, a: int, news: list[RefEntry]) -> None:
        """In kind: the most severe rung with severity <= severity x min(1, c_i / c_a); condemn at least --
        unless i's own acts of last month already hit a that hard."""
        p = self.p
        if p.retaliation == 0 or self.acted_at[i][a] == self.month:
            return
        reach = self.severity(e.event) * min(1.0, self.capability[i] / self.capability[a])
        rung = next((r for r in LADDER if r[0] <= reach), LADDER[-1])
        if any(
            self.aggressor(n.event) == i and self.victim(n.event) == a and self.severity(n.event) >= rung[0]
            for n in news
        ):
            return
        self.act(
            rung[1](source=self.codes[i], target=self.codes[a], form=rung[2], intensity=p.retaliation),
            rule="retaliate",
            depth=e.depth + 1,
        )

    def balance(self, i: int, e: RefEntry, a: int, budget: int) -> int:
        """After an attack of severity >= balance_threshold: court a's adversaries that are neither
        mine nor my friends, most hostile to a first."""
        p, W = self.p, self.W
        if self.severity(e.event) < p.balance_threshold:
            return 0
        foes = [
            j
            for j in range(self.n)
            if j not in (i, a) and W[j][a] <= -p.enemy_threshold and -p.enemy_threshold < W[i][j] < p.friend_threshold
        ]
        taken = 0
        for j in sorted(foes, key=lambda j: W[j][a]):
            if taken >= budget:
                break
            if self.may_court(i, j):
                taken += int(self.approach(i, j, rule="balance", depth=e.depth + 1))
        return taken

    def solidarity(self, i: int, e: RefEntry, v: int, a: int | None) -> None:
        """Commitment k = max(W_iv, 0) + alliance_commitment A_iv; when k x severity >= solidarity_threshold
        (and W_ia < W_iv): condemn a, or rally support for v when the attacker is not modelled."""
        p, W = self.p, self.W
        k = max(W[i][v], 0.0) + p.alliance_commitment * self.ties["alliance"][i][v]
        score = k * self.severity(e.event)
        if score < p.solidarity_threshold or (a is not None and W[i][a] >= W[i][v]):
            return
        toward = v if a is None else a
        if self.acted_at[i][toward] == self.month:
            return
        cross = a is not None and (W[i][a] > 0 or self.ties["alliance"][i][a] != 0)  # committed to both sides
        if cross and self.streams.draws.random() < p.cross_pressure_abstention:
            return
        intensity = min(1.5, 0.5 * score / p.solidarity_threshold)
        if a is None:
            self.act(
                RallySupport(source=self.codes[i], target=self.codes[v], intensity=intensity),
                rule="solidarity",
                depth=e.depth + 1,
            )
        else:
            self.act(
                Condemn(source=self.codes[i], target=self.codes[a], intensity=intensity),
                rule="solidarity",
                depth=e.depth + 1,
            )

    def approach(self, i: int, j: int, *, rule: str, depth: int) -> bool:
        """Talks through a broker without contact; aid to a needy state (need >= need_threshold) that is
        aid_capacity_ratio times poorer; otherwise a visit whose level rises with W_ij."""
        p = self.p
        if not self.can_meet(i, j):
            broker = self.broker(i, j)
            if broker is None:
                return False
            event: Event = Talks(source=self.codes[i], target=self.codes[j], via=self.codes[broker])
        elif self.need[j] >= p.need_threshold and self.economy[i] >= p.aid_capacity_ratio * self.economy[j]:
            event = Aid(source=self.codes[i], target=self.codes[j], kind="humanitarian")
        else:
            rel = self.W[i][j]
            level = "deputy_minister" if rel < p.friend_threshold else "minister" if rel < 0.6 else "head_of_state"
            event = Visit(source=self.codes[i], target=self.codes[j], level=level)
        self.act(event, rule=rule, depth=depth)
        self.courted_at[i][j] = self.month
        return True
