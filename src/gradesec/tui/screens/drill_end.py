"""Ending a drill from the drill screen, and its after-action report.

Closing is final (the drill is scored and its gaps become improvements), so it is asked first, with what is
still unreleased or unmarked; the report is a PDF built in a thread worker, language and file chosen in a
dialog.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from gradesec.i18n import get_lang, t
from gradesec.tui.screens import drill_render as render

if TYPE_CHECKING:
    from gradesec.tui.screens.drill import DrillScreen


def confirm_close(screen: DrillScreen) -> None:
    from gradesec.tui.screens.confirm import ConfirmModal

    assert screen.loaded is not None
    lines = render.close_lines(screen.loaded)
    title = screen.loaded.title.get(get_lang()) or screen.loaded.record.id

    def answered(yes: bool | None) -> None:
        if yes:
            close(screen)

    screen.app.push_screen(
        ConfirmModal("drill.tui.confirm.title", lines, "drill.tui.confirm.button", warn=True, name=title),
        answered,
    )


def close(screen: DrillScreen) -> None:
    if not screen.live() or screen.clock is None or screen.loaded is None:
        return
    from gradesec.usecases import drills

    ctx, drill_id = screen.ctx, screen.loaded.record.id
    now = max(screen.drill_now(), screen.loaded.record.last_elapsed_ms())
    screen.clock.pause()

    def closed(result: Any) -> None:
        screen.reload()
        screen.notify(t("drill.tui.closed", n=len(result)), timeout=6)

    screen.submit(lambda: drills.close_drill(ctx, drill_id, now), closed)


def export_report(screen: DrillScreen, drill_id: str) -> None:
    from gradesec.tui.screens.doc_export import DocExportForm

    def chosen(values: dict[str, str] | None) -> None:
        if values:
            path = Path(values["path"])
            screen.notify(t("drill.tui.exporting", path=str(path)), markup=False)
            screen.run_worker(
                lambda: _build(screen, drill_id, path, values["lang"]),
                thread=True,
                exclusive=True,
                exit_on_error=False,
                group="drill-export",
            )

    screen.app.push_screen(
        DocExportForm("officer.drill.export_title", f"gradesec-{drill_id}-aar", ("pdf",), subject=drill_id),
        chosen,
    )


def _build(screen: DrillScreen, drill_id: str, path: Path, lang: str) -> None:
    """In the worker thread: the report's data from the store, then the PDF."""
    from gradesec.report.aar import build_aar
    from gradesec.usecases import drills

    data = drills.report_data(screen.ctx.store, screen.ctx.catalog, drill_id)
    pages = build_aar(data, path, lang)
    screen.app.call_from_thread(
        screen.app.notify,
        t("drill.tui.exported", path=str(path), pages=pages),
        title=t("tui.export.done"),
        timeout=10,
        markup=False,
    )
