"""Issue 15 part 6: the share-met report printed "符合率 8689.9%" (the rate, already a percentage, was multiplied
by 100 again). Read back with pdftotext."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gradesec import paths, report
from gradesec.catalog.loader import load_catalog
from tests.report.conftest import FIXTURE, build_sample, pdf_text


@pytest.mark.parametrize(("lang", "label"), [("zh", "符合率"), ("en", "Compliance rate")])
def test_share_met_rate_is_printed_once_as_a_percentage(tmp_path: Path, lang: str, label: str) -> None:
    """The sample's weighted share met (share-met policy; TMG-01-b is na and left out):

    TCE-01-a mean(0, 1) = 0.5 × 1.0; TCE-01-b 0.5 × 0.7; TCE-02-a mean(1, 0.5) = 0.75 × 0.4; TMG-01-a 1 × 0.7
    → (0.5 + 0.35 + 0.3 + 0.7) / (1.0 + 0.7 + 0.4 + 0.7) = 1.85 / 2.8 = 66.07 % → "66.1%".
    """
    shipped_kinds = paths.shipped_data_dir("checklists") / "object-kinds.yaml"
    share = paths.shipped_data_dir("profiles") / "policies" / "share-met.yaml"
    catalog = load_catalog(layers=[[FIXTURE, shipped_kinds, share, paths.shipped_data_dir("reports")]])
    sample = build_sample(tmp_path / "store", catalog)
    try:
        out = tmp_path / f"share-{lang}.pdf"
        report.export(
            sample.ctx,
            "inspection",
            sample.inspection,
            "pdf",
            lang,
            out,
            policy_id="share-met",
            invariant=True,
        )
        text = pdf_text(out)
    finally:
        sample.ctx.close()
    rates = re.findall(re.escape(label) + r"\s+([0-9.]+)%", text)
    assert rates == ["66.1"], rates
    assert "6607.1%" not in text
