"""Report templates (validated by the catalog loader), the CJK font search and coverage check, and layout
details checked on synthetic data."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from gradesec import paths
from gradesec.catalog.loader import lint
from gradesec.catalog.template import ReportTemplate
from gradesec.errors import GradesecError
from gradesec.report.fonts import find_font
from gradesec.report.pdf import build_inspection_pdf, build_plan_pdf
from tests.report.conftest import pdf_text
from tests.report.synthetic import sample

GOOD = """\
kind: report_template
id: mine
report: inspection
title: {zh: 报告, en: Report}
sections: [cover, statement, summary]
texts:
  statement: {zh: 声明。, en: Statement.}
"""


def _template(name: str) -> ReportTemplate:
    catalog, problems = lint([[paths.shipped_data_dir("reports")]])
    assert not [p for p in problems if "reports" in str(p.file)]
    model = catalog.extras["report_template"][name]
    assert isinstance(model, ReportTemplate)
    return model


def test_shipped_templates_validate() -> None:
    assert _template("inspection").report == "inspection"
    assert _template("plan").report == "plan"
    assert [s.role.zh for s in _template("inspection").signatures] == ["编制", "审核", "批准"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("sections: [cover, statement, summary, appendix_z]", "unknown section appendix_z"),
        ('number_pattern: "R-{year}-{colour}"', "unknown field colour"),
        ("logo: missing.png", "logo image missing.png does not exist"),
        ("sections: [cover, statement, statement]", "listed twice"),
        ("colour: red", "unknown key 'colour'"),
    ],
)
def test_template_problems_are_reported_at_their_line(tmp_path: Path, change: str, expected: str) -> None:
    key = change.split(":")[0]
    lines = [line for line in GOOD.splitlines() if not line.startswith(key + ":")]
    (tmp_path / "mine.yaml").write_text("\n".join([*lines, change]) + "\n", encoding="utf-8")
    _catalog, found = lint([[tmp_path]])
    problems = [p for p in found if p.file.name == "mine.yaml"]  # (a lone template has no object kinds)
    assert any(expected in p.message for p in problems), [str(p) for p in found]
    line = next(p.line for p in problems if expected in p.message)
    assert line > 1 or key == "colour"


def test_a_statement_section_needs_its_text(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        GOOD.replace("texts:\n  statement: {zh: 声明。, en: Statement.}\n", "")
    )
    _catalog, problems = lint([[tmp_path]])
    assert any("needs a text" in p.message for p in problems)


def test_the_system_cjk_font_is_found() -> None:
    font = find_font()
    assert all(ord(ch) in font.chars for ch in "测评报告符合ABC")


def test_a_font_without_chinese_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import reportlab

    latin = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"  # shipped with reportlab, Latin only
    monkeypatch.setenv("GRADESEC_FONT", str(latin))
    with pytest.raises(GradesecError) as err:
        find_font()
    assert "no Chinese glyphs" in err.value.message


def test_characters_the_font_lacks_are_listed_not_dropped(tmp_path: Path) -> None:
    """A character outside the font fails the build and is named with its code point."""
    data = dataclasses.replace(sample("zh", assets=2, items_per_control=1), system_name="政务平台\U0001f512")
    out = tmp_path / "r.pdf"
    with pytest.raises(GradesecError) as err:
        build_inspection_pdf(data, _template("inspection"), out, lang="zh", invariant=True)
    assert "U+1F512" in err.value.message
    assert not out.exists()


def test_long_tables_repeat_their_header_on_every_page(tmp_path: Path) -> None:
    """The per-asset record tables run over several pages; each page starts with the column headers."""
    data = sample("en", assets=2, items_per_control=3)
    out = tmp_path / "r.pdf"
    seen: list[tuple[int, int]] = []
    pages = build_inspection_pdf(
        data,
        _template("inspection"),
        out,
        lang="en",
        invariant=True,
        progress=lambda d, t: seen.append((d, t)),
    )
    assert seen and seen[-1][0] == seen[-1][1]
    text = pdf_text(out).split("\f")
    record_pages = [p for p in text if "Result record" in p and "Conclusion" in p]
    assert len(record_pages) >= 4
    assert pages == len(text) - 1


def test_plan_on_synthetic_data_groups_by_risk(tmp_path: Path) -> None:
    data = sample("zh", assets=3, items_per_control=2)
    out = tmp_path / "plan.pdf"
    build_plan_pdf(data, _template("plan"), out, lang="zh", invariant=True)
    flat = "".join(pdf_text(out).split())
    assert flat.index("高风险序号") < flat.index("中风险序号") < flat.index("低风险序号")
    assert "整改时间线" in flat
