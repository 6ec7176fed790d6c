"""Evidence blobs: content-addressed, deduplicated, read-only, streamed."""

from __future__ import annotations

import hashlib
import stat
import tracemalloc
from pathlib import Path

import pytest

from gradesec.errors import NotFoundError
from gradesec.journal import Store


def test_put_is_content_addressed_deduplicated_read_only(store: Store, tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_bytes(b"same bytes")
    b.write_bytes(b"same bytes")
    ref_a = store.evidence.put(a)
    ref_b = store.evidence.put(b)
    assert ref_a == ref_b
    assert ref_a.sha256 == hashlib.sha256(b"same bytes").hexdigest() and ref_a.size == 10
    path = store.evidence.path(ref_a.sha256)
    assert path == store.root / "evidence" / ref_a.sha256[:2] / ref_a.sha256
    assert stat.S_IMODE(path.stat().st_mode) == 0o400  # read-only, owner-only
    assert len(store.evidence.blobs()) == 1
    with store.evidence.open(ref_a.sha256) as fh:
        assert fh.read() == b"same bytes"


def test_missing_and_bad_names(store: Store, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        store.evidence.open("0" * 64)
    with pytest.raises(NotFoundError):
        store.evidence.path("../../etc/passwd")
    with pytest.raises(NotFoundError, match="does not exist"):
        store.evidence.put(tmp_path / "absent.bin")


def test_large_file_is_streamed(store: Store, tmp_path: Path) -> None:
    """A 64 MiB file goes in without ever holding more than a few MiB in memory."""
    big = tmp_path / "big.bin"
    block = bytes(range(256)) * 4096
    with open(big, "wb") as fh:
        for _ in range(64):
            fh.write(block)
    tracemalloc.start()
    ref = store.evidence.put(big)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert ref.size == 64 << 20
    assert peak < 8 << 20


def test_attach_evidence_records_event(store: Store, owner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "shot.png"
    src.write_bytes(b"\x89PNG fake")
    event = store.attach_evidence(owner, src, "finding", "F-1")
    assert event.kind == "evidence.attached"
    assert event.body == {
        "sha256": hashlib.sha256(b"\x89PNG fake").hexdigest(),
        "name": "shot.png",
        "size": 9,
        "media_type": "image/png",
        "target": {"kind": "finding", "id": "F-1"},
    }
    assert store.verify().ok
