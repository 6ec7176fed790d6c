"""A re-test round is one transaction: reopening, findings with evidence, item transitions, the round with
its scores, the closing and its checkpoint — a failure at any step leaves the store exactly as it was."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import BinaryIO

import pytest

from gradesec.catalog.loader import Catalog
from gradesec.errors import KeyError_, StorageError
from gradesec.journal.evidence import TEMP_PREFIX
from gradesec.usecases import inspections, remediation
from gradesec.usecases.context import Context
from gradesec.usecases.remediation import Filters, RetestInput
from tests.remedy.conftest import inspect, state_hash


@pytest.fixture
def closed(parties: dict[str, Context], catalog: Catalog, tmp_path: Path) -> tuple[Context, str, list[str]]:
    """Ivan's closed inspection with its plan, plus one item planned by hand (not from an issue)."""
    ivan = parties["ivan"]
    field = inspect(ivan, catalog, tmp_path)
    remediation.plan_item(ivan, problem="no screen lock", risk="low", inspection=field.inspection)
    items = remediation.list_items(ivan, Filters(inspection=field.inspection))
    issue = next(i.id for i in items if i.source.get("kind") == "issue")
    manual = next(i.id for i in items if i.source.get("kind") != "issue")
    assert inspections.get_inspection(ivan, field.inspection).status == "closed"
    return ivan, field.inspection, [issue, manual]


def _files(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "fixed.png", tmp_path / "lock.png"
    a.write_bytes(b"\x89PNG fixed " * 300)
    b.write_bytes(b"\x89PNG screen lock " * 300)
    return a, b


def _unchanged(ctx: Context, before: tuple[str, int], inspection: str) -> None:
    assert (state_hash(ctx), ctx.store.count()) == before
    assert inspections.get_inspection(ctx, inspection).status == "closed"
    assert not list(ctx.store.evidence.root.glob(f"{TEMP_PREFIX}*"))


def test_a_disk_full_midway_leaves_nothing(
    closed: tuple[Context, str, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second evidence file cannot be written after the inspection was reopened and the issue's finding
    recorded with its evidence: all of it goes, the staged blob too."""
    ivan, insp, (issue, manual) = closed
    fixed, lock = _files(tmp_path)
    before = (state_hash(ivan), ivan.store.count())
    written: list[int] = []

    def full_after_the_first_file(out: BinaryIO, chunk: bytes) -> None:
        if written:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(len(chunk))
        out.write(chunk)

    # The evidence store's write seam (for injected failures): the disk fills up on the second blob.
    monkeypatch.setattr(ivan.store.evidence, "_write", full_after_the_first_file)
    entries = [
        RetestInput(issue, "verified", "patched", (fixed,)),
        RetestInput(manual, "not_fixed", "still unlocked", (lock,)),
    ]
    with pytest.raises(StorageError):
        remediation.retest(ivan, insp, entries)
    assert written  # the first blob was written (staged) before the failure
    _unchanged(ivan, before, insp)
    monkeypatch.undo()

    # The same round then goes through whole.
    round_ = remediation.retest(ivan, insp, entries)
    assert remediation.get_item(ivan, issue).status == "verified"
    assert remediation.get_item(ivan, manual).status == "reopened"
    assert round_.after["score"] >= round_.before["score"]
    assert inspections.get_inspection(ivan, insp).status == "closed"
    assert len(remediation.rounds(ivan, insp)) == 1
    assert ivan.store.verify().ok


def test_a_refusal_after_the_round_undoes_the_round(
    closed: tuple[Context, str, list[str]], tmp_path: Path
) -> None:
    """A re-test inside a larger action joins its transaction: the last event refused (an inspector may not
    write a lead's drill event) undoes the whole round, its evidence and its checkpoint."""
    ivan, insp, (issue, manual) = closed
    fixed, lock = _files(tmp_path)
    before = (state_hash(ivan), ivan.store.count())
    with pytest.raises(KeyError_, match=r"may not write drill\.paused"), ivan.store.transaction():
        remediation.retest(
            ivan,
            insp,
            [RetestInput(issue, "verified", "", (fixed,)), RetestInput(manual, "partial", "", (lock,))],
        )
        assert inspections.get_inspection(ivan, insp).status == "closed"  # read inside: the round is there
        assert remediation.get_item(ivan, issue).status == "verified"
        ivan.store.append(ivan.signer, "drill.paused", {"drill": "D-1", "elapsed_ms": 1})
    _unchanged(ivan, before, insp)
    assert remediation.get_item(ivan, issue).status != "verified"
    assert remediation.rounds(ivan, insp) == []
    assert ivan.store.verify().ok


def test_the_after_score_is_read_inside_the_round(closed: tuple[Context, str, list[str]]) -> None:
    ivan, insp, (issue, _manual) = closed
    round_ = remediation.retest(ivan, insp, [RetestInput(issue, "verified")])
    assert round_.after == remediation.rounds(ivan, insp)[0]["after"]
    assert round_.after["score"] == inspections.score(ivan, insp).as_json()["score"]
    assert round_.after["issues"] != round_.before["issues"]


def test_results_refused_at_the_append_leave_no_evidence_behind(
    parties: dict[str, Context], catalog: Catalog, tmp_path: Path
) -> None:
    """``record_findings`` is one transaction with its evidence: the unit's officer, refused by the authority
    table when the results are appended, leaves no blob in the store (it used to leave the copied file)."""
    from gradesec.usecases import bundles

    ivan, olga = parties["ivan"], parties["olga"]
    field = inspect(ivan, catalog, tmp_path, close=False)
    out = bundles.export(ivan, tmp_path / "open.gsb", inspection=field.inspection)
    bundles.import_(olga, out.path, trust=[ivan.signer.key_id])
    shot = tmp_path / "officer.png"
    shot.write_bytes(b"\x89PNG officer says fine " * 50)
    before = (state_hash(olga), olga.store.count())
    blobs = olga.store.evidence.blobs()
    with pytest.raises(KeyError_, match=r"may not write finding\.recorded"):
        inspections.record_findings(
            olga,
            field.inspection,
            [inspections.FindingInput(field.items[0], field.asset, "compliant", evidence=(shot,))],
        )
    assert (state_hash(olga), olga.store.count()) == before
    assert olga.store.evidence.blobs() == blobs
    assert not list(olga.store.evidence.root.glob(f"{TEMP_PREFIX}*"))
