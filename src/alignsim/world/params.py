"""Model parameters: every one named, documented and settable in a scenario's ``params:``.

Time is in steps of one month. See ``docs/model.md`` for the equations each parameter enters.
"""

from __future__ import annotations

import json
import math
from functools import cache
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

#: The least value of a threshold that an intensity is divided by (0, or a denormal, would overflow).
MIN_DIVISOR = 0.001


class Params(BaseModel):
    """Parameters of the relation dynamics, the interest baseline and the agents' decision rules."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", strict=True, allow_inf_nan=False
    )  # no bool-as-number, no "0.5", no .inf

    # --- relation dynamics (Morrison, Kutz & Gabbay 2023) ---
    beta: float = Field(
        0.1,
        gt=0,
        le=1,
        description=(
            "Restoring rate toward the interest baseline per month; a goodwill impulse halves every ln2/beta months "
            "(6.9 at 0.1; the monthly Euler step gives ln2/-ln(1-beta), 6.6). At most 1: a larger step overshoots X0 "
            "(beta = 2 would never relax)."
        ),
    )
    alpha: float = Field(0.003, ge=0, le=1, description="Strength of the structural-balance force.")
    saturation: float = Field(
        1.0,
        ge=MIN_DIVISOR,  # a divisor: alpha B / L overflowed at L = 5e-324 (found by the property test)
        le=100,
        description="L: the balance force saturates at +-L (L tanh(alpha B / L)).",
    )
    balance_kernel: Literal["traag", "marvel"] = Field(
        "traag",
        description="B(W) = W W^T (Traag et al. 2013: cool toward those who like my enemies) or W^2 (Marvel et al. 2011: take my friends' view).",
    )
    noise: float = Field(
        0.01, ge=0, le=1, description="Standard deviation of the Gaussian noise added to every relation per month."
    )
    # --- event impulses (Goldstein scale) ---
    kappa: float = Field(
        0.3,
        ge=0,
        le=2,
        description="An event of Goldstein score g moves the actor's relation to the target by kappa * g / 10.",
    )
    kappa_reciprocal: float = Field(
        0.15,
        ge=0,
        le=2,
        description="The target's own relation to the actor moves by kappa_reciprocal * g' / 10 (g' the target-side score).",
    )
    # --- interest baseline X0 ---
    interest_weight: float = Field(
        1.0, ge=0, le=2, description="Weight of the salience-weighted S-score of interests in X0."
    )
    tie_diplomatic: float = Field(0.1, ge=-1, le=1, description="Added to X0 of a pair with diplomatic relations.")
    tie_treaty: float = Field(
        0.15, ge=-1, le=1, description="Added to X0 of a pair bound by a cooperation treaty or agreement."
    )
    tie_alliance: float = Field(0.3, ge=-1, le=1, description="Added to X0 of allied pairs.")
    tie_sanction: float = Field(
        -0.15, ge=-1, le=1, description="Added to X0 of a pair where one sanctions the other (both directions)."
    )
    tie_rivalry: float = Field(
        -0.3,
        ge=-1,
        le=1,
        description="Added to X0 of a pair in an enduring rivalry (a 'rivalry' tie): the alliance term's mirror.",
    )
    memory_weight: float = Field(
        0.1,
        ge=0,
        le=1,
        description=(
            "A hostile act of severity h (|Goldstein| / 10 x intensity) adds memory_weight x h to the pair's memory "
            "of hostility M, which X0 subtracts."
        ),
    )
    memory_half_life: float = Field(
        24.0,
        gt=0,
        le=1200,
        description=(
            "Months for the memory of hostility to halve: 24, the half-life of the excess risk of a renewed "
            "militarized dispute after one (docs/model.md)."
        ),
    )
    # --- the start ---
    initial_relations: Literal["given", "equilibrium"] = Field(
        "given",
        description=(
            "Start from the world file's relations ('given') or from the model's own steady state under no shocks "
            "('equilibrium', a noise-free spin-up from them)."
        ),
    )
    # --- agents' decision rules ---
    agents: bool = Field(
        True,
        description="Let states decide by the rules of docs/model.md section 5; false leaves only scripted shocks.",
    )
    cool_on: bool = Field(
        False,
        description=(
            "Rule cool (a friend warm with my adversary is cooled toward). Off by default: its test on the "
            "history data fails (docs/model.md, evidence table)."
        ),
    )
    court_on: bool = Field(
        False,
        description=(
            "Rule court (after losing a partner or support, approach new friends). Off by default: its tests "
            "on the history data fail (docs/model.md, evidence table)."
        ),
    )
    friend_threshold: float = Field(
        0.3,
        ge=MIN_DIVISOR,
        le=1,
        description="A relation at or above this counts as friendship (above 0: reciprocity is scaled by it).",
    )
    enemy_threshold: float = Field(
        0.3, ge=0, le=1, description="A relation at or below minus this counts as hostility."
    )
    cool_threshold: float = Field(
        0.4,
        ge=MIN_DIVISOR,
        le=1,
        description="A friend's warming toward an adversary is punished when friendship x hostility x loyalty reaches this.",
    )
    support_drop: float = Field(
        0.05,
        ge=0,
        le=1,
        description="A state courts when its friendly capability share falls this far below its remembered level.",
    )
    support_memory: float = Field(
        6.0,
        ge=1,
        le=120,
        description="Months over which a state remembers its friendly capability share (exponential average).",
    )
    grievance_months: int = Field(
        12, ge=0, le=600, description="A state does not court a state it acted against for this many months."
    )
    court_affinity: float = Field(
        0.0,
        ge=-1,
        le=1,
        description=(
            "A courting state approaches non-friends whose interest baseline X0 toward them exceeds this, "
            "the highest first (partner substitution by affinity)."
        ),
    )
    wedge: bool = Field(
        False,
        description="A courting state also approaches the member of its adversaries' coalition that regards it least badly (wedge strategy, Crawford 2011).",
    )
    court_interval: int = Field(6, ge=1, le=600, description="Months before a state courts the same state again.")
    max_actions: int = Field(
        2, ge=0, le=20, description="Most initiatives (court or counter-court) a state takes per month."
    )
    aid_capacity_ratio: float = Field(
        10.0,
        ge=1,
        le=1e6,
        description="A state gives aid only to states whose economy (GDP) is at least this many times smaller.",
    )
    need_threshold: float = Field(
        0.5, ge=0, le=1, description="A target's humanitarian need from which courting takes the form of aid."
    )
    reciprocity: float = Field(
        1.0,
        ge=0,
        le=5,
        description="Scale of a courted state's answer: its intensity is reciprocity x X0 toward the courter / friend_threshold, within [0.2, 2].",
    )
    noise_z: float = Field(
        2.0,
        ge=0,
        le=10,
        description=(
            "Triggers stand this many noise standard deviations above the noise: court gaps, support drops and the "
            "impulses states react to (0: unscaled)."
        ),
    )
    # --- answers to hostility ---
    retaliation: float = Field(
        1.0,
        ge=0,
        le=5,
        description="Intensity of a victim's retaliation (0: none); its kind is the attack's severity limited by the capability ratio.",
    )
    solidarity_threshold: float = Field(
        0.3,
        ge=MIN_DIVISOR,
        le=5,
        description="A third state condemns an attacker when its commitment to the victim x the attack's severity reaches this.",
    )
    cross_pressure_abstention: float = Field(
        0.0,
        ge=0,
        le=1,
        description=(
            "Chance that a state committed to both the victim and the aggressor (warm relation or alliance) "
            "abstains from solidarity. 0 by default: the test on UN votes does not support it (docs/model.md)."
        ),
    )
    alliance_commitment: float = Field(
        0.5, ge=0, le=2, description="Added to a state's commitment to a victim it is allied with."
    )
    balance_threshold: float = Field(
        0.7,
        ge=0,
        le=1,
        description="A victim courts its attacker's adversaries after an attack of at least this severity (0.7: a threat of force).",
    )

    @property
    def noise_sd(self) -> float:
        """Stationary SD of a relation under the noise alone: sigma / sqrt(1 - (1 - beta)^2)
        (the monthly step is an AR(1) with coefficient 1 - beta), written sigma / sqrt(beta (2 - beta))
        so that it stays finite for the smallest beta."""
        return self.noise / math.sqrt(self.beta * (2.0 - self.beta))

    @property
    def memory_decay(self) -> float:
        """Monthly factor of the memory of hostility: 2^(-1 / memory_half_life)."""
        return 2.0 ** (-1.0 / self.memory_half_life)

    @property
    def half_life(self) -> float:
        """Months for a goodwill impulse to halve under the restoring term alone."""
        return math.log(2) / self.beta


def params_set_names() -> list[str]:
    """The calibrated parameter sets shipped in ``alignsim/data/calibration/`` (``alignsim calibrate`` writes them)."""
    folder = resources.files("alignsim") / "data" / "calibration"
    return sorted(p.name[: -len(".json")] for p in folder.iterdir() if p.name.endswith(".json"))


@cache
def params_set(name: str) -> dict[str, Any]:
    """A calibrated parameter set: ``params`` (Params fields), ``alpha_fraction`` (alpha as a share of the
    world's tipping point beta / (4 lambda1(X0))) and its provenance. KeyError naming the sets on an unknown name."""
    names = params_set_names()
    if name not in names:
        raise KeyError(f"unknown parameter set '{name}'; shipped sets: {', '.join(names) or 'none'}")
    text = (resources.files("alignsim") / "data" / "calibration" / f"{name}.json").read_text(encoding="utf-8")
    return json.loads(text)
