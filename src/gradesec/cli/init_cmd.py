"""``gradesec init``: everything a new user needs before the first import or inspection — a key (made here
when there is none) and a store owned by it. Running it again changes nothing."""

from __future__ import annotations

from typing import Annotated

import typer

from gradesec.cli import common
from gradesec.i18n import t


def register(app: typer.Typer) -> None:
    app.command("init", help=t("init.cli.help"))(init)


def init(
    name: Annotated[str | None, typer.Option("--name", help=t("key.cli.opt.name"))] = None,
    role: Annotated[str | None, typer.Option("--role", help=t("key.cli.opt.role"))] = None,
    org: Annotated[str, typer.Option("--org", help=t("key.cli.opt.org"))] = "",
) -> None:
    from gradesec.errors import UsageError
    from gradesec.journal import keys
    from gradesec.journal.store import DB_NAME
    from gradesec.usecases.context import open_context

    root = common.OPTIONS.store_dir
    made_key = False
    if keys.list_keys():
        signer = keys.load_signer(keys.passphrase_from_env_or_prompt(confirm=False))
    else:
        if not name or not role:
            raise UsageError(t("init.error.need_identity"), t("init.error.need_identity.hint"))
        keys.check_identity(name, role)
        signer = keys.new_key(name, role, org, keys.passphrase_from_env_or_prompt(confirm=True))
        made_key = True
    existed = (root / DB_NAME).exists()
    with open_context(root, signer=signer, create=True):
        pass
    data = {
        "store": str(root),
        "store_created": not existed,
        "key_id": signer.key_id,
        "key_created": made_key,
        "name": signer.name,
        "role": signer.role,
    }
    lines = [
        t(
            "init.key_new" if made_key else "init.key_kept",
            key=keys.format_key_id(signer.key_id),
            name=signer.name,
        )
    ]
    lines.append(t("init.store_kept" if existed else "init.store_new", path=str(root)))
    lines.append(t("init.next"))
    common.emit(data, "\n".join(lines))
