"""The typer application: the root options and every command group.

Each command group lives in its own module and adds itself with ``register(app)``. Heavy libraries (Textual,
SQLModel, reportlab) are imported inside the commands that need them, so ``gradesec --help`` stays quick.
Help texts are chosen when this module is imported, which ``gradesec.cli.run`` does after reading ``--lang``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from gradesec import i18n
from gradesec.cli import common
from gradesec.errors import UsageError
from gradesec.i18n import t

app = typer.Typer(
    name="gradesec",
    help=t("cli.help"),
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        from gradesec import __version__

        print(t("cli.version", version=__version__, python=sys.version.split()[0]))
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    store: Annotated[
        Path | None, typer.Option("--store", help=t("cli.opt.store"), envvar="GRADESEC_STORE")
    ] = None,
    lang: Annotated[str | None, typer.Option("--lang", help=t("cli.opt.lang"))] = None,
    json_out: Annotated[bool, typer.Option("--json", help=t("cli.opt.json"))] = False,
    catalog_dirs: Annotated[list[Path] | None, typer.Option("--catalog", help=t("cli.opt.catalog"))] = None,
    version: Annotated[
        bool, typer.Option("--version", help=t("cli.opt.version"), is_eager=True, callback=_show_version)
    ] = False,
) -> None:
    if lang is not None:
        try:
            i18n.set_lang(lang)
        except ValueError:
            raise UsageError(t("error.bad_lang", lang=lang), t("error.bad_lang.hint")) from None
    common.OPTIONS.store = store
    common.OPTIONS.json = common.OPTIONS.json or json_out
    extra = list(catalog_dirs or [])
    env_dirs = os.environ.get("GRADESEC_CATALOG", "")
    extra += [Path(p) for p in env_dirs.split(os.pathsep) if p]
    common.OPTIONS.catalog_dirs = extra
    from gradesec.permissions import store_warnings

    for line in store_warnings(common.OPTIONS.store_dir):
        sys.stderr.write(line + "\n")
    if ctx.invoked_subcommand is None:
        from gradesec.cli import tui_launch

        tui_launch.open_tui(common.OPTIONS.store_dir, demo=False)


def _register_all() -> None:
    from gradesec.cli import (
        bundle_cmd,
        catalog_cmd,
        correct_cmd,
        demo_cmd,
        drill_cmd,
        finding_cmd,
        hub_cmd,
        init_cmd,
        inspect_cmd,
        inventory_cmd,
        journal_cmd,
        judge_cmd,
        remedy_cmd,
        report_cmd,
    )

    modules = (
        catalog_cmd,
        journal_cmd,
        init_cmd,
        inventory_cmd,
        inspect_cmd,
        finding_cmd,
        judge_cmd,
        correct_cmd,
        report_cmd,
        remedy_cmd,
        bundle_cmd,
        drill_cmd,
        demo_cmd,
        hub_cmd,
    )
    for module in modules:
        module.register(app)


_register_all()
