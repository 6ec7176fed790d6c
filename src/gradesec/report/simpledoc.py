"""A small PDF document for the short reports (the drill's after-action report, the remediation progress
report): a story of paragraphs, headings and grid tables in a font that sets Chinese, built in one go and
written beside the target, then renamed into place, so a failed build never leaves half a report.

The lowest pieces here (``markup``, ``atomic_target``, ``doc_options``, ``GRID``) serve the inspection report
and the remediation plan too (``gradesec.report.pdf.kit`` and ``common``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from gradesec.i18n import t
from gradesec.report.fonts import FontInfo

PAGE = A4
GRID = colors.HexColor("#9aa5b1")
MARGIN = 18 * mm
WIDTH = PAGE[0] - 2 * MARGIN
HEAD_BG = colors.HexColor("#e4e9ef")
FOOTER_INK = colors.HexColor("#52606d")


def markup(text: str) -> str:
    """Paragraph markup for plain ``text``: escaped, with its line breaks kept."""
    return escape(text).replace("\n", "<br/>")


def base_style(name: str, font: str, lang: str) -> ParagraphStyle:
    """Body text in ``font``; Chinese wraps between any two characters, other text between words."""
    return ParagraphStyle(
        name, fontName=font, fontSize=10, leading=15, wordWrap="CJK" if lang == "zh" else None
    )


def doc_options(*, margin: float, lang: str, invariant: bool, font: str) -> dict[str, Any]:
    """The document template settings every gradesec PDF shares (title and the like are the caller's)."""
    return {
        "pagesize": PAGE,
        "leftMargin": margin,
        "rightMargin": margin,
        "topMargin": margin,
        "bottomMargin": margin,
        "creator": "gradesec",
        # Invariant mode leaves out the build time and random ids, so the same data gives the same bytes.
        "invariant": 1 if invariant else 0,
        "initialFontName": font,
        "lang": "zh-CN" if lang == "zh" else "en",
    }


@contextmanager
def atomic_target(out_path: Path) -> Iterator[Path]:
    """A ``.part`` file beside ``out_path`` to write; renamed into place when the block succeeds, removed
    when it fails."""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(out_path.name + ".part")
    try:
        yield tmp
        tmp.replace(out_path)
    finally:
        tmp.unlink(missing_ok=True)


class SimpleStory:
    """The flowables of a short report and every text in it (for the font coverage check)."""

    # Style commands every table of the document gets besides the grid (a report may set its own).
    table_style: tuple[tuple[Any, ...], ...] = ()

    def __init__(self, font: FontInfo, lang: str) -> None:
        self.lang = lang
        self.font = font.name
        self.texts: list[str] = []
        self.flow: list[Flowable] = []
        base = base_style("doc", font.name, lang)
        self.body = ParagraphStyle("doc-body", parent=base, spaceAfter=5)
        self.cell_style = ParagraphStyle("doc-cell", parent=base, fontSize=8.5, leading=11.5)
        self.h1 = ParagraphStyle(
            "doc-h1", parent=base, fontSize=15, leading=21, spaceBefore=10, spaceAfter=6, keepWithNext=1
        )
        self.title = ParagraphStyle(
            "doc-title", parent=base, fontSize=20, leading=28, alignment=TA_CENTER, spaceAfter=4
        )
        self.subtitle = ParagraphStyle(
            "doc-sub", parent=base, fontSize=12, leading=18, alignment=TA_CENTER, spaceAfter=12
        )

    def label(self, key: str, **fields: object) -> str:
        return t(key, lang=self.lang, **fields)

    def para(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        self.texts.append(text)
        return Paragraph(markup(text), style or self.body)

    def heading(self, key: str) -> None:
        self.flow.append(self.para(self.label(key), self.h1))

    def cell(self, text: str) -> Paragraph:
        return self.para(text, self.cell_style)

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        extra: Sequence[tuple[Any, ...]] = (),
    ) -> None:
        """A grid table, its header row shaded and repeated on every page; ``widths`` are fractions of the
        text width, ``extra`` more table style commands."""
        data = [[self.cell(h) for h in header], *[[self.cell(c) for c in row] for row in rows]]
        table = Table(data, colWidths=[w * WIDTH for w in widths], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), self.font, 8.5),
                    ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                    ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    *self.table_style,
                    *extra,
                ]
            )
        )
        self.flow.append(table)
        self.flow.append(Spacer(1, 4 * mm))


def write_simple_pdf(
    story: SimpleStory,
    out_path: Path,
    font: FontInfo,
    *,
    title: str,
    invariant: bool,
    subject: str | None = None,
    footer: str | None = None,
) -> int:
    """Check the font covers every text of ``story``, lay it out on A4 with the page number (and ``footer``,
    if given) at the foot of each page, write it to ``out_path`` and return the page count."""
    font.check(story.texts)
    with atomic_target(out_path) as tmp:
        doc = SimpleDocTemplate(
            str(tmp),
            title=title,
            subject=subject,
            **doc_options(margin=MARGIN, lang=story.lang, invariant=invariant, font=font.name),
        )

        def decorate(canvas: Any, document: Any) -> None:
            canvas.saveState()
            canvas.setFont(font.name, 7.5)
            if footer is not None:
                canvas.setFillColor(FOOTER_INK)
                canvas.drawString(MARGIN, 10 * mm, footer)
            canvas.drawRightString(PAGE[0] - MARGIN, 10 * mm, str(document.page))
            canvas.restoreState()

        doc.build(story.flow, onFirstPage=decorate, onLaterPages=decorate)
    return int(doc.page)
