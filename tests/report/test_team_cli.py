"""``gradesec inspection team show|set|add|remove``: a round trip through the signed store, and the refusals
(unknown key, ambiguous name, a role that writes no results, the creator removed, someone not allowed), each one
sentence and a hint, exit 1 or 2, nothing written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gradesec.journal import Store, keys

PASS = "correct horse battery staple"


@pytest.fixture
def setup(tmp_path: Path, cli: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv("GRADESEC_PASSPHRASE", PASS)
    monkeypatch.setenv("GRADESEC_CONFIG", str(tmp_path / "config"))
    zhang = keys.new_key("张测评", "inspector", "某测评中心", PASS)
    li = keys.new_key("李测评", "inspector", "某测评中心", PASS)
    li2 = keys.new_key("李测评", "reviewer", "另一测评中心", PASS)
    wang = keys.new_key("王管理员", "officer", "某单位", PASS)
    store = tmp_path / "store"
    base = ("--store", store)
    unit = json.loads(cli(*base, "--json", "unit", "add", "--name", "某单位", "--key", zhang.key_id)[1])["id"]
    system = json.loads(
        cli(
            *base,
            "--json",
            "system",
            "add",
            "--unit",
            unit,
            "--name",
            "某系统",
            "--level",
            "2",
            "--key",
            zhang.key_id,
        )[1]
    )["id"]
    code, out, err = cli(
        *base,
        "--json",
        "inspection",
        "new",
        "--system",
        system,
        "--profile",
        "mlps-l2",
        "--key",
        zhang.key_id,
    )
    assert code == 0, err
    with Store.open(store) as s:
        for other in (li, li2, wang):
            s.trust(zhang, other.public_bytes, other.identity)
    return {
        "base": base,
        "store": store,
        "insp": json.loads(out)["id"],
        "zhang": zhang,
        "li": li,
        "li2": li2,
        "wang": wang,
    }


def _events(store: Path) -> int:
    with Store.open(store) as s:
        return s.count()


def test_show_set_add_remove_round_trip(setup: dict[str, Any], cli: Any) -> None:
    base, insp, zhang, li, li2 = setup["base"], setup["insp"], setup["zhang"], setup["li"], setup["li2"]
    code, out, err = cli(*base, "--json", "inspection", "team", "show", insp)
    assert code == 0, err
    shown = json.loads(out)
    assert shown["declared"] is False and shown["creator"] == zhang.key_id
    assert [(m["key_id"], m["creator"], m["name"]) for m in shown["members"]] == [
        (zhang.key_id, True, "张测评")
    ]
    assert {c["key_id"] for c in shown["candidates"]} == {li.key_id, li2.key_id}  # the officer cannot join

    code, out, err = cli(
        *base, "inspection", "team", "set", insp, "-m", keys.format_key_id(li.key_id), "--key", zhang.key_id
    )
    assert code == 0 and "Team set: 2 members." in out and "张测评 (creator)" in out, out + err
    code, out, _ = cli(*base, "--json", "inspection", "team", "show", insp)
    team = json.loads(out)
    assert team["declared"] is True
    assert {(m["key_id"], m["role"], m["org"]) for m in team["members"]} == {
        (zhang.key_id, "inspector", "某测评中心"),
        (li.key_id, "inspector", "某测评中心"),
    }
    # the same again: nothing is signed
    before = _events(setup["store"])
    code, out, _ = cli(*base, "inspection", "team", "set", insp, "-m", li.key_id, "--key", zhang.key_id)
    assert code == 0 and "unchanged" in out and _events(setup["store"]) == before

    code, out, err = cli(
        *base, "--json", "inspection", "team", "add", insp, "-m", li2.key_id[:10], "--key", zhang.key_id
    )
    assert code == 0, err
    assert len(json.loads(out)["members"]) == 3 and json.loads(out)["changed"] is True
    code, out, err = cli(
        *base, "--json", "inspection", "team", "remove", insp, "-m", li.key_id, "--key", zhang.key_id
    )
    assert code == 0, err
    assert {m["key_id"] for m in json.loads(out)["members"]} == {zhang.key_id, li2.key_id}
    with Store.open(setup["store"]) as s:
        assert s.verify(workers=1).ok

    # li, now off the team, is refused a finding; li2, on it, is not
    item, asset = _first_item(setup["store"], insp)
    args = ("finding", "record", "-i", insp, "--item", item, "-a", asset, "-r", "compliant")
    code, _out, err = cli(*base, *args, "--key", li.key_id)
    assert code == 1 and "team" in err, err
    code, _out, err = cli(*base, *args, "--key", li2.key_id)
    assert code == 0, err


def _first_item(store: Path, insp: str) -> tuple[str, str]:
    from gradesec.catalog.loader import load_catalog
    from gradesec.usecases import inspections as uc
    from gradesec.usecases.context import open_context

    with open_context(store, catalog_loader=load_catalog) as ctx:
        view = uc.load_inspection(ctx, insp)
    return next((i.id, view.applicable_assets(i)[0].id) for i in view.items if view.applicable_assets(i))


@pytest.mark.parametrize(
    ("who", "args", "rc", "words"),
    [
        ("zhang", ("set", "-m", "ffffffffffffffff"), 2, "does not know"),
        ("zhang", ("set", "-m", "李测评"), 2, "Several trusted keys are named"),
        ("zhang", ("add", "-m", "王管理员"), 2, "may not write inspection results"),
        ("zhang", ("remove", "-m", "张测评"), 2, "creator cannot be removed"),
        ("zhang", ("add",), 2, "No member"),
        ("li", ("add", "-m", "李测评-not-a-name"), 1, "Only the inspection's creator or a lead"),
    ],
)
def test_refusals_write_nothing(
    setup: dict[str, Any], cli: Any, who: str, args: tuple[str, ...], rc: int, words: str
) -> None:
    before = _events(setup["store"])
    verb, *rest = args
    code, out, err = cli(
        *setup["base"], "inspection", "team", verb, setup["insp"], *rest, "--key", setup[who].key_id
    )
    assert code == rc and words in err and "Hint:" in err and "unexpected" not in err, out + err
    assert _events(setup["store"]) == before


def test_an_unknown_inspection_is_named(setup: dict[str, Any], cli: Any) -> None:
    code, out, err = cli(*setup["base"], "inspection", "team", "show", "i-nope")
    assert code == 1 and "i-nope" in err and "Hint:" in err and "unexpected" not in err, out + err
    before = _events(setup["store"])
    code, out, err = cli(
        *setup["base"], "inspection", "team", "set", "i-nope", "--key", setup["zhang"].key_id
    )
    assert code == 1 and "i-nope" in err and _events(setup["store"]) == before, out + err


def test_chinese_messages(setup: dict[str, Any], cli: Any) -> None:
    code, out, err = cli(
        "--lang",
        "zh",
        *setup["base"],
        "inspection",
        "team",
        "set",
        setup["insp"],
        "-m",
        "李测评",
        "--key",
        setup["zhang"].key_id,
    )
    assert code == 2 and "有多把受信任的密钥名为" in err, err
    code, out, err = cli("--lang", "zh", *setup["base"], "inspection", "team", "show", setup["insp"])
    assert code == 0 and "尚未设定测评组" in out and "（创建者）" in out and "测评人员" in out, out + err
