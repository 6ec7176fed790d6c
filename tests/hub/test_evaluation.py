"""The evaluation policy (strict loading) and the per-unit score, with golden figures on the small fixed city."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from gradesec.errors import UsageError
from gradesec.hub import queries
from gradesec.hub.city import snapshot
from gradesec.hub.evaluation import DEFAULT_POLICY, UnitFigures, evaluate, load_policy, parts_of
from gradesec.i18n import set_lang
from tests.hub.city import City
from tests.hub.dash_city import Dora, connect

NOTHING = UnitFigures(0, 0, (), 0, 0, 0, 0, 0, 0)


def test_the_shipped_policy_loads_and_weights_every_part() -> None:
    policy = load_policy()
    assert policy.source == str(DEFAULT_POLICY)
    assert dict(policy.weights) == {
        "inspections": 25,
        "conclusions": 20,
        "high_risk": 20,
        "overdue_remediation": 15,
        "filings": 10,
        "drills": 10,
    }
    assert policy.conclusions["basically_compliant"] == 0.7 and policy.drills_per_year == 1


def test_parts_and_score_of_hand_made_figures() -> None:
    policy = load_policy()
    # Nothing to measure: full marks everywhere but drills (none held).
    assert evaluate(NOTHING, policy).score == 90.0
    figures = UnitFigures(
        graded=4,
        overdue_inspections=1,
        conclusions=("compliant", "basically_compliant", "none", "noncompliant"),
        high_risk=2,
        overdue_remediation=6,
        filings=4,
        filings_expired=1,
        filings_expiring=2,
        drills=3,
    )
    assert parts_of(figures, policy) == {
        "inspections": 0.75,
        "conclusions": 0.425,  # (1 + 0.7 + 0 + 0) / 4
        "high_risk": 0.5,
        "overdue_remediation": 0.0,  # 6 x 0.2 > 1: floored at 0
        "filings": 0.5,  # 1 - (1 x 1.0 + 2 x 0.5) / 4
        "drills": 1.0,  # capped
    }
    # 25 x .75 + 20 x .425 + 20 x .5 + 0 + 10 x .5 + 10 x 1 = 52.25 -> 52.3
    assert evaluate(figures, policy).score == 52.3


def test_an_office_policy_overrides_only_what_it_says(tmp_path: Path) -> None:
    path = tmp_path / "office.yaml"
    path.write_text("weights: {drills: 30, filings: 0}\ndrills_per_year: 2\n", encoding="utf-8")
    policy = load_policy(path)
    assert policy.weights["drills"] == 30 and policy.weights["filings"] == 0
    assert policy.weights["inspections"] == 25 and policy.drills_per_year == 2
    one_drill = UnitFigures(0, 0, (), 0, 0, 0, 0, 0, 1)
    assert parts_of(one_drill, policy)["drills"] == 0.5
    # 100 x (25 + 20 + 20 + 15 + 0 + 30 x 0.5) / 110
    assert evaluate(one_drill, policy).score == 86.4


@pytest.mark.parametrize(
    ("text", "en"),
    [
        ("weights: [1, 2\n", "it is not valid YAML near line 2"),
        ("wieghts: {drills: 1}\n", "unknown key policy.wieghts"),
        ("weights: {drill: 1}\n", "unknown key weights.drill"),
        ("weights: {drills: -1}\n", "weights.drills must not be negative"),
        ("weights: {drills: ten}\n", "weights.drills must be a number, not 'ten'"),
        ("weights: {drills: true}\n", "weights.drills must be a number, not True"),
        ("weights: 5\n", "weights must be a mapping"),
        ("high_risk_per_item: 1.5\n", "high_risk_per_item must be between 0 and 1"),
        ("conclusions: {compliant: 2}\n", "conclusions.compliant must be between 0 and 1"),
        ("drills_per_year: 0\n", "drills_per_year must be a whole number of at least 1"),
        ("version: 2\n", "unsupported policy version 2"),
        (
            "weights: {inspections: 0, conclusions: 0, high_risk: 0, overdue_remediation: 0, filings: 0,"
            " drills: 0}\n",
            "every weight is 0",
        ),
        ("- a list\n", "policy must be a mapping"),
    ],
)
def test_a_bad_policy_is_one_sentence_with_a_hint_and_exit_2(tmp_path: Path, text: str, en: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    set_lang("en")
    try:
        with pytest.raises(UsageError) as got:
            load_policy(path)
    finally:
        set_lang(None)
    assert got.value.exit_code == 2
    assert got.value.message.startswith(f"The evaluation policy {path} is invalid: ")
    assert en in got.value.message and "\n" not in got.value.message
    assert got.value.hint and str(DEFAULT_POLICY) in got.value.hint


def test_a_missing_policy_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as got:
        load_policy(tmp_path / "absent.yaml")
    assert str(tmp_path / "absent.yaml") in got.value.message and got.value.exit_code == 2


def test_golden_evaluation_of_the_small_city(city_hub: str, city: City, dora: Dora) -> None:
    a, b, d = city.unit_a, city.unit_b, dora.unit
    with connect(city_hub) as conn:
        snap = snapshot(conn, date(2026, 12, 20), load_policy())
        later = snapshot(conn, date(2029, 9, 1), load_policy())
    rows = {u.id: u for u in snap.units}
    assert sorted(rows) == sorted([a, b, d])
    # Unit A: its level-3 portal never inspected (overdue), its office system non-compliant, one drill held
    # which raised one high-risk gap (open, no deadline).
    assert city.drill_high == 1
    assert rows[a].figures == UnitFigures(1, 1, ("noncompliant", "none"), 1, 0, 1, 0, 0, 1)
    assert (
        rows[a].evaluation.score == 50.0
    )  # 15 (high-risk 0.75) + 15 (remediation) + 10 (filings) + 10 (drill)
    # Unit B: its high-risk item open and past its 14-day deadline (2026-12-08), no level-3 system, no drill.
    assert rows[b].figures == UnitFigures(0, 0, ("noncompliant",), 1, 1, 0, 0, 0, 0)
    assert rows[b].evaluation.parts["high_risk"] == 0.75
    assert rows[b].evaluation.score == 62.0  # 25 + 0 + 15 + 12 + 10 + 0
    # Unit D: two graded systems never inspected, both overdue since they were recorded.
    assert rows[d].figures == UnitFigures(2, 2, ("none", "none"), 0, 0, 1, 0, 0, 0)
    assert rows[d].evaluation.score == 45.0
    assert [
        (x.district, x.units, x.systems, x.overdue_inspections, x.score) for x in snap.district_rows()
    ] == [
        ("", 2, 3, 1, 56.0),
        ("East", 1, 2, 2, 45.0),
    ]
    assert [u.id for u in snap.filtered(district="East").units] == [d]
    assert [u.id for u in snap.filtered(department="ehb").units] == [d]
    # Three years on: Dora's filing (2026-03-01) has expired, unit A's portal filing (2026-11-24) expires soon.
    assert [(f[0], f[3]) for f in later.filings] == [(d, "2029-03-01"), (a, "2029-11-24")]
    # Every overdue item is counted; the list holds only the longest overdue.
    with connect(city_hub) as conn:
        oldest = queries.overdue_remediation(conn, date(2028, 1, 1), limit=2)
        counts = queries.overdue_remediation_by_unit(conn, date(2028, 1, 1))
    assert sum(counts.values()) == 5 and len(oldest) == 2
    assert (oldest[0].unit_id, oldest[0].risk, oldest[0].deadline) == (b, "high", "2026-12-08")
    assert oldest[1].deadline == "2026-12-24"  # then a medium item (14 vs 30 days after 2026-11-24)
    late = {u.id: u for u in later.units}
    assert (late[d].figures.filings_expired, late[a].figures.filings_expiring) == (1, 1)
    assert late[d].evaluation.parts["filings"] == 0.0 and late[a].evaluation.parts["filings"] == 0.5


def test_the_commands_refuse_a_bad_policy_or_day_with_exit_2(
    tmp_path: Path, cli: Callable[..., tuple[int, str, str]], city_hub: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("weights: {drills: -3}\n", encoding="utf-8")
    code, out, err = cli("--lang", "en", "hub", "dashboard", "--db", city_hub, "--policy", bad)
    assert code == 2 and out == ""
    assert f"The evaluation policy {bad} is invalid: weights.drills must not be negative" in err
    assert "Traceback" not in err
    code, out, err = cli("--lang", "zh", "hub", "dashboard", "--db", city_hub, "--today", "2026-13-01")
    assert code == 2 and "无法识别日期 2026-13-01" in err and "YYYY-MM-DD" in err
