"""First run: create the identity that signs everything (name, role, organisation, passphrase twice)."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Select

from gradesec.i18n import t
from gradesec.journal.keys import ROLES, Signer
from gradesec.tui.messages import Failed
from gradesec.tui.widgets.text import TButton, TLabel, TStatic


class OnboardingScreen(Screen[Signer]):
    """Shown when no key exists on this machine; dismissed with the new key."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "create", "tui.key.create_identity", id="onboarding.create"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="onboarding"), Vertical(classes="form"):
            yield TLabel("tui.onboarding.title", classes="form-title")
            yield TStatic("tui.onboarding.intro", classes="hint")
            yield TLabel("tui.field.name")
            yield Input(id="name")
            yield TLabel("tui.field.role")
            yield Select(self._roles(), value="inspector", allow_blank=False, id="role")
            yield TLabel("tui.field.org")
            yield Input(id="org")
            yield TLabel("tui.field.passphrase")
            yield Input(password=True, id="pass1")
            yield TLabel("tui.field.passphrase_again")
            yield Input(password=True, id="pass2")
            yield Label("", id="form-error", classes="form-error")
            with Horizontal(classes="buttons"):
                yield TButton("tui.button.create_identity", id="create", variant="primary")

    def _roles(self) -> list[tuple[str, str]]:
        return [(t(f"tui.role.{role}"), role) for role in ROLES]

    def relabel(self) -> None:
        select = self.query_one("#role", Select)
        value = select.value
        select.set_options(self._roles())
        select.value = value

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        if event.input.id == "pass2":
            self.action_create()
        else:
            self.focus_next()

    @on(Button.Pressed, "#create")
    def _pressed(self) -> None:
        self.action_create()

    def _error(self, key: str) -> None:
        self.query_one("#form-error", Label).update(t(key))

    def action_create(self) -> None:
        name = self.query_one("#name", Input).value.strip()
        role = str(self.query_one("#role", Select).value)
        org = self.query_one("#org", Input).value.strip()
        first = self.query_one("#pass1", Input).value
        second = self.query_one("#pass2", Input).value
        if not name:
            self._error("tui.onboarding.need_name")
            self.query_one("#name", Input).focus()
            return
        if not first:
            self._error("tui.onboarding.need_passphrase")
            self.query_one("#pass1", Input).focus()
            return
        if first != second:
            self._error("tui.onboarding.mismatch")
            self.query_one("#pass2", Input).clear()
            self.query_one("#pass2", Input).focus()
            return
        self._error("tui.onboarding.working")
        self.query_one("#create", Button).disabled = True
        self._create(name, role, org, first)

    @work(thread=True, exclusive=True, exit_on_error=False, group="key")
    def _create(self, name: str, role: str, org: str, passphrase: str) -> None:
        from gradesec.journal.keys import new_key

        launch = self.app.session.launch  # type: ignore[attr-defined]
        try:
            signer = new_key(name, role, org, passphrase, config_dir=launch.config_dir)
        except Exception as exc:
            self.post_message(Failed(exc))
            self.app.call_from_thread(self._reenable)
            return
        self.app.call_from_thread(self.dismiss, signer)

    def _reenable(self) -> None:
        self.query_one("#create", Button).disabled = False
        self._error("tui.onboarding.failed")
