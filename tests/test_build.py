"""The installed package is the one the README promises.

``pip install .`` compiles the per-character stages with mypyc (see
``hatch_build.py``); a failed compilation falls back to pure Python with a
warning that is easy to miss in a long install log. From a non-editable
install, this test makes the fallback visible. ``NEWSIE_PURE_PYTHON=1``
(the switch that asks for the pure wheel) makes it expect pure Python.
"""

from __future__ import annotations

import ast
import importlib
import os
from pathlib import Path

import pytest

import newsie

REPO_SRC = Path(__file__).resolve().parents[1] / "src"
COMPILED_MODULES = ("_prefilter", "_construct", "normalize", "quantities", "regions", "entities", "facts")


def _editable() -> bool:
    return REPO_SRC in Path(newsie.__file__).resolve().parents


@pytest.mark.parametrize("name", COMPILED_MODULES)
def test_hot_stages_are_compiled_in_an_installed_wheel(name):
    module = importlib.import_module(f"newsie.{name}")
    compiled = not module.__file__.endswith(".py")
    if _editable() or os.environ.get("NEWSIE_PURE_PYTHON"):
        assert not compiled, f"newsie.{name} is compiled in an editable / pure-Python install: stale {module.__file__}?"
    else:
        assert compiled, (
            f"newsie.{name} was installed as pure Python ({module.__file__}): the mypyc build in hatch_build.py "
            "failed (see the pip log), or set NEWSIE_PURE_PYTHON=1 if that is what you want"
        )


def test_the_list_matches_the_build_hook():
    hook = ast.parse((Path(__file__).resolve().parents[1] / "hatch_build.py").read_text(encoding="utf-8"))
    assigned = [
        ast.literal_eval(node.value)
        for node in hook.body
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "COMPILED_MODULES" for t in node.targets)
    ]
    assert assigned == [COMPILED_MODULES]
