"""``gradesec bundle export|import|verify``: hand-over between stores.

Every command calls ``gradesec.usecases.bundles``; this module parses options and prints. Export, and an
import that trusts a key or opens a sealed bundle, load the user's key (``GRADESEC_PASSPHRASE`` or a prompt).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from gradesec.cli import common
from gradesec.cli.options import ForceOpt, KeyOpt
from gradesec.i18n import t

if TYPE_CHECKING:
    from gradesec.usecases.context import Context

bundle_app = typer.Typer(help=t("bundle.cli.help"), no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root ``app``."""
    app.add_typer(bundle_app, name="bundle")


def _writer(key_id: str | None) -> Context:
    from gradesec.cli.journal_cmd import load_signer
    from gradesec.usecases.context import open_context

    signer = load_signer(key_id)
    return open_context(common.OPTIONS.store_dir, signer=signer, create=True, catalog_loader=common.catalog)


def _remove_new_store(root: Path, *, whole: bool) -> None:
    """Remove a store this command created (the folder too if it made it)."""
    import contextlib
    import shutil

    from gradesec.journal.store import DB_NAME, EVIDENCE_DIR

    if whole:
        shutil.rmtree(root, ignore_errors=True)
        return
    for name in (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm"):
        with contextlib.suppress(OSError):
            (root / name).unlink()
    shutil.rmtree(root / EVIDENCE_DIR, ignore_errors=True)


def _trusted_names() -> list[Any]:
    with _reader() as ctx:
        return list(ctx.store.trusted_keys())


def _reader() -> Context:
    from gradesec.usecases.context import open_context

    return open_context(common.OPTIONS.store_dir, catalog_loader=common.catalog)


@bundle_app.command("export", help=t("bundle.cli.export"))
def bundle_export(
    output: Annotated[Path, typer.Option("-o", "--output", help=t("bundle.cli.opt.output"))],
    inspection: Annotated[
        str | None, typer.Option("--inspection", "-i", help=t("bundle.cli.opt.inspection"))
    ] = None,
    since: Annotated[str | None, typer.Option("--since", help=t("bundle.cli.opt.since"))] = None,
    note: Annotated[str, typer.Option("--note", help=t("bundle.cli.opt.note"))] = "",
    to: Annotated[list[str] | None, typer.Option("--to", help=t("bundle.cli.opt.to"))] = None,
    key: KeyOpt = None,
    force: ForceOpt = False,
) -> None:
    from dataclasses import replace

    from gradesec.journal.keys import format_key_id
    from gradesec.outputs import check_output, writing
    from gradesec.usecases import bundles

    check_output(output, force=force)  # before the passphrase is asked for
    with _writer(key) as ctx, writing(output, force=force) as tmp:
        sealed_to = bundles.recipients(ctx, to or ())
        # An upper bound of what the bundle can carry: the bar is a guide, the export streams.
        total = ctx.store.db_path.stat().st_size + sum(
            p.stat().st_size for _n, p in ctx.store.evidence.blobs()
        )
        with common.progress(total, t("bundle.progress.export")) as advance:
            result = bundles.export(
                ctx, tmp, inspection=inspection, since=since, note=note, progress=advance, to=to or ()
            )
    result = replace(result, path=output)
    m = result.manifest
    names = ", ".join(f"{who.name} ({format_key_id(kid)})" for kid, _pub, who in sealed_to)
    lines = t(
        "bundle.exported",
        path=str(result.path),
        events=m.events,
        blobs=len(m.evidence),
        cp=result.checkpoint.hash[:16],
    )
    if sealed_to:
        lines += "\n" + t("bundle.sealed_to", names=names)
    common.emit({**result.as_json(), "sealed_to": [kid for kid, _p, _w in sealed_to]}, lines)


@bundle_app.command("import", help=t("bundle.cli.import"))
def bundle_import(
    path: Annotated[Path, typer.Argument(help=t("bundle.cli.arg.file"))],
    trust: Annotated[list[str] | None, typer.Option("--trust", help=t("bundle.cli.opt.trust"))] = None,
    inspection: Annotated[
        str | None, typer.Option("--inspection", "-i", help=t("bundle.cli.opt.expect"))
    ] = None,
    key: KeyOpt = None,
) -> None:
    from gradesec.journal.keys import format_key_id
    from gradesec.journal.store import DB_NAME
    from gradesec.usecases import bundles
    from gradesec.usecases.context import open_context

    root = Path(common.OPTIONS.store_dir)
    fresh_dir = not root.exists()
    fresh_store = not (root / DB_NAME).exists()
    needs_key = bool(trust) or bundles.is_sealed(path)
    ctx = _writer(key) if needs_key else open_context(common.OPTIONS.store_dir, catalog_loader=common.catalog)
    try:
        with ctx, common.progress(bundles.bundle_size(path), t("bundle.progress.import")) as advance:
            result = bundles.import_(
                ctx, path, trust=trust or (), expect_inspection=inspection, progress=advance
            )
    except BaseException:
        if fresh_store:
            _remove_new_store(root, whole=fresh_dir)  # a refused import leaves no empty store behind
        raise

    def human() -> None:
        for kid in result.trusted:
            ident = result.trusted_identities.get(kid, {})
            common.echo(
                t(
                    "bundle.retrusted_identity" if kid in result.role_changes else "bundle.trusted_identity",
                    old=result.role_changes.get(kid, "") or "-",
                    key=format_key_id(kid),
                    name=ident.get("name", "") or "-",
                    role=ident.get("role", "") or "-",
                    org=ident.get("org", "") or "-",
                )
            )
        if result.witness is not None:
            common.echo(t("bundle.witness_kept", hash=result.witness["hash"][:16]))
        if result.noop:
            common.echo(t("bundle.noop"))
        else:
            common.echo(
                t(
                    "bundle.imported",
                    new=result.imported,
                    known=result.already,
                    blobs=result.blobs,
                    cps=result.checkpoints,
                )
            )

    common.emit(result.as_json(), human)


@bundle_app.command("verify", help=t("bundle.cli.verify"))
def bundle_verify(
    path: Annotated[Path, typer.Argument(help=t("bundle.cli.arg.file"))],
    trust: Annotated[list[str] | None, typer.Option("--trust", help=t("bundle.cli.opt.trust"))] = None,
    key: KeyOpt = None,
) -> None:
    from gradesec.cli.journal_cmd import load_signer
    from gradesec.journal.keys import format_key_id
    from gradesec.usecases import bundles

    opener = load_signer(key) if bundles.is_sealed(path) else None
    with _reader() as ctx, common.progress(bundles.bundle_size(path), t("bundle.progress.verify")) as advance:
        vb = bundles.verify(ctx, path, trust=trust or (), progress=advance, opener=opener)
    m = vb.manifest
    # The name shown is the one this store's owner accepted for the key; a name only claimed is marked so.
    accepted = {k.key_id: k.name for k in _trusted_names()}
    shown = accepted.get(m.exporter) or t("bundle.claimed_name", name=m.exporter_identity.get("name", ""))
    data = {
        "ok": True,
        "new_events": vb.new_count,
        "known_events": vb.known_events,
        "bundle": m.summary(),
    }
    common.emit(
        data,
        t(
            "bundle.verified",
            events=m.events,
            new=vb.new_count,
            blobs=len(m.evidence),
            name=shown,
            key=format_key_id(m.exporter),
        ),
    )
