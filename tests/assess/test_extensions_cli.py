"""An inspection with the cloud extension set, end to end through the command line on a real store."""

from __future__ import annotations

import csv
import json
import os
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest

from gradesec.catalog.loader import load_catalog
from gradesec.journal import Store

Cli = Callable[..., tuple[int, str, str]]
VALUES = {"compliant": 1.0, "partial": 0.5, "noncompliant": 0.0}


@pytest.fixture
def gs(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.setenv("GRADESEC_PASSPHRASE", "correct horse")
    code, _out, err = cli("key", "new", "--name", "Ivan", "--role", "inspector", "--org", "Lab")
    assert code == 0, err
    return cli


def new_id(gs: Cli, *args: str) -> str:
    code, out, err = gs("--json", *args)
    assert code == 0, err
    return str(json.loads(out)["id"])


def test_cloud_inspection_records_and_scores_extension_items(gs: Cli, tmp_path: Path) -> None:
    unit = new_id(gs, "unit", "add", "--name", "Cloud Co")
    system = new_id(
        gs, "system", "add", "--unit", unit, "--name", "Tenant portal", "--level", "3", "--extension", "cloud"
    )
    catalog = load_catalog()
    items = catalog.items_for("mlps-l3+cloud")
    kinds = sorted({k for i in items for k in i.item.objects})
    assets = {k: new_id(gs, "asset", "add", "--system", system, "--kind", k, "--name", k) for k in kinds}

    # A policy that counts extension items in the 2019 score, from a user catalog folder.
    extra = tmp_path / "catalog"
    extra.mkdir()
    (extra / "p.yaml").write_text(
        "kind: policy\nid: mlps-2019-ext\ntitle: {zh: 含扩展, en: With extensions}\nmethod: mlps-2019\n"
        "params: {score_extensions: true}\n",
        encoding="utf-8",
    )
    insp = new_id(
        gs, "--catalog", str(extra), "inspection", "new", "--system", system, "--profile", "mlps-l3",
        "--extensions", "cloud", "--policy", "mlps-2019-ext",
    )  # fmt: skip

    # The pinned snapshot names each item's extension.
    with Store.open(Path(os.environ["GRADESEC_STORE"])) as store:
        opened = next(e for e in store.events() if e.kind == "inspection.opened")
    assert opened.body["profile"] == "mlps-l3+cloud"
    pinned = {i["id"]: i.get("extension") for i in opened.body["items"]}
    assert len(pinned) == 211 + 46
    assert sum(1 for v in pinned.values() if v == "cloud") == 46
    assert pinned["CES-01-a"] is None and pinned["CLD-CES-05-a"] == "cloud"
    assert "high_risk:mlps-2019-ext-high-risk" in opened.body["pins"]
    assert {"7.2.1.2", "7.4.3.1"} <= {c["id"] for c in opened.body["cases"]}

    rows: list[dict[str, str]] = []
    for n, item in enumerate(items):
        # General items all compliant; every third cloud item non-compliant, the rest compliant.
        result = "noncompliant" if item.extension and n % 3 == 0 else "compliant"
        for kind in item.item.objects:
            rows.append({"item": item.id, "asset": assets[kind], "result": result, "note": "seen"})
    sheet = tmp_path / "results.csv"
    with sheet.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    code, out, err = gs(
        "--catalog", str(extra), "--json", "finding", "record-many", "--inspection", insp, sheet
    )
    assert code == 0, err
    assert json.loads(out)["recorded"] == len(rows)

    code, out, err = gs(
        "--catalog", str(extra), "score", "--inspection", insp, "--policy", "mlps-2019",
        "--policy", "mlps-2019-ext", "--json",
    )  # fmt: skip
    assert code == 0, err
    plain, with_ext = json.loads(out)
    # 2019 default: extension items carry no weight, so the all-compliant general items score 100.
    assert plain["score"] == pytest.approx(100.0)
    assert plain["counts"]["results"]["noncompliant"] > 0  # the extension failures are still results
    # With score_extensions the failed cloud items deduct, per category as the formula says.
    by_cat: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for n, item in enumerate(items):
        s = 0.0 if item.extension and n % 3 == 0 else 1.0
        by_cat[item.category.code][0] += item.weight
        by_cat[item.category.code][1] += item.weight * (1 - s)
    expected = 100 - sum(d / w for w, d in by_cat.values()) / len(by_cat) * 100
    assert with_ext["score"] == pytest.approx(expected, abs=1e-4) and with_ext["score"] < 100

    code, out, err = gs("--catalog", str(extra), "--json", "issue", "list", "--inspection", insp)
    assert code == 0, err
    issues = json.loads(out)
    failed = [r for r in rows if r["result"] == "noncompliant"]
    assert len(issues) == len(failed) > 0
    assert all(i["item"].startswith("CLD-") for i in issues)
    cases = {c.item: c.id for c in catalog.high_risk["mlps-2019-ext-high-risk"].cases if 3 in c.levels}
    flagged = [i for i in issues if i["item"] in cases]
    assert flagged  # at least one failed cloud item carries a case of the guide
    for issue in flagged:
        assert issue["suggested"] == "high" and issue["cases"] == [cases[issue["item"]]]


def test_extension_choices_are_checked(gs: Cli) -> None:
    unit = new_id(gs, "unit", "add", "--name", "U")
    system = new_id(gs, "system", "add", "--unit", unit, "--name", "S", "--level", "2")
    code, _, err = gs(
        "inspection", "new", "--system", system, "--profile", "mlps-l2", "--extensions", "satellite"
    )
    assert code == 2 and "satellite" in err
    code, _, err = gs(
        "inspection", "new", "--system", system, "--profile", "mlps-l2", "--cloud-side", "customer"
    )
    assert code == 2 and "--cloud-side" in err
    code, _, err = gs(
        "inspection", "new", "--system", system, "--profile", "mlps-l2", "--extensions", "bigdata"
    )
    assert code == 1 and "big" in err.lower()
    code, out, err = gs(
        "--json", "inspection", "new", "--system", system, "--profile", "mlps-l2", "-x", "cloud,mobile",
        "--cloud-side", "customer",
    )  # fmt: skip
    assert code == 0, err
    code, out, err = gs("--json", "inspection", "show", json.loads(out)["id"])
    assert code == 0 and "mlps-l2+cloud-customer+mobile" in out
