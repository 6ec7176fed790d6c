"""Reading an asset list (资产清单) from a workbook's first sheet or a UTF-8 CSV: name, kind, IP, version and
importance (关键 / 重要 / 一般). The kind may be a kind id, its Chinese or English name, or left empty: then it is
guessed from the name (and shown). The rows go to ``usecases.inventory.add_assets`` in one transaction."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path

from gradesec.catalog.models import ObjectKind
from gradesec.i18n import t
from gradesec.report.workbook.reader import WorkbookError, norm_header, open_workbook
from gradesec.report.workbook.words import guess_kind, norm

COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("名称", "资产名称", "对象名称", "name"),
    "kind": ("类型", "资产类型", "对象类型", "kind", "type"),
    "address": ("ip", "ip地址", "地址", "address"),
    "role": ("版本", "型号/版本", "用途", "version", "role"),
    "importance": ("重要程度", "重要性", "importance"),
    "notes": ("备注", "notes"),
}
IMPORTANCE_WORDS: dict[str, str] = {
    "关键": "关键",
    "重要": "重要",
    "一般": "一般",
    "key": "关键",
    "critical": "关键",
    "important": "重要",
    "general": "一般",
    "normal": "一般",
}


def _rows_of(path: Path) -> list[list[str]]:
    if path.suffix.lower() == ".csv":
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise WorkbookError(
                t("workbook.unreadable", path=path, detail=type(exc).__name__), t("workbook.assets.hint")
            ) from None
        return [list(r) for r in csv.reader(text.splitlines())]
    wb = open_workbook(path)
    try:
        ws = wb.worksheets[0]
        return [["" if v is None else str(v).strip() for v in r] for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def _header(rows: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    lookup = {norm_header(w): col for col, words in COLUMNS.items() for w in words}
    for n, values in enumerate(rows[:10]):
        cols: dict[str, int] = {}
        for c, v in enumerate(values):
            col = lookup.get(norm_header(v))
            if col is not None and col not in cols:
                cols[col] = c
        if "name" in cols:
            return n, cols
    return None


def read_assets(path: Path, kinds: Mapping[str, ObjectKind]) -> list[dict[str, str]]:
    """Asset specs, or a ``WorkbookError`` naming the first bad row."""
    rows = _rows_of(path)
    header = _header(rows)
    if header is None:
        raise WorkbookError(t("workbook.assets.no_header", path=path), t("workbook.assets.hint"))
    start, cols = header
    by_name = {norm(k.id): k.id for k in kinds.values()}
    for k in kinds.values():
        by_name.setdefault(norm(k.name.zh), k.id)
        by_name.setdefault(norm(k.name.en), k.id)
    specs: list[dict[str, str]] = []
    for n, values in enumerate(rows[start + 1 :], start=start + 2):
        spec = {col: (values[c].strip() if c < len(values) else "") for col, c in cols.items()}
        if not any(spec.values()):
            continue
        name = spec.get("name", "")
        kind_text = spec.get("kind", "")
        kind = by_name.get(norm(kind_text)) if kind_text else guess_kind(name, list(kinds))
        if kind is None:
            raise WorkbookError(
                t("workbook.assets.bad_kind", row=n, kind=kind_text),
                t("assess.error.bad_kind.hint", kinds=", ".join(kinds)),
            )
        importance = spec.get("importance", "")
        if importance:
            word = IMPORTANCE_WORDS.get(norm(importance))
            if word is None:
                raise WorkbookError(
                    t("workbook.assets.bad_importance", row=n, value=importance),
                    t("workbook.asset.bad_importance.hint"),
                )
            importance = word
        spec["kind"] = kind
        spec["importance"] = importance
        spec["guessed"] = "" if kind_text else "1"
        specs.append(spec)
    if not specs:
        raise WorkbookError(t("workbook.empty", path=path), t("workbook.assets.hint"))
    return specs
