"""Remediation measures per item: the shipped list covers every general item in both languages, the loader
checks it, and the plan and the official report use the measure instead of the test guidance."""

from __future__ import annotations

from pathlib import Path

from gradesec import paths
from gradesec.catalog.loader import lint, load_catalog
from gradesec.catalog.remediation import RemediationMeasures, measure_for
from gradesec.report.collect import build_report_data
from gradesec.usecases import report_fields as rf
from tests.report.conftest import FIXTURE, build_sample

MEASURES = """kind: remediation_measures
id: test-remediation
title: {zh: 测试整改措施, en: Test measures}
measures:
  TCE-01-b: {zh: 为后台和前台统一启用双因素认证。, en: Turn on two-factor sign-in everywhere.}
  TCE-02-a: {zh: 开启配置变更审计并外发日志。, en: Audit configuration changes and forward the logs.}
"""


def test_every_general_item_of_levels_1_to_4_has_a_measure_in_both_languages() -> None:
    catalog = load_catalog()
    doc = catalog.extras["remediation_measures"]["mlps-2019-remediation"]
    assert isinstance(doc, RemediationMeasures)
    general = {
        item_id
        for item_id, (checklist, _control, _item) in catalog.items.items()
        if checklist.startswith("mlps-2019-") and catalog.checklists[checklist].extension is None
    }
    assert len(general) == 231
    assert general <= set(doc.measures)
    for item_id in general:
        zh, en = measure_for(catalog, item_id, "zh"), measure_for(catalog, item_id, "en")
        assert zh and en and zh != en
        guidance = catalog.items[item_id][2].guidance
        assert zh != guidance.zh and en != guidance.en  # a measure, not the test guidance


def test_a_measure_for_an_unknown_item_is_reported_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "mine.yaml"
    bad.write_text(MEASURES.replace("TCE-02-a", "XYZ-99-z"), encoding="utf-8")
    _catalog, problems = lint([[FIXTURE, bad]])
    lines = [str(p) for p in problems]
    assert any("mine.yaml:" in line and "XYZ-99-z" in line for line in lines), lines


def test_the_plan_and_the_official_report_use_the_measure(tmp_path: Path) -> None:
    extra = tmp_path / "measures.yaml"
    extra.write_text(MEASURES, encoding="utf-8")
    catalog = load_catalog(
        layers=[
            [
                FIXTURE,
                paths.shipped_data_dir("checklists") / "object-kinds.yaml",
                paths.shipped_data_dir("reports"),
                extra,
            ]
        ]
    )
    s = build_sample(tmp_path / "store", catalog, close=False)
    data = build_report_data(s.ctx, s.inspection, "zh")
    by_item = {i.item_id: i.measure for i in data.issues}
    assert by_item["TCE-02-a"] == "开启配置变更审计并外发日志。"
    en = {i.item_id: i.measure for i in build_report_data(s.ctx, s.inspection, "en").issues}
    assert en["TCE-02-a"] == "Audit configuration changes and forward the logs."
    # TCE-01-b matched a high-risk case: the case's own advice (appendix B) comes before the item's measure.
    assert en["TCE-01-b"] == "Use two-factor authentication."
    model = rf.report_model(s.ctx, s.inspection, "zh")
    problem = next(p for p in model.problems if p.item_id == "TCE-02-a")
    assert model.text(f"advice.{problem.key}") == "开启配置变更审计并外发日志。"
    s.ctx.close()


def test_the_progress_report_names_unit_system_number_and_each_measure(tmp_path: Path) -> None:
    import subprocess

    from gradesec.report.progress import build_progress_pdf
    from gradesec.usecases import remediation

    catalog = load_catalog(
        layers=[
            [
                FIXTURE,
                paths.shipped_data_dir("checklists") / "object-kinds.yaml",
                paths.shipped_data_dir("reports"),
            ]
        ]
    )
    s = build_sample(tmp_path / "store", catalog, close=False)
    rf.set_report_fields(
        s.ctx, s.inspection, {"org.code": "421", "report.serial": "2", "report.date": "2026-11-30"}
    )
    remediation.close_and_plan(s.ctx, s.inspection)
    data = remediation.progress_report_data(s.ctx, s.inspection, "2026-12-01", "zh")
    assert data.unit == "某市大数据中心" and data.system == "政务服务平台"
    assert data.number == "11010099999-20001-26-0421-02"
    assert data.items and all(data.measures[i.id] for i in data.items)
    pdf = tmp_path / "progress.pdf"
    build_progress_pdf(data, pdf, "zh", invariant=True)
    text = "".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert "11010099999-20001-26-0421-02" in text and "政务服务平台" in text and "整改措施" in text
    s.ctx.close()
