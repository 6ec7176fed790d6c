"""What the main screens share: the session, the header and footer, and the feature screens' bindings."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.binding import Binding
from textual.message import Message

from gradesec.i18n import t
from gradesec.tui.messages import Failed
from gradesec.tui.registry import SCREENS, spec
from gradesec.tui.screens.boot import Startup
from gradesec.tui.session import Nav

if TYPE_CHECKING:
    from gradesec.tui.screens.export import ExportProgress, ExportRequest


def feature_bindings(show: bool = True) -> list[Binding]:
    """A binding per registered feature screen (its id is ``screen.<id>``, so users can remap it)."""
    return [
        Binding(s.key, f"open_feature('{s.id}')", s.title, id=s.binding_id, show=show and s.footer)
        for s in SCREENS
    ]


class MainScreen(Startup):
    """A full screen of the shell (home, workspace) from which feature screens open."""

    class ExportEnded(Message):
        """The export worker is done (its result or error has gone to the app)."""

    _export_progress: ExportProgress | None = None

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

    # Exporting the inspection's documents (the binding is on home and workspace, see screens/export.py)

    def export_name(self) -> str | None:
        """How the selected inspection is named in the export dialog (screens override)."""
        return None

    def action_export(self) -> None:
        inspection_id = self.nav().inspection_id
        if inspection_id is None:
            self.notify(t("tui.nav.need_inspection"), severity="warning")
            return
        if self._export_progress is not None:
            self.notify(t("tui.export.busy"), severity="warning")
            return
        from gradesec.tui.screens.export import ExportScreen

        self.app.push_screen(ExportScreen(inspection_id, self.export_name()), self._export_chosen)

    def _export_chosen(self, request: ExportRequest | None) -> None:
        if request is not None:
            self.start_export(request)

    def start_export(self, request: ExportRequest) -> None:
        """Run one export in a worker, with its progress window on top."""
        from gradesec.tui.screens.export import ExportProgress

        progress = ExportProgress(request)
        self._export_progress = progress
        self.app.push_screen(progress)
        self._export(request, progress)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def _export(self, request: ExportRequest, progress: ExportProgress) -> None:
        from gradesec.tui.screens.export import ExportProgress, run_export

        # The export is not cut short when this screen closes (its workers are cancelled then): the file the
        # user asked for is still written, and the result goes to the app, which outlives the screen.
        def advance(done: int, total: int) -> None:
            progress.post_message(ExportProgress.Advanced(done, total))

        try:
            result = run_export(self.ctx, request, advance)
        except Exception as exc:
            self.app.post_message(Failed(exc))
        else:
            key = "report.cli.written_pdf" if result.format == "pdf" else "report.cli.written_xlsx"
            self.app.notify(
                t(key, path=result.path, pages=result.pages, number=result.report_number),
                title=t("tui.export.done"),
                timeout=10,
                markup=False,  # a path may hold [brackets]
            )
        finally:
            progress.post_message(ExportProgress.Finished())
            self.post_message(self.ExportEnded())

    @on(ExportEnded)
    def _export_ended(self) -> None:
        self._export_progress = None
