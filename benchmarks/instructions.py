"""Count the machine instructions newsie spends per article (callgrind).

Wall-clock and even CPU-time figures on a shared machine move by ±15 % from
one minute to the next, which hides changes of a few per cent. The number
of instructions executed is the same on every run, so this script is how a
change to a hot path is judged before the timing benchmarks confirm it.
It needs valgrind (``apt-get install valgrind``).

    python benchmarks/instructions.py                    # the code on sys.path (e.g. an editable install)
    python benchmarks/instructions.py --pythonpath DIR   # another copy, e.g. a wheel unpacked with pip --target
    python benchmarks/instructions.py --profile out.cg   # keep the profile: callgrind_annotate --inclusive=yes out.cg
    python benchmarks/instructions.py --json             # also each document's JSON line, as `newsie extract` writes it

Runs `newsie.pipeline.process` (as `newsie.extract` does, from the file
bytes) over articles 100 … 100+N of a corpus made by ``make_corpus.py``
(default: the 1,000-article corpus of ``bench_tagging.py``), after a
warm-up on the first 20, and counts only the timed loop: the loop runs inside
``functools.reduce``, and callgrind collects only while that function runs.
Instructions are not time — regex engines run more instructions per
nanosecond than the interpreter — so confirm a gain with the timing scripts.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

WORK_LOOP = r"""
import sys
from functools import reduce
from pathlib import Path
import orjson
from newsie.pipeline import process
from newsie.read import read_bytes

corpus, count, output = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "json"
files = [p for p in sorted(corpus.iterdir()) if p.is_file() and p.name != "manifest.json"]
for path in files[:20]:
    for raw in read_bytes(path.read_bytes(), id=path.name, path=path.name):
        process(raw)
blobs = [(p.name, p.read_bytes()) for p in files[100 : 100 + count]]


def one(_, blob):
    name, data = blob
    for raw in read_bytes(data, id=name, path=name):
        doc = process(raw)
        if output:  # what `newsie extract` writes for it
            orjson.dumps(doc.to_dict())


reduce(one, blobs, None)
print(len(blobs))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="/tmp/newsie-bench-tagging/corpus", help="folder of generated articles (make_corpus.py)")
    parser.add_argument("--articles", type=int, default=50, help="articles counted (default 50; about a minute)")
    parser.add_argument("--pythonpath", help="put this folder first on the import path (a newsie copy to measure)")
    parser.add_argument("--profile", help="write the callgrind profile here")
    parser.add_argument("--json", action="store_true", help="also count each document's JSON line (Document.to_dict, orjson), as the CLI writes it")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        parser.error("valgrind is not installed (apt-get install valgrind)")
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        parser.error(f"{corpus} is not a folder: make one with python benchmarks/make_corpus.py --articles 1000 --out {corpus}")
    env = dict(os.environ)
    if args.pythonpath:
        env["PYTHONPATH"] = args.pythonpath + os.pathsep + env.get("PYTHONPATH", "")
    command = [
        "valgrind",
        "--tool=callgrind",
        "--collect-atstart=no",
        "--toggle-collect=functools_reduce",
        f"--callgrind-out-file={args.profile or os.devnull}",
        sys.executable,
        "-c",
        WORK_LOOP,
        str(corpus),
        str(args.articles),
        "json" if args.json else "documents",
    ]
    run = subprocess.run(command, env=env, capture_output=True, text=True)
    collected = re.search(r"Collected : (\d+)", run.stderr)
    if run.returncode != 0 or collected is None:
        sys.stderr.write(run.stderr[-3000:])
        return 1
    counted = int(run.stdout.split()[-1])
    print(f"{int(collected.group(1)) // counted:,} instructions per article ({counted} articles from {corpus})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
