"""Bundle use cases: export an inspection (or remediation updates) for the other party, verify and import.

Thin on purpose: ``gradesec.exchange`` does the work; this layer ties it to a ``Context`` (store + signer) so
the CLI and the TUI call the same thing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gradesec.exchange import ExportResult, ImportResult, VerifiedBundle
    from gradesec.usecases.context import Context


def export(
    ctx: Context,
    output: Path | str,
    *,
    inspection: str | None = None,
    since: str | None = None,
    note: str = "",
    progress: Callable[[int], None] | None = None,
) -> ExportResult:
    """Write a signed bundle about ``inspection`` (every chain that touches it, from ``since`` on)."""
    from gradesec.exchange import export_bundle

    return export_bundle(
        ctx.store, ctx.signer, output, inspection=inspection, since=since, note=note, progress=progress
    )


def verify(
    ctx: Context,
    path: Path | str,
    *,
    trust: Iterable[str] = (),
    progress: Callable[[int], None] | None = None,
) -> VerifiedBundle:
    """Check a bundle against the store without writing anything."""
    from gradesec.exchange import read_bundle

    return read_bundle(ctx.store, path, trust=trust, progress=progress)


def import_(
    ctx: Context,
    path: Path | str,
    *,
    trust: Iterable[str] = (),
    expect_inspection: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Verify then import a bundle atomically; ``trust`` needs the store owner's signer on the context."""
    from gradesec.exchange import import_bundle

    keys = list(trust)
    owner = ctx.signer if keys else None
    recorder = ctx.signer if ctx.has_signer and ctx.signer.key_id == ctx.store.owner else None
    return import_bundle(
        ctx.store,
        path,
        trust=keys,
        owner=owner,
        expect_inspection=expect_inspection,
        progress=progress,
        recorder=recorder,
    )


def bundle_size(path: Path | str) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0
