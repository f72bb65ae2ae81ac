"""Benchmark: time per step of the engine, of the bare numpy update and of the plain reference.

    .venv/bin/python benchmarks/engine.py                      # N = 8, 50, 193, 1000 (~15 minutes)
    .venv/bin/python benchmarks/engine.py --sizes 8 50 193 --no-busy

For each N, in this one process and on the same scenario:

- full model: ``AlignmentModel(scenario).run()`` for ``--steps`` (120) monthly steps -- scripted shocks
  land, every state decides, W takes its numpy step, the recorder stores W and the metrics row
  (up to 32 states the metrics of all steps at once, when the table is built: timed with the run);
  per step = run time / steps (building the model is timed apart); the median of ``--repeats`` runs;
- bare update: ``dynamics.step_relations`` alone on the same N x N matrices (best of 5 batches);
- reference: ``tests/reference_model.ReferenceModel.step()``, the model in plain Python loops, for
  ``--reference-steps`` steps (default: 120 at N = 8, 12 at 50, 3 at 193, 1 at 1000, where one step
  takes minutes);

with the ratios reference / full and full / bare, and the targets: at N = 193 the full model at
least 30 times faster than the reference; 120 steps of the 193-state world within 2 s and of a
1000-state world within 60 s (judged on the quiet workloads; the busy ones are reported beside).

Worlds: N = 8 the article world (``scenarios/article_timeline_2024.yaml``, run for 120 steps); N = 193
the UN world (``scenarios/un193_baseline.yaml``); N = 50 and 1000 synthetic worlds
(``alignsim.world.generate.generate_world``, seed N) with alpha set so that the world starts at half its
tipping point, alpha / alpha_c = 0.5, as the UN scenario does (the balance force grows with N: the
default alpha would put a 1000-state world 50 times past it, every relation at +-1 within months).

Workloads: "quiet" is the scenario as it stands (no scripted shocks except at N = 8): states decide
every month, but with little news they seldom act. "Busy" adds max(1, N // 25) scripted acts a month
between random pairs (visits, invitations, aid, security dialogues, media freezes; seeded): states
answer, counter-court and court, and the answers breed more news -- about 300 events a month at
N = 193 and 1500 at N = 1000, which is where the per-event Python work of the agents shows.

All timings run with BLAS limited to one thread, as ``AlignmentModel.run`` does (see
``alignsim.blas.BLAS_THREADS``). A full garbage collection precedes each timed block. Speed is
measured here, not in the tests (timed tests are flaky on shared machines).
"""

from __future__ import annotations

import argparse
import copy
import gc
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the reference implementation lives beside the tests

from reference_model import ReferenceModel  # noqa: E402

from alignsim.config.scenario import Scenario, load_scenario  # noqa: E402
from alignsim.measures.kernels import leading_eigenvalue  # noqa: E402
from alignsim.model.dynamics import step_relations  # noqa: E402
from alignsim.model.model import AlignmentModel  # noqa: E402
from alignsim.world.generate import generate_world  # noqa: E402
from alignsim.world.params import Params  # noqa: E402
from alignsim.world.spec import WorldState, interest_baseline  # noqa: E402

SIZES = (8, 50, 193, 1000)
REFERENCE_STEPS = {8: 120, 50: 12, 193: 3, 1000: 1}
TARGET_RATIO_193 = 30.0
TARGET_SECONDS = {193: 2.0, 1000: 60.0}
ACTS = ("visit", "invitation", "aid", "security_dialogue", "media_freeze")


@dataclass
class Row:
    n: int
    world: str
    events: int
    build: float  # seconds to build the model
    full: float  # seconds per step, full model
    cpu: float  # CPU seconds per step, full model
    bare: float  # seconds per step, step_relations alone
    reference: float  # seconds per step, plain reference (NaN: not timed)
    reference_steps: int
    steps: int

    @property
    def run_seconds(self) -> float:
        return self.full * self.steps


def shock_stream(codes: list[str], steps: int, rng: np.random.Generator) -> list[dict[str, object]]:
    """max(1, N // 25) scripted acts a month between random pairs."""
    n = len(codes)
    shocks: list[dict[str, object]] = []
    for step in range(steps):
        for _ in range(max(1, n // 25)):
            a, b = rng.choice(n, size=2, replace=False)
            shocks.append({"type": str(rng.choice(ACTS)), "step": step, "source": codes[a], "target": codes[b]})
    return shocks


def half_tipping_alpha(world: dict[str, object], beta: float) -> float:
    """alpha with alpha / alpha_c = 0.5, alpha_c = beta / (4 λ1(X0))."""
    from alignsim.world.spec import WorldSpec

    x0 = interest_baseline(WorldState.from_spec(WorldSpec.model_validate(world)), Params())
    return 0.5 * beta / (4.0 * leading_eigenvalue(x0))


def scenario_for(n: int, steps: int, *, busy: bool) -> tuple[Scenario, str]:
    """The benchmark scenario of N states; ``busy`` adds the stream of scripted acts."""
    if n == 8:
        base = load_scenario(ROOT / "scenarios" / "article_timeline_2024.yaml")
        data = base.resolved()
        data["steps"] = steps
        return Scenario.model_validate(data), "article world, article timeline (5 shocks)"
    rng = np.random.default_rng(n)
    if n == 193:
        base = load_scenario(ROOT / "scenarios" / "un193_baseline.yaml")
        data = base.resolved()
        label = "UN world, scenarios/un193_baseline.yaml"
    else:
        world = generate_world(n, rng).model_dump(mode="json")
        data = {
            "name": f"bench_{n}",
            "world": world,
            "seed": n,
            "start": "2024-01-01",
            "params": {"alpha": half_tipping_alpha(world, Params().beta)},
        }
        label = f"synthetic world (worldgen, seed {n})"
    data["steps"] = steps
    if busy:
        codes = [s["code"] for s in data["world"]["states"]]
        data["shocks"] = shock_stream(codes, steps, rng)
        label += f" + {max(1, n // 25)} scripted acts a month"
    return Scenario.model_validate(data), label


def time_full(scenario: Scenario, repeats: int) -> tuple[float, float, float, int]:
    """(build seconds, run seconds per step, run CPU seconds per step, events logged); medians over ``repeats``."""
    builds, runs, cpus, events = [], [], [], 0
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        model = AlignmentModel(scenario)
        built, cpu = time.perf_counter(), time.process_time()
        model.run().recorder.metrics_frame()  # small worlds measure their steps here, all at once
        done, cpu_done = time.perf_counter(), time.process_time()
        builds.append(built - start)
        runs.append((done - built) / scenario.steps)
        cpus.append((cpu_done - cpu) / scenario.steps)
        events = len(model.log)
        del model
    return statistics.median(builds), statistics.median(runs), statistics.median(cpus), events


def time_bare(scenario: Scenario) -> float:
    """Best of 5 batches of step_relations on the scenario's initial matrices."""
    model = AlignmentModel(scenario)
    p = scenario.params
    w, x0 = model.relations, model.baseline
    impulses = np.zeros_like(w)
    rng = np.random.default_rng(0)

    def once() -> None:
        step_relations(
            w,
            x0,
            impulses,
            beta=p.beta,
            alpha=p.alpha,
            saturation=p.saturation,
            noise=p.noise,
            kernel=p.balance_kernel,
            rng=rng,
        )

    once()
    start = time.perf_counter()
    once()
    number = max(1, int(0.2 / max(time.perf_counter() - start, 1e-6)))
    best = float("inf")
    with threadpool_limits(limits=1, user_api="blas"):
        for _ in range(5):
            gc.collect()
            start = time.perf_counter()
            for _ in range(number):
                once()
            best = min(best, (time.perf_counter() - start) / number)
    return best


def time_reference(scenario: Scenario, steps: int) -> float:
    model = AlignmentModel(scenario)
    ref = ReferenceModel(scenario, copy.deepcopy(model.rng))
    with threadpool_limits(limits=1, user_api="blas"):
        gc.collect()
        start = time.perf_counter()
        for _ in range(steps):
            ref.step()
        return (time.perf_counter() - start) / steps


def ms(seconds: float) -> str:
    if seconds != seconds:
        return "-"
    value = seconds * 1e3
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--steps", type=int, default=120, help="steps of the full-model runs")
    parser.add_argument("--repeats", type=int, default=3, help="full-model runs per size (one above 200 states)")
    parser.add_argument("--reference-steps", type=int, default=None, help="reference steps per size (default: by size)")
    parser.add_argument("--no-busy", action="store_true", help="skip the workloads with scripted acts")
    args = parser.parse_args(argv)

    print(
        f"python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} CPUs, "
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}, BLAS limited to 1 thread",
        flush=True,
    )
    rows: list[Row] = []
    for n in args.sizes:
        bare = float("nan")
        for busy in (False,) if n == 8 or args.no_busy else (False, True):
            scenario, label = scenario_for(n, args.steps, busy=busy)
            build, full, cpu, events = time_full(scenario, args.repeats if n <= 200 else 1)
            if not busy:
                bare = time_bare(scenario)
            ref_steps = args.reference_steps or REFERENCE_STEPS.get(n, 1)
            # A reference step at N = 1000 takes minutes, and its N^3 balance force dominates it
            # whatever the workload: it is timed once per size, on the quiet workload.
            reference = time_reference(scenario, ref_steps) if not busy or n <= 200 else float("nan")
            rows.append(Row(n, label, events, build, full, cpu, bare, reference, ref_steps, args.steps))
            print(
                f"  N={n} {'busy' if busy else 'quiet'}: full {ms(full)} ms/step, bare {ms(bare)} ms/step, "
                f"reference {ms(reference)} ms/step",
                flush=True,
            )

    print()
    print(
        f"| N | world and workload | events in {args.steps} steps | full model, ms/step (CPU) | bare update, ms/step "
        f"| reference, ms/step | reference / full | full / bare | {args.steps} steps, s |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        ratio = "-" if r.reference != r.reference else f"{r.reference / r.full:,.{0 if r.reference >= r.full else 1}f}"
        print(
            f"| {r.n} | {r.world} | {r.events:,} | {ms(r.full)} ({ms(r.cpu)}) | {ms(r.bare)} | {ms(r.reference)} "
            f"| {ratio} | {r.full / r.bare:,.0f} | {r.run_seconds:.2f} |"
        )
    print(
        f"(reference steps timed: {', '.join(f'N={r.n}: {r.reference_steps}' for r in rows if r.reference == r.reference)}; "
        f"building the model: {', '.join(f'N={r.n}: {r.build:.2f} s' for r in rows)})"
    )

    print()
    ok = True
    for r in rows:
        busy = "scripted acts" in r.world
        note = " (with scripted acts)" if busy else ""
        if r.n == 193 and r.reference == r.reference:
            ratio = r.reference / r.full
            met = ratio >= TARGET_RATIO_193
            print(
                f"target N=193{note}: full model >= {TARGET_RATIO_193:.0f}x faster than the reference: {ratio:,.0f}x {'met' if met else 'NOT MET'}"
            )
            ok &= met or busy
        if r.n in TARGET_SECONDS:
            limit = TARGET_SECONDS[r.n] * args.steps / 120
            met = r.run_seconds <= limit
            print(
                f"target N={r.n}{note}: {args.steps} steps <= {limit:g} s: {r.run_seconds:.2f} s {'met' if met else 'NOT MET'}"
            )
            ok &= met or busy
    print(f"load average at the end {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
