"""The inspection report and the remediation plan as PDF (reportlab platypus).

Both builders are pure: they read a ``ReportData`` and a ``ReportTemplate`` and write one file. The story is
assembled first, with every text passing through ``_Story`` so that the font's coverage can be checked before
anything is rendered (a character the font lacks is an error, never a blank). Then the document is laid out
in **one pass**: pages are kept in memory by ``_ReportCanvas`` and written out at the end, when the total page
count and the page of every heading are known, so the running header, "page X of Y" and the page numbers in
the table of contents are drawn then. (``multiBuild`` with ``TableOfContents`` would lay the whole report out
at least twice; for a 150-page report that doubles the build time.)
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from gradesec.catalog.template import ReportTemplate
from gradesec.errors import GradesecError
from gradesec.i18n import t
from gradesec.report.data import RESULTS, RISKS, IssueRow, ReportData
from gradesec.report.fonts import FontInfo, find_font

Progress = Callable[[int, int], None]

PAGE = A4
MARGIN = 20 * mm
FRAME_W = PAGE[0] - 2 * MARGIN

RISK_COLOURS = {
    "high": colors.HexColor("#b3261e"),
    "medium": colors.HexColor("#d9822b"),
    "low": colors.HexColor("#2f6fb0"),
    None: colors.HexColor("#777777"),
}
HEAD_BG = colors.HexColor("#e8edf3")
GRID = colors.HexColor("#9aa5b1")
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
class _PageDecor:
    """What ``_ReportCanvas`` draws on every page but the cover once the page count is known."""

    font: str
    header_left: str
    header_right: str
    footer: str  # with {page} and {pages}


class _ReportCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
    decor: _PageDecor  # set by the class made in ``_canvas_maker``

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


def _canvas_maker(decor: _PageDecor) -> type[_ReportCanvas]:
    return type("_DecoratedCanvas", (_ReportCanvas,), {"decor": decor})


class _Heading(Paragraph):  # type: ignore[misc]  # reportlab is untyped
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
        if isinstance(canv, _ReportCanvas):
            canv.heading_pages[self.key] = canv.getPageNumber()
        super().draw()


class _TocLine(Flowable):  # type: ignore[misc]  # reportlab is untyped
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
        if isinstance(canv, _ReportCanvas):
            x, y = canv.absolutePosition(self.width, 4)
            canv.toc_slots.append((canv.getPageNumber(), x, y, self.key))


class _CellPara(Paragraph):  # type: ignore[misc]  # reportlab is untyped
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


class _Doc(BaseDocTemplate):  # type: ignore[misc]  # reportlab is untyped
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


class _Story:
    def __init__(self, font: FontInfo, lang: str) -> None:
        self.font = font.name
        self.lang = lang
        self.texts: list[str] = []
        self.flow: list[Flowable] = []
        self.toc: list[tuple[str, str, int]] = []
        wrap = "CJK" if lang == "zh" else None
        base = ParagraphStyle("base", fontName=self.font, fontSize=10, leading=15, wordWrap=wrap)
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
        markup = escape(text).replace("\n", "<br/>")
        return Paragraph(markup, style or self.body)

    def cell_text(self, text: str, style: ParagraphStyle | None = None) -> Paragraph | str:
        """A table cell: short plain text stays a string (cheap); anything that may wrap is a Paragraph."""
        self.texts.append(text)
        if len(text) <= 6 and "\n" not in text:
            return text
        return _CellPara(escape(text).replace("\n", "<br/>"), style or self.cell)

    def heading(self, text: str, level: int = 0, *, toc: bool = True) -> _Heading:
        self.texts.append(text)
        key = f"h{len(self.toc)}"
        if toc:
            self.toc.append((key, text, level))
        return _Heading(escape(text), self.h1 if level == 0 else self.h2, key, level, text)

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


# --- shared pieces -----------------------------------------------------------------------------------------------


def _result_word(s: _Story, value: str | None) -> str:
    return s.label(f"report.result.{value}" if value else "report.result.none")


def _risk_word(s: _Story, risk: str | None) -> str:
    return s.label(f"report.risk.{risk}" if risk else "report.risk.unrated")


def _level_name(s: _Story, level: int) -> str:
    return s.label("report.level_name", level=level) if s.lang == "en" else s.label(f"report.level.{level}")


def _title(s: _Story, template: ReportTemplate, section: str) -> str:
    return template.section_title(section, s.lang, t(f"report.section.{section}", lang=s.lang))


def _logo(template: ReportTemplate, logo_dir: Path | None) -> Image | None:
    if template.logo is None or logo_dir is None:
        return None
    path = logo_dir / template.logo
    if not path.is_file():
        raise GradesecError(t("report.template.no_logo", path=path), t("report.template.no_logo.hint"))
    try:
        image = Image(str(path))
    except Exception as exc:  # reportlab raises plain exceptions for unreadable images
        raise GradesecError(
            t("report.template.bad_logo", path=path, detail=str(exc)), t("report.template.no_logo.hint")
        ) from None
    scale = min(50 * mm / image.imageWidth, 22 * mm / image.imageHeight)
    image.drawWidth = image.imageWidth * scale
    image.drawHeight = image.imageHeight * scale
    return image


def _cover(
    s: _Story, data: ReportData, template: ReportTemplate, number: str, logo: Image | None, plan: bool
) -> None:
    if logo is not None:
        s.add(logo)
    s.add(Spacer(1, 30 * mm if logo is None else 14 * mm))
    s.add(s.para(template.title.get(s.lang), s.title), Spacer(1, 6 * mm))
    s.add(s.para(s.label("report.cover.number", number=number), s.subtitle), Spacer(1, 18 * mm))
    dates = data.started if data.closed in ("", data.started) else f"{data.started} – {data.closed}"
    rows = [
        (s.label("report.field.unit"), data.unit_name),
        (s.label("report.field.system"), data.system_name),
        (s.label("report.field.level"), _level_name(s, data.level)),
        (s.label("report.field.organisation"), organisation(template, data)),
        (s.label("report.field.dates"), dates),
        (s.label("report.field.report_date"), data.generated.isoformat()),
    ]
    if plan:
        rows.append((s.label("report.field.issues"), str(len(data.issues))))
    else:
        rows.append((s.label("report.field.conclusion"), _conclusion_line(s, data)))
    s.add(s.pairs(rows))
    if data.provisional:
        s.add(Spacer(1, 6 * mm), s.para(s.label("report.provisional"), s.centre))
    if template.confidentiality is not None:
        s.add(Spacer(1, 20 * mm), s.para(template.confidentiality.get(s.lang), s.centre))
    s.add(PageBreak())


def _conclusion_line(s: _Story, data: ReportData) -> str:
    if data.score is None:
        return data.conclusion
    return s.label("report.conclusion_line", conclusion=data.conclusion, score=fmt_score(data.score))


def _signatures(s: _Story, template: ReportTemplate) -> None:
    if not template.signatures:
        return
    header = [s.label("report.sign.role"), s.label("report.sign.name"), s.label("report.sign.date")]
    rows = [[s.cell_text(b.role.get(s.lang)), s.cell_text(b.name or ""), ""] for b in template.signatures]
    # Tall rows leave room to sign by hand.
    table = s.table(header, rows, [35 * mm, FRAME_W - 80 * mm, 45 * mm], font_size=10, row_height=13 * mm)
    s.add(Spacer(1, 8 * mm), KeepTogether([table]))


def _contents(s: _Story, template: ReportTemplate, toc_at: int) -> None:
    """Insert the table of contents at ``toc_at`` once every heading is known."""
    lines: list[Flowable] = [s.heading(_title(s, template, "contents"), toc=False), Spacer(1, 4 * mm)]
    for key, title, level in s.toc:
        lines.append(_TocLine(key, title, level, s.font))
    lines.append(PageBreak())
    s.flow[toc_at:toc_at] = lines


def _category_chart(s: _Story, data: ReportData) -> Drawing | None:
    cats = [c for c in data.categories]
    if not cats:
        return None
    bar_h = 16
    height = bar_h * len(cats) + 46
    drawing = Drawing(FRAME_W, height, initialFontName=s.font)
    chart = HorizontalBarChart()
    chart.x = 110
    chart.y = 28
    chart.width = FRAME_W - 150
    chart.height = bar_h * len(cats)
    # HorizontalBarChart draws the first category at the bottom; reverse so the report order reads down.
    ordered = list(reversed(cats))
    chart.data = [[c.score if c.score is not None else 0.0 for c in ordered]]
    chart.categoryAxis.categoryNames = [s.note(c.name) for c in ordered]
    chart.categoryAxis.labels.fontName = s.font
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = 100
    chart.valueAxis.valueStep = 20
    chart.valueAxis.labels.fontName = s.font
    chart.valueAxis.labels.fontSize = 8
    chart.barLabelFormat = "%.1f"
    chart.barLabels.fontName = s.font
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    chart.bars.strokeColor = None
    for i, cat in enumerate(ordered):
        value = cat.score or 0.0
        colour = "#3b8b5a" if value >= 90 else "#c9a227" if value >= 70 else "#b3261e"
        chart.bars[(0, i)].fillColor = colors.HexColor(colour)
    drawing.add(chart)
    caption = s.label("report.chart.categories")
    drawing.add(String(FRAME_W / 2, 6, caption, fontName=s.font, fontSize=9, textAnchor="middle"))
    return drawing


def _integrity(s: _Story, data: ReportData, template: ReportTemplate, number: str) -> None:
    s.add(s.heading(_title(s, template, "integrity")))
    s.add(s.para(s.label("report.integrity.intro", number=number, inspection=data.inspection_id)))
    g = data.integrity
    s.add(s.heading(s.label("report.integrity.signers"), 1))
    rows = [
        [
            s.cell_text(x.name),
            s.cell_text(s.label(f"report.role.{x.role}") if x.role else ""),
            s.cell_text(x.org),
            group4(x.key_id),
        ]
        for x in g.signers
    ]
    for x in g.signers:
        s.note(x.key_id)
    header = [
        s.label(k) for k in ("report.col.name", "report.col.role", "report.col.org", "report.col.key_id")
    ]
    s.add(s.table(header, rows, [35 * mm, 25 * mm, 45 * mm, FRAME_W - 105 * mm]))
    s.add(s.heading(s.label("report.integrity.heads"), 1))
    s.add(s.para(s.label("report.integrity.heads.intro", events=g.events)))
    rows = [[s.cell_text(h.name), str(h.seq), s.cell_text(h.hash, s.tiny)] for h in g.heads]
    header = [s.label(k) for k in ("report.col.author", "report.col.seq", "report.col.head")]
    s.add(s.table(header, rows, [40 * mm, 18 * mm, FRAME_W - 58 * mm]))
    s.add(s.heading(s.label("report.integrity.checkpoints"), 1))
    if g.checkpoints:
        rows = [
            [s.cell_text(c.name), str(c.seq), str(c.count), s.cell_text(c.head, s.tiny), s.cell_text(c.at)]
            for c in g.checkpoints
        ]
        header = [
            s.label(k)
            for k in (
                "report.col.author",
                "report.col.seq",
                "report.col.count",
                "report.col.head",
                "report.col.at",
            )
        ]
        s.add(s.table(header, rows, [32 * mm, 14 * mm, 16 * mm, FRAME_W - 102 * mm, 40 * mm]))
    else:
        s.add(s.para(s.label("report.integrity.no_checkpoint")))
    s.add(s.heading(s.label("report.integrity.catalog"), 1))
    rows = [[s.cell_text(k), s.cell_text(v, s.tiny)] for k, v in sorted(data.pins.items())]
    rows.append(
        [s.cell_text(s.label("report.integrity.catalog_all")), s.cell_text(data.catalog_sha256, s.tiny)]
    )
    header = [s.label("report.col.document"), "SHA-256"]
    s.add(s.table(header, rows, [60 * mm, FRAME_W - 60 * mm]))
    s.add(s.heading(s.label("report.integrity.how"), 1))
    s.add(s.para(s.label("report.integrity.how.text", store=g.store or "DIR", inspection=data.inspection_id)))


# --- the inspection report ---------------------------------------------------------------------------------------


def _statement(s: _Story, data: ReportData, template: ReportTemplate) -> None:
    s.add(s.heading(_title(s, template, "statement")))
    for part in tidy(template.text("statement", s.lang)).split("\n\n"):
        s.add(s.para(part))
    _signatures(s, template)
    s.add(PageBreak())


def _summary(s: _Story, data: ReportData, template: ReportTemplate) -> None:
    s.add(s.heading(_title(s, template, "summary")))
    if template.text("summary", s.lang):
        s.add(s.para(tidy(template.text("summary", s.lang))))
    rows = [
        (s.label("report.field.score"), fmt_score(data.score)),
        (s.label("report.field.conclusion"), data.conclusion),
        (s.label("report.field.policy"), f"{data.policy_title} ({data.policy_id})"),
        (
            s.label("report.field.progress"),
            s.label("report.progress", done=data.recorded, total=data.applicable),
        ),
    ]
    if data.compliance_rate is not None:
        rows.insert(2, (s.label("report.field.rate"), f"{data.compliance_rate * 100:.1f}%"))
    s.add(s.pairs(rows))
    if data.score_note:
        s.add(Spacer(1, 2 * mm), s.para(data.score_note, s.small))
    if data.provisional:
        s.add(Spacer(1, 2 * mm), s.para(s.label("report.provisional"), s.small))
    s.add(s.heading(s.label("report.summary.counts"), 1))
    not_recorded = max(data.applicable - data.recorded, 0)
    header = [*(s.label(f"report.result.{r}") for r in RESULTS), s.label("report.result.none")]
    counts = [str(data.result_counts.get(r, 0)) for r in RESULTS] + [str(not_recorded)]
    s.add(s.table(header, [counts], [FRAME_W / 5] * 5))
    s.add(Spacer(1, 3 * mm))
    header = [
        *(s.label(f"report.risk.{r}") for r in RISKS),
        s.label("report.risk.unrated"),
        s.label("report.major"),
    ]
    counts = [str(data.issue_counts.get(k, 0)) for k in (*RISKS, "unrated", "major")]
    s.add(s.table(header, [counts], [FRAME_W / 5] * 5))
    s.add(s.heading(s.label("report.summary.categories"), 1))
    chart = _category_chart(s, data)
    if chart is not None:
        s.add(chart, Spacer(1, 3 * mm))
    header = [
        s.label(k)
        for k in ("report.col.category", "report.col.class", "report.col.items", "report.col.score")
    ]
    table_rows = [
        [s.cell_text(c.name), s.label(f"report.class.{c.cls}"), str(c.items), fmt_score(c.score)]
        for c in data.categories
    ]
    s.add(s.table(header, table_rows, [FRAME_W - 90 * mm, 30 * mm, 30 * mm, 30 * mm]))
    s.add(PageBreak())


def _scope(s: _Story, data: ReportData, template: ReportTemplate) -> None:
    s.add(s.heading(_title(s, template, "scope")))
    rows = [
        (s.label("report.field.unit"), data.unit_name),
        (s.label("report.field.system"), data.system_name),
        (s.label("report.field.level"), _level_name(s, data.level)),
    ]
    if data.filing_no:
        rows.append((s.label("report.field.filing"), data.filing_no))
    s.add(s.pairs(rows), Spacer(1, 3 * mm))
    if data.system_description:
        s.add(s.para(data.system_description))
    s.add(s.heading(s.label("report.scope.assets"), 1))
    header = [
        s.label(k)
        for k in (
            "report.col.no",
            "report.col.asset",
            "report.col.kind",
            "report.col.address",
            "report.col.role",
        )
    ]
    asset_rows = [
        [str(i), s.cell_text(a.name), s.cell_text(a.kind_name), s.cell_text(a.address), s.cell_text(a.role)]
        for i, a in enumerate(data.assets, 1)
    ]
    s.add(s.table(header, asset_rows, [12 * mm, 45 * mm, 30 * mm, 40 * mm, FRAME_W - 127 * mm]))


def _method(s: _Story, data: ReportData, template: ReportTemplate) -> None:
    s.add(s.heading(_title(s, template, "method")))
    rows = [
        (s.label("report.field.profile"), f"{data.profile_title} ({data.profile_id})"),
        (s.label("report.field.level"), _level_name(s, data.level)),
        (s.label("report.field.policy"), f"{data.policy_title} ({data.policy_id})"),
        (s.label("report.field.inspectors"), ", ".join(data.inspectors) or "—"),
        (s.label("report.field.items"), str(len(data.items))),
    ]
    s.add(s.pairs(rows), Spacer(1, 3 * mm))
    s.add(s.para(s.label("report.method.text")))
    s.add(s.heading(s.label("report.method.hashes"), 1))
    rows2 = [[s.cell_text(k), s.cell_text(v, s.tiny)] for k, v in sorted(data.pins.items())]
    rows2.append(
        [s.cell_text(s.label("report.integrity.catalog_all")), s.cell_text(data.catalog_sha256, s.tiny)]
    )
    s.add(s.table([s.label("report.col.document"), "SHA-256"], rows2, [60 * mm, FRAME_W - 60 * mm]))
    s.add(PageBreak())


def _results(s: _Story, data: ReportData, template: ReportTemplate) -> None:
    s.add(s.heading(_title(s, template, "results")))
    s.add(s.para(s.label("report.results.intro")))
    by_cat: dict[str, list[Any]] = {}
    for control in data.controls:
        by_cat.setdefault(control.category, []).append(control)
    header = [
        s.label("report.col.control"),
        s.label("report.col.items"),
        *(s.label(f"report.result.{r}") for r in RESULTS),
        s.label("report.col.score10"),
    ]
    widths = [FRAME_W - 121 * mm, 15 * mm, 22 * mm, 22 * mm, 22 * mm, 22 * mm, 18 * mm]
    for cat in data.categories:
        s.add(s.heading(s.label("report.results.category", name=cat.name, score=fmt_score(cat.score)), 1))
        rows = [
            [
                s.cell_text(c.name),
                str(c.items),
                *(str(c.counts.get(r, 0)) for r in RESULTS),
                fmt_score(c.score),
            ]
            for c in by_cat.get(cat.code, [])
        ]
        s.add(s.table(header, rows, widths))
    s.add(PageBreak())


def _issue_extra(issues: Sequence[IssueRow], first_row: int = 1) -> list[tuple[Any, ...]]:
    extra: list[tuple[Any, ...]] = []
    for i, issue in enumerate(issues, first_row):
        if issue.risk == "high" or issue.major:
            extra.append(("BACKGROUND", (0, i), (-1, i), HIGH_BG))
        extra.append(("TEXTCOLOR", (1, i), (1, i), RISK_COLOURS[issue.risk]))
    return extra


def _issues(s: _Story, data: ReportData, template: ReportTemplate) -> None:
    s.add(s.heading(_title(s, template, "issues")))
    if not data.issues:
        s.add(s.para(s.label("report.issues.none")))
        return
    s.add(s.para(s.label("report.issues.intro")))
    header = [
        s.label(k)
        for k in (
            "report.col.no",
            "report.col.risk",
            "report.col.item",
            "report.col.asset",
            "report.col.finding",
            "report.col.measure",
        )
    ]
    rows = []
    for issue in data.issues:
        risk = _risk_word(s, issue.risk)
        if issue.risk == "high":
            risk = "■ " + risk
        if issue.major:
            risk += "\n" + s.label("report.major")
        item = f"{issue.item_id} {issue.control_name}\n{issue.item_text}"
        finding = issue.finding
        if issue.cases:
            finding += "\n" + s.label("report.issues.cases", cases=", ".join(issue.cases))
        rows.append(
            [
                str(issue.no),
                s.cell_text(risk),
                s.cell_text(item),
                s.cell_text(issue.asset_name),
                s.cell_text(finding),
                s.cell_text(issue.measure),
            ]
        )
    widths = [10 * mm, 16 * mm, 45 * mm, 25 * mm, 36 * mm, FRAME_W - 132 * mm]
    s.add(s.table(header, rows, widths, extra=_issue_extra(data.issues)))


def _remediation(s: _Story, data: ReportData, template: ReportTemplate) -> None:
    s.add(s.heading(_title(s, template, "remediation")))
    if template.text("remediation", s.lang):
        s.add(s.para(tidy(template.text("remediation", s.lang))))
    if not data.issues:
        s.add(s.para(s.label("report.issues.none")))
        return
    for risk, group in data.issues_by_risk():
        days = data.remediation_days.get(risk or "", 0)
        title = _risk_word(s, risk)
        if days:
            title = s.label("report.remediation.group", risk=title, days=days)
        s.add(s.heading(title, 1))
        # One suggestion per item, naming every asset it concerns.
        by_item: dict[str, list[IssueRow]] = {}
        for issue in group:
            by_item.setdefault(issue.item_id, []).append(issue)
        for item_id, issues in by_item.items():
            first = issues[0]
            assets = ", ".join(dict.fromkeys(i.asset_name for i in issues))
            text = s.label(
                "report.remediation.line",
                item=item_id,
                control=first.control_name,
                text=first.item_text,
                measure=first.measure,
                assets=assets,
            )
            s.add(s.para(text))
    s.add(PageBreak())


def _records(s: _Story, data: ReportData, template: ReportTemplate) -> None:
    s.add(s.heading(_title(s, template, "records")))
    items = {i.id: i for i in data.items}
    header = [
        s.label(k)
        for k in (
            "report.col.no",
            "report.col.control",
            "report.col.item",
            "report.col.record",
            "report.col.result",
        )
    ]
    widths = [10 * mm, 24 * mm, 62 * mm, FRAME_W - 114 * mm, 18 * mm]
    words = {r: _result_word(s, r) for r in (*RESULTS, None)}
    colour = {
        "compliant": colors.HexColor("#2e7d4f"),
        "partial": colors.HexColor("#a86b00"),
        "noncompliant": RISK_COLOURS["high"],
    }
    for n, (asset_id, rows) in enumerate(data.results_by_asset().items(), 1):
        asset = data.asset(asset_id)
        name = asset.name if asset else asset_id
        kind = f" ({asset.kind_name})" if asset else ""
        s.add(CondPageBreak(60 * mm), s.heading(f"A.{n} {name}{kind}", 1))
        body = []
        extra: list[tuple[Any, ...]] = []
        for i, row in enumerate(rows, 1):
            item = items.get(row.item_id)
            text = f"{row.item_id} {item.text}" if item else row.item_id
            record = row.note
            if row.by:
                record += ("\n" if record else "") + f"— {row.by} {row.at}"
            body.append(
                [
                    str(i),
                    s.cell_text(item.control_name if item else ""),
                    s.cell_text(text),
                    s.cell_text(record),
                    words[row.result],
                ]
            )
            if row.result in colour:
                extra.append(("TEXTCOLOR", (4, i), (4, i), colour[row.result]))
        if body:
            s.add(s.table(header, body, widths, extra=extra))
        else:
            s.add(s.para(s.label("report.records.none")))
    s.add(PageBreak())


def _evidence(s: _Story, data: ReportData, template: ReportTemplate) -> None:
    s.add(s.heading(_title(s, template, "evidence")))
    if not data.evidence:
        s.add(s.para(s.label("report.evidence.none")))
        s.add(PageBreak())
        return
    s.add(s.para(s.label("report.evidence.intro")))
    header = [
        s.label(k)
        for k in (
            "report.col.no",
            "report.col.file",
            "report.col.size",
            "report.col.sha256",
            "report.col.by",
            "report.col.where",
        )
    ]
    rows = []
    for i, e in enumerate(data.evidence, 1):
        where = " / ".join(x for x in (e.item_id, e.asset_name) if x)
        rows.append(
            [
                str(i),
                s.cell_text(e.name),
                fmt_size(e.size),
                s.cell_text(f"{e.sha256[:32]}\n{e.sha256[32:]}", s.tiny),
                s.cell_text(f"{e.by}\n{e.at}"),
                s.cell_text(where),
            ]
        )
    widths = [10 * mm, 36 * mm, 17 * mm, 46 * mm, 32 * mm, FRAME_W - 141 * mm]
    s.add(s.table(header, rows, widths))
    s.add(PageBreak())


_INSPECTION_SECTIONS: dict[str, Callable[[_Story, ReportData, ReportTemplate], None]] = {
    "statement": _statement,
    "summary": _summary,
    "scope": _scope,
    "method": _method,
    "results": _results,
    "issues": _issues,
    "remediation": _remediation,
    "records": _records,
    "evidence": _evidence,
}


# --- the remediation plan ----------------------------------------------------------------------------------------


def _timeline_chart(s: _Story, data: ReportData) -> Drawing | None:
    """Issues due per week from the report date, stacked by risk."""
    due = [(i.risk, data.deadline(i)) for i in data.issues]
    dated = [(r, d) for r, d in due if d is not None]
    if not dated:
        return None
    start = data.generated - timedelta(days=data.generated.weekday())
    last = max(d for _, d in dated)
    weeks = max(1, min(26, (last - start).days // 7 + 1))
    series: dict[str | None, list[int]] = {r: [0] * weeks for r in (*RISKS, None)}
    for risk, when in dated:
        week = min(max((when - start).days // 7, 0), weeks - 1)
        series[risk][week] += 1
    used = [r for r in (*RISKS, None) if any(series[r])]
    drawing = Drawing(FRAME_W, 70 * mm, initialFontName=s.font)
    chart = VerticalBarChart()
    chart.x = 30
    chart.y = 45
    chart.width = FRAME_W - 140
    chart.height = 70 * mm - 70
    chart.data = [series[r] for r in used]
    chart.categoryAxis.style = "stacked"
    step = max(1, math.ceil(weeks / 13))
    names = []
    for w in range(weeks):
        names.append((start + timedelta(days=7 * w)).strftime("%m-%d") if w % step == 0 else "")
    chart.categoryAxis.categoryNames = names
    chart.categoryAxis.labels.fontName = s.font
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 30
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.valueMin = 0
    top = max(sum(series[r][w] for r in used) for w in range(weeks))
    chart.valueAxis.valueMax = max(2, top)
    chart.valueAxis.valueStep = max(1, math.ceil(top / 5))
    chart.valueAxis.labels.fontName = s.font
    chart.valueAxis.labels.fontSize = 7
    chart.bars.strokeColor = None
    for i, risk in enumerate(used):
        chart.bars[i].fillColor = RISK_COLOURS[risk]
    drawing.add(chart)
    legend = Legend()
    legend.x = FRAME_W - 95
    legend.y = 70 * mm - 30
    legend.fontName = s.font
    legend.fontSize = 8
    legend.alignment = "right"
    legend.colorNamePairs = [(RISK_COLOURS[r], _risk_word(s, r)) for r in used]
    drawing.add(legend)
    caption = s.label("report.chart.timeline")
    drawing.add(String(FRAME_W / 2, 4, caption, fontName=s.font, fontSize=9, textAnchor="middle"))
    return drawing


def _plan_summary(s: _Story, data: ReportData, template: ReportTemplate) -> None:
    s.add(s.heading(_title(s, template, "summary")))
    if template.text("summary", s.lang):
        s.add(s.para(tidy(template.text("summary", s.lang))))
    header = [
        *(s.label(f"report.risk.{r}") for r in RISKS),
        s.label("report.risk.unrated"),
        s.label("report.major"),
    ]
    counts = [str(sum(1 for i in data.issues if i.risk == r)) for r in (*RISKS, None)]
    counts.append(str(sum(1 for i in data.issues if i.major)))
    s.add(s.table(header, [counts], [FRAME_W / 5] * 5), Spacer(1, 3 * mm))
    days = ", ".join(
        s.label("report.plan.days", risk=_risk_word(s, r), days=data.remediation_days[r])
        for r in RISKS
        if r in data.remediation_days
    )
    s.add(s.para(s.label("report.plan.defaults", days=days, base=data.generated.isoformat())))
    chart = _timeline_chart(s, data)
    if chart is not None:
        s.add(s.heading(s.label("report.plan.timeline"), 1), chart)
    s.add(PageBreak())


def _plan_table(s: _Story, data: ReportData, template: ReportTemplate) -> None:
    s.add(s.heading(_title(s, template, "plan")))
    if not data.issues:
        s.add(s.para(s.label("report.issues.none")))
    header = [
        s.label(k)
        for k in (
            "report.col.no",
            "report.col.problem",
            "report.col.risk",
            "report.col.measure",
            "report.col.owner",
            "report.col.deadline",
            "report.col.status",
        )
    ]
    widths = [9 * mm, 48 * mm, 13 * mm, FRAME_W - 124 * mm, 20 * mm, 19 * mm, 15 * mm]
    for risk, group in data.issues_by_risk():
        s.add(s.heading(_risk_word(s, risk), 1))
        rows = []
        for issue in group:
            problem = f"{issue.item_id} {issue.control_name} — {issue.asset_name}\n{issue.finding}"
            risk_word = _risk_word(s, issue.risk)
            if issue.major:
                risk_word += "\n" + s.label("report.major")
            deadline = data.deadline(issue)
            rows.append(
                [
                    str(issue.no),
                    s.cell_text(problem),
                    s.cell_text(risk_word),
                    s.cell_text(issue.measure),
                    s.cell_text(issue.owner or s.label("report.plan.owner_unset")),
                    deadline.isoformat() if deadline else "—",
                    s.cell_text(issue.status or s.label("report.plan.status_open")),
                ]
            )
        s.add(s.table(header, rows, widths, extra=_issue_extra(group)))
    _signatures(s, template)
    s.add(PageBreak())


_PLAN_SECTIONS: dict[str, Callable[[_Story, ReportData, ReportTemplate], None]] = {
    "summary": _plan_summary,
    "plan": _plan_table,
}


# --- building ----------------------------------------------------------------------------------------------------


def _build(
    data: ReportData,
    template: ReportTemplate,
    out_path: Path,
    *,
    lang: str,
    invariant: bool,
    progress: Progress | None,
    logo_dir: Path | None,
    font: FontInfo | None,
    sections: dict[str, Callable[[_Story, ReportData, ReportTemplate], None]],
) -> int:
    font = font or find_font()
    s = _Story(font, lang)
    number = report_number(template, data)
    s.note(number)
    toc_at: int | None = None
    for section in template.sections:
        if section == "cover":
            _cover(s, data, template, number, _logo(template, logo_dir), template.report == "plan")
        elif section == "contents":
            toc_at = len(s.flow)
        elif section == "integrity":
            _integrity(s, data, template, number)
        else:
            sections[section](s, data, template)
    if toc_at is not None:
        _contents(s, template, toc_at)
    while s.flow and isinstance(s.flow[-1], PageBreak):
        s.flow.pop()
    s.note(template.title.get(lang))
    font.check(s.texts)

    decor = _PageDecor(
        font=font.name,
        header_left=number,
        header_right=f"{template.title.get(lang)} · {data.system_name}",
        footer=t("report.footer", lang=lang),
    )
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(out_path.name + ".part")
    doc = _Doc(
        str(tmp),
        progress,
        len(s.flow),
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"{template.title.get(lang)} {number}",
        author=organisation(template, data),
        subject=data.system_name,
        creator="gradesec",
        invariant=1 if invariant else 0,
        initialFontName=font.name,
        lang="zh-CN" if lang == "zh" else "en",
    )
    frame = Frame(MARGIN, MARGIN, FRAME_W, PAGE[1] - 2 * MARGIN, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    try:
        doc.build(s.flow, canvasmaker=_canvas_maker(decor))
        tmp.replace(out_path)
    finally:
        tmp.unlink(missing_ok=True)
    return int(doc.page)


def build_inspection_pdf(
    data: ReportData,
    template: ReportTemplate,
    out_path: Path,
    *,
    lang: str,
    invariant: bool = False,
    progress: Progress | None = None,
    logo_dir: Path | None = None,
    font: FontInfo | None = None,
) -> int:
    """Write the inspection report (测评报告) to ``out_path``; return the page count."""
    return _build(
        data,
        template,
        out_path,
        lang=lang,
        invariant=invariant,
        progress=progress,
        logo_dir=logo_dir,
        font=font,
        sections=_INSPECTION_SECTIONS,
    )


def build_plan_pdf(
    data: ReportData,
    template: ReportTemplate,
    out_path: Path,
    *,
    lang: str,
    invariant: bool = False,
    progress: Progress | None = None,
    logo_dir: Path | None = None,
    font: FontInfo | None = None,
) -> int:
    """Write the remediation plan (整改计划) to ``out_path``; return the page count."""
    return _build(
        data,
        template,
        out_path,
        lang=lang,
        invariant=invariant,
        progress=progress,
        logo_dir=logo_dir,
        font=font,
        sections=_PLAN_SECTIONS,
    )
