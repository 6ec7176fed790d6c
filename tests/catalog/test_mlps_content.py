"""The shipped MLPS 2.0 general-requirement checklists: completeness by counts, and every item well formed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from gradesec.catalog.loader import Catalog, load_catalog

SNAPSHOT = Path(__file__).parent / "snapshots" / "item-ids.txt"

# (items, control points) per category, from real level-2 and level-3 assessment records (domain/mlps.md §1).
EXPECTED = {
    2: {
        "PES": (15, 10),
        "CNS": (4, 3),
        "ABS": (11, 6),
        "CES": (23, 10),
        "SMC": (4, 2),
        "PSS": (6, 4),
        "ORS": (9, 5),
        "HRS": (7, 4),
        "CMS": (25, 10),
        "MMS": (31, 14),
    },
    3: {
        "PES": (22, 10),
        "CNS": (8, 3),
        "ABS": (20, 6),
        "CES": (34, 11),
        "SMC": (12, 4),
        "PSS": (7, 4),
        "ORS": (14, 5),
        "HRS": (12, 4),
        "CMS": (34, 10),
        "MMS": (48, 14),
    },
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _counts(catalog: Catalog, level: int) -> dict[str, tuple[int, int]]:
    items = catalog.items_for(f"mlps-l{level}")
    per_cat: dict[str, tuple[int, set[str]]] = {}
    for item in items:
        n, controls = per_cat.get(item.category.code, (0, set()))
        per_cat[item.category.code] = (n + 1, controls | {item.control.id})
    return {code: (n, len(controls)) for code, (n, controls) in per_cat.items()}


@pytest.mark.parametrize("level", [2, 3])
def test_counts_per_category_match_the_records(catalog: Catalog, level: int) -> None:
    assert _counts(catalog, level) == EXPECTED[level]


def test_level_totals(catalog: Catalog) -> None:
    assert len(catalog.items_for("mlps-l2")) == 135
    assert len(catalog.items_for("mlps-l3")) == 211
    assert len({i.control.id for i in catalog.items_for("mlps-l3")}) == 71
    assert len({i.control.id for i in catalog.items_for("mlps-l2")}) == 68


def test_levels_one_and_four_are_complete(catalog: Catalog) -> None:
    """Level 4 holds all level-3 control points; level 1 covers every category but the management centre."""
    l1 = _counts(catalog, 1)
    l3 = _counts(catalog, 3)
    l4 = _counts(catalog, 4)
    assert set(l4) == set(l3) and all(l4[c][1] == l3[c][1] and l4[c][0] >= l3[c][0] for c in l3)
    assert set(l1) == set(l3) - {"SMC"}
    assert all(l1[c][0] < l3[c][0] for c in l1)


def test_level_three_weight_distribution(catalog: Catalog) -> None:
    weights = Counter(i.weight for i in catalog.items_for("mlps-l3"))
    assert weights == {1.0: 39, 0.7: 107, 0.4: 65}


@pytest.mark.parametrize("level", [1, 2, 3, 4])
def test_every_item_is_complete_at_every_level(catalog: Catalog, level: int) -> None:
    for item in catalog.items_for(f"mlps-l{level}"):
        assert item.text.zh.strip() and item.text.en.strip(), item.id
        assert item.item.guidance.zh and item.item.guidance.en, item.id
        assert 0 < item.weight <= 1 and item.weight in (0.4, 0.7, 1.0), item.id
        assert item.item.methods, item.id
        assert item.item.objects, item.id
        assert item.item.weight_source.get(level) in ("record", "judged"), item.id


def test_technical_items_carry_unit_ids_of_their_level(catalog: Catalog) -> None:
    for item in catalog.items_for("mlps-l3"):
        if item.category.cls == "technical":
            assert item.unit_id and item.unit_id.startswith("L3-"), item.id
    assert "L3-CES1-16" not in {i.unit_id for i in catalog.items_for("mlps-l3")}


def test_high_risk_cases_link_existing_items_at_their_levels(catalog: Catalog) -> None:
    assert 35 <= len(catalog.high_risk["mlps-2019-high-risk"].cases) <= 50
    assert len(catalog.cases) == len(catalog.high_risk["mlps-2019-high-risk"].cases) + 39  # + extension cases
    for case in catalog.cases.values():
        for item_id in case.items:
            assert item_id in catalog.items
            assert set(case.levels) & set(catalog.items[item_id][2].levels), (case.id, item_id)
    linked = {c for _, _, item in catalog.items.values() for c in item.high_risk}
    assert linked <= set(catalog.cases)


def test_item_ids_are_stable(catalog: Catalog) -> None:
    """A snapshot of every id and its levels: an accidental rename or level change fails here.

    To change the catalog on purpose, regenerate with GRADESEC_UPDATE_SNAPSHOT=1 and review the diff.
    """
    import os

    lines = sorted(
        f"{item_id} {','.join(map(str, sorted(entry[2].levels)))}" for item_id, entry in catalog.items.items()
    )
    text = "\n".join(lines) + "\n"
    if os.environ.get("GRADESEC_UPDATE_SNAPSHOT"):
        SNAPSHOT.write_text(text, encoding="utf-8")
    assert SNAPSHOT.read_text(encoding="utf-8") == text
