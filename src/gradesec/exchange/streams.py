"""The bytes of a bundle as they stream past: gzip bounded against bombs, members hashed and size-capped while
they are read, and tar headers refused unless they name a plain file inside the bundle.
"""

from __future__ import annotations

import gzip
import hashlib
import tarfile
from collections.abc import Callable
from typing import IO, Any, cast

from gradesec.exchange.format import EXPANSION_ALLOWANCE, MAX_EXPANSION, BundleRefused
from gradesec.i18n import t

HINT = "bundle.refused.hint"
# Compressions a bundle might have been put through that gradesec does not read (gzip it does).
COMPRESSIONS = (
    (b"\xfd7zXZ\x00", "xz"),
    (b"BZh", "bzip2"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"PK\x03\x04", "zip"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x04\x22\x4d\x18", "lz4"),
)


def refuse(code: str, problems: list[str] | None = None, /, **fields: Any) -> BundleRefused:
    return BundleRefused(code, t(f"bundle.refused.{code}", **fields), t(HINT), problems)


class BundleSource:
    """The raw file as tar reads it: counts bytes for the progress bar and bounds gzip expansion."""

    def __init__(self, raw: IO[bytes], advance: Callable[[int], None]) -> None:
        self.raw = raw
        self.advance = advance
        self.compressed: IO[bytes] | None = None
        self.plain = 0
        head = raw.read(512)
        raw.seek(0)
        for magic, name in COMPRESSIONS:
            if head.startswith(magic):
                raise refuse("compression", name=name)
        if head[:2] != b"\x1f\x8b" and head[257:262] != b"ustar":
            raise refuse("not_bundle")
        if head[:2] == b"\x1f\x8b":
            self.compressed = cast(
                IO[bytes], gzip.GzipFile(fileobj=cast(IO[bytes], _Tally(raw, advance)), mode="rb")
            )

    def read(self, n: int = -1) -> bytes:
        if self.compressed is None:
            data = self.raw.read(n)
            self.advance(len(data))
            return data
        data = self.compressed.read(n)
        self.plain += len(data)
        packed = self.raw.tell()
        if self.plain > packed * MAX_EXPANSION + EXPANSION_ALLOWANCE:
            raise refuse("bomb", ratio=MAX_EXPANSION)
        return data

    def readable(self) -> bool:
        return True


class _Tally:
    def __init__(self, raw: IO[bytes], advance: Callable[[int], None]) -> None:
        self.raw = raw
        self.advance = advance

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        self.advance(len(data))
        return data


class HashingReader:
    """Reads a member, hashing and counting as it goes, and refuses to read past ``limit`` bytes."""

    def __init__(self, src: IO[bytes], limit: int) -> None:
        self.src = src
        self.limit = limit
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, n: int) -> bytes:
        data = self.src.read(n)
        self.size += len(data)
        if self.size > self.limit:
            raise refuse("oversized", name="?")
        self.digest.update(data)
        return data


def safe_member(member: tarfile.TarInfo) -> None:
    name = member.name
    if member.issym() or member.islnk():
        raise refuse("link", name=name)
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        raise refuse("absolute", name=name)
    if ".." in name.replace("\\", "/").split("/"):
        raise refuse("traversal", name=name)
    if not member.isreg() or member.sparse is not None:
        raise refuse("not_file", name=name)


def read_all(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    src = tar.extractfile(member)
    if src is None:
        raise refuse("not_file", name=member.name)
    data = src.read(member.size + 1)
    if len(data) != member.size:
        raise refuse("truncated", detail=member.name)
    return data
