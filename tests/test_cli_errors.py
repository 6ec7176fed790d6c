"""Bad input across the command line: one clear sentence and a hint, exit 1 or 2, no traceback, and the
store unchanged (its journal and every state table hash the same before and after)."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest


def _store_digest(store: Path) -> str:
    digest = hashlib.sha256()
    with sqlite3.connect(store / "gradesec.db") as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        for table in tables:
            for row in db.execute(f'SELECT * FROM "{table}" ORDER BY 1'):  # names from sqlite_master
                digest.update(repr((table, row)).encode())
    return digest.hexdigest()


@pytest.fixture
def world(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A store with a unit, a level-3 system, one server asset and an open inspection."""
    monkeypatch.setenv("GRADESEC_PASSPHRASE", "correct horse")
    store = tmp_path / "store"
    assert cli("key", "new", "--name", "Li Lei", "--role", "inspector", "--org", "Lab")[0] == 0

    def new_id(*args: str) -> str:
        code, out, err = cli("--store", store, "--json", *args)
        assert code == 0, err
        import json

        return str(json.loads(out)["id"])

    unit = new_id("unit", "add", "--name", "City Bureau")
    system = new_id("system", "add", "--unit", unit, "--name", "Portal", "--level", "3")
    asset = new_id("asset", "add", "--system", system, "--kind", "server", "--name", "web-01")
    inspection = new_id("inspection", "new", "--system", system, "--profile", "mlps-l3")
    return {"store": str(store), "unit": unit, "system": system, "asset": asset, "inspection": inspection}


def _bad_cases(w: dict[str, str], tmp: Path) -> list[tuple[str, list[str], int]]:
    i, a = w["inspection"], w["asset"]
    return [
        (
            "unknown item",
            ["finding", "record", "-i", i, "--item", "NOPE-01-a", "--asset", a, "--result", "compliant"],
            1,
        ),
        (
            "a control character in the note",
            [
                "finding",
                "record",
                "-i",
                i,
                "--item",
                "PES-01-a",
                "--asset",
                a,
                "--result",
                "compliant",
                "--note",
                "a\x07b",
            ],
            2,
        ),
        (
            "bad result word",
            ["finding", "record", "-i", i, "--item", "CES-01-a", "--asset", a, "--result", "great"],
            2,
        ),
        (
            "na without a reason",
            ["finding", "record", "-i", i, "--item", "CES-01-a", "--asset", a, "--result", "na"],
            2,
        ),
        (
            "missing evidence file",
            [
                "finding",
                "record",
                "-i",
                i,
                "--item",
                "CES-01-a",
                "--asset",
                a,
                "--result",
                "partial",
                "--evidence",
                str(tmp / "nowhere.png"),
            ],
            1,
        ),
        ("unknown inspection", ["score", "-i", "i-nope"], 1),
        ("unknown system", ["inspection", "new", "--system", "s-nope", "--profile", "mlps-l3"], 1),
        ("unknown profile", ["inspection", "new", "--system", w["system"], "--profile", "mlps-l9"], 1),
        (
            "unknown asset kind",
            ["asset", "add", "--system", w["system"], "--kind", "toaster", "--name", "x"],
            2,
        ),
        ("bad level", ["system", "add", "--unit", w["unit"], "--name", "X", "--level", "7"], 2),
        ("truncated bundle", ["bundle", "import", str(tmp / "broken.gsb")], 1),
        (
            "report under a file",
            ["report", "inspection", "-i", i, "-f", "pdf", "-o", str(tmp / "broken.gsb" / "r.pdf")],
            2,
        ),
    ]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bad_input_is_refused_clearly_and_changes_nothing(cli, world, tmp_path: Path, lang: str) -> None:
    (tmp_path / "broken.gsb").write_bytes(b"\x1f\x8b\x08\x00truncated")
    store = Path(world["store"])
    before = _store_digest(store)
    prefix = "Error: " if lang == "en" else "错误："
    for name, args, expected in _bad_cases(world, tmp_path):
        code, _out, err = cli("--store", store, "--lang", lang, *args)
        assert code == expected, (name, code, err)
        assert "Traceback" not in err, name
        if expected == 1:
            lines = err.strip().splitlines()
            assert lines[0].startswith(prefix), (name, err)
            assert len(lines) >= 2, (name, err)  # a hint follows the sentence
    assert _store_digest(store) == before


def test_wrong_passphrase_writes_nothing(cli, world, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Path(world["store"])
    before = _store_digest(store)
    monkeypatch.setenv("GRADESEC_PASSPHRASE", "wrong")
    code, _, err = cli("--store", store, "unit", "add", "--name", "Another")
    assert code == 1 and "passphrase" in err.lower()
    assert _store_digest(store) == before


def test_malformed_catalog_is_one_clear_error(cli, tmp_path: Path) -> None:
    bad = tmp_path / "cat"
    bad.mkdir()
    (bad / "x.yaml").write_text("kind: checklist\nid: [\n", encoding="utf-8")
    code, _, err = cli("--catalog", bad, "catalog", "items", "--profile", "mlps-l3")
    assert code == 1
    assert f"{bad / 'x.yaml'}:" in err and "YAML syntax error" in err


def test_missing_store_is_a_clear_error(cli, tmp_path: Path) -> None:
    code, _, err = cli("--store", tmp_path / "none", "verify")
    assert code == 1 and "no gradesec store" in err
