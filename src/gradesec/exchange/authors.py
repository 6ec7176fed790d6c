"""Who wrote a bundle: signature checks, the authors' keys and trust, and the roles remediation changes need."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from gradesec.journal.authority import allowed
from gradesec.journal.events import Event
from gradesec.journal.keys import Identity, key_id_of, normalise_key_id
from gradesec.journal.schema import KEY_KINDS

if TYPE_CHECKING:
    from gradesec.journal.store import Store


def verify_sig(public: bytes, sig: bytes, digest: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(sig, digest)
    except (InvalidSignature, ValueError):
        return False
    return True


class KnownAuthors:
    """What a bundle reader knows about the authors it meets: their public keys (the store's, and those the
    bundle's key events introduce), whom the store trusts or the user chose to trust now, and their roles."""

    def __init__(self, store: Store, trust: Iterable[str]) -> None:
        self.store = store
        self.trust_wanted = {normalise_key_id(k) for k in trust}
        self.db_keys: dict[str, bytes] = {}
        trusted = store.trusted_keys()
        self.trusted = {k.key_id for k in trusted}
        self.roles = {k.key_id: k.role for k in trusted}
        self.identities = store.known_identities()
        self.keys: dict[str, bytes] = {k.key_id: k.public_key for k in trusted}
        self.bundle_identity: dict[str, Identity] = {}
        # the last identity each key declared in the bundle: what a re-trust (--trust on a key this store
        # already trusts) signs when the role changed, shown to the user as the new role
        self.latest_identity: dict[str, Identity] = {}
        # the role each key first declared (the store's, then the bundle's)
        self.declared: dict[str, str] = {k: i.role for k, i in self.identities.items()}

    def public_key(self, author: str) -> bytes | None:
        if author not in self.keys:
            found = self.store.public_key_of(author)
            if found is not None:
                self.keys[author] = found
        return self.keys.get(author)

    def learn(self, event: Event) -> None:
        if event.kind in KEY_KINDS:
            hex_key = event.body.get("public_key")
            if isinstance(hex_key, str):
                with contextlib.suppress(ValueError):
                    raw = bytes.fromhex(hex_key)
                    if len(raw) == 32:
                        self.keys.setdefault(key_id_of(raw), raw)
        if event.kind == "key.identity" and event.body.get("key") == event.author:
            body = event.body
            # The identity a chain opens with: a later declaration cannot change the role (it is refused).
            identity = Identity(
                str(body.get("name", "")), str(body.get("role", "")), str(body.get("org", ""))
            )
            self.bundle_identity.setdefault(event.author, identity)
            self.latest_identity[event.author] = identity
            self.declared.setdefault(event.author, str(body.get("role", "")))

    def retrusted(self, author: str) -> bool:
        """A key this store trusts, named by --trust, declaring a new role in the bundle: the owner signs
        the new role now (a new ``key.trusted``), so the change is the owner's, not the key's own."""
        return author in self.trust_wanted and author in self.trusted and author in self.latest_identity

    def is_trusted(self, author: str) -> bool:
        return author in self.trusted or author in self.trust_wanted

    def role_of(self, author: str) -> str:
        if self.retrusted(author):
            return self.latest_identity[author].role
        if self.roles.get(author):
            return self.roles[author]
        if author in self.trust_wanted and author in self.bundle_identity:
            return self.bundle_identity[author].role
        return self.declared.get(author, "")

    def authority(self, event: Event) -> tuple[str, str] | None:
        """The authority table (``gradesec.journal.authority``) applied to a bundle's event before import."""
        if event.kind == "key.identity" and event.body.get("key") == event.author:
            first = self.declared.get(event.author)
            new = event.body.get("role")
            signed = self.roles.get(event.author) == new or self.retrusted(event.author)
            if first is not None and first != new and not signed:
                return "role_change", first
            return None
        role = self.role_of(event.author)
        return None if allowed(role, event) else ("role", role)


def remediation_action(event: Event) -> str | None:
    if event.kind == "remediation.planned" or event.kind == "drill.improvement_raised":
        return "plan"
    if event.kind == "remediation.updated":
        return str(event.body.get("action", "note"))
    if event.kind == "remediation.retested":
        return "verify" if event.body.get("outcome") == "verified" else "reopen"
    return None
