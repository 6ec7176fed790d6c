"""The report model: fields written as signed events, drafts offered from the results, completeness."""

from __future__ import annotations

from pathlib import Path

import pytest

from gradesec.errors import GradesecError
from gradesec.state import report as db_report
from gradesec.usecases import report_fields as rf
from gradesec.usecases.assess_checks import read_db
from tests.report.conftest import Sample


def test_a_field_is_a_signed_event_and_survives_a_replay(fresh: Sample) -> None:
    ctx = fresh.ctx
    before = ctx.store.count()
    rf.set_report_fields(ctx, fresh.inspection, {"unit.contact": "王主任", "system.grading": "s3a2g3"})
    assert ctx.store.count() == before + 2
    model = rf.report_model(ctx, fresh.inspection, "zh")
    assert model.text("unit.contact") == "王主任"
    assert model.get("system.grading") is not None and model.text("system.grading") == "S3A2G3"
    assert model.get("unit.contact").status == "set"  # type: ignore[union-attr]
    ctx.store.rebuild_state()
    with read_db(ctx) as db:
        fields = db_report.report_fields(db, fresh.inspection)
    assert fields["unit.contact"].value == "王主任"
    assert ctx.store.verify().ok


def test_a_later_value_replaces_an_earlier_one_and_an_empty_value_clears(fresh: Sample) -> None:
    ctx = fresh.ctx
    rf.set_report_fields(ctx, fresh.inspection, {"unit.phone": "010-1"})
    rf.set_report_fields(ctx, fresh.inspection, {"unit.phone": "010-2"})
    assert rf.report_model(ctx, fresh.inspection, "zh").text("unit.phone") == "010-2"
    rf.set_report_fields(ctx, fresh.inspection, {"unit.phone": ""})
    assert rf.report_model(ctx, fresh.inspection, "zh").get("unit.phone").status == "missing"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"unit.nonsense": "x"}, "Unknown report field"),
        ({"system.grading": "S3A2G2"}, "SxAxGx"),
        ({"system.grading": "S2A2G2"}, "level"),
        ({"report.date": "24/11/2026"}, "not a date"),
        ({"narrative.XYZ.measures": "x"}, "category 'XYZ'"),
        ({"risk.TCE-01-a@nope.level": "high"}, "problem"),
        ({"risk.TCE-01-b@a-0001.threats": "TH-99"}, "Unknown threat"),
        ({"unit.contact": "a\nb"}, "single line"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(
    fresh: Sample, values: dict[str, object], words: str
) -> None:
    from gradesec.i18n import set_lang

    set_lang("en")
    before = fresh.ctx.store.count()
    with pytest.raises(GradesecError) as caught:
        rf.set_report_fields(fresh.ctx, fresh.inspection, {"unit.contact": "ok", **values})
    assert words in str(caught.value)
    assert fresh.ctx.store.count() == before


def test_drafts_are_offered_marked_and_can_be_accepted(fresh: Sample) -> None:
    ctx = fresh.ctx
    model = rf.report_model(ctx, fresh.inspection, "zh")
    narrative = model.get("narrative.TCE.problems")
    assert narrative is not None and narrative.status == "draft"
    assert "弱口令" in narrative.text  # drawn from the non-compliant result's record
    key = model.problems[0].key
    assert model.get(f"risk.{key}.threats") is not None and model.values(f"risk.{key}.threats")
    assert rf.accept_drafts(ctx, fresh.inspection, ["narrative.TCE.problems"]) == ["narrative.TCE.problems"]
    accepted = rf.report_model(ctx, fresh.inspection, "zh").get("narrative.TCE.problems")
    assert accepted is not None and accepted.status == "accepted" and accepted.value == narrative.value
    rf.set_report_fields(ctx, fresh.inspection, {"narrative.TCE.problems": "人工改写。"})
    edited = rf.report_model(ctx, fresh.inspection, "zh").get("narrative.TCE.problems")
    assert edited is not None and edited.status == "set" and edited.draft == narrative.value


def test_completeness_lists_what_the_template_still_needs(fresh: Sample) -> None:
    ctx = fresh.ctx
    model = rf.report_model(ctx, fresh.inspection, "zh", "2025")
    missing = {f.path for f in model.missing()}
    assert {"unit.contact", "org.code", "verify.scan", "object.network"} <= missing
    assert not model.complete
    rf.set_report_fields(ctx, fresh.inspection, {"verify.declined": "单位书面声明不同意开展渗透测试。"})
    missing = {f.path for f in rf.report_model(ctx, fresh.inspection, "zh").missing()}
    assert "verify.scan" not in missing and "verify.declined_by" in missing


def test_the_network_diagram_goes_into_the_evidence_store(fresh: Sample, tmp_path: Path) -> None:
    from tests.report.test_pdf import _png

    image = tmp_path / "net.png"
    image.write_bytes(_png(8, 8))
    rf.set_report_fields(fresh.ctx, fresh.inspection, {"object.network_image": str(image)})
    value = rf.report_model(fresh.ctx, fresh.inspection, "zh").text("object.network_image")
    sha, name = value.split(" ", 1)
    assert name == "net.png" and fresh.ctx.store.evidence.open(sha).read() == image.read_bytes()
    with pytest.raises(GradesecError):
        rf.set_report_fields(fresh.ctx, fresh.inspection, {"object.network_image": str(tmp_path / "x.txt")})


def test_scoring_judgements_and_corrections_feed_the_report(tmp_path: Path) -> None:
    """A 重大风险隐患 judgement makes its problems major (trigger and reason drafted, counted N（M个已整改）);
    a 整体测评 correction drafts the severity change and its reason."""
    from gradesec import paths
    from gradesec.catalog.loader import load_catalog
    from gradesec.usecases.judgements import correct_finding, judge_major_risk
    from tests.report.conftest import FIXTURE, build_sample

    catalog = load_catalog(
        layers=[
            [
                FIXTURE,
                paths.shipped_data_dir("checklists") / "object-kinds.yaml",
                paths.shipped_data_dir("checklists") / "major-risk-triggers.yaml",
                paths.shipped_data_dir("reports"),
            ]
        ]
    )
    s = build_sample(tmp_path / "store", catalog, close=False)
    web = s.assets["web"]
    judge_major_risk(
        s.ctx, s.inspection, [("TCE-01-a", web)], major=True, reason="弱口令可直接登录后台。", trigger="MR-02"
    )
    correct_finding(
        s.ctx, s.inspection, "TCE-01-b", "compliant", reason="统一身份认证已提供双因素。", asset_id=web
    )
    model = rf.report_model(s.ctx, s.inspection, "zh")
    key = f"TCE-01-a@{web}"
    assert next(p for p in model.problems if p.key == key).major
    assert model.text(f"major.{key}.trigger") == "MR-02"
    assert model.text(f"major.{key}.consequence") == "弱口令可直接登录后台。"
    assert model.major_count() == (1, 0)
    rf.set_report_fields(s.ctx, s.inspection, {f"major.{key}.remediated": "yes"})
    assert rf.report_model(s.ctx, s.inspection, "zh").major_count() == (1, 1)
    changed = f"TCE-01-b@{web}"
    assert model.text(f"overall.{changed}.change") == "down"
    assert model.text(f"overall.{changed}.description") == "统一身份认证已提供双因素。"
    s.ctx.close()
