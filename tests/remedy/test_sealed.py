"""Sealed bundles end to end: two people, their own key files and stores, the plain command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gradesec.catalog.loader import Catalog
from gradesec.exchange.sealed import AGE_MAGIC
from gradesec.journal import keys
from gradesec.journal.evidence import TEMP_PREFIX
from gradesec.usecases.context import open_context
from tests.remedy.conftest import inspect, state_hash

PW = "correct horse battery"


@pytest.fixture
def two(cli, catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Ivan (inspector, a closed inspection) and Olga (officer, an empty store); Olga's exported key file."""
    monkeypatch.setenv("GRADESEC_PASSPHRASE", PW)
    ins_cfg, off_cfg = tmp_path / "ins-cfg", tmp_path / "off-cfg"
    inspector = keys.new_key("Ivan", "inspector", "Lab", PW, config_dir=ins_cfg)
    officer = keys.new_key("Olga", "officer", "Unit", PW, config_dir=off_cfg)
    ins_store, off_store = tmp_path / "ins-store", tmp_path / "off-store"
    with open_context(ins_store, signer=inspector, create=True, catalog=catalog) as ctx:
        field = inspect(ctx, catalog, tmp_path, close=True)
    with open_context(off_store, signer=officer, create=True, catalog=catalog):
        pass
    monkeypatch.setenv("GRADESEC_CONFIG", str(off_cfg))
    olga_pub = tmp_path / "olga.pub.json"
    assert cli("key", "export", "-o", olga_pub)[0] == 0
    monkeypatch.setenv("GRADESEC_CONFIG", str(ins_cfg))
    return {
        "ins_cfg": ins_cfg,
        "off_cfg": off_cfg,
        "ins_store": ins_store,
        "off_store": off_store,
        "inspector": inspector,
        "officer": officer,
        "olga_pub": olga_pub,
        "inspection": field.inspection,
    }


def _fingerprint(store: Path, catalog: Catalog) -> str:
    with open_context(store, catalog=catalog) as ctx:
        return state_hash(ctx)


def _no_temporaries(store: Path) -> bool:
    return not list((store / "evidence").glob(f"{TEMP_PREFIX}*"))


def test_sealed_round_trip_between_two_stores(
    cli, two, catalog: Catalog, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Sealed to Olga's exported key: the file is age ciphertext, Olga verifies and imports it, verify passes."""
    bundle = tmp_path / "sealed.gsb"
    code, out, err = cli(
        "--store",
        two["ins_store"],
        "bundle",
        "export",
        "-i",
        two["inspection"],
        "-o",
        bundle,
        "--to",
        two["olga_pub"],
    )
    assert code == 0, err
    assert "Sealed to: Olga" in out
    data = bundle.read_bytes()
    assert data.startswith(AGE_MAGIC) and b"ssh-ed25519" in data.splitlines()[1]
    for clear in (two["inspection"].encode(), b"weak passwords", b"gradesec-bundle", b"\x89PNG evidence"):
        assert clear not in data

    monkeypatch.setenv("GRADESEC_CONFIG", str(two["off_cfg"]))
    code, out, err = cli(
        "--store", two["off_store"], "bundle", "verify", bundle, "--trust", two["inspector"].key_id
    )
    assert code == 0 and "sound" in out, err
    code, out, err = cli(
        "--store", two["off_store"], "bundle", "import", bundle, "--trust", two["inspector"].key_id
    )
    assert code == 0, err
    assert "Now trusting key" in out
    code, out, err = cli("--store", two["off_store"], "--json", "remedy", "list")
    assert json.loads(out)["figures"]["total"] == 3
    assert cli("--store", two["off_store"], "verify")[0] == 0
    assert _no_temporaries(two["off_store"])

    # And back: Olga seals her answer to Ivan by key id, now that her store trusts him.
    back = tmp_path / "back.gsb"
    code, out, err = cli(
        "--store", two["off_store"], "bundle", "export", "-i", two["inspection"], "-o", back,
        "--to", keys.format_key_id(two["inspector"].key_id[:12]),
    )  # fmt: skip
    assert code == 0, err
    monkeypatch.setenv("GRADESEC_CONFIG", str(two["ins_cfg"]))
    code, out, err = cli(
        "--store", two["ins_store"], "bundle", "import", back, "--trust", two["officer"].key_id
    )
    assert code == 0, err


def test_a_bundle_sealed_to_someone_else_is_refused(
    cli, two, catalog: Catalog, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Sealed to a third person: Olga's store says so plainly and stays exactly as it was."""
    other_cfg = tmp_path / "other-cfg"
    other = keys.new_key("Oscar", "officer", "Elsewhere", PW, config_dir=other_cfg)
    other_pub = tmp_path / "oscar.pub.json"
    other_pub.write_text(json.dumps(keys.export_public(other)))
    bundle = tmp_path / "for-oscar.gsb"
    code, _out, err = cli(
        "--store",
        two["ins_store"],
        "bundle",
        "export",
        "-i",
        two["inspection"],
        "-o",
        bundle,
        "--to",
        other_pub,
    )
    assert code == 0, err
    monkeypatch.setenv("GRADESEC_CONFIG", str(two["off_cfg"]))
    before = _fingerprint(two["off_store"], catalog)
    code, _out, err = cli(
        "--store", two["off_store"], "bundle", "import", bundle, "--trust", two["inspector"].key_id
    )
    assert code == 1
    assert "sealed to other recipients" in err and "Nothing in the store was changed" in err
    assert _fingerprint(two["off_store"], catalog) == before and _no_temporaries(two["off_store"])
    code, _out, err = cli("--store", two["off_store"], "bundle", "verify", bundle)
    assert code == 1 and "sealed to other recipients" in err


@pytest.mark.parametrize("where", ["header", "body", "tail", "cut"])
def test_tampered_ciphertext_is_refused_and_changes_nothing(
    cli, two, catalog: Catalog, tmp_path: Path, monkeypatch, where: str
) -> None:  # type: ignore[no-untyped-def]
    bundle = tmp_path / "sealed.gsb"
    code, _out, err = cli(
        "--store",
        two["ins_store"],
        "bundle",
        "export",
        "-i",
        two["inspection"],
        "-o",
        bundle,
        "--to",
        two["olga_pub"],
    )
    assert code == 0, err
    data = bytearray(bundle.read_bytes())
    header_end = data.index(b"\n---") + 50
    if where == "cut":
        data = data[: len(data) // 2]
    else:
        at = {"header": header_end - 20, "body": len(data) // 2, "tail": len(data) - 3}[where]
        data[at] ^= 0x01
    bundle.write_bytes(bytes(data))
    monkeypatch.setenv("GRADESEC_CONFIG", str(two["off_cfg"]))
    before = _fingerprint(two["off_store"], catalog)
    code, _out, err = cli(
        "--store", two["off_store"], "bundle", "import", bundle, "--trust", two["inspector"].key_id
    )
    assert code == 1, err
    assert "damaged or was altered" in err and "Traceback" not in err
    assert _fingerprint(two["off_store"], catalog) == before and _no_temporaries(two["off_store"])


def test_recipients_must_be_vouched_for(cli, two, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """--to an id nobody trusts, or a string that names nothing, is a usage error before anything is written."""
    out_file = tmp_path / "x.gsb"
    spare = keys.new_key("Spare", "inspector", "Lab", PW, config_dir=two["ins_cfg"])  # on this machine only
    for ref, words in (
        (spare.key_id[:8], "not trusted"),
        ("zzzz", "No recipient"),
        ("abcd" * 8, "No recipient"),
    ):
        code, _out, err = cli(
            "--store",
            two["ins_store"],
            "bundle",
            "export",
            "-i",
            two["inspection"],
            "-o",
            out_file,
            "--to",
            ref,
        )
        assert code == 2 and words in err
        assert not out_file.exists()
