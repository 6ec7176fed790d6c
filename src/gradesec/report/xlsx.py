"""The record workbook (测评记录表) as XLSX: export, and parsing a workbook back into validated rows.

The layout is the one inspectors already keep: one sheet per asset, one row per item, the columns control
point | item | result record | conclusion | weight | id, and a summary sheet with the scores. Parsing finds
columns by their header (in either language, wherever the header row is among the first rows), so a workbook
made by hand in that layout reads as well as one gradesec wrote. Every row is checked; every problem is
reported with its sheet and row, and the caller decides whether anything is written.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from gradesec.errors import GradesecError
from gradesec.i18n import t
from gradesec.report.data import RESULTS, ReportData

Progress = Callable[[int, int], None]

COLUMNS: tuple[str, ...] = ("control", "item", "record", "result", "weight", "id")
# Header words accepted for each column, compared after casefold and removing spaces.
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "control": ("控制点", "安全控制点", "controlpoint", "control"),
    "item": ("测评项", "测评指标", "要求项", "item", "requirement"),
    "record": ("结果记录", "测评记录", "记录", "resultrecord", "record", "note", "notes"),
    "result": ("符合情况", "符合程度", "测评结论", "结论", "结果", "conclusion", "result", "compliance"),
    "weight": ("权重", "weight"),
    "id": ("编号", "测评项编号", "id", "itemid"),
}
REQUIRED: tuple[str, ...] = ("id", "result")
# Result words accepted on import, compared after casefold and removing spaces, hyphens and underscores.
RESULT_WORDS: dict[str, str] = {
    "符合": "compliant",
    "部分符合": "partial",
    "不符合": "noncompliant",
    "不适用": "na",
    "compliant": "compliant",
    "partial": "partial",
    "partiallycompliant": "partial",
    "noncompliant": "noncompliant",
    "notcompliant": "noncompliant",
    "na": "na",
    "n/a": "na",
    "notapplicable": "na",
}
SUMMARY_NAMES: frozenset[str] = frozenset({"汇总", "summary", "概况", "说明"})
HEADER_SEARCH_ROWS = 10
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _norm(value: object) -> str:
    return re.sub(r"[\s_\-]+", "", str(value)).casefold() if value is not None else ""


def sheet_titles(assets: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Sheet title per asset id (``(id, name)`` pairs): the name made legal for Excel, unique, ≤ 31 chars."""
    used: set[str] = set()
    out: dict[str, str] = {}
    for asset_id, name in assets:
        base = _BAD_SHEET_CHARS.sub("_", name).strip().strip("'") or asset_id
        base = base[:31]
        title = base
        n = 2
        while title.casefold() in used or title.casefold() in SUMMARY_NAMES:
            suffix = f" ({n})"
            title = base[: 31 - len(suffix)] + suffix
            n += 1
        used.add(title.casefold())
        out[asset_id] = title
    return out


# --- export ------------------------------------------------------------------------------------------------------


def build_workbook(data: ReportData, out_path: Path, *, lang: str, progress: Progress | None = None) -> int:
    """Write the record workbook; return the number of sheets (the summary and one per asset)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.worksheet.datavalidation import DataValidation

    def tr(key: str, **fields: object) -> str:
        return t(key, lang=lang, **fields)

    wb = Workbook()
    head_font = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="E8EDF3")
    thin = Side(style="thin", color="9AA5B1")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")

    summary = wb.active
    assert summary is not None
    summary.title = tr("report.xlsx.summary")
    rows: list[tuple[str, object]] = [
        (tr("report.field.unit"), data.unit_name),
        (tr("report.field.system"), data.system_name),
        (tr("report.field.level"), data.level),
        (tr("report.xlsx.inspection"), data.inspection_id),
        (tr("report.field.profile"), data.profile_id),
        (tr("report.field.policy"), data.policy_id),
        (tr("report.field.score"), None if data.score is None else round(data.score, 2)),
        (tr("report.field.conclusion"), data.conclusion),
        (tr("report.field.progress"), tr("report.progress", done=data.recorded, total=data.applicable)),
        (tr("report.field.report_date"), data.generated.isoformat()),
    ]
    for key, value in rows:
        summary.append([key, value])
        summary.cell(summary.max_row, 1).font = head_font
    summary.append([])
    summary.append([tr(f"report.result.{r}") for r in RESULTS] + [tr("report.result.none")])
    summary.append(
        [data.result_counts.get(r, 0) for r in RESULTS] + [max(data.applicable - data.recorded, 0)]
    )
    summary.append([])
    header_row = summary.max_row + 1
    summary.append(
        [tr("report.col.category"), tr("report.col.class"), tr("report.col.items"), tr("report.col.score")]
    )
    for c in data.categories:
        score = None if c.score is None else round(c.score, 2)
        summary.append([c.name, tr(f"report.class.{c.cls}"), c.items, score])
    summary.append([])
    summary.append(
        [tr("report.col.control"), tr("report.col.id"), tr("report.col.items"), tr("report.col.score10")]
    )
    control_header = summary.max_row
    for control in data.controls:
        score = None if control.score is None else round(control.score, 2)
        summary.append([control.name, control.id, control.items, score])
    for row in (header_row, control_header, header_row - 3):
        for cell in summary[row]:
            cell.font = head_font
            cell.fill = head_fill
    summary.column_dimensions["A"].width = 26
    summary.column_dimensions["B"].width = 40
    summary.column_dimensions["C"].width = 12
    summary.column_dimensions["D"].width = 12

    items = {i.id: i for i in data.items}
    words = {r: tr(f"report.result.{r}") for r in RESULTS}
    titles = sheet_titles([(a.id, a.name) for a in data.assets])
    by_asset = data.results_by_asset()
    headers = [tr(f"report.col.{c}") for c in COLUMNS]
    widths = {"A": 18, "B": 60, "C": 60, "D": 12, "E": 8, "F": 14}
    total = len(data.assets)
    for n, asset in enumerate(data.assets, 1):
        ws = wb.create_sheet(titles[asset.id])
        ws.append(headers)
        for cell in ws[1]:
            cell.font = head_font
            cell.fill = head_fill
            cell.border = border
            cell.alignment = top
        for row in by_asset.get(asset.id, []):
            item = items.get(row.item_id)
            ws.append(
                [
                    item.control_name if item else "",
                    item.text if item else "",
                    row.note,
                    words[row.result] if row.result else None,
                    item.weight if item else None,
                    row.item_id,
                ]
            )
            r = ws.max_row
            for col in (1, 2, 3):
                ws.cell(r, col).alignment = wrap
        for letter, width in widths.items():
            ws.column_dimensions[letter].width = width
        ws.freeze_panes = "A2"
        if ws.max_row > 1:
            choice = DataValidation(
                type="list", formula1='"' + ",".join(words[r] for r in RESULTS) + '"', allow_blank=True
            )
            choice.add(f"D2:D{ws.max_row}")
            ws.add_data_validation(choice)
        if progress is not None:
            progress(n, total)
    stamp = datetime(data.generated.year, data.generated.month, data.generated.day)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "gradesec"
    wb.properties.title = f"{data.system_name} {data.inspection_id}"
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(out_path.name + ".part")
    try:
        wb.save(tmp)
        tmp.replace(out_path)
    finally:
        tmp.unlink(missing_ok=True)
    return len(wb.sheetnames)


# --- import ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssetRef:
    id: str
    name: str
    kind: str


@dataclass(frozen=True)
class WorkbookRow:
    """One valid row: the result of one item on one asset."""

    sheet: str
    row: int
    asset_id: str
    item_id: str
    result: str
    note: str


@dataclass(frozen=True)
class RowProblem:
    sheet: str
    row: int  # 0: the sheet as a whole
    message: str

    def __str__(self) -> str:
        if self.row:
            return t("report.xlsx.at_row", sheet=self.sheet, row=self.row, message=self.message)
        return t("report.xlsx.at_sheet", sheet=self.sheet, message=self.message)


@dataclass
class ParsedWorkbook:
    rows: list[WorkbookRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    blank: int = 0  # rows with an item id but no result yet (skipped)
    sheets: list[str] = field(default_factory=list)


class WorkbookError(GradesecError):
    """A workbook cannot be imported; ``problems`` lists each row that is wrong."""

    def __init__(self, message: str, hint: str | None = None, problems: list[str] | None = None) -> None:
        super().__init__(message, hint)
        self.problems: list[str] = problems or []


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _column(values: tuple[Any, ...], cols: dict[str, int], name: str) -> str:
    c = cols.get(name)
    return _cell_text(values[c]) if c is not None and c < len(values) else ""


def _find_header(rows: list[tuple[Any, ...]]) -> tuple[int, dict[str, int]] | None:
    """(row index, column per field) of the first row that names the required columns."""
    lookup = {_norm(w): col for col, words in HEADER_WORDS.items() for w in words}
    for r, values in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for c, value in enumerate(values):
            col = lookup.get(_norm(value))
            if col is not None and col not in found:
                found[col] = c
        if all(k in found for k in REQUIRED):
            return r, found
    return None


def parse_workbook(
    path: Path,
    assets: Sequence[AssetRef],
    applicable: Mapping[str, Iterable[str]],
    *,
    progress: Progress | None = None,
) -> ParsedWorkbook:
    """Read every sheet of ``path`` and check every row.

    ``assets`` are the inspection's assets; ``applicable`` maps each item id of the inspection to the object
    kinds it applies to. Nothing is written; the result holds the valid rows and every problem found.
    """
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise WorkbookError(t("report.xlsx.no_file", path=path), t("report.xlsx.no_file.hint")) from None
    except (InvalidFileException, OSError, KeyError, ValueError, TypeError) as exc:
        raise WorkbookError(
            t("report.xlsx.unreadable", path=path, detail=str(exc) or type(exc).__name__),
            t("report.xlsx.unreadable.hint"),
        ) from None
    except Exception as exc:  # zipfile.BadZipFile and friends: the file is not an XLSX workbook
        raise WorkbookError(
            t("report.xlsx.unreadable", path=path, detail=type(exc).__name__),
            t("report.xlsx.unreadable.hint"),
        ) from None

    titles = sheet_titles([(a.id, a.name) for a in assets])
    by_name: dict[str, AssetRef] = {}
    for a in assets:
        for key in (a.name, titles[a.id], a.id):
            by_name.setdefault(_norm(key), a)
    kinds = {item: frozenset(objs) for item, objs in applicable.items()}
    accepted = (
        "、".join(("符合", "部分符合", "不符合", "不适用")) + " / compliant, partial, non-compliant, n/a"
    )
    out = ParsedWorkbook()
    try:
        names = list(wb.sheetnames)
        seen_assets: dict[str, str] = {}
        for n, name in enumerate(names, 1):
            ws = wb[name]
            if _norm(name) in SUMMARY_NAMES or _norm(name) == _norm(t("report.xlsx.summary", lang="en")):
                continue
            out.sheets.append(name)
            rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
            if not any(any(v is not None and str(v).strip() for v in r) for r in rows):
                continue  # an empty sheet carries nothing
            asset = by_name.get(_norm(name))
            if asset is None:
                out.problems.append(RowProblem(name, 0, t("report.xlsx.no_asset")))
                continue
            if asset.id in seen_assets:
                other = seen_assets[asset.id]
                out.problems.append(RowProblem(name, 0, t("report.xlsx.asset_twice", other=other)))
                continue
            seen_assets[asset.id] = name
            header = _find_header(rows)
            if header is None:
                out.problems.append(RowProblem(name, 0, t("report.xlsx.no_header")))
                continue
            start, cols = header
            seen_items: dict[str, int] = {}
            for r in range(start + 1, len(rows)):
                values = rows[r]
                excel_row = r + 1

                item_id = _column(values, cols, "id")
                result_text = _column(values, cols, "result")
                note = _column(values, cols, "record")
                if not item_id:
                    if result_text or note:
                        out.problems.append(RowProblem(name, excel_row, t("report.xlsx.no_id")))
                    continue
                if item_id not in kinds:
                    out.problems.append(
                        RowProblem(name, excel_row, t("report.xlsx.unknown_item", id=item_id))
                    )
                    continue
                if asset.kind not in kinds[item_id]:
                    out.problems.append(
                        RowProblem(
                            name, excel_row, t("report.xlsx.not_applicable", id=item_id, kind=asset.kind)
                        )
                    )
                    continue
                if item_id in seen_items:
                    out.problems.append(
                        RowProblem(
                            name, excel_row, t("report.xlsx.item_twice", id=item_id, row=seen_items[item_id])
                        )
                    )
                    continue
                seen_items[item_id] = excel_row
                if not result_text:
                    if note:
                        out.problems.append(
                            RowProblem(name, excel_row, t("report.xlsx.no_result", id=item_id))
                        )
                    else:
                        out.blank += 1
                    continue
                result = RESULT_WORDS.get(_norm(result_text))
                if result is None:
                    out.problems.append(
                        RowProblem(
                            name,
                            excel_row,
                            t("report.xlsx.bad_result", value=result_text, words=accepted),
                        )
                    )
                    continue
                out.rows.append(WorkbookRow(name, excel_row, asset.id, item_id, result, note))
            if progress is not None:
                progress(n, len(names))
    except (SyntaxError, zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, TypeError) as exc:
        # Read-only workbooks parse each sheet while it is read: broken XML (ParseError is a SyntaxError), a
        # bad CRC, an entity bomb or an external entity (refused by defusedxml / expat) surface here.
        raise WorkbookError(
            t("report.xlsx.unreadable", path=path, detail=str(exc)[:200] or type(exc).__name__),
            t("report.xlsx.unreadable.hint"),
        ) from None
    finally:
        wb.close()
    return out


def build_plan_workbook(data: ReportData, out_path: Path, *, lang: str, number: str = "") -> int:
    """The remediation plan as one editable sheet (problem → risk → measure → owner → deadline → status)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    def tr(key: str, **fields: object) -> str:
        return t(key, lang=lang, **fields)

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = tr("report.section.plan")[:31]
    keys = ("no", "id", "control", "asset", "problem", "risk", "measure", "owner", "deadline", "status")
    ws.append([tr(f"report.col.{k}") for k in keys])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8EDF3")
    wrap = Alignment(wrap_text=True, vertical="top")
    for _risk, group in data.issues_by_risk():
        for issue in group:
            deadline = data.deadline(issue)
            risk = tr(f"report.risk.{issue.risk}" if issue.risk else "report.risk.unrated")
            ws.append(
                [
                    issue.no,
                    issue.item_id,
                    issue.control_name,
                    issue.asset_name,
                    issue.finding,
                    risk + (f" / {tr('report.major')}" if issue.major else ""),
                    issue.measure,
                    issue.owner,
                    deadline.isoformat() if deadline else None,
                    issue.status or tr("report.plan.status_open"),
                ]
            )
            for col in (3, 5, 7):
                ws.cell(ws.max_row, col).alignment = wrap
    for letter, width in zip("ABCDEFGHIJ", (6, 12, 16, 16, 50, 10, 50, 16, 12, 10), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    stamp = datetime(data.generated.year, data.generated.month, data.generated.day)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "gradesec"
    wb.properties.title = number or data.inspection_id
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(out_path.name + ".part")
    try:
        wb.save(tmp)
        tmp.replace(out_path)
    finally:
        tmp.unlink(missing_ok=True)
    return 1
