"""Which revision is current follows what each writer saw, never the clocks of their machines."""

from __future__ import annotations

import hashlib
import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradesec.assess.revisions import Revision, order
from gradesec.catalog.loader import Catalog
from gradesec.journal import FrozenClock
from gradesec.usecases import inspections as uc
from gradesec.usecases.context import Context, open_context
from tests.assess.conftest import counting_ids, make_signer
from tests.assess.test_usecases import setup_inspection
from tests.handover import hand_over


def rev(h: str, author: str, seq: int, at: str, result: str, *sees: str) -> Revision:
    return Revision(h, author, seq, at, result, sees)


def test_a_revision_that_saw_another_replaces_it_whatever_its_clock_says() -> None:
    first = rev("a", "ivan", 1, "2027-06-01T00:00:00.000Z", "compliant")
    later = rev("b", "wang", 1, "2020-01-01T00:00:00.000Z", "noncompliant", "a")
    o = order([first, later])
    assert o.current == later and not o.disputed
    assert o.numbers == {"a": 1, "b": 2}


def test_concurrent_revisions_that_differ_are_a_dispute_and_the_cautious_one_counts() -> None:
    base = rev("a", "ivan", 1, "2026-11-24T09:00:00.000Z", "partial")
    ivan = rev("b", "ivan", 2, "2026-11-24T10:00:00.000Z", "compliant", "a")
    wang = rev("c", "wang", 1, "2099-01-01T00:00:00.000Z", "noncompliant", "a")
    o = order([base, ivan, wang])
    assert o.disputed and o.dispute == {"ivan": "compliant", "wang": "noncompliant"}
    assert o.current == wang  # the most cautious, not the one dated 2099
    assert {h.hash for h in o.heads} == {"b", "c"}
    agreeing = rev("c", "wang", 1, "2099-01-01T00:00:00.000Z", "compliant", "a")
    assert not order([base, ivan, agreeing]).disputed


def test_a_retraction_takes_back_what_it_saw() -> None:
    ivan = rev("a", "ivan", 1, "2026-11-24T09:00:00.000Z", "compliant")
    wang = rev("b", "wang", 1, "2026-11-24T09:00:00.000Z", "noncompliant")
    ivan_back = rev("c", "ivan", 2, "2026-11-24T10:00:00.000Z", "untested")  # saw only his own
    o = order([ivan, wang, ivan_back])
    assert o.current == wang and not o.disputed
    all_back = rev("d", "zhao", 1, "2026-11-24T11:00:00.000Z", "untested", "a", "b")
    assert order([ivan, wang, all_back]).current is None


def test_a_ruling_settles_what_it_saw_and_a_later_unseen_result_reopens() -> None:
    ivan = rev("a", "ivan", 1, "2026-11-24T09:00:00.000Z", "compliant")
    wang = rev("b", "wang", 1, "2026-11-24T09:00:00.000Z", "noncompliant")
    ruling = rev("r", "zhao", 1, "2020-01-01T00:00:00.000Z", "partial", "a", "b")
    assert order([ivan, wang, ruling]).current == ruling
    assert not order([ivan, wang, ruling]).disputed
    # Wang records again on his own laptop before the ruling reaches him: his own earlier result is replaced,
    # the ruling is not, so the two are concurrent again.
    wang_again = rev("c", "wang", 2, "2019-01-01T00:00:00.000Z", "noncompliant", "b")
    reopened = order([ivan, wang, ruling, wang_again])
    assert reopened.disputed and reopened.dispute == {"zhao": "partial", "wang": "noncompliant"}


revision_sets = st.lists(
    st.tuples(st.sampled_from("uvw"), st.sampled_from(["compliant", "partial", "noncompliant", "na"])),
    min_size=1,
    max_size=7,
)


def build(spec: list[tuple[str, str]], sees: list[list[int]]) -> list[Revision]:
    """Revisions in creation order; each may name any earlier ones (what its writer could have seen)."""
    out: list[Revision] = []
    seqs: dict[str, itertools.count[int]] = {}
    for n, (author, result) in enumerate(spec):
        named = tuple(out[i].hash for i in sees[n] if i < n)
        h = hashlib.sha256(f"{n}{author}{result}".encode()).hexdigest()
        seq = next(seqs.setdefault(author, itertools.count(1)))
        out.append(Revision(h, author, seq, f"2026-11-24T09:00:{n:02d}.000Z", result, named))
    return out


@settings(max_examples=150, deadline=None)
@given(revision_sets, st.data())
def test_any_arrival_order_and_any_clocks_give_the_same_outcome(
    spec: list[tuple[str, str]], data: st.DataObject
) -> None:
    sees = [data.draw(st.lists(st.integers(0, 6), max_size=3)) for _ in spec]
    revs = build(spec, sees)
    reference = order(revs)
    shuffled = data.draw(st.permutations(revs))
    times = data.draw(st.lists(st.integers(0, 10**6), min_size=len(revs), max_size=len(revs)))
    skewed = [
        Revision(r.hash, r.author, r.seq, f"20{t % 90 + 10:02d}-01-01T00:00:00.000Z", r.result, r.supersedes)
        for r, t in zip(shuffled, times, strict=True)
    ]
    again = order(skewed)
    assert again.current is not None and reference.current is not None
    assert again.current.hash == reference.current.hash
    assert {h.hash for h in again.heads} == {h.hash for h in reference.heads}
    assert again.disputed == reference.disputed
    # Numbers always put a revision after everything it supersedes.
    for r in revs:
        for seen in r.supersedes:
            assert again.numbers[seen] < again.numbers[r.hash]


def party(root: Path, name: str, role: str, catalog: Catalog, start: str) -> Context:
    return open_context(
        root, signer=make_signer(name, role), create=True, catalog=catalog, clock=FrozenClock(start),
        new_id=counting_ids(),
    )  # fmt: skip


@pytest.fixture
def three(tmp_path: Path, catalog: Catalog):  # type: ignore[no-untyped-def]
    """Ivan's store (the owner), Wang's, and the reviewer Zhao working in Ivan's store; Zhao's clock is weeks
    behind the inspectors'."""
    ivan = party(tmp_path / "ivan", "Inspector Ivan", "inspector", catalog, "2027-01-10T09:00:00.000Z")
    zhao = make_signer("Reviewer Zhao", "reviewer")
    ivan.store.trust(ivan.signer, zhao.public_bytes, zhao.identity)
    ids = setup_inspection(ivan)
    wang = party(tmp_path / "wang", "Inspector Wang", "inspector", catalog, "2027-01-10T09:00:00.000Z")
    hand_over(ivan, wang, tmp_path)
    late_reviewer = open_context(
        tmp_path / "ivan", signer=zhao, catalog=catalog, clock=FrozenClock("2026-11-25T02:00:00.000Z")
    )
    yield ivan, wang, late_reviewer, ids
    for c in (ivan, wang, late_reviewer):
        c.close()


def test_a_ruling_signed_with_an_earlier_clock_still_settles_the_dispute(three, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ivan, wang, zhao, ids = three
    i, pair = ids["insp"], ("TCE-01-a", ids["srv1"])
    uc.record_finding(ivan, i, *pair, "compliant")
    uc.record_finding(wang, i, *pair, "noncompliant")
    hand_over(wang, ivan, tmp_path)
    [dispute] = uc.disagreements(zhao, i)
    ruling = uc.resolve_disagreement(zhao, i, *pair, "partial", reason="expiry set, complexity not")
    assert ruling.at < min(r.at for r in uc.finding_history(zhao, i, *pair) if not r.resolution)
    assert set(ruling.resolves) == set(dispute.hashes)
    assert uc.disagreements(ivan, i) == []
    assert uc.load_inspection(ivan, i).findings[pair].result == "partial"
    assert ivan.store.verify().ok


def test_a_result_arriving_later_that_did_not_see_the_ruling_reopens_the_dispute(
    three, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    ivan, wang, zhao, ids = three
    i, pair = ids["insp"], ("TCE-01-a", ids["srv1"])
    uc.record_finding(ivan, i, *pair, "compliant")
    uc.record_finding(wang, i, *pair, "noncompliant")
    hand_over(wang, ivan, tmp_path)
    uc.resolve_disagreement(zhao, i, *pair, "partial", reason="expiry set, complexity not")
    assert uc.disagreements(ivan, i) == []
    # Meanwhile, on his own laptop, Wang re-checks and records again without having seen the ruling.
    uc.record_finding(wang, i, *pair, "noncompliant", note="re-checked: no expiry at all")
    hand_over(wang, ivan, tmp_path)
    [reopened] = uc.disagreements(ivan, i)
    assert reopened.results == {zhao.signer.key_id: "partial", wang.signer.key_id: "noncompliant"}
    assert uc.load_inspection(ivan, i).findings[pair].result == "noncompliant"
    # Once the ruling reaches Wang, whatever he records next has it in view and settles the pair.
    hand_over(ivan, wang, tmp_path)
    uc.record_finding(wang, i, *pair, "partial", note="agree with the ruling")
    hand_over(wang, ivan, tmp_path)
    assert uc.disagreements(ivan, i) == []
    assert uc.load_inspection(ivan, i).findings[pair].result == "partial"
    assert ivan.store.verify().ok and wang.store.verify().ok
