"""The official report's fields, one chapter at a time: each field's text beside its generated draft, and what
the template still needs.

``[`` / ``]`` move between chapters, ``e`` edits the selected field (a form prefilled with its text or draft),
``a`` accepts the selected field's draft, ``A`` every draft of the chapter, ``t`` switches between the 2025
and 2021 templates. Reading goes through ``gradesec.usecases.report_fields`` in a thread worker; every change
is one signed ``report.field_set`` event written on the app's writer thread, after which the chapter reloads
from the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, Static

from gradesec.assess.report_fields import CHAPTERS, label_key
from gradesec.i18n import get_lang, t
from gradesec.tui.screens.form import Field, FormModal
from gradesec.tui.session import Nav
from gradesec.tui.widgets.footer import LocalFooter
from gradesec.tui.widgets.text import TLabel


class ReportEditorScreen(Screen[None]):
    """The report fields of the selected inspection, chapter by chapter."""

    CSS_PATH = "report_editor.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "tui.key.back", id="report.back"),
        Binding("right_square_bracket", "chapter(1)", "official.tui.next", id="report.next"),
        Binding("left_square_bracket", "chapter(-1)", "official.tui.previous", id="report.previous"),
        Binding("e", "edit", "official.tui.edit", id="report.edit"),
        Binding("a", "accept", "official.tui.accept", id="report.accept"),
        Binding("A", "accept_chapter", "official.tui.accept_all", id="report.accept_all"),
        Binding("t", "template", "official.tui.template", id="report.template"),
    ]

    @dataclass
    class Loaded(Message):
        model: Any

    def __init__(self, nav: Nav) -> None:
        super().__init__()
        self.nav = nav
        self.chapter = 0
        self.template = "2025"
        self.model: Any = None
        self.rows: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        with Vertical(id="report-editor"):
            yield Label("", id="report-completeness", markup=False)
            yield Label("", id="report-chapter", markup=False)
            yield DataTable(id="report-fields", cursor_type="row", zebra_stripes=True)
            with Horizontal(id="report-panes"):
                with Vertical(classes="report-pane"):
                    yield TLabel("official.tui.text", classes="section-title")
                    yield Static("", id="report-text", markup=False)
                with Vertical(classes="report-pane"):
                    yield TLabel("official.tui.draft", classes="section-title")
                    yield Static("", id="report-draft", markup=False)
        yield LocalFooter()

    @property
    def ctx(self) -> Any:
        return self.nav.session.ctx

    def on_mount(self) -> None:
        self.sub_title = t("official.tui.title")
        self.reload()

    # Reading

    def reload(self) -> None:
        if self.ctx is None or self.nav.inspection_id is None:
            self.query_one("#report-completeness", Label).update(t("official.tui.no_inspection"))
            return
        self._load(self.nav.inspection_id, self.template, get_lang())

    @work(thread=True, exclusive=True, exit_on_error=False, group="report-editor")
    def _load(self, inspection_id: str, template: str, lang: str) -> None:
        from gradesec.usecases.report_fields import report_model

        self.post_message(self.Loaded(report_model(self.ctx, inspection_id, lang, template)))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        self.model = event.model
        self.fill()

    def fill(self) -> None:
        model = self.model
        if model is None:
            return
        missing, drafts = len(model.missing()), len(model.drafts())
        summary = (
            t("official.cli.complete", template=self.template)
            if model.complete
            else t("official.tui.incomplete", template=self.template, missing=missing, drafts=drafts)
        )
        self.query_one("#report-completeness", Label).update(summary)
        name = CHAPTERS[self.chapter]
        self.query_one("#report-chapter", Label).update(
            f"{self.chapter + 1}/{len(CHAPTERS)}  {t('official.chapter.' + name)}"
        )
        table = self.query_one("#report-fields", DataTable)
        keep = table.cursor_row
        table.clear(columns=True)
        table.add_columns(
            t("official.cli.col.label"), t("official.cli.col.state"), t("official.cli.col.field")
        )
        self.rows = []
        for f in model.chapter(name):
            label = t(label_key(f.spec.pattern))
            state = t("official.status." + f.status) + (" *" if f.mandatory else "")
            table.add_row(label, state, f.path)
            self.rows.append(f.path)
        if self.rows:
            table.move_cursor(row=min(max(keep, 0), len(self.rows) - 1))
        self._show()

    def _selected(self) -> Any:
        table = self.query_one("#report-fields", DataTable)
        if self.model is None or not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.model.get(self.rows[table.cursor_row])

    @on(DataTable.RowHighlighted, "#report-fields")
    def _highlighted(self) -> None:
        self._show()

    def _show(self) -> None:
        f = self._selected()
        text = self.query_one("#report-text", Static)
        draft = self.query_one("#report-draft", Static)
        if f is None:
            text.update("")
            draft.update("")
            return
        written = f.text if f.status in ("set", "accepted") else t("official.status." + f.status)
        text.update(written)
        shown = ", ".join(f.draft) if isinstance(f.draft, list) else f.draft
        draft.update(shown or t("official.tui.no_draft"))

    # Actions

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_chapter(self, step: int) -> None:
        self.chapter = (self.chapter + step) % len(CHAPTERS)
        self.query_one("#report-fields", DataTable).move_cursor(row=0)
        self.fill()

    def action_template(self) -> None:
        self.template = "2021" if self.template == "2025" else "2025"
        self.reload()

    def _write(self, values: dict[str, object], origin: str) -> None:
        from gradesec.usecases.report_fields import set_report_fields

        ctx, inspection = self.ctx, self.nav.inspection_id
        if ctx is None or inspection is None or not values:
            return

        def work() -> Any:
            return set_report_fields(ctx, inspection, values, origin=origin)  # type: ignore[arg-type]

        def done(result: Any) -> None:
            self.notify(t("official.cli.written", n=len(result)))
            self.reload()

        self.app.writer.submit(self, work, done)  # type: ignore[attr-defined]

    def action_edit(self) -> None:
        f = self._selected()
        if f is None:
            return
        current = f.text if f.status != "missing" else ""
        kind: Literal["text", "area"] = "area" if f.spec.kind == "text" else "text"
        if f.spec.kind == "choice":
            choices = f.spec.choices

            def options() -> list[tuple[str, str]]:
                return [(t(f"official.choice.{c}"), c) for c in choices]

            field = Field("value", label_key(f.spec.pattern), kind="select", options=options, value=current)
        else:
            field = Field("value", label_key(f.spec.pattern), kind=kind, value=current)
        path = f.path
        self.app.push_screen(
            FormModal("official.tui.edit_title", [field], path=path),
            lambda v: self._write({path: v["value"]}, "inspector") if v is not None else None,
        )

    def action_accept(self) -> None:
        f = self._selected()
        if f is not None and f.status == "draft":
            self._write({f.path: f.draft}, "draft")

    def action_accept_chapter(self) -> None:
        if self.model is None:
            return
        values = {f.path: f.draft for f in self.model.chapter(CHAPTERS[self.chapter]) if f.status == "draft"}
        self._write(values, "draft")
