"""Start-up, run by the home screen as soon as it is drawn: find or create the identity, unlock it, open (or
create) the store. The home screen is usable at once (help, language, palette); its list fills in when the
store is open. Every step that touches the disk runs in a worker; nothing here imports the journal until a
worker needs it, so the first screen appears quickly.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.message import Message
from textual.screen import Screen

from gradesec.tui.messages import Failed
from gradesec.tui.session import Session

if TYPE_CHECKING:
    from gradesec.journal.keys import KeyInfo, Signer


@dataclass
class KeysFound(Message):
    keys: list[KeyInfo]
    store_exists: bool


@dataclass
class StoreOpened(Message):
    pass


class Startup(Screen[Any]):
    """The start-up steps; the home screen is one (``started`` runs when the store is open)."""

    @property
    def session(self) -> Session:
        return self.app.session  # type: ignore[attr-defined,no-any-return]

    def start(self) -> None:
        signer = self.session.launch.signer
        if signer is not None:
            self._unlocked(signer)
        else:
            self._find_keys()

    def started(self) -> None:
        """The store is open (override)."""

    def start_failed(self) -> None:
        """The store could not be opened (override)."""

    @work(thread=True, exclusive=True, exit_on_error=False, group="boot")
    def _find_keys(self) -> None:
        from gradesec.journal.keys import list_keys, load_signer

        launch = self.session.launch
        keys = list_keys(launch.config_dir)
        passphrase = os.environ.get("GRADESEC_PASSPHRASE")
        if keys and passphrase is not None:
            # Scripts and the terminal test unlock without a prompt, as the CLI does.
            try:
                signer = load_signer(passphrase, None, config_dir=launch.config_dir)
            except Exception as exc:
                self.post_message(Failed(exc))
                self.app.call_from_thread(self.start_failed)
                return
            self.app.call_from_thread(self._unlocked, signer)
            return
        self.post_message(KeysFound(keys, (launch.store_dir / "gradesec.db").exists()))

    @on(KeysFound)
    def _keys_found(self, event: KeysFound) -> None:
        if not event.keys:
            from gradesec.tui.screens.onboarding import OnboardingScreen

            self.app.push_screen(OnboardingScreen(), self._unlocked_optional)
        else:
            from gradesec.tui.screens.unlock import UnlockScreen

            self.app.push_screen(UnlockScreen(event.keys, not event.store_exists), self._unlocked_optional)

    def _unlocked_optional(self, signer: Signer | None) -> None:
        if signer is not None:
            self._unlocked(signer)

    def _unlocked(self, signer: Signer) -> None:
        self.session.signer = signer
        self._open_store(signer)

    @work(thread=True, exclusive=True, exit_on_error=False, group="boot")
    def _open_store(self, signer: Signer) -> None:
        from gradesec.tui.session import open_context

        try:
            self.session.ctx = open_context(self.session, signer)
        except Exception as exc:
            self.post_message(Failed(exc))
            self.app.call_from_thread(self.start_failed)
            return
        self.post_message(StoreOpened())

    @on(StoreOpened)
    def _opened(self) -> None:
        self.started()
        target = self.session.launch.open_inspection
        if target:
            from gradesec.tui.screens.workspace import WorkspaceScreen

            self.app.push_screen(WorkspaceScreen(target))
