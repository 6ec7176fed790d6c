"""What the main screens share: the session, the header and footer, and the feature screens' bindings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import work
from textual.binding import Binding

from gradesec.i18n import t
from gradesec.tui.registry import SCREENS, spec
from gradesec.tui.screens.boot import Startup
from gradesec.tui.session import Nav


def feature_bindings(show: bool = True) -> list[Binding]:
    """A binding per registered feature screen (its id is ``screen.<id>``, so users can remap it)."""
    return [Binding(s.key, f"open_feature('{s.id}')", s.title, id=s.binding_id, show=show) for s in SCREENS]


class MainScreen(Startup):
    """A full screen of the shell (home, workspace) from which feature screens open."""

    @property
    def ctx(self) -> Any:
        return self.session.ctx

    def nav(self) -> Nav:
        """Where the user is; screens override it with their selection."""
        return Nav(self.session)

    def action_open_feature(self, screen_id: str) -> None:
        entry = spec(screen_id)
        nav = self.nav()
        if entry.needs == "inspection" and nav.inspection_id is None:
            self.notify(t("tui.nav.need_inspection"), severity="warning")
            return
        if entry.needs == "system" and nav.system_id is None:
            self.notify(t("tui.nav.need_system"), severity="warning")
            return
        self.app.push_screen(entry.load()(nav))

    def submit(self, work: Any, done: Any = None) -> None:
        """Run a signed write on the app's writer thread; ``done(result)`` runs here afterwards."""
        self.app.writer.submit(self, work, done)  # type: ignore[attr-defined]

    def with_catalog(self, then: Callable[[Any], object]) -> None:
        """Call ``then(catalog)`` on the UI thread once the catalog is loaded (it is read in a worker)."""
        if self.session.catalog is not None:
            then(self.session.catalog)
        else:
            self._load_catalog(then)

    @work(thread=True, exit_on_error=False, group="catalog")
    def _load_catalog(self, then: Callable[[Any], object] | None = None) -> None:
        catalog = self.ctx.catalog
        self.session.catalog = catalog
        if then is not None:
            self.app.call_from_thread(then, catalog)
