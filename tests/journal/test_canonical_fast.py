"""The fast canonical form (Python's sorted compact JSON) is taken only where it equals RFC 8785's."""

from __future__ import annotations

import contextlib
from typing import Any

import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from gradesec.journal.events import MAX_SAFE_INT, canonical, plain_json
from gradesec.journal.strict import _is_canonical

# Keys and text drawn from the whole of Unicode (no lone surrogates: JSON text cannot carry them as UTF-8).
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=8)
SCALARS = st.none() | st.booleans() | st.integers(-MAX_SAFE_INT, MAX_SAFE_INT) | TEXT
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_canonical_is_rfc8785(value: Any) -> None:
    assert canonical(value) == bytes(rfc8785.dumps(value))


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_the_validator_agrees(value: Any) -> None:
    raw = bytes(rfc8785.dumps(value))
    assert _is_canonical(raw, raw.decode("utf-8"), value, False)


def test_what_is_not_plain() -> None:
    assert plain_json({"a": [1, "b", None, True]})
    assert plain_json({"键": "值，带全角标点"})  # characters above U+D7FF in values do not matter
    assert not plain_json({"\ue000": 1})  # such a key sorts differently in UTF-16
    assert not plain_json({"\U0001f600": 1})
    assert not plain_json({"a": 1.5})
    assert not plain_json({"a": MAX_SAFE_INT + 1})
    assert not plain_json({1: "a"})
    assert not plain_json(("a",))
    # The keys that do sort differently come out in RFC 8785's order all the same.
    mixed = {"\ue000": 1, "\U0001f600": 2, "a": 3}
    assert canonical(mixed) == bytes(rfc8785.dumps(mixed))


# Envelopes near the usual event: a right one, with at most one field made odd.
AUTHOR = "0123456789abcdef0123456789abcdef"
HASH = "ab" * 32
ODD: dict[str, list[Any]] = {
    "v": [2, True, 1.5, "1", 0],
    "kind": ["", 3, None],
    "author": [AUTHOR.upper(), "x", 5, AUTHOR + "0"],
    "seq": [0, -1, True, 1.0, MAX_SAFE_INT + 1, "2"],
    "prev": [None, "AB" * 32, "ab", 1, HASH + "0"],
    "at": [
        "2026-11-24T24:00:00.000Z",
        "2026-11-24T09:60:00.000Z",
        "2026-11-24T09:30:60.000Z",
        "2026-11-24T09:30:00.000",
        "2026-11-24T09:30:00Z",
        "2026-02-29T09:30:00.000Z",
        "2026-13-01T09:30:00.000Z",
        "0000-01-01T00:00:00.000Z",
        "2026-11-24 09:30:00",
        1700000000,
    ],
    "body": [None, [], "x", {"id": "", "text": "t"}, {"id": "n1", "text": 1}, {"text": "t"}],
}
BODY_OF = {
    "test.note.set": st.fixed_dictionaries({"id": TEXT, "text": TEXT}),
    "finding.recorded": st.fixed_dictionaries(
        {
            "inspection": st.sampled_from(["i1", "", None, 4]),
            "item": st.sampled_from(["L3-1", ""]),
            "asset": st.sampled_from(["a1", "", 2]),
            "result": st.sampled_from(["compliant", 1, None]),
        },
    ),
    "unit.created": st.fixed_dictionaries({"id": st.sampled_from(["u1", "", None]), "name": TEXT}),
    "other.kind": VALUES,
}


@st.composite
def envelopes(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(sorted(BODY_OF)))
    seq = draw(st.sampled_from([1, 2, 3]))
    envelope = {
        "v": 1,
        "kind": kind,
        "author": AUTHOR,
        "seq": seq,
        "prev": None if seq == 1 else HASH,
        "at": draw(st.sampled_from(["2026-11-24T09:30:00.000Z", "2026-11-24T23:59:59.999Z"])),
        "body": draw(BODY_OF[kind]),
    }
    field = draw(st.sampled_from([None, *ODD]))
    if field is not None:
        envelope[field] = draw(st.sampled_from(ODD[field]))
    return envelope


@settings(max_examples=600, deadline=None)
@given(envelopes(), st.sampled_from(["canonical", "spaced", "python"]))
def test_the_usual_path_answers_as_the_full_check(envelope: dict[str, Any], form: str) -> None:
    """Whatever ``_usual`` accepts, every check in order accepts too, as the same event."""
    import json

    from gradesec.journal.strict import EventRejected, _strict, _usual, check_envelope

    try:
        raw = bytes(rfc8785.dumps(envelope))
    except rfc8785.CanonicalizationError:
        raw = json.dumps(envelope).encode()
    if form == "spaced":
        raw = raw.replace(b'":', b'": ', 1)
    elif form == "python":
        raw = json.dumps(envelope, ensure_ascii=False).encode()
    with contextlib.suppress(EventRejected):
        _strict(raw, "h", b"s", 1)  # the first sight of an author or a day is the full check's
    usual = _usual(raw, "h", b"s", 1)
    if usual is None:
        return
    full = _strict(raw, "h", b"s", 1)
    assert usual.__dict__ == full.__dict__
    assert check_envelope(raw, "h", b"s", 1).__dict__ == full.__dict__


def test_every_odd_field_is_answered_as_the_full_check_answers_it() -> None:
    """Each odd value of ``ODD``, alone in a right envelope (met once right first, so that its author and day
    are known to the usual path): the usual path accepts exactly what every check in order accepts."""
    from gradesec.journal.strict import EventRejected, _strict, _usual

    right: dict[str, Any] = {
        "v": 1,
        "kind": "unit.created",
        "author": AUTHOR,
        "seq": 2,
        "prev": HASH,
        "at": "2026-11-24T09:30:00.000Z",
        "body": {"id": "u1", "name": "Unit"},
    }
    raw = bytes(rfc8785.dumps(right))
    _strict(raw, "h", b"s", 1)
    assert _usual(raw, "h", b"s", 1) is not None
    for field, values in ODD.items():
        for value in values:
            try:
                raw = bytes(rfc8785.dumps({**right, field: value}))
            except rfc8785.CanonicalizationError:
                continue
            usual = _usual(raw, "h", b"s", 1)
            try:
                full = _strict(raw, "h", b"s", 1)
            except EventRejected:
                assert usual is None, (field, value)
            else:
                assert usual is None or usual.__dict__ == full.__dict__, (field, value)
