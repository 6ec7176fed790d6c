"""The command line end to end: two people, two config dirs, two stores, keys from `gradesec key new`."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from gradesec.catalog.loader import Catalog
from gradesec.journal import keys
from gradesec.usecases.context import open_context
from tests.remedy.conftest import inspect


def test_cli_hand_over_and_retest(
    cli, catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GRADESEC_PASSPHRASE", "correct horse")
    ins_cfg, off_cfg = tmp_path / "ins-cfg", tmp_path / "off-cfg"
    inspector = keys.new_key("Ivan", "inspector", "Lab", "correct horse", config_dir=ins_cfg)
    officer = keys.new_key("Olga", "officer", "Unit", "correct horse", config_dir=off_cfg)
    ins_store, off_store = tmp_path / "ins-store", tmp_path / "off-store"
    with open_context(ins_store, signer=inspector, create=True, catalog=catalog) as ctx:
        field = inspect(ctx, catalog, tmp_path, close=True)
    bundle = tmp_path / "hand-over.gsb"

    monkeypatch.setenv("GRADESEC_CONFIG", str(ins_cfg))
    code, out, err = cli("--store", ins_store, "bundle", "export", "-i", field.inspection, "-o", bundle)
    assert code == 0, err
    assert "Exported" in out

    monkeypatch.setenv("GRADESEC_CONFIG", str(off_cfg))
    code, out, err = cli("--store", off_store, "bundle", "import", bundle)
    assert code == 1 and "no gradesec store" in err
    with open_context(off_store, signer=officer, create=True, catalog=catalog):
        pass
    code, out, err = cli("--store", off_store, "bundle", "import", bundle)
    assert code == 1 and "not trusted" in err and "Nothing in the store was changed" in err
    code, out, err = cli("--store", off_store, "bundle", "import", bundle, "--trust", inspector.key_id)
    assert code == 0, err
    assert "Now trusting key" in out and "role inspector" in out and "organisation Lab" in out
    assert "as a witness" in out
    code, out, err = cli("--store", off_store, "bundle", "import", bundle)
    assert code == 0 and "imported already" in out

    code, out, _ = cli("--store", off_store, "--json", "remedy", "list", "--high")
    data = json.loads(out)
    high = data["items"][0]["id"]
    assert data["figures"]["total"] == 3 and len(data["items"]) == 1
    assert (
        cli("--store", off_store, "remedy", "assign", high, "--person", "Olga", "--deadline", "2026-12-01")[0]
        == 0
    )
    code, out, _ = cli("--store", off_store, "--json", "remedy", "list", "--mine", "--today", "2026-12-02")
    mine = json.loads(out)["items"]
    assert [i["id"] for i in mine] == [high] and mine[0]["overdue"] is True
    code, out, err = cli("--store", off_store, "remedy", "list", "--today", "2026-12-02")
    assert "overdue" in out
    proof = tmp_path / "fix.txt"
    proof.write_text("config diff")
    code, out, err = cli(
        "--store", off_store, "remedy", "update", high, "-a", "fix", "-m", "done", "-e", proof
    )
    assert code == 0, err
    code, out, err = cli(
        "--store", off_store, "remedy", "retest", "-i", field.inspection, "--item", f"{high}=verified"
    )
    assert code == 1 and "may not" in err
    code, out, err = cli("--store", off_store, "remedy", "update", high, "-a", "fix", "-m", "again")
    assert code == 1 and "cannot" in err
    back = tmp_path / "back.gsb"
    assert cli("--store", off_store, "bundle", "export", "-i", field.inspection, "-o", back)[0] == 0

    monkeypatch.setenv("GRADESEC_CONFIG", str(ins_cfg))
    code, out, err = cli("--store", ins_store, "bundle", "verify", back, "--trust", officer.key_id)
    assert code == 0 and "sound" in out
    assert cli("--store", ins_store, "bundle", "import", back, "--trust", officer.key_id)[0] == 0
    code, out, err = cli(
        "--store", ins_store, "remedy", "retest", "-i", field.inspection, "--item", f"{high}=verified"
    )
    assert code == 0, err
    assert "Re-test done" in out
    code, out, _ = cli("--store", ins_store, "--json", "remedy", "show", high)
    shown = json.loads(out)
    assert shown["status"] == "verified" and [e["action"] for e in shown["log"]][-1] == "verify"
    pdf = tmp_path / "progress.pdf"
    assert cli("--store", ins_store, "remedy", "report", "-i", field.inspection, "-o", pdf)[0] == 0
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "yes" in fonts  # embedded
    assert cli("--store", ins_store, "verify")[0] == 0
