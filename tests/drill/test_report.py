"""The after-action report read back with pdftotext and pdffonts, in Chinese and in English."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from gradesec.drill.script import load_script
from gradesec.report.aar import build_aar
from gradesec.usecases import drills
from tests.drill.conftest import DrillCtx

FIXTURES = Path(__file__).parent / "fixtures"


def _text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


@pytest.fixture
def golden_pdfs(ctx: DrillCtx, tmp_path: Path) -> dict[str, Path]:
    drills.run_script(ctx, load_script(FIXTURES / "portal-script.yaml"))
    data = drills.report_data(ctx.store, ctx.catalog, "D-GOLDEN")
    out = {}
    for lang in ("zh", "en"):
        out[lang] = tmp_path / f"aar-{lang}.pdf"
        pages = build_aar(data, out[lang], lang, invariant=True)
        assert pages >= 2
    return out


def test_chinese_report(golden_pdfs: dict[str, Path]) -> None:
    text = _text(golden_pdfs["zh"])
    for expected in (
        "应急演练总结报告",
        "政府门户网站首页被篡改",
        "做得好的方面",
        "需要改进的方面",
        "改进计划",
        "演练时间线",
        "77.5 / 125 (62.0%)",
        "70.6%",
        "修订门户网站应急预案",
        "D-GOLDEN-I04",
        "MMS-13 应急预案管理",
        "指挥组分工清晰",
        "舆情报告没有固定频次",
        "16:20",
    ):
        assert expected in text, expected


def test_english_report(golden_pdfs: dict[str, Path]) -> None:
    text = _text(golden_pdfs["en"])
    for expected in (
        "Drill after-action report",
        "Defacement of the government portal",
        "Strengths",
        "Areas for improvement",
        "Improvement plan",
        "Timeline",
        "Revise the portal incident plan",
        "Not done in the drill",
        "within 14",
        "Objective O3 not achieved",
    ):
        assert expected in text, expected


def test_fonts_are_embedded(golden_pdfs: dict[str, Path]) -> None:
    out = subprocess.run(
        ["pdffonts", str(golden_pdfs["zh"])], capture_output=True, text=True, check=True
    ).stdout
    rows = out.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows)


def test_invariant_build_is_byte_stable(ctx: DrillCtx, golden_pdfs: dict[str, Path], tmp_path: Path) -> None:
    data = drills.report_data(ctx.store, ctx.catalog, "D-GOLDEN")
    again = tmp_path / "again.pdf"
    build_aar(data, again, "zh", invariant=True)
    assert again.read_bytes() == golden_pdfs["zh"].read_bytes()
