"""The PDF machinery both documents share: page geometry and colours, text helpers, and the one-pass layout.

Every text passes through ``Story`` so that the font's coverage can be checked before anything is rendered
(a character the font lacks is an error, never a blank). The document is laid out in **one pass**: pages are
kept in memory by ``ReportCanvas`` and written out at the end, when the total page count and the page of
every heading are known, so the running header, "page X of Y" and the page numbers in the table of contents
are drawn then. (``multiBuild`` with ``TableOfContents`` would lay the whole report out at least twice; for a
150-page report that doubles the build time.)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Paragraph, Table, TableStyle

from gradesec.catalog.template import ReportTemplate
from gradesec.i18n import t
from gradesec.report.data import ReportData
from gradesec.report.fonts import FontInfo

# GRID and PAGE are part of this module's interface (re-exported by ``gradesec.report.pdf``).
from gradesec.report.simpledoc import GRID as GRID
from gradesec.report.simpledoc import PAGE as PAGE
from gradesec.report.simpledoc import base_style, markup

Progress = Callable[[int, int], None]

MARGIN = 20 * mm
FRAME_W = PAGE[0] - 2 * MARGIN

RISK_COLOURS = {
    "high": colors.HexColor("#b3261e"),
    "medium": colors.HexColor("#d9822b"),
    "low": colors.HexColor("#2f6fb0"),
    None: colors.HexColor("#777777"),
}
HEAD_BG = colors.HexColor("#e8edf3")
HIGH_BG = colors.HexColor("#fbe9e7")


def report_number(template: ReportTemplate, data: ReportData) -> str:
    """The report number from the template's pattern."""
    when = data.generated
    fields = {
        "year": f"{when.year:04d}",
        "month": f"{when.month:02d}",
        "day": f"{when.day:02d}",
        "inspection": data.inspection_id,
        "short": data.inspection_id.replace("-", "")[:8].upper(),
        "system": data.system_id or data.system_name,
        "level": str(data.level),
        "kind": template.report,
    }
    return template.number_pattern.format_map(fields)


_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")


def tidy(text: str) -> str:
    """Drop the spaces that YAML line folding puts between two Chinese characters."""
    return _CJK_GAP.sub("", text)


def organisation(template: ReportTemplate, data: ReportData) -> str:
    """The inspection organisation: the template's when it names one, else the one the data carries."""
    return template.organisation.get(data.lang) if template.organisation is not None else data.organisation


def fmt_score(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def fmt_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size / 1024 / 1024:.1f} MiB"


def group4(key_id: str) -> str:
    return " ".join(key_id[i : i + 4] for i in range(0, len(key_id), 4))


# --- one-pass layout: deferred pages, headings, table-of-contents lines ---------------------------------------


@dataclass
class PageDecor:
    """What ``ReportCanvas`` draws on every page but the cover once the page count is known."""

    font: str
    header_left: str
    header_right: str
    footer: str  # with {page} and {pages}


class ReportCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
    decor: PageDecor  # set by the class made in ``canvas_maker``

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[dict[str, Any]] = []
        self.heading_pages: dict[str, int] = {}
        self.toc_slots: list[tuple[int, float, float, str]] = []

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        pages = len(self._held)
        slots: dict[int, list[tuple[float, float, str]]] = {}
        for page, x, y, key in self.toc_slots:
            slots.setdefault(page, []).append((x, y, key))
        for state in self._held:
            self.__dict__.update(state)
            number = self.getPageNumber()
            if number > 1:
                self._decorate(number, pages)
            for x, y, key in slots.get(number, []):
                self.setFont(self.decor.font, 10)
                self.drawRightString(x, y, str(self.heading_pages.get(key, "")))
            super().showPage()
        super().save()

    def _decorate(self, number: int, pages: int) -> None:
        d = self.decor
        self.saveState()
        self.setFont(d.font, 8)
        self.setFillColor(colors.HexColor("#444444"))
        top = PAGE[1] - MARGIN + 6 * mm
        self.drawString(MARGIN, top, d.header_left)
        self.drawRightString(PAGE[0] - MARGIN, top, d.header_right)
        self.setStrokeColor(GRID)
        self.setLineWidth(0.5)
        self.line(MARGIN, top - 2 * mm, PAGE[0] - MARGIN, top - 2 * mm)
        self.drawCentredString(PAGE[0] / 2, MARGIN - 10 * mm, d.footer.format(page=number, pages=pages))
        self.restoreState()


def canvas_maker(decor: PageDecor) -> type[ReportCanvas]:
    return type("_DecoratedCanvas", (ReportCanvas,), {"decor": decor})


class Heading(Paragraph):  # type: ignore[misc]  # reportlab is untyped
    """A section heading: a PDF bookmark, an outline entry, and its page recorded for the contents."""

    def __init__(self, text: str, style: ParagraphStyle, key: str, level: int, plain: str) -> None:
        super().__init__(text, style)
        self.key = key
        self.level = level
        self.plain = plain

    def draw(self) -> None:
        canv = self.canv
        canv.bookmarkHorizontal(self.key, 0, self.height + 4)
        canv.addOutlineEntry(self.plain, self.key, level=self.level, closed=self.level > 0)
        if isinstance(canv, ReportCanvas):
            canv.heading_pages[self.key] = canv.getPageNumber()
        super().draw()


class TocLine(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """One line of the table of contents; its page number is filled in when the document is saved."""

    def __init__(self, key: str, title: str, level: int, font: str) -> None:
        super().__init__()
        self.key = key
        self.title = title
        self.level = level
        self.font = font
        self.size = 11 if level == 0 else 10
        self.height = self.size * 1.9

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        return aw, self.height

    def draw(self) -> None:
        canv = self.canv
        indent = 14 * self.level
        right = self.width - 28
        title = self.title
        while title and indent + stringWidth(title, self.font, self.size) > right - 12:
            title = title[:-2] + "…"
        canv.setFont(self.font, self.size)
        canv.drawString(indent, 4, title)
        start = indent + stringWidth(title, self.font, self.size) + 4
        dots = int(max(0.0, right - start) / stringWidth(".", self.font, self.size))
        canv.setFillColor(colors.HexColor("#888888"))
        canv.drawRightString(right, 4, "." * max(dots - 1, 0))
        canv.linkRect("", self.key, (0, 0, self.width, self.height), relative=1, thickness=0)
        if isinstance(canv, ReportCanvas):
            x, y = canv.absolutePosition(self.width, 4)
            canv.toc_slots.append((canv.getPageNumber(), x, y, self.key))


class CellPara(Paragraph):  # type: ignore[misc]  # reportlab is untyped
    """A paragraph in a table cell that remembers its last layout.

    A table that runs over several pages is split page by page, and each remainder measures every row again;
    a 200-row record table would re-break its paragraphs about a dozen times. Line breaking depends only on the
    width, so the layout for a width is kept and reused (the draw after the split uses it too).
    """

    _memo: tuple[float, tuple[float, float]] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        memo = self._memo
        if memo is not None and memo[0] == availWidth:
            return memo[1]
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        self._memo = (availWidth, size)
        return size


class ReportDoc(BaseDocTemplate):  # type: ignore[misc]  # reportlab is untyped
    def __init__(self, path: str, progress: Progress | None, total: int, **kw: Any) -> None:
        super().__init__(path, **kw)
        self._progress = progress
        self._total = max(total, 1)
        self._done = 0
        self._step = max(1, self._total // 200)

    def afterFlowable(self, flowable: Flowable) -> None:
        if self._progress is None:
            return
        self._done += 1
        if self._done % self._step == 0 or self._done >= self._total:
            self._progress(min(self._done, self._total), self._total)


# --- the story: every text goes through here ---------------------------------------------------------------------


class Story:
    def __init__(self, font: FontInfo, lang: str) -> None:
        self.font = font.name
        self.lang = lang
        self.texts: list[str] = []
        self.flow: list[Flowable] = []
        self.toc: list[tuple[str, str, int]] = []
        base = base_style("base", self.font, lang)
        self.body = ParagraphStyle("body", parent=base, spaceAfter=6, firstLineIndent=0)
        self.small = ParagraphStyle("small", parent=base, fontSize=8, leading=11)
        self.tiny = ParagraphStyle("tiny", parent=base, fontSize=7, leading=9.5)
        self.cell = ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11.5)
        self.cell_head = ParagraphStyle("cellhead", parent=self.cell, textColor=colors.HexColor("#1d2b3a"))
        self.h1 = ParagraphStyle(
            "h1", parent=base, fontSize=16, leading=22, spaceBefore=6, spaceAfter=10, keepWithNext=1
        )
        self.h2 = ParagraphStyle(
            "h2", parent=base, fontSize=12.5, leading=18, spaceBefore=10, spaceAfter=6, keepWithNext=1
        )
        self.title = ParagraphStyle("title", parent=base, fontSize=24, leading=34, alignment=TA_CENTER)
        self.subtitle = ParagraphStyle("subtitle", parent=base, fontSize=13, leading=20, alignment=TA_CENTER)
        self.centre = ParagraphStyle("centre", parent=base, alignment=TA_CENTER)

    def label(self, key: str, **fields: object) -> str:
        text = t(key, lang=self.lang, **fields)
        self.texts.append(text)
        return text

    def note(self, text: str) -> str:
        """Record a text drawn directly (charts, canvas) for the coverage check."""
        self.texts.append(text)
        return text

    def para(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        self.texts.append(text)
        return Paragraph(markup(text), style or self.body)

    def cell_text(self, text: str, style: ParagraphStyle | None = None) -> Paragraph | str:
        """A table cell: short plain text stays a string (cheap); anything that may wrap is a Paragraph."""
        self.texts.append(text)
        if len(text) <= 6 and "\n" not in text:
            return text
        return CellPara(markup(text), style or self.cell)

    def heading(self, text: str, level: int = 0, *, toc: bool = True) -> Heading:
        self.texts.append(text)
        key = f"h{len(self.toc)}"
        if toc:
            self.toc.append((key, text, level))
        return Heading(escape(text), self.h1 if level == 0 else self.h2, key, level, text)

    def add(self, *items: Flowable) -> None:
        self.flow.extend(items)

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[Any]],
        widths: Sequence[float],
        *,
        extra: Sequence[tuple[Any, ...]] = (),
        font_size: float = 8.5,
        row_height: float | None = None,
    ) -> Table:
        """A grid table whose header row repeats on every page it runs onto."""
        head = [self.cell_text(h, self.cell_head) if h else "" for h in header]
        heights = None if row_height is None else [None, *([row_height] * len(rows))]
        table = Table([head, *rows], colWidths=list(widths), rowHeights=heights, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), self.font, font_size, font_size * 1.35),
                    ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                    ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                    ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                    *extra,
                ]
            )
        )
        return table

    def pairs(self, rows: Sequence[tuple[str, str]], key_width: float = 42 * mm) -> Table:
        """A two-column table of labels and values."""
        body = [[self.cell_text(k), self.cell_text(v)] for k, v in rows]
        table = Table(body, colWidths=[key_width, FRAME_W - key_width])
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), self.font, 9.5, 13),
                    ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                    ("BACKGROUND", (0, 0), (0, -1), HEAD_BG),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return table
