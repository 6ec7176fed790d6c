"""The record workbook: export read back with openpyxl, import with row-level validation, and a round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from gradesec import report
from gradesec.catalog.loader import Catalog
from gradesec.report.xlsx import WorkbookError
from gradesec.usecases import inspections as uc
from tests.report.conftest import Sample


def _results(s: Sample, inspection: str) -> dict[tuple[str, str], tuple[str, str]]:
    view = uc.load_inspection(s.ctx, inspection)
    return {key: (f.result, f.note) for key, f in view.findings.items()}


def test_export_reads_back_one_sheet_per_asset(sample: Sample, tmp_path: Path) -> None:
    """A summary sheet with the score, then one sheet per asset in the inspectors' column layout."""
    out = tmp_path / "w.xlsx"
    result = report.export(sample.ctx, "inspection", sample.inspection, "xlsx", "zh", out)
    assert result.pages == 4  # the summary and one sheet per asset
    wb = load_workbook(out)
    # objects by kind, in the catalog's kind order (network devices before servers, documents last)
    assert wb.sheetnames == ["汇总", "核心交换机", "Web服务器01", "安全管理制度文件"]
    summary = {row[0]: row[1] for row in wb["汇总"].iter_rows(values_only=True) if row and row[0]}
    # 2021 (one base S = 100/4 = 25): technical 3·0.5 + 2·0.5 + 1·0.25 = 2.75 → V_t = max(0, 50 − 68.75) = 0;
    # management nothing fails → V_m = 50; M = 50 (was 77.08 under the per-class base of issue 5).
    assert summary["综合得分"] == 50
    assert summary["测评结论"] == "差"
    web = list(wb["Web服务器01"].iter_rows(values_only=True))
    assert str(web[0][0]).startswith("测评对象：Web服务器01") and "IP：10.1.1.10" in str(web[0][0])
    assert list(web[1]) == [
        "扩展标准",
        "控制点",
        "测评项",
        "结果记录",
        "符合情况",
        "权重",
        "编号",
        "不适用理由",
        "测评方法",
        "证据",
        "测评范围扩展",  # its own column: the result is on an object of a kind the catalog did not expect
    ]
    rows = {r[6]: r for r in web[2:]}
    assert set(rows) == {"TCE-01-a", "TCE-01-b", "TCE-02-a"}
    assert rows["TCE-01-a"][1] == "身份鉴别"
    assert rows["TCE-01-b"][1] is None  # merged with the 身份鉴别 cell above
    assert str(rows["TCE-01-a"][2]).startswith("a）") and str(rows["TCE-01-b"][2]).startswith("b）")
    assert rows["TCE-01-a"][3] == "存在弱口令账户 admin，口令为 admin123。"
    assert rows["TCE-01-a"][4] == "不符合"
    assert rows["TCE-01-a"][5] == "1.00"
    assert "sshd_config.txt sha256:" in str(rows["TCE-01-a"][9])
    ws = wb["Web服务器01"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A1:E1" in merged and "B3:B4" in merged
    assert ws.data_validations.dataValidation[0].formula1 == '"符合,部分符合,不符合,不适用"'


def test_plan_workbook_has_one_row_per_issue(sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    report.export(sample.ctx, "plan", sample.inspection, "xlsx", "en", out)
    rows = list(load_workbook(out).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[0][:6] == ("No.", "Id", "Control point", "Asset", "Problem", "Risk")
    assert [r[1] for r in rows[1:]] == ["TCE-01-a", "TCE-01-b", "TCE-02-a"]
    assert rows[1][8] == "2026-12-08"


def test_round_trip_into_a_fresh_inspection(fresh: Sample, tmp_path: Path) -> None:
    """Export → import into a new inspection of the same system → the same results."""
    out = tmp_path / "w.xlsx"
    report.export(fresh.ctx, "inspection", fresh.inspection, "xlsx", "en", out)
    second = uc.new_inspection(fresh.ctx, fresh.system, "r-l3", title="re-test")
    done = report.import_workbook(fresh.ctx, second.id, out)
    assert done.recorded == 7 and not done.problems
    assert _results(fresh, second.id) == _results(fresh, fresh.inspection)
    again = report.import_workbook(fresh.ctx, second.id, out)
    assert again.recorded == 0 and again.unchanged == 7


def test_hand_made_workbook_in_the_usual_layout_imports(fresh: Sample, tmp_path: Path) -> None:
    """A workbook gradesec did not write: a title row, an extra first column, Chinese headers and words."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Web服务器01"
    ws.append(["Web服务器01 测评记录"])
    ws.append(["扩展标准", "控制点", "测评项", "结果记录", "符合情况", "权重", "编号"])
    ws.append(["", "身份鉴别", "…", "已整改，口令策略已启用", "符合", 1, "TCE-01-a"])
    ws.append(["", "身份鉴别", "…", "", "", 0.7, "TCE-01-b"])  # not assessed yet: skipped
    ws.append(["", "安全审计", "…", "审计已启用", "部分符合", 0.4, "TCE-02-a"])
    docs = wb.create_sheet("安全管理制度文件")
    docs.append(["控制点", "测评项", "结果记录", "符合情况", "权重", "编号"])
    docs.append(["管理制度", "…", "不涉及", "不适用", 0.4, "TMG-01-b"])
    path = tmp_path / "hand.xlsx"
    wb.save(path)
    done = report.import_workbook(fresh.ctx, fresh.inspection, path)
    assert (done.recorded, done.unchanged, done.blank) == (3, 0, 1)
    results = _results(fresh, fresh.inspection)
    assert results[("TCE-01-a", fresh.assets["web"])] == ("compliant", "已整改，口令策略已启用")
    assert results[("TCE-02-a", fresh.assets["web"])] == ("partial", "审计已启用")
    assert results[("TMG-01-b", fresh.assets["docs"])] == ("na", "不涉及")


def _broken(path: Path, sheet: str, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


HEADER: list[object] = ["控制点", "测评项", "结果记录", "符合情况", "权重", "编号"]


@pytest.mark.parametrize(
    ("sheet", "rows", "expected"),
    [
        (
            "Web服务器01",
            [["control", "item", "note", "weight"], ["a", "b", "c", 1]],
            "no header in the first",
        ),
        (
            "Web服务器01",
            [HEADER, ["", "", "ok", "符合", 1, "TCE-01-a"], ["", "", "x", "差不多", 1, "TCE-02-a"]],
            "row 3: unknown conclusion '差不多'",
        ),
        ("打印机", [HEADER, ["", "", "ok", "符合", 1, "TCE-01-a"]], "matches no object of the inspection"),
        (
            "Web服务器01",
            [HEADER, ["", "", "ok", "不适用", 1, "TCE-01-a"], ["", "", "", "不适用", 1, "TCE-01-b"]],
            "row 3: the item TCE-01-b is not applicable but the record gives no reason",
        ),
        (
            "Web服务器01",
            [HEADER, ["", "", "ok", "符合", 1, "TCE-01-a"], ["", "", "ok", "符合", 1, "TCE-01-a"]],
            "row 3: the item TCE-01-a already appears in row 2",
        ),
    ],
)
def test_broken_workbook_reports_rows_and_writes_nothing(
    fresh: Sample, tmp_path: Path, sheet: str, rows: list[list[object]], expected: str
) -> None:
    path = _broken(tmp_path / "bad.xlsx", sheet, rows)
    before = fresh.ctx.store.count()
    with pytest.raises(WorkbookError) as err:
        report.import_workbook(fresh.ctx, fresh.inspection, path)
    assert any(expected in line for line in err.value.problems), err.value.problems
    assert all(line.startswith(f"sheet '{sheet}'") for line in err.value.problems)
    assert fresh.ctx.store.count() == before


def test_valid_only_imports_the_good_rows(fresh: Sample, tmp_path: Path) -> None:
    rows: list[list[object]] = [
        HEADER,
        ["", "", "修好了", "符合", 1, "TCE-01-b"],
        ["", "", "x", "maybe", 1, "TCE-02-a"],
    ]
    path = _broken(tmp_path / "mixed.xlsx", "Web服务器01", rows)
    done = report.import_workbook(fresh.ctx, fresh.inspection, path, valid_only=True)
    assert done.recorded == 1 and done.invalid == 1
    assert "row 3" in done.problems[0]
    assert _results(fresh, fresh.inspection)[("TCE-01-b", fresh.assets["web"])] == ("compliant", "修好了")


def test_not_a_workbook_is_a_clear_error(fresh: Sample, tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("not a spreadsheet")
    with pytest.raises(WorkbookError) as err:
        report.import_workbook(fresh.ctx, fresh.inspection, path)
    assert "is not an Excel workbook" in err.value.message


def test_cli_finding_import(
    tmp_path: Path,
    catalog: Catalog,
    monkeypatch: pytest.MonkeyPatch,
    cli,  # type: ignore[no-untyped-def]
) -> None:
    """``gradesec finding import`` signs with the user's key; a broken workbook exits 1 listing its rows."""
    from gradesec.journal import keys
    from tests.report.conftest import build_sample

    monkeypatch.setenv("GRADESEC_PASSPHRASE", "correct horse battery staple")
    signer = keys.new_key("张测评", "inspector", "某测评中心", "correct horse battery staple")
    s = build_sample(tmp_path / "store", catalog, close=False, signer=signer)
    s.ctx.close()
    good = _broken(tmp_path / "good.xlsx", "Web服务器01", [HEADER, ["", "", "已启用", "符合", 1, "TCE-01-b"]])
    bad = _broken(tmp_path / "bad.xlsx", "Web服务器01", [HEADER, ["", "", "x", "??", 1, "TCE-01-b"]])
    catalog_dir = Path(__file__).parent / "fixtures" / "cat"
    base = ("--store", tmp_path / "store", "--catalog", catalog_dir)
    code, out, err = cli(*base, "finding", "import", bad, "-i", s.inspection)
    assert code == 1 and "sheet 'Web服务器01' row 2" in err
    code, out, err = cli(*base, "finding", "import", good, "-i", s.inspection)
    assert code == 0, err
    assert "Imported 1 result" in out
