"""The grading matrix of GB/T 22240-2020, all nine cells, and the higher-of-two rule."""

from __future__ import annotations

import pytest

from gradesec.catalog.grading import Harm, grade

CELLS = [
    ("citizen", "general", 1),
    ("citizen", "serious", 2),
    ("citizen", "grave", 3),
    ("society", "general", 2),
    ("society", "serious", 3),
    ("society", "grave", 4),
    ("nation", "general", 3),
    ("nation", "serious", 4),
    ("nation", "grave", 5),
]


@pytest.mark.parametrize(("obj", "degree", "level"), CELLS)
def test_matrix_cell(obj: str, degree: str, level: int) -> None:
    assert Harm.parse(f"{obj}:{degree}").level == level
    assert grade(f"{obj}:{degree}", "citizen:general").level == level


def test_level_is_the_higher_aspect() -> None:
    result = grade("citizen:serious", "society:grave")
    assert result.level == 4
    zh = result.explain("zh")
    assert "第四级" in zh[-2] and any("专家评审" in line for line in zh)
    assert "Level 4" in result.explain("en")[2]


def test_level_one_needs_no_review() -> None:
    assert len(grade("citizen:general", "citizen:general").explain("en")) == 3
