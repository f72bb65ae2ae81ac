"""The Mesa model: scripted shocks land, states decide, relations move in one numpy step.

One step is one month. Within a step: (1) the scenario's shocks due this month are applied;
(2) every state, in an order drawn from the model's seeded generator, reads the news and may act;
(3) the relation matrix takes one step of the dynamics with the month's summed impulses;
(4) the recorder collects the month's relations and measures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import mesa
import numpy as np

from alignsim.agents import StateAgent
from alignsim.dynamics import step_relations
from alignsim.events import Event
from alignsim.params import Params
from alignsim.recorder import Recorder
from alignsim.scenario import Scenario
from alignsim.world import WorldState, interest_baseline


@dataclass(frozen=True)
class LoggedEvent:
    """One applied event with its origin and the reason it happened."""

    step: int
    date: dt.date
    event: Event
    source: int
    target: int  # equals source for single-state events
    origin: str  # "scenario" or "agent"
    rule: str  # "scripted", "court", "counter_court", "cool" or "reciprocate"
    cause: str
    impulse: float  # change of W[source, target] from this event


class AlignmentModel(mesa.Model):
    """Diplomatic alignment of the scenario's states; ``relations[i, j]`` is how i regards j."""

    def __init__(self, scenario: Scenario, *, seed: int | None = None) -> None:
        run_seed = scenario.seed if seed is None else seed
        super().__init__(rng=np.random.default_rng(run_seed))
        self.config = scenario  # Mesa reserves `scenario` for its own class
        self.params: Params = scenario.params
        self.world = WorldState.from_spec(scenario.world_spec)
        self.relations = self.world.relations.copy()
        self.initial_relations = self.relations.copy()
        self.baseline = interest_baseline(self.world, self.params)
        self.month = 0  # steps taken; Mesa's own counter is avoided (it changes in Mesa 4)
        self.log: list[LoggedEvent] = []
        n = self.world.n
        self.impulses = np.zeros((n, n))
        self.grievance_until = np.full((n, n), -1)
        self.courted_at = np.full((n, n), -10**6)
        self._plan = scenario.schedule()
        self.state_agents = [StateAgent(self, i) for i in range(n)]
        self.recorder = Recorder(self)
        self.recorder.collect()

    # ------------------------------------------------------------------ stepping
    def step(self) -> None:
        for shock in self._plan.get(self.month, []):
            self.act(shock, origin="scenario", rule="scripted", cause=shock.note or "scripted shock")
        if self.params.agents:
            for k in self.rng.permutation(self.world.n):
                self.state_agents[int(k)].decide()
        p = self.params
        self.relations = step_relations(
            self.relations, self.baseline, self.impulses,
            beta=p.beta, alpha=p.alpha, saturation=p.saturation, noise=p.noise, kernel=p.balance_kernel, rng=self.rng,
        )
        self.impulses[:] = 0.0
        self.month += 1
        self.recorder.collect()

    def run(self) -> AlignmentModel:
        for _ in range(self.config.steps):
            self.step()
        return self

    # ------------------------------------------------------------------ the one way events enter
    def act(self, event: Event, *, origin: str = "agent", rule: str, cause: str) -> LoggedEvent:
        """Apply an event: persistent effects now, impulses at the end of the month; log it."""
        w = self.world
        if event.apply(w):
            self.baseline = interest_baseline(w, self.params)
        impulse = 0.0
        for i, j, delta in event.impulses(w, self.params):
            self.impulses[i, j] += delta
            if impulse == 0.0:
                impulse = delta
        source = w.index(event.source or "")
        target = w.index(event.target) if event.target else source
        date = event.date if origin == "scenario" and event.date is not None else self.date
        entry = LoggedEvent(self.month, date, event, source, target, origin, rule, cause, impulse)
        self.log.append(entry)
        if event.goldstein() < 0 and target != source:
            self.hold_grievance(source, target)
        return entry

    # ------------------------------------------------------------------ what agents read
    @property
    def date(self) -> dt.date:
        return self.config.date_of(self.month)

    def news(self) -> list[LoggedEvent]:
        """What states react to this month: last month's events (a month to deliberate)."""
        return [e for e in self.log if e.step == self.month - 1]

    def code(self, i: int) -> str:
        return self.world.codes[i]

    def friendly_support(self, i: int) -> float:
        """Share of the others' capability that i regards warmly: sum_j c_j max(W_ij, 0) / sum_j c_j."""
        c = self.world.capability.copy()
        c[i] = 0.0
        return float(c @ np.maximum(self.relations[i], 0.0) / c.sum())

    def can_meet(self, i: int, j: int) -> bool:
        """Direct contact: diplomatic relations and no closed border between them."""
        return bool(self.world.ties["diplomatic"][i, j] and self.world.contact[i, j])

    def broker(self, i: int, j: int) -> int | None:
        """A third state in direct contact with both and warm to both, the warmest such channel."""
        best, best_score = None, 0.0
        for m in range(self.world.n):
            if m in (i, j) or not (self.can_meet(i, m) and self.can_meet(m, j)):
                continue
            score = min(self.relations[i, m], self.relations[m, j])
            if score > best_score:
                best, best_score = m, score
        return best

    def grieves(self, i: int, j: int) -> bool:
        return bool(self.grievance_until[i, j] >= self.month)

    def hold_grievance(self, i: int, j: int) -> None:
        self.grievance_until[i, j] = self.month + self.params.grievance_months

    def may_court(self, i: int, j: int) -> bool:
        """Not a state i holds a grievance against, nor one it courted within ``court_interval``."""
        return not self.grieves(i, j) and self.month - self.courted_at[i, j] >= self.params.court_interval

    def note_courted(self, i: int, j: int) -> None:
        self.courted_at[i, j] = self.month
