"""The fast canonical form (Python's sorted compact JSON) is taken only where it equals RFC 8785's."""

from __future__ import annotations

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
