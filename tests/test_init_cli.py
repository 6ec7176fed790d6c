"""``gradesec init``: a new user goes from nothing to a key and a store; then a bundle imports into it."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from gradesec.journal import Store

Cli = Callable[..., tuple[int, str, str]]


def test_init_makes_a_key_and_a_store_once(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRADESEC_PASSPHRASE", "a long enough passphrase 42")
    store = Path(os.environ["GRADESEC_STORE"])
    code, _out, err = cli("init")
    assert code == 2 and "name and role" in err
    assert not store.exists() or not any(store.iterdir())
    code, out, err = cli("--json", "init", "--name", "Zhang Min", "--role", "officer", "--org", "Data Bureau")
    assert code == 0, err
    data = json.loads(out)
    assert data["store_created"] and data["key_created"] and data["role"] == "officer"
    with Store.open(store) as s:
        events = s.count()
        assert s.verify().ok
    # Again: the same key, the same store, nothing written.
    code, out, err = cli("--json", "init")
    assert code == 0, err
    again = json.loads(out)
    assert not again["store_created"] and not again["key_created"] and again["key_id"] == data["key_id"]
    with Store.open(store) as s:
        assert s.count() == events
