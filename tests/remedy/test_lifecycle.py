"""The pure remediation rules: transitions, roles, deadlines, overdue and expiry, and order-free folding."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradesec.remedy import (
    Acceptance,
    LogEntry,
    allowed,
    default_deadline,
    effective_status,
    figures,
    fold,
    is_overdue,
    may,
    next_statuses,
)

PLAN = {
    "problem": {"zh": "弱口令", "en": "weak passwords"},
    "risk": "high",
    "inspection": "I-1",
    "deadline": "2026-12-08",
    "source": {"kind": "issue"},
}


def entry(n: int, action: str, at: str, seen: str | None = None, **kw: object) -> LogEntry:
    return LogEntry(at=at, author="a" * 32, event_hash=f"{n:064x}", action=action, seen=seen, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("status", "action", "ok"),
    [
        ("open", "start", True),
        ("open", "fix", True),
        ("in_progress", "fix", True),
        ("fixed", "verify", True),
        ("fixed", "reopen", True),
        ("verified", "fix", False),
        ("verified", "start", False),
        ("verified", "assign", False),
        ("accepted", "fix", True),
        ("fixed", "accept", True),
        ("reopened", "fix", True),
        ("verified", "verify", False),
        ("in_progress", "start", False),
    ],
)
def test_transitions(status: str, action: str, ok: bool) -> None:
    assert allowed(status, action) is ok  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("role", "action", "ok"),
    [
        ("officer", "fix", True),
        ("officer", "verify", False),
        ("officer", "accept", True),
        ("inspector", "verify", True),
        ("inspector", "fix", False),
        ("inspector", "accept", False),
        ("lead", "plan", True),
        ("officer", "plan", False),
        ("reviewer", "reopen", True),
    ],
)
def test_roles(role: str, action: str, ok: bool) -> None:
    assert may(role, action) is ok  # type: ignore[arg-type]


def test_next_statuses_from_fixed() -> None:
    assert set(next_statuses("fixed")) == {"in_progress", "accepted", "verified", "reopened"}


@pytest.mark.parametrize(
    ("risk", "due"), [("high", "2026-12-08"), ("medium", "2026-12-24"), ("low", "2027-02-22")]
)
def test_default_deadlines(risk: str, due: str) -> None:
    assert default_deadline("2026-11-24T09:30:00.000Z", risk, {"high": 14, "medium": 30, "low": 90}) == due


def test_lifecycle_overdue_and_expiry() -> None:
    item = fold("R-1", [entry(1, "plan", "2026-11-24T09:00:00.000Z", fields=PLAN)])
    assert item is not None and item.status == "open"
    assert not is_overdue(item, "2026-12-08") and is_overdue(item, "2026-12-09")
    accepted = fold(
        "R-1",
        [
            entry(1, "plan", "2026-11-24T09:00:00.000Z", fields=PLAN),
            entry(
                2, "accept", "2026-11-25T09:00:00.000Z", acceptance=Acceptance("legacy", "CIO", "2026-12-31")
            ),
        ],
    )
    assert accepted is not None and accepted.status == "accepted"
    assert effective_status(accepted, "2026-12-31") == "accepted" and not is_overdue(accepted, "2026-12-31")
    # The day after it expires, the risk is open again, and overdue since its deadline has passed.
    assert effective_status(accepted, "2027-01-01") == "open" and is_overdue(accepted, "2027-01-01")
    fig = figures([item, accepted], "2027-01-01")
    assert fig.overdue == 2 and fig.expired_acceptances == 1 and fig.by_status["open"] == 2


def test_retest_after_fix_despite_a_slow_clock() -> None:
    """The inspector's clock is behind the unit's; the re-test still folds after the fix it saw."""
    fixed = entry(2, "fix", "2026-11-30T09:00:00.000Z", seen=f"{1:064x}")
    verify = entry(3, "verify", "2026-11-28T09:00:00.000Z", seen=fixed.event_hash, outcome="verified")
    item = fold("R-1", [verify, fixed, entry(1, "plan", "2026-11-24T09:00:00.000Z", fields=PLAN)])
    assert item is not None and item.status == "verified" and item.conflicts == 0


def test_a_change_that_no_longer_fits_is_kept_and_flagged() -> None:
    plan = entry(1, "plan", "2026-11-24T09:00:00.000Z", fields=PLAN)
    verify = entry(2, "verify", "2026-11-25T09:00:00.000Z", seen=plan.event_hash, outcome="verified")
    late_fix = entry(3, "fix", "2026-11-26T09:00:00.000Z", seen=plan.event_hash)
    item = fold("R-1", [plan, verify, late_fix])
    assert item is not None and item.status == "verified" and item.conflicts == 1
    assert [e.applied for e in item.log] == [True, True, False]


ACTIONS = ["assign", "start", "fix", "note", "accept", "verify", "reopen"]


@st.composite
def logs(draw: st.DrawFn) -> list[LogEntry]:
    n = draw(st.integers(min_value=0, max_value=10))
    out = [entry(1, "plan", "2026-11-24T09:00:00.000Z", fields=PLAN)]
    for i in range(n):
        action = draw(st.sampled_from(ACTIONS))
        day = draw(st.integers(min_value=24, max_value=30))
        seen = draw(st.sampled_from([None, *(e.event_hash for e in out)]))
        extra: dict[str, object] = {}
        if action == "accept":
            extra["acceptance"] = Acceptance("why", "who", "2027-01-31")
        if action == "assign":
            extra["fields"] = {"owner_person": f"p{i}", "deadline": f"2026-12-{day - 10:02d}"}
        out.append(entry(i + 2, action, f"2026-11-{day}T09:00:00.000Z", seen=seen, **extra))
    return out


@settings(max_examples=150, deadline=None)
@given(log=logs(), data=st.data())
def test_fold_ignores_arrival_order(log: list[LogEntry], data: st.DataObject) -> None:
    """Any arrival order of the same log entries folds to the same item."""
    shuffled = data.draw(st.permutations(log))
    assert fold("R-1", shuffled) == fold("R-1", log)


def test_drill_gaps_become_items(tmp_path: object) -> None:
    """A ``drill.improvement_raised`` event is the plan of an item on the same board."""
    from pathlib import Path

    from gradesec.journal import FrozenClock, Store
    from gradesec.state.remedy import load_item
    from tests.remedy.conftest import make_signer

    lead = make_signer("Lead Lu", "lead")
    with Store.create(
        Path(str(tmp_path)) / "s", lead, clock=FrozenClock("2026-11-24T09:00:00.000Z")
    ) as store:
        store.append(
            lead,
            "drill.improvement_raised",
            {
                "drill": "D-1",
                "id": "D-1-I01",
                "title": {"zh": "未及时上报", "en": "Not reported in time"},
                "risk": "high",
                "links": [],
                "source": {"expectation": "e1"},
            },
        )
        item = load_item(store.connection, "D-1-I01")
        assert item is not None and item.drill_id == "D-1" and item.deadline == "2026-12-08"
        assert item.source_kind == "drill" and item.title("en") == "Not reported in time"
