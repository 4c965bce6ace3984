from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "corpus" / "articles" / "000_seed.txt"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED
