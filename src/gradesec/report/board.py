"""The remediation board as the officer sees it, on paper (PDF) or in a spreadsheet (XLSX).

Exactly the rows the board shows, in its order: its filter, sort and search are printed in the heading so the
reader knows what was left out. Plain data in (``BoardView``), a file out; written beside the target and renamed
into place, so a failed build never leaves half a file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gradesec.i18n import t
from gradesec.remedy.lifecycle import effective_status, is_overdue

if TYPE_CHECKING:
    from gradesec.remedy.model import Item
    from gradesec.report.fonts import FontInfo

COLUMNS = ("id", "risk", "status", "dept", "person", "deadline", "problem", "measure")


@dataclass(frozen=True)
class BoardView:
    """What the board showed: its rows in order, and how they were chosen."""

    items: Sequence[Item]
    today: str  # ISO date: what is overdue
    scope: str  # the inspection (or "all inspections")
    filter: str  # all | overdue | mine | high
    sort: str  # deadline | risk | status
    search: str
    printed: str  # when, in local time (``gradesec.localtime.local_time``)


def header(lang: str) -> list[str]:
    return [t(f"officer.board.col.{c}", lang=lang) for c in COLUMNS]


def rows(view: BoardView, lang: str) -> list[list[str]]:
    out = []
    for item in view.items:
        status = t(f"remedy.status.{effective_status(item, view.today)}", lang=lang)
        if is_overdue(item, view.today):
            status += f" ({t('remedy.overdue', lang=lang)})"
        out.append(
            [
                item.id,
                t(f"remedy.risk.{item.risk}", lang=lang),
                status,
                item.owner_dept or "-",
                item.owner_person or "-",
                item.deadline or "-",
                item.title(lang),
                item.measure or "-",
            ]
        )
    return out


def selection(view: BoardView, lang: str) -> str:
    """One line: the scope, the filter, the order and the search, as the board had them."""
    text = t(
        "officer.board.selection",
        lang=lang,
        scope=view.scope,
        filter=t(f"remedy.tui.filter.{view.filter}", lang=lang),
        sort=t(f"remedy.tui.sort.{view.sort}", lang=lang),
        n=len(view.items),
    )
    if view.search.strip():
        text += " · " + t("officer.board.search", lang=lang, text=view.search.strip())
    return text


def build_board_pdf(
    view: BoardView, out_path: Path | str, lang: str, *, invariant: bool = False, font: FontInfo | None = None
) -> int:
    """Write the board to ``out_path`` as an A4 PDF in ``lang``; return the page count."""
    from reportlab.lib import colors

    from gradesec.report.fonts import find_font
    from gradesec.report.simpledoc import SimpleStory, write_simple_pdf

    font = font or find_font()
    s = SimpleStory(font, lang)
    title = s.label("officer.board.title")
    s.flow.append(s.para(title, s.title))
    s.flow.append(s.para(s.label("officer.board.printed", at=view.printed), s.subtitle))
    s.flow.append(s.para(selection(view, lang)))
    late = [n for n, item in enumerate(view.items) if is_overdue(item, view.today)]
    if view.items:
        s.table(
            header(lang),
            rows(view, lang),
            [0.13, 0.06, 0.11, 0.1, 0.1, 0.1, 0.22, 0.18],
            [("BACKGROUND", (0, r + 1), (-1, r + 1), colors.HexColor("#fde2e1")) for r in late],
        )
    else:
        s.flow.append(s.para(s.label("officer.board.empty")))
    return write_simple_pdf(s, Path(out_path), font, title=title, invariant=invariant)


def build_board_xlsx(view: BoardView, out_path: Path | str, lang: str) -> int:
    """Write the board to ``out_path`` as one worksheet in ``lang``; return the number of item rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from gradesec.report.workbook.writer import put_text

    out_path = Path(out_path)
    wb = Workbook()
    ws: Any = wb.active
    ws.title = t("officer.board.sheet", lang=lang)
    put_text(ws.cell(row=1, column=1), t("officer.board.title", lang=lang))
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    put_text(ws.cell(row=2, column=1), t("officer.board.printed", lang=lang, at=view.printed))
    put_text(ws.cell(row=3, column=1), selection(view, lang))
    head_row = 5
    fill = PatternFill("solid", fgColor="E4E9EF")
    late_fill = PatternFill("solid", fgColor="FDE2E1")
    for col, text in enumerate(header(lang), start=1):
        cell = ws.cell(row=head_row, column=col)
        put_text(cell, text)
        cell.font = Font(bold=True)
        cell.fill = fill
    body = rows(view, lang)
    for r, (item, values) in enumerate(zip(view.items, body, strict=True), start=head_row + 1):
        for col, text in enumerate(values, start=1):
            cell = ws.cell(row=r, column=col)
            put_text(cell, text)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if is_overdue(item, view.today):
                cell.fill = late_fill
    for letter, width in zip("ABCDEFGH", (12, 8, 16, 14, 14, 12, 48, 40), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = ws.cell(row=head_row + 1, column=1)
    stamp = datetime.fromisoformat(view.today)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "gradesec"
    wb.properties.title = t("officer.board.title", lang=lang)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(out_path.name + ".part")
    try:
        wb.save(tmp)
        tmp.replace(out_path)
    finally:
        tmp.unlink(missing_ok=True)
    return len(body)
