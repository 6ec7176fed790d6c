"""Issue 16's tamper classes, each a test: verify exits 1 and names the problem (or, for a rollback or a lost
tail without a witness, says it cannot exclude one, and with a witness catches it). Authority and strict
events are refused alike at the writer's own store, at import and by verify."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from gradesec.errors import GradesecError, IntegrityError, KeyError_
from gradesec.exchange import export_bundle, import_bundle
from gradesec.exchange.format import BundleRefused
from gradesec.journal import FrozenClock, Signer, Store
from gradesec.journal.events import envelope, event_hash
from gradesec.journal.importing import ImportRefused
from gradesec.journal.keys import Identity
from gradesec.journal.verify import VerifyReport
from tests.journal.conftest import build_rich_store, make_signer

OWNER = make_signer("Owner Olga", "officer")
INSPECTOR = make_signer("Inspector Ivan", "inspector")
AT = "2026-11-24T10:00:00.000Z"


def _db(root: Path) -> sqlite3.Connection:
    return sqlite3.connect(root / "gradesec.db", isolation_level=None)


def forge(
    root: Path,
    signer: Signer,
    kind: str,
    body: dict[str, Any],
    *,
    at: str = AT,
    raw: bytes | None = None,
    rowid: int | None = None,
) -> int:
    """Sign an event with a real key as the next link of its chain and put it in the journal by SQL (what an
    attacker holding that key, or editing the file, can do). Returns its seq."""
    db = _db(root)
    row = db.execute(
        "SELECT seq, hash FROM events WHERE author = ? ORDER BY seq DESC LIMIT 1", (signer.key_id,)
    ).fetchone()
    seq, prev = (1, None) if row is None else (row[0] + 1, bytes(row[1]).hex())
    data = raw if raw is not None else envelope(kind, signer.key_id, seq, prev, at, body)
    if raw is not None:
        data = raw.replace(b"@SEQ@", str(seq).encode()).replace(b"@PREV@", (prev or "").encode())
    digest = event_hash(data)
    cols = (
        "(author, seq, kind, hash, sig, raw)" if rowid is None else "(id, author, seq, kind, hash, sig, raw)"
    )
    values = (signer.key_id, seq, kind, digest, signer.sign(digest), data)
    db.execute(
        f"INSERT INTO events {cols} VALUES ({', '.join('?' * (len(values) + (rowid is not None)))})",
        values if rowid is None else (rowid, *values),
    )
    db.close()
    return int(seq)


def codes(report: VerifyReport) -> set[tuple[str, str | None, int | None]]:
    return {(p.code, p.author, p.seq) for p in report.problems}


def verified(root: Path, **kwargs: Any) -> VerifyReport:
    with Store.open(root) as store:
        return store.verify(workers=1, **kwargs)


@pytest.fixture
def rich(tmp_path: Path, clock: FrozenClock) -> Path:
    root = tmp_path / "store"
    build_rich_store(root, OWNER, INSPECTOR, clock).close()
    return root


# Checkpoints are events; what follows the latest one needs a witness


def test_checkpoint_is_an_event_and_deleting_checkpoints_breaks_the_chain(rich: Path) -> None:
    with Store.open(rich) as store:
        store.append(OWNER, "test.count", {"n": 1})
        cp = store.latest_checkpoint()
    assert cp is not None and cp.author == OWNER.key_id
    db = _db(rich)
    db.execute("DELETE FROM events WHERE kind = 'checkpoint.recorded'")
    db.execute("DELETE FROM checkpoints")
    db.close()
    report = verified(rich)
    assert not report.ok
    assert ("broken_link", OWNER.key_id, cp.seq + 1) in codes(report) or (
        "gap",
        OWNER.key_id,
        cp.seq + 1,
    ) in codes(report)


def test_lost_tail_and_rollback_need_a_witness(rich: Path, tmp_path: Path) -> None:
    """An older copy of the database (or the owner's newest events deleted and the state rebuilt from a
    forged fingerprint) verifies on its own; verify says it cannot exclude that, and a witness catches it."""
    old_copy = tmp_path / "old"
    shutil.copytree(rich, old_copy)
    with Store.open(rich) as store:
        store.append(OWNER, "test.count", {"n": 99})
        witness = store.checkpoint(OWNER).head  # the checkpoint event's hash, as a bundle carries it
        store.append(OWNER, "test.count", {"n": 100})
    assert verified(rich, witness=witness).ok
    # Rollback: the database replaced by the older copy.
    for name in os.listdir(rich):
        target = rich / name
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    shutil.copytree(old_copy, rich, dirs_exist_ok=True)
    alone = verified(rich)
    assert alone.ok and alone.witness is None and alone.latest_checkpoint is not None
    caught = verified(rich, witness=witness)
    assert not caught.ok and "witness_missing" in {p.code for p in caught.problems}


def test_tail_deleted_and_rebuild_forced_is_caught_by_a_witness(rich: Path) -> None:
    with Store.open(rich) as store:
        for i in range(3):
            store.append(OWNER, "test.count", {"n": i})
        witness = store.checkpoint(OWNER).head
        store.append(OWNER, "test.count", {"n": 9})
        first_cp = store.connection.execute(
            "SELECT MIN(seq) FROM events WHERE author = ? AND kind = 'checkpoint.recorded'", (OWNER.key_id,)
        ).fetchone()[0]
    db = _db(rich)
    db.execute("DELETE FROM events WHERE author = ? AND seq > ?", (OWNER.key_id, first_cp))
    db.execute("DELETE FROM checkpoints WHERE author = ? AND seq > ?", (OWNER.key_id, first_cp))
    db.execute("UPDATE meta SET value = 'forged' WHERE key = 'state_fingerprint'")  # forces a rebuild on open
    db.close()
    assert verified(rich).ok  # nothing left to contradict it here
    report = verified(rich, witness=witness)
    assert "witness_missing" in {p.code for p in report.problems}


def test_deleting_a_foreign_chain_is_named(rich: Path) -> None:
    db = _db(rich)
    db.execute("DELETE FROM events WHERE author = ?", (INSPECTOR.key_id,))
    db.close()
    report = verified(rich)
    assert "checkpoint_chain_missing" in {p.code for p in report.problems}


def test_trigger_deleting_checkpoints_is_refused(rich: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    db = _db(rich)
    db.execute(
        "CREATE TRIGGER eat AFTER INSERT ON events WHEN NEW.kind = 'checkpoint.recorded'"
        " BEGIN DELETE FROM events WHERE id = NEW.id; END"
    )
    db.close()
    with pytest.raises(IntegrityError, match="trigger eat"):
        Store.open(rich)
    monkeypatch.setenv("GRADESEC_STORE", str(rich))
    code, _out, err = cli("verify")
    assert code == 1 and "trigger eat" in err and "Traceback" not in err


@pytest.mark.parametrize("sql", ["CREATE VIEW v AS SELECT 1", "CREATE TABLE extra (x)"])
def test_unknown_views_and_tables_are_refused(rich: Path, sql: str) -> None:
    db = _db(rich)
    db.execute(sql)
    db.close()
    with pytest.raises(IntegrityError):
        Store.open(rich)


# Unsigned inputs: meta, row ids, marks


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("schema_version", "0"),
        ("schema_version", "text"),
        ("owner_public_key", "zz"),
        ("owner", INSPECTOR.key_id),
    ],
)
def test_bad_meta_is_a_named_refusal(rich: Path, key: str, value: str) -> None:
    db = _db(rich)
    db.execute("UPDATE meta SET value = ? WHERE key = ?", (value, key))
    db.close()
    with pytest.raises(IntegrityError, match=key):
        Store.open(rich)


def test_missing_owner_key_and_state_tables_not_json(rich: Path) -> None:
    db = _db(rich)
    db.execute("DELETE FROM meta WHERE key = 'owner_public_key'")
    db.close()
    with pytest.raises(IntegrityError, match="owner_public_key"):
        Store.open(rich)


def test_state_tables_not_json_on_rebuild(rich: Path) -> None:
    db = _db(rich)
    db.execute("UPDATE meta SET value = '{not json' WHERE key = 'state_tables'")
    db.execute("UPDATE meta SET value = 'other' WHERE key = 'state_fingerprint'")
    db.close()
    with pytest.raises(GradesecError, match="state_tables"):
        Store.open(rich)


def test_swapping_owner_with_its_key_is_foreign_genesis(rich: Path) -> None:
    db = _db(rich)
    db.execute("UPDATE meta SET value = ? WHERE key = 'owner'", (INSPECTOR.key_id,))
    db.execute("UPDATE meta SET value = ? WHERE key = 'owner_public_key'", (INSPECTOR.public_bytes.hex(),))
    db.close()
    report = verified(rich)
    assert ("foreign_genesis", INSPECTOR.key_id, 1) in codes(report)


def test_rows_hidden_at_non_positive_ids_and_trust_from_another_store(rich: Path, tmp_path: Path) -> None:
    """An owner-signed key.trusted from another store of the same owner, hidden at id 0, must not grant trust;
    the forged finding of the key it names is untrusted and the hidden row is named."""
    mallory = make_signer("Mallory", "inspector")
    other = tmp_path / "other"
    with Store.create(other, OWNER, clock=FrozenClock(AT)) as s:
        s.trust(OWNER, mallory.public_bytes, mallory.identity)
        row = s.connection.execute(
            "SELECT author, seq, kind, hash, sig, raw FROM events WHERE kind = 'key.trusted'"
        ).fetchone()
    db = _db(rich)
    db.execute("DROP INDEX events_chain")
    db.execute("INSERT INTO events (id, author, seq, kind, hash, sig, raw) VALUES (0, ?, ?, ?, ?, ?, ?)", row)
    db.close()
    forge(rich, mallory, "test.note.set", {"id": "n1", "text": "forged"})
    report = verified(rich)
    found = codes(report)
    assert ("row_id", OWNER.key_id, row[1]) in found
    assert ("untrusted", mallory.key_id, 1) in found


def test_incremental_verify_ignores_marks_and_row_ids(rich: Path) -> None:
    """A tampered event moved to a row id before the checkpoint is still read by --since-checkpoint."""
    with Store.open(rich) as store:
        event = store.append(INSPECTOR, "test.note.set", {"id": "late", "text": "after the checkpoint"})
    db = _db(rich)
    db.execute("UPDATE checkpoints SET local_mark = 1000000")
    raw = bytes(db.execute("SELECT raw FROM events WHERE id = ?", (event.rowid,)).fetchone()[0])
    db.execute(
        "UPDATE events SET raw = ?, id = -5 WHERE id = ?", (raw.replace(b"after", b"AFTER"), event.rowid)
    )
    db.close()
    report = verified(rich, since_checkpoint=True)
    assert report.partial
    assert ("row_id", INSPECTOR.key_id, event.seq) in codes(report)
    # Changed in place instead, it is read by its place in the chain whatever its row id says.
    db = _db(rich)
    db.execute("UPDATE events SET id = ? WHERE id = -5", (event.rowid,))
    db.close()
    assert ("hash_mismatch", INSPECTOR.key_id, event.seq) in codes(verified(rich, since_checkpoint=True))


# Strict events


@pytest.mark.parametrize(
    ("name", "kwargs", "code"),
    [
        ("future", {"at": "2099-01-01T00:00:00.000Z"}, "future"),
        ("not_a_time", {"at": "tomorrow"}, "bad_time"),
        (
            "version_2",
            {
                "raw": b'{"at":"' + AT.encode() + b'","author":"%s","body":{"id":"x","text":"y"},'
                b'"kind":"test.note.set","prev":"@PREV@","seq":@SEQ@,"v":2}'
            },
            "version",
        ),
        (
            "duplicate_key",
            {
                "raw": b'{"at":"' + AT.encode() + b'","author":"%s","body":{"id":"x","id":"y",'
                b'"text":"y"},"kind":"test.note.set","prev":"@PREV@","seq":@SEQ@,"v":1}'
            },
            "not_canonical",
        ),
    ],
)
def test_strict_envelope_in_verify(rich: Path, name: str, kwargs: dict[str, Any], code: str) -> None:
    if "raw" in kwargs:
        kwargs = {"raw": kwargs["raw"].replace(b"%s", INSPECTOR.key_id.encode())}
    seq = forge(rich, INSPECTOR, "test.note.set", {"id": "x", "text": "y"}, **kwargs)
    report = verified(rich)
    assert (code, INSPECTOR.key_id, seq) in codes(report), report.problems


def test_body_without_a_field_or_with_a_numeric_inspection_id(rich: Path) -> None:
    seq = forge(
        rich, INSPECTOR, "finding.recorded", {"inspection": 7, "item": "a", "asset": "b", "result": "x"}
    )
    report = verified(rich)
    assert ("bad_body", INSPECTOR.key_id, seq) in codes(report)
    with Store.open(rich) as store, pytest.raises(GradesecError, match="name"):
        store.append(OWNER, "evidence.attached", {"sha256": "0" * 64})


def test_time_going_backwards_beyond_tolerance_is_named(rich: Path) -> None:
    forge(rich, INSPECTOR, "test.note.set", {"id": "a", "text": "b"}, at="2026-11-25T00:00:00.000Z")
    seq = forge(rich, INSPECTOR, "test.note.set", {"id": "a", "text": "c"}, at="2026-11-24T20:00:00.000Z")
    assert ("time_order", INSPECTOR.key_id, seq) in codes(verified(rich))


def test_append_never_dates_an_event_before_its_predecessor(tmp_path: Path) -> None:
    clock = FrozenClock("2026-11-24T10:00:00.000Z")
    with Store.create(tmp_path / "s", OWNER, clock=clock) as store:
        clock.now = clock.now.replace(hour=9)
        event = store.append(OWNER, "test.count", {"n": 1})
        assert event.at >= "2026-11-24T10:00:00.000Z"
        assert store.verify().ok


# Authority: one table, at the writer's store, at import and in verify


def _pair(tmp_path: Path) -> tuple[Path, Path]:
    """The officer's store (trusting the inspector) and the inspector's (trusting the officer)."""
    clock = FrozenClock(AT)
    unit, lab = tmp_path / "unit", tmp_path / "lab"
    with Store.create(unit, OWNER, clock=clock) as s:
        s.trust(OWNER, INSPECTOR.public_bytes, INSPECTOR.identity)
    with Store.create(lab, INSPECTOR, clock=clock) as s:
        s.trust(INSPECTOR, OWNER.public_bytes, OWNER.identity)
    return unit, lab


FINDING = {"inspection": "i1", "item": "L3-1", "asset": "a1", "result": "compliant"}


def test_officer_cannot_overwrite_findings_anywhere(tmp_path: Path) -> None:
    unit, lab = _pair(tmp_path)
    with Store.open(unit) as store:  # at the officer's own store
        with pytest.raises(KeyError_, match="officer"):
            store.append(OWNER, "inspection.reopened", {"inspection": "i1", "reason": "mine now"})
        with pytest.raises(KeyError_, match="officer"):
            store.append(OWNER, "finding.recorded", FINDING)
    seq = forge(unit, OWNER, "finding.recorded", FINDING)  # bypassing gradesec
    report = verified(unit)
    assert ("authority", OWNER.key_id, seq) in codes(report)
    bundle = tmp_path / "unit.gsb"
    with Store.open(unit) as store:
        export_bundle(store, OWNER, bundle)
    with Store.open(lab) as store:
        before = store.count()
        with pytest.raises(BundleRefused) as err:
            import_bundle(store, bundle)
        assert err.value.code == "authority_role" and store.count() == before
        assert store.verify().ok


def test_officer_cannot_promote_itself(tmp_path: Path) -> None:
    unit, lab = _pair(tmp_path)
    lead = {"key": OWNER.key_id, "public_key": OWNER.public_bytes.hex(), "name": "Owner Olga", "role": "lead"}
    with Store.open(unit) as store, pytest.raises(KeyError_, match="officer"):
        store.append(OWNER, "key.identity", {**lead, "org": "Test Org"})
    seq = forge(unit, OWNER, "key.identity", {**lead, "org": "Test Org"})
    forge(unit, OWNER, "remediation.retested", {"id": "r1", "outcome": "verified"})
    report = verified(unit)
    assert ("role_change", OWNER.key_id, seq) in codes(report)
    assert ("authority", OWNER.key_id, seq + 1) in codes(report)
    bundle = tmp_path / "unit.gsb"
    with Store.open(unit) as store:
        export_bundle(store, OWNER, bundle)
    with Store.open(lab) as store, pytest.raises(BundleRefused) as err:
        import_bundle(store, bundle)
    assert err.value.code == "authority_role_change"


def test_first_trust_records_the_first_role_not_a_later_claim(tmp_path: Path) -> None:
    """A bundle whose chain declares officer and later lead is refused even with --trust."""
    clock = FrozenClock(AT)
    unit, lab = tmp_path / "unit", tmp_path / "lab"
    with Store.create(unit, OWNER, clock=clock):
        pass
    forge(
        unit,
        OWNER,
        "key.identity",
        {
            "key": OWNER.key_id,
            "public_key": OWNER.public_bytes.hex(),
            "name": "Owner Olga",
            "role": "lead",
            "org": "Test Org",
        },
    )
    bundle = tmp_path / "unit.gsb"
    with Store.open(unit) as store:
        export_bundle(store, OWNER, bundle)
    with Store.create(lab, INSPECTOR, clock=clock) as store:
        with pytest.raises(BundleRefused) as err:
            import_bundle(store, bundle, trust=[OWNER.key_id], owner=INSPECTOR)
        assert err.value.code == "authority_role_change"
        assert OWNER.key_id not in {k.key_id for k in store.trusted_keys()}


def test_import_events_enforces_the_table(tmp_path: Path) -> None:
    unit, lab = _pair(tmp_path)
    forge(unit, OWNER, "finding.recorded", FINDING)
    with Store.open(unit) as store:
        events = [e.stored() for e in store.events(author=OWNER.key_id)]
    with Store.open(lab) as store:
        before = store.count()
        with pytest.raises(ImportRefused):
            store.import_events(events)
        assert store.count() == before


# Bundles: nothing left on disk by a refused import


def test_refused_import_leaves_no_folders(tmp_path: Path) -> None:
    unit, lab = _pair(tmp_path)
    src = tmp_path / "photo.png"
    src.write_bytes(b"a photo")
    with Store.open(unit) as store:
        store.attach_evidence(OWNER, src, "finding", "f1")
    forge(unit, OWNER, "finding.recorded", {"inspection": "i1"})  # a body without its fields
    bundle = tmp_path / "unit.gsb"
    with Store.open(unit) as store:
        export_bundle(store, OWNER, bundle)
    evidence = lab / "evidence"
    before = sorted(p.name for p in evidence.rglob("*"))
    with Store.open(lab) as store, pytest.raises(BundleRefused) as err:
        import_bundle(store, bundle)
    assert err.value.code == "malformed_event_detail" and "missing" in err.value.message
    assert sorted(p.name for p in evidence.rglob("*")) == before


def test_close_is_one_transaction(rich: Path) -> None:
    """Extra events and the checkpoint commit together or not at all."""
    with Store.open(rich) as store:
        before = store.count()
        with pytest.raises(GradesecError):
            store.checkpoint(OWNER, extra=[("test.count", {"n": 1}), ("no.such.kind", {})])
        assert store.count() == before
        store.checkpoint(OWNER, extra=[("test.count", {"n": 1})])
        last = list(store.events(author=OWNER.key_id))[-2:]
        assert [e.kind for e in last] == ["test.count", "checkpoint.recorded"]


def test_witness_read_from_text_file_and_bundle(rich: Path, tmp_path: Path) -> None:
    from gradesec.journal.witness import read_witness

    bundle = tmp_path / "out.gsb"
    with Store.open(rich) as store:
        result = export_bundle(store, OWNER, bundle)
    ref = result.manifest.checkpoint
    assert ref is not None
    assert read_witness(str(bundle)) == ref["hash"]
    note = tmp_path / "note.txt"
    note.write_text(f"checkpoint {ref['hash']} seen on 2026-11-24\n")
    assert read_witness(str(note)) == ref["hash"]
    assert verified(rich, witness=ref["hash"]).ok
    with pytest.raises(GradesecError):
        read_witness("not-a-hash")


def test_json_report_says_what_was_proven(rich: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GRADESEC_STORE", str(rich))
    code, out, _ = cli("verify")
    assert code == 0 and "cannot exclude a rollback" in out
    code, out, _ = cli("--json", "verify")
    data = json.loads(out)
    assert data["latest_checkpoint"]["author"] == OWNER.key_id and data["witness"] is None
    code, out, _err = cli("verify", "--witness", "ab" * 32)
    assert code == 1 and "rolled back" in out


def test_refused_import_with_trust_creates_no_store(
    tmp_path: Path,
    cli,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from gradesec.journal import keys

    unit, _lab = _pair(tmp_path)
    forge(unit, OWNER, "finding.recorded", FINDING)
    bundle = tmp_path / "unit.gsb"
    with Store.open(unit) as store:
        export_bundle(store, OWNER, bundle)
    monkeypatch.setenv("GRADESEC_PASSPHRASE", "correct horse")
    monkeypatch.setenv("GRADESEC_CONFIG", str(tmp_path / "cfg"))
    keys.new_key("Ivan", "inspector", "Lab", "correct horse", config_dir=tmp_path / "cfg")
    fresh = tmp_path / "fresh"
    code, _out, err = cli("--store", fresh, "bundle", "import", bundle, "--trust", OWNER.key_id)
    assert code == 1 and "officer" in err and "Traceback" not in err
    assert not fresh.exists()


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("NaN", "not_canonical"),
        ("Infinity", "not_canonical"),
        ("9007199254740993", "not_canonical"),  # beyond what an IEEE double holds exactly
        ("1.5", None),  # a fraction RFC 8785 writes the same way
        ('"12345678901234567890"', None),  # sixteen digits in a string take the slow path, same answer
        ("12", None),
    ],
)
def test_numbers_on_the_fast_and_the_reference_path(value: str, code: str | None) -> None:
    """The fast decoder (C scanner, unhooked integers) and the reference path agree on what is canonical."""
    from gradesec.journal.strict import EventRejected, check_envelope

    raw = (
        '{"at":"2026-11-24T09:30:00.000Z","author":"' + "a" * 32 + '","body":{"n":' + value + "},"
        '"kind":"test.note.set","prev":null,"seq":1,"v":1}'
    ).encode()
    if code is None:
        assert check_envelope(raw, event_hash(raw).hex(), b"").body["n"] == json.loads(value)
    else:
        with pytest.raises(EventRejected) as caught:
            check_envelope(raw, event_hash(raw).hex(), b"")
        assert caught.value.code == code


def test_a_role_change_is_accepted_when_the_trusting_owner_signs_it(tmp_path: Path) -> None:
    """A trusted key whose chain later declares another role: refused at import, and named by verify, until
    the owner re-trusts it (--trust on a key already trusted): then the owner's new key.trusted carries the
    new role, the import is accepted, the key acts in that role, and verify passes."""
    unit, lab = _pair(tmp_path)
    first = tmp_path / "first.gsb"
    with Store.open(unit) as store:
        export_bundle(store, OWNER, first)
    with Store.open(lab) as store:
        import_bundle(store, first)
    lead = {"key": OWNER.key_id, "public_key": OWNER.public_bytes.hex(), "name": "Owner Olga", "role": "lead"}
    forge(unit, OWNER, "key.identity", {**lead, "org": "Test Org"})
    forge(unit, OWNER, "remediation.retested", {"id": "r1", "outcome": "verified"})
    bundle = tmp_path / "promoted.gsb"
    with Store.open(unit) as store:
        export_bundle(store, OWNER, bundle)
    with Store.open(lab, clock=FrozenClock("2026-11-24T10:05:00.000Z")) as store:
        before = store.count()
        with pytest.raises(BundleRefused) as err:
            import_bundle(store, bundle)  # not re-trusted: still refused
        assert err.value.code == "authority_role_change" and store.count() == before
        result = import_bundle(store, bundle, trust=[OWNER.key_id], owner=INSPECTOR)
        assert result.role_changes == {OWNER.key_id: "officer"}
        assert result.trusted_identities[OWNER.key_id]["role"] == "lead"
        assert {k.key_id: k.role for k in store.trusted_keys()}[OWNER.key_id] == "lead"
        report = store.verify(workers=1)
        assert report.ok, report.problems
    # The same events without the owner's new signature: verify names the change.
    db = _db(lab)
    db.execute(
        "DELETE FROM events WHERE author = ? AND kind = 'key.trusted' AND seq = "
        "(SELECT MAX(seq) FROM events WHERE author = ? AND kind = 'key.trusted')",
        (INSPECTOR.key_id, INSPECTOR.key_id),
    )
    db.close()
    found = {code for code, _a, _s in codes(verified(lab))}
    assert "role_change" in found


def test_a_role_change_cannot_be_signed_by_the_key_itself(tmp_path: Path) -> None:
    """At the officer's own store the owner is the key: no one else signs, so the change stays refused."""
    unit, _lab = _pair(tmp_path)
    lead = {"key": OWNER.key_id, "public_key": OWNER.public_bytes.hex(), "name": "Owner Olga", "role": "lead"}
    with Store.open(unit) as store:
        store.trust(OWNER, OWNER.public_bytes, Identity("Owner Olga", "lead", "Test Org"))  # itself
        with pytest.raises(KeyError_, match="officer"):
            store.append(OWNER, "key.identity", {**lead, "org": "Test Org"})
        with pytest.raises(KeyError_, match="officer"):
            store.append(OWNER, "remediation.retested", {"id": "r1", "outcome": "verified"})
