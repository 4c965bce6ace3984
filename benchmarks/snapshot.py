"""The code a benchmark times, frozen in a scratch folder.

Others may edit the work tree during a run of several minutes; timing a
snapshot keeps every configuration and round on the same code, and its
fingerprint goes into the report. Two kinds:

* ``wheel`` (default): ``pip install --no-deps --target`` of this checkout —
  the wheel users get, with the stages hatch_build.py compiles with mypyc;
* ``source``: a copy of src/newsie and patterns/ — pure Python.

Workers put ``SNAPSHOT/src`` first on ``PYTHONPATH``.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BUILDS = ("wheel", "source")
DESCRIPTION = {
    "wheel": "the wheel `pip install --target` builds from this checkout (normalize, quantities, regions, entities, facts, _construct, _prefilter compiled with mypyc)",
    "source": "a copy of src/newsie and patterns/ (pure Python)",
}


def build_snapshot(work: Path, build: str = "wheel") -> tuple[Path, str]:
    """Fill ``work/snapshot``; return it and a sha256 prefix of what it holds."""
    root = work / "snapshot"
    if root.exists():
        shutil.rmtree(root)
    if build == "wheel":
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(root / "src"), str(REPO)],
            check=True,
        )
        if not list((root / "src" / "newsie").glob("*.so")):
            sys.exit("the wheel was built without its compiled stages (see pip's output above); use --build source to time pure Python")
        names = ["src/newsie"]
    elif build == "source":
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.so")
        shutil.copytree(REPO / "src" / "newsie", root / "src" / "newsie", ignore=ignore)
        shutil.copytree(REPO / "patterns", root / "patterns", ignore=ignore)
        names = ["src/newsie", "patterns"]
    else:
        raise ValueError(f"build must be one of {BUILDS}, not {build!r}")
    digest = hashlib.sha256()
    for name in names:
        for f in sorted((root / name).rglob("*")):
            if f.is_file() and "__pycache__" not in f.parts:
                digest.update(str(f.relative_to(root)).encode() + b"\0" + f.read_bytes())
    return root, digest.hexdigest()[:16]
