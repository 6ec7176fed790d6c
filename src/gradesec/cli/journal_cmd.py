"""``gradesec key new|list|export|trust`` and ``gradesec verify``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gradesec.cli import common
from gradesec.cli.options import ForceOpt
from gradesec.i18n import t

if TYPE_CHECKING:
    from gradesec.journal.keys import Identity, Signer
    from gradesec.journal.store import Store


def open_store() -> Store:
    """The store named by ``--store`` / ``GRADESEC_STORE`` / the default (a clear error if there is none)."""
    from gradesec.journal.store import Store

    return Store.open(common.OPTIONS.store_dir)


def load_signer(key_id: str | None = None) -> Signer:
    """Decrypt the user's key (``--key`` or the default), asking for the passphrase if needed."""
    from gradesec.journal import keys

    keys.find_key(key_id)  # say "no key" before asking for a passphrase
    return keys.load_signer(keys.passphrase_from_env_or_prompt(confirm=False), key_id)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root ``app``."""
    key_app = typer.Typer(name="key", help=t("key.cli.help"), no_args_is_help=True)
    app.add_typer(key_app, name="key")

    @key_app.command("new", help=t("key.cli.new"))
    def key_new(
        name: Annotated[str, typer.Option("--name", help=t("key.cli.opt.name"))],
        role: Annotated[str, typer.Option("--role", help=t("key.cli.opt.role"))],
        org: Annotated[str, typer.Option("--org", help=t("key.cli.opt.org"))] = "",
    ) -> None:
        from gradesec.journal import keys

        keys.check_identity(name, role)
        signer = keys.new_key(name, role, org, keys.passphrase_from_env_or_prompt(confirm=True))
        data = {"key_id": signer.key_id, **signer.identity.as_dict(), "public_key": signer.public_bytes.hex()}
        common.emit(
            data, t("key.created", key=keys.format_key_id(signer.key_id), name=signer.name, role=signer.role)
        )

    @key_app.command("list", help=t("key.cli.list"))
    def key_list() -> None:
        from gradesec.journal import keys

        found = keys.list_keys()

        def human() -> None:
            if not found:
                common.echo(t("key.list.empty"))
                return
            common.table(
                [
                    t("key.col.id"),
                    t("key.col.name"),
                    t("key.col.role"),
                    t("key.col.org"),
                    t("key.col.default"),
                ],
                [
                    [keys.format_key_id(k.key_id), k.name, k.role, k.org, "*" if k.default else ""]
                    for k in found
                ],
            )

        common.emit([k.as_dict() for k in found], human)

    @key_app.command("export", help=t("key.cli.export"))
    def key_export(
        output: Annotated[Path | None, typer.Option("-o", "--output", help=t("key.cli.opt.output"))] = None,
        key_id: Annotated[str | None, typer.Option("--key", help=t("key.cli.opt.key"))] = None,
        force: ForceOpt = False,
    ) -> None:
        from gradesec.journal import keys
        from gradesec.outputs import check_output, writing

        if output is not None:
            check_output(output, force=force)
        doc = keys.export_public(load_signer(key_id))
        text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
        if output is None:
            sys.stdout.write(text)
            return
        with writing(output, force=force) as tmp:
            tmp.write_text(text, encoding="utf-8")
        if not common.OPTIONS.json:
            sys.stderr.write(
                t("key.exported", key=keys.format_key_id(doc["key_id"]), path=str(output)) + "\n"
            )

    @key_app.command("trust", help=t("key.cli.trust"))
    def key_trust(source: Annotated[str, typer.Argument(help=t("key.cli.arg.trust"))]) -> None:
        from gradesec.errors import NotFoundError
        from gradesec.journal import keys

        store = open_store()
        with store:
            path = Path(source)
            if path.is_file():
                public = keys.read_public(path.read_bytes(), str(path))
                pub_bytes, identity = public.public_bytes, public.identity
            else:
                wanted = keys.normalise_key_id(source)
                found_bytes, found_identity = _find_public(store, wanted)
                if found_bytes is None or found_identity is None:
                    raise NotFoundError(t("key.trust.unknown", key=source), t("key.trust.unknown.hint"))
                pub_bytes, identity = found_bytes, found_identity
            owner = load_signer(store.owner)
            event = store.trust(owner, pub_bytes, identity)
            kid = keys.key_id_of(pub_bytes)
            common.emit(
                {"key_id": kid, **identity.as_dict(), "event": {"author": event.author, "seq": event.seq}},
                t("key.trusted", key=keys.format_key_id(kid), name=identity.name, role=identity.role),
            )

    @app.command("verify", help=t("verify.cli.help"))
    def verify(
        since_checkpoint: Annotated[
            bool, typer.Option("--since-checkpoint", help=t("verify.cli.opt.since_checkpoint"))
        ] = False,
        workers: Annotated[
            int | None, typer.Option("--workers", min=1, help=t("verify.cli.opt.workers"))
        ] = None,
    ) -> None:
        store = open_store()
        with store:
            total = int(store.connection.execute("SELECT COALESCE(MAX(id), 0) FROM events").fetchone()[0])
            total += len(store.evidence.blobs())
            with common.progress(total, t("verify.progress")) as advance:
                report = store.verify(progress=advance, workers=workers, since_checkpoint=since_checkpoint)

        def human() -> None:
            for problem in report.problems:
                common.echo(problem.line())
            if report.ok:
                common.echo(
                    t(
                        "verify.ok_partial" if report.partial else "verify.ok",
                        events=report.events,
                        authors=report.authors,
                        checkpoints=report.checkpoints,
                        blobs=report.blobs,
                    )
                )
            else:
                common.echo(t("verify.failed", n=len(report.problems)))

        common.emit(report.as_dict(), human)
        if not report.ok:
            raise typer.Exit(1)


def _find_public(store: Store, wanted: str) -> tuple[bytes | None, Identity | None]:
    """A key by id (prefix) from this machine's keys, or from identities already in the store."""
    from gradesec.journal import keys

    for info in keys.list_keys():
        if wanted and info.key_id.startswith(wanted):
            return bytes.fromhex(info.public_key), keys.Identity(info.name, info.role, info.org)
    for kid, identity in store.known_identities().items():
        if wanted and kid.startswith(wanted):
            return store.public_key_of(kid), identity
    return None, None
