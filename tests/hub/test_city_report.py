"""``gradesec hub report`` on the small fixed city, read back: pdftotext, openpyxl, python-docx; zh and en."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from tests.hub.city import City
from tests.hub.dash_city import Dora

Cli = Callable[..., tuple[int, str, str]]


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_pdf_report_in_english(city_hub: str, cli: Cli, city: City, dora: Dora, tmp_path: Path) -> None:
    out = tmp_path / "city.pdf"
    code, stdout, err = cli(
        "--lang", "en", "hub", "report", "-f", "pdf", "--quarter", "2026q4", "-o", out, "--db", city_hub
    )
    assert code == 0, stdout + err
    text = pdf_text(out)
    assert "City evaluation of graded protection, 2026 Q4" in text
    assert "Evaluation day (end of quarter): 2026-12-31" in text
    assert "Mean score by district" in text  # the chart's title and its labelled bars
    # On 2026-12-31 unit B's three items are past their deadlines (high 12-08, medium 12-24) but the low one
    # (2027-02-22) is not; unit A's two open items: medium 12-24 overdue, low not; the drill gap has none.
    assert "Overdue remediation: 3" in text
    assert re.search(r"East Health( Bureau)?\s+u-D001\s+East\s+2\s+0\s+2\s+0/0\s+0\s+0\s+0\s+45\.0", text)
    assert re.search(r"Test Unit\s+u-N001\s+\(no\s+1\s+1\s+0\s+0/1\s+1\s+2\s+0\s+59\.0", text)
    assert "Systems with an overdue inspection" in text and "Patient registry" in text
    assert "No filing has expired or is expiring." in text
    assert "Remediation past its deadline" in text and "2026-12-08" in text


def test_pdf_report_in_chinese(city_hub: str, cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "city-zh.pdf"
    code, stdout, err = cli(
        "--lang", "zh", "hub", "report", "--quarter", "2026Q4", "-o", out, "--db", city_hub
    )
    assert code == 0, stdout + err
    text = pdf_text(out)
    assert "2026 年第 4 季度全市网络安全等级保护工作评价" in text
    assert "各区县平均评分" in text and "各单位评价" in text and "逾期未完成的整改" in text
    assert "（未填区县）" in text


def test_xlsx_report_with_a_chart(city_hub: str, cli: Cli, city: City, dora: Dora, tmp_path: Path) -> None:
    out = tmp_path / "city.xlsx"
    code, stdout, err = cli(
        "--lang", "en", "hub", "report", "-f", "xlsx", "--quarter", "2026Q4", "-o", out, "--db", city_hub
    )
    assert code == 0, stdout + err
    book = openpyxl.load_workbook(out)
    names = book.sheetnames
    assert names[0].startswith("0 City evaluation") and len(names) == 7
    districts = book[names[1]]
    rows = [[c.value for c in r] for r in districts.iter_rows()]
    assert rows[0][0] == "District" and rows[0][-1] == "Score"
    # Units A and B have no district; D (45.0) is in East. On 2026-12-31 their medium items (deadline 12-24) are
    # overdue too: unit A 50.0 - 3.0 = 47.0, unit B 62.0 - 3.0 = 59.0 (two overdue items).
    assert [(r[0], r[1], r[-1]) for r in rows[1:]] == [("(no district)", 2, 53.0), ("East", 1, 45.0)]
    units = [[c.value for c in r] for r in book[names[2]].iter_rows(min_row=2)]
    assert [(r[1], r[-1]) for r in units] == [(dora.unit, 45.0), (city.unit_a, 47.0), (city.unit_b, 59.0)]
    # The chart sits on the summary sheet and reads the district sheet's score column.
    charts = book[names[0]]._charts
    assert len(charts) == 1
    ref = charts[0].series[0].val.numRef.f
    assert ref.endswith("$J$2:$J$3") and names[1] in ref


def test_docx_report_in_chinese_and_english(city_hub: str, cli: Cli, dora: Dora, tmp_path: Path) -> None:
    for lang, title, chart in (
        ("zh", "2026 年第 4 季度全市网络安全等级保护工作评价", "各区县平均评分"),
        ("en", "City evaluation of graded protection, 2026 Q4", "Mean score by district"),
    ):
        out = tmp_path / f"city-{lang}.docx"
        code, stdout, err = cli(
            "--lang", lang, "hub", "report", "-f", "docx", "--quarter", "2026Q4", "-o", out, "--db", city_hub
        )
        assert code == 0, stdout + err
        doc = Document(str(out))
        paras = [p.text for p in doc.paragraphs]
        assert paras[0] == title and chart in paras
        bars = doc.tables[0]
        cells = [[c.text for c in row.cells] for row in bars.rows]
        assert cells[1] == ["East", "█" * 18, "45.0"]  # 45 of 100 -> 18 of 40 blocks
        units = [[c.text for c in row.cells] for row in doc.tables[2].rows]
        assert units[1][:2] == ["East Health Bureau", dora.unit] and units[1][-1] == "45.0"


def test_bad_report_options_exit_2_and_write_nothing(city_hub: str, cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    for args, needle in (
        (("-f", "odt"), "odt is not a report format"),
        (("--quarter", "2026Q5"), "2026Q5 is not a quarter"),
    ):
        code, _, err = cli("--lang", "en", "hub", "report", *args, "-o", out, "--db", city_hub)
        assert code == 2 and needle in err and "Traceback" not in err
    assert not out.exists()
    out.write_text("keep", encoding="utf-8")
    code, _, err = cli("--lang", "en", "hub", "report", "--quarter", "2026Q4", "-o", out, "--db", city_hub)
    assert code != 0 and out.read_text(encoding="utf-8") == "keep"


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "docx"])
def test_every_format_builds_for_an_empty_hub(hub_url: str, cli: Cli, tmp_path: Path, fmt: str) -> None:
    assert cli("hub", "init", "--db", hub_url)[0] == 0
    out = tmp_path / f"empty.{fmt}"
    code, stdout, err = cli(
        "--lang", "en", "hub", "report", "-f", fmt, "--quarter", "2026Q1", "-o", out, "--db", hub_url
    )
    assert code == 0, stdout + err
    assert out.stat().st_size > 0
