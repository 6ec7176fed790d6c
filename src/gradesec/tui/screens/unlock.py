"""Unlock the key for this session with its passphrase."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Select

from gradesec.errors import KeyError_
from gradesec.i18n import t
from gradesec.journal.keys import KeyInfo, Signer, format_key_id
from gradesec.tui.messages import Failed
from gradesec.tui.widgets.text import TButton, TLabel


class UnlockScreen(Screen[Signer]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "unlock", "tui.key.unlock", id="unlock.unlock"),
    ]

    def __init__(self, keys: list[KeyInfo], creates_store: bool) -> None:
        super().__init__()
        self.keys = keys
        self.creates_store = creates_store

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="unlock-page"), Vertical(classes="form"):
            yield TLabel("tui.unlock.title", classes="form-title")
            if len(self.keys) > 1:
                yield TLabel("tui.field.key")
                yield Select(
                    [(self._describe(k), k.key_id) for k in self.keys],
                    value=self.keys[0].key_id,
                    allow_blank=False,
                    id="key",
                )
            else:
                yield Label(self._describe(self.keys[0]), id="key-line", markup=False)
            yield TLabel("tui.field.passphrase")
            yield Input(password=True, id="passphrase")
            if self.creates_store:
                yield TLabel("tui.unlock.new_store", classes="hint", path=str(self._store_dir()))
            yield Label("", id="form-error", classes="form-error")
            with Horizontal(classes="buttons"):
                yield TButton("tui.button.unlock", id="unlock", variant="primary")

    def _store_dir(self) -> object:
        return self.app.session.store_dir  # type: ignore[attr-defined]

    @staticmethod
    def _describe(key: KeyInfo) -> str:
        role = t(f"tui.role.{key.role}") if key.role else ""
        parts = [key.name, role, key.org, format_key_id(key.key_id)]
        return " · ".join(p for p in parts if p)

    def on_mount(self) -> None:
        self.query_one("#passphrase", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#unlock")
    def _submit(self) -> None:
        self.action_unlock()

    def action_unlock(self) -> None:
        passphrase = self.query_one("#passphrase", Input).value
        if not passphrase:
            self.query_one("#form-error", Label).update(t("tui.onboarding.need_passphrase"))
            return
        key_id = self.keys[0].key_id
        if len(self.keys) > 1:
            key_id = str(self.query_one("#key", Select).value)
        self.query_one("#form-error", Label).update(t("tui.unlock.working"))
        self.query_one("#unlock", Button).disabled = True
        self._unlock(passphrase, key_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="key")
    def _unlock(self, passphrase: str, key_id: str) -> None:
        from gradesec.journal.keys import load_signer

        launch = self.app.session.launch  # type: ignore[attr-defined]
        try:
            signer = load_signer(passphrase, key_id, config_dir=launch.config_dir)
        except KeyError_ as exc:
            self.app.call_from_thread(self._wrong, exc.message)
            return
        except Exception as exc:
            self.post_message(Failed(exc))
            self.app.call_from_thread(self._wrong, "")
            return
        self.app.call_from_thread(self.dismiss, signer)

    def _wrong(self, message: str) -> None:
        self.query_one("#form-error", Label).update(message)
        self.query_one("#unlock", Button).disabled = False
        field = self.query_one("#passphrase", Input)
        field.clear()
        field.focus()
