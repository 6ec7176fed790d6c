"""``gradesec drill …`` in-process: list, show, run --script, score --json, report; errors and exit codes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def keyed(cli, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GRADESEC_PASSPHRASE", "drill-test-passphrase")
    code, _out, err = cli("key", "new", "--name", "Lead Lin", "--role", "lead", "--org", "Training")
    assert code == 0, err
    return cli


def test_run_score_show_report(keyed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli = keyed
    code, out, err = cli("--json", "drill", "run", "--script", FIXTURES / "portal-script.yaml")
    assert code == 0, err
    data = json.loads(out)
    assert data["drill"] == "D-GOLDEN" and data["score"]["overall"]["percent"] == 62.0
    assert len(data["improvements"]) == 10

    code, out, _err = cli("drill", "score", "D-GOLDEN", "--json")
    assert code == 0 and json.loads(out)["overall"]["weighted_percent"] == 70.6

    code, out, _err = cli("drill", "show", "D-GOLDEN")
    assert code == 0 and "D-GOLDEN" in out and "I7" in out

    code, out, _err = cli("--json", "drill", "list")
    listing = json.loads(out)
    assert [d["id"] for d in listing["drills"]] == ["D-GOLDEN"] and len(listing["scenarios"]) >= 5

    pdf = tmp_path / "aar.pdf"
    code, out, err = cli("drill", "report", "D-GOLDEN", "-o", pdf, "--report-lang", "en")
    assert code == 0, err
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Drill after-action report" in text and "Improvement plan" in text


def test_show_a_scenario_without_a_store(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _err = cli("drill", "show", "office-ransomware")
    assert code == 0 and "I1-E1" in out
    code, out, _err = cli("--json", "drill", "list", "--scenarios")
    assert code == 0 and json.loads(out)["drills"] == []


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("drill", "run"), 2, "No scenario"),
        (("drill", "run", "--script", "missing.yaml"), 2, "Cannot read"),
        (
            ("drill", "run", "office-ransomware", "--script", str(FIXTURES / "portal-script.yaml")),
            2,
            "is for scenario",
        ),
        (("drill", "score", "D-NONE"), 1, "no drill"),
        (("drill", "show", "nothing-like-this"), 1, "no drill"),
    ],
)
def test_errors_are_one_sentence_and_a_hint(keyed, args: tuple[str, ...], code: int, message: str) -> None:  # type: ignore[no-untyped-def]
    cli = keyed
    cli("drill", "run", "--script", FIXTURES / "portal-script.yaml")
    got, _out, err = cli(*args)
    assert got == code and message in err and "Traceback" not in err


def test_report_refuses_a_non_pdf_name(keyed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli = keyed
    cli("drill", "run", "--script", FIXTURES / "portal-script.yaml")
    code, _out, err = cli("drill", "report", "D-GOLDEN", "-o", tmp_path / "x.txt")
    assert code == 2 and ".pdf" in err and not (tmp_path / "x.txt").exists()
