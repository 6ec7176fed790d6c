"""The PDF reports, built from a real signed store in invariant mode and read back with poppler's tools."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gradesec import paths, report
from gradesec.catalog.loader import Catalog, load_catalog
from gradesec.errors import GradesecError
from tests.report.conftest import (
    EVIDENCE_SHA,
    FIXTURE,
    Sample,
    build_sample,
    make_signer,
    open_ctx,
    pdf_fonts,
    pdf_pages,
    pdf_text,
)


def _png(width: int, height: int) -> bytes:
    """A small grey PNG, written by hand."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\0" + b"\x80\x80\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _squash(text: str) -> str:
    """pdftotext output without spaces and line breaks (CJK lines wrap anywhere)."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(
    ("lang", "sections", "conclusion", "high"),
    [
        (
            "zh",
            [
                "声明",
                "测评结论与综述",
                "被测对象",
                "测评依据与方法",
                "单项测评结果",
                "安全问题与风险",
                "整改建议",
                "附录A测评记录",
                "附录B证据索引",
                "附录C完整性说明",
            ],
            "差",
            "■高风险",
        ),
        (
            "en",
            [
                "Statement",
                "Summary and conclusion",
                "Scope of the inspection",
                "Basis and method",
                "Results by category and control point",
                "Issues and risks",
                "Remediation suggestions",
                "Appendix A",
                "Appendix B",
                "Appendix C",
            ],
            "Poor",
            "■ High",
        ),
    ],
)
def test_inspection_report_has_every_section_score_issue_and_hash(
    sample: Sample, tmp_path: Path, lang: str, sections: list[str], conclusion: str, high: str
) -> None:
    """The report carries its sections, the score, the conclusion, the issues and the hashes, in each language."""
    out = tmp_path / f"report-{lang}.pdf"
    result = report.export(sample.ctx, "inspection", sample.inspection, "pdf", lang, out, invariant=True)
    text = pdf_text(out)
    flat = _squash(text)
    for section in sections:
        assert _squash(section) in flat, section
    assert result.report_number in text
    assert "50.00" in text  # the overall 2021 score, worked by hand in tests/report/test_xlsx.py
    assert conclusion in text
    assert _squash(high) in flat  # high-risk issues marked
    assert "存在弱口令账户" in flat and "仅记录登录事件" in flat
    assert flat.index("存在弱口令账户") < flat.index("仅记录登录事件")  # high risk listed before medium
    assert EVIDENCE_SHA[:32] in text and EVIDENCE_SHA[32:] in text
    assert "gradesec verify --store" in text
    assert "Web服务器01" in text and "核心交换机" in text


def test_font_is_embedded_and_page_count_sane(sample: Sample, tmp_path: Path) -> None:
    """Only the embedded CJK subset is used (no unembedded base-14 font), and the page count is plausible."""
    out = tmp_path / "r.pdf"
    result = report.export(sample.ctx, "inspection", sample.inspection, "pdf", "zh", out, invariant=True)
    fonts = pdf_fonts(out).splitlines()[2:]
    assert fonts
    for line in fonts:
        assert "WenQuanYi" in line or "Gradesec" in line or "+" in line.split()[0]
        assert " yes yes yes " in line  # embedded, subset, with a Unicode map
    assert 6 <= pdf_pages(out) <= 20
    assert result.pages == pdf_pages(out)


def test_running_header_page_numbers_and_contents(sample: Sample, tmp_path: Path) -> None:
    """Every page after the cover has the report number and "page X of Y"; the contents point at real pages."""
    out = tmp_path / "r.pdf"
    result = report.export(sample.ctx, "inspection", sample.inspection, "pdf", "en", out, invariant=True)
    pages = pdf_text(out).split("\f")
    total = result.pages
    for n, page in enumerate(pages[1:total], 2):
        assert result.report_number in page
        assert f"Page {n} of {total}" in page
    contents = pages[1]
    match = re.search(r"Appendix C — Integrity \.+\s+(\d+)", contents)
    assert match is not None
    target = int(match.group(1))
    assert "Appendix C — Integrity" in pages[target - 1]


def test_invariant_builds_are_byte_identical(sample: Sample, tmp_path: Path) -> None:
    """In reportlab's invariant mode the same data gives the same bytes."""
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    report.export(sample.ctx, "plan", sample.inspection, "pdf", "zh", a, invariant=True)
    report.export(sample.ctx, "plan", sample.inspection, "pdf", "zh", b, invariant=True)
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize(
    ("lang", "headers", "deadline"),
    [
        ("zh", ["问题", "风险", "整改措施", "责任部门", "时限", "状态"], "2026-12-08"),
        ("en", ["Problem", "Risk", "Suggested measure", "Owner", "Deadline", "Status"], "2026-12-08"),
    ],
)
def test_plan_lists_each_issue_with_default_deadline(
    sample: Sample, tmp_path: Path, lang: str, headers: list[str], deadline: str
) -> None:
    """The plan has one row per issue, grouped by risk, with the profile's default deadline (high: 14 days)."""
    out = tmp_path / "plan.pdf"
    report.export(sample.ctx, "plan", sample.inspection, "pdf", lang, out, invariant=True)
    text = pdf_text(out)
    flat = _squash(text)
    for header in headers:
        assert _squash(header) in flat
    assert deadline in text  # 2026-11-24 + 14 days
    assert "2026-12-24" in text  # medium: + 30 days
    assert flat.count("TCE-01-a") >= 1 and "TCE-02-a" in flat


def test_missing_font_is_a_clear_error(
    sample: Sample, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GRADESEC_FONT naming a file that does not exist fails with a message and hint, and writes nothing."""
    monkeypatch.setenv("GRADESEC_FONT", str(tmp_path / "nope.ttf"))
    out = tmp_path / "r.pdf"
    with pytest.raises(GradesecError) as err:
        report.export(sample.ctx, "inspection", sample.inspection, "pdf", "en", out)
    assert "GRADESEC_FONT" in err.value.message and "nope.ttf" in err.value.message
    assert err.value.hint
    assert not out.exists()


def test_missing_font_in_the_cli_exits_1_with_a_hint(
    sample: Sample, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GRADESEC_FONT", str(tmp_path / "nope.ttf"))
    code, _out, err = cli(
        "--store", sample.store_dir, "report", "plan", "-i", sample.inspection, "-o", tmp_path / "p.pdf"
    )
    assert code == 1
    assert "nope.ttf" in err and "Hint:" in err
    assert "Traceback" not in err


def test_plan_shows_planned_remediation_items(tmp_path: Path, catalog: Catalog) -> None:
    """Once the issues are planned in remediation, the plan prints their measures, deadlines and status."""
    from gradesec.usecases import remediation

    s = build_sample(tmp_path / "store", catalog)
    remediation.plan_from_inspection(s.ctx, s.inspection)
    out = tmp_path / "plan.pdf"
    report.export(s.ctx, "plan", s.inspection, "pdf", "en", out, invariant=True)
    text = pdf_text(out)
    assert "Examine the account list." in text  # the planned measure (the item's guidance)
    assert "2026-12-08" in text
    s.ctx.close()


def test_logo_from_the_template_folder(sample: Sample, tmp_path: Path) -> None:
    """A template may name a logo beside it; the cover shows it as an image."""
    import shutil
    import subprocess

    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "logo.png").write_bytes(_png(40, 20))
    source = (paths.shipped_data_dir("reports") / "inspection.yaml").read_text("utf-8")
    (folder / "inspection.yaml").write_text(
        source.replace("id: inspection\n", "id: with-logo\nlogo: logo.png\n")
    )
    shutil.copy(paths.shipped_data_dir("checklists") / "object-kinds.yaml", folder / "object-kinds.yaml")
    (folder / "plan.yaml").write_text((paths.shipped_data_dir("reports") / "plan.yaml").read_text("utf-8"))
    with_logo = load_catalog(layers=[[FIXTURE, folder]])
    out = tmp_path / "r.pdf"
    with open_ctx(sample.store_dir, with_logo, make_signer("张测评")) as ctx:
        report.export(ctx, "inspection", sample.inspection, "pdf", "en", out, template_id="with-logo")
    images = subprocess.run(
        ["pdfimages", "-list", str(out)], capture_output=True, text=True, check=True
    ).stdout
    assert len(images.strip().splitlines()) == 3  # two header lines and the logo
