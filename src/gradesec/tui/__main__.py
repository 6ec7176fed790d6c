"""``python -m gradesec.tui [--store DIR] [--lang zh|en]``: the TUI without the command-line layer.

``gradesec`` (no command) does the same through typer; this entry skips typer and the command modules, which
is measurably quicker to start (see docs/performance.md, "Terminal UI").
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gradesec.tui")
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--lang", choices=("zh", "en"), default=None)
    args = parser.parse_args(argv)
    from gradesec import i18n, paths
    from gradesec.errors import GradesecError
    from gradesec.tui.app import run_app
    from gradesec.tui.session import Launch

    if args.lang:
        i18n.set_lang(args.lang)
    try:
        run_app(Launch(store_dir=args.store or paths.default_store_dir()))
    except GradesecError as err:
        sys.stderr.write(err.diagnostics() + "\n")
        return err.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
