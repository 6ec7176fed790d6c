"""The inspection workflow through the command line, on real stores and real keys (in-process runs)."""

from __future__ import annotations

import csv
import json
import os
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gradesec.catalog.loader import load_catalog
from gradesec.journal import Store
from tests.assess.conftest import FIXTURE

Cli = Callable[..., tuple[int, str, str]]
VALUES = {"compliant": 1.0, "partial": 0.5, "noncompliant": 0.0}


@pytest.fixture
def gs(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """``gs(*args)``: the CLI with a passphrase in the environment and one inspector key."""
    monkeypatch.setenv("GRADESEC_PASSPHRASE", "correct horse")
    code, _out, err = cli("key", "new", "--name", "Ivan", "--role", "inspector", "--org", "Lab")
    assert code == 0, err
    return cli


def new_id(gs: Cli, *args: str) -> str:
    code, out, err = gs("--json", *args)
    assert code == 0, err
    return str(json.loads(out)["id"])


def pattern(n: int) -> str:
    return {0: "noncompliant", 1: "partial", 2: "partial", 3: "na"}.get(n % 10, "compliant")


def test_level3_inspection_end_to_end_over_the_shipped_profile(gs: Cli, tmp_path: Path) -> None:
    """One asset per object kind, every applicable pair recorded from a CSV, then the three report policies
    checked against a direct computation of the formulas over the same rows."""
    unit = new_id(gs, "unit", "add", "--name", "市大数据局", "--code", "123401")
    system = new_id(
        gs,
        "system",
        "add",
        "--unit",
        unit,
        "--name",
        "政务门户",
        "-b",
        "society:serious",
        "-s",
        "citizen:serious",
    )
    catalog = load_catalog()
    items = catalog.items_for("mlps-l3")
    kinds = sorted({k for i in items for k in i.objects})
    assets = {
        kind: new_id(gs, "asset", "add", "--system", system, "--kind", kind, "--name", kind) for kind in kinds
    }
    insp = new_id(gs, "inspection", "new", "--system", system, "--profile", "mlps-l3", "--title", "2026")

    evidence = tmp_path / "cfg.txt"
    evidence.write_text("PermitRootLogin no\n", encoding="utf-8")
    rows: list[dict[str, str]] = []
    for item in items:
        for kind in item.objects:
            result = pattern(len(rows))
            rows.append(
                {
                    "item": item.id,
                    "asset": assets[kind],
                    "result": result,
                    "note": "seen on site",
                    "method": "examine",
                    "reason": "not used here" if result == "na" else "",
                    "evidence": "cfg.txt" if len(rows) % 50 == 0 else "",
                }
            )
    sheet = tmp_path / "results.csv"
    with sheet.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    code, out, err = gs("--json", "finding", "record-many", "--inspection", insp, str(sheet))
    assert code == 0, err
    assert json.loads(out)["recorded"] == len(rows)

    # Direct computation over the same rows.
    per_item: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        if row["result"] != "na":
            per_item[row["item"]].append(VALUES[row["result"]])
    means = {k: sum(v) / len(v) for k, v in per_item.items()}
    by_cat: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    mult: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    factor = {1.0: 3, 0.7: 2, 0.4: 1}
    for item in items:
        if item.id not in means:
            continue
        s = means[item.id]
        by_cat[item.category.code][0] += item.weight
        by_cat[item.category.code][1] += item.weight * (1 - s)
        mult[item.category.cls][0] += factor[item.weight]
        mult[item.category.cls][1] += factor[item.weight] * (1 - s)
    m2019 = 100 - sum(d / w for w, d in by_cat.values()) / len(by_cat) * 100
    # 2021 reading: one base S = 100/n over every scored item, y = 0.5 on the caps only, parts floored at 0.
    base = 100 / len(means)
    m2021 = max(0.0, 50 - base * mult["technical"][1]) + max(0.0, 50 - base * mult["management"][1])
    rate = sum(1 for s in means.values() if s == 1.0) / len(means) * 100
    cases = catalog.high_risk["mlps-2019-high-risk"].cases
    high = sum(
        1
        for row in rows
        if row["result"] in ("partial", "noncompliant")
        and any(
            3 in c.levels and row["item"] in c.items and row["result"] in c.results and not c.conditions
            for c in cases
        )  # the system has no conditions (业务连续性要求高, 关键行业), so cases that need one do not apply
    )

    code, out, err = gs(
        "score",
        "--inspection",
        insp,
        "--policy",
        "mlps-2019",
        "--policy",
        "mlps-2021",
        "--policy",
        "mlps-2025",
        "--json",
    )
    assert code == 0, err
    r2019, r2021, r2025 = json.loads(out)
    assert r2019["score"] == pytest.approx(m2019, abs=1e-4)
    assert r2021["score"] == pytest.approx(m2021, abs=1e-4)
    assert r2025["compliance_rate"] == pytest.approx(rate, abs=1e-4)
    assert r2019["counts"]["issues"]["high"] == high > 0
    assert (r2019["conclusion"]["code"], r2021["conclusion"]["code"]) == ("noncompliant", "poor")
    assert r2021["approximation"] is True
    assert r2025["conclusion"]["code"] == ("noncompliant" if rate < 60 else "basically_compliant")
    assert r2019["progress"]["recorded"] == r2019["progress"]["applicable"] == len(rows)
    assert r2019["pins"]["profile:mlps-l3"] == catalog.hash_of("profile", "mlps-l3")
    assert {c["code"] for c in r2019["categories"]} == {
        "PES",
        "CNS",
        "ABS",
        "CES",
        "SMC",
        "PSS",
        "ORS",
        "HRS",
        "CMS",
        "MMS",
    }

    code, out, err = gs("inspection", "close", insp)
    assert code == 0, err
    code, out, err = gs(
        "finding", "record", "-i", insp, "--item", rows[0]["item"], "-a", rows[0]["asset"], "-r", "compliant"
    )
    assert code == 1 and "closed" in err
    code, out, err = gs("--json", "verify")
    assert code == 0, out + err
    report = json.loads(out)
    assert report["ok"] and report["checkpoints"] >= 1 and report["blobs"] == 1


def fixture_inspection(gs: Cli) -> dict[str, str]:
    ids = {"unit": new_id(gs, "unit", "add", "--name", "Example Bureau")}
    ids["system"] = new_id(gs, "system", "add", "--unit", ids["unit"], "--name", "Portal", "--level", "3")
    ids["srv"] = new_id(gs, "asset", "add", "--system", ids["system"], "--kind", "server", "--name", "web01")
    ids["doc"] = new_id(gs, "asset", "add", "--system", ids["system"], "--kind", "docs", "--name", "policies")
    ids["insp"] = new_id(
        gs, "--catalog", str(FIXTURE), "inspection", "new", "--system", ids["system"], "--profile", "t-l3"
    )
    return ids


def events_in(store: Path) -> int:
    with Store.open(store) as s:
        return s.count()


def test_a_result_beyond_the_expected_kinds_is_recorded_and_said_once(gs: Cli) -> None:
    """Applicability is advice: a documents item recorded on a server is kept and marked."""
    ids = fixture_inspection(gs)
    base = ["--catalog", str(FIXTURE), "finding", "record", "-i", ids["insp"]]
    code, out, err = gs(*base, "--item", "TMG-01-a", "-a", ids["srv"], "-r", "compliant")
    assert code == 0, err
    assert out.count("extension of scope") == 1
    code, out, err = gs("--json", *base, "--item", "TMG-01-a", "-a", ids["srv"], "-r", "partial")
    assert json.loads(out)["scope_extension"] is True
    code, out, err = gs("--json", *base, "--item", "TCE-01-a", "-a", ids["srv"], "-r", "partial")
    assert json.loads(out)["scope_extension"] is False


def test_bad_input_gives_one_clear_error_and_writes_nothing(gs: Cli, tmp_path: Path) -> None:
    ids = fixture_inspection(gs)
    root = Path(os.environ["GRADESEC_STORE"])
    before = events_in(root)
    base = ["--catalog", str(FIXTURE), "finding", "record", "-i", ids["insp"]]
    cases: list[tuple[list[str], int, str]] = [
        (["--item", "XXX-01-a", "-a", ids["srv"], "-r", "compliant"], 1, "is not part of inspection"),
        (
            ["--item", "TCE-01-a", "-a", ids["srv"], "-r", "compliant", "--note", "a\x07b"],
            2,
            "control character",
        ),
        (["--item", "TCE-01-a", "-a", "a-nope", "-r", "compliant"], 1, "There is no asset"),
        (["--item", "TCE-01-a", "-a", ids["srv"], "-r", "na"], 2, "needs a reason"),
        (["--item", "TCE-01-a", "-a", ids["srv"], "-r", "maybe"], 2, "Unknown result"),
        (
            ["--item", "TCE-01-a", "-a", ids["srv"], "-r", "compliant", "-e", str(tmp_path / "nope.png")],
            1,
            "does not exist",
        ),
    ]
    for args, exit_code, message in cases:
        code, out, err = gs(*base, *args)
        assert code == exit_code, (args, out, err)
        assert message in err and "Traceback" not in err
        assert err.startswith("Error: ") and "\nHint: " in err
    other = new_id(gs, "system", "add", "--unit", ids["unit"], "--name", "Other", "--level", "3")
    stray = new_id(gs, "asset", "add", "--system", other, "--kind", "server", "--name", "stray")
    before = events_in(root)
    code, _out, err = gs(*base, "--item", "TCE-01-a", "-a", stray, "-r", "compliant")
    assert code == 1 and "belongs to system" in err
    code, _out, err = gs("system", "add", "--unit", ids["unit"], "--name", "x")
    assert code == 2 and "protection level" in err
    code, _out, err = gs("asset", "add", "--system", ids["system"], "--kind", "toaster", "--name", "x")
    assert code == 2 and "Unknown asset kind" in err
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text(
        f"item,asset,result\nTCE-01-a,{ids['srv']},compliant\nNOPE-01-a,{ids['srv']},compliant\n"
    )
    code, _out, err = gs("--catalog", str(FIXTURE), "finding", "record-many", "-i", ids["insp"], str(bad_csv))
    assert code == 1 and "Entry 2" in err
    assert events_in(root) == before


def test_history_disagreement_and_ruling_with_two_keys(gs: Cli, tmp_path: Path) -> None:
    ids = fixture_inspection(gs)
    cat = ["--catalog", str(FIXTURE)]
    for name, role in (("Wang", "inspector"), ("Zhao", "reviewer")):
        code, out, err = gs("--json", "key", "new", "--name", name, "--role", role)
        assert code == 0, err
        kid = json.loads(out)["key_id"]
        exported = tmp_path / f"{name}.json"
        assert gs("key", "export", "--key", kid, "-o", str(exported))[0] == 0
        assert gs("key", "trust", str(exported))[0] == 0
        ids[name] = kid
    code, out, err = gs("--json", "key", "list")
    owner = next(k["key_id"] for k in json.loads(out) if k["name"] == "Ivan")
    rec = [*cat, "finding", "record", "-i", ids["insp"], "--item", "TCE-01-a", "-a", ids["srv"]]
    assert gs(*rec, "-r", "partial", "--note", "no expiry", "--key", owner)[0] == 0
    # Wang takes the inspection to his own laptop before Ivan's second result, and records there.
    wang_store = tmp_path / "wang-store"
    assert (
        gs("bundle", "export", "-i", ids["insp"], "-o", str(tmp_path / "to-wang.gsb"), "--key", owner)[0] == 0
    )
    code, _out, err = gs(
        "--store", str(wang_store), "bundle", "import", str(tmp_path / "to-wang.gsb"),
        "--trust", owner, "--key", ids["Wang"],
    )  # fmt: skip
    assert code == 0, err
    assert gs(*rec, "-r", "compliant", "--note", "fixed", "--key", owner)[0] == 0
    assert gs("--store", str(wang_store), *rec, "-r", "noncompliant", "--key", ids["Wang"])[0] == 0
    code, _out, err = gs(
        "--store", str(wang_store), "bundle", "export", "-i", ids["insp"],
        "-o", str(tmp_path / "from-wang.gsb"), "--key", ids["Wang"],
    )  # fmt: skip
    assert code == 0, err
    assert gs("bundle", "import", str(tmp_path / "from-wang.gsb"), "--key", owner)[0] == 0

    code, out, err = gs(
        "--json", "finding", "history", "-i", ids["insp"], "--item", "TCE-01-a", "-a", ids["srv"]
    )
    assert code == 0, err
    revisions = [(f["revision"], f["result"]) for f in json.loads(out)]
    assert revisions[0] == (1, "partial")
    # Concurrent revisions: numbered after the one both saw; which comes first is only for display.
    assert sorted(revisions[1:]) in (
        [(2, "compliant"), (3, "noncompliant")],
        [(2, "noncompliant"), (3, "compliant")],
    )
    code, out, err = gs("--json", "inspection", "show", ids["insp"])
    assert json.loads(out)["disagreements"][0]["item"] == "TCE-01-a"
    code, out, err = gs("inspection", "close", ids["insp"], "--key", owner)
    assert code == 1 and "unresolved" in err
    resolve = [
        "finding",
        "resolve",
        "-i",
        ids["insp"],
        "--item",
        "TCE-01-a",
        "-a",
        ids["srv"],
        "-r",
        "partial",
    ]
    code, out, err = gs(*resolve, "--reason", "expiry set, complexity missing", "--key", owner)
    assert code == 1 and "reviewer" in err
    code, out, err = gs(*resolve, "--reason", "expiry set, complexity missing", "--key", ids["Zhao"])
    assert code == 0, err
    code, out, err = gs("--json", "inspection", "show", ids["insp"])
    assert json.loads(out)["disagreements"] == []
    code, out, err = gs(
        "--json",
        "issue",
        "rate",
        "-i",
        ids["insp"],
        "--item",
        "TCE-01-a",
        "-a",
        ids["srv"],
        "--risk",
        "low",
        "--key",
        owner,
    )
    assert code == 0, err
    assert json.loads(out)["risk"] == "low"
    code, out, err = gs("--json", "score", "-i", ids["insp"])
    data: dict[str, Any] = json.loads(out)
    # Only TCE-01-a is scored (partial, rated low): TCE loss 0.5 → M = 50 < 70.
    assert data["conclusion"]["code"] == "noncompliant" and data["score"] == 50.0
    assert gs("inspection", "close", ids["insp"], "--key", owner)[0] == 0
    code, out, err = gs("inspection", "reopen", ids["insp"], "--reason", "late evidence", "--key", owner)
    assert code == 0, err
    assert gs("--json", "verify")[0] == 0


def test_policy_clause_self_inspection_scores_share_met(gs: Cli) -> None:
    unit = new_id(gs, "unit", "add", "--name", "区信息中心")
    system = new_id(gs, "system", "add", "--unit", unit, "--name", "办公网", "--level", "2")
    docs = new_id(gs, "asset", "add", "--system", system, "--kind", "docs", "--name", "制度汇编")
    insp = new_id(gs, "inspection", "new", "--system", system, "--profile", "policy-clauses-23-25")
    code, out, err = gs("--json", "inspection", "show", insp)
    assert code == 0, err
    shown = json.loads(out)
    assert shown["policy"] == "share-met" and shown["progress"]["applicable"] > 0
    catalog = load_catalog()
    doc_items = [i for i in catalog.items_for("policy-clauses-23-25") if "docs" in i.item.objects]
    first, second = doc_items[0], doc_items[1]
    assert gs("finding", "record", "-i", insp, "--item", first.id, "-a", docs, "-r", "compliant")[0] == 0
    assert gs("finding", "record", "-i", insp, "--item", second.id, "-a", docs, "-r", "partial")[0] == 0
    code, out, err = gs("--json", "score", "-i", insp)
    data = json.loads(out)
    expected = (first.weight + 0.5 * second.weight) / (first.weight + second.weight) * 100
    assert data["score"] == pytest.approx(expected, abs=1e-4)
    assert data["policy"]["id"] == "share-met"
    assert data["conclusion"]["code"] == ("met" if expected >= 80 else "not_met")


def test_human_output_and_lists(gs: Cli) -> None:
    ids = fixture_inspection(gs)
    code, out, _err = gs("unit", "add", "--name", "Second")
    assert code == 0 and out.strip().startswith("u-")
    _code, out, _err = gs("unit", "list")
    assert "Example Bureau" in out and "Second" in out
    _code, out, _err = gs("--json", "asset", "list", "--system", ids["system"])
    assert {a["kind"] for a in json.loads(out)} == {"server", "docs"}
    code, out, _err = gs("--catalog", str(FIXTURE), "inspection", "list")
    assert ids["insp"] in out and "0/4" in out
    code, out, _err = gs("--catalog", str(FIXTURE), "score", "-i", ids["insp"])
    assert code == 0 and "Undetermined" in out
    code, out, _err = gs("--lang", "zh", "--catalog", str(FIXTURE), "score", "-i", ids["insp"])
    assert "无法判定" in out
