"""The workspace's asset filter: a drop-down whose menu is as wide as the asset names, not as the box.

The box in the filter row is narrow (20–36 columns by breakpoint); its menu opens over the workspace and is
made wide enough for the longest name in terminal columns (``gradesec.textwidth``: CJK characters count two),
kept on screen by moving it left. When the screen itself is too narrow, the names are cut with
``textwidth.distinct``, as the tree cuts them, so two assets never read alike ("…node 01" / "…node 02").
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import Select
from textual.widgets._select import SelectOverlay

from gradesec.textwidth import distinct, width

# Around the names inside the menu: its border (1 + 1), each option's padding (1 + 1), a vertical scrollbar.
FRAME = 4
MARGIN = 2  # columns left free at the screen's edge


class AssetFilter(Select[str]):
    DEFAULT_CSS = """
    AssetFilter > SelectOverlay {
        min-width: 100%;
        constrain: inside inside;
    }
    """

    def __init__(self, prompt: str, *, id: str | None = None) -> None:
        super().__init__([], prompt=prompt, id=id, compact=True)
        self.assets: list[tuple[str, str]] = []  # (name, asset id), in the workspace's order
        self.shown: list[str] = []  # the names as the menu shows them (cut only when the screen is narrow)

    def set_assets(self, assets: Sequence[tuple[str, str]]) -> None:
        """New options (the selection is cleared, as ``set_options`` does), fitted to the screen."""
        self.assets = list(assets)
        self.shown = self._names_for(self._room())
        self.set_options(list(zip(self.shown, (asset_id for _n, asset_id in self.assets), strict=True)))
        self._size_menu()

    def fit(self) -> None:
        """After the screen changed size: resize the menu, and cut the names again if the room changed what
        fits (the selection is kept)."""
        shown = self._names_for(self._room())
        if shown != self.shown:
            self.shown = shown
            chosen = self.value
            with self.prevent(Select.Changed):
                self.set_options(list(zip(shown, (asset_id for _n, asset_id in self.assets), strict=True)))
                if chosen is not Select.NULL:
                    self.value = chosen
        self._size_menu()

    def _room(self) -> int:
        """Columns the names may take: the screen's width less the menu's frame and a margin."""
        screen = self.app.size.width if self.is_attached else 0
        return max(8, screen - FRAME - MARGIN)

    def _names_for(self, room: int) -> list[str]:
        names = [name for name, _id in self.assets]
        if all(width(name) <= room for name in names):
            return names
        return distinct(names, room)

    def _size_menu(self) -> None:
        if not self.is_attached:
            return
        widest = max([width(self.prompt), *(width(name) for name in self.shown)])
        self.query_one(SelectOverlay).styles.width = widest + FRAME  # never narrower than the box (CSS)
