"""The key help: every binding of the screen it was opened from, with its id for ``keymap.yaml``."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable

from gradesec import paths
from gradesec.i18n import t
from gradesec.tui.commands import bindings_of
from gradesec.tui.widgets.text import TLabel


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "dismiss", "tui.key.close", id="help.close"),
    ]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box", classes="dialog"):
            yield TLabel("tui.help.title", classes="dialog-title")
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
            yield TLabel("tui.help.keymap", classes="hint", path=str(paths.config_dir() / "keymap.yaml"))

    def on_mount(self) -> None:
        self.fill()

    def fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_columns(t("tui.help.col.key"), t("tui.help.col.action"), t("tui.help.col.id"))
        rows = sorted(bindings_of(self.under), key=lambda nb: (nb[1].id or "").split(".")[0] != "app")
        for _node, binding in rows:
            table.add_row(
                self.app.get_key_display(binding),
                t(binding.description) if binding.description else binding.action,
                binding.id or "",
            )

    def relabel(self) -> None:
        self.fill()

    def palette_target(self) -> Screen[object]:
        return self.under
