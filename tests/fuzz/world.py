"""What the fuzz targets run against: two people with real key files and stores, a valid bundle and workbook,
the command line run in-process, and the one property every target checks.

The property: an input either succeeds or is refused with a ``GradesecError`` (exit 1 or 2, one sentence and a
hint) — never "An unexpected error occurred" — and a refused input leaves the store exactly as it was.
``bench/fuzz.py`` runs the same targets for long campaigns.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from gradesec.catalog.loader import Catalog, load_catalog
from gradesec.errors import GradesecError
from gradesec.exchange.format import (
    CHECKPOINTS_NAME,
    EVENTS_NAME,
    MANIFEST_NAME,
    SIGNATURE_NAME,
    ChainRange,
    Member,
    manifest_digest,
    parse_manifest,
    read_frames,
    write_frame,
)
from gradesec.exchange.sealed import seal_file
from gradesec.journal import keyfile, keys
from gradesec.journal.events import canonical, event_hash
from gradesec.journal.keys import Signer

PASSPHRASE = "fuzzing passphrase"
UNEXPECTED = ("An unexpected error occurred", "This is a bug", "Traceback")


@dataclass(repr=False)
class World:
    root: Path
    catalog: Catalog
    ins_cfg: Path
    off_cfg: Path
    ins_store: Path
    off_store: Path
    inspector: Signer
    officer: Signer
    inspection: str
    asset: str
    items: list[str]
    bundle: bytes
    sealed: bytes  # the same bundle sealed to the officer
    workbook: bytes
    events: list[dict[str, Any]]  # the envelopes of the inspector's chain in the bundle

    def __repr__(self) -> str:
        return f"World({self.root})"


def gs(*args: str | Path, config: Path | None = None, store: Path | None = None) -> tuple[int, str, str]:
    """The command line in-process: ``(exit code, stdout, stderr)``."""
    from gradesec import i18n
    from gradesec.cli import run

    # Set for this run only: a passphrase left in the environment would unlock keys in later tests of the
    # same worker (the TUI's unlock screen would never show).
    wanted = {"GRADESEC_PASSPHRASE": PASSPHRASE, "GRADESEC_LANG": "en"}
    if config is not None:
        wanted["GRADESEC_CONFIG"] = str(config)
    saved = {name: os.environ.get(name) for name in wanted}
    os.environ.update(wanted)
    i18n.set_lang("en")
    out, err = io.StringIO(), io.StringIO()
    argv = (["--store", str(store)] if store is not None else []) + [str(a) for a in args]
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = run(argv)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return code, out.getvalue(), err.getvalue()


def store_digest(store: Path) -> str:
    """Every row of every table, and the names of the files in the store folder."""
    digest = hashlib.sha256()
    db = sqlite3.connect(store / "gradesec.db")
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        for table in tables:
            for row in sorted(db.execute(f'SELECT * FROM "{table}"'), key=repr):  # names from sqlite_master
                digest.update(repr((table, row)).encode())
    finally:
        db.close()
    for path in sorted(store.rglob("*")):
        if path.name not in ("gradesec.db-wal", "gradesec.db-shm"):
            digest.update(str(path.relative_to(store)).encode())
    return digest.hexdigest()


class Crash(AssertionError):
    """An input the property does not hold for (kept by bench/fuzz.py, raised by the tests)."""


def check(code: int, err: str, store: Path | None = None, before: str | None = None) -> None:
    if code not in (0, 1, 2) or any(word in err for word in UNEXPECTED):
        raise Crash(f"exit {code}: {err.strip()[:600]}")
    if code != 0 and store is not None and before is not None and store_digest(store) != before:
        raise Crash(f"refused (exit {code}) but the store changed: {err.strip()[:300]}")


def fresh_copy(store: Path) -> Path:
    """A copy of ``store`` in a new temporary folder (the caller removes ``.parent``)."""
    dest = Path(tempfile.mkdtemp(prefix="gsfuzz-")) / "store"
    shutil.copytree(store, dest)
    return dest


def build_world(root: Path) -> World:
    from gradesec.journal import FrozenClock
    from gradesec.usecases import inspections
    from gradesec.usecases.context import open_context

    catalog = load_catalog()
    ins_cfg, off_cfg = root / "ins-cfg", root / "off-cfg"
    with keyfile.use_test_kdf():
        inspector = keys.new_key("Ivan Fuzz", "inspector", "Lab", PASSPHRASE, config_dir=ins_cfg)
        officer = keys.new_key("Olga Fuzz", "officer", "Unit", PASSPHRASE, config_dir=off_cfg)
    ins_store, off_store = root / "ins-store", root / "off-store"
    with open_context(
        ins_store, signer=inspector, create=True, catalog=catalog, clock=FrozenClock("2026-11-20T09:00:00Z")
    ) as ctx:
        unit = inspections.add_unit(ctx, "Fuzz Unit")
        system = inspections.add_system(ctx, unit.id, "Fuzz system", level=2)
        asset = inspections.add_asset(ctx, system.id, "server", "srv-01")
        insp = inspections.new_inspection(ctx, system.id, "mlps-l2")
        items = [i.id for i in catalog.items_for("mlps-l2") if "server" in i.item.objects][:6]
        shot = root / "shot.png"
        shot.write_bytes(b"\x89PNG fuzz evidence " * 20)
        for n, item in enumerate(items[:3]):
            inspections.record_finding(
                ctx, insp.id, item, asset.id, ("partial", "noncompliant", "compliant")[n], note=f"note {n}",
                evidence=[shot] if n == 0 else [],
            )  # fmt: skip
    with open_context(off_store, signer=officer, create=True, catalog=catalog):
        pass
    bundle_path = root / "valid.gsb"
    code, _out, err = gs(
        "bundle", "export", "-i", insp.id, "-o", bundle_path, config=ins_cfg, store=ins_store
    )
    assert code == 0, err
    workbook_path = root / "valid.xlsx"
    code, _out, err = gs(
        "report",
        "inspection",
        "-i",
        insp.id,
        "-f",
        "xlsx",
        "-o",
        workbook_path,
        config=ins_cfg,
        store=ins_store,
    )
    assert code == 0, err
    bundle = bundle_path.read_bytes()
    sealed_path = root / "sealed.gsb"
    seal_file(bundle_path, sealed_path, [officer.public_bytes])
    members = untar(bundle)
    events = [json.loads(raw) for _sig, raw in read_frames(io.BytesIO(members[EVENTS_NAME]))]
    return World(
        root, catalog, ins_cfg, off_cfg, ins_store, off_store, inspector, officer, insp.id, asset.id, items,
        bundle, sealed_path.read_bytes(), workbook_path.read_bytes(), [e for e in events if e["author"] == inspector.key_id],
    )  # fmt: skip


def untar(data: bytes) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tar:
        for member in tar.getmembers():
            fh = tar.extractfile(member)
            assert fh is not None
            out[member.name] = fh.read()
    return out


def retar(members: dict[str, bytes], order: list[str]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name in order:
            info = tarfile.TarInfo(name)
            info.size = len(members[name])
            info.mtime = 0
            tar.addfile(info, io.BytesIO(members[name]))
    return buf.getvalue()


def bundle_with_event(world: World, envelope: Any, *, raw: bytes | None = None) -> bytes:
    """The valid bundle with one more event signed by the (trusted) inspector: ``envelope`` as canonical JSON,
    or ``raw`` bytes as they are. The manifest is re-signed, so only the event itself is wrong."""
    members = untar(world.bundle)
    manifest = parse_manifest(members[MANIFEST_NAME])
    if raw is not None:
        data = raw
    else:
        try:
            data = canonical(envelope)
        except GradesecError:  # a value RFC 8785 cannot write exactly: sign what json writes instead
            data = json.dumps(envelope).encode()
    digest = event_hash(data)
    frames = io.BytesIO(members[EVENTS_NAME])
    frames.seek(0, io.SEEK_END)
    write_frame(frames, world.inspector.sign(digest), data)
    events = frames.getvalue()
    author = world.inspector.key_id
    old = manifest.chains[author]
    chains = dict(manifest.chains)
    chains[author] = ChainRange(old.first, old.last + 1, digest.hex())
    members[EVENTS_NAME] = events
    new_members = tuple(
        Member(m.name, len(events), hashlib.sha256(events).hexdigest()) if m.name == EVENTS_NAME else m
        for m in manifest.members
    )
    manifest = replace(manifest, chains=chains, events=manifest.events + 1, members=new_members)
    raw_manifest = manifest.encode()
    members[MANIFEST_NAME] = raw_manifest
    members[SIGNATURE_NAME] = world.inspector.sign(manifest_digest(raw_manifest)).hex().encode()
    order = [MANIFEST_NAME, SIGNATURE_NAME, CHECKPOINTS_NAME, EVENTS_NAME] + [
        m.name for m in manifest.members if m.name not in (CHECKPOINTS_NAME, EVENTS_NAME)
    ]
    return retar(members, order)


def next_envelope(world: World, kind: str, body: Any) -> dict[str, Any]:
    last = world.events[-1]
    return {
        "v": 1,
        "kind": kind,
        "author": world.inspector.key_id,
        "seq": last["seq"] + 1,
        "prev": event_hash(canonical(last)).hex(),
        "at": "2026-11-20T10:00:00.000Z",
        "body": body,
    }


def import_bundle(world: World, data: bytes, *, verify_only: bool = False) -> None:
    """Import (or verify) ``data`` into a copy of the officer's store, trusting the inspector; check the property."""
    store = fresh_copy(world.off_store)
    try:
        path = store.parent / "input.gsb"
        path.write_bytes(data)
        before = store_digest(store)
        command = "verify" if verify_only else "import"
        code, _out, err = gs(
            "bundle", command, path, "--trust", world.inspector.key_id, config=world.off_cfg, store=store
        )
        check(code, err, store, before)
    finally:
        shutil.rmtree(store.parent, ignore_errors=True)
