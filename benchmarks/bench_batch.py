"""Batch throughput of ``newsie extract`` with 1 and 2 worker processes.

Generates (once) a corpus of article variants with ``make_corpus.py``
(default 10,000 articles in ``/tmp/newsie-bench/batch-corpus``), runs

    newsie extract CORPUS -o OUT.jsonl --jobs N -q --exclude manifest.json

for each N, and measures wall time, articles/s and MB/s (overall and after
start-up, from the first record written), peak RSS of the main process, of
each worker and of the fork server (VmHWM sampled from /proc), and the scaling
efficiency (rate with N workers / (N × rate with 1)). The machine's load is
recorded: on a shared machine another job's CPU use caps the scaling.

    python benchmarks/bench_batch.py [--articles 10000] [--jobs 1 2] [--write]

``--write`` writes ``benchmarks/results/batch.md``. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_corpus import generate  # noqa: E402
from snapshot import BUILDS, build_snapshot  # noqa: E402
from snapshot import DESCRIPTION as SNAPSHOT_DESCRIPTION  # noqa: E402

RESULTS = HERE / "results" / "batch.md"


def corpus(articles: int, folder: Path) -> dict:
    manifest_path = folder / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("articles") == articles:
            return manifest
    return generate(articles, folder)


def _processes() -> dict[int, tuple[int, float]]:
    """pid → (parent pid, CPU seconds used so far) of every process."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            out[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
        except (OSError, IndexError, ValueError):
            continue
    return out


def _tree(root: int, processes: dict[int, tuple[int, float]]) -> dict[int, int]:
    """pid → depth below ``root`` (0 for root itself) of root and its descendants."""
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in processes.items():
        children.setdefault(parent, []).append(pid)
    depth, stack = {root: 0}, [root]
    while stack:
        pid = stack.pop()
        for child in children.get(pid, []):
            depth[child] = depth[pid] + 1
            stack.append(child)
    return depth


def _peak_kib(pid: int) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _busy_seconds() -> float:
    """CPU seconds the whole machine has been busy (all cores), from /proc/stat."""
    with open("/proc/stat", encoding="utf-8") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def run(folder: Path, jobs: int, out: Path, total_bytes: int, snapshot: Path) -> dict:
    command = [sys.executable, "-m", "newsie", "extract", str(folder), "-o", str(out), "--jobs", str(jobs), "-q", "--exclude", "manifest.json"]
    if out.exists():
        out.unlink()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(snapshot / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]))
    started = time.perf_counter()
    busy_before = _busy_seconds()
    proc = subprocess.Popen(command, env=env)
    peaks: dict[int, int] = {}
    roles: dict[int, str] = {}
    cpu: dict[int, float] = {}
    first_record = None
    lines_at_first = 0
    loads = []
    while proc.poll() is None:
        processes = _processes()
        for pid, depth in _tree(proc.pid, processes).items():
            kib = _peak_kib(pid)
            if kib is None:
                continue
            peaks[pid] = max(peaks.get(pid, 0), kib)
            cpu[pid] = processes[pid][1]
            if pid not in roles:
                # main → fork server (and resource tracker) → workers, forked from the fork server
                roles[pid] = "main" if depth == 0 else ("worker" if depth >= 2 else ("forkserver" if "forkserver" in _cmdline(pid) else "helper"))
        if first_record is None and out.exists() and out.stat().st_size:
            first_record = time.perf_counter()
            with open(out, "rb") as f:
                lines_at_first = sum(1 for _ in f)
        loads.append(os.getloadavg()[0])
        time.sleep(0.2)
    wall = time.perf_counter() - started
    ours = sum(cpu.values())
    others = max(0.0, _busy_seconds() - busy_before - ours)
    with open(out, "rb") as f:
        records = sum(1 for _ in f)
    steady = (time.perf_counter() - first_record) if first_record else wall
    main_kib = peaks.get(proc.pid, 0)
    server = [kib for pid, kib in peaks.items() if roles[pid] == "forkserver"]
    workers = [kib for pid, kib in peaks.items() if roles[pid] == "worker"]
    return {
        "jobs": jobs,
        "returncode": proc.returncode,
        "records": records,
        "wall_s": wall,
        "articles_per_s": records / wall,
        "mb_per_s": total_bytes / wall / 1e6,
        "steady_articles_per_s": (records - lines_at_first) / steady if steady > 0 else 0.0,
        "startup_s": (first_record - started) if first_record else None,
        "rss_main_mib": main_kib / 1024,
        "rss_forkserver_mib": max(server, default=0) / 1024,
        "rss_workers_mib": [kib / 1024 for kib in sorted(workers)],
        "load_avg": sum(loads) / max(1, len(loads)),
        "own_cpu_cores": ours / wall,
        "other_cpu_cores": others / wall,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--corpus", type=Path, default=Path("/tmp/newsie-bench/batch-corpus"))
    parser.add_argument("--build", choices=BUILDS, default="wheel", help="time the wheel pip builds from this checkout (default: compiled stages, as users install it) or a copy of the sources (pure Python)")
    parser.add_argument("--write", action="store_true", help=f"write {RESULTS.relative_to(HERE.parent)}")
    args = parser.parse_args()
    snapshot, fingerprint = build_snapshot(args.corpus.parent / "batch-snapshot", args.build)
    manifest = corpus(args.articles, args.corpus)
    total_bytes = manifest["total_bytes"]
    print(f"corpus: {manifest['articles']} articles, {total_bytes / 1e6:.1f} MB, {manifest['renderings']}", flush=True)
    results = []
    for jobs in args.jobs:
        result = run(args.corpus, jobs, args.corpus.parent / f"batch-out-{jobs}.jsonl", total_bytes, snapshot)
        results.append(result)
        print(json.dumps(result), flush=True)
    base = next((r for r in results if r["jobs"] == 1), None)
    for r in results:
        r["efficiency"] = (r["articles_per_s"] / (r["jobs"] * base["articles_per_s"])) if base else None
        r["steady_efficiency"] = (r["steady_articles_per_s"] / (r["jobs"] * base["steady_articles_per_s"])) if base else None
    table = _table(results, manifest, f"{SNAPSHOT_DESCRIPTION[args.build]}, sha256 `{fingerprint}`")
    print(table)
    if args.write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(table, encoding="utf-8")


def _table(results: list[dict], manifest: dict, code: str) -> str:
    cores = os.cpu_count()
    lines = [
        "# Batch throughput: `newsie extract --jobs N`",
        "",
        f"Corpus: {manifest['articles']:,} generated articles (`benchmarks/make_corpus.py`, seed {manifest['seed']}), "
        f"{manifest['total_bytes'] / 1e6:.1f} MB, renderings {manifest['renderings']}. "
        f"Machine: {cores} cores, Python {platform.python_version()}, {platform.machine()}. "
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with `python benchmarks/bench_batch.py --write`. Code: {code}.",
        "",
        "| jobs | articles | wall s | start-up s | articles/s | MB/s | articles/s after start-up | efficiency (after start-up) | peak RSS main MiB | peak RSS fork server MiB | peak RSS per worker MiB | CPU used by the run (cores) | articles per CPU-second | CPU used by other processes (cores) | load avg |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|",
    ]
    for r in results:
        eff = f"{r['efficiency']:.0%} ({r['steady_efficiency']:.0%})" if r.get("efficiency") else "–"
        workers = ", ".join(f"{m:.0f}" for m in r["rss_workers_mib"]) or "–"
        startup = f"{r['startup_s']:.1f}" if r["startup_s"] is not None else "–"
        lines.append(
            f"| {r['jobs']} | {r['records']:,} | {r['wall_s']:.1f} | {startup} | {r['articles_per_s']:.1f} | {r['mb_per_s']:.2f} | "
            f"{r['steady_articles_per_s']:.1f} | {eff} | {r['rss_main_mib']:.0f} | {r['rss_forkserver_mib']:.0f} | {workers} | "
            f"{r['own_cpu_cores']:.2f} | {r['records'] / max(1e-9, r['own_cpu_cores'] * r['wall_s']):.0f} | "
            f"{r['other_cpu_cores']:.2f} | {r['load_avg']:.1f} |"
        )
    lines += [
        "",
        "- efficiency = articles/s with N workers ÷ (N × articles/s with 1 worker); \"after start-up\" counts from the first record written.",
        "- Peak RSS is VmHWM from /proc (resident, including pages shared copy-on-write with the fork server, which loads the models once).",
        "- CPU columns: CPU time used during the run by the run itself and by every other process, in cores (÷ wall time); on this shared",
        "  2-core machine a model training job takes about one core, which caps what a second worker can add.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
