"""The ``gradesec`` command line (typer).

Each command group lives in its own module and adds itself with ``register(app)``. Heavy libraries (Textual,
SQLModel, reportlab) are imported inside the commands that need them, so ``gradesec --help`` stays quick.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer

from gradesec import i18n
from gradesec.cli import common
from gradesec.errors import GradesecError, UsageError
from gradesec.i18n import t

app = typer.Typer(
    name="gradesec",
    help=t("cli.help"),
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    store: Annotated[
        Path | None, typer.Option("--store", help=t("cli.opt.store"), envvar="GRADESEC_STORE")
    ] = None,
    lang: Annotated[str | None, typer.Option("--lang", help=t("cli.opt.lang"))] = None,
    json_out: Annotated[bool, typer.Option("--json", help=t("cli.opt.json"))] = False,
    catalog_dirs: Annotated[list[Path] | None, typer.Option("--catalog", help=t("cli.opt.catalog"))] = None,
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
    if ctx.invoked_subcommand is None:
        from gradesec.cli import tui_launch

        tui_launch.open_tui(common.OPTIONS.store_dir, demo=False)


def _register_all() -> None:
    from gradesec.cli import (
        catalog_cmd,
        demo_cmd,
        drill_cmd,
        inspect_cmd,
        journal_cmd,
        remedy_cmd,
        report_cmd,
    )

    for module in (catalog_cmd, journal_cmd, inspect_cmd, report_cmd, remedy_cmd, drill_cmd, demo_cmd):
        module.register(app)


_register_all()


def _hoist_json(argv: list[str]) -> list[str]:
    """Accept ``--json`` anywhere on the line (before ``--``), as a global option."""
    out: list[str] = []
    rest: list[str] = []
    for i, arg in enumerate(argv):
        if arg == "--":
            rest = argv[i:]
            break
        if arg == "--json":
            common.OPTIONS.json = True
            continue
        out.append(arg)
    return out + rest


def _print_error(err: GradesecError) -> None:
    sys.stderr.write(f"{t('error.prefix')}: {err.message}\n")
    if err.hint:
        sys.stderr.write(f"{t('error.hint_prefix')}: {err.hint}\n")
    problems = getattr(err, "problems", None)
    if problems:
        for line in problems:
            sys.stderr.write(f"  {line}\n")


def run(argv: list[str]) -> int:
    """Run the command line with ``argv`` (without the program name); return the exit code."""
    common.reset()
    args = _hoist_json(list(argv))
    try:
        # Standalone mode: typer prints usage errors itself and exits 2 through SystemExit.
        app(args=args, prog_name="gradesec", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except GradesecError as err:
        _print_error(err)
        return err.exit_code
    except KeyboardInterrupt:
        sys.stderr.write(t("error.interrupted") + "\n")
        return 130
    except OSError as exc:
        import errno

        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            _print_error(GradesecError(t("error.disk_full"), t("error.disk_full.hint")))
            return 1
        return _unexpected(exc)
    except Exception as exc:  # a bug: say so in one sentence, traceback only on request
        return _unexpected(exc)
    return 0


def _unexpected(exc: BaseException) -> int:
    if os.environ.get("GRADESEC_DEBUG"):
        traceback.print_exc()
    _print_error(
        GradesecError(
            t("error.unexpected", detail=f"{type(exc).__name__}: {exc}"), t("error.unexpected.hint")
        )
    )
    return 1


def main() -> None:
    sys.exit(run(sys.argv[1:]))
