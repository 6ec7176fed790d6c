"""A streaming reader of an XLSX file's cell values: sheet names, then each sheet's rows as tuples.

The importer needs the values of a few thousand cells, not openpyxl's cell objects, styles and descriptors:
reading the sheet XML with expat directly costs a fraction of openpyxl's read-only mode (bench/workbook.py
prints both). What it reads: the workbook part (sheet names and order, through its relationships), the shared
strings (rich-text runs joined, phonetic guides left out), and each sheet's cells: shared and inline strings,
formula results kept as text (``str``), numbers (int when whole), booleans and error values. Number formats are
not applied, except that a number in a cell whose style is a date or time format (built-in or custom, read from
the styles part) is given as ISO text: ``2026-12-02``, ``2026-12-02 10:05``, ``10:05`` (1900 or 1904 date
system, as the workbook declares).

Safety: an XLSX part never has a document type declaration, so any DTD (which is where entity expansion and
external entities live) is refused before expat expands anything; cell references beyond Excel's limits and
shared-string indexes out of range are refused as a damaged file.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any
from xml.parsers import expat

MAX_ROW = 1_048_576
MAX_COL = 16_384
_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Built-in number formats that show a date or a time (ECMA-376 Part 1, 18.8.30, and the East Asian ids that
# Excel maps to 年/月/日 formats).
_BUILTIN_DATES = frozenset({*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)})
# Parts of a format code that hold no date letter: quoted text, escaped characters, [colour]/[$-locale] tags.
_FORMAT_NOISE = re.compile(r'"[^"]*"|\\.|_.|\*.|\[(?!h+\]|m+\]|s+\])[^\]]*\]', re.IGNORECASE)
# A letter of a date or time part (e is the era year, unless it is a number's exponent as in 0.00E+00).
_DATE_LETTER = re.compile(r"[ymdhs]|(?<![0-9#])e(?![+-])")
_LAST_SERIAL = 2_958_465  # 9999-12-31 in the 1900 system


class UnsafeXml(ValueError):
    """A part declares a DTD (entity expansion, external entities): refused unread."""


class Damaged(ValueError):
    """A part is not what an XLSX part must be."""


def _local(name: str) -> str:
    return name.rpartition(" ")[2]


def _parser() -> Any:
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse(*_args: object) -> None:
        raise UnsafeXml("a document type declaration in a workbook part")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse

    def refuse_external(*_args: object) -> int:
        raise UnsafeXml("an external entity in a workbook part")

    parser.ExternalEntityRefHandler = refuse_external
    parser.buffer_text = True
    return parser


def _parse(
    fh: IO[bytes], start: Callable[..., None], end: Callable[[str], None], text: Callable[[str], None]
) -> None:
    parser = _parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.ParseFile(fh)
    except expat.ExpatError as exc:
        raise Damaged(str(exc)) from None
    except (zlib.error, zipfile.BadZipFile, EOFError) as exc:  # a part that does not inflate or fails its CRC
        raise Damaged(str(exc)) from None


def _column(ref: str) -> int:
    """0-based column of a reference such as ``AB12`` (``Damaged`` beyond column XFD)."""
    m = _REF.match(ref)
    if m is None:
        raise Damaged(f"bad cell reference {ref[:20]!r}")
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    if col > MAX_COL or int(m.group(2)) > MAX_ROW:
        raise Damaged(f"cell reference {ref[:20]!r} beyond the sheet's limits")
    return col - 1


class XlsxFile:
    """An open XLSX file: ``sheets`` (names in the workbook's order) and ``rows(name)``."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zip = zf
        names = set(zf.namelist())
        targets = (
            self._relationships("xl/_rels/workbook.xml.rels") if "xl/_rels/workbook.xml.rels" in names else {}
        )
        self.parts: dict[str, str] = {}
        self.sheets: list[str] = []
        shared_part = next(
            (p for t, p in targets.values() if t.endswith("/sharedStrings")), "xl/sharedStrings.xml"
        )

        def start(name: str, attrs: dict[str, str]) -> None:
            if _local(name) == "sheet":
                rid = attrs.get(f"{_REL_NS} id", "")
                sheet = attrs.get("name", "")
                if rid in targets:
                    self.sheets.append(sheet)
                    self.parts[sheet] = targets[rid][1]

        if "xl/workbook.xml" not in names:
            raise Damaged("no workbook part")

        def start_book(name: str, attrs: dict[str, str]) -> None:
            if _local(name) == "workbookPr":
                self.date1904 = attrs.get("date1904", "").lower() in ("1", "true")
            start(name, attrs)

        self.date1904 = False
        with zf.open("xl/workbook.xml") as fh:
            _parse(fh, start_book, lambda _n: None, lambda _t: None)
        self.shared = self._shared(shared_part) if shared_part in names else []
        styles_part = next((p for t, p in targets.values() if t.endswith("/styles")), "xl/styles.xml")
        self.date_styles = self._date_styles(styles_part) if styles_part in names else {}

    def _date_styles(self, part: str) -> dict[int, bool]:
        """``{cell style index: whether it shows a time of day}`` for every cell style with a date/time format."""
        custom: dict[int, str] = {}
        xfs: list[int] = []
        depth = {"cellXfs": 0}

        def start(name: str, attrs: dict[str, str]) -> None:
            tag = _local(name)
            if tag == "numFmt":
                ident = attrs.get("numFmtId", "")
                if ident.isdigit():
                    custom[int(ident)] = attrs.get("formatCode", "")
            elif tag == "cellXfs":
                depth["cellXfs"] += 1
            elif tag == "xf" and depth["cellXfs"]:
                ident = attrs.get("numFmtId", "0")
                xfs.append(int(ident) if ident.isdigit() else 0)

        def end(name: str) -> None:
            if _local(name) == "cellXfs":
                depth["cellXfs"] -= 1

        with self.zip.open(part) as fh:
            _parse(fh, start, end, lambda _t: None)
        out: dict[int, bool] = {}
        for index, ident in enumerate(xfs):
            kind = _format_kind(ident, custom.get(ident))
            if kind is not None:
                out[index] = kind
        return out

    def _relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """``{id: (type, part path)}`` of a relationships part (targets resolved against ``xl/``)."""
        out: dict[str, tuple[str, str]] = {}

        def start(name: str, attrs: dict[str, str]) -> None:
            if _local(name) == "Relationship":
                target = attrs.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else "xl/" + target
                out[attrs.get("Id", "")] = (attrs.get("Type", ""), path)

        with self.zip.open(part) as fh:
            _parse(fh, start, lambda _n: None, lambda _t: None)
        return out

    def _shared(self, part: str) -> list[str]:
        strings: list[str] = []
        buf: list[str] = []
        state = {"t": False, "rph": 0}

        def start(name: str, _attrs: dict[str, str]) -> None:
            tag = _local(name)
            if tag == "si":
                buf.clear()
            elif tag == "rPh":
                state["rph"] += 1
            elif tag == "t" and not state["rph"]:
                state["t"] = True

        def end(name: str) -> None:
            tag = _local(name)
            if tag == "t":
                state["t"] = False
            elif tag == "rPh":
                state["rph"] -= 1
            elif tag == "si":
                strings.append("".join(buf))

        def text(data: str) -> None:
            if state["t"]:
                buf.append(data)

        with self.zip.open(part) as fh:
            _parse(fh, start, end, text)
        return strings

    def rows(self, sheet: str) -> list[tuple[int, tuple[Any, ...]]]:
        """``(Excel row number, values)`` of every row that holds something, in order."""
        part = self.parts.get(sheet)
        if part is None or part not in set(self.zip.namelist()):
            raise Damaged(f"no part for sheet {sheet!r}")
        shared = self.shared
        out: list[tuple[int, tuple[Any, ...]]] = []
        cells: dict[int, Any] = {}
        buf: list[str] = []
        dates = self.date_styles
        date1904 = self.date1904
        cur: dict[str, Any] = {"row": 0, "col": -1, "type": "n", "in": False, "rph": 0, "style": None}

        def start(name: str, attrs: dict[str, str]) -> None:
            tag = _local(name)
            if tag == "c":
                ref = attrs.get("r")
                cur["col"] = _column(ref) if ref else cur["col"] + 1
                cur["type"] = attrs.get("t", "n")
                style = attrs.get("s")
                cur["style"] = dates.get(int(style)) if dates and style and style.isdigit() else None
                buf.clear()
            elif tag == "v" or (tag == "t" and not cur["rph"]):
                cur["in"] = True
            elif tag == "rPh":
                cur["rph"] += 1
            elif tag == "row":
                number = attrs.get("r")
                cur["row"] = int(number) if number and number.isdigit() else cur["row"] + 1
                if cur["row"] > MAX_ROW:
                    raise Damaged("a row beyond the sheet's limits")
                cur["col"] = -1
                cells.clear()

        def end(name: str) -> None:
            tag = _local(name)
            if tag in ("v", "t"):
                cur["in"] = False
            elif tag == "rPh":
                cur["rph"] -= 1
            elif tag == "c":
                if buf:
                    value = _value(cur["type"], "".join(buf), shared)
                    if cur["style"] is not None and cur["type"] == "n":
                        value = serial_text(value, with_time=cur["style"], date1904=date1904)
                    cells[cur["col"]] = value
                buf.clear()
            elif tag == "row" and cells:
                width = max(cells) + 1
                out.append((cur["row"], tuple(cells.get(c) for c in range(width))))

        def text(data: str) -> None:
            if cur["in"]:
                buf.append(data)

        with self.zip.open(part) as fh:
            _parse(fh, start, end, text)
        return out


def _value(kind: str, raw: str, shared: list[str]) -> Any:
    if kind == "s":
        try:
            return shared[int(raw)]
        except (ValueError, IndexError):
            raise Damaged(f"shared string {raw[:20]!r} does not exist") from None
    if kind in ("inlineStr", "str", "e"):
        return raw
    if kind == "b":
        return raw.strip() == "1"
    try:
        number = float(raw)
    except ValueError:
        raise Damaged(f"{raw[:20]!r} is not a number") from None
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def _format_kind(ident: int, code: str | None) -> bool | None:
    """None for a format that is not a date or time; else whether it shows a time of day."""
    if code is None:
        if ident not in _BUILTIN_DATES:
            return None
        return ident in (18, 19, 20, 21, 22, 45, 46, 47) or ident in range(32, 36)
    return _is_date_format(code)


def _is_date_format(code: str) -> bool | None:
    """Whether a custom format code shows a date or time (None if not), and if so whether a time of day."""
    bare = _FORMAT_NOISE.sub("", code.split(";", 1)[0]).lower()
    if bare == "general" or not _DATE_LETTER.search(bare):
        return None
    return "h" in bare or "s" in bare


def serial_text(value: Any, *, with_time: bool, date1904: bool = False) -> Any:
    """An Excel date serial as ISO text (date, date and time, or time alone); anything else unchanged."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if value < 0 or value > _LAST_SERIAL:
        return value
    seconds = round(value * 86_400)
    days, secs = divmod(seconds, 86_400)
    clock = f"{secs // 3600:02d}:{secs % 3600 // 60:02d}" + (f":{secs % 60:02d}" if secs % 60 else "")
    if days == 0 and not date1904 and with_time:
        return clock  # a time of day alone (Excel's day 0)
    if date1904:
        day = dt.date(1904, 1, 1) + dt.timedelta(days=days)
    elif days == 60:
        day_text = "1900-02-29"  # Excel's day that never was
        return f"{day_text} {clock}" if with_time else day_text
    else:
        day = dt.date(1899, 12, 31 if days < 60 else 30) + dt.timedelta(days=days)
    text = day.isoformat()
    return f"{text} {clock}" if with_time else text


@contextmanager
def open_xlsx(path: Any) -> Iterator[XlsxFile]:
    """The open file; the zip is closed on leaving the block."""
    with zipfile.ZipFile(path) as zf:
        yield XlsxFile(zf)
