"""alignsim: an agent-based simulator of diplomatic alignment.

The Python API (see :mod:`alignsim.api`)::

    import alignsim
    scenario = alignsim.load_scenario("scenarios/article_timeline_2024.yaml")
    result = alignsim.run(scenario, replicates=100)         # a RunResult: .relations, .events, .metrics
    result.plot_pairs()                                      # median and 5-95% band of the tracked pairs
    cmp = alignsim.compare("scenarios/baseline_2024.yaml", "scenarios/dzud_aid.yaml")
    again = alignsim.load(result.save("runs/mine"))

The functions are imported on first use, so ``import alignsim`` stays light (the command line
starts fast).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["load_scenario", "run", "load", "compare", "__version__"]

if TYPE_CHECKING:
    from alignsim.api import compare, load, load_scenario, run


def __getattr__(name: str) -> Any:
    if name in ("load_scenario", "run", "load", "compare"):
        from alignsim import api

        return getattr(api, name)
    raise AttributeError(f"module 'alignsim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), "load_scenario", "run", "load", "compare"])
