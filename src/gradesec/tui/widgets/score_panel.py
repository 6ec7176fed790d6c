"""The live score: overall score, conclusion, progress, issues by risk, and a bar per category."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from gradesec.i18n import get_lang, pick, t
from gradesec.textwidth import clip, pad

if TYPE_CHECKING:
    from gradesec.assess.scoring import ScoreResult
    from gradesec.catalog.loader import Catalog


def bar(fraction: float, width: int) -> str:
    """A bar of eighth blocks, ``width`` cells wide."""
    fraction = min(max(fraction, 0.0), 1.0)
    eighths = round(fraction * width * 8)
    full, rest = divmod(eighths, 8)
    partial = " ▏▎▍▌▋▊▉"[rest] if rest else ""
    return ("█" * full + partial).ljust(width)


def fmt_score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


class ScorePanel(Widget):
    """A Line API widget: a new score repaints only the lines whose text changed (the score, the progress, the
    issue counts and one category's bar, typically), never the whole panel."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "score-panel--big",
        "score-panel--label",
        "score-panel--good",
        "score-panel--fair",
        "score-panel--bad",
        "score-panel--bar",
        "score-panel--muted",
    }

    def __init__(self, *, id: str | None = None, compact: bool = False) -> None:
        super().__init__(id=id)
        self._text = Text("")
        self._rows: list[Text] = []  # the panel's lines, wrapped to its width
        self._strips: dict[int, Strip] = {}  # line number -> its rendered strip
        self._wrap_width = 0
        self.result: ScoreResult | None = None
        self.catalog: Catalog | None = None
        self.policy_title = ""
        self.compact = compact

    def show(self, result: ScoreResult, catalog: Catalog | None, policy_title: dict[str, str]) -> None:
        self.result, self.catalog = result, catalog
        self.policy_title = pick(policy_title) or result.policy_id
        self.refresh_text()

    def _style(self, name: str) -> str:
        return str(self.get_component_rich_style(f"score-panel--{name}", partial=True))

    def _tone(self, code: str) -> str:
        if code in ("compliant", "excellent", "good", "met"):
            return "good"
        if code in ("basically_compliant", "fair", "undetermined"):
            return "fair"
        return "bad"

    def refresh_text(self) -> None:
        # Its size is fixed by the stylesheet, so a new score repaints lines of the panel without a new layout.
        self._text = self.line_text() if self.compact else self.panel_text()
        rows = self._wrap(self._text)
        old, self._rows = self._rows, rows
        if not self.is_mounted or self._wrap_width != self.size.width:
            self._wrap_width = self.size.width
            self._strips.clear()
            self.refresh()
            return
        changed = [
            y for y in range(max(len(old), len(rows))) if y >= len(old) or y >= len(rows) or old[y] != rows[y]
        ]
        for y in changed:
            self._strips.pop(y, None)
            self.refresh(Region(0, y, self.size.width, 1))

    def _wrap(self, text: Text) -> list[Text]:
        room = max(self.size.width, 1)
        rows: list[Text] = []
        for line in text.split("\n", allow_blank=True):
            if line.cell_len <= room or not self.is_mounted:
                rows.append(line)
            else:
                rows.extend(line.wrap(self.app.console, room))
        return rows

    def render_line(self, y: int) -> Strip:
        room = self.size.width
        base = self.rich_style
        if y >= len(self._rows):
            return Strip.blank(room, base)
        strip = self._strips.get(y)
        if strip is None:
            line = self._rows[y].copy()
            line.stylize_before(base)
            line.end = ""
            strip = self._strips[y] = Strip(list(line.render(self.app.console))).crop_extend(0, room, base)
        return strip

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def render(self) -> Text:
        return self._text

    def line_text(self) -> Text:
        """One line for narrow terminals."""
        r = self.result
        if r is None:
            return Text("")
        out = Text()
        out.append(t("tui.score.score") + " ", style=self._style("label"))
        out.append(fmt_score(r.score), style=self._style("big"))
        out.append("  ")
        out.append(pick(r.conclusion.label), style=self._style(self._tone(r.conclusion.code)))
        if r.progress is not None:
            out.append(f"  {r.progress.recorded}/{r.progress.applicable}", style=self._style("muted"))
        high = r.issues.get("high", 0)
        if high:
            out.append("  " + t("tui.score.high_n", n=high), style=self._style("bad"))
        return out

    def panel_text(self) -> Text:
        r = self.result
        if r is None:
            return Text(t("tui.score.none"), style=self._style("muted"))
        width = max(self.size.width - 2, 20)
        out = Text()
        out.append(t("tui.score.score") + "\n", style=self._style("label"))
        out.append(fmt_score(r.score), style=self._style("big"))
        if r.provisional:
            out.append("  " + t("tui.score.provisional"), style=self._style("muted"))
        out.append("\n")
        out.append(pick(r.conclusion.label) + "\n", style=self._style(self._tone(r.conclusion.code)))
        out.append(t("tui.score.policy") + " ", style=self._style("label"))
        out.append(clip(self.policy_title, width - 8) + "\n")
        if r.progress is not None:
            p = r.progress
            out.append(t("tui.score.progress") + " ", style=self._style("label"))
            out.append(f"{p.recorded}/{p.applicable}  {p.ratio * 100:.0f}%\n")
            out.append(bar(p.ratio, width) + "\n", style=self._style("bar"))
        out.append(t("tui.score.issues") + " ", style=self._style("label"))
        out.append(
            t(
                "tui.score.issue_counts",
                high=r.issues.get("high", 0),
                medium=r.issues.get("medium", 0),
                low=r.issues.get("low", 0),
            )
        )
        if r.issues.get("unrated"):
            out.append("  " + t("tui.score.unrated", n=r.issues["unrated"]), style=self._style("muted"))
        out.append("\n\n")
        bar_width = max(width - 14, 6)
        for cat in r.categories:
            name = cat.code
            if self.catalog is not None and cat.code in self.catalog.categories:
                name = self.catalog.categories[cat.code].name.get(get_lang())
            out.append(clip(name, width) + "\n", style=self._style("label"))
            fraction = (cat.score or 0.0) / 100.0
            out.append(pad(cat.code, 4) + " ")
            out.append(bar(fraction, bar_width), style=self._style("bar") if cat.score is not None else "")
            out.append(" " + (f"{cat.score:5.1f}" if cat.score is not None else "    —") + "\n")
        if r.approximation:
            out.append("\n" + t("tui.score.approx"), style=self._style("muted"))
        return out

    def on_resize(self) -> None:
        self.refresh_text()

    def relabel(self) -> None:
        self.refresh_text()
