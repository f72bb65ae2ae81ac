"""A run folder's manifest: versions, seed and the scenario's fingerprint."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
from functools import cache
from importlib.metadata import version
from typing import Any

from alignsim.config.scenario import Scenario

#: Packages whose versions a manifest records, read from their metadata (importing them would cost seconds).
VERSIONED = ("alignsim", "mesa", "numpy", "pandas", "matplotlib")


@cache
def versions() -> dict[str, str]:
    """The versions of :data:`VERSIONED` and of Python, looked up once per process: each
    ``importlib.metadata`` look-up scans the installed distributions (27 ms for the five, every run,
    before this), and a process does not change its installed packages while it runs."""
    return {**{name: version(name) for name in VERSIONED}, "python": platform.python_version()}


def make_manifest(
    scenario: Scenario, seed: int, source_text: str | None = None, *, replicates: int = 1
) -> dict[str, Any]:
    """Versions, seed and the scenario's sha256 (:func:`scenario_sha256`); an ensemble also records
    its replicate count and how their seeds were derived."""
    manifest: dict[str, Any] = {
        **versions(),
        "scenario": scenario.name,
        "scenario_sha256": scenario_sha256(scenario, source_text),
        "seed": seed,
        "steps": scenario.steps,
    }
    if replicates > 1:
        manifest["replicates"] = replicates
        manifest["replicate_seeds"] = "numpy SeedSequence(seed).spawn(replicates); replicate k uses child k"
    manifest["created"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return manifest


def scenario_sha256(scenario: Scenario, source_text: str | None = None) -> str:
    """The sha256 of the scenario file's text when it is given (what a user can check with
    ``sha256sum``), else of the resolved scenario as canonical JSON (sorted keys, no spaces): the
    same data gives the same hash, in milliseconds even for a 193-state world, where dumping it
    as YAML took seconds."""
    if source_text is None:
        source_text = json.dumps(scenario.resolved(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(source_text.encode("utf-8")).hexdigest()
