"""``gradesec report set|edit|accept|show`` and ``report inspection -f docx`` through the command line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from gradesec.catalog.loader import Catalog
from gradesec.demo import demo_signer, write_demo_key
from tests.report.conftest import FIXTURE, build_sample

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def gs(cli: Cli, tmp_path: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> Cli:
    signer = demo_signer("zh")
    sample = build_sample(tmp_path / "store", catalog, signer=signer)
    sample.ctx.close()
    config = tmp_path / "config"
    write_demo_key(signer, config)
    monkeypatch.setenv("GRADESEC_CONFIG", str(config))
    monkeypatch.setenv("GRADESEC_PASSPHRASE", "demo")

    def run(*args: str | Path) -> tuple[int, str, str]:
        return cli("--store", tmp_path / "store", "--catalog", FIXTURE, *args)

    return run


def test_set_edit_show_and_accept(gs: Cli, tmp_path: Path) -> None:
    code, out, err = gs("--lang", "en", "report", "set", "-i", "i-0001", "unit.contact", "王主任")
    assert code == 0, err
    assert "1 report field" in out
    fields = tmp_path / "fields.yaml"
    fields.write_text(
        "unit:\n  phone: 010-12345678\n  address: 政务路1号\norg: {code: 421}\nsystem.grading: S3A2G3\n",
        encoding="utf-8",
    )
    code, out, err = gs("--lang", "en", "report", "edit", "-i", "i-0001", "--from", fields)
    assert code == 0, err
    code, out, err = gs("--json", "report", "show", "-i", "i-0001")
    assert code == 0, err
    shown = json.loads(out)
    assert shown["fields"]["unit.contact"] == {
        "value": "王主任",
        "status": "set",
        "draft": "",
        "mandatory": True,
    }
    assert shown["fields"]["org.code"]["value"] == "0421"
    assert "unit.contact" not in shown["missing"] and "object.network" in shown["missing"]
    code, out, err = gs("--lang", "zh", "report", "show", "-i", "i-0001", "--chapter", "front")
    assert code == 0, err
    assert "被测单位联系人" in out and "已填写" in out and "尚缺" in out
    code, out, err = gs("--lang", "en", "report", "accept", "-i", "i-0001", "narrative.TCE.problems")
    assert code == 0, err
    code, out, _ = gs("--json", "report", "show", "-i", "i-0001")
    assert json.loads(out)["fields"]["narrative.TCE.problems"]["status"] == "accepted"


def test_bad_input_is_one_sentence_and_a_hint(gs: Cli, tmp_path: Path) -> None:
    code, _out, err = gs("--lang", "en", "report", "set", "-i", "i-0001", "system.grading", "S9")
    assert code == 2
    assert "SxAxGx" in err and "Hint" in err and "Traceback" not in err
    bad = tmp_path / "bad.yaml"
    bad.write_text("unit: [1, 2\n", encoding="utf-8")
    code, _out, err = gs("--lang", "en", "report", "edit", "-i", "i-0001", "--from", bad)
    assert code == 2 and "bad.yaml:" in err


def test_docx_from_the_command_line_and_strict(gs: Cli, tmp_path: Path) -> None:
    out = tmp_path / "r.docx"
    code, text, err = gs("--lang", "zh", "report", "inspection", "-i", "i-0001", "-f", "docx", "-o", out)
    assert code == 0, err
    assert out.is_file() and "已生成" in text
    strict = tmp_path / "s.docx"
    code, _text, err = gs(
        "--lang", "en", "report", "inspection", "-i", "i-0001", "-f", "docx", "--strict", "-o", strict
    )
    assert code == 1 and not strict.exists()
    assert "unit.contact" in err and "nothing was written" in err
