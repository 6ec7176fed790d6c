"""System conditions and mitigations through the command line (in-process runs on a real store and key)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from gradesec.journal import Store

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def gs(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.setenv("GRADESEC_PASSPHRASE", "correct horse")
    code, _out, err = cli("key", "new", "--name", "Ivan", "--role", "inspector", "--org", "Lab")
    assert code == 0, err
    return cli


def _json(gs: Cli, *args: str) -> dict[str, object]:
    code, out, err = gs("--json", *args)
    assert code == 0, err
    data = json.loads(out)
    assert isinstance(data, dict)
    return data


def _events() -> int:
    with Store.open(Path(os.environ["GRADESEC_STORE"])) as s:
        return s.count()


def test_conditions_and_a_mitigated_downgrade_from_the_cli(gs: Cli) -> None:
    unit = str(_json(gs, "unit", "add", "--name", "Grid Co.")["id"])
    system = _json(
        gs, "system", "add", "--unit", unit, "--name", "Dispatch", "-l", "3", "--business-continuity"
    )
    sid = str(system["id"])
    assert system["conditions"] == ["business_continuity"]
    assert _json(gs, "system", "show", sid)["conditions"] == ["business_continuity"]
    code, out, _ = gs("system", "list")
    assert code == 0 and "high business-continuity need" in out
    dev = str(_json(gs, "asset", "add", "--system", sid, "--kind", "network_device", "--name", "core")["id"])
    insp = str(_json(gs, "inspection", "new", "--system", sid, "--profile", "mlps-l3", "--title", "t")["id"])
    assert gs("finding", "record", "-i", insp, "--item", "CNS-01-e", "-a", dev, "-r", "noncompliant")[0] == 0

    rate = ["issue", "rate", "-i", insp, "--item", "CNS-01-e", "-a", dev]
    before = _events()
    code, _out, err = gs(*rate, "--risk", "medium", "--compensation", "spare switch", "--reason", "r")
    assert code == 1 and "6.2.1.3 may be lowered only with a mitigation it allows" in err
    assert "Traceback" not in err
    code, _out, err = gs(*rate, "--risk", "medium", "--mitigation", "spare-switch", "--reason", "r")
    assert code == 1 and "do not allow mitigation spare-switch" in err
    assert _events() == before
    issue = _json(
        gs, *rate, "--risk", "medium", "--mitigation", "multi-dc-app-dr", "--reason", "two DCs, drilled"
    )
    assert issue["mitigations"] == [{"case": "6.2.1.3", "id": "multi-dc-app-dr"}]

    assert _json(gs, "system", "set-conditions", sid, "--critical-industry")["conditions"] == [
        "critical_industry"
    ]
    code, _out, err = gs("system", "set-conditions", sid, "--critical-industry")
    assert code == 1 and "unchanged" in err
    code, out, _ = gs("catalog", "case", "6.2.1.3")
    assert code == 0 and "multi-dc-app-dr" in out
    assert _json(gs, "verify")["ok"] is True
