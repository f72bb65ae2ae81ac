"""Helpers of the lesson notebook (notebooks/03_only_interests_endure.ipynb): the article world with
chosen parameters, random starting friendships, and the measures the lesson reads off ensembles.
They live here, not in the notebook's first cell, so that a teacher sees the experiments and not
the plumbing, and so that the tests cover them."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from alignsim.config.scenario import Scenario
from alignsim.model.rules import RULES, rule_labels
from alignsim.results.run import RunResult

__all__ = [
    "ARTICLE_STATES",
    "ASSUMPTIONS",
    "assumptions",
    "gap_to_interests",
    "half_life",
    "random_start",
    "stored_hindcast",
    "world_scenario",
]

ARTICLE_STATES = ["PRK", "KOR", "JPN", "USA", "CHN", "RUS", "CUB", "MNG"]  # the states of the korea_2024 world

# What the model takes for granted, in plain words, with the place in the model where each sits.
ASSUMPTIONS: tuple[tuple[str, str, str], ...] = (
    (
        "Each state has interests that do not depend on its friendships",
        "interest vectors u_i and saliences w_i",
        "docs/model.md §1",
    ),
    (
        "What interests justify can be computed from how close two states' interests are",
        "X0 = salience-weighted S of interests + tie terms",
        "docs/model.md §1",
    ),
    (
        "Relations are pulled back toward what interests justify, at a steady rate",
        "-beta (W - X0), half-life ln 2 / beta",
        "docs/model.md §2",
    ),
    ("States dislike the friends of their enemies (structural balance)", "L tanh(alpha B(W) / L)", "docs/model.md §2"),
    ("Events move relations by their Goldstein score", "impulse kappa g / 10", "docs/model.md §3"),
    (
        f"States react to each other by {len(RULES)} simple rules, each logged with its cause (some off by default where the history data do not support them)",
        ", ".join(rule_labels().values()),
        "docs/model.md §5",
    ),
    ("Everything else is random noise", "Gaussian noise of SD `noise` each month", "docs/model.md §2"),
    (
        "Interests change only when a scenario says so; hostile acts leave a fading memory",
        "interest_shift and tie shocks move X0, and so does the memory of hostility M that hostile acts (the agents' too) leave",
        "docs/model.md §1",
    ),
)


def stored_hindcast() -> pd.DataFrame:
    """The full model hindcast's scores (docs/validation.md, H4), stored in data/history/hindcast_h4.csv:
    horizon, baseline, auc_difference and its 95% interval -- what the lesson reads instead of an
    underpowered hindcast run in the notebook."""
    with (resources.files("alignsim") / "data" / "history" / "hindcast_h4.csv").open(encoding="utf-8") as fh:
        return pd.read_csv(fh)


def assumptions() -> pd.DataFrame:
    """The model's assumptions as a table a class can read."""
    return pd.DataFrame(ASSUMPTIONS, columns=["the model assumes", "in the equations", "where documented"])


def random_start(seed: int, codes: Sequence[str] = ARTICLE_STATES) -> list[dict[str, Any]]:
    """Random initial relations for every pair of states, both directions, uniform in [-1, 1]."""
    rng = np.random.default_rng(seed)
    return [
        {"source": a, "target": b, "weight": float(rng.uniform(-1, 1)), "reverse": float(rng.uniform(-1, 1))}
        for n, a in enumerate(codes)
        for b in codes[n + 1 :]
    ]


def world_scenario(
    *,
    steps: int,
    params: dict[str, Any] | None = None,
    relations: list[dict[str, Any]] | None = None,
    shocks: list[dict[str, Any]] | None = None,
    name: str = "lesson",
    seed: int = 0,
) -> Scenario:
    """The article world (korea_2024) from January 2024 with the given parameters, initial relations and shocks."""
    world: str | dict[str, Any] = "korea_2024" if relations is None else {"base": "korea_2024", "relations": relations}
    return Scenario.model_validate(
        {
            "name": name,
            "world": world,
            "start": "2024-01-01",
            "steps": steps,
            "seed": seed,
            "params": params or {},
            "shocks": shocks or [],
        }
    )


def gap_to_interests(result: RunResult) -> pd.DataFrame:
    """Mean |W - X0| over all directed pairs per replicate and month (replicates as columns): how
    far relations are from what interests justify."""
    cube = result.relation_cube
    gap = np.abs(cube.values["weight"] - cube.values["baseline"]).mean(axis=2)  # replicates x steps
    return pd.DataFrame(gap.T, index=pd.Index(cube.steps, name="step"))


def half_life(excess: Sequence[float] | np.ndarray) -> float:
    """Months from the peak until ``excess`` has halved (log-linear interpolation); NaN if it never does."""
    e = np.asarray(excess, dtype=float)
    peak = int(np.argmax(e))
    k = next((k for k in range(peak + 1, len(e)) if e[k] <= e[peak] / 2), None)
    if k is None or e[peak] <= 0:
        return float("nan")
    return float((k - 1 - peak) + np.log(e[k - 1] / (e[peak] / 2)) / np.log(e[k - 1] / e[k]))
