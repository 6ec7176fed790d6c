"""Ed25519 keys and the identities bound to them.

A private key lives in ``config_dir()/keys/<key id>.key`` (the seed sealed with Argon2id + AES-GCM, see
``keyfile``; mode 0600, folder 0700) beside ``<key id>.json`` (the public key and the identity). Keys written
before (``<key id>.pem``, PKCS#8 with PBKDF2) are migrated on their next unlock. Private keys never enter a store. A key id is
the hex of the first 16 bytes of SHA-256 over the raw 32-byte public key; people see it in groups of four.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from gradesec import paths
from gradesec.errors import GradesecError, KeyError_, UsageError
from gradesec.i18n import t
from gradesec.journal import keyfile
from gradesec.journal.events import canonical
from gradesec.journal.passphrase import check_passphrase
from gradesec.permissions import check_key_dir, make_private_dir, read_private

ROLES = ("inspector", "officer", "lead", "reviewer")
EXPORT_FORMAT = "gradesec-public-key/v1"
EXPORT_DOMAIN = b"gradesec/key/v1\x00"
PASSPHRASE_ENV = "GRADESEC_PASSPHRASE"


def key_id_of(public_bytes: bytes) -> str:
    return hashlib.sha256(public_bytes).digest()[:16].hex()


def format_key_id(kid: str) -> str:
    """``abcdef0123…`` → ``abcd ef01 23…`` (how people read and compare key ids)."""
    return " ".join(kid[i : i + 4] for i in range(0, len(kid), 4))


def normalise_key_id(text: str) -> str:
    return "".join(text.split()).lower()


@dataclass(frozen=True)
class Identity:
    name: str
    role: str
    org: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "role": self.role, "org": self.org}


def check_identity(name: str, role: str) -> None:
    if not name.strip():
        raise UsageError(t("key.error.no_name"), t("key.error.no_name.hint"))
    if role not in ROLES:
        raise UsageError(
            t("key.error.bad_role", role=role), t("key.error.bad_role.hint", roles=", ".join(ROLES))
        )


class Signer:
    """A private key in memory with the identity of its holder."""

    def __init__(self, private_key: Ed25519PrivateKey, identity: Identity) -> None:
        self._key = private_key
        self.identity = identity
        self.public_bytes = private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self.key_id = key_id_of(self.public_bytes)

    @classmethod
    def from_seed(cls, seed32: bytes, name: str, role: str = "inspector", org: str = "") -> Signer:
        """A deterministic key from a 32-byte seed (tests, demos); never touches the disk."""
        return cls(Ed25519PrivateKey.from_private_bytes(seed32), Identity(name, role, org))

    @property
    def name(self) -> str:
        return self.identity.name

    @property
    def role(self) -> str:
        return self.identity.role

    @property
    def org(self) -> str:
        return self.identity.org

    def sign(self, data: bytes) -> bytes:
        return self._key.sign(data)

    def seed(self) -> bytes:
        """The 32-byte private seed (to seal it into a key file, or to decrypt a sealed bundle)."""
        return self._key.private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )

    def public_key(self) -> Ed25519PublicKey:
        return self._key.public_key()

    def __repr__(self) -> str:
        return f"Signer({format_key_id(self.key_id)!r}, {self.identity.name!r}, {self.identity.role!r})"


@dataclass(frozen=True)
class KeyInfo:
    """What ``key list`` shows: a key on this machine, without its private part."""

    key_id: str
    public_key: str
    name: str
    role: str
    org: str
    created: str
    path: Path
    default: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "key_id": self.key_id,
            "public_key": self.public_key,
            "name": self.name,
            "role": self.role,
            "org": self.org,
            "created": self.created,
            "default": self.default,
        }


def keys_dir(config_dir: Path | None = None) -> Path:
    return (config_dir if config_dir is not None else paths.config_dir()) / "keys"


def new_key(name: str, role: str, org: str, passphrase: str, config_dir: Path | None = None) -> Signer:
    """Create a key pair, store it encrypted with ``passphrase``, and return it ready to sign.

    The passphrase must pass the policy (``passphrase.check_passphrase``); the key file is sealed with the
    memory-hard KDF of ``keyfile`` and written owner-only.
    """
    check_identity(name, role)
    check_passphrase(passphrase)
    signer = Signer(Ed25519PrivateKey.generate(), Identity(name.strip(), role, org.strip()))
    save_key(signer, passphrase, config_dir)
    return signer


def save_key(
    signer: Signer,
    passphrase: str,
    config_dir: Path | None = None,
    *,
    created: str | None = None,
    policy: bool = True,
    make_default: bool | None = None,
) -> None:
    """Write ``signer``'s key files. ``policy=False`` is the demo's explicit path (its passphrase is ``demo``)."""
    if policy:
        check_passphrase(passphrase)
    elif not passphrase:
        raise KeyError_(t("key.error.empty_passphrase"), t("key.error.empty_passphrase.hint"))
    folder = keys_dir(config_dir)
    try:
        make_private_dir(folder)
        info = {
            "key_id": signer.key_id,
            "public_key": signer.public_bytes.hex(),
            **signer.identity.as_dict(),
            "created": created or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        keyfile.write_private(
            folder / f"{signer.key_id}{keyfile.SUFFIX}",
            keyfile.seal(signer.seed(), signer.key_id, passphrase),
        )
        keyfile.write_private(
            folder / f"{signer.key_id}.json", json.dumps(info, ensure_ascii=False, indent=2).encode()
        )
        if make_default or (make_default is None and not (folder / "default").exists()):
            keyfile.write_private(folder / "default", (signer.key_id + "\n").encode())
    except OSError as exc:
        raise KeyError_(
            t("key.error.write", path=str(folder), detail=exc.strerror or str(exc)), t("key.error.write.hint")
        ) from None


def list_keys(config_dir: Path | None = None) -> list[KeyInfo]:
    """The keys on this machine, default first, then by name."""
    folder = keys_dir(config_dir)
    if not folder.is_dir():
        return []
    default = _default_id(folder)
    out: list[KeyInfo] = []
    for meta in sorted(folder.glob("*.json")):
        try:
            info = json.loads(meta.read_text(encoding="utf-8"))
            kid = str(info["key_id"])
        except (OSError, ValueError, KeyError, TypeError):
            continue  # not one of ours; ``load_signer`` reports unreadable key files by name
        out.append(
            KeyInfo(
                key_id=kid,
                public_key=str(info.get("public_key", "")),
                name=str(info.get("name", "")),
                role=str(info.get("role", "")),
                org=str(info.get("org", "")),
                created=str(info.get("created", "")),
                path=_private_path(meta),
                default=kid == default,
            )
        )
    out.sort(key=lambda k: (not k.default, k.name, k.key_id))
    return out


def _private_path(meta: Path) -> Path:
    sealed = meta.with_suffix(keyfile.SUFFIX)
    legacy = meta.with_suffix(keyfile.LEGACY_SUFFIX)
    return legacy if legacy.exists() and not sealed.exists() else sealed


def _default_id(folder: Path) -> str | None:
    try:
        return normalise_key_id((folder / "default").read_text())
    except OSError:
        return None


def find_key(key_id: str | None, config_dir: Path | None = None) -> KeyInfo:
    """The key named by ``key_id`` (a unique prefix is enough; spaces ignored), or the default/only key."""
    keys = list_keys(config_dir)
    if not keys:
        raise KeyError_(t("key.error.none"), t("key.error.none.hint"))
    if key_id is None:
        if len(keys) == 1:
            return keys[0]
        for k in keys:
            if k.default:
                return k
        raise KeyError_(t("key.error.which"), t("key.error.which.hint"))
    wanted = normalise_key_id(key_id)
    matches = [k for k in keys if k.key_id.startswith(wanted)] if wanted else []
    if len(matches) != 1:
        raise KeyError_(
            t("key.error.not_found" if not matches else "key.error.ambiguous", key=key_id),
            t("key.error.which.hint"),
        )
    return matches[0]


def load_signer(passphrase: str, key_id: str | None = None, config_dir: Path | None = None) -> Signer:
    """Decrypt a stored key. Wrong passphrase, missing or unreadable key file: a ``KeyError_`` saying which.

    A key in the old format (PKCS#8 PEM, PBKDF2) or sealed with weaker KDF parameters than today's is
    rewritten on the spot with the current ones (same passphrase), and the old file removed.
    """
    info = find_key(key_id, config_dir)
    check_key_dir(info.path.parent)
    corrupt = KeyError_(t("key.error.corrupt", path=str(info.path)), t("key.error.unreadable.hint"))
    try:
        data = read_private(info.path, keyfile.MAX_FILE)
    except OSError as exc:
        raise KeyError_(
            t("key.error.unreadable", path=str(info.path), detail=exc.strerror or str(exc)),
            t("key.error.unreadable.hint"),
        ) from None
    legacy = info.path.suffix == keyfile.LEGACY_SUFFIX
    if legacy:
        seed = _open_legacy(data, passphrase, corrupt)
        upgrade = True
    else:
        try:
            opened = keyfile.open_sealed(data, passphrase, info.key_id)
        except keyfile.KeyFileError as exc:
            if exc.reason == "passphrase":
                raise KeyError_(t("key.error.passphrase"), t("key.error.passphrase.hint")) from None
            raise corrupt from None
        seed, upgrade = opened.seed, opened.needs_upgrade
    try:
        signer = Signer(Ed25519PrivateKey.from_private_bytes(seed), Identity(info.name, info.role, info.org))
    except ValueError:
        raise corrupt from None
    if signer.key_id != info.key_id:
        raise corrupt
    if upgrade:
        sealed = info.path.with_suffix(keyfile.SUFFIX)
        try:
            keyfile.write_private(sealed, keyfile.seal(seed, signer.key_id, passphrase))
            if legacy:
                info.path.unlink()
        except OSError as exc:
            raise KeyError_(
                t("key.error.write", path=str(sealed), detail=exc.strerror or str(exc)),
                t("key.error.write.hint"),
            ) from None
    return signer


def _open_legacy(pem: bytes, passphrase: str, corrupt: KeyError_) -> bytes:
    """The seed of a key written before the Argon2id format (PKCS#8 PEM with BestAvailableEncryption)."""
    if b"-----BEGIN ENCRYPTED PRIVATE KEY-----" not in pem:
        raise corrupt
    try:
        key = serialization.load_pem_private_key(pem, password=passphrase.encode())
    except (ValueError, TypeError):
        # cryptography does not tell a wrong passphrase from damaged ciphertext; with an intact PEM
        # header the passphrase is by far the likelier cause.
        raise KeyError_(t("key.error.passphrase"), t("key.error.passphrase.hint")) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise corrupt
    return key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def passphrase_from_env_or_prompt(confirm: bool) -> str:
    """``GRADESEC_PASSPHRASE`` if set, else ask on the terminal (twice when ``confirm``)."""
    env = os.environ.get(PASSPHRASE_ENV)
    if env is not None:
        return env
    if not sys.stdin.isatty():
        raise KeyError_(t("key.error.no_tty"), t("key.error.no_tty.hint"))
    first = getpass.getpass(t("key.prompt.passphrase") + " ")
    if confirm:
        second = getpass.getpass(t("key.prompt.again") + " ")
        if first != second:
            raise KeyError_(t("key.error.mismatch"), t("key.error.mismatch.hint"))
    if not first:
        raise KeyError_(t("key.error.empty_passphrase"), t("key.error.empty_passphrase.hint"))
    return first


# Exported public keys: what one person hands another so the other's store can trust them.


@dataclass(frozen=True)
class PublicKey:
    """A public key with the identity its holder claims, proven by a self-signature."""

    key_id: str
    public_bytes: bytes
    identity: Identity

    def verify(self, sig: bytes, data: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public_bytes).verify(sig, data)
        except InvalidSignature:
            return False
        return True


def _export_payload(public_bytes: bytes, identity: Identity) -> dict[str, Any]:
    return {
        "format": EXPORT_FORMAT,
        "key_id": key_id_of(public_bytes),
        "public_key": public_bytes.hex(),
        **identity.as_dict(),
    }


def export_public(signer: Signer) -> dict[str, Any]:
    """The shareable form of ``signer``: public key, identity and a self-signature over both."""
    payload = _export_payload(signer.public_bytes, signer.identity)
    return {**payload, "sig": signer.sign(EXPORT_DOMAIN + canonical(payload)).hex()}


def read_public(data: bytes | str, source: str = "") -> PublicKey:
    """Parse and check an exported public key (format, key id, self-signature)."""
    try:
        doc = json.loads(data)
        if doc.get("format") != EXPORT_FORMAT:
            raise ValueError
        public_bytes = bytes.fromhex(doc["public_key"])
        identity = Identity(str(doc["name"]), str(doc["role"]), str(doc.get("org", "")))
        sig = bytes.fromhex(doc["sig"])
        if len(public_bytes) != 32:
            raise ValueError
    except (ValueError, KeyError, TypeError, AttributeError):
        raise KeyError_(t("key.error.bad_export", source=source), t("key.error.bad_export.hint")) from None
    key = PublicKey(key_id_of(public_bytes), public_bytes, identity)
    if doc.get("key_id") != key.key_id or not key.verify(
        sig, EXPORT_DOMAIN + canonical(_export_payload(public_bytes, identity))
    ):
        raise GradesecError(t("key.error.export_forged", source=source), t("key.error.bad_export.hint"))
    return key
