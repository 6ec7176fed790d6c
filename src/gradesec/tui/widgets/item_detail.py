"""The selected item: wording at the system's level, weight, methods, guidance, evidence, high-risk cases.

A Line API widget (``ScrollView`` + ``render_line``) that scrolls itself: opening another item wraps the new text
once (Textual's own wrapping, which counts CJK characters as two cells), keeps the wrapped lines as strips and
repaints this widget's region only. A ``Static`` in a scrolling container changed its height with each item,
and every height change laid out the whole screen again (see docs/performance.md, "Terminal UI"). Its size is
set by the stylesheet; only a scrollbar appearing or going away still needs a layout.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBarRender
from textual.strip import Strip
from textual.visual import Visual, visualize

from gradesec.i18n import t
from gradesec.tui.workspace_model import WorkspaceModel


class ItemDetail(ScrollView):
    DEFAULT_CSS = """
    ItemDetail {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: hidden;  /* the scrollbar is drawn by render_line */
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "item-detail--id",
        "item-detail--wording",
        "item-detail--label",
        "item-detail--high",
        "item-detail--muted",
        "item-detail--disputed",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.model: WorkspaceModel | None = None
        self.item_id: str | None = None
        self.lang = "en"
        self._strips: list[Strip] | None = None  # the text wrapped to the width, one strip a line
        self._wrapped_for = Size(0, 0)  # the content size the strips were wrapped for
        self._bar: list[Segment] = []  # the scrollbar, a segment a line ([] when the text fits)
        self._bar_for: tuple[int, int, int] = (0, 0, 0)
        self._barred = False  # whether the last text wrapped needed the scrollbar

    @property
    def allow_vertical_scroll(self) -> bool:
        # The wheel and the keys scroll a text longer than the pane (no Textual scrollbar tells them they may).
        return not self._check_disabled() and self.max_scroll_y > 0

    def show_item(self, model: WorkspaceModel, item_id: str | None, lang: str) -> None:
        self.model, self.item_id, self.lang = model, item_id, lang
        self.scroll_to(0, 0, animate=False, immediate=True)
        self._redraw()

    def _redraw(self) -> None:
        """Wrap the text again and repaint this widget (its region only, unless a scrollbar comes or goes)."""
        self._strips = None
        if self.is_mounted and self.size:
            self._wrap()
        self.refresh()

    def _wrap(self) -> list[Strip]:
        """The text as strips at the current size, narrower by the scrollbar when it is longer than the pane."""
        text = self._render_item()
        visual = visualize(self, text)
        full, height = self.content_region.size
        bar = self.styles.scrollbar_size_vertical
        # Try the width of the last item first (a scrollbar or not): consecutive items mostly agree.
        room = max(full - bar, 1) if self._barred else full
        strips = Visual.to_strips(self, visual, room, None, self.visual_style)
        if (len(strips) > height) != (room < full) and bar:
            room = max(full - bar, 1) if room == full else full
            strips = Visual.to_strips(self, visual, room, None, self.visual_style)
        self._strips, self._wrapped_for = strips, self.content_region.size
        size = Size(room, len(strips))
        if self.virtual_size != size:
            # Not the reactive assignment, which asks for a layout of the screen: the widget's own size is
            # unchanged, so only its scroll range follows.
            self.set_reactive(ItemDetail.virtual_size, size)
            self.scroll_y = self.validate_scroll_y(self.scroll_y)
        self._barred = room < full
        return strips

    def _scrollbar(self, lines: int, height: int) -> list[Segment]:
        """The scrollbar's segment for each line of the pane, drawn as Textual draws a scrollbar."""
        key = (lines, height, round(self.scroll_y))
        if key == self._bar_for:
            return self._bar
        styles = self.styles
        background, color = styles.scrollbar_background, styles.scrollbar_color
        if background.a < 1:
            background = self.background_colors[0] + background
        color = background + color
        bar = ScrollBarRender.render_bar(
            size=height,
            virtual_size=lines,
            window_size=height,
            position=self.scroll_y,
            thickness=styles.scrollbar_size_vertical,
            vertical=True,
            back_color=background.rich_color,
            bar_color=color.rich_color,
        )
        self._bar = [
            Segment(seg.text, seg.style.clear_meta_and_links() if seg.style else None)
            for seg in bar.segments
            if seg.text != "\n"
        ]
        self._bar_for = key
        return self._bar

    def render_line(self, y: int) -> Strip:
        strips = self._strips
        if strips is None or self._wrapped_for != self.content_region.size:
            strips = self._wrap()
        full, height = self.content_region.size
        room = self.virtual_size.width
        n = y + int(self.scroll_offset.y)
        line = strips[n].crop(0, room) if 0 <= n < len(strips) else Strip([])
        if room >= full:
            # Not padded here: Textual pads each line to the width in the widget's background, as it did the
            # Static's.
            return line
        bar = self._scrollbar(len(strips), height)
        pad = Style(bgcolor=self.rich_style.bgcolor)
        return Strip([*line.extend_cell_length(room, pad), bar[y]] if y < len(bar) else line, full)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips = None
        self._bar_for = (0, 0, 0)

    def on_resize(self) -> None:
        self._redraw()

    def _style(self, name: str) -> str:
        return str(self.get_component_rich_style(f"item-detail--{name}", partial=True))

    @staticmethod
    def _official(model: WorkspaceModel, item_id: str, lang: str) -> tuple[str, str | None]:
        """The user's official wording of the item in ``lang`` and where it came from, if they imported one."""
        if model.catalog is None:
            return "", None
        from gradesec.catalog.wording import load_wording, wording_source

        level = model.inspection.level
        text = load_wording(model.catalog, level, lang).get(item_id, "")
        return text, wording_source(model.catalog, level, lang) if text else None

    def _render_item(self) -> Text:
        model, item_id, lang = self.model, self.item_id, self.lang
        if model is None or item_id is None:
            return Text(t("tui.ws.no_item"), style=self._style("muted"))
        snap = model.item_by_id[item_id]
        ri = model.resolved.get(item_id)
        out = Text()
        head = [item_id]
        if ri is not None and ri.unit_id:
            head.append(ri.unit_id)
        head.append(t("tui.ws.weight", weight=f"{snap.weight:g}"))
        out.append(" · ".join(head), style=self._style("id"))
        if ri is None:
            out.append("\n" + t("tui.ws.not_in_catalog"), style=self._style("muted"))
            return out
        out.append("\n")
        out.append(f"{ri.control.name.get(lang)} ", style=self._style("muted"))
        out.append("\n")
        official, source = self._official(model, item_id, lang)
        out.append(official or ri.text.get(lang), style=self._style("wording"))
        if source:
            out.append("\n" + t("workbook.wording.user", source=source), style=self._style("muted"))
        out.append("\n\n")
        self._disputes(out, model, item_id)
        self._field(out, "tui.ws.methods", " · ".join(t(f"tui.method.{m}") for m in ri.item.methods))
        kinds = []
        for kind in ri.item.objects:
            obj = model.catalog.object_kinds.get(kind) if model.catalog is not None else None
            kinds.append(obj.name.get(lang) if obj is not None else kind)
        self._field(out, "tui.ws.objects", " · ".join(kinds))
        self._field(out, "tui.ws.guidance", ri.item.guidance.get(lang))
        if ri.item.evidence is not None:
            self._field(out, "tui.ws.evidence_hint", ri.item.evidence.get(lang))
        cases = []
        if model.catalog is not None:
            cases = [
                model.catalog.cases[c]
                for c in ri.item.high_risk
                if c in model.catalog.cases and model.inspection.level in model.catalog.cases[c].levels
            ]
        for case in cases:
            out.append("▲ ", style=self._style("high"))
            out.append(
                t("tui.ws.high_risk_case", id=case.id, title=case.title.get(lang)), style=self._style("high")
            )
            out.append("\n")
            for situation in case.situations:
                out.append(f"{situation.id}. {situation.text.get(lang)}\n")
            for m in case.mitigations:
                out.append(t("tui.ws.compensation") + " ", style=self._style("label"))
                out.append(f"[{m.id}] {m.text.get(lang)}")
                if m.situations:
                    out.append(" " + t("risk.mitigation.situations", ids=", ".join(map(str, m.situations))))
                out.append("\n")
            if not case.downgradable:
                out.append(t("tui.ws.not_downgradable"), style=self._style("muted"))
                out.append("\n")
        return out

    def _disputes(self, out: Text, model: WorkspaceModel, item_id: str) -> None:
        """Each asset where two inspectors' latest results differ, with who recorded what."""
        for asset_id in model.applies.get(item_id, []):
            dispute = model.disputes.get((item_id, asset_id))
            if dispute is None:
                continue
            out.append(t("tui.ws.disputed") + " ", style=self._style("disputed"))
            out.append(model.asset_by_id[asset_id].name)
            out.append("\n")
            for kid, result in sorted(dispute.results.items()):
                who = model.author_name(kid)
                out.append("  " + t("tui.ws.disputed_result", who=who, result=t(f"tui.result.{result}")))
                out.append("\n")
            out.append("\n")

    def _field(self, out: Text, key: str, value: str) -> None:
        out.append(t(key) + " ", style=self._style("label"))
        out.append(value)
        out.append("\n")

    def relabel(self) -> None:
        if self.model is not None:
            from gradesec.i18n import get_lang

            self.lang = get_lang()
            self._redraw()
