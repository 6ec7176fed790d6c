"""State shared by all commands: the global options, output helpers, the catalog and store openers."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gradesec import paths

if TYPE_CHECKING:
    from gradesec.catalog.loader import Catalog


@dataclass
class Options:
    store: Path | None = None
    json: bool = False
    catalog_dirs: list[Path] = field(default_factory=list)

    @property
    def store_dir(self) -> Path:
        return self.store if self.store is not None else paths.default_store_dir()


OPTIONS = Options()
_catalog: Catalog | None = None


def reset() -> None:
    """Forget the options and cached catalog (tests call the CLI many times in one process)."""
    global _catalog
    OPTIONS.store = None
    OPTIONS.json = False
    OPTIONS.catalog_dirs = []
    _catalog = None


def catalog() -> Catalog:
    """The shipped catalog plus the user's extra folders, loaded and validated once per process."""
    global _catalog
    if _catalog is None:
        from gradesec.catalog.loader import load_catalog

        _catalog = load_catalog(extra_dirs=OPTIONS.catalog_dirs)
    return _catalog


def emit(data: Any, human: Callable[[], None] | str | None = None) -> None:
    """Print ``data`` as JSON under ``--json``, else run ``human`` (or print it, if it is a string)."""
    if OPTIONS.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
    elif callable(human):
        human()
    elif human is not None:
        print(human)


def echo(text: str = "") -> None:
    print(text)


def table(headers: list[str], rows: list[list[str]]) -> None:
    """A plain aligned text table; width counts CJK characters as two columns."""
    from gradesec.textwidth import pad, width

    widths = [width(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], width(cell))
    print("  ".join(pad(h, widths[i]) for i, h in enumerate(headers)).rstrip())
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(pad(c, widths[i]) for i, c in enumerate(row)).rstrip())


def _ignore(n: int = 1) -> None:
    return None


@contextmanager
def progress(total: int, label: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr for long operations (silent under --json or when stderr is not a terminal).

    Yields ``advance(n)``.
    """
    if OPTIONS.json or not sys.stderr.isatty() or total <= 0:
        yield _ignore
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=total)

        def advance(n: int = 1) -> None:
            bar.advance(task, n)

        yield advance
