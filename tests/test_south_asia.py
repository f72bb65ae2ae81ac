"""The South Asia scenario of 2019-2020 (scenarios/south_asia_2019_2020.yaml), written for issue 20
with its plausibility criteria declared in the file before it was first run. Each criterion is a
share of an ensemble; the criteria the model fails are marked xfail (strict: a pass is news) and
reported in docs/model.md, section 7c.

    .venv/bin/python tests/test_south_asia.py 100     # prints every criterion's share over 100 runs
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from alignsim.config.scenario import load_scenario
from alignsim.model.model import AlignmentModel, LoggedEvent

PATH = Path(__file__).resolve().parent.parent / "scenarios" / "south_asia_2019_2020.yaml"
RUNS = 40
CRITERION = re.compile(r"^# criterion (\w+) \| (at least|at most) ([0-9.]+) \| (.+)$")
FAILED = {  # measured after the criteria were declared (docs/model.md, section 7c)
    "usa_condemns_china_after_galwan": "the USA's commitment to India (W +0.06) is far below the solidarity threshold",
}

Run = tuple[AlignmentModel, list[LoggedEvent]]


def criteria() -> list[tuple[str, str, float, str]]:
    lines = PATH.read_text(encoding="utf-8").splitlines()
    return [(m[1], m[2], float(m[3]), m[4]) for m in map(CRITERION.match, lines) if m]


def runs(count: int) -> list[Run]:
    scenario = load_scenario(PATH)
    out = []
    for seed in np.random.SeedSequence(scenario.seed).spawn(count):
        model = AlignmentModel(scenario, seed=seed).run()
        out.append((model, [e for e in model.log if e.origin == "agent"]))
    return out


def _in(e: LoggedEvent, m: AlignmentModel, month: str) -> bool:
    return e.date.isoformat().startswith(month)


def _acts(run: Run, source: str, target: str, rules: tuple[str, ...], month: str = "") -> list[LoggedEvent]:
    m, agent = run
    return [
        e
        for e in agent
        if m.code(e.source) == source and m.code(e.target) == target and e.rule in rules and _in(e, m, month)
    ]


def _unprovoked(run: Run) -> bool:
    m, agent = run
    for e in agent:
        if e.event.type in ("use_force", "threaten"):
            provoked = any(
                n.step == e.step - 1
                and n.event.coding() == "coercive"
                and n.event.aggressor == m.code(e.target)
                and n.event.victim == m.code(e.source)
                for n in m.log
            )
            if not provoked:
                return True
    return False


CHECKS: dict[str, Callable[[Run], bool]] = {
    "pakistan_answers_balakot_once": lambda r: bool(_acts(r, "PAK", "IND", ("retaliate",), "2019-03")),
    "india_answers_galwan": lambda r: bool(_acts(r, "IND", "CHN", ("retaliate",), "2020-07")),
    "rally_after_pulwama": lambda r: any(
        e.event.type == "rally_support" and r[0].code(e.target) == "IND" and _in(e, r[0], "2019-03") for e in r[1]
    ),
    "usa_condemns_china_after_galwan": lambda r: any(
        e.event.type == "condemn" for e in _acts(r, "USA", "CHN", ("solidarity", "retaliate"), "2020-07")
    ),
    "china_never_condemns_pakistan": lambda r: any(
        e.event.type in ("condemn", "threaten", "use_force") for e in _acts(r, "CHN", "PAK", tuple(ALL))
    ),
    "russia_stays_neutral_on_galwan": lambda r: any(
        e.event.type == "condemn" for t in ("CHN", "IND") for e in _acts(r, "RUS", t, tuple(ALL), "2020-07")
    ),
    "india_does_not_escalate_after_expulsion": lambda r: any(
        e.event.type in ("threaten", "use_force") for e in _acts(r, "IND", "PAK", tuple(ALL), "2019-09")
    ),
    "no_echo_chains": lambda r: any(e.depth > 2 for e in r[1]),
    "no_unprovoked_force": _unprovoked,
}
ALL = ("court", "cool", "counter_court", "reciprocate", "retaliate", "solidarity", "balance")


def shares(count: int) -> dict[str, float]:
    ensemble = runs(count)
    return {name: float(np.mean([CHECKS[name](r) for r in ensemble])) for name, *_ in criteria()}


@pytest.fixture(scope="module")
def measured() -> dict[str, float]:
    return shares(RUNS)


def test_every_declared_criterion_has_a_check() -> None:
    names = [c[0] for c in criteria()]
    assert len(names) >= 8 and set(names) == set(CHECKS)


@pytest.mark.parametrize(
    ("name", "bound", "share", "text"),
    [
        pytest.param(*c, marks=pytest.mark.xfail(strict=True, reason=FAILED[c[0]])) if c[0] in FAILED else c
        for c in criteria()
    ],
    ids=[c[0] for c in criteria()],
)
def test_the_criterion_holds_across_the_ensemble(
    measured: dict[str, float], name: str, bound: str, share: float, text: str
) -> None:
    got = measured[name]
    assert got >= share if bound == "at least" else got <= share, f"{name}: {got:.0%} of {RUNS} runs ({text})"


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    for (name, bound, share, text), got in zip(criteria(), shares(count).values()):
        ok = got >= share if bound == "at least" else got <= share
        print(f"{name:42} {got:6.0%} ({bound} {share:.0%}): {'holds' if ok else 'FAILS'} -- {text}")
