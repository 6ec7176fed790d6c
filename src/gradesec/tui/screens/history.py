"""Every revision of one finding (item × asset), oldest first, with who recorded it and when."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable

from gradesec.i18n import t
from gradesec.localtime import local_time
from gradesec.textwidth import clip
from gradesec.tui.widgets.text import TLabel

if TYPE_CHECKING:
    from gradesec.assess.model import Finding
    from gradesec.journal.keys import Identity


class HistoryScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,h,q", "dismiss", "tui.key.close", id="history.close")
    ]

    @dataclass
    class Loaded(Message):
        revisions: list[Finding]
        names: dict[str, Identity]

    def __init__(self, ctx: Any, inspection_id: str, item_id: str, asset_id: str, asset_name: str) -> None:
        super().__init__()
        self.ctx = ctx
        self.inspection_id, self.item_id, self.asset_id = inspection_id, item_id, asset_id
        self.asset_name = asset_name
        self.revisions: list[Finding] = []
        self.names: dict[str, Identity] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="history-box"):
            yield TLabel(
                "tui.history.title", classes="dialog-title", item=self.item_id, asset=self.asset_name
            )
            yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="history")
    def _load(self) -> None:
        from gradesec.usecases.inspections import finding_history

        revisions = finding_history(self.ctx, self.inspection_id, self.item_id, self.asset_id)
        self.post_message(self.Loaded(revisions, self.ctx.store.known_identities()))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        self.revisions, self.names = event.revisions, event.names
        self.fill()

    def fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_columns(
            "#",
            t("tui.history.at"),
            t("tui.history.author"),
            t("tui.grid.result"),
            t("tui.finding.method"),
            t("tui.grid.note"),
            t("tui.grid.evidence"),
        )
        for f in self.revisions:
            who = self.names.get(f.author)
            table.add_row(
                str(f.revision),
                local_time(f.at, seconds=True),
                who.name if who else f.author[:8],
                t(f"tui.result.{f.result}"),
                t(f"tui.method.{f.method}") if f.method else "",
                clip((f.note or f.na_reason).replace("\n", " "), 40),
                ", ".join(e.name for e in f.evidence),
            )
        if not self.revisions:
            table.add_row("", "", "", t("tui.result.none"), "", "", "")

    def relabel(self) -> None:
        self.fill()
