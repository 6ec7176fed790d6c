"""Bundle use cases: export an inspection (or remediation updates) for the other party, verify and import.

Thin on purpose: ``gradesec.exchange`` does the work; this layer ties it to a ``Context`` (store + signer) so
the CLI and the TUI call the same thing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gradesec.exchange import ExportResult, ImportResult, Manifest, VerifiedBundle
    from gradesec.journal.keys import Identity, Signer
    from gradesec.usecases.context import Context


def export(
    ctx: Context,
    output: Path | str,
    *,
    inspection: str | None = None,
    since: str | None = None,
    note: str = "",
    progress: Callable[[int], None] | None = None,
    to: Iterable[str] = (),
) -> ExportResult:
    """Write a signed bundle about ``inspection`` (every chain that touches it, from ``since`` on).

    ``to`` names recipients (exported key files or trusted key ids): the bundle is then sealed to them.
    """
    from gradesec.exchange import export_bundle, sealed

    options: dict[str, Any] = {"inspection": inspection, "since": since, "note": note, "progress": progress}
    recipients = [sealed.resolve_recipient(ctx.store, ref) for ref in to]
    if recipients:
        publics = list({pub: None for _kid, pub, _who in recipients})
        return sealed.export_sealed(ctx.store, ctx.signer, Path(output), publics, **options)
    return export_bundle(ctx.store, ctx.signer, output, **options)


def recipients(ctx: Context, to: Iterable[str]) -> list[tuple[str, bytes, Identity]]:
    """The recipients ``--to`` names, checked (for the CLI to show who can open the bundle)."""
    from gradesec.exchange import sealed

    return [sealed.resolve_recipient(ctx.store, ref) for ref in to]


def verify(
    ctx: Context,
    path: Path | str,
    *,
    trust: Iterable[str] = (),
    progress: Callable[[int], None] | None = None,
    opener: Signer | None = None,
) -> VerifiedBundle:
    """Check a bundle against the store without writing anything (``opener`` decrypts a sealed one)."""
    from gradesec.exchange import read_bundle, sealed

    with sealed.opened(ctx.store, path, opener) as plain:
        return read_bundle(ctx.store, plain, trust=trust, progress=progress)


def import_(
    ctx: Context,
    path: Path | str,
    *,
    trust: Iterable[str] = (),
    expect_inspection: str | None = None,
    progress: Callable[[int], None] | None = None,
    opener: Signer | None = None,
) -> ImportResult:
    """Verify then import a bundle atomically; ``trust`` needs the store owner's signer on the context.

    A sealed bundle is decrypted by ``opener`` (else the context's signer) into a temporary file first.
    """
    from gradesec.exchange import import_bundle, sealed

    keys = list(trust)
    owner = ctx.signer if keys else None
    recorder = ctx.signer if ctx.has_signer and ctx.signer.key_id == ctx.store.owner else None
    with sealed.opened(ctx.store, path, opener or (ctx.signer if ctx.has_signer else None)) as plain:
        return import_bundle(
            ctx.store,
            plain,
            trust=keys,
            owner=owner,
            expect_inspection=expect_inspection,
            progress=progress,
            recorder=recorder,
        )


@dataclass(frozen=True)
class Review:
    """A bundle checked before import: what it holds, and the signers this store does not trust yet.

    ``untrusted`` maps each such key id to the identity its chain opens with (a ``key.identity`` event that
    key signed, else the signed manifest's exporter identity): what a person is asked to accept.
    """

    manifest: Manifest
    new_events: int
    known_events: int
    untrusted: dict[str, Identity] = field(default_factory=dict)


def review(
    ctx: Context,
    path: Path | str,
    *,
    progress: Callable[[int], None] | None = None,
    opener: Signer | None = None,
) -> Review:
    """Verify a bundle as if every signer it names were trusted, and list those the store does not trust yet.

    Nothing is written. Every other check (signatures, chains, hashes, scope, authority) runs in full, so a
    bundle that passes here imports once its untrusted signers are accepted (``import_(…, trust=…)``).
    """
    from gradesec.exchange import read_bundle, sealed

    with sealed.opened(ctx.store, path, opener or (ctx.signer if ctx.has_signer else None)) as plain:
        named = _signers_named(plain)
        trusted = {k.key_id for k in ctx.store.trusted_keys()}
        vb = read_bundle(ctx.store, plain, trust=sorted(named - trusted), progress=progress)
    try:
        untrusted = {kid: identity for kid, (_pub, identity) in sorted(vb.trust.items())}
        return Review(vb.manifest, vb.new_count, vb.known_events, untrusted)
    finally:
        vb.discard()


def _signers_named(path: Path) -> set[str]:
    """The exporter and chain authors a bundle's manifest names (empty when it cannot be read: the full
    verification that follows then says what is wrong with the file)."""
    import tarfile
    import zlib
    from typing import IO, cast

    from gradesec.errors import GradesecError
    from gradesec.exchange.format import MANIFEST_NAME, MAX_MANIFEST, parse_manifest
    from gradesec.exchange.streams import BundleSource, read_all, safe_member

    try:
        with open(path, "rb") as fh:
            source = BundleSource(fh, lambda n: None)
            with tarfile.open(fileobj=cast("IO[bytes]", source), mode="r|") as tar:
                first = tar.next()
                if first is None or first.name != MANIFEST_NAME or first.size > MAX_MANIFEST:
                    return set()
                safe_member(first)
                manifest = parse_manifest(read_all(tar, first))
    except (OSError, EOFError, ValueError, zlib.error, tarfile.TarError, GradesecError):
        return set()  # the verification that follows says what is wrong with the file
    return set(manifest.chains) | {manifest.exporter}


def is_sealed(path: Path | str) -> bool:
    from gradesec.exchange import sealed

    return sealed.is_sealed(path)


def bundle_size(path: Path | str) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0
