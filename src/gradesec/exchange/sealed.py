"""Sealed bundles: a signed bundle encrypted to its recipients with age (``pyrage``), around the bundle stream.

A sealed bundle is the age file (https://age-encryption.org/v1) of an ordinary signed bundle. Nothing inside
changes: the receiver decrypts to a temporary file in its own store (owner-only, swept like every temporary
file), then verifies and imports it exactly as a plain bundle, so the signature still proves the author and a
sealed bundle adds confidentiality only.

**Which key opens it.** A recipient is a gradesec identity: its Ed25519 public key, used through age's
standard ``ssh-ed25519`` recipient type, which converts the Ed25519 key to X25519 (the birational map of RFC
7748 §4.1) and wraps the file key with X25519 + HKDF-SHA256 + ChaCha20-Poly1305, tweaked by the key's hash.
So every identity a store already knows is a recipient without new key material, the recipient's private key
is the gradesec key (decrypted with its passphrase as for signing), and a bundle cannot be sealed to a key
that differs from the identity it is meant for. Using one key pair for Ed25519 signatures and this X25519 KEM
is analysed as safe (Thormarker, "On using the same key pair for Ed25519 and an X25519 based KEM", 2021)
and is what age and OpenSSH users do daily.

Recipients come from an exported public key file (self-signed, checked by ``read_public``) or a key this store
trusts (a ``key.trusted`` event by its owner, or the owner); an identity the store merely saw is refused, so
a bundle is never sealed to a key nobody vouched for.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyrage
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from gradesec.errors import KeyError_, NotFoundError, StorageError, UsageError
from gradesec.exchange.streams import refuse
from gradesec.i18n import t
from gradesec.journal.evidence import CHUNK, TEMP_PREFIX
from gradesec.journal.keys import Identity, format_key_id, list_keys, normalise_key_id, read_public

if TYPE_CHECKING:
    from gradesec.exchange.export import ExportResult
    from gradesec.journal.keys import Signer
    from gradesec.journal.store import Store

AGE_MAGIC = b"age-encryption.org/v1\n"


def is_sealed(path: Path | str) -> bool:
    """True when ``path`` starts like an age file (unreadable files are left to the bundle reader)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(len(AGE_MAGIC)) == AGE_MAGIC
    except OSError:
        return False


def ssh_public(public_bytes: bytes) -> str:
    """An Ed25519 public key as an OpenSSH line: what age's ``ssh-ed25519`` recipient type reads."""
    key = Ed25519PublicKey.from_public_bytes(public_bytes)
    return key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()


def _identity(signer: Signer) -> pyrage.ssh.Identity:
    private = Ed25519PrivateKey.from_private_bytes(signer.seed())
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()
    )
    return pyrage.ssh.Identity.from_buffer(pem)


def resolve_recipient(store: Store, ref: str) -> tuple[str, bytes, Identity]:
    """``--to`` → (key id, public key, identity): an exported key file, or a key this store trusts."""
    path = Path(ref)
    if path.is_file():
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise NotFoundError(
                t("seal.to_unreadable", path=ref, detail=exc.strerror or str(exc)), t("seal.to_unknown.hint")
            ) from None
        public = read_public(data, ref)
        return public.key_id, public.public_bytes, public.identity
    wanted = normalise_key_id(ref)
    if not wanted or any(c not in "0123456789abcdef" for c in wanted):
        raise UsageError(t("seal.to_unknown", key=ref), t("seal.to_unknown.hint"))
    trusted = {k.key_id: k for k in store.trusted_keys()}
    found = [kid for kid in trusted if kid.startswith(wanted)]
    if len(found) == 1:
        info = trusted[found[0]]
        return info.key_id, info.public_key, Identity(info.name, info.role, info.org)
    if len(found) > 1:
        raise UsageError(t("seal.to_ambiguous", key=ref), t("seal.to_unknown.hint"))
    seen = [kid for kid in store.known_identities() if kid.startswith(wanted)]
    mine = [k for k in list_keys() if k.key_id.startswith(wanted)]
    if seen or mine:
        raise UsageError(t("seal.to_untrusted", key=ref), t("seal.to_untrusted.hint"))
    raise UsageError(t("seal.to_unknown", key=ref), t("seal.to_unknown.hint"))


def seal_file(plain: Path, output: Path, recipients: list[bytes]) -> None:
    """Encrypt ``plain`` to ``recipients`` (Ed25519 public keys) into ``output`` (streamed)."""
    to = [pyrage.ssh.Recipient.from_str(ssh_public(pub)) for pub in recipients]
    with open(plain, "rb") as src, open(output, "xb") as dst:
        pyrage.encrypt_io(src, dst, to)
        dst.flush()
        os.fsync(dst.fileno())


def temp_path(store: Store, suffix: str) -> Path:
    """A temporary file name in the store's evidence folder (owner-only; swept with the other temporaries)."""
    root = store.evidence.root
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root / f"{TEMP_PREFIX}{secrets.token_hex(8)}{suffix}"


@contextmanager
def opened(store: Store, path: Path | str, signer: Signer | None) -> Iterator[Path]:
    """The plain bundle at ``path``: itself, or, when sealed, its decryption by ``signer`` in a temporary file.

    A bundle sealed to other keys, or whose ciphertext was changed, is refused before a byte of it is read
    as a bundle; nothing is left behind.
    """
    path = Path(path)
    if not is_sealed(path):
        yield path
        return
    if signer is None:
        raise KeyError_(t("seal.needs_key"), t("seal.needs_key.hint"))
    plain = temp_path(store, ".tar")
    try:
        try:
            with (
                open(path, "rb") as src,
                open(os.open(plain, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as dst,
            ):
                pyrage.decrypt_io(_Chunked(src), dst, [_identity(signer)])
        except pyrage.DecryptError as exc:
            if "no matching keys" in str(exc).lower():
                raise refuse("sealed_other", key=format_key_id(signer.key_id)) from None
            raise refuse("sealed_damaged") from None
        except OSError as exc:
            # age reports a failed chunk (changed or cut ciphertext) as an OSError without an errno; one with
            # an errno is the disk.
            if exc.errno is not None:
                raise StorageError(
                    t("bundle.error.unreadable", path=str(path), detail=exc.strerror or str(exc)),
                    t("bundle.error.unreadable.hint"),
                ) from None
            raise refuse("sealed_damaged") from None
        yield plain
    finally:
        plain.unlink(missing_ok=True)


class _Chunked:
    """A file read in bounded chunks (pyrage asks for whatever it likes; keep memory flat)."""

    def __init__(self, src: object) -> None:
        self.src = src

    def read(self, n: int = -1) -> bytes:
        return self.src.read(CHUNK if n is None or n < 0 else min(n, CHUNK))  # type: ignore[attr-defined, no-any-return]


def export_sealed(
    store: Store, signer: Signer, output: Path, recipients: list[bytes], **options: Any
) -> ExportResult:
    """``export_bundle`` to a temporary file in the store, then that file sealed to ``recipients`` at ``output``."""
    from gradesec.exchange.export import export_bundle

    plain = temp_path(store, ".tar")
    part = output.parent / f".{output.name}.{secrets.token_hex(6)}.part"
    try:
        result = export_bundle(store, signer, plain, **options)
        try:
            seal_file(plain, part, recipients)
            os.replace(part, output)
        except OSError as exc:
            raise StorageError(
                t("bundle.error.write", path=str(output), detail=exc.strerror or str(exc)),
                t("bundle.error.write.hint"),
            ) from None
    finally:
        plain.unlink(missing_ok=True)
        part.unlink(missing_ok=True)
    return replace(result, path=output, size=output.stat().st_size)
