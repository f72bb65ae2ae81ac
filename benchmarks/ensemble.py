"""Benchmark: a large ensemble of the article timeline, timed and with its peak memory.

    .venv/bin/python benchmarks/ensemble.py                      # 1,000 replicates on all cores
    .venv/bin/python benchmarks/ensemble.py --replicates 200 --workers 1
    .venv/bin/python benchmarks/ensemble.py --replicates 10000 --stream   # streamed to Parquet parts
    .venv/bin/python benchmarks/ensemble.py --quick      # 8 replicates on 1 worker (with --stream too): a smoke run
    .venv/bin/python benchmarks/ensemble.py --dask       # a Dask LocalCluster of 1 and of 2 workers: the speed-up

Prints the time to simulate, the time to write the run folder (CSV, Parquet when pyarrow is
installed, the ensemble charts), the total against the 30-second target, and the peak memory of
the parent process and of the parent with its worker processes (sampled from /proc on Linux).
With ``--stream`` the ensemble is written to Parquet parts as it runs (alignsim.experiments.streaming) and the
figure that matters is the peak memory, which must stay under 1 GiB for 10,000 replicates: it is
printed for the parent, for the largest worker and for the whole process tree.
Speed is measured here, not in the tests (timed tests are flaky on shared machines).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 30.0


class MemorySampler:
    """Peak resident memory of this process and all its descendants, and the CPU time they used,
    sampled every ``interval`` from /proc (Linux; elsewhere both stay 0)."""

    def __init__(self, interval: float = 0.25) -> None:
        self.interval = interval
        self.peak = 0
        self.cpu: dict[int, float] = {}  # pid -> CPU seconds (user + system), last seen
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            rss, cpu = _tree_usage(os.getpid())
            self.peak = max(self.peak, rss)
            self.cpu.update(cpu)
            self._stop.wait(self.interval)

    def cpu_seconds(self, exclude: int | None = None) -> float:
        return sum(t for pid, t in self.cpu.items() if pid != exclude)


def _tree_usage(root: int) -> tuple[int, dict[int, float]]:
    """Resident bytes of ``root`` and its descendants, and each one's CPU seconds so far."""
    proc = Path("/proc")
    if not proc.is_dir():
        return 0, {}
    tick = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        cpu[pid] = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    return sum(rss.get(pid, 0) for pid in tree), {pid: cpu[pid] for pid in tree if pid in cpu}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replicates", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=None, help="default: all cores")
    parser.add_argument("--scenario", type=Path, default=ROOT / "scenarios" / "article_timeline_2024.yaml")
    parser.add_argument("--no-save", action="store_true", help="time the simulation only")
    parser.add_argument(
        "--stream", action="store_true", help="stream the run to Parquet parts (with charts) and report peak memory"
    )
    parser.add_argument("--quick", action="store_true", help="8 replicates on 1 worker: a smoke run")
    parser.add_argument(
        "--dask", action="store_true", help="simulate on a Dask LocalCluster of 1, then 2 worker processes"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.replicates, args.workers = 8, 1
    if args.dask:
        return dask_benchmark(args)
    if args.stream:
        return stream_benchmark(args)

    from alignsim.config.scenario import load_scenario
    from alignsim.experiments.replicates import default_workers, resolve_workers
    from alignsim.experiments.simulate import run_replicate, run_scenario
    from alignsim.results.folders import has_pyarrow

    scenario = load_scenario(args.scenario)
    workers = resolve_workers(args.workers, args.replicates)
    print(
        f"alignsim ensemble benchmark: {scenario.name}, {args.replicates} replicates x {scenario.steps} months, "
        f"{workers} workers on a {default_workers()}-core machine, Python {sys.version.split()[0]}"
    )

    started, cpu = time.perf_counter(), time.process_time()
    for k in range(5):
        run_replicate(scenario, k)
    one, one_cpu = (time.perf_counter() - started) / 5, (time.process_time() - cpu) / 5
    print(
        f"  one replicate in one process:   {one * 1000:6.1f} ms ({one_cpu * 1000:.1f} ms of CPU; model, recorder, tables)"
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"  load average before the run:    {load:6.2f} (other processes compete for the cores when it is above 0)")

    with MemorySampler() as memory:
        started, cpu = time.perf_counter(), time.process_time()
        result = run_scenario(scenario, replicates=args.replicates, workers=workers, progress=sys.stderr.isatty())
        simulated, parent_cpu = time.perf_counter() - started, time.process_time() - cpu
        after_run = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        worker_cpu = memory.cpu_seconds(exclude=os.getpid())
        print(
            f"  simulate {args.replicates} replicates:     {simulated:6.1f} s  ({simulated / args.replicates * workers * 1000:.1f} ms per replicate per worker)"
        )
        if worker_cpu:
            print(
                f"    CPU used: workers {worker_cpu:.1f} s, parent {parent_cpu:.1f} s; on {workers} idle cores that is "
                f"{max(worker_cpu / workers, parent_cpu):.1f} s of simulation"
            )
        saved = 0.0
        if not args.no_save:
            folder = Path(tempfile.mkdtemp(prefix="alignsim-bench-"))
            try:
                started = time.perf_counter()
                out = result.save(folder / "run")
                saved = time.perf_counter() - started
                size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
                formats = "CSV + Parquet" if has_pyarrow() else "CSV"
                print(
                    f"  save the run folder:            {saved:6.1f} s  ({formats} + 5 charts, {size / 1e6:.0f} MB on disk)"
                )
            finally:
                shutil.rmtree(folder, ignore_errors=True)
    total = simulated + saved
    verdict = "met" if total <= TARGET_SECONDS else "MISSED"
    print(f"  total:                          {total:6.1f} s  (target <= {TARGET_SECONDS:.0f} s: {verdict})")
    unit = 1 if sys.platform == "darwin" else 1024
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * unit
    print(
        f"  peak memory: parent {after_run * unit / 2**20:.0f} MiB after the run, {parent / 2**20:.0f} MiB after saving"
        + (
            f"; parent + workers {memory.peak / 2**20:.0f} MiB (sampled; pages shared with the fork server counted in each)"
            if memory.peak
            else ""
        )
    )
    return 0


def dask_benchmark(args: argparse.Namespace) -> int:
    """Simulate the ensemble on a Dask LocalCluster (worker processes, one thread each) of 1 and then
    2 workers: wall time and the speed-up, with the workers' CPU time (sampled from /proc)."""
    from distributed import LocalCluster

    from alignsim.config.scenario import load_scenario
    from alignsim.experiments.simulate import run_scenario

    scenario = load_scenario(args.scenario)
    print(
        f"alignsim on a Dask LocalCluster: {scenario.name}, {args.replicates} replicates x {scenario.steps} months, "
        f"load average {os.getloadavg()[0]:.1f} at the start"
    )
    walls = {}
    for workers in (1, 2):
        with (
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
            MemorySampler() as sampler,
        ):
            run_scenario(scenario, replicates=min(8, args.replicates), scheduler=cluster.scheduler_address)  # warm
            started, cpu = time.perf_counter(), sampler.cpu_seconds(exclude=os.getpid())
            run_scenario(scenario, replicates=args.replicates, scheduler=cluster.scheduler_address)
            walls[workers] = time.perf_counter() - started
            sampler._stop.wait(0.3)
            worker_cpu = sampler.cpu_seconds(exclude=os.getpid()) - cpu
        print(
            f"  {workers} worker{'s' if workers > 1 else ''}: {walls[workers]:6.2f} s wall (workers' CPU {worker_cpu:.1f} s)"
        )
    print(f"  speed-up, 2 workers against 1: {walls[1] / walls[2]:.2f}x")
    return 0


MEMORY_TARGET = 2**30  # bytes: a streamed 10,000-replicate run must stay below 1 GiB


class PeakSampler(MemorySampler):
    """MemorySampler that also keeps each process's own peak (VmHWM in /proc/PID/status)."""

    def __init__(self, interval: float = 0.25) -> None:
        super().__init__(interval)
        self.own_peak: dict[int, int] = {}
        self.pss_peak = 0  # the tree's proportional set size: a page shared by k processes counts 1/k in each

    def _run(self) -> None:
        while not self._stop.is_set():
            rss, cpu = _tree_usage(os.getpid())
            self.peak = max(self.peak, rss)
            self.cpu.update(cpu)
            self.pss_peak = max(self.pss_peak, sum(_pss(pid) for pid in cpu))
            for pid in cpu:
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        self.own_peak[pid] = max(self.own_peak.get(pid, 0), int(line.split()[1]) * 1024)
            self._stop.wait(self.interval)


def _pss(pid: int) -> int:
    """Proportional set size of a process in bytes (0 when unknown)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def stream_benchmark(args: argparse.Namespace) -> int:
    """Run the ensemble streamed to Parquet parts (what ``alignsim run`` does from 2,000 replicates)
    and print its time and peak memory: parent, largest worker, whole tree."""
    from alignsim.config.scenario import load_scenario
    from alignsim.experiments.replicates import default_workers, resolve_workers
    from alignsim.experiments.streaming import PART_REPLICATES, stream_scenario

    scenario = load_scenario(args.scenario)
    workers = resolve_workers(args.workers, args.replicates)
    print(
        f"alignsim streamed ensemble benchmark: {scenario.name}, {args.replicates} replicates x {scenario.steps} months, "
        f"{workers} workers on a {default_workers()}-core machine, parts of {PART_REPLICATES} replicates, Python {sys.version.split()[0]}"
    )
    folder = Path(tempfile.mkdtemp(prefix="alignsim-bench-"))
    try:
        with PeakSampler() as memory:
            started = time.perf_counter()
            result = stream_scenario(
                scenario,
                folder / "run",
                replicates=args.replicates,
                workers=workers,
                progress=sys.stderr.isatty(),
                charts=not args.no_save,
            )
            elapsed = time.perf_counter() - started
        size = sum(p.stat().st_size for p in result.folder.rglob("*") if p.is_file())
        print(
            f"  simulate and write {args.replicates} replicates: {elapsed:6.1f} s  ({result.manifest['parts']} parts per table"
            f"{' + 5 charts' if not args.no_save else ''}, {size / 1e6:.0f} MB on disk)"
        )
        started = time.perf_counter()
        band = result.band("PRK", "CUB")
        print(
            f"  lazy load, band of PRK->CUB:    {time.perf_counter() - started:6.2f} s  (end: median {band['median'].iloc[-1]:+.3f}, "
            f"5-95% [{band['p5'].iloc[-1]:+.3f}, {band['p95'].iloc[-1]:+.3f}])"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    unit = 1 if sys.platform == "darwin" else 1024
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * unit
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * unit  # children that have exited
    others = {pid: peak for pid, peak in memory.own_peak.items() if pid != os.getpid()}
    worker = max([children, *others.values()])
    total = memory.pss_peak or memory.peak
    verdict = "met" if max(parent, worker, total) < MEMORY_TARGET else "MISSED"
    print(
        f"  peak memory: parent {parent / 2**20:.0f} MiB (getrusage RUSAGE_SELF), largest worker {worker / 2**20:.0f} MiB "
        f"(VmHWM / RUSAGE_CHILDREN); parent + fork server + workers together {total / 2**20:.0f} MiB "
        f"(sampled PSS: pages they share counted once)  (target < 1024 MiB each: {verdict})"
    )
    if memory.peak:
        print(
            f"    (summing their resident sizes instead, which counts every shared page in each process: {memory.peak / 2**20:.0f} MiB)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
