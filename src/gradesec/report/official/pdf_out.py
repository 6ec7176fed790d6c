"""The official report as a PDF (reportlab), from the same blocks as the Word document.

Every text is set by ``KText``, which breaks lines with ``kinsoku.break_lines`` (no line starts with closing
punctuation, ids and names stay whole) and remembers its lines per width, so a long table split page after
page does not break its cells again. Headings keep with what follows them; tables repeat their header row; the
table of contents, running header and "page X of Y" use the one-pass canvas of ``report.pdf.kit``.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Frame, PageBreak, PageTemplate, Spacer, TableStyle
from reportlab.platypus import Image as RLImage
from reportlab.platypus import Table as RLTable

from gradesec.i18n import t
from gradesec.report.fonts import FontInfo, find_font
from gradesec.report.official import atomic
from gradesec.report.official.blocks import Document, Heading, Image, Para, Table, Toc
from gradesec.report.official.blocks import PageBreak as BreakBlock
from gradesec.report.official.kinsoku import break_lines
from gradesec.report.pdf.kit import (
    FRAME_W,
    MARGIN,
    PAGE,
    PageDecor,
    ReportCanvas,
    ReportDoc,
    TocLine,
    canvas_maker,
)
from gradesec.report.simpledoc import GRID, doc_options

Progress = Callable[[int, int], None]
HEAD_BG = colors.HexColor("#e8edf3")
INK = {
    "body": colors.black,
    "draft": colors.HexColor("#555555"),
    "missing": colors.HexColor("#b3261e"),
    "note": colors.HexColor("#333333"),
}


class Measure:
    """String widths of one font and size, cached per string (tokens and characters repeat a lot)."""

    def __init__(self, font: str, size: float) -> None:
        self.font = font
        self.size = size
        self._cache: dict[str, float] = {}

    def __call__(self, text: str) -> float:
        width = self._cache.get(text)
        if width is None:
            width = stringWidth(text, self.font, self.size)
            self._cache[text] = width
        return width


_measures: dict[tuple[str, float], Measure] = {}


def measure_of(font: str, size: float) -> Measure:
    key = (font, size)
    if key not in _measures:
        _measures[key] = Measure(font, size)
    return _measures[key]


class KText(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """A paragraph of plain text with Chinese line breaking; splits across pages by lines."""

    def __init__(
        self,
        text: str,
        font: str,
        size: float,
        *,
        leading: float | None = None,
        colour: Any = colors.black,
        align: str = "left",
        space_before: float = 0,
        space_after: float = 0,
        lines: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.text = text
        self.font = font
        self.size = size
        self.leading = leading or size * 1.45
        self.colour = colour
        self.align = align
        self.spaceBefore = space_before
        self.spaceAfter = space_after
        self._lines = lines
        self._fixed = lines is not None  # a piece of a split paragraph keeps its lines
        self._for = -1.0

    def _layout(self, width: float) -> list[str]:
        if self._lines is None or (not self._fixed and self._for != width):
            self._lines = break_lines(self.text, width, measure_of(self.font, self.size))
            self._for = width
        return self._lines

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        lines = self._layout(aw)
        self.height = len(lines) * self.leading
        return aw, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        lines = self._layout(aw)
        fit = int(ah // self.leading)
        if fit < 2 or len(lines) - fit < 2 or fit >= len(lines):
            return []  # keep at least two lines on each side (no orphans or widows)
        first = KText(
            self.text,
            self.font,
            self.size,
            leading=self.leading,
            colour=self.colour,
            align=self.align,
            space_before=self.spaceBefore,
            lines=lines[:fit],
        )
        rest = KText(
            self.text,
            self.font,
            self.size,
            leading=self.leading,
            colour=self.colour,
            align=self.align,
            space_after=self.spaceAfter,
            lines=lines[fit:],
        )
        return [first, rest]

    def draw(self) -> None:
        canv = self.canv
        canv.setFont(self.font, self.size)
        canv.setFillColor(self.colour)
        y = self.height - self.size
        for line in self._lines or []:
            if self.align == "centre":
                canv.drawCentredString(self.width / 2, y, line)
            elif self.align == "right":
                canv.drawRightString(self.width, y, line)
            else:
                canv.drawString(0, y, line)
            y -= self.leading


class KHeading(KText):
    """A heading: a bookmark, an outline entry and its page for the contents; kept with what follows."""

    def __init__(self, text: str, font: str, size: float, key: str, level: int, **kw: Any) -> None:
        super().__init__(text, font, size, **kw)
        self.key = key
        self.level = level
        self.keepWithNext = 1

    def split(self, aw: float, ah: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        canv = self.canv
        canv.bookmarkHorizontal(self.key, 0, self.height + 4)
        canv.addOutlineEntry(self.text, self.key, level=self.level - 1, closed=self.level > 1)
        if isinstance(canv, ReportCanvas):
            canv.heading_pages[self.key] = canv.getPageNumber()
        super().draw()


HEADING_SIZES = {1: 16.0, 2: 13.0, 3: 11.0}


class PdfWriter:
    def __init__(self, font: FontInfo) -> None:
        self.font = font.name
        self.flow: list[Flowable] = []
        self.toc: list[tuple[str, str, int]] = []
        self.toc_at: int | None = None
        self.toc_title = ""

    def heading(self, block: Heading) -> None:
        if block.new_page and self.flow and not isinstance(self.flow[-1], PageBreak):
            self.flow.append(PageBreak())
        key = f"h{len(self.toc)}-{len(self.flow)}"
        if block.toc:
            self.toc.append((key, block.text, block.level - 1))
        size = HEADING_SIZES.get(block.level, 11.0)
        self.flow.append(
            KHeading(
                block.text,
                self.font,
                size,
                key,
                block.level,
                space_before=size * 0.6,
                space_after=size * 0.45,
            )
        )

    def para(self, block: Para) -> None:
        if block.style == "title":
            self.flow.append(Spacer(1, 40 * mm))
            self.flow.append(KText(block.text, self.font, 24, align="centre", space_after=10 * mm))
        elif block.style == "subtitle":
            self.flow.append(KText(block.text, self.font, 13, align="centre", space_after=14 * mm))
        elif block.style == "edition":
            self.flow.append(KText(block.text, self.font, 11, align="right"))
        else:
            size = 9.0 if block.style == "note" else 10.5
            self.flow.append(
                KText(block.text, self.font, size, colour=INK.get(block.style, colors.black), space_after=4)
            )

    def table(self, block: Table) -> None:
        cols = len(block.header) if block.header else (len(block.rows[0]) if block.rows else 2)
        weights = list(block.widths[:cols]) + [1.0] * max(0, cols - len(block.widths))
        total = sum(weights)
        widths = [FRAME_W * w / total for w in weights]
        if block.caption:
            self.flow.append(KHeading_caption(block.caption, self.font))
        size = 8.5

        def cell(text: str) -> Any:
            return KText(text, self.font, size, leading=size * 1.35) if text else ""

        rows: list[list[Any]] = []
        if block.header:
            rows.append([cell(h) for h in block.header])
        rows.extend([cell(v) for v in (*row, *([""] * (cols - len(row))))][:cols] for row in block.rows)
        table = RLTable(rows, colWidths=widths, repeatRows=1 if block.header else 0)
        style: list[tuple[Any, ...]] = [
            ("GRID", (0, 0), (-1, -1), 0.4, GRID),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        if block.header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), HEAD_BG))
        if block.pairs:
            style.append(("BACKGROUND", (0, 0), (0, -1), HEAD_BG))
        table.setStyle(TableStyle(style))
        self.flow.append(table)
        self.flow.append(Spacer(1, 4 * mm))

    def image(self, block: Image) -> None:
        image = RLImage(io.BytesIO(block.data))
        scale = min(
            FRAME_W / image.imageWidth, 120 * mm / image.imageHeight, 1.0 if image.imageWidth > 200 else 4.0
        )
        image.drawWidth = image.imageWidth * scale
        image.drawHeight = image.imageHeight * scale
        self.flow.append(image)
        self.flow.append(KText(block.caption, self.font, 9.5, align="centre", space_after=6))

    def contents(self) -> None:
        if self.toc_at is None:
            return
        lines: list[Flowable] = [KText(self.toc_title, self.font, 16, align="centre", space_after=6 * mm)]
        for key, title, level in self.toc:
            if level <= 1:
                lines.append(TocLine(key, title, level, self.font))
        lines.append(PageBreak())
        self.flow[self.toc_at : self.toc_at] = lines


def KHeading_caption(text: str, font: str) -> KText:
    caption = KText(text, font, 9.5, align="centre", space_before=4, space_after=3)
    caption.keepWithNext = 1
    return caption


def build_pdf(
    document: Document,
    out: Path,
    *,
    invariant: bool = False,
    progress: Progress | None = None,
    font: FontInfo | None = None,
) -> int:
    """Write ``document`` as a PDF to ``out`` (through a ``.part`` file); returns the page count."""
    font = font or find_font()
    font.check(document.texts())
    w = PdfWriter(font)
    for block in document.blocks:
        if isinstance(block, Heading):
            w.heading(block)
        elif isinstance(block, Para):
            w.para(block)
        elif isinstance(block, Table):
            w.table(block)
        elif isinstance(block, Image):
            w.image(block)
        elif isinstance(block, BreakBlock):
            w.flow.append(PageBreak())
        elif isinstance(block, Toc):
            if w.flow and not isinstance(w.flow[-1], PageBreak):
                w.flow.append(PageBreak())
            w.toc_at = len(w.flow)
            w.toc_title = block.title
    w.contents()
    decor = PageDecor(
        font=font.name,
        header_left=document.number,
        header_right=f"{document.title} · {document.system}",
        footer=t("report.footer", lang=document.lang),
    )
    with atomic(out) as tmp:
        doc = ReportDoc(
            str(tmp),
            progress,
            len(w.flow),
            title=f"{document.title} {document.number}",
            author="",
            subject=document.system,
            **doc_options(margin=MARGIN, lang=document.lang, invariant=invariant, font=font.name),
        )
        frame = Frame(MARGIN, MARGIN, FRAME_W, PAGE[1] - 2 * MARGIN, id="body")
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        doc.build(w.flow, canvasmaker=canvas_maker(decor))
    return int(doc.page)
