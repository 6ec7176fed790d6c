"""Hypothesis strategies for the fuzz targets: byte mutations, JSON values, malformed bodies and envelopes,
hostile workbooks and YAML."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from hypothesis import strategies as st

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.sampled_from([2**63, -1, 0, 1.5, 10**30])
    | st.text(max_size=24)
    | st.sampled_from(
        ["", "x" * 300, "../../etc/passwd", "2099-01-01T00:00:00.000Z", "2026-13-45", "\x00", "é漢"]
    )
)
JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=10,
)


@st.composite
def mutated(draw: st.DrawFn, data: bytes, head: int = 4096) -> bytes:
    """``data`` with 1–3 edits: cut, flip, overwrite, insert, delete, append (positions favour the head)."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 3))):
        n = len(out)
        if n == 0:
            out += draw(st.binary(max_size=64))
            continue
        at = draw(st.integers(0, min(n, head) - 1) | st.integers(0, n - 1))
        op = draw(st.sampled_from(["cut", "flip", "overwrite", "insert", "delete", "append", "zero"]))
        if op == "cut":
            del out[at:]
        elif op == "flip":
            out[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "overwrite":
            chunk = draw(st.binary(min_size=1, max_size=32))
            out[at : at + len(chunk)] = chunk
        elif op == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=32))
        elif op == "delete":
            del out[at : at + draw(st.integers(1, 512))]
        elif op == "append":
            out += draw(st.binary(min_size=1, max_size=2048))
        else:
            out[at : at + 512] = bytes(min(512, n - at))
    return bytes(out)


@st.composite
def malformed_body(
    draw: st.DrawFn, bodies: list[tuple[str, dict[str, Any]]], kinds: list[str]
) -> tuple[str, Any]:
    """A real event's kind and body, broken: a field removed or retyped, an unknown field, the wrong kind, or a
    body that is not an object at all."""
    kind, body = draw(st.sampled_from(bodies))
    body = dict(body)
    how = draw(st.sampled_from(["drop", "retype", "extra", "other_kind", "not_object", "nested"]))
    if how == "drop" and body:
        body.pop(draw(st.sampled_from(sorted(body))))
    elif how == "retype" and body:
        body[draw(st.sampled_from(sorted(body)))] = draw(JSON)
    elif how == "extra":
        body[draw(st.text(min_size=1, max_size=8))] = draw(JSON)
    elif how == "other_kind":
        kind = draw(st.sampled_from(kinds))
    elif how == "not_object":
        return kind, draw(JSON)
    elif how == "nested" and body:
        key = draw(st.sampled_from(sorted(body)))
        body[key] = {"target": body[key], "x": draw(JSON)}
    if draw(st.booleans()) and body:
        body[draw(st.sampled_from(sorted(body)))] = draw(JSON)  # and maybe a second change
    return kind, body


ENVELOPE_FIELDS = ("v", "kind", "author", "seq", "prev", "at", "body")


@st.composite
def malformed_envelope(draw: st.DrawFn, good: dict[str, Any]) -> dict[str, Any]:
    env = dict(good)
    for _ in range(draw(st.integers(1, 2))):
        name = draw(st.sampled_from(ENVELOPE_FIELDS))
        choice = draw(st.sampled_from(["drop", "retype", "odd"]))
        if choice == "drop":
            env.pop(name, None)
        elif choice == "retype":
            env[name] = draw(JSON)
        else:
            env[name] = {
                "v": 2,
                "seq": draw(st.sampled_from([0, -1, good["seq"] + 5, 2**53])),
                "at": draw(
                    st.sampled_from(["2099-01-01T00:00:00.000Z", "yesterday", "2026-13-45T00:00:00Z", 5])
                ),
                "prev": "0" * 64,
                "author": "f" * 32,
                "kind": draw(
                    st.sampled_from(["store.created", "key.identity", "key.trusted", "no.such.kind"])
                ),
                "body": [],
            }[name]
    if draw(st.booleans()):
        env[draw(st.text(min_size=1, max_size=6))] = draw(JSON)
    return env


def raw_variants(canonical_bytes: bytes) -> st.SearchStrategy[bytes]:
    """Signed bytes that are not what RFC 8785 would write: duplicated keys, whitespace, not JSON."""
    text = canonical_bytes.decode()
    return st.sampled_from(
        [
            canonical_bytes.replace(b'{"at"', b'{"kind":"key.trusted","at"', 1),  # a duplicated key
            (" " + text).encode(),
            text.replace(":", ": ").encode(),
            canonical_bytes + b"\n",
            b"[]",
            b"null",
            b"\xff\xfe",
            canonical_bytes[:-1],
        ]
    )


# Workbooks: the XML parts of a valid XLSX replaced with hostile ones.

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 9)
    )
    + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol8;</t></is></c></row></sheetData></worksheet>'
)
XXE = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>'
)
HOSTILE_XML = [
    BILLION_LAUGHS,
    XXE,
    b"<worksheet><sheetData><row>",  # cut short
    b"not xml at all",
    b"",
    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="x"><sheetData><row r="1"><c r="ZZZZZZ99999999"'
    b' t="s"><v>999999</v></c></row></sheetData></worksheet>',
    b"\xff\xfe<\x00w\x00",
]


def zip_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def rezip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


@st.composite
def hostile_workbook(draw: st.DrawFn, valid: bytes) -> bytes:
    how = draw(st.sampled_from(["bytes", "part", "part", "drop"]))
    if how == "bytes":
        return draw(mutated(valid, head=len(valid)))
    members = zip_members(valid)
    name = draw(st.sampled_from(sorted(members)))
    if how == "drop":
        members.pop(name)
    else:
        members[name] = draw(st.sampled_from(HOSTILE_XML) | mutated(members[name]))
    return rezip(members)
