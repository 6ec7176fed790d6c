"""Private key files: the Ed25519 seed sealed under a key derived from the passphrase by Argon2id.

File ``<key id>.key`` (JSON, mode 0600)::

    {"format": "gradesec-private-key/v2", "key_id": "…",
     "kdf": {"name": "argon2id", "memory_kib": 65536, "iterations": 3, "lanes": 1, "salt": "<16 bytes hex>"},
     "cipher": "aes-256-gcm", "nonce": "<12 bytes hex>", "ciphertext": "<seed + tag, hex>"}

Everything but the ciphertext is the AEAD's associated data, so a changed key id or parameter fails like a
wrong passphrase. Argon2id and AES-GCM are cryptography's; nothing here is home-made but the file layout.

The parameters are measured (``bench/keys.py``): one guess costs about 0.3 s and 64 MiB on this machine,
against about 0.3 ms for the PBKDF2-SHA256 (2,048 rounds) of the PKCS#8 PEM files written before. Those, and
files written with parameters below ``DEFAULT_KDF``, are rewritten on the next unlock (``needs_upgrade``).

Tests derive with small parameters only through ``use_test_kdf`` — an explicit hook that the default never
sees; a key written under it is upgraded as soon as it is unlocked without the hook.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

FORMAT = "gradesec-private-key/v2"
CIPHER = "aes-256-gcm"
SUFFIX = ".key"
LEGACY_SUFFIX = ".pem"
MAX_FILE = 64 * 1024


@dataclass(frozen=True)
class KdfParams:
    memory_kib: int
    iterations: int
    lanes: int = 1

    def at_least(self, other: KdfParams) -> bool:
        return self.memory_kib >= other.memory_kib and self.iterations >= other.iterations


# 64 MiB, 3 passes: ~0.34 s per guess on the 2-core build machine (bench/keys.py); OWASP's floor is 19 MiB, 2.
DEFAULT_KDF = KdfParams(memory_kib=64 * 1024, iterations=3, lanes=1)
# Only through ``use_test_kdf``: fast enough for a test suite that creates hundreds of keys.
TEST_KDF = KdfParams(memory_kib=8, iterations=1, lanes=1)
# Refused when read, so a hostile key file cannot make an unlock take minutes or gigabytes.
_LIMITS = KdfParams(memory_kib=4 * 1024 * 1024, iterations=64, lanes=16)

_active: KdfParams | None = None


def current_kdf() -> KdfParams:
    return _active if _active is not None else DEFAULT_KDF


@contextmanager
def use_test_kdf(params: KdfParams = TEST_KDF) -> Iterator[None]:
    """Derive with ``params`` inside the block (tests only). The default is never changed."""
    global _active
    before = _active
    _active = params
    try:
        yield
    finally:
        _active = before


class KeyFileError(Exception):
    """The file is not a gradesec private key (``corrupt``) or the passphrase does not open it (``passphrase``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def derive(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    return Argon2id(
        salt=salt,
        length=32,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    ).derive(passphrase.encode("utf-8"))


def _aad(header: dict[str, Any]) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def seal(seed: bytes, key_id: str, passphrase: str, params: KdfParams | None = None) -> bytes:
    """The file bytes for ``seed`` (32 bytes) under ``passphrase``."""
    params = params or current_kdf()
    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
    header: dict[str, Any] = {
        "format": FORMAT,
        "key_id": key_id,
        "kdf": {
            "name": "argon2id",
            "memory_kib": params.memory_kib,
            "iterations": params.iterations,
            "lanes": params.lanes,
            "salt": salt.hex(),
        },
        "cipher": CIPHER,
        "nonce": nonce.hex(),
    }
    box = AESGCM(derive(passphrase, salt, params)).encrypt(nonce, seed, _aad(header))
    return (json.dumps({**header, "ciphertext": box.hex()}, indent=2) + "\n").encode()


@dataclass(frozen=True)
class Opened:
    seed: bytes
    params: KdfParams

    @property
    def needs_upgrade(self) -> bool:
        return not self.params.at_least(current_kdf())


def parse(data: bytes) -> tuple[dict[str, Any], KdfParams, bytes, bytes, bytes]:
    """Header, parameters, salt, nonce and ciphertext of a key file; ``KeyFileError('corrupt')`` otherwise."""
    try:
        if len(data) > MAX_FILE:
            raise ValueError
        doc = json.loads(data)
        if not isinstance(doc, dict) or doc.get("format") != FORMAT or doc.get("cipher") != CIPHER:
            raise ValueError
        kdf = doc["kdf"]
        if not isinstance(kdf, dict) or kdf.get("name") != "argon2id" or not isinstance(doc["key_id"], str):
            raise ValueError
        numbers = [kdf["memory_kib"], kdf["iterations"], kdf["lanes"]]
        if not all(type(n) is int for n in numbers):
            raise ValueError
        params = KdfParams(*numbers)
        if not (
            1 <= params.lanes <= _LIMITS.lanes
            and 8 * params.lanes <= params.memory_kib <= _LIMITS.memory_kib
            and 1 <= params.iterations <= _LIMITS.iterations
        ):
            raise ValueError
        salt, nonce, box = (
            bytes.fromhex(kdf["salt"]),
            bytes.fromhex(doc["nonce"]),
            bytes.fromhex(doc["ciphertext"]),
        )
        if len(salt) < 16 or len(nonce) != 12 or len(box) != 32 + 16:
            raise ValueError
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, RecursionError):
        raise KeyFileError("corrupt") from None
    header = {k: v for k, v in doc.items() if k != "ciphertext"}
    return header, params, salt, nonce, box


def open_sealed(data: bytes, passphrase: str, key_id: str) -> Opened:
    header, params, salt, nonce, box = parse(data)
    if header["key_id"] != key_id:
        raise KeyFileError("corrupt")
    try:
        seed = AESGCM(derive(passphrase, salt, params)).decrypt(nonce, box, _aad(header))
    except InvalidTag:
        # Wrong passphrase, or a changed byte: AES-GCM cannot tell; the passphrase is by far the likelier.
        raise KeyFileError("passphrase") from None
    return Opened(seed, params)


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` owner-only (0600 from the first byte), atomically (temp file + rename)."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
