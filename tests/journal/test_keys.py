"""Keys: deterministic test keys, encrypted files, passphrases, exports."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from gradesec.errors import GradesecError, KeyError_, UsageError
from gradesec.journal import keys
from tests.journal.conftest import seed


def test_from_seed_is_deterministic_and_key_id_is_hash_of_public_key() -> None:
    """The same seed gives the same key; the id is the first 16 bytes of SHA-256(raw public key)."""
    a = keys.Signer.from_seed(seed("a"), "A", "inspector", "Org")
    b = keys.Signer.from_seed(seed("a"), "A", "inspector", "Org")
    assert a.key_id == b.key_id == keys.key_id_of(a.public_bytes)
    assert len(a.key_id) == 32 and len(a.public_bytes) == 32
    assert a.sign(b"x") == b.sign(b"x")


def test_format_key_id_groups_of_four() -> None:
    assert keys.format_key_id("abcdef0123456789") == "abcd ef01 2345 6789"
    assert keys.normalise_key_id("ABCD ef01") == "abcdef01"


def test_new_key_round_trip_encrypted_0600(tmp_path: Path) -> None:
    """The private key is stored encrypted (no raw key bytes in the file) with mode 0600 and loads back."""
    signer = keys.new_key("Li Lei", "inspector", "Test Lab", "correct horse", tmp_path)
    pem = tmp_path / "keys" / f"{signer.key_id}.pem"
    assert stat.S_IMODE(pem.stat().st_mode) == 0o600
    text = pem.read_text()
    assert text.startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    loaded = keys.load_signer("correct horse", config_dir=tmp_path)
    assert loaded.key_id == signer.key_id
    assert loaded.identity == keys.Identity("Li Lei", "inspector", "Test Lab")
    assert loaded.sign(b"m") == signer.sign(b"m")
    [info] = keys.list_keys(tmp_path)
    assert info.default and info.name == "Li Lei"


def test_wrong_passphrase_is_a_clear_error(tmp_path: Path) -> None:
    keys.new_key("Li Lei", "inspector", "", "right", tmp_path)
    with pytest.raises(KeyError_) as err:
        keys.load_signer("wrong", config_dir=tmp_path)
    assert "passphrase" in err.value.message.lower()
    assert err.value.hint


def test_missing_key_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(KeyError_) as err:
        keys.load_signer("x", config_dir=tmp_path)
    assert "no key" in err.value.message.lower()
    keys.new_key("A", "officer", "", "pw", tmp_path)
    with pytest.raises(KeyError_, match="ffff"):
        keys.load_signer("pw", key_id="ffff", config_dir=tmp_path)


def test_unreadable_and_damaged_key_files(tmp_path: Path) -> None:
    signer = keys.new_key("A", "officer", "", "pw", tmp_path)
    pem = tmp_path / "keys" / f"{signer.key_id}.pem"
    pem.unlink()
    pem.mkdir()  # reading a directory fails even for root
    with pytest.raises(KeyError_, match="Cannot read the key file"):
        keys.load_signer("pw", config_dir=tmp_path)
    pem.rmdir()
    pem.write_text("garbage")
    with pytest.raises(KeyError_, match="damaged"):
        keys.load_signer("pw", config_dir=tmp_path)


def test_several_keys_default_and_prefix(tmp_path: Path) -> None:
    first = keys.new_key("First", "inspector", "", "pw", tmp_path)
    second = keys.new_key("Second", "reviewer", "", "pw", tmp_path)
    assert keys.load_signer("pw", config_dir=tmp_path).key_id == first.key_id
    spaced = keys.format_key_id(second.key_id[:8])
    assert keys.load_signer("pw", key_id=spaced, config_dir=tmp_path).key_id == second.key_id
    (tmp_path / "keys" / "default").unlink()
    with pytest.raises(KeyError_, match="several keys"):
        keys.load_signer("pw", config_dir=tmp_path)


def test_bad_identity_rejected(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="role"):
        keys.new_key("A", "boss", "", "pw", tmp_path)
    with pytest.raises(UsageError):
        keys.new_key(" ", "lead", "", "pw", tmp_path)
    with pytest.raises(KeyError_):
        keys.new_key("A", "lead", "", "", tmp_path)


def test_passphrase_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRADESEC_PASSPHRASE", "s3cret")
    assert keys.passphrase_from_env_or_prompt(confirm=True) == "s3cret"
    monkeypatch.delenv("GRADESEC_PASSPHRASE")
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(KeyError_, match="no terminal"):
        keys.passphrase_from_env_or_prompt(confirm=False)


def test_export_round_trip_and_forgery_detected() -> None:
    signer = keys.Signer.from_seed(seed("x"), "Wang Fang", "officer", "Unit")
    doc = keys.export_public(signer)
    public = keys.read_public(json.dumps(doc), "x.json")
    assert public.key_id == signer.key_id and public.identity == signer.identity
    forged = dict(doc, name="Somebody Else")
    with pytest.raises(GradesecError, match="self-signature"):
        keys.read_public(json.dumps(forged), "forged.json")
    with pytest.raises(KeyError_, match="not a public key"):
        keys.read_public("{}", "empty.json")


def test_key_files_never_group_readable(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        signer = keys.new_key("A", "lead", "", "pw", tmp_path)
    finally:
        os.umask(old)
    mode = stat.S_IMODE((tmp_path / "keys" / f"{signer.key_id}.pem").stat().st_mode)
    assert mode == 0o600
