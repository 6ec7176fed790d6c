"""Golden tests of the 2021 and 2025 policies (issue 13 part 4), each worked by hand from the formulas.

2021 (best public reading): S = 100/n over all scored items; V_t = max(0, 100·y − Σ_tech f·(1 − x)·S);
V_m = max(0, 100·(1 − y) − Σ_mgmt f·(1 − x)·S); M = V_t + V_m; f = 3 / 2 / 1 for key / important / general
indicators (weights 1.0 / 0.7 / 0.4); x over several objects weighted 3 / 2 / 1 by the objects' importance.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from gradesec.assess.judgements import Correction, MajorRiskJudgement, judgement_id
from gradesec.assess.model import PolicySnapshot, SnapshotItem
from gradesec.assess.scoring import IssueRisk, check_params, check_policy, score_results

POLICIES = Path(__file__).resolve().parents[2] / "profiles" / "policies"


def policy(method: str, **params: Any) -> PolicySnapshot:
    return PolicySnapshot(id=method, method=method, params=params, sha256="f" * 64)


def level3(failed_key_technical: int) -> tuple[list[SnapshotItem], list[tuple[str, str, str]]]:
    """A full level-3 shape: 96 technical and 115 management items (211); the first ``failed`` technical items
    are key (weight 1.0) and non-compliant, everything else is compliant."""
    items = [
        SnapshotItem(f"t{i:03d}", "T", "technical", f"CT{i // 8}", 1.0 if i < 39 else 0.7, ("s",))
        for i in range(96)
    ]
    items += [SnapshotItem(f"m{i:03d}", "M", "management", f"CM{i // 8}", 0.7, ("d",)) for i in range(115)]
    results = [
        (it.id, "a", "noncompliant" if n < failed_key_technical else "compliant")
        for n, it in enumerate(items)
    ]
    return items, results


def test_2021_full_level3_ten_failed_key_technical_items() -> None:
    """n = 211, S = 100/211 = 0.47393; ten key technical items fail: Σ f·(1 − x) = 10·3 = 30.

    V_t = 50 − 30·0.47393 = 50 − 14.218 = 35.782; V_m = 50 (nothing fails); M = 85.782 → 良 (good), the figure
    the domain notes give for this reading (a separate base per part would give 92.2, 优).
    """
    items, results = level3(10)
    r = score_results(items, results, policy("mlps-2021"), [IssueRisk("medium")] * 10)
    assert r.score == pytest.approx(100 - 30 * 100 / 211)
    assert r.score == pytest.approx(85.782, abs=1e-3)
    assert r.detail["technical"] == pytest.approx(50 - 3000 / 211)
    assert r.detail["management"] == pytest.approx(50.0)
    assert r.conclusion.code == "good"
    assert r.as_json()["status"] == "best_public_reading"


def test_2021_y_caps_only_and_each_part_floors_at_zero() -> None:
    """Same inspection, 40 technical failures: 39 key (f 3) and one important (t039, weight 0.7, f 2):
    Σ f = 117 + 2 = 119, deduction 119·100/211 = 56.398.

    y = 0.5: V_t = max(0, 50 − 56.40) = 0, V_m = 50 → M = 50 (the technical loss does not reach management).
    y = 0.7: V_t = 70 − 56.40 = 13.60, V_m = 30 → M = 43.60. y = 0: V_t = 0, V_m = 100 → M = 100 (boundary).
    y = 1: V_t = 100 − 56.40 = 43.60, V_m = 0 → 43.60.
    """
    items, results = level3(40)
    d = 119 * 100 / 211
    assert score_results(items, results, policy("mlps-2021")).score == pytest.approx(50.0)
    assert score_results(items, results, policy("mlps-2021", y=0.7)).score == pytest.approx(70 - d + 30)
    assert score_results(items, results, policy("mlps-2021", y=0)).score == pytest.approx(100.0)
    assert score_results(items, results, policy("mlps-2021", y=1)).score == pytest.approx(100 - d)


# Ten items: six technical, four management; k1 is a general technical item (weight 0.4, f = 1) recorded on
# three assets of different importance.
TEN = [SnapshotItem("k1", "T", "technical", "C1", 0.4, ("server",))]
TEN += [SnapshotItem(f"t{i}", "T", "technical", "C1", 0.7, ("server",)) for i in range(5)]
TEN += [SnapshotItem(f"m{i}", "M", "management", "C2", 0.7, ("docs",)) for i in range(4)]
IMPORTANCE = {"key-srv": "关键", "imp-srv": "important", "gen-srv": "", "d": "general"}
K1 = [("k1", "key-srv", "noncompliant"), ("k1", "imp-srv", "compliant"), ("k1", "gen-srv", "compliant")]
REST = [(i.id, "imp-srv" if i.category == "T" else "d", "compliant") for i in TEN[1:]]


def test_2021_objects_weighted_by_importance() -> None:
    """x(k1) = (3·0 + 2·1 + 1·1) / (3 + 2 + 1) = 0.5 (a plain mean would give 2/3). n = 10, S = 10.

    Deduction 1·(1 − 0.5)·10 = 5 → M = 95. Without importance (every asset general): 1·(1/3)·10 → 96.667.
    Control point C1: (0.4·0.5 + 5·0.7·1) / (0.4 + 3.5) · 10 = 9.487.
    """
    r = score_results(TEN, K1 + REST, policy("mlps-2021"), importance=IMPORTANCE)
    assert r.score == pytest.approx(95.0)
    assert {c.id: c.score for c in r.controls}["C1"] == pytest.approx((0.2 + 3.5) / 3.9 * 10)
    plain = score_results(TEN, K1 + REST, policy("mlps-2021"))
    assert plain.score == pytest.approx(100 - 10 / 3)
    flat = score_results(
        TEN, K1 + REST, policy("mlps-2021", object_weights={"key": 1, "important": 1}), importance=IMPORTANCE
    )
    assert flat.score == pytest.approx(100 - 10 / 3)


def corr(item: str, asset: str, result: str) -> Correction:
    return Correction("i-1", item, asset, result, "compensated by the border WAF")


def test_2021_and_2025_score_the_corrected_results() -> None:
    """Corrections after 整体测评 (the originals stay in ``results``):

    - k1 on the key server corrected to compliant: x(k1) = 1 → M = 100; 2025 rate 10/10 = 100 %.
    - k1 as a whole corrected to partial: x = 0.5 → M = 100 − 1·0.5·10 = 95; 2025: k1 not met → 90 %.
    - k1 as a whole corrected to na: n = 9 → M = 100; 2025 rate 9/9.
    - 2019 ignores corrections: k1 plain mean 2/3, category T loss 0.4·(1/3)/3.9 → M = 100 − 1.709/2.
    Uncorrected, 2025 counts k1 not met: 9/10 = 90 %.
    """
    results = K1 + REST
    pair = [corr("k1", "key-srv", "compliant")]
    r21 = score_results(TEN, results, policy("mlps-2021"), importance=IMPORTANCE, corrections=pair)
    assert r21.score == pytest.approx(100.0)
    assert r21.results["noncompliant"] == 1  # the original stays visible
    assert [c.as_json()["result"] for c in r21.corrections] == ["compliant"]
    r25 = score_results(TEN, results, policy("mlps-2025"), corrections=pair)
    assert r25.compliance_rate == pytest.approx(100.0)
    assert score_results(TEN, results, policy("mlps-2025")).compliance_rate == pytest.approx(90.0)
    whole = [corr("k1", "", "partial")]
    assert score_results(
        TEN, results, policy("mlps-2021"), importance=IMPORTANCE, corrections=whole
    ).score == pytest.approx(95.0)
    assert score_results(
        TEN, results, policy("mlps-2025"), corrections=whole
    ).compliance_rate == pytest.approx(90.0)
    na = [corr("k1", "", "na")]
    r = score_results(TEN, results, policy("mlps-2021"), corrections=na)
    assert r.score == pytest.approx(100.0) and r.items_scored == 9
    r19 = score_results(TEN, results, policy("mlps-2019"), corrections=pair)
    assert r19.score == pytest.approx(100 - (0.4 / 3 / 3.9) * 100 / 2)
    assert r19.corrections == ()
    off = score_results(TEN, results, policy("mlps-2025", use_corrections=False), corrections=pair)
    assert off.compliance_rate == pytest.approx(90.0)


def test_2025_corrections_on_the_results_basis() -> None:
    """Results basis counts pairs: k1 on three assets + nine items = 12 pairs, 11 compliant → 91.667 %.

    Correcting the failed pair to partial with partial_credit 0.5: (11 + 0.5) / 12 = 95.833 %.
    """
    results = K1 + REST
    p = policy("mlps-2025", basis="results", partial_credit=0.5)
    assert score_results(TEN, results, p).compliance_rate == pytest.approx(1100 / 12)
    fixed = score_results(TEN, results, p, corrections=[corr("k1", "key-srv", "partial")])
    assert fixed.compliance_rate == pytest.approx(1150 / 12)


HUNDRED = [SnapshotItem(f"x{i:03d}", "TX", "technical", "CX", 1.0, ("server",)) for i in range(100)]


def hundred(nc: int) -> list[tuple[str, str, str]]:
    return [(it.id, "srv", "noncompliant" if i < nc else "compliant") for i, it in enumerate(HUNDRED)]


def judged(major: bool, remediated: bool = False, n: int = 0) -> MajorRiskJudgement:
    pairs = ((f"x{n:03d}", "srv"),)
    return MajorRiskJudgement(
        judgement_id("i-1", pairs), "i-1", pairs, major, "exposed admin port", "MR-01", remediated=remediated
    )


def test_2025_major_risk_is_the_assessors_judgement() -> None:
    """Rate 95 % (5 of 100 items fail), one high-risk issue.

    No judgement: 符合 (a high-risk issue alone is not a 重大风险隐患), front page "0（0个已整改）".
    A judgement finding a major risk: 基本符合, "1（0个已整改）". Judged not major: stays 符合, count 0.
    Two major risks, one remediated: "2（1个已整改）" / "2 (1 remediated)". At 59 %: 不符合 regardless.
    """
    high = [IssueRisk("high")]
    r = score_results(HUNDRED, hundred(5), policy("mlps-2025"), high)
    assert r.conclusion.code == "compliant"
    assert r.major_text("zh") == "0（0个已整改）"
    r = score_results(HUNDRED, hundred(5), policy("mlps-2025"), high, major_risks=[judged(True)])
    assert r.conclusion.code == "basically_compliant" and r.major_text("zh") == "1（0个已整改）"
    r = score_results(HUNDRED, hundred(5), policy("mlps-2025"), high, major_risks=[judged(False)])
    assert r.conclusion.code == "compliant" and r.major_count == 0
    two = [judged(True, remediated=True, n=0), judged(True, n=1)]
    r = score_results(HUNDRED, hundred(5), policy("mlps-2025"), high, major_risks=two)
    assert r.major_text("zh") == "2（1个已整改）" and r.major_text("en") == "2 (1 remediated)"
    assert r.as_json()["major_risks"]["count"] == 2 and r.as_json()["major_risks"]["remediated"] == 1
    assert score_results(HUNDRED, hundred(41), policy("mlps-2025"), major_risks=two).conclusion.code == (
        "noncompliant"
    )


@pytest.mark.parametrize(
    ("nc", "major", "code"),
    [
        (10, False, "basically_compliant"),
        (9, False, "compliant"),
        (9, True, "basically_compliant"),
        (40, True, "basically_compliant"),
    ],
)
def test_2025_boundaries_with_major_risks(nc: int, major: bool, code: str) -> None:
    """90 % exactly is not "above 90 %"; 91 % with a major risk is 基本符合; 60 % with one is 基本符合."""
    majors = [judged(True)] if major else []
    assert (
        score_results(HUNDRED, hundred(nc), policy("mlps-2025"), major_risks=majors).conclusion.code == code
    )


def test_2019_extension_items_carry_no_weight_unless_the_policy_says_so() -> None:
    """Two general items (one fails, weight 1.0 each) and one failing cloud item: category T loss 1/2 → 50;
    with score_extensions the cloud item counts too: loss 2/3 → 33.33."""
    items = [
        SnapshotItem("g1", "T", "technical", "C", 1.0, ("s",)),
        SnapshotItem("g2", "T", "technical", "C", 1.0, ("s",)),
        SnapshotItem("c1", "T", "technical", "C", 1.0, ("s",), extension="cloud"),
    ]
    results = [("g1", "a", "noncompliant"), ("g2", "a", "compliant"), ("c1", "a", "noncompliant")]
    assert score_results(items, results, policy("mlps-2019")).score == pytest.approx(50.0)
    both = score_results(items, results, policy("mlps-2019", score_extensions=True))
    assert both.score == pytest.approx(100 / 3)


@pytest.mark.parametrize("path", sorted(POLICIES.glob("*.yaml")), ids=lambda p: p.stem)
def test_check_policy_accepts_every_shipped_policy(path: Path) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert check_policy(PolicySnapshot(doc["id"], doc["method"], doc["params"])) == []


def test_check_params_refuses_out_of_range_values() -> None:
    assert check_params("mlps-2021", {"y": 1.5})
    assert check_params("mlps-2021", {"base": 0})
    assert check_params("mlps-2021", {"base": {"technical": 1, "management": 1}})  # one base only now
    assert check_params("mlps-2021", {"object_weights": {"key": -1}})
    assert check_params("mlps-2025", {"partial_credit": 2})
    assert check_params("mlps-2019", {"score_extensions": "yes"})
    assert check_params("mlps-2021", {"y": 0, "object_weights": {"general": 0}}) == []
