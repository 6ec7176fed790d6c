"""What the TUI knows about the user's session: where the store is, who is signing, where they are.

Headless (no Textual) so that it can be built and tested without a terminal. The open use-case context is
created in a worker thread and kept here; screens read it through ``app.session``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gradesec.journal.clock import Clock
    from gradesec.journal.keys import Signer


@dataclass
class Launch:
    """How the TUI was started (from ``gradesec``, ``gradesec demo`` or a test)."""

    store_dir: Path
    config_dir: Path | None = None  # where keys live; None: the user's config dir
    signer: Signer | None = None  # already unlocked (the demo, tests)
    clock: Clock | None = None  # frozen in tests and the demo
    catalog_dirs: list[Path] = field(default_factory=list)
    open_inspection: str | None = None  # go straight to this inspection's workspace
    theme: str | None = None
    demo: bool = False
    steady_cursor: bool = False  # no blinking cursor (snapshots)


@dataclass
class Session:
    """The unlocked identity and the open store, shared by every screen."""

    launch: Launch
    signer: Signer | None = None
    ctx: Any = None  # gradesec.usecases.context.Context once the store is open
    catalog: Any = None  # the loaded Catalog, once a worker has read it (never parsed on the UI thread)
    # The policy the user scores each inspection with (the workspace's policy switch); home and workspace
    # both score with it, so they show the same conclusion. Absent: the inspection's own policy.
    policies: dict[str, str] = field(default_factory=dict)

    @property
    def store_dir(self) -> Path:
        return self.launch.store_dir

    @property
    def ready(self) -> bool:
        return self.signer is not None and self.ctx is not None


@dataclass(frozen=True)
class Nav:
    """Where the user is: what a feature screen is opened on."""

    session: Session
    unit_id: str | None = None
    system_id: str | None = None
    inspection_id: str | None = None


def open_context(session: Session, signer: Signer) -> Any:
    """Open (or, on the first run, create) the store for ``signer``; called in a worker thread."""
    from gradesec.usecases.context import open_context as open_ctx

    launch = session.launch
    dirs = list(launch.catalog_dirs)

    def load() -> Any:
        from gradesec.catalog.loader import load_catalog

        return load_catalog(extra_dirs=dirs)

    # The catalog is read later, in a worker (see MainScreen.with_catalog): the home screen needs none of it.
    return open_ctx(launch.store_dir, signer=signer, create=True, clock=launch.clock, catalog_loader=load)
