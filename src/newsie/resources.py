"""Where newsie's language data lives.

The editable source of every lexicon and pattern is the top-level
``patterns/`` folder; the wheel ships a copy as ``newsie/patterns``. An
installed newsie reads the copy, a source checkout (editable install) reads
the folder itself.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def patterns_dir() -> Path:
    for candidate in (_PACKAGE_DIR / "patterns", _PACKAGE_DIR.parents[1] / "patterns"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        "newsie cannot find its patterns/ folder; reinstall the package (pip install newsie) "
        "or run from a source checkout"
    )


def pattern_path(name: str) -> Path:
    """Path of one data file in ``patterns/``, e.g. ``pattern_path("units.toml")``."""
    path = patterns_dir() / name
    if not path.is_file():
        raise FileNotFoundError(f"newsie pattern file {name!r} is missing from {patterns_dir()}")
    return path


@cache
def contract_schema() -> dict:
    """The JSON Schema of the output contract (``newsie/1``) shipped in the package."""
    import json

    with open(_PACKAGE_DIR / "schema" / "newsie-1.schema.json", encoding="utf-8") as f:
        return json.load(f)
