"""High-risk suggestions on the shipped catalog: gating by the system's conditions, downgrades only with a
mitigation the case allows (refused otherwise, nothing written), and the new event through replay and verify."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from gradesec.assess.risk import CaseRule, Suggestion, check_rating
from gradesec.catalog.loader import Catalog, load_catalog
from gradesec.errors import GradesecError, UsageError
from gradesec.journal import FrozenClock
from gradesec.usecases import inspections as uc
from gradesec.usecases.context import Context, open_context
from tests.assess.conftest import counting_ids, make_signer


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    return load_catalog()


@pytest.fixture
def sctx(tmp_path: Path, shipped: Catalog) -> Iterator[Context]:
    context = open_context(
        tmp_path / "store",
        signer=make_signer("Inspector Ivan"),
        create=True,
        catalog=shipped,
        clock=FrozenClock("2026-12-01T09:00:00.000Z"),
        new_id=counting_ids(),
    )
    yield context
    context.close()


def _events(ctx: Context) -> int:
    return ctx.store.count()


def _setup(ctx: Context, *, conditions: tuple[str, ...] = ()) -> dict[str, str]:
    unit = uc.add_unit(ctx, "City Grid Co.")
    system = uc.add_system(ctx, unit.id, "Dispatch", level=3, conditions=conditions)
    ids = {"system": system.id}
    for kind in ("network_device", "server", "docs", "application"):
        ids[kind] = uc.add_asset(ctx, system.id, kind, kind).id
    ids["insp"] = uc.new_inspection(ctx, system.id, "mlps-l3", title="2026").id
    return ids


def test_a_case_needing_a_condition_applies_only_when_the_system_has_it(sctx: Context) -> None:
    ids = _setup(sctx)
    i, dev = ids["insp"], ids["network_device"]
    # 6.2.1.3 (redundancy) and 6.2.1.1 (capacity) need 业务连续性要求高; 6.2.1.2 needs nothing.
    uc.record_finding(sctx, i, "CNS-01-e", dev, "noncompliant")
    uc.record_finding(sctx, i, "CNS-01-d", dev, "noncompliant")
    assert uc.suggest_risk(sctx, i, "CNS-01-e", "noncompliant").risk is None
    assert uc.suggest_risk(sctx, i, "CNS-01-d", "noncompliant").cases == ("6.2.1.2",)
    system = uc.set_system_conditions(sctx, ids["system"], ["business_continuity"])
    assert system.conditions == ("business_continuity",)
    s = uc.suggest_risk(sctx, i, "CNS-01-e", "noncompliant")
    assert (s.risk, s.cases) == ("high", ("6.2.1.3",))
    issues = {x.item_id: x for x in uc.load_inspection(sctx, i).issues}
    assert issues["CNS-01-e"].suggested == "high"
    # 6.3.3.3 needs 关键行业, which the system still does not have
    assert uc.suggest_risk(sctx, i, "ABS-03-c", "noncompliant").risk is None
    uc.set_system_conditions(sctx, ids["system"], ["critical_industry", "business_continuity"])
    assert uc.suggest_risk(sctx, i, "ABS-03-c", "noncompliant").cases == ("6.3.3.3",)
    uc.set_system_conditions(sctx, ids["system"], [])
    assert uc.suggest_risk(sctx, i, "CNS-01-e", "noncompliant").risk is None


def test_conditions_given_at_creation_gate_from_the_start(sctx: Context) -> None:
    ids = _setup(sctx, conditions=("business_continuity",))
    assert uc.get_system(sctx, ids["system"]).conditions == ("business_continuity",)
    assert uc.suggest_risk(sctx, ids["insp"], "CES-09-c", "noncompliant").cases == ("6.4.6.2",)


def test_bad_condition_changes_are_refused_and_write_nothing(sctx: Context) -> None:
    ids = _setup(sctx, conditions=("business_continuity",))
    n = _events(sctx)
    with pytest.raises(UsageError, match="Unknown system condition 'bank'"):
        uc.set_system_conditions(sctx, ids["system"], ["bank"])
    with pytest.raises(GradesecError, match="unchanged"):
        uc.set_system_conditions(sctx, ids["system"], ["business-continuity"])
    with pytest.raises(UsageError, match="Unknown system condition"):
        uc.add_system(sctx, "u-0001", "x", level=2, conditions=["nope"])
    assert _events(sctx) == n


def test_downgrade_only_with_a_mitigation_the_case_allows(sctx: Context) -> None:
    ids = _setup(sctx)
    i, srv = ids["insp"], ids["server"]
    uc.record_finding(sctx, i, "CES-04-e", srv, "noncompliant")  # 6.4.3.2: mitigations only for situation 2
    app = ids["application"]
    uc.record_finding(sctx, i, "CES-11-a", app, "noncompliant")  # 6.4.7.1: no mitigation at all
    uc.record_finding(sctx, i, "CES-05-a", srv, "noncompliant")  # 6.4.4.1: two non-Windows mitigations
    n = _events(sctx)
    with pytest.raises(GradesecError, match=r"6\.4\.3\.2 may be lowered only with a mitigation it allows"):
        uc.rate_issue(sctx, i, "CES-04-e", srv, "medium", compensation="we patch monthly", reason="r")
    with pytest.raises(GradesecError, match="do not allow mitigation waf"):
        uc.rate_issue(sctx, i, "CES-04-e", srv, "medium", mitigations=["waf"], reason="r")
    with pytest.raises(GradesecError, match="does not allow a downgrade"):
        uc.rate_issue(sctx, i, "CES-11-a", app, "low", mitigations=["restricted-access"], reason="r")
    with pytest.raises(GradesecError, match="needs a reason"):
        uc.rate_issue(sctx, i, "CES-05-a", srv, "medium", mitigations=["non-windows-network-antimalware"])
    assert _events(sctx) == n
    issue = uc.rate_issue(
        sctx,
        i,
        "CES-04-e",
        srv,
        "medium",
        mitigations=["restricted-access"],
        reason="Only reachable from the ops VLAN; jump host checked.",
    )
    assert issue.risk == "medium" and issue.downgraded
    assert issue.mitigations == (("6.4.3.2", "restricted-access"),)
    event = list(sctx.store.events())[-1]
    assert event.kind == "issue.rated"
    assert event.body["mitigations"] == [{"case": "6.4.3.2", "id": "restricted-access"}]
    # keeping the suggested high needs no mitigation, and none is recorded
    kept = uc.rate_issue(sctx, i, "CES-11-a", app, "high")
    assert kept.mitigations == () and "mitigations" not in list(sctx.store.events())[-1].body


def test_conditions_and_mitigations_survive_replay_and_verify(
    sctx: Context, shipped: Catalog, tmp_path: Path
) -> None:
    ids = _setup(sctx)
    i, dev = ids["insp"], ids["network_device"]
    uc.set_system_conditions(sctx, ids["system"], ["business_continuity"])
    uc.record_finding(sctx, i, "CNS-01-e", dev, "noncompliant")
    uc.rate_issue(sctx, i, "CNS-01-e", dev, "low", mitigations=["multi-dc-app-dr"], reason="two DCs, drilled")
    before = uc.load_inspection(sctx, i).issues
    sctx.store.rebuild_state()
    assert uc.load_inspection(sctx, i).issues == before
    assert uc.get_system(sctx, ids["system"]).conditions == ("business_continuity",)
    assert sctx.store.verify().ok
    kinds = [e.kind for e in sctx.store.events()]
    assert "system.conditions_set" in kinds
    sctx.close()
    again = open_context(tmp_path / "store", catalog=shipped)
    try:
        assert again.store.verify().ok
        assert uc.get_system(again, ids["system"]).conditions == ("business_continuity",)
        rated = next(x for x in uc.load_inspection(again, i).issues if x.item_id == "CNS-01-e")
        assert rated.mitigations == (("6.2.1.3", "multi-dc-app-dr"),)
    finally:
        again.close()


def test_the_latest_condition_event_wins_whatever_the_replay_order(sctx: Context) -> None:
    ids = _setup(sctx)
    uc.set_system_conditions(sctx, ids["system"], ["business_continuity"])
    uc.set_system_conditions(sctx, ids["system"], ["critical_industry"])
    sctx.store.rebuild_state()
    assert uc.get_system(sctx, ids["system"]).conditions == ("critical_industry",)


def _rule(**kw: object) -> CaseRule:
    data: dict[str, object] = {
        "id": "6.4.5.1",
        "levels": [3],
        "items": ["CES-08-a"],
        "results": ["noncompliant"],
    }
    data.update(kw)
    return CaseRule.from_json(data)


def test_scope_floor_and_legacy_rules() -> None:
    mfa = {"id": "mfa", "situations": [1], "requires": [], "down_to": "medium"}
    case = _rule(conditions=[], mitigations=[mfa])
    s = Suggestion("high", (case.id,), True, (case,))
    assert check_rating(s, "medium", "", "checked", ["mfa"])[3][0].id == "mfa"
    with pytest.raises(GradesecError, match="allow no lower than medium"):
        check_rating(s, "low", "", "checked", ["mfa"])
    # a case pinned before mitigations existed keeps the earlier rule: free-text compensation and a reason
    legacy = _rule(downgradable=True)
    assert legacy.mitigations is None
    s = Suggestion("high", (legacy.id,), True, (legacy,))
    assert check_rating(s, "low", "MFA at the VPN", "ok")[0] == "low"
    with pytest.raises(GradesecError, match="compensating measures"):
        check_rating(s, "low", "", "ok")
    assert json.loads(json.dumps(case.as_json()))["mitigations"][0]["down_to"] == "medium"
