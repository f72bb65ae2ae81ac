"""Benchmark: the engine's cost per step against its numpy limit, and ensembles' throughput.

    .venv/bin/python benchmarks/engine.py                  # N = 8, 50, 193, 500 and the ensembles (~2 minutes)
    .venv/bin/python benchmarks/engine.py --quick          # N = 8 and 50, 12 steps, small ensembles (seconds)
    .venv/bin/python benchmarks/engine.py --sizes 193 --busy --reference

For each N, in this one process, side by side on the same world (CPU seconds per step, so that other
jobs on a shared machine inflate them little):

- full model: ``AlignmentModel(scenario).run()`` for ``--steps`` (120) monthly steps -- scripted
  shocks land, every state decides, W takes its numpy step, the recorder keeps W and X0; per step =
  run time / steps (building the model is timed apart); the median of ``--repeats`` runs. Beside
  it, "measures when asked": the metrics table taken afterwards from the record, per step (what a
  run that writes metrics.csv adds; the model no longer measures as it goes);
- bare update: ``dynamics.month_step`` (the model's own call of ``step_relations``) with the step's noise drawn as the model draws it;
- numpy limit: the same update as four whole-matrix operations into preallocated arrays (draw the
  noise; W W^T; tanh; the Euler sum, clipped) -- what no engine of this model can beat in numpy;
- with ``--reference``: ``tests/reference_model.ReferenceModel.step()``, the model in plain Python
  loops (``--reference-steps``; default 120 at N = 8, 12 at 50, 3 at 193, 1 above).

Then the ensembles: replicate-months per CPU-second of the flagship (``scenarios/article_timeline_2024.yaml``)
and of a 50-state world, run replicate by replicate (``run_replicate``) and in batches
(``run_batch``: R replicates advanced as one R x N x N array), in this process.

Targets (issue 21): the full model at most 2 x the numpy limit at N >= 193 and at most 5 x at N = 8.

Worlds: N = 8 the article world (``scenarios/article_timeline_2024.yaml``, run for 120 steps); N = 193
the UN world (``scenarios/un193_baseline.yaml``); other N synthetic worlds
(``alignsim.world.generate.generate_world``, seed N) with alpha set so that the world starts at half its
tipping point, alpha / alpha_c = 0.5, as the UN scenario does.

Workloads: "quiet" is the scenario as it stands. ``--busy`` adds max(1, N // 25) scripted acts a month
between random pairs (visits, invitations, aid, security dialogues, media freezes; seeded): states
answer, counter-court and court, which is where the per-event Python work of the agents shows.

All timings run with BLAS limited to one thread, as ``AlignmentModel.run`` does. A full garbage
collection precedes each timed block. Speed is measured here, not in the tests (timed tests are
flaky on shared machines); tests/test_benchmarks.py runs every script with ``--quick`` so that none
stops working unnoticed.
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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")  # as the alignsim command sets it (cli/main.py)

import numpy as np  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the reference implementation lives beside the tests

from reference_model import ReferenceModel  # noqa: E402

from alignsim.config.scenario import Scenario, load_scenario  # noqa: E402
from alignsim.experiments.replicates import replicate_seeds  # noqa: E402
from alignsim.experiments.simulate import run_batch, run_replicate  # noqa: E402
from alignsim.measures.kernels import leading_eigenvalue  # noqa: E402
from alignsim.model.batch import ReplicateBatch  # noqa: E402
from alignsim.model.dynamics import month_step  # noqa: E402
from alignsim.model.model import AlignmentModel  # noqa: E402
from alignsim.world.generate import generate_world  # noqa: E402
from alignsim.world.params import Params  # noqa: E402
from alignsim.world.spec import WorldSpec, WorldState, interest_baseline  # noqa: E402

SIZES = (8, 50, 193, 500)
QUICK_SIZES = (8, 50)
REFERENCE_STEPS = {8: 120, 50: 12, 193: 3}
TARGET_LIMIT_RATIO = {8: 5.0, 193: 2.0}  # full model / numpy limit: at most this (N >= 193: the 193 figure)
ACTS = ("visit", "invitation", "aid", "security_dialogue", "media_freeze")


@dataclass
class Row:
    n: int
    world: str
    events: int
    build: float  # seconds to build the model
    full: float  # CPU seconds per step, full model
    wall: float  # wall seconds per step, full model
    bare: float  # CPU seconds per step, month_step with its noise
    limit: float  # CPU seconds per step, the numpy limit
    reference: float  # seconds per step, plain reference (NaN: not timed)
    measures: float  # CPU seconds per step of the metrics table, taken when asked for after the run
    steps: int


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


def time_full(scenario: Scenario, repeats: int) -> tuple[float, float, float, float, int]:
    """(build seconds, CPU seconds per step of the run, wall seconds per step, CPU seconds per step of
    the metrics table taken afterwards, events logged); medians over ``repeats``."""
    builds, cpus, walls, measures, events = [], [], [], [], 0
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        model = AlignmentModel(scenario)
        built, cpu = time.perf_counter(), time.process_time()
        model.run()
        done, cpu_done = time.perf_counter(), time.process_time()
        model.recorder.metrics_columns()  # the measures, when the table is asked for
        measures.append((time.process_time() - cpu_done) / scenario.steps)
        builds.append(built - start)
        cpus.append((cpu_done - cpu) / scenario.steps)
        walls.append((done - built) / scenario.steps)
        events = len(model.log)
        del model
    return (
        statistics.median(builds),
        statistics.median(cpus),
        statistics.median(walls),
        statistics.median(measures),
        events,
    )


def per_call(fn: Callable[[], object], budget: float) -> float:
    """CPU seconds per call of ``fn``: the best of 5 batches, each about ``budget`` / 5 seconds."""
    fn()
    start = time.process_time()
    fn()
    number = max(1, int(budget / 5 / max(time.process_time() - start, 1e-6)))
    best = float("inf")
    with threadpool_limits(limits=1, user_api="blas"):
        for _ in range(5):
            gc.collect()
            start = time.process_time()
            for _ in range(number):
                fn()
            best = min(best, (time.process_time() - start) / number)
    return best


def time_bare(scenario: Scenario, budget: float) -> float:
    """The model's own update call (``month_step``) on the scenario's initial matrices, with the step's
    N x N normals drawn."""
    model = AlignmentModel(scenario)
    w, x0 = model.relations, model.baseline
    impulses = np.zeros_like(w)

    def once() -> None:
        month_step(scenario.params, w, x0, impulses, model.draw_noise())

    return per_call(once, budget)


def time_limit(scenario: Scenario, budget: float) -> float:
    """The numpy limit: the update as four whole-matrix operations into preallocated arrays."""
    model = AlignmentModel(scenario)
    p = scenario.params
    w, x0 = model.relations.copy(), model.baseline
    rng = np.random.default_rng(0)
    noise, force, new = np.empty_like(w), np.empty_like(w), np.empty_like(w)
    fixed = p.beta * x0  # what does not change while relations move
    keep, scale, sigma, sat = 1.0 - p.beta, p.alpha / p.saturation, p.noise, p.saturation

    def once() -> None:
        rng.standard_normal(out=noise)  # 1. the noise
        np.matmul(w, w.T, out=force)  # 2. the balance force W W^T
        np.multiply(force, scale, out=force)
        np.tanh(force, out=force)  # 3. its saturation
        np.multiply(w, keep, out=new)  # 4. the Euler step: (1 - beta) W + beta X0 + L tanh(.) + sigma z, clipped
        np.add(new, fixed, out=new)
        np.multiply(force, sat, out=force)
        np.add(new, force, out=new)
        np.multiply(noise, sigma, out=noise)
        np.add(new, noise, out=new)
        np.clip(new, -1.0, 1.0, out=new)

    return per_call(once, budget)


def time_reference(scenario: Scenario, steps: int) -> float:
    model = AlignmentModel(scenario)
    ref = ReferenceModel(scenario, copy.deepcopy(model.streams))  # the same stream states
    with threadpool_limits(limits=1, user_api="blas"):
        gc.collect()
        start = time.process_time()
        for _ in range(steps):
            ref.step()
        return (time.process_time() - start) / steps


def ms(seconds: float) -> str:
    if seconds != seconds:
        return "-"
    value = seconds * 1e3
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def engine_rows(args: argparse.Namespace) -> list[Row]:
    rows: list[Row] = []
    budget = 0.1 if args.quick else 1.0
    for n in args.sizes:
        bare = limit = float("nan")
        for busy in (False, True) if args.busy and n != 8 else (False,):
            scenario, label = scenario_for(n, args.steps, busy=busy)
            build, full, wall, measures, events = time_full(scenario, args.repeats if n <= 200 else 1)
            if not busy:
                bare, limit = time_bare(scenario, budget), time_limit(scenario, budget)
            reference = float("nan")
            if args.reference and (not busy or n <= 200):
                reference = time_reference(scenario, args.reference_steps or REFERENCE_STEPS.get(n, 1))
            rows.append(Row(n, label, events, build, full, wall, bare, limit, reference, measures, args.steps))
            print(
                f"  N={n} {'busy' if busy else 'quiet'}: full {ms(full)} ms/step, bare {ms(bare)}, "
                f"numpy limit {ms(limit)} (CPU)",
                flush=True,
            )
    return rows


def print_engine(rows: list[Row], steps: int) -> None:
    print()
    print(
        f"| N | world and workload | events in {steps} steps | full model, ms/step CPU (wall) | bare update "
        f"| numpy limit | full / limit | bare / limit | measures when asked, ms/step | reference, ms/step "
        f"| {steps} steps, CPU-s |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r.n} | {r.world} | {r.events:,} | {ms(r.full)} ({ms(r.wall)}) | {ms(r.bare)} | {ms(r.limit)} "
            f"| {r.full / r.limit:,.2f} | {r.bare / r.limit:,.2f} | {ms(r.measures)} | {ms(r.reference)} "
            f"| {r.full * r.steps:.2f} |"
        )
    print(f"(building the model: {', '.join(f'N={r.n}: {r.build:.2f} s' for r in rows)})")
    for r in rows:
        target = TARGET_LIMIT_RATIO.get(8 if r.n == 8 else 193 if r.n >= 193 else -1)
        if target is None or "scripted acts" in r.world:
            continue
        ratio = r.full / r.limit
        print(
            f"target N={r.n}: full model <= {target:g} x numpy limit: {ratio:.2f} x {'met' if ratio <= target else 'NOT MET'}"
        )


def ensemble_rates(scenario: Scenario, replicates: int, batch: int) -> tuple[float, float]:
    """Replicate-months per CPU-second of ``replicates`` replicates, run one by one (``run_replicate``)
    and in batches of ``batch`` (``run_batch``), in this process, tables included."""
    seeds = replicate_seeds(scenario.seed, replicates)
    run_batch(scenario, seeds[:2])  # warm-up: first-use imports and caches
    return _month_rates(
        replicates * scenario.steps,
        lambda: [run_replicate(scenario, seed) for seed in seeds],
        lambda: [run_batch(scenario, seeds[k : k + batch]) for k in range(0, replicates, batch)],
    )


def _month_rates(months: int, *runners: Callable[[], object]) -> tuple[float, float]:
    """Replicate-months per CPU-second of each runner (one BLAS thread, after a garbage collection)."""
    rates = []
    for runner in runners:
        with threadpool_limits(limits=1, user_api="blas"):
            gc.collect()
            start = time.process_time()
            runner()
            rates.append(months / (time.process_time() - start))
    return rates[0], rates[1]


def calibration_rates(scenario: Scenario, replicates: int, batch: int) -> tuple[float, float]:
    """Replicate-months per CPU-second of the engine alone (no measures, no tables: what a calibration
    reading relations needs), one model at a time and in batches."""
    seeds = replicate_seeds(scenario.seed, replicates)
    return _month_rates(
        replicates * scenario.steps,
        lambda: [AlignmentModel(scenario, seed=seed).run() for seed in seeds],
        lambda: [ReplicateBatch(scenario, seeds[k : k + batch]).run() for k in range(0, replicates, batch)],
    )


def print_ensembles(args: argparse.Namespace) -> None:
    cases = [(load_scenario(ROOT / "scenarios" / "article_timeline_2024.yaml"), "flagship (8 states, 36 months)", 1)]
    if not args.quick:
        scenario, label = scenario_for(50, 36, busy=False)
        cases.append((scenario, f"{label}, 36 months", 8))
    print()
    print(
        "| ensemble, tables included | replicates | replicate-months per CPU-s, one by one | in batches "
        "| batched / one by one |"
    )
    print("|---|---:|---:|---:|---:|")
    for scenario, label, fewer in cases:
        reps = max(1, args.replicates // fewer)
        single, batched = ensemble_rates(scenario, reps, min(args.batch, reps))
        print(
            f"| {label} | {reps} | {single:,.0f} | {batched:,.0f} (of {min(args.batch, reps)}) | {batched / single:.2f} |",
            flush=True,
        )
    flagship = cases[0][0]
    reps = min(args.replicates, 64)
    single, batched = calibration_rates(flagship, reps, reps)
    print(
        f"| engine alone (no measures, no tables): flagship | {reps} | {single:,.0f} | {batched:,.0f} (of {reps}) "
        f"| {batched / single:.2f} |"
    )
    print(
        f"(the flagship's month per replicate in a batch, engine alone: {1e3 / batched:.3f} CPU-ms; "
        f"one model alone: {1e3 / single:.3f})",
        flush=True,
    )
    if args.quick:
        return
    scenario, label = scenario_for(150, 120, busy=False)
    reps = 8
    single, batched = calibration_rates(scenario, reps, reps)
    print(
        f"| engine alone (a calibration's runs): {label}, 120 months | {reps} | {single:,.0f} | {batched:,.0f} (of {reps}) | {batched / single:.2f} |"
    )
    replicate_decades = 20_000
    hours = replicate_decades * 120 / max(single, batched) / 2 / 3600
    print(
        f"(a calibration of {replicate_decades:,} replicate-decades of a 150-state world on 2 cores at this rate: "
        f"{hours * 60:.0f} minutes)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="N = 8 and 50, 12 steps, small ensembles: a smoke run")
    parser.add_argument("--sizes", type=int, nargs="+", default=None, help=f"default {' '.join(map(str, SIZES))}")
    parser.add_argument("--steps", type=int, default=None, help="steps of the full-model runs (default 120)")
    parser.add_argument("--repeats", type=int, default=None, help="full-model runs per size (one above 200 states)")
    parser.add_argument("--busy", action="store_true", help="also the workloads with scripted acts")
    parser.add_argument("--reference", action="store_true", help="also time the plain-Python reference model")
    parser.add_argument("--reference-steps", type=int, default=None, help="reference steps per size")
    parser.add_argument("--replicates", type=int, default=None, help="replicates of the ensemble figures (default 400)")
    parser.add_argument("--batch", type=int, default=64, help="replicates per batch (default 64, as ensembles use)")
    parser.add_argument("--no-ensembles", action="store_true", help="skip the ensemble figures")
    args = parser.parse_args(argv)
    args.sizes = args.sizes or list(QUICK_SIZES if args.quick else SIZES)
    args.steps = args.steps or (12 if args.quick else 120)
    args.repeats = args.repeats or (1 if args.quick else 3)
    args.replicates = args.replicates or (8 if args.quick else 400)

    print(
        f"python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} CPUs, "
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}, BLAS limited to 1 thread; CPU time per step",
        flush=True,
    )
    print_engine(engine_rows(args), args.steps)
    if not args.no_ensembles:
        print_ensembles(args)
    print(f"load average at the end {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
