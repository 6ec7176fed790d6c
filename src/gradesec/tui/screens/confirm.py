"""Asking before anything final or destructive: a title, what will happen, what is still open, two buttons.

The focus starts on "Cancel", so a stray Enter does nothing; confirming takes the confirm button (Tab, Enter,
or a click) or its key ``y``. Escape cancels.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from gradesec.tui.widgets.text import TButton, TLabel


class ConfirmModal(ModalScreen[bool]):
    AUTO_FOCUS = "#cancel"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "cancel", "tui.key.cancel", id="confirm.cancel"),
        Binding("y", "confirm", "tui.confirm.yes_key", id="confirm.yes"),
    ]

    def __init__(
        self,
        title: str,
        lines: Sequence[str],
        confirm: str = "tui.confirm.proceed",
        *,
        warn: bool = False,
        **title_fields: Any,
    ) -> None:
        super().__init__()
        self.title_key = title
        self.title_fields = title_fields
        self.lines = list(lines)
        self.confirm_key = confirm
        self.warn = warn

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm-dialog" + (" -warn" if self.warn else ""), id="confirm-box"):
            yield TLabel(self.title_key, classes="dialog-title", **self.title_fields)
            yield Static("\n".join(self.lines), id="confirm-body", markup=False)
            with Horizontal(classes="buttons"):
                yield TButton("tui.button.cancel", id="cancel", compact=True)
                yield TButton(
                    self.confirm_key, id="confirm", variant="error" if self.warn else "primary", compact=True
                )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        self.dismiss(True)


def close_lines(summary: Any) -> list[str]:
    """The pre-close summary of an inspection (a ``usecases.closing.CloseSummary``), one line per fact."""
    from gradesec.i18n import t

    lines = [t("tui.confirm.close.final")]
    if summary.untested:
        lines.append(t("tui.confirm.close.untested", n=summary.untested, total=summary.applicable))
    if summary.unrated:
        lines.append(t("tui.confirm.close.unrated", n=summary.unrated, total=summary.issues))
    if summary.disputes:
        lines.append(t("tui.confirm.close.disputes", n=summary.disputes))
    if summary.clean:
        lines.append(t("tui.confirm.close.clean", total=summary.applicable))
    return lines
