"""What writing a run folder costs as worlds grow, against the targets of issue 15.

    .venv/bin/python benchmarks/outputs.py            # the UN world and 500 states x 12 steps
    .venv/bin/python benchmarks/outputs.py --sizes 200 500 1000
    .venv/bin/python benchmarks/outputs.py --quick     # the article world x 12 steps, no UN world: a smoke run

Each case runs ``alignsim run SCENARIO --out TMP`` (charts included) as a user would, in a fresh
process, and reports its wall time, CPU time (user + system: what the process itself spent, which
other jobs on a shared machine do not inflate) and peak memory (``ru_maxrss`` from ``wait4``),
with the folder's size. Targets:

- ``alignsim run scenarios/un193_baseline.yaml``: the whole process at most twice the simulation
  alone (loading the scenario and ``run_scenario``, timed in this process);
- 500 states x 12 steps with charts: at most 30 s and 1 GB peak.

The worlds of other sizes are those of ``benchmarks/engine.py`` (``generate_world``, seed N,
alpha at half the tipping point), written to a scenario file first. Nothing here is asserted: the
figures are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from engine import scenario_for  # noqa: E402  (the benchmark folder on the path first)

from alignsim.config.scenario import load_scenario  # noqa: E402
from alignsim.experiments.simulate import run_scenario  # noqa: E402
from alignsim.results.chart_data import run_report, save_charts  # noqa: E402
from alignsim.results.scaling import fast_yaml  # noqa: E402
from alignsim.viz.report_html import write_report  # noqa: E402

UN193 = ROOT / "scenarios" / "un193_baseline.yaml"
TARGET_RATIO = 2.0
TARGET_SECONDS, TARGET_BYTES = 30.0, 1 << 30


def measured(args: list[str]) -> tuple[float, float, int, str]:
    """(wall s, CPU s, peak RSS bytes, stdout) of ``python ARGS`` in a fresh process (``wait4``
    gives that one child's CPU time and peak memory)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, *args], stdout=out, stderr=err, env={**os.environ, "MPLBACKEND": "Agg"}
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        if proc.returncode:
            raise SystemExit(f"python {' '.join(args)} failed:\n{err.read()}")
        return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, out.read()


def folder_bytes(out: Path) -> int:
    return sum(p.stat().st_size for p in out.rglob("*") if p.is_file())


def phases(path: Path, out: Path) -> None:
    """(In a child process.) Start and import, load, simulate, write the tables, draw the charts, write
    report.html: CPU and wall of each, as JSON (the start's wall is unknown here and given as its CPU)."""
    marks: dict[str, tuple[float, float]] = {"start + imports": (time.process_time(), time.process_time())}
    wall, cpu = time.perf_counter(), time.process_time()

    def mark(name: str) -> None:
        nonlocal wall, cpu
        marks[name] = (time.perf_counter() - wall, time.process_time() - cpu)
        wall, cpu = time.perf_counter(), time.process_time()

    scenario = load_scenario(path)
    mark("load")
    result = run_scenario(scenario, source_text=path.read_text(encoding="utf-8"), workers=1)
    mark("simulate")
    result.save(out, charts=False)
    mark("write tables")
    save_charts(result, out / "charts")
    mark("charts")
    write_report(run_report(result), out)
    mark("report.html")
    print(json.dumps(marks))


def report(label: str, wall: float, cpu: float, peak: int, size: int) -> None:
    print(f"{label}: {wall:.1f} s wall, {cpu:.1f} s CPU, peak {peak / 2**20:.0f} MB, folder {size / 2**20:.0f} MB")


def breakdown(path: Path, out: Path) -> dict[str, tuple[float, float]]:
    _, _, peak, text = measured([__file__, "--phases", str(path), str(out)])
    marks = json.loads(text.strip().splitlines()[-1])
    print(
        "  in one process: "
        + ", ".join(f"{k} {w:.1f} s ({c:.1f} s CPU)" for k, (w, c) in marks.items())
        + f"; peak {peak / 2**20:.0f} MB"
    )
    return marks


def un_world(tmp: Path) -> None:
    wall, cpu, peak, _ = measured(["-m", "alignsim", "run", str(UN193), "--out", str(tmp / "un193")])
    report("UN world (193 states x 120 steps): alignsim run with charts", wall, cpu, peak, folder_bytes(tmp / "un193"))
    marks = breakdown(UN193, tmp / "un193-phases")
    sim_wall, sim_cpu = (sum(marks[k][i] for k in ("load", "simulate")) for i in (0, 1))
    for what, ratio in (("wall", wall / sim_wall), ("CPU", cpu / sim_cpu)):
        print(
            f"  whole process / (load + simulate) ({what}): {ratio:.2f}x  (target <= {TARGET_RATIO:.0f}x: {'met' if ratio <= TARGET_RATIO else 'NOT met'})"
        )


def generated(tmp: Path, n: int, steps: int) -> None:
    scenario, label = scenario_for(n, steps, busy=False)
    path = tmp / f"bench_{n}.yaml"
    path.write_text(fast_yaml(scenario.resolved()), encoding="utf-8")
    wall, cpu, peak, _ = measured(["-m", "alignsim", "run", str(path), "--out", str(tmp / f"bench_{n}")])
    report(
        f"{n} states x {steps} steps ({label}; scenario file {path.stat().st_size / 2**20:.0f} MB): alignsim run with charts",
        wall,
        cpu,
        peak,
        folder_bytes(tmp / f"bench_{n}"),
    )
    marks = breakdown(path, tmp / f"bench_{n}-phases")
    outputs = sum(marks[k][0] for k in ("simulate", "write tables", "charts", "report.html"))
    if n == 500 and steps == 12:
        for what, seconds in (("whole process", wall), ("simulate + write + charts + report", outputs)):
            print(
                f"  {what}: {seconds:.1f} s (target <= {TARGET_SECONDS:.0f} s: {'met' if seconds <= TARGET_SECONDS else 'NOT met'})"
            )
        print(f"  peak {peak / 2**20:.0f} MB (target <= 1 GB: {'met' if peak <= TARGET_BYTES else 'NOT met'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[500], help="generated worlds to run (default: 500)")
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--no-un", action="store_true", help="skip the UN world")
    parser.add_argument("--phases", nargs=2, type=Path, metavar=("SCENARIO", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="the article world x 12 steps, without the UN world")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.steps, args.no_un = [8], 12, True
    if args.phases:
        phases(*args.phases)
        return
    print(
        f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at the start (wall times grow with it, CPU times do not)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        if not args.no_un:
            un_world(Path(tmp))
        for n in args.sizes:
            generated(Path(tmp), n, args.steps)


if __name__ == "__main__":
    main()
