"""Every kind of bad bundle is refused with its own reason, and the receiving store stays exactly as it was."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from gradesec.catalog.loader import Catalog
from gradesec.exchange import BundleRefused, export_bundle, import_bundle
from gradesec.exchange.format import FRAME_HEAD, manifest_digest
from gradesec.journal import Signer
from gradesec.journal.events import canonical
from gradesec.usecases.context import Context
from tests.remedy.conftest import inspect, make_signer, state_hash

Members = list[tuple[tarfile.TarInfo, bytes]]


@dataclass
class Case:
    bundle: Path
    target: Context
    ivan: Signer
    tmp: Path


@pytest.fixture
def case(parties: dict[str, Context], catalog: Catalog, tmp_path: Path) -> Iterator[Case]:
    ivan, olga = parties["ivan"], parties["olga"]
    field = inspect(ivan, catalog, tmp_path)
    out = export_bundle(ivan.store, ivan.signer, tmp_path / "good.gsb", inspection=field.inspection)
    olga.store.trust(olga.signer, ivan.signer.public_bytes, ivan.signer.identity)
    yield Case(out.path, olga, ivan.signer, tmp_path)


def unpack(path: Path) -> Members:
    with tarfile.open(path, "r:") as tar:
        return [(m, tar.extractfile(m).read() if m.isreg() else b"") for m in tar.getmembers()]  # type: ignore[union-attr]


def pack(members: Members, path: Path) -> Path:
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        for info, data in members:
            info = tarfile.TarInfo(info.name) if info.isreg() else info
            if info.isreg():
                info.size = len(data)
            tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return path


def frames(data: bytes) -> list[tuple[bytes, bytes]]:
    out, pos = [], 0
    while pos < len(data):
        length, sig = FRAME_HEAD.unpack(data[pos : pos + FRAME_HEAD.size])
        pos += FRAME_HEAD.size
        out.append((sig, data[pos : pos + length]))
        pos += length
    return out


def join(items: list[tuple[bytes, bytes]]) -> bytes:
    return b"".join(FRAME_HEAD.pack(len(raw), sig) + raw for sig, raw in items)


def rebuild(
    members: Members, signer: Signer, edit: Callable[[dict[str, Any]], None] | None = None
) -> Members:
    """Recompute the manifest's member hashes and sizes, apply ``edit``, and sign it again with ``signer``."""
    manifest = json.loads(members[0][1])
    data = {info.name: body for info, body in members}
    listed = []
    for m in manifest["members"]:
        body = data.get(m["name"])
        if body is not None:
            m = {
                **m,
                "size": len(body),
                "sha256": hashlib.sha256(body).hexdigest()
                if not m["name"].startswith("evidence/")
                else m["sha256"],
            }
        listed.append(m)
    manifest["members"] = listed
    if edit is not None:
        edit(manifest)
    raw = canonical(manifest)
    sig = signer.sign(manifest_digest(raw)).hex().encode()
    out = [(members[0][0], raw), (members[1][0], sig)]
    return out + [m for m in members[2:]]


def member(members: Members, name: str) -> int:
    return next(i for i, (info, _b) in enumerate(members) if info.name == name)


def refused(case: Case, path: Path, code: str, **kwargs: object) -> BundleRefused:
    before = state_hash(case.target)
    with pytest.raises(BundleRefused) as err:
        import_bundle(case.target.store, path, **kwargs)  # type: ignore[arg-type]
    assert err.value.code == code, err.value.message
    assert state_hash(case.target) == before
    assert case.target.store.verify().ok
    return err.value


def with_events(case: Case, change: Callable[[list[tuple[bytes, bytes]]], list[tuple[bytes, bytes]]]) -> Path:
    members = unpack(case.bundle)
    i = member(members, "events.bin")
    members[i] = (members[i][0], join(change(frames(members[i][1]))))
    return pack(rebuild(members, case.ivan), case.tmp / "bad.gsb")


def test_good_bundle_imports(case: Case) -> None:
    """The untouched bundle imports (the baseline every other case departs from)."""
    assert import_bundle(case.target.store, case.bundle).imported > 0


def test_tampered_event(case: Case) -> None:
    def change(items: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        sig, raw = items[-3]
        items[-3] = (
            sig,
            raw.replace(b"noncompliant", b"compliant\x20\x20\x20")
            if b"noncompliant" in raw
            else raw.replace(b'"at":"2026', b'"at":"2025'),
        )
        return items

    refused(case, with_events(case, change), "signature")


def test_tampered_event_without_resigning_the_manifest(case: Case) -> None:
    members = unpack(case.bundle)
    i = member(members, "events.bin")
    members[i] = (members[i][0], members[i][1].replace(b"weak passwords", b"weak passwordz"))
    refused(case, pack(members, case.tmp / "bad.gsb"), "signature")


def test_bad_signature(case: Case) -> None:
    def change(items: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        items[4] = (items[5][0], items[4][1])
        return items

    refused(case, with_events(case, change), "signature")


def test_untrusted_exporter(case: Case, parties: dict[str, Context]) -> None:
    refused(Case(case.bundle, parties["ina"], case.ivan, case.tmp), case.bundle, "untrusted_exporter")


def test_untrusted_author_inside(case: Case, parties: dict[str, Context], tmp_path: Path) -> None:
    """A trusted exporter cannot bring in the chain of someone the store does not trust."""
    stranger = make_signer("Stranger Sam", "inspector")
    ivan = parties["ivan"]
    ivan.store.trust(ivan.signer, stranger.public_bytes, stranger.identity)
    ivan.store.append(
        stranger,
        "remediation.planned",
        {"id": "R-x", "inspection": None, "problem": "p", "risk": "low", "source": {"kind": "manual"}},
    )
    out = export_bundle(ivan.store, ivan.signer, tmp_path / "all.gsb")
    refused(case, out.path, "untrusted")


def test_chain_gap(case: Case) -> None:
    refused(case, with_events(case, lambda items: items[:3] + items[4:]), "gap")


def test_duplicated_event(case: Case) -> None:
    refused(case, with_events(case, lambda items: [*items[:4], items[3], *items[4:]]), "duplicate")


def test_tail_cut_off_behind_a_checkpoint(case: Case) -> None:
    members = unpack(case.bundle)
    i = member(members, "events.bin")
    items = frames(members[i][1])[:-2]
    members[i] = (members[i][0], join(items))
    last = json.loads(items[-1][1])
    head = hashlib.sha256(b"gradesec/event/v1\x00" + items[-1][1]).hexdigest()

    def edit(manifest: dict[str, Any]) -> None:
        manifest["chains"][last["author"]] = [1, last["seq"], head]
        manifest["events"] = len(items)

    refused(case, pack(rebuild(members, case.ivan, edit), case.tmp / "bad.gsb"), "cut_off_checkpoint")


def test_events_of_another_inspection(case: Case) -> None:
    members = unpack(case.bundle)

    def edit(manifest: dict[str, Any]) -> None:
        manifest["scope"]["inspections"] = ["I-elsewhere"]

    refused(case, pack(rebuild(members, case.ivan, edit), case.tmp / "bad.gsb"), "other_inspection")


def test_bundle_about_another_inspection_than_expected(case: Case) -> None:
    refused(case, case.bundle, "other_inspection_scope", expect_inspection="I-elsewhere")


def test_evidence_blob_missing(case: Case) -> None:
    members = [m for m in unpack(case.bundle) if not m[0].name.startswith("evidence/")]

    def edit(manifest: dict[str, Any]) -> None:
        manifest["members"] = [m for m in manifest["members"] if not m["name"].startswith("evidence/")]

    refused(case, pack(rebuild(members, case.ivan, edit), case.tmp / "bad.gsb"), "blob_missing")


def test_evidence_blob_altered(case: Case) -> None:
    members = unpack(case.bundle)
    i = next(n for n, (info, _b) in enumerate(members) if info.name.startswith("evidence/"))
    body = bytearray(members[i][1])
    body[0] ^= 0xFF
    members[i] = (members[i][0], bytes(body))
    refused(case, pack(members, case.tmp / "bad.gsb"), "blob_altered")


@pytest.mark.parametrize(
    ("name", "code"),
    [("../escape.txt", "traversal"), ("/etc/cron.d/x", "absolute"), ("evidence/../../x", "traversal")],
)
def test_unsafe_paths(case: Case, name: str, code: str) -> None:
    members = unpack(case.bundle)
    members.insert(3, (tarfile.TarInfo(name), b"boo"))
    refused(case, pack(members, case.tmp / "bad.gsb"), code)


@pytest.mark.parametrize("kind", [tarfile.SYMTYPE, tarfile.LNKTYPE])
def test_links(case: Case, kind: bytes) -> None:
    members = unpack(case.bundle)
    link = tarfile.TarInfo("evidence/" + "0" * 64)
    link.type = kind
    link.linkname = "/etc/passwd"
    members.insert(4, (link, b""))
    refused(case, pack(members, case.tmp / "bad.gsb"), "link")


def test_oversized_member(case: Case) -> None:
    members = unpack(case.bundle)
    i = next(n for n, (info, _b) in enumerate(members) if info.name.startswith("evidence/"))
    members[i] = (members[i][0], members[i][1] + b"\0" * 4096)
    refused(case, pack(members, case.tmp / "bad.gsb"), "oversized")


def test_decompression_bomb(case: Case) -> None:
    """A gzip bundle that expands far beyond its size is stopped while it expands."""
    members = unpack(case.bundle)
    zeros = b"\0" * (24 << 20)
    sha = hashlib.sha256(zeros).hexdigest()
    info = tarfile.TarInfo("evidence/" + sha)
    members.append((info, zeros))

    def edit(manifest: dict[str, Any]) -> None:
        manifest["members"].append({"name": "evidence/" + sha, "size": len(zeros), "sha256": sha})

    plain = pack(rebuild(members, case.ivan, edit), case.tmp / "plain.gsb")
    bomb = case.tmp / "bomb.gsb"
    bomb.write_bytes(gzip.compress(plain.read_bytes(), compresslevel=9))
    assert bomb.stat().st_size < 200_000
    refused(case, bomb, "bomb")


def test_gzip_bundle_of_normal_size_is_accepted(case: Case) -> None:
    packed = case.tmp / "good.gsb.gz"
    packed.write_bytes(gzip.compress(case.bundle.read_bytes()))
    assert import_bundle(case.target.store, packed).imported > 0


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_truncated_file(case: Case, keep: float) -> None:
    data = case.bundle.read_bytes()
    # cut into the members' data, not into the tar's trailing zero padding (which would leave a complete bundle)
    with tarfile.open(case.bundle, "r:") as tar:
        content = max(m.offset_data + m.size for m in tar.getmembers())
    cut = case.tmp / "cut.gsb"
    cut.write_bytes(data[: int(content * keep)])
    refused(case, cut, "truncated")


def test_unknown_format_version(case: Case) -> None:
    members = unpack(case.bundle)

    def edit(manifest: dict[str, Any]) -> None:
        manifest["version"] = 2

    err = refused(case, pack(rebuild(members, case.ivan, edit), case.tmp / "bad.gsb"), "version")
    assert "2" in err.message


def test_manifest_signed_by_someone_else(case: Case) -> None:
    members = rebuild(unpack(case.bundle), make_signer("Mallory", "inspector"))
    refused(case, pack(members, case.tmp / "bad.gsb"), "manifest_signature")


def test_not_a_bundle(case: Case) -> None:
    other = case.tmp / "notes.txt"
    other.write_text("hello")
    refused(case, other, "truncated")
