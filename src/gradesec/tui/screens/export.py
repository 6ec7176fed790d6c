"""Exporting an inspection's documents: the options modal and the progress window.

``ExportScreen`` only gathers the options (document, format, language, output file) and returns an
``ExportRequest``; the main screen that opened it runs ``report.export`` in a worker (``MainScreen._export``)
and shows its progress in ``ExportProgress``. Hiding the progress window leaves the export running; the
result is a notification either way.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, ProgressBar, Select, Static

from gradesec.errors import GradesecError
from gradesec.i18n import get_lang, t
from gradesec.tui.screens.finding_forms import PathSuggester
from gradesec.tui.widgets.text import TButton, TLabel, TStatic

if TYPE_CHECKING:
    from gradesec.report import ExportResult, Progress

KINDS = ("inspection", "plan")
FORMATS = ("pdf", "xlsx")
LANGS = ("zh", "en")


@dataclass(frozen=True)
class ExportRequest:
    """What to export and where (``path`` has ``~`` expanded and is absolute)."""

    inspection_id: str
    kind: str  # inspection | plan
    fmt: str  # pdf | xlsx
    lang: str  # zh | en
    path: Path


def default_path(inspection_id: str, kind: str, fmt: str) -> str:
    """The suggested output file, shown with ``~`` so that it stays short in the input."""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in inspection_id)
    return f"~{os.sep}gradesec-{safe}-{kind}.{fmt}"


def check_path(text: str, fmt: str) -> tuple[Path | None, str | None, dict[str, str]]:
    """The absolute output path, or an error message key with its fields. Reads the disk: call it in a thread.

    The file's folder need not exist (the export creates it) but the nearest existing folder above it must be a
    folder we can write into, and the extension must match the format.
    """
    raw = text.strip()
    if not raw:
        return None, "tui.export.need_path", {}
    path = Path(os.path.expanduser(raw))
    if not path.is_absolute():
        path = Path.cwd() / path
    if path.suffix.lower() != f".{fmt}":
        return None, "tui.export.bad_ext", {"ext": f".{fmt}"}
    if path.is_dir():
        return None, "tui.export.is_folder", {"path": str(path)}
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        return None, "tui.export.bad_folder", {"folder": str(folder)}
    if not os.access(folder, os.W_OK | os.X_OK):
        return None, "tui.export.not_writable", {"folder": str(folder)}
    return path, None, {}


def run_export(ctx: Any, request: ExportRequest, progress: Progress) -> ExportResult:
    """Build the document (in a worker thread). Failures to write the file become a ``GradesecError``."""
    from gradesec import report

    try:
        return report.export(
            ctx,
            request.kind,
            request.inspection_id,
            request.fmt,
            request.lang,
            request.path,
            progress=progress,
        )
    except OSError as exc:
        # The folder vanished or became unwritable after the form checked it, the disk is full, …
        raise GradesecError(
            t("tui.export.write_failed", path=str(request.path), detail=exc.strerror or str(exc)),
            t("tui.export.write_failed.hint"),
        ) from exc


def _options(prefix: str, values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(t(f"{prefix}.{value}"), value) for value in values]


class ExportScreen(ModalScreen[ExportRequest | None]):
    """Choose the document, format, language and file; returns an ``ExportRequest`` or None (cancelled)."""

    CSS_PATH = "export.tcss"
    AUTO_FOCUS = "#export-path"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "tui.key.cancel", id="export.cancel"),
        Binding("ctrl+s", "submit", "tui.key.export", id="export.submit"),
    ]

    def __init__(self, inspection_id: str, name: str | None = None) -> None:
        super().__init__()
        self.inspection_id = inspection_id
        self.name_shown = name or inspection_id
        self._suggested = default_path(inspection_id, "inspection", "pdf")
        self._checking = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog form-dialog", id="export-dialog"):
            yield TLabel("tui.export.title", classes="dialog-title", inspection=self.name_shown)
            yield TLabel("tui.export.kind")
            yield Select(
                _options("tui.export.kind", KINDS),
                value="inspection",
                allow_blank=False,
                id="export-kind",
                compact=True,
            )
            with Horizontal(id="export-row"):
                with Vertical():
                    yield TLabel("tui.export.format")
                    yield Select(
                        _options("tui.export.format", FORMATS),
                        value="pdf",
                        allow_blank=False,
                        id="export-format",
                        compact=True,
                    )
                with Vertical():
                    yield TLabel("tui.export.lang")
                    yield Select(
                        _options("tui.export.lang", LANGS),
                        value=get_lang(),
                        allow_blank=False,
                        id="export-lang",
                        compact=True,
                    )
            yield TLabel("tui.export.path")
            yield Input(self._suggested, suggester=PathSuggester(), id="export-path", compact=True)
            # Static, not Label: these wrap (long paths, the document's description).
            yield Static("", id="form-hint", classes="hint", markup=False)
            yield Static("", id="form-error", classes="form-error", markup=False)
            with Horizontal(classes="buttons"):
                yield TButton("tui.button.cancel", id="cancel", compact=True)
                yield TButton("tui.button.export", id="submit", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.show_hint()

    def choice(self, name: str) -> str:
        value = self.query_one(f"#export-{name}", Select).value
        return "" if value is Select.NULL else str(value)

    @property
    def path_input(self) -> Input:
        return self.query_one("#export-path", Input)

    def show_hint(self) -> None:
        kind, fmt = self.choice("kind"), self.choice("format")
        hint = t(f"tui.export.what.{kind}.{fmt}") + "\n" + t("tui.export.replaces")
        self.query_one("#form-hint", Static).update(hint)

    @on(Select.Changed)
    def _choice_changed(self) -> None:
        if not self.is_mounted:
            return
        kind, fmt = self.choice("kind"), self.choice("format")
        current = self.path_input.value
        suggestion = default_path(self.inspection_id, kind, fmt)
        if current == self._suggested:
            # Still our suggestion: follow the choices.
            self.path_input.value = suggestion
        else:
            # The user's own name: keep it, but give it the extension of the chosen format.
            stem, ext = os.path.splitext(current)
            if ext.lower() in {f".{f}" for f in FORMATS} and ext.lower() != f".{fmt}":
                self.path_input.value = f"{stem}.{fmt}"
        self._suggested = suggestion
        self.query_one("#form-error", Static).update("")
        self.show_hint()

    @on(Input.Changed, "#export-path")
    def _path_changed(self) -> None:
        self.query_one("#form-error", Static).update("")

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#submit")
    async def _submit(self) -> None:
        await self.action_submit()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if not self._checking:
            self.dismiss(None)

    async def action_submit(self) -> None:
        if self._checking:
            return
        kind, fmt, lang = self.choice("kind"), self.choice("format"), self.choice("lang")
        self._checking = True
        try:
            # The check stats the disk: in a thread, as everything that touches it.
            path, problem, fields = await asyncio.to_thread(check_path, self.path_input.value, fmt)
        finally:
            self._checking = False
        if path is None:
            self.query_one("#form-error", Static).update(t(problem or "tui.export.need_path", **fields))
            return
        self.dismiss(ExportRequest(self.inspection_id, kind, fmt, lang, path))

    def relabel(self) -> None:
        for name, values in (("kind", KINDS), ("format", FORMATS), ("lang", LANGS)):
            select = self.query_one(f"#export-{name}", Select)
            value = select.value
            with self.prevent(Select.Changed):
                select.set_options(_options(f"tui.export.{name}", values))
                select.value = value
        self.show_hint()


class ExportProgress(ModalScreen[None]):
    """The progress of one export; Escape hides it (the export carries on and reports when done)."""

    CSS_PATH = "export.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "tui.key.hide", id="export.hide"),
    ]

    @dataclass
    class Advanced(Message):
        done: int
        total: int

    class Finished(Message):
        """The export is over (its result or error is a notification): the window closes."""

    def __init__(self, request: ExportRequest) -> None:
        super().__init__()
        self.request = request
        self.finished = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="export-progress-box"):
            yield TLabel(f"tui.export.running.{self.request.kind}", classes="dialog-title")
            yield Label(str(self.request.path), markup=False, id="export-target")
            yield ProgressBar(total=100, show_eta=False, id="export-progress")
            yield TStatic("tui.export.hide_hint", classes="hint")

    @on(Advanced)
    def _advanced(self, event: Advanced) -> None:
        self.query_one(ProgressBar).update(total=max(event.total, 1), progress=event.done)

    @on(Finished)
    def _finished(self) -> None:
        self.finished = True
        if self.app.screen is self:
            self.dismiss()

    def on_screen_resume(self) -> None:
        # Finished while another modal (the help) was on top: close once back on top.
        if self.finished:
            self.dismiss()
