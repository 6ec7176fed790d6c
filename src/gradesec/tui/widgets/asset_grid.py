"""The assets the selected item applies to, one row each, with the current result, risk, note and evidence.

A Line API widget (``ScrollView`` + ``render_line``): each row's line is rendered once and kept until that row
changes, and a change repaints only the changed row's line (``refresh`` of a one-line region). Textual's
``DataTable`` re-renders every visible cell after any ``update_cell``, which made each recorded result cost a
repaint of the whole grid (see docs/performance.md, "Terminal UI").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from gradesec.i18n import t
from gradesec.textwidth import clip, pad, width

if TYPE_CHECKING:
    from gradesec.tui.workspace_model import WorkspaceModel

COLUMNS = ("asset", "kind", "result", "risk", "note", "evidence")


class AssetGrid(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    AssetGrid {
        background: $surface;
        color: $foreground;
        &:focus { background-tint: $foreground 5%; }
        & > .asset-grid--header { text-style: bold; background: $panel; color: $foreground; }
        & > .asset-grid--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .asset-grid--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "asset-grid--header",
        "asset-grid--cursor",
        "asset-grid--compliant",
        "asset-grid--partial",
        "asset-grid--noncompliant",
        "asset-grid--na",
        "asset-grid--todo",
        "asset-grid--high",
        "asset-grid--disputed",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "edge(0)", show=False),
        Binding("end", "edge(1)", show=False),
    ]

    @dataclass
    class AssetChosen(Message):
        asset_id: str | None

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.widths: dict[str, int] = {}
        self.model: WorkspaceModel | None = None
        self.item_id: str | None = None
        self.lang = "en"
        self.rows: list[str] = []  # asset ids, in order
        self._index: dict[str, int] = {}
        self.cursor_row = 0
        self._lines: dict[str, Strip] = {}  # asset id -> its rendered line (without the cursor)
        self._cells: dict[str, tuple[Text | str, ...]] = {}  # asset id -> the cells that line shows
        self._header: Strip | None = None
        self._styles: dict[str, Style] = {}

    # Data

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def show_item(
        self, model: WorkspaceModel, item_id: str | None, lang: str, keep: str | None = None
    ) -> None:
        ids = list(model.applies.get(item_id, [])) if item_id is not None else []
        if lang != self.lang:
            self._header = None
        self.model, self.item_id, self.lang = model, item_id, lang
        self._lines.clear()
        self._cells.clear()
        self.rows = ids
        self._index = {asset_id: n for n, asset_id in enumerate(ids)}
        self._resize_virtual()
        self.cursor_row = ids.index(keep) if keep is not None and keep in ids else 0
        self._scroll_to_cursor()
        self.refresh()
        self._announce()

    def update_asset(self, asset_id: str) -> None:
        """The model changed for one asset of the shown item: repaint its line only if it shows something new."""
        if self.model is None or self.item_id is None or asset_id not in self._index:
            return
        cells = self.cells(asset_id)
        if self._cells.get(asset_id) == cells:
            return
        self._lines.pop(asset_id, None)
        self._cells[asset_id] = cells
        self._refresh_row(self._index[asset_id])

    def cells(self, asset_id: str) -> tuple[Text | str, ...]:
        """What the row of ``asset_id`` shows, column by column, for the current item."""
        assert self.model is not None and self.item_id is not None
        model, item_id = self.model, self.item_id
        asset = model.asset_by_id[asset_id]
        finding = model.findings.get((item_id, asset_id))
        issue = model.issues.get((item_id, asset_id))
        kind = asset.kind
        if model.catalog is not None and kind in model.catalog.object_kinds:
            kind = model.catalog.object_kinds[kind].name.get(self.lang)
        if (item_id, asset_id) in model.disputes:
            result = Text(t("tui.result.disputed"), style=self._style("disputed"))
        elif finding is None:
            result = Text(t("tui.result.none"), style=self._style("todo"))
        else:
            result = Text(t(f"tui.result.{finding.result}"), style=self._style(finding.result))
        risk: Text | str = ""
        if issue is not None and issue.effective is not None:
            risk = Text(
                t(f"tui.risk.{issue.effective}"),
                style=self._style("high") if issue.effective == "high" else "",
            )
            if issue.risk is None:
                risk.append("?")
        w = self.widths or self._widths()
        note = (
            clip((finding.note or finding.na_reason).replace("\n", " "), w["note"])
            if finding is not None
            else ""
        )
        evidence = str(len(finding.evidence)) if finding is not None and finding.evidence else ""
        name = model.asset_labels(w["asset"])[asset_id]  # never two alike (cut in the middle)
        return (name, clip(kind, w["kind"]), result, risk, note, evidence)

    def cell(self, asset_id: str, column: str) -> str:
        """The plain text of one cell as the grid shows it."""
        value = self.cells(asset_id)[COLUMNS.index(column)]
        return value.plain if isinstance(value, Text) else value

    # Cursor

    def current_asset(self) -> str | None:
        return self.rows[self.cursor_row] if self.rows else None

    def move_cursor(self, *, row: int, animate: bool = False) -> None:
        if not self.rows:
            return
        row = max(0, min(len(self.rows) - 1, row))
        if row == self.cursor_row:
            return
        old, self.cursor_row = self.cursor_row, row
        if not self._scroll_to_cursor():
            self._refresh_row(old)
            self._refresh_row(row)
        self._announce()

    def select_asset(self, asset_id: str) -> None:
        if asset_id in self._index:
            self.move_cursor(row=self._index[asset_id])

    def next_row(self) -> None:
        if self.cursor_row < len(self.rows) - 1:
            self.move_cursor(row=self.cursor_row + 1)

    def action_cursor(self, step: int) -> None:
        self.move_cursor(row=self.cursor_row + step)

    def action_page(self, step: int) -> None:
        self.move_cursor(row=self.cursor_row + step * max(1, self._visible_rows() - 1))

    def action_edge(self, end: int) -> None:
        self.move_cursor(row=len(self.rows) - 1 if end else 0)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        row = int(self.scroll_offset.y) + offset.y - 1
        if 0 <= row < len(self.rows):
            self.move_cursor(row=row)

    def _announce(self) -> None:
        self.post_message(self.AssetChosen(self.current_asset()))

    def _visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)  # the header takes one line

    def _scroll_to_cursor(self) -> bool:
        """Scroll so the cursor's row is visible; True when it scrolled (the whole grid is repainted then)."""
        top = int(self.scroll_offset.y)
        visible = self._visible_rows()
        if self.cursor_row < top:
            target = self.cursor_row
        elif self.cursor_row >= top + visible:
            target = self.cursor_row - visible + 1
        else:
            return False
        self.scroll_to(y=target, animate=False, immediate=True)
        return True

    # Drawing

    def _refresh_row(self, row: int) -> None:
        """Repaint one row's line, if it is on screen (the line below the header, counted from the top)."""
        y = row - int(self.scroll_offset.y) + 1
        if 1 <= y <= self._visible_rows():
            self.refresh(Region(0, y, max(self.virtual_size.width, self.size.width), 1))

    def _widths(self) -> dict[str, int]:
        """Column widths for the current size: the note takes what the fixed columns leave."""
        total = max(self.size.width - 2, 40) if self.size.width else 80
        asset = max(14, min(30, total * 3 // 10))
        fixed = {"asset": asset, "kind": 9, "result": 10, "risk": 7, "evidence": 3}
        note = max(total - sum(fixed.values()) - 2 * len(COLUMNS), 6)
        return {**fixed, "note": note}

    def _resize_virtual(self) -> None:
        line = sum(self.widths.values()) + 2 * len(COLUMNS) if self.widths else 0
        size = Size(line, len(self.rows) + 1)
        if self.virtual_size != size:
            # Not the reactive assignment, which lays out the whole screen: the grid's own size is fixed (its
            # height is set in app.tcss), so only its scroll range and scrollbars follow; a scrollbar that
            # appears or goes away still asks for a layout itself.
            self.set_reactive(AssetGrid.virtual_size, size)
            if self.is_mounted:
                self._scroll_update(size)
            self.refresh()

    def _style(self, name: str, *, partial: bool = True) -> Style:
        key = f"{name}:{partial}"
        style = self._styles.get(key)
        if style is None:
            style = self._styles[key] = self.get_component_rich_style(f"asset-grid--{name}", partial=partial)
        return style

    def _base(self) -> Style:
        style = self._styles.get("")
        if style is None:
            style = self._styles[""] = self.rich_style
        return style

    def _line(self, cells: tuple[Text | str, ...], style: Style) -> Strip:
        text = Text(style=style, no_wrap=True, end="")
        for key, value in zip(COLUMNS, cells, strict=True):
            plain = value.plain if isinstance(value, Text) else value
            text.append(" ")
            if isinstance(value, Text):
                text.append_text(value)
            else:
                text.append(value)
            text.append(pad("", self.widths[key] - width(plain)) + " ")
        segments = list(text.render(self.app.console))
        return Strip(segments)

    def _row_line(self, asset_id: str) -> Strip:
        line = self._lines.get(asset_id)
        if line is None:
            cells = self._cells.get(asset_id)
            if cells is None:
                cells = self._cells[asset_id] = self.cells(asset_id)
            line = self._lines[asset_id] = self._line(cells, self._base())
        return line

    def render_line(self, y: int) -> Strip:
        if not self.widths:
            self.widths = self._widths()
            self._resize_virtual()
        scroll_x, scroll_y = self.scroll_offset
        room = self.scrollable_content_region.width
        base = self._base()
        if y == 0:
            if self._header is None:
                labels = tuple(t(f"tui.grid.{key}") for key in COLUMNS)
                self._header = self._line(labels, base + self._style("header", partial=False))
            return self._header.crop_extend(scroll_x, scroll_x + room, base)
        row = scroll_y + y - 1
        if row >= len(self.rows):
            return Strip.blank(room, base)
        line = self._row_line(self.rows[row])
        if row == self.cursor_row:
            cursor = self._style("cursor", partial=False)
            line = Strip(Segment.apply_style(line, post_style=cursor), line.cell_length)
        return line.crop_extend(scroll_x, scroll_x + room, base)

    def _forget_drawing(self) -> None:
        self._lines.clear()
        self._cells.clear()
        self._header = None
        self._styles.clear()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._forget_drawing()

    def on_focus(self) -> None:
        self._forget_drawing()
        self.refresh()

    def on_blur(self) -> None:
        self._forget_drawing()
        self.refresh()

    def on_resize(self) -> None:
        widths = self._widths()
        if widths != self.widths:
            self.widths = widths
            self._resize_virtual()
            self._forget_drawing()
            self.refresh()
        self._scroll_to_cursor()

    def relabel(self) -> None:
        from gradesec.i18n import get_lang

        self.lang = get_lang()
        self._forget_drawing()
        self.refresh()
