"""The Mesa model: scripted shocks land, states decide, relations move in one numpy step.

One step is one month. Within a step: (1) the scenario's shocks due this month are applied;
(2) every state, in an order drawn from the model's seeded generator, reads the news and may act;
(3) the relation matrix takes one step of the dynamics with the month's summed impulses;
(4) the recorder collects the month's relations and measures.

Speed. Agents' acts have no persistent effects (their events' ``apply`` changes nothing), so W, X0,
ties, contact and capability are fixed while the states decide. :func:`alignsim.model.agents.read_news`
therefore screens the month's news for all states at once (boolean arrays over news items x states)
and each state then handles only the items on which a rule can fire for it, in news order; the log
is indexed by step, so the news is a dictionary lookup; friendly support, brokers and the courting
plan are vectorised over the N states. The decisions, their order and their random draws are those
of the plain rules (``tests/reference_model.py`` checks this on random worlds; docs/model.md,
"Equivalence with the reference implementation").

Threads. :meth:`AlignmentModel.run` holds BLAS to one thread (:mod:`alignsim.blas`).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Protocol

import mesa
import numpy as np

from alignsim import blas
from alignsim.config.scenario import Scenario
from alignsim.model.agents import ANSWERS, MAX_DEPTH, Briefing, StateAgent, read_news
from alignsim.model.dynamics import far_from, hold_at_war, month_step, others_total, steady_state
from alignsim.model.recorder import Recorder
from alignsim.world.events.base import Event
from alignsim.world.params import Params
from alignsim.world.spec import WorldState, baseline_terms, interest_baseline


class Batch(Protocol):
    """What a model in a batch of replicates hands its month's update to (:class:`alignsim.model.batch.ReplicateBatch`)."""

    def wait(self, model: AlignmentModel) -> None: ...


@dataclass(frozen=True)
class Streams:
    """Independent random streams, children of the run's seed (``Generator.spawn``)."""

    noise: np.random.Generator  # N x N standard normals every step, nothing else
    order: np.random.Generator  # one permutation per step: the order in which states decide
    draws: np.random.Generator  # the agents' chance decisions (counter-courting)

    @classmethod
    def of(cls, root: np.random.Generator) -> Streams:
        """Children of the root's SeedSequence with spawn keys (..., STREAM_KEY, k), k = 0, 1, 2:
        a pure function of the seed. (``SeedSequence.spawn`` would count earlier spawns, so a seed
        object used twice -- replicate k at every point of a sweep -- would give other streams.)"""
        seq = root.bit_generator.seed_seq
        keys = (*getattr(seq, "spawn_key", ()), STREAM_KEY)
        entropy, pool = getattr(seq, "entropy", None), getattr(seq, "pool_size", 4)
        return cls(
            *(
                np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=(*keys, k), pool_size=pool))
                for k in range(3)
            )
        )


@dataclass(frozen=True)
class LoggedEvent:
    """One applied event with its origin and the reason it happened."""

    step: int
    date: dt.date
    event: Event
    source: int
    target: int  # equals source for single-state events
    origin: str  # "scenario" or "agent"
    rule: str  # "scripted" or a rule of alignsim.model.rules (rule_names())
    cause: str
    impulse: float  # change of W[source, target] from this event
    depth: int = (
        0  # links in the chain of answers: 0 scripted, 1 an answer to it (or an initiative), 2 a counter-answer
    )


STREAM_KEY = 2**31  # spawn-key tag of the streams: apart from replicate indices (< 100,000)
MEMORY_FLOOR = 1e-4  # memory of hostility below this is forgotten (so X0 stops changing)
STEADY_CACHE = 8  # steady states kept per process (a sweep's points each have their own)
# The spin-up is a pure function of the world's relations, X0 and the dynamics' parameters, and
# costs more than a whole flagship replicate: computed once per process for all replicates.
_STEADY_STATES: dict[tuple[object, ...], tuple[np.ndarray, int]] = {}


class AlignmentModel(mesa.Model):
    """Diplomatic alignment of the scenario's states; ``relations[i, j]`` is how i regards j."""

    def __init__(
        self, scenario: Scenario, *, seed: int | np.random.SeedSequence | np.random.Generator | None = None
    ) -> None:
        run_seed = scenario.seed if seed is None else seed
        root = np.random.default_rng(run_seed)
        # One stream per purpose, derived from the seed (docs/model.md, the random-number contract):
        # the noise of step t is the same in two scenarios whatever their agents do.
        self.streams = Streams.of(root)
        super().__init__(rng=root)
        self.config = scenario  # Mesa reserves `scenario` for its own class
        self.params: Params = scenario.params
        self.world = WorldState.from_spec(scenario.world_spec)
        self._terms = baseline_terms(self.world, self.params)  # X0 before the memory: changes with interests or ties
        self.baseline = interest_baseline(self.world, self.params, self._terms)
        self._steady: tuple[np.ndarray, int] | None = None
        self._initial_baseline = self.baseline.copy()
        start = self.steady if self.params.initial_relations == "equilibrium" else self.world.relations
        self.relations = start.copy()
        self.initial_relations = self.relations.copy()
        self.month = 0  # steps taken; Mesa's own counter is avoided (it changes in Mesa 4)
        self._date = (0, scenario.date_of(0))
        self.log: list[LoggedEvent] = []
        self._log_by_step: dict[int, list[LoggedEvent]] = {}
        self._news: tuple[int, list[LoggedEvent]] = (-1, [])
        self._index = {code: i for i, code in enumerate(self.world.codes)}
        n = self.world.n
        self.impulses = np.zeros((n, n))
        self._noise = np.empty((n, n))  # the month's standard normals (one array for the whole run)
        self._waging = np.zeros(n, dtype=bool)  # states that committed a coercive act this month
        self._pending_memory = np.zeros((n, n))  # agents' hostile acts of the month, for M at its end
        self.grievance_until = np.full((n, n), -1)
        self.courted_at = np.full((n, n), -(10**6))
        self.acted_at = np.full((n, n), -1)  # the month i last acted toward j: one answer per pair per month
        self.attacked_until = np.full((n, n), -1)  # v remembers a hostile act of a until then
        self.attack_severity = np.zeros((n, n))  # ... of this severity (|g| / 10 x intensity)
        # What each state remembers of its friendly capability share (exponential average).
        self._others: tuple[bytes, np.ndarray] = (b"", np.zeros(0))  # capability, sum_{j != i} c_j
        self.remembered_support = self.friendly_support_all()
        self.briefing: Briefing | None = None
        self.batch: Batch | None = None  # the batch whose engine moves the relations, if any
        self._plan = scenario.schedule()
        self.state_agents = [StateAgent(self, i) for i in range(n)]
        self.recorder = Recorder(self)
        self.recorder.collect()

    # ------------------------------------------------------------------ stepping
    def step(self) -> None:
        """One month: shocks land and states decide, then the relations take their numpy step --
        at once here, or, for a model in a :class:`~alignsim.model.batch.ReplicateBatch`, together
        with the other replicates' when all have decided."""
        self.decide_month()
        if self.batch is not None:
            self.batch.wait(self)
            return
        self.end_month(month_step(self.params, self.relations, self.baseline, self.impulses, self.draw_noise()))

    def decide_month(self) -> None:
        """The month's scripted shocks land, then every state, in a random order, reads the news and may act."""
        for shock in self._plan.get(self.month, []):
            self.act(shock, origin="scenario", rule="scripted", cause=shock.note or "scripted shock")
        if self.params.agents:
            self.remember_attacks()
            self.briefing = read_news(self)
            self.remembered_support = self.briefing.updated
            for k in self.deciding(self.streams.order.permutation(self.world.n), self.briefing):
                self.state_agents[k].decide()
            self.briefing = None

    def end_month(self, relations: np.ndarray) -> None:
        """The relations after the month's update; impulses spent, memory faded, the month recorded."""
        self.relations = hold_at_war(relations, self.relations, self._waging, self.params.friend_threshold)
        self._waging[:] = False
        self.impulses[:] = 0.0
        self.fade_memory()
        self.month += 1
        self.recorder.collect()

    @staticmethod
    def deciding(order: np.ndarray, brief: Briefing) -> list[int]:
        """The states, in ``order``, with something to decide this month: news on which one of their
        rules may fire, or a fall in support. The others' ``decide`` would do nothing and draw no
        random number (most states, most months), so the Python call is skipped for them."""
        acting = (brief.first[1:] > brief.first[:-1]) | brief.dropped
        return order[acting[order]].tolist()  # type: ignore[no-any-return]

    def remember_attacks(self) -> None:
        """Each victim of last month's coercive acts (not answers, below the depth limit) counts the
        aggressor as an attacker for ``grievance_months``, with the act's severity."""
        for e in self.news():
            if e.rule in ANSWERS or e.event.aggressor is None or e.event.victim is None:
                continue
            if e.depth >= MAX_DEPTH or e.event.coding() != "coercive":
                continue
            v, a = self._index[e.event.victim], self._index[e.event.aggressor]
            if v != a:
                self.attacked_until[v, a] = self.month + self.params.grievance_months
                self.attack_severity[v, a] = e.event.severity()

    def fade_memory(self) -> None:
        """The month's agent acts enter the memory of hostility, which then fades by ``memory_decay``;
        entries below 1e-4 are dropped."""
        memory = self.world.memory
        if memory is None:
            return
        if self._pending_memory.any():
            memory += self._pending_memory
            self._pending_memory[:] = 0.0
        if not memory.any():
            return
        memory *= self.params.memory_decay
        memory[memory < MEMORY_FLOOR] = 0.0
        self.baseline = interest_baseline(self.world, self.params, self._terms)

    @property
    def steady(self) -> np.ndarray:
        """The model's own steady state under no shocks, spun up from the world's relations (computed
        once per world and parameters in a process: every replicate of an ensemble starts from it)."""
        if self._steady is None:
            p = self.params
            key = (
                self.world.relations.tobytes(),
                self._initial_baseline.tobytes(),
                self.world.relations.shape,
                (p.beta, p.alpha, p.saturation, p.balance_kernel),
            )
            found = _STEADY_STATES.get(key)
            if found is None:
                with blas.limited():  # many small products: multi-threaded BLAS is 30x slower here on a busy machine
                    found = steady_state(
                        self.world.relations,
                        self._initial_baseline,
                        beta=p.beta,
                        alpha=p.alpha,
                        saturation=p.saturation,
                        kernel=p.balance_kernel,
                    )
                found[0].flags.writeable = False  # shared by the models of this world: read only
                if len(_STEADY_STATES) >= STEADY_CACHE:
                    _STEADY_STATES.pop(next(iter(_STEADY_STATES)))
                _STEADY_STATES[key] = found
            self._steady = found
        return self._steady[0]

    def far_from_steady_state(self, threshold: float | None = None) -> list[tuple[str, str, float, float]]:
        """Pairs whose given initial relation lies far from the model's steady state (default: 5 noise SDs, at least 0.1)."""
        far = max(0.1, 5 * self.params.noise_sd) if threshold is None else threshold
        return far_from(self.world.relations, self.steady, self.world.codes, far)

    def run(self) -> AlignmentModel:
        """All the scenario's steps (with BLAS held to ``alignsim.blas.BLAS_THREADS`` threads)."""
        with blas.limited():
            for _ in range(self.config.steps):
                self.step()
        return self

    def draw_noise(self) -> np.ndarray:
        """The step's N x N standard normals, from the noise stream alone: drawn into one array kept
        for the run (a fresh N x N array a month cost as much as drawing it at N = 500), so the values
        hold until the next draw -- copy them to keep them."""
        return self.streams.noise.standard_normal(out=self._noise)

    # ------------------------------------------------------------------ the one way events enter
    def act(self, event: Event, *, origin: str = "agent", rule: str, cause: str, depth: int = 0) -> LoggedEvent:
        """Apply an event: persistent effects now, impulses at the end of the month; log it."""
        w = self.world
        changed = event.apply(w)  # interests or ties
        if changed:
            self._terms = baseline_terms(w, self.params)
        if self._remember_hostility(event, deferred=origin == "agent") or changed:
            self.baseline = interest_baseline(w, self.params, self._terms)
        deltas = event.impulses(w, self.params)
        for i, j, delta in deltas:
            self.impulses[i, j] += delta
        impulse = deltas[0][2] if deltas else 0.0  # the actor-side change, first by convention
        source = self._index[event.source or ""]
        target = self._index[event.target] if event.target else source
        date = firing_date(event, self.date) if origin == "scenario" else self.date
        entry = LoggedEvent(self.month, date, event, source, target, origin, rule, cause, impulse, depth)
        self.log.append(entry)
        self._log_by_step.setdefault(self.month, []).append(entry)
        if event.goldstein() < 0 and target != source:
            self.hold_grievance(source, target)
        if event.aggressor is not None and event.coding() == "coercive":
            self._waging[self._index[event.aggressor]] = True
        if origin == "agent" and target != source:
            self.acted_at[source, target] = self.month
        return entry

    def _remember_hostility(self, event: Event, *, deferred: bool) -> bool:
        """A hostile act between two states adds memory_weight x severity to their memory M (both
        ways): a scripted act at once, an agent's at the end of the month (so that X0 stays fixed
        while states decide). Returns True when X0 must be rebuilt now."""
        a, v = event.aggressor, event.victim
        if a is None or v is None or a == v or self.params.memory_weight == 0 or self.world.memory is None:
            return False
        i, j = self._index[a], self._index[v]
        add = self.params.memory_weight * event.severity()
        memory = self._pending_memory if deferred else self.world.memory
        memory[i, j] += add
        memory[j, i] += add
        return not deferred

    # ------------------------------------------------------------------ what agents read
    @property
    def date(self) -> dt.date:
        if self._date[0] != self.month:  # computed once a month, not once per logged event
            self._date = (self.month, self.config.date_of(self.month))
        return self._date[1]

    def news(self) -> list[LoggedEvent]:
        """What states react to this month: last month's events (a month to deliberate), in their
        canonical order -- date, the most severe first, then codes -- whatever order they were logged in."""
        if self._news[0] != self.month:
            self._news = (self.month, sorted(self._log_by_step.get(self.month - 1, ()), key=self._reading_order))
        return list(self._news[1])

    def _reading_order(self, e: LoggedEvent) -> tuple[object, ...]:
        severity, _, _, kind, content = e.event.order_key()
        return (e.date, severity, self.code(e.source), self.code(e.target), kind, e.rule, e.depth, content)

    def code(self, i: int) -> str:
        return self.world.codes[i]

    def friendly_support(self, i: int) -> float:
        """Share of the others' capability that i regards warmly: sum_{j != i} c_j max(W_ij, 0) / sum_{j != i} c_j."""
        return float(self.friendly_support_all()[i])

    def friendly_support_all(self) -> np.ndarray:
        """:meth:`friendly_support` of every state at once (W_ii = 0, so j = i adds nothing above)."""
        c = self.world.capability
        key = c.tobytes()  # capability changes only with a shock: its sums are kept until it does
        if self._others[0] != key:
            self._others = (key, others_total(c))
        return np.maximum(self.relations, 0.0) @ c / self._others[1]

    def can_meet(self, i: int, j: int) -> bool:
        """Direct contact: diplomatic relations and no closed border between them."""
        return bool(self.world.ties["diplomatic"][i, j] and self.world.contact[i, j])

    def broker(self, i: int, j: int) -> int | None:
        """A third state m in direct contact with both and warm to both: the one with the largest
        min(W_im, W_mj) > 0, the lowest index among equals; None if there is none."""
        if self.briefing is not None:
            channel = self.briefing.meet[i] & self.briefing.meet[:, j]
        else:
            diplomatic, contact = self.world.ties["diplomatic"], self.world.contact
            channel = (diplomatic[i] != 0) & (contact[i] != 0) & (diplomatic[:, j] != 0) & (contact[:, j] != 0)
        score = np.where(channel, np.minimum(self.relations[i], self.relations[:, j]), 0.0)
        score[i] = score[j] = 0.0
        best = int(np.argmax(score))  # the first among equals
        return best if score[best] > 0.0 else None

    def grieves(self, i: int, j: int) -> bool:
        return bool(self.grievance_until[i, j] >= self.month)

    def hold_grievance(self, i: int, j: int) -> None:
        self.grievance_until[i, j] = self.month + self.params.grievance_months

    def may_court(self, i: int, j: int) -> bool:
        """Not a state i holds a grievance against, nor one it courted within ``court_interval``."""
        return (
            not self.grieves(i, j)
            and not self.answered(i, j)
            and self.month - self.courted_at[i, j] >= self.params.court_interval
        )

    def may_court_all(self, i: int, targets: np.ndarray) -> np.ndarray:
        """:meth:`may_court` for an array of targets."""
        free = (self.grievance_until[i, targets] < self.month) & (self.acted_at[i, targets] != self.month)
        return free & (self.month - self.courted_at[i, targets] >= self.params.court_interval)

    def answered(self, i: int, j: int) -> bool:
        """i has already acted toward j this month (one answer per pair per month)."""
        return bool(self.acted_at[i, j] == self.month)

    def note_courted(self, i: int, j: int) -> None:
        self.courted_at[i, j] = self.month


def firing_date(event: Event, month: dt.date) -> dt.date:
    """The date a scripted shock fires in ``month``: its own date the first time; a repeat (``every:``)
    keeps the day of the month in the month it fires (its first date at every firing hid when it fired)."""
    if event.date is None:
        return month
    if event.every is None:
        return event.date
    day = min(event.date.day, calendar.monthrange(month.year, month.month)[1])
    return month.replace(day=day)
