"""Direct fuzz targets: each parser the command line reaches, called in-process with mutated bytes — no
command line, no copy of a store per input — so a long campaign (``bench/fuzz.py --direct``) runs thousands of
inputs a second where the command-line targets of ``targets`` run a few.

The property is the same as the command-line targets': an input is accepted or refused with the parser's own
named error (``GradesecError``, ``EventRejected``, ``ManifestError``, ``FrameError``); any other exception is a
crash. Targets that read against a store (the bundle reader, sealed bundles) use one copy of the officer's
store for the whole campaign; ``Direct.store_changed`` compares it with its digest from the start.

Mutations come from ``random.Random`` (seeded, so a campaign can be repeated), the same edits as
``strategies.mutated``: cut, flip, overwrite, insert, delete, append, zero.
"""

from __future__ import annotations

import io
import json
import random
import shutil
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gradesec.errors import GradesecError
from gradesec.exchange.format import (
    EVENTS_NAME,
    MANIFEST_NAME,
    FrameError,
    ManifestError,
    parse_manifest,
    read_frames,
)
from gradesec.journal import keys
from gradesec.journal.events import canonical, event_hash
from gradesec.journal.strict import EventRejected, check_envelope
from tests.fuzz.strategies import HOSTILE_XML, rezip, zip_members
from tests.fuzz.world import World, store_digest, untar

REFUSALS: tuple[type[BaseException], ...] = (GradesecError, EventRejected, ManifestError, FrameError)
ODD_VALUES: list[Any] = [
    None, True, 0, -1, 2**53, 2**63, 1.5, 1e300, "", "x" * 300, "2099-01-01T00:00:00.000Z", "2026-13-45",
    "\x00", "é漢\U0001f600", [], {}, [None], {"": None}, "../../etc/passwd",
]  # fmt: skip


def mutate(rng: random.Random, data: bytes, head: int = 4096) -> bytes:
    """``data`` with 1–3 edits (positions favour the first ``head`` bytes)."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        n = len(out)
        if n == 0:
            out += rng.randbytes(rng.randint(1, 64))
            continue
        at = rng.randrange(min(n, head)) if rng.random() < 0.5 else rng.randrange(n)
        op = rng.randrange(7)
        if op == 0:
            del out[at:]
        elif op == 1:
            out[at] ^= 1 << rng.randrange(8)
        elif op == 2:
            chunk = rng.randbytes(rng.randint(1, 32))
            out[at : at + len(chunk)] = chunk
        elif op == 3:
            out[at:at] = rng.randbytes(rng.randint(1, 32))
        elif op == 4:
            del out[at : at + rng.randint(1, 512)]
        elif op == 5:
            out += rng.randbytes(rng.randint(1, 2048))
        else:
            out[at : at + 512] = bytes(min(512, n - at))
    return bytes(out)


def mutate_value(rng: random.Random, value: Any, depth: int = 0) -> Any:
    """A JSON value with one part replaced, dropped or added (a structural mutation, not a byte one)."""
    if isinstance(value, dict) and value and depth < 4 and rng.random() < 0.7:
        value = dict(value)
        name = rng.choice(sorted(value))
        how = rng.randrange(3)
        if how == 0:
            value.pop(name)
        elif how == 1:
            value[name] = mutate_value(rng, value[name], depth + 1)
        else:
            value[rng.choice(["x", "v", "body", "at", name + "_"])] = rng.choice(ODD_VALUES)
        return value
    if isinstance(value, list) and value and depth < 4 and rng.random() < 0.7:
        value = list(value)
        i = rng.randrange(len(value))
        value[i] = mutate_value(rng, value[i], depth + 1)
        return value
    return rng.choice(ODD_VALUES)


@dataclass
class Direct:
    """The material the direct targets mutate, and the one store copy they read against."""

    world: World
    folder: Path
    store: Path
    digest: str
    envelopes: list[bytes]
    manifest: bytes
    frames: bytes
    csv: bytes
    rows_json: bytes
    key_file: bytes
    stack: ExitStack = field(default_factory=ExitStack)
    _ctx: Any = None

    @classmethod
    def build(cls, world: World) -> Direct:
        folder = Path(tempfile.mkdtemp(prefix="gsfuzz-direct-"))
        store = folder / "store"
        shutil.copytree(world.off_store, store)
        members = untar(world.bundle)
        envelopes = [canonical(e) for e in world.events]
        item, asset = world.items[0], world.asset
        csv = f"item,asset,result,note,method,reason,evidence\n{item},{asset},partial,n,examine,,\n".encode()
        rows = [{"item": item, "asset": asset, "result": "compliant", "note": "ok", "evidence": []}]
        return cls(
            world, folder, store, store_digest(store), envelopes, members[MANIFEST_NAME],
            members[EVENTS_NAME], csv, json.dumps(rows).encode(),
            json.dumps(keys.export_public(world.inspector)).encode(),
        )  # fmt: skip

    def context(self) -> Any:
        """The officer's context on the campaign's store copy (opened once)."""
        if self._ctx is None:
            from gradesec.usecases.context import open_context

            self._ctx = self.stack.enter_context(
                open_context(self.store, signer=self.world.officer, catalog=self.world.catalog)
            )
        return self._ctx

    def store_changed(self) -> bool:
        """Whether the store copy differs from its start (then it is restored, so the campaign goes on)."""
        if self._ctx is not None:
            self.stack.close()
            self.stack = ExitStack()
            self._ctx = None
        if store_digest(self.store) == self.digest:
            return False
        shutil.rmtree(self.store)
        shutil.copytree(self.world.off_store, self.store)
        return True

    def close(self) -> None:
        self.stack.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def file(self, name: str, data: bytes) -> Path:
        path = self.folder / name
        path.write_bytes(data)
        return path


def _envelope(d: Direct, rng: random.Random) -> None:
    raw = rng.choice(d.envelopes)
    if rng.random() < 0.5:
        raw = mutate(rng, raw, head=len(raw))
    else:
        value = mutate_value(rng, json.loads(raw))
        try:
            raw = canonical(value)
        except GradesecError:
            raw = json.dumps(value).encode()
    check_envelope(raw, event_hash(raw).hex(), bytes(64))


def _manifest(d: Direct, rng: random.Random) -> None:
    if rng.random() < 0.5:
        raw = mutate(rng, d.manifest, head=len(d.manifest))
    else:
        value = mutate_value(rng, json.loads(d.manifest))
        raw = json.dumps(value, sort_keys=True, separators=(",", ":")).encode()
    parse_manifest(raw)


def _frames(d: Direct, rng: random.Random) -> None:
    for _sig, raw in read_frames(io.BytesIO(mutate(rng, d.frames, head=len(d.frames)))):
        check_envelope(raw, event_hash(raw).hex(), bytes(64))


def _bundle_read(d: Direct, rng: random.Random) -> None:
    from gradesec.exchange import read_bundle

    data = mutate(rng, d.world.bundle, head=len(d.world.bundle))
    read_bundle(d.context().store, d.file("input.gsb", data), trust=[d.world.inspector.key_id])


def _sealed(d: Direct, rng: random.Random) -> None:
    from gradesec.exchange import read_bundle, sealed

    data = mutate(rng, d.world.sealed, head=len(d.world.sealed))
    store = d.context().store
    with sealed.opened(store, d.file("input.gsb", data), d.world.officer) as plain:
        read_bundle(store, plain, trust=[d.world.inspector.key_id])


def _rows(d: Direct, rng: random.Random) -> None:
    from gradesec.cli.finding_cmd import _read_entries

    if rng.random() < 0.5:
        path = d.file("rows.csv", mutate(rng, d.csv, head=len(d.csv)))
    elif rng.random() < 0.5:
        path = d.file("rows.json", mutate(rng, d.rows_json, head=len(d.rows_json)))
    else:
        path = d.file("rows.json", json.dumps(mutate_value(rng, json.loads(d.rows_json))).encode())
    _read_entries(path)


def _key_file(d: Direct, rng: random.Random) -> None:
    if rng.random() < 0.5:
        data = mutate(rng, d.key_file, head=len(d.key_file))
    else:
        data = json.dumps(mutate_value(rng, json.loads(d.key_file))).encode()
    keys.read_public(data, "fuzz.pub.json")


def _xlsx(d: Direct, rng: random.Random) -> None:
    from gradesec.report.workbook.reader import read_workbook

    valid = d.world.workbook
    if rng.random() < 0.5:
        data = mutate(rng, valid, head=len(valid))
    else:
        members = zip_members(valid)
        name = rng.choice(sorted(members))
        if rng.random() < 0.2:
            members.pop(name)
        else:
            members[name] = rng.choice(HOSTILE_XML) if rng.random() < 0.3 else mutate(rng, members[name])
        data = rezip(members)
    read_workbook(d.file("book.xlsx", data), skip=lambda _name: False)


DirectTarget = Callable[[Direct, random.Random], None]
# name -> (target, whether it reads the campaign's store copy)
DIRECT: dict[str, tuple[DirectTarget, bool]] = {
    "envelope": (_envelope, False),
    "manifest": (_manifest, False),
    "frames": (_frames, False),
    "bundle_read": (_bundle_read, True),
    "sealed_read": (_sealed, True),
    "rows": (_rows, False),
    "key_file": (_key_file, False),
    "xlsx_read": (_xlsx, False),
}


def run_one(d: Direct, name: str, rng: random.Random) -> str | None:
    """Feed one input to target ``name``: None when accepted or refused by name, else the crash's text."""
    target, _reads_store = DIRECT[name]
    try:
        target(d, rng)
    except REFUSALS:
        return None
    except Exception as exc:  # the property: anything else is a crash
        return f"{type(exc).__name__}: {exc}"
    return None
