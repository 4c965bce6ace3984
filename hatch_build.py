"""Wheel build hook: compile newsie's per-character stages with mypyc.

normalize, quantities, regions, entities and facts (and _construct, which
builds their per-item objects, and _prefilter, whose scanner walks the
candidate positions of the quantity pattern) are plain, fully typed Python
that runs once per figure or per character; mypyc (mypy's compiler,
as used by black and charset-normalizer) turns them into C extensions, about
1.1-1.2x faster end to end (benchmarks/results/tagging.md) with the same code
and the same results. The ``.py`` files ship too, so tracebacks show source;
compiled functions keep no docstrings (tests/test_doctests.py runs the
examples from the shipped sources).

* ``pip install .`` builds the compiled wheel (needs a C compiler and the
  Python headers, present wherever Python was built from source or
  ``python3-dev`` is installed).
* If compilation fails, the build warns and falls back to the pure-Python
  wheel: slower, never different.
* ``NEWSIE_PURE_PYTHON=1 pip install .`` skips compilation on purpose.
* Editable installs (``pip install -e .``) are never compiled, so edits to
  the sources take effect at once.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

# The stages that loop in Python over characters, matches and figures.
COMPILED_MODULES = ("_prefilter", "_construct", "normalize", "quantities", "regions", "entities", "facts")


class CustomBuildHook(BuildHookInterface):  # hatchling finds the hook by this name
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        if os.environ.get("NEWSIE_PURE_PYTHON"):
            self.app.display_info("newsie: NEWSIE_PURE_PYTHON is set, building a pure-Python wheel")
            return
        self._work = Path(tempfile.mkdtemp(prefix="newsie-mypyc-"))
        try:
            built = self._compile(self._work)
        except (OSError, subprocess.CalledProcessError) as e:
            detail = getattr(e, "output", "") or ""
            self.app.display_warning(
                f"newsie: compiling {', '.join(COMPILED_MODULES)} with mypyc failed ({e}); building the "
                f"pure-Python wheel instead (same results, about 1.15x slower).\n{detail[-2000:]}"
            )
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        for path, target in built:
            build_data["force_include"][str(path)] = target
        self.app.display_info(f"newsie: compiled {', '.join(COMPILED_MODULES)} with mypyc")

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        work = getattr(self, "_work", None)
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)

    def _compile(self, work: Path) -> list[tuple[Path, str]]:
        """Run mypyc on a copy of the package; return (built file, path in wheel)."""
        shutil.copytree(Path(self.root) / "src" / "newsie", work / "newsie", ignore=shutil.ignore_patterns("__pycache__", "*.so", "models"))
        command = [sys.executable, "-m", "mypyc", "--ignore-missing-imports", "--follow-imports=silent", *(f"newsie/{m}.py" for m in COMPILED_MODULES)]
        subprocess.run(command, cwd=work, check=True, capture_output=True, text=True)
        built = [(path, f"newsie/{path.name}") for path in (work / "newsie").iterdir() if path.suffix in (".so", ".pyd")]
        # mypyc puts the runtime shared by the compiled modules at the top level.
        built += [(path, path.name) for path in work.iterdir() if path.suffix in (".so", ".pyd")]
        if len(built) < len(COMPILED_MODULES):
            raise OSError(f"mypyc produced {len(built)} extension files for {len(COMPILED_MODULES)} modules")
        return built
