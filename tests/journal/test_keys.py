"""Keys: deterministic test keys, encrypted files, passphrases, exports."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from gradesec.errors import GradesecError, KeyError_, UsageError
from gradesec.journal import keyfile, keys, passphrase
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


PW = "correct horse battery"


def test_new_key_round_trip_encrypted_0600(tmp_path: Path) -> None:
    """The private key is sealed (Argon2id + AES-GCM, no raw key bytes in the file), 0600, and loads back."""
    signer = keys.new_key("Li Lei", "inspector", "Test Lab", PW, tmp_path)
    path = tmp_path / "keys" / f"{signer.key_id}.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "keys").stat().st_mode) == 0o700
    doc = json.loads(path.read_text())
    assert doc["format"] == keyfile.FORMAT and doc["kdf"]["name"] == "argon2id"
    assert doc["cipher"] == "aes-256-gcm" and signer.seed().hex() not in path.read_text()
    loaded = keys.load_signer(PW, config_dir=tmp_path)
    assert loaded.key_id == signer.key_id
    assert loaded.identity == keys.Identity("Li Lei", "inspector", "Test Lab")
    assert loaded.sign(b"m") == signer.sign(b"m")
    [info] = keys.list_keys(tmp_path)
    assert info.default and info.name == "Li Lei"


def test_default_kdf_is_not_weakened_by_the_test_hook() -> None:
    """The hook changes what tests derive with; the default is the measured, memory-hard one."""
    assert keyfile.current_kdf() == keyfile.TEST_KDF
    assert keyfile.DEFAULT_KDF.memory_kib >= 64 * 1024 and keyfile.DEFAULT_KDF.iterations >= 3


def test_wrong_passphrase_is_a_clear_error(tmp_path: Path) -> None:
    keys.new_key("Li Lei", "inspector", "", PW, tmp_path)
    with pytest.raises(KeyError_) as err:
        keys.load_signer("wrong", config_dir=tmp_path)
    assert "passphrase" in err.value.message.lower()
    assert err.value.hint


def test_missing_key_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(KeyError_) as err:
        keys.load_signer("x", config_dir=tmp_path)
    assert "no key" in err.value.message.lower()
    keys.new_key("A", "officer", "", PW, tmp_path)
    with pytest.raises(KeyError_, match="ffff"):
        keys.load_signer(PW, key_id="ffff", config_dir=tmp_path)


def test_unreadable_and_damaged_key_files(tmp_path: Path) -> None:
    signer = keys.new_key("A", "officer", "", PW, tmp_path)
    path = tmp_path / "keys" / f"{signer.key_id}.key"
    good = path.read_bytes()
    path.unlink()
    path.mkdir()  # reading a directory fails even for root
    with pytest.raises(KeyError_, match="Cannot read the key file"):
        keys.load_signer(PW, config_dir=tmp_path)
    path.rmdir()
    for bad in (
        b"garbage",
        good.replace(b"argon2id", b"pbkdf2"),
        good.replace(b'"lanes": 1', b'"lanes": 99'),
    ):
        keyfile.write_private(path, bad)
        with pytest.raises(KeyError_, match="damaged"):
            keys.load_signer(PW, config_dir=tmp_path)
    doc = json.loads(good)
    doc["key_id"] = "0" * 32  # the key id is associated data: a moved file does not open
    keyfile.write_private(path, json.dumps(doc).encode())
    with pytest.raises(KeyError_, match="damaged"):
        keys.load_signer(PW, config_dir=tmp_path)


def test_a_changed_parameter_fails_like_a_wrong_passphrase(tmp_path: Path) -> None:
    """The KDF parameters are authenticated: lowering them in the file does not give a faster unlock."""
    signer = keys.new_key("A", "officer", "", PW, tmp_path)
    path = tmp_path / "keys" / f"{signer.key_id}.key"
    doc = json.loads(path.read_text())
    doc["kdf"]["iterations"] = 2
    keyfile.write_private(path, json.dumps(doc).encode())
    with pytest.raises(KeyError_, match="Wrong passphrase"):
        keys.load_signer(PW, config_dir=tmp_path)


def _write_legacy_pem(folder: Path, signer: keys.Signer, passphrase: str) -> Path:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    folder.mkdir(mode=0o700)
    pem = Ed25519PrivateKey.from_private_bytes(signer.seed()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode()),
    )
    path = folder / f"{signer.key_id}.pem"
    keyfile.write_private(path, pem)
    info = {"key_id": signer.key_id, "public_key": signer.public_bytes.hex(), **signer.identity.as_dict()}
    (folder / f"{signer.key_id}.json").write_text(json.dumps(info))
    return path


def test_an_old_pem_key_is_migrated_on_unlock(tmp_path: Path) -> None:
    """A key written before (PKCS#8 PEM, PBKDF2) unlocks once more, then lives in the Argon2id format only."""
    signer = keys.Signer.from_seed(seed("old"), "Old", "inspector", "Lab")
    pem = _write_legacy_pem(tmp_path / "keys", signer, PW)
    with pytest.raises(KeyError_, match="Wrong passphrase"):
        keys.load_signer("nope", config_dir=tmp_path)
    assert pem.exists()  # a failed unlock migrates nothing
    assert keys.load_signer(PW, config_dir=tmp_path).key_id == signer.key_id
    sealed = pem.with_suffix(".key")
    assert not pem.exists() and stat.S_IMODE(sealed.stat().st_mode) == 0o600
    assert json.loads(sealed.read_text())["format"] == keyfile.FORMAT
    [info] = keys.list_keys(tmp_path)
    assert info.path == sealed
    assert keys.load_signer(PW, config_dir=tmp_path).sign(b"m") == signer.sign(b"m")


def test_weak_parameters_are_upgraded_on_unlock(tmp_path: Path) -> None:
    """A key sealed with parameters below the current ones (here: the test hook's) is resealed on unlock."""
    signer = keys.new_key("A", "lead", "", PW, tmp_path)
    path = tmp_path / "keys" / f"{signer.key_id}.key"
    stronger = keyfile.KdfParams(memory_kib=64, iterations=2)
    with keyfile.use_test_kdf(stronger):
        keys.load_signer(PW, config_dir=tmp_path)
    kdf = json.loads(path.read_text())["kdf"]
    assert (kdf["memory_kib"], kdf["iterations"]) == (64, 2)


@pytest.mark.parametrize(
    "weak", ["demo", "short1", "aaaaaaaaaaaaaaaa", "abcdefghijklmnop", "password123456", "1234567890"]
)
def test_passphrase_policy_refuses_weak_ones(tmp_path: Path, weak: str) -> None:
    with pytest.raises(UsageError) as err:
        keys.new_key("A", "lead", "", weak, tmp_path)
    assert err.value.exit_code == 2 and err.value.hint
    assert not (tmp_path / "keys").exists() or not list((tmp_path / "keys").iterdir())


@pytest.mark.parametrize("good", ["correct horse", "Tr0ub4dor&3x!", "蓝色火车七点钟出发了吗", "pass phrase"])
def test_passphrase_policy_accepts_reasonable_ones(good: str) -> None:
    passphrase.check_passphrase(good)


def test_policy_message_in_chinese() -> None:
    from gradesec import i18n

    i18n.set_lang("zh")
    try:
        with pytest.raises(UsageError, match="口令太短"):
            passphrase.check_passphrase("demo")
    finally:
        i18n.set_lang("en")


def test_the_demo_path_bypasses_the_policy_explicitly(tmp_path: Path) -> None:
    signer = keys.Signer.from_seed(seed("demo"), "Demo", "inspector", "")
    with pytest.raises(UsageError):
        keys.save_key(signer, "demo", tmp_path)
    keys.save_key(signer, "demo", tmp_path, policy=False)
    assert keys.load_signer("demo", config_dir=tmp_path).key_id == signer.key_id


def test_key_folder_or_file_open_to_others_is_refused(tmp_path: Path) -> None:
    signer = keys.new_key("A", "lead", "", PW, tmp_path)
    folder = tmp_path / "keys"
    folder.chmod(0o755)
    with pytest.raises(KeyError_, match="other users") as err:
        keys.load_signer(PW, config_dir=tmp_path)
    assert "chmod 700" in (err.value.hint or "")
    folder.chmod(0o700)
    (folder / f"{signer.key_id}.key").chmod(0o644)
    with pytest.raises(KeyError_, match="other users"):
        keys.load_signer(PW, config_dir=tmp_path)


def test_a_key_file_that_is_a_symlink_is_not_followed(tmp_path: Path) -> None:
    signer = keys.new_key("A", "lead", "", PW, tmp_path)
    path = tmp_path / "keys" / f"{signer.key_id}.key"
    elsewhere = tmp_path / "elsewhere.key"
    path.rename(elsewhere)
    path.symlink_to(elsewhere)
    with pytest.raises(KeyError_, match="Cannot read the key file"):
        keys.load_signer(PW, config_dir=tmp_path)


def test_several_keys_default_and_prefix(tmp_path: Path) -> None:
    first = keys.new_key("First", "inspector", "", PW, tmp_path)
    second = keys.new_key("Second", "reviewer", "", PW, tmp_path)
    assert keys.load_signer(PW, config_dir=tmp_path).key_id == first.key_id
    spaced = keys.format_key_id(second.key_id[:8])
    assert keys.load_signer(PW, key_id=spaced, config_dir=tmp_path).key_id == second.key_id
    (tmp_path / "keys" / "default").unlink()
    with pytest.raises(KeyError_, match="several keys"):
        keys.load_signer(PW, config_dir=tmp_path)


def test_bad_identity_rejected(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="role"):
        keys.new_key("A", "boss", "", PW, tmp_path)
    with pytest.raises(UsageError):
        keys.new_key(" ", "lead", "", PW, tmp_path)
    with pytest.raises(UsageError):
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
        signer = keys.new_key("A", "lead", "", PW, tmp_path)
    finally:
        os.umask(old)
    for name in (f"{signer.key_id}.key", f"{signer.key_id}.json", "default"):
        assert stat.S_IMODE((tmp_path / "keys" / name).stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "keys").stat().st_mode) == 0o700
