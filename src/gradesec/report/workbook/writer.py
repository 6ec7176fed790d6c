"""Writing the record workbook (测评记录表) in the shape inspectors keep, and the remediation plan workbook.

After a summary sheet come the category sheets in category order (中心机房, 安全通信网络, 系统边界, 安全管理中心,
the management categories), then the objects by kind. Each object's sheet holds the items that apply to it (and
any result recorded beyond that, marked as an extension of scope): a title line with the object and its
address, the header 扩展标准 | 控制点 | 测评项 | 结果记录 | 符合情况 | 权重 | 编号 | 不适用理由 | 测评方法 | 证据,
merged 控制点 cells, the items lettered a）b）… in the wording in use, and a drop-down of the result words.

Every text a person typed is written as text: a note that begins with = + - or @ stays a note (never a formula),
and the reader gives it back unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from gradesec.i18n import t
from gradesec.report.data import RESULTS, ReportData

Progress = Callable[[int, int], None]

SUMMARY_NAMES: frozenset[str] = frozenset({"汇总", "summary", "概况", "说明"})
COLUMNS: tuple[str, ...] = (
    "ext",
    "control",
    "item",
    "record",
    "result",
    "weight",
    "id",
    "reason",
    "method",
    "evidence",
    "scope",
)
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_FORMULA_START = ("=", "+", "-", "@")


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


def put_text(cell: Any, text: str) -> None:
    """Write ``text`` as a string cell, whatever it begins with."""
    cell.value = text
    if text.startswith(_FORMULA_START):
        cell.data_type = "s"


def _save(wb: Any, data: ReportData, out_path: Path, title: str) -> None:
    stamp = datetime(data.generated.year, data.generated.month, data.generated.day)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "gradesec"
    wb.properties.title = title
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(out_path.name + ".part")
    try:
        wb.save(tmp)
        tmp.replace(out_path)
    finally:
        tmp.unlink(missing_ok=True)


def _summary_sheet(wb: Any, data: ReportData, lang: str, wording: str) -> None:
    from openpyxl.styles import Font, PatternFill

    def tr(key: str, **fields: object) -> str:
        return t(key, lang=lang, **fields)

    head_font = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="E8EDF3")
    summary = wb.active
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
        (tr("workbook.wording.label"), wording),
    ]
    witness = data.integrity.witness
    rows.append(
        (
            tr("report.witness.id"),
            tr("report.witness.none")
            if witness is None
            else tr("report.paren", text=witness.id, inner=witness.at),
        )
    )
    if witness is not None:
        rows.append((tr("report.witness.hash"), witness.hash))
        wb.properties.identifier = witness.hash  # also in the file's properties, read without opening a sheet
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
    for letter, width in zip("ABCD", (26, 40, 12, 12), strict=True):
        summary.column_dimensions[letter].width = width


def object_order(data: ReportData, category_kinds: dict[str, str], kind_order: Sequence[str]) -> list[str]:
    """Asset ids in the field's sheet order: category objects in category order (``category_kinds`` is in
    that order), then the rest by kind (``kind_order``), then by name."""
    cat_rank = {kind: n for n, kind in enumerate(category_kinds.values())}
    kind_rank = {k: n for n, k in enumerate(kind_order)}
    ranked = sorted(
        data.assets,
        key=lambda a: (
            0 if a.kind in cat_rank else 1,
            cat_rank.get(a.kind, kind_rank.get(a.kind, 999)),
            a.name,
        ),
    )
    return [a.id for a in ranked]


def build_workbook(
    data: ReportData,
    out_path: Path,
    *,
    lang: str,
    progress: Progress | None = None,
    category_kinds: dict[str, str] | None = None,
    kind_order: Sequence[str] = (),
    official: dict[str, str] | None = None,
    wording: str = "",
) -> int:
    """Write the record workbook; return the number of sheets (the summary and one per object).

    ``official`` maps item ids to the user's official wording (used instead of gradesec's where given);
    ``wording`` names the wording in use, printed on the summary sheet.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.worksheet.datavalidation import DataValidation

    def tr(key: str, **fields: object) -> str:
        return t(key, lang=lang, **fields)

    wb = Workbook()
    _summary_sheet(wb, data, lang, wording or tr("workbook.wording.own"))
    head_font = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="E8EDF3")
    thin = Side(style="thin", color="9AA5B1")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    middle = Alignment(wrap_text=True, vertical="center")

    items = {i.id: i for i in data.items}
    official = official or {}
    words = {r: tr(f"report.result.{r}") for r in RESULTS}
    methods = {m: tr(f"workbook.method.{m}") for m in ("interview", "examine", "test")}
    titles = sheet_titles([(a.id, a.name) for a in data.assets])
    by_asset = data.results_by_asset()
    asset_by_id = {a.id: a for a in data.assets}
    headers = [tr(f"workbook.col.{c}") for c in COLUMNS]
    widths = dict(zip("ABCDEFGHIJK", (10, 16, 60, 50, 12, 8, 12, 30, 10, 30, 14), strict=True))
    general = tr("workbook.general")
    order = (
        object_order(data, category_kinds or {}, kind_order)
        if category_kinds is not None
        else [a.id for a in data.assets]
    )
    total = len(order)
    for n, asset_id in enumerate(order, 1):
        asset = asset_by_id[asset_id]
        ws = wb.create_sheet(titles[asset.id])
        title = tr("workbook.title.object", name=asset.name, kind=asset.kind_name)
        if asset.address:
            title += "  " + tr("workbook.title.address", address=asset.address)
        if asset.role:
            title += "  " + tr("workbook.title.role", role=asset.role)
        put_text(ws.cell(1, 1), title)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=5)
        ws.cell(1, 1).font = head_font
        for c, text in enumerate(headers, 1):
            cell = ws.cell(2, c, text)
            cell.font = head_font
            cell.fill = head_fill
            cell.border = border
        r = 2
        spans: list[tuple[int, int]] = []
        last_control = None
        for row in by_asset.get(asset.id, []):
            item = items.get(row.item_id)
            r += 1
            control = item.control if item else row.item_id
            if control != last_control:
                spans.append((r, r))
                put_text(ws.cell(r, 2), item.control_name if item else "")
                last_control = control
            else:
                spans[-1] = (spans[-1][0], r)
            text = official.get(row.item_id) or (item.text if item else row.item_id)
            letter = item.letter if item and item.letter else ""
            put_text(ws.cell(r, 3), f"{letter}）{text}" if letter else text)
            put_text(ws.cell(r, 4), row.record if row.result else "")
            if row.result:
                ws.cell(r, 5, words[row.result])
            ws.cell(r, 6, f"{item.weight:.2f}" if item else None)
            ws.cell(r, 7, row.item_id)
            put_text(ws.cell(r, 8), row.na_reason if row.result == "na" else "")
            if row.method:
                ws.cell(r, 9, methods.get(row.method, row.method))
            if row.evidence_refs:
                put_text(ws.cell(r, 10), "\n".join(row.evidence_refs))
            if row.extends_scope:
                ws.cell(r, 11, tr("workbook.scope_extension"))
            for col in (3, 4, 8):
                ws.cell(r, col).alignment = wrap
        if r > 2:
            if not any(ws.cell(x, 1).value for x in range(3, r + 1)):
                ws.cell(3, 1, general)
                ws.merge_cells(start_row=3, start_column=1, end_row=r, end_column=1)
                ws.cell(3, 1).alignment = middle
            else:
                for x in range(3, r + 1):
                    if not ws.cell(x, 1).value:
                        ws.cell(x, 1, general)
            for first, last in spans:
                ws.cell(first, 2).alignment = middle
                if last > first:
                    ws.merge_cells(start_row=first, start_column=2, end_row=last, end_column=2)
            choice = DataValidation(
                type="list", formula1='"' + ",".join(words[x] for x in RESULTS) + '"', allow_blank=True
            )
            choice.add(f"E3:E{r}")
            ws.add_data_validation(choice)
        for letter, width in widths.items():
            ws.column_dimensions[letter].width = width
        ws.freeze_panes = "A3"
        if progress is not None:
            progress(n, total)
    _save(wb, data, out_path, f"{data.system_name} {data.inspection_id}")
    return len(wb.sheetnames)


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
                cell = ws.cell(ws.max_row, col)
                if isinstance(cell.value, str):
                    put_text(cell, cell.value)
                cell.alignment = wrap
    for letter, width in zip("ABCDEFGHIJ", (6, 12, 16, 16, 50, 10, 50, 16, 12, 10), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    _save(wb, data, out_path, number or data.inspection_id)
    return 1
