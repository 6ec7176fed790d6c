"""The ``gradesec`` command line.

``run`` reads the options that shape everything else (``--json`` and ``--lang``, accepted anywhere on the line)
before the typer application in ``gradesec.cli.app`` is imported, so help texts come out in the chosen
language. Errors become one sentence and a hint on stderr with exit code 1 (2 for usage), never a traceback.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable

from gradesec import i18n
from gradesec.cli import common
from gradesec.errors import GradesecError, UsageError
from gradesec.i18n import t


def _hoist_global(argv: list[str]) -> list[str]:
    """Take ``--json`` and ``--lang X`` from anywhere on the line (before ``--``) as global options."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            out += argv[i:]
            break
        if arg == "--json":
            common.OPTIONS.json = True
        elif arg == "--lang" and i + 1 < len(argv):
            _set_lang(argv[i + 1])
            i += 1
        elif arg.startswith("--lang="):
            _set_lang(arg.split("=", 1)[1])
        else:
            out.append(arg)
        i += 1
    return out


def _set_lang(value: str) -> None:
    try:
        i18n.set_lang(value)
    except ValueError:
        raise UsageError(t("error.bad_lang", lang=value), t("error.bad_lang.hint")) from None


def _only_store_options(args: list[str]) -> bool:
    """True when the line holds nothing but ``--store DIR`` / ``--catalog DIR`` (so: open the TUI)."""
    i = 0
    while i < len(args):
        if args[i] in ("--store", "--catalog") and i + 1 < len(args):
            i += 2
        else:
            return False
    return True


def _open_tui_directly(args: list[str]) -> int:
    from pathlib import Path

    from gradesec.cli import tui_launch

    for flag, value in zip(args[::2], args[1::2], strict=True):
        if flag == "--store":
            common.OPTIONS.store = Path(value)
        else:
            common.OPTIONS.catalog_dirs.append(Path(value))
    env_dirs = os.environ.get("GRADESEC_CATALOG", "")
    common.OPTIONS.catalog_dirs += [Path(p) for p in env_dirs.split(os.pathsep) if p]
    tui_launch.open_tui(common.OPTIONS.store_dir, demo=False)
    return 0


def _print_error(err: GradesecError) -> None:
    sys.stderr.write(t("error.line", message=err.message) + "\n")
    if err.hint:
        sys.stderr.write(t("error.hint_line", hint=err.hint) + "\n")
    problems = getattr(err, "problems", None)
    if problems:
        for line in problems:
            sys.stderr.write(f"  {line}\n")


@functools.cache
def _command() -> Callable[..., object]:
    """The click command typer builds from the application, built once per process (building it inspects
    every command's signature: about a third of a second; the help texts were fixed when ``app`` was
    imported, so a second build would give the same command)."""
    import typer

    from gradesec.cli.app import app

    return typer.main.get_command(app)


def run(argv: list[str]) -> int:
    """Run the command line with ``argv`` (without the program name); return the exit code."""
    common.reset()
    try:
        args = _hoist_global(list(argv))
        if _only_store_options(args):
            # Bare ``gradesec``: open the TUI without building the typer application (start-up time).
            return _open_tui_directly(args)
        from gradesec.cli import frame

        command = _command()
        frame.localise(command)
        # Standalone mode: typer prints usage errors itself and exits 2 through SystemExit.
        command(args=args, prog_name="gradesec", standalone_mode=True)
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
        import traceback

        traceback.print_exc()
    _print_error(
        GradesecError(
            t("error.unexpected", detail=f"{type(exc).__name__}: {exc}"), t("error.unexpected.hint")
        )
    )
    return 1


def main() -> None:
    sys.exit(run(sys.argv[1:]))
