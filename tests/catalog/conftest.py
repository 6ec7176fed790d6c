from __future__ import annotations

import shutil
from pathlib import Path

import pytest

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A private copy of the small valid catalog, to break in each test."""
    dest = tmp_path / "mini"
    shutil.copytree(MINI, dest)
    return dest
