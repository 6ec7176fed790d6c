"""Scripted drills through the real use cases and a real store: golden scores and times, every shipped
scenario end to end, and bad input that changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gradesec.catalog.scenario import Scenario
from gradesec.drill.script import load_script, parse_script
from gradesec.errors import GradesecError, NotFoundError, UsageError
from gradesec.journal import Store
from gradesec.usecases import drills
from tests.drill.conftest import DrillCtx

FIXTURES = Path(__file__).parent / "fixtures"
MIN = 60_000


def _state(store: Store) -> list[tuple[Any, ...]]:
    tables = (
        "drill",
        "drill_team",
        "drill_release",
        "drill_mark",
        "drill_observation",
        "drill_pause",
        "drill_improvement",
    )
    out: list[tuple[Any, ...]] = []
    for table in tables:
        out += [(table, *row) for row in store.connection.execute(f"SELECT * FROM {table} ORDER BY 1, 2")]
    return out


def test_golden_portal_rehearsal(ctx: DrillCtx) -> None:
    """The fixture script's scores and response times, worked out by hand in the script's comments."""
    drill_id = drills.run_script(ctx, load_script(FIXTURES / "portal-script.yaml"))
    result = drills.drill_score(ctx.store, drill_id).as_json()
    assert drill_id == "D-GOLDEN" and result["final"] is True
    overall = result["overall"]
    assert (overall["earned"], overall["possible"], overall["percent"]) == (77.5, 125, 62.0)
    assert overall["counts"] == {"met": 7, "partial": 2, "missed": 5, "late": 1}
    assert (overall["weighted_percent"], overall["passed"]) == (70.6, True)
    assert overall["mean_first_action_ms"] == 980_000  # (3+10+25+25+20+15)/6 minutes
    assert overall["mean_to_met_ms"] == 1_225_714  # (6+12+10+25+25+45+20)/7 minutes
    teams = {k: (v["earned"], v["possible"], v["mean_first_action_ms"]) for k, v in result["teams"].items()}
    assert teams == {
        "command": (10, 25, 12 * MIN),
        "tech": (40, 65, 11 * MIN),
        "press": (27.5, 35, 1_300_000),
    }
    objectives = {k: (v["percent"], v["achieved"]) for k, v in result["objectives"].items()}
    assert objectives == {
        "O1": (87.5, True),
        "O2": (71.4, True),
        "O3": (50.0, False),
        "O4": (83.3, True),
        "O5": (33.3, False),
    }
    injects = {i["inject"]: (i["released_ms"], i["manual"], i["first_action_ms"]) for i in result["injects"]}
    assert injects == {
        "I1": (0, False, 3 * MIN),
        "I2": (10 * MIN, False, 10 * MIN),
        "I3": (20 * MIN, False, 25 * MIN),
        "I4": (30 * MIN, False, 25 * MIN),
        "I5": (50 * MIN, False, None),
        "I6": (75 * MIN, False, 20 * MIN),
        "I7": (85 * MIN, True, 15 * MIN),
    }
    late = next(e for e in result["expectations"] if e["id"] == "I3-E2")
    assert (late["status"], late["late"], late["earned"]) == ("met", True, 2.5)


def test_golden_improvements_are_raised_at_close(ctx: DrillCtx) -> None:
    """One by hand, one per gap (missed, partial, late) and one per improvement observation."""
    drill_id = drills.run_script(ctx, load_script(FIXTURES / "portal-script.yaml"))
    imps = drills.load_drill(ctx.store, drill_id).record.improvements
    assert [i.id for i in imps] == [f"D-GOLDEN-I{n:02d}" for n in range(1, 11)]
    assert (
        imps[0].source == {"origin": "manual"}
        and imps[0].owner == "信息中心"
        and imps[0].links == ("MMS-13",)
    )
    by_exp = {i.source.get("expectation"): i.risk for i in imps if i.source.get("origin") == "expectation"}
    assert by_exp == {
        "I2-E2": "low",
        "I3-E2": "low",
        "I4-E2": "high",
        "I5-E1": "medium",
        "I5-E2": "low",
        "I6-E2": "high",
        "I7-E1": "medium",
        "I7-E2": "low",
    }
    assert imps[-1].title == {"zh": "舆情报告没有固定频次", "en": "舆情报告没有固定频次"}
    events = [e for e in ctx.store.events() if e.kind == "drill.improvement_raised"]
    assert len(events) == 10 and all(e.body["drill"] == "D-GOLDEN" for e in events)


def test_state_equals_replay_and_verifies(ctx: DrillCtx) -> None:
    """Every step is a signed event; the drill state is exactly what a replay of the journal builds."""
    drills.run_script(ctx, load_script(FIXTURES / "portal-script.yaml"))
    before = _state(ctx.store)
    assert ctx.store.verify().ok
    ctx.store.rebuild_state()
    assert _state(ctx.store) == before
    kinds = {e.kind for e in ctx.store.events()}
    assert {
        "drill.started",
        "drill.inject_released",
        "drill.expectation_marked",
        "drill.observation",
        "drill.paused",
        "drill.resumed",
        "drill.closed",
        "drill.improvement_raised",
    } <= kinds


def _perfect_script(scenario: Scenario) -> dict[str, Any]:
    """Every inject released on schedule and every expectation met at half its deadline."""
    actions: list[tuple[float, dict[str, Any]]] = []
    release: dict[str, float] = {}
    for inject in scenario.injects:  # shipped scenarios list injects after what they follow
        release[inject.id] = max([inject.at, *(release[d] for d in inject.after)])
        for exp in inject.expectations:
            actions.append(
                (
                    release[inject.id] + exp.deadline / 2,
                    {"do": "mark", "expectation": exp.id, "status": "met"},
                )
            )
    actions.sort(key=lambda a: a[0])
    end = max(a[0] for a in actions) + 1
    return {
        "scenario": scenario.id,
        "actions": [{"at": at, **a} for at, a in actions] + [{"at": end, "do": "close"}],
    }


@pytest.mark.parametrize(
    "scenario_id",
    [
        "portal-defacement",
        "office-ransomware",
        "egov-data-leak",
        "platform-ddos-event",
        "datacentre-power-restore",
    ],
)
def test_every_shipped_scenario_runs_end_to_end(ctx: DrillCtx, scenario_id: str) -> None:
    """A flawless run scores 100 % everywhere and raises no improvements."""
    scenario = drills.find_scenario(ctx.catalog, scenario_id)
    drill_id = drills.run_script(ctx, parse_script(_perfect_script(scenario), "test"))
    loaded = drills.load_drill(ctx.store, drill_id)
    result = drills.drill_score(ctx.store, drill_id)
    assert loaded.record.status == "closed"
    assert set(loaded.record.releases) == {i.id for i in scenario.injects}
    assert result.overall.percent == 100.0 and result.passed
    assert all(t.percent == 100.0 for t in result.teams.values())
    assert loaded.record.improvements == []


@pytest.mark.parametrize(
    ("action", "error"),
    [
        ({"at": 1, "do": "mark", "expectation": "I2-E1", "status": "met"}, "not been released"),
        ({"at": 1, "do": "mark", "expectation": "NOPE", "status": "met"}, "no expectation"),
        ({"at": 1, "do": "release", "inject": "I4"}, "can only follow"),
        ({"at": 1, "do": "observe", "kind": "action", "team": "ghosts", "text": "x"}, "no team"),
        ({"at": 1, "do": "resume"}, "not paused"),
        (
            {
                "at": 1,
                "do": "improve",
                "title": {"zh": "改", "en": "Fix"},
                "risk": "high",
                "links": ["NOPE-1"],
            },
            "no item or control",
        ),
    ],
)
def test_a_bad_action_is_refused_and_changes_nothing(
    ctx: DrillCtx, action: dict[str, Any], error: str
) -> None:
    """A scripted run is one transaction: a refused action leaves no half-run drill (not even its start), so
    the corrected script can be run again under the same drill id."""
    script = parse_script({"scenario": "portal-defacement", "drill": "D-BAD", "actions": [action]}, "test")
    before = ctx.store.count()
    with pytest.raises(GradesecError, match=error):
        drills.run_script(ctx, script)
    assert ctx.store.count() == before
    with pytest.raises(NotFoundError):
        drills.load_drill(ctx.store, "D-BAD")
    fixed = parse_script({"scenario": "portal-defacement", "drill": "D-BAD", "actions": []}, "test")
    assert drills.run_script(ctx, fixed) == "D-BAD"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (
            {
                "scenario": "portal-defacement",
                "actions": [{"at": 5, "do": "pause"}, {"at": 4, "do": "resume"}],
            },
            "goes back",
        ),
        ({"scenario": "portal-defacement", "actions": [{"at": "soon", "do": "pause"}]}, "not a time"),
        (
            {"scenario": "portal-defacement", "actions": [{"at": 1, "do": "mark", "expectation": "I1-E1"}]},
            "status",
        ),
        ({"scenario": "portal-defacement", "actions": [{"at": 1, "do": "dance"}]}, "do"),
        ({"actions": []}, "scenario"),
    ],
)
def test_a_malformed_script_is_a_usage_error(data: dict[str, Any], error: str) -> None:
    with pytest.raises(UsageError, match=error):
        parse_script(data, "script.yaml")


def test_teams_must_cover_roles_once(ctx: DrillCtx) -> None:
    from gradesec.drill.model import Team

    with pytest.raises(UsageError, match="both team"):
        drills.start_drill(ctx, "portal-defacement", [Team("a", "A", ("lead",)), Team("b", "B", ("lead",))])
    with pytest.raises(UsageError, match="does not have"):
        drills.start_drill(ctx, "portal-defacement", [Team("a", "A", ("pilot",))])
    assert drills.list_drills(ctx.store) == []
