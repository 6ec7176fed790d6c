"""The inspection team rule at the hub: a result written by a key off the inspection's declared team is refused
at ingest, whole, as a store's import refuses it (the same bundle reader and ``journal.authority`` rule)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from gradesec.catalog.loader import Catalog
from gradesec.errors import KeyError_
from gradesec.journal import Store
from gradesec.usecases import bundles, inspections
from gradesec.usecases.inspection_team import change_team
from tests.hub.city import write_key
from tests.journal.test_integrity import forge
from tests.remedy.conftest import inspect, make_signer, open_party

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def hub(hub_url: str, cli: Cli) -> Iterator[Any]:
    code, _out, err = cli("hub", "init", "--db", hub_url)
    assert code == 0, err
    with psycopg.connect(hub_url, autocommit=True) as conn:
        yield conn


def _count(conn: Any) -> tuple[int, int]:
    row = conn.execute("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM findings)").fetchone()
    return int(row[0]), int(row[1])


def test_a_finding_from_off_the_team_is_refused_by_the_hub(
    hub: Any, hub_url: str, cli: Cli, hub_catalog: Catalog, tmp_path: Path
) -> None:
    ivan_s = make_signer("Inspector Ivan", "inspector")
    igor_s = make_signer("Inspector Igor", "inspector")  # same body, not on the team
    ivan = open_party(tmp_path / "ivan", ivan_s, hub_catalog, "2026-11-24T09:00:00.000Z", "I")
    try:
        field = inspect(ivan, hub_catalog, tmp_path, close=False)
        view = change_team(ivan, field.inspection, members=[])
        assert view.declared and view.key_ids == {ivan_s.key_id}
        first = bundles.export(ivan, tmp_path / "ivan.gsb", inspection=field.inspection).path
    finally:
        ivan.close()
    igor = open_party(tmp_path / "igor", igor_s, hub_catalog, "2026-11-24T12:00:00.000Z", "G")
    try:
        bundles.import_(igor, first, trust=[ivan_s.key_id])
        with pytest.raises(KeyError_):  # his own store refuses him
            inspections.record_finding(igor, field.inspection, field.items[0], field.asset, "compliant")
    finally:
        igor.close()
    body = {
        "inspection": field.inspection,
        "item": field.items[0],
        "asset": field.asset,
        "result": "compliant",
    }
    seq = forge(tmp_path / "igor", igor_s, "finding.recorded", body, at="2026-11-24T13:00:00.000Z")
    with Store.open(tmp_path / "igor") as store:
        from gradesec.exchange import export_bundle

        second = export_bundle(store, igor_s, tmp_path / "igor.gsb", inspection=field.inspection).path

    for name, signer in (("ivan", ivan_s), ("igor", igor_s)):
        key = write_key(signer, tmp_path / f"{name}.key.json")
        assert cli("hub", "trust", key, "--body", "Lab A", "--db", hub_url)[0] == 0
    # Igor's bundle alone carries Ivan's chain too, in the order Igor's store took the events in: the team
    # declaration comes before his result, whatever the order of the two key ids.
    code, out, err = cli("hub", "ingest", second, "--db", hub_url)
    assert code == 1 and "not on the inspection's team" in out + err, out + err
    assert _count(hub) == (0, 0)
    code, out, err = cli("hub", "ingest", first, "--db", hub_url)
    assert code == 0, out + err
    before = _count(hub)
    code, out, err = cli("hub", "ingest", second, "--db", hub_url)
    assert code == 1 and "not on the inspection's team" in out + err and f"Event {seq} of" in out + err, (
        out + err
    )
    assert _count(hub) == before
    code, out, err = cli("hub", "verify", "--db", hub_url)
    assert code == 0, out + err

    # Written past ingest (by SQL, the events as signed): hub verify names the result from off the team.
    with Store.open(tmp_path / "igor") as store:
        for event in store.events(author=igor_s.key_id):
            hub.execute(
                "INSERT INTO events (author, seq, hash, kind, at, raw, sig, bundle) VALUES (%s, %s, %s, %s, %s, %s, %s, 'x')",
                (event.author, event.seq, event.hash, event.kind, event.at, event.raw, event.sig),
            )
    code, out, err = cli("hub", "verify", "--db", hub_url)
    assert code == 1 and f"event {seq} of" in out + err and "not on the inspection's team" in out + err, (
        out + err
    )
