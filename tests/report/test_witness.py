"""Reports and exports print the store's latest checkpoint (its id and hash), read back with poppler and
openpyxl; the hash as printed is what ``gradesec verify --witness`` takes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from gradesec import paths, report
from gradesec.catalog.loader import Catalog, load_catalog
from gradesec.journal.keys import format_key_id
from gradesec.journal.witness import read_witness
from gradesec.usecases import report_fields as rf
from tests.report.conftest import FIXTURE, Sample, build_sample, pdf_text

LABELS = {
    "zh": ("最新检查点", "检查点哈希"),
    "en": ("Latest checkpoint", "Checkpoint hash"),
}


def _printed_hash(text: str, label: str) -> str:
    """The hex digits printed after ``label`` (a PDF line may wrap them: gather up to 64)."""
    after = text[text.index(label) + len(label) :]
    digits = re.findall(r"[0-9a-f]{8,}", after[:600])
    joined = ""
    for part in digits:
        joined += part
        if len(joined) >= 64:
            break
    return joined[:64]


def _check_witness(sample: Sample, printed: str) -> None:
    latest = sample.ctx.store.latest_checkpoint()
    assert latest is not None
    assert printed == latest.hash
    wanted = read_witness(printed)
    result = sample.ctx.store.verify(witness=wanted)
    assert result.ok and result.witness == latest.hash
    # A hash that is not this store's checkpoint is named, so the check above can fail.
    other = sample.ctx.store.verify(witness="0" * 64)
    assert "witness_missing" in other.codes()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_pdf_summary_prints_the_witness(sample: Sample, tmp_path: Path, lang: str) -> None:
    out = tmp_path / f"report-{lang}.pdf"
    report.export(sample.ctx, "inspection", sample.inspection, "pdf", lang, out, invariant=True)
    text = pdf_text(out)
    latest = sample.ctx.store.latest_checkpoint()
    assert latest is not None
    id_label, hash_label = LABELS[lang]
    assert id_label in text
    assert f"{format_key_id(latest.author)} #{latest.seq}" in text
    _check_witness(sample, _printed_hash(text, hash_label if lang == "en" else "检查点哈希"))


def test_the_workbook_carries_the_witness_on_its_summary_and_in_its_properties(
    sample: Sample, tmp_path: Path
) -> None:
    out = tmp_path / "record.xlsx"
    report.export(sample.ctx, "inspection", sample.inspection, "xlsx", "en", out, invariant=True)
    book = openpyxl.load_workbook(out)
    rows = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True) if row and row[0]}
    latest = sample.ctx.store.latest_checkpoint()
    assert latest is not None
    assert str(rows["Latest checkpoint"]).startswith(f"{format_key_id(latest.author)} #{latest.seq}")
    printed = str(rows["Checkpoint hash (gradesec verify --witness)"])
    assert book.properties.identifier == printed
    _check_witness(sample, printed)


@pytest.fixture(scope="module")
def official_catalog() -> Catalog:
    policies = paths.shipped_data_dir("profiles") / "policies"
    kinds = paths.shipped_data_dir("checklists") / "object-kinds.yaml"
    return load_catalog(
        layers=[
            [
                FIXTURE,
                kinds,
                paths.shipped_data_dir("reports"),
                policies / "mlps-2021.yaml",
                policies / "mlps-2025.yaml",
            ]
        ]
    )


@pytest.fixture
def filled(tmp_path: Path, official_catalog: Catalog) -> Iterator[Sample]:
    from tests.report.test_official import FILLED

    s = build_sample(tmp_path / "store", official_catalog)
    rf.set_report_fields(s.ctx, s.inspection, FILLED)
    rf.accept_drafts(s.ctx, s.inspection, lang="zh")
    yield s
    s.ctx.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_official_report_cover_prints_the_witness(filled: Sample, tmp_path: Path, lang: str) -> None:
    out = tmp_path / f"official-{lang}.pdf"
    report.export(
        filled.ctx, "inspection", filled.inspection, "pdf", lang, out, template_id="2025", invariant=True
    )
    text = pdf_text(out)
    cover = text[: text.index("\f")] if "\f" in text else text
    id_label, hash_label = LABELS[lang]
    assert id_label in cover and hash_label in cover
    latest = filled.ctx.store.latest_checkpoint()
    assert latest is not None
    assert f"{format_key_id(latest.author)} #{latest.seq}" in cover
    _check_witness(filled, _printed_hash(cover, hash_label))
