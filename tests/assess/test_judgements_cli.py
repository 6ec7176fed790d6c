"""Asset importance, 整体测评 corrections and 重大风险隐患 judgements through the command line, on a real store,
then ``gradesec verify`` (which replays the journal and compares the state) stays clean."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from gradesec.journal import Store
from tests.assess.conftest import FIXTURE
from tests.assess.test_cli import Cli, fixture_inspection, new_id


@pytest.fixture
def gs(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """``gs(*args)``: the CLI with a passphrase in the environment and one inspector key."""
    monkeypatch.setenv("GRADESEC_PASSPHRASE", "correct horse")
    code, _out, err = cli("key", "new", "--name", "Ivan", "--role", "inspector", "--org", "Lab")
    assert code == 0, err
    return cli


def events(store: Path) -> int:
    with Store.open(store) as s:
        return s.count()


def score(gs: Cli, insp: str, policy: str) -> dict[str, Any]:
    code, out, err = gs("--json", "--catalog", str(FIXTURE), "score", "-i", insp, "--policy", policy)
    assert code == 0, err
    data = json.loads(out)
    assert isinstance(data, dict)
    return data


def test_importance_corrections_and_major_risk_judgement_on_a_real_store(gs: Cli) -> None:
    """Fixture profile t-l3: TCE-01-a (weight 1.0, key), TCE-01-b (0.7), TCE-02-a (0.4), TMG-01-a (0.7).

    Two servers, web01 (key) and web02 (general); TCE-01-a non-compliant on web01, compliant on web02; all else
    compliant. 2021, importance 3/1: x = (3·0 + 1·1)/4 = 0.25; n = 4, S = 25; V_t = 50 − 3·0.75·25 = −6.25 → 0;
    V_m = 50 → M = 50. With web01 general (x = 0.5): V_t = 50 − 3·0.5·25 = 12.5 → M = 62.5.
    After a correction of TCE-01-a on web01 to partial: x = (3·0.5 + 1)/4 = 0.625 → V_t = 50 − 3·0.375·25 =
    21.875 → M = 71.875. 2025 (items): TCE-01-a not met → 3/4 = 75 % before; the correction leaves it partial
    (not met) → 75 %; a whole-item correction to compliant → 100 %.
    """
    ids = fixture_inspection(gs)
    root = Path(os.environ["GRADESEC_STORE"])
    srv2 = new_id(gs, "asset", "add", "--system", ids["system"], "--kind", "server", "--name", "web02")
    code, out, err = gs(
        "--json", "asset", "update", ids["srv"], "--importance", "关键", "--version", "nginx 1.24"
    )
    assert code == 0, err
    assert json.loads(out)["importance"] == "key" and json.loads(out)["version"] == "nginx 1.24"
    code, out, err = gs("--json", "asset", "list", "--system", ids["system"])
    assert {a["id"]: a["importance"] for a in json.loads(out)}[srv2] == "general"
    insp = ids["insp"]
    assert gs("inspection", "add-assets", insp, srv2)[0] == 0
    rec = ["--catalog", str(FIXTURE), "finding", "record", "-i", insp]
    for item, asset, result in (
        ("TCE-01-a", ids["srv"], "noncompliant"),
        ("TCE-01-a", srv2, "compliant"),
        ("TCE-01-b", ids["srv"], "compliant"),
        ("TCE-01-b", srv2, "compliant"),
        ("TCE-02-a", ids["srv"], "compliant"),
        ("TCE-02-a", srv2, "compliant"),
        ("TMG-01-a", ids["doc"], "compliant"),
    ):
        code, _out, err = gs(*rec, "--item", item, "-a", asset, "-r", result)
        assert code == 0, err
    assert score(gs, insp, "p2021")["score"] == pytest.approx(50.0)
    assert gs("asset", "update", ids["srv"], "--importance", "general")[0] == 0
    assert score(gs, insp, "p2021")["score"] == pytest.approx(62.5)
    assert gs("asset", "update", ids["srv"], "--importance", "key")[0] == 0
    assert score(gs, insp, "p2025")["compliance_rate"] == pytest.approx(75.0)

    code, out, err = gs(
        "--json",
        "finding",
        "correct",
        "-i",
        insp,
        "--item",
        "TCE-01-a",
        "-a",
        ids["srv"],
        "-r",
        "partial",
        "--reason",
        "the WAF in front blocks the exposed path",
    )
    assert code == 0, err
    assert json.loads(out)["original"] == "noncompliant"
    r2021 = score(gs, insp, "p2021")
    assert r2021["score"] == pytest.approx(71.875)
    assert r2021["counts"]["results"]["noncompliant"] == 1  # the original stays visible
    assert score(gs, insp, "p2025")["compliance_rate"] == pytest.approx(75.0)
    assert (
        gs("finding", "correct", "-i", insp, "--item", "TCE-01-a", "-r", "compliant", "--reason", "x")[0] == 0
    )
    assert score(gs, insp, "p2025")["compliance_rate"] == pytest.approx(100.0)
    code, out, err = gs("--json", "finding", "corrections", "-i", insp)
    assert [(c["asset"], c["result"]) for c in json.loads(out)] == [
        (None, "compliant"),
        (ids["srv"], "partial"),
    ]

    # 重大风险隐患: the fixture's high-risk case makes TCE-01-a on web01 a suggested high issue; that alone is
    # not a major risk. The assessor judges it one (trigger MR-03), then re-judges the group as not major.
    code, out, err = gs("--json", "issue", "majors", "-i", insp)
    assert json.loads(out)["count"] == "0 (0 remediated)"
    before = events(root)
    bad = [
        (
            ["--item", "TCE-01-a", "-a", ids["srv"], "--reason", "weak admin password"],
            2,
            "must name the trigger",
        ),
        (
            ["--item", "TCE-01-a", "-a", ids["srv"], "--reason", "r", "--trigger", "MR-77"],
            2,
            "Unknown major-risk",
        ),
        (["--item", "TCE-01-b", "-a", ids["srv"], "--reason", "r", "--trigger", "MR-03"], 1, "not an issue"),
        (["--item", "TCE-01-a", "--reason", "r", "--trigger", "MR-03"], 2, "as many --item"),
    ]
    for args, exit_code, message in bad:
        code, out, err = gs("issue", "judge-major", "-i", insp, *args)
        assert code == exit_code, (args, out, err)
        assert message in err and "Traceback" not in err
    assert events(root) == before
    code, out, err = gs(
        "--json",
        "issue",
        "judge-major",
        "-i",
        insp,
        "--item",
        "TCE-01-a",
        "-a",
        ids["srv"],
        "--trigger",
        "MR-03",
        "--reason",
        "default admin password on an internet-facing console",
    )
    assert code == 0, err
    judged = json.loads(out)
    assert judged["major"] is True and judged["trigger"] == "MR-03" and judged["remediated"] is False
    r2025 = score(gs, insp, "p2025")
    assert r2025["major_risks"]["text"] == {"zh": "1（0个已整改）", "en": "1 (0 remediated)"}
    code, out, err = gs("--json", "issue", "majors", "-i", insp)
    assert json.loads(out)["count"] == "1 (0 remediated)"
    code, out, err = gs(
        "--json",
        "issue",
        "judge-major",
        "-i",
        insp,
        "--item",
        "TCE-01-a",
        "-a",
        ids["srv"],
        "--not-major",
        "--reason",
        "only reachable from the management VLAN",
    )
    assert code == 0, err
    assert json.loads(out)["id"] == judged["id"]
    assert score(gs, insp, "p2025")["major_risks"]["count"] == 0
    code, out, err = gs("--json", "issue", "triggers")
    assert "MR-99" in {t["id"] for t in json.loads(out)}

    code, out, err = gs("--json", "verify")
    assert code == 0, out + err
    assert json.loads(out)["ok"]
