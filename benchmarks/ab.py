"""Time two copies of newsie against each other, rounds interleaved (A B A B …).

On a shared machine the speed of the host drifts by ±40 % within minutes, so
two benchmark runs made at different times cannot show a gain of 20 %. Here
each round runs both copies back to back, in fresh subprocesses, over the same
articles held in memory, and the per-round ratio of their CPU times is what is
reported (its median, and the range). A copy is a folder holding the
``newsie`` package — a wheel unpacked with ``pip install --no-deps --target
DIR .``, or a checkout's ``src``:

    pip install --no-deps --target /tmp/new .
    git stash; pip install --no-deps --target /tmp/old .; git stash pop
    python benchmarks/ab.py /tmp/old /tmp/new --rounds 5

Each subprocess reads every file of the corpus (default: the 1,000 articles of
``bench_tagging.py``) into memory, runs a warm-up on the first 50, then times
one pass of what ``newsie extract`` does per file: ``read_bytes`` → ``process``
→ the JSON line (``orjson.dumps(doc.to_dict())``). MB/s is per core: UTF-8
bytes of the normalized text (and of the input files) per CPU second.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ONE_PASS = r"""
import json, sys, time
from pathlib import Path
import orjson
from newsie.pipeline import process
from newsie.read import read_bytes

corpus = Path(sys.argv[1])
blobs = [(p.name, p.read_bytes()) for p in sorted(corpus.iterdir()) if p.is_file() and p.name != "manifest.json"]
for name, data in blobs[:50]:
    for raw in read_bytes(data, id=name, path=name):
        process(raw)
text_bytes = 0
cpu = time.process_time()
for name, data in blobs:
    for raw in read_bytes(data, id=name, path=name):
        doc = process(raw)
        orjson.dumps(doc.to_dict())
        text_bytes += len(doc.text.encode())
cpu = time.process_time() - cpu
import newsie
print(json.dumps({"cpu": cpu, "text_bytes": text_bytes, "file_bytes": sum(len(d) for _, d in blobs), "articles": len(blobs), "newsie": newsie.__file__}))
"""


def one_pass(copy: str, corpus: Path) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=copy)
    run = subprocess.run([sys.executable, "-c", ONE_PASS, str(corpus)], env=env, capture_output=True, text=True, check=True, cwd="/")
    result: dict[str, float] = json.loads(run.stdout.splitlines()[-1])
    if not str(result["newsie"]).startswith(str(Path(copy).resolve())):
        raise SystemExit(f"{copy}: the subprocess imported newsie from {result['newsie']}, not from this copy")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("a", help="folder holding the first newsie copy (the baseline)")
    parser.add_argument("b", help="folder holding the second newsie copy")
    parser.add_argument("--corpus", default="/tmp/newsie-bench-tagging/corpus", help="folder of articles (benchmarks/make_corpus.py)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds, each timing A then B (or B then A: the order alternates)")
    args = parser.parse_args(argv)
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        parser.error(f"{corpus} is not a folder: make one with python benchmarks/make_corpus.py --articles 1000 --out {corpus}")
    ratios, speeds = [], {"a": [], "b": []}
    print("| round | A CPU s | B CPU s | B faster by | A MB/s text | B MB/s text | B MB/s files |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in range(args.rounds):
        order = ("a", "b") if r % 2 == 0 else ("b", "a")
        results = {side: one_pass(getattr(args, side), corpus) for side in order}
        a, b = results["a"], results["b"]
        ratios.append(a["cpu"] / b["cpu"])
        for side in "ab":
            speeds[side].append(results[side]["text_bytes"] / results[side]["cpu"] / 1e6)
        print(
            f"| {r + 1} | {a['cpu']:.2f} | {b['cpu']:.2f} | {ratios[-1]:.2f}× | {speeds['a'][-1]:.2f} | {speeds['b'][-1]:.2f} "
            f"| {b['file_bytes'] / b['cpu'] / 1e6:.2f} |",
            flush=True,
        )
    print(
        f"\nB is {statistics.median(ratios):.2f}× as fast as A (median of {len(ratios)} interleaved rounds; {min(ratios):.2f}–{max(ratios):.2f}); "
        f"median MB/s of text per core: A {statistics.median(speeds['a']):.2f}, B {statistics.median(speeds['b']):.2f} "
        f"(B {min(speeds['b']):.2f}–{max(speeds['b']):.2f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
