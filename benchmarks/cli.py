"""Benchmark: what each command costs before and beside its work, against the targets of issue 9.

    .venv/bin/python benchmarks/cli.py                 # every figure, 5 runs each (~2 minutes)
    .venv/bin/python benchmarks/cli.py --runs 3 --only start charts
    .venv/bin/python benchmarks/cli.py --quick         # one run of the start figures: a smoke run

Figures (the median of ``--runs``, wall and CPU seconds; CPU = user + system of the process, of
its children too for a subprocess):

- start: ``alignsim --help``, ``alignsim shocks`` and ``alignsim validate FILE`` as a user runs them
  (a fresh ``python -m alignsim`` each time); target <= 0.5 CPU-s each. ``python -c "import
  alignsim"`` is printed beside as the floor;
- charts: the five PNG charts of the flagship run (``scenarios/article_timeline_2024.yaml``) written
  by ``RunResult.save``, timed in one process after a warm-up (the first figure pays for importing
  matplotlib's fonts); target <= 1.5 CPU-s together. ``alignsim run`` of the flagship, end to end
  with its charts, is printed beside;
- api: ``alignsim.run(scenario)`` of ``scenarios/un193_baseline.yaml`` (193 states, 120 monthly
  steps, loaded beforehand) against the engine's own time for the same run,
  ``AlignmentModel(scenario).run()`` plus its metrics table; target: the API within 1.5 x the
  engine. Loading the scenario file and building the long relations table (on first use) are
  printed beside.

Timings are measured here, never in the tests (timed tests are flaky on a shared machine); on a
busy machine the wall figures grow, the CPU figures much less.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "scenarios" / "article_timeline_2024.yaml"
UN193 = ROOT / "scenarios" / "un193_baseline.yaml"
START_TARGET, CHARTS_TARGET, API_RATIO_TARGET = 0.5, 1.5, 1.5


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def own_cpu() -> float:
    return time.process_time()


def time_command(args: list[str], runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds of a fresh ``python ARGS`` (output discarded)."""
    walls, cpus = [], []
    env = {**os.environ, "MPLBACKEND": "Agg"}
    for _ in range(runs):
        cpu, wall = child_cpu(), time.perf_counter()
        subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
        )
        walls.append(time.perf_counter() - wall)
        cpus.append(child_cpu() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def time_call(call: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``call()`` in this process."""
    walls, cpus = [], []
    for _ in range(runs):
        cpu, wall = own_cpu(), time.perf_counter()
        call()
        walls.append(time.perf_counter() - wall)
        cpus.append(own_cpu() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def row(label: str, wall: float, cpu: float, target: str = "", ok: bool | None = None) -> None:
    verdict = "" if ok is None else ("  ok" if ok else "  MISSED")
    print(f"  {label:<56} wall {wall:6.2f} s   CPU {cpu:6.2f} s   {target}{verdict}")


def bench_start(runs: int) -> None:
    print(f"start (fresh interpreter, median of {runs}; target <= {START_TARGET} CPU-s each)")
    wall, cpu = time_command(["-c", "import alignsim"], runs)
    row('python -c "import alignsim"  (the floor)', wall, cpu)
    for args in (["--help"], ["shocks"], ["validate", str(FLAGSHIP.relative_to(ROOT))]):
        wall, cpu = time_command(["-m", "alignsim", *args], runs)
        row(f"alignsim {' '.join(args)}", wall, cpu, f"target {START_TARGET} CPU-s", cpu <= START_TARGET)


def bench_charts(runs: int) -> None:
    import alignsim
    from alignsim.results import chart_data

    print(
        f"charts of a single run (flagship, in one process, median of {runs}; target <= {CHARTS_TARGET} CPU-s together)"
    )
    result = alignsim.run(FLAGSHIP, progress=False)
    with tempfile.TemporaryDirectory() as tmp:
        chart_data.save_charts(result, Path(tmp) / "warm-up")  # imports matplotlib, loads its fonts
        count = iter(range(runs))
        wall, cpu = time_call(lambda: chart_data.save_charts(result, Path(tmp) / f"charts-{next(count)}"), runs)
        files = sorted(p.name for p in (Path(tmp) / "charts-0").iterdir())
    row(
        f"{len(files)} charts ({', '.join(files)})"[:56],
        wall,
        cpu,
        f"target {CHARTS_TARGET} CPU-s",
        cpu <= CHARTS_TARGET,
    )
    with tempfile.TemporaryDirectory() as tmp:
        wall, cpu = time_command(
            ["-m", "alignsim", "run", str(FLAGSHIP.relative_to(ROOT)), "--out", str(Path(tmp) / "run"), "--overwrite"],
            max(1, runs // 2),
        )
    row("alignsim run (flagship, 36 steps, charts; fresh process)", wall, cpu)


def bench_api(runs: int) -> None:
    import alignsim
    from alignsim.config.scenario import load_scenario
    from alignsim.model.model import AlignmentModel

    print(
        f"the Python API at N = 193 (un193_baseline, 120 steps, median of {runs}; target API <= {API_RATIO_TARGET} x engine)"
    )
    scenario = load_scenario(UN193)

    def engine() -> None:
        AlignmentModel(scenario, seed=scenario.seed).run().recorder.metrics_columns()

    engine()  # warm-up: first-use imports and caches
    e_wall, e_cpu = time_call(engine, runs)
    row("engine: AlignmentModel(scenario).run() + metrics", e_wall, e_cpu)
    a_wall, a_cpu = time_call(lambda: alignsim.run(scenario, progress=False), runs)
    ratio = a_cpu / e_cpu
    row(
        "alignsim.run(scenario)  (a loaded Scenario)",
        a_wall,
        a_cpu,
        f"{ratio:.2f} x engine (target {API_RATIO_TARGET})",
        ratio <= API_RATIO_TARGET,
    )
    wall, cpu = time_call(lambda: alignsim.run(scenario, seed=7, progress=False), runs)
    row("alignsim.run(scenario, seed=7)", wall, cpu, f"{cpu / e_cpu:.2f} x engine")
    wall, cpu = time_call(lambda: load_scenario(UN193), runs)
    row("  beside: load_scenario(un193_baseline.yaml)", wall, cpu)
    result = alignsim.run(scenario, progress=False)
    wall, cpu = time_call(lambda: result.relations, 1)
    row(f"  beside: result.relations, built on first use ({len(result.relations):,} rows)", wall, cpu)


BENCHES = {"start": bench_start, "charts": bench_charts, "api": bench_api}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="repetitions of each figure (the median is printed)")
    parser.add_argument("--only", nargs="+", choices=list(BENCHES), default=list(BENCHES), help="which figures")
    parser.add_argument("--quick", action="store_true", help="one run of the start figures (a smoke run)")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.only = 1, ["start"]
    print(f"python {sys.version.split()[0]} on {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    for name in args.only:
        BENCHES[name](args.runs)


if __name__ == "__main__":
    main()
