"""Reading a record workbook (测评记录表) as inspectors keep it, into plain rows.

No catalog knowledge here: the reader finds each sheet's header wherever it is among the first rows (a title
line may sit above it), recognises the columns by their header words in either language, recognises the two
columns real workbooks leave without a header (the item weight as text, and a platform's own row id) by what
they hold, and follows merged 控制点 / 扩展标准 cells down (only a merged range's first cell holds the value).

The file is checked before openpyxl sees it: a password-protected workbook is an OLE container, not a zip, and
says so; openpyxl parses XML with defusedxml (installed with gradesec), so entity expansion and external
entities are refused, and that refusal is reported as one sentence like any other unreadable file.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gradesec.errors import GradesecError
from gradesec.i18n import t

Progress = Callable[[int, int], None]

HEADER_SEARCH_ROWS = 10
# Header words of each column, compared after removing spaces, punctuation and case.
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "ext": ("扩展标准", "扩展要求", "extension", "standard"),
    "control": ("控制点", "安全控制点", "controlpoint", "control"),
    "item": ("测评项", "测评指标", "要求项", "item", "requirement"),
    "item_en": ("测评项英文", "英文", "itemen", "english", "texten", "en"),
    "record": ("结果记录", "测评记录", "记录", "resultrecord", "record", "note", "notes"),
    "result": ("符合情况", "符合程度", "测评结论", "结论", "结果", "conclusion", "result", "compliance"),
    "weight": ("权重", "weight"),
    "id": ("编号", "测评项编号", "id", "itemid"),
    "platform": ("平台编号", "platformid"),
    "reason": ("不适用理由", "不适用原因", "nareason", "reasonna"),
    "method": ("测评方法", "方法", "method"),
    "evidence": ("证据", "evidence"),
    "scope": ("测评范围扩展", "范围扩展", "scopeextension", "scope"),
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PUNCT = re.compile(r"[\s_\-:：()（）]+")
_WEIGHT = re.compile(r"^(0(\.\d+)?|1(\.0+)?)$")
_DIGITS = re.compile(r"^\d{1,12}$")


def norm_header(value: object) -> str:
    return _PUNCT.sub("", str(value)).casefold() if value is not None else ""


class WorkbookError(GradesecError):
    """A workbook cannot be imported; ``problems`` lists each row that is wrong."""

    def __init__(self, message: str, hint: str | None = None, problems: list[str] | None = None) -> None:
        super().__init__(message, hint)
        self.problems: list[str] = problems or []


@dataclass(frozen=True)
class RawRow:
    """One data row of a sheet, as text (merged control points and extension marks filled down)."""

    row: int  # the Excel row number
    ext: str
    control: str
    item: str
    record: str
    result: str
    weight: str
    item_id: str  # gradesec's item id, when the sheet has an 编号 column that holds one
    platform_id: str  # the unlabelled platform number, when there is one
    reason: str = ""
    method: str = ""
    evidence: str = ""
    item_en: str = ""  # the item's sentence in English, where the sheet has such a column

    @property
    def empty(self) -> bool:
        return not (self.item or self.item_id or self.record or self.result)


@dataclass
class RawSheet:
    name: str
    title: str = ""  # the text above the header (IP, version …)
    columns: dict[str, int] = field(default_factory=dict)
    rows: list[RawRow] = field(default_factory=list)
    header_row: int = 0  # 0: no header found

    @property
    def blank(self) -> bool:
        return self.header_row == 0 and not self.rows


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def _find_header(rows: Sequence[tuple[Any, ...]]) -> tuple[int, dict[str, int]] | None:
    lookup = {norm_header(w): col for col, words in HEADER_WORDS.items() for w in words}
    for r, values in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for c, value in enumerate(values):
            col = lookup.get(norm_header(value))
            if col is not None and col not in found:
                found[col] = c
        if "result" in found and ("id" in found or "item" in found):
            return r, found
    return None


def _unlabelled(rows: Sequence[tuple[Any, ...]], header: tuple[Any, ...], used: set[int]) -> dict[str, int]:
    """Weight and platform-id columns by what they hold: the headerless columns to the right of the header."""
    found: dict[str, int] = {}
    width = max((len(r) for r in rows), default=0)
    for c in range(width):
        if c in used or (c < len(header) and header[c] not in (None, "")):
            continue
        values = [_text(r[c]) for r in rows if c < len(r) and r[c] not in (None, "")]
        if not values:
            continue
        weights = sum(1 for v in values if _WEIGHT.match(v))
        digits = sum(1 for v in values if _DIGITS.match(v))
        if "weight" not in found and weights >= 0.8 * len(values) and any("." in v for v in values):
            found["weight"] = c
        elif "platform" not in found and digits >= 0.8 * len(values):
            found["platform"] = c
    return found


def _unsafe(exc: BaseException) -> bool:
    """Whether defusedxml refused the XML somewhere in this exception's chain (openpyxl wraps it)."""
    from defusedxml.common import DefusedXmlException

    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            return False
        if isinstance(seen, DefusedXmlException):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def open_workbook(path: Path) -> Any:
    """openpyxl's read-only workbook, or a ``WorkbookError`` in one sentence."""
    from openpyxl import load_workbook

    def unreadable(detail: str) -> WorkbookError:
        return WorkbookError(
            t("workbook.unreadable", path=path, detail=detail), t("report.xlsx.unreadable.hint")
        )

    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        raise WorkbookError(t("report.xlsx.no_file", path=path), t("report.xlsx.no_file.hint")) from None
    except OSError as exc:
        raise unreadable(exc.strerror or type(exc).__name__) from None
    if head == OLE_MAGIC:
        raise WorkbookError(t("workbook.encrypted", path=path), t("workbook.encrypted.hint"))
    if not zipfile.is_zipfile(path):
        raise WorkbookError(t("workbook.not_xlsx", path=path), t("report.xlsx.unreadable.hint"))
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # defusedxml's refusals, a broken zip member, a missing part …
        if _unsafe(exc):
            raise WorkbookError(t("workbook.unsafe_xml", path=path), t("workbook.unsafe_xml.hint")) from None
        raise unreadable(type(exc).__name__) from None


def read_sheet(name: str, numbered: Sequence[tuple[int, tuple[Any, ...]]]) -> RawSheet:
    """One sheet from its ``(Excel row number, values)`` rows (rows that hold nothing may be left out)."""
    sheet = RawSheet(name)
    top = [(number, values) for number, values in numbered if number <= HEADER_SEARCH_ROWS]
    header = _find_header([values for _n, values in top])
    if header is None:
        if any(any(v is not None and str(v).strip() for v in r) for _n, r in numbered):
            sheet.header_row = -1  # content, but no header
        return sheet
    at, cols = header
    start, header_values = top[at]
    sheet.header_row = start
    sheet.title = " ".join(_text(v) for n, r in numbered if n < start for v in r if _text(v))
    body = [(n, values) for n, values in numbered if n > start]
    cols.update(_unlabelled([values for _n, values in body], header_values, set(cols.values())))
    sheet.columns = cols

    def get(values: tuple[Any, ...], key: str) -> str:
        c = cols.get(key)
        return _text(values[c]) if c is not None and c < len(values) else ""

    control = ext = ""
    for excel_row, values in body:
        this_control = get(values, "control")
        this_ext = get(values, "ext")
        control = this_control or control
        ext = this_ext or ext
        raw = RawRow(
            excel_row,
            ext,
            control,
            get(values, "item"),
            get(values, "record"),
            get(values, "result"),
            get(values, "weight"),
            get(values, "id"),
            get(values, "platform"),
            get(values, "reason"),
            get(values, "method"),
            get(values, "evidence"),
            get(values, "item_en"),
        )
        if not raw.empty:
            sheet.rows.append(raw)
    return sheet


def _check_file(path: Path) -> None:
    """A ``WorkbookError`` in one sentence for a file that is missing, encrypted or not a zip."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        raise WorkbookError(t("report.xlsx.no_file", path=path), t("report.xlsx.no_file.hint")) from None
    except OSError as exc:
        raise WorkbookError(
            t("workbook.unreadable", path=path, detail=exc.strerror or type(exc).__name__),
            t("report.xlsx.unreadable.hint"),
        ) from None
    if head == OLE_MAGIC:
        raise WorkbookError(t("workbook.encrypted", path=path), t("workbook.encrypted.hint"))
    if not zipfile.is_zipfile(path):
        raise WorkbookError(t("workbook.not_xlsx", path=path), t("report.xlsx.unreadable.hint"))


def read_workbook(
    path: Path, *, skip: Callable[[str], bool], progress: Progress | None = None
) -> list[RawSheet]:
    """Every sheet of ``path`` (except those ``skip`` names) as raw rows; raises ``WorkbookError``.

    Cell values come from ``xlsxread`` (expat over the sheet parts, DTDs refused), not openpyxl's cell objects.
    """
    from gradesec.report.workbook.xlsxread import Damaged, UnsafeXml, open_xlsx

    _check_file(path)
    sheets: list[RawSheet] = []
    try:
        with open_xlsx(path) as book:
            names = list(book.sheets)
            for n, name in enumerate(names, 1):
                if skip(name):
                    continue
                sheets.append(read_sheet(name, book.rows(name)))
                if progress is not None:
                    progress(n, len(names))
    except UnsafeXml:
        raise WorkbookError(t("workbook.unsafe_xml", path=path), t("workbook.unsafe_xml.hint")) from None
    except (Damaged, zipfile.BadZipFile, KeyError, OSError, EOFError, RuntimeError, ValueError) as exc:
        raise WorkbookError(
            t("workbook.unreadable", path=path, detail=type(exc).__name__), t("report.xlsx.unreadable.hint")
        ) from None
    return sheets
