"""The footer, with binding descriptions translated when it is drawn, and the keys that matter first.

Binding descriptions in ``BINDINGS`` are message keys (``tui.key.…``); Textual's footer shows them as they
are, so this footer translates each one as it composes its keys. A language switch recomposes it.

Textual lists the screen's keys first and the app's (help, quit) last, so at 80 columns the app's keys and
the screen's later keys are cut off. Here help and quit come first, then the actions the screen names in
``FOOTER_FIRST`` (in that order), then the rest as declared: what a narrow width leaves out is the least
needed. A key is shown whole or not at all: the keys that would be cut (by the edge, or by the palette key
docked right) are left out.
Below 110 columns the footer is compact and a key whose description has a short form (``<key>.short``, e.g.
"Fail" for "Non-compliant") uses it, so that help, quit, the four results, ``u`` and ``r`` fit in 80 columns.

A screen may also name in ``FOOTER_ALSO`` the actions of bindings it keeps out of the footer (``show=False``:
occasional actions, in the palette and the help) that the footer shows only if they fit whole: at a width
where one would be cut it alone is left out and the keys after it take its place. They come last, unless the
screen ranks them in ``FOOTER_FIRST``. An action the screen does not bind is skipped.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from gradesec.i18n import messages, t

ALWAYS_FIRST = ("help", "app.help", "quit", "app.quit")
# Descriptions Textual's own widgets give their bindings, in our words and languages.
TEXTUAL_DESCRIPTIONS = {"Dismiss menu": "tui.key.dismiss_menu"}


class LocalFooter(Footer):
    def _also(self, shown: set[str]) -> list[Widget]:
        """Keys for the screen's ``FOOTER_ALSO`` actions that are bound and not shown already."""
        extra: list[Widget] = []
        wanted = [a for a in getattr(self.screen, "FOOTER_ALSO", ()) if a not in shown]
        bound: dict[str, tuple[Binding, bool, str]] = {}
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            bound.setdefault(binding.action, (binding, enabled, tooltip))
        for action in wanted:
            if action not in bound:
                continue
            binding, enabled, tooltip = bound[action]
            key = FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip,
                classes="-also",
            )
            extra.append(key.data_bind(compact=Footer.compact))
        return extra

    def compose(self) -> ComposeResult:
        widgets: list[Widget] = list(super().compose())
        if self._bindings_ready:
            widgets += self._also({w.action for w in widgets if isinstance(w, FooterKey)})
            self.styles.grid_size_columns += sum(1 for w in widgets if w.has_class("-also"))
            self.call_after_refresh(self._fit)
        for widget in widgets:
            if isinstance(widget, FooterKey):
                key = TEXTUAL_DESCRIPTIONS.get(widget.description, widget.description)
                if key and self.compact and f"{key}.short" in messages():
                    key = f"{key}.short"
                widget.description = t(key) if key else ""
                if widget.tooltip:
                    widget.tooltip = t(str(widget.tooltip))
        first = (*ALWAYS_FIRST, *getattr(self.screen, "FOOTER_FIRST", ()))

        def rank(pair: tuple[int, Widget]) -> tuple[int, int]:
            n, widget = pair
            action = widget.action if isinstance(widget, FooterKey) else ""
            return (first.index(action) if action in first else len(first), n)

        for _n, widget in sorted(enumerate(widgets), key=rank):
            yield widget

    def _fit(self, tries: int = 5) -> None:
        """Leave out the keys that would be cut (by the edge or the palette key docked right): a ``FOOTER_ALSO``
        key alone, the keys after it moving into its place; any other key with all the keys after it."""
        keys = [k for k in self.query(FooterKey) if k.display and not k.has_class("-command-palette")]
        if not keys:
            return
        if not self.region or not all(key.region for key in keys):
            # Not laid out yet (a recompose, a new screen): look again after the next refresh.
            if tries:
                self.call_after_refresh(self._fit, tries - 1)
            return
        keys.sort(key=lambda k: k.region.x)
        right = self.content_region.right
        for docked in self.query(".-command-palette"):
            if docked.region:
                right = min(right, docked.region.x)
        shift = 0  # how far the keys after a left-out FOOTER_ALSO key move left
        for n, key in enumerate(keys):
            if key.region.right - shift <= right:
                continue
            if key.has_class("-also"):
                shift += (keys[n + 1].region.x if n + 1 < len(keys) else key.region.right) - key.region.x
                cut = [key]
            else:
                cut = keys[n:]
            for gone in cut:
                gone.add_class("-cut")
                gone.display = False
            if len(cut) > 1:
                break

    def on_resize(self) -> None:
        # Narrow terminals: no padding around each key and the short descriptions, so more keys fit.
        compact = self.app.size.width < 110
        if compact != self.compact:
            self.compact = compact
            self.refresh(recompose=True)
        else:
            for key in self.query(".-cut"):
                key.remove_class("-cut")
                key.display = True
            self.call_after_refresh(self._fit)

    def relabel(self) -> None:
        self.refresh(recompose=True)
