"""``unit edit``, ``system edit`` and ``finding retract`` on the command line."""

from __future__ import annotations

import json

from tests.assess.conftest import FIXTURE
from tests.assess.test_cli import Cli, fixture_inspection, gs  # noqa: F401  (the fixture)


def test_edit_and_retract_from_the_command_line(gs: Cli) -> None:  # noqa: F811
    ids = fixture_inspection(gs)
    code, out, err = gs("--json", "unit", "edit", ids["unit"], "--name", "Example Bureau of Water")
    assert code == 0, err
    assert json.loads(out)["name"] == "Example Bureau of Water"
    code, _out, err = gs("unit", "edit", ids["unit"], "--name", "Example Bureau of Water")
    assert code == 2 and "Nothing to change" in err
    code, out, err = gs("system", "edit", ids["system"], "--filing-no", "41-0099")
    assert code == 0 and "Corrected" in out, err
    base = ["--catalog", str(FIXTURE), "finding"]
    pair = ["-i", ids["insp"], "--item", "TCE-01-a", "-a", ids["srv"]]
    code, _out, err = gs(*base, "record", *pair, "-r", "noncompliant")
    assert code == 0, err
    code, out, err = gs(*base, "retract", *pair, "--reason", "wrong server")
    assert code == 0 and "untested" in out, err
    code, out, _err = gs("--json", *base, "list", "-i", ids["insp"])
    assert json.loads(out) == []
    code, out, _err = gs(*base, "history", *pair)
    assert "retracted (untested)" in out
    code, _out, err = gs(*base, "retract", *pair)
    assert code == 1 and "nothing to take back" in err
