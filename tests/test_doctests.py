"""The examples in newsie's docstrings run and print what they say.

Every module of the package is checked with ``doctest.testmod``. A module
whose examples need an optional package lists it in ``__doctest_requires__``
and is skipped, with the reason, when that package is missing. ``newsie`` is
in every example's namespace, as after ``import newsie``.
"""

from __future__ import annotations

import doctest
import importlib
import importlib.util
import pkgutil
from pathlib import Path
from types import ModuleType

import pytest

import newsie

# Not run: importing newsie.__main__ runs the command line.
NOT_MODULES = {"newsie.__main__"}

MODULES = ["newsie"] + sorted(
    m.name for m in pkgutil.walk_packages(newsie.__path__, prefix="newsie.") if m.name not in NOT_MODULES
)

# Examples known to be wrong in modules this test does not own, reported to
# their owners. The test expects them to fail (and says so in the summary)
# until they are fixed; then remove the entry.
KNOWN_FAILURES: dict[str, str] = {}


# Public functions of modules this test does not own that have no example yet.
NO_EXAMPLE_YET: set[str] = set()

PUBLIC_FUNCTIONS = sorted(
    name for name in newsie.__all__ if callable(getattr(newsie, name)) and not isinstance(getattr(newsie, name), type)
) + ["Document.from_dict", "Document.to_dict", "Document.to_json"]


@pytest.mark.parametrize("name", PUBLIC_FUNCTIONS)
def test_public_function_has_an_example(name):
    """Every public function's docstring has a runnable ``>>>`` example."""
    obj = newsie
    for part in name.split("."):
        obj = getattr(obj, part)
    if name in NO_EXAMPLE_YET:
        pytest.xfail(f"newsie.{name} has no >>> example yet (its module's owner to add one)")
    assert ">>>" in (obj.__doc__ or ""), f"newsie.{name} has no >>> example in its docstring"


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    try:
        module = importlib.import_module(name)
    except ImportError as e:
        pytest.skip(f"{name} needs an optional package that is not installed: {e}")
    missing = [pkg for pkg in getattr(module, "__doctest_requires__", ()) if importlib.util.find_spec(pkg) is None]
    if missing:
        pytest.skip(f"{name}'s examples need {', '.join(missing)} (pip install 'newsie[notebook]')")
    if name in KNOWN_FAILURES:
        pytest.xfail(KNOWN_FAILURES[name])  # remove the entry once fixed
    result = doctest.testmod(
        _with_docstrings(module),
        extraglobs={"newsie": newsie},
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        report=True,
        verbose=False,
    )
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed (see the output above)"


def _with_docstrings(module: ModuleType) -> ModuleType:
    """The module itself, or for a mypyc-compiled one (see hatch_build.py),
    which keeps no docstrings, a pure-Python twin loaded from the ``.py``
    source that ships beside it — the examples are checked either way."""
    path = Path(getattr(module, "__file__", "") or "")
    if path.suffix == ".py":
        return module
    source = path.parent / (module.__name__.rsplit(".", 1)[-1] + ".py")
    assert source.is_file(), f"{module.__name__} is compiled ({path.name}) but its source {source} is not installed"
    spec = importlib.util.spec_from_file_location(module.__name__, source)
    assert spec is not None and spec.loader is not None
    twin = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(twin)
    return twin
