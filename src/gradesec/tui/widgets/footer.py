"""The footer, with binding descriptions translated when it is drawn.

Binding descriptions in ``BINDINGS`` are message keys (``tui.key.…``); Textual's footer shows them as they
are, so this footer translates each one as it composes its keys. A language switch recomposes it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from gradesec.i18n import t


class LocalFooter(Footer):
    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.description = t(widget.description) if widget.description else ""
                if widget.tooltip:
                    widget.tooltip = t(str(widget.tooltip))
            yield widget

    def relabel(self) -> None:
        self.refresh(recompose=True)
