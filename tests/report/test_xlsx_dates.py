"""Date and time cells in an imported workbook read as ISO text, not as Excel serial numbers."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from gradesec.report.workbook.xlsxread import _is_date_format, open_xlsx, serial_text


def _book(path: Path, *, date1904: bool = False) -> Path:
    wb = openpyxl.Workbook()
    if date1904:
        wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "记录"
    ws.append(["名称", "测评日期", "时间", "数值", "百分比", "文本"])
    ws.append(["服务器", dt.date(2026, 12, 2), dt.time(10, 5), 42, 0.5, "2026-12-02"])
    ws.append(["交换机", dt.datetime(2026, 3, 1, 8, 30, 15), None, 3.25, None, "x"])
    ws["B2"].number_format = "yyyy年m月d日"
    ws["C2"].number_format = "h:mm"
    ws["B3"].number_format = "yyyy-mm-dd hh:mm:ss"
    ws["E2"].number_format = "0%"
    ws["D3"].number_format = '[Red]0.00;"days"'
    wb.save(path)
    return path


def _rows(path: Path) -> list[tuple[object, ...]]:
    with open_xlsx(path) as book:
        return [values for _n, values in book.rows(book.sheets[0])]


def test_dates_times_and_numbers(tmp_path: Path) -> None:
    rows = _rows(_book(tmp_path / "a.xlsx"))
    assert rows[1] == ("服务器", "2026-12-02", "10:05", 42, 0.5, "2026-12-02")
    assert rows[2] == ("交换机", "2026-03-01 08:30:15", None, 3.25, None, "x")


def test_1904_date_system(tmp_path: Path) -> None:
    path = _book(tmp_path / "mac.xlsx", date1904=True)
    with zipfile.ZipFile(path) as zf:
        assert b"date1904" in zf.read("xl/workbook.xml")
    rows = _rows(path)
    assert rows[1][1] == "2026-12-02"
    assert rows[2][1] == "2026-03-01 08:30:15"


def test_same_values_as_openpyxl(tmp_path: Path) -> None:
    path = _book(tmp_path / "b.xlsx")
    ours = _rows(path)
    theirs = list(openpyxl.load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True))
    for mine, other in zip(ours, theirs, strict=False):
        for a, b in zip(mine, other, strict=False):
            if isinstance(b, dt.datetime):
                # a date format gives the day; a date-and-time format the day and the clock
                assert a in (b.date().isoformat(), b.strftime("%Y-%m-%d %H:%M:%S"))
            elif isinstance(b, dt.time):
                assert a == b.strftime("%H:%M")
            else:
                assert a == b


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("yyyy-mm-dd", False),
        ("[$-804]yyyy年m月d日", False),
        ("d/m/yy h:mm", True),
        ("[h]:mm:ss", True),
        ("mm:ss", True),
        ("General", None),
        ("0.00E+00", None),
        ("#,##0.00", None),
        ("[Red]0.00", None),
        ('0.0" days"', None),
        ("@", None),
        ("0%", None),
    ],
)
def test_format_codes(code: str, kind: bool | None) -> None:
    assert _is_date_format(code) is kind


@pytest.mark.parametrize(
    ("value", "with_time", "date1904", "text"),
    [
        (1, False, False, "1900-01-01"),
        (59, False, False, "1900-02-28"),
        (60, False, False, "1900-02-29"),
        (61, False, False, "1900-03-01"),
        (46358, False, False, "2026-12-02"),
        (46358.5, True, False, "2026-12-02 12:00"),
        (0.25, True, False, "06:00"),
        (0, False, True, "1904-01-01"),
        (-1, False, False, -1),
        (3_000_000, False, False, 3_000_000),
        ("text", False, False, "text"),
        (True, False, False, True),
    ],
)
def test_serial_text(value: object, with_time: bool, date1904: bool, text: object) -> None:
    assert serial_text(value, with_time=with_time, date1904=date1904) == text
