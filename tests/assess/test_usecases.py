"""The inspection use cases on real stores with the small fixture catalog."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from gradesec.catalog.loader import Catalog, load_catalog
from gradesec.errors import GradesecError, KeyError_, NotFoundError, UsageError
from gradesec.journal import FrozenClock, Store
from gradesec.usecases import inspections as uc
from gradesec.usecases.context import Context, open_context
from tests.assess.conftest import FIXTURE, counting_ids, make_signer
from tests.handover import hand_over, second_store


def setup_inspection(ctx: Context) -> dict[str, str]:
    unit = uc.add_unit(ctx, "Example Bureau", code="EB-01", region="Zhengzhou", contact="Li Lei")
    system = uc.add_system(
        ctx,
        unit.id,
        "Office portal",
        business="society:serious",
        service="citizen:serious",
        filing_no="41-001",
    )
    ids = {"unit": unit.id, "system": system.id}
    for key, kind in (("srv1", "server"), ("srv2", "server"), ("sw1", "network_device"), ("doc1", "docs")):
        ids[key] = uc.add_asset(ctx, system.id, kind, key, address="10.0.0.1").id
    ids["insp"] = uc.new_inspection(ctx, system.id, "t-l3", title="Annual test").id
    return ids


def record_golden(ctx: Context, ids: dict[str, str]) -> None:
    """The results the hand computations in the tests below are based on."""
    i = ids["insp"]
    uc.record_finding(ctx, i, "TCE-01-a", ids["srv1"], "compliant")
    uc.record_finding(ctx, i, "TCE-01-a", ids["srv2"], "noncompliant", note="weak admin password")
    uc.record_finding(ctx, i, "TCE-01-a", ids["sw1"], "partial")
    uc.record_finding(ctx, i, "TCE-01-b", ids["srv1"], "compliant")
    uc.record_finding(ctx, i, "TCE-01-b", ids["srv2"], "compliant")
    uc.record_finding(ctx, i, "TCE-02-a", ids["srv1"], "partial")
    uc.record_finding(ctx, i, "TCE-02-a", ids["srv2"], "na", reason="logging is done by the SIEM host")
    uc.record_finding(ctx, i, "TCE-02-a", ids["sw1"], "compliant")
    uc.record_finding(ctx, i, "TMG-01-a", ids["doc1"], "compliant")


def event_count(ctx: Context) -> int:
    return ctx.store.count()


def test_system_level_from_grading_and_inspection_pins(ctx: Context, catalog: Catalog) -> None:
    ids = setup_inspection(ctx)
    system = uc.get_system(ctx, ids["system"])
    assert system.level == 3
    assert system.grading == {"business": "society:serious", "service": "citizen:serious", "level": 3}
    insp = uc.get_inspection(ctx, ids["insp"])
    assert [i.id for i in insp.items] == ["TCE-01-a", "TCE-01-b", "TCE-02-a", "TMG-01-a"]
    assert insp.items[1].weight == 0.7
    assert insp.pins["profile:t-l3"] == catalog.hash_of("profile", "t-l3")
    assert insp.pins["checklist:t-list"] == catalog.hash_of("checklist", "t-list")
    assert set(insp.policies) == {"p2019", "p2021", "p2025"}
    assert insp.catalog_sha256 == catalog.sha256
    assert insp.asset_ids == (ids["srv1"], ids["srv2"], ids["sw1"], ids["doc1"])
    assert insp.is_open


def test_end_to_end_scores_under_every_policy(ctx: Context) -> None:
    """Item means: TCE-01-a (1 + 0 + 0.5)/3 = 0.5, TCE-01-b 1, TCE-02-a (0.5 + 1)/2 = 0.75 (na left out),
    TMG-01-a 1."""
    ids = setup_inspection(ctx)
    i = ids["insp"]
    record_golden(ctx, ids)
    view = uc.load_inspection(ctx, i)
    assert (view.progress.recorded, view.progress.applicable) == (9, 9)

    # The non-compliant TCE-01-a result matches case 99.1.1.1: suggested high until rated otherwise.
    high = next(x for x in view.issues if x.asset_id == ids["srv2"])
    assert (high.suggested, high.cases, high.effective) == ("high", ("99.1.1.1",), "high")
    assert uc.score(ctx, i).conclusion.code == "noncompliant"

    uc.rate_issue(
        ctx,
        i,
        "TCE-01-a",
        ids["srv2"],
        "medium",
        mitigations=["other-factor"],
        compensation="SSH keys only from the jump host",
        reason="ok",
    )
    uc.rate_issue(ctx, i, "TCE-01-a", ids["sw1"], "low")
    uc.rate_issue(ctx, i, "TCE-02-a", ids["srv1"], "low")

    # 2019: TCE loss (1.0·0.5 + 0.7·0 + 0.4·0.25) / 2.1 = 0.6/2.1; TMG 0 → M = 100 − (0.6/2.1)/2 × 100.
    r2019 = uc.score(ctx, i)
    assert r2019.policy_id == "p2019"
    assert r2019.score == pytest.approx(100 - 0.6 / 2.1 / 2 * 100)
    assert r2019.conclusion.code == "basically_compliant"
    assert r2019.issues == {"high": 0, "medium": 1, "low": 2, "unrated": 0, "major": 0}
    assert r2019.results == {"compliant": 5, "partial": 2, "noncompliant": 1, "na": 1}
    assert not r2019.provisional

    # 2021 (one base S = 100/4 = 25 over the four scored items; every asset is of general importance, so the
    # weighted item score is the plain mean): technical defects 3·0.5 + 1·0.25 = 1.75 → V_t = 50 − 1.75·25 =
    # 6.25; management nothing fails → V_m = 50. M = 56.25 → 差 (below 70).
    r2021 = uc.score(ctx, i, "p2021")
    assert r2021.score == pytest.approx(50 - 1.75 * 25 + 50)
    assert r2021.conclusion.code == "poor"
    cps = {c.id: c.score for c in r2021.controls}
    assert cps["TCE-01"] == pytest.approx((0.5 * 1.0 + 0.7) / 1.7 * 10)
    assert cps["TCE-02"] == pytest.approx(7.5)

    # 2025: items met TCE-01-b and TMG-01-a: 2 of 4 = 50 % → 不符合.
    r2025 = uc.score(ctx, i, "p2025")
    assert r2025.compliance_rate == pytest.approx(50.0)
    assert r2025.conclusion.code == "noncompliant"

    # A policy the profile does not pin is taken from the catalog: weighted share 2.2 / 2.8.
    share = uc.score(ctx, i, "pshare")
    assert share.score == pytest.approx(2.2 / 2.8 * 100)
    assert share.conclusion.code == "not_met"

    assert r2019.pins["profile:t-l3"] and r2019.pins["catalog"]
    assert r2019.policy_sha256


def test_close_writes_a_checkpoint_and_refuses_new_results_until_reopened(ctx: Context) -> None:
    ids = setup_inspection(ctx)
    i = ids["insp"]
    record_golden(ctx, ids)
    before = len(ctx.store.checkpoints())
    closed = uc.close_inspection(ctx, i)
    assert closed.status == "closed" and closed.closed_by == ctx.signer.key_id
    assert len(ctx.store.checkpoints()) == before + 1
    n = event_count(ctx)
    with pytest.raises(GradesecError, match="closed"):
        uc.record_finding(ctx, i, "TMG-01-a", ids["doc1"], "partial")
    with pytest.raises(UsageError):
        uc.reopen_inspection(ctx, i, "  ")
    assert event_count(ctx) == n
    reopened = uc.reopen_inspection(ctx, i, "client sent the missing policy")
    assert reopened.is_open and reopened.reopen_reason == "client sent the missing policy"
    uc.record_finding(ctx, i, "TMG-01-a", ids["doc1"], "partial")
    report = ctx.store.verify()
    assert report.ok, [p.line() for p in report.problems]


def test_status_follows_the_chain_when_events_share_a_time(ctx: Context) -> None:
    """A reopening and a closing stamped with the same time (a clock that stands still, a re-test round on a
    coarse clock): the later event in the author's chain wins, whatever the hashes, and a replay agrees."""
    ids = setup_inspection(ctx)
    i = ids["insp"]
    record_golden(ctx, ids)
    ctx.store.clock = FrozenClock("2026-11-25T10:00:00.000Z", step=timedelta(0))
    for _ in range(6):  # enough rounds that a hash order would have lost at least once (2^-6 otherwise)
        uc.close_inspection(ctx, i)
        assert uc.get_inspection(ctx, i).status == "closed"
        uc.reopen_inspection(ctx, i, "one more round")
        assert uc.get_inspection(ctx, i).is_open
    uc.close_inspection(ctx, i)
    ctx.store.rebuild_state()
    assert uc.get_inspection(ctx, i).status == "closed"
    report = ctx.store.verify()
    assert report.ok, [p.line() for p in report.problems]


def test_bad_input_is_refused_with_nothing_written(ctx: Context, tmp_path: Path) -> None:
    ids = setup_inspection(ctx)
    i = ids["insp"]
    other = uc.add_system(ctx, ids["unit"], "Other system", level=3)
    stray = uc.add_asset(ctx, other.id, "server", "stray")
    n = event_count(ctx)
    blobs = len(ctx.store.evidence.blobs())
    cases: list[tuple[type[GradesecError], str, dict[str, object]]] = [
        (NotFoundError, "is not part of inspection", {"item": "NOPE-01-a"}),
        (UsageError, "control character U\\+0007", {"note": "bell\x07"}),
        (GradesecError, "belongs to system", {"asset": stray.id}),
        (NotFoundError, "no asset", {"asset": "a-9999"}),
        (NotFoundError, "no inspection", {"inspection": "i-9999"}),
        (UsageError, "not applicable needs a reason", {"result": "na"}),
        (UsageError, "Unknown result", {"result": "fine"}),
        (UsageError, "Unknown method", {"method": "guess"}),
        (NotFoundError, "evidence file", {"evidence": [tmp_path / "missing.png"]}),
    ]
    for error, message, change in cases:
        args: dict[str, object] = {
            "inspection": i,
            "item": "TCE-01-a",
            "asset": ids["srv1"],
            "result": "compliant",
            **change,
        }
        with pytest.raises(error, match=message):
            uc.record_finding(
                ctx,
                str(args["inspection"]),
                str(args["item"]),
                str(args["asset"]),
                str(args["result"]),
                note=str(args.get("note", "")),
                method=args.get("method"),  # type: ignore[arg-type]
                evidence=args.get("evidence", ()),  # type: ignore[arg-type]
            )
    with pytest.raises(UsageError, match="Unknown asset kind"):
        uc.add_asset(ctx, ids["system"], "toaster", "x")
    with pytest.raises(NotFoundError):
        uc.add_asset(ctx, "s-9999", "server", "x")
    with pytest.raises(NotFoundError):
        uc.add_system(ctx, "u-9999", "x", level=2)
    with pytest.raises(UsageError):
        uc.add_system(ctx, ids["unit"], "x")
    with pytest.raises(UsageError):
        uc.add_system(ctx, ids["unit"], "x", level=2, business="society:serious", service="citizen:general")
    with pytest.raises(UsageError):
        uc.add_unit(ctx, "   ")
    with pytest.raises(GradesecError, match="does not belong to system"):
        uc.new_inspection(ctx, ids["system"], "t-l3", asset_ids=[stray.id])
    with pytest.raises(NotFoundError):
        uc.new_inspection(ctx, ids["system"], "no-such-profile")
    assert event_count(ctx) == n
    assert len(ctx.store.evidence.blobs()) == blobs


def test_profile_for_another_level_is_refused(ctx: Context) -> None:
    ids = setup_inspection(ctx)
    low = uc.add_system(ctx, ids["unit"], "Level two", level=2)
    with pytest.raises(GradesecError, match="is for level 3"):
        uc.new_inspection(ctx, low.id, "t-l3")
    assert uc.new_inspection(ctx, low.id, "t-l2").level == 2


def test_revisions_are_kept_with_evidence(ctx: Context, tmp_path: Path) -> None:
    ids = setup_inspection(ctx)
    i = ids["insp"]
    shot = tmp_path / "screenshot.png"
    shot.write_bytes(b"\x89PNG fake screenshot")
    first = uc.record_finding(ctx, i, "TCE-01-a", ids["srv1"], "partial", note="no expiry", method="examine")
    second = uc.record_finding(
        ctx, i, "TCE-01-a", ids["srv1"], "compliant", note="expiry set to 90 days", evidence=[shot]
    )
    assert (first.revision, second.revision) == (1, 2)
    assert second.evidence[0].name == "screenshot.png"
    assert ctx.store.evidence.has(second.evidence[0].sha256)
    history = uc.finding_history(ctx, i, "TCE-01-a", ids["srv1"])
    assert [(f.revision, f.result, f.note) for f in history] == [
        (1, "partial", "no expiry"),
        (2, "compliant", "expiry set to 90 days"),
    ]
    view = uc.load_inspection(ctx, i)
    assert view.findings[("TCE-01-a", ids["srv1"])].result == "compliant"
    assert not view.issues  # the partial result was superseded
    assert ctx.store.verify().ok


def test_a_new_revision_keeps_the_evidence_it_replaces(ctx: Context, tmp_path: Path) -> None:
    """Re-recording without new files keeps the earlier proof; new files are added to it."""
    ids = setup_inspection(ctx)
    i = ids["insp"]
    shot, log = tmp_path / "shot.png", tmp_path / "audit.log"
    shot.write_bytes(b"\x89PNG fake screenshot")
    log.write_text("audit enabled\n", encoding="utf-8")
    uc.record_finding(ctx, i, "TCE-01-a", ids["srv1"], "partial", note="no expiry", evidence=[shot])
    second = uc.record_finding(ctx, i, "TCE-01-a", ids["srv1"], "compliant", note="fixed")
    assert [e.name for e in second.evidence] == ["shot.png"]
    third = uc.record_finding(ctx, i, "TCE-01-a", ids["srv1"], "compliant", note="and logged", evidence=[log])
    assert [e.name for e in third.evidence] == ["shot.png", "audit.log"]
    assert uc.load_inspection(ctx, i).findings[("TCE-01-a", ids["srv1"])].evidence == third.evidence
    assert ctx.store.verify().ok


def test_disagreement_is_flagged_until_a_reviewer_rules(ctx: Context, tmp_path: Path) -> None:
    """Two inspectors record the same pair without seeing each other's result; a reviewer settles it."""
    ids = setup_inspection(ctx)
    i = ids["insp"]
    second = make_signer("Inspector Wang")
    reviewer = make_signer("Reviewer Zhao", "reviewer")
    ctx.store.trust(ctx.signer, reviewer.public_bytes, reviewer.identity)
    wang = second_store(ctx, tmp_path / "wang", second, tmp_path)
    try:
        uc.record_finding(ctx, i, "TCE-01-a", ids["srv1"], "compliant")
        uc.record_finding(wang, i, "TCE-01-a", ids["srv1"], "noncompliant")
        hand_over(wang, ctx, tmp_path)
    finally:
        wang.close()
    disputes = uc.disagreements(ctx, i)
    assert len(disputes) == 1
    assert disputes[0].results == {ctx.signer.key_id: "compliant", second.key_id: "noncompliant"}
    # While disputed, the most cautious of the concurrent results counts.
    assert uc.load_inspection(ctx, i).findings[("TCE-01-a", ids["srv1"])].result == "noncompliant"
    assert uc.score(ctx, i).provisional
    with pytest.raises(GradesecError, match="unresolved"):
        uc.close_inspection(ctx, i)
    with pytest.raises(GradesecError, match="reviewer"):
        uc.resolve_disagreement(ctx, i, "TCE-01-a", ids["srv1"], "partial", reason="x")
    ruling = uc.resolve_disagreement(
        ctx.with_signer(reviewer), i, "TCE-01-a", ids["srv1"], "partial", reason="expiry set, complexity not"
    )
    assert ruling.resolution and ruling.revision == 3
    assert set(ruling.resolves) == set(disputes[0].hashes)
    assert uc.disagreements(ctx, i) == []
    assert uc.load_inspection(ctx, i).findings[("TCE-01-a", ids["srv1"])].result == "partial"
    with pytest.raises(GradesecError, match="no open disagreement"):
        uc.resolve_disagreement(ctx.with_signer(reviewer), i, "TCE-01-a", ids["srv1"], "partial", reason="x")
    # The same person changing their mind is a revision, not a disagreement.
    uc.record_finding(ctx, i, "TCE-01-b", ids["srv1"], "compliant")
    uc.record_finding(ctx, i, "TCE-01-b", ids["srv1"], "partial")
    # And so is a colleague's result recorded with the current one in view: it names what it replaces.
    uc.record_finding(ctx.with_signer(reviewer), i, "TCE-01-b", ids["srv1"], "noncompliant")
    assert uc.disagreements(ctx, i) == []
    assert uc.load_inspection(ctx, i).findings[("TCE-01-b", ids["srv1"])].result == "noncompliant"
    assert uc.close_inspection(ctx, i).status == "closed"
    assert ctx.store.verify().ok


def test_issue_rating_rules(ctx: Context) -> None:
    ids = setup_inspection(ctx)
    i = ids["insp"]
    uc.record_finding(ctx, i, "TCE-01-a", ids["srv2"], "noncompliant")
    uc.record_finding(ctx, i, "TCE-01-b", ids["srv2"], "partial")
    uc.record_finding(ctx, i, "TCE-01-b", ids["srv1"], "compliant")
    n = event_count(ctx)
    with pytest.raises(GradesecError, match="only with a mitigation it allows"):
        uc.rate_issue(ctx, i, "TCE-01-a", ids["srv2"], "low")
    with pytest.raises(GradesecError, match="do not allow mitigation made-up"):
        uc.rate_issue(
            ctx, i, "TCE-01-a", ids["srv2"], "low", mitigations=["other-factor", "made-up"], reason="r"
        )
    with pytest.raises(GradesecError, match="needs a reason"):
        uc.rate_issue(ctx, i, "TCE-01-a", ids["srv2"], "low", mitigations=["other-factor"])
    with pytest.raises(GradesecError, match="only when a suggested high risk is lowered"):
        uc.rate_issue(ctx, i, "TCE-01-a", ids["srv2"], "high", mitigations=["other-factor"])
    with pytest.raises(GradesecError, match="does not allow a downgrade"):
        uc.rate_issue(ctx, i, "TCE-01-b", ids["srv2"], "medium", mitigations=["other-factor"], reason="y")
    with pytest.raises(GradesecError, match="not an issue"):
        uc.rate_issue(ctx, i, "TCE-01-b", ids["srv1"], "low")
    with pytest.raises(UsageError, match="risk level"):
        uc.rate_issue(ctx, i, "TCE-01-b", ids["srv2"], "severe")
    assert event_count(ctx) == n
    issue = uc.rate_issue(
        ctx,
        i,
        "TCE-01-a",
        ids["srv2"],
        "low",
        mitigations=["other-factor"],
        compensation="MFA at the VPN",
        reason="checked",
    )
    assert issue.downgraded and issue.effective == "low" and issue.compensation == "MFA at the VPN"
    assert issue.mitigations == (("99.1.1.1", "other-factor"),)
    kept = uc.rate_issue(ctx, i, "TCE-01-b", ids["srv2"], "high", major=True)
    assert kept.major and uc.score(ctx, i, "p2025").issues["major"] == 1
    assert uc.suggest_risk(ctx, i, "TCE-01-a", "partial").risk is None


def test_old_inspection_scores_the_same_after_the_catalog_changes(ctx: Context, tmp_path: Path) -> None:
    ids = setup_inspection(ctx)
    i = ids["insp"]
    record_golden(ctx, ids)
    before = uc.score(ctx, i).as_json()
    changed = tmp_path / "changed"
    shutil.copytree(FIXTURE, changed)
    text = (changed / "checklist.yaml").read_text(encoding="utf-8")
    (changed / "checklist.yaml").write_text(
        text.replace("weight: {3: 0.7}", "weight: {3: 0.4}"), encoding="utf-8"
    )
    (changed / "p2019.yaml").write_text(
        (changed / "p2019.yaml").read_text(encoding="utf-8").replace("threshold: 70", "threshold: 90"),
        encoding="utf-8",
    )
    new_ctx = Context(ctx.store, load_catalog(layers=[[changed]]), ctx.signer, ctx.clock)
    assert uc.score(new_ctx, i).as_json() == before
    assert set(uc.load_inspection(new_ctx, i).catalog_changed) == {"checklist:t-list", "policy:p2019"}


def test_live_score_follows_new_results(ctx: Context) -> None:
    ids = setup_inspection(ctx)
    i = ids["insp"]
    record_golden(ctx, ids)
    live = uc.live_score(ctx, i)
    uc.record_finding(ctx, i, "TCE-02-a", ids["srv1"], "compliant")
    live.record("TCE-02-a", ids["srv1"], "compliant")
    uc.record_finding(ctx, i, "TCE-01-a", ids["sw1"], "noncompliant")
    live.record("TCE-01-a", ids["sw1"], "noncompliant")
    assert live.result().as_json() == uc.score(ctx, i).as_json()


def test_empty_inspection_scores_undetermined_and_writes_need_a_key(ctx: Context, tmp_path: Path) -> None:
    ids = setup_inspection(ctx)
    result = uc.score(ctx, ids["insp"], "p2021")
    assert result.score is None and result.conclusion.code == "undetermined"
    assert result.progress is not None and result.progress.applicable == 9
    reader = Context(ctx.store, ctx.catalog, None)
    assert [u.name for u in uc.list_units(reader)] == ["Example Bureau"]
    with pytest.raises(KeyError_):
        uc.add_unit(reader, "x")


def test_state_equals_replay_and_survives_reopen(ctx: Context, catalog: Catalog, tmp_path: Path) -> None:
    ids = setup_inspection(ctx)
    record_golden(ctx, ids)
    expected = uc.score(ctx, ids["insp"]).as_json()
    ctx.store.rebuild_state()
    assert uc.score(ctx, ids["insp"]).as_json() == expected
    ctx.close()
    again = open_context(tmp_path / "store", catalog=catalog)
    try:
        assert uc.score(again, ids["insp"]).as_json() == expected
        assert again.store.verify().ok
    finally:
        again.close()


def test_merging_two_inspectors_in_either_order_reaches_the_same_state(
    catalog: Catalog, tmp_path: Path
) -> None:
    """Two stores with the same history, then each inspector's work imported into the other's store."""
    lead = make_signer("Lead Li", "lead")
    wang = make_signer("Inspector Wang")
    clock = FrozenClock("2026-11-24T09:30:00.000Z")
    a = open_context(
        tmp_path / "a", signer=lead, create=True, catalog=catalog, clock=clock, new_id=counting_ids()
    )
    a.store.trust(lead, wang.public_bytes, wang.identity)
    ids = setup_inspection(a)
    b_store = Store.create(tmp_path / "b", wang, clock=clock)
    b_store.trust(wang, lead.public_bytes, lead.identity)
    b_store.import_events([e.stored() for e in a.store.events()])
    b = Context(b_store, catalog, wang, clock)
    base = max(e.rowid or 0 for e in a.store.events())
    i = ids["insp"]
    uc.record_finding(a, i, "TCE-01-a", ids["srv1"], "compliant")
    uc.record_finding(b, i, "TCE-01-a", ids["srv1"], "partial")
    uc.record_finding(b, i, "TCE-02-a", ids["sw1"], "noncompliant")
    uc.record_finding(a, i, "TCE-02-a", ids["sw1"], "noncompliant")
    new_a = [e.stored() for e in a.store.events(since_rowid=base)]
    new_b = [e.stored() for e in b.store.events(author=wang.key_id)]
    a.store.import_events(new_b)
    b_store.import_events(new_a)
    sa, sb = uc.load_inspection(a, i), uc.load_inspection(b, i)
    assert {k: (f.result, f.revision, f.event_hash) for k, f in sa.findings.items()} == {
        k: (f.result, f.revision, f.event_hash) for k, f in sb.findings.items()
    }
    assert [d.item_id for d in sa.disagreements] == [d.item_id for d in sb.disagreements] == ["TCE-01-a"]
    assert uc.score(a, i).as_json() == uc.score(b, i).as_json()
    a.close()
    b.close()


def test_an_untrusted_key_writes_nothing_not_even_evidence(ctx: Context, tmp_path: Path) -> None:
    ids = setup_inspection(ctx)
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"evidence")
    n, blobs = event_count(ctx), len(ctx.store.evidence.blobs())
    with pytest.raises(KeyError_):
        uc.record_finding(
            ctx.with_signer(make_signer("Stranger")),
            ids["insp"],
            "TCE-01-a",
            ids["srv1"],
            "compliant",
            evidence=[shot],
        )
    assert (event_count(ctx), len(ctx.store.evidence.blobs())) == (n, blobs)
