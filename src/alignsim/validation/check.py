"""Checks of the model against published results: ``alignsim check`` (docs/validation.md).

Every check is a :class:`Case`: a published value (a number, a count or a named outcome), a function
computing ours with alignsim, and a tolerance. :func:`run_check` evaluates the cases, draws one
figure per group of cases and writes ``report.md`` and ``report.html`` into a folder, whole or not
at all. A case passes when |ours - published| <= tolerance (numbers) or ours equals the published
outcome exactly (text); a case whose computation raises fails with the error in the report.

Groups (sources in :data:`GROUPS`):

- Signorino & Ritter (1999), Table 6: five similarity scores of Germany and Russia in 1914.
- Antal, Krapivsky & Redner (2006): imbalanced triads of six great-power snapshots, 1907 factions.
- Marvel et al. (2011) dynamics from the 1904 snapshot: the Anglo-Russian entente, the fate of the
  pairs without a relation, and the same with the simulator's own engine.
- Marvel et al. (2011) closed form X(t) = X0 (I - t X0)^-1 against numerical integration.
- Morrison, Kutz & Gabbay (2023): peace below and war above alpha_c = beta / (4 lambda_1) on the
  shipped world's interest baseline; the bistability and hysteresis numbers of their example.
- Axelrod & Bennett (1993): hand-checkable landscapes. The 1936 data (17 European states) are not
  shipped, so their 15-of-17 result is not checked.
- Interests from UN votes against alliances and rivalries, 2010-2018 (:mod:`.interests_vs_ties`):
  an AUC judged by a threshold declared before measuring, and the S sanity of vote records.
"""

from __future__ import annotations

import csv
import html
import io
import itertools
import math
import platform
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon

from alignsim.measures.analytics import (
    alpha_critical,
    eigen_equilibria,
    integrate,
    marvel_blowup_time,
    marvel_closed_form,
    peace_branch_upper_alpha,
    war_branch_lower_alpha,
)
from alignsim.measures.balance import factions, pair_signs, triad_census
from alignsim.measures.landscape import energy, frustration, global_minimum, local_minima
from alignsim.measures.similarity import cohens_kappa, kendall_tau_b, s_score, scotts_pi
from alignsim.model.dynamics import step_relations
from alignsim.results.folders import report_folder, write_folder
from alignsim.validation import interests_vs_ties as ivt
from alignsim.validation.data import ANTAL_ACTORS, load_antal_panels
from alignsim.world.params import Params
from alignsim.world.spec import WorldSpec, WorldState, interest_baseline, shipped_world_path

__all__ = [
    "GROUPS",
    "Case",
    "Group",
    "Outcome",
    "Report",
    "build_report",
    "cases",
    "cases_by_group",
    "evaluate",
    "format_value",
    "matches",
    "render_html",
    "render_markdown",
    "run_check",
    "write_report",
]

Value = float | int | str
FLOAT_SLACK = 1e-12  # absolute slack on a tolerance: rounding must not fail a case sitting on its edge
SAVE_OPTIONS: dict[str, Any] = {"dpi": 100, "metadata": {"Software": None}}  # no version stamp: same bytes per run


# --------------------------------------------------------------------------------------- the frame
@dataclass(frozen=True)
class Case:
    """One published value and how alignsim computes it.

    ``tolerance`` is absolute; ``None`` means the outcome must match exactly (counts, named
    outcomes). ``published_text`` shows the published value as printed in the source (0.40, not 0.4).
    ``rule`` replaces the comparison for a value judged by a declared threshold (an AUC with its
    interval): it gets ours and says pass or fail; ``rule_text`` states it in the tolerance column.
    """

    key: str
    group: str
    title: str
    published: Value
    ours: Callable[[], Value]
    tolerance: float | None = None
    published_text: str = ""
    note: str = ""
    rule: Callable[[Any], bool] | None = None
    rule_text: str = ""

    def shown(self) -> str:
        return self.published_text or format_value(self.published)


@dataclass(frozen=True)
class Outcome:
    case: Case
    ours: Value | None
    passed: bool
    error: str = ""


@dataclass(frozen=True)
class Group:
    """Cases sharing a source and a figure."""

    key: str
    title: str
    citation: str
    shows: str
    figure: str  # PNG file name in the report folder
    plot: Callable[[], Figure]
    limits: str = ""


def format_value(value: Value | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if not isinstance(value, (float, np.floating)):
        return str(value)  # a richer result (an estimate with its interval) says how it is shown
    return f"{float(value):.6g}"


def matches(published: Value, ours: Value, tolerance: float | None) -> bool:
    """Exact match for text and for ``tolerance=None``; else |ours - published| <= tolerance."""
    if isinstance(published, str) or isinstance(ours, str) or tolerance is None:
        return bool(published == ours)
    value = float(ours)
    return math.isfinite(value) and abs(value - float(published)) <= tolerance + FLOAT_SLACK


def evaluate(case: Case) -> Outcome:
    """Compute ours and compare. A computation that raises is a failed case, reported with its
    error, so one broken case cannot hide the others."""
    try:
        ours = case.ours()
    except Exception as exc:  # noqa: BLE001 - any error is a failure of this case, shown in the report
        return Outcome(case, None, False, f"{type(exc).__name__}: {exc}")
    if isinstance(ours, np.generic):
        ours = ours.item()
    passed = bool(case.rule(ours)) if case.rule is not None else matches(case.published, ours, case.tolerance)
    return Outcome(case, ours, passed)


# ------------------------------------------------------------------------------------ shared data
def _sign_word(x: float) -> str:
    return "friendly" if x > 0 else "hostile" if x < 0 else "no relation"


def _split(actors: Sequence[str], sides: Sequence[int]) -> str:
    """'{GB, F, R} vs {G, AH, I}': members in actor order, the first actor's side first."""
    first = sides[0]
    groups = [[a for a, s in zip(actors, sides, strict=True) if (s == first) == keep] for keep in (True, False)]
    return " vs ".join("{" + ", ".join(g) + "}" for g in groups if g)


@lru_cache(maxsize=1)
def _gmyrus14() -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    text = (files("alignsim") / "data/validation/signorino_ritter_1999_gmyrus14.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    states = [r["state"] for r in rows]
    gmy = np.array([int(r["gmy"]) for r in rows], dtype=float)
    rus = np.array([int(r["rus"]) for r in rows], dtype=float)
    cap = np.array([float(r["syscap"]) for r in rows])
    return states, gmy, rus, cap


def _antal(prefix: str) -> np.ndarray:
    return next(W for label, (_, W) in load_antal_panels().items() if label.startswith(prefix))


def _ix(name: str) -> int:
    return ANTAL_ACTORS.index(name)


@lru_cache(maxsize=1)
def _marvel_from_1904() -> tuple[float, np.ndarray]:
    """dX/dt = X^2 from the 1904 snapshot with the reference integrator (RK4, no clipping), until an
    entry passes 1e3, just before the blow-up at t* = 1/lambda_1. Returns (dt, path)."""
    dt = 1e-4
    W04 = _antal("1904")
    return dt, integrate(W04, W04, alpha=1.0, beta=0.0, dt=dt, steps=10**5, max_abs=1e3, return_path=True)


ENGINE_MONTHS = 240


@lru_cache(maxsize=1)
def _engine_from_1904() -> np.ndarray:
    """The simulator's own step (dynamics.step_relations: Euler, one month, saturated balance force,
    clipped to [-1, 1]) from the 1904 snapshot with the default alpha, L and kernel, no anchoring
    (beta = 0), no noise and no impulses. Returns the path, months 0..ENGINE_MONTHS."""
    p = Params()
    W = _antal("1904").copy()
    rng = np.random.default_rng(0)  # drawn from but multiplied by noise = 0
    zero = np.zeros_like(W)
    path = [W]
    for _ in range(ENGINE_MONTHS):
        W = step_relations(
            W, W, zero, beta=0.0, alpha=p.alpha, saturation=p.saturation, noise=0.0, kernel=p.balance_kernel, rng=rng
        )
        path.append(W)
    return np.stack(path)


def _engine_first_1907_month() -> int:
    target = pair_signs(_antal("1907"))
    path = _engine_from_1904()
    return next((t for t in range(len(path)) if np.array_equal(pair_signs(path[t]), target)), -1)


def _differing_pairs(W: np.ndarray, reference: np.ndarray) -> int:
    return int(np.count_nonzero(np.triu(pair_signs(W) != pair_signs(reference), 1)))


def _random_symmetric(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(n, n))
    x = (a + a.T) / 2
    np.fill_diagonal(x, 0.0)
    return x


# A 7 x 7 random symmetric X0 whose leading eigenvalue is well separated (2.13 vs 1.22) and whose
# leading eigenvector has no near-zero component (min 0.056): its sign pattern is unambiguous.
MARVEL_SEED = 2


@lru_cache(maxsize=1)
def _marvel_random() -> tuple[np.ndarray, float]:
    X0 = _random_symmetric(7, MARVEL_SEED)
    return X0, marvel_blowup_time(X0)


def _marvel_relative_error() -> float:
    X0, t_star = _marvel_random()
    t, steps = 0.5 * t_star, 2000
    X_num = integrate(X0, X0, alpha=1.0, beta=0.0, dt=t / steps, steps=steps)
    X_cf = marvel_closed_form(X0, t)
    return float(np.linalg.norm(X_num - X_cf) / np.linalg.norm(X_cf))


def _marvel_blowup_numeric() -> float:
    """First time the RK4 path exceeds 1e6 in some entry."""
    X0, t_star = _marvel_random()
    dt = t_star / 5000
    path_len = integrate(X0, X0, alpha=1.0, beta=0.0, dt=dt, steps=10000, max_abs=1e6, return_path=True).shape[0]
    return dt * (path_len - 1)


def _marvel_faction_disagreements() -> int:
    """Pairs whose sign near blow-up differs from the sign pattern of v1 v1^T."""
    X0, t_star = _marvel_random()
    f = factions(X0)
    expected = np.where(f[:, None] == f[None, :], 1, -1)
    np.fill_diagonal(expected, 0)
    steps = 5000
    X = integrate(X0, X0, 1.0, 0.0, dt=0.999 * t_star / steps, steps=steps)
    return int(np.count_nonzero(np.triu(pair_signs(X) != expected, 1)))


@lru_cache(maxsize=1)
def _world_baseline() -> tuple[list[str], np.ndarray, float]:
    """The interest baseline X0 of the shipped article world (korea_2024) and the default beta."""
    spec = WorldSpec.model_validate(yaml.safe_load(shipped_world_path("korea_2024").read_text(encoding="utf-8")))
    params = Params()
    return spec.codes, interest_baseline(WorldState.from_spec(spec), params), params.beta


TIPPING_FACTORS = (0.9, 1.1)


@lru_cache(maxsize=4)
def _tipping_run(factor: float) -> np.ndarray:
    """Unsaturated dynamics from X = X0 on the world's baseline at alpha = factor * alpha_c."""
    _, X0, beta = _world_baseline()
    alpha = factor * alpha_critical(X0, beta)
    return integrate(X0, X0, alpha, beta, L=None, dt=0.1, steps=6000, max_abs=1e3, return_path=True)


def _tipping_outcome(factor: float) -> str:
    _, X0, _ = _world_baseline()
    X = _tipping_run(factor)[-1]
    bounded = bool(np.all(np.isfinite(X)) and np.max(np.abs(X)) < 10 * np.max(np.abs(X0)))
    return "peace (bounded)" if bounded else "war (diverges)"


def _peace_equilibrium_error() -> float:
    """Largest gap between the eigenvalues reached below alpha_c and the stable roots of each mode."""
    _, X0, beta = _world_baseline()
    alpha = 0.9 * alpha_critical(X0, beta)
    expected = sorted(
        next(x for x, s in eigen_equilibria(lam, alpha, beta) if s == "stable") for lam in np.linalg.eigvalsh(X0)
    )
    return float(np.max(np.abs(np.linalg.eigvalsh(_tipping_run(0.9)[-1]) - expected)))


HYST = {"alpha": 0.08, "beta": 0.5, "L": 6.0}


def _root(lam0: float, which: int) -> float:
    return eigen_equilibria(lam0, HYST["alpha"], HYST["beta"], HYST["L"])[which][0]


SWEEP_ALPHAS = tuple(round(0.080 - 0.001 * k, 3) for k in range(36))  # 0.080 down to 0.045


@lru_cache(maxsize=1)
def _hysteresis_sweep() -> tuple[tuple[float, float], ...]:
    """Leading mode x for lambda_0 = 1.6: start at x = lambda_0 with alpha = 0.080 (it goes to
    war), then lower alpha in steps of 0.001, relaxing for t = 100 (200 RK4 steps of 0.5) at each
    alpha from where the previous one ended (t = 100 is 50 relaxation times 1/beta)."""
    lam0, beta, L = 1.6, HYST["beta"], HYST["L"]
    X0 = np.array([[lam0]])
    x, out = lam0, []
    for a in SWEEP_ALPHAS:
        x = float(integrate(X0, np.array([[x]]), a, beta, L=L, dt=0.5, steps=200)[0, 0])
        out.append((a, x))
    return tuple(out)


def _sweep_lowest_war_alpha() -> float:
    lam0, beta, L = 1.6, HYST["beta"], HYST["L"]
    # War: above the midpoint of lambda_0 and the ceiling lambda_0 + L / beta of every root.
    war = [a for a, x in _hysteresis_sweep() if x > lam0 + L / (2 * beta)]
    return min(war) if war else math.nan


# Axelrod-Bennett hand cases
HAND3 = (("A", "B", "C"), np.array([1.0, 2.0, 3.0]), np.array([[0, 1, -1], [1, 0, -2], [-1, -2, 0]], dtype=float))


def _hand3_minima() -> str:
    names, s, p = HAND3
    minima = local_minima(s, p)
    return "; ".join(f"{_split(names, m.sides)} E={m.energy:g}" for m in minima)


SWITCH_PROBLEMS, SWITCH_N = 100, 6


def _switch_rule_violations() -> int:
    """Over every single switch of every configuration of SWITCH_PROBLEMS random SWITCH_N-actor
    landscapes: switches where E does not change by 2 s_i dF_i (so lowering F_i lowers E)."""
    n = SWITCH_N
    configs = np.array(list(itertools.product((0, 1), repeat=n)))[:, ::-1]  # row c holds the bits of c
    bad = 0
    for seed in range(SWITCH_PROBLEMS):
        rng = np.random.default_rng(seed)
        s = rng.uniform(0.5, 5, n)
        p = rng.normal(size=(n, n))
        p = (p + p.T) / 2
        f = np.array([frustration(s, p, c) for c in configs])
        e = np.array([energy(s, p, c) for c in configs])
        for i in range(n):
            flipped = np.arange(len(configs)) ^ (1 << i)  # configuration c with actor i switched
            d_e = e[flipped] - e
            d_f = f[flipped, i] - f[:, i]
            bad += int(np.count_nonzero(np.abs(d_e - 2 * s[i] * d_f) > 1e-9 * np.maximum(1.0, np.abs(e))))
    return bad


def _landscape_of_snapshot(prefix: str) -> tuple[int, ...]:
    """Global minimum of the snapshot's landscape with equal sizes (no capability data shipped)."""
    W = _antal(prefix)
    return global_minimum(np.ones(len(ANTAL_ACTORS)), W)


# ------------------------------------------------------------------------------------ the cases
SR = "Signorino & Ritter (1999), Table 6"


def cases() -> list[Case]:
    """Every validation case, in report order."""
    states, gmy, rus, cap = _gmyrus14()
    out = [
        Case(
            "sr-tau-b",
            "similarity",
            "Kendall tau-b, Germany vs Russia 1914",
            0.0303,
            lambda: kendall_tau_b(gmy, rus),
            5e-5,
            "0.0303",
            SR,
        ),
        Case(
            "sr-s-unweighted",
            "similarity",
            "S, unweighted (d_max = 3)",
            0.40,
            lambda: s_score(gmy, rus, d_max=3),
            5e-3,
            "0.40",
            SR,
        ),
        Case(
            "sr-s-weighted",
            "similarity",
            "S, weighted by capability share",
            -0.46,
            lambda: s_score(gmy, rus, weights=cap, d_max=3),
            5e-3,
            "-0.46",
            SR,
        ),
        Case(
            "sr-kappa",
            "similarity",
            "Cohen's kappa, quadratic weights over 0..3",
            -0.0776,
            lambda: cohens_kappa(gmy, rus, levels=[0, 1, 2, 3], weights="quadratic"),
            5e-5,
            "-0.0776",
            SR,
        ),
        Case(
            "sr-pi",
            "similarity",
            "Scott's pi (nominal)",
            -0.0448,
            lambda: scotts_pi(gmy, rus, levels=[0, 1, 2, 3]),
            5e-5,
            "-0.0448",
            SR,
        ),
    ]
    for label in load_antal_panels():
        expected = 0 if label.startswith("1907") else 2
        out.append(
            Case(
                f"antal-triads-{label[:4]}",
                "antal",
                f"imbalanced complete triads, {label}",
                expected,
                lambda label=label: triad_census(load_antal_panels()[label][1]).imbalanced,
                None,
                note="Antal et al. (2006): two imbalanced triads in every snapshot before 1907, none in 1907",
            )
        )
    out.append(
        Case(
            "antal-1907-factions",
            "antal",
            "1907 factions (sign pattern of the leading eigenvector)",
            "{GB, F, R} vs {G, AH, I}",
            lambda: _split(ANTAL_ACTORS, factions(_antal("1907")).tolist()),
            note="Triple Entente against Triple Alliance",
        )
    )

    ix = _ix
    out += [
        Case(
            "m1904-gb-r",
            "marvel-1904",
            "GB-R under dX/dt = X^2 from 1904, just before blow-up",
            "friendly",
            lambda: _sign_word(_marvel_from_1904()[1][-1][ix("GB"), ix("R")]),
            note="hostile in 1904; the Anglo-Russian entente of 1907 made it friendly",
        ),
        Case(
            "m1904-pattern",
            "marvel-1904",
            "pairs whose sign differs from the 1907 snapshot",
            0,
            lambda: _differing_pairs(_marvel_from_1904()[1][-1], _antal("1907")),
        ),
    ]
    for a, b in (("GB", "G"), ("GB", "I"), ("F", "I"), ("R", "I")):
        out.append(
            Case(
                f"m1904-{a}-{b}",
                "marvel-1904",
                f"{a}-{b}: no relation in 1904; model's prediction (1907: hostile)",
                "hostile",
                lambda a=a, b=b: _predicted_sign(a, b),
                note="'hostile' only if the pair is hostile at every step of the path, not just at the end",
            )
        )
    out += [
        Case(
            "engine-1904",
            "marvel-1904",
            f"simulator engine (Euler, monthly, clipped, defaults, beta = 0): pairs differing from 1907 after {ENGINE_MONTHS} months",
            0,
            lambda: _differing_pairs(_engine_from_1904()[-1], _antal("1907")),
            note="first month with the 1907 pattern: see the figure",
        ),
    ]

    X0, t_star = _marvel_random()
    out += [
        Case(
            "marvel-closed-form",
            "marvel",
            "relative difference RK4 vs X0 (I - t X0)^-1 at t = t*/2 (7 x 7 random X0)",
            0.0,
            _marvel_relative_error,
            1e-6,
            "0 (closed form)",
        ),
        Case(
            "marvel-blowup",
            "marvel",
            "blow-up time: first t with an entry > 1e6 vs t* = 1/lambda_1",
            round(t_star, 6),
            _marvel_blowup_numeric,
            1e-3 * t_star,
            f"{t_star:.6g} (1/lambda_1)",
        ),
        Case(
            "marvel-factions",
            "marvel",
            "pairs whose sign at 0.999 t* differs from sign(v1 v1^T)",
            0,
            _marvel_faction_disagreements,
            None,
            "0 (v1 sign pattern)",
        ),
    ]

    codes, Xw, beta = _world_baseline()
    a_c = alpha_critical(Xw, beta)
    out += [
        Case(
            "tip-below",
            "tipping",
            f"alpha = 0.9 alpha_c (alpha_c = {a_c:.5f}, shipped world X0, beta = {beta:g}), unsaturated",
            "peace (bounded)",
            lambda: _tipping_outcome(0.9),
        ),
        Case(
            "tip-above", "tipping", "alpha = 1.1 alpha_c, unsaturated", "war (diverges)", lambda: _tipping_outcome(1.1)
        ),
        Case(
            "tip-equilibrium",
            "tipping",
            "below alpha_c: max gap of eigenvalues to the stable mode roots",
            0.0,
            _peace_equilibrium_error,
            1e-6,
            "0 (leading-mode roots)",
        ),
        Case(
            "hyst-peace", "hysteresis", "lambda_0 = 1.0: peace equilibrium", 1.25, lambda: _root(1.0, 0), 5e-3, "1.25"
        ),
        Case(
            "hyst-unstable",
            "hysteresis",
            "lambda_0 = 1.0: unstable equilibrium",
            5.31,
            lambda: _root(1.0, 1),
            5e-3,
            "5.31",
        ),
        Case("hyst-war", "hysteresis", "lambda_0 = 1.0: war equilibrium", 12.67, lambda: _root(1.0, 2), 5e-3, "12.67"),
        Case(
            "hyst-war-only",
            "hysteresis",
            "lambda_0 = 1.6: equilibria (war only)",
            1,
            lambda: len(eigen_equilibria(1.6, HYST["alpha"], HYST["beta"], HYST["L"])),
        ),
        Case(
            "hyst-war-16", "hysteresis", "lambda_0 = 1.6: war equilibrium", 13.40, lambda: _root(1.6, 0), 5e-3, "13.40"
        ),
        Case(
            "hyst-fold",
            "hysteresis",
            "lambda_0 = 1.6: war persists down to alpha (lower fold)",
            0.052,
            lambda: war_branch_lower_alpha(1.6, HYST["beta"], HYST["L"]),
            5e-4,
            "≈ 0.052",
        ),
        Case(
            "hyst-sweep",
            "hysteresis",
            "lambda_0 = 1.6: lowest alpha still at war when lowering alpha by 0.001 steps (integration)",
            0.052,
            _sweep_lowest_war_alpha,
            1e-3,
            "≈ 0.052",
            "tolerance = the sweep's step",
        ),
    ]

    names, s, p = HAND3
    out += [
        Case(
            "ab-hand3",
            "landscape",
            "3 actors, sizes 1, 2, 3; p_AB = 1, p_AC = -1, p_BC = -2: local minima",
            "{A, B} vs {C} E=-30",
            _hand3_minima,
            None,
            note="hand calculation: E = 2 (1*3*(-1) + 2*3*(-2)) = -30; every descent ends there",
        ),
        Case(
            "ab-triangle",
            "landscape",
            "3 equal mutually hostile actors: minima and basins",
            "3 minima, E=-4 each, basins 1/4, 1/4, 1/2",
            lambda: _triangle_summary(),
            None,
            note="hand calculation, ties broken to the lowest index",
        ),
        Case(
            "ab-switch-rule",
            "landscape",
            f"switches where dE != 2 s_i dF_i ({SWITCH_PROBLEMS} random {SWITCH_N}-actor landscapes, every switch)",
            0,
            _switch_rule_violations,
            None,
            note="the theorem behind single-switch descent",
        ),
        Case(
            "ab-1907",
            "landscape",
            "global minimum of the 1907 snapshot (equal sizes)",
            "{GB, F, R} vs {G, AH, I}",
            lambda: _split(ANTAL_ACTORS, _landscape_of_snapshot("1907")),
        ),
        Case(
            "ab-1907-energy",
            "landscape",
            "its energy: 9 hostile pairs across, each counted twice",
            -18.0,
            lambda: energy(np.ones(6), _antal("1907"), _landscape_of_snapshot("1907")),
            1e-9,
            "-18 (hand)",
        ),
        Case(
            "ab-1904",
            "landscape",
            "global minimum of the 1904 snapshot (equal sizes) vs the 1907 alignment",
            "{GB, F, R} vs {G, AH, I}",
            lambda: _split(ANTAL_ACTORS, _landscape_of_snapshot("1904")),
            note="GB and R, hostile in 1904, are placed together, as in 1907",
        ),
    ]
    rule = f">= {ivt.THRESHOLD:.2f} and 95% lower bound > {ivt.LOWER_BOUND_ABOVE}"
    out += [
        Case(
            "votes-auc",
            "interests-ties",
            f"AUC of a*S (UN votes, window Y-4..Y) for ATOP defence pacts vs TSS rivals, dyad-years {ivt.YEARS[0]}-{ivt.YEARS[-1]}",
            ivt.THRESHOLD,
            ivt.measure,
            published_text=f"AUC {rule} (declared)",
            note=f"95% percentile interval, {ivt.BOOTSTRAP} bootstrap resamples of dyads (seed {ivt.SEED}); formal ties left out of X0",
            rule=ivt.passes,
            rule_text=rule,
        ),
        Case(
            "votes-s-identical",
            "interests-ties",
            f"S of identical vote records (every state, {ivt.SANITY_YEAR}; lowest)",
            1.0,
            ivt.identical_records_s,
            1e-12,
            "1",
            "yes +1, no -1, d_max = 2",
        ),
        Case(
            "votes-s-opposite",
            "interests-ties",
            f"S of opposite records, yes <-> no on every vote (every state, {ivt.SANITY_YEAR}; highest)",
            -1.0,
            ivt.opposite_records_s,
            1e-12,
            "-1",
            "abstentions left out: they have no opposite",
        ),
    ]
    return out


def _predicted_sign(a: str, b: str) -> str:
    _, path = _marvel_from_1904()
    series = path[1:, _ix(a), _ix(b)]
    signs = set(np.sign(series).tolist())
    if signs == {-1.0}:
        return "hostile"
    if signs == {1.0}:
        return "friendly"
    return "changes sign"


def _triangle_summary() -> str:
    minima = local_minima([1, 1, 1], [[0, -1, -1], [-1, 0, -1], [-1, -1, 0]])
    energies = {m.energy for m in minima}
    basins = ", ".join(str(_fraction(m.basin)) for m in minima)
    e = f"E={energies.pop():g} each" if len(energies) == 1 else "unequal energies"
    return f"{len(minima)} minima, {e}, basins {basins}"


def _fraction(x: float) -> str:
    for d in (1, 2, 4, 8):
        if abs(x * d - round(x * d)) < 1e-12:
            return f"{round(x * d)}/{d}" if d > 1 else str(round(x))
    return f"{x:.4g}"


# ----------------------------------------------------------------------------------------- figures
def _fig(size: tuple[float, float]) -> Figure:
    return Figure(figsize=size, layout="constrained")


def plot_similarity() -> Figure:
    """Germany's and Russia's 1914 alliance profiles, and the five scores against Table 6."""
    states, gmy, rus, cap = _gmyrus14()
    fig = _fig((10, 4.2))
    a, b = fig.subplots(1, 2, width_ratios=[2.2, 1])
    x = np.arange(len(states))
    a.bar(x - 0.2, gmy, 0.4, label="Germany", color="#34495e")
    a.bar(x + 0.2, rus, 0.4, label="Russia", color="#c0392b")
    a2 = a.twinx()
    a2.plot(x, cap, "o-", color="#e67e22", ms=3, lw=1, label="capability share (S weights)")
    a2.set_ylabel("capability share")
    a.set_xticks(x, states, rotation=90, fontsize=7)
    a.set_yticks([0, 1, 2, 3], ["none", "1", "2", "defence pact"])
    a.set_title("Alliance profiles 1914 (Signorino & Ritter 1999, Table 6)", fontsize=10)
    h1, l1 = a.get_legend_handles_labels()
    h2, l2 = a2.get_legend_handles_labels()
    a.legend(h1 + h2, l1 + l2, fontsize=7, loc="upper right")
    rows = cases_by_group("similarity")
    short = {
        "sr-tau-b": "tau-b",
        "sr-s-unweighted": "S",
        "sr-s-weighted": "S weighted",
        "sr-kappa": "kappa (quad.)",
        "sr-pi": "Scott's pi",
    }
    labels = [short.get(c.key, c.key) for c in rows]
    pub = [float(c.published) for c in rows]
    ours = [float(c.ours()) for c in rows]
    y = np.arange(len(rows))
    b.barh(y + 0.2, pub, 0.4, color="#95a5a6", label="published")
    b.barh(y - 0.2, ours, 0.4, color="#2471a3", label="alignsim")
    b.set_yticks(y, labels)
    b.axvline(0, color="black", lw=0.8)
    b.invert_yaxis()
    b.legend(fontsize=7)
    b.set_title("Germany vs Russia: published vs ours", fontsize=10)
    return fig


_HEX = {
    name: (math.cos(math.pi / 2 - k * math.pi / 3), math.sin(math.pi / 2 - k * math.pi / 3))
    for k, name in enumerate(ANTAL_ACTORS)
}


def plot_antal() -> Figure:
    """The six snapshots; imbalanced complete triads shaded red."""
    panels = load_antal_panels()
    fig = _fig((11, 7.2))
    axes = fig.subplots(2, 3).ravel()
    for ax, (label, (actors, W)) in zip(axes, panels.items(), strict=True):
        S = pair_signs(W)
        for i, j, k in itertools.combinations(range(len(actors)), 3):
            if S[i, j] and S[j, k] and S[i, k] and S[i, j] * S[j, k] * S[i, k] < 0:
                ax.add_patch(
                    Polygon([_HEX[actors[m]] for m in (i, j, k)], closed=True, color="#e74c3c", alpha=0.18, lw=0)
                )
        for i, j in itertools.combinations(range(len(actors)), 2):
            if S[i, j]:
                (x1, y1), (x2, y2) = _HEX[actors[i]], _HEX[actors[j]]
                ax.plot(
                    [x1, x2],
                    [y1, y2],
                    color="#229954" if S[i, j] > 0 else "#c0392b",
                    ls="-" if S[i, j] > 0 else "--",
                    lw=1.6,
                )
        for name in actors:
            x, y = _HEX[name]
            ax.scatter([x], [y], s=480, color="white", edgecolor="black", zorder=3)
            ax.text(x, y, name, ha="center", va="center", fontsize=8, zorder=4)
        ax.set_title(f"{label}\nimbalanced triads: {triad_census(W).imbalanced}", fontsize=9)
        ax.set_xlim(-1.35, 1.35)
        ax.set_ylim(-1.35, 1.35)
        ax.set_aspect("equal")
        ax.axis("off")
    fig.legend(
        handles=[
            Line2D([], [], color="#229954", lw=1.6, label="friendly (+1)"),
            Line2D([], [], color="#c0392b", ls="--", lw=1.6, label="hostile (-1)"),
            Patch(color="#e74c3c", alpha=0.3, label="imbalanced triad"),
        ],
        loc="lower center",
        ncols=3,
        fontsize=8,
    )
    fig.suptitle("Great powers 1872-1907 (Antal, Krapivsky & Redner 2006); no line = no relation", fontsize=10)
    return fig


def plot_marvel_1904() -> Figure:
    """Relations from 1904 under X' = X^2 (reference) and under the simulator's monthly step."""
    dt, path = _marvel_from_1904()
    t = dt * np.arange(path.shape[0])
    fig = _fig((11, 4.2))
    a, b = fig.subplots(1, 2)
    pairs = [("GB", "R"), ("GB", "G"), ("GB", "I"), ("F", "I"), ("R", "I")]
    colors = ["#2471a3", "#c0392b", "#d35400", "#7d3c98", "#16a085"]
    for (p, q), c in zip(pairs, colors, strict=True):
        a.plot(t, path[:, _ix(p), _ix(q)], color=c, lw=2 if p == "GB" and q == "R" else 1.2, label=f"{p}-{q}")
    a.axvline(marvel_blowup_time(_antal("1904")), color="gray", ls=":", lw=1, label="t* = 1/lambda_1")
    a.axhline(0, color="black", lw=0.6)
    a.set_yscale("symlog", linthresh=1)
    a.set_xlabel("t")
    a.set_ylabel("X_ij (symlog)")
    a.set_title("dX/dt = X^2 from 1904 (RK4, unbounded)", fontsize=10)
    a.legend(fontsize=7)
    engine = _engine_from_1904()
    months = np.arange(engine.shape[0])
    for (p, q), c in zip(pairs, colors, strict=True):
        b.plot(months, engine[:, _ix(p), _ix(q)], color=c, lw=2 if p == "GB" and q == "R" else 1.2, label=f"{p}-{q}")
    first = _engine_first_1907_month()
    if first >= 0:
        b.axvline(first, color="gray", ls=":", lw=1, label=f"1907 pattern reached (month {first})")
    b.axhline(0, color="black", lw=0.6)
    b.set_ylim(-1.08, 1.08)
    b.set_xlabel("month")
    b.set_ylabel("W_ij")
    b.set_title("simulator step (clipped to [-1, 1]), default alpha, beta = 0", fontsize=10)
    b.legend(fontsize=7)
    return fig


def plot_marvel() -> Figure:
    """Entries of X(t): the closed form (lines) and RK4 (dots)."""
    X0, t_star = _marvel_random()
    ts = np.linspace(0, 0.9 * t_star, 60)
    steps = 3000
    path = integrate(X0, X0, 1.0, 0.0, dt=0.9 * t_star / steps, steps=steps, return_path=True)
    tp = np.linspace(0, 0.9 * t_star, steps + 1)
    fig = _fig((7.5, 4.5))
    ax = fig.add_subplot()
    entries = [(0, 1), (0, 2), (1, 3), (2, 5), (4, 6)]
    closed = np.stack([marvel_closed_form(X0, t) for t in ts])
    for k, (i, j) in enumerate(entries):
        color = f"C{k}"
        ax.plot(ts, closed[:, i, j], color=color, lw=1.5, label=f"X[{i},{j}] closed form")
        ax.plot(tp[::150], path[::150, i, j], "o", color=color, ms=4)
    ax.plot([], [], "o", color="gray", label="RK4 integration")
    ax.axvline(t_star, color="gray", ls=":", label="blow-up t* = 1/lambda_1")
    ax.set_xlabel("t")
    ax.set_ylabel("X_ij(t)")
    ax.set_title("Marvel et al. (2011): X(t) = X0 (I - t X0)^-1 vs integration", fontsize=10)
    ax.legend(fontsize=7)
    return fig


def plot_tipping() -> Figure:
    """Largest relation magnitude over time just below and just above alpha_c."""
    _, X0, beta = _world_baseline()
    fig = _fig((7.5, 4.3))
    ax = fig.add_subplot()
    for factor, color in zip(TIPPING_FACTORS, ("#229954", "#c0392b"), strict=True):
        path = _tipping_run(factor)
        t = 0.1 * np.arange(path.shape[0])
        ax.plot(t, np.abs(path).max(axis=(1, 2)), color=color, label=f"alpha = {factor:g} alpha_c")
    ax.set_yscale("log")
    ax.set_xlabel("t (months)")
    ax.set_ylabel("max |X_ij|")
    ax.set_title("Shipped world's X0, unsaturated dynamics: peace below alpha_c, blow-up above", fontsize=10)
    ax.legend(fontsize=8)
    return fig


def plot_hysteresis() -> Figure:
    """Leading-mode equilibria x* vs alpha (beta = 0.5, L = 6) for lambda_0 = 1.0 and 1.6."""
    beta, L = HYST["beta"], HYST["L"]
    alphas = np.linspace(0.02, 0.14, 241)
    fig = _fig((11, 4.5))
    axes = fig.subplots(1, 2, sharey=True)
    for ax, lam0 in zip(axes, (1.0, 1.6), strict=True):
        stable, unstable = [], []
        for a in alphas:
            for x, kind in eigen_equilibria(lam0, float(a), beta, L):
                (stable if kind == "stable" else unstable).append((a, x))
        if stable:
            s = np.array(stable)
            ax.plot(s[:, 0], s[:, 1], ".", color="#2471a3", ms=2.5, label="stable")
        if unstable:
            u = np.array(unstable)
            ax.plot(u[:, 0], u[:, 1], ".", color="#c0392b", ms=1.5, label="unstable")
        low, up = war_branch_lower_alpha(lam0, beta, L), peace_branch_upper_alpha(lam0, beta, L)
        ax.axvline(low, color="#7f8c8d", ls=":", lw=1, label=f"war fold alpha = {low:.4f}")
        ax.axvline(up, color="#7f8c8d", ls="--", lw=1, label=f"peace fold alpha = {up:.4f}")
        ax.axvline(HYST["alpha"], color="black", lw=0.6)
        for x, _ in eigen_equilibria(lam0, HYST["alpha"], beta, L):
            ax.plot([HYST["alpha"]], [x], "s", mfc="none", color="black", ms=7)
            ax.annotate(f"{x:.2f}", (HYST["alpha"], x), textcoords="offset points", xytext=(6, 4), fontsize=8)
        if lam0 == 1.6:
            sweep = np.array(_hysteresis_sweep())
            ax.plot(sweep[:, 0], sweep[:, 1], "x", color="#d35400", ms=4, label="sweep down from war (integration)")
        ax.set_xlabel("alpha")
        ax.set_title(f"lambda_0 = {lam0:g}", fontsize=10)
        ax.legend(fontsize=7, loc="center right")
    axes[0].set_ylabel("leading mode x*")
    fig.suptitle(
        "Bistability and hysteresis of -beta (x - lambda_0) + L tanh(alpha x^2 / L), beta = 0.5, L = 6", fontsize=10
    )
    return fig


def plot_landscape() -> Figure:
    """Energies of every configuration: the hand case and the 1904 snapshot, minima marked."""
    fig = _fig((11, 4.2))
    a, b = fig.subplots(1, 2, width_ratios=[1, 2.4])
    for ax, (names, s, p, title) in zip(
        (a, b),
        (
            (*HAND3, "hand case: sizes 1, 2, 3"),
            (ANTAL_ACTORS, np.ones(6), _antal("1904"), "1904 snapshot, equal sizes"),
        ),
        strict=True,
    ):
        n = len(names)
        configs = [(0, *c) for c in itertools.product((0, 1), repeat=n - 1)]
        energies = np.array([energy(s, p, c) for c in configs])
        minima = {m.sides for m in local_minima(s, p)}
        order = np.argsort(energies, kind="stable")
        colors = ["#c0392b" if configs[k] in minima else "#95a5a6" for k in order]
        ax.bar(np.arange(len(order)), energies[order], color=colors)
        labels = [_split(names, configs[k]) for k in order]
        if n <= 3:
            ax.set_xticks(np.arange(len(order)), labels, rotation=30, ha="right", fontsize=7)
        else:
            ax.set_xticks([0], [labels[0]], fontsize=7)
        ax.set_ylabel("energy E")
        ax.set_title(title, fontsize=10)
    b.legend(
        handles=[
            Line2D([], [], color="#c0392b", lw=6, label="local minimum"),
            Line2D([], [], color="#95a5a6", lw=6, label="other configuration"),
        ],
        fontsize=8,
    )
    fig.suptitle("Axelrod & Bennett (1993) landscapes: every configuration, lowest energy first", fontsize=10)
    return fig


GROUPS: tuple[Group, ...] = (
    Group(
        "similarity",
        "Similarity of alliance portfolios",
        "Signorino, C. S. & Ritter, J. M. (1999). Tau-b or not tau-b: measuring the similarity of foreign policy positions. "
        "International Studies Quarterly 43(1), 115-144. Table 6 (Germany and Russia, 1914, 20 European states).",
        "alignsim's similarity measures -- the S-score that also builds the interest baseline X0 -- reproduce the published scores.",
        "similarity.png",
        plot_similarity,
    ),
    Group(
        "antal",
        "Structural balance of the great powers, 1872-1907",
        "Antal, T., Krapivsky, P. L. & Redner, S. (2006). Social balance on networks: the dynamics of friendship and enmity. "
        "Physica D 224, 130-136.",
        "The triad census and the eigenvector factions read the historical snapshots as the authors do.",
        "antal_networks.png",
        plot_antal,
    ),
    Group(
        "marvel-1904",
        "From 1904 to 1907 by balance dynamics",
        "Marvel, S. A., Kleinberg, J., Kleinberg, R. D. & Strogatz, S. H. (2011). Continuous-time model of structural balance. "
        "PNAS 108(5), 1771-1776; data: Antal, Krapivsky & Redner (2006).",
        "Balance dynamics started from the 1904 snapshot turn Britain and Russia friendly and end in the 1907 alignment, "
        "both in the unbounded reference equation and in the simulator's own clipped monthly step.",
        "marvel_1904.png",
        plot_marvel_1904,
        "Pairs with no relation in 1904 start at 0; the model predicts their sign. Time is not calibrated: "
        "the unbounded equation blows up at t* = 1/lambda_1 and the simulator's months are model months.",
    ),
    Group(
        "marvel",
        "Closed form of dX/dt = X^2",
        "Marvel, S. A., Kleinberg, J., Kleinberg, R. D. & Strogatz, S. H. (2011). Continuous-time model of structural balance. "
        "PNAS 108(5), 1771-1776.",
        "The reference integrator agrees with the exact solution, its blow-up time and its factions.",
        "marvel_closed_form.png",
        plot_marvel,
    ),
    Group(
        "tipping",
        "Peace below and war above the tipping point",
        "Morrison, M., Kutz, J. N. & Gabbay, M. (2023). Transitions between peace and systemic war as bifurcations in a signed "
        "network dynamical system. Network Science (Cambridge University Press), published online 21 June 2023; arXiv:2203.04451.",
        "On the shipped world's interest baseline, the unsaturated dynamics settle below alpha_c = beta / (4 lambda_1) "
        "and diverge above it; the recorded tipping_ratio uses the same alpha_c.",
        "tipping.png",
        plot_tipping,
        "Unsaturated and unclipped: the simulator saturates the balance force (L) and clips W to [-1, 1], so it cannot diverge.",
    ),
    Group(
        "hysteresis",
        "Bistability and hysteresis (saturated leading mode)",
        "Morrison, M., Kutz, J. N. & Gabbay, M. (2023), as above; the example alpha = 0.08, beta = 0.5, L = 6 and its "
        "equilibria come from the authors' code as quoted in the project's design brief.",
        "The saturated leading-mode equation has the published equilibria, and war persists when alpha is lowered "
        "until the lower fold near 0.052.",
        "hysteresis.png",
        plot_hysteresis,
        "The scalar equation is the leading-mode approximation of the matrix dynamics (tanh acts element-wise).",
    ),
    Group(
        "landscape",
        "Landscape theory of aggregation",
        "Axelrod, R. & Bennett, D. S. (1993). A landscape theory of aggregation. British Journal of Political Science 23(2), 211-233.",
        "Energies, frustrations, minima and basins follow the definitions, checked by hand; on the Antal snapshots the global "
        "minimum is the 1907 alignment.",
        "landscape.png",
        plot_landscape,
        "The 1936 case (17 European states, capabilities from Correlates of War; 15 of 17 placed on their Second World War "
        "sides) is NOT checked: those data are not shipped. Sizes in the snapshot cases are equal because no capabilities are shipped.",
    ),
    Group(
        "interests-ties",
        "Interests from UN votes separate allies from rivals, 2010-2018",
        "Votes: Voeten, Strezhnev & Bailey, UN General Assembly Voting Data (Harvard Dataverse hdl:1902.1/12379); ideal points: "
        "Bailey, Strezhnev & Voeten (2017), Journal of Conflict Resolution 61(2), 430-456; alliances: ATOP v5 (Leeds, Ritter, "
        "Mitchell & Long 2002); rivalries: Thompson, Sakuwa & Suzuki (2022), Analyzing Strategic Rivalries in World Politics. "
        "S: Signorino & Ritter (1999).",
        "The interest part of X0 built from votes exactly as `alignsim world build` builds it scores allied dyads above "
        "rival dyads; the pass threshold was declared in docs/validation.md before measuring.",
        "interests_vs_ties.png",
        ivt.plot,
        "Allies and rivals are the easy ends of the scale: most dyads are neither, and the AUC says nothing about them. "
        "ATOP ends in 2018. A dyad both allied and rival in a year counts in neither.",
    ),
)


def cases_by_group(group: str) -> list[Case]:
    return [c for c in cases() if c.group == group]


# -------------------------------------------------------------------------------------- the report
@dataclass
class Report:
    outcomes: list[Outcome]
    figures: dict[str, str] = field(default_factory=dict)  # group key -> file name, or "" if it failed
    figure_errors: dict[str, str] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return all(o.passed for o in self.outcomes) and not self.figure_errors

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.passed]


def _tolerance_text(case: Case) -> str:
    if case.rule is not None:
        return case.rule_text
    if case.tolerance is None or isinstance(case.published, str):
        return "exact"
    return f"± {case.tolerance:.2g}"


MODEL_LIMITS = (
    "The 1936 landscape of Axelrod & Bennett (17 European states) is not reproduced: its data are not shipped.",
    "The hysteresis numbers come from the scalar leading-mode reduction; tanh acts element-wise on the matrix, "
    "so the reduction is an approximation of the saturated matrix dynamics.",
    "The simulator clips W to [-1, 1] after each monthly Euler step; the analytic dynamics (tipping point, "
    "blow-up, closed form) are unbounded. The simulator therefore cannot blow up; above alpha_c its relations "
    "saturate at +-1 instead.",
    "Historical snapshots have no time scale: the model reproduces the direction of change (1904 to 1907), not its timing.",
)


def render_markdown(report: Report) -> str:
    n, bad = len(report.outcomes), len(report.failed)
    lines = [
        "# alignsim validation report",
        "",
        f"alignsim {version('alignsim')}, numpy {np.__version__}, Python {platform.python_version()}.",
        "",
        f"**{n - bad} of {n} cases pass**" + (" — all pass." if not bad else f" — {bad} FAIL."),
        "",
        "A case passes when |ours − published| ≤ tolerance, or, for counts and named outcomes, when ours equals the published value exactly.",
        "Sources, what each case shows and the model's limits: `docs/validation.md`.",
        "",
        "| group | case | published | ours | tolerance | result |",
        "|---|---|---|---|---|---|",
    ]
    for o in report.outcomes:
        lines.append(_md_row(o, o.case.group))
    for g in GROUPS:
        group = [o for o in report.outcomes if o.case.group == g.key]
        if not group:
            continue
        lines += ["", f"## {g.title}", "", f"*Source:* {g.citation}", "", g.shows, ""]
        if g.limits:
            lines += [f"*Limits:* {g.limits}", ""]
        if report.figures.get(g.key):
            lines += [f"![{g.title}]({report.figures[g.key]})", ""]
        if g.key in report.figure_errors:
            lines += [f"**Figure failed:** {report.figure_errors[g.key]}", ""]
        lines += ["| case | published | ours | tolerance | result | note |", "|---|---|---|---|---|---|"]
        for o in group:
            note = o.error or o.case.note
            lines.append(
                f"| {_md(o.case.title)} | {_md(o.case.shown())} | {_md(format_value(o.ours))} | {_tolerance_text(o.case)} | {_result(o)} | {_md(note)} |"
            )
    lines += ["", "## What the model cannot reproduce", ""] + [f"- {item}" for item in MODEL_LIMITS] + [""]
    return "\n".join(lines)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _result(o: Outcome) -> str:
    return "pass" if o.passed else "**FAIL**"


def _md_row(o: Outcome, group_title: str) -> str:
    return f"| {_md(group_title)} | {_md(o.case.title)} | {_md(o.case.shown())} | {_md(format_value(o.ours))} | {_tolerance_text(o.case)} | {_result(o)} |"


def render_html(report: Report) -> str:
    n, bad = len(report.outcomes), len(report.failed)
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>alignsim validation report</title>',
        "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;line-height:1.4}"
        "table{border-collapse:collapse;margin:1em 0;font-size:90%}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}"
        "th{background:#f3f3f3}.pass{color:#1e7e34}.fail{color:#b00020;font-weight:bold}img{max-width:100%}"
        ".cite{color:#555;font-size:90%}</style></head><body>",
        "<h1>alignsim validation report</h1>",
        f"<p>alignsim {e(version('alignsim'))}, numpy {e(np.__version__)}, Python {e(platform.python_version())}.</p>",
        f"<p><strong>{n - bad} of {n} cases pass</strong>"
        + (" — all pass." if not bad else f' — <span class="fail">{bad} FAIL</span>.')
        + "</p>",
        "<p>A case passes when |ours − published| ≤ tolerance, or, for counts and named outcomes, when ours equals the published value exactly. "
        "Sources, what each case shows and the model's limits: <code>docs/validation.md</code>.</p>",
        "<table><tr><th>group</th><th>case</th><th>published</th><th>ours</th><th>tolerance</th><th>result</th></tr>",
    ]
    for o in report.outcomes:
        parts.append(
            f"<tr><td>{e(o.case.group)}</td><td>{e(o.case.title)}</td><td>{e(o.case.shown())}</td>"
            f"<td>{e(format_value(o.ours))}</td><td>{e(_tolerance_text(o.case))}</td>{_html_result(o)}</tr>"
        )
    parts.append("</table>")
    for g in GROUPS:
        group = [o for o in report.outcomes if o.case.group == g.key]
        if not group:
            continue
        parts += [f"<h2>{e(g.title)}</h2>", f'<p class="cite">Source: {e(g.citation)}</p>', f"<p>{e(g.shows)}</p>"]
        if g.limits:
            parts.append(f"<p><em>Limits:</em> {e(g.limits)}</p>")
        if report.figures.get(g.key):
            parts.append(f'<p><img src="{e(report.figures[g.key])}" alt="{e(g.title)}"></p>')
        if g.key in report.figure_errors:
            parts.append(f'<p class="fail">Figure failed: {e(report.figure_errors[g.key])}</p>')
        parts.append(
            "<table><tr><th>case</th><th>published</th><th>ours</th><th>tolerance</th><th>result</th><th>note</th></tr>"
        )
        for o in group:
            parts.append(
                f"<tr><td>{e(o.case.title)}</td><td>{e(o.case.shown())}</td><td>{e(format_value(o.ours))}</td>"
                f"<td>{e(_tolerance_text(o.case))}</td>{_html_result(o)}<td>{e(o.error or o.case.note)}</td></tr>"
            )
        parts.append("</table>")
    parts += (
        ["<h2>What the model cannot reproduce</h2>", "<ul>"]
        + [f"<li>{e(item)}</li>" for item in MODEL_LIMITS]
        + ["</ul>", "</body></html>", ""]
    )
    return "\n".join(parts)


def _html_result(o: Outcome) -> str:
    return '<td class="pass">pass</td>' if o.passed else '<td class="fail">FAIL</td>'


def build_report(case_list: Sequence[Case] | None = None, *, figures: bool = True) -> tuple[Report, dict[str, Figure]]:
    """Evaluate the cases and draw one figure per group that has cases (figures are not saved)."""
    chosen = list(cases() if case_list is None else case_list)
    report = Report([evaluate(c) for c in chosen])
    drawn: dict[str, Figure] = {}
    if figures:
        present = {c.group for c in chosen}
        for g in GROUPS:
            if g.key not in present:
                continue
            try:
                drawn[g.figure] = g.plot()
                report.figures[g.key] = g.figure
            except Exception as exc:  # noqa: BLE001 - a figure that cannot be drawn is reported, and fails the check
                report.figure_errors[g.key] = f"{type(exc).__name__}: {exc}"
    return report, drawn


def write_report(report: Report, drawn: dict[str, Figure], out: str | Path) -> Path:
    """Write report.md, report.html and the PNGs into ``out``: into a temporary sibling first, then
    renamed into place, so the folder appears whole or not at all. A folder that holds an earlier
    report (or nothing) is replaced; any other existing folder or file is refused."""
    out = report_folder(out)

    def write(folder: Path) -> None:
        for name, fig in drawn.items():
            fig.savefig(folder / name, **SAVE_OPTIONS)
        (folder / "report.md").write_text(render_markdown(report), encoding="utf-8")
        (folder / "report.html").write_text(render_html(report), encoding="utf-8")

    # an earlier report (or an empty folder) may be replaced; anything else was refused above
    return write_folder(out, write, overwrite=True)


def run_check(out: str | Path, case_list: Sequence[Case] | None = None, *, figures: bool = True) -> Report:
    """Evaluate every case (or ``case_list``), write the report folder and return the report."""
    report, drawn = build_report(case_list, figures=figures)
    write_report(report, drawn, out)
    return report
