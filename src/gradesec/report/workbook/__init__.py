"""The record workbook (测评记录表): ``reader`` (cells to raw rows), ``mapper`` (rows to items and objects),
``importer`` (into an inspection, one signed transaction) and ``writer`` (the field's shape, and the plan)."""

from __future__ import annotations

from gradesec.report.workbook.reader import WorkbookError
from gradesec.report.workbook.writer import build_plan_workbook, build_workbook, put_text, sheet_titles

__all__ = ["WorkbookError", "build_plan_workbook", "build_workbook", "put_text", "sheet_titles"]
