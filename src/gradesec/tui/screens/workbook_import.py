"""Importing a record workbook (测评记录表) into the open inspection, from the workspace (key ``w``, palette).

The flow: pick the file (the evidence dialog's file picker); the workbook is mapped without writing anything
(the importer's ``check``); sheets that match no object of the inspection are listed with the kind gradesec
guesses from each name, in a Select the person may change; on confirm the assets are made and the rows
recorded in the same call as ``gradesec finding import --create-assets``. Cancelling at any step writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select

from gradesec.i18n import t
from gradesec.tui.screens.finding_forms import FilePicker
from gradesec.tui.widgets.text import TButton, TLabel

if TYPE_CHECKING:
    from gradesec.report.workbook.importer import ImportResult
    from gradesec.report.workbook.mapper import SheetSummary
    from gradesec.tui.screens.base import MainScreen


class NewSheetsModal(ModalScreen[dict[str, str] | None]):
    """The sheets that match no object: one row each (sheet name, rows, a Select of the kind to make)."""

    AUTO_FOCUS = "#wb-sheets Select"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "tui.key.cancel", id="wbimport.cancel"),
        Binding("ctrl+s", "confirm", "workbook.tui.create", id="wbimport.confirm"),
    ]

    def __init__(self, sheets: Sequence[SheetSummary], kinds: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.sheets = list(sheets)
        self.kinds = list(kinds)

    def compose(self) -> ComposeResult:
        known = {k for _label, k in self.kinds}
        with Vertical(classes="dialog", id="wb-new-box"):
            yield TLabel("workbook.tui.new_title", classes="dialog-title", n=len(self.sheets))
            yield TLabel("workbook.tui.new_hint", classes="hint")
            with VerticalScroll(id="wb-sheets"):
                for n, sheet in enumerate(self.sheets):
                    with Horizontal(classes="wb-sheet"):
                        yield Label(
                            t("workbook.tui.sheet_line", sheet=sheet.name, rows=sheet.rows),
                            classes="wb-sheet-name",
                            markup=False,
                        )
                        guess = sheet.guessed_kind if sheet.guessed_kind in known else self.kinds[0][1]
                        yield Select(
                            self.kinds, value=guess, allow_blank=False, id=f"wb-kind-{n}", compact=True
                        )
            with Horizontal(classes="buttons"):
                yield TButton("tui.button.cancel", id="cancel", compact=True)
                yield TButton("workbook.tui.create", id="confirm", variant="primary", compact=True)

    def chosen(self) -> dict[str, str]:
        return {
            sheet.name: str(self.query_one(f"#wb-kind-{n}", Select).value)
            for n, sheet in enumerate(self.sheets)
        }

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        self.dismiss(self.chosen())


def unmatched_sheets(result: ImportResult) -> list[SheetSummary]:
    """The sheets of a checked workbook that match no object but hold rows (assets to make)."""
    return [s for s in result.summary if s.asset_id is None and s.rows and s.guessed_kind]


def kind_options(catalog: Any) -> list[tuple[str, str]]:
    """(name in the current language, id) of every object kind of the catalog."""
    from gradesec.i18n import get_lang

    lang = get_lang()
    return [(k.name.en if lang == "en" else k.name.zh, k.id) for k in catalog.object_kinds.values()]


class WorkbookImport:
    """Runs the flow for ``screen`` (a main screen with the session's context); ``done()`` is called after a
    successful import (the workspace reloads its model)."""

    def __init__(self, screen: MainScreen, inspection_id: str, done: Callable[[], object]) -> None:
        self.screen = screen
        self.inspection_id = inspection_id
        self.done = done
        self.path: Path | None = None

    def start(self, folder: Path | None = None) -> None:
        self.screen.app.push_screen(
            FilePicker(folder or Path.cwd(), title="workbook.tui.pick_title"), self._picked
        )

    def _picked(self, path: Path | None) -> None:
        if path is None:
            return
        self.path = path
        self.screen.notify(t("workbook.tui.reading", path=path.name), markup=False)
        self.screen.run_worker(
            partial(_check, self.screen, self), thread=True, group="workbook-check", exit_on_error=False
        )

    def checked(self, result: ImportResult) -> None:
        new = unmatched_sheets(result)
        if not new:
            self._run({})
            return
        options = kind_options(self.screen.ctx.catalog)

        def confirmed(kinds: dict[str, str] | None) -> None:
            if kinds is not None:
                self._run(kinds)

        self.screen.app.push_screen(NewSheetsModal(new, options), confirmed)

    def _run(self, kinds: dict[str, str]) -> None:
        from gradesec import report

        ctx, insp, path = self.screen.ctx, self.inspection_id, self.path
        assert path is not None

        def work() -> ImportResult:
            return report.import_workbook(ctx, insp, path, create_assets=bool(kinds), kinds=kinds)

        self.screen.submit(work, self._imported)

    def _imported(self, result: ImportResult) -> None:
        self.screen.notify(
            t(
                "workbook.tui.imported",
                recorded=result.recorded,
                unchanged=result.unchanged,
                created=len(result.created),
                skipped=sum(sum(s.skipped.values()) for s in result.summary),
            ),
            markup=False,
        )
        self.done()


def _check(screen: MainScreen, flow: WorkbookImport) -> None:
    """Map the workbook in a worker (nothing written); errors go to the app like any other."""
    from gradesec import report
    from gradesec.errors import GradesecError

    assert flow.path is not None
    try:
        result = report.import_workbook(screen.ctx, flow.inspection_id, flow.path, check=True)
    except GradesecError as err:
        text = err.message + (f"\n{err.hint}" if err.hint else "")
        screen.app.call_from_thread(screen.notify, text, severity="error", markup=False)
        return
    screen.app.call_from_thread(flow.checked, result)
