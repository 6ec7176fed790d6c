"""The extension sets (安全扩展要求) and their high-risk cases, held against tables built from the sources.

Counts per set and level: the issue's figures (cloud 28/46/49, mobile 14/19/21, IoT 7/20/21, ICS 15/21/22, big
data 24 at level 3) and our reading of the standard for level 1 (docs/checklists.md). Cases: the 39 cases of §7–§10
of the 2025 high-risk guide, number → (levels as the guide states them, the item of its appendix A).
"""

from __future__ import annotations

import re

import pytest

from gradesec.catalog.loader import Catalog, load_catalog
from gradesec.errors import NotFoundError


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


EXPECTED = {
    "cloud": {1: 10, 2: 28, 3: 46, 4: 49},
    "mobile": {1: 5, 2: 14, 3: 19, 4: 21},
    "iot": {1: 4, 2: 7, 3: 20, 4: 21},
    "ics": {1: 9, 2: 15, 3: 21, 4: 22},
    "bigdata": {1: 0, 2: 0, 3: 24, 4: 0},
}
DIGIT = {"cloud": 2, "mobile": 3, "iot": 4, "ics": 5}
TECHNICAL = ("PES", "CNS", "ABS", "CES", "SMC")
# GB/T 28448 unit counts per category at level 3 for the cloud set, as in the public M3 checklist.
CLOUD_L3_UNITS = {"PES": 1, "CNS": 5, "ABS": 8, "CES": 19, "SMC": 4}

# The guide's §7–§10: case → (lowest level in its 适用范围, levels: "+" = that level and above, the item).
GUIDE: dict[str, tuple[str, str]] = {
    "7.1.1.1": ("2+", "CLD-PES-01-a"),
    "7.2.1.1": ("2+", "CLD-CNS-01-a"),
    "7.2.1.2": ("2+", "CLD-CNS-01-b"),
    "7.2.1.3": ("4", "CLD-CNS-01-h"),
    "7.2.1.4": ("2+", "CLD-CNS-01-c"),
    "7.3.1.1": ("2+", "CLD-ABS-01-a"),
    "7.3.2.1": ("3+", "CLD-ABS-02-a"),
    "7.4.1.1": ("3+", "CLD-CES-04-c"),
    "7.4.2.1": ("2+", "CLD-CES-05-a"),
    "7.4.3.1": ("2+", "CLD-CES-06-a"),
    "7.4.3.2": ("2+", "CLD-CES-06-d"),
    "7.4.4.1": ("2+", "CLD-CES-07-b"),
    "7.5.1.1": ("3+", "CLD-SMC-01-b"),
    "7.6.1.1": ("2+", "CLD-CMS-01-a"),
    "7.6.2.1": ("3+", "CLD-CMS-02-a"),
    "7.7.1.1": ("2+", "CLD-MMS-01-a"),
    "8.1.1.1": ("4", "MOB-PES-01-a"),
    "8.2.1.1": ("3+", "MOB-ABS-01-a"),
    "8.2.2.1": ("2+", "MOB-ABS-02-a"),
    "8.2.3.1": ("3+", "MOB-ABS-03-d"),
    "8.2.3.2": ("2+", "MOB-ABS-03-e"),
    "8.2.3.3": ("3+", "MOB-ABS-03-b"),
    "8.3.1.1": ("3+", "MOB-CES-02-b"),
    "8.3.1.2": ("3+", "MOB-CES-02-c"),
    "8.4.1.1": ("3+", "MOB-CMS-01-a"),
    "8.4.1.2": ("3+", "MOB-CMS-01-b"),
    "9.1.1.1": ("3+", "IOT-PES-01-a"),
    "9.2.1.1": ("2+", "IOT-ABS-01-a"),
    "9.3.1.1": ("3+", "IOT-CES-01-a"),
    "9.3.2.1": ("3+", "IOT-CES-02-a"),
    "10.1.1.1": ("2+", "ICS-PES-01-a"),
    "10.2.1.1": ("2+", "ICS-CNS-01-a"),
    "10.2.1.2": ("2+", "ICS-CNS-01-b"),
    "10.2.2.1": ("3+", "ICS-CNS-02-a"),
    "10.3.1.1": ("2+", "ICS-ABS-01-a"),
    "10.3.2.1": ("3+", "ICS-ABS-03-d"),
    "10.4.1.1": ("3+", "ICS-CES-01-d"),
    "10.4.1.2": ("3+", "ICS-CES-01-e"),
    "10.5.1.1": ("2+", "ICS-CMS-01-a"),
}
# Where the shipped levels knowingly differ from the guide's, with the reason (docs/checklists.md).
LEVEL_EXCEPTIONS = {
    "7.4.3.2": [3, 4]
}  # the migration item exists from level 3 only (level-2 cloud set: 28 items)
# Cases whose mitigations the guide gives (number → mitigation count); every other case has none.
MITIGATIONS = {
    "7.3.1.1": 1, "7.3.2.1": 1, "7.4.3.1": 1, "7.5.1.1": 1, "8.1.1.1": 1, "8.2.1.1": 1, "8.2.3.1": 2,
    "8.2.3.3": 1, "8.3.1.1": 1, "8.3.1.2": 1, "9.3.1.1": 1, "9.3.2.1": 1, "10.1.1.1": 1, "10.2.1.1": 1,
    "10.2.1.2": 1, "10.2.2.1": 2, "10.3.2.1": 1, "10.4.1.1": 1, "10.4.1.2": 1, "10.5.1.1": 1,
}  # fmt: skip


def _levels(spec: str) -> list[int]:
    return list(range(int(spec[0]), 5)) if spec.endswith("+") else [int(spec)]


def _ext_items(catalog: Catalog, ext: str):  # type: ignore[no-untyped-def]
    for checklist in catalog.extension_checklists(ext):
        for control in checklist.controls:
            for item in control.items:
                yield checklist, control, item


@pytest.mark.parametrize("ext", list(EXPECTED))
def test_item_counts_per_set_and_level(catalog: Catalog, ext: str) -> None:
    for level, expected in EXPECTED[ext].items():
        got = sum(1 for _, _, item in _ext_items(catalog, ext) if level in item.levels)
        assert got == expected, (ext, level, got)


def test_composed_profiles_add_exactly_the_extension_items(catalog: Catalog) -> None:
    for ext, per_level in EXPECTED.items():
        for level, n in per_level.items():
            general = len(catalog.items_for(f"mlps-l{level}"))
            if n == 0:
                with pytest.raises(NotFoundError):
                    catalog.profile(f"mlps-l{level}+{ext}")
                continue
            items = catalog.items_for(f"mlps-l{level}+{ext}")
            assert len(items) == general + n
            assert [i.extension for i in items[general:]] == [ext] * n  # extension items come last
            assert all(i.extension is None for i in items[:general])


def test_every_extension_item_is_complete(catalog: Catalog) -> None:
    seen_units: set[str] = set()
    for ext in EXPECTED:
        for checklist, control, item in _ext_items(catalog, ext):
            assert checklist.extension == ext and checklist.high_risk == "mlps-2019-ext-high-risk"
            for level in item.levels:
                text = item.text_at(level)
                assert text.zh and text.en and re.search("[\u4e00-\u9fff]", text.zh)
                assert 0 < item.weight[level] <= 1 and item.weight_source[level] == "judged"
            assert item.guidance.zh and item.guidance.en and item.evidence is not None
            assert item.methods and item.objects
            category = control.category
            if ext in DIGIT and category in TECHNICAL:
                assert sorted(item.unit_ids) == sorted(item.levels), item.id
                for level, unit in item.unit_ids.items():
                    assert re.fullmatch(rf"L{level}-{category}{DIGIT[ext]}-\d\d", unit), (item.id, unit)
                    assert unit not in seen_units
                    seen_units.add(unit)
            else:  # management categories and the big-data appendix have no public 28448 unit ids
                assert item.unit_ids == {}, item.id
            assert bool(item.sides) == (ext == "cloud"), item.id
            if item.high_risk:
                assert all(item.weight[level] == 1.0 for level in item.levels)


def test_cloud_level3_unit_ids_match_the_public_28448_series(catalog: Catalog) -> None:
    units = [u for _, _, i in _ext_items(catalog, "cloud") for lv, u in i.unit_ids.items() if lv == 3]
    for category, n in CLOUD_L3_UNITS.items():
        got = sorted(u for u in units if u.startswith(f"L3-{category}2-"))
        assert got == [f"L3-{category}2-{k:02d}" for k in range(1, n + 1)]


def test_the_new_object_kinds_exist_in_both_languages(catalog: Catalog) -> None:
    for kind in (
        "hypervisor",
        "cloud_platform",
        "vm_image",
        "wireless_ap",
        "mobile_terminal",
        "mobile_app",
        "sensing_node",
        "gateway_node",
        "controller",
        "bigdata_platform",
    ):
        ok = catalog.object_kinds[kind]
        assert ok.name.zh and ok.name.en


def test_cloud_sides_select_the_items_of_one_side(catalog: Catalog) -> None:
    both = {i.id for i in catalog.items_for("mlps-l3+cloud") if i.extension}
    provider = {i.id for i in catalog.items_for("mlps-l3+cloud-provider") if i.extension}
    customer = {i.id for i in catalog.items_for("mlps-l3+cloud-customer") if i.extension}
    assert provider | customer == both and provider & customer
    assert "CLD-CES-06-a" in customer - provider  # the customer's own local backup
    assert "CLD-CNS-01-b" in provider - customer  # tenant network isolation is the platform's job
    assert catalog.profile("mlps-l3+cloud-customer").cloud_side == "customer"
    assert "云服务客户侧" in catalog.profile("mlps-l3+cloud-customer").title.zh


def test_composed_ids_are_canonical_and_bad_tokens_are_refused(catalog: Catalog) -> None:
    profile = catalog.profile("mlps-l4+ics+cloud+iot")
    assert profile.id == "mlps-l4+cloud+iot+ics"
    assert profile.extensions == ["cloud", "iot", "ics"] and profile.base == "mlps-l4"
    assert profile.extra_high_risk == ["mlps-2019-ext-high-risk"]
    pins = catalog.pinned_hashes(profile.id)
    assert "profile:mlps-l4" in pins and "high_risk:mlps-2019-ext-high-risk" in pins
    assert {
        "checklist:mlps-2019-ext-cloud",
        "checklist:mlps-2019-ext-iot",
        "checklist:mlps-2019-ext-ics",
    } <= set(pins)
    for bad in ("mlps-l3+satellite", "mlps-l3+cloud+cloud", "mlps-l3+mobile-customer", "nope+cloud"):
        with pytest.raises(NotFoundError):
            catalog.profile(bad)
    assert catalog.find_profile("mlps-l3+satellite") is None


def test_all_39_extension_cases_with_the_guides_numbers_levels_and_items(catalog: Catalog) -> None:
    shipped = catalog.high_risk["mlps-2019-ext-high-risk"].cases
    assert len(shipped) == 39 and len(GUIDE) == 39
    by_id = {c.id: c for c in shipped}
    assert set(by_id) == set(GUIDE)
    assert [c.id for c in shipped] == list(GUIDE)  # in the guide's order
    for number, (levels, item) in GUIDE.items():
        case = by_id[number]
        assert case.item == item, number
        assert case.levels == LEVEL_EXCEPTIONS.get(number, _levels(levels)), number
        assert case.conditions == []  # no extension case names 业务连续性 or 关键行业
        assert len(case.mitigations) == MITIGATIONS.get(number, 0), number
        assert case.advice.zh and case.advice.en and case.situations
        owner = catalog.items[item][2]
        assert number in owner.high_risk
    per_section = {s: sum(1 for c in shipped if c.id.split(".")[0] == s) for s in ("7", "8", "9", "10")}
    assert per_section == {"7": 16, "8": 10, "9": 4, "10": 9}


def test_partial_mitigations_are_scoped_to_their_situations(catalog: Catalog) -> None:
    cases = {c.id: c for c in catalog.high_risk["mlps-2019-ext-high-risk"].cases}
    assert [m.situations for m in cases["7.3.1.1"].mitigations] == [[2]]  # customer boundaries only
    assert [m.situations for m in cases["10.2.2.1"].mitigations] == [[1], [2]]
    assert [m.situations for m in cases["10.4.1.1"].mitigations] == [[1]]  # not for the missing tooling
    assert cases["7.1.1.1"].mitigations == [] and not cases["7.1.1.1"].downgradable
