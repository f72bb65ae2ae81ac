"""A run folder's manifest: versions, seed and the scenario's fingerprint."""

from __future__ import annotations

import datetime as dt
import hashlib
import platform
from importlib.metadata import version
from typing import Any

import yaml

from alignsim.config.scenario import Scenario

#: Packages whose versions a manifest records, read from their metadata (importing them would cost seconds).
VERSIONED = ("alignsim", "mesa", "numpy", "pandas", "matplotlib")


def make_manifest(scenario: Scenario, seed: int, source_text: str | None = None, *, replicates: int = 1) -> dict[str, Any]:
    """Versions, seed and the scenario's sha256 (of its file when given, else of the resolved form);
    an ensemble also records its replicate count and how their seeds were derived."""
    text = source_text if source_text is not None else yaml.safe_dump(scenario.resolved(), sort_keys=True)
    manifest: dict[str, Any] = {
        **{name: version(name) for name in VERSIONED},
        "python": platform.python_version(),
        "scenario": scenario.name,
        "scenario_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "seed": seed,
        "steps": scenario.steps,
    }
    if replicates > 1:
        manifest["replicates"] = replicates
        manifest["replicate_seeds"] = "numpy SeedSequence(seed).spawn(replicates); replicate k uses child k"
    manifest["created"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    return manifest
