"""Files and paths (issue 16 part 10): owner-only stores, evidence without links, record-many kept inside its
folder, and one output rule for every writer — each refusal one clear sentence, exit 1 or 2, store unchanged."""

# ruff: noqa: F811  (the `world` fixture is imported from the bad-input sweep)
from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from gradesec.journal import keys
from tests.test_cli_errors import _store_digest, world  # noqa: F401  (the fixture)

ITEM = "CES-01-a"  # a server item of the level-3 checklist


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_store_is_owner_only(cli, world: dict[str, str], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = Path(world["store"])
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"\x89PNG evidence")
    args = ["finding", "record", "-i", world["inspection"], "--item", ITEM, "--asset", world["asset"]]
    code, _out, err = cli("--store", store, *args, "--result", "partial", "-e", shot)
    assert code == 0, err
    assert _mode(store) == 0o700 and _mode(store / "gradesec.db") == 0o600
    assert _mode(store / "evidence") == 0o700
    [blob] = [p for p in (store / "evidence").rglob("*") if p.is_file()]
    assert _mode(blob) == 0o400 and _mode(blob.parent) == 0o700
    assert "other users" not in err


def test_a_store_open_to_others_gets_a_warning(cli, world: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    store = Path(world["store"])
    store.chmod(0o755)
    code, _out, err = cli("--store", store, "score", "-i", world["inspection"])
    assert code == 0
    assert "can be read by other users" in err and f"chmod -R go-rwx {store}" in err


def test_evidence_is_not_read_through_a_symlink(cli, world: dict[str, str], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """``ln -s <a secret> x.png; finding record … -e x.png`` is refused; nothing enters the store."""
    secret = tmp_path / "secret.txt"
    secret.write_text("root:$6$hash")
    link = tmp_path / "x.png"
    link.symlink_to(secret)
    store = Path(world["store"])
    before = _store_digest(store)
    args = ["finding", "record", "-i", world["inspection"], "--item", ITEM, "--asset", world["asset"]]
    code, _out, err = cli("--store", store, *args, "--result", "partial", "-e", link)
    assert code == 2 and "symbolic link" in err and "Traceback" not in err
    assert _store_digest(store) == before
    assert not [p for p in (store / "evidence").rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    ("target", "words"),
    [
        ("/etc", "is a folder, not a file"),
        ("/dev/null", "not a regular file"),
        ("nope.png", "does not exist"),
    ],
)
def test_evidence_must_be_a_regular_file(cli, world: dict[str, str], target: str, words: str) -> None:  # type: ignore[no-untyped-def]
    store = Path(world["store"])
    before = _store_digest(store)
    args = ["finding", "record", "-i", world["inspection"], "--item", ITEM, "--asset", world["asset"]]
    code, _out, err = cli("--store", store, *args, "--result", "partial", "-e", target)
    assert code in (1, 2) and words in err, err
    assert _store_digest(store) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_evidence_is_named(cli, world: dict[str, str], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    locked = tmp_path / "locked.png"
    locked.write_bytes(b"x")
    locked.chmod(0)
    args = ["finding", "record", "-i", world["inspection"], "--item", ITEM, "--asset", world["asset"]]
    code, _out, err = cli("--store", world["store"], *args, "--result", "partial", "-e", locked)
    assert code == 2 and "no permission to read" in err


def _rows(evidence: object) -> list[dict[str, object]]:
    return [{"item": ITEM, "asset": "{asset}", "result": "partial", "evidence": evidence}]


@pytest.mark.parametrize(
    ("evidence", "words"),
    [
        ("../outside.txt", "leads outside the evidence folder"),
        ("/etc/hostname", "leads outside the evidence folder"),
        ("sub/../../outside.txt", "leads outside the evidence folder"),
        ("~/.ssh/id_rsa", "leads outside the evidence folder"),
        (5, "must be a file name or a list of file names"),
        ({"a": 1}, "must be a file name or a list of file names"),
        (["ok.png", 7], "must be a file name or a list of file names"),
        ("a" * 300 + ".png", "file name is too long"),
        ("link.png", "leads outside the evidence folder"),  # a link out of the folder
    ],
)
def test_record_many_keeps_evidence_inside_its_folder(
    cli,
    world: dict[str, str],
    tmp_path: Path,
    evidence: object,
    words: str,
) -> None:  # type: ignore[no-untyped-def]
    """A results file received from someone else cannot pull local files into the store."""
    folder = tmp_path / "received"
    folder.mkdir()
    (tmp_path / "outside.txt").write_text("private")
    (folder / "ok.png").write_bytes(b"png")
    (folder / "link.png").symlink_to(tmp_path / "outside.txt")
    source = folder / "results.json"
    source.write_text(json.dumps(_rows(evidence)).replace("{asset}", world["asset"]))
    store = Path(world["store"])
    before = _store_digest(store)
    code, _out, err = cli("--store", store, "finding", "record-many", "-i", world["inspection"], source)
    assert code in (1, 2) and words in err, err
    assert "unexpected" not in err
    assert _store_digest(store) == before


def test_record_many_with_an_explicit_evidence_dir(cli, world: dict[str, str], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    shots = tmp_path / "shots"
    shots.mkdir()
    (shots / "a.png").write_bytes(b"png a")
    source = tmp_path / "in" / "results.csv"
    source.parent.mkdir()
    source.write_text(f"item,asset,result,evidence\n{ITEM},{world['asset']},partial,a.png\n")
    args = ["finding", "record-many", "-i", world["inspection"], source]
    code, _out, err = cli("--store", world["store"], *args)
    assert code == 1 and "does not exist" in err  # looked for beside results.csv
    code, _out, err = cli("--store", world["store"], *args, "--evidence-dir", shots)
    assert code == 0, err


def test_no_output_inside_a_store_or_the_key_folder(cli, world: dict[str, str], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = Path(world["store"])
    db = store / "gradesec.db"
    before = _store_digest(store)
    db_bytes = db.stat().st_size
    code, _out, err = cli("--store", store, "bundle", "export", "-o", db, "--force")
    assert code == 2 and "inside the store or key folder" in err
    code, _out, err = cli(
        "--store", store, "report", "inspection", "-i", world["inspection"], "-o", store / "r.pdf"
    )
    assert code == 2 and "inside the store or key folder" in err
    assert _store_digest(store) == before and db.stat().st_size == db_bytes
    assert cli("--store", store, "verify")[0] == 0
    [info] = keys.list_keys()
    private = info.path.read_bytes()
    code, _out, err = cli("key", "export", "-o", info.path, "--force")
    assert code == 2 and "inside the store or key folder" in err
    assert info.path.read_bytes() == private


def test_an_existing_output_is_replaced_only_with_force(cli, world: dict[str, str], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "key.json"
    out.write_text("keep me")
    code, _out, err = cli("key", "export", "-o", out)
    assert code == 2 and "already exists" in err and "--force" in err
    assert out.read_text() == "keep me"
    assert cli("key", "export", "-o", out, "--force")[0] == 0
    assert json.loads(out.read_text())["format"] == keys.EXPORT_FORMAT
    code, _out, err = cli("key", "export", "-o", tmp_path)
    assert code == 2 and "is a folder" in err
    bundle = tmp_path / "b.gsb"
    bundle.write_text("old")
    code, _out, err = cli("--store", world["store"], "bundle", "export", "-o", bundle)
    assert code == 2 and "already exists" in err and bundle.read_text() == "old"
    assert cli("--store", world["store"], "bundle", "export", "-o", bundle, "--force")[0] == 0
    assert bundle.stat().st_size > 100
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left beside it
