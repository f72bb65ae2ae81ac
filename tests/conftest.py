"""Shared helpers for the core-simulator tests: a three-state inline world, scenario builders and
a CLI runner (the CLI is always exercised in a subprocess, as a user would call it)."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from alignsim.config.scenario import Scenario

REPO = Path(__file__).resolve().parent.parent
SCENARIOS = REPO / "scenarios"
SHIPPED_SCENARIOS = sorted(SCENARIOS.glob("*.yaml"))
FLAGSHIP = SCENARIOS / "article_timeline_2024.yaml"

# Agents off and no noise: only the dynamics and the scripted shocks move W.
QUIET: dict[str, Any] = {"agents": False, "noise": 0.0}

# Three states with two interest dimensions, chosen so that no X0 entry is clipped at +-1:
#   S(AAA, BBB) = 1/3, S(AAA, CCC) = -1/2, S(BBB, CCC) = -1/6 (before ties).
# AAA and BBB have diplomatic relations; AAA and CCC have none; CCC is needy and poor.
THREE_STATE_WORLD: dict[str, Any] = {
    "name": "three_states",
    "description": "A minimal world for unit tests.",
    "dimensions": [
        {"id": "bloc", "meaning": "+1 west, -1 east."},
        {"id": "trade", "meaning": "+1 free trade, -1 autarky."},
    ],
    "states": [
        {
            "code": "AAA",
            "name": "Alpha",
            "capability": 0.5,
            "economy": 100,
            "loyalty": 0.8,
            "interests": {"bloc": {"position": 1.0, "salience": 1.0}, "trade": {"position": 0.5, "salience": 0.5}},
        },
        {
            "code": "BBB",
            "name": "Beta",
            "capability": 0.3,
            "economy": 50,
            "loyalty": 0.3,
            "interests": {"bloc": {"position": 0.5, "salience": 1.0}, "trade": {"position": -0.5, "salience": 0.5}},
        },
        {
            "code": "CCC",
            "name": "Gamma",
            "capability": 0.2,
            "economy": 5,
            "need": 0.4,
            "interests": {"bloc": {"position": -1.0, "salience": 1.0}, "trade": {"position": 0.0, "salience": 0.5}},
        },
    ],
    "relations": [
        {"source": "AAA", "target": "BBB", "weight": 0.4},
        {"source": "AAA", "target": "CCC", "weight": -0.5, "reverse": -0.3},
        {"source": "BBB", "target": "CCC", "weight": 0.0},
    ],
    "ties": {"diplomatic": [{"a": "AAA", "b": "BBB"}, {"a": "BBB", "b": "CCC"}]},
}


def three_state_world(**changes: Any) -> dict[str, Any]:
    """A fresh copy of the three-state world mapping, with top-level keys replaced."""
    world = copy.deepcopy(THREE_STATE_WORLD)
    world.update(copy.deepcopy(changes))
    return world


def make_scenario(
    *,
    world: Any = None,
    params: dict[str, Any] | None = None,
    shocks: list[dict[str, Any]] | tuple[dict[str, Any], ...] = (),
    steps: int = 12,
    start: str = "2024-01-01",
    seed: int = 0,
    **extra: Any,
) -> Scenario:
    """A validated scenario; the three-state world unless ``world`` says otherwise."""
    data = {
        "name": "test",
        "world": three_state_world() if world is None else world,
        "params": params or {},
        "start": start,
        "steps": steps,
        "seed": seed,
        "shocks": list(shocks),
        **extra,
    }
    return Scenario.model_validate(data)


def alignsim_cli(*args: str | os.PathLike[str], cwd: Path, check: bool = False) -> subprocess.CompletedProcess[str]:
    """Run ``python -m alignsim ARGS`` in ``cwd``; returns the completed process (text mode)."""
    proc = subprocess.run(
        [sys.executable, "-m", "alignsim", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"alignsim {' '.join(map(str, args))} exited {proc.returncode}\n{proc.stderr}")
    return proc


def alignsim_cli_many(
    calls: list[tuple[str | os.PathLike[str], ...]], *, cwd: Path | list[Path]
) -> list[subprocess.CompletedProcess[str]]:
    """Run several independent ``python -m alignsim`` commands in parallel (one cwd, or one per call)."""
    cwds = cwd if isinstance(cwd, list) else [cwd] * len(calls)
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        return list(pool.map(lambda job: alignsim_cli(*job[0], cwd=job[1]), zip(calls, cwds)))


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(12345)


# ---------------------------------------------------------------------------- bad scenario files
# Each: a file name, its text (None: the file does not exist), the line and field the error must
# name (None: no line/field applies), fragments the message must contain (the allowed values), and
# other files to write next to it. Shared by test_scenario.py (in-process) and test_cli.py.

INLINE_WORLD_YAML = """\
world:
  name: tiny
  dimensions:
    - {id: bloc, meaning: "+1 west, -1 east"}
  states:
    - {code: AAA, name: Alpha, capability: 0.5}
    - {code: BBB, name: Beta, capability: 0.5}
  relations:
"""

KNOWN_KOREA = "known states: PRK, KOR, JPN, USA, CHN, RUS, CUB, MNG"


@dataclass(frozen=True)
class BadCase:
    id: str
    text: str | None
    line: int | None
    field: str | None
    fragments: tuple[str, ...]
    files: tuple[tuple[str, str], ...] = ()
    error_file: str | None = None  # the file the error is in, when not the scenario itself

    @property
    def filename(self) -> str:
        return f"{self.id}.yaml"

    @property
    def reported_file(self) -> str:
        return self.error_file or self.filename

    def write(self, folder: Path) -> Path:
        for name, text in self.files:
            (folder / name).write_text(text, encoding="utf-8")
        path = folder / self.filename
        if self.text is not None:
            path.write_text(self.text, encoding="utf-8")
        return path


def _registered() -> tuple[str, ...]:
    from alignsim.world.events.base import EVENT_TYPES

    return tuple(EVENT_TYPES)


BAD_CASES: list[BadCase] = [
    BadCase(
        "unknown_state",
        "steps: 12\nshocks:\n  - type: visit\n    step: 1\n    source: PRK\n    target: XXX\n",
        6,
        "shocks[0].target",
        ("'XXX'", KNOWN_KOREA),
    ),
    BadCase(
        "unknown_state_inline_world",
        INLINE_WORLD_YAML + "    - {source: AAA, target: CCC, weight: 0.5}\n",
        9,
        "world.relations[0].target",
        ("'CCC'", "known states: AAA, BBB"),
    ),
    BadCase("unknown_state_in_track", "track: [PRK-CUB, PRK-XYZ]\n", 1, "track[1]", ("'XYZ'", KNOWN_KOREA)),
    BadCase(
        "unknown_shock_type",
        "shocks:\n  - step: 1\n    type: hug\n    source: PRK\n    target: KOR\n",
        3,
        "shocks[0].type",
        ("'hug'", "registered types:", *_registered()),
    ),
    BadCase(
        "shock_without_type",
        "shocks:\n  - step: 1\n    source: PRK\n    target: KOR\n",
        2,
        "shocks[0]",
        ("type", *_registered()),
    ),
    BadCase(
        "weight_out_of_range",
        INLINE_WORLD_YAML + "    - {source: AAA, target: BBB, weight: 1.7}\n",
        9,
        "world.relations[0].weight",
        ("1.7", ">= -1", "<= 1"),
    ),
    BadCase(
        "unknown_key", "steps: 3\nstpes: 4\n", 2, "stpes", ("'stpes'", "allowed keys:", "steps", "shocks", "params")
    ),
    BadCase(
        "unknown_param",
        "params:\n  beta: 0.1\n  betta: 0.2\n",
        3,
        "params.betta",
        ("'betta'", "beta", "alpha", "kappa_reciprocal"),
    ),
    BadCase(
        "unknown_shock_key",
        "shocks:\n  - type: visit\n    step: 1\n    source: PRK\n    target: KOR\n    levle: minister\n",
        6,
        "shocks[0].levle",
        ("'levle'", "level", "intensity"),
    ),
    BadCase(
        "unknown_world_key",
        INLINE_WORLD_YAML.replace("capability: 0.5}", "capability: 0.5, loyalti: 0.2}", 1)
        + "    - {source: AAA, target: BBB, weight: 0.5}\n",
        6,
        "world.states[AAA].loyalti",
        ("'loyalti'", "loyalty", "capability", "interests"),
    ),
    BadCase(
        "unknown_override_key",
        "world:\n  base: korea_2024\n  states:\n    - {code: KOR, loyalti: 0.6}\n",
        4,
        "world.states[KOR].loyalti",
        ("'loyalti'", "loyalty"),
    ),
    BadCase(
        "override_out_of_range",
        "world:\n  base: korea_2024\n  states:\n    - code: KOR\n      loyalty: 3\n",
        5,
        "world.states[KOR].loyalty",
        ("3", ">= 0", "<= 1"),
    ),
    BadCase(
        "missing_date_and_step",
        "shocks:\n  - type: visit\n    source: PRK\n    target: KOR\n",
        2,
        "shocks[0]",
        ("'date'", "'step'"),
    ),
    BadCase(
        "both_date_and_step",
        "shocks:\n  - type: visit\n    step: 1\n    date: 2024-02-01\n    source: PRK\n    target: KOR\n",
        2,
        "shocks[0]",
        ("'date'", "'step'"),
    ),
    BadCase(
        "date_outside_run",
        "start: 2024-01-01\nsteps: 12\nshocks:\n  - type: visit\n    date: 2026-01-15\n    source: PRK\n    target: KOR\n",
        5,
        "shocks[0].date",
        ("step 24", "0..11", "2024-01", "2024-12"),
    ),
    BadCase(
        "date_before_start",
        "start: 2024-06-01\nsteps: 12\nshocks:\n  - {type: visit, date: 2024-03-01, source: PRK, target: KOR}\n",
        4,
        "shocks[0].date",
        ("step -3", "0..11", "2024-06", "2025-05"),
    ),
    BadCase(
        "step_outside_run",
        "steps: 5\nshocks:\n  - type: visit\n    step: 5\n    source: PRK\n    target: KOR\n",
        4,
        "shocks[0].step",
        ("step 5", "0..4"),
    ),
    BadCase(
        "until_before_first",
        "steps: 12\nshocks:\n  - {type: visit, step: 5, every: 2, until: 3, source: PRK, target: KOR}\n",
        3,
        "shocks[0].until",
        ("'until'", "step 5", "never fire"),
    ),
    BadCase(
        "impossible_date",
        "shocks:\n  - type: visit\n    date: 2024-02-30\n    source: PRK\n    target: KOR\n",
        3,
        "shocks[0].date",
        ("2024-02-30", "YYYY-MM-DD"),
    ),
    BadCase("bad_yaml_syntax", "steps: 3\nshocks: [\n  - type: visit\n", 3, None, ("not valid YAML",)),
    BadCase("tab_indent", "steps: 3\n\tseed: 1\n", 2, None, ("not valid YAML", "tab")),
    BadCase("duplicate_key", "steps: 3\nseed: 1\nsteps: 4\n", 3, "steps", ("'steps'", "twice", "line 1")),
    BadCase("not_a_mapping", "- world: korea_2024\n- steps: 3\n", 1, None, ("mapping", "world", "shocks")),
    BadCase("missing_file", None, None, None, ("file not found",)),
    BadCase("steps_not_integer", "steps: many\n", 1, "steps", ("'many'", "integer")),
    BadCase("beta_not_number", "params:\n  beta: high\n", 2, "params.beta", ("'high'", "number")),
    BadCase("beta_out_of_range", "params:\n  beta: 5\n", 2, "params.beta", ("5", "> 0", "<= 1")),
    BadCase("agents_not_boolean", "params: {agents: maybe}\n", 1, "params.agents", ("'maybe'", "boolean")),
    BadCase(
        "kernel_not_allowed",
        "params:\n  balance_kernel: heider\n",
        2,
        "params.balance_kernel",
        ("'heider'", "'traag'", "'marvel'"),
    ),
    BadCase(
        "level_not_allowed",
        "shocks:\n  - {type: visit, step: 1, source: PRK, target: KOR, level: king}\n",
        2,
        "shocks[0].level",
        ("'king'", "'head_of_state'", "'minister'", "'deputy_minister'"),
    ),
    BadCase("shocks_not_a_list", "shocks: 3\n", 1, "shocks", ("list",)),
    BadCase("params_not_a_mapping", "params: [beta, 0.2]\n", 1, "params", ("mapping",)),
    BadCase("world_wrong_type", "world: 3\n", 1, "world", ("korea_2024", "world file", "mapping")),
    BadCase("world_not_found", "world: nowhere.yaml\n", 1, "world", ("'nowhere.yaml'", "korea_2024", "nor a file")),
    BadCase(
        "unknown_dimension",
        "shocks:\n  - {type: interest_shift, step: 1, source: MNG, dimension: arctic, position: 0.5}\n",
        2,
        "shocks[0].dimension",
        ("'arctic'", "us_alliance", "partner_diversification"),
    ),
    BadCase("track_not_a_pair", "track: [PRKCUB]\n", 1, "track", ("'PRKCUB'", "'PRK-CUB'")),
    BadCase("seed_negative", "seed: -1\n", 1, "seed", ("-1", ">= 0")),
    BadCase(
        "world_file_error",
        "world: my_world.yaml\nsteps: 3\n",
        6,
        "states[BBB].capability",
        ("1.5", "> 0", "<= 1"),
        error_file="my_world.yaml",
        files=(
            (
                "my_world.yaml",
                "name: mine\ndimensions:\n  - {id: bloc, meaning: x}\nstates:\n  - "
                "{code: AAA, name: A, capability: 0.5}\n  - {code: BBB, name: B, capability: 1.5}\n",
            ),
        ),
    ),
]
