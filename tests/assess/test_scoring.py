"""Golden tests of the scoring policies, each expectation computed by hand in the docstring or comment."""

from __future__ import annotations

from typing import Any

import pytest

from gradesec.assess.model import PolicySnapshot, SnapshotItem
from gradesec.assess.scoring import (
    DEFAULTS,
    IssueRisk,
    Tally,
    check_params,
    effective_params,
    score,
    score_results,
)
from gradesec.errors import CatalogError


def policy(method: str, **params: Any) -> PolicySnapshot:
    return PolicySnapshot(id=method, method=method, params=params, sha256="f" * 64)


# A small tree: two technical categories, one management category.
SMALL = [
    SnapshotItem("a1", "T1", "technical", "C1", 1.0, ("server",)),
    SnapshotItem("a2", "T1", "technical", "C1", 0.4, ("server",)),
    SnapshotItem("b1", "T2", "technical", "C2", 0.7, ("server",)),
    SnapshotItem("m1", "M1", "management", "C3", 0.7, ("docs",)),
    SnapshotItem("m2", "M1", "management", "C3", 1.0, ("docs",)),
]

# 100 items of weight 1.0 in one technical category: each non-compliant item costs exactly one point under
# every policy, a partial one half a point, so boundaries can be hit exactly.
HUNDRED = [SnapshotItem(f"x{i:03d}", "TX", "technical", f"CX{i // 10}", 1.0, ("server",)) for i in range(100)]


def hundred(nc: int, partial: int = 0) -> list[tuple[str, str, str]]:
    out = []
    for i, item in enumerate(HUNDRED):
        value = "noncompliant" if i < nc else ("partial" if i < nc + partial else "compliant")
        out.append((item.id, "srv1", value))
    return out


def test_2019_multi_asset_mean_na_exclusion_and_category_mean() -> None:
    """a1 = mean(1, 0) = 0.5; a2 = 0.5; T1 loss (1.0·0.5 + 0.4·0.5) / 1.4 = 0.5; T2, M1 lose 0 (m2 is na).

    M = 100 − (0.5 + 0 + 0) / 3 × 100 = 83.333…
    """
    results = [
        ("a1", "s1", "compliant"),
        ("a1", "s2", "noncompliant"),
        ("a2", "s1", "partial"),
        ("b1", "s1", "compliant"),
        ("m1", "d1", "compliant"),
        ("m2", "d1", "na"),
    ]
    r = score_results(SMALL, results, policy("mlps-2019"))
    assert r.score == pytest.approx(100 - 0.5 / 3 * 100)
    assert r.conclusion.code == "basically_compliant"
    assert r.conclusion.label == {"zh": "基本符合", "en": "Basically compliant"}
    cats = {c.code: c for c in r.categories}
    assert cats["T1"].score == pytest.approx(50.0)
    assert cats["M1"].items == 1 and cats["M1"].weight == pytest.approx(0.7)
    assert r.items_scored == 4 and r.items_total == 5
    assert r.results == {"compliant": 3, "partial": 1, "noncompliant": 1, "na": 1}


def test_2019_categories_without_scored_items_are_left_out() -> None:
    """Only T1 is scored: M = 100 − 0.5 × 100 = 50 (not a mean over three categories)."""
    r = score_results(SMALL, [("a1", "s1", "partial"), ("a2", "s1", "partial")], policy("mlps-2019"))
    assert r.score == pytest.approx(50.0)
    assert r.conclusion.code == "noncompliant"


@pytest.mark.parametrize(
    ("failing", "expected"),
    [
        ("a1", 100 - (1.0 / 1.4) / 3 * 100),  # the heavy item fails: T1 loss 1.0/1.4
        ("a2", 100 - (0.4 / 1.4) / 3 * 100),  # the light item fails: T1 loss 0.4/1.4
    ],
)
def test_2019_weight_effect(failing: str, expected: float) -> None:
    results = [(i.id, "s1", "noncompliant" if i.id == failing else "compliant") for i in SMALL]
    assert score_results(SMALL, results, policy("mlps-2019")).score == pytest.approx(expected)


@pytest.mark.parametrize(
    ("nc", "partial", "expected_score", "conclusion"),
    [
        (0, 0, 100.0, "compliant"),
        (0, 1, 99.5, "basically_compliant"),
        (29, 1, 70.5, "basically_compliant"),
        (30, 0, 70.0, "basically_compliant"),
        (30, 1, 69.5, "noncompliant"),
        (31, 0, 69.0, "noncompliant"),
        (100, 0, 0.0, "noncompliant"),
    ],
)
def test_2019_threshold_boundary(nc: int, partial: int, expected_score: float, conclusion: str) -> None:
    r = score_results(HUNDRED, hundred(nc, partial), policy("mlps-2019"))
    assert r.score == pytest.approx(expected_score)
    assert r.conclusion.code == conclusion


def test_2019_threshold_is_configurable() -> None:
    r = score_results(HUNDRED, hundred(25), policy("mlps-2019", threshold=80))
    assert r.conclusion.code == "noncompliant"
    r = score_results(HUNDRED, hundred(20), policy("mlps-2019", threshold=80))
    assert r.conclusion.code == "basically_compliant"


def test_2019_high_risk_forces_noncompliant() -> None:
    r = score_results(HUNDRED, hundred(1), policy("mlps-2019"), [IssueRisk("high")])
    assert r.score == pytest.approx(99.0)
    assert r.conclusion.code == "noncompliant"
    assert r.issues["high"] == 1


def test_2021_one_base_for_both_classes_and_parts_floored_separately() -> None:
    """The 2021 reading (issue 13): one base S = 100/n over all n = 5 scored items, so S = 20.

    Technical: a1 key (1.0 → f 3) nc: 3·1·20 = 60; b1 important (0.7 → f 2) partial: 2·0.5·20 = 20;
    V_t = max(0, 50 − 80) = 0 (floored on its own). Management: m2 key partial: 3·0.5·20 = 30;
    V_m = max(0, 50 − 30) = 20. M = 0 + 20 = 20 → 差.
    Control points: C1 (0·1.0 + 1·0.4)/1.4·10 = 2.857; C2 5; C3 (0.7 + 0.5)/1.7·10 = 7.059.
    """
    results = [
        ("a1", "s1", "noncompliant"),
        ("a2", "s1", "compliant"),
        ("b1", "s1", "partial"),
        ("m1", "d1", "compliant"),
        ("m2", "d1", "partial"),
    ]
    r = score_results(SMALL, results, policy("mlps-2021"))
    assert r.score == pytest.approx(20.0)
    assert r.detail["technical"] == 0.0 and r.detail["management"] == pytest.approx(20.0)
    assert r.detail["base"] == pytest.approx(20.0)
    assert r.conclusion.code == "poor"
    assert r.approximation and r.note is not None and r.status == "best_public_reading"
    cps = {c.id: c.score for c in r.controls}
    assert cps["C1"] == pytest.approx(0.4 / 1.4 * 10)
    assert cps["C2"] == pytest.approx(5.0)
    assert cps["C3"] == pytest.approx(1.2 / 1.7 * 10)


def test_2021_attention_coefficient_scales_only_the_caps() -> None:
    """Only the management item m2 (key, f 3) fails: S = 100/5 = 20, deduction 3·20 = 60 whatever y is.

    y = 0.5: V_t = 50, V_m = max(0, 50 − 60) = 0 → M = 50. y = 0.3: V_t = 30, V_m = 70 − 60 = 10 → M = 40.
    """
    results = [(i.id, "x", "noncompliant" if i.id == "m2" else "compliant") for i in SMALL]
    assert score_results(SMALL, results, policy("mlps-2021")).score == pytest.approx(50.0)
    assert score_results(SMALL, results, policy("mlps-2021", y=0.3)).score == pytest.approx(40.0)


def test_2021_fixed_base_and_floor() -> None:
    """Fixed base 10: every failed key item deducts 10 · 3 = 30 (one class alone: its cap is 100); floored at 0."""
    r = score_results(HUNDRED, hundred(2), policy("mlps-2021", base=10))
    assert r.score == pytest.approx(40.0)
    r = score_results(HUNDRED, hundred(5), policy("mlps-2021", base=10))
    assert r.score == 0.0


def test_2021_weight_class_is_the_nearest_nominal_weight() -> None:
    """A judged weight of 0.6 is nearest 0.7 (important, f = 2): S = 100/2 = 50, M = 100 − 2·50 = 0."""
    items = [
        SnapshotItem("p", "T", "technical", "C", 0.6, ("s",)),
        SnapshotItem("q", "T", "technical", "C", 1.0, ("s",)),
    ]
    r = score_results(items, [("p", "a", "noncompliant"), ("q", "a", "compliant")], policy("mlps-2021"))
    assert r.score == pytest.approx(0.0)
    four = [SnapshotItem(f"g{i}", "T", "technical", "C", 0.6, ("s",)) for i in range(4)]
    r = score_results(
        four,
        [("g0", "a", "noncompliant")] + [(f"g{i}", "a", "compliant") for i in (1, 2, 3)],
        policy("mlps-2021"),
    )
    assert r.score == pytest.approx(100 - 2 * 25)  # S = 25, f = 2


# 100 general items (weight 0.4, f = 1) of one class: S = 1, so every failed item costs exactly one point.
GENERAL_HUNDRED = [SnapshotItem(f"g{i:03d}", "TX", "technical", "CX", 0.4, ("server",)) for i in range(100)]


def general_hundred(nc: int, partial: int = 0) -> list[tuple[str, str, str]]:
    return [
        (item.id, "srv1", "noncompliant" if i < nc else ("partial" if i < nc + partial else "compliant"))
        for i, item in enumerate(GENERAL_HUNDRED)
    ]


@pytest.mark.parametrize(
    ("nc", "partial", "issues", "conclusion"),
    [
        (0, 1, ["low"], "excellent"),  # 99.5, only a low issue
        (10, 0, ["low"], "excellent"),  # exactly 90
        (10, 1, ["low"], "good"),  # 89.5
        (0, 1, ["medium"], "good"),  # 99.5 but a medium issue: not 优
        (20, 0, [], "good"),  # exactly 80
        (20, 1, [], "fair"),  # 79.5
        (30, 0, [], "fair"),  # exactly 70
        (30, 1, [], "poor"),  # 69.5
        (0, 1, ["high"], "poor"),  # high-risk override
        (0, 0, [], "excellent"),
    ],
)
def test_2021_grade_boundaries(nc: int, partial: int, issues: list[str], conclusion: str) -> None:
    r = score_results(
        GENERAL_HUNDRED, general_hundred(nc, partial), policy("mlps-2021"), [IssueRisk(x) for x in issues]
    )
    assert r.score == pytest.approx(100 - nc - 0.5 * partial)
    assert r.conclusion.code == conclusion


@pytest.mark.parametrize(
    ("nc", "issues", "rate", "conclusion"),
    [
        (0, [], 100.0, "compliant"),
        (9, [], 91.0, "compliant"),
        (10, [], 90.0, "basically_compliant"),  # "above 90 %": exactly 90 is not
        (11, [], 89.0, "basically_compliant"),
        (39, [], 61.0, "basically_compliant"),
        (40, [], 60.0, "basically_compliant"),  # "below 60 %": exactly 60 is not
        (41, [], 59.0, "noncompliant"),
        (5, ["high"], 95.0, "compliant"),  # a high issue is not a major risk by itself (issue 13)
        (45, ["high"], 55.0, "noncompliant"),
    ],
)
def test_2025_compliance_rate_boundaries(nc: int, issues: list[str], rate: float, conclusion: str) -> None:
    r = score_results(HUNDRED, hundred(nc), policy("mlps-2025"), [IssueRisk(x) for x in issues])
    assert r.compliance_rate == pytest.approx(rate)
    assert r.score == pytest.approx(rate)
    assert r.conclusion.code == conclusion


def test_2025_major_risk_rule_is_parameterised() -> None:
    results = hundred(5)
    high = [IssueRisk("high")]
    assert score_results(HUNDRED, results, policy("mlps-2025"), high).conclusion.code == "compliant"
    assert score_results(HUNDRED, results, policy("mlps-2025", high_is_major=True), high).conclusion.code == (
        "basically_compliant"
    )
    flagged = [IssueRisk("medium", major=True)]
    r = score_results(HUNDRED, results, policy("mlps-2025", high_is_major=False), flagged)
    assert r.conclusion.code == "basically_compliant"
    assert r.issues["major"] == 1


def test_2025_inclusive_boundaries_and_result_basis() -> None:
    assert score_results(HUNDRED, hundred(10), policy("mlps-2025", good_inclusive=True)).conclusion.code == (
        "compliant"
    )
    assert score_results(HUNDRED, hundred(40), policy("mlps-2025", fair_inclusive=False)).conclusion.code == (
        "noncompliant"
    )
    # Two assets on a1: one compliant, one not. Items basis: a1 not met → 0/1; results basis: 1/2.
    items = SMALL[:1]
    results = [("a1", "s1", "compliant"), ("a1", "s2", "noncompliant")]
    assert score_results(items, results, policy("mlps-2025")).compliance_rate == pytest.approx(0.0)
    assert score_results(items, results, policy("mlps-2025", basis="results")).compliance_rate == (
        pytest.approx(50.0)
    )
    partly = [("a1", "s1", "compliant"), ("a1", "s2", "partial")]
    r = score_results(items, partly, policy("mlps-2025", partial_credit=0.5))
    assert r.compliance_rate == pytest.approx(50.0)


def test_share_met_weighted_share_and_threshold() -> None:
    """Share = Σ w·s / Σ w: a1 partial (1.0·0.5) + b1 nc (0) + others compliant: (0.5 + 0.4 + 0.7 + 1.0) / 3.8."""
    results = [
        ("a1", "s", "partial"),
        ("a2", "s", "compliant"),
        ("b1", "s", "noncompliant"),
        ("m1", "d", "compliant"),
        ("m2", "d", "compliant"),
    ]
    r = score_results(SMALL, results, policy("share-met"))
    assert r.score == pytest.approx(2.6 / 3.8 * 100)
    assert r.conclusion.code == "not_met"
    assert score_results(HUNDRED, hundred(20), policy("share-met")).conclusion.code == "met"  # exactly 80
    assert score_results(HUNDRED, hundred(20, 1), policy("share-met")).conclusion.code == "not_met"
    r = score_results(HUNDRED, hundred(1), policy("share-met", high_fails=True), [IssueRisk("high")])
    assert r.conclusion.code == "not_met"


@pytest.mark.parametrize("method", ["mlps-2019", "mlps-2021", "mlps-2025", "share-met"])
def test_empty_inspection_is_undetermined(method: str) -> None:
    r = score_results(SMALL, [], policy(method))
    assert r.score is None
    assert r.conclusion.code == "undetermined"
    assert r.items_scored == 0
    assert all(c.score is None for c in r.categories)


@pytest.mark.parametrize("method", ["mlps-2019", "mlps-2021", "mlps-2025", "share-met"])
def test_all_na_inspection_is_undetermined(method: str) -> None:
    r = score_results(SMALL, [(i.id, "s", "na") for i in SMALL], policy(method))
    assert r.score is None
    assert r.conclusion.code == "undetermined"
    assert r.results["na"] == 5


def test_tally_replacing_a_result_equals_scoring_from_scratch() -> None:
    results = hundred(30)
    tally = Tally.from_results(HUNDRED, results)
    tally.set("x000", "srv1", "compliant")  # a revision replaces the non-compliant result
    tally.set("x050", "srv2", "partial")  # a new asset
    fresh = Tally.from_results(
        HUNDRED, [*hundred(30)[1:], ("x000", "srv1", "compliant"), ("x050", "srv2", "partial")]
    )
    assert score(tally, policy("mlps-2019")) == score(fresh, policy("mlps-2019"))
    assert tally.mean("x050") == pytest.approx(0.75)
    tally.remove("x050", "srv2")
    assert tally.mean("x050") == 1.0
    tally.set("nope", "srv1", "compliant")
    assert tally.ignored == 1


def test_unrated_issues_and_incomplete_progress_mark_the_score_provisional() -> None:
    assert score_results(HUNDRED, hundred(1), policy("mlps-2019"), [IssueRisk(None)]).provisional
    assert not score_results(HUNDRED, hundred(1), policy("mlps-2019"), [IssueRisk("low")]).provisional
    assert score_results(HUNDRED, hundred(0), policy("mlps-2019"), unresolved=1).provisional


def test_bad_params_are_reported_by_name() -> None:
    assert check_params("mlps-2019", {"threshold": 70}) == []
    assert check_params("mlps-2021", {"base": "auto", "multipliers": {"key": 4}}) == []
    problems = check_params("mlps-2019", {"treshold": 70})
    assert len(problems) == 1 and "treshold" in problems[0]
    assert check_params("mlps-2025", {"good": "high"})
    assert check_params("mlps-2021", {"base": "sometimes"})
    with pytest.raises(CatalogError) as err:
        effective_params(policy("mlps-2019", treshold=70))
    assert err.value.problems


def test_mapping_params_merge_key_by_key() -> None:
    params = effective_params(policy("mlps-2021", thresholds={"excellent": 95}))
    assert params["thresholds"] == {"excellent": 95.0, "good": 80.0, "fair": 70.0}
    assert set(DEFAULTS) == {"mlps-2019", "mlps-2021", "mlps-2025", "share-met"}


def test_score_json_shape() -> None:
    r = score_results(SMALL, [("a1", "s", "partial")], policy("mlps-2019"), pins={"profile:x": "ab"})
    data = r.as_json()
    assert data["policy"]["id"] == "mlps-2019"
    assert data["conclusion"] == {"code": "noncompliant", "zh": "不符合", "en": "Non-compliant"}
    assert data["score"] == 50.0  # only T1 is scored: loss 0.5
    assert data["pins"] == {"profile:x": "ab"}
    assert data["counts"]["results"]["partial"] == 1
