"""Bundle use cases: export an inspection (or remediation updates) for the other party, verify and import.

Thin on purpose: ``gradesec.exchange`` does the work; this layer ties it to a ``Context`` (store + signer) so
the CLI and the TUI call the same thing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gradesec.exchange import ExportResult, ImportResult, VerifiedBundle
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
    with sealed.opened(ctx.store, path, opener or (ctx.signer if ctx.has_signer else None)) as plain:
        return import_bundle(
            ctx.store, plain, trust=keys, owner=owner, expect_inspection=expect_inspection, progress=progress
        )


def is_sealed(path: Path | str) -> bool:
    from gradesec.exchange import sealed

    return sealed.is_sealed(path)


def bundle_size(path: Path | str) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0
