"""Replicates of one scenario advanced together: R Mesa models, one numpy update for all.

An ensemble runs the same scenario R times with other seeds. Each replicate stays an
:class:`~alignsim.model.model.AlignmentModel` -- its states are Mesa agents that decide on their own
relations, its streams are its own -- and the batch is only the engine underneath: every month each
model's ``step()`` lands its shocks and lets its states decide, then hands its update to the batch
(``model.batch``), which moves the relations of all R replicates as one R x N x N array in one call of
:func:`alignsim.model.dynamics.step_relations` (one BLAS product per matrix, the rest elementwise over
the stack) and gives each model its slice back (``model.relations`` is a view into the new stack).

Each replicate draws its noise from its own stream, into its slice of the stack, as many numbers
and in the same order as alone; the products and the elementwise operations give each matrix of a
stack what they give it alone. So a replicate's relations, events and measures are, bit for bit,
those of its unbatched run whatever the batch size (tests/test_batch.py), and so are the files an
ensemble writes, with any number of workers, locally or on Dask.

What a batch saves is the fixed cost of numpy calls, which at N ~ 10 is nearly the whole update:
R small updates cost R times the call overhead, one stacked update about one. The states' decisions
stay per replicate (they are what differs between replicates).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from alignsim import blas
from alignsim.config.scenario import Scenario
from alignsim.model.dynamics import month_step
from alignsim.model.model import AlignmentModel

SeedLike = int | np.random.SeedSequence | np.random.Generator


class ReplicateBatch:
    """R replicates of ``scenario`` (one per seed), stepped together; ``models[r]`` is replicate r's
    Mesa model, to inspect as any other (its recorder, log, agents)."""

    def __init__(self, scenario: Scenario, seeds: Sequence[SeedLike]) -> None:
        if not seeds:
            raise ValueError("a batch needs at least one seed")
        self.scenario = scenario
        self.models = [AlignmentModel(scenario, seed=seed) for seed in seeds]
        n = self.models[0].world.n
        shape = (len(self.models), n, n)
        # Each month's inputs gathered from the models (whatever they hold now) into these stacks.
        self._relations, self._baselines = np.empty(shape), np.empty(shape)
        self._impulses, self._noise = np.empty(shape), np.empty(shape)
        self._waiting: list[AlignmentModel] = []
        for model in self.models:
            model.batch = self

    def __len__(self) -> int:
        return len(self.models)

    def step(self) -> None:
        """One month of every replicate: each model decides (``model.step()``), then all relations move at once."""
        for model in self.models:
            model.step()  # decides, then waits for the update (wait below)
        self._update()

    def run(self) -> ReplicateBatch:
        """All the scenario's steps (BLAS held to one thread, as :meth:`AlignmentModel.run` does)."""
        with blas.limited():
            for _ in range(self.scenario.steps):
                self.step()
        return self

    def wait(self, model: AlignmentModel) -> None:
        """Called by a model's ``step()`` once its states have decided: its update joins the batch's."""
        self._waiting.append(model)

    def _update(self) -> None:
        if [id(m) for m in self._waiting] != [id(m) for m in self.models]:
            raise RuntimeError("every model of a batch must step once, in the batch's order, before the update")
        self._waiting.clear()
        for r, model in enumerate(self.models):
            self._relations[r] = model.relations
            self._baselines[r] = model.baseline
            self._impulses[r] = model.impulses
            model.streams.noise.standard_normal(out=self._noise[r])  # what model.draw_noise() draws, in place
        moved = month_step(self.scenario.params, self._relations, self._baselines, self._impulses, self._noise)
        for r, model in enumerate(self.models):
            model.end_month(moved[r])
