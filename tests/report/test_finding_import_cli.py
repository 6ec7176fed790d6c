"""``gradesec finding import`` on a field-layout workbook: --check, --create-assets, --json, --valid-only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from gradesec.catalog.loader import load_catalog
from gradesec.journal import keys
from tests.report.fieldbooks import build


def test_check_create_and_valid_only(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GRADESEC_PASSPHRASE", "correct horse battery staple")
    monkeypatch.setenv("GRADESEC_CONFIG", str(tmp_path / "config"))
    keys.new_key("张测评", "inspector", "某测评中心", "correct horse battery staple")
    base: tuple[str | Path, ...] = ("--store", tmp_path / "store")
    unit = json.loads(cli(*base, "--json", "unit", "add", "--name", "某单位")[1])["id"]
    system = json.loads(
        cli(*base, "--json", "system", "add", "--unit", unit, "--name", "某系统", "--level", "2")[1]
    )["id"]
    code, out, err = cli(*base, "--json", "inspection", "new", "--system", system, "--profile", "mlps-l2")
    assert code == 0, err
    insp = json.loads(out)["id"]
    book = tmp_path / "l2.xlsx"
    build(load_catalog(), 2, book)

    code, out, err = cli(*base, "finding", "import", book, "-i", insp, "--check")
    assert code == 0, err
    assert "'中心机房' → " in out and "rows, mapped" in out
    assert (
        "(new database)" in out
    )  # 核心数据库: the kind gradesec would give it, shown before anything is made
    assert "Check only, nothing written" in out

    code, out, err = cli(*base, "finding", "import", book, "-i", insp)
    assert code == 1 and "matches no object of the inspection" in err and "--create-assets" in err

    code, out, err = cli(*base, "--json", "finding", "import", book, "-i", insp, "--create-assets")
    assert code == 0, err
    result = json.loads(out)
    assert result["recorded"] == 204 and result["extensions"] == {"cloud": 12}
    assert {c["kind"] for c in result["created_assets"]} == {
        "server",
        "database",
        "security_device",
        "terminal",
    }
    assert sum(s["mapped"] for s in result["summary"]) == 204

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "中心机房"
    ws.append(["控制点", "测评项", "结果记录", "符合情况"])
    ws.append(["物理位置选择", "a）…", "x", "差不多"])
    odd = tmp_path / "odd.xlsx"
    wb.save(odd)
    code, out, err = cli(*base, "finding", "import", odd, "-i", insp, "--valid-only")
    assert code == 1 and "Nothing was imported" in err
