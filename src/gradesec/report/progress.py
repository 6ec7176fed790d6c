"""The remediation progress report (整改进度报告) as PDF: figures, the score and conclusion before and after each
re-test round, and every item with its owner, deadline and status (overdue items marked).

The data comes from ``gradesec.usecases.remediation.progress_report_data``; this module only lays it out with
reportlab platypus in a font that sets Chinese (``gradesec.report.fonts``), written beside the target and
renamed into place so a failed build never leaves half a report.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from gradesec.i18n import t
from gradesec.remedy.lifecycle import effective_status, is_overdue
from gradesec.remedy.model import STATUSES
from gradesec.report.fonts import FontInfo, find_font

if TYPE_CHECKING:
    from gradesec.usecases.remediation import ProgressData

PAGE = A4
MARGIN = 18 * mm
WIDTH = PAGE[0] - 2 * MARGIN
GRID = colors.HexColor("#9aa5b1")
HEAD_BG = colors.HexColor("#e4e9ef")
LATE_BG = colors.HexColor("#fde2e1")


class _Story:
    def __init__(self, font: FontInfo, lang: str) -> None:
        self.lang = lang
        self.font = font.name
        self.texts: list[str] = []
        self.flow: list[Flowable] = []
        base = ParagraphStyle(
            "rp", fontName=font.name, fontSize=10, leading=15, wordWrap="CJK" if lang == "zh" else None
        )
        self.body = ParagraphStyle("rp-body", parent=base, spaceAfter=5)
        self.cell_style = ParagraphStyle("rp-cell", parent=base, fontSize=8.5, leading=11.5)
        self.h1 = ParagraphStyle(
            "rp-h1", parent=base, fontSize=15, leading=21, spaceBefore=10, spaceAfter=6, keepWithNext=1
        )
        self.title = ParagraphStyle(
            "rp-title", parent=base, fontSize=20, leading=28, alignment=TA_CENTER, spaceAfter=4
        )
        self.subtitle = ParagraphStyle(
            "rp-sub", parent=base, fontSize=12, leading=18, alignment=TA_CENTER, spaceAfter=12
        )

    def label(self, key: str, **fields: object) -> str:
        return t(key, lang=self.lang, **fields)

    def para(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        self.texts.append(text)
        return Paragraph(escape(text).replace("\n", "<br/>"), style or self.body)

    def heading(self, key: str) -> None:
        self.flow.append(self.para(self.label(key), self.h1))

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        marked: Sequence[int] = (),
    ) -> None:
        data = [
            [self.para(h, self.cell_style) for h in header],
            *[[self.para(c, self.cell_style) for c in row] for row in rows],
        ]
        style: list[Any] = [
            ("FONT", (0, 0), (-1, -1), self.font, 8.5),
            ("GRID", (0, 0), (-1, -1), 0.4, GRID),
            ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
        style += [("BACKGROUND", (0, r + 1), (-1, r + 1), LATE_BG) for r in marked]
        table = Table(data, colWidths=[w * WIDTH for w in widths], repeatRows=1)
        table.setStyle(TableStyle(style))
        self.flow.append(table)
        self.flow.append(Spacer(1, 4 * mm))


def _conclusion(s: _Story, side: dict[str, Any]) -> str:
    concl = side.get("conclusion") or {}
    return str(concl.get(s.lang) or concl.get("code") or "-")


def _issues(side: dict[str, Any]) -> str:
    counts = side.get("issues") or {}
    return " / ".join(str(counts.get(r, 0)) for r in ("high", "medium", "low"))


def build_progress_pdf(
    data: ProgressData,
    out_path: Path | str,
    lang: str,
    *,
    invariant: bool = False,
    font: FontInfo | None = None,
) -> int:
    """Write the progress report to ``out_path`` in ``lang``; return the page count."""
    out_path = Path(out_path)
    font = font or find_font()
    s = _Story(font, lang)
    fig = data.figures
    s.flow.append(s.para(s.label("remedy.report.title"), s.title))
    s.flow.append(
        s.para(
            f"{s.label('remedy.report.inspection', id=data.title)} · "
            f"{s.label('remedy.report.as_of', date=data.today)}",
            s.subtitle,
        )
    )
    s.heading("remedy.report.summary")
    s.flow.append(
        s.para(
            s.label("remedy.report.closed_pct", pct=round(fig.closed_ratio * 100))
            + "  ·  "
            + s.label("remedy.report.overdue_n", n=fig.overdue)
        )
    )
    s.table(
        [s.label("remedy.report.by_status"), s.label("remedy.report.count")],
        [[s.label(f"remedy.status.{st}"), str(fig.by_status.get(st, 0))] for st in STATUSES],
        [0.6, 0.4],
    )

    s.heading("remedy.report.before_after")
    if not data.rounds:
        s.flow.append(s.para(s.label("remedy.report.no_round")))
    else:
        first, last = data.rounds[0]["before"], data.rounds[-1]["after"]
        rows = [
            [s.label("remedy.report.score"), str(first.get("score")), str(last.get("score"))],
            [s.label("remedy.report.conclusion"), _conclusion(s, first), _conclusion(s, last)],
            [s.label("remedy.report.issues"), _issues(first), _issues(last)],
        ]
        s.table(["", s.label("remedy.report.before"), s.label("remedy.report.after")], rows, [0.4, 0.3, 0.3])

    s.heading("remedy.report.items")
    rows, marked = [], []
    for n, item in enumerate(data.items):
        status = s.label(f"remedy.status.{effective_status(item, data.today)}")
        if is_overdue(item, data.today):
            status += f" ({s.label('remedy.overdue')})"
            marked.append(n)
        owner = " / ".join(x for x in (item.owner_dept, item.owner_person) if x) or "-"
        rows.append(
            [
                item.id,
                s.label(f"remedy.risk.{item.risk}"),
                item.title(lang),
                owner,
                item.deadline or "-",
                status,
            ]
        )
    s.table(
        [s.label(f"remedy.cli.col.{c}") for c in ("id", "risk", "problem", "owner", "deadline", "status")],
        rows,
        [0.12, 0.07, 0.39, 0.14, 0.12, 0.16],
        marked,
    )
    font.check(s.texts)

    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(out_path.name + ".part")
    doc = SimpleDocTemplate(
        str(tmp),
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=s.label("remedy.report.title"),
        creator="gradesec",
        invariant=1 if invariant else 0,
        initialFontName=font.name,
        lang="zh-CN" if lang == "zh" else "en",
    )

    def decorate(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(font.name, 7.5)
        canvas.drawRightString(PAGE[0] - MARGIN, 10 * mm, str(document.page))
        canvas.restoreState()

    try:
        doc.build(s.flow, onFirstPage=decorate, onLaterPages=decorate)
        tmp.replace(out_path)
    finally:
        tmp.unlink(missing_ok=True)
    return int(doc.page)
