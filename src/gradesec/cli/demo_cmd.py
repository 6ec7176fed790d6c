"""``gradesec demo``: build a realistic sample store and open it in the TUI."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated

import typer

from gradesec.cli import common
from gradesec.errors import GradesecError
from gradesec.i18n import t


def register(app: typer.Typer) -> None:
    app.command("demo", help=t("demo.help"))(demo_cmd)


def demo_cmd(
    store: Annotated[Path | None, typer.Option("--store", help=t("demo.opt.store"))] = None,
    no_tui: Annotated[bool, typer.Option("--no-tui", help=t("demo.opt.no_tui"))] = False,
    reset: Annotated[bool, typer.Option("--reset", help=t("demo.opt.reset"))] = False,
) -> None:
    from gradesec import demo
    from gradesec.journal.store import DB_NAME

    store_dir = store or demo.default_demo_dir()
    exists = (store_dir / DB_NAME).exists()
    if exists and not demo.is_demo_store(store_dir):
        raise GradesecError(t("demo.not_demo", path=str(store_dir)), t("demo.not_demo.hint"))
    if exists and reset:
        shutil.rmtree(store_dir)
        exists = False
    signer = demo.demo_signer()
    if exists:
        inspection_id = demo.main_inspection(store_dir)
        built = False
    else:
        with common.progress(demo.plan_size(620), t("demo.building")) as advance:
            inspection_id = demo.build_demo(store_dir, progress=advance).inspection_id
        built = True
    demo.write_demo_key(signer, demo.demo_config_dir())
    data = {
        "store": str(store_dir),
        "config": str(demo.demo_config_dir()),
        "inspection": inspection_id,
        "built": built,
        "key_id": signer.key_id,
        "passphrase": demo.DEMO_PASSPHRASE,
    }
    if no_tui or common.OPTIONS.json:
        common.emit(
            data,
            t(
                "demo.ready",
                store=str(store_dir),
                config=str(demo.demo_config_dir()),
                passphrase=demo.DEMO_PASSPHRASE,
            ),
        )
        return
    from gradesec.cli import tui_launch

    tui_launch.open_tui(
        store_dir,
        demo=True,
        signer=signer,
        config_dir=demo.demo_config_dir(),
        open_inspection=inspection_id,
    )
