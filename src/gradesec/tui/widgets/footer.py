"""The footer, with binding descriptions translated when it is drawn, and the keys that matter first.

Binding descriptions in ``BINDINGS`` are message keys (``tui.key.…``); Textual's footer shows them as they
are, so this footer translates each one as it composes its keys. A language switch recomposes it.

Textual lists the screen's keys first and the app's (help, quit) last, so at 80 columns the app's keys and
the screen's later keys are cut off. Here help and quit come first, then the actions the screen names in
``FOOTER_FIRST`` (in that order), then the rest as declared: what is cut at a narrow width is the least needed.
Below 110 columns the footer is compact and a key whose description has a short form (``<key>.short``, e.g.
"Fail" for "Non-compliant") uses it, so that help, quit, the four results, ``u`` and ``r`` fit in 80 columns.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from gradesec.i18n import messages, t

ALWAYS_FIRST = ("help", "app.help", "quit", "app.quit")
# Descriptions Textual's own widgets give their bindings, in our words and languages.
TEXTUAL_DESCRIPTIONS = {"Dismiss menu": "tui.key.dismiss_menu"}


class LocalFooter(Footer):
    def compose(self) -> ComposeResult:
        widgets: list[Widget] = []
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                key = TEXTUAL_DESCRIPTIONS.get(widget.description, widget.description)
                if key and self.compact and f"{key}.short" in messages():
                    key = f"{key}.short"
                widget.description = t(key) if key else ""
                if widget.tooltip:
                    widget.tooltip = t(str(widget.tooltip))
            widgets.append(widget)
        first = (*ALWAYS_FIRST, *getattr(self.screen, "FOOTER_FIRST", ()))

        def rank(pair: tuple[int, Widget]) -> tuple[int, int]:
            n, widget = pair
            action = widget.action if isinstance(widget, FooterKey) else ""
            return (first.index(action) if action in first else len(first), n)

        for _n, widget in sorted(enumerate(widgets), key=rank):
            yield widget

    def on_resize(self) -> None:
        # Narrow terminals: no padding around each key and the short descriptions, so more keys fit.
        compact = self.app.size.width < 110
        if compact != self.compact:
            self.compact = compact
            self.refresh(recompose=True)

    def relabel(self) -> None:
        self.refresh(recompose=True)
