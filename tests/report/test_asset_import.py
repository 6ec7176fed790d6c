"""``gradesec asset import``: an asset list in one signed transaction; a bad row changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from gradesec.journal import keys


def _store(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> tuple[tuple[str | Path, ...], str]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GRADESEC_PASSPHRASE", "correct horse battery staple")
    monkeypatch.setenv("GRADESEC_CONFIG", str(tmp_path / "config"))
    keys.new_key("张测评", "inspector", "某测评中心", "correct horse battery staple")
    base: tuple[str | Path, ...] = ("--store", tmp_path / "store")
    code, out, err = cli(*base, "--json", "unit", "add", "--name", "某单位")
    assert code == 0, err
    unit = json.loads(out)["id"]
    code, out, err = cli(*base, "--json", "system", "add", "--unit", unit, "--name", "某系统", "--level", "3")
    assert code == 0, err
    return base, json.loads(out)["id"]


def test_asset_list_from_a_workbook(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    base, system = _store(tmp_path, cli, monkeypatch)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["资产清单"])
    ws.append(["名称", "类型", "IP", "版本", "重要程度"])
    ws.append(["核心防火墙", "安全设备", "10.0.0.1", "V5.6", "关键"])
    ws.append(["业务数据库", "database", "10.0.0.2", "MySQL 8.0", "重要"])
    ws.append(["Nginx 网关", "", "10.0.0.3", "1.24", "一般"])
    path = tmp_path / "assets.xlsx"
    wb.save(path)
    code, out, err = cli(*base, "--json", "asset", "import", path, "--system", system)
    assert code == 0, err
    made = json.loads(out)
    assert [(a["name"], a["kind"], a["importance"], a["kind_guessed"]) for a in made] == [
        ("核心防火墙", "security_device", "关键", False),
        ("业务数据库", "database", "重要", False),
        ("Nginx 网关", "middleware", "一般", True),
    ]
    code, out, err = cli(*base, "--json", "asset", "list", "--system", system)
    listed = {a["name"]: a for a in json.loads(out)}
    assert listed["业务数据库"]["address"] == "10.0.0.2" and listed["业务数据库"]["role"] == "MySQL 8.0"


def test_a_bad_row_imports_nothing(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    base, system = _store(tmp_path, cli, monkeypatch)
    path = tmp_path / "assets.csv"
    path.write_text(
        "名称,类型,IP,重要程度\n主机1,server,10.0.0.1,关键\n主机2,server,10.0.0.2,非常重要\n",
        encoding="utf-8",
    )
    code, out, err = cli(*base, "asset", "import", path, "--system", system)
    assert code == 1 and "Row 3: unknown importance '非常重要'" in err and "Traceback" not in err
    code, out, err = cli(*base, "--json", "asset", "list", "--system", system)
    assert json.loads(out) == []
