"""The command line: key new|list|export|trust and verify, with exit codes and messages."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from gradesec.journal import FrozenClock, Store, keys
from tests.journal.conftest import build_rich_store, make_signer


@pytest.fixture
def passphrase(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("GRADESEC_PASSPHRASE", "pass phrase")
    return "pass phrase"


def test_key_new_list_export(cli, passphrase: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("key", "new", "--name", "Zhang Wei", "--role", "inspector", "--org", "Lab")
    assert code == 0, err
    [info] = keys.list_keys()
    assert keys.format_key_id(info.key_id) in out
    code, out, _ = cli("key", "list")
    assert code == 0 and "Zhang Wei" in out and keys.format_key_id(info.key_id) in out
    code, out, _ = cli("key", "list", "--json")
    assert json.loads(out)[0]["key_id"] == info.key_id
    target = tmp_path / "zhang.json"
    code, _, err = cli("key", "export", "-o", target)
    assert code == 0, err
    assert keys.read_public(target.read_text()).key_id == info.key_id


def test_key_new_bad_role_is_usage_error(cli, passphrase: str) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli("key", "new", "--name", "A", "--role", "boss")
    assert code == 2 and "Unknown role 'boss'" in err and "Hint" in err


def test_wrong_passphrase_message(cli, passphrase: str, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    assert cli("key", "new", "--name", "A", "--role", "lead")[0] == 0
    monkeypatch.setenv("GRADESEC_PASSPHRASE", "wrong")
    code, _, err = cli("key", "export")
    assert code == 1 and "Wrong passphrase" in err and "Traceback" not in err


def test_key_trust_from_exported_file(cli, passphrase: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    owner = keys.new_key("Owner", "officer", "Unit", passphrase)
    Store.create(Path(os.environ["GRADESEC_STORE"]), owner).close()
    other = make_signer("Inspector Ivan")
    exported = tmp_path / "ivan.json"
    exported.write_text(json.dumps(keys.export_public(other)))
    code, out, err = cli("key", "trust", exported)
    assert code == 0, err
    assert "Inspector Ivan" in out
    with Store.open(Path(os.environ["GRADESEC_STORE"])) as store:
        assert other.key_id in {k.key_id for k in store.trusted_keys()}
    assert cli("verify")[0] == 0


def test_verify_fresh_and_thousand_events(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    owner = make_signer("Owner Olga", "officer")
    root = tmp_path / "s"
    with Store.create(root, owner, clock=FrozenClock()) as store:
        code, out, _ = cli("--store", root, "verify")
        assert code == 0 and "Verified: 2 events by 1 author" in out
        store.append_many(owner, [("test.count", {"n": i}) for i in range(998)])
    # The 1000th event of the chain brings an automatic checkpoint event (CHECKPOINT_EVERY).
    code, out, _ = cli("--store", root, "verify")
    assert code == 0 and "Verified: 1001 events" in out
    code, out, _ = cli("--store", root, "verify", "--json")
    data = json.loads(out)
    assert data["ok"] and data["events"] == 1001 and data["problems"] == []
    assert data["latest_checkpoint"]["seq"] == 1001 and data["after_checkpoint"] == 0


def test_verify_tampered_exit_1_one_line_per_problem(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    owner, inspector = make_signer("Owner Olga", "officer"), make_signer("Inspector Ivan")
    root = tmp_path / "s"
    build_rich_store(root, owner, inspector, FrozenClock()).close()
    db = sqlite3.connect(root / "gradesec.db", isolation_level=None)
    db.execute("UPDATE events SET sig = zeroblob(64) WHERE author = ? AND seq = 4", (owner.key_id,))
    db.execute("UPDATE test_note SET text = 'edited' WHERE note_id = 'n3'")
    db.close()
    code, out, _ = cli("--store", root, "verify")
    lines = out.strip().splitlines()
    assert code == 1
    assert lines[0].startswith(
        f"event ({keys.format_key_id(owner.key_id)}, seq 4): the signature does not hold"
    )
    assert "state table test_note" in lines[1]
    assert lines[-1] == "Verification failed: 2 problems found."
    code, out, _ = cli("--store", root, "--lang", "zh", "verify")
    assert code == 1 and "签名不成立" in out
    code, out, _ = cli("--store", root, "verify", "--json")
    assert code == 1 and {p["code"] for p in json.loads(out)["problems"]} == {
        "bad_signature",
        "state_changed",
    }


def test_verify_missing_store(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli("--store", tmp_path / "none", "verify")
    assert code == 1 and "There is no gradesec store" in err
