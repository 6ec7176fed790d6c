"""A modal for what should never happen: an unexpected error, shown instead of a crash."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from gradesec.tui.widgets.text import TButton, TLabel


class ErrorScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss", "tui.key.close", id="error.close")]

    def __init__(self, message: str, hint_key: str = "error.unexpected.hint") -> None:
        super().__init__()
        self.message = message
        self.hint_key = hint_key

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog error-dialog"):
            yield TLabel("tui.error.title", classes="dialog-title")
            yield Static(self.message, markup=False, id="error-message")
            yield TLabel(self.hint_key, classes="hint")
            with Horizontal(classes="buttons"):
                yield TButton("tui.button.close", id="close", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)
