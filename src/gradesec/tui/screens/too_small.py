"""Shown instead of a broken layout while the terminal is smaller than the UI needs (80×24)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from gradesec.i18n import t

MIN_WIDTH = 80
MIN_HEIGHT = 24


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmallScreen(ModalScreen[None]):
    """Covers everything; the app removes it as soon as the terminal is large enough again."""

    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; background: $background; }
    TooSmallScreen #too-small { width: auto; max-width: 100%; height: auto; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="too-small-box"):
            yield Static(self._text(), id="too-small", markup=False)

    def _text(self) -> str:
        width, height = self.app.size
        return t("tui.too_small", width=width, height=height, min_width=MIN_WIDTH, min_height=MIN_HEIGHT)

    def on_resize(self) -> None:
        self.query_one("#too-small", Static).update(self._text())

    def relabel(self) -> None:
        self.on_resize()
