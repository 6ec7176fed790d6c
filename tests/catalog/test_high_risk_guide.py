"""The shipped general high-risk cases against the 2025 guide (公网安〔2025〕2391号, §6 and appendix A).

GUIDE is built by hand from the guide's text, case by case: number → (levels, item, conditions, number of problem
situations, downgrade rule). The downgrade rule maps each mitigation id to (the situations it covers, "all" for
every one; the prerequisites it needs). An empty rule means the guide gives no mitigation ("无").
"""

from __future__ import annotations

import pytest

from gradesec.catalog.loader import Catalog, load_catalog
from gradesec.catalog.models import HighRiskCase

BC = "business_continuity"
CI = "critical_industry"
ALL = "all"
Rule = dict[str, tuple[tuple[int, ...] | str, tuple[str, ...]]]

L2UP = (2, 3, 4)
L3UP = (3, 4)
L4 = (4,)

GUIDE: dict[str, tuple[tuple[int, ...], str, tuple[str, ...], int, Rule]] = {
    # 6.1 安全物理环境
    "6.1.1.1": (L3UP, "PES-02-a", (), 1, {"controlled-building-watched-cctv": (ALL, ())}),
    "6.1.2.1": (L3UP, "PES-05-a", (), 2, {"staffed-or-watched-cctv": (ALL, ())}),
    "6.1.3.1": (L3UP, "PES-09-b", (BC,), 2, {"multiple-power-feeds": (ALL, ())}),
    "6.1.3.2": (L4, "PES-09-d", (BC,), 2, {"multi-dc-app-dr": (ALL, ())}),
    # 6.2 安全通信网络
    "6.2.1.1": (L3UP, "CNS-01-a", (BC,), 1, {}),
    "6.2.1.2": (L2UP, "CNS-01-d", (), 2, {"all-servers-acl": ((2,), ())}),  # not for a zone on the border
    "6.2.1.3": (L3UP, "CNS-01-e", (BC,), 1, {"multi-dc-app-dr": (ALL, ())}),
    "6.2.2.1": (
        L3UP,
        "CNS-02-b",
        (),
        1,
        {"data-encrypted-itself": (ALL, ()), "encrypted-protocol": (ALL, ())},
    ),
    # 6.3 安全区域边界
    "6.3.1.1": (L2UP, "ABS-01-a", (), 3, {"strict-border-acl": (ALL, ())}),
    "6.3.1.2": (L3UP, "ABS-01-d", (), 1, {"wireless-device-control": (ALL, ())}),
    "6.3.2.1": (L2UP, "ABS-02-a", (), 1, {"all-servers-acl": (ALL, ())}),
    "6.3.3.1": (L2UP, "ABS-03-a", (), 2, {"host-ips-current": (ALL, ())}),
    "6.3.3.2": (L3UP, "ABS-03-b", (), 2, {"host-ips-current": (ALL, ())}),
    "6.3.3.3": (L3UP, "ABS-03-c", (CI,), 2, {"isolated-network": (ALL, ())}),
    # 6.4 安全计算环境
    "6.4.1.1": (L2UP, "CES-01-a", (), 3, {"restricted-login": (ALL, ()), "mfa": (ALL, ())}),
    "6.4.1.2": (L2UP, "CES-01-c", (), 2, {"mfa": (ALL, ())}),
    "6.4.1.3": (
        L3UP,
        "CES-01-d",
        (),
        1,
        {"repeated-dynamic-auth": (ALL, ()), "staged-auth": (ALL, ()), "local-or-out-of-band": (ALL, ())},
    ),
    "6.4.2.1": (L2UP, "CES-02-b", (), 1, {"mfa": (ALL, ()), "restricted-login": (ALL, ())}),
    "6.4.2.2": (L3UP, "CES-02-e", (), 3, {"restricted-access-and-audit": (ALL, ())}),
    "6.4.3.1": (
        L2UP,
        "CES-04-b",
        (),
        1,
        {"restricted-access": (ALL, ()), "host-ids-or-antimalware": (ALL, ())},
    ),
    # only for systems not reached over the internet (situation 2)
    "6.4.3.2": (
        L2UP,
        "CES-04-e",
        (),
        2,
        {"restricted-access": ((2,), ()), "host-ids-or-antimalware": ((2,), ())},
    ),
    "6.4.3.3": (
        L2UP,
        "CES-04-d",
        (),
        1,
        {"internal-restricted-audited": (ALL, ("not-internet-facing",)), "waf": (ALL, ())},
    ),
    # never for Windows hosts
    "6.4.4.1": (
        L2UP,
        "CES-05-a",
        (),
        3,
        {
            "non-windows-internal-hardened": (ALL, ("non-windows", "not-internet-facing")),
            "non-windows-network-antimalware": (ALL, ("non-windows",)),
        },
    ),
    # only for credentials, and only behind two-factor login
    "6.4.5.1": (L3UP, "CES-08-a", (), 2, {"mfa": ((1,), ())}),
    "6.4.5.2": (
        L3UP,
        "CES-08-b",
        (),
        1,
        {"internal-local-or-out-of-band": (ALL, ("not-internet-facing",)), "db-firewall-or-dlp": (ALL, ())},
    ),
    "6.4.6.1": (
        L3UP,
        "CES-09-a",
        (),
        2,
        {"multi-dc-copies": ((1,), ())},
    ),  # never for backups on a cloud drive
    "6.4.6.2": (L3UP, "CES-09-c", (BC,), 1, {}),
    "6.4.6.3": (L4, "CES-09-d", (BC,), 2, {}),
    "6.4.7.1": (L2UP, "CES-11-a", (), 1, {}),
    "6.4.7.2": (L2UP, "CES-11-b", (), 1, {}),
    # 6.5 安全管理中心
    "6.5.1.1": (L3UP, "SMC-04-b", (), 1, {}),
    "6.5.1.2": (L3UP, "SMC-04-d", (), 1, {}),
    # 6.6 – 6.8
    "6.6.1.1": (L3UP, "PSS-02-a", (), 2, {}),
    "6.7.1.1": (L3UP, "ORS-01-a", (), 1, {}),
    "6.8.1.1": (L2UP, "HRS-04-b", (), 1, {}),
    # 6.9 安全建设管理
    "6.9.1.1": (L2UP, "CMS-03-a", (), 1, {}),
    "6.9.2.1": (
        L3UP,
        "CMS-05-c",
        (),
        1,
        {"periodic-code-audit": (ALL, ()), "contract-and-controls": (ALL, ())},
    ),
    "6.9.3.1": (
        L3UP,
        "CMS-07-b",
        (),
        2,
        {"periodic-testing-clean": ((1,), ())},
    ),  # never for unfixed findings
    "6.9.4.1": (L3UP, "CMS-09-a", (), 1, {}),
    "6.9.4.2": (L3UP, "CMS-09-c", (), 2, {}),
    # 6.10 安全运维管理
    "6.10.1.1": (L2UP, "MMS-13-b", (), 2, {}),
    "6.10.1.2": (L3UP, "MMS-13-c", (), 1, {}),
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def cases(catalog: Catalog) -> dict[str, HighRiskCase]:
    return {c.id: c for c in catalog.high_risk["mlps-2019-high-risk"].cases}


def test_the_table_has_the_guides_42_cases_in_its_section_counts() -> None:
    per_section: dict[str, int] = {}
    for number in GUIDE:
        section = ".".join(number.split(".")[:2])
        per_section[section] = per_section.get(section, 0) + 1
    assert per_section == {
        "6.1": 4,
        "6.2": 4,
        "6.3": 6,
        "6.4": 16,
        "6.5": 2,
        "6.6": 1,
        "6.7": 1,
        "6.8": 1,
        "6.9": 5,
        "6.10": 2,
    }


def test_the_shipped_file_has_exactly_the_guides_cases(cases: dict[str, HighRiskCase]) -> None:
    assert sorted(cases) == sorted(GUIDE)


@pytest.mark.parametrize("number", sorted(GUIDE))
def test_each_case_matches_the_guide(cases: dict[str, HighRiskCase], catalog: Catalog, number: str) -> None:
    levels, item, conditions, n_situations, rule = GUIDE[number]
    case = cases[number]
    assert tuple(case.levels) == levels
    assert case.item == item
    assert tuple(case.conditions) == conditions
    assert len(case.situations) == n_situations
    shipped = {
        m.id: (tuple(m.situations) if m.situations else ALL, tuple(m.requires)) for m in case.mitigations
    }
    assert shipped == rule
    assert case.downgradable == bool(rule)
    # appendix A: the item exists at every level of the case and lists the case
    _, _, it = catalog.items[item]
    assert set(levels) <= set(it.levels)
    assert number in it.high_risk
    assert case.advice.zh and case.advice.en


def test_no_item_lists_a_case_that_is_not_its_own(catalog: Catalog, cases: dict[str, HighRiskCase]) -> None:
    for item_id, (_, _, item) in catalog.items.items():
        for number in item.high_risk:
            if number in cases:
                assert cases[number].item == item_id
