"""The pure drill domain: clock, release rules, scoring rules and improvement risks."""

from __future__ import annotations

import pytest

from gradesec.catalog.loader import Catalog
from gradesec.catalog.scenario import Scenario
from gradesec.drill import rules
from gradesec.drill.clock import DrillClock, ManualTime, format_elapsed, parse_elapsed
from gradesec.drill.improvements import derive
from gradesec.drill.model import DrillRecord, Mark, Release, Team
from gradesec.drill.scoring import score

MIN = 60_000


@pytest.fixture
def portal(catalog: Catalog) -> Scenario:
    s = catalog.extras["scenario"]["portal-defacement"]
    assert isinstance(s, Scenario)
    return s


def _record(scenario: Scenario) -> DrillRecord:
    teams = [Team(r.id, r.id, (r.id,)) for r in scenario.roles]
    return DrillRecord("D1", scenario.id, "sha", "2026-11-24T09:30:00.000Z", teams=teams)


def test_clock_runs_pauses_and_speeds_up() -> None:
    """Drill time follows the source times the speed, stands still while paused, and keeps its past."""
    src = ManualTime()
    clock = DrillClock(src)
    clock.resume()
    src.advance(60)
    assert clock.elapsed_ms() == MIN
    clock.pause()
    src.advance(600)
    assert clock.elapsed_ms() == MIN
    clock.resume()
    clock.set_speed(4)
    src.advance(30)
    assert clock.elapsed_ms() == 3 * MIN
    clock.jump_to(10 * MIN)
    assert clock.elapsed_ms() == 10 * MIN
    with pytest.raises(ValueError):
        clock.jump_to(MIN)


@pytest.mark.parametrize(
    ("text", "ms"), [(5, 5 * MIN), ("5", 5 * MIN), ("04:30", 270_000), ("1:50:00", 110 * MIN), (0.5, 30_000)]
)
def test_parse_elapsed(text: str | int, ms: int) -> None:
    assert parse_elapsed(text) == ms


@pytest.mark.parametrize("bad", ["", "x", "1:2:3:4", "-5", True])
def test_parse_elapsed_rejects_nonsense(bad: object) -> None:
    with pytest.raises(ValueError):
        parse_elapsed(bad)  # type: ignore[arg-type]


def test_format_elapsed() -> None:
    assert format_elapsed(None) == "-"
    assert format_elapsed(65_000) == "01:05"
    assert format_elapsed(3_725_000) == "1:02:05"


def test_due_injects_wait_for_their_dependencies(portal: Scenario) -> None:
    """I2 (at 10, after I1) is due only once I1 is out, and no earlier than I1's release."""
    rec = _record(portal)
    assert [d.inject.id for d in rules.due_injects(portal, rec, 0)] == ["I1"]
    # In one call a chain resolves: at 35 min I1, I2, I3, I4 are all due, in time order.
    due = rules.due_injects(portal, rec, 35 * MIN)
    assert [(d.inject.id, d.due_ms) for d in due] == [
        ("I1", 0),
        ("I2", 10 * MIN),
        ("I3", 20 * MIN),
        ("I4", 30 * MIN),
    ]
    # A late I1 pushes I2 back to I1's release.
    rec.releases["I1"] = Release("I1", 15 * MIN)
    assert rules.due_time(portal, rec, portal.inject("I2")) == 15 * MIN
    assert rules.next_due(portal, rec) is not None


def test_release_out_of_order_is_refused(portal: Scenario) -> None:
    rec = _record(portal)
    with pytest.raises(rules.DrillError, match="I1"):
        rules.check_release(portal, rec, "I2")
    rec.releases["I1"] = Release("I1", 0)
    rules.check_release(portal, rec, "I2")
    with pytest.raises(rules.DrillError):
        rules.check_release(portal, rec, "I1")


def test_mark_needs_a_released_inject_and_a_later_time(portal: Scenario) -> None:
    rec = _record(portal)
    with pytest.raises(rules.DrillError):
        rules.check_mark(portal, rec, "I2-E1")
    rec.releases["I2"] = Release("I2", 10 * MIN)
    with pytest.raises(rules.DrillError):
        rules.check_mark(portal, rec, "I2-E1", 5 * MIN)
    assert rules.check_mark(portal, rec, "I2-E1", 12 * MIN)[1].id == "I2-E1"


def test_scoring_rules(portal: Scenario) -> None:
    """Met, partial, late and missed earn 1, 0.5, 0.5 and 0; unreleased injects are left out;
    an unmarked expectation is pending until its deadline passes."""
    rec = _record(portal)
    rec.releases["I1"] = Release("I1", 0)
    rec.marks["I1-E1"] = Mark("I1-E1", "met", 5 * MIN)  # 10 points, deadline 10
    live = score(portal, rec, now_ms=6 * MIN)
    by_id = {e.id: e for e in live.expectations}
    assert by_id["I1-E2"].status == "pending" and not by_id["I1-E2"].counted
    assert by_id["I2-E1"].status == "not_released"
    assert live.overall.possible == 10 and live.overall.earned == 10
    rec.marks["I1-E2"] = Mark("I1-E2", "met", 20 * MIN)  # deadline 15: late
    after = score(portal, rec, now_ms=20 * MIN)
    e2 = next(e for e in after.expectations if e.id == "I1-E2")
    assert e2.late and e2.earned == 5.0 and e2.response_ms == 20 * MIN
    rec.marks["I1-E2"] = Mark("I1-E2", "partial", 14 * MIN)
    assert next(e for e in score(portal, rec).expectations if e.id == "I1-E2").earned == 5.0
    rec.status = "closed"
    rec.closed_elapsed_ms = 30 * MIN
    rec.marks.pop("I1-E2")
    final = score(portal, rec)
    assert next(e for e in final.expectations if e.id == "I1-E2").status == "missed"
    assert final.overall.possible == 20 and final.overall.earned == 10


def test_improvement_risk_follows_the_objective(portal: Scenario) -> None:
    """A miss on a high-priority objective is a high risk; a partial result is one step lower."""
    rec = _record(portal)
    rec.releases["I1"] = Release("I1", 0)
    rec.marks["I1-E1"] = Mark("I1-E1", "partial", 5 * MIN)
    rec.status, rec.closed_elapsed_ms = "closed", 20 * MIN
    imps = derive(portal, rec, score(portal, rec))
    risks = {i.source["expectation"]: i.risk for i in imps}
    assert risks == {"I1-E1": "medium", "I1-E2": "high"}
    assert all(i.title["zh"] and i.title["en"] for i in imps)
